// How a portfolio scenario becomes a solver problem (planning/) and how the
// solver's answer becomes the ScenarioOptimized the writer records. Pure
// functions of the plan's state and the portfolio read model, so the
// server, the tests and the benchmark build the same problem.
//
// Candidates: the scenario's candidate_ids (every initiative when empty)
// that are in the portfolio, not killed, withdrawn or closed, have a
// locked scorecard (under the scenario's framework and version, when set)
// and cost in the scenario's currency. Each one left out is listed in
// `skipped` with why.
//
// Value: the locked weighted score in bp.
// Cost: the latest forecast cost at completion, else the estimate, spread
// evenly over the periods in which the initiative demands capacity (the
// remainder on the first), or all in the scenario's first budget period
// when it demands none; each such period counts against the budget period
// that contains it (the last budget period starting on or before it; the
// first budget period for earlier dates). Rows "budget:<YYYY-MM-DD>".
// Capacity: demand counts against the scenario's limit for the same pool
// and period start; demand where the scenario sets no limit is not
// constrained. Rows "capacity:<pool>:<YYYY-MM-DD>".
// Dependencies: on another candidate, a constraint; on an initiative
// already funded (capacity reserved) or closed, satisfied; otherwise the
// dependent initiative is skipped.
// Exclusive groups and forced choices: as the scenario states them.
#ifndef GAVEL_SERVICES_PLAN_PROBLEM_H_
#define GAVEL_SERVICES_PLAN_PROBLEM_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/portfolio_plan.h"
#include "gavel/v1/read_models.pb.h"
#include "planning/portfolio_solver.h"

namespace gavel::services {

struct PlanProblem {
  planning::Problem problem;
  std::vector<std::string> skipped;
  std::vector<int64_t> cost;  // Per candidate, minor units.
  // Criteria of the candidates' scorecards (the first scored candidate's
  // order) with their weights, and each candidate's consensus per
  // criterion (-1 when its scorecard has no such criterion).
  std::vector<std::string> criterion_ids;
  std::vector<int32_t> weights_bp;
  std::vector<std::vector<int32_t>> consensus_bp;
};

// FAILED_PRECONDITION (NO_CANDIDATES) when no initiative can be planned,
// naming why the first few were skipped.
absl::StatusOr<PlanProblem> BuildPlanProblem(
    const domain::PortfolioPlanState& plan,
    const gavel::v1::PortfolioModel& portfolio);

// The ScenarioOptimized to record for `solution` of `problem` (run,
// optimized_by and optimized_at are the decider's).
gavel::v1::ScenarioOptimized OptimizationOf(const PlanProblem& problem,
                                            const planning::Solution& solution,
                                            uint64_t data_position);

// "YYYY-MM-DD".
std::string DateId(const gavel::v1::Date& date);

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_PLAN_PROBLEM_H_
