#include "projections/snapshot_seal.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace gavel::projections {

std::string SealText(absl::string_view name, uint64_t position,
                     const rfc9162::Hash& root, absl::string_view value) {
  return absl::StrCat(
      "gavel projection snapshot\n", name, "\n", position, "\n",
      absl::Base64Escape(rfc9162::AsBytes(root)), "\n",
      absl::Base64Escape(rfc9162::AsBytes(rfc9162::Sha256({value}))), "\n");
}

absl::Status CheckSeal(const SnapshotSealer& sealer, absl::string_view seal,
                       absl::string_view name, uint64_t position,
                       const rfc9162::Hash& root, absl::string_view value) {
  absl::StatusOr<std::string> text = sealer.Open(seal);
  if (!text.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the seal of projection ", name, " at position ", position,
                     " does not verify: ", text.status().message()));
  }
  if (*text != SealText(name, position, root, value)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the stored snapshot of projection ", name, " at position ", position,
        " is not the one its seal names (edited, moved, or of another log)"));
  }
  return absl::OkStatus();
}

}  // namespace gavel::projections
