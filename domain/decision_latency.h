// Decision latency: the time a board takes from a gate review being
// requested (GateReviewRequested.requested_at) to its decision
// (GateDecided.decided_at), and the statistics service levels use.
#ifndef GAVEL_DOMAIN_DECISION_LATENCY_H_
#define GAVEL_DOMAIN_DECISION_LATENCY_H_

#include <cstdint>

#include "absl/time/time.h"
#include "absl/types/span.h"
#include "google/protobuf/timestamp.pb.h"

namespace gavel::domain {

// decided - requested, or zero if decided precedes requested (clock skew
// cannot make a latency negative).
absl::Duration DecisionLatency(absl::Time requested, absl::Time decided);
absl::Duration DecisionLatency(const google::protobuf::Timestamp& requested,
                               const google::protobuf::Timestamp& decided);

// True when `latency` <= `sla`; a zero or negative `sla` means none (true).
bool MeetsSla(absl::Duration latency, absl::Duration sla);

// Nearest-rank percentile: the smallest value v in `latencies` such that at
// least percentile_bp / 10000 of them are <= v (p50 = 5000, p90 = 9000,
// max = 10000). Zero for an empty span; percentile_bp clamped to [1, 10000].
absl::Duration LatencyPercentile(absl::Span<const absl::Duration> latencies,
                                 int32_t percentile_bp);

}  // namespace gavel::domain

#endif  // GAVEL_DOMAIN_DECISION_LATENCY_H_
