#include "storage/leaf_index.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/options.h"
#include "rocksdb/table.h"
#include "rocksdb/write_batch.h"
#include "storage/key_format.h"
#include "storage/rocksdb_slice.h"
#include "storage/rocksdb_status.h"

namespace gavel::storage {
namespace {

constexpr char kIndexedSizeKey[] = "indexed_size";
// Leaves per batch: bounds the memory of one batch and lets Find see
// progress while a long log is indexed for the first time.
constexpr uint64_t kLeavesPerBatch = 4096;

}  // namespace

absl::StatusOr<std::unique_ptr<LeafIndex>> LeafIndex::Open(
    const std::string& dir, EventLog* log) {
  rocksdb::Options options;
  options.create_if_missing = true;
  // Random 32-byte keys looked up whole: a bloom filter answers misses.
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  options.max_background_jobs = 1;
  options.keep_log_file_num = 2;
  // 40 bytes per record: small memtables hold plenty, and the server's
  // memory stays bounded (docs/performance.md).
  options.write_buffer_size = 16 << 20;
  options.max_write_buffer_number = 2;
  // Rebuildable and not synced: no preallocated WAL blocks taking disk
  // space from the event log (tests/reliability/disk_fault_test.cc).
  options.allow_fallocate = false;
  rocksdb::DB* raw = nullptr;
  if (rocksdb::Status s = rocksdb::DB::Open(options, dir, &raw); !s.ok()) {
    return FromRocksDb(s, absl::StrCat("opening the leaf index in ", dir));
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  uint64_t indexed = 0;
  std::string value;
  rocksdb::Status s = db->Get({}, kIndexedSizeKey, &value);
  if (s.ok() && value.size() == 8) {
    indexed = DecodeFixed64BE(value);
  } else if (!s.IsNotFound()) {
    return s.ok() ? absl::DataLossError("the leaf index's size is corrupt")
                  : FromRocksDb(s, "reading the leaf index");
  }
  if (indexed > log->Head()) {
    return absl::DataLossError(
        absl::StrCat("the leaf index in ", dir, " covers ", indexed,
                     " leaves but the log holds ", log->Head(),
                     ": it belongs to another log (delete it to rebuild)"));
  }
  std::unique_ptr<LeafIndex> index(new LeafIndex(std::move(db), log, indexed));
  LeafIndex* self = index.get();
  index->listener_id_ = log->AddHeadListener([self](uint64_t head) {
    absl::MutexLock lock(&self->mu_);
    self->head_ = std::max(self->head_, head);
  });
  {
    absl::MutexLock lock(&index->mu_);
    index->head_ = std::max(index->head_, log->Head());
  }
  index->thread_ = std::thread([self] { self->Run(); });
  return index;
}

LeafIndex::LeafIndex(std::unique_ptr<rocksdb::DB> db, EventLog* log,
                     uint64_t indexed)
    : db_(std::move(db)), log_(log), indexed_(indexed) {}

LeafIndex::~LeafIndex() {
  log_->RemoveHeadListener(listener_id_);
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void LeafIndex::Run() {
  while (true) {
    uint64_t from, to;
    {
      absl::MutexLock lock(&mu_);
      // Wakes on a new head (the listener moves head_) or on stop.
      mu_.Await(absl::Condition(
          +[](LeafIndex* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mu_) {
            return self->stopping_ ||
                   (self->failure_.ok() && self->head_ > self->indexed_);
          },
          this));
      if (stopping_) return;
      from = indexed_;
      to = std::min(head_, indexed_ + kLeavesPerBatch);
    }
    absl::Status status = IndexRange(from, to);
    absl::MutexLock lock(&mu_);
    if (status.ok()) {
      indexed_ = to;
    } else {
      failure_ = std::move(status);
    }
  }
}

absl::Status LeafIndex::IndexRange(uint64_t from, uint64_t to) {
  rocksdb::WriteBatch batch;
  uint64_t leaf = from;
  absl::Status status = log_->Scan(
      from + 1, to, [&](uint64_t position, absl::string_view record) {
        if (position != leaf + 1) return false;
        batch.Put(ToSlice(rfc9162::AsBytes(rfc9162::HashLeaf(record))),
                  EncodeFixed64BE(leaf));
        ++leaf;
        return true;
      });
  if (!status.ok()) return status;
  if (leaf != to) {
    return absl::DataLossError(
        absl::StrCat("the log has no record at position ", leaf + 1));
  }
  batch.Put(kIndexedSizeKey, EncodeFixed64BE(to));
  return FromRocksDb(db_->Write(rocksdb::WriteOptions(), &batch),
                     "writing the leaf index");
}

absl::StatusOr<uint64_t> LeafIndex::Find(const rfc9162::Hash& leaf_hash,
                                         uint64_t tree_size,
                                         absl::Time deadline) const {
  {
    absl::MutexLock lock(&mu_);
    const auto ready = [this, tree_size]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return indexed_ >= tree_size || !failure_.ok();
    };
    mu_.AwaitWithDeadline(absl::Condition(&ready), deadline);
    if (!failure_.ok()) {
      return absl::UnavailableError(
          absl::StrCat("the leaf index stopped: ", failure_.message()));
    }
    if (indexed_ < tree_size) {
      return absl::DeadlineExceededError(
          absl::StrCat("the leaf index has reached ", indexed_, " of ",
                       tree_size, " leaves; retry shortly"));
    }
  }
  std::string value;
  rocksdb::Status s =
      db_->Get({}, ToSlice(rfc9162::AsBytes(leaf_hash)), &value);
  if (s.IsNotFound()) {
    return absl::NotFoundError("no leaf of the log has this hash");
  }
  if (!s.ok()) return FromRocksDb(s, "reading the leaf index");
  if (value.size() != 8) {
    return absl::DataLossError("a leaf index entry is corrupt");
  }
  const uint64_t index = DecodeFixed64BE(value);
  if (index >= tree_size) {
    return absl::NotFoundError(absl::StrCat("the leaf with this hash is leaf ",
                                            index, ", beyond tree size ",
                                            tree_size));
  }
  return index;
}

uint64_t LeafIndex::indexed() const {
  absl::MutexLock lock(&mu_);
  return indexed_;
}

}  // namespace gavel::storage
