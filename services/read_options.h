// What the read options and filters of a query mean, for every service
// that reads the projections: the position an `as_of` travels to, and the
// decision history query a DecisionFilter asks for.
#ifndef GAVEL_SERVICES_READ_OPTIONS_H_
#define GAVEL_SERVICES_READ_OPTIONS_H_

#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"
#include "gavel/v1/portfolio_query_service.pb.h"
#include "projections/decision_history_projection.h"
#include "projections/projection_host.h"

namespace gavel::services {

// The log position `read` asks to travel to (its as_of_position, or the
// position current at its as_of_time), or nullopt for the live models.
// INVALID_ARGUMENT: AS_OF_BEYOND_HEAD, AS_OF_IN_FUTURE, or an invalid
// timestamp (reason INVALID_ARGUMENT).
absl::StatusOr<std::optional<uint64_t>> ReadPosition(
    const projections::ProjectionHost& host,
    const gavel::v1::ReadOptions& read);

// The decision history query of `filter`. INVALID_TIME_RANGE when
// decided_from is after decided_to.
absl::StatusOr<projections::DecisionQuery> DecisionQueryOf(
    const gavel::v1::DecisionFilter& filter);

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_READ_OPTIONS_H_
