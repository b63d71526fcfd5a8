#include "domain/pmo_service.h"

#include <string>
#include <utility>
#include <vector>

#include "domain/calendar.h"
#include "domain/decider.h"
#include "gtest/gtest.h"
#include "tests/domain/aggregate_testing.h"

namespace gavel::domain::test {
namespace {

// p90 of gate decision latency at the exec board within 14 days.
gavel::v1::DefineServiceLevel GateLatencyLevel() {
  gavel::v1::DefineServiceLevel cmd;
  cmd.set_pmo_id("pmo");
  cmd.set_service_level_id("sl-gate-latency");
  cmd.set_name("Gate decisions within two weeks");
  cmd.set_metric(gavel::v1::SERVICE_METRIC_GATE_DECISION_LATENCY);
  cmd.mutable_max_latency()->set_seconds(14 * 24 * 3600);
  cmd.set_percentile_bp(9000);
  cmd.mutable_scope()->set_board_id("exec");
  return cmd;
}

// Mean stakeholder satisfaction of at least 4.00.
gavel::v1::DefineServiceLevel SatisfactionLevel() {
  gavel::v1::DefineServiceLevel cmd;
  cmd.set_pmo_id("pmo");
  cmd.set_service_level_id("sl-satisfaction");
  cmd.set_name("Stakeholders satisfied");
  cmd.set_metric(gavel::v1::SERVICE_METRIC_STAKEHOLDER_SATISFACTION);
  cmd.set_min_value(400);
  cmd.set_percentile_bp(5000);
  return cmd;
}

gavel::v1::RecordStakeholderFeedback Feedback(
    const std::string& respondent, gavel::v1::RespondentRole role,
    const std::string& cycle_id = "cycle-03") {
  gavel::v1::RecordStakeholderFeedback cmd;
  cmd.set_pmo_id("pmo");
  cmd.set_respondent(respondent);
  cmd.set_respondent_role(role);
  cmd.set_cycle_id(cycle_id);
  cmd.set_score(4);
  cmd.set_comment("clear agenda, quick decision");
  return cmd;
}

GovernanceCycleView Cycle(const std::string& cycle_id) {
  GovernanceCycleView cycle;
  cycle.cycle_id = cycle_id;
  cycle.board_id = "exec";
  cycle.scheduled_on = MakeDate(2026, 3, 10);
  return cycle;
}

class PmoServiceTest : public ::testing::Test {
 protected:
  PmoServiceTest() {
    ctx_.board = ExecBoardView();
    ctx_.cycle = Cycle("cycle-03");
    empty_.pmo_id = "pmo";
  }

  PmoServiceState empty_;
  Context ctx_ = ContextAt(Now(), "pmo-lead");
};

TEST_F(PmoServiceTest, DefinesALatencyServiceLevel) {
  absl::StatusOr<std::vector<gavel::v1::PmoServiceEvent>> events =
      Decide(empty_, GateLatencyLevel(), ctx_);
  ASSERT_TRUE(events.ok()) << events.status();
  const gavel::v1::ServiceLevelDefined& defined =
      (*events)[0].service_level_defined();
  EXPECT_EQ(defined.service_level_id(), "sl-gate-latency");
  EXPECT_EQ(defined.max_latency().seconds(), 14 * 24 * 3600);
  EXPECT_EQ(defined.percentile_bp(), 9000);
  EXPECT_EQ(defined.scope().board_id(), "exec");

  PmoServiceState state = Accept(empty_, GateLatencyLevel(), ctx_);
  EXPECT_EQ(state.version, 1u);
  EXPECT_EQ(state.pmo_id, "pmo");
  ASSERT_EQ(state.service_levels.size(), 1u);
}

TEST_F(PmoServiceTest, DefinesAMinimumValueServiceLevelForAllBoards) {
  Context no_board = ContextAt(Now(), "pmo-lead");
  PmoServiceState state = Accept(empty_, SatisfactionLevel(), no_board);
  ASSERT_EQ(state.service_levels.size(), 1u);
  EXPECT_EQ(state.service_levels[0].min_value(), 400);
  EXPECT_FALSE(state.service_levels[0].has_max_latency());
}

TEST_F(PmoServiceTest, DefineRejectsMissingFields) {
  ExpectEachRejected(
      GateLatencyLevel(), DecideOn(empty_, ctx_),
      {{[](auto& c) { c.clear_pmo_id(); }, kMissingField, "pmo_id"},
       {[](auto& c) { c.clear_service_level_id(); }, kMissingField,
        "service_level_id"},
       {[](auto& c) { c.clear_name(); }, kMissingField, "name"},
       {[](auto& c) { c.clear_max_latency(); }, kMissingField, "threshold"}});
}

TEST_F(PmoServiceTest, DefineRejectsAnUnspecifiedMetric) {
  gavel::v1::DefineServiceLevel cmd = GateLatencyLevel();
  cmd.set_metric(gavel::v1::SERVICE_METRIC_UNSPECIFIED);
  EXPECT_TRUE(Rejected(Decide(empty_, cmd, ctx_), kInvalidEnum, "metric"));
}

TEST_F(PmoServiceTest, DefineRejectsAThresholdOfTheWrongKindOrRange) {
  ExpectEachRejected(
      GateLatencyLevel(), DecideOn(empty_, ctx_),
      {{[](auto& c) { c.set_min_value(5); }, kValueOutOfRange, "min_value"},
       {[](auto& c) { c.mutable_max_latency()->set_seconds(0); },
        kValueOutOfRange, "max_latency"}});
  ExpectEachRejected(
      SatisfactionLevel(), DecideOn(empty_, ctx_),
      {{[](auto& c) { c.mutable_max_latency()->set_seconds(60); },
        kValueOutOfRange, "max_latency"},
       {[](auto& c) { c.set_min_value(501); }, kValueOutOfRange, "min_value"},
       {[](auto& c) {
          c.set_metric(gavel::v1::SERVICE_METRIC_CONDITIONS_CLOSED_ON_TIME);
          c.set_min_value(10001);
        },
        kValueOutOfRange, "min_value"}});
  gavel::v1::DefineServiceLevel on_time = SatisfactionLevel();
  on_time.set_metric(gavel::v1::SERVICE_METRIC_CONDITIONS_CLOSED_ON_TIME);
  on_time.set_min_value(8000);
  EXPECT_TRUE(Decide(empty_, on_time, ctx_).ok());
}

TEST_F(PmoServiceTest, DefineRejectsAPercentileOutsideOneTo10000) {
  gavel::v1::DefineServiceLevel cmd = GateLatencyLevel();
  cmd.set_percentile_bp(0);
  EXPECT_TRUE(
      Rejected(Decide(empty_, cmd, ctx_), kValueOutOfRange, "percentile_bp"));
  cmd.set_percentile_bp(10001);
  EXPECT_TRUE(
      Rejected(Decide(empty_, cmd, ctx_), kValueOutOfRange, "percentile_bp"));
}

TEST_F(PmoServiceTest, ServiceLevelsAreNeverRedefined) {
  PmoServiceState state = Accept(empty_, GateLatencyLevel(), ctx_);
  gavel::v1::DefineServiceLevel looser = GateLatencyLevel();
  looser.mutable_max_latency()->set_seconds(30 * 24 * 3600);
  EXPECT_TRUE(
      Rejected(Decide(state, looser, ctx_), kDuplicateId, "service_level_id"));
}

TEST_F(PmoServiceTest, DefineRejectsAnUnknownScopedBoard) {
  Context no_board = ContextAt(Now(), "pmo-lead");
  EXPECT_TRUE(Rejected(Decide(empty_, GateLatencyLevel(), no_board),
                       kBoardNotFound, "scope.board_id"));
}

TEST_F(PmoServiceTest, RecordsFeedbackFromSponsorsAndBoardMembers) {
  PmoServiceState state =
      Accept(empty_,
             Feedback("sponsor-sam", gavel::v1::RESPONDENT_ROLE_SPONSOR), ctx_);
  state = Accept(
      state, Feedback("vera", gavel::v1::RESPONDENT_ROLE_BOARD_MEMBER), ctx_);
  EXPECT_EQ(state.feedback_count, 2);
  EXPECT_EQ(state.feedback_given,
            (std::vector<std::pair<std::string, std::string>>{
                {"cycle-03", "sponsor-sam"}, {"cycle-03", "vera"}}));
}

TEST_F(PmoServiceTest, FeedbackRejectsMalformedInput) {
  ExpectEachRejected(
      Feedback("vera", gavel::v1::RESPONDENT_ROLE_BOARD_MEMBER),
      DecideOn(empty_, ctx_),
      {{[](auto& c) { c.clear_pmo_id(); }, kMissingField, "pmo_id"},
       {[](auto& c) { c.clear_respondent(); }, kMissingField, "respondent"},
       {[](auto& c) {
          c.set_respondent_role(gavel::v1::RESPONDENT_ROLE_UNSPECIFIED);
        },
        kInvalidEnum, "respondent_role"},
       {[](auto& c) { c.clear_cycle_id(); }, kMissingField, "cycle_id"}});
}

TEST_F(PmoServiceTest, FeedbackScoresOneToFive) {
  gavel::v1::RecordStakeholderFeedback cmd =
      Feedback("sponsor-sam", gavel::v1::RESPONDENT_ROLE_SPONSOR);
  cmd.set_score(0);
  EXPECT_TRUE(Rejected(Decide(empty_, cmd, ctx_), kValueOutOfRange, "score"));
  cmd.set_score(6);
  EXPECT_TRUE(Rejected(Decide(empty_, cmd, ctx_), kValueOutOfRange, "score"));
  for (int score : {1, 5}) {
    cmd.set_score(score);
    EXPECT_TRUE(Decide(empty_, cmd, ctx_).ok()) << score;
  }
}

TEST_F(PmoServiceTest, FeedbackRejectsAnUnknownCycle) {
  ctx_.cycle.reset();
  EXPECT_TRUE(Rejected(
      Decide(empty_,
             Feedback("sponsor-sam", gavel::v1::RESPONDENT_ROLE_SPONSOR), ctx_),
      kCycleNotFound, "cycle_id"));
}

TEST_F(PmoServiceTest, BoardMemberFeedbackComesFromACurrentMember) {
  EXPECT_TRUE(Rejected(
      Decide(empty_, Feedback("zed", gavel::v1::RESPONDENT_ROLE_BOARD_MEMBER),
             ctx_),
      kNotABoardMember, "respondent"));
  // Advisory members are members too.
  EXPECT_TRUE(Decide(empty_,
                     Feedback("ada", gavel::v1::RESPONDENT_ROLE_BOARD_MEMBER),
                     ctx_)
                  .ok());
}

TEST_F(PmoServiceTest, FeedbackIsGivenOncePerRespondentAndCycle) {
  PmoServiceState state = Accept(
      empty_, Feedback("vera", gavel::v1::RESPONDENT_ROLE_BOARD_MEMBER), ctx_);
  EXPECT_TRUE(Rejected(
      Decide(state, Feedback("vera", gavel::v1::RESPONDENT_ROLE_BOARD_MEMBER),
             ctx_),
      kDuplicateId, "respondent"));
  ctx_.cycle = Cycle("cycle-04");
  EXPECT_TRUE(Decide(state,
                     Feedback("vera", gavel::v1::RESPONDENT_ROLE_BOARD_MEMBER,
                              "cycle-04"),
                     ctx_)
                  .ok());
}

TEST_F(PmoServiceTest, FoldingTheSameEventsTwiceGivesEqualStates) {
  History<PmoServiceState, gavel::v1::PmoServiceEvent> history(empty_);
  history.Record(GateLatencyLevel(), ctx_);
  history.Record(SatisfactionLevel(), ctx_);
  history.Record(Feedback("vera", gavel::v1::RESPONDENT_ROLE_BOARD_MEMBER),
                 ctx_);
  history.Record(Feedback("sponsor-sam", gavel::v1::RESPONDENT_ROLE_SPONSOR),
                 ctx_);

  const PmoServiceState a = history.Replay();
  EXPECT_TRUE(ReplaysFaithfully(history));
  EXPECT_EQ(a.version, 4u);
  PmoServiceState other_pmo;
  other_pmo.pmo_id = "pmo-emea";
  EXPECT_NE(a, Fold(other_pmo, history.events()));
}

}  // namespace
}  // namespace gavel::domain::test
