// Views between absl::string_view and rocksdb::Slice. On Debian 12
// absl::string_view is not std::string_view, so RocksDB's own conversions
// do not apply. Both borrow: the result is valid while the viewed bytes
// live. Internal to storage/ (RocksDB types stay inside it).
#ifndef GAVEL_STORAGE_ROCKSDB_SLICE_H_
#define GAVEL_STORAGE_ROCKSDB_SLICE_H_

#include "absl/strings/string_view.h"
#include "rocksdb/slice.h"

namespace gavel::storage {

inline rocksdb::Slice ToSlice(absl::string_view s) {
  return rocksdb::Slice(s.data(), s.size());
}

inline absl::string_view FromSlice(const rocksdb::Slice& s) {
  return absl::string_view(s.data(), s.size());
}

}  // namespace gavel::storage

#endif  // GAVEL_STORAGE_ROCKSDB_SLICE_H_
