#include "cli/output.h"

#include <cstdio>

#include "absl/strings/escaping.h"
#include "absl/strings/str_format.h"
#include "gavel/v1/errors.pb.h"
#include "google/protobuf/util/json_util.h"

namespace gavel::cli {

int FailRpc(const grpc::Status& status, absl::string_view address) {
  std::string reason;
  gavel::v1::ErrorStatus details;
  if (details.ParseFromString(status.error_details())) {
    for (const google::protobuf::Any& any : details.details()) {
      gavel::v1::ErrorInfo info;
      if (any.type_url() == "type.googleapis.com/google.rpc.ErrorInfo" &&
          info.ParseFromString(any.value())) {
        reason = info.reason();
      }
    }
  }
  const std::string code_name = absl::StatusCodeToString(
      static_cast<absl::StatusCode>(status.error_code()));
  if (reason == code_name) reason.clear();
  std::fprintf(stderr, "error: %d %s%s%s: %s\n", status.error_code(),
               code_name.c_str(), reason.empty() ? "" : " ", reason.c_str(),
               status.error_message().c_str());
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      std::fprintf(stderr,
                   "hint: is gaveld running at %s? (--addr or "
                   "GAVEL_ADDR)\n",
                   std::string(address).c_str());
      break;
    case grpc::StatusCode::UNAUTHENTICATED:
      std::fprintf(stderr, "hint: pass a valid --token or set GAVEL_TOKEN\n");
      break;
    case grpc::StatusCode::PERMISSION_DENIED:
      std::fprintf(stderr, "hint: your principal lacks the role this needs\n");
      break;
    default:
      if (!reason.empty()) {
        std::fprintf(stderr, "hint: see docs/rejection-reasons.md#%s\n",
                     reason.c_str());
      }
  }
  return 1;
}

int FailLocal(const absl::Status& status, int exit_code) {
  std::fprintf(stderr, "error: %s\n", status.ToString().c_str());
  return exit_code;
}

void PrintJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  std::printf("%s\n", json.c_str());
}

std::string MoneyText(const gavel::v1::Money& money) {
  if (money.currency().empty()) return "-";
  return absl::StrFormat("%s %.2f", money.currency(),
                         static_cast<double>(money.minor_units()) / 100.0);
}

std::string RootBase64(const rfc9162::Hash& root) {
  return absl::Base64Escape(rfc9162::AsBytes(root));
}

}  // namespace gavel::cli
