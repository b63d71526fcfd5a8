#include "planning/sensitivity.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gavel::planning {
namespace {

using ::testing::ElementsAre;

TEST(SensitivityTest, ShiftWeightRenormalizesTheOthers) {
  absl::StatusOr<std::vector<int32_t>> up =
      ShiftWeight({5000, 3000, 2000}, 0, 1000);
  ASSERT_TRUE(up.ok());
  EXPECT_THAT(*up, ElementsAre(6000, 2400, 1600));
  absl::StatusOr<std::vector<int32_t>> down =
      ShiftWeight({5000, 3000, 2000}, 2, -1000);
  ASSERT_TRUE(down.ok());
  EXPECT_THAT(*down, ElementsAre(5625, 3375, 1000));  // x 9000 / 8000
  absl::StatusOr<std::vector<int32_t>> clamped =
      ShiftWeight({9500, 500}, 0, 1000);
  ASSERT_TRUE(clamped.ok());
  EXPECT_THAT(*clamped, ElementsAre(10000, 0));
  absl::StatusOr<std::vector<int32_t>> thirds =
      ShiftWeight({3334, 3333, 3333}, 0, -1000);
  ASSERT_TRUE(thirds.ok());
  EXPECT_EQ((*thirds)[0] + (*thirds)[1] + (*thirds)[2], 10000);
  EXPECT_FALSE(ShiftWeight({5000, 4000}, 0, 100).ok());  // sum != 10000
  EXPECT_FALSE(ShiftWeight({10000}, 0, -1000).ok());     // nobody to rescale
}

TEST(SensitivityTest, WeightedScoreRoundsHalfUp) {
  EXPECT_EQ(WeightedScore({6000, 4000}, {8000, 5000}), 6800);
  EXPECT_EQ(WeightedScore({5000, 5000}, {1, 0}), 1);  // 0.5 -> 1
}

TEST(SensitivityTest, KendallTauCountsConcordantPairs) {
  EXPECT_DOUBLE_EQ(KendallTau({"a", "b", "c"}, {"a", "b", "c"}), 1.0);
  EXPECT_DOUBLE_EQ(KendallTau({"a", "b", "c"}, {"c", "b", "a"}), -1.0);
  EXPECT_DOUBLE_EQ(KendallTau({"a", "b", "c"}, {"b", "a", "c"}), 1.0 / 3);
  EXPECT_DOUBLE_EQ(KendallTau({"a", "x", "b"}, {"b", "a"}), -1.0);
  EXPECT_DOUBLE_EQ(KendallTau({"a"}, {"a"}), 1.0);
}

}  // namespace
}  // namespace gavel::planning
