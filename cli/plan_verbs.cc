#include "cli/plan_verbs.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "cli/cli_commands.h"
#include "cli/command_verbs.h"
#include "cli/output.h"
#include "gavel/v1/portfolio_plan_service.grpc.pb.h"

namespace gavel::cli {
namespace {

constexpr char kPlanService[] = "gavel.v1.PortfolioPlanService";

// Sets plan_id from the positional word and the rest from field=value.
absl::Status FillPlanRequest(absl::Span<const std::string> args,
                             google::protobuf::Message& request) {
  for (const std::string& arg : args) {
    const size_t eq = arg.find('=');
    absl::Status status =
        eq == std::string::npos
            ? SetField(request, "plan_id", arg)
            : SetField(request, arg.substr(0, eq), arg.substr(eq + 1));
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

std::string Minor(int64_t minor_units, const std::string& currency) {
  gavel::v1::Money money;
  money.set_minor_units(minor_units);
  money.set_currency(currency);
  return MoneyText(money);
}

std::string ForcedText(gavel::v1::ForceDirection d) {
  switch (d) {
    case gavel::v1::FORCE_IN:
      return "in";
    case gavel::v1::FORCE_OUT:
      return "out";
    default:
      return "";
  }
}

// The ranking with the cut line drawn after the last funded entry.
void PrintRanking(
    const google::protobuf::RepeatedPtrField<gavel::v1::PlanEntry>& ranking,
    int cut_line, const std::string& currency) {
  std::printf("%-5s %-24s %8s %18s %s\n", "RANK", "ID", "SCORE", "COST",
              "FORCED");
  for (int k = 0; k < ranking.size(); ++k) {
    if (k == cut_line) {
      std::printf("----- cut line: %d funded above, %d below -----\n", cut_line,
                  ranking.size() - cut_line);
    }
    const gavel::v1::PlanEntry& e = ranking[k];
    std::printf("%-5d %-24s %8.2f %18s %s\n", k + 1, e.initiative_id().c_str(),
                e.value() / 100.0,
                Minor(e.cost_minor_units(), currency).c_str(),
                ForcedText(e.forced()).c_str());
  }
  if (cut_line == ranking.size()) {
    std::printf("----- cut line: all %d funded -----\n", cut_line);
  }
}

// The efficient frontier as a bar chart: one row per budget point.
void PrintFrontier(const gavel::v1::GetFrontierReply& reply) {
  constexpr int kWidth = 40;
  int64_t best = 1;
  for (const gavel::v1::FrontierPoint& p : reply.points()) {
    best = std::max(best, p.objective_value());
  }
  std::printf("efficient frontier (value of the best portfolio per budget):\n");
  int64_t previous = -1;
  for (const gavel::v1::FrontierPoint& p : reply.points()) {
    const int bar = p.feasible()
                        ? static_cast<int>(p.objective_value() * kWidth / best)
                        : 0;
    std::string note;
    if (!p.feasible()) {
      note = "infeasible (forced choices do not fit)";
    } else {
      note = absl::StrFormat("%.2f  %d funded", p.objective_value() / 100.0,
                             p.selected());
      if (p.objective_value() == previous) note += "  (flat)";
      previous = p.objective_value();
    }
    std::printf("  %4u%% %18s |%s%s| %s\n", p.budget_factor_bp() / 100,
                Minor(p.total_budget_minor_units(), reply.currency()).c_str(),
                std::string(bar, '#').c_str(),
                std::string(kWidth - bar, ' ').c_str(), note.c_str());
  }
  for (const gavel::v1::PoolMarginalValue& pool : reply.pools()) {
    std::printf("  one more unit of %s per period: %+.2f%s\n",
                pool.pool_id().c_str(), pool.marginal_value() / 100.0,
                pool.binding() ? " (binding)" : "");
  }
}

// Sets `request`'s min_position from --min_position, connects and calls
// `method`: 0 with `reply` filled, else the exit code (the error printed).
template <typename Request>
int SendPlanRequest(const CliOptions& options, absl::string_view method,
                    Request& request, google::protobuf::Message& reply) {
  if (options.query.min_position > 0) {
    request.set_min_position(options.query.min_position);
  }
  absl::StatusOr<std::unique_ptr<Connection>> connection =
      Connection::Create(options.connection);
  if (!connection.ok()) return FailLocal(connection.status(), 2);
  return CallPlan(**connection, method, request, reply);
}

}  // namespace

int CallPlan(const Connection& server, absl::string_view method,
             const google::protobuf::Message& request,
             google::protobuf::Message& reply) {
  const UnaryReply call =
      server.CallUnary(absl::StrCat("/", kPlanService, "/", method),
                       request.SerializeAsString());
  if (!call.status.ok()) return FailRpc(call.status, server.address());
  if (!reply.ParseFromString(call.bytes)) {
    return FailLocal(absl::DataLossError("the reply does not parse"), 1);
  }
  return 0;
}

int PlanOptimize(const CliOptions& options,
                 absl::Span<const std::string> args) {
  gavel::v1::OptimizeScenarioRequest request;
  if (absl::Status s = FillPlanRequest(args, request); !s.ok()) {
    return FailLocal(s, 2);
  }
  const std::string command_id = CommandIdOrRandom(options.command.command_id);
  request.mutable_options()->set_command_id(command_id);
  gavel::v1::OptimizeScenarioReply reply;
  if (int rc = SendPlanRequest(options, "OptimizeScenario", request, reply);
      rc != 0) {
    return rc;
  }
  if (options.json) {
    PrintJson(reply);
    return 0;
  }
  const gavel::v1::ScenarioOptimized& o = reply.optimization();
  std::printf("OK %s version %llu, position %llu: ScenarioOptimized run %d\n",
              reply.command().stream_id().c_str(),
              static_cast<unsigned long long>(reply.command().version()),
              static_cast<unsigned long long>(reply.command().last_position()),
              o.run());
  std::printf(
      "objective %.2f (bound %.2f, gap %.2f%%, %s), %d of %d funded, solved "
      "in %u ms\n",
      o.objective_value() / 100.0, o.best_bound() / 100.0, o.gap_bp() / 100.0,
      o.optimal() ? "optimal" : "time limit reached", o.cut_line(),
      o.ranking_size(), reply.solve_ms());
  for (const gavel::v1::PlanConstraint& c : o.constraints()) {
    if (c.binding()) {
      std::printf("binding: %s (%lld of %lld)\n", c.constraint_id().c_str(),
                  static_cast<long long>(c.used()),
                  static_cast<long long>(c.limit()));
    }
  }
  for (const std::string& why : o.skipped()) {
    std::printf("skipped: %s\n", why.c_str());
  }
  std::fprintf(stderr, "command_id %s\n", command_id.c_str());
  return 0;
}

int PlanFrontier(const CliOptions& options,
                 absl::Span<const std::string> args) {
  gavel::v1::GetFrontierRequest request;
  if (absl::Status s = FillPlanRequest(args, request); !s.ok()) {
    return FailLocal(s, 2);
  }
  gavel::v1::GetFrontierReply reply;
  if (int rc = SendPlanRequest(options, "GetFrontier", request, reply);
      rc != 0) {
    return rc;
  }
  if (options.json) {
    PrintJson(reply);
  } else {
    PrintFrontier(reply);
  }
  return 0;
}

int PlanSensitivity(const CliOptions& options,
                    absl::Span<const std::string> args) {
  gavel::v1::GetSensitivityRequest request;
  if (absl::Status s = FillPlanRequest(args, request); !s.ok()) {
    return FailLocal(s, 2);
  }
  gavel::v1::GetSensitivityReply reply;
  if (int rc = SendPlanRequest(options, "GetSensitivity", request, reply);
      rc != 0) {
    return rc;
  }
  if (options.json) {
    PrintJson(reply);
    return 0;
  }
  std::vector<std::string> base;
  for (int k = 0; k < reply.criterion_ids_size(); ++k) {
    base.push_back(absl::StrCat(reply.criterion_ids(k), "=",
                                reply.base_weights_bp(k) / 100.0, "%"));
  }
  std::printf("compared with the %s; weights %s\n", reply.reference().c_str(),
              absl::StrJoin(base, " ").c_str());
  std::printf("%-20s %6s %8s  %s\n", "CRITERION", "SHIFT", "TAU",
              "CROSSING THE CUT LINE");
  for (const gavel::v1::WeightVariant& v : reply.variants()) {
    std::string crossing;
    for (const std::string& id : v.entered())
      absl::StrAppend(&crossing, "+", id, " ");
    for (const std::string& id : v.left())
      absl::StrAppend(&crossing, "-", id, " ");
    std::printf("%-20s %+5dpp %8.3f  %s\n", v.criterion_id().c_str(),
                v.delta_bp() / 100, v.kendall_tau(),
                crossing.empty() ? "none" : crossing.c_str());
  }
  return 0;
}

int PlanShow(const CliOptions& options, absl::Span<const std::string> args) {
  gavel::v1::GetPlanRequest request;
  if (absl::Status s = FillPlanRequest(args, request); !s.ok()) {
    return FailLocal(s, 2);
  }
  absl::StatusOr<std::unique_ptr<Connection>> connection =
      Connection::Create(options.connection);
  if (!connection.ok()) return FailLocal(connection.status(), 2);
  const Connection& server = **connection;
  gavel::v1::GetPlanReply plan;
  if (int rc = CallPlan(server, "GetPlan", request, plan); rc != 0) return rc;
  gavel::v1::GetFrontierRequest frontier_request;
  frontier_request.set_plan_id(request.plan_id());
  if (options.query.min_position > 0) {
    frontier_request.set_min_position(options.query.min_position);
  }
  // Without a frontier (e.g. nothing to optimize yet) the plan still shows.
  gavel::v1::GetFrontierReply frontier;
  const UnaryReply frontier_call =
      server.CallUnary(absl::StrCat("/", kPlanService, "/GetFrontier"),
                       frontier_request.SerializeAsString());
  const grpc::Status& frontier_status = frontier_call.status;
  const bool have_frontier =
      frontier_status.ok() && frontier.ParseFromString(frontier_call.bytes);
  if (options.json) {
    PrintJson(plan);
    if (have_frontier) PrintJson(frontier);
    return 0;
  }
  const gavel::v1::ScenarioCreated& s = plan.scenario();
  int64_t total_budget = 0;
  for (const gavel::v1::PeriodAmount& b : s.budget())
    total_budget += b.amount();
  std::string horizon = gavel::v1::Horizon_Name(s.horizon());
  if (absl::StartsWith(horizon, "HORIZON_")) horizon = horizon.substr(8);
  std::printf("plan %s \"%s\" (%s), version %llu\n", s.plan_id().c_str(),
              s.name().c_str(), horizon.c_str(),
              static_cast<unsigned long long>(plan.version()));
  std::printf(
      "budget %s over %d periods, %d capacity pools, %d exclusive "
      "groups, %s\n",
      Minor(total_budget, s.currency()).c_str(), s.budget_size(),
      s.capacity_size(), s.exclusive_groups_size(),
      s.candidate_ids().empty()
          ? "every scored initiative a candidate"
          : absl::StrCat(s.candidate_ids_size(), " candidates").c_str());
  for (const gavel::v1::ForcedChoice& f : plan.forced()) {
    std::printf("forced %s: %s\n", ForcedText(f.direction()).c_str(),
                f.initiative_id().c_str());
  }
  if (!plan.has_optimization()) {
    std::printf("not optimized yet (gavel plan optimize %s)\n",
                s.plan_id().c_str());
  } else {
    const gavel::v1::ScenarioOptimized& o = plan.optimization();
    std::printf(
        "optimization run %d%s: objective %.2f, gap %.2f%%, %d of %d "
        "funded\n",
        o.run(), plan.optimization_current() ? "" : " (stale)",
        o.objective_value() / 100.0, o.gap_bp() / 100.0, o.cut_line(),
        o.ranking_size());
    for (const gavel::v1::PlanPublished& p : plan.published()) {
      std::printf(
          "published run %d by %s (board %s)%s\n", p.run(),
          p.published_by().c_str(), p.decision().board_id().c_str(),
          p.override_reason().empty()
              ? ""
              : absl::StrCat(", overriding ",
                             absl::StrJoin(p.overridden_constraints(), ", "),
                             ": ", p.override_reason())
                    .c_str());
    }
    PrintRanking(o.ranking(), o.cut_line(), s.currency());
  }
  if (have_frontier) {
    PrintFrontier(frontier);
  } else if (!frontier_status.ok()) {
    std::printf("frontier unavailable: %s\n",
                frontier_status.error_message().c_str());
  }
  return 0;
}

}  // namespace gavel::cli
