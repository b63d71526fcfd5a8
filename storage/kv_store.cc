#include "storage/kv_store.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"
#include "storage/rocksdb_slice.h"
#include "storage/rocksdb_status.h"

namespace gavel::storage {

absl::StatusOr<std::unique_ptr<KvStore>> KvStore::Open(absl::string_view dir) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.max_open_files = 64;
  // Values are mostly projection snapshots of several megabytes, rewritten
  // every few seconds: small memtables (a snapshot flushes at once instead
  // of piling up in memory) and blob files, so that compaction moves
  // references, not the snapshots themselves.
  options.write_buffer_size = 8 << 20;
  options.max_write_buffer_number = 2;
  options.enable_blob_files = true;
  options.min_blob_size = 64 << 10;
  options.enable_blob_garbage_collection = true;
  // Its writes are not synced and its WAL is small: no preallocated WAL
  // blocks taking disk space from the event log.
  options.allow_fallocate = false;
  rocksdb::DB* raw = nullptr;
  if (rocksdb::Status s = rocksdb::DB::Open(options, std::string(dir), &raw);
      !s.ok()) {
    return FromRocksDb(s, absl::StrCat("opening the store in ", dir));
  }
  return std::unique_ptr<KvStore>(
      new KvStore(std::unique_ptr<rocksdb::DB>(raw)));
}

KvStore::KvStore(std::unique_ptr<rocksdb::DB> db) : db_(std::move(db)) {}

KvStore::~KvStore() = default;

absl::StatusOr<std::optional<std::string>> KvStore::Get(
    absl::string_view key) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), ToSlice(key), &value);
  if (s.IsNotFound()) return std::nullopt;
  if (!s.ok()) return FromRocksDb(s, absl::StrCat("reading ", key));
  return value;
}

absl::Status KvStore::Write(absl::Span<const KvChange> changes) {
  // Reserved at once: a batch of snapshots (tens of megabytes) would
  // otherwise grow by doubling, copying what it holds each time.
  size_t bytes = 64;
  for (const KvChange& change : changes) {
    bytes += change.key.size() + 16 +
             (change.value.has_value() ? change.value->size() : 0);
  }
  rocksdb::WriteBatch batch(bytes);
  for (const KvChange& change : changes) {
    rocksdb::Status s = change.value.has_value()
                            ? batch.Put(change.key, *change.value)
                            : batch.Delete(change.key);
    if (!s.ok()) return FromRocksDb(s, "building a batch");
  }
  return Commit(batch);
}

absl::Status KvStore::DeleteRanges(
    absl::Span<const std::pair<std::string, std::string>> ranges) {
  rocksdb::WriteBatch batch;
  for (const auto& [begin, end] : ranges) {
    if (end < begin) {
      return absl::InvalidArgumentError(
          "a range to delete ends before it begins");
    }
    if (rocksdb::Status s = batch.DeleteRange(begin, end); !s.ok()) {
      return FromRocksDb(s, "building a batch");
    }
  }
  return Commit(batch);
}

absl::Status KvStore::Commit(rocksdb::WriteBatch& batch) {
  rocksdb::WriteOptions options;
  options.sync = false;
  absl::MutexLock lock(&write_mu_);
  return FromRocksDb(db_->Write(options, &batch), "writing a batch");
}

absl::StatusOr<std::optional<std::pair<std::string, std::string>>>
KvStore::FindAtOrBefore(absl::string_view prefix, absl::string_view key) const {
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions()));
  it->SeekForPrev(ToSlice(key));
  if (!it->status().ok()) return FromRocksDb(it->status(), "seeking");
  if (!it->Valid()) return std::nullopt;
  const absl::string_view found = FromSlice(it->key());
  if (!absl::StartsWith(found, prefix)) return std::nullopt;
  return std::make_pair(std::string(found), it->value().ToString());
}

absl::StatusOr<std::vector<std::string>> KvStore::Keys(
    absl::string_view prefix) const {
  std::vector<std::string> keys;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(ToSlice(prefix)); it->Valid(); it->Next()) {
    const absl::string_view key = FromSlice(it->key());
    if (!absl::StartsWith(key, prefix)) break;
    keys.emplace_back(key);
  }
  if (!it->status().ok()) return FromRocksDb(it->status(), "listing keys");
  return keys;
}

}  // namespace gavel::storage
