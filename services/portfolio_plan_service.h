// PortfolioPlanService (proto/gavel/v1/portfolio_plan_service.proto):
// portfolio scenarios, their optimization, frontier and sensitivity, and
// publication as the plan of record.
//
// Commands go through the CommandIntake to the single writer. Solving never
// runs on a gRPC thread nor in the writer: OptimizeScenario, GetFrontier
// and GetSensitivity queue a job for the service's one planning thread
// (bounded queue: RESOURCE_EXHAUSTED when full), which reads the plan from
// the log and the candidates from the portfolio projection, solves
// (planning/portfolio_solver.h), and, for OptimizeScenario, submits the
// result as RecordScenarioOptimization with expected_version = the plan
// version it solved (ABORTED VERSION_CONFLICT if the plan changed
// meanwhile), so the log holds the answer and replay never solves.
#ifndef GAVEL_SERVICES_PORTFOLIO_PLAN_SERVICE_H_
#define GAVEL_SERVICES_PORTFOLIO_PLAN_SERVICE_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <string>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "gavel/v1/portfolio_plan_service.grpc.pb.h"
#include "projections/projection_host.h"
#include "services/authenticator.h"
#include "services/command_intake.h"
#include "storage/event_log.h"

namespace gavel::services {

struct PlanningOptions {
  // Jobs waiting for the planning thread beyond the one it runs.
  size_t max_queued = 8;
  // Jobs of one principal queued or running at once.
  size_t max_jobs_per_principal = 2;
  // Longest min_position wait of a planning job.
  absl::Duration max_wait = absl::Seconds(10);
};

// Thread-safe. Borrows `auth`, `intake`, `log` and `host`, which must
// outlive it. The destructor finishes queued calls with UNAVAILABLE and joins
// the planning thread.
class PortfolioPlanService final
    : public gavel::v1::PortfolioPlanService::CallbackService {
 public:
  PortfolioPlanService(const Authenticator* auth, CommandIntake* intake,
                       storage::EventLog* log,
                       projections::ProjectionHost* host,
                       const PlanningOptions& options = {});
  PortfolioPlanService(const PortfolioPlanService&) = delete;
  PortfolioPlanService& operator=(const PortfolioPlanService&) = delete;
  ~PortfolioPlanService() override;

  grpc::ServerUnaryReactor* CreateScenario(
      grpc::CallbackServerContext* context,
      const gavel::v1::CreateScenarioRequest* request,
      gavel::v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* ForceInitiative(
      grpc::CallbackServerContext* context,
      const gavel::v1::ForceInitiativeRequest* request,
      gavel::v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* OptimizeScenario(
      grpc::CallbackServerContext* context,
      const gavel::v1::OptimizeScenarioRequest* request,
      gavel::v1::OptimizeScenarioReply* reply) override;
  grpc::ServerUnaryReactor* PublishPlan(
      grpc::CallbackServerContext* context,
      const gavel::v1::PublishPlanRequest* request,
      gavel::v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* GetPlan(grpc::CallbackServerContext* context,
                                    const gavel::v1::GetPlanRequest* request,
                                    gavel::v1::GetPlanReply* reply) override;
  grpc::ServerUnaryReactor* GetFrontier(
      grpc::CallbackServerContext* context,
      const gavel::v1::GetFrontierRequest* request,
      gavel::v1::GetFrontierReply* reply) override;
  grpc::ServerUnaryReactor* GetSensitivity(
      grpc::CallbackServerContext* context,
      const gavel::v1::GetSensitivityRequest* request,
      gavel::v1::GetSensitivityReply* reply) override;

 private:
  // A queued job: `run` on the planning thread, or `cancel` when the
  // service stops first.
  struct Job {
    std::function<void()> run;
    std::function<void()> cancel;
    // Whose it is (jobs_).
    std::string principal;
  };
  // Queues `job.run` for the planning thread, with a `cancel` that
  // finishes `reactor` with UNAVAILABLE should the service stop first;
  // when the queue is full (or the service stopping) finishes `reactor`
  // with RESOURCE_EXHAUSTED at once.
  void Enqueue(Job job, grpc::ServerUnaryReactor* reactor);
  // How long a job of `context`'s call waits for min_position at most:
  // max_wait, or less when the call's deadline comes first.
  absl::Duration MaxWait(const grpc::CallbackServerContext* context) const;
  void Run();

  const Authenticator* const auth_;
  CommandIntake* const intake_;
  storage::EventLog* const log_;
  projections::ProjectionHost* const host_;
  const PlanningOptions options_;

  absl::Mutex mu_;
  std::deque<Job> queue_ ABSL_GUARDED_BY(mu_);
  // Queued and running jobs per principal.
  absl::flat_hash_map<std::string, size_t> jobs_ ABSL_GUARDED_BY(mu_);
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_PORTFOLIO_PLAN_SERVICE_H_
