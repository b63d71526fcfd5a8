#include "domain/decision_latency.h"

#include <algorithm>
#include <vector>

#include "domain/basis_points.h"
#include "domain/calendar.h"

namespace gavel::domain {

absl::Duration DecisionLatency(absl::Time requested, absl::Time decided) {
  return std::max(decided - requested, absl::ZeroDuration());
}

absl::Duration DecisionLatency(const google::protobuf::Timestamp& requested,
                               const google::protobuf::Timestamp& decided) {
  return DecisionLatency(FromTimestamp(requested), FromTimestamp(decided));
}

bool MeetsSla(absl::Duration latency, absl::Duration sla) {
  return sla <= absl::ZeroDuration() || latency <= sla;
}

absl::Duration LatencyPercentile(absl::Span<const absl::Duration> latencies,
                                 int32_t percentile_bp) {
  if (latencies.empty()) return absl::ZeroDuration();
  percentile_bp = std::clamp(percentile_bp, 1, kWholeBasisPoints);
  std::vector<absl::Duration> sorted(latencies.begin(), latencies.end());
  std::sort(sorted.begin(), sorted.end());
  // rank = ceil(p * n / 10000), 1-based.
  const int64_t n = static_cast<int64_t>(sorted.size());
  const int64_t rank =
      (static_cast<int64_t>(percentile_bp) * n + kWholeBasisPoints - 1) /
      kWholeBasisPoints;
  return sorted[std::clamp<int64_t>(rank, 1, n) - 1];
}

}  // namespace gavel::domain
