#include "domain/objective.h"

#include <vector>

#include "domain/calendar.h"
#include "domain/decider.h"
#include "gtest/gtest.h"
#include "tests/domain/aggregate_testing.h"

namespace gavel::domain::test {
namespace {

gavel::v1::DefineObjective DefineGrowth() {
  gavel::v1::DefineObjective cmd;
  cmd.set_objective_id("obj-growth");
  cmd.set_title("Grow digital revenue");
  cmd.set_horizon(gavel::v1::HORIZON_THREE_YEARS);
  cmd.set_owner("cfo");
  return cmd;
}

gavel::v1::AddSuccessMeasure RevenueMeasure() {
  gavel::v1::AddSuccessMeasure cmd;
  cmd.set_objective_id("obj-growth");
  cmd.set_measure_id("m-revenue");
  cmd.set_name("Digital revenue");
  cmd.set_unit("EUR");
  cmd.set_decimals(2);
  cmd.set_direction(gavel::v1::DIRECTION_INCREASE);
  cmd.set_baseline(1000000);
  *cmd.mutable_baseline_date() = MakeDate(2025, 12, 31);
  cmd.set_source("finance ledger");
  return cmd;
}

gavel::v1::SetMeasureTarget RevenueTarget(int64_t target) {
  gavel::v1::SetMeasureTarget cmd;
  cmd.set_objective_id("obj-growth");
  cmd.set_measure_id("m-revenue");
  cmd.set_target(target);
  *cmd.mutable_target_date() = MakeDate(2028, 12, 31);
  return cmd;
}

gavel::v1::RetireObjective Retire(const std::string& successor = "") {
  gavel::v1::RetireObjective cmd;
  cmd.set_objective_id("obj-growth");
  cmd.set_reason("strategy refresh");
  cmd.set_successor_objective_id(successor);
  return cmd;
}

ObjectiveView ActiveObjective(const std::string& id, bool active = true) {
  ObjectiveView view;
  view.objective_id = id;
  view.active = active;
  return view;
}

class ObjectiveTest : public ::testing::Test {
 protected:
  ObjectiveState Defined() const {
    return Accept(ObjectiveState(), DefineGrowth(), ctx_);
  }
  ObjectiveState WithMeasure() const {
    return Accept(Defined(), RevenueMeasure(), ctx_);
  }
  ObjectiveState Retired() const { return Accept(Defined(), Retire(), ctx_); }

  Context ctx_ = ContextAt(Now(), "admin");
};

TEST_F(ObjectiveTest, DefinesATopLevelObjective) {
  absl::StatusOr<std::vector<gavel::v1::ObjectiveEvent>> events =
      Decide(ObjectiveState(), DefineGrowth(), ctx_);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 1u);
  const gavel::v1::ObjectiveDefined& defined = (*events)[0].defined();
  EXPECT_EQ(defined.objective_id(), "obj-growth");
  EXPECT_EQ(defined.horizon(), gavel::v1::HORIZON_THREE_YEARS);
  EXPECT_EQ(defined.owner(), "cfo");

  ObjectiveState state = Defined();
  EXPECT_EQ(state.version, 1u);
  ObjectiveView view = ViewOf(state);
  EXPECT_EQ(view.objective_id, "obj-growth");
  EXPECT_TRUE(view.active);
}

TEST_F(ObjectiveTest, DefinesUnderAnActiveParent) {
  gavel::v1::DefineObjective cmd = DefineGrowth();
  cmd.set_parent_objective_id("obj-strategy");
  ctx_.objectives.push_back(ActiveObjective("obj-strategy"));
  ObjectiveState state = Accept(ObjectiveState(), cmd, ctx_);
  EXPECT_EQ(state.definition.parent_objective_id(), "obj-strategy");
}

TEST_F(ObjectiveTest, DefineRejectsMissingFields) {
  ExpectEachRejected(
      DefineGrowth(), DecideOn(ObjectiveState(), ctx_),
      {{[](auto& c) { c.set_objective_id(" "); }, kMissingField,
        "objective_id"},
       {[](auto& c) { c.clear_title(); }, kMissingField, "title"},
       {[](auto& c) { c.clear_owner(); }, kMissingField, "owner"}});
}

TEST_F(ObjectiveTest, DefineRejectsAnUnspecifiedHorizon) {
  gavel::v1::DefineObjective cmd = DefineGrowth();
  cmd.set_horizon(gavel::v1::HORIZON_UNSPECIFIED);
  EXPECT_TRUE(
      Rejected(Decide(ObjectiveState(), cmd, ctx_), kInvalidEnum, "horizon"));
}

TEST_F(ObjectiveTest, DefineRejectsItselfAsParent) {
  gavel::v1::DefineObjective cmd = DefineGrowth();
  cmd.set_parent_objective_id("obj-growth");
  EXPECT_TRUE(Rejected(Decide(ObjectiveState(), cmd, ctx_), kSelfReference,
                       "parent_objective_id"));
}

TEST_F(ObjectiveTest, DefineRejectsAnExistingObjective) {
  EXPECT_TRUE(Rejected(Decide(Defined(), DefineGrowth(), ctx_),
                       kAggregateAlreadyExists, "objective_id"));
}

TEST_F(ObjectiveTest, DefineRejectsAnUnknownOrRetiredParent) {
  gavel::v1::DefineObjective cmd = DefineGrowth();
  cmd.set_parent_objective_id("obj-strategy");
  EXPECT_TRUE(Rejected(Decide(ObjectiveState(), cmd, ctx_), kObjectiveNotFound,
                       "parent_objective_id"));
  ctx_.objectives.push_back(ActiveObjective("obj-strategy", false));
  EXPECT_TRUE(Rejected(Decide(ObjectiveState(), cmd, ctx_), kObjectiveRetired,
                       "parent_objective_id"));
}

TEST_F(ObjectiveTest, AddsASuccessMeasure) {
  ObjectiveState state = WithMeasure();
  EXPECT_EQ(state.version, 2u);
  ASSERT_EQ(state.measures.size(), 1u);
  EXPECT_EQ(state.measures[0].definition.unit(), "EUR");
  EXPECT_EQ(state.measures[0].definition.baseline(), 1000000);
  EXPECT_FALSE(state.measures[0].target.has_value());
  EXPECT_EQ(ViewOf(state).measure_ids, std::vector<std::string>{"m-revenue"});
}

TEST_F(ObjectiveTest, AddMeasureRejectsMalformedInput) {
  ExpectEachRejected(
      RevenueMeasure(), DecideOn(Defined(), ctx_),
      {{[](auto& c) { c.clear_measure_id(); }, kMissingField, "measure_id"},
       {[](auto& c) { c.clear_name(); }, kMissingField, "name"},
       {[](auto& c) { c.clear_unit(); }, kMissingField, "unit"},
       {[](auto& c) { c.set_decimals(7); }, kValueOutOfRange, "decimals"},
       {[](auto& c) { c.set_direction(gavel::v1::DIRECTION_UNSPECIFIED); },
        kInvalidEnum, "direction"},
       {[](auto& c) { *c.mutable_baseline_date() = MakeDate(2025, 2, 30); },
        kInvalidDate, "baseline_date"}});
}

TEST_F(ObjectiveTest, AddMeasureRejectsAnUnknownObjective) {
  EXPECT_TRUE(Rejected(Decide(ObjectiveState(), RevenueMeasure(), ctx_),
                       kAggregateNotFound, "objective_id"));
}

TEST_F(ObjectiveTest, AddMeasureRejectsARetiredObjective) {
  EXPECT_TRUE(Rejected(Decide(Retired(), RevenueMeasure(), ctx_),
                       kObjectiveRetired, ""));
}

TEST_F(ObjectiveTest, AddMeasureRejectsADuplicateMeasureId) {
  EXPECT_TRUE(Rejected(Decide(WithMeasure(), RevenueMeasure(), ctx_),
                       kDuplicateId, "measure_id"));
}

TEST_F(ObjectiveTest, SetsAndReplacesATargetWithAReason) {
  ObjectiveState state = Accept(WithMeasure(), RevenueTarget(1500000), ctx_);
  ASSERT_TRUE(state.measures[0].target.has_value());
  EXPECT_EQ(state.measures[0].target->target(), 1500000);

  gavel::v1::SetMeasureTarget replace = RevenueTarget(1800000);
  replace.set_reason("market grew faster");
  state = Accept(state, replace, ctx_);
  EXPECT_EQ(state.measures[0].target->target(), 1800000);
  EXPECT_EQ(state.measures[0].target->reason(), "market grew faster");
}

TEST_F(ObjectiveTest, SetTargetRejectsMalformedInput) {
  ExpectEachRejected(
      RevenueTarget(1500000), DecideOn(WithMeasure(), ctx_),
      {{[](auto& c) { c.clear_measure_id(); }, kMissingField, "measure_id"},
       {[](auto& c) { c.clear_target_date(); }, kInvalidDate, "target_date"}});
}

TEST_F(ObjectiveTest, SetTargetRejectsUnknownObjectiveOrMeasure) {
  EXPECT_TRUE(Rejected(Decide(ObjectiveState(), RevenueTarget(1500000), ctx_),
                       kAggregateNotFound, "objective_id"));
  EXPECT_TRUE(Rejected(Decide(Defined(), RevenueTarget(1500000), ctx_),
                       kMeasureNotFound, "measure_id"));
}

TEST_F(ObjectiveTest, SetTargetRejectsARetiredObjective) {
  ObjectiveState state = Accept(WithMeasure(), Retire(), ctx_);
  EXPECT_TRUE(Rejected(Decide(state, RevenueTarget(1500000), ctx_),
                       kObjectiveRetired, ""));
}

TEST_F(ObjectiveTest, SetTargetRejectsATargetDatedBeforeTheBaseline) {
  gavel::v1::SetMeasureTarget cmd = RevenueTarget(1500000);
  *cmd.mutable_target_date() = MakeDate(2025, 12, 30);
  EXPECT_TRUE(Rejected(Decide(WithMeasure(), cmd, ctx_), kInvalidTimeRange,
                       "target_date"));
}

TEST_F(ObjectiveTest, SetTargetRejectsATargetOnTheWorseSide) {
  EXPECT_TRUE(Rejected(Decide(WithMeasure(), RevenueTarget(900000), ctx_),
                       kTargetContradictsDirection, "target"));
}

TEST_F(ObjectiveTest, ReplacingATargetNeedsAReason) {
  ObjectiveState state = Accept(WithMeasure(), RevenueTarget(1500000), ctx_);
  EXPECT_TRUE(Rejected(Decide(state, RevenueTarget(1800000), ctx_),
                       kReasonRequired, "reason"));
}

TEST_F(ObjectiveTest, RetiresWithASuccessor) {
  ctx_.objectives.push_back(ActiveObjective("obj-growth-2"));
  ObjectiveState state = Accept(Defined(), Retire("obj-growth-2"), ctx_);
  EXPECT_TRUE(state.retired);
  EXPECT_EQ(state.retirement.successor_objective_id(), "obj-growth-2");
  EXPECT_FALSE(ViewOf(state).active);
}

TEST_F(ObjectiveTest, RetireRequiresAReason) {
  gavel::v1::RetireObjective cmd = Retire();
  cmd.set_reason("  ");
  EXPECT_TRUE(
      Rejected(Decide(Defined(), cmd, ctx_), kReasonRequired, "reason"));
}

TEST_F(ObjectiveTest, RetireRejectsItselfAsSuccessor) {
  EXPECT_TRUE(Rejected(Decide(Defined(), Retire("obj-growth"), ctx_),
                       kSelfReference, "successor_objective_id"));
}

TEST_F(ObjectiveTest, RetireRejectsUnknownOrRetiredObjectives) {
  EXPECT_TRUE(Rejected(Decide(ObjectiveState(), Retire(), ctx_),
                       kAggregateNotFound, "objective_id"));
  EXPECT_TRUE(
      Rejected(Decide(Retired(), Retire(), ctx_), kObjectiveRetired, ""));
}

TEST_F(ObjectiveTest, RetireRejectsAnUnknownOrRetiredSuccessor) {
  EXPECT_TRUE(Rejected(Decide(Defined(), Retire("obj-next"), ctx_),
                       kObjectiveNotFound, "successor_objective_id"));
  ctx_.objectives.push_back(ActiveObjective("obj-next", false));
  EXPECT_TRUE(Rejected(Decide(Defined(), Retire("obj-next"), ctx_),
                       kObjectiveRetired, "successor_objective_id"));
}

TEST_F(ObjectiveTest, FoldingTheSameEventsTwiceGivesEqualStates) {
  History<ObjectiveState, gavel::v1::ObjectiveEvent> history;
  history.Record(DefineGrowth(), ctx_);
  history.Record(RevenueMeasure(), ctx_);
  history.Record(RevenueTarget(1500000), ctx_);
  history.Record(Retire(), ctx_);

  const ObjectiveState a = history.Replay();
  EXPECT_TRUE(ReplaysFaithfully(history));
  EXPECT_EQ(a.version, 4u);
}

TEST_F(ObjectiveTest, AnEmptyEventOnlyAdvancesTheVersion) {
  ObjectiveState before = WithMeasure();
  ObjectiveState after = Evolve(before, gavel::v1::ObjectiveEvent());
  EXPECT_EQ(after.version, before.version + 1);
  after.version = before.version;
  EXPECT_EQ(after, before);
}

}  // namespace
}  // namespace gavel::domain::test
