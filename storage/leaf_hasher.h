// RFC 9162 leaf hashes of many records, computed by the caller and a
// helper thread together.
//
// The writer of a large batch spent about a tenth of its CPU hashing
// leaves, and start-up verification rehashes the whole log. The caller
// publishes the records and both threads claim chunks of them until none
// are left. Publishing once per batch wakes the helper once; publishing
// record by record (to overlap hashing with serialization) cost more in
// wake-ups than it saved (bench: gavel_storage_bench --only=batch100).
#ifndef GAVEL_STORAGE_LEAF_HASHER_H_
#define GAVEL_STORAGE_LEAF_HASHER_H_

#include <cstddef>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "transparency/rfc9162.h"

namespace gavel::storage {

// One job at a time, driven by one writer thread: Begin, Publish as records
// become ready, then Finish. Thread-safe between that writer and the helper
// thread it owns; not for several writers at once.
class LeafHasher {
 public:
  // Starts the helper thread.
  LeafHasher();
  // Waits for a running job, then stops and joins the helper thread.
  ~LeafHasher();
  LeafHasher(const LeafHasher&) = delete;
  LeafHasher& operator=(const LeafHasher&) = delete;

  // Starts a job over `records`, whose size must not change and whose
  // first `published` elements must not be modified until Finish returns.
  // `leaves` is resized to records->size(). No job may be running.
  void Begin(const std::vector<std::string>* records,
             std::vector<rfc9162::Hash>* leaves);

  // Records [0, count) are final and may be hashed. `count` never
  // decreases and is at most records->size().
  void Publish(size_t count);

  // Hashes whatever the helper has not reached yet on the calling thread,
  // waits for the helper, and ends the job: afterwards (*leaves)[i] is
  // HashLeaf((*records)[i]) for every published i.
  void Finish();

 private:
  void Run();
  // The next published record nobody has claimed, or false when there is
  // none; claims it for the caller.
  bool Claim(size_t& index) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  const std::vector<std::string>* records_ ABSL_GUARDED_BY(mu_) = nullptr;
  std::vector<rfc9162::Hash>* leaves_ ABSL_GUARDED_BY(mu_) = nullptr;
  size_t published_ ABSL_GUARDED_BY(mu_) = 0;
  size_t claimed_ ABSL_GUARDED_BY(mu_) = 0;
  // Records claimed by the helper and not yet written to leaves_.
  size_t in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread helper_;
};

}  // namespace gavel::storage

#endif  // GAVEL_STORAGE_LEAF_HASHER_H_
