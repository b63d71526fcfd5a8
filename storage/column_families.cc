#include "storage/column_families.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/cache.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/memtablerep.h"
#include "rocksdb/options.h"
#include "rocksdb/slice_transform.h"
#include "rocksdb/table.h"
#include "storage/key_format.h"
#include "storage/rocksdb_status.h"

namespace gavel::storage {
namespace {

// Prefix of a "streams" key: the stream id and its '\0' separator. Lets
// the stream index keep one small, in-order skip list per stream in its
// memtable, so that appending to many streams costs no global search.
class StreamPrefix : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "gavel.StreamPrefix"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    const void* nul = std::memchr(key.data(), '\0', key.size());
    return rocksdb::Slice(key.data(),
                          static_cast<const char*>(nul) - key.data() + 1);
  }
  bool InDomain(const rocksdb::Slice& key) const override {
    return std::memchr(key.data(), '\0', key.size()) != nullptr;
  }
};

// Options of a family whose blocks live in `cache`. `point_lookups`: keys
// are mostly looked up whole, and mostly missing; `hashed_memtable`: they
// also arrive in random order.
rocksdb::ColumnFamilyOptions FamilyOptions(
    const std::shared_ptr<rocksdb::Cache>& cache, bool point_lookups,
    size_t write_buffer_bytes, bool hashed_memtable = false) {
  rocksdb::ColumnFamilyOptions options;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  if (point_lookups) {
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    table.whole_key_filtering = true;
    // Most lookups on the write path miss (a new command id): answer them
    // from a bloom filter over the memtable too.
    options.memtable_whole_key_filtering = true;
    options.memtable_prefix_bloom_size_ratio = 0.05;
  }
  if (hashed_memtable) {
    // Keys arrive in random order and are only ever looked up whole: a
    // hashed memtable inserts them without a skip-list search.
    options.prefix_extractor.reset(rocksdb::NewCappedPrefixTransform(24));
    options.memtable_factory.reset(rocksdb::NewHashLinkListRepFactory());
  }
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  options.write_buffer_size = write_buffer_bytes;
  return options;
}

// Keys that only ever grow (big-endian positions and leaf indexes): every
// insert lands after the previous one, so the memtable inserts at a remembered
// hint instead of searching its skip list from the top.
rocksdb::ColumnFamilyOptions SequentialOptions(
    const std::shared_ptr<rocksdb::Cache>& cache, size_t write_buffer_bytes) {
  rocksdb::ColumnFamilyOptions options =
      FamilyOptions(cache, false, write_buffer_bytes);
  options.memtable_insert_with_hint_prefix_extractor.reset(
      rocksdb::NewFixedPrefixTransform(0));
  return options;
}

rocksdb::ColumnFamilyOptions StreamIndexOptions(
    const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions options = FamilyOptions(cache, false, 16 << 20);
  options.prefix_extractor = std::make_shared<StreamPrefix>();
  options.memtable_factory.reset(rocksdb::NewHashSkipListRepFactory());
  return options;
}

}  // namespace

absl::StatusOr<EventLogDb> OpenEventLogDb(absl::string_view dir,
                                          size_t block_cache_bytes) {
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.paranoid_checks = true;
  // All memtables together; the events family's alone may use all of it.
  db_options.db_write_buffer_size = 64 << 20;
  db_options.max_background_jobs = 2;
  // One writer thread: no concurrent memtable writes (the hashed memtable
  // of "commands" requires this).
  db_options.allow_concurrent_memtable_write = false;
  db_options.keep_log_file_num = 5;
  // Every append is synced before it is acknowledged, so only the record
  // being written when the process died may be incomplete: tolerate that
  // torn tail, and refuse to open (Corruption -> DATA_LOSS) on damage
  // anywhere else in the WAL. The default point-in-time recovery would
  // instead stop replaying at the damage and open a silently shorter log,
  // dropping acknowledged events (and the checkpoints covering them, so
  // the start-up check could not notice); see
  // tests/reliability/disk_fault_test.cc. This mode cannot tell recycled
  // WAL files from damaged ones, so WAL files are not recycled
  // (recycle_log_file_num stays 0).
  db_options.wal_recovery_mode =
      rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;

  std::shared_ptr<rocksdb::Cache> cache =
      rocksdb::NewLRUCache(block_cache_bytes);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors = {
      {rocksdb::kDefaultColumnFamilyName, FamilyOptions(cache, false, 4 << 20)},
      {kEventsFamily, SequentialOptions(cache, 64 << 20)},
      {kStreamsFamily, StreamIndexOptions(cache)},
      {kCommandsFamily, FamilyOptions(cache, true, 8 << 20, true)},
      {kMerkleFamily, SequentialOptions(cache, 16 << 20)},
      {kCheckpointsFamily, FamilyOptions(cache, false, 4 << 20)},
      {kMetaFamily, FamilyOptions(cache, true, 4 << 20)},
  };
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw_db = nullptr;
  const std::string path(dir);
  std::error_code mkdir_error;
  std::filesystem::create_directories(path, mkdir_error);
  if (mkdir_error) {
    return absl::UnavailableError(absl::StrCat(
        "creating the data directory ", path, ": ", mkdir_error.message()));
  }
  if (std::vector<std::string> existing;
      rocksdb::DB::ListColumnFamilies(db_options, path, &existing).ok() &&
      std::find(existing.begin(), existing.end(), kVersion1HeadsFamily) !=
          existing.end()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the event log in ", path,
        " has format version 1 (a \"heads\" column family); this build "
        "reads format version ",
        kFormatVersion, " only"));
  }
  if (rocksdb::Status s =
          rocksdb::DB::Open(db_options, path, descriptors, &handles, &raw_db);
      !s.ok()) {
    return FromRocksDb(s, absl::StrCat("opening event log in ", path));
  }
  auto families = std::make_unique<ColumnFamilies>();
  families->all = std::move(handles);
  // In the order of `descriptors`.
  families->events = families->all[1];
  families->streams = families->all[2];
  families->commands = families->all[3];
  families->merkle = families->all[4];
  families->checkpoints = families->all[5];
  families->meta = families->all[6];
  return EventLogDb{std::unique_ptr<rocksdb::DB>(raw_db), std::move(families)};
}

}  // namespace gavel::storage
