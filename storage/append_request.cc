#include "storage/append_request.h"

#include "absl/strings/str_cat.h"

namespace gavel::storage {

bool ExpectedVersion::IsSatisfiedBy(uint64_t actual) const {
  switch (kind_) {
    case Kind::kAny:
      return true;
    case Kind::kNoStream:
      return actual == 0;
    case Kind::kExists:
      return actual > 0;
    case Kind::kExact:
      return actual == version_;
  }
  return false;
}

std::string ExpectedVersion::ToString() const {
  switch (kind_) {
    case Kind::kAny:
      return "any";
    case Kind::kNoStream:
      return "no stream";
    case Kind::kExists:
      return "exists";
    case Kind::kExact:
      return absl::StrCat(version_);
  }
  return "?";
}

absl::Status CheckRetry(absl::string_view command_id,
                        absl::string_view earlier_digest,
                        absl::string_view digest) {
  return earlier_digest == digest ? absl::OkStatus()
                                  : CommandIdTaken(command_id);
}

absl::Status CommandIdTaken(absl::string_view command_id) {
  return absl::AlreadyExistsError(absl::StrCat(
      "command_id ", command_id, " was already used for a different request"));
}

}  // namespace gavel::storage
