#include "domain/ahp.h"

#include <numeric>
#include <string>
#include <vector>

#include "domain/rejection.h"
#include "gtest/gtest.h"
#include "tests/domain/aggregate_testing.h"

namespace gavel::domain::test {
namespace {

std::vector<gavel::v1::Criterion> Criteria(std::vector<std::string> ids) {
  std::vector<gavel::v1::Criterion> criteria;
  for (const std::string& id : ids) {
    gavel::v1::Criterion c;
    c.set_criterion_id(id);
    criteria.push_back(c);
  }
  return criteria;
}

TEST(AhpTest, SaatyRandomIndexTable) {
  EXPECT_DOUBLE_EQ(SaatyRandomIndex(2), 0.0);
  EXPECT_DOUBLE_EQ(SaatyRandomIndex(3), 0.58);
  EXPECT_DOUBLE_EQ(SaatyRandomIndex(4), 0.90);
  EXPECT_DOUBLE_EQ(SaatyRandomIndex(10), 1.49);
  EXPECT_DOUBLE_EQ(SaatyRandomIndex(15), 1.59);
}

TEST(AhpTest, PerfectlyConsistentMatrixHasExactWeightsAndZeroCr) {
  // a_ij = w_i / w_j with w = 4/7, 2/7, 1/7.
  const double m[] = {1, 2, 4, 0.5, 1, 2, 0.25, 0.5, 1};
  absl::StatusOr<AhpWeights> ahp = AhpFromMatrix(3, m);
  ASSERT_TRUE(ahp.ok()) << ahp.status();
  EXPECT_EQ(ahp->weights_bp, (std::vector<int32_t>{5714, 2857, 1429}));
  EXPECT_NEAR(ahp->principal_eigenvalue, 3.0, 1e-9);
  EXPECT_EQ(ahp->consistency_ratio_bp, 0);
}

TEST(AhpTest, ClassicThreeByThreeExample) {
  // [1 3 5; 1/3 1 3; 1/5 1/3 1]: w = 0.6370, 0.2583, 0.1047,
  // lambda_max = 3.0385, CI = 0.0193, CR = 0.0193 / 0.58 = 0.0332.
  const std::vector<gavel::v1::Criterion> criteria =
      Criteria({"value", "risk", "cost"});
  const std::vector<gavel::v1::AhpJudgement> judgements = {
      Judge("value", "risk", 3), Judge("value", "cost", 5),
      Judge("risk", "cost", 3)};
  absl::StatusOr<AhpWeights> ahp = AhpFromJudgements(criteria, judgements);
  ASSERT_TRUE(ahp.ok()) << ahp.status();
  EXPECT_EQ(ahp->weights_bp, (std::vector<int32_t>{6370, 2583, 1047}));
  EXPECT_NEAR(ahp->principal_eigenvalue, 3.0385, 1e-4);
  EXPECT_NEAR(ahp->consistency_ratio, 0.0332, 1e-4);
  EXPECT_EQ(ahp->consistency_ratio_bp, 331);  // floor(331.99)
  EXPECT_LT(ahp->consistency_ratio_bp, kMaxConsistencyRatioBp);
}

TEST(AhpTest, SaatyFourByFourExample) {
  // [1 5 3 7; 1/5 1 1/3 3; 1/3 3 1 5; 1/7 1/3 1/5 1]: lambda_max = 4.117,
  // CR = 0.039 / 0.90 = 0.0433.
  const double m[] = {1,       5, 3, 7, 1.0 / 5, 1,       1.0 / 3, 3,
                      1.0 / 3, 3, 1, 5, 1.0 / 7, 1.0 / 3, 1.0 / 5, 1};
  absl::StatusOr<AhpWeights> ahp = AhpFromMatrix(4, m);
  ASSERT_TRUE(ahp.ok()) << ahp.status();
  EXPECT_EQ(ahp->weights_bp, (std::vector<int32_t>{5650, 1175, 2622, 553}));
  EXPECT_NEAR(ahp->principal_eigenvalue, 4.1170, 1e-4);
  EXPECT_EQ(ahp->consistency_ratio_bp, 433);
  EXPECT_EQ(std::accumulate(ahp->weights_bp.begin(), ahp->weights_bp.end(), 0),
            10000);
}

TEST(AhpTest, CircularJudgementsAreFarAboveTheThreshold) {
  // a > b (9), b > c (9), c > a (9): maximally inconsistent.
  const std::vector<gavel::v1::AhpJudgement> judgements = {
      Judge("a", "b", 9), Judge("b", "c", 9), Judge("c", "a", 9)};
  absl::StatusOr<AhpWeights> ahp =
      AhpFromJudgements(Criteria({"a", "b", "c"}), judgements);
  ASSERT_TRUE(ahp.ok());
  EXPECT_GE(ahp->consistency_ratio_bp, kMaxConsistencyRatioBp);
  EXPECT_NEAR(ahp->consistency_ratio, 6.1303, 1e-3);
}

TEST(AhpTest, TwoCriteriaAreAlwaysConsistent) {
  absl::StatusOr<AhpWeights> ahp =
      AhpFromJudgements(Criteria({"a", "b"}), {Judge("a", "b", 3)});
  ASSERT_TRUE(ahp.ok());
  EXPECT_EQ(ahp->weights_bp, (std::vector<int32_t>{7500, 2500}));
  EXPECT_EQ(ahp->consistency_ratio_bp, 0);
}

TEST(AhpTest, RejectsIncompleteDuplicateUnknownAndOutOfScale) {
  const std::vector<gavel::v1::Criterion> criteria = Criteria({"a", "b", "c"});
  EXPECT_TRUE(IsRejection(
      AhpFromJudgements(criteria, {Judge("a", "b", 3), Judge("a", "c", 3)})
          .status(),
      kAhpJudgementsIncomplete));
  absl::Status duplicate =
      AhpFromJudgements(criteria, {Judge("a", "b", 3), Judge("b", "a", 2)})
          .status();
  EXPECT_TRUE(IsRejection(duplicate, kDuplicateEntry));
  EXPECT_EQ(FieldOf(duplicate), "judgements[1]");
  EXPECT_TRUE(
      IsRejection(AhpFromJudgements(criteria, {Judge("a", "z", 3)}).status(),
                  kCriterionNotFound));
  absl::Status scale =
      AhpFromJudgements(criteria, {Judge("a", "b", 10)}).status();
  EXPECT_TRUE(IsRejection(scale, kValueOutOfRange));
  EXPECT_EQ(FieldOf(scale), "judgements[0].intensity");
}

TEST(AhpTest, RejectsNonReciprocalMatrix) {
  const double m[] = {1, 2, 3, 1};
  EXPECT_TRUE(IsRejection(AhpFromMatrix(2, m).status(), kValueOutOfRange));
}

}  // namespace
}  // namespace gavel::domain::test
