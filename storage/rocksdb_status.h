// The one place where RocksDB statuses become absl::Status.
#ifndef GAVEL_STORAGE_ROCKSDB_STATUS_H_
#define GAVEL_STORAGE_ROCKSDB_STATUS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "rocksdb/status.h"

namespace gavel::storage {

// Maps `status` to absl, prefixing its message with `context`:
//   NotFound → NOT_FOUND; Corruption → DATA_LOSS; InvalidArgument →
//   INVALID_ARGUMENT; NotSupported → UNIMPLEMENTED; a held LOCK file →
//   FAILED_PRECONDITION; other IOError (disk full, I/O failure), Busy,
//   TimedOut, TryAgain → UNAVAILABLE; anything else → INTERNAL.
absl::Status FromRocksDb(const rocksdb::Status& status,
                         absl::string_view context);

}  // namespace gavel::storage

#endif  // GAVEL_STORAGE_ROCKSDB_STATUS_H_
