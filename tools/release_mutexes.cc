// Abseil's mutexes as in its release builds, for the programs we ship and
// measure (compiled into each of them through the `gavel_runtime` CMake
// target; never into the tests, which keep the checks).
//
// Debian builds Abseil without NDEBUG, so every absl::Mutex acquisition
// also records the lock order in a process-wide graph under one spin lock
// to detect potential deadlocks: about five times the cost of an
// uncontended lock (87 against 16 ns for a nested pair, measured on this
// machine), and a point of contention between threads. Abseil's release
// default is off; this restores it before main() runs.
#include "absl/synchronization/mutex.h"

namespace gavel {
namespace {

const bool kReleaseMutexes = [] {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  return true;
}();

}  // namespace
}  // namespace gavel
