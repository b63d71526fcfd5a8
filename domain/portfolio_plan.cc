#include "domain/portfolio_plan.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "domain/board.h"
#include "domain/calendar.h"
#include "domain/decider.h"
#include "domain/proto_equality.h"
#include "domain/rejection.h"
#include "domain/validation.h"

namespace gavel::domain {
namespace {

using Amounts = google::protobuf::RepeatedPtrField<gavel::v1::PeriodAmount>;

constexpr absl::string_view kNoSuchPlan = "no such plan";

// Dates valid, distinct, amounts >= 0; returns them sorted ascending.
absl::StatusOr<Amounts> ValidatePeriods(const Amounts& amounts,
                                        absl::string_view list) {
  for (int i = 0; i < amounts.size(); ++i) {
    const std::string start = FieldPath(list, i, "period_start");
    if (absl::Status s = ValidateDate(amounts[i].period_start(), start);
        !s.ok()) {
      return s;
    }
    if (amounts[i].amount() < 0) {
      return Reject(kValueOutOfRange, FieldPath(list, i, "amount"),
                    "a limit must not be negative");
    }
    for (int j = 0; j < i; ++j) {
      if (CompareDates(amounts[j].period_start(), amounts[i].period_start()) ==
          0) {
        return Reject(kDuplicateEntry, start, "the period is given twice");
      }
    }
  }
  Amounts sorted = amounts;
  std::sort(
      sorted.begin(), sorted.end(),
      [](const gavel::v1::PeriodAmount& a, const gavel::v1::PeriodAmount& b) {
        return CompareDates(a.period_start(), b.period_start()) < 0;
      });
  return sorted;
}

absl::Status ValidateIds(
    const google::protobuf::RepeatedPtrField<std::string>& ids,
    absl::string_view list) {
  UniqueIds seen;
  for (int i = 0; i < ids.size(); ++i) {
    if (absl::Status s = seen.Add(ids[i], FieldPath(list, i),
                                  absl::StrCat(ids[i], " is listed twice"));
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

// Each pool's limits validated and sorted ascending (ValidatePeriods).
absl::StatusOr<std::vector<gavel::v1::CapacityLimit>> ValidateCapacity(
    const gavel::v1::CreateScenario& cmd) {
  std::vector<gavel::v1::CapacityLimit> capacity;
  UniqueIds pools;
  for (int i = 0; i < cmd.capacity_size(); ++i) {
    const gavel::v1::CapacityLimit& limit = cmd.capacity(i);
    if (absl::Status s = pools.Add(
            limit.pool_id(), FieldPath("capacity", i, "pool_id"),
            absl::StrCat("pool ", limit.pool_id(), " is listed twice"));
        !s.ok()) {
      return s;
    }
    absl::StatusOr<Amounts> limits =
        ValidatePeriods(limit.limits(), FieldPath("capacity", i, "limits"));
    if (!limits.ok()) return limits.status();
    gavel::v1::CapacityLimit sorted = limit;
    *sorted.mutable_limits() = *std::move(limits);
    capacity.push_back(std::move(sorted));
  }
  return capacity;
}

absl::Status ValidateGroups(const gavel::v1::CreateScenario& cmd) {
  UniqueIds groups;
  for (int i = 0; i < cmd.exclusive_groups_size(); ++i) {
    const gavel::v1::ExclusiveGroup& group = cmd.exclusive_groups(i);
    if (absl::Status s = groups.Add(
            group.group_id(), FieldPath("exclusive_groups", i, "group_id"),
            absl::StrCat("group ", group.group_id(), " is listed twice"));
        !s.ok()) {
      return s;
    }
    const std::string members =
        FieldPath("exclusive_groups", i, "initiative_ids");
    if (absl::Status s = ValidateIds(group.initiative_ids(), members);
        !s.ok()) {
      return s;
    }
    if (group.initiative_ids_size() < 2) {
      return Reject(kValueOutOfRange, members,
                    "an exclusive group needs at least two alternatives");
    }
  }
  return absl::OkStatus();
}

// When the scenario names a framework: FRAMEWORK_NOT_FOUND unless ctx has
// it, FRAMEWORK_VERSION_NOT_FOUND unless framework_version is 0 (none) or
// an approved version.
absl::Status RequireFrameworkVersion(const gavel::v1::CreateScenario& cmd,
                                     const Context& ctx) {
  if (cmd.framework_id().empty()) return absl::OkStatus();
  if (!ctx.framework.has_value()) {
    return Reject(kFrameworkNotFound, "framework_id",
                  absl::StrCat("no framework ", cmd.framework_id()));
  }
  if (cmd.framework_version() < 0 ||
      cmd.framework_version() > ctx.framework->active_version) {
    return Reject(
        kFrameworkVersionNotFound, "framework_version",
        absl::StrCat("framework ", cmd.framework_id(),
                     " has no approved version ", cmd.framework_version()));
  }
  return absl::OkStatus();
}

// The result is well formed: it ranks someone, its cut line lies within
// the ranking, and no initiative is ranked twice.
absl::Status ValidateResult(const gavel::v1::ScenarioOptimized& result) {
  if (result.ranking().empty()) {
    return Reject(kMissingField, "result.ranking",
                  "an optimization ranks at least one candidate");
  }
  if (result.cut_line() < 0 || result.cut_line() > result.ranking_size()) {
    return Reject(kValueOutOfRange, "result.cut_line",
                  "the cut line must lie within the ranking");
  }
  std::set<std::string> seen;
  for (int i = 0; i < result.ranking_size(); ++i) {
    if (!seen.insert(result.ranking(i).initiative_id()).second) {
      return Reject(kDuplicateEntry,
                    FieldPath("result.ranking", i, "initiative_id"),
                    "an initiative is ranked twice");
    }
  }
  return absl::OkStatus();
}

bool IsCandidate(const gavel::v1::ScenarioCreated& scenario,
                 absl::string_view id) {
  if (scenario.candidate_ids().empty()) return true;
  return std::find(scenario.candidate_ids().begin(),
                   scenario.candidate_ids().end(),
                   id) != scenario.candidate_ids().end();
}

}  // namespace

absl::StatusOr<PortfolioPlanEvents> Decide(const PortfolioPlanState& state,
                                           const gavel::v1::CreateScenario& cmd,
                                           const Context& ctx) {
  gavel::v1::Money currency;
  currency.set_currency(cmd.currency());
  if (absl::Status s = FirstError(
          {RequireField(cmd.plan_id(), "plan_id"),
           RequireField(cmd.name(), "name"),
           RequireEnum(cmd.horizon(), gavel::v1::Horizon_IsValid, "horizon"),
           ValidateMoney(currency, "currency"),
           RejectIf(cmd.budget().empty(), kMissingField, "budget",
                    "a scenario needs a budget for at least one period")});
      !s.ok()) {
    return s;
  }
  absl::StatusOr<Amounts> budget = ValidatePeriods(cmd.budget(), "budget");
  if (!budget.ok()) return budget.status();
  absl::StatusOr<std::vector<gavel::v1::CapacityLimit>> capacity =
      ValidateCapacity(cmd);
  if (!capacity.ok()) return capacity.status();
  if (absl::Status s = FirstError(
          {ValidateGroups(cmd),
           ValidateIds(cmd.candidate_ids(), "candidate_ids"),
           RequireNew(state, "plan_id",
                      absl::StrCat("plan ", cmd.plan_id(), " already exists")),
           RequireFrameworkVersion(cmd, ctx)});
      !s.ok()) {
    return s;
  }

  gavel::v1::PortfolioPlanEvent event;
  gavel::v1::ScenarioCreated* created = event.mutable_scenario_created();
  created->set_plan_id(cmd.plan_id());
  created->set_name(cmd.name());
  created->set_horizon(cmd.horizon());
  created->set_framework_id(cmd.framework_id());
  created->set_framework_version(cmd.framework_version());
  created->set_currency(cmd.currency());
  *created->mutable_budget() = *std::move(budget);
  for (gavel::v1::CapacityLimit& limit : *capacity) {
    *created->add_capacity() = std::move(limit);
  }
  *created->mutable_exclusive_groups() = cmd.exclusive_groups();
  *created->mutable_candidate_ids() = cmd.candidate_ids();
  created->set_created_by(ctx.actor);
  *created->mutable_created_at() = ToTimestamp(ctx.now);
  return PortfolioPlanEvents{event};
}

absl::StatusOr<PortfolioPlanEvents> Decide(
    const PortfolioPlanState& state, const gavel::v1::ForceInitiative& cmd,
    const Context& ctx) {
  if (absl::Status s = FirstError(
          {RequireField(cmd.initiative_id(), "initiative_id"),
           RequireEnum(cmd.direction(), gavel::v1::ForceDirection_IsValid,
                       "direction"),
           RequireReason(cmd.reason(), "reason"),
           RequireExisting(state, "plan_id", kNoSuchPlan)});
      !s.ok()) {
    return s;
  }
  if (!ctx.other_initiative.has_value()) {
    return Reject(kInitiativeNotFound, "initiative_id",
                  absl::StrCat("no initiative ", cmd.initiative_id()));
  }
  if (!IsCandidate(state.scenario, cmd.initiative_id())) {
    return Reject(
        kNotACandidate, "initiative_id",
        absl::StrCat(cmd.initiative_id(), " is not a candidate of plan ",
                     state.scenario.plan_id()));
  }
  if (cmd.direction() == gavel::v1::FORCE_IN &&
      ctx.other_initiative->terminal) {
    return Reject(
        kInitiativeTerminal, "initiative_id",
        absl::StrCat(cmd.initiative_id(), " is killed, withdrawn or closed"));
  }
  gavel::v1::PortfolioPlanEvent event;
  gavel::v1::InitiativeForced* forced = event.mutable_initiative_forced();
  forced->set_initiative_id(cmd.initiative_id());
  forced->set_direction(cmd.direction());
  forced->set_reason(cmd.reason());
  forced->set_forced_by(ctx.actor);
  return PortfolioPlanEvents{event};
}

absl::StatusOr<PortfolioPlanEvents> Decide(
    const PortfolioPlanState& state,
    const gavel::v1::RecordScenarioOptimization& cmd, const Context& ctx) {
  const gavel::v1::ScenarioOptimized& result = cmd.result();
  if (absl::Status s =
          FirstError({ValidateResult(result),
                      RequireExisting(state, "plan_id", kNoSuchPlan)});
      !s.ok()) {
    return s;
  }
  std::set<std::string> selected;
  for (int i = 0; i < result.ranking_size(); ++i) {
    const gavel::v1::PlanEntry& entry = result.ranking(i);
    if (entry.selected() != (i < result.cut_line())) {
      return Reject(kPlanResultInvalid, FieldPath("result.ranking", i),
                    "selected entries come first, down to the cut line");
    }
    if (entry.selected()) selected.insert(entry.initiative_id());
  }
  for (const auto& [id, direction] : state.forced) {
    const bool in = selected.count(id) > 0;
    if (direction == gavel::v1::FORCE_IN && !in) {
      return Reject(kPlanResultInvalid, "result.ranking",
                    absl::StrCat(id, " is forced in but not selected"));
    }
    if (direction == gavel::v1::FORCE_OUT && in) {
      return Reject(kPlanResultInvalid, "result.ranking",
                    absl::StrCat(id, " is forced out but selected"));
    }
  }
  for (const gavel::v1::ExclusiveGroup& group :
       state.scenario.exclusive_groups()) {
    int count = 0;
    for (const std::string& id : group.initiative_ids()) {
      count += selected.count(id);
    }
    if (count > 1) {
      return Reject(kPlanResultInvalid, "result.ranking",
                    absl::StrCat("more than one alternative of exclusive "
                                 "group ",
                                 group.group_id(), " is selected"));
    }
  }
  gavel::v1::PortfolioPlanEvent event;
  gavel::v1::ScenarioOptimized* optimized = event.mutable_scenario_optimized();
  *optimized = result;
  optimized->set_run(state.optimized.has_value() ? state.optimized->run() + 1
                                                 : 1);
  optimized->set_optimized_by(ctx.actor);
  *optimized->mutable_optimized_at() = ToTimestamp(ctx.now);
  return PortfolioPlanEvents{event};
}

absl::StatusOr<PortfolioPlanEvents> Decide(const PortfolioPlanState& state,
                                           const gavel::v1::PublishPlan& cmd,
                                           const Context& ctx) {
  if (absl::Status s = FirstError(
          {RequireField(cmd.decision().board_id(), "decision.board_id"),
           RequireExisting(state, "plan_id", kNoSuchPlan),
           RequireChairOrActiveDelegate(ctx, cmd.decision().board_id(),
                                        "decision.board_id")});
      !s.ok()) {
    return s;
  }
  if (!state.OptimizationCurrent()) {
    return Reject(kPlanNotOptimized, "",
                  state.optimized.has_value()
                      ? "the scenario changed after its last optimization; "
                        "optimize it again before publishing"
                      : "the scenario has not been optimized");
  }
  const gavel::v1::ScenarioOptimized& optimized = *state.optimized;
  std::vector<std::string> exceeded;
  for (const gavel::v1::PlanConstraint& constraint : optimized.constraints()) {
    if (constraint.used() > constraint.limit()) {
      exceeded.push_back(constraint.constraint_id());
    }
  }
  const bool override_given =
      !absl::StripAsciiWhitespace(cmd.override_reason()).empty();
  if (!exceeded.empty() && !override_given) {
    return Reject(
        kPlanExceedsConstraints, "override_reason",
        absl::StrCat("the plan exceeds ", absl::StrJoin(exceeded, ", "),
                     "; the board must override with a reason"));
  }
  gavel::v1::PortfolioPlanEvent event;
  gavel::v1::PlanPublished* published = event.mutable_plan_published();
  published->set_run(optimized.run());
  published->set_horizon(state.scenario.horizon());
  *published->mutable_ranking() = optimized.ranking();
  published->set_cut_line(optimized.cut_line());
  published->set_objective_value(optimized.objective_value());
  *published->mutable_decision() = cmd.decision();
  if (!exceeded.empty()) {
    published->set_override_reason(cmd.override_reason());
    for (std::string& id : exceeded) {
      published->add_overridden_constraints(std::move(id));
    }
  }
  published->set_published_by(ctx.actor);
  *published->mutable_published_at() = ToTimestamp(ctx.now);
  return PortfolioPlanEvents{event};
}

PortfolioPlanState Evolve(PortfolioPlanState state,
                          const gavel::v1::PortfolioPlanEvent& event) {
  ++state.version;
  switch (event.event_case()) {
    case gavel::v1::PortfolioPlanEvent::kScenarioCreated:
      state.scenario = event.scenario_created();
      state.changed_at_version = state.version;
      break;
    case gavel::v1::PortfolioPlanEvent::kInitiativeForced: {
      const gavel::v1::InitiativeForced& forced = event.initiative_forced();
      if (forced.direction() == gavel::v1::FORCE_CLEAR) {
        state.forced.erase(forced.initiative_id());
      } else {
        state.forced[forced.initiative_id()] = forced.direction();
      }
      state.changed_at_version = state.version;
      break;
    }
    case gavel::v1::PortfolioPlanEvent::kScenarioOptimized:
      state.optimized = event.scenario_optimized();
      state.optimized_at_version = state.version;
      break;
    case gavel::v1::PortfolioPlanEvent::kPlanPublished:
      state.published.push_back(event.plan_published());
      break;
    case gavel::v1::PortfolioPlanEvent::EVENT_NOT_SET:
      break;
  }
  return state;
}

bool operator==(const PortfolioPlanState& a, const PortfolioPlanState& b) {
  return a.version == b.version && ProtoEquals(a.scenario, b.scenario) &&
         a.forced == b.forced && a.changed_at_version == b.changed_at_version &&
         a.optimized.has_value() == b.optimized.has_value() &&
         (!a.optimized.has_value() ||
          ProtoEquals(*a.optimized, *b.optimized)) &&
         a.optimized_at_version == b.optimized_at_version &&
         ProtoEquals(a.published, b.published);
}

}  // namespace gavel::domain
