// Initiative: scoring under the active approved framework, locking the
// scorecard, and priority changes.
#include <string>
#include <vector>

#include "domain/initiative.h"
#include "gtest/gtest.h"
#include "tests/domain/initiative_test_world.h"

namespace gavel::domain::test {
namespace {

gavel::v1::AssignScorers AssignCommand(std::vector<std::string> scorers) {
  gavel::v1::AssignScorers cmd;
  cmd.set_initiative_id("ini-1");
  cmd.set_framework_id("wsjf");
  for (const std::string& scorer : scorers) cmd.add_scorers(scorer);
  return cmd;
}

// ---------------------------------------------------------------------------
// AssignScorers
// ---------------------------------------------------------------------------

TEST_F(InitiativeTest, AssignScorersStartsANewRoundEachTime) {
  Submit();
  Events events = Accept(AssignCommand({"s1", "s2"}));
  EXPECT_EQ(events[0].scorers_assigned().round(), 1);
  Accept(ScoreCommand("value", 3), "s1");
  Accept(AssignCommand({"s3"}));
  EXPECT_EQ(state_.scoring.round, 2);
  EXPECT_EQ(state_.scoring.scorers, std::vector<std::string>{"s3"});
  EXPECT_TRUE(state_.scoring.scores.empty());
}

TEST_F(InitiativeTest, AssignScorersRejectsMalformedInput) {
  Submit();
  EXPECT_TRUE(Rejected(Try(AssignCommand({})), kMissingField, "scorers"));
  EXPECT_TRUE(
      Rejected(Try(AssignCommand({"s1", " "})), kMissingField, "scorers[1]"));
  EXPECT_TRUE(Rejected(Try(AssignCommand({"s1", "s1"})), kDuplicateEntry,
                       "scorers[1]"));
  gavel::v1::AssignScorers no_framework = AssignCommand({"s1"});
  no_framework.clear_framework_id();
  EXPECT_TRUE(Rejected(Try(no_framework), kMissingField, "framework_id"));
}

TEST_F(InitiativeTest, AssignScorersNeedsAnApprovedFramework) {
  Submit();
  framework_.reset();
  EXPECT_TRUE(
      Rejected(Try(AssignCommand({"s1"})), kFrameworkNotFound, "framework_id"));
  framework_ = Wsjf();
  framework_->active_version = 0;
  EXPECT_TRUE(Rejected(Try(AssignCommand({"s1"})), kFrameworkNotApproved,
                       "framework_id"));
}

TEST_F(InitiativeTest, TheSponsorIsNeverAssignedToScore) {
  Submit();
  EXPECT_TRUE(Rejected(Try(AssignCommand({"s1", "spo"})), kSponsorCannotScore,
                       "scorers[1]"));
}

// ---------------------------------------------------------------------------
// ScoreCriterion
// ---------------------------------------------------------------------------

TEST_F(InitiativeTest, ScoreCriterionRecordsTheActorUnderTheActiveVersion) {
  Submit();
  Accept(AssignCommand({"s1", "s2"}));
  Events events = Accept(ScoreCommand("value", 4), "s1");
  const gavel::v1::CriterionScored& e = events[0].criterion_scored();
  EXPECT_EQ(e.scorer(), "s1");
  EXPECT_EQ(e.round(), 1);
  EXPECT_EQ(e.framework_version(), 1);
  Accept(ScoreCommand("value", 2), "s1");  // Replaces the earlier score.
  ASSERT_EQ(state_.scoring.scores.size(), 1u);
  EXPECT_EQ(state_.scoring.scores[0].value, 2);
}

TEST_F(InitiativeTest, ScoreCriterionRejectsMalformedInput) {
  Submit();
  Accept(AssignCommand({"s1"}));
  gavel::v1::ScoreCriterion cmd = ScoreCommand("value", 3);
  cmd.clear_rationale();
  EXPECT_TRUE(Rejected(Try(cmd, "s1"), kReasonRequired, "rationale"));
  EXPECT_TRUE(
      Rejected(Try(ScoreCommand("", 3), "s1"), kMissingField, "criterion_id"));
}

TEST_F(InitiativeTest, OnlyAssignedScorersOtherThanTheSponsorScore) {
  Submit();
  EXPECT_TRUE(
      Rejected(Try(ScoreCommand("value", 3), "s1"), kNoScorersAssigned));
  Accept(AssignCommand({"s1"}));
  EXPECT_TRUE(
      Rejected(Try(ScoreCommand("value", 3), "spo"), kSponsorCannotScore));
  EXPECT_TRUE(
      Rejected(Try(ScoreCommand("value", 3), "s2"), kNotAnAssignedScorer));
}

TEST_F(InitiativeTest, ScoresUseTheActiveApprovedFrameworkAndItsScales) {
  Submit();
  Accept(AssignCommand({"s1"}));
  EXPECT_TRUE(Rejected(Try(ScoreCommand("speed", 3), "s1"), kCriterionNotFound,
                       "criterion_id"));
  EXPECT_TRUE(
      Rejected(Try(ScoreCommand("value", 6), "s1"), kScoreOutOfScale, "value"));
  EXPECT_TRUE(Rejected(Try(ScoreCommand("risk", -1), "s1"), kScoreOutOfScale));
  framework_->active_version = 0;  // Its only approved version retired.
  EXPECT_TRUE(
      Rejected(Try(ScoreCommand("value", 3), "s1"), kFrameworkNotApproved));
  framework_.reset();
  EXPECT_TRUE(
      Rejected(Try(ScoreCommand("value", 3), "s1"), kFrameworkNotFound));
}

TEST_F(InitiativeTest, ALockedScorecardTakesNoScores) {
  Submit();
  ScoreAndLock();
  EXPECT_TRUE(Rejected(Try(ScoreCommand("value", 3), "s1"), kScorecardLocked));
  EXPECT_TRUE(Rejected(Try(gavel::v1::LockScorecard()), kScorecardLocked));
}

// ---------------------------------------------------------------------------
// LockScorecard
// ---------------------------------------------------------------------------

TEST_F(InitiativeTest, LockScorecardComputesWeightedScoreAndDispersion) {
  Submit();
  ScoreAndLock();
  ASSERT_TRUE(state_.scoring.locked.has_value());
  const gavel::v1::ScorecardLocked& card = *state_.scoring.locked;
  // value: 7500 and 10000 -> 8750, range 2500; risk: 8000 and 4000 -> 6000,
  // range 4000. 0.6 * 8750 + 0.4 * 6000 = 7650; 0.6 * 2500 + 0.4 * 4000.
  EXPECT_EQ(card.weighted_score_bp(), 7650);
  EXPECT_EQ(card.dispersion_bp(), 3100);
  EXPECT_TRUE(card.must_meet_passed());
  EXPECT_EQ(card.round(), 1);
  EXPECT_EQ(card.framework_id(), "wsjf");
  EXPECT_EQ(card.framework_version(), 1);
}

TEST_F(InitiativeTest, LockScorecardNeedsEveryScorerOnEveryCriterion) {
  Submit();
  EXPECT_TRUE(Rejected(Try(gavel::v1::LockScorecard()), kNoScorersAssigned));
  Accept(AssignCommand({"s1", "s2"}));
  Accept(ScoreCommand("value", 4), "s1");
  Accept(ScoreCommand("risk", 4), "s1");
  Accept(ScoreCommand("value", 4), "s2");
  EXPECT_TRUE(Rejected(Try(gavel::v1::LockScorecard()), kScorecardIncomplete,
                       "criterion_id"));
}

TEST_F(InitiativeTest, LockScorecardNeedsScoresUnderTheStillActiveVersion) {
  Submit();
  Accept(AssignCommand({"s1"}));
  Accept(ScoreCommand("value", 4), "s1");
  Accept(ScoreCommand("risk", 4), "s1");
  framework_->active_version = 2;  // A new version was approved meanwhile.
  EXPECT_TRUE(
      Rejected(Try(gavel::v1::LockScorecard()), kFrameworkVersionChanged));
  Accept(ScoreCommand("value", 4), "s1");
  Accept(ScoreCommand("risk", 4), "s1");
  Events events = Accept(gavel::v1::LockScorecard());
  EXPECT_EQ(events[0].scorecard_locked().framework_version(), 2);
  Accept(AssignCommand({"s1"}));
  framework_->active_version = 0;
  EXPECT_TRUE(Rejected(Try(gavel::v1::LockScorecard()), kFrameworkNotApproved));
}

// ---------------------------------------------------------------------------
// ChangePriority
// ---------------------------------------------------------------------------

gavel::v1::ChangePriority PriorityCommand(gavel::v1::Priority to) {
  gavel::v1::ChangePriority cmd;
  cmd.set_initiative_id("ini-1");
  cmd.set_to_priority(to);
  cmd.set_reason("regulatory deadline moved forward");
  cmd.set_board_id("gov");
  cmd.set_cycle_id("c-q1");
  return cmd;
}

TEST_F(InitiativeTest, ChangePriorityByAVotingMemberOrTheirDelegate) {
  Submit();
  Events events = Accept(PriorityCommand(gavel::v1::PRIORITY_HIGH), "bo");
  const gavel::v1::PriorityChanged& e = events[0].priority_changed();
  EXPECT_EQ(e.from_priority(), gavel::v1::PRIORITY_UNSPECIFIED);
  EXPECT_EQ(e.to_priority(), gavel::v1::PRIORITY_HIGH);
  EXPECT_EQ(e.changed_by(), "bo");
  EXPECT_EQ(e.cycle_id(), "c-q1");
  gavel::v1::ChangePriority out_of_cycle =
      PriorityCommand(gavel::v1::PRIORITY_CRITICAL);
  out_of_cycle.clear_cycle_id();
  Accept(out_of_cycle, "del");
  EXPECT_EQ(state_.priority, gavel::v1::PRIORITY_CRITICAL);
}

TEST_F(InitiativeTest, ChangePriorityRejectsMalformedInput) {
  Submit();
  gavel::v1::ChangePriority cmd = PriorityCommand(gavel::v1::PRIORITY_HIGH);
  cmd.clear_reason();
  EXPECT_TRUE(Rejected(Try(cmd, "bo"), kReasonRequired, "reason"));
  cmd = PriorityCommand(gavel::v1::PRIORITY_UNSPECIFIED);
  EXPECT_TRUE(Rejected(Try(cmd, "bo"), kInvalidEnum, "to_priority"));
  cmd = PriorityCommand(gavel::v1::PRIORITY_HIGH);
  cmd.clear_board_id();
  EXPECT_TRUE(Rejected(Try(cmd, "bo"), kMissingField, "board_id"));
}

TEST_F(InitiativeTest, ChangePriorityNeedsTheBoardAndCycle) {
  Submit();
  gavel::v1::ChangePriority cmd = PriorityCommand(gavel::v1::PRIORITY_HIGH);
  cmd.set_board_id("other");
  EXPECT_TRUE(Rejected(Try(cmd, "bo"), kBoardNotFound, "board_id"));
  cmd = PriorityCommand(gavel::v1::PRIORITY_HIGH);
  cmd.set_cycle_id("c-q9");
  EXPECT_TRUE(Rejected(Try(cmd, "bo"), kCycleNotFound, "cycle_id"));
}

TEST_F(InitiativeTest, ChangePriorityIsForVotingMembers) {
  Submit();
  gavel::v1::ChangePriority cmd = PriorityCommand(gavel::v1::PRIORITY_HIGH);
  EXPECT_TRUE(Rejected(Try(cmd, "dee"), kNotAVotingMember));  // Advisory.
  EXPECT_TRUE(Rejected(Try(cmd, "spo"), kNotAVotingMember));
  now_ = kStart + absl::Hours(24 * 31);  // bo's delegation has expired.
  EXPECT_TRUE(Rejected(Try(cmd, "del"), kNotAVotingMember));
}

TEST_F(InitiativeTest, ChangePriorityNeedsAnOpenCycleOfTheBoard) {
  Submit();
  gavel::v1::ChangePriority cmd = PriorityCommand(gavel::v1::PRIORITY_HIGH);
  cycle_->closed = true;
  EXPECT_TRUE(Rejected(Try(cmd, "bo"), kCycleClosed, "cycle_id"));
  cycle_->closed = false;
  cycle_->board_id = "other";
  EXPECT_TRUE(Rejected(Try(cmd, "bo"), kCycleBoardMismatch, "cycle_id"));
}

TEST_F(InitiativeTest, ChangePriorityMustChangeSomething) {
  Submit();
  Accept(PriorityCommand(gavel::v1::PRIORITY_HIGH), "bo");
  EXPECT_TRUE(Rejected(Try(PriorityCommand(gavel::v1::PRIORITY_HIGH), "cy"),
                       kValueOutOfRange, "to_priority"));
}

}  // namespace
}  // namespace gavel::domain::test
