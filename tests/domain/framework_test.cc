#include "domain/framework.h"

#include <numeric>
#include <string>
#include <vector>

#include "domain/ahp.h"
#include "domain/calendar.h"
#include "domain/decider.h"
#include "domain/proto_equality.h"
#include "gtest/gtest.h"
#include "tests/domain/aggregate_testing.h"

namespace gavel::domain::test {
namespace {

gavel::v1::Criterion MakeCriterion(const std::string& id, int weight_bp) {
  gavel::v1::Criterion c;
  c.set_criterion_id(id);
  c.set_name(id);
  c.set_scale_min(1);
  c.set_scale_max(5);
  c.set_polarity(gavel::v1::POLARITY_HIGHER_IS_BETTER);
  c.set_weight_bp(weight_bp);
  return c;
}

// Strategic value 50 %, financial return 30 %, risk 20 %.
gavel::v1::DraftFramework WeightedDraft() {
  gavel::v1::DraftFramework cmd;
  cmd.set_framework_id("fw-portfolio");
  cmd.set_name("Portfolio scoring");
  cmd.set_method(gavel::v1::FRAMEWORK_METHOD_WEIGHTED_CRITERIA);
  *cmd.add_criteria() = MakeCriterion("value", 5000);
  *cmd.add_criteria() = MakeCriterion("return", 3000);
  *cmd.add_criteria() = MakeCriterion("risk", 2000);
  cmd.mutable_criteria(2)->set_polarity(gavel::v1::POLARITY_LOWER_IS_BETTER);
  return cmd;
}

// Three criteria judged value > return (3), value > risk (9), return > risk
// (3): perfectly consistent (3 x 3 = 9), so CR = 0.
gavel::v1::DraftFramework AhpDraft() {
  gavel::v1::DraftFramework cmd;
  cmd.set_framework_id("fw-portfolio");
  cmd.set_name("Portfolio scoring (AHP)");
  cmd.set_method(gavel::v1::FRAMEWORK_METHOD_AHP);
  *cmd.add_criteria() = MakeCriterion("value", 0);
  *cmd.add_criteria() = MakeCriterion("return", 0);
  *cmd.add_criteria() = MakeCriterion("risk", 0);
  *cmd.add_judgements() = Judge("value", "return", 3);
  *cmd.add_judgements() = Judge("value", "risk", 9);
  *cmd.add_judgements() = Judge("return", "risk", 3);
  return cmd;
}

// value > return > risk > value, each 9 times: a circular, inconsistent
// matrix.
gavel::v1::DraftFramework InconsistentAhpDraft() {
  gavel::v1::DraftFramework cmd = AhpDraft();
  cmd.clear_judgements();
  *cmd.add_judgements() = Judge("value", "return", 9);
  *cmd.add_judgements() = Judge("return", "risk", 9);
  *cmd.add_judgements() = Judge("risk", "value", 9);
  return cmd;
}

gavel::v1::ApproveFramework Approve(int version) {
  gavel::v1::ApproveFramework cmd;
  cmd.set_framework_id("fw-portfolio");
  cmd.set_version(version);
  cmd.mutable_decision()->set_board_id("exec");
  cmd.mutable_decision()->set_cycle_id("cycle-2026-03");
  return cmd;
}

gavel::v1::RetireFramework Retire(int version) {
  gavel::v1::RetireFramework cmd;
  cmd.set_framework_id("fw-portfolio");
  cmd.set_version(version);
  cmd.set_reason("replaced by the 2027 strategy");
  return cmd;
}

class FrameworkTest : public ::testing::Test {
 protected:
  FrameworkTest() { chair_.board = ExecBoardView(); }

  FrameworkState Drafted() const {
    return Accept(FrameworkState(), WeightedDraft(), chair_);
  }
  FrameworkState Approved() const {
    return Accept(Drafted(), Approve(1), chair_);
  }

  Context analyst_ = ContextAt(Now(), "analyst");
  Context chair_ = ContextAt(Now(), "chair");
};

TEST_F(FrameworkTest, DraftsAWeightedVersion) {
  absl::StatusOr<std::vector<gavel::v1::FrameworkEvent>> events =
      Decide(FrameworkState(), WeightedDraft(), analyst_);
  ASSERT_TRUE(events.ok()) << events.status();
  const gavel::v1::FrameworkDrafted& drafted = (*events)[0].drafted();
  EXPECT_EQ(drafted.framework_id(), "fw-portfolio");
  EXPECT_EQ(drafted.version(), 1);
  EXPECT_EQ(drafted.criteria(0).weight_bp(), 5000);
  EXPECT_EQ(drafted.consistency_ratio_bp(), 0);

  FrameworkState state = Drafted();
  ASSERT_EQ(state.versions.size(), 1u);
  EXPECT_EQ(state.versions[0].status, FrameworkVersionStatus::kDraft);
  EXPECT_EQ(state.active_version, 0);
  FrameworkView view = ViewOf(state);
  EXPECT_EQ(view.active_version, 0);
  EXPECT_FALSE(view.retired);
}

TEST_F(FrameworkTest, EachDraftIsTheNextVersion) {
  FrameworkState state = Accept(Drafted(), WeightedDraft(), analyst_);
  ASSERT_EQ(state.versions.size(), 2u);
  EXPECT_EQ(state.versions[1].draft.version(), 2);
}

TEST_F(FrameworkTest, DraftsAnAhpVersionWithDerivedWeights) {
  absl::StatusOr<std::vector<gavel::v1::FrameworkEvent>> events =
      Decide(FrameworkState(), AhpDraft(), analyst_);
  ASSERT_TRUE(events.ok()) << events.status();
  const gavel::v1::FrameworkDrafted& drafted = (*events)[0].drafted();
  std::vector<int> weights;
  for (const gavel::v1::Criterion& c : drafted.criteria()) {
    weights.push_back(c.weight_bp());
  }
  EXPECT_EQ(std::accumulate(weights.begin(), weights.end(), 0), 10000);
  // Principal eigenvector of a consistent matrix: 9/13, 3/13, 1/13.
  EXPECT_EQ(weights, (std::vector<int>{6923, 2308, 769}));
  EXPECT_EQ(drafted.consistency_ratio_bp(), 0);
  EXPECT_EQ(drafted.judgements_size(), 3);
}

TEST_F(FrameworkTest, AcceptsAnInconsistentAhpDraftRecordingItsRatio) {
  absl::StatusOr<std::vector<gavel::v1::FrameworkEvent>> events =
      Decide(FrameworkState(), InconsistentAhpDraft(), analyst_);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_GE((*events)[0].drafted().consistency_ratio_bp(),
            kMaxConsistencyRatioBp);
}

TEST_F(FrameworkTest, DraftRejectsMissingFieldsAndMethod) {
  ExpectEachRejected(
      WeightedDraft(), DecideOn(FrameworkState(), analyst_),
      {{[](auto& c) { c.clear_framework_id(); }, kMissingField, "framework_id"},
       {[](auto& c) { c.clear_name(); }, kMissingField, "name"},
       {[](auto& c) { c.set_method(gavel::v1::FRAMEWORK_METHOD_UNSPECIFIED); },
        kInvalidEnum, "method"},
       {[](auto& c) { c.clear_criteria(); }, kMissingField, "criteria"}});
}

TEST_F(FrameworkTest, DraftRejectsWeightsThatDoNotSumTo10000) {
  ExpectEachRejected(
      WeightedDraft(), DecideOn(FrameworkState(), analyst_),
      {{[](auto& c) { c.mutable_criteria(2)->set_weight_bp(1999); },
        kWeightsDoNotSum, "criteria"},
       {[](auto& c) { c.mutable_criteria(2)->set_weight_bp(2001); },
        kWeightsDoNotSum, "criteria"},
       {[](auto& c) { c.mutable_criteria(2)->set_weight_bp(-1); },
        kWeightsDoNotSum, "criteria[2].weight_bp"}});
}

TEST_F(FrameworkTest, DraftRejectsInvalidCriteria) {
  ExpectEachRejected(
      WeightedDraft(), DecideOn(FrameworkState(), analyst_),
      {{[](auto& c) { c.mutable_criteria(1)->set_criterion_id("value"); },
        kDuplicateEntry, "criteria[1].criterion_id"},
       {[](auto& c) { c.mutable_criteria(0)->set_scale_max(1); }, kInvalidScale,
        "criteria[0].scale_max"},
       {[](auto& c) {
          c.mutable_criteria(0)->set_polarity(gavel::v1::POLARITY_UNSPECIFIED);
        },
        kInvalidEnum, "criteria[0].polarity"},
       {[](auto& c) {
          c.mutable_criteria(0)->set_must_meet_threshold_bp(10001);
        },
        kValueOutOfRange, "criteria[0].must_meet_threshold_bp"}});
}

TEST_F(FrameworkTest, DraftRejectsJudgementsOnAWeightedFramework) {
  gavel::v1::DraftFramework cmd = WeightedDraft();
  *cmd.add_judgements() = Judge("value", "return", 3);
  EXPECT_TRUE(Rejected(Decide(FrameworkState(), cmd, analyst_),
                       kValueOutOfRange, "judgements"));
}

TEST_F(FrameworkTest, DraftRejectsGivenWeightsOnAnAhpFramework) {
  gavel::v1::DraftFramework cmd = AhpDraft();
  cmd.mutable_criteria(0)->set_weight_bp(10000);
  EXPECT_TRUE(Rejected(Decide(FrameworkState(), cmd, analyst_),
                       kWeightsDoNotSum, "criteria[0].weight_bp"));
}

TEST_F(FrameworkTest, DraftRejectsIncompleteOrInvalidAhpJudgements) {
  ExpectEachRejected(
      AhpDraft(), DecideOn(FrameworkState(), analyst_),
      {{[](auto& c) { c.mutable_judgements()->RemoveLast(); },
        kAhpJudgementsIncomplete, "judgements"},
       {[](auto& c) {
          c.mutable_judgements(0)->set_more_important_criterion_id("speed");
        },
        kCriterionNotFound, "judgements[0].more_important_criterion_id"},
       {[](auto& c) { *c.add_judgements() = Judge("return", "value", 2); },
        kDuplicateEntry, "judgements[3]"},
       {[](auto& c) { c.mutable_judgements(1)->set_intensity(10); },
        kValueOutOfRange, "judgements[1].intensity"}});
}

TEST_F(FrameworkTest, TheChairApprovesADraft) {
  absl::StatusOr<std::vector<gavel::v1::FrameworkEvent>> events =
      Decide(Drafted(), Approve(1), chair_);
  ASSERT_TRUE(events.ok()) << events.status();
  const gavel::v1::FrameworkApproved& approved = (*events)[0].approved();
  EXPECT_EQ(approved.version(), 1);
  EXPECT_EQ(approved.approved_by(), "chair");
  EXPECT_EQ(approved.superseded_version(), 0);
  EXPECT_EQ(approved.decision().board_id(), "exec");

  FrameworkState state = Approved();
  EXPECT_EQ(state.active_version, 1);
  EXPECT_EQ(state.versions[0].status, FrameworkVersionStatus::kActive);
  FrameworkView view = ViewOf(state);
  EXPECT_EQ(view.framework_id, "fw-portfolio");
  EXPECT_EQ(view.active_version, 1);
  EXPECT_EQ(view.method, gavel::v1::FRAMEWORK_METHOD_WEIGHTED_CRITERIA);
  ASSERT_EQ(view.criteria.size(), 3u);
  ASSERT_NE(view.FindCriterion("risk"), nullptr);
  EXPECT_EQ(view.FindCriterion("risk")->weight_bp(), 2000);
}

TEST_F(FrameworkTest, ApprovingANewVersionSupersedesTheActiveOne) {
  FrameworkState state = Accept(Approved(), AhpDraft(), analyst_);
  absl::StatusOr<std::vector<gavel::v1::FrameworkEvent>> events =
      Decide(state, Approve(2), chair_);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ((*events)[0].approved().superseded_version(), 1);
  state = Fold(state, absl::MakeConstSpan(*events));
  EXPECT_EQ(state.active_version, 2);
  EXPECT_EQ(state.versions[0].status, FrameworkVersionStatus::kSuperseded);
  EXPECT_EQ(state.versions[1].status, FrameworkVersionStatus::kActive);
  EXPECT_EQ(ViewOf(state).method, gavel::v1::FRAMEWORK_METHOD_AHP);
}

TEST_F(FrameworkTest, TheChairsActiveDelegateApproves) {
  Context deputy = ContextAt(Now(), "deputy");
  deputy.board = ExecBoardView();
  deputy.board->delegations.push_back({"d1", "chair", "deputy",
                                       Now() - absl::Hours(1),
                                       Now() + absl::Hours(1)});
  FrameworkState state = Accept(Drafted(), Approve(1), deputy);
  EXPECT_EQ(state.versions[0].approval.approved_by(), "deputy");
}

TEST_F(FrameworkTest, ApproveRejectsAnExpiredDelegate) {
  Context deputy = ContextAt(Now(), "deputy");
  deputy.board = ExecBoardView();
  deputy.board->delegations.push_back(
      {"d1", "chair", "deputy", Now() - absl::Hours(48), Now()});
  EXPECT_TRUE(
      Rejected(Decide(Drafted(), Approve(1), deputy), kNotTheChair, ""));
}

TEST_F(FrameworkTest, ApproveRejectsMalformedInput) {
  gavel::v1::ApproveFramework cmd = Approve(1);
  cmd.mutable_decision()->clear_board_id();
  EXPECT_TRUE(Rejected(Decide(Drafted(), cmd, chair_), kMissingField,
                       "decision.board_id"));
  EXPECT_TRUE(Rejected(Decide(Drafted(), Approve(0), chair_), kValueOutOfRange,
                       "version"));
}

TEST_F(FrameworkTest, ApproveRejectsUnknownFrameworkVersionOrBoard) {
  EXPECT_TRUE(Rejected(Decide(FrameworkState(), Approve(1), chair_),
                       kAggregateNotFound, "framework_id"));
  EXPECT_TRUE(Rejected(Decide(Drafted(), Approve(2), chair_),
                       kFrameworkVersionNotFound, "version"));
  Context no_board = ContextAt(Now(), "chair");
  EXPECT_TRUE(Rejected(Decide(Drafted(), Approve(1), no_board), kBoardNotFound,
                       "decision.board_id"));
}

TEST_F(FrameworkTest, OnlyTheChairApproves) {
  Context member = ContextAt(Now(), "vera");
  member.board = ExecBoardView();
  EXPECT_TRUE(
      Rejected(Decide(Drafted(), Approve(1), member), kNotTheChair, ""));
}

TEST_F(FrameworkTest, ApproveRejectsABoardWithoutTheMandate) {
  chair_.board->mandate.set_approves_frameworks(false);
  EXPECT_TRUE(Rejected(Decide(Drafted(), Approve(1), chair_), kBoardNotMandated,
                       "decision.board_id"));
}

TEST_F(FrameworkTest, ApprovedVersionsAreImmutable) {
  FrameworkState state = Approved();
  EXPECT_TRUE(Rejected(Decide(state, Approve(1), chair_),
                       kApprovedVersionImmutable, "version"));
  // A change is a new draft; the approved version stays as it was.
  gavel::v1::DraftFramework change = WeightedDraft();
  change.mutable_criteria(0)->set_weight_bp(4000);
  change.mutable_criteria(1)->set_weight_bp(4000);
  const gavel::v1::FrameworkDrafted approved_draft = state.versions[0].draft;
  state = Accept(state, change, analyst_);
  EXPECT_EQ(state.versions[0].draft.criteria(0).weight_bp(), 5000);
  EXPECT_EQ(state.versions[0].status, FrameworkVersionStatus::kActive);
  EXPECT_EQ(state.active_version, 1);
  EXPECT_EQ(state.versions[1].draft.version(), 2);
  // Once superseded, still never approvable again.
  state = Accept(state, Approve(2), chair_);
  EXPECT_TRUE(Rejected(Decide(state, Approve(1), chair_),
                       kApprovedVersionImmutable, "version"));
  EXPECT_TRUE(ProtoEquals(state.versions[0].draft, approved_draft));
}

TEST_F(FrameworkTest, ApproveRejectsARetiredVersion) {
  FrameworkState state = Accept(Drafted(), Retire(1), analyst_);
  EXPECT_TRUE(Rejected(Decide(state, Approve(1), chair_), kFrameworkRetired,
                       "version"));
}

TEST_F(FrameworkTest, ApproveRejectsAnInconsistentAhpMatrix) {
  FrameworkState state =
      Accept(FrameworkState(), InconsistentAhpDraft(), chair_);
  EXPECT_TRUE(
      Rejected(Decide(state, Approve(1), chair_), kAhpInconsistent, "version"));
  // A consistent AHP version of the same framework is approvable.
  state = Accept(state, AhpDraft(), chair_);
  state = Accept(state, Approve(2), chair_);
  EXPECT_EQ(state.active_version, 2);
}

TEST_F(FrameworkTest, RetiringTheActiveVersionLeavesNoneActive) {
  FrameworkState state = Accept(Approved(), Retire(1), analyst_);
  EXPECT_EQ(state.active_version, 0);
  EXPECT_EQ(state.versions[0].status, FrameworkVersionStatus::kRetired);
  FrameworkView view = ViewOf(state);
  EXPECT_EQ(view.active_version, 0);
  EXPECT_TRUE(view.criteria.empty());
  EXPECT_TRUE(view.retired);
}

TEST_F(FrameworkTest, RetiringASupersededVersionKeepsTheActiveOne) {
  FrameworkState state = Accept(Approved(), WeightedDraft(), analyst_);
  state = Accept(state, Approve(2), chair_);
  state = Accept(state, Retire(1), analyst_);
  EXPECT_EQ(state.active_version, 2);
  EXPECT_FALSE(ViewOf(state).retired);
}

TEST_F(FrameworkTest, RetireRejectsABlankReason) {
  gavel::v1::RetireFramework cmd = Retire(1);
  cmd.clear_reason();
  EXPECT_TRUE(
      Rejected(Decide(Drafted(), cmd, analyst_), kReasonRequired, "reason"));
}

TEST_F(FrameworkTest, RetireRejectsUnknownFrameworkOrVersion) {
  EXPECT_TRUE(Rejected(Decide(FrameworkState(), Retire(1), analyst_),
                       kAggregateNotFound, "framework_id"));
  EXPECT_TRUE(Rejected(Decide(Drafted(), Retire(3), analyst_),
                       kFrameworkVersionNotFound, "version"));
}

TEST_F(FrameworkTest, RetireRejectsARetiredVersion) {
  FrameworkState state = Accept(Drafted(), Retire(1), analyst_);
  EXPECT_TRUE(Rejected(Decide(state, Retire(1), analyst_), kFrameworkRetired,
                       "version"));
}

TEST_F(FrameworkTest, FoldingTheSameEventsTwiceGivesEqualStates) {
  History<FrameworkState, gavel::v1::FrameworkEvent> history;
  history.Record(WeightedDraft(), analyst_);
  history.Record(Approve(1), chair_);
  history.Record(AhpDraft(), analyst_);
  history.Record(Approve(2), chair_);
  history.Record(Retire(1), analyst_);

  const FrameworkState a = history.Replay();
  EXPECT_TRUE(ReplaysFaithfully(history));
  EXPECT_EQ(a.version, 5u);
}

}  // namespace
}  // namespace gavel::domain::test
