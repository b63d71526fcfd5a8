// Initiative deciders for intake: submission, objective links, benefits
// (registration, measurement) and forecasts. Contracts: domain/initiative.h.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/benefit_realization.h"
#include "domain/calendar.h"
#include "domain/default_lifecycle.h"
#include "domain/initiative.h"
#include "domain/initiative_rules.h"
#include "domain/rejection.h"
#include "domain/validation.h"

namespace gavel::domain {
namespace {

using gavel::v1::InitiativeEvent;
using initiative_rules::FindBenefit;
using initiative_rules::RequireInitiativeCurrency;
using initiative_rules::RequireLive;
using initiative_rules::RequireNotAfterToday;
using initiative_rules::RequireSubmitted;

// "<list>[<i>].<inner>[<j>].<member>".
std::string NestedPath(absl::string_view list, int i, absl::string_view inner,
                       int j, absl::string_view member) {
  return absl::StrCat(FieldPath(list, i), ".", FieldPath(inner, j, member));
}

absl::Status ValidateDemand(const gavel::v1::SubmitInitiative& cmd) {
  UniqueIds pools;
  for (int i = 0; i < cmd.capacity_demand_size(); ++i) {
    const gavel::v1::CapacityDemand& demand = cmd.capacity_demand(i);
    if (absl::Status s = pools.Add(
            demand.pool_id(), FieldPath("capacity_demand", i, "pool_id"),
            absl::StrCat("pool ", demand.pool_id(), " repeated"));
        !s.ok()) {
      return s;
    }
    if (demand.amounts().empty()) {
      return Reject(kMissingField, FieldPath("capacity_demand", i, "amounts"),
                    "a capacity demand needs at least one period amount");
    }
    std::vector<gavel::v1::Date> periods;
    for (int j = 0; j < demand.amounts_size(); ++j) {
      const gavel::v1::PeriodAmount& amount = demand.amounts(j);
      const std::string start =
          NestedPath("capacity_demand", i, "amounts", j, "period_start");
      if (absl::Status s =
              FirstError({ValidateDate(amount.period_start(), start),
                          RequireInRange(amount.amount(), 0, INT64_MAX,
                                         NestedPath("capacity_demand", i,
                                                    "amounts", j, "amount"))});
          !s.ok()) {
        return s;
      }
      for (const gavel::v1::Date& seen : periods) {
        if (CompareDates(seen, amount.period_start()) == 0) {
          return Reject(kDuplicateEntry, start, "period repeated in the pool");
        }
      }
      periods.push_back(amount.period_start());
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateMilestones(const gavel::v1::SubmitInitiative& cmd) {
  std::set<std::string> ids;
  for (int i = 0; i < cmd.milestones_size(); ++i) {
    const gavel::v1::Milestone& m = cmd.milestones(i);
    const std::string id_field = FieldPath("milestones", i, "milestone_id");
    if (absl::Status s = FirstError(
            {RequireField(m.milestone_id(), id_field),
             RequireField(m.name(), FieldPath("milestones", i, "name")),
             ValidateDate(m.committed_date(),
                          FieldPath("milestones", i, "committed_date"))});
        !s.ok()) {
      return s;
    }
    if (!ids.insert(m.milestone_id()).second) {
      return Reject(kDuplicateEntry, id_field,
                    absl::StrCat("milestone ", m.milestone_id(), " repeated"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::SubmitInitiative& cmd,
                                        const Context& ctx) {
  if (absl::Status s = FirstError(
          {RequireField(cmd.initiative_id(), "initiative_id"),
           RequireField(cmd.title(), "title"),
           RequireField(cmd.problem_statement(), "problem_statement"),
           RequireField(cmd.business_unit(), "business_unit"),
           RequireField(cmd.sponsor(), "sponsor"),
           ValidateMoney(cmd.cost_estimate(), "cost_estimate"),
           ValidateDemand(cmd), ValidateMilestones(cmd),
           RequireNew(state, "initiative_id",
                      absl::StrCat("initiative ", cmd.initiative_id(),
                                   " already exists"))});
      !s.ok()) {
    return s;
  }
  const std::string model_id = cmd.lifecycle_model_id().empty()
                                   ? std::string(kDefaultLifecycleModelId)
                                   : cmd.lifecycle_model_id();
  if (!ctx.lifecycle_model.has_value() ||
      ctx.lifecycle_model->model_id != model_id) {
    return Reject(kLifecycleModelNotFound, "lifecycle_model_id",
                  absl::StrCat("no lifecycle model ", model_id));
  }
  if (ctx.lifecycle_model->retired) {
    return Reject(kLifecycleModelRetired, "lifecycle_model_id",
                  absl::StrCat("lifecycle model ", model_id, " is retired"));
  }
  for (int i = 0; i < cmd.capacity_demand_size(); ++i) {
    const gavel::v1::CapacityDemand& demand = cmd.capacity_demand(i);
    const CapacityPoolView* pool = ctx.FindPool(demand.pool_id());
    if (pool == nullptr) {
      return Reject(kCapacityPoolNotFound,
                    FieldPath("capacity_demand", i, "pool_id"),
                    absl::StrCat("no capacity pool ", demand.pool_id()));
    }
    for (int j = 0; j < demand.amounts_size(); ++j) {
      if (!IsPeriodStart(demand.amounts(j).period_start(), pool->granularity)) {
        return Reject(
            kInvalidPeriod,
            NestedPath("capacity_demand", i, "amounts", j, "period_start"),
            absl::StrCat("not the start of a period of pool ", pool->pool_id));
      }
    }
  }
  InitiativeEvent event;
  gavel::v1::InitiativeSubmitted* e = event.mutable_submitted();
  e->set_initiative_id(cmd.initiative_id());
  e->set_title(cmd.title());
  e->set_problem_statement(cmd.problem_statement());
  e->set_business_unit(cmd.business_unit());
  e->set_sponsor(cmd.sponsor());
  e->set_submitted_by(ctx.actor);
  *e->mutable_cost_estimate() = cmd.cost_estimate();
  *e->mutable_capacity_demand() = cmd.capacity_demand();
  *e->mutable_milestones() = cmd.milestones();
  e->set_lifecycle_model_id(model_id);
  *e->mutable_submitted_at() = ToTimestamp(ctx.now);
  return InitiativeEvents{event};
}

absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::LinkObjective& cmd,
                                        const Context& ctx) {
  if (absl::Status s = FirstError(
          {RequireField(cmd.objective_id(), "objective_id"),
           RequireInRange(cmd.contribution_bp(), 0, 10000, "contribution_bp"),
           RequireLive(state)});
      !s.ok()) {
    return s;
  }
  const ObjectiveView* objective = ctx.FindObjective(cmd.objective_id());
  if (objective == nullptr) {
    return Reject(kObjectiveNotFound, "objective_id",
                  absl::StrCat("no objective ", cmd.objective_id()));
  }
  if (!objective->active) {
    return Reject(
        kObjectiveRetired, "objective_id",
        absl::StrCat("objective ", cmd.objective_id(), " is retired"));
  }
  int64_t total = cmd.contribution_bp();
  for (const gavel::v1::ObjectiveLinked& link : state.links) {
    if (link.objective_id() == cmd.objective_id()) {
      return Reject(kObjectiveAlreadyLinked, "objective_id",
                    absl::StrCat("already linked to ", cmd.objective_id()));
    }
    if (cmd.primary() && link.primary()) {
      return Reject(
          kPrimaryObjectiveExists, "primary",
          absl::StrCat("the primary objective is ", link.objective_id()));
    }
    total += link.contribution_bp();
  }
  if (total > 10000) {
    return Reject(kContributionExceedsTotal, "contribution_bp",
                  absl::StrCat("contributions would sum to ", total, " bp"));
  }
  InitiativeEvent event;
  gavel::v1::ObjectiveLinked* e = event.mutable_objective_linked();
  e->set_objective_id(cmd.objective_id());
  e->set_primary(cmd.primary());
  e->set_contribution_bp(cmd.contribution_bp());
  e->set_rationale(cmd.rationale());
  return InitiativeEvents{event};
}

absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::UnlinkObjective& cmd,
                                        const Context&) {
  if (absl::Status s = FirstError(
          {RequireField(cmd.objective_id(), "objective_id"),
           RequireReason(cmd.reason(), "reason"), RequireLive(state)});
      !s.ok()) {
    return s;
  }
  const bool linked =
      std::any_of(state.links.begin(), state.links.end(),
                  [&](const gavel::v1::ObjectiveLinked& link) {
                    return link.objective_id() == cmd.objective_id();
                  });
  if (!linked) {
    return Reject(kObjectiveNotLinked, "objective_id",
                  absl::StrCat("not linked to ", cmd.objective_id()));
  }
  InitiativeEvent event;
  event.mutable_objective_unlinked()->set_objective_id(cmd.objective_id());
  event.mutable_objective_unlinked()->set_reason(cmd.reason());
  return InitiativeEvents{event};
}

absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::RegisterBenefit& cmd,
                                        const Context& ctx) {
  if (absl::Status s = FirstError(
          {RequireField(cmd.benefit_id(), "benefit_id"),
           RequireField(cmd.name(), "name"), RequireField(cmd.unit(), "unit"),
           RequireField(cmd.owner(), "owner"),
           cmd.objective_id().empty()
               ? absl::OkStatus()
               : RequireField(cmd.measure_id(), "measure_id"),
           RequireInRange(cmd.decimals(), 0, 6, "decimals"),
           RequireEnum(cmd.direction(), gavel::v1::Direction_IsValid,
                       "direction"),
           cmd.has_baseline() ? ValidateDate(cmd.baseline().measured_on(),
                                             "baseline.measured_on")
                              : absl::OkStatus(),
           ValidateDate(cmd.target_date(), "target_date")});
      !s.ok()) {
    return s;
  }
  if (cmd.has_baseline()) {
    if (absl::Status s =
            ValidateBenefitTarget(cmd.baseline().value(), cmd.target(),
                                  cmd.direction(), cmd.dis_benefit(), "target");
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = RequireLive(state); !s.ok()) return s;
  if (!cmd.objective_id().empty()) {
    const ObjectiveView* objective = ctx.FindObjective(cmd.objective_id());
    if (objective == nullptr) {
      return Reject(kObjectiveNotFound, "objective_id",
                    absl::StrCat("no objective ", cmd.objective_id()));
    }
    if (std::find(objective->measure_ids.begin(), objective->measure_ids.end(),
                  cmd.measure_id()) == objective->measure_ids.end()) {
      return Reject(kMeasureNotFound, "measure_id",
                    absl::StrCat("objective ", cmd.objective_id(),
                                 " has no measure ", cmd.measure_id()));
    }
  }
  if (state.baselines_frozen && FindBenefit(state, cmd.benefit_id())) {
    return Reject(kBaselineFrozen, "benefit_id",
                  absl::StrCat("benefit ", cmd.benefit_id(),
                               " is frozen since investment approval"));
  }
  InitiativeEvent event;
  gavel::v1::BenefitRegistered* e = event.mutable_benefit_registered();
  e->set_benefit_id(cmd.benefit_id());
  e->set_name(cmd.name());
  e->set_objective_id(cmd.objective_id());
  e->set_measure_id(cmd.measure_id());
  e->set_unit(cmd.unit());
  e->set_decimals(cmd.decimals());
  e->set_direction(cmd.direction());
  if (cmd.has_baseline()) *e->mutable_baseline() = cmd.baseline();
  e->set_target(cmd.target());
  *e->mutable_target_date() = cmd.target_date();
  e->set_owner(cmd.owner());
  e->set_dis_benefit(cmd.dis_benefit());
  return InitiativeEvents{event};
}

absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::ReviseForecast& cmd,
                                        const Context&) {
  if (absl::Status s = FirstError(
          {RequireReason(cmd.reason(), "reason"),
           ValidateMoney(cmd.cost_at_completion(), "cost_at_completion"),
           ValidateDate(cmd.finish_date(), "finish_date")});
      !s.ok()) {
    return s;
  }
  UniqueIds ids;
  for (int i = 0; i < cmd.benefits_size(); ++i) {
    if (absl::Status s = ids.Add(cmd.benefits(i).benefit_id(),
                                 FieldPath("benefits", i, "benefit_id"),
                                 "benefit forecast twice");
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s =
          FirstError({RequireLive(state),
                      RequireInitiativeCurrency(state, cmd.cost_at_completion(),
                                                "cost_at_completion")});
      !s.ok()) {
    return s;
  }
  for (int i = 0; i < cmd.benefits_size(); ++i) {
    if (FindBenefit(state, cmd.benefits(i).benefit_id()) == nullptr) {
      return Reject(kBenefitNotRegistered,
                    FieldPath("benefits", i, "benefit_id"),
                    absl::StrCat("no benefit ", cmd.benefits(i).benefit_id()));
    }
  }
  InitiativeEvent event;
  gavel::v1::ForecastRevised* e = event.mutable_forecast_revised();
  *e->mutable_cost_at_completion() = cmd.cost_at_completion();
  *e->mutable_finish_date() = cmd.finish_date();
  *e->mutable_benefits() = cmd.benefits();
  e->set_reason(cmd.reason());
  return InitiativeEvents{event};
}

absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::MeasureBenefit& cmd,
                                        const Context& ctx) {
  if (absl::Status s =
          FirstError({RequireField(cmd.benefit_id(), "benefit_id"),
                      RequireField(cmd.source(), "source"),
                      ValidateDate(cmd.period_start(), "period_start"),
                      ValidateDate(cmd.period_end(), "period_end")});
      !s.ok()) {
    return s;
  }
  if (CompareDates(cmd.period_end(), cmd.period_start()) < 0) {
    return Reject(kInvalidTimeRange, "period_end",
                  "the period ends before it starts");
  }
  if (absl::Status s = FirstError(
          {RequireNotAfterToday(cmd.period_end(), ctx.now, "period_end"),
           RequireSubmitted(state)});
      !s.ok()) {
    return s;
  }
  const Benefit* benefit = FindBenefit(state, cmd.benefit_id());
  if (benefit == nullptr) {
    return Reject(kBenefitNotRegistered, "benefit_id",
                  absl::StrCat("no benefit ", cmd.benefit_id()));
  }
  if (!benefit->registration.has_baseline()) {
    return Reject(kBenefitNotBaselined, "benefit_id",
                  absl::StrCat("benefit ", cmd.benefit_id(),
                               " has no baseline to measure against"));
  }
  InitiativeEvent event;
  gavel::v1::BenefitMeasured* e = event.mutable_benefit_measured();
  e->set_benefit_id(cmd.benefit_id());
  e->set_value(cmd.value());
  *e->mutable_period_start() = cmd.period_start();
  *e->mutable_period_end() = cmd.period_end();
  e->set_source(cmd.source());
  return InitiativeEvents{event};
}

}  // namespace gavel::domain
