// LifecycleModel: an ordered list of stage gates, each with must-meet entry
// checks from the fixed catalogue (gavel.v1.GateCheck), an optional pinned
// board, and whether passing it reserves capacity / freezes baselines.
// Stream: one per model_id. The built-in model "default" (G0-G4,
// domain/default_lifecycle.h) has no stream and cannot be defined.
// Decide/Evolve contracts follow domain/decider.h; rules:
//  - a model is defined once and never changes (initiatives pin it at
//    submission); to change gates, define a new model;
//  - gates: at least one, unique ids, names, valid and non-repeated checks;
//  - a retired model takes no new initiatives; in-flight ones keep it.
#ifndef GAVEL_DOMAIN_LIFECYCLE_MODEL_H_
#define GAVEL_DOMAIN_LIFECYCLE_MODEL_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/context.h"
#include "gavel/v1/commands.pb.h"
#include "gavel/v1/events.pb.h"

namespace gavel::domain {

// Events of one lifecycle model stream, in append order.
using LifecycleModelEvents = std::vector<gavel::v1::LifecycleModelEvent>;

struct LifecycleModelState {
  uint64_t version = 0;
  gavel::v1::LifecycleModelDefined definition;
  bool retired = false;
};

// DefineLifecycleModel -> [LifecycleModelDefined].
// Rejects: MISSING_FIELD (model_id, name, gates, gates[i].gate_id,
// gates[i].name), RESERVED_ID (model_id "default"), DUPLICATE_ENTRY
// (gates[i].gate_id, gates[i].checks[j]), INVALID_ENUM (gates[i].checks[j]),
// AGGREGATE_ALREADY_EXISTS.
absl::StatusOr<LifecycleModelEvents> Decide(
    const LifecycleModelState& state,
    const gavel::v1::DefineLifecycleModel& cmd, const Context& ctx);

// RetireLifecycleModel -> [LifecycleModelRetired].
// Rejects: RESERVED_ID ("default"), REASON_REQUIRED, AGGREGATE_NOT_FOUND,
// LIFECYCLE_MODEL_RETIRED.
absl::StatusOr<LifecycleModelEvents> Decide(
    const LifecycleModelState& state,
    const gavel::v1::RetireLifecycleModel& cmd, const Context& ctx);

LifecycleModelState Evolve(LifecycleModelState state,
                           const gavel::v1::LifecycleModelEvent& event);

// The view initiatives read (Context::lifecycle_model). For "default" use
// DefaultLifecycleModelView() instead.
LifecycleModelView ViewOf(const LifecycleModelState& state);

bool operator==(const LifecycleModelState& a, const LifecycleModelState& b);
inline bool operator!=(const LifecycleModelState& a,
                       const LifecycleModelState& b) {
  return !(a == b);
}

}  // namespace gavel::domain

#endif  // GAVEL_DOMAIN_LIFECYCLE_MODEL_H_
