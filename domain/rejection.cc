#include "domain/rejection.h"

#include "absl/strings/cord.h"
#include "absl/types/optional.h"

namespace gavel::domain {

absl::Status Reject(const Reason& reason, absl::string_view field,
                    absl::string_view message) {
  absl::Status status(reason.code, message);
  gavel::v1::Rejection rejection;
  rejection.set_reason(std::string(reason.name));
  rejection.set_field(std::string(field));
  status.SetPayload(kRejectionTypeUrl,
                    absl::Cord(rejection.SerializeAsString()));
  return status;
}

std::optional<gavel::v1::Rejection> RejectionOf(const absl::Status& status) {
  // Debian's Abseil is built with absl::optional, not std::optional.
  absl::optional<absl::Cord> payload = status.GetPayload(kRejectionTypeUrl);
  if (!payload.has_value()) return std::nullopt;
  gavel::v1::Rejection rejection;
  if (!rejection.ParseFromString(std::string(*payload))) return std::nullopt;
  return rejection;
}

std::string ReasonOf(const absl::Status& status) {
  std::optional<gavel::v1::Rejection> rejection = RejectionOf(status);
  return rejection.has_value() ? rejection->reason() : std::string();
}

std::string FieldOf(const absl::Status& status) {
  std::optional<gavel::v1::Rejection> rejection = RejectionOf(status);
  return rejection.has_value() ? rejection->field() : std::string();
}

bool IsRejection(const absl::Status& status, const Reason& reason) {
  return status.code() == reason.code && ReasonOf(status) == reason.name;
}

const Reason* FindReason(absl::string_view name) {
  for (const Reason& reason : kAllReasons) {
    if (reason.name == name) return &reason;
  }
  return nullptr;
}

}  // namespace gavel::domain
