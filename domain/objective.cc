#include "domain/objective.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "domain/benefit_realization.h"
#include "domain/calendar.h"
#include "domain/decider.h"
#include "domain/proto_equality.h"
#include "domain/rejection.h"
#include "domain/validation.h"

namespace gavel::domain {
namespace {

// AGGREGATE_NOT_FOUND, then OBJECTIVE_RETIRED.
absl::Status RequireActive(const ObjectiveState& state) {
  if (absl::Status s =
          RequireExisting(state, "objective_id", "no such objective");
      !s.ok()) {
    return s;
  }
  if (state.retired) {
    return Reject(kObjectiveRetired, "",
                  absl::StrCat("objective ", state.definition.objective_id(),
                               " is retired"));
  }
  return absl::OkStatus();
}

// An objective referenced by `field`, when `id` is set, must exist in ctx
// and be active.
absl::Status RequireActiveObjective(const Context& ctx, absl::string_view id,
                                    absl::string_view field) {
  if (id.empty()) return absl::OkStatus();
  const ObjectiveView* objective = ctx.FindObjective(id);
  if (objective == nullptr) {
    return Reject(kObjectiveNotFound, field, absl::StrCat("no objective ", id));
  }
  if (!objective->active) {
    return Reject(kObjectiveRetired, field,
                  absl::StrCat("objective ", id, " is retired"));
  }
  return absl::OkStatus();
}

const SuccessMeasure* FindMeasure(const ObjectiveState& state,
                                  absl::string_view measure_id) {
  for (const SuccessMeasure& measure : state.measures) {
    if (measure.definition.measure_id() == measure_id) return &measure;
  }
  return nullptr;
}

bool SameMeasure(const SuccessMeasure& a, const SuccessMeasure& b) {
  return ProtoEquals(a.definition, b.definition) &&
         ProtoEquals(a.target, b.target);
}

}  // namespace

absl::StatusOr<ObjectiveEvents> Decide(const ObjectiveState& state,
                                       const gavel::v1::DefineObjective& cmd,
                                       const Context& ctx) {
  if (absl::Status s = FirstError(
          {RequireField(cmd.objective_id(), "objective_id"),
           RequireField(cmd.title(), "title"),
           RequireEnum(cmd.horizon(), gavel::v1::Horizon_IsValid, "horizon"),
           RequireField(cmd.owner(), "owner"),
           RequireNotSelf(cmd.parent_objective_id(), cmd.objective_id(),
                          "parent_objective_id",
                          "an objective cannot be its own parent"),
           RequireNew(
               state, "objective_id",
               absl::StrCat("objective ", cmd.objective_id(), " exists")),
           RequireActiveObjective(ctx, cmd.parent_objective_id(),
                                  "parent_objective_id")});
      !s.ok()) {
    return s;
  }
  gavel::v1::ObjectiveEvent event;
  gavel::v1::ObjectiveDefined* defined = event.mutable_defined();
  defined->set_objective_id(cmd.objective_id());
  defined->set_title(cmd.title());
  defined->set_description(cmd.description());
  defined->set_horizon(cmd.horizon());
  defined->set_owner(cmd.owner());
  defined->set_parent_objective_id(cmd.parent_objective_id());
  return ObjectiveEvents{event};
}

absl::StatusOr<ObjectiveEvents> Decide(const ObjectiveState& state,
                                       const gavel::v1::AddSuccessMeasure& cmd,
                                       const Context& /*ctx*/) {
  if (absl::Status s = FirstError(
          {RequireField(cmd.measure_id(), "measure_id"),
           RequireField(cmd.name(), "name"), RequireField(cmd.unit(), "unit"),
           RequireInRange(cmd.decimals(), 0, 6, "decimals"),
           RequireEnum(cmd.direction(), gavel::v1::Direction_IsValid,
                       "direction"),
           ValidateDate(cmd.baseline_date(), "baseline_date"),
           RequireActive(state)});
      !s.ok()) {
    return s;
  }
  if (FindMeasure(state, cmd.measure_id()) != nullptr) {
    return Reject(kDuplicateId, "measure_id",
                  absl::StrCat("measure ", cmd.measure_id(), " exists"));
  }
  gavel::v1::ObjectiveEvent event;
  gavel::v1::SuccessMeasureAdded* added = event.mutable_success_measure_added();
  added->set_measure_id(cmd.measure_id());
  added->set_name(cmd.name());
  added->set_unit(cmd.unit());
  added->set_decimals(cmd.decimals());
  added->set_direction(cmd.direction());
  added->set_baseline(cmd.baseline());
  *added->mutable_baseline_date() = cmd.baseline_date();
  added->set_source(cmd.source());
  return ObjectiveEvents{event};
}

absl::StatusOr<ObjectiveEvents> Decide(const ObjectiveState& state,
                                       const gavel::v1::SetMeasureTarget& cmd,
                                       const Context& /*ctx*/) {
  if (absl::Status s =
          FirstError({RequireField(cmd.measure_id(), "measure_id"),
                      ValidateDate(cmd.target_date(), "target_date"),
                      RequireActive(state)});
      !s.ok()) {
    return s;
  }
  const SuccessMeasure* measure = FindMeasure(state, cmd.measure_id());
  if (measure == nullptr) {
    return Reject(kMeasureNotFound, "measure_id",
                  absl::StrCat("no measure ", cmd.measure_id()));
  }
  const gavel::v1::SuccessMeasureAdded& definition = measure->definition;
  if (CompareDates(cmd.target_date(), definition.baseline_date()) < 0) {
    return Reject(kInvalidTimeRange, "target_date",
                  "the target date is before the baseline date");
  }
  if (absl::Status s =
          ValidateBenefitTarget(definition.baseline(), cmd.target(),
                                definition.direction(), false, "target");
      !s.ok()) {
    return s;
  }
  if (measure->target.has_value()) {
    if (absl::Status s = RequireReason(cmd.reason(), "reason"); !s.ok()) {
      return s;
    }
  }
  gavel::v1::ObjectiveEvent event;
  gavel::v1::MeasureTargetSet* target = event.mutable_measure_target_set();
  target->set_measure_id(cmd.measure_id());
  target->set_target(cmd.target());
  *target->mutable_target_date() = cmd.target_date();
  target->set_reason(cmd.reason());
  return ObjectiveEvents{event};
}

absl::StatusOr<ObjectiveEvents> Decide(const ObjectiveState& state,
                                       const gavel::v1::RetireObjective& cmd,
                                       const Context& ctx) {
  if (absl::Status s = FirstError(
          {RequireReason(cmd.reason(), "reason"),
           RequireNotSelf(cmd.successor_objective_id(), cmd.objective_id(),
                          "successor_objective_id",
                          "an objective cannot succeed itself"),
           RequireActive(state),
           RequireActiveObjective(ctx, cmd.successor_objective_id(),
                                  "successor_objective_id")});
      !s.ok()) {
    return s;
  }
  gavel::v1::ObjectiveEvent event;
  gavel::v1::ObjectiveRetired* retired = event.mutable_retired();
  retired->set_reason(cmd.reason());
  retired->set_successor_objective_id(cmd.successor_objective_id());
  return ObjectiveEvents{event};
}

ObjectiveState Evolve(ObjectiveState state,
                      const gavel::v1::ObjectiveEvent& event) {
  ++state.version;
  switch (event.event_case()) {
    case gavel::v1::ObjectiveEvent::kDefined:
      state.definition = event.defined();
      break;
    case gavel::v1::ObjectiveEvent::kSuccessMeasureAdded:
      state.measures.push_back({event.success_measure_added(), std::nullopt});
      break;
    case gavel::v1::ObjectiveEvent::kMeasureTargetSet:
      for (SuccessMeasure& measure : state.measures) {
        if (measure.definition.measure_id() ==
            event.measure_target_set().measure_id()) {
          measure.target = event.measure_target_set();
        }
      }
      break;
    case gavel::v1::ObjectiveEvent::kRetired:
      state.retired = true;
      state.retirement = event.retired();
      break;
    case gavel::v1::ObjectiveEvent::EVENT_NOT_SET:
      break;
  }
  return state;
}

ObjectiveView ViewOf(const ObjectiveState& state) {
  ObjectiveView view;
  view.objective_id = state.definition.objective_id();
  view.active = state.version > 0 && !state.retired;
  for (const SuccessMeasure& measure : state.measures) {
    view.measure_ids.push_back(measure.definition.measure_id());
  }
  return view;
}

bool operator==(const ObjectiveState& a, const ObjectiveState& b) {
  return a.version == b.version && ProtoEquals(a.definition, b.definition) &&
         a.retired == b.retired && ProtoEquals(a.retirement, b.retirement) &&
         std::equal(a.measures.begin(), a.measures.end(), b.measures.begin(),
                    b.measures.end(), SameMeasure);
}

}  // namespace gavel::domain
