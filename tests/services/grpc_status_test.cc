#include "services/grpc_status.h"

#include "domain/reasons.h"
#include "domain/rejection.h"
#include "gavel/v1/errors.pb.h"
#include "gtest/gtest.h"

namespace gavel::services {
namespace {

gavel::v1::ErrorInfo InfoOf(const grpc::Status& status) {
  gavel::v1::ErrorStatus details;
  EXPECT_TRUE(details.ParseFromString(status.error_details()));
  EXPECT_EQ(details.code(), static_cast<int>(status.error_code()));
  gavel::v1::ErrorInfo info;
  for (const google::protobuf::Any& any : details.details()) {
    if (any.type_url() == "type.googleapis.com/google.rpc.ErrorInfo") {
      EXPECT_TRUE(info.ParseFromString(any.value()));
    }
  }
  return info;
}

TEST(GrpcStatusTest, EveryDomainReasonKeepsItsCodeReasonAndField) {
  for (const domain::Reason& reason : domain::kAllReasons) {
    const grpc::Status status =
        ToGrpcStatus(domain::Reject(reason, "criteria[1].weight_bp", "why"));
    EXPECT_EQ(static_cast<int>(status.error_code()),
              static_cast<int>(reason.code))
        << reason.name;
    EXPECT_EQ(status.error_message(), "why");
    const gavel::v1::ErrorInfo info = InfoOf(status);
    EXPECT_EQ(info.reason(), reason.name);
    EXPECT_EQ(info.domain(), "gavel.v1");
    EXPECT_EQ(info.metadata().at("field"), "criteria[1].weight_bp");
  }
}

TEST(GrpcStatusTest, StorageErrorsGetAReasonAndCorruptionIsDataLoss) {
  EXPECT_EQ(InfoOf(ToGrpcStatus(absl::UnavailableError("disk"))).reason(),
            "STORAGE_UNAVAILABLE");
  // A damaged stored log is what auditors look for: it keeps its own code.
  const grpc::Status lost = ToGrpcStatus(absl::DataLossError("corrupt"));
  EXPECT_EQ(lost.error_code(), grpc::StatusCode::DATA_LOSS);
  EXPECT_EQ(InfoOf(lost).reason(), "DATA_LOSS");
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

}  // namespace
}  // namespace gavel::services
