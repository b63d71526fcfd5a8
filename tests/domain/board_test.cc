#include "domain/board.h"

#include <string>
#include <vector>

#include "domain/calendar.h"
#include "domain/decider.h"
#include "gtest/gtest.h"
#include "tests/domain/aggregate_testing.h"

namespace gavel::domain::test {
namespace {

gavel::v1::BoardMember Member(const std::string& principal,
                              gavel::v1::MemberRole role) {
  gavel::v1::BoardMember member;
  member.set_principal(principal);
  member.set_role(role);
  return member;
}

// Chair "chair", voting "vera" and "victor", advisory "ada"; quorum 2.
gavel::v1::CharterBoard ExecCharter() {
  gavel::v1::CharterBoard cmd;
  cmd.set_board_id("exec");
  cmd.set_name("Executive investment board");
  *cmd.add_members() = Member("chair", gavel::v1::MEMBER_ROLE_CHAIR);
  *cmd.add_members() = Member("vera", gavel::v1::MEMBER_ROLE_VOTING);
  *cmd.add_members() = Member("victor", gavel::v1::MEMBER_ROLE_VOTING);
  *cmd.add_members() = Member("ada", gavel::v1::MEMBER_ROLE_ADVISORY);
  cmd.set_quorum(2);
  cmd.set_decision_rule(gavel::v1::DECISION_RULE_MAJORITY);
  cmd.mutable_mandate()->add_gate_ids("G1");
  cmd.mutable_mandate()->add_gate_ids("G2");
  cmd.mutable_mandate()->mutable_budget_ceiling()->set_minor_units(50000000);
  cmd.mutable_mandate()->mutable_budget_ceiling()->set_currency("EUR");
  cmd.mutable_mandate()->set_approves_frameworks(true);
  cmd.mutable_decision_latency_sla()->set_seconds(14 * 24 * 3600);
  cmd.set_cadence(gavel::v1::CADENCE_MONTHLY);
  return cmd;
}

gavel::v1::AppointMember Appoint(const std::string& principal,
                                 gavel::v1::MemberRole role) {
  gavel::v1::AppointMember cmd;
  cmd.set_board_id("exec");
  cmd.set_principal(principal);
  cmd.set_role(role);
  cmd.set_reason("annual rotation");
  return cmd;
}

gavel::v1::RemoveMember Remove(const std::string& principal) {
  gavel::v1::RemoveMember cmd;
  cmd.set_board_id("exec");
  cmd.set_principal(principal);
  cmd.set_reason("left the company");
  return cmd;
}

gavel::v1::DelegateAuthority Delegate(const std::string& id,
                                      const std::string& delegator,
                                      const std::string& delegate,
                                      absl::Time from, absl::Time until) {
  gavel::v1::DelegateAuthority cmd;
  cmd.set_board_id("exec");
  cmd.set_delegation_id(id);
  cmd.set_delegator(delegator);
  cmd.set_delegate(delegate);
  *cmd.mutable_valid_from() = ToTimestamp(from);
  *cmd.mutable_valid_until() = ToTimestamp(until);
  cmd.set_reason("parental leave");
  return cmd;
}

gavel::v1::RevokeDelegation Revoke(const std::string& id) {
  gavel::v1::RevokeDelegation cmd;
  cmd.set_board_id("exec");
  cmd.set_delegation_id(id);
  cmd.set_reason("back early");
  return cmd;
}

absl::Time Day(int n) { return Now() + absl::Hours(24 * n); }

class BoardTest : public ::testing::Test {
 protected:
  BoardState Chartered() const {
    return Accept(BoardState(), ExecCharter(), admin_);
  }
  // vera delegates to "deputy" for the next week.
  BoardState WithDelegation() const {
    return Accept(Chartered(), Delegate("d1", "vera", "deputy", Now(), Day(7)),
                  vera_);
  }

  Context admin_ = ContextAt(Now(), "admin");
  Context chair_ = ContextAt(Now(), "chair");
  Context vera_ = ContextAt(Now(), "vera");
  Context victor_ = ContextAt(Now(), "victor");
};

TEST_F(BoardTest, ChartersABoard) {
  BoardState state = Chartered();
  EXPECT_EQ(state.version, 1u);
  ASSERT_EQ(state.members.size(), 4u);
  BoardView view = ViewOf(state);
  EXPECT_EQ(view.board_id, "exec");
  EXPECT_EQ(view.Chair(), "chair");
  EXPECT_TRUE(view.IsVotingMember("vera"));
  EXPECT_FALSE(view.IsVotingMember("ada"));
  EXPECT_EQ(view.quorum, 2);
  EXPECT_EQ(view.decision_rule, gavel::v1::DECISION_RULE_MAJORITY);
  EXPECT_TRUE(view.MandateCovers("G2"));
  EXPECT_FALSE(view.MandateCovers("G3"));
  EXPECT_EQ(view.mandate.budget_ceiling().minor_units(), 50000000);
  EXPECT_EQ(view.decision_latency_sla, absl::Hours(14 * 24));
  EXPECT_TRUE(view.delegations.empty());
}

TEST_F(BoardTest, ABoardWithoutGatesNeedsNoBudgetCeiling) {
  gavel::v1::CharterBoard cmd = ExecCharter();
  cmd.mutable_mandate()->clear_gate_ids();
  cmd.mutable_mandate()->clear_budget_ceiling();
  EXPECT_TRUE(Decide(BoardState(), cmd, admin_).ok());
}

TEST_F(BoardTest, CharterRejectsMissingFields) {
  ExpectEachRejected(
      ExecCharter(), DecideOn(BoardState(), admin_),
      {{[](auto& c) { c.clear_board_id(); }, kMissingField, "board_id"},
       {[](auto& c) { c.clear_name(); }, kMissingField, "name"},
       {[](auto& c) { c.clear_members(); }, kMissingField, "members"},
       {[](auto& c) { c.mutable_members(1)->clear_principal(); }, kMissingField,
        "members[1].principal"},
       {[](auto& c) { c.mutable_mandate()->clear_budget_ceiling(); },
        kMissingField, "mandate.budget_ceiling"}});
}

TEST_F(BoardTest, CharterRejectsInvalidEnums) {
  ExpectEachRejected(
      ExecCharter(), DecideOn(BoardState(), admin_),
      {{[](auto& c) {
          c.mutable_members(2)->set_role(gavel::v1::MEMBER_ROLE_UNSPECIFIED);
        },
        kInvalidEnum, "members[2].role"},
       {[](auto& c) {
          c.set_decision_rule(gavel::v1::DECISION_RULE_UNSPECIFIED);
        },
        kInvalidEnum, "decision_rule"},
       {[](auto& c) { c.set_cadence(gavel::v1::CADENCE_UNSPECIFIED); },
        kInvalidEnum, "cadence"}});
}

TEST_F(BoardTest, CharterRejectsDuplicateMembersAndGates) {
  ExpectEachRejected(
      ExecCharter(), DecideOn(BoardState(), admin_),
      {{[](auto& c) { c.mutable_members(3)->set_principal("vera"); },
        kDuplicateEntry, "members[3].principal"},
       {[](auto& c) { c.mutable_mandate()->add_gate_ids("G1"); },
        kDuplicateEntry, "mandate.gate_ids[2]"}});
}

TEST_F(BoardTest, CharterNeedsExactlyOneChair) {
  ExpectEachRejected(
      ExecCharter(), DecideOn(BoardState(), admin_),
      {{[](auto& c) {
          c.mutable_members(0)->set_role(gavel::v1::MEMBER_ROLE_VOTING);
        },
        kNoChair, "members"},
       {[](auto& c) {
          c.mutable_members(2)->set_role(gavel::v1::MEMBER_ROLE_CHAIR);
        },
        kChairAlreadyAppointed, "members[2].role"}});
}

TEST_F(BoardTest, CharterRejectsAnUnreachableQuorum) {
  gavel::v1::CharterBoard cmd = ExecCharter();
  cmd.set_quorum(0);
  EXPECT_TRUE(
      Rejected(Decide(BoardState(), cmd, admin_), kInvalidQuorum, "quorum"));
  cmd.set_quorum(4);  // Advisory members do not count.
  EXPECT_TRUE(
      Rejected(Decide(BoardState(), cmd, admin_), kInvalidQuorum, "quorum"));
  cmd.set_quorum(3);
  EXPECT_TRUE(Decide(BoardState(), cmd, admin_).ok());
}

TEST_F(BoardTest, CharterRejectsABadCeilingOrNegativeSla) {
  ExpectEachRejected(
      ExecCharter(), DecideOn(BoardState(), admin_),
      {{[](auto& c) {
          c.mutable_mandate()->mutable_budget_ceiling()->set_currency("eur");
        },
        kInvalidMoney, "mandate.budget_ceiling"},
       {[](auto& c) { c.mutable_decision_latency_sla()->set_seconds(-1); },
        kValueOutOfRange, "decision_latency_sla"}});
}

TEST_F(BoardTest, CharterRejectsAnExistingBoard) {
  EXPECT_TRUE(Rejected(Decide(Chartered(), ExecCharter(), admin_),
                       kAggregateAlreadyExists, "board_id"));
}

TEST_F(BoardTest, AppointsAMember) {
  BoardState state = Accept(
      Chartered(), Appoint("walt", gavel::v1::MEMBER_ROLE_VOTING), admin_);
  EXPECT_TRUE(ViewOf(state).IsVotingMember("walt"));
  EXPECT_EQ(state.members.back().principal, "walt");
}

TEST_F(BoardTest, AppointRejectsMalformedInput) {
  EXPECT_TRUE(Rejected(
      Decide(Chartered(), Appoint("", gavel::v1::MEMBER_ROLE_VOTING), admin_),
      kMissingField, "principal"));
  EXPECT_TRUE(Rejected(
      Decide(Chartered(), Appoint("walt", gavel::v1::MEMBER_ROLE_UNSPECIFIED),
             admin_),
      kInvalidEnum, "role"));
}

TEST_F(BoardTest, AppointRejectsAnUnknownBoard) {
  EXPECT_TRUE(
      Rejected(Decide(BoardState(),
                      Appoint("walt", gavel::v1::MEMBER_ROLE_VOTING), admin_),
               kAggregateNotFound, "board_id"));
}

TEST_F(BoardTest, AppointRejectsAnExistingMember) {
  EXPECT_TRUE(
      Rejected(Decide(Chartered(),
                      Appoint("ada", gavel::v1::MEMBER_ROLE_VOTING), admin_),
               kAlreadyAMember, "principal"));
}

TEST_F(BoardTest, ABoardHasOneChairAtATime) {
  EXPECT_TRUE(
      Rejected(Decide(Chartered(),
                      Appoint("walt", gavel::v1::MEMBER_ROLE_CHAIR), admin_),
               kChairAlreadyAppointed, "role"));
  BoardState state = Accept(Chartered(), Remove("chair"), admin_);
  EXPECT_FALSE(ViewOf(state).Chair().has_value());
  state = Accept(state, Appoint("walt", gavel::v1::MEMBER_ROLE_CHAIR), admin_);
  EXPECT_EQ(ViewOf(state).Chair(), "walt");
}

TEST_F(BoardTest, RemovesAMember) {
  BoardState state = Accept(Chartered(), Remove("ada"), admin_);
  const BoardView view = ViewOf(state);
  EXPECT_EQ(view.FindMember("ada"), nullptr);
  EXPECT_EQ(state.members.size(), 3u);
}

TEST_F(BoardTest, RemoveRejectsMalformedInput) {
  ExpectEachRejected(
      Remove("ada"), DecideOn(Chartered(), admin_),
      {{[](auto& c) { c.clear_principal(); }, kMissingField, "principal"},
       {[](auto& c) { c.clear_reason(); }, kReasonRequired, "reason"}});
}

TEST_F(BoardTest, RemoveRejectsUnknownBoardOrMember) {
  EXPECT_TRUE(Rejected(Decide(BoardState(), Remove("ada"), admin_),
                       kAggregateNotFound, "board_id"));
  EXPECT_TRUE(Rejected(Decide(Chartered(), Remove("zed"), admin_),
                       kMemberNotFound, "principal"));
}

TEST_F(BoardTest, RemoveKeepsTheQuorumReachable) {
  BoardState state = Accept(Chartered(), Remove("victor"), admin_);
  EXPECT_TRUE(Rejected(Decide(state, Remove("vera"), admin_),
                       kQuorumUnreachable, "principal"));
  // Advisory members never count towards the quorum.
  EXPECT_TRUE(Decide(state, Remove("ada"), admin_).ok());
}

TEST_F(BoardTest, RemovingAMemberEndsTheirDelegations) {
  BoardState state = WithDelegation();
  state =
      Accept(state, Delegate("d2", "victor", "vera", Now(), Day(7)), victor_);
  ASSERT_EQ(state.delegations.size(), 2u);
  state = Accept(state, Remove("vera"), admin_);  // Gave d1, received d2.
  EXPECT_TRUE(state.delegations.empty());
  EXPECT_TRUE(ViewOf(state).delegations.empty());
}

TEST_F(BoardTest, AMemberDelegatesForABoundedTime) {
  BoardState state = WithDelegation();
  ASSERT_EQ(state.delegations.size(), 1u);
  BoardView view = ViewOf(state);
  EXPECT_NE(view.ActiveDelegation("vera", "deputy", Now()), nullptr);
  EXPECT_NE(view.ActiveDelegation("vera", "deputy", Day(7) - absl::Seconds(1)),
            nullptr);
  // Expired: the delegation no longer lets the deputy act.
  EXPECT_EQ(view.ActiveDelegation("vera", "deputy", Day(7)), nullptr);
  EXPECT_EQ(view.ActiveDelegation("vera", "deputy", Day(30)), nullptr);
}

TEST_F(BoardTest, TheChairDelegatesForAMember) {
  BoardState state = Accept(
      Chartered(), Delegate("d1", "vera", "deputy", Now(), Day(7)), chair_);
  EXPECT_EQ(state.delegations[0].delegator, "vera");
}

TEST_F(BoardTest, ADelegationStartsNowUnlessGivenAStart) {
  gavel::v1::DelegateAuthority cmd =
      Delegate("d1", "vera", "deputy", Now(), Day(7));
  cmd.clear_valid_from();
  absl::StatusOr<std::vector<gavel::v1::BoardEvent>> events =
      Decide(Chartered(), cmd, vera_);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(FromTimestamp((*events)[0].authority_delegated().valid_from()),
            Now());
}

TEST_F(BoardTest, DelegateRejectsMissingFields) {
  ExpectEachRejected(
      Delegate("d1", "vera", "deputy", Now(), Day(7)),
      DecideOn(Chartered(), vera_),
      {{[](auto& c) { c.clear_delegation_id(); }, kMissingField,
        "delegation_id"},
       {[](auto& c) { c.clear_delegator(); }, kMissingField, "delegator"},
       {[](auto& c) { c.clear_delegate(); }, kMissingField, "delegate"},
       {[](auto& c) { c.clear_valid_until(); }, kMissingField, "valid_until"},
       {[](auto& c) { c.clear_reason(); }, kReasonRequired, "reason"}});
}

TEST_F(BoardTest, DelegateRejectsEmptyOrExpiredIntervals) {
  EXPECT_TRUE(
      Rejected(Decide(Chartered(),
                      Delegate("d1", "vera", "deputy", Day(2), Day(2)), vera_),
               kInvalidTimeRange, "valid_until"));
  // Already expired at the server's clock.
  EXPECT_TRUE(
      Rejected(Decide(Chartered(),
                      Delegate("d1", "vera", "deputy", Day(-7), Now()), vera_),
               kInvalidTimeRange, "valid_until"));
}

TEST_F(BoardTest, DelegateRejectsDelegatingToOneself) {
  EXPECT_TRUE(Rejected(
      Decide(Chartered(), Delegate("d1", "vera", "vera", Now(), Day(7)), vera_),
      kSelfReference, "delegate"));
}

TEST_F(BoardTest, DelegateRejectsAnUnknownBoard) {
  EXPECT_TRUE(
      Rejected(Decide(BoardState(),
                      Delegate("d1", "vera", "deputy", Now(), Day(7)), vera_),
               kAggregateNotFound, "board_id"));
}

TEST_F(BoardTest, DelegationIdsAreNeverReused) {
  BoardState state = WithDelegation();
  EXPECT_TRUE(Rejected(
      Decide(state, Delegate("d1", "victor", "deputy", Now(), Day(7)), victor_),
      kDuplicateId, "delegation_id"));
  state = Accept(state, Revoke("d1"), vera_);
  EXPECT_TRUE(Rejected(
      Decide(state, Delegate("d1", "victor", "deputy", Now(), Day(7)), victor_),
      kDuplicateId, "delegation_id"));
}

TEST_F(BoardTest, OnlyChairAndVotingMembersDelegate) {
  Context ada = ContextAt(Now(), "ada");
  EXPECT_TRUE(Rejected(
      Decide(Chartered(), Delegate("d1", "ada", "deputy", Now(), Day(7)), ada),
      kNotAVotingMember, "delegator"));
  Context zed = ContextAt(Now(), "zed");
  EXPECT_TRUE(Rejected(
      Decide(Chartered(), Delegate("d1", "zed", "deputy", Now(), Day(7)), zed),
      kNotAVotingMember, "delegator"));
}

TEST_F(BoardTest, OnlyTheDelegatorOrTheChairDelegates) {
  EXPECT_TRUE(
      Rejected(Decide(Chartered(),
                      Delegate("d1", "vera", "victor", Now(), Day(7)), victor_),
               kNotTheChair, ""));
}

TEST_F(BoardTest, DelegationsOfOneDelegatorNeverOverlap) {
  BoardState state = WithDelegation();  // vera -> deputy, [now, day 7).
  EXPECT_TRUE(Rejected(
      Decide(state, Delegate("d2", "vera", "victor", Day(6), Day(9)), vera_),
      kDelegationOverlaps, "valid_from"));
  // Back to back is fine.
  state =
      Accept(state, Delegate("d2", "vera", "victor", Day(7), Day(9)), vera_);
  EXPECT_EQ(state.delegations.size(), 2u);
}

TEST_F(BoardTest, CircularDelegationIsRefused) {
  BoardState state = Accept(
      Chartered(), Delegate("d1", "vera", "victor", Now(), Day(7)), vera_);
  EXPECT_TRUE(Rejected(
      Decide(state, Delegate("d2", "victor", "vera", Day(3), Day(10)), victor_),
      kDelegationCircular, "delegate"));
}

TEST_F(BoardTest, LongerCircularChainsAreRefused) {
  BoardState state = Accept(
      Chartered(), Delegate("d1", "vera", "victor", Now(), Day(7)), vera_);
  state =
      Accept(state, Delegate("d2", "victor", "chair", Now(), Day(7)), victor_);
  EXPECT_TRUE(Rejected(
      Decide(state, Delegate("d3", "chair", "vera", Day(1), Day(2)), chair_),
      kDelegationCircular, "delegate"));
}

TEST_F(BoardTest, ReverseDelegationsAtDifferentTimesAreNotCircular) {
  BoardState state = Accept(
      Chartered(), Delegate("d1", "vera", "victor", Now(), Day(7)), vera_);
  state =
      Accept(state, Delegate("d2", "victor", "vera", Day(7), Day(14)), victor_);
  EXPECT_EQ(state.delegations.size(), 2u);
  // vera->victor [0,7), victor->chair [5,15), chair->vera [12,20): every
  // pair overlaps, but no instant has all three.
  BoardState chain = Accept(
      Chartered(), Delegate("d1", "vera", "victor", Now(), Day(7)), vera_);
  chain = Accept(chain, Delegate("d2", "victor", "chair", Day(5), Day(15)),
                 victor_);
  chain =
      Accept(chain, Delegate("d3", "chair", "vera", Day(12), Day(20)), chair_);
  EXPECT_EQ(chain.delegations.size(), 3u);
}

TEST_F(BoardTest, RevokesADelegation) {
  BoardState state = Accept(WithDelegation(), Revoke("d1"), vera_);
  EXPECT_TRUE(state.delegations.empty());
  EXPECT_EQ(ViewOf(state).ActiveDelegation("vera", "deputy", Now()), nullptr);
  EXPECT_EQ(state.delegation_ids, std::vector<std::string>{"d1"});
  // The chair may revoke too.
  EXPECT_TRUE(Decide(WithDelegation(), Revoke("d1"), chair_).ok());
}

TEST_F(BoardTest, RevokeRejectsMalformedInput) {
  ExpectEachRejected(
      Revoke("d1"), DecideOn(WithDelegation(), vera_),
      {{[](auto& c) { c.clear_delegation_id(); }, kMissingField,
        "delegation_id"},
       {[](auto& c) { c.clear_reason(); }, kReasonRequired, "reason"}});
}

TEST_F(BoardTest, RevokeRejectsUnknownBoardOrDelegation) {
  EXPECT_TRUE(Rejected(Decide(BoardState(), Revoke("d1"), vera_),
                       kAggregateNotFound, "board_id"));
  EXPECT_TRUE(Rejected(Decide(WithDelegation(), Revoke("d9"), vera_),
                       kDelegationNotFound, "delegation_id"));
  BoardState revoked = Accept(WithDelegation(), Revoke("d1"), vera_);
  EXPECT_TRUE(Rejected(Decide(revoked, Revoke("d1"), vera_),
                       kDelegationNotFound, "delegation_id"));
}

TEST_F(BoardTest, OnlyTheDelegatorOrTheChairRevokes) {
  EXPECT_TRUE(Rejected(Decide(WithDelegation(), Revoke("d1"), victor_),
                       kNotTheChair, ""));
}

TEST_F(BoardTest, TheChairOrTheChairsActiveDelegateActsForTheBoard) {
  BoardState state = Accept(
      Chartered(), Delegate("d1", "chair", "deputy", Now(), Day(7)), chair_);
  const BoardView view = ViewOf(state);
  EXPECT_TRUE(IsChairOrActiveDelegate(view, "chair", Now()));
  EXPECT_TRUE(IsChairOrActiveDelegate(view, "deputy", Now()));
  EXPECT_FALSE(IsChairOrActiveDelegate(view, "deputy", Day(7)));  // Expired.
  EXPECT_FALSE(IsChairOrActiveDelegate(view, "vera", Now()));
  state = Accept(state, Remove("chair"), admin_);
  EXPECT_FALSE(IsChairOrActiveDelegate(ViewOf(state), "deputy", Now()));
}

TEST_F(BoardTest, FoldingTheSameEventsTwiceGivesEqualStates) {
  History<BoardState, gavel::v1::BoardEvent> history;
  history.Record(ExecCharter(), admin_);
  history.Record(Appoint("walt", gavel::v1::MEMBER_ROLE_VOTING), admin_);
  history.Record(Delegate("d1", "vera", "walt", Now(), Day(7)), vera_);
  history.Record(Delegate("d2", "victor", "deputy", Now(), Day(3)), victor_);
  history.Record(Revoke("d2"), chair_);
  history.Record(Remove("walt"), admin_);

  const BoardState a = history.Replay();
  EXPECT_TRUE(ReplaysFaithfully(history));
  EXPECT_EQ(a.version, 6u);
  EXPECT_TRUE(a.delegations.empty());
}

}  // namespace
}  // namespace gavel::domain::test
