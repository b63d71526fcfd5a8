#include "domain/decision_latency.h"

#include <vector>

#include "domain/calendar.h"
#include "gtest/gtest.h"

namespace gavel::domain {
namespace {

TEST(DecisionLatencyTest, IsDecidedMinusRequestedNeverNegative) {
  const absl::Time requested = absl::FromUnixSeconds(1700000000);
  EXPECT_EQ(DecisionLatency(requested, requested + absl::Hours(50)),
            absl::Hours(50));
  EXPECT_EQ(DecisionLatency(requested, requested - absl::Seconds(1)),
            absl::ZeroDuration());
  EXPECT_EQ(DecisionLatency(ToTimestamp(requested),
                            ToTimestamp(requested + absl::Minutes(90))),
            absl::Minutes(90));
}

TEST(DecisionLatencyTest, SlaOfZeroMeansNone) {
  EXPECT_TRUE(MeetsSla(absl::Hours(72), absl::Hours(72)));
  EXPECT_FALSE(MeetsSla(absl::Hours(73), absl::Hours(72)));
  EXPECT_TRUE(MeetsSla(absl::Hours(1000), absl::ZeroDuration()));
}

TEST(DecisionLatencyTest, NearestRankPercentiles) {
  std::vector<absl::Duration> days;
  for (int d = 10; d >= 1; --d) days.push_back(absl::Hours(24 * d));
  EXPECT_EQ(LatencyPercentile(days, 5000), absl::Hours(24 * 5));
  EXPECT_EQ(LatencyPercentile(days, 9000), absl::Hours(24 * 9));
  EXPECT_EQ(LatencyPercentile(days, 9100), absl::Hours(24 * 10));
  EXPECT_EQ(LatencyPercentile(days, 10000), absl::Hours(24 * 10));
  EXPECT_EQ(LatencyPercentile({}, 5000), absl::ZeroDuration());
}

}  // namespace
}  // namespace gavel::domain
