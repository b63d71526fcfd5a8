// Linked into every executable of a ThreadSanitizer build
// (GAVEL_SANITIZE=thread) only.
//
// Debian's Abseil is not built with -fsanitize=thread, so TSan cannot see
// the happens-before edges of absl::Mutex, CondVar and Notification: every
// field guarded by an absl::Mutex would be reported as a race. This file
// interposes those functions (the executable's definitions win over
// libabsl_synchronization's), calls the real ones through dlsym(RTLD_NEXT)
// and tells TSan about each edge with __tsan_acquire / __tsan_release on
// the object's address. Inside the real Unlock, Await and LockWhen, Abseil
// evaluates waiters' Conditions (our lambdas reading guarded fields) on
// whichever thread holds the mutex at that moment, where no hook can place
// the edge: TSan ignores the accesses made inside those calls only.
#include <dlfcn.h>
#include <sanitizer/tsan_interface.h>

extern "C" void __tsan_ignore_thread_begin();
extern "C" void __tsan_ignore_thread_end();

#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"

namespace {

template <typename F>
F Real(const char* symbol) {
  void* real = dlsym(RTLD_NEXT, symbol);
  if (real == nullptr) {
    std::fprintf(stderr, "tsan_absl_sync: %s not found\n", symbol);
    std::abort();
  }
  return reinterpret_cast<F>(real);
}

// The real function `symbol`, looked up once.
#define GAVEL_REAL(type, symbol) static const auto real = Real<type>(symbol)

void Acquire(const void* address) {
  __tsan_acquire(const_cast<void*>(address));
}
void Release(const void* address) {
  __tsan_release(const_cast<void*>(address));
}

// Calls `call` with this thread's memory accesses ignored by TSan.
template <typename F>
auto Ignoring(F call) {
  __tsan_ignore_thread_begin();
  auto result = call();
  __tsan_ignore_thread_end();
  return result;
}

// Debian's Abseil is built without NDEBUG, so every Lock also records the
// lock order in Abseil's deadlock graph, which an internal spin lock
// guards; uninstrumented, that lock is invisible to TSan, which reported
// the graph's updates from two threads as races. TSan detects lock-order
// inversions itself: Abseil's detector is off in this build (as it is in
// Abseil's release builds and in the programs we ship,
// tools/release_mutexes.cc).
const bool kAbseilDeadlockGraphOff = [] {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  return true;
}();

}  // namespace

namespace absl {
ABSL_NAMESPACE_BEGIN

void Mutex::Lock() {
  GAVEL_REAL(void (*)(Mutex*), "_ZN4absl7debian35Mutex4LockEv");
  real(this);
  Acquire(this);
}

void Mutex::ReaderLock() {
  GAVEL_REAL(void (*)(Mutex*), "_ZN4absl7debian35Mutex10ReaderLockEv");
  real(this);
  Acquire(this);
}

void Mutex::Unlock() {
  GAVEL_REAL(void (*)(Mutex*), "_ZN4absl7debian35Mutex6UnlockEv");
  Release(this);
  Ignoring([&] {
    real(this);
    return 0;
  });
}

void Mutex::ReaderUnlock() {
  GAVEL_REAL(void (*)(Mutex*), "_ZN4absl7debian35Mutex12ReaderUnlockEv");
  Release(this);
  Ignoring([&] {
    real(this);
    return 0;
  });
}

bool Mutex::TryLock() {
  GAVEL_REAL(bool (*)(Mutex*), "_ZN4absl7debian35Mutex7TryLockEv");
  const bool locked = real(this);
  if (locked) Acquire(this);
  return locked;
}

bool Mutex::ReaderTryLock() {
  GAVEL_REAL(bool (*)(Mutex*), "_ZN4absl7debian35Mutex13ReaderTryLockEv");
  const bool locked = real(this);
  if (locked) Acquire(this);
  return locked;
}

void Mutex::Await(const Condition& cond) {
  GAVEL_REAL(void (*)(Mutex*, const Condition&),
             "_ZN4absl7debian35Mutex5AwaitERKNS0_9ConditionE");
  Release(this);
  Ignoring([&] {
    real(this, cond);
    return 0;
  });
  Acquire(this);
}

bool Mutex::AwaitWithTimeout(const Condition& cond, Duration timeout) {
  GAVEL_REAL(bool (*)(Mutex*, const Condition&, Duration),
             "_ZN4absl7debian35Mutex16AwaitWithTimeoutERKNS0_"
             "9ConditionENS0_8DurationE");
  Release(this);
  const bool met = Ignoring([&] { return real(this, cond, timeout); });
  Acquire(this);
  return met;
}

bool Mutex::AwaitWithDeadline(const Condition& cond, Time deadline) {
  GAVEL_REAL(bool (*)(Mutex*, const Condition&, Time),
             "_ZN4absl7debian35Mutex17AwaitWithDeadlineERKNS0_"
             "9ConditionENS0_4TimeE");
  Release(this);
  const bool met = Ignoring([&] { return real(this, cond, deadline); });
  Acquire(this);
  return met;
}

void Mutex::LockWhen(const Condition& cond) {
  GAVEL_REAL(void (*)(Mutex*, const Condition&),
             "_ZN4absl7debian35Mutex8LockWhenERKNS0_9ConditionE");
  Ignoring([&] {
    real(this, cond);
    return 0;
  });
  Acquire(this);
}

bool Mutex::LockWhenWithTimeout(const Condition& cond, Duration timeout) {
  GAVEL_REAL(bool (*)(Mutex*, const Condition&, Duration),
             "_ZN4absl7debian35Mutex19LockWhenWithTimeoutERKNS0_"
             "9ConditionENS0_8DurationE");
  const bool met = Ignoring([&] { return real(this, cond, timeout); });
  Acquire(this);
  return met;
}

bool Mutex::LockWhenWithDeadline(const Condition& cond, Time deadline) {
  GAVEL_REAL(bool (*)(Mutex*, const Condition&, Time),
             "_ZN4absl7debian35Mutex20LockWhenWithDeadlineERKNS0_"
             "9ConditionENS0_4TimeE");
  const bool met = Ignoring([&] { return real(this, cond, deadline); });
  Acquire(this);
  return met;
}

void Mutex::ReaderLockWhen(const Condition& cond) {
  GAVEL_REAL(void (*)(Mutex*, const Condition&),
             "_ZN4absl7debian35Mutex14ReaderLockWhenERKNS0_9ConditionE");
  Ignoring([&] {
    real(this, cond);
    return 0;
  });
  Acquire(this);
}

void CondVar::Wait(Mutex* mu) {
  GAVEL_REAL(void (*)(CondVar*, Mutex*),
             "_ZN4absl7debian37CondVar4WaitEPNS0_5MutexE");
  Release(mu);
  real(this, mu);
  Acquire(mu);
}

bool CondVar::WaitWithTimeout(Mutex* mu, Duration timeout) {
  GAVEL_REAL(bool (*)(CondVar*, Mutex*, Duration),
             "_ZN4absl7debian37CondVar15WaitWithTimeoutEPNS0_5MutexENS0_"
             "8DurationE");
  Release(mu);
  const bool timed_out = real(this, mu, timeout);
  Acquire(mu);
  return timed_out;
}

bool CondVar::WaitWithDeadline(Mutex* mu, Time deadline) {
  GAVEL_REAL(bool (*)(CondVar*, Mutex*, Time),
             "_ZN4absl7debian37CondVar16WaitWithDeadlineEPNS0_5MutexENS0_"
             "4TimeE");
  Release(mu);
  const bool timed_out = real(this, mu, deadline);
  Acquire(mu);
  return timed_out;
}

void Notification::Notify() {
  GAVEL_REAL(void (*)(Notification*),
             "_ZN4absl7debian312Notification6NotifyEv");
  Release(this);
  real(this);
}

void Notification::WaitForNotification() const {
  GAVEL_REAL(void (*)(const Notification*),
             "_ZNK4absl7debian312Notification19WaitForNotificationEv");
  real(this);
  Acquire(this);
}

bool Notification::WaitForNotificationWithTimeout(Duration timeout) const {
  GAVEL_REAL(bool (*)(const Notification*, Duration),
             "_ZNK4absl7debian312Notification30WaitForNotificationWithTimeoutE"
             "NS0_8DurationE");
  const bool notified = real(this, timeout);
  if (notified) Acquire(this);
  return notified;
}

bool Notification::WaitForNotificationWithDeadline(Time deadline) const {
  GAVEL_REAL(bool (*)(const Notification*, Time),
             "_ZNK4absl7debian312Notification31WaitForNotificationWithDeadline"
             "ENS0_4TimeE");
  const bool notified = real(this, deadline);
  if (notified) Acquire(this);
  return notified;
}

ABSL_NAMESPACE_END
}  // namespace absl
