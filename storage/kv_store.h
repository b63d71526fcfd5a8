// A small ordered key-value store on its own RocksDB database, for derived
// data that can always be recomputed from the event log (projection
// snapshots and checkpoints). Knows nothing of what it stores.
//
// Writes are atomic per Write() call and not synced: after a crash the
// store holds some prefix of the Write() calls (each whole or absent),
// which is what a derived store needs.
#ifndef GAVEL_STORAGE_KV_STORE_H_
#define GAVEL_STORAGE_KV_STORE_H_

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"

namespace rocksdb {
class DB;
class WriteBatch;
}  // namespace rocksdb

namespace gavel::storage {

// One change of a Write(): put `value` at `key`, or delete `key` when
// `value` is nullopt.
struct KvChange {
  std::string key;
  std::optional<std::string> value;
};

// Thread-safe.
class KvStore {
 public:
  // Opens (creating if needed) the store in `dir`. FAILED_PRECONDITION if
  // another process holds it; DATA_LOSS if corrupt.
  static absl::StatusOr<std::unique_ptr<KvStore>> Open(absl::string_view dir);

  KvStore(const KvStore&) = delete;
  KvStore& operator=(const KvStore&) = delete;
  ~KvStore();

  // The value at `key`, or nullopt.
  absl::StatusOr<std::optional<std::string>> Get(absl::string_view key) const;

  // Applies every change in one atomic, unsynced batch.
  absl::Status Write(absl::Span<const KvChange> changes);

  // Deletes every key k with begin <= k < end (byte order), for each
  // (begin, end) of `ranges`, in one atomic, unsynced batch, without
  // reading what it deletes. INVALID_ARGUMENT when a range has end <
  // begin (nothing is deleted then).
  absl::Status DeleteRanges(
      absl::Span<const std::pair<std::string, std::string>> ranges);

  // The entry with the largest key that starts with `prefix` and is <= `key`
  // (byte order), or nullopt.
  absl::StatusOr<std::optional<std::pair<std::string, std::string>>>
  FindAtOrBefore(absl::string_view prefix, absl::string_view key) const;

  // Keys starting with `prefix`, in order.
  absl::StatusOr<std::vector<std::string>> Keys(absl::string_view prefix) const;

 private:
  explicit KvStore(std::unique_ptr<rocksdb::DB> db);
  // Writes `batch` atomically, unsynced, one Write() at a time.
  absl::Status Commit(rocksdb::WriteBatch& batch);

  // Constant after construction; RocksDB is thread-safe.
  const std::unique_ptr<rocksdb::DB> db_;
  // One Write() at a time. RocksDB would merge concurrent writes into one
  // group, copying one thread's batch on another under its own
  // (uninstrumented) atomics; writers here are few and unsynced, and one
  // lock keeps every hand-over visible to ThreadSanitizer.
  absl::Mutex write_mu_;
};

}  // namespace gavel::storage

#endif  // GAVEL_STORAGE_KV_STORE_H_
