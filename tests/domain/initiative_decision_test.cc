// Initiative: gate decisions (quorum, decision rule, chair, budget ceiling,
// conditions, scorecard, capacity reservation and release), holds and
// their release, and condition satisfaction.
#include <string>
#include <vector>

#include "domain/initiative.h"
#include "gtest/gtest.h"
#include "tests/domain/initiative_test_world.h"

namespace gavel::domain::test {
namespace {

// ---------------------------------------------------------------------------
// RecordGateDecision: what is recorded
// ---------------------------------------------------------------------------

TEST_F(InitiativeTest, AGoPassesTheGateWithTallyAndProvenance) {
  Submit();
  OpenReview(0);
  VoteTwice(GATE_VOTE_GO);
  Accept(VoteCommand(GATE_VOTE_ABSTAIN), "cy");
  const uint64_t position = state_.version;
  Events events = Accept(DecisionCommand(GATE_OUTCOME_GO), "ana");
  const gavel::v1::GateDecided& e = events[0].gate_decided();
  EXPECT_EQ(e.review_number(), 1);
  EXPECT_EQ(e.gate_id(), "G0");
  EXPECT_EQ(e.board_id(), "gov");
  EXPECT_EQ(e.outcome(), GATE_OUTCOME_GO);
  EXPECT_EQ(e.tally().eligible(), 3);
  EXPECT_EQ(e.tally().go(), 2);
  EXPECT_EQ(e.tally().abstain(), 1);
  EXPECT_EQ(e.tally().recused(), 0);
  EXPECT_EQ(e.reviewed_position(), position);  // ctx.stream_position.
  EXPECT_EQ(e.decided_by(), "ana");
  EXPECT_EQ(FromTimestamp(e.decided_at()), kStart);
  EXPECT_FALSE(e.baselines_frozen());
  EXPECT_EQ(state_.passed_gates, std::vector<std::string>{"G0"});
  EXPECT_EQ(state_.status, InitiativeStatus::kActive);
  EXPECT_EQ(state_.OpenReview(), nullptr);
}

TEST_F(InitiativeTest, ADecisionIsNeverEditedOnlyFollowedByAnother) {
  Submit();
  OpenReview(0);
  EXPECT_TRUE(Rejected(DecideGate(DecisionCommand(GATE_OUTCOME_GO)).status(),
                       kQuorumNotMet));
  VoteTwice(GATE_VOTE_GO);
  RecordDecision(DecisionCommand(GATE_OUTCOME_GO));
  EXPECT_TRUE(Rejected(DecideGate(DecisionCommand(GATE_OUTCOME_KILL)).status(),
                       kNoOpenReview));
}

TEST_F(InitiativeTest, TheReviewedPositionIsKeptButNeverInTheFuture) {
  Submit();
  OpenReview(0);
  VoteTwice(GATE_VOTE_GO);
  gavel::v1::RecordGateDecision cmd = DecisionCommand(GATE_OUTCOME_GO);
  cmd.set_reviewed_position(head_position_ + 1);
  EXPECT_TRUE(Rejected(DecideGate(cmd).status(), kReviewedPositionInFuture,
                       "reviewed_position"));
  cmd.set_reviewed_position(7);
  Events events = Accept(cmd, "ana");
  EXPECT_EQ(events[0].gate_decided().reviewed_position(), 7u);
}

TEST_F(InitiativeTest, RecordGateDecisionRejectsMalformedInput) {
  Submit();
  OpenReview(0);
  VoteTwice(GATE_VOTE_GO);
  gavel::v1::RecordGateDecision cmd = DecisionCommand(GATE_OUTCOME_GO);
  cmd.clear_rationale();
  EXPECT_TRUE(Rejected(DecideGate(cmd).status(), kReasonRequired, "rationale"));
  cmd = DecisionCommand(gavel::v1::GATE_OUTCOME_UNSPECIFIED);
  EXPECT_TRUE(Rejected(DecideGate(cmd).status(), kInvalidEnum, "outcome"));
  cmd = DecisionCommand(GATE_OUTCOME_CONDITIONAL_GO);
  *cmd.add_conditions() = MakeCondition("c-1", MakeDate(2025, 2, 30));
  EXPECT_TRUE(Rejected(DecideGate(cmd).status(), kInvalidDate,
                       "conditions[0].due_date"));
}

TEST_F(InitiativeTest, RecordGateDecisionNeedsTheModelAndALiveInitiative) {
  Submit();
  OpenReview(0);
  VoteTwice(GATE_VOTE_GO);
  model_.reset();
  EXPECT_TRUE(Rejected(DecideGate(DecisionCommand(GATE_OUTCOME_GO)).status(),
                       kLifecycleModelNotFound));
  model_ = DefaultLifecycleModelView();
  gavel::v1::WithdrawInitiative withdraw;
  withdraw.set_reason("sponsor left");
  Accept(withdraw, "spo");
  EXPECT_TRUE(Rejected(DecideGate(DecisionCommand(GATE_OUTCOME_GO)).status(),
                       kInitiativeTerminal));
}

// ---------------------------------------------------------------------------
// Who decides, quorum and decision rule
// ---------------------------------------------------------------------------

TEST_F(InitiativeTest, TheChairOrTheChairsDelegateRecordsTheDecision) {
  Submit();
  OpenReview(0);
  VoteTwice(GATE_VOTE_GO);
  gavel::v1::RecordGateDecision cmd = DecisionCommand(GATE_OUTCOME_GO);
  EXPECT_TRUE(Rejected(DecideGate(cmd, "bo").status(), kNotTheChair));
  EXPECT_TRUE(Rejected(DecideGate(cmd, "del").status(), kNotTheChair));
  board_->delegations.push_back(
      {"d-ana-vic", "ana", "vic", kStart, kStart + absl::Hours(1)});
  absl::StatusOr<InitiativeDecision> by_delegate = DecideGate(cmd, "vic");
  ASSERT_TRUE(by_delegate.ok()) << by_delegate.status();
  EXPECT_EQ(by_delegate->events[0].gate_decided().decided_by(), "vic");
  board_->members.erase(board_->members.begin());  // The chair left.
  EXPECT_TRUE(Rejected(DecideGate(cmd, "ana").status(), kNoChair));
  board_.reset();
  EXPECT_TRUE(Rejected(DecideGate(cmd, "ana").status(), kBoardNotFound));
}

TEST_F(InitiativeTest, QuorumCountsOnlyEligibleVotesAbstentionsIncluded) {
  Submit();
  OpenReview(0);
  Accept(RecuseCommand("cy"), "cy");
  Accept(VoteCommand(GATE_VOTE_GO), "ana");
  EXPECT_TRUE(Rejected(DecideGate(DecisionCommand(GATE_OUTCOME_GO)).status(),
                       kQuorumNotMet));
  Accept(VoteCommand(GATE_VOTE_ABSTAIN), "bo");
  absl::StatusOr<InitiativeDecision> decision =
      DecideGate(DecisionCommand(GATE_OUTCOME_GO));
  ASSERT_TRUE(decision.ok()) << decision.status();
  const gavel::v1::Tally& tally = decision->events[0].gate_decided().tally();
  EXPECT_EQ(tally.eligible(), 2);
  EXPECT_EQ(tally.recused(), 1);
  // A member removed from the board after voting no longer counts.
  board_->members.erase(board_->members.begin() + 1);  // bo.
  EXPECT_TRUE(Rejected(DecideGate(DecisionCommand(GATE_OUTCOME_GO)).status(),
                       kQuorumNotMet));
}

TEST_F(InitiativeTest, MajorityNeedsMoreThanHalfOfTheNonAbstainingVotes) {
  Submit();
  OpenReview(0);
  Accept(VoteCommand(GATE_VOTE_GO), "ana");
  Accept(VoteCommand(GATE_VOTE_KILL), "bo");
  EXPECT_TRUE(Rejected(DecideGate(DecisionCommand(GATE_OUTCOME_GO)).status(),
                       kDecisionRuleNotMet, "outcome"));
  EXPECT_TRUE(Rejected(DecideGate(DecisionCommand(GATE_OUTCOME_KILL)).status(),
                       kDecisionRuleNotMet));
  Accept(VoteCommand(GATE_VOTE_KILL), "cy");
  RecordDecision(DecisionCommand(GATE_OUTCOME_KILL));
  EXPECT_EQ(state_.status, InitiativeStatus::kKilled);
}

TEST_F(InitiativeTest, GoVotesAlsoFavourAConditionalGo) {
  Submit();
  OpenReview(0);
  Accept(VoteCommand(GATE_VOTE_GO), "ana");
  Accept(VoteCommand(GATE_VOTE_CONDITIONAL_GO), "bo");
  EXPECT_TRUE(Rejected(DecideGate(DecisionCommand(GATE_OUTCOME_GO)).status(),
                       kDecisionRuleNotMet));
  gavel::v1::RecordGateDecision cmd =
      DecisionCommand(GATE_OUTCOME_CONDITIONAL_GO);
  *cmd.add_conditions() = MakeCondition("c-1", MakeDate(2025, 3, 1));
  RecordDecision(cmd);
  EXPECT_EQ(state_.conditions.size(), 1u);
}

TEST_F(InitiativeTest, UnanimityNeedsEveryNonAbstainingVote) {
  board_->decision_rule = gavel::v1::DECISION_RULE_UNANIMOUS;
  Submit();
  OpenReview(0);
  Accept(VoteCommand(GATE_VOTE_ABSTAIN), "ana");
  Accept(VoteCommand(GATE_VOTE_ABSTAIN), "bo");
  EXPECT_TRUE(Rejected(DecideGate(DecisionCommand(GATE_OUTCOME_GO)).status(),
                       kDecisionRuleNotMet));  // Nobody in favour.
  Accept(VoteCommand(GATE_VOTE_GO), "cy");
  RecordDecision(DecisionCommand(GATE_OUTCOME_GO));
  OpenReview(1);
  VoteTwice(GATE_VOTE_GO);
  Accept(VoteCommand(GATE_VOTE_RECYCLE), "cy");
  EXPECT_TRUE(Rejected(DecideGate(DecisionCommand(GATE_OUTCOME_GO)).status(),
                       kDecisionRuleNotMet));
}

TEST_F(InitiativeTest, UnderTheChairRuleTheChairsVoteDecides) {
  board_->decision_rule = gavel::v1::DECISION_RULE_CHAIR;
  Submit();
  OpenReview(0);
  Accept(VoteCommand(GATE_VOTE_HOLD), "ana");
  Accept(VoteCommand(GATE_VOTE_GO), "bo");
  Accept(VoteCommand(GATE_VOTE_GO), "cy");
  EXPECT_TRUE(Rejected(DecideGate(DecisionCommand(GATE_OUTCOME_GO)).status(),
                       kDecisionRuleNotMet));
  RecordDecision(DecisionCommand(GATE_OUTCOME_HOLD));
  EXPECT_EQ(state_.status, InitiativeStatus::kOnHold);
}

// ---------------------------------------------------------------------------
// Conditions and budget
// ---------------------------------------------------------------------------

TEST_F(InitiativeTest, ConditionsBelongToAConditionalGoOnly) {
  Submit();
  OpenReview(0);
  VoteTwice(GATE_VOTE_GO);
  gavel::v1::RecordGateDecision cmd =
      DecisionCommand(GATE_OUTCOME_CONDITIONAL_GO);
  EXPECT_TRUE(
      Rejected(DecideGate(cmd).status(), kConditionsRequired, "conditions"));
  cmd = DecisionCommand(GATE_OUTCOME_GO);
  *cmd.add_conditions() = MakeCondition("c-1", MakeDate(2025, 3, 1));
  EXPECT_TRUE(
      Rejected(DecideGate(cmd).status(), kConditionsNotAllowed, "conditions"));
}

TEST_F(InitiativeTest, ConditionsAreWellFormedDueAndUnique) {
  Submit();
  OpenReview(0);
  VoteTwice(GATE_VOTE_GO);
  gavel::v1::RecordGateDecision cmd =
      DecisionCommand(GATE_OUTCOME_CONDITIONAL_GO);
  *cmd.add_conditions() = MakeCondition("c-1", MakeDate(2025, 3, 1));
  cmd.mutable_conditions(0)->clear_owner();
  EXPECT_TRUE(
      Rejected(DecideGate(cmd).status(), kMissingField, "conditions[0].owner"));
  *cmd.mutable_conditions(0) = MakeCondition("c-1", MakeDate(2025, 1, 14));
  EXPECT_TRUE(Rejected(DecideGate(cmd).status(), kInvalidTimeRange,
                       "conditions[0].due_date"));
  *cmd.mutable_conditions(0) = MakeCondition("c-1", MakeDate(2025, 1, 15));
  *cmd.add_conditions() = MakeCondition("c-1", MakeDate(2025, 2, 1));
  EXPECT_TRUE(Rejected(DecideGate(cmd).status(), kDuplicateEntry,
                       "conditions[1].condition_id"));
  cmd.mutable_conditions()->RemoveLast();
  RecordDecision(cmd);
  // Condition ids stay unique across the initiative's decisions.
  gavel::v1::SatisfyCondition satisfy;
  satisfy.set_condition_id("c-1");
  *satisfy.mutable_satisfied_on() = MakeDate(2025, 1, 15);
  satisfy.set_evidence("done");
  Accept(satisfy);
  OpenReview(1);
  VoteTwice(GATE_VOTE_GO);
  EXPECT_TRUE(Rejected(DecideGate(cmd).status(), kDuplicateId,
                       "conditions[0].condition_id"));
}

TEST_F(InitiativeTest, TheBudgetApprovedStaysWithinTheMandateCeiling) {
  Submit();
  OpenReview(0);
  VoteTwice(GATE_VOTE_GO);
  gavel::v1::RecordGateDecision cmd = DecisionCommand(GATE_OUTCOME_GO);
  *cmd.mutable_budget_approved() = Eur(100000001);
  EXPECT_TRUE(Rejected(DecideGate(cmd).status(), kBudgetCeilingExceeded,
                       "budget_approved"));
  cmd.mutable_budget_approved()->set_currency("USD");
  EXPECT_TRUE(
      Rejected(DecideGate(cmd).status(), kCurrencyMismatch, "budget_approved"));
  cmd.mutable_budget_approved()->set_currency("usd");
  EXPECT_TRUE(
      Rejected(DecideGate(cmd).status(), kInvalidMoney, "budget_approved"));
  board_->mandate.mutable_budget_ceiling()->set_currency("CHF");
  *cmd.mutable_budget_approved() = Eur(1);
  EXPECT_TRUE(
      Rejected(DecideGate(cmd).status(), kCurrencyMismatch, "budget_approved"));
  board_ = GovBoard();
  *cmd.mutable_budget_approved() = Eur(100000000);
  Events events = Accept(cmd, "ana");
  EXPECT_EQ(events[0].gate_decided().budget_approved().minor_units(),
            100000000);
}

TEST_F(InitiativeTest, OnlyAGoApprovesABudget) {
  Submit();
  OpenReview(0);
  Accept(VoteCommand(GATE_VOTE_KILL), "ana");
  Accept(VoteCommand(GATE_VOTE_KILL), "bo");
  gavel::v1::RecordGateDecision cmd = DecisionCommand(GATE_OUTCOME_KILL);
  *cmd.mutable_budget_approved() = Eur(1);
  EXPECT_TRUE(
      Rejected(DecideGate(cmd).status(), kValueOutOfRange, "budget_approved"));
}

// ---------------------------------------------------------------------------
// The scorecard is locked before its gate is decided
// ---------------------------------------------------------------------------

TEST_F(InitiativeTest, AGoNeedsTheScorecardStillLockedAtDecisionTime) {
  Submit();
  PassGates(1);
  OpenReview(1);
  VoteTwice(GATE_VOTE_GO);
  gavel::v1::AssignScorers rescore;
  rescore.set_framework_id("wsjf");
  rescore.add_scorers("s3");
  Accept(rescore);  // A new round during the review unlocks the scorecard.
  EXPECT_TRUE(Rejected(DecideGate(DecisionCommand(GATE_OUTCOME_GO)).status(),
                       kScorecardNotLocked));
  Accept(ScoreCommand("value", 4), "s3");
  Accept(ScoreCommand("risk", 3), "s3");
  framework_->active_version = 2;
  Accept(VoteCommand(GATE_VOTE_GO), "cy");
  EXPECT_TRUE(Rejected(DecideGate(DecisionCommand(GATE_OUTCOME_GO)).status(),
                       kScorecardNotLocked));
  framework_ = Wsjf();
  Accept(gavel::v1::LockScorecard());
  RecordDecision(DecisionCommand(GATE_OUTCOME_GO));
  EXPECT_EQ(state_.passed_gates.size(), 2u);
}

// ---------------------------------------------------------------------------
// Capacity: reserved by a reserving gate's go, released on kill,
// withdrawal and closure
// ---------------------------------------------------------------------------

TEST_F(InitiativeTest, PassingTheInvestmentGateReservesDemandAtomically) {
  Submit();
  PassGates(2);
  OpenReview(2);
  VoteTwice(GATE_VOTE_GO);
  absl::StatusOr<InitiativeDecision> decision =
      DecideGate(DecisionCommand(GATE_OUTCOME_GO));
  ASSERT_TRUE(decision.ok()) << decision.status();
  const gavel::v1::GateDecided& e = decision->events[0].gate_decided();
  EXPECT_TRUE(e.baselines_frozen());
  EXPECT_EQ(e.capacity_reserved_size(), 2);
  EXPECT_TRUE(e.capacity_override_reason().empty());
  ASSERT_EQ(decision->pool_events.size(), 2u);
  EXPECT_EQ(decision->pool_events[0].aggregate_id, "data-eng");
  EXPECT_EQ(decision->pool_events[1].aggregate_id, "ops");
  const gavel::v1::DemandReserved& reserved =
      decision->pool_events[0].events[0].demand_reserved();
  EXPECT_TRUE(reserved.firm());
  EXPECT_EQ(reserved.initiative_id(), "ini-1");
  EXPECT_EQ(reserved.decision().board_id(), "gov");
  EXPECT_EQ(reserved.decision().initiative_id(), "ini-1");
  EXPECT_EQ(reserved.decision().review_number(), 3);
  EXPECT_EQ(reserved.amounts_size(), 2);
  RecordDecision(DecisionCommand(GATE_OUTCOME_GO));
  EXPECT_TRUE(state_.baselines_frozen);
  EXPECT_EQ(state_.reserved_capacity.size(), 2u);
  EXPECT_TRUE(Rejected(Try(BenefitCommand()), kBaselineFrozen, "benefit_id"));
}

TEST_F(InitiativeTest, ReservingBeyondSupplyNeedsTheBoardsOverrideReason) {
  Submit();
  PassGates(2);
  OpenReview(2);
  VoteTwice(GATE_VOTE_GO);
  pools_[0].periods[1].firm_reserved = 61;  // Reserved by others meanwhile.
  gavel::v1::RecordGateDecision cmd = DecisionCommand(GATE_OUTCOME_GO);
  EXPECT_TRUE(Rejected(DecideGate(cmd).status(), kCapacityExceeded,
                       "capacity_override_reason"));
  cmd.set_capacity_override_reason("regulatory deadline outranks BAU work");
  absl::StatusOr<InitiativeDecision> decision = DecideGate(cmd);
  ASSERT_TRUE(decision.ok()) << decision.status();
  EXPECT_EQ(decision->events[0].gate_decided().capacity_override_reason(),
            "regulatory deadline outranks BAU work");
  EXPECT_EQ(
      decision->pool_events[0].events[0].demand_reserved().override_reason(),
      "regulatory deadline outranks BAU work");
  EXPECT_TRUE(decision->pool_events[1]
                  .events[0]
                  .demand_reserved()
                  .override_reason()
                  .empty());
  pools_.pop_back();
  EXPECT_TRUE(Rejected(DecideGate(cmd).status(), kCapacityPoolNotFound));
}

TEST_F(InitiativeTest, KillingReleasesReservedCapacity) {
  Submit();
  PassGates(3);
  OpenReview(3);
  Accept(VoteCommand(GATE_VOTE_KILL), "ana");
  Accept(VoteCommand(GATE_VOTE_KILL), "bo");
  absl::StatusOr<InitiativeDecision> decision =
      DecideGate(DecisionCommand(GATE_OUTCOME_KILL));
  ASSERT_TRUE(decision.ok()) << decision.status();
  ASSERT_EQ(decision->pool_events.size(), 2u);
  const gavel::v1::DemandReleased& released =
      decision->pool_events[0].events[0].demand_released();
  EXPECT_EQ(released.initiative_id(), "ini-1");
  EXPECT_EQ(released.decision().review_number(), 4);
  EXPECT_EQ(released.amounts_size(), 2);
  RecordDecision(DecisionCommand(GATE_OUTCOME_KILL));
  EXPECT_EQ(state_.status, InitiativeStatus::kKilled);
  EXPECT_TRUE(state_.reserved_capacity.empty());
}

TEST_F(InitiativeTest, WithdrawingReleasesReservedCapacity) {
  Submit();
  PassGates(3);
  gavel::v1::WithdrawInitiative cmd;
  cmd.set_reason("market exit");
  absl::StatusOr<InitiativeDecision> decision = Decide(state_, cmd, Ctx("spo"));
  ASSERT_TRUE(decision.ok()) << decision.status();
  ASSERT_EQ(decision->pool_events.size(), 2u);
  EXPECT_EQ(decision->pool_events[1].aggregate_id, "ops");
  EXPECT_EQ(decision->pool_events[1]
                .events[0]
                .demand_released()
                .decision()
                .board_id(),
            "");
}

// ---------------------------------------------------------------------------
// HOLD, RECYCLE and ReleaseHold
// ---------------------------------------------------------------------------

gavel::v1::ReleaseHold ReleaseCommand() {
  gavel::v1::ReleaseHold cmd;
  cmd.set_initiative_id("ini-1");
  cmd.set_reason("funding confirmed");
  return cmd;
}

TEST_F(InitiativeTest, AHoldBlocksReviewsUntilTheChairReleasesIt) {
  Submit();
  OpenReview(0);
  Accept(VoteCommand(GATE_VOTE_HOLD), "ana");
  Accept(VoteCommand(GATE_VOTE_HOLD), "bo");
  RecordDecision(DecisionCommand(GATE_OUTCOME_HOLD));
  EXPECT_EQ(state_.status, InitiativeStatus::kOnHold);
  EXPECT_EQ(state_.held_gate_id, "G0");
  EXPECT_TRUE(Rejected(Try(ReviewCommand("G0")), kInitiativeOnHold));
  gavel::v1::ReleaseHold cmd = ReleaseCommand();
  EXPECT_TRUE(Rejected(Try(cmd, "bo"), kNotTheChair));
  cmd.clear_reason();
  EXPECT_TRUE(Rejected(Try(cmd, "ana"), kReasonRequired, "reason"));
  Events events = Accept(ReleaseCommand(), "ana");
  EXPECT_EQ(events[0].hold_released().gate_id(), "G0");
  EXPECT_EQ(events[0].hold_released().board_id(), "gov");
  EXPECT_EQ(state_.status, InitiativeStatus::kProposed);
  EXPECT_TRUE(Rejected(Try(ReleaseCommand(), "ana"), kNotOnHold));
  Accept(ReviewCommand("G0"));
}

TEST_F(InitiativeTest, ReleaseHoldNeedsTheHoldingBoardAndItsChair) {
  Submit();
  PassGates(1);
  OpenReview(1);
  Accept(VoteCommand(GATE_VOTE_HOLD), "ana");
  Accept(VoteCommand(GATE_VOTE_HOLD), "bo");
  RecordDecision(DecisionCommand(GATE_OUTCOME_HOLD));
  board_->board_id = "exec";
  EXPECT_TRUE(Rejected(Try(ReleaseCommand(), "ana"), kBoardNotFound));
  board_ = GovBoard();
  board_->members.erase(board_->members.begin());
  EXPECT_TRUE(Rejected(Try(ReleaseCommand(), "ana"), kNoChair));
  board_ = GovBoard();
  Accept(ReleaseCommand(), "ana");
  EXPECT_EQ(state_.status, InitiativeStatus::kActive);  // G0 was passed.
}

TEST_F(InitiativeTest, ARecycleLeavesTheGateOpenForAnotherReview) {
  Submit();
  OpenReview(0);
  Accept(VoteCommand(GATE_VOTE_RECYCLE), "ana");
  Accept(VoteCommand(GATE_VOTE_RECYCLE), "bo");
  RecordDecision(DecisionCommand(GATE_OUTCOME_RECYCLE));
  EXPECT_TRUE(state_.passed_gates.empty());
  EXPECT_EQ(state_.status, InitiativeStatus::kProposed);
  Events events = Accept(ReviewCommand("G0"));
  EXPECT_EQ(events[0].gate_review_requested().review_number(), 2);
}

// ---------------------------------------------------------------------------
// SatisfyCondition
// ---------------------------------------------------------------------------

TEST_F(InitiativeTest, SatisfyConditionOnceWithEvidenceAndNotInTheFuture) {
  Submit();
  OpenReview(0);
  VoteTwice(GATE_VOTE_GO);
  gavel::v1::RecordGateDecision decision =
      DecisionCommand(GATE_OUTCOME_CONDITIONAL_GO);
  *decision.add_conditions() = MakeCondition("c-dpo", MakeDate(2025, 2, 1));
  RecordDecision(decision);
  gavel::v1::SatisfyCondition cmd;
  cmd.set_condition_id("c-dpo");
  *cmd.mutable_satisfied_on() = MakeDate(2025, 1, 16);
  cmd.set_evidence("DPO letter");
  EXPECT_TRUE(Rejected(Try(cmd), kInvalidTimeRange, "satisfied_on"));
  *cmd.mutable_satisfied_on() = MakeDate(2025, 1, 15);
  cmd.clear_evidence();
  EXPECT_TRUE(Rejected(Try(cmd), kReasonRequired, "evidence"));
  cmd.set_evidence("DPO letter");
  Events events = Accept(cmd, "spo");
  EXPECT_EQ(events[0].condition_satisfied().satisfied_by(), "spo");
  EXPECT_TRUE(state_.conditions[0].satisfied.has_value());
  EXPECT_TRUE(Rejected(Try(cmd), kConditionAlreadySatisfied, "condition_id"));
  cmd.set_condition_id("c-none");
  EXPECT_TRUE(Rejected(Try(cmd), kConditionNotFound, "condition_id"));
  cmd.clear_condition_id();
  EXPECT_TRUE(Rejected(Try(cmd), kMissingField, "condition_id"));
}

}  // namespace
}  // namespace gavel::domain::test
