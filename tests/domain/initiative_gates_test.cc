// Initiative: gate review requests and their must-meet checks, recusals
// and votes. Decisions, holds, conditions and capacity are in
// initiative_decision_test.cc.
#include <string>
#include <vector>

#include "domain/initiative.h"
#include "gtest/gtest.h"
#include "tests/domain/initiative_test_world.h"

namespace gavel::domain::test {
namespace {

// ---------------------------------------------------------------------------
// RequestGateReview
// ---------------------------------------------------------------------------

TEST_F(InitiativeTest, RequestGateReviewOpensTheNextGatesReview) {
  Submit();
  LinkPrimary();
  Events events = Accept(ReviewCommand("G0", "c-q1"), "spo");
  const gavel::v1::GateReviewRequested& e = events[0].gate_review_requested();
  EXPECT_EQ(e.review_number(), 1);
  EXPECT_EQ(e.gate_id(), "G0");
  EXPECT_EQ(e.board_id(), "gov");
  EXPECT_EQ(e.cycle_id(), "c-q1");
  EXPECT_EQ(e.requested_by(), "spo");
  EXPECT_EQ(FromTimestamp(e.requested_at()), kStart);
  ASSERT_NE(state_.OpenReview(), nullptr);
  EXPECT_EQ(state_.OpenReview()->request.gate_id(), "G0");
}

TEST_F(InitiativeTest, RequestGateReviewRejectsMalformedInput) {
  Submit();
  EXPECT_TRUE(Rejected(Try(ReviewCommand("")), kMissingField, "gate_id"));
  gavel::v1::RequestGateReview cmd = ReviewCommand("G0");
  cmd.clear_board_id();
  EXPECT_TRUE(Rejected(Try(cmd), kMissingField, "board_id"));
}

TEST_F(InitiativeTest, GatesAreReviewedStrictlyInModelOrder) {
  Submit();
  LinkPrimary();
  EXPECT_TRUE(Rejected(Try(ReviewCommand("G1")), kGateOutOfOrder, "gate_id"));
  EXPECT_TRUE(Rejected(Try(ReviewCommand("G9")), kGateNotFound, "gate_id"));
  PassGates(1);
  EXPECT_TRUE(Rejected(Try(ReviewCommand("G0")), kGateOutOfOrder, "gate_id"));
  EXPECT_TRUE(Rejected(Try(ReviewCommand("G2")), kGateOutOfOrder, "gate_id"));
  Prepare(1);
  Accept(ReviewCommand("G1"));
}

TEST_F(InitiativeTest, OnlyOneReviewIsOpenAtATime) {
  Submit();
  OpenReview(0);
  EXPECT_TRUE(Rejected(Try(ReviewCommand("G0")), kReviewAlreadyOpen));
}

TEST_F(InitiativeTest, RequestGateReviewNeedsTheInitiativesModel) {
  Submit();
  LinkPrimary();
  model_.reset();
  EXPECT_TRUE(Rejected(Try(ReviewCommand("G0")), kLifecycleModelNotFound));
}

TEST_F(InitiativeTest, ConditionsOfAConditionalGoBlockTheNextGate) {
  Submit();
  OpenReview(0);
  VoteTwice(gavel::v1::GATE_VOTE_GO);
  gavel::v1::RecordGateDecision decision =
      DecisionCommand(gavel::v1::GATE_OUTCOME_CONDITIONAL_GO);
  *decision.add_conditions() = MakeCondition("c-dpo", MakeDate(2025, 2, 15));
  RecordDecision(decision);
  EXPECT_EQ(state_.passed_gates, std::vector<std::string>{"G0"});
  Prepare(1);
  EXPECT_TRUE(Rejected(Try(ReviewCommand("G1")), kConditionsOpen));
  gavel::v1::SatisfyCondition satisfy;
  satisfy.set_condition_id("c-dpo");
  *satisfy.mutable_satisfied_on() = MakeDate(2025, 1, 15);
  satisfy.set_evidence("DPO sign-off letter");
  Accept(satisfy);
  Accept(ReviewCommand("G1"));
}

TEST_F(InitiativeTest, TheReviewingBoardMustBeMandatedForTheGate) {
  Submit();
  LinkPrimary();
  board_.reset();
  EXPECT_TRUE(Rejected(Try(ReviewCommand("G0")), kBoardNotFound, "board_id"));
  board_ = GovBoard();
  board_->mandate.clear_gate_ids();
  board_->mandate.add_gate_ids("G2");
  EXPECT_TRUE(
      Rejected(Try(ReviewCommand("G0")), kBoardNotMandated, "board_id"));
  board_ = GovBoard();
  model_->gates[0].set_board_id("exec");  // The gate pins another board.
  EXPECT_TRUE(
      Rejected(Try(ReviewCommand("G0")), kBoardNotMandated, "board_id"));
  model_->gates[0].set_board_id("gov");
  Accept(ReviewCommand("G0"));
}

TEST_F(InitiativeTest, AReviewInACycleNeedsAnOpenCycleOfTheBoard) {
  Submit();
  LinkPrimary();
  EXPECT_TRUE(
      Rejected(Try(ReviewCommand("G0", "c-q9")), kCycleNotFound, "cycle_id"));
  cycle_->closed = true;
  EXPECT_TRUE(
      Rejected(Try(ReviewCommand("G0", "c-q1")), kCycleClosed, "cycle_id"));
  cycle_->closed = false;
  cycle_->board_id = "exec";
  EXPECT_TRUE(Rejected(Try(ReviewCommand("G0", "c-q1")), kCycleBoardMismatch,
                       "cycle_id"));
}

constexpr char kLinked[] = "checks.GATE_CHECK_LINKED_TO_ACTIVE_OBJECTIVE";
constexpr char kScorecard[] = "checks.GATE_CHECK_SCORECARD_LOCKED";
constexpr char kBaselined[] = "checks.GATE_CHECK_BENEFITS_BASELINED";
constexpr char kCost[] = "checks.GATE_CHECK_COST_ESTIMATED";
constexpr char kCapacity[] = "checks.GATE_CHECK_CAPACITY_AVAILABLE";
constexpr char kBau[] = "checks.GATE_CHECK_BAU_IMPACT_ASSESSED";
constexpr char kMeasured[] = "checks.GATE_CHECK_BENEFIT_MEASURED";

TEST_F(InitiativeTest, MustMeetLinkedToAnActivePrimaryObjective) {
  Submit();
  EXPECT_TRUE(
      Rejected(Try(ReviewCommand("G0")), kMustMeetCheckFailed, kLinked));
  Accept(LinkCommand("obj-cost", false, 2000));  // Not primary.
  EXPECT_TRUE(
      Rejected(Try(ReviewCommand("G0")), kMustMeetCheckFailed, kLinked));
  LinkPrimary();
  objectives_[0].active = false;  // Retired after the link.
  EXPECT_TRUE(
      Rejected(Try(ReviewCommand("G0")), kMustMeetCheckFailed, kLinked));
  objectives_ = Objectives();
  Accept(ReviewCommand("G0"));
}

TEST_F(InitiativeTest, MustMeetAScorecardLockedUnderTheActiveFramework) {
  Submit();
  PassGates(1);
  Accept(BenefitCommand());
  EXPECT_TRUE(
      Rejected(Try(ReviewCommand("G1")), kMustMeetCheckFailed, kScorecard));
  ScoreAndLock();
  framework_->active_version = 2;  // Superseded since the lock.
  EXPECT_TRUE(
      Rejected(Try(ReviewCommand("G1")), kMustMeetCheckFailed, kScorecard));
  framework_ = Wsjf();
  Accept(ReviewCommand("G1"));
}

TEST_F(InitiativeTest, MustMeetCriteriaOfTheScorecardMustPass) {
  Submit();
  PassGates(1);
  Accept(BenefitCommand());
  gavel::v1::AssignScorers assign;
  assign.set_framework_id("wsjf");
  assign.add_scorers("s1");
  Accept(assign);
  Accept(ScoreCommand("value", 5), "s1");
  Accept(ScoreCommand("risk", 9), "s1");  // 1000 bp < must-meet 3000 bp.
  Accept(gavel::v1::LockScorecard());
  EXPECT_FALSE(state_.scoring.locked->must_meet_passed());
  EXPECT_TRUE(
      Rejected(Try(ReviewCommand("G1")), kMustMeetCheckFailed, kScorecard));
}

TEST_F(InitiativeTest, MustMeetEveryBenefitBaselined) {
  Submit();
  PassGates(1);
  ScoreAndLock();
  EXPECT_TRUE(
      Rejected(Try(ReviewCommand("G1")), kMustMeetCheckFailed, kBaselined));
  Accept(BenefitCommand());
  gavel::v1::RegisterBenefit unbaselined = BenefitCommand("b-nps");
  unbaselined.clear_baseline();
  unbaselined.set_measure_id("m-nps");
  Accept(unbaselined);
  EXPECT_TRUE(
      Rejected(Try(ReviewCommand("G1")), kMustMeetCheckFailed, kBaselined));
}

TEST_F(InitiativeTest, MustMeetACostEstimateOrForecast) {
  gavel::v1::SubmitInitiative free = SubmitCommand();
  free.mutable_cost_estimate()->set_minor_units(0);
  Accept(free, "sub");
  PassGates(1);
  Prepare(1);
  EXPECT_TRUE(Rejected(Try(ReviewCommand("G1")), kMustMeetCheckFailed, kCost));
  gavel::v1::ReviseForecast forecast;
  *forecast.mutable_cost_at_completion() = Eur(30000000);
  *forecast.mutable_finish_date() = MakeDate(2025, 12, 31);
  forecast.set_reason("estimated by the delivery team");
  Accept(forecast);
  Accept(ReviewCommand("G1"));
}

TEST_F(InitiativeTest, MustMeetCapacityAvailableInEveryDemandedPool) {
  Submit();
  PassGates(2);
  pools_[0].periods[0].firm_reserved = 71;  // 71 + 30 > 100 in February.
  EXPECT_TRUE(
      Rejected(Try(ReviewCommand("G2")), kMustMeetCheckFailed, kCapacity));
  pools_ = Pools();
  pools_[1].periods.clear();  // ops has no supply at all.
  EXPECT_TRUE(
      Rejected(Try(ReviewCommand("G2")), kMustMeetCheckFailed, kCapacity));
  pools_ = Pools();
  Accept(ReviewCommand("G2"));
}

TEST_F(InitiativeTest, MustMeetBauImpactAssessedBeforeGoLive) {
  Submit();
  PassGates(3);
  EXPECT_TRUE(Rejected(Try(ReviewCommand("G3")), kMustMeetCheckFailed, kBau));
  AssessBau();
  Accept(ReviewCommand("G3"));
}

TEST_F(InitiativeTest, MustMeetABenefitMeasuredBeforeTheBenefitsReview) {
  Submit();
  PassGates(4);
  EXPECT_TRUE(
      Rejected(Try(ReviewCommand("G4")), kMustMeetCheckFailed, kMeasured));
  Prepare(4);
  Accept(ReviewCommand("G4"));
}

// ---------------------------------------------------------------------------
// RecuseMember
// ---------------------------------------------------------------------------

TEST_F(InitiativeTest, AMemberRecusesThemselvesOrIsRecusedByTheChair) {
  Submit();
  OpenReview(0);
  Events events = Accept(RecuseCommand("bo"), "bo");
  EXPECT_EQ(events[0].member_recused().review_number(), 1);
  EXPECT_EQ(events[0].member_recused().recorded_by(), "bo");
  Accept(RecuseCommand("dee"), "ana");
  EXPECT_EQ(state_.OpenReview()->recusals.size(), 2u);
}

TEST_F(InitiativeTest, RecuseMemberRejectsBrokenRules) {
  Submit();
  gavel::v1::RecuseMember cmd = RecuseCommand("bo");
  EXPECT_TRUE(Rejected(Try(cmd, "bo"), kNoOpenReview));
  OpenReview(0);
  cmd.clear_reason();
  EXPECT_TRUE(Rejected(Try(cmd, "bo"), kReasonRequired, "reason"));
  EXPECT_TRUE(Rejected(Try(RecuseCommand(""), "bo"), kMissingField, "member"));
  EXPECT_TRUE(
      Rejected(Try(RecuseCommand("zed"), "ana"), kNotABoardMember, "member"));
  EXPECT_TRUE(Rejected(Try(RecuseCommand("bo"), "cy"), kNotTheChair));
  Accept(RecuseCommand("bo"), "bo");
  EXPECT_TRUE(
      Rejected(Try(RecuseCommand("bo"), "ana"), kAlreadyRecused, "member"));
  Accept(VoteCommand(gavel::v1::GATE_VOTE_GO), "cy");
  EXPECT_TRUE(
      Rejected(Try(RecuseCommand("cy"), "cy"), kAlreadyVoted, "member"));
  board_.reset();
  EXPECT_TRUE(Rejected(Try(RecuseCommand("ana"), "ana"), kBoardNotFound));
}

// ---------------------------------------------------------------------------
// CastGateVote
// ---------------------------------------------------------------------------

TEST_F(InitiativeTest, VotingMembersAndTheirDelegatesVote) {
  Submit();
  OpenReview(0);
  Events own = Accept(VoteCommand(gavel::v1::GATE_VOTE_GO), "ana");
  EXPECT_EQ(own[0].gate_vote_cast().member(), "ana");
  EXPECT_EQ(own[0].gate_vote_cast().cast_by(), "ana");
  EXPECT_TRUE(own[0].gate_vote_cast().delegation_id().empty());
  Events delegated =
      Accept(VoteCommand(gavel::v1::GATE_VOTE_RECYCLE, "bo"), "del");
  const gavel::v1::GateVoteCast& e = delegated[0].gate_vote_cast();
  EXPECT_EQ(e.member(), "bo");
  EXPECT_EQ(e.cast_by(), "del");
  EXPECT_EQ(e.delegation_id(), "d-bo-del");
  EXPECT_EQ(state_.OpenReview()->votes.size(), 2u);
}

TEST_F(InitiativeTest, CastGateVoteNeedsAValidVoteAndAnOpenReview) {
  Submit();
  EXPECT_TRUE(Rejected(Try(VoteCommand(gavel::v1::GATE_VOTE_GO), "ana"),
                       kNoOpenReview));
  OpenReview(0);
  EXPECT_TRUE(
      Rejected(Try(VoteCommand(gavel::v1::GATE_VOTE_UNSPECIFIED), "ana"),
               kInvalidEnum, "vote"));
  board_.reset();
  EXPECT_TRUE(Rejected(Try(VoteCommand(gavel::v1::GATE_VOTE_GO), "ana"),
                       kBoardNotFound));
}

TEST_F(InitiativeTest, OnlyCurrentVotingMembersVote) {
  Submit();
  OpenReview(0);
  EXPECT_TRUE(Rejected(Try(VoteCommand(gavel::v1::GATE_VOTE_GO), "spo"),
                       kNotABoardMember, ""));
  EXPECT_TRUE(Rejected(Try(VoteCommand(gavel::v1::GATE_VOTE_GO, "zed"), "del"),
                       kNotABoardMember, "on_behalf_of"));
  EXPECT_TRUE(Rejected(Try(VoteCommand(gavel::v1::GATE_VOTE_GO), "dee"),
                       kNotAVotingMember));
  board_->members.erase(board_->members.begin() + 2);  // cy removed.
  EXPECT_TRUE(Rejected(Try(VoteCommand(gavel::v1::GATE_VOTE_GO), "cy"),
                       kNotABoardMember));
}

TEST_F(InitiativeTest, DelegatesVoteOnlyUnderADelegationInForce) {
  Submit();
  OpenReview(0);
  EXPECT_TRUE(Rejected(Try(VoteCommand(gavel::v1::GATE_VOTE_GO, "cy"), "del"),
                       kDelegationNotActive, "on_behalf_of"));
  now_ = kStart + absl::Hours(24 * 30);  // valid_until is exclusive.
  EXPECT_TRUE(Rejected(Try(VoteCommand(gavel::v1::GATE_VOTE_GO, "bo"), "del"),
                       kDelegationNotActive, "on_behalf_of"));
  now_ = kStart;
  Accept(VoteCommand(gavel::v1::GATE_VOTE_GO, "bo"), "del");
}

TEST_F(InitiativeTest, RecusedMembersNeverVoteNorDoTheirDelegates) {
  Submit();
  OpenReview(0);
  Accept(RecuseCommand("bo"), "bo");
  EXPECT_TRUE(Rejected(Try(VoteCommand(gavel::v1::GATE_VOTE_GO), "bo"),
                       kMemberRecused));
  EXPECT_TRUE(Rejected(Try(VoteCommand(gavel::v1::GATE_VOTE_GO, "bo"), "del"),
                       kMemberRecused, "on_behalf_of"));
}

TEST_F(InitiativeTest, EachMemberVotesOncePerReviewWhoeverCastsIt) {
  Submit();
  OpenReview(0);
  Accept(VoteCommand(gavel::v1::GATE_VOTE_RECYCLE), "ana");
  EXPECT_TRUE(Rejected(Try(VoteCommand(gavel::v1::GATE_VOTE_KILL), "ana"),
                       kAlreadyVoted));
  Accept(VoteCommand(gavel::v1::GATE_VOTE_RECYCLE), "bo");
  EXPECT_TRUE(Rejected(Try(VoteCommand(gavel::v1::GATE_VOTE_GO, "bo"), "del"),
                       kAlreadyVoted, "on_behalf_of"));
  // A new review is a new ballot.
  RecordDecision(DecisionCommand(gavel::v1::GATE_OUTCOME_RECYCLE));
  Accept(ReviewCommand("G0"));
  Accept(VoteCommand(gavel::v1::GATE_VOTE_GO), "ana");
}

}  // namespace
}  // namespace gavel::domain::test
