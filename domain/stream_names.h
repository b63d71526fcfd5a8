// How the aggregates are named in the log: stream id := prefix + aggregate
// id (e.g. "initiative-I-042"). The writer (services/aggregate_kinds.h) and
// the readers (projections/) share these.
#ifndef GAVEL_DOMAIN_STREAM_NAMES_H_
#define GAVEL_DOMAIN_STREAM_NAMES_H_

#include "absl/strings/string_view.h"

namespace gavel::domain {

inline constexpr absl::string_view kObjectiveStreamPrefix = "objective-";
inline constexpr absl::string_view kFrameworkStreamPrefix = "framework-";
inline constexpr absl::string_view kLifecycleModelStreamPrefix = "lifecycle-";
inline constexpr absl::string_view kBoardStreamPrefix = "board-";
inline constexpr absl::string_view kGovernanceCycleStreamPrefix = "cycle-";
inline constexpr absl::string_view kCapacityPoolStreamPrefix = "pool-";
inline constexpr absl::string_view kPmoServiceStreamPrefix = "pmo-";
inline constexpr absl::string_view kInitiativeStreamPrefix = "initiative-";
inline constexpr absl::string_view kPortfolioPlanStreamPrefix = "plan-";

}  // namespace gavel::domain

#endif  // GAVEL_DOMAIN_STREAM_NAMES_H_
