// PortfolioQueryService (proto/gavel/v1/portfolio_query_service.proto):
// reads of the projections, with read-your-writes (min_position) and time
// travel (as_of). Roles: analyst, board_member, admin, auditor, service.
//
// min_position waits without blocking a gRPC thread: the call registers
// with the ProjectionHost and is answered from the host's thread once the
// position is applied, or DEADLINE_EXCEEDED (PROJECTION_BEHIND) at the
// call's deadline (capped at QueryLimits::max_wait). as_of replays into a
// fresh projection on the replay pool (services/replay_pool.h: bounded,
// RESOURCE_EXHAUSTED beyond it; projections/projection_host.h, ProjectAt):
// CPU work bounded by the history snapshot interval.
#ifndef GAVEL_SERVICES_PORTFOLIO_QUERY_SERVICE_H_
#define GAVEL_SERVICES_PORTFOLIO_QUERY_SERVICE_H_

#include <cstdint>

#include "absl/time/time.h"
#include "gavel/v1/portfolio_query_service.grpc.pb.h"
#include "projections/projection_host.h"
#include "services/authenticator.h"
#include "services/replay_pool.h"

namespace gavel::services {

struct QueryLimits {
  uint32_t default_page_size = 50;
  uint32_t max_page_size = 500;
  // Longest min_position wait (calls without a deadline included).
  absl::Duration max_wait = absl::Seconds(10);
  // Decisions per export chunk.
  uint32_t export_chunk_decisions = 200;
};

// Thread-safe. Borrows `auth`, `host` and `replays`; they must outlive it.
class PortfolioQueryService final
    : public gavel::v1::PortfolioQueryService::CallbackService {
 public:
  PortfolioQueryService(const Authenticator* auth,
                        projections::ProjectionHost* host, ReplayPool* replays,
                        const QueryLimits& limits = {})
      : auth_(auth), host_(host), replays_(replays), limits_(limits) {}

  grpc::ServerUnaryReactor* GetInitiative(
      grpc::CallbackServerContext* context,
      const gavel::v1::GetInitiativeRequest* request,
      gavel::v1::GetInitiativeReply* reply) override;
  grpc::ServerUnaryReactor* ListInitiatives(
      grpc::CallbackServerContext* context,
      const gavel::v1::ListInitiativesRequest* request,
      gavel::v1::ListInitiativesReply* reply) override;
  grpc::ServerUnaryReactor* GetObjective(
      grpc::CallbackServerContext* context,
      const gavel::v1::GetObjectiveRequest* request,
      gavel::v1::GetObjectiveReply* reply) override;
  grpc::ServerUnaryReactor* ListObjectives(
      grpc::CallbackServerContext* context,
      const gavel::v1::ListObjectivesRequest* request,
      gavel::v1::ListObjectivesReply* reply) override;
  grpc::ServerUnaryReactor* GetCapacity(
      grpc::CallbackServerContext* context,
      const gavel::v1::GetCapacityRequest* request,
      gavel::v1::GetCapacityReply* reply) override;
  grpc::ServerUnaryReactor* ListDecisions(
      grpc::CallbackServerContext* context,
      const gavel::v1::ListDecisionsRequest* request,
      gavel::v1::ListDecisionsReply* reply) override;
  grpc::ServerUnaryReactor* GetDecision(
      grpc::CallbackServerContext* context,
      const gavel::v1::GetDecisionRequest* request,
      gavel::v1::GetDecisionReply* reply) override;
  grpc::ServerUnaryReactor* GetGovernanceMetrics(
      grpc::CallbackServerContext* context,
      const gavel::v1::GetGovernanceMetricsRequest* request,
      gavel::v1::GetGovernanceMetricsReply* reply) override;
  grpc::ServerWriteReactor<gavel::v1::ExportDecisionsChunk>* ExportDecisions(
      grpc::CallbackServerContext* context,
      const gavel::v1::ExportDecisionsRequest* request) override;
  grpc::ServerUnaryReactor* GetPlanOfRecord(
      grpc::CallbackServerContext* context,
      const gavel::v1::GetPlanOfRecordRequest* request,
      gavel::v1::GetPlanOfRecordReply* reply) override;

 private:
  const Authenticator* const auth_;
  projections::ProjectionHost* const host_;
  ReplayPool* const replays_;
  const QueryLimits limits_;
};

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_PORTFOLIO_QUERY_SERVICE_H_
