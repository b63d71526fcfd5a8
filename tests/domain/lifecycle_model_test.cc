#include "domain/lifecycle_model.h"

#include <string>
#include <vector>

#include "domain/decider.h"
#include "domain/default_lifecycle.h"
#include "gtest/gtest.h"
#include "tests/domain/aggregate_testing.h"

namespace gavel::domain::test {
namespace {

gavel::v1::Gate MakeGate(const std::string& id,
                         std::vector<gavel::v1::GateCheck> checks) {
  gavel::v1::Gate gate;
  gate.set_gate_id(id);
  gate.set_name(id + " review");
  for (gavel::v1::GateCheck check : checks) gate.add_checks(check);
  return gate;
}

// A light two-gate model for small changes.
gavel::v1::DefineLifecycleModel LightModel() {
  gavel::v1::DefineLifecycleModel cmd;
  cmd.set_model_id("light");
  cmd.set_name("Light-touch model");
  *cmd.add_gates() =
      MakeGate("approve", {gavel::v1::GATE_CHECK_LINKED_TO_ACTIVE_OBJECTIVE,
                           gavel::v1::GATE_CHECK_COST_ESTIMATED});
  *cmd.add_gates() =
      MakeGate("close", {gavel::v1::GATE_CHECK_PREVIOUS_CONDITIONS_CLOSED});
  cmd.mutable_gates(0)->set_reserves_capacity(true);
  cmd.mutable_gates(0)->set_freezes_baselines(true);
  cmd.mutable_gates(1)->set_board_id("ops");
  return cmd;
}

gavel::v1::RetireLifecycleModel RetireLight() {
  gavel::v1::RetireLifecycleModel cmd;
  cmd.set_model_id("light");
  cmd.set_reason("merged into the default model");
  return cmd;
}

class LifecycleModelTest : public ::testing::Test {
 protected:
  LifecycleModelState Defined() const {
    return Accept(LifecycleModelState(), LightModel(), ctx_);
  }

  Context ctx_ = ContextAt(Now(), "admin");
};

TEST_F(LifecycleModelTest, DefinesAModelWithOrderedGates) {
  LifecycleModelState state = Defined();
  EXPECT_EQ(state.version, 1u);
  EXPECT_FALSE(state.retired);
  LifecycleModelView view = ViewOf(state);
  EXPECT_EQ(view.model_id, "light");
  ASSERT_EQ(view.gates.size(), 2u);
  EXPECT_EQ(view.GateIndex("approve"), 0);
  EXPECT_EQ(view.GateIndex("close"), 1);
  EXPECT_TRUE(view.gates[0].reserves_capacity());
  EXPECT_EQ(view.gates[1].board_id(), "ops");
}

TEST_F(LifecycleModelTest, TheDefaultModelIsValidButItsIdIsReserved) {
  gavel::v1::DefineLifecycleModel cmd;
  const gavel::v1::LifecycleModelDefined model = DefaultLifecycleModel();
  cmd.set_model_id("default-copy");
  cmd.set_name(model.name());
  *cmd.mutable_gates() = model.gates();
  EXPECT_TRUE(Decide(LifecycleModelState(), cmd, ctx_).ok());
  cmd.set_model_id("default");
  EXPECT_TRUE(Rejected(Decide(LifecycleModelState(), cmd, ctx_), kReservedId,
                       "model_id"));
}

TEST_F(LifecycleModelTest, DefineRejectsMissingFields) {
  ExpectEachRejected(
      LightModel(), DecideOn(LifecycleModelState(), ctx_),
      {{[](auto& c) { c.clear_model_id(); }, kMissingField, "model_id"},
       {[](auto& c) { c.clear_name(); }, kMissingField, "name"},
       {[](auto& c) { c.clear_gates(); }, kMissingField, "gates"},
       {[](auto& c) { c.mutable_gates(1)->clear_gate_id(); }, kMissingField,
        "gates[1].gate_id"},
       {[](auto& c) { c.mutable_gates(0)->clear_name(); }, kMissingField,
        "gates[0].name"}});
}

TEST_F(LifecycleModelTest, DefineRejectsDuplicateGatesAndChecks) {
  ExpectEachRejected(
      LightModel(), DecideOn(LifecycleModelState(), ctx_),
      {{[](auto& c) { c.mutable_gates(1)->set_gate_id("approve"); },
        kDuplicateEntry, "gates[1].gate_id"},
       {[](auto& c) {
          c.mutable_gates(0)->add_checks(gavel::v1::GATE_CHECK_COST_ESTIMATED);
        },
        kDuplicateEntry, "gates[0].checks[2]"}});
}

TEST_F(LifecycleModelTest, DefineRejectsChecksOutsideTheCatalogue) {
  ExpectEachRejected(
      LightModel(), DecideOn(LifecycleModelState(), ctx_),
      {{[](auto& c) {
          c.mutable_gates(1)->add_checks(gavel::v1::GATE_CHECK_UNSPECIFIED);
        },
        kInvalidEnum, "gates[1].checks[1]"},
       {[](auto& c) {
          c.mutable_gates(1)->add_checks(static_cast<gavel::v1::GateCheck>(99));
        },
        kInvalidEnum, "gates[1].checks[1]"}});
}

TEST_F(LifecycleModelTest, AModelIsDefinedOnceAndNeverChanges) {
  gavel::v1::DefineLifecycleModel change = LightModel();
  change.mutable_gates()->RemoveLast();
  EXPECT_TRUE(Rejected(Decide(Defined(), change, ctx_), kAggregateAlreadyExists,
                       "model_id"));
}

TEST_F(LifecycleModelTest, RetiresAModel) {
  LifecycleModelState state = Accept(Defined(), RetireLight(), ctx_);
  EXPECT_TRUE(state.retired);
  EXPECT_TRUE(ViewOf(state).retired);
  EXPECT_EQ(ViewOf(state).gates.size(), 2u);  // In-flight initiatives keep it.
}

TEST_F(LifecycleModelTest, RetireRejectsTheDefaultModelAndABlankReason) {
  gavel::v1::RetireLifecycleModel cmd = RetireLight();
  cmd.set_model_id("default");
  EXPECT_TRUE(Rejected(Decide(LifecycleModelState(), cmd, ctx_), kReservedId,
                       "model_id"));
  cmd = RetireLight();
  cmd.set_reason(" ");
  EXPECT_TRUE(
      Rejected(Decide(Defined(), cmd, ctx_), kReasonRequired, "reason"));
}

TEST_F(LifecycleModelTest, RetireRejectsUnknownAndRetiredModels) {
  EXPECT_TRUE(Rejected(Decide(LifecycleModelState(), RetireLight(), ctx_),
                       kAggregateNotFound, "model_id"));
  LifecycleModelState state = Accept(Defined(), RetireLight(), ctx_);
  EXPECT_TRUE(
      Rejected(Decide(state, RetireLight(), ctx_), kLifecycleModelRetired, ""));
}

TEST_F(LifecycleModelTest, FoldingTheSameEventsTwiceGivesEqualStates) {
  History<LifecycleModelState, gavel::v1::LifecycleModelEvent> history;
  history.Record(LightModel(), ctx_);
  history.Record(RetireLight(), ctx_);

  EXPECT_TRUE(ReplaysFaithfully(history));
  EXPECT_EQ(history.Replay().version, 2u);
  EXPECT_NE(history.Replay(), Defined());
}

}  // namespace
}  // namespace gavel::domain::test
