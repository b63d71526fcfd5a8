#include "domain/governance_cycle.h"

#include <string>
#include <vector>

#include "domain/calendar.h"
#include "domain/decider.h"
#include "gtest/gtest.h"
#include "tests/domain/aggregate_testing.h"

namespace gavel::domain::test {
namespace {

gavel::v1::ScheduleCycle Schedule(const std::string& cycle_id, int month) {
  gavel::v1::ScheduleCycle cmd;
  cmd.set_cycle_id(cycle_id);
  cmd.set_board_id("exec");
  cmd.set_kind(gavel::v1::CYCLE_KIND_PORTFOLIO_REVIEW);
  *cmd.mutable_scheduled_on() = MakeDate(2026, month, 10);
  cmd.set_title("Monthly portfolio review");
  return cmd;
}

gavel::v1::AddAgendaItem GateReviewItem(const std::string& item_id) {
  gavel::v1::AddAgendaItem cmd;
  cmd.set_cycle_id("cycle-03");
  cmd.set_item_id(item_id);
  cmd.set_kind(gavel::v1::AGENDA_ITEM_KIND_GATE_REVIEW);
  cmd.set_title("CRM replacement at G2");
  cmd.set_initiative_id("ini-crm");
  cmd.set_gate_id("G2");
  return cmd;
}

gavel::v1::DeferAgendaItem Defer(const std::string& item_id,
                                 const std::string& to_cycle_id) {
  gavel::v1::DeferAgendaItem cmd;
  cmd.set_cycle_id("cycle-03");
  cmd.set_item_id(item_id);
  cmd.set_to_cycle_id(to_cycle_id);
  cmd.set_reason("business case not ready");
  return cmd;
}

gavel::v1::CloseCycle Close() {
  gavel::v1::CloseCycle cmd;
  cmd.set_cycle_id("cycle-03");
  *cmd.mutable_held_on() = MakeDate(2026, 3, 2);
  cmd.set_summary("Two items decided, one deferred");
  return cmd;
}

class GovernanceCycleTest : public ::testing::Test {
 protected:
  GovernanceCycleTest() { ctx_.board = ExecBoardView(); }

  GovernanceCycleState Scheduled(const std::string& cycle_id = "cycle-03",
                                 int month = 3) const {
    return Accept(GovernanceCycleState(), Schedule(cycle_id, month), ctx_);
  }
  GovernanceCycleState WithItem() const {
    return Accept(Scheduled(), GateReviewItem("item-1"), ctx_);
  }
  GovernanceCycleState Closed() const {
    return Accept(WithItem(), Close(), ctx_);
  }
  // ctx with the target cycle "cycle-04" of the same board.
  Context WithTarget(const GovernanceCycleState& target) const {
    Context ctx = ctx_;
    ctx.cycle = ViewOf(target);
    return ctx;
  }

  Context ctx_ = ContextAt(Now(), "pmo-analyst");
};

TEST_F(GovernanceCycleTest, SchedulesACycle) {
  GovernanceCycleState state = Scheduled();
  EXPECT_EQ(state.version, 1u);
  GovernanceCycleView view = ViewOf(state);
  EXPECT_EQ(view.cycle_id, "cycle-03");
  EXPECT_EQ(view.board_id, "exec");
  EXPECT_FALSE(view.closed);
  EXPECT_EQ(CompareDates(view.scheduled_on, MakeDate(2026, 3, 10)), 0);
  EXPECT_TRUE(view.item_ids.empty());
}

TEST_F(GovernanceCycleTest, ScheduleRejectsMalformedInput) {
  ExpectEachRejected(
      Schedule("cycle-03", 3), DecideOn(GovernanceCycleState(), ctx_),
      {{[](auto& c) { c.clear_cycle_id(); }, kMissingField, "cycle_id"},
       {[](auto& c) { c.clear_board_id(); }, kMissingField, "board_id"},
       {[](auto& c) { c.set_kind(gavel::v1::CYCLE_KIND_UNSPECIFIED); },
        kInvalidEnum, "kind"},
       {[](auto& c) { c.mutable_scheduled_on()->set_month(13); }, kInvalidDate,
        "scheduled_on"}});
}

TEST_F(GovernanceCycleTest, ScheduleRejectsAnExistingCycle) {
  EXPECT_TRUE(Rejected(Decide(Scheduled(), Schedule("cycle-03", 3), ctx_),
                       kAggregateAlreadyExists, "cycle_id"));
}

TEST_F(GovernanceCycleTest, ScheduleRejectsAnUnknownBoard) {
  Context no_board = ContextAt(Now(), "pmo-analyst");
  EXPECT_TRUE(Rejected(
      Decide(GovernanceCycleState(), Schedule("cycle-03", 3), no_board),
      kBoardNotFound, "board_id"));
}

TEST_F(GovernanceCycleTest, AddsAgendaItems) {
  GovernanceCycleState state = WithItem();
  gavel::v1::AddAgendaItem discussion;
  discussion.set_cycle_id("cycle-03");
  discussion.set_item_id("item-2");
  discussion.set_kind(gavel::v1::AGENDA_ITEM_KIND_DISCUSSION);
  discussion.set_title("Capacity outlook");
  state = Accept(state, discussion, ctx_);
  EXPECT_EQ(ViewOf(state).item_ids,
            (std::vector<std::string>{"item-1", "item-2"}));
  EXPECT_EQ(state.agenda[0].item.gate_id(), "G2");
  EXPECT_FALSE(state.agenda[0].deferral.has_value());
}

TEST_F(GovernanceCycleTest, AddItemRejectsMalformedInput) {
  const GovernanceCycleState state = Scheduled();
  ExpectEachRejected(
      GateReviewItem("item-1"), DecideOn(state, ctx_),
      {{[](auto& c) { c.clear_item_id(); }, kMissingField, "item_id"},
       {[](auto& c) { c.set_kind(gavel::v1::AGENDA_ITEM_KIND_UNSPECIFIED); },
        kInvalidEnum, "kind"},
       {[](auto& c) { c.clear_title(); }, kMissingField, "title"},
       {[](auto& c) { c.clear_initiative_id(); }, kMissingField,
        "initiative_id"},
       {[](auto& c) { c.clear_gate_id(); }, kMissingField, "gate_id"},
       {[](auto& c) {
          c.set_kind(gavel::v1::AGENDA_ITEM_KIND_FRAMEWORK_APPROVAL);
        },
        kMissingField, "framework_id"}});
  gavel::v1::AddAgendaItem approval = GateReviewItem("item-1");
  approval.set_kind(gavel::v1::AGENDA_ITEM_KIND_FRAMEWORK_APPROVAL);
  approval.set_framework_id("fw-portfolio");
  EXPECT_TRUE(Decide(state, approval, ctx_).ok());
}

TEST_F(GovernanceCycleTest, AddItemRejectsAnUnknownCycle) {
  EXPECT_TRUE(
      Rejected(Decide(GovernanceCycleState(), GateReviewItem("item-1"), ctx_),
               kAggregateNotFound, "cycle_id"));
}

TEST_F(GovernanceCycleTest, AClosedCycleAcceptsNothingMore) {
  EXPECT_TRUE(Rejected(Decide(Closed(), GateReviewItem("item-2"), ctx_),
                       kCycleClosed, ""));
  EXPECT_TRUE(
      Rejected(Decide(Closed(), Defer("item-1", ""), ctx_), kCycleClosed, ""));
  EXPECT_TRUE(Rejected(Decide(Closed(), Close(), ctx_), kCycleClosed, ""));
}

TEST_F(GovernanceCycleTest, AddItemRejectsADuplicateItemId) {
  EXPECT_TRUE(Rejected(Decide(WithItem(), GateReviewItem("item-1"), ctx_),
                       kDuplicateId, "item_id"));
}

TEST_F(GovernanceCycleTest, DefersAnItemWithoutATarget) {
  absl::StatusOr<AgendaDeferral> deferral =
      Decide(WithItem(), Defer("item-1", ""), ctx_);
  ASSERT_TRUE(deferral.ok()) << deferral.status();
  EXPECT_FALSE(deferral->target.has_value());
  ASSERT_EQ(deferral->events.size(), 1u);
  GovernanceCycleState state =
      Fold(WithItem(), absl::MakeConstSpan(deferral->events));
  ASSERT_TRUE(state.agenda[0].deferral.has_value());
  EXPECT_EQ(state.agenda[0].deferral->reason(), "business case not ready");
}

TEST_F(GovernanceCycleTest, DeferringToAnotherCycleCarriesTheItemOver) {
  const GovernanceCycleState target = Scheduled("cycle-04", 4);
  absl::StatusOr<AgendaDeferral> deferral =
      Decide(WithItem(), Defer("item-1", "cycle-04"), WithTarget(target));
  ASSERT_TRUE(deferral.ok()) << deferral.status();
  EXPECT_EQ(deferral->events[0].agenda_item_deferred().to_cycle_id(),
            "cycle-04");
  ASSERT_TRUE(deferral->target.has_value());
  EXPECT_EQ(deferral->target->aggregate_id, "cycle-04");
  ASSERT_EQ(deferral->target->events.size(), 1u);
  const gavel::v1::AgendaItemAdded& carried =
      deferral->target->events[0].agenda_item_added();
  EXPECT_EQ(carried.item_id(), "item-1");
  EXPECT_EQ(carried.initiative_id(), "ini-crm");
  EXPECT_EQ(carried.gate_id(), "G2");
  EXPECT_EQ(carried.deferred_from_cycle_id(), "cycle-03");

  GovernanceCycleState next =
      Fold(target, absl::MakeConstSpan(deferral->target->events));
  EXPECT_EQ(ViewOf(next).item_ids, std::vector<std::string>{"item-1"});
}

TEST_F(GovernanceCycleTest, DeferRejectsMalformedInput) {
  ExpectEachRejected(
      Defer("item-1", ""), DecideOn(WithItem(), ctx_),
      {{[](auto& c) { c.clear_item_id(); }, kMissingField, "item_id"},
       {[](auto& c) { c.set_reason("\t"); }, kReasonRequired, "reason"},
       {[](auto& c) { c.set_to_cycle_id("cycle-03"); }, kSelfReference,
        "to_cycle_id"}});
}

TEST_F(GovernanceCycleTest, DeferRejectsUnknownCycleOrItem) {
  EXPECT_TRUE(
      Rejected(Decide(GovernanceCycleState(), Defer("item-1", ""), ctx_),
               kAggregateNotFound, "cycle_id"));
  EXPECT_TRUE(Rejected(Decide(WithItem(), Defer("item-9", ""), ctx_),
                       kAgendaItemNotFound, "item_id"));
}

TEST_F(GovernanceCycleTest, AnItemIsDeferredOnce) {
  absl::StatusOr<AgendaDeferral> deferral =
      Decide(WithItem(), Defer("item-1", ""), ctx_);
  ASSERT_TRUE(deferral.ok());
  GovernanceCycleState state =
      Fold(WithItem(), absl::MakeConstSpan(deferral->events));
  EXPECT_TRUE(Rejected(Decide(state, Defer("item-1", ""), ctx_),
                       kAgendaItemAlreadyDeferred, "item_id"));
}

TEST_F(GovernanceCycleTest, DeferRejectsAnUnknownTargetCycle) {
  EXPECT_TRUE(Rejected(Decide(WithItem(), Defer("item-1", "cycle-04"), ctx_),
                       kCycleNotFound, "to_cycle_id"));
}

TEST_F(GovernanceCycleTest, DeferRejectsAClosedTargetCycle) {
  GovernanceCycleState target = Scheduled("cycle-04", 4);
  gavel::v1::CloseCycle close = Close();
  close.set_cycle_id("cycle-04");
  target = Accept(target, close, ctx_);
  EXPECT_TRUE(Rejected(
      Decide(WithItem(), Defer("item-1", "cycle-04"), WithTarget(target)),
      kCycleClosed, "to_cycle_id"));
}

TEST_F(GovernanceCycleTest, DeferRejectsATargetCycleOfAnotherBoard) {
  gavel::v1::ScheduleCycle other = Schedule("cycle-04", 4);
  other.set_board_id("ops");
  const GovernanceCycleState target =
      Accept(GovernanceCycleState(), other, ctx_);
  EXPECT_TRUE(Rejected(
      Decide(WithItem(), Defer("item-1", "cycle-04"), WithTarget(target)),
      kCycleBoardMismatch, "to_cycle_id"));
}

TEST_F(GovernanceCycleTest, DeferRejectsATargetAlreadyHoldingTheItem) {
  gavel::v1::AddAgendaItem same = GateReviewItem("item-1");
  same.set_cycle_id("cycle-04");
  const GovernanceCycleState target =
      Accept(Scheduled("cycle-04", 4), same, ctx_);
  EXPECT_TRUE(Rejected(
      Decide(WithItem(), Defer("item-1", "cycle-04"), WithTarget(target)),
      kDuplicateId, "item_id"));
}

TEST_F(GovernanceCycleTest, ClosesACycleOnceHeld) {
  GovernanceCycleState state = Closed();
  ASSERT_TRUE(state.closure.has_value());
  EXPECT_EQ(CompareDates(state.closure->held_on(), MakeDate(2026, 3, 2)), 0);
  EXPECT_TRUE(ViewOf(state).closed);
}

TEST_F(GovernanceCycleTest, CloseRejectsAnInvalidOrFutureDate) {
  gavel::v1::CloseCycle cmd = Close();
  *cmd.mutable_held_on() = MakeDate(2026, 2, 29);
  EXPECT_TRUE(Rejected(Decide(WithItem(), cmd, ctx_), kInvalidDate, "held_on"));
  *cmd.mutable_held_on() = MakeDate(2026, 3, 3);  // Tomorrow.
  EXPECT_TRUE(
      Rejected(Decide(WithItem(), cmd, ctx_), kInvalidTimeRange, "held_on"));
}

TEST_F(GovernanceCycleTest, CloseRejectsAnUnknownCycle) {
  EXPECT_TRUE(Rejected(Decide(GovernanceCycleState(), Close(), ctx_),
                       kAggregateNotFound, "cycle_id"));
}

TEST_F(GovernanceCycleTest, FoldingTheSameEventsTwiceGivesEqualStates) {
  History<GovernanceCycleState, gavel::v1::GovernanceCycleEvent> history;
  history.Record(Schedule("cycle-03", 3), ctx_);
  history.Record(GateReviewItem("item-1"), ctx_);
  history.Record(GateReviewItem("item-2"), ctx_);
  history.Append(
      ValueOrFail(Decide(history.state(), Defer("item-2", ""), ctx_)).events);
  history.Record(Close(), ctx_);

  const GovernanceCycleState a = history.Replay();
  EXPECT_TRUE(ReplaysFaithfully(history));
  EXPECT_EQ(a.version, 5u);
}

}  // namespace
}  // namespace gavel::domain::test
