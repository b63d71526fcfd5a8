// CapacityPool: supply of a skill or organisational unit per period (month
// or quarter), and the demand firmly reserved against it. Stream: one per
// pool_id. Decide/Evolve contracts follow domain/decider.h; rules:
//  - defined once; every supply entry starts a period of the pool's
//    granularity, is >= 0, and no period appears twice;
//  - firm reservations never exceed a period's supply unless the deciding
//    board overrides with a reason: an adjustment below the period's firm
//    reservations needs override_reason and override_decision, recorded by
//    the chair of that board (or the chair's active delegate);
//  - reservations and releases are not commands of their own: they are
//    written by initiative decisions (a reserving gate's GO reserves, a
//    kill, withdrawal or closure releases) in the same atomic batch, built
//    with domain/capacity_reservation.h. Evolve applies them: a firm
//    DemandReserved adds its amounts to firm_reserved; DemandReleased takes
//    its amounts back from that initiative's reservations in force (oldest
//    first, per period), lowering firm_reserved by what was firm (never
//    below 0), and drops what is left empty. So firm_reserved is always the
//    sum of the firm reservations in force.
#ifndef GAVEL_DOMAIN_CAPACITY_POOL_H_
#define GAVEL_DOMAIN_CAPACITY_POOL_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/context.h"
#include "gavel/v1/commands.pb.h"
#include "gavel/v1/events.pb.h"

namespace gavel::domain {

// Events of one capacity pool stream, in append order.
using CapacityPoolEvents = std::vector<gavel::v1::CapacityPoolEvent>;

struct CapacityPoolState {
  uint64_t version = 0;
  gavel::v1::CapacityPoolDefined definition;
  // Current supply and firm reservations, ascending period_start (periods
  // added by adjustment are inserted in order).
  std::vector<CapacityPeriodView> periods;
  // Reservations in force, in the order made (released ones removed).
  std::vector<gavel::v1::DemandReserved> reservations;
};

// DefineCapacityPool -> [CapacityPoolDefined] (supply sorted ascending).
// Rejects: MISSING_FIELD (pool_id, name, skill_or_unit, unit_of_measure),
// INVALID_ENUM (kind, granularity), INVALID_DATE / INVALID_PERIOD /
// VALUE_OUT_OF_RANGE (supply[i]), DUPLICATE_ENTRY (supply[i].period_start),
// AGGREGATE_ALREADY_EXISTS.
absl::StatusOr<CapacityPoolEvents> Decide(
    const CapacityPoolState& state, const gavel::v1::DefineCapacityPool& cmd,
    const Context& ctx);

// AdjustCapacity -> [CapacityAdjusted] (previous_supply filled; 0 for a new
// period).
// Needs: ctx.board = the board of override_decision.board_id when an
// override is given.
// Rejects: INVALID_DATE (period_start), VALUE_OUT_OF_RANGE (supply < 0),
// REASON_REQUIRED, AGGREGATE_NOT_FOUND, INVALID_PERIOD, SUPPLY_BELOW_RESERVED
// (below firm reservations, no override_reason), MISSING_FIELD
// (override_decision.board_id with an override), BOARD_NOT_FOUND,
// NOT_THE_CHAIR.
absl::StatusOr<CapacityPoolEvents> Decide(const CapacityPoolState& state,
                                          const gavel::v1::AdjustCapacity& cmd,
                                          const Context& ctx);

CapacityPoolState Evolve(CapacityPoolState state,
                         const gavel::v1::CapacityPoolEvent& event);

// The view initiatives read (Context::pools).
CapacityPoolView ViewOf(const CapacityPoolState& state);

bool operator==(const CapacityPoolState& a, const CapacityPoolState& b);
inline bool operator!=(const CapacityPoolState& a, const CapacityPoolState& b) {
  return !(a == b);
}

}  // namespace gavel::domain

#endif  // GAVEL_DOMAIN_CAPACITY_POOL_H_
