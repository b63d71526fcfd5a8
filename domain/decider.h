// The decider shape every aggregate follows (DESIGN.md §5):
//
//   absl::StatusOr<std::vector<XEvent>> Decide(const XState&, const Cmd&,
//                                              const Context&);
//   XState Evolve(XState, const XEvent&);
//
// Conventions all aggregates keep (each header adds its own rules):
//  - Pure and deterministic: no I/O, no clock but Context::now, no
//    randomness, no iteration over unordered containers into events.
//  - Decide never changes state. On success it returns at least one event,
//    in the order they are to be appended; on failure a rejection
//    (domain/rejection.h) and no events.
//  - Order of checks, so a command gets the same reason whatever the state:
//      1. malformed input (INVALID_ARGUMENT), whole command first;
//      2. the target aggregate: AGGREGATE_ALREADY_EXISTS for a creation
//         command on a state with version > 0, AGGREGATE_NOT_FOUND (field
//         "<x>_id") for any other command on version == 0 (RequireNew,
//         RequireExisting below);
//      3. aggregates the command references (*_NOT_FOUND from Context);
//      4. the actor's authority (PERMISSION_DENIED);
//      5. the aggregate's rules (FAILED_PRECONDITION), in the order each
//         header lists them.
//  - The caller passes the state of the aggregate the command's id names;
//    Decide need not compare ids. Events stamp instants with Context::now
//    and the acting principal with Context::actor.
//  - Evolve is total and never fails: events are facts already accepted.
//    It applies exactly what the event says (it does not re-check rules)
//    and increments `version` by one for every event, including an empty
//    oneof (which changes nothing else). Evolve(Evolve(s, e1), e2) of the
//    same events always yields equal states (operator==).
//  - A state with version == 0 is "does not exist".
//  - A command that writes to more than one aggregate returns a struct
//    naming every stream's events (e.g. InitiativeDecision); the caller
//    appends all of them in one atomic batch or none.
#ifndef GAVEL_DOMAIN_DECIDER_H_
#define GAVEL_DOMAIN_DECIDER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "domain/rejection.h"

namespace gavel::domain {

// Events for one aggregate other than the command's target.
template <typename Event>
struct AggregateEvents {
  std::string aggregate_id;
  std::vector<Event> events;
};

// Step 2 of the order of checks, for any state with a `version` member.
// AGGREGATE_ALREADY_EXISTS (field `id_field`) when `state` exists: the guard
// of a creation command. `message` names the id that is taken.
template <typename State>
absl::Status RequireNew(const State& state, absl::string_view id_field,
                        absl::string_view message) {
  if (state.version > 0) {
    return Reject(kAggregateAlreadyExists, id_field, message);
  }
  return absl::OkStatus();
}

// AGGREGATE_NOT_FOUND (field `id_field`) when `state` does not exist: the
// guard of every other command. `message` says what is missing.
template <typename State>
absl::Status RequireExisting(const State& state, absl::string_view id_field,
                             absl::string_view message) {
  if (state.version == 0) {
    return Reject(kAggregateNotFound, id_field, message);
  }
  return absl::OkStatus();
}

// Folds `events` into `state` with the aggregate's Evolve (found by ADL).
template <typename State, typename Event>
State Fold(State state, absl::Span<const Event> events) {
  for (const Event& event : events) state = Evolve(std::move(state), event);
  return state;
}

}  // namespace gavel::domain

#endif  // GAVEL_DOMAIN_DECIDER_H_
