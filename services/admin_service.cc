#include "services/admin_service.h"

#include "absl/strings/str_cat.h"
#include "domain/reasons.h"
#include "domain/rejection.h"
#include "services/grpc_status.h"

namespace gavel::services {

grpc::ServerUnaryReactor* AdminService::Ping(
    grpc::CallbackServerContext* context, const gavel::v1::PingRequest*,
    gavel::v1::PingReply*) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<Principal> principal = auth_->Authenticate(*context);
  reactor->Finish(principal.ok() ? grpc::Status::OK
                                 : ToGrpcStatus(principal.status()));
  return reactor;
}

grpc::ServerUnaryReactor* AdminService::GetStatus(
    grpc::CallbackServerContext* context, const gavel::v1::GetStatusRequest*,
    gavel::v1::GetStatusReply* reply) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<Principal> principal = auth_->Authenticate(*context);
  if (!principal.ok()) {
    reactor->Finish(ToGrpcStatus(principal.status()));
    return reactor;
  }
  if (!principal->HasAnyRole({Role::kAdmin, Role::kAuditor, Role::kService})) {
    reactor->Finish(ToGrpcStatus(domain::Reject(
        domain::kRoleRequired, "",
        "AdminService/GetStatus needs one of the roles: admin, auditor, "
        "service")));
    return reactor;
  }
  reply->set_version(GAVEL_VERSION);
  reply->set_head_position(log_->Head());
  const absl::Duration uptime = absl::Now() - started_;
  reply->mutable_uptime()->set_seconds(absl::ToInt64Seconds(uptime));
  *reply->mutable_writer() = processor_->Stats();
  reply->set_principal(principal->name);
  reply->set_dev_mode(auth_->dev_mode());
  for (gavel::v1::SubscriberStatus& subscriber : subscriptions_->Status()) {
    *reply->add_subscribers() = std::move(subscriber);
  }
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace gavel::services
