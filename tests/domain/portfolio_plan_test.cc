#include "domain/portfolio_plan.h"

#include "domain/calendar.h"
#include "domain/decider.h"
#include "gtest/gtest.h"
#include "tests/domain/aggregate_testing.h"

namespace gavel::domain::test {
namespace {

gavel::v1::CreateScenario Scenario() {
  gavel::v1::CreateScenario cmd;
  cmd.set_plan_id("fy26");
  cmd.set_name("FY26 baseline");
  cmd.set_horizon(gavel::v1::HORIZON_ONE_YEAR);
  cmd.set_currency("EUR");
  *cmd.add_budget() = Amount(2, 500);
  *cmd.add_budget() = Amount(1, 1000);
  gavel::v1::CapacityLimit* dev = cmd.add_capacity();
  dev->set_pool_id("dev");
  *dev->add_limits() = Amount(1, 10);
  gavel::v1::ExclusiveGroup* group = cmd.add_exclusive_groups();
  group->set_group_id("crm");
  group->add_initiative_ids("A");
  group->add_initiative_ids("B");
  return cmd;
}

gavel::v1::RecordScenarioOptimization Result(
    std::vector<std::pair<std::string, bool>> entries, int64_t used_budget) {
  gavel::v1::RecordScenarioOptimization cmd;
  cmd.set_plan_id("fy26");
  int cut = 0;
  for (const auto& [id, selected] : entries) {
    gavel::v1::PlanEntry* entry = cmd.mutable_result()->add_ranking();
    entry->set_initiative_id(id);
    entry->set_selected(selected);
    cut += selected;
  }
  cmd.mutable_result()->set_cut_line(cut);
  gavel::v1::PlanConstraint* budget = cmd.mutable_result()->add_constraints();
  budget->set_constraint_id("budget:2026-01-01");
  budget->set_limit(1000);
  budget->set_used(used_budget);
  return cmd;
}

gavel::v1::ForceInitiative Force(gavel::v1::ForceDirection direction,
                                 const std::string& reason) {
  gavel::v1::ForceInitiative cmd;
  cmd.set_plan_id("fy26");
  cmd.set_initiative_id("A");
  cmd.set_direction(direction);
  cmd.set_reason(reason);
  return cmd;
}

class PortfolioPlanTest : public ::testing::Test {
 protected:
  Context Analyst() const {
    Context ctx = ContextAt(Now(), "anna");
    ctx.other_initiative = InitiativeView{"A", false};
    return ctx;
  }
  Context Chair() const {
    Context ctx = ContextAt(Now(), "chair");
    ctx.board = ExecBoardView();
    return ctx;
  }
  PortfolioPlanState Created() const {
    return Accept(PortfolioPlanState(), Scenario(), Analyst());
  }
  gavel::v1::PublishPlan Publish() const {
    gavel::v1::PublishPlan cmd;
    cmd.set_plan_id("fy26");
    cmd.mutable_decision()->set_board_id("exec");
    return cmd;
  }
};

TEST_F(PortfolioPlanTest, CreatesScenarioWithSortedBudget) {
  PortfolioPlanState state = Created();
  EXPECT_EQ(state.version, 1u);
  ASSERT_EQ(state.scenario.budget_size(), 2);
  EXPECT_EQ(state.scenario.budget(0).period_start().month(), 1);
  EXPECT_EQ(state.scenario.created_by(), "anna");
  EXPECT_FALSE(state.OptimizationCurrent());
}

TEST_F(PortfolioPlanTest, CreateRejectsMalformedScenarios) {
  ExpectEachRejected(
      Scenario(), DecideOn(PortfolioPlanState(), Analyst()),
      {{[](auto& c) { c.clear_budget(); }, kMissingField, "budget"},
       {[](auto& c) { *c.add_budget() = Amount(1, 3); }, kDuplicateEntry,
        "budget[2].period_start"},
       {[](auto& c) {
          c.mutable_exclusive_groups(0)->mutable_initiative_ids()->RemoveLast();
        },
        kValueOutOfRange, "exclusive_groups[0].initiative_ids"},
       {[](auto& c) {
          c.mutable_capacity(0)->mutable_limits(0)->set_amount(-1);
        },
        kValueOutOfRange, "capacity[0].limits[0].amount"},
       {[](auto& c) { c.set_framework_id("wsjf"); }, kFrameworkNotFound,
        "framework_id"}});
  EXPECT_TRUE(Rejected(Decide(Created(), Scenario(), Analyst()),
                       kAggregateAlreadyExists, "plan_id"));
}

TEST_F(PortfolioPlanTest, ForcingNeedsAReasonAndACandidate) {
  gavel::v1::ForceInitiative force = Force(gavel::v1::FORCE_IN, "");
  EXPECT_TRUE(
      Rejected(Decide(Created(), force, Analyst()), kReasonRequired, "reason"));
  force.set_reason("regulatory");
  Context missing = Analyst();
  missing.other_initiative.reset();
  EXPECT_TRUE(Rejected(Decide(Created(), force, missing), kInitiativeNotFound,
                       "initiative_id"));
  gavel::v1::CreateScenario listed = Scenario();
  listed.add_candidate_ids("B");
  PortfolioPlanState only_b = Accept(PortfolioPlanState(), listed, Analyst());
  EXPECT_TRUE(Rejected(Decide(only_b, force, Analyst()), kNotACandidate,
                       "initiative_id"));
  PortfolioPlanState forced = Accept(Created(), force, Analyst());
  EXPECT_EQ(forced.forced.at("A"), gavel::v1::FORCE_IN);
  force.set_direction(gavel::v1::FORCE_CLEAR);
  EXPECT_TRUE(Accept(forced, force, Analyst()).forced.empty());
}

TEST_F(PortfolioPlanTest, OptimizationMustHonourForcedChoicesAndExclusions) {
  PortfolioPlanState forced =
      Accept(Created(), Force(gavel::v1::FORCE_IN, "regulatory"), Analyst());
  EXPECT_TRUE(Rejected(
      Decide(forced, Result({{"C", true}, {"A", false}}, 10), Analyst()),
      kPlanResultInvalid, "result.ranking"));
  EXPECT_TRUE(Rejected(
      Decide(forced, Result({{"A", true}, {"B", true}}, 10), Analyst()),
      kPlanResultInvalid, "result.ranking"));
  gavel::v1::RecordScenarioOptimization unordered =
      Result({{"A", true}, {"C", false}}, 10);
  unordered.mutable_result()->mutable_ranking(1)->set_selected(true);
  EXPECT_TRUE(Rejected(Decide(forced, unordered, Analyst()), kPlanResultInvalid,
                       "result.ranking[1]"));
  PortfolioPlanState optimized =
      Accept(forced, Result({{"A", true}, {"B", false}}, 10), Analyst());
  ASSERT_TRUE(optimized.optimized.has_value());
  EXPECT_EQ(optimized.optimized->run(), 1);
  EXPECT_TRUE(optimized.OptimizationCurrent());
}

TEST_F(PortfolioPlanTest, PublishesOnlyACurrentOptimizationByTheChair) {
  EXPECT_TRUE(
      Rejected(Decide(Created(), Publish(), Chair()), kPlanNotOptimized, ""));
  PortfolioPlanState optimized =
      Accept(Created(), Result({{"A", true}, {"B", false}}, 900), Analyst());
  Context member = Chair();
  member.actor = "vera";
  EXPECT_TRUE(Rejected(Decide(optimized, Publish(), member), kNotTheChair, ""));
  Context no_board = Chair();
  no_board.board.reset();
  EXPECT_TRUE(Rejected(Decide(optimized, Publish(), no_board), kBoardNotFound,
                       "decision.board_id"));

  PortfolioPlanState changed =
      Accept(optimized, Force(gavel::v1::FORCE_OUT, "sponsor left"), Analyst());
  EXPECT_TRUE(
      Rejected(Decide(changed, Publish(), Chair()), kPlanNotOptimized, ""));

  PortfolioPlanState published = Accept(optimized, Publish(), Chair());
  ASSERT_EQ(published.published.size(), 1u);
  const gavel::v1::PlanPublished& plan = published.published[0];
  EXPECT_EQ(plan.cut_line(), 1);
  EXPECT_EQ(plan.ranking(0).initiative_id(), "A");
  EXPECT_EQ(plan.horizon(), gavel::v1::HORIZON_ONE_YEAR);
  EXPECT_EQ(plan.decision().board_id(), "exec");
  EXPECT_TRUE(plan.overridden_constraints().empty());
}

TEST_F(PortfolioPlanTest, APlanOverItsLimitsNeedsTheBoardsOverride) {
  PortfolioPlanState over =
      Accept(Created(), Result({{"A", true}, {"B", false}}, 1200), Analyst());
  EXPECT_TRUE(Rejected(Decide(over, Publish(), Chair()),
                       kPlanExceedsConstraints, "override_reason"));
  gavel::v1::PublishPlan overridden = Publish();
  overridden.set_override_reason("board funds the overrun from reserve");
  PortfolioPlanState published = Accept(over, overridden, Chair());
  ASSERT_EQ(published.published.size(), 1u);
  EXPECT_EQ(published.published[0].override_reason(),
            "board funds the overrun from reserve");
  ASSERT_EQ(published.published[0].overridden_constraints_size(), 1);
  EXPECT_EQ(published.published[0].overridden_constraints(0),
            "budget:2026-01-01");
}

TEST_F(PortfolioPlanTest, ReplayingTheEventsGivesTheSameState) {
  History<PortfolioPlanState, gavel::v1::PortfolioPlanEvent> history;
  history.Record(Scenario(), Analyst());
  history.Record(Result({{"A", true}, {"B", false}}, 900), Analyst());
  history.Record(Publish(), Chair());
  EXPECT_TRUE(ReplaysFaithfully(history));
  EXPECT_EQ(history.Replay().published.size(), 1u);
}

}  // namespace
}  // namespace gavel::domain::test
