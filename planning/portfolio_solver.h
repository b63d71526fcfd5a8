// Portfolio selection as a mixed-integer program, solved with COIN-OR CBC
// (coinor-libcbc-dev, EPL): choose x_i in {0, 1} for every candidate to
//
//   maximize   sum_i value_i x_i
//   subject to sum_i use_{i,r} x_i <= limit_r   every limit row r (budget
//                                               per period, capacity per
//                                               pool and period)
//              x_a <= x_b                       a depends on b
//              sum_{i in G} x_i <= 1            every exclusive group G
//              x_i = 1 / x_i = 0                forced in / forced out
//
// This module is pure computation: it reads no log and writes no event.
// The server records what it returns as a ScenarioOptimized event, so
// replay never solves again (domain/portfolio_plan.h).
//
// Determinism: CBC runs single-threaded with its default seed, so the same
// problem gives the same answer whenever the search finishes within the
// time limit (the limit is a safety net; a run it cuts short reports
// optimal = false and its gap).
//
// Thread-safe: solves are serialized on one process-wide mutex (CBC's
// driver keeps global state).
#ifndef GAVEL_PLANNING_PORTFOLIO_SOLVER_H_
#define GAVEL_PLANNING_PORTFOLIO_SOLVER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace gavel::planning {

enum class Force { kNone, kIn, kOut };

// A budget or capacity limit. `id` names it in answers and conflicts
// ("budget:2026-01-01", "capacity:DEV:2026-01-01"); `pool_id` is empty for
// budget rows.
struct LimitRow {
  std::string id;
  std::string pool_id;
  int64_t limit = 0;
};

struct Candidate {
  std::string id;
  int64_t value = 0;  // >= 0
  // (index into Problem::rows, amount >= 0); a row at most once.
  std::vector<std::pair<int, int64_t>> uses;
  // Ids of other candidates this one needs.
  std::vector<std::string> depends_on;
  Force force = Force::kNone;
};

struct ExclusiveGroup {
  std::string id;
  std::vector<std::string> members;  // Candidate ids (others are ignored).
};

struct Problem {
  std::vector<LimitRow> rows;
  std::vector<Candidate> candidates;
  std::vector<ExclusiveGroup> groups;
};

struct SolveOptions {
  absl::Duration time_limit = absl::Seconds(10);
  // Stop once (bound - objective) / objective is at most this.
  double relative_gap = 1e-4;
  // Asked before each solve (the points of a frontier, the marginal values,
  // the solves of a conflict search are each one): when it returns true,
  // the work ends with CANCELLED instead (its caller went away). None: the
  // work runs to its end.
  std::function<bool()> cancelled;
};

struct Solution {
  std::vector<bool> selected;  // Per candidate.
  int64_t objective = 0;
  int64_t best_bound = 0;      // >= objective.
  double gap = 0;              // (best_bound - objective) / max(1, objective).
  bool optimal = false;        // Proven within options.relative_gap.
  std::vector<int64_t> usage;  // Per row.
  absl::Duration solve_time;
};

// Solves `problem`. INVALID_ARGUMENT for a row index out of range or a
// negative value, use or limit; FAILED_PRECONDITION with reason
// PLAN_INFEASIBLE when the constraints cannot all hold (the message ends
// with "conflicting constraints: " and a minimal conflicting set of ids:
// row ids, "dependency:<a>-><b>", "exclusive:<group>", "forced_in:<id>",
// "forced_out:<id>"); DEADLINE_EXCEEDED when no feasible selection was
// found within the time limit.
absl::StatusOr<Solution> Solve(const Problem& problem,
                               const SolveOptions& options);

// The candidate indexes in plan rank order: selected first, each part by
// value (higher first) then id. `selected` has one entry per candidate.
std::vector<int> RankOrder(const Problem& problem,
                           const std::vector<bool>& selected);

// One point of the efficient frontier: every budget row scaled by
// `budget_factor`.
struct FrontierPoint {
  double budget_factor = 0;
  int64_t total_budget = 0;  // Sum of the scaled budget rows.
  bool feasible = false;     // False when the forced choices do not fit.
  int64_t objective = 0;
  double gap = 0;
  int selected_count = 0;
};

// The best objective for each factor (each > 0), in the order given.
// Errors as Solve's, except PLAN_INFEASIBLE, which marks the point.
absl::StatusOr<std::vector<FrontierPoint>> Frontier(
    const Problem& problem, const std::vector<double>& budget_factors,
    const SolveOptions& options);

// What one more unit of a capacity pool in every period it limits would
// add to the objective (the MIP solved again), for each pool with a row.
struct PoolMarginalValue {
  std::string pool_id;
  bool binding = false;  // Some row of the pool has no slack in `base`.
  int64_t objective_with_one_more = 0;
  int64_t marginal_value = 0;  // objective_with_one_more - base objective.
};
absl::StatusOr<std::vector<PoolMarginalValue>> PoolMarginalValues(
    const Problem& problem, const Solution& base, const SolveOptions& options);

}  // namespace gavel::planning

#endif  // GAVEL_PLANNING_PORTFOLIO_SOLVER_H_
