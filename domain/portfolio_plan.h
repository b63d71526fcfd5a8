// PortfolioPlan: a scenario of the portfolio (budget per period, capacity
// per pool and period, mutually exclusive alternatives, candidates), the
// initiatives forced in or out of it, the selection a solver found for it,
// and its publication as the plan of record of its horizon. Stream: one
// per plan_id ("plan-<id>"). Decide/Evolve contracts follow
// domain/decider.h.
//
// The solver itself is not here (domain/ has no solver dependency, see
// planning/): the server solves outside the writer and records the result
// with RecordScenarioOptimization, so replay reads ScenarioOptimized back
// and never solves again.
//
// Rules:
//  - created once; the budget has at least one period, each a valid date,
//    no period twice, amounts >= 0; capacity limits likewise per pool;
//    exclusive groups have >= 2 distinct members; candidate ids distinct;
//  - a forced initiative is one of the candidates when the scenario lists
//    them; forcing needs a reason;
//  - an optimization is recorded only if it honours every forced choice and
//    selects at most one initiative of each exclusive group;
//  - a plan is published only from an optimization made after the last
//    change of the scenario (PLAN_NOT_OPTIMIZED otherwise), by the chair of
//    the adopting board (or the chair's active delegate), and only if it
//    stays within every budget and capacity limit, or names the board's
//    override_reason (the overridden constraints are recorded);
//  - one plan of record per horizon: the last plan published for the
//    horizon, in log order (the portfolio projection keeps it).
#ifndef GAVEL_DOMAIN_PORTFOLIO_PLAN_H_
#define GAVEL_DOMAIN_PORTFOLIO_PLAN_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/context.h"
#include "gavel/v1/commands.pb.h"
#include "gavel/v1/events.pb.h"

namespace gavel::domain {

// Events of one portfolio plan stream, in append order.
using PortfolioPlanEvents = std::vector<gavel::v1::PortfolioPlanEvent>;

struct PortfolioPlanState {
  uint64_t version = 0;
  gavel::v1::ScenarioCreated scenario;
  // Forced choices in force: initiative id -> FORCE_IN / FORCE_OUT.
  std::map<std::string, gavel::v1::ForceDirection> forced;
  // Version at which the scenario last changed (creation or a force).
  uint64_t changed_at_version = 0;
  // The latest optimization and the version it was recorded at.
  std::optional<gavel::v1::ScenarioOptimized> optimized;
  uint64_t optimized_at_version = 0;
  // Every publication, in order.
  std::vector<gavel::v1::PlanPublished> published;

  // True when the latest optimization postdates every scenario change.
  bool OptimizationCurrent() const {
    return optimized.has_value() && optimized_at_version > changed_at_version;
  }
};

// CreateScenario -> [ScenarioCreated] (budget and each pool's limits sorted
// ascending).
// Needs: ctx.framework when framework_id is set.
// Rejects: MISSING_FIELD (plan_id, name, budget, exclusive_groups[i].
// group_id, capacity[i].pool_id), INVALID_ENUM (horizon), INVALID_MONEY
// (currency), INVALID_DATE / VALUE_OUT_OF_RANGE / DUPLICATE_ENTRY (budget[i],
// capacity[i].limits[j], exclusive_groups[i].initiative_ids, candidate_ids,
// capacity[i].pool_id), AGGREGATE_ALREADY_EXISTS, FRAMEWORK_NOT_FOUND,
// FRAMEWORK_VERSION_NOT_FOUND (framework_version above the active one).
absl::StatusOr<PortfolioPlanEvents> Decide(const PortfolioPlanState& state,
                                           const gavel::v1::CreateScenario& cmd,
                                           const Context& ctx);

// ForceInitiative -> [InitiativeForced].
// Needs: ctx.other_initiative = the initiative named, when it exists.
// Rejects: MISSING_FIELD (initiative_id), INVALID_ENUM (direction),
// REASON_REQUIRED, AGGREGATE_NOT_FOUND, INITIATIVE_NOT_FOUND,
// NOT_A_CANDIDATE, INITIATIVE_TERMINAL (forcing a terminal one in).
absl::StatusOr<PortfolioPlanEvents> Decide(
    const PortfolioPlanState& state, const gavel::v1::ForceInitiative& cmd,
    const Context& ctx);

// RecordScenarioOptimization -> [ScenarioOptimized] (run = previous + 1,
// optimized_by = ctx.actor, optimized_at = ctx.now).
// Rejects: MISSING_FIELD (result.ranking), VALUE_OUT_OF_RANGE
// (result.cut_line), DUPLICATE_ENTRY (result.ranking[i].initiative_id),
// AGGREGATE_NOT_FOUND, PLAN_RESULT_INVALID (a forced choice not honoured,
// two of an exclusive group selected, selected entries after the cut line).
absl::StatusOr<PortfolioPlanEvents> Decide(
    const PortfolioPlanState& state,
    const gavel::v1::RecordScenarioOptimization& cmd, const Context& ctx);

// PublishPlan -> [PlanPublished] (the current optimization's ranking).
// Needs: ctx.board = the board of decision.board_id.
// Rejects: MISSING_FIELD (decision.board_id), AGGREGATE_NOT_FOUND,
// BOARD_NOT_FOUND, NOT_THE_CHAIR, PLAN_NOT_OPTIMIZED,
// PLAN_EXCEEDS_CONSTRAINTS (a limit exceeded and no override_reason).
absl::StatusOr<PortfolioPlanEvents> Decide(const PortfolioPlanState& state,
                                           const gavel::v1::PublishPlan& cmd,
                                           const Context& ctx);

PortfolioPlanState Evolve(PortfolioPlanState state,
                          const gavel::v1::PortfolioPlanEvent& event);

bool operator==(const PortfolioPlanState& a, const PortfolioPlanState& b);
inline bool operator!=(const PortfolioPlanState& a,
                       const PortfolioPlanState& b) {
  return !(a == b);
}

}  // namespace gavel::domain

#endif  // GAVEL_DOMAIN_PORTFOLIO_PLAN_H_
