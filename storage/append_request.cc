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

}  // namespace gavel::storage
