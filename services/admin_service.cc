#include "services/admin_service.h"

#include "absl/strings/str_cat.h"
#include "domain/calendar.h"
#include "services/grpc_status.h"

namespace gavel::services {

grpc::ServerUnaryReactor* AdminService::Ping(
    grpc::CallbackServerContext* context, const gavel::v1::PingRequest*,
    gavel::v1::PingReply*) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<Principal> principal =
      auth_->Authorize(*context, "/gavel.v1.AdminService/Ping");
  reactor->Finish(principal.ok() ? grpc::Status::OK
                                 : ToGrpcStatus(principal.status()));
  return reactor;
}

grpc::ServerUnaryReactor* AdminService::GetStatus(
    grpc::CallbackServerContext* context, const gavel::v1::GetStatusRequest*,
    gavel::v1::GetStatusReply* reply) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<Principal> principal =
      auth_->Authorize(*context, "/gavel.v1.AdminService/GetStatus");
  if (!principal.ok()) {
    reactor->Finish(ToGrpcStatus(principal.status()));
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
  for (const projections::ProjectionStatus& p : projections_->Status()) {
    gavel::v1::ProjectionStatus* out = reply->add_projections();
    out->set_name(p.name);
    out->set_position(p.position);
    out->set_lag_events(p.lag_events);
    out->mutable_lag()->set_seconds(absl::ToInt64Seconds(p.lag));
    if (p.last_progress != absl::InfinitePast()) {
      *out->mutable_last_progress() = domain::ToTimestamp(p.last_progress);
    }
    out->set_checkpoint_position(p.checkpoint_position);
    out->set_rebuilding(p.rebuilding);
    out->set_rebuilds(p.rebuilds);
    out->set_error(p.error);
  }
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* AdminService::RebuildProjection(
    grpc::CallbackServerContext* context,
    const gavel::v1::RebuildProjectionRequest* request,
    gavel::v1::RebuildProjectionReply* reply) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::Status status =
      auth_->Authorize(*context, "/gavel.v1.AdminService/RebuildProjection")
          .status();
  if (status.ok()) {
    absl::StatusOr<uint64_t> ticket =
        projections_->RequestRebuild(request->name());
    status = ticket.status();
    if (ticket.ok()) reply->set_ticket(*ticket);
  }
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

grpc::ServerUnaryReactor* AdminService::Backup(
    grpc::CallbackServerContext* context,
    const gavel::v1::BackupRequest* request, gavel::v1::BackupReply* reply) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::Status status =
      auth_->Authorize(*context, "/gavel.v1.AdminService/Backup").status();
  if (!status.ok()) {
    reactor->Finish(ToGrpcStatus(status));
    return reactor;
  }
  backups_->Start(request->name(), request->include_signing_key(),
                  [reactor, reply](absl::StatusOr<BackupResult> result) {
                    if (result.ok()) {
                      reply->set_path(result->path);
                      reply->set_head_position(result->head_position);
                      reply->set_checkpoint(result->checkpoint.note);
                      reply->set_checkpoint_size(result->checkpoint.tree_size);
                    }
                    reactor->Finish(ToGrpcStatus(result.status()));
                  });
  return reactor;
}

}  // namespace gavel::services
