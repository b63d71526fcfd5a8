// Initiative deciders for delivery records (costs, milestones, BAU impact,
// risks, dependencies) and the end of an initiative (withdrawal, closure).
// Contracts: domain/initiative.h.
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/calendar.h"
#include "domain/initiative.h"
#include "domain/initiative_rules.h"
#include "domain/rejection.h"
#include "domain/validation.h"

namespace gavel::domain {
namespace {

using gavel::v1::InitiativeEvent;
using initiative_rules::RequireInitiativeCurrency;
using initiative_rules::RequireLive;
using initiative_rules::RequireNotAfterToday;

// True when `to` reaches `from` through `graph` (or is it).
bool Reaches(const DependencyGraph& graph, const std::string& from,
             const std::string& to) {
  std::set<std::string> seen;
  std::vector<std::string> pending = {from};
  while (!pending.empty()) {
    std::string id = std::move(pending.back());
    pending.pop_back();
    if (id == to) return true;
    if (!seen.insert(id).second) continue;
    auto it = graph.find(id);
    if (it == graph.end()) continue;
    for (const std::string& next : it->second) pending.push_back(next);
  }
  return false;
}

}  // namespace

absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::ReportCost& cmd,
                                        const Context&) {
  if (absl::Status s =
          FirstError({ValidateMoney(cmd.amount(), "amount"),
                      ValidateDate(cmd.period_start(), "period_start")});
      !s.ok()) {
    return s;
  }
  if (!IsPeriodStart(cmd.period_start(), gavel::v1::PERIOD_GRANULARITY_MONTH)) {
    return Reject(kInvalidPeriod, "period_start",
                  "costs are reported per month: use the 1st of the month");
  }
  if (absl::Status s = FirstError(
          {RequireEnum(cmd.category(), gavel::v1::CostCategory_IsValid,
                       "category"),
           RequireLive(state),
           RequireInitiativeCurrency(state, cmd.amount(), "amount")});
      !s.ok()) {
    return s;
  }
  InitiativeEvent event;
  gavel::v1::CostReported* e = event.mutable_cost_reported();
  *e->mutable_period_start() = cmd.period_start();
  *e->mutable_amount() = cmd.amount();
  e->set_category(cmd.category());
  e->set_source(cmd.source());
  return InitiativeEvents{event};
}

absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::AchieveMilestone& cmd,
                                        const Context& ctx) {
  if (absl::Status s =
          FirstError({RequireField(cmd.milestone_id(), "milestone_id"),
                      ValidateDate(cmd.achieved_on(), "achieved_on")});
      !s.ok()) {
    return s;
  }
  if (absl::Status s = FirstError(
          {RequireNotAfterToday(cmd.achieved_on(), ctx.now, "achieved_on"),
           RequireLive(state)});
      !s.ok()) {
    return s;
  }
  const MilestoneState* milestone = nullptr;
  for (const MilestoneState& m : state.milestones) {
    if (m.milestone.milestone_id() == cmd.milestone_id()) milestone = &m;
  }
  if (milestone == nullptr) {
    return Reject(kMilestoneNotFound, "milestone_id",
                  absl::StrCat("no milestone ", cmd.milestone_id()));
  }
  if (milestone->achieved.has_value()) {
    return Reject(kMilestoneAlreadyAchieved, "milestone_id",
                  absl::StrCat("milestone ", cmd.milestone_id(),
                               " was already achieved"));
  }
  InitiativeEvent event;
  gavel::v1::MilestoneAchieved* e = event.mutable_milestone_achieved();
  e->set_milestone_id(cmd.milestone_id());
  *e->mutable_achieved_on() = cmd.achieved_on();
  e->set_evidence(cmd.evidence());
  return InitiativeEvents{event};
}

absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::AssessBauImpact& cmd,
                                        const Context& ctx) {
  if (absl::Status s =
          FirstError({RequireField(cmd.summary(), "summary"),
                      ValidateMoney(cmd.annual_run_cost(), "annual_run_cost"),
                      RequireLive(state),
                      RequireInitiativeCurrency(state, cmd.annual_run_cost(),
                                                "annual_run_cost")});
      !s.ok()) {
    return s;
  }
  InitiativeEvent event;
  gavel::v1::BauImpactAssessed* e = event.mutable_bau_impact_assessed();
  e->set_summary(cmd.summary());
  *e->mutable_annual_run_cost() = cmd.annual_run_cost();
  *e->mutable_affected_units() = cmd.affected_units();
  e->set_assessed_by(ctx.actor);
  return InitiativeEvents{event};
}

absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::RaiseRisk& cmd,
                                        const Context&) {
  if (absl::Status s = FirstError(
          {RequireField(cmd.risk_id(), "risk_id"),
           RequireField(cmd.title(), "title"),
           RequireField(cmd.owner(), "owner"),
           RequireInRange(cmd.probability_bp(), 0, 10000, "probability_bp"),
           RequireEnum(cmd.impact(), gavel::v1::RiskImpact_IsValid, "impact"),
           RequireLive(state)});
      !s.ok()) {
    return s;
  }
  for (const RiskState& risk : state.risks) {
    if (risk.risk.risk_id() == cmd.risk_id()) {
      return Reject(kDuplicateId, "risk_id",
                    absl::StrCat("risk ", cmd.risk_id(), " exists"));
    }
  }
  InitiativeEvent event;
  gavel::v1::RiskRaised* e = event.mutable_risk_raised();
  e->set_risk_id(cmd.risk_id());
  e->set_title(cmd.title());
  e->set_description(cmd.description());
  e->set_probability_bp(cmd.probability_bp());
  e->set_impact(cmd.impact());
  e->set_owner(cmd.owner());
  e->set_mitigation(cmd.mitigation());
  return InitiativeEvents{event};
}

absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::CloseRisk& cmd,
                                        const Context&) {
  if (absl::Status s = FirstError(
          {RequireField(cmd.risk_id(), "risk_id"),
           RequireReason(cmd.resolution(), "resolution"), RequireLive(state)});
      !s.ok()) {
    return s;
  }
  const RiskState* risk = nullptr;
  for (const RiskState& r : state.risks) {
    if (r.risk.risk_id() == cmd.risk_id()) risk = &r;
  }
  if (risk == nullptr) {
    return Reject(kRiskNotFound, "risk_id",
                  absl::StrCat("no risk ", cmd.risk_id()));
  }
  if (risk->closed.has_value()) {
    return Reject(kRiskAlreadyClosed, "risk_id",
                  absl::StrCat("risk ", cmd.risk_id(), " is closed"));
  }
  InitiativeEvent event;
  event.mutable_risk_closed()->set_risk_id(cmd.risk_id());
  event.mutable_risk_closed()->set_resolution(cmd.resolution());
  return InitiativeEvents{event};
}

absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::DeclareDependency& cmd,
                                        const Context& ctx) {
  if (absl::Status s = FirstError(
          {RequireField(cmd.dependency_id(), "dependency_id"),
           RequireField(cmd.depends_on_initiative_id(),
                        "depends_on_initiative_id"),
           cmd.has_needed_by() ? ValidateDate(cmd.needed_by(), "needed_by")
                               : absl::OkStatus()});
      !s.ok()) {
    return s;
  }
  if (cmd.depends_on_initiative_id() == cmd.initiative_id()) {
    return Reject(kSelfReference, "depends_on_initiative_id",
                  "an initiative cannot depend on itself");
  }
  if (absl::Status s = RequireLive(state); !s.ok()) return s;
  const std::string& target = cmd.depends_on_initiative_id();
  for (const DependencyState& d : state.dependencies) {
    if (d.dependency.dependency_id() == cmd.dependency_id()) {
      return Reject(
          kDuplicateId, "dependency_id",
          absl::StrCat("dependency ", cmd.dependency_id(), " exists"));
    }
  }
  if (!ctx.other_initiative.has_value() ||
      ctx.other_initiative->initiative_id != target) {
    return Reject(kInitiativeNotFound, "depends_on_initiative_id",
                  absl::StrCat("no initiative ", target));
  }
  if (ctx.other_initiative->terminal) {
    return Reject(
        kInitiativeTerminal, "depends_on_initiative_id",
        absl::StrCat("initiative ", target, " is killed, withdrawn or closed"));
  }
  for (const DependencyState& d : state.dependencies) {
    if (!d.resolved.has_value() &&
        d.dependency.depends_on_initiative_id() == target) {
      return Reject(kDuplicateId, "depends_on_initiative_id",
                    absl::StrCat("dependency ", d.dependency.dependency_id(),
                                 " on ", target, " is unresolved"));
    }
  }
  if (Reaches(ctx.dependencies, target, state.submission.initiative_id())) {
    return Reject(kDependencyCycle, "depends_on_initiative_id",
                  absl::StrCat(target, " already depends on ",
                               state.submission.initiative_id()));
  }
  InitiativeEvent event;
  gavel::v1::DependencyDeclared* e = event.mutable_dependency_declared();
  e->set_dependency_id(cmd.dependency_id());
  e->set_depends_on_initiative_id(target);
  e->set_description(cmd.description());
  if (cmd.has_needed_by()) *e->mutable_needed_by() = cmd.needed_by();
  return InitiativeEvents{event};
}

absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::ResolveDependency& cmd,
                                        const Context&) {
  if (absl::Status s = FirstError(
          {RequireField(cmd.dependency_id(), "dependency_id"),
           RequireReason(cmd.resolution(), "resolution"), RequireLive(state)});
      !s.ok()) {
    return s;
  }
  const DependencyState* dependency = nullptr;
  for (const DependencyState& d : state.dependencies) {
    if (d.dependency.dependency_id() == cmd.dependency_id()) dependency = &d;
  }
  if (dependency == nullptr) {
    return Reject(kDependencyNotFound, "dependency_id",
                  absl::StrCat("no dependency ", cmd.dependency_id()));
  }
  if (dependency->resolved.has_value()) {
    return Reject(
        kDependencyAlreadyResolved, "dependency_id",
        absl::StrCat("dependency ", cmd.dependency_id(), " is resolved"));
  }
  InitiativeEvent event;
  event.mutable_dependency_resolved()->set_dependency_id(cmd.dependency_id());
  event.mutable_dependency_resolved()->set_resolution(cmd.resolution());
  return InitiativeEvents{event};
}

absl::StatusOr<InitiativeDecision> Decide(
    const InitiativeState& state, const gavel::v1::WithdrawInitiative& cmd,
    const Context& ctx) {
  if (absl::Status s = FirstError(
          {RequireReason(cmd.reason(), "reason"), RequireLive(state)});
      !s.ok()) {
    return s;
  }
  if (ctx.actor != state.submission.sponsor() &&
      ctx.actor != state.submission.submitted_by()) {
    return Reject(
        kNotTheSponsor, "",
        absl::StrCat(ctx.actor, " is neither the sponsor nor the submitter"));
  }
  InitiativeDecision decision;
  decision.events.emplace_back();
  gavel::v1::InitiativeWithdrawn* e = decision.events[0].mutable_withdrawn();
  e->set_reason(cmd.reason());
  e->set_withdrawn_by(ctx.actor);
  decision.pool_events = initiative_rules::ReleaseReserved(
      state, gavel::v1::DecisionRef(),
      absl::StrCat("initiative withdrawn: ", cmd.reason()));
  return decision;
}

absl::StatusOr<InitiativeDecision> Decide(const InitiativeState& state,
                                          const gavel::v1::CloseInitiative& cmd,
                                          const Context& ctx) {
  if (absl::Status s = FirstError(
          {RequireField(cmd.handover_summary(), "handover_summary"),
           RequireField(cmd.bau_owner(), "bau_owner"), RequireLive(state)});
      !s.ok()) {
    return s;
  }
  if (state.status == InitiativeStatus::kOnHold) {
    return Reject(kInitiativeOnHold, "",
                  "an initiative on hold cannot be closed");
  }
  absl::StatusOr<const LifecycleModelView*> model =
      initiative_rules::RequireModel(state, ctx);
  if (!model.ok()) return model.status();
  if (state.passed_gates.size() < (*model)->gates.size()) {
    return Reject(
        kLifecycleIncomplete, "",
        absl::StrCat("gate ",
                     (*model)->gates[state.passed_gates.size()].gate_id(),
                     " has not been passed"));
  }
  if (absl::Status s = initiative_rules::RequireConditionsClosed(state, "");
      !s.ok()) {
    return s;
  }
  InitiativeDecision decision;
  decision.events.emplace_back();
  gavel::v1::InitiativeClosed* e = decision.events[0].mutable_closed();
  e->set_handover_summary(cmd.handover_summary());
  e->set_bau_owner(cmd.bau_owner());
  e->set_closed_by(ctx.actor);
  decision.pool_events = initiative_rules::ReleaseReserved(
      state, gavel::v1::DecisionRef(), "initiative closed: handed over to BAU");
  return decision;
}

}  // namespace gavel::domain
