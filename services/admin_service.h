// AdminService: Ping (load calibration), GetStatus (subscriptions and
// projections included), RebuildProjection and Backup.
#ifndef GAVEL_SERVICES_ADMIN_SERVICE_H_
#define GAVEL_SERVICES_ADMIN_SERVICE_H_

#include "absl/time/time.h"
#include "gavel/v1/admin_service.grpc.pb.h"
#include "projections/projection_host.h"
#include "services/authenticator.h"
#include "services/backups.h"
#include "services/subscriptions.h"
#include "storage/event_log.h"
#include "writer/command_processor.h"

namespace gavel::services {

// Thread-safe. Borrows everything it is given; it must all outlive it.
class AdminService final : public gavel::v1::AdminService::CallbackService {
 public:
  AdminService(const Authenticator* auth, const storage::EventLog* log,
               const writer::CommandProcessor* processor,
               const Subscriptions* subscriptions,
               projections::ProjectionHost* projections, Backups* backups,
               absl::Time started)
      : auth_(auth),
        log_(log),
        processor_(processor),
        subscriptions_(subscriptions),
        projections_(projections),
        backups_(backups),
        started_(started) {}

  // Any authenticated caller; no work.
  grpc::ServerUnaryReactor* Ping(grpc::CallbackServerContext* context,
                                 const gavel::v1::PingRequest* request,
                                 gavel::v1::PingReply* reply) override;

  // Roles admin, auditor, service. Includes every running subscription.
  grpc::ServerUnaryReactor* GetStatus(
      grpc::CallbackServerContext* context,
      const gavel::v1::GetStatusRequest* request,
      gavel::v1::GetStatusReply* reply) override;

  // Role admin. Starts a background rebuild (projections/projection_host.h,
  // RequestRebuild); NOT_FOUND (PROJECTION_NOT_FOUND) for an unknown name.
  grpc::ServerUnaryReactor* RebuildProjection(
      grpc::CallbackServerContext* context,
      const gavel::v1::RebuildProjectionRequest* request,
      gavel::v1::RebuildProjectionReply* reply) override;

  // Role admin. Writes a backup (services/backups.h) off the gRPC threads
  // and finishes when it is durable, or with its error.
  grpc::ServerUnaryReactor* Backup(grpc::CallbackServerContext* context,
                                   const gavel::v1::BackupRequest* request,
                                   gavel::v1::BackupReply* reply) override;

 private:
  const Authenticator* const auth_;
  const storage::EventLog* const log_;
  const writer::CommandProcessor* const processor_;
  const Subscriptions* const subscriptions_;
  projections::ProjectionHost* const projections_;
  Backups* const backups_;
  const absl::Time started_;
};

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_ADMIN_SERVICE_H_
