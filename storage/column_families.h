// The event log's RocksDB database: its column families (what each holds:
// storage/key_format.h), the options each is tuned with, and opening them.
// Internal to storage/: EventLog (storage/event_log.h) is the only user,
// and RocksDB stays private to storage/.
#ifndef GAVEL_STORAGE_COLUMN_FAMILIES_H_
#define GAVEL_STORAGE_COLUMN_FAMILIES_H_

#include <cstddef>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
}  // namespace rocksdb

namespace gavel::storage {

// Handles of the event log's column families. The database that opened
// them owns them: its owner passes each handle of `all` to
// DB::DestroyColumnFamilyHandle before closing it. Constant after
// OpenEventLogDb; RocksDB's handles may be used from any thread.
struct ColumnFamilies {
  // Every handle, the default family's first.
  std::vector<rocksdb::ColumnFamilyHandle*> all;
  rocksdb::ColumnFamilyHandle* events = nullptr;
  rocksdb::ColumnFamilyHandle* streams = nullptr;
  rocksdb::ColumnFamilyHandle* commands = nullptr;
  rocksdb::ColumnFamilyHandle* merkle = nullptr;
  rocksdb::ColumnFamilyHandle* checkpoints = nullptr;
  rocksdb::ColumnFamilyHandle* meta = nullptr;
};

// An open event-log database and its column families.
struct EventLogDb {
  std::unique_ptr<rocksdb::DB> db;
  std::unique_ptr<ColumnFamilies> families;
};

// Opens (creating if needed) the database in `dir`, creating the directory
// and any missing column family; all families share one block cache of
// `block_cache_bytes`. Checks nothing stored: the caller reads the format
// version ("meta") next. Errors: UNAVAILABLE if the directory cannot be
// created; FAILED_PRECONDITION if it holds format version 1 (a "heads"
// family) or another process holds it; otherwise RocksDB's status as
// storage/rocksdb_status.h maps it (Corruption -> DATA_LOSS).
absl::StatusOr<EventLogDb> OpenEventLogDb(absl::string_view dir,
                                          size_t block_cache_bytes);

}  // namespace gavel::storage

#endif  // GAVEL_STORAGE_COLUMN_FAMILIES_H_
