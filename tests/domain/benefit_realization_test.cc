#include "domain/benefit_realization.h"

#include <limits>

#include "domain/rejection.h"
#include "gtest/gtest.h"

namespace gavel::domain {
namespace {

constexpr auto kUp = gavel::v1::DIRECTION_INCREASE;
constexpr auto kDown = gavel::v1::DIRECTION_DECREASE;

int64_t Realized(int64_t baseline, int64_t target, int64_t actual,
                 gavel::v1::Direction direction, bool dis_benefit = false) {
  absl::StatusOr<BenefitRealization> r =
      RealizeBenefit(baseline, target, actual, direction, dis_benefit);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? r->realization_bp : -999999;
}

TEST(BenefitRealizationTest, ShareOfPlannedChange) {
  EXPECT_EQ(Realized(100, 200, 150, kUp), 5000);
  EXPECT_EQ(Realized(100, 200, 200, kUp), 10000);
  EXPECT_EQ(Realized(100, 200, 250, kUp), 15000);  // Over-delivery.
  EXPECT_EQ(Realized(100, 200, 90, kUp), -1000);   // The wrong way.
  EXPECT_EQ(Realized(100, 50, 80, kDown), 4000);   // Lower is better.
}

TEST(BenefitRealizationTest, RoundsHalfAwayFromZero) {
  EXPECT_EQ(Realized(0, 3, 1, kUp), 3333);
  EXPECT_EQ(Realized(0, 3, 2, kUp), 6667);
  EXPECT_EQ(Realized(0, 20000, 1, kUp), 1);    // 0.5 -> 1
  EXPECT_EQ(Realized(0, 20000, -1, kUp), -1);  // -0.5 -> -1
}

TEST(BenefitRealizationTest, DisBenefitIsShareOfExpectedHarmSignedNegative) {
  // Run cost (lower is better) expected to rise from 100 to 120; it is 110.
  absl::StatusOr<BenefitRealization> r =
      RealizeBenefit(100, 120, 110, kDown, /*dis_benefit=*/true);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->realization_bp, 5000);
  EXPECT_EQ(r->net_bp, -5000);
}

TEST(BenefitRealizationTest, TargetEqualToBaselineHoldsTheLine) {
  EXPECT_EQ(Realized(100, 100, 100, kUp), 10000);
  EXPECT_EQ(Realized(100, 100, 101, kUp), 10000);
  EXPECT_EQ(Realized(100, 100, 99, kUp), 0);
  EXPECT_EQ(Realized(100, 100, 99, kDown), 10000);
  EXPECT_EQ(Realized(100, 100, 100, kUp, /*dis_benefit=*/true), 0);
  EXPECT_EQ(Realized(100, 100, 99, kUp, /*dis_benefit=*/true), 10000);
}

TEST(BenefitRealizationTest, ExtremeValuesDoNotOverflow) {
  const int64_t max = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(Realized(0, max, max, kUp), 10000);
  EXPECT_EQ(Realized(-max, max, 0, kUp), 5000);
}

TEST(BenefitRealizationTest, RejectsUnspecifiedDirection) {
  EXPECT_TRUE(IsRejection(
      RealizeBenefit(0, 1, 1, gavel::v1::DIRECTION_UNSPECIFIED, false).status(),
      kInvalidEnum));
}

TEST(BenefitRealizationTest, TargetMustLieOnTheRightSide) {
  EXPECT_TRUE(ValidateBenefitTarget(100, 200, kUp, false, "target").ok());
  EXPECT_TRUE(ValidateBenefitTarget(100, 100, kUp, false, "target").ok());
  absl::Status wrong = ValidateBenefitTarget(100, 50, kUp, false, "target");
  EXPECT_TRUE(IsRejection(wrong, kTargetContradictsDirection));
  EXPECT_EQ(FieldOf(wrong), "target");
  // A dis-benefit's target is on the worse side.
  EXPECT_TRUE(ValidateBenefitTarget(100, 120, kDown, true, "target").ok());
  EXPECT_TRUE(IsRejection(ValidateBenefitTarget(100, 80, kDown, true, "t"),
                          kTargetContradictsDirection));
}

}  // namespace
}  // namespace gavel::domain
