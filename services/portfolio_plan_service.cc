#include "services/portfolio_plan_service.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/reasons.h"
#include "domain/rejection.h"
#include "domain/validation.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "planning/portfolio_solver.h"
#include "planning/sensitivity.h"
#include "projections/portfolio_projection.h"
#include "services/grpc_commands.h"
#include "services/grpc_status.h"
#include "services/plan_problem.h"
#include "writer/aggregate_store.h"

namespace gavel::services {
namespace {

constexpr uint32_t kDefaultTimeLimitMs = 10000;
constexpr uint32_t kMaxTimeLimitMs = 60000;
constexpr uint32_t kDefaultFrontierPoints = 10;
constexpr uint32_t kMaxFrontierPoints = 50;
constexpr uint32_t kDefaultMaxBudgetFactorBp = 20000;
constexpr uint32_t kMaxBudgetFactorBp = 100000;
constexpr int32_t kDefaultSensitivityDeltaBp = 1000;
constexpr int32_t kMaxSensitivityDeltaBp = 5000;

// The solver's options for `limits`, cancelled when `context`'s caller goes
// away.
planning::SolveOptions SolveOptionsOf(const gavel::v1::SolverLimits& limits,
                                      grpc::CallbackServerContext* context) {
  planning::SolveOptions options;
  options.cancelled = [context] { return context->IsCancelled(); };
  const uint32_t ms = limits.time_limit_ms() == 0
                          ? kDefaultTimeLimitMs
                          : std::min(limits.time_limit_ms(), kMaxTimeLimitMs);
  options.time_limit = absl::Milliseconds(ms);
  const uint32_t gap_bp = limits.max_gap_bp() == 0
                              ? 1
                              : std::min<uint32_t>(limits.max_gap_bp(), 10000);
  options.relative_gap = gap_bp / 10000.0;
  return options;
}

// The plan `plan_id` folded from the log (outside the writer: a private
// store). NOT_FOUND (AGGREGATE_NOT_FOUND) when it has no events.
absl::StatusOr<domain::PortfolioPlanState> LoadPlan(
    storage::EventLog* log, const std::string& plan_id) {
  if (plan_id.empty()) {
    return domain::Reject(domain::kMissingField, "plan_id",
                          "a plan_id is required");
  }
  if (absl::Status s = domain::ValidateAggregateId(plan_id, "plan_id");
      !s.ok()) {
    return s;
  }
  writer::AggregateStore store(log, 1);
  absl::StatusOr<domain::PortfolioPlanState*> state =
      store.Get<writer::PortfolioPlanKind>(plan_id);
  if (!state.ok()) return state.status();
  if ((*state)->version == 0) {
    return domain::Reject(domain::kAggregateNotFound, "plan_id",
                          absl::StrCat("no plan ", plan_id));
  }
  return **state;
}

struct PortfolioSnapshot {
  gavel::v1::PortfolioModel model;
  uint64_t position = 0;
};

// A copy of the portfolio read model once it has applied `min_position`.
absl::StatusOr<PortfolioSnapshot> ReadPortfolio(
    projections::ProjectionHost* host, uint64_t min_position,
    absl::Duration max_wait) {
  if (min_position > 0 &&
      !host->WaitFor(min_position, absl::Now() + max_wait)) {
    return domain::Reject(
        domain::kProjectionBehind, "min_position",
        absl::StrCat("the portfolio has not applied position ", min_position,
                     " yet"));
  }
  PortfolioSnapshot snapshot;
  absl::Status read = host->Read(
      projections::kPortfolioProjection,
      [&snapshot](const projections::Projection& p, uint64_t position) {
        snapshot.model = static_cast<const projections::PortfolioProjection&>(p)
                             .state()
                             .model();
        snapshot.position = position;
      });
  if (!read.ok()) return read;
  return snapshot;
}

// Everything a planning job needs, read in order.
struct PlanInputs {
  domain::PortfolioPlanState plan;
  uint64_t data_position = 0;
  PlanProblem problem;
};

absl::StatusOr<PlanInputs> ReadInputs(storage::EventLog* log,
                                      projections::ProjectionHost* host,
                                      const std::string& plan_id,
                                      uint64_t min_position,
                                      absl::Duration max_wait) {
  absl::StatusOr<domain::PortfolioPlanState> plan = LoadPlan(log, plan_id);
  if (!plan.ok()) return plan.status();
  absl::StatusOr<PortfolioSnapshot> portfolio =
      ReadPortfolio(host, min_position, max_wait);
  if (!portfolio.ok()) return portfolio.status();
  absl::StatusOr<PlanProblem> problem =
      BuildPlanProblem(*plan, portfolio->model);
  if (!problem.ok()) return problem.status();
  PlanInputs inputs;
  inputs.plan = *std::move(plan);
  inputs.data_position = portfolio->position;
  inputs.problem = *std::move(problem);
  return inputs;
}

// What a retry of OptimizeScenario must repeat: the request (options with
// the command_id included), serialized deterministically.
std::string RetryKeyOf(const gavel::v1::OptimizeScenarioRequest& request) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    request.SerializeToCodedStream(&coded);
  }
  return bytes;
}

int32_t GapBp(double gap) {
  return static_cast<int32_t>(std::min(1e9, std::ceil(gap * 10000 - 1e-9)));
}

}  // namespace

PortfolioPlanService::PortfolioPlanService(const Authenticator* auth,
                                           CommandIntake* intake,
                                           storage::EventLog* log,
                                           projections::ProjectionHost* host,
                                           const PlanningOptions& options)
    : auth_(auth), intake_(intake), log_(log), host_(host), options_(options) {
  thread_ = std::thread([this] { Run(); });
}

PortfolioPlanService::~PortfolioPlanService() {
  std::deque<Job> cancelled;
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
    cancelled.swap(queue_);
  }
  for (Job& job : cancelled) job.cancel();
  thread_.join();
}

void PortfolioPlanService::Enqueue(Job job, grpc::ServerUnaryReactor* reactor) {
  job.cancel = [reactor] {
    reactor->Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                 "the server is shutting down"));
  };
  absl::Status refused;
  {
    absl::MutexLock lock(&mu_);
    size_t& mine = jobs_[job.principal];
    if (stop_ || queue_.size() >= options_.max_queued) {
      refused = absl::ResourceExhaustedError(
          "the planning queue is full; retry later");
    } else if (mine >= options_.max_jobs_per_principal) {
      refused = absl::ResourceExhaustedError(absl::StrCat(
          job.principal, " already has ", mine,
          " planning jobs queued or running, the most one principal may"));
    } else {
      ++mine;
      queue_.push_back(std::move(job));
      return;
    }
    if (mine == 0) jobs_.erase(job.principal);
  }
  reactor->Finish(ToGrpcStatus(refused));
}

void PortfolioPlanService::Run() {
  for (;;) {
    Job job;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stop_ || !queue_.empty();
      };
      mu_.Await(absl::Condition(&ready));
      if (queue_.empty()) return;  // stopping
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job.run();
    absl::MutexLock lock(&mu_);
    if (auto it = jobs_.find(job.principal);
        it != jobs_.end() && --it->second == 0) {
      jobs_.erase(it);
    }
  }
}

absl::Duration PortfolioPlanService::MaxWait(
    const grpc::CallbackServerContext* context) const {
  return std::max(
      absl::ZeroDuration(),
      std::min(options_.max_wait,
               absl::FromChrono(context->deadline()) - absl::Now()));
}

grpc::ServerUnaryReactor* PortfolioPlanService::CreateScenario(
    grpc::CallbackServerContext* context,
    const gavel::v1::CreateScenarioRequest* request,
    gavel::v1::CommandReply* reply) {
  return DispatchCommand(*auth_, *intake_, context,
                         "/gavel.v1.PortfolioPlanService/CreateScenario",
                         *request, reply);
}

grpc::ServerUnaryReactor* PortfolioPlanService::ForceInitiative(
    grpc::CallbackServerContext* context,
    const gavel::v1::ForceInitiativeRequest* request,
    gavel::v1::CommandReply* reply) {
  return DispatchCommand(*auth_, *intake_, context,
                         "/gavel.v1.PortfolioPlanService/ForceInitiative",
                         *request, reply);
}

grpc::ServerUnaryReactor* PortfolioPlanService::PublishPlan(
    grpc::CallbackServerContext* context,
    const gavel::v1::PublishPlanRequest* request,
    gavel::v1::CommandReply* reply) {
  return DispatchCommand(*auth_, *intake_, context,
                         "/gavel.v1.PortfolioPlanService/PublishPlan", *request,
                         reply);
}

grpc::ServerUnaryReactor* PortfolioPlanService::OptimizeScenario(
    grpc::CallbackServerContext* context,
    const gavel::v1::OptimizeScenarioRequest* request,
    gavel::v1::OptimizeScenarioReply* reply) {
  static constexpr absl::string_view kMethod =
      "/gavel.v1.PortfolioPlanService/OptimizeScenario";
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<Principal> principal = auth_->Authorize(*context, kMethod);
  if (!principal.ok()) {
    reactor->Finish(ToGrpcStatus(principal.status()));
    return reactor;
  }
  Job job;
  job.principal = principal->name;
  job.run = [this, context, reactor, reply, request, principal = *principal]() {
    absl::StatusOr<PlanInputs> inputs =
        ReadInputs(log_, host_, request->plan_id(), request->min_position(),
                   MaxWait(context));
    if (!inputs.ok()) {
      reactor->Finish(ToGrpcStatus(inputs.status()));
      return;
    }
    absl::StatusOr<planning::Solution> solution = planning::Solve(
        inputs->problem.problem, SolveOptionsOf(request->limits(), context));
    if (!solution.ok()) {
      reactor->Finish(ToGrpcStatus(solution.status()));
      return;
    }
    gavel::v1::Command command;
    gavel::v1::RecordScenarioOptimization* record =
        command.mutable_record_scenario_optimization();
    record->set_plan_id(request->plan_id());
    *record->mutable_result() =
        OptimizationOf(inputs->problem, *solution, inputs->data_position);
    gavel::v1::CommandOptions options = request->options();
    options.set_expected_version(inputs->plan.version);
    const uint32_t solve_ms =
        static_cast<uint32_t>(absl::ToInt64Milliseconds(solution->solve_time));
    intake_->Submit(
        principal, kMethod, options, std::move(command),
        [reactor, reply,
         solve_ms](absl::StatusOr<gavel::v1::CommandReply> outcome) {
          if (!outcome.ok()) {
            reactor->Finish(ToGrpcStatus(outcome.status()));
            return;
          }
          for (const gavel::v1::EventRecord& record : outcome->events()) {
            gavel::v1::PortfolioPlanEvent event;
            if (event.ParseFromString(record.payload()) &&
                event.has_scenario_optimized()) {
              *reply->mutable_optimization() = event.scenario_optimized();
            }
          }
          *reply->mutable_command() = *std::move(outcome);
          reply->set_solve_ms(solve_ms);
          reactor->Finish(grpc::Status::OK);
        },
        RetryKeyOf(*request));
  };
  Enqueue(std::move(job), reactor);
  return reactor;
}

grpc::ServerUnaryReactor* PortfolioPlanService::GetPlan(
    grpc::CallbackServerContext* context,
    const gavel::v1::GetPlanRequest* request, gavel::v1::GetPlanReply* reply) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<Principal> principal =
      auth_->Authorize(*context, "/gavel.v1.PortfolioPlanService/GetPlan");
  if (!principal.ok()) {
    reactor->Finish(ToGrpcStatus(principal.status()));
    return reactor;
  }
  absl::StatusOr<domain::PortfolioPlanState> plan =
      LoadPlan(log_, request->plan_id());
  if (!plan.ok()) {
    reactor->Finish(ToGrpcStatus(plan.status()));
    return reactor;
  }
  reply->set_version(plan->version);
  *reply->mutable_scenario() = plan->scenario;
  for (const auto& [id, direction] : plan->forced) {
    gavel::v1::ForcedChoice* forced = reply->add_forced();
    forced->set_initiative_id(id);
    forced->set_direction(direction);
  }
  if (plan->optimized.has_value()) {
    *reply->mutable_optimization() = *plan->optimized;
  }
  reply->set_optimization_current(plan->OptimizationCurrent());
  for (const gavel::v1::PlanPublished& published : plan->published) {
    *reply->add_published() = published;
  }
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* PortfolioPlanService::GetFrontier(
    grpc::CallbackServerContext* context,
    const gavel::v1::GetFrontierRequest* request,
    gavel::v1::GetFrontierReply* reply) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<Principal> principal =
      auth_->Authorize(*context, "/gavel.v1.PortfolioPlanService/GetFrontier");
  if (!principal.ok()) {
    reactor->Finish(ToGrpcStatus(principal.status()));
    return reactor;
  }
  if (request->points() > kMaxFrontierPoints ||
      request->max_budget_factor_bp() > kMaxBudgetFactorBp) {
    reactor->Finish(ToGrpcStatus(domain::Reject(
        domain::kValueOutOfRange,
        request->points() > kMaxFrontierPoints ? "points"
                                               : "max_budget_factor_bp",
        absl::StrCat("at most ", kMaxFrontierPoints, " points up to ",
                     kMaxBudgetFactorBp, " bp of the budget"))));
    return reactor;
  }
  Job job;
  job.principal = principal->name;
  job.run = [this, context, reactor, reply, request]() {
    absl::StatusOr<PlanInputs> inputs =
        ReadInputs(log_, host_, request->plan_id(), request->min_position(),
                   MaxWait(context));
    if (!inputs.ok()) {
      reactor->Finish(ToGrpcStatus(inputs.status()));
      return;
    }
    const planning::SolveOptions options =
        SolveOptionsOf(request->limits(), context);
    const planning::Problem& problem = inputs->problem.problem;
    const uint32_t points =
        request->points() == 0 ? kDefaultFrontierPoints : request->points();
    const uint32_t max_bp = request->max_budget_factor_bp() == 0
                                ? kDefaultMaxBudgetFactorBp
                                : request->max_budget_factor_bp();
    std::vector<double> factors;
    std::vector<uint32_t> factors_bp;
    for (uint32_t k = 1; k <= points; ++k) {
      factors_bp.push_back(
          static_cast<uint32_t>(uint64_t{max_bp} * k / points));
      factors.push_back(factors_bp.back() / 10000.0);
    }
    absl::StatusOr<std::vector<planning::FrontierPoint>> frontier =
        planning::Frontier(problem, factors, options);
    if (!frontier.ok()) {
      reactor->Finish(ToGrpcStatus(frontier.status()));
      return;
    }
    for (size_t k = 0; k < frontier->size(); ++k) {
      const planning::FrontierPoint& point = (*frontier)[k];
      gavel::v1::FrontierPoint* out = reply->add_points();
      out->set_budget_factor_bp(factors_bp[k]);
      out->set_total_budget_minor_units(point.total_budget);
      out->set_feasible(point.feasible);
      out->set_objective_value(point.objective);
      out->set_gap_bp(GapBp(point.gap));
      out->set_selected(point.selected_count);
    }
    reply->set_data_position(inputs->data_position);
    reply->set_currency(inputs->plan.scenario.currency());
    absl::StatusOr<planning::Solution> base = planning::Solve(problem, options);
    if (base.ok()) {
      reply->set_objective_value(base->objective);
      absl::StatusOr<std::vector<planning::PoolMarginalValue>> marginal =
          planning::PoolMarginalValues(problem, *base, options);
      if (!marginal.ok()) {
        reactor->Finish(ToGrpcStatus(marginal.status()));
        return;
      }
      for (const planning::PoolMarginalValue& value : *marginal) {
        gavel::v1::PoolMarginalValue* out = reply->add_pools();
        out->set_pool_id(value.pool_id);
        out->set_binding(value.binding);
        out->set_marginal_value(value.marginal_value);
      }
    } else if (!domain::IsRejection(base.status(), domain::kPlanInfeasible)) {
      reactor->Finish(ToGrpcStatus(base.status()));
      return;
    }
    reactor->Finish(grpc::Status::OK);
  };
  Enqueue(std::move(job), reactor);
  return reactor;
}

grpc::ServerUnaryReactor* PortfolioPlanService::GetSensitivity(
    grpc::CallbackServerContext* context,
    const gavel::v1::GetSensitivityRequest* request,
    gavel::v1::GetSensitivityReply* reply) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<Principal> principal = auth_->Authorize(
      *context, "/gavel.v1.PortfolioPlanService/GetSensitivity");
  if (!principal.ok()) {
    reactor->Finish(ToGrpcStatus(principal.status()));
    return reactor;
  }
  if (request->delta_bp() < 0 || request->delta_bp() > kMaxSensitivityDeltaBp) {
    reactor->Finish(ToGrpcStatus(domain::Reject(
        domain::kValueOutOfRange, "delta_bp",
        absl::StrCat("delta_bp must be within 0..", kMaxSensitivityDeltaBp))));
    return reactor;
  }
  Job job;
  job.principal = principal->name;
  job.run = [this, context, reactor, reply, request]() {
    absl::StatusOr<PlanInputs> inputs =
        ReadInputs(log_, host_, request->plan_id(), request->min_position(),
                   MaxWait(context));
    if (!inputs.ok()) {
      reactor->Finish(ToGrpcStatus(inputs.status()));
      return;
    }
    const domain::PortfolioPlanState& plan = inputs->plan;
    const google::protobuf::RepeatedPtrField<gavel::v1::PlanEntry>* ranking =
        nullptr;
    int cut_line = 0;
    if (!plan.published.empty()) {
      ranking = &plan.published.back().ranking();
      cut_line = plan.published.back().cut_line();
      reply->set_reference(
          absl::StrCat("published run ", plan.published.back().run()));
    } else if (plan.optimized.has_value()) {
      ranking = &plan.optimized->ranking();
      cut_line = plan.optimized->cut_line();
      reply->set_reference(
          absl::StrCat("optimized run ", plan.optimized->run()));
    } else {
      reactor->Finish(ToGrpcStatus(
          domain::Reject(domain::kPlanNotPublished, "plan_id",
                         "the plan has neither been published nor optimized")));
      return;
    }
    const PlanProblem& base = inputs->problem;
    if (base.criterion_ids.empty()) {
      reactor->Finish(ToGrpcStatus(
          domain::Reject(domain::kNoCandidates, "",
                         "no candidate has per-criterion scores to reweight")));
      return;
    }
    std::vector<std::string> reference;
    std::set<std::string> reference_selected;
    for (int k = 0; k < ranking->size(); ++k) {
      reference.push_back((*ranking)[k].initiative_id());
      if (k < cut_line)
        reference_selected.insert((*ranking)[k].initiative_id());
    }
    for (size_t c = 0; c < base.criterion_ids.size(); ++c) {
      reply->add_criterion_ids(base.criterion_ids[c]);
      reply->add_base_weights_bp(base.weights_bp[c]);
    }
    reply->set_data_position(inputs->data_position);
    const int32_t delta = request->delta_bp() == 0 ? kDefaultSensitivityDeltaBp
                                                   : request->delta_bp();
    const planning::SolveOptions options =
        SolveOptionsOf(request->limits(), context);
    for (size_t c = 0; c < base.criterion_ids.size(); ++c) {
      for (int32_t signed_delta : {delta, -delta}) {
        absl::StatusOr<std::vector<int32_t>> weights = planning::ShiftWeight(
            base.weights_bp, static_cast<int>(c), signed_delta);
        if (!weights.ok()) continue;  // e.g. scorecard weights not 10000
        planning::Problem variant = base.problem;
        for (size_t i = 0; i < variant.candidates.size(); ++i) {
          const std::vector<int32_t>& consensus = base.consensus_bp[i];
          if (std::all_of(consensus.begin(), consensus.end(),
                          [](int32_t v) { return v < 0; })) {
            continue;  // no per-criterion scores: keep the locked score
          }
          std::vector<int32_t> known(consensus.size());
          for (size_t k = 0; k < consensus.size(); ++k) {
            known[k] = std::max(0, consensus[k]);
          }
          variant.candidates[i].value =
              planning::WeightedScore(*weights, known);
        }
        absl::StatusOr<planning::Solution> solution =
            planning::Solve(variant, options);
        if (!solution.ok()) {
          reactor->Finish(ToGrpcStatus(solution.status()));
          return;
        }
        gavel::v1::WeightVariant* out = reply->add_variants();
        out->set_criterion_id(base.criterion_ids[c]);
        out->set_delta_bp(signed_delta);
        for (int32_t w : *weights) out->add_weights_bp(w);
        std::vector<std::string> order;
        std::set<std::string> selected;
        for (int index : planning::RankOrder(variant, solution->selected)) {
          order.push_back(variant.candidates[index].id);
          if (solution->selected[index]) {
            selected.insert(variant.candidates[index].id);
          }
        }
        out->set_kendall_tau(planning::KendallTau(reference, order));
        for (const std::string& id : selected) {
          if (!reference_selected.count(id)) out->add_entered(id);
        }
        for (const std::string& id : reference_selected) {
          if (!selected.count(id)) out->add_left(id);
        }
        out->set_objective_value(solution->objective);
      }
    }
    reactor->Finish(grpc::Status::OK);
  };
  Enqueue(std::move(job), reactor);
  return reactor;
}

}  // namespace gavel::services
