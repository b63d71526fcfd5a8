// The portfolio read model on hand-built events: rank order and its ties,
// lifecycle status, coverage, costs, benefits, measures and capacity.
#include "projections/portfolio_projection.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/projections/fixtures.h"

namespace gavel::projections {
namespace {

using ::gavel::test::Amount;
using ::gavel::test::Day;
using ::gavel::test::Feed;
using ::testing::ElementsAre;

class PortfolioProjectionTest : public ::testing::Test {
 protected:
  std::vector<std::string> RankedIds() const {
    std::vector<std::string> ids;
    for (const gavel::v1::InitiativeSummary* i : portfolio_.state().Ranked()) {
      ids.push_back(i->initiative_id());
    }
    return ids;
  }
  const gavel::v1::InitiativeSummary& Initiative(const std::string& id) {
    const gavel::v1::InitiativeSummary* i =
        portfolio_.state().FindInitiative(id);
    EXPECT_NE(i, nullptr) << id;
    return *i;
  }

  PortfolioProjection portfolio_;
  Feed feed_{{&portfolio_}};
};

TEST_F(PortfolioProjectionTest, RanksByPriorityTierThenScoreThenSubmission) {
  for (const char* id : {"A", "B", "C", "D", "E", "F"}) {
    feed_.Initiative(id, test::Submitted(id, 1000, feed_.now()));
  }
  // A: HIGH 6000; B: HIGH 8000; C: CRITICAL unscored; D: HIGH 8000 (ties
  // with B, submitted later); E: unprioritised 9900; F: LOW 100.
  feed_.Initiative("A", test::Priority(gavel::v1::PRIORITY_HIGH));
  feed_.Initiative("A", test::Locked(6000));
  feed_.Initiative("B", test::Priority(gavel::v1::PRIORITY_HIGH));
  feed_.Initiative("B", test::Locked(8000));
  feed_.Initiative("C", test::Priority(gavel::v1::PRIORITY_CRITICAL));
  feed_.Initiative("D", test::Locked(8000));
  feed_.Initiative("D", test::Priority(gavel::v1::PRIORITY_HIGH));
  feed_.Initiative("E", test::Locked(9900));
  feed_.Initiative("F", test::Priority(gavel::v1::PRIORITY_LOW));
  feed_.Initiative("F", test::Locked(100));

  EXPECT_THAT(RankedIds(), ElementsAre("C", "B", "D", "A", "F", "E"));
  EXPECT_EQ(portfolio_.state().RankOf(Initiative("C")), 1u);
  EXPECT_EQ(portfolio_.state().RankOf(Initiative("D")), 3u);
  EXPECT_EQ(portfolio_.state().RankOf(Initiative("E")), 6u);
}

TEST_F(PortfolioProjectionTest, UnscoredRanksAfterScoredInTheSameTier) {
  feed_.Initiative("early", test::Submitted("early", 1, feed_.now()));
  feed_.Initiative("late", test::Submitted("late", 1, feed_.now()));
  feed_.Initiative("late", test::Locked(0));
  EXPECT_THAT(RankedIds(), ElementsAre("late", "early"));
}

TEST_F(PortfolioProjectionTest, TerminalInitiativesLeaveTheRanking) {
  for (const char* id : {"A", "B", "C"}) {
    feed_.Initiative(id, test::Submitted(id, 1000, feed_.now()));
  }
  gavel::v1::InitiativeEvent withdrawn;
  withdrawn.mutable_withdrawn()->set_reason("no longer needed");
  feed_.Initiative("A", withdrawn);
  feed_.Initiative("B",
                   test::Decided(1, "G0", "exec", gavel::v1::GATE_OUTCOME_KILL,
                                 feed_.now(), feed_.position()));
  EXPECT_THAT(RankedIds(), ElementsAre("C"));
  EXPECT_EQ(Initiative("A").status(), gavel::v1::INITIATIVE_STATUS_WITHDRAWN);
  EXPECT_EQ(Initiative("B").status(), gavel::v1::INITIATIVE_STATUS_KILLED);
  EXPECT_EQ(portfolio_.state().RankOf(Initiative("A")), 0u);
}

TEST_F(PortfolioProjectionTest, GateDecisionsMoveStageAndStatus) {
  feed_.Initiative("I", test::Submitted("I", 1000, feed_.now()));
  EXPECT_EQ(Initiative("I").status(), gavel::v1::INITIATIVE_STATUS_PROPOSED);
  feed_.Initiative("I", test::ReviewRequested(1, "G0", "exec", feed_.now()));
  EXPECT_EQ(Initiative("I").open_review_gate(), "G0");
  feed_.Initiative("I",
                   test::Decided(1, "G0", "exec", gavel::v1::GATE_OUTCOME_GO,
                                 feed_.now(), feed_.position(), "", {}, 700));
  EXPECT_EQ(Initiative("I").status(), gavel::v1::INITIATIVE_STATUS_ACTIVE);
  EXPECT_EQ(Initiative("I").stage(), "G0");
  EXPECT_EQ(Initiative("I").open_review_gate(), "");
  EXPECT_EQ(Initiative("I").budget_approved().minor_units(), 700);
  feed_.Initiative("I", test::ReviewRequested(2, "G1", "exec", feed_.now()));
  feed_.Initiative("I",
                   test::Decided(2, "G1", "exec", gavel::v1::GATE_OUTCOME_HOLD,
                                 feed_.now(), feed_.position()));
  EXPECT_EQ(Initiative("I").status(), gavel::v1::INITIATIVE_STATUS_ON_HOLD);
  EXPECT_EQ(Initiative("I").stage(), "G0");
  gavel::v1::InitiativeEvent released;
  released.mutable_hold_released()->set_gate_id("G1");
  feed_.Initiative("I", released);
  EXPECT_EQ(Initiative("I").status(), gavel::v1::INITIATIVE_STATUS_ACTIVE);
}

TEST_F(PortfolioProjectionTest, CoverageCostsRisksAndBenefits) {
  feed_.Objective("growth", test::ObjectiveDefined("growth"));
  feed_.Objective("cost", test::ObjectiveDefined("cost"));
  feed_.Initiative("I", test::Submitted("I", 5000, feed_.now()));
  feed_.Initiative("I", test::Linked("growth", true, 6000));
  feed_.Initiative("I", test::Linked("cost", false, 2500));
  feed_.Initiative("I", test::Cost(1200, Day(2026, 1, 1)));
  feed_.Initiative("I", test::Cost(300, Day(2026, 2, 1)));
  feed_.Initiative("I", test::Risk("r1"));
  feed_.Initiative("I", test::Risk("r2"));
  gavel::v1::InitiativeEvent closed;
  closed.mutable_risk_closed()->set_risk_id("r1");
  feed_.Initiative("I", closed);
  // Baseline 100, target 300, measured 250: (250 - 100) / (300 - 100) =
  // 75 %.
  feed_.Initiative("I", test::Benefit("b", 100, 300));
  feed_.Initiative("I", test::Measured("b", 250));

  const gavel::v1::InitiativeSummary& i = Initiative("I");
  EXPECT_EQ(i.primary_objective_id(), "growth");
  EXPECT_EQ(i.objective_coverage_bp(), 8500);
  EXPECT_EQ(i.actual_cost().minor_units(), 1500);
  ASSERT_EQ(i.open_risks_size(), 1);
  EXPECT_EQ(i.open_risks(0).risk_id(), "r2");
  ASSERT_EQ(i.benefits_size(), 1);
  EXPECT_EQ(i.benefits(0).realization_bp(), 7500);
  EXPECT_THAT(portfolio_.state().FindObjective("growth")->initiative_ids(),
              ElementsAre("I"));

  gavel::v1::InitiativeEvent unlinked;
  unlinked.mutable_objective_unlinked()->set_objective_id("growth");
  feed_.Initiative("I", unlinked);
  EXPECT_EQ(Initiative("I").primary_objective_id(), "");
  EXPECT_EQ(Initiative("I").objective_coverage_bp(), 2500);
  EXPECT_TRUE(
      portfolio_.state().FindObjective("growth")->initiative_ids().empty());
}

TEST_F(PortfolioProjectionTest, MeasureProgressFollowsTheFeedingBenefit) {
  gavel::v1::ObjectiveEvent measure;
  auto* m = measure.mutable_success_measure_added();
  m->set_measure_id("nps");
  m->set_name("NPS");
  m->set_unit("points");
  m->set_direction(gavel::v1::DIRECTION_INCREASE);
  m->set_baseline(20);
  gavel::v1::ObjectiveEvent target;
  target.mutable_measure_target_set()->set_measure_id("nps");
  target.mutable_measure_target_set()->set_target(60);
  feed_.Objective("cx", test::ObjectiveDefined("cx"));
  feed_.Objective("cx", measure);
  feed_.Objective("cx", target);
  feed_.Initiative("I", test::Submitted("I", 1, feed_.now()));
  feed_.Initiative("I", test::Benefit("b", 20, 60, "cx", "nps"));
  feed_.Initiative("I", test::Measured("b", 30));
  // (30 - 20) / (60 - 20) = 25 %.
  const gavel::v1::MeasureProgress& progress =
      portfolio_.state().FindObjective("cx")->measures(0);
  EXPECT_TRUE(progress.measured());
  EXPECT_EQ(progress.actual(), 30);
  EXPECT_EQ(progress.progress_bp(), 2500);
}

TEST_F(PortfolioProjectionTest, CapacityFlagsOverCommitment) {
  const gavel::v1::Date jan = Day(2026, 1, 1);
  const gavel::v1::Date feb = Day(2026, 2, 1);
  feed_.Pool("data",
             test::PoolDefined("data", {Amount(jan, 10), Amount(feb, 10)}));
  gavel::v1::CapacityDemand demand;
  demand.set_pool_id("data");
  *demand.add_amounts() = Amount(jan, 8);
  *demand.add_amounts() = Amount(feb, 4);
  feed_.Initiative("A", test::Submitted("A", 1, feed_.now(), {demand}));
  feed_.Initiative("B", test::Submitted("B", 1, feed_.now(), {demand}));
  gavel::v1::CapacityPoolEvent reserve;
  reserve.mutable_demand_reserved()->set_initiative_id("A");
  *reserve.mutable_demand_reserved()->mutable_amounts() = demand.amounts();
  reserve.mutable_demand_reserved()->set_firm(true);
  feed_.Pool("data", reserve);
  reserve.mutable_demand_reserved()->set_initiative_id("B");
  reserve.mutable_demand_reserved()->set_override_reason("board override");
  feed_.Pool("data", reserve);

  const gavel::v1::PoolSummary* pool = portfolio_.state().FindPool("data");
  ASSERT_NE(pool, nullptr);
  ASSERT_EQ(pool->periods_size(), 2);
  EXPECT_EQ(pool->periods(0).demand(), 16);
  EXPECT_EQ(pool->periods(0).firm_reserved(), 16);
  EXPECT_TRUE(pool->periods(0).over_committed());
  EXPECT_EQ(pool->periods(1).firm_reserved(), 8);
  EXPECT_FALSE(pool->periods(1).over_committed());

  // B is killed: its demand and reservation go.
  feed_.Initiative("B",
                   test::Decided(1, "G2", "exec", gavel::v1::GATE_OUTCOME_KILL,
                                 feed_.now(), feed_.position()));
  gavel::v1::CapacityPoolEvent release;
  release.mutable_demand_released()->set_initiative_id("B");
  *release.mutable_demand_released()->mutable_amounts() = demand.amounts();
  feed_.Pool("data", release);
  pool = portfolio_.state().FindPool("data");
  EXPECT_EQ(pool->periods(0).demand(), 8);
  EXPECT_EQ(pool->periods(0).firm_reserved(), 8);
  EXPECT_FALSE(pool->periods(0).over_committed());
  EXPECT_EQ(pool->reservations_size(), 1);
}

TEST_F(PortfolioProjectionTest, SnapshotRestoresAnEqualModel) {
  feed_.Objective("growth", test::ObjectiveDefined("growth"));
  feed_.Initiative("I", test::Submitted("I", 5000, feed_.now()));
  feed_.Initiative("I", test::Linked("growth", true, 10000));
  PortfolioProjection restored;
  ASSERT_TRUE(restored.Restore(portfolio_.Snapshot()).ok());
  EXPECT_EQ(Digest(restored), Digest(portfolio_));
  ASSERT_NE(restored.state().FindInitiative("I"), nullptr);
  EXPECT_FALSE(restored.Restore("not a snapshot \xff\xff").ok());
}

gavel::v1::PortfolioPlanEvent Published(gavel::v1::Horizon horizon,
                                        std::vector<std::string> ranking,
                                        int cut_line) {
  gavel::v1::PortfolioPlanEvent e;
  gavel::v1::PlanPublished* p = e.mutable_plan_published();
  p->set_run(1);
  p->set_horizon(horizon);
  for (size_t k = 0; k < ranking.size(); ++k) {
    gavel::v1::PlanEntry* entry = p->add_ranking();
    entry->set_initiative_id(ranking[k]);
    entry->set_selected(static_cast<int>(k) < cut_line);
  }
  p->set_cut_line(cut_line);
  p->mutable_decision()->set_board_id("exec");
  return e;
}

TEST_F(PortfolioProjectionTest, TheLastPlanPublishedPerHorizonIsOfRecord) {
  const uint64_t first = feed_.Plan(
      "fy26", Published(gavel::v1::HORIZON_ONE_YEAR, {"A", "B", "C"}, 2));
  feed_.Plan("long", Published(gavel::v1::HORIZON_THREE_YEARS, {"C", "A"}, 1));
  const uint64_t second = feed_.Plan(
      "fy26b", Published(gavel::v1::HORIZON_ONE_YEAR, {"B", "A", "C"}, 1));
  const auto& plans = portfolio_.state().model().plans();
  ASSERT_EQ(plans.size(), 2);
  EXPECT_EQ(plans[0].plan_id(), "fy26b");
  EXPECT_EQ(plans[0].published_position(), second);
  EXPECT_EQ(plans[0].cut_line(), 1);
  EXPECT_THAT(plans[0].superseded_plan_ids(), ElementsAre("fy26"));
  EXPECT_EQ(plans[1].plan_id(), "long");
  EXPECT_GT(second, first);
  // A snapshot keeps it.
  PortfolioProjection restored;
  ASSERT_TRUE(restored.Restore(portfolio_.Snapshot()).ok());
  ASSERT_EQ(restored.state().model().plans_size(), 2);
  EXPECT_EQ(restored.state().model().plans(0).plan_id(), "fy26b");
}

TEST_F(PortfolioProjectionTest, KeepsOpenDependenciesAndCriterionScores) {
  feed_.Initiative("A", test::Submitted("A", 1000, feed_.now()));
  feed_.Initiative("B", test::Submitted("B", 1000, feed_.now()));
  gavel::v1::InitiativeEvent declared;
  declared.mutable_dependency_declared()->set_dependency_id("d1");
  declared.mutable_dependency_declared()->set_depends_on_initiative_id("A");
  const uint64_t submitted_b = Initiative("B").last_position();
  feed_.Initiative("B", declared);
  ASSERT_EQ(Initiative("B").open_dependencies_size(), 1);
  EXPECT_EQ(Initiative("B").open_dependencies(0).depends_on_initiative_id(),
            "A");
  // Dependencies do not move the summary's last_position.
  EXPECT_EQ(Initiative("B").last_position(), submitted_b);
  gavel::v1::InitiativeEvent resolved;
  resolved.mutable_dependency_resolved()->set_dependency_id("d1");
  feed_.Initiative("B", resolved);
  EXPECT_EQ(Initiative("B").open_dependencies_size(), 0);

  gavel::v1::InitiativeEvent locked = test::Locked(6800);
  gavel::v1::CriterionResult* value =
      locked.mutable_scorecard_locked()->add_criteria();
  value->set_criterion_id("value");
  value->set_consensus_bp(8000);
  value->set_weight_bp(6000);
  feed_.Initiative("A", locked);
  ASSERT_EQ(Initiative("A").criteria_size(), 1);
  EXPECT_EQ(Initiative("A").criteria(0).consensus_bp(), 8000);
}

}  // namespace
}  // namespace gavel::projections
