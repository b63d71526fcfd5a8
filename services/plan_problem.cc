#include "services/plan_problem.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "domain/calendar.h"
#include "domain/reasons.h"
#include "domain/rejection.h"
#include "projections/portfolio_state.h"

namespace gavel::services {
namespace {

planning::Force ForceOf(gavel::v1::ForceDirection d) {
  switch (d) {
    case gavel::v1::FORCE_IN:
      return planning::Force::kIn;
    case gavel::v1::FORCE_OUT:
      return planning::Force::kOut;
    default:
      return planning::Force::kNone;
  }
}

gavel::v1::ForceDirection DirectionOf(planning::Force f) {
  switch (f) {
    case planning::Force::kIn:
      return gavel::v1::FORCE_IN;
    case planning::Force::kOut:
      return gavel::v1::FORCE_OUT;
    case planning::Force::kNone:
      break;
  }
  return gavel::v1::FORCE_DIRECTION_UNSPECIFIED;
}

// Index of the budget period containing `date` (see the header).
int BudgetRowOf(const gavel::v1::ScenarioCreated& scenario,
                const gavel::v1::Date& date) {
  int row = 0;
  for (int k = 0; k < scenario.budget_size(); ++k) {
    if (domain::CompareDates(scenario.budget(k).period_start(), date) <= 0) {
      row = k;
    }
  }
  return row;
}

}  // namespace

std::string DateId(const gavel::v1::Date& date) {
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(),
                         date.day());
}

absl::StatusOr<PlanProblem> BuildPlanProblem(
    const domain::PortfolioPlanState& plan,
    const gavel::v1::PortfolioModel& portfolio) {
  const gavel::v1::ScenarioCreated& scenario = plan.scenario;
  PlanProblem out;
  planning::Problem& p = out.problem;
  for (const gavel::v1::PeriodAmount& budget : scenario.budget()) {
    p.rows.push_back({absl::StrCat("budget:", DateId(budget.period_start())),
                      "", budget.amount()});
  }
  // (pool, period) -> row
  std::map<std::pair<std::string, std::string>, int> capacity_rows;
  for (const gavel::v1::CapacityLimit& limit : scenario.capacity()) {
    for (const gavel::v1::PeriodAmount& amount : limit.limits()) {
      const std::string period = DateId(amount.period_start());
      capacity_rows[{limit.pool_id(), period}] =
          static_cast<int>(p.rows.size());
      p.rows.push_back({absl::StrCat("capacity:", limit.pool_id(), ":", period),
                        limit.pool_id(), amount.amount()});
    }
  }

  std::map<std::string, const gavel::v1::InitiativeSummary*> by_id;
  for (const gavel::v1::InitiativeSummary& i : portfolio.initiatives()) {
    by_id.emplace(i.initiative_id(), &i);
  }
  std::vector<const gavel::v1::InitiativeSummary*> considered;
  if (scenario.candidate_ids().empty()) {
    for (const gavel::v1::InitiativeSummary& i : portfolio.initiatives()) {
      if (!projections::IsTerminalStatus(i.status())) considered.push_back(&i);
    }
  } else {
    for (const std::string& id : scenario.candidate_ids()) {
      auto it = by_id.find(id);
      if (it == by_id.end()) {
        out.skipped.push_back(absl::StrCat(id, ": not in the portfolio"));
      } else {
        considered.push_back(it->second);
      }
    }
  }
  std::vector<const gavel::v1::InitiativeSummary*> eligible;
  for (const gavel::v1::InitiativeSummary* i : considered) {
    const gavel::v1::Money& cost =
        i->has_forecast_cost() ? i->forecast_cost() : i->cost_estimate();
    std::string why;
    if (projections::IsTerminalStatus(i->status())) {
      why = "killed, withdrawn or closed";
    } else if (!i->scored()) {
      why = "no locked scorecard";
    } else if (!scenario.framework_id().empty() &&
               (i->framework_id() != scenario.framework_id() ||
                (scenario.framework_version() > 0 &&
                 i->framework_version() != scenario.framework_version()))) {
      why = absl::StrCat("scored under ", i->framework_id(), " v",
                         i->framework_version());
    } else if (cost.currency() != scenario.currency()) {
      why = absl::StrCat("costs in ", cost.currency());
    }
    if (!why.empty()) {
      out.skipped.push_back(absl::StrCat(i->initiative_id(), ": ", why));
    } else {
      eligible.push_back(i);
    }
  }
  // Dependencies on initiatives outside the candidates: satisfied when
  // funded or closed, else the dependent is skipped (repeated until no
  // more drop out, as a skip can strand another dependent).
  for (bool changed = true; changed;) {
    changed = false;
    std::set<std::string> ids;
    for (const auto* i : eligible) ids.insert(i->initiative_id());
    for (auto it = eligible.begin(); it != eligible.end(); ++it) {
      std::string blocked;
      for (const gavel::v1::DependencySummary& d : (*it)->open_dependencies()) {
        const std::string& to = d.depends_on_initiative_id();
        if (ids.count(to)) continue;
        auto target = by_id.find(to);
        if (target != by_id.end() &&
            (target->second->capacity_reserved() ||
             target->second->status() == gavel::v1::INITIATIVE_STATUS_CLOSED)) {
          continue;
        }
        blocked = to;
        break;
      }
      if (!blocked.empty()) {
        out.skipped.push_back(absl::StrCat((*it)->initiative_id(),
                                           ": depends on ", blocked,
                                           ", which is not in the plan"));
        eligible.erase(it);
        changed = true;
        break;
      }
    }
  }
  if (eligible.empty()) {
    std::vector<std::string> first(
        out.skipped.begin(),
        out.skipped.begin() + std::min<size_t>(5, out.skipped.size()));
    return domain::Reject(
        domain::kNoCandidates, "",
        absl::StrCat("no initiative can be planned", first.empty() ? "" : ": ",
                     absl::StrJoin(first, "; ")));
  }

  for (const gavel::v1::InitiativeSummary* i : eligible) {
    if (out.criterion_ids.empty() && !i->criteria().empty()) {
      for (const gavel::v1::CriterionResult& c : i->criteria()) {
        out.criterion_ids.push_back(c.criterion_id());
        out.weights_bp.push_back(c.weight_bp());
      }
    }
  }
  for (const gavel::v1::InitiativeSummary* i : eligible) {
    planning::Candidate c;
    c.id = i->initiative_id();
    c.value = std::max(0, i->weighted_score_bp());
    auto forced = plan.forced.find(c.id);
    if (forced != plan.forced.end()) c.force = ForceOf(forced->second);
    for (const gavel::v1::DependencySummary& d : i->open_dependencies()) {
      c.depends_on.push_back(d.depends_on_initiative_id());
    }
    std::map<int, int64_t> uses;
    std::set<std::string> periods;
    std::vector<gavel::v1::Date> period_dates;
    for (const gavel::v1::CapacityDemand& demand : i->capacity_demand()) {
      for (const gavel::v1::PeriodAmount& amount : demand.amounts()) {
        const std::string period = DateId(amount.period_start());
        if (periods.insert(period).second) {
          period_dates.push_back(amount.period_start());
        }
        auto row = capacity_rows.find({demand.pool_id(), period});
        if (row != capacity_rows.end()) uses[row->second] += amount.amount();
      }
    }
    const gavel::v1::Money& cost_money =
        i->has_forecast_cost() ? i->forecast_cost() : i->cost_estimate();
    const int64_t cost = std::max<int64_t>(0, cost_money.minor_units());
    out.cost.push_back(cost);
    if (period_dates.empty()) {
      uses[0] += cost;
    } else {
      std::sort(period_dates.begin(), period_dates.end(),
                [](const gavel::v1::Date& a, const gavel::v1::Date& b) {
                  return domain::CompareDates(a, b) < 0;
                });
      const int64_t k = static_cast<int64_t>(period_dates.size());
      for (int64_t j = 0; j < k; ++j) {
        const int64_t share = cost / k + (j == 0 ? cost % k : 0);
        uses[BudgetRowOf(scenario, period_dates[j])] += share;
      }
    }
    for (const auto& [row, amount] : uses) c.uses.push_back({row, amount});
    std::vector<int32_t> consensus(out.criterion_ids.size(), -1);
    for (const gavel::v1::CriterionResult& r : i->criteria()) {
      for (size_t k = 0; k < out.criterion_ids.size(); ++k) {
        if (out.criterion_ids[k] == r.criterion_id()) {
          consensus[k] = r.consensus_bp();
        }
      }
    }
    out.consensus_bp.push_back(std::move(consensus));
    p.candidates.push_back(std::move(c));
  }
  for (const gavel::v1::ExclusiveGroup& group : scenario.exclusive_groups()) {
    p.groups.push_back(
        {group.group_id(),
         {group.initiative_ids().begin(), group.initiative_ids().end()}});
  }
  return out;
}

gavel::v1::ScenarioOptimized OptimizationOf(const PlanProblem& problem,
                                            const planning::Solution& solution,
                                            uint64_t data_position) {
  gavel::v1::ScenarioOptimized result;
  const planning::Problem& p = problem.problem;
  int cut = 0;
  for (int index : planning::RankOrder(p, solution.selected)) {
    const planning::Candidate& c = p.candidates[index];
    gavel::v1::PlanEntry* entry = result.add_ranking();
    entry->set_initiative_id(c.id);
    entry->set_value(c.value);
    entry->set_selected(solution.selected[index]);
    entry->set_forced(DirectionOf(c.force));
    entry->set_cost_minor_units(problem.cost[index]);
    cut += solution.selected[index] ? 1 : 0;
  }
  result.set_cut_line(cut);
  result.set_objective_value(solution.objective);
  result.set_best_bound(solution.best_bound);
  result.set_gap_bp(static_cast<int32_t>(
      std::min(1e9, std::ceil(solution.gap * 10000 - 1e-9))));
  result.set_optimal(solution.optimal);
  for (size_t r = 0; r < p.rows.size(); ++r) {
    gavel::v1::PlanConstraint* constraint = result.add_constraints();
    constraint->set_constraint_id(p.rows[r].id);
    constraint->set_limit(p.rows[r].limit);
    constraint->set_used(solution.usage[r]);
    constraint->set_binding(solution.usage[r] >= p.rows[r].limit);
  }
  result.set_data_position(data_position);
  for (const std::string& why : problem.skipped) result.add_skipped(why);
  return result;
}

}  // namespace gavel::services
