// Leaf hash → leaf index, so that an auditor holding only a record (or its
// leaf hash) can ask for its inclusion proof (RFC 9162 get-proof-by-hash).
//
// Kept off the write path: a thread follows the log (woken by its head
// listener), hashes each record, and writes the entries together with the
// size indexed so far in one batch to its own RocksDB. The batches are not
// synced: after a crash the lost tail is indexed again from the log.
//
// Stored format (its own database, default column family):
//
//   key := leaf_hash[32]            value := fixed64_be(leaf_index)
//   key := "indexed_size"           value := fixed64_be(leaves indexed)
#ifndef GAVEL_STORAGE_LEAF_INDEX_H_
#define GAVEL_STORAGE_LEAF_INDEX_H_

#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "storage/event_log.h"
#include "transparency/rfc9162.h"

namespace rocksdb {
class DB;
}  // namespace rocksdb

namespace gavel::storage {

class LeafIndex {
 public:
  // Opens (creating) the index in `dir` and starts following `log`, which
  // must outlive the index. UNAVAILABLE if the database cannot be opened;
  // DATA_LOSS if it claims more leaves than the log holds (it then belongs
  // to another log: delete the directory to rebuild it).
  static absl::StatusOr<std::unique_ptr<LeafIndex>> Open(const std::string& dir,
                                                         EventLog* log);

  LeafIndex(const LeafIndex&) = delete;
  LeafIndex& operator=(const LeafIndex&) = delete;

  // Stops following the log.
  ~LeafIndex();

  // The index of the leaf whose hash is `leaf_hash` among the first
  // `tree_size` leaves, waiting until deadline for the index to reach
  // tree_size. NOT_FOUND if no such leaf; DEADLINE_EXCEEDED if the index is
  // still behind at the deadline; UNAVAILABLE if indexing failed.
  absl::StatusOr<uint64_t> Find(const rfc9162::Hash& leaf_hash,
                                uint64_t tree_size, absl::Time deadline) const;

  // Leaves indexed so far.
  uint64_t indexed() const;

 private:
  LeafIndex(std::unique_ptr<rocksdb::DB> db, EventLog* log, uint64_t indexed);

  void Run();
  // Indexes leaves [from, to) in one batch.
  absl::Status IndexRange(uint64_t from, uint64_t to);

  std::unique_ptr<rocksdb::DB> db_;
  EventLog* const log_;
  uint64_t listener_id_ = 0;
  std::thread thread_;

  mutable absl::Mutex mu_;
  uint64_t indexed_ ABSL_GUARDED_BY(mu_);
  uint64_t head_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status failure_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gavel::storage

#endif  // GAVEL_STORAGE_LEAF_INDEX_H_
