#include "domain/default_lifecycle.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace gavel::domain {
namespace {

bool HasCheck(const gavel::v1::Gate& gate, gavel::v1::GateCheck check) {
  return std::find(gate.checks().begin(), gate.checks().end(), check) !=
         gate.checks().end();
}

TEST(DefaultLifecycleTest, HasGatesG0ToG4InOrder) {
  LifecycleModelView model = DefaultLifecycleModelView();
  EXPECT_EQ(model.model_id, "default");
  EXPECT_FALSE(model.retired);
  std::vector<std::string> ids;
  for (const gavel::v1::Gate& gate : model.gates) ids.push_back(gate.gate_id());
  EXPECT_EQ(ids, (std::vector<std::string>{"G0", "G1", "G2", "G3", "G4"}));
  EXPECT_EQ(model.GateIndex("G2"), 2);
  EXPECT_EQ(model.GateIndex("G9"), -1);
}

TEST(DefaultLifecycleTest, NeedsNoBoardConfiguration) {
  const gavel::v1::LifecycleModelDefined model = DefaultLifecycleModel();
  for (const gavel::v1::Gate& gate : model.gates()) {
    EXPECT_TRUE(gate.board_id().empty()) << gate.gate_id();
    EXPECT_FALSE(gate.name().empty());
  }
}

TEST(DefaultLifecycleTest, InvestmentApprovalReservesAndFreezes) {
  LifecycleModelView model = DefaultLifecycleModelView();
  for (const gavel::v1::Gate& gate : model.gates) {
    const bool g2 = gate.gate_id() == "G2";
    EXPECT_EQ(gate.reserves_capacity(), g2) << gate.gate_id();
    EXPECT_EQ(gate.freezes_baselines(), g2) << gate.gate_id();
  }
  EXPECT_TRUE(
      HasCheck(model.gates[2], gavel::v1::GATE_CHECK_CAPACITY_AVAILABLE));
}

TEST(DefaultLifecycleTest, ChecksComeFromTheCatalogue) {
  LifecycleModelView model = DefaultLifecycleModelView();
  EXPECT_TRUE(HasCheck(model.gates[0],
                       gavel::v1::GATE_CHECK_LINKED_TO_ACTIVE_OBJECTIVE));
  EXPECT_TRUE(HasCheck(model.gates[1], gavel::v1::GATE_CHECK_SCORECARD_LOCKED));
  EXPECT_TRUE(HasCheck(model.gates[1], gavel::v1::GATE_CHECK_COST_ESTIMATED));
  EXPECT_TRUE(
      HasCheck(model.gates[3], gavel::v1::GATE_CHECK_BAU_IMPACT_ASSESSED));
  EXPECT_TRUE(HasCheck(model.gates[4], gavel::v1::GATE_CHECK_BENEFIT_MEASURED));
  for (int i = 1; i < 5; ++i) {
    EXPECT_TRUE(HasCheck(model.gates[i],
                         gavel::v1::GATE_CHECK_PREVIOUS_CONDITIONS_CLOSED));
  }
}

}  // namespace
}  // namespace gavel::domain
