#include "planning/portfolio_solver.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

#include "Cbc_C_Interface.h"
#include "CoinFinite.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "domain/reasons.h"
#include "domain/rejection.h"

namespace gavel::planning {
namespace {

// Most constraint groups the conflict search tests one by one; above it
// the conflict reported is the forced choices alone (not minimal).
constexpr size_t kMaxConflictGroups = 400;

absl::Mutex& SolverMutex() {
  static absl::Mutex* mu = new absl::Mutex();
  return *mu;
}

struct ModelDeleter {
  void operator()(Cbc_Model* model) const { Cbc_deleteModel(model); }
};
using ModelPtr = std::unique_ptr<Cbc_Model, ModelDeleter>;

// A constraint group that the conflict search may switch off.
struct Group {
  enum Kind { kRow, kDependency, kExclusive, kForced } kind;
  int index;  // Row, candidate (kForced) or group index.
  int other;  // kDependency: the candidate depended on.
  std::string id;
};

struct Dependency {
  int from;
  int to;
};

std::vector<Dependency> Dependencies(const Problem& problem) {
  std::map<std::string, int> index;
  for (size_t i = 0; i < problem.candidates.size(); ++i) {
    index.emplace(problem.candidates[i].id, static_cast<int>(i));
  }
  std::vector<Dependency> deps;
  for (size_t i = 0; i < problem.candidates.size(); ++i) {
    for (const std::string& to : problem.candidates[i].depends_on) {
      auto it = index.find(to);
      if (it != index.end() && it->second != static_cast<int>(i)) {
        deps.push_back({static_cast<int>(i), it->second});
      }
    }
  }
  return deps;
}

std::vector<std::vector<int>> GroupMembers(const Problem& problem) {
  std::map<std::string, int> index;
  for (size_t i = 0; i < problem.candidates.size(); ++i) {
    index.emplace(problem.candidates[i].id, static_cast<int>(i));
  }
  std::vector<std::vector<int>> members;
  for (const ExclusiveGroup& group : problem.groups) {
    std::vector<int> m;
    for (const std::string& id : group.members) {
      auto it = index.find(id);
      if (it != index.end()) m.push_back(it->second);
    }
    std::sort(m.begin(), m.end());
    m.erase(std::unique(m.begin(), m.end()), m.end());
    members.push_back(std::move(m));
  }
  return members;
}

// Which constraints are switched on; all by default.
struct Active {
  std::vector<bool> rows, deps, groups, forced;
};

struct Outcome {
  enum Kind { kSolved, kInfeasible, kNoSolution } kind = kNoSolution;
  Solution solution;
};

// Builds and solves the model with the active constraints; scales budget
// rows (empty pool_id) by `budget_factor`. Caller holds SolverMutex().
Outcome SolveLocked(const Problem& problem, const std::vector<Dependency>& deps,
                    const std::vector<std::vector<int>>& members,
                    const Active& active, double budget_factor,
                    bool zero_objective, const SolveOptions& options) {
  const int n = static_cast<int>(problem.candidates.size());
  // Rows: active limit rows, then dependencies, then groups.
  std::vector<double> row_lb, row_ub;
  std::vector<int> limit_row_of(problem.rows.size(), -1);
  for (size_t r = 0; r < problem.rows.size(); ++r) {
    if (!active.rows[r]) continue;
    limit_row_of[r] = static_cast<int>(row_ub.size());
    row_lb.push_back(-COIN_DBL_MAX);
    double limit = static_cast<double>(problem.rows[r].limit);
    if (problem.rows[r].pool_id.empty()) {
      limit = std::floor(limit * budget_factor);
    }
    row_ub.push_back(limit);
  }
  std::vector<std::vector<std::pair<int, double>>> columns(n);
  for (int i = 0; i < n; ++i) {
    for (const auto& [row, amount] : problem.candidates[i].uses) {
      if (amount != 0 && limit_row_of[row] >= 0) {
        columns[i].push_back({limit_row_of[row], static_cast<double>(amount)});
      }
    }
  }
  for (size_t d = 0; d < deps.size(); ++d) {
    if (!active.deps[d]) continue;
    const int row = static_cast<int>(row_ub.size());
    row_lb.push_back(-COIN_DBL_MAX);
    row_ub.push_back(0);
    columns[deps[d].from].push_back({row, 1.0});
    columns[deps[d].to].push_back({row, -1.0});
  }
  for (size_t g = 0; g < members.size(); ++g) {
    if (!active.groups[g] || members[g].size() < 2) continue;
    const int row = static_cast<int>(row_ub.size());
    row_lb.push_back(-COIN_DBL_MAX);
    row_ub.push_back(1);
    for (int i : members[g]) columns[i].push_back({row, 1.0});
  }
  std::vector<CoinBigIndex> starts{0};
  std::vector<int> indexes;
  std::vector<double> values, col_lb(n), col_ub(n), obj(n);
  for (int i = 0; i < n; ++i) {
    for (const auto& [row, value] : columns[i]) {
      indexes.push_back(row);
      values.push_back(value);
    }
    starts.push_back(static_cast<CoinBigIndex>(indexes.size()));
    const Force force =
        active.forced[i] ? problem.candidates[i].force : Force::kNone;
    col_lb[i] = force == Force::kIn ? 1 : 0;
    col_ub[i] = force == Force::kOut ? 0 : 1;
    obj[i] =
        zero_objective ? 0 : static_cast<double>(problem.candidates[i].value);
  }
  ModelPtr model(Cbc_newModel());
  Cbc_loadProblem(model.get(), n, static_cast<int>(row_ub.size()),
                  starts.data(), indexes.data(), values.data(), col_lb.data(),
                  col_ub.data(), obj.data(), row_lb.data(), row_ub.data());
  for (int i = 0; i < n; ++i) Cbc_setInteger(model.get(), i);
  Cbc_setObjSense(model.get(), -1);  // maximize
  Cbc_setLogLevel(model.get(), 0);
  Cbc_setParameter(model.get(), "log", "0");
  Cbc_setParameter(model.get(), "slog", "0");
  Cbc_setParameter(model.get(), "threads", "0");
  // The limit is wall-clock time, as callers and deadlines count it.
  Cbc_setParameter(model.get(), "timeMode", "elapsed");
  Cbc_setMaximumSeconds(
      model.get(), std::max(0.01, absl::ToDoubleSeconds(options.time_limit)));
  Cbc_setAllowableFractionGap(model.get(), options.relative_gap);
  const absl::Time start = absl::Now();
  Cbc_solve(model.get());
  Outcome outcome;
  outcome.solution.solve_time = absl::Now() - start;
  if (Cbc_isProvenInfeasible(model.get())) {
    outcome.kind = Outcome::kInfeasible;
    return outcome;
  }
  const double* x = Cbc_bestSolution(model.get());
  if (x == nullptr) {
    outcome.kind = Outcome::kNoSolution;
    return outcome;
  }
  Solution& s = outcome.solution;
  s.selected.resize(n);
  s.usage.assign(problem.rows.size(), 0);
  for (int i = 0; i < n; ++i) {
    s.selected[i] = x[i] > 0.5;
    if (!s.selected[i]) continue;
    s.objective += problem.candidates[i].value;
    for (const auto& [row, amount] : problem.candidates[i].uses) {
      s.usage[row] += amount;
    }
  }
  // The bound comes back in the objective's own sense; never below what
  // was found (rounding), and integral since every value is.
  double bound = std::abs(Cbc_getBestPossibleObjValue(model.get()));
  s.best_bound = std::max<int64_t>(
      s.objective, static_cast<int64_t>(std::floor(bound + 1e-6)));
  s.optimal = Cbc_isProvenOptimal(model.get()) != 0;
  s.gap = static_cast<double>(s.best_bound - s.objective) /
          static_cast<double>(std::max<int64_t>(1, s.objective));
  outcome.kind = Outcome::kSolved;
  return outcome;
}

absl::Status Validate(const Problem& problem) {
  for (const LimitRow& row : problem.rows) {
    if (row.limit < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("limit ", row.id, " is negative"));
    }
  }
  for (const Candidate& c : problem.candidates) {
    if (c.value < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("candidate ", c.id, " has a negative value"));
    }
    for (const auto& [row, amount] : c.uses) {
      if (row < 0 || row >= static_cast<int>(problem.rows.size()) ||
          amount < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("candidate ", c.id,
                         " uses a row out of range or a "
                         "negative amount"));
      }
    }
  }
  return absl::OkStatus();
}

Active AllActive(const Problem& problem, size_t deps, size_t groups) {
  Active active;
  active.rows.assign(problem.rows.size(), true);
  active.deps.assign(deps, true);
  active.groups.assign(groups, true);
  active.forced.assign(problem.candidates.size(), true);
  return active;
}

// A minimal set of constraint ids that cannot hold together (deletion
// filter: drop each group in turn and keep it dropped while the rest stays
// infeasible). Caller holds SolverMutex().
std::vector<std::string> Conflict(const Problem& problem,
                                  const std::vector<Dependency>& deps,
                                  const std::vector<std::vector<int>>& members,
                                  double budget_factor,
                                  const SolveOptions& options) {
  std::vector<Group> groups;
  // Forced choices last: every conflict involves a forced-in initiative
  // (with nothing forced in, selecting nothing is feasible), so they are
  // tested after the rest has been whittled down.
  for (size_t r = 0; r < problem.rows.size(); ++r) {
    groups.push_back({Group::kRow, static_cast<int>(r), 0, problem.rows[r].id});
  }
  for (size_t d = 0; d < deps.size(); ++d) {
    groups.push_back(
        {Group::kDependency, static_cast<int>(d), 0,
         absl::StrCat("dependency:", problem.candidates[deps[d].from].id, "->",
                      problem.candidates[deps[d].to].id)});
  }
  for (size_t g = 0; g < problem.groups.size(); ++g) {
    if (members[g].size() < 2) continue;
    groups.push_back({Group::kExclusive, static_cast<int>(g), 0,
                      absl::StrCat("exclusive:", problem.groups[g].id)});
  }
  for (size_t i = 0; i < problem.candidates.size(); ++i) {
    const Force force = problem.candidates[i].force;
    if (force == Force::kNone) continue;
    groups.push_back(
        {Group::kForced, static_cast<int>(i), 0,
         absl::StrCat(force == Force::kIn ? "forced_in:" : "forced_out:",
                      problem.candidates[i].id)});
  }
  std::vector<std::string> ids;
  if (groups.size() > kMaxConflictGroups) {
    for (const Group& g : groups) {
      if (g.kind == Group::kForced) ids.push_back(g.id);
    }
    return ids;
  }
  Active active = AllActive(problem, deps.size(), members.size());
  auto set = [&active](const Group& g, bool on) {
    switch (g.kind) {
      case Group::kRow:
        active.rows[g.index] = on;
        break;
      case Group::kDependency:
        active.deps[g.index] = on;
        break;
      case Group::kExclusive:
        active.groups[g.index] = on;
        break;
      case Group::kForced:
        active.forced[g.index] = on;
        break;
    }
  };
  for (const Group& g : groups) {
    // A caller that went away gets the conflict found so far.
    if (options.cancelled && options.cancelled()) break;
    set(g, false);
    const Outcome outcome = SolveLocked(problem, deps, members, active,
                                        budget_factor, true, options);
    if (outcome.kind != Outcome::kInfeasible) {
      set(g, true);  // needed for the conflict
      ids.push_back(g.id);
    }
  }
  return ids;
}

absl::StatusOr<Solution> SolveScaled(const Problem& problem,
                                     double budget_factor,
                                     const SolveOptions& options) {
  if (options.cancelled && options.cancelled()) {
    return absl::CancelledError("the caller went away");
  }
  if (absl::Status s = Validate(problem); !s.ok()) return s;
  const std::vector<Dependency> deps = Dependencies(problem);
  const std::vector<std::vector<int>> members = GroupMembers(problem);
  absl::MutexLock lock(&SolverMutex());
  Outcome outcome = SolveLocked(problem, deps, members,
                                AllActive(problem, deps.size(), members.size()),
                                budget_factor, false, options);
  switch (outcome.kind) {
    case Outcome::kSolved:
      return std::move(outcome.solution);
    case Outcome::kNoSolution:
      return absl::DeadlineExceededError(
          absl::StrCat("no feasible selection found within ",
                       absl::FormatDuration(options.time_limit)));
    case Outcome::kInfeasible:
      break;
  }
  const std::vector<std::string> conflict =
      Conflict(problem, deps, members, budget_factor, options);
  return domain::Reject(
      domain::kPlanInfeasible, "",
      absl::StrCat("the scenario's constraints cannot all hold; "
                   "conflicting constraints: ",
                   absl::StrJoin(conflict, ", ")));
}

}  // namespace

absl::StatusOr<Solution> Solve(const Problem& problem,
                               const SolveOptions& options) {
  return SolveScaled(problem, 1.0, options);
}

std::vector<int> RankOrder(const Problem& problem,
                           const std::vector<bool>& selected) {
  std::vector<int> order(problem.candidates.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    const bool sa = a < static_cast<int>(selected.size()) && selected[a];
    const bool sb = b < static_cast<int>(selected.size()) && selected[b];
    if (sa != sb) return sa;
    const Candidate& ca = problem.candidates[a];
    const Candidate& cb = problem.candidates[b];
    if (ca.value != cb.value) return ca.value > cb.value;
    return ca.id < cb.id;
  });
  return order;
}

absl::StatusOr<std::vector<FrontierPoint>> Frontier(
    const Problem& problem, const std::vector<double>& budget_factors,
    const SolveOptions& options) {
  std::vector<FrontierPoint> points;
  for (double factor : budget_factors) {
    if (!(factor > 0)) {
      return absl::InvalidArgumentError("budget factors must be positive");
    }
    FrontierPoint point;
    point.budget_factor = factor;
    for (const LimitRow& row : problem.rows) {
      if (row.pool_id.empty()) {
        point.total_budget +=
            static_cast<int64_t>(std::floor(row.limit * factor));
      }
    }
    absl::StatusOr<Solution> solution = SolveScaled(problem, factor, options);
    if (solution.ok()) {
      point.feasible = true;
      point.objective = solution->objective;
      point.gap = solution->gap;
      point.selected_count = static_cast<int>(std::count(
          solution->selected.begin(), solution->selected.end(), true));
    } else if (!domain::IsRejection(solution.status(),
                                    domain::kPlanInfeasible)) {
      return solution.status();
    }
    points.push_back(point);
  }
  return points;
}

absl::StatusOr<std::vector<PoolMarginalValue>> PoolMarginalValues(
    const Problem& problem, const Solution& base, const SolveOptions& options) {
  std::vector<std::string> pools;
  for (const LimitRow& row : problem.rows) {
    if (!row.pool_id.empty() &&
        std::find(pools.begin(), pools.end(), row.pool_id) == pools.end()) {
      pools.push_back(row.pool_id);
    }
  }
  std::vector<PoolMarginalValue> values;
  for (const std::string& pool : pools) {
    PoolMarginalValue value;
    value.pool_id = pool;
    Problem more = problem;
    for (size_t r = 0; r < more.rows.size(); ++r) {
      if (more.rows[r].pool_id != pool) continue;
      ++more.rows[r].limit;
      if (r < base.usage.size() && base.usage[r] >= problem.rows[r].limit) {
        value.binding = true;
      }
    }
    absl::StatusOr<Solution> solution = Solve(more, options);
    if (!solution.ok()) return solution.status();
    value.objective_with_one_more = solution->objective;
    value.marginal_value = solution->objective - base.objective;
    values.push_back(std::move(value));
  }
  return values;
}

}  // namespace gavel::planning
