#include "storage/rocksdb_status.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace gavel::storage {

absl::Status FromRocksDb(const rocksdb::Status& status,
                         absl::string_view context) {
  if (status.ok()) return absl::OkStatus();
  const std::string message = absl::StrCat(context, ": ", status.ToString());
  if (status.IsNotFound()) return absl::NotFoundError(message);
  if (status.IsCorruption()) return absl::DataLossError(message);
  if (status.IsInvalidArgument()) return absl::InvalidArgumentError(message);
  if (status.IsNotSupported()) return absl::UnimplementedError(message);
  if (status.IsIOError() &&
      (absl::StrContains(status.ToString(), "While lock file") ||
       absl::StrContains(status.ToString(), "lock hold by current process"))) {
    return absl::FailedPreconditionError(absl::StrCat(
        context, ": the data directory is in use by another process (",
        status.ToString(), ")"));
  }
  if (status.IsIOError() || status.IsBusy() || status.IsTimedOut() ||
      status.IsTryAgain() || status.IsNoSpace()) {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(message);
}

}  // namespace gavel::storage
