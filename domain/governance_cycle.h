// GovernanceCycle: one meeting of a board (portfolio review, alignment
// checkpoint or value discussion) with its agenda. Stream: one per
// cycle_id. Decide/Evolve contracts follow domain/decider.h; rules:
//  - scheduled once, for an existing board, on a calendar date;
//  - agenda items have unique ids in the cycle; a gate-review item names
//    the initiative and gate, a framework-approval item the framework;
//  - a closed cycle accepts nothing more (CYCLE_CLOSED);
//  - an item is deferred once, with a reason; deferring to another open
//    cycle of the same board carries it over: the target cycle gets an
//    AgendaItemAdded (same item_id, deferred_from_cycle_id set) in the same
//    atomic batch.
#ifndef GAVEL_DOMAIN_GOVERNANCE_CYCLE_H_
#define GAVEL_DOMAIN_GOVERNANCE_CYCLE_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/context.h"
#include "domain/decider.h"
#include "gavel/v1/commands.pb.h"
#include "gavel/v1/events.pb.h"

namespace gavel::domain {

// Events of one governance cycle stream, in append order.
using GovernanceCycleEvents = std::vector<gavel::v1::GovernanceCycleEvent>;

struct AgendaItem {
  gavel::v1::AgendaItemAdded item;
  std::optional<gavel::v1::AgendaItemDeferred> deferral;
};

struct GovernanceCycleState {
  uint64_t version = 0;
  gavel::v1::CycleScheduled schedule;
  std::vector<AgendaItem> agenda;  // In the order added.
  std::optional<gavel::v1::CycleClosed> closure;
};

// What a deferral writes: the source cycle's events and, when it names a
// target cycle, that cycle's AgendaItemAdded.
struct AgendaDeferral {
  GovernanceCycleEvents events;
  std::optional<AggregateEvents<gavel::v1::GovernanceCycleEvent>> target;
};

// ScheduleCycle -> [CycleScheduled].
// Needs: ctx.board = the board of board_id.
// Rejects: MISSING_FIELD (cycle_id, board_id), INVALID_ENUM (kind),
// INVALID_DATE (scheduled_on), AGGREGATE_ALREADY_EXISTS, BOARD_NOT_FOUND.
absl::StatusOr<GovernanceCycleEvents> Decide(
    const GovernanceCycleState& state, const gavel::v1::ScheduleCycle& cmd,
    const Context& ctx);

// AddAgendaItem -> [AgendaItemAdded].
// Rejects: MISSING_FIELD (item_id, title; initiative_id and gate_id for a
// gate review; framework_id for a framework approval), INVALID_ENUM (kind),
// AGGREGATE_NOT_FOUND, CYCLE_CLOSED, DUPLICATE_ID (item_id).
absl::StatusOr<GovernanceCycleEvents> Decide(
    const GovernanceCycleState& state, const gavel::v1::AddAgendaItem& cmd,
    const Context& ctx);

// DeferAgendaItem -> AgendaDeferral{[AgendaItemDeferred], target?}.
// Needs: ctx.cycle = the cycle of to_cycle_id when it is set.
// Rejects: MISSING_FIELD (item_id), REASON_REQUIRED, SELF_REFERENCE
// (to_cycle_id == cycle_id), AGGREGATE_NOT_FOUND, CYCLE_CLOSED,
// AGENDA_ITEM_NOT_FOUND, AGENDA_ITEM_ALREADY_DEFERRED, CYCLE_NOT_FOUND /
// CYCLE_CLOSED / CYCLE_BOARD_MISMATCH (field to_cycle_id), DUPLICATE_ID
// (field item_id: the target's agenda already has item_id).
absl::StatusOr<AgendaDeferral> Decide(const GovernanceCycleState& state,
                                      const gavel::v1::DeferAgendaItem& cmd,
                                      const Context& ctx);

// CloseCycle -> [CycleClosed].
// Rejects: INVALID_DATE (held_on), INVALID_TIME_RANGE (held_on after
// DateOf(ctx.now)), AGGREGATE_NOT_FOUND, CYCLE_CLOSED.
absl::StatusOr<GovernanceCycleEvents> Decide(const GovernanceCycleState& state,
                                             const gavel::v1::CloseCycle& cmd,
                                             const Context& ctx);

GovernanceCycleState Evolve(GovernanceCycleState state,
                            const gavel::v1::GovernanceCycleEvent& event);

// The view other deciders read (Context::cycle).
GovernanceCycleView ViewOf(const GovernanceCycleState& state);

bool operator==(const GovernanceCycleState& a, const GovernanceCycleState& b);
inline bool operator!=(const GovernanceCycleState& a,
                       const GovernanceCycleState& b) {
  return !(a == b);
}

}  // namespace gavel::domain

#endif  // GAVEL_DOMAIN_GOVERNANCE_CYCLE_H_
