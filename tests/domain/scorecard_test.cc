#include "domain/scorecard.h"

#include <string>
#include <vector>

#include "domain/rejection.h"
#include "gtest/gtest.h"

namespace gavel::domain {
namespace {

gavel::v1::Criterion MakeCriterion(const std::string& id, int min, int max,
                                   gavel::v1::Polarity polarity, int weight) {
  gavel::v1::Criterion c;
  c.set_criterion_id(id);
  c.set_name(id);
  c.set_scale_min(min);
  c.set_scale_max(max);
  c.set_polarity(polarity);
  c.set_weight_bp(weight);
  return c;
}

class ScorecardTest : public ::testing::Test {
 protected:
  ScorecardTest() {
    // A: strategic value 1..5, higher is better, 60 %.
    criteria_.push_back(
        MakeCriterion("A", 1, 5, gavel::v1::POLARITY_HIGHER_IS_BETTER, 6000));
    // B: delivery risk 0..10, lower is better, 40 %, must meet 50 %.
    criteria_.push_back(
        MakeCriterion("B", 0, 10, gavel::v1::POLARITY_LOWER_IS_BETTER, 4000));
    criteria_[1].set_must_meet(true);
    criteria_[1].set_must_meet_threshold_bp(5000);
  }
  std::vector<gavel::v1::Criterion> criteria_;
  std::vector<std::string> scorers_ = {"s1", "s2"};
};

TEST_F(ScorecardTest, NormalizesOnTheScaleWithPolarityAndRounding) {
  EXPECT_EQ(*NormalizedScoreBp(criteria_[0], 1), 0);
  EXPECT_EQ(*NormalizedScoreBp(criteria_[0], 4), 7500);
  EXPECT_EQ(*NormalizedScoreBp(criteria_[1], 2), 8000);  // Low risk is good.
  gavel::v1::Criterion quarters =
      MakeCriterion("Q", 1, 4, gavel::v1::POLARITY_HIGHER_IS_BETTER, 0);
  EXPECT_EQ(*NormalizedScoreBp(quarters, 2), 3333);  // 3333.33
  EXPECT_EQ(*NormalizedScoreBp(quarters, 3), 6667);  // 6666.67
}

TEST_F(ScorecardTest, RejectsScoresOutsideTheScale) {
  absl::StatusOr<int32_t> bp = NormalizedScoreBp(criteria_[0], 6);
  EXPECT_TRUE(IsRejection(bp.status(), kScoreOutOfScale));
}

TEST_F(ScorecardTest, ComputesWeightedScoreAndDispersionByHand) {
  // A: s1 4 -> 7500, s2 5 -> 10000: consensus 8750, range 2500.
  // B: s1 2 -> 8000, s2 6 -> 4000: consensus 6000, range 4000.
  // weighted   = (6000 * 8750 + 4000 * 6000) / 10000 = 7650
  // dispersion = (6000 * 2500 + 4000 * 4000) / 10000 = 3100
  std::vector<CriterionScore> scores = {
      {"A", "s1", 3},
      {"A", "s1", 4},  // The later score replaces.
      {"A", "s2", 5},
      {"B", "s1", 2},
      {"B", "s2", 6}};
  absl::StatusOr<gavel::v1::ScorecardLocked> card =
      ComputeScorecard(criteria_, scorers_, scores);
  ASSERT_TRUE(card.ok()) << card.status();
  EXPECT_EQ(card->weighted_score_bp(), 7650);
  EXPECT_EQ(card->dispersion_bp(), 3100);
  ASSERT_EQ(card->criteria_size(), 2);
  EXPECT_EQ(card->criteria(0).consensus_bp(), 8750);
  EXPECT_EQ(card->criteria(0).range_bp(), 2500);
  EXPECT_EQ(card->criteria(1).consensus_bp(), 6000);
  EXPECT_EQ(card->criteria(1).range_bp(), 4000);
  EXPECT_TRUE(card->must_meet_passed());
}

TEST_F(ScorecardTest, MustMeetFailsBelowThresholdWhateverTheScore) {
  std::vector<CriterionScore> scores = {
      {"A", "s1", 5}, {"A", "s2", 5}, {"B", "s1", 9}, {"B", "s2", 7}};
  absl::StatusOr<gavel::v1::ScorecardLocked> card =
      ComputeScorecard(criteria_, scorers_, scores);
  ASSERT_TRUE(card.ok());
  EXPECT_FALSE(card->must_meet_passed());
  ASSERT_EQ(card->failed_must_meet_criteria_size(), 1);
  EXPECT_EQ(card->failed_must_meet_criteria(0), "B");
}

TEST_F(ScorecardTest, RejectsIncompleteUnassignedAndUnknown) {
  EXPECT_TRUE(IsRejection(
      ComputeScorecard(criteria_, scorers_, {{"A", "s1", 4}}).status(),
      kScorecardIncomplete));
  EXPECT_TRUE(IsRejection(
      ComputeScorecard(criteria_, scorers_, {{"A", "s9", 4}}).status(),
      kNotAnAssignedScorer));
  EXPECT_TRUE(IsRejection(
      ComputeScorecard(criteria_, scorers_, {{"Z", "s1", 4}}).status(),
      kCriterionNotFound));
  EXPECT_TRUE(IsRejection(ComputeScorecard(criteria_, {}, {}).status(),
                          kNoScorersAssigned));
}

TEST_F(ScorecardTest, ValidatesWeightsToExactly10000) {
  EXPECT_TRUE(ValidateCriteria(criteria_, /*weights_given=*/true).ok());
  criteria_[1].set_weight_bp(3999);
  absl::Status status = ValidateCriteria(criteria_, /*weights_given=*/true);
  EXPECT_TRUE(IsRejection(status, kWeightsDoNotSum));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(ScorecardTest, ValidatesScalesAndDuplicateIds) {
  criteria_[1].set_scale_max(0);
  absl::Status status = ValidateCriteria(criteria_, true);
  EXPECT_TRUE(IsRejection(status, kInvalidScale));
  EXPECT_EQ(FieldOf(status), "criteria[1].scale_max");
  criteria_[1].set_scale_max(10);
  criteria_[1].set_criterion_id("A");
  EXPECT_TRUE(IsRejection(ValidateCriteria(criteria_, true), kDuplicateEntry));
}

TEST_F(ScorecardTest, WeightedScoreRoundsHalfUp) {
  EXPECT_EQ(WeightedScoreBp({1, 0}, {5000, 5000}), 1);  // 0.5 -> 1
  EXPECT_EQ(WeightedScoreBp({3, 0}, {5000, 5000}), 2);  // 1.5 -> 2
  EXPECT_EQ(WeightedScoreBp({10000, 10000}, {3000, 7000}), 10000);
}

}  // namespace
}  // namespace gavel::domain
