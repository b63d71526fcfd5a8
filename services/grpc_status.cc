#include "services/grpc_status.h"

#include <string>

#include "domain/reasons.h"
#include "domain/rejection.h"
#include "gavel/v1/errors.pb.h"

namespace gavel::services {
namespace {

constexpr char kErrorInfoUrl[] = "type.googleapis.com/google.rpc.ErrorInfo";
constexpr char kBadRequestUrl[] = "type.googleapis.com/google.rpc.BadRequest";

// The reason of an error that is no rejection: its code's (domain/reasons.h
// lists one per code; UNAVAILABLE is STORAGE_UNAVAILABLE).
absl::string_view ReasonForCode(absl::StatusCode code) {
  if (code == absl::StatusCode::kUnavailable) {
    return domain::kStorageUnavailable.name;
  }
  const domain::Reason* reason =
      domain::FindReason(absl::StatusCodeToString(code));
  return reason != nullptr ? reason->name : domain::kCodeInternal.name;
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  absl::StatusCode code = status.code();
  const std::string message(status.message());

  gavel::v1::ErrorStatus details;
  details.set_code(static_cast<int>(code));
  details.set_message(message);
  gavel::v1::ErrorInfo info;
  info.set_domain("gavel.v1");
  std::string field;
  if (std::optional<gavel::v1::Rejection> rejection =
          domain::RejectionOf(status);
      rejection.has_value()) {
    info.set_reason(rejection->reason());
    field = rejection->field();
  } else {
    info.set_reason(std::string(ReasonForCode(code)));
  }
  if (!field.empty()) (*info.mutable_metadata())["field"] = field;
  google::protobuf::Any* any = details.add_details();
  any->set_type_url(kErrorInfoUrl);
  any->set_value(info.SerializeAsString());
  if (!field.empty()) {
    gavel::v1::BadRequest bad_request;
    gavel::v1::BadRequest::FieldViolation* violation =
        bad_request.add_field_violations();
    violation->set_field(field);
    violation->set_description(message);
    google::protobuf::Any* bad = details.add_details();
    bad->set_type_url(kBadRequestUrl);
    bad->set_value(bad_request.SerializeAsString());
  }
  return grpc::Status(static_cast<grpc::StatusCode>(code), message,
                      details.SerializeAsString());
}

}  // namespace gavel::services
