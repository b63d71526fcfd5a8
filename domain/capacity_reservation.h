// The capacity rule shared by gate decisions and pools: firm reservations
// never exceed a pool's supply in any period unless the deciding board
// overrides with a reason. Used by the Initiative decider (CAPACITY_AVAILABLE
// gate check, reservation on a reserving gate's GO, release on kill,
// withdrawal or closure) to write CapacityPool events in the same batch.
#ifndef GAVEL_DOMAIN_CAPACITY_RESERVATION_H_
#define GAVEL_DOMAIN_CAPACITY_RESERVATION_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "domain/context.h"
#include "gavel/v1/events.pb.h"

namespace gavel::domain {

// OK when, for every entry of `amounts`, the period's firm_reserved + amount
// <= supply (a period the pool does not define has supply 0). Otherwise
// CAPACITY_EXCEEDED with field `field` and a message naming the pool, the
// period and the shortfall.
absl::Status CheckCapacityAvailable(
    const CapacityPoolView& pool,
    absl::Span<const gavel::v1::PeriodAmount> amounts, absl::string_view field);

// The firm DemandReserved event for `amounts` in `pool`. When capacity is
// short: CAPACITY_EXCEEDED (field `field`) if `override_reason` is blank,
// else the event records override_reason. INVALID_PERIOD (field `field`)
// when a period_start is not a period start of the pool's granularity.
absl::StatusOr<gavel::v1::CapacityPoolEvent> ReserveDemand(
    const CapacityPoolView& pool, absl::string_view initiative_id,
    const gavel::v1::DecisionRef& decision,
    absl::Span<const gavel::v1::PeriodAmount> amounts,
    absl::string_view override_reason, absl::string_view field);

// The DemandReleased event giving back `amounts` (what was reserved).
gavel::v1::CapacityPoolEvent ReleaseDemand(
    absl::string_view initiative_id, const gavel::v1::DecisionRef& decision,
    absl::Span<const gavel::v1::PeriodAmount> amounts,
    absl::string_view reason);

}  // namespace gavel::domain

#endif  // GAVEL_DOMAIN_CAPACITY_RESERVATION_H_
