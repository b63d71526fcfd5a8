// Objective: a strategic objective of the portfolio with its success
// measures. Stream: one per objective_id. Decide/Evolve contracts follow
// domain/decider.h; this header adds the Objective's rules:
//  - an objective is defined once, with title, owner and a 1/3/5-year
//    horizon; its parent, if any, is an existing active objective;
//  - a success measure has a unit, a direction, a baseline and its date;
//    its target lies on the better side of the baseline, dated on or after
//    the baseline; replacing a target needs a reason;
//  - a retired objective accepts nothing more; initiatives can no longer
//    link to it and gate checks treat links to it as unmet.
// Who may issue these commands (admin) is checked by services/, not here.
#ifndef GAVEL_DOMAIN_OBJECTIVE_H_
#define GAVEL_DOMAIN_OBJECTIVE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/context.h"
#include "gavel/v1/commands.pb.h"
#include "gavel/v1/events.pb.h"

namespace gavel::domain {

// Events of one objective stream, in append order.
using ObjectiveEvents = std::vector<gavel::v1::ObjectiveEvent>;

struct SuccessMeasure {
  gavel::v1::SuccessMeasureAdded definition;
  std::optional<gavel::v1::MeasureTargetSet> target;  // Latest target.
};

struct ObjectiveState {
  uint64_t version = 0;  // Events applied; 0 = does not exist.
  gavel::v1::ObjectiveDefined definition;
  bool retired = false;
  gavel::v1::ObjectiveRetired retirement;  // Set when retired.
  std::vector<SuccessMeasure> measures;    // In the order added.
};

// DefineObjective -> [ObjectiveDefined].
// Needs: ctx.objectives holds the parent when parent_objective_id is set.
// Rejects: MISSING_FIELD (objective_id, title, owner), INVALID_ENUM
// (horizon), AGGREGATE_ALREADY_EXISTS, SELF_REFERENCE (parent_objective_id
// == objective_id), OBJECTIVE_NOT_FOUND / OBJECTIVE_RETIRED
// (parent_objective_id).
absl::StatusOr<ObjectiveEvents> Decide(const ObjectiveState& state,
                                       const gavel::v1::DefineObjective& cmd,
                                       const Context& ctx);

// AddSuccessMeasure -> [SuccessMeasureAdded].
// Rejects: MISSING_FIELD (measure_id, name, unit), VALUE_OUT_OF_RANGE
// (decimals outside 0..6), INVALID_ENUM (direction), INVALID_DATE
// (baseline_date), AGGREGATE_NOT_FOUND, OBJECTIVE_RETIRED, DUPLICATE_ID
// (measure_id).
absl::StatusOr<ObjectiveEvents> Decide(const ObjectiveState& state,
                                       const gavel::v1::AddSuccessMeasure& cmd,
                                       const Context& ctx);

// SetMeasureTarget -> [MeasureTargetSet].
// Rejects: MISSING_FIELD (measure_id), INVALID_DATE (target_date),
// AGGREGATE_NOT_FOUND, OBJECTIVE_RETIRED, MEASURE_NOT_FOUND,
// INVALID_TIME_RANGE (target_date before the baseline date),
// TARGET_CONTRADICTS_DIRECTION (target on the worse side of the baseline;
// ValidateBenefitTarget with dis_benefit = false), REASON_REQUIRED (a target
// already exists and reason is blank).
absl::StatusOr<ObjectiveEvents> Decide(const ObjectiveState& state,
                                       const gavel::v1::SetMeasureTarget& cmd,
                                       const Context& ctx);

// RetireObjective -> [ObjectiveRetired].
// Needs: ctx.objectives holds the successor when successor_objective_id set.
// Rejects: REASON_REQUIRED, AGGREGATE_NOT_FOUND, OBJECTIVE_RETIRED,
// SELF_REFERENCE (successor == itself), OBJECTIVE_NOT_FOUND /
// OBJECTIVE_RETIRED (successor_objective_id).
absl::StatusOr<ObjectiveEvents> Decide(const ObjectiveState& state,
                                       const gavel::v1::RetireObjective& cmd,
                                       const Context& ctx);

ObjectiveState Evolve(ObjectiveState state,
                      const gavel::v1::ObjectiveEvent& event);

// The view other deciders read (Context::objectives).
ObjectiveView ViewOf(const ObjectiveState& state);

// Field-wise equality (protos compared by MessageDifferencer::Equals).
bool operator==(const ObjectiveState& a, const ObjectiveState& b);
inline bool operator!=(const ObjectiveState& a, const ObjectiveState& b) {
  return !(a == b);
}

}  // namespace gavel::domain

#endif  // GAVEL_DOMAIN_OBJECTIVE_H_
