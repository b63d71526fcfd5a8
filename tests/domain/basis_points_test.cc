#include "domain/basis_points.h"

#include <cstdint>
#include <limits>
#include <numeric>
#include <vector>

#include "domain/rejection.h"
#include "gtest/gtest.h"

namespace gavel::domain {
namespace {

TEST(BasisPointsTest, RoundsHalfAwayFromZero) {
  EXPECT_EQ(DivideRoundHalfAwayFromZero(5, 2), 3);
  EXPECT_EQ(DivideRoundHalfAwayFromZero(-5, 2), -3);
  EXPECT_EQ(DivideRoundHalfAwayFromZero(5, -2), -3);
  EXPECT_EQ(DivideRoundHalfAwayFromZero(7, 3), 2);
  EXPECT_EQ(DivideRoundHalfAwayFromZero(8, 3), 3);
  EXPECT_EQ(DivideRoundHalfAwayFromZero(-8, 3), -3);
  EXPECT_EQ(DivideRoundHalfAwayFromZero(0, 7), 0);
  EXPECT_EQ(DivideRoundHalfAwayFromZero(1, 0), 0);
}

TEST(BasisPointsTest, DivisionIsExactForHugeNumerators) {
  const int64_t max = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(DivideRoundHalfAwayFromZero(max, 1), max);
  EXPECT_EQ(DivideRoundHalfAwayFromZero(max, max), 1);
  EXPECT_EQ(
      DivideRoundHalfAwayFromZero(std::numeric_limits<int64_t>::min(), -1),
      max);  // Saturates.
}

TEST(BasisPointsTest, ProgressIsExactOverTheWholeInt64Range) {
  const int64_t max = std::numeric_limits<int64_t>::max();
  const int64_t min = std::numeric_limits<int64_t>::min();
  EXPECT_EQ(ProgressBasisPoints(100, 200, 150), 5000);
  EXPECT_EQ(ProgressBasisPoints(200, 100, 150), 5000);
  EXPECT_EQ(ProgressBasisPoints(100, 200, 50), -5000);
  EXPECT_EQ(ProgressBasisPoints(0, 3, 1), 3333);
  EXPECT_EQ(ProgressBasisPoints(0, 3, 2), 6667);
  EXPECT_EQ(ProgressBasisPoints(min, max, max), 10000);
  EXPECT_EQ(ProgressBasisPoints(0, 1, max), max);  // Saturates.
  EXPECT_EQ(ProgressBasisPoints(7, 7, 9), 0);
}

TEST(BasisPointsTest, ApportionsByLargestRemainderToExactly10000) {
  absl::StatusOr<std::vector<int32_t>> thirds =
      ApportionBasisPoints({1.0, 1.0, 1.0});
  ASSERT_TRUE(thirds.ok());
  // 3333.33 each: the one leftover point goes to the lowest index.
  EXPECT_EQ(*thirds, (std::vector<int32_t>{3334, 3333, 3333}));

  absl::StatusOr<std::vector<int32_t>> sevenths =
      ApportionBasisPoints({4.0, 2.0, 1.0});
  ASSERT_TRUE(sevenths.ok());
  // 5714.29, 2857.14, 1428.57: the leftover goes to the .57 remainder.
  EXPECT_EQ(*sevenths, (std::vector<int32_t>{5714, 2857, 1429}));
  EXPECT_EQ(std::accumulate(sevenths->begin(), sevenths->end(), 0), 10000);
}

TEST(BasisPointsTest, ApportionRejectsEmptyNegativeAndZeroShares) {
  EXPECT_EQ(ReasonOf(ApportionBasisPoints({}).status()), "VALUE_OUT_OF_RANGE");
  EXPECT_EQ(ReasonOf(ApportionBasisPoints({1.0, -1.0}).status()),
            "VALUE_OUT_OF_RANGE");
  EXPECT_EQ(ReasonOf(ApportionBasisPoints({0.0, 0.0}).status()),
            "VALUE_OUT_OF_RANGE");
}

}  // namespace
}  // namespace gavel::domain
