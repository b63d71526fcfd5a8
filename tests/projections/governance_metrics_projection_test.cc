// Each governance metric on a hand-computed fixture (DESIGN.md §6).
#include "projections/governance_metrics_projection.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "projections/portfolio_projection.h"
#include "tests/projections/fixtures.h"

namespace gavel::projections {
namespace {

using ::gavel::test::Amount;
using ::gavel::test::Day;
using ::gavel::test::Feed;
using ::testing::ElementsAre;

constexpr absl::Duration kDay = absl::Hours(24);

class GovernanceMetricsProjectionTest : public ::testing::Test {
 protected:
  // Review requested at t0, decided `days` later, by `board`.
  void Decide(const std::string& id, gavel::v1::GateOutcome outcome, int days,
              const std::string& board = "exec",
              std::vector<gavel::v1::Condition> conditions = {},
              int64_t budget = 0, const std::string& cycle = "") {
    feed_.Initiative(id, test::ReviewRequested(1, "G0", board, t0_, cycle));
    feed_.Initiative(
        id, test::Decided(1, "G0", board, outcome, t0_ + days * kDay,
                          feed_.position(), cycle, conditions, budget));
  }
  const gavel::v1::BoardGateMetrics& Board(
      const gavel::v1::GovernanceMetrics& m, const std::string& board,
      const std::string& gate) {
    for (const auto& b : m.boards()) {
      if (b.board_id() == board && b.gate_id() == gate) return b;
    }
    ADD_FAILURE() << "no metrics for " << board << "/" << gate;
    return m.boards(0);
  }

  GovernanceMetricsProjection metrics_;
  // The portfolio KPIs' source, fed the same events.
  PortfolioProjection portfolio_;
  Feed feed_{{&metrics_, &portfolio_}};
  const absl::Time t0_ = absl::FromCivil(absl::CivilSecond(2026, 1, 1, 0, 0, 0),
                                         absl::UTCTimeZone());
};

TEST_F(GovernanceMetricsProjectionTest, DecisionLatencySlaAndOutcomeMix) {
  feed_.Board("exec", test::BoardChartered("exec", 10 * kDay,
                                           gavel::v1::CADENCE_MONTHLY));
  for (const char* id : {"A", "B", "C", "D"}) {
    feed_.Initiative(id, test::Submitted(id, 1000, t0_));
  }
  // Latencies 2, 5, 12, 20 days. Nearest rank: p50 = 2nd = 5 days, p90 =
  // 4th = 20 days; within the 10-day SLA: 2 of 4.
  Decide("A", gavel::v1::GATE_OUTCOME_GO, 2);
  Decide("B", gavel::v1::GATE_OUTCOME_CONDITIONAL_GO, 5, "exec",
         {test::ConditionDue("k1", Day(2026, 1, 20)),
          test::ConditionDue("k2", Day(2026, 1, 20))});
  Decide("C", gavel::v1::GATE_OUTCOME_KILL, 12);
  Decide("D", gavel::v1::GATE_OUTCOME_RECYCLE, 20);
  // Conditions: one on time, one late.
  feed_.Initiative("B", test::Satisfied("k1", Day(2026, 1, 18)));
  feed_.Initiative("B", test::Satisfied("k2", Day(2026, 1, 25)));

  const gavel::v1::GovernanceMetrics m =
      metrics_.Compute("", portfolio_.state());
  for (const std::string gate : {"", "G0"}) {
    const gavel::v1::BoardGateMetrics& b = Board(m, "exec", gate);
    EXPECT_EQ(b.latency().decisions(), 4u);
    EXPECT_EQ(b.latency().p50().seconds(), absl::ToInt64Seconds(5 * kDay));
    EXPECT_EQ(b.latency().p90().seconds(), absl::ToInt64Seconds(20 * kDay));
    EXPECT_EQ(b.latency().max().seconds(), absl::ToInt64Seconds(20 * kDay));
    EXPECT_EQ(b.latency().within_sla(), 2u);
    EXPECT_EQ(b.latency().sla_attainment_bp(), 5000);
    EXPECT_EQ(b.outcomes().go_bp(), 2500);
    EXPECT_EQ(b.outcomes().conditional_go_bp(), 2500);
    EXPECT_EQ(b.outcomes().kill_bp(), 2500);
    EXPECT_EQ(b.outcomes().recycle_bp(), 2500);
    EXPECT_EQ(b.outcomes().hold_bp(), 0);
    EXPECT_EQ(b.conditions_due(), 2u);
    EXPECT_EQ(b.conditions_closed_on_time(), 1u);
    EXPECT_EQ(b.conditions_on_time_bp(), 5000);
  }
}

TEST_F(GovernanceMetricsProjectionTest, QueueAgeOfOpenReviews) {
  feed_.Board("exec", test::BoardChartered("exec", 10 * kDay,
                                           gavel::v1::CADENCE_MONTHLY));
  feed_.Initiative("A", test::Submitted("A", 1, t0_));
  feed_.Initiative("B", test::Submitted("B", 1, t0_));
  const absl::Time now = feed_.now();
  feed_.Initiative("A", test::ReviewRequested(1, "G0", "exec", now - 4 * kDay));
  feed_.Initiative("B", test::ReviewRequested(1, "G0", "exec", now - 2 * kDay));
  // The answer's time is the last event's: one minute after `now`.
  const gavel::v1::GovernanceMetrics m =
      metrics_.Compute("exec", portfolio_.state());
  const gavel::v1::BoardGateMetrics& b = Board(m, "exec", "");
  EXPECT_EQ(b.open_reviews(), 2u);
  EXPECT_EQ(b.oldest_open_review_age().seconds(),
            absl::ToInt64Seconds(4 * kDay + absl::Minutes(1)));
  EXPECT_EQ(b.mean_open_review_age().seconds(),
            absl::ToInt64Seconds(3 * kDay + absl::Minutes(1)));
}

TEST_F(GovernanceMetricsProjectionTest, CyclesCadenceCarryOverAndSatisfaction) {
  feed_.Board("exec", test::BoardChartered("exec", 10 * kDay,
                                           gavel::v1::CADENCE_MONTHLY));
  auto schedule = [&](const std::string& id, const gavel::v1::Date& on) {
    gavel::v1::GovernanceCycleEvent e;
    e.mutable_scheduled()->set_cycle_id(id);
    e.mutable_scheduled()->set_board_id("exec");
    e.mutable_scheduled()->set_kind(gavel::v1::CYCLE_KIND_PORTFOLIO_REVIEW);
    *e.mutable_scheduled()->mutable_scheduled_on() = on;
    feed_.Cycle(id, e);
  };
  auto close = [&](const std::string& id, const gavel::v1::Date& on) {
    gavel::v1::GovernanceCycleEvent e;
    *e.mutable_closed()->mutable_held_on() = on;
    feed_.Cycle(id, e);
  };
  schedule("c1", Day(2026, 1, 10));
  schedule("c2", Day(2026, 2, 5));
  schedule("c3", Day(2026, 4, 1));
  gavel::v1::GovernanceCycleEvent item;
  item.mutable_agenda_item_added()->set_item_id("i1");
  feed_.Cycle("c1", item);
  gavel::v1::GovernanceCycleEvent deferred;
  deferred.mutable_agenda_item_deferred()->set_item_id("i1");
  deferred.mutable_agenda_item_deferred()->set_to_cycle_id("c2");
  feed_.Cycle("c1", deferred);
  item.mutable_agenda_item_added()->set_deferred_from_cycle_id("c1");
  feed_.Cycle("c2", item);
  feed_.Initiative("A", test::Submitted("A", 1, t0_));
  Decide("A", gavel::v1::GATE_OUTCOME_GO, 1, "exec", {}, 0, "c2");
  for (int score : {4, 5}) {
    gavel::v1::PmoServiceEvent feedback;
    auto* f = feedback.mutable_stakeholder_feedback_recorded();
    f->set_respondent("bob");
    f->set_cycle_id("c1");
    f->set_score(score);
    feed_.Pmo("pmo", feedback);
  }
  // Held 26 days apart (within a month), then 55 days (not).
  close("c1", Day(2026, 1, 10));
  close("c2", Day(2026, 2, 5));
  close("c3", Day(2026, 4, 1));

  const gavel::v1::GovernanceMetrics m =
      metrics_.Compute("exec", portfolio_.state());
  EXPECT_EQ(Board(m, "exec", "").cadence_adherence_bp(), 5000);
  // Deferral share: 1 deferred / (1 decision + 1 deferred).
  EXPECT_EQ(Board(m, "exec", "").outcomes().deferral_bp(), 5000);
  ASSERT_EQ(m.cycles_size(), 3);
  EXPECT_EQ(m.cycles(0).deferred_items(), 1u);
  EXPECT_EQ(m.cycles(0).feedback_responses(), 2u);
  EXPECT_EQ(m.cycles(0).satisfaction_x100(), 450);
  EXPECT_EQ(m.cycles(1).carried_over_items(), 1u);
  EXPECT_EQ(m.cycles(1).decisions(), 1u);
  EXPECT_EQ(m.cycles(1).outcomes().go_bp(), 10000);
}

TEST_F(GovernanceMetricsProjectionTest, PortfolioKpis) {
  feed_.Board(
      "ops", test::BoardChartered("ops", 10 * kDay, gavel::v1::CADENCE_AD_HOC));
  for (const char* id : {"O1", "O2", "O3"}) {
    feed_.Objective(id, test::ObjectiveDefined(id));
  }
  gavel::v1::ObjectiveEvent retired;
  retired.mutable_retired()->set_reason("done");
  feed_.Objective("O3", retired);
  const gavel::v1::Date jan = Day(2026, 1, 1);
  feed_.Pool("P", test::PoolDefined("P", {Amount(jan, 10)}));

  gavel::v1::InitiativeEvent a = test::Submitted("A", 800, t0_);
  auto add_milestone = [&](const std::string& id, const gavel::v1::Date& d) {
    gavel::v1::Milestone* m = a.mutable_submitted()->add_milestones();
    m->set_milestone_id(id);
    m->set_name(id);
    *m->mutable_committed_date() = d;
  };
  add_milestone("m1", Day(2026, 1, 3));
  add_milestone("m2", Day(2026, 1, 4));
  add_milestone("m3", Day(2099, 1, 1));
  feed_.Initiative("A", a);
  feed_.Initiative("B", test::Submitted("B", 3000, t0_));
  feed_.Initiative("D", test::Submitted("D", 2000, t0_));
  feed_.Initiative("E", test::Submitted("E", 4000, t0_));
  feed_.Initiative("F", test::Submitted("F", 1000, t0_));
  // Alignment: A (budget 1000 approved) and E (4000) link to active O1; B
  // links to retired O3; D links nowhere. Count 2/4, budget 5000/10000;
  // O2 has no funded initiative.
  feed_.Initiative("A", test::Linked("O1", true, 10000));
  feed_.Initiative("E", test::Linked("O1", true, 10000));
  feed_.Initiative("B", test::Linked("O3", true, 10000));
  Decide("A", gavel::v1::GATE_OUTCOME_GO, 1, "ops", {}, 1000);
  // Benefits: A 100 -> 300 measured 250 (7500), E 0 -> 100 measured 50
  // (5000): mean 6250.
  feed_.Initiative("A", test::Benefit("b", 100, 300));
  feed_.Initiative("A", test::Measured("b", 250));
  feed_.Initiative("E", test::Benefit("b", 0, 100));
  feed_.Initiative("E", test::Measured("b", 50));
  // Milestones: m1 on time, m2 late, m3 not due: 1/2.
  gavel::v1::InitiativeEvent achieved;
  achieved.mutable_milestone_achieved()->set_milestone_id("m1");
  *achieved.mutable_milestone_achieved()->mutable_achieved_on() =
      Day(2026, 1, 2);
  feed_.Initiative("A", achieved);
  achieved.mutable_milestone_achieved()->set_milestone_id("m2");
  *achieved.mutable_milestone_achieved()->mutable_achieved_on() =
      Day(2026, 1, 5);
  feed_.Initiative("A", achieved);
  // Re-forecasts 1000 -> 1200 (20 %) -> 900 (25 %): mean 2250.
  for (int64_t cost : {1000, 1200, 900}) {
    gavel::v1::InitiativeEvent forecast;
    *forecast.mutable_forecast_revised()->mutable_cost_at_completion() =
        test::Eur(cost);
    forecast.mutable_forecast_revised()->set_reason("re-plan");
    feed_.Initiative("A", forecast);
  }
  // Budget accuracy: F approved 1000, spent 1100, closed: 9000.
  Decide("F", gavel::v1::GATE_OUTCOME_GO, 1, "ops", {}, 1000);
  feed_.Initiative("F", test::Cost(1100, jan));
  gavel::v1::InitiativeEvent closed;
  closed.mutable_closed()->set_handover_summary("done");
  feed_.Initiative("F", closed);
  // Capacity: 15 firmly reserved of 10: utilization 15000, over by 5.
  gavel::v1::CapacityPoolEvent reserve;
  reserve.mutable_demand_reserved()->set_initiative_id("A");
  *reserve.mutable_demand_reserved()->add_amounts() = Amount(jan, 15);
  reserve.mutable_demand_reserved()->set_firm(true);
  feed_.Pool("P", reserve);

  const gavel::v1::PortfolioKpis k =
      metrics_.Compute("", portfolio_.state()).kpis();
  EXPECT_EQ(k.active_initiatives(), 4u);
  EXPECT_EQ(k.aligned_initiatives(), 2u);
  EXPECT_EQ(k.alignment_count_bp(), 5000);
  EXPECT_EQ(k.active_budget_minor_units(), 10000);
  EXPECT_EQ(k.aligned_budget_minor_units(), 5000);
  EXPECT_EQ(k.alignment_budget_bp(), 5000);
  EXPECT_THAT(k.unfunded_objective_ids(), ElementsAre("O2"));
  EXPECT_EQ(k.measured_benefits(), 2u);
  EXPECT_EQ(k.benefit_realization_bp(), 6250);
  EXPECT_EQ(k.milestones_due(), 2u);
  EXPECT_EQ(k.milestones_on_time(), 1u);
  EXPECT_EQ(k.milestone_predictability_bp(), 5000);
  EXPECT_EQ(k.reforecasts(), 2u);
  EXPECT_EQ(k.forecast_error_bp(), 2250);
  EXPECT_EQ(k.budget_accuracy_samples(), 1u);
  EXPECT_EQ(k.budget_accuracy_bp(), 9000);
  EXPECT_EQ(k.capacity_utilization_bp(), 15000);
  EXPECT_EQ(k.over_allocated_periods(), 1u);
  EXPECT_EQ(k.over_allocation(), 5);
}

TEST_F(GovernanceMetricsProjectionTest, ServiceLevelsAgainstTheirThresholds) {
  feed_.Board("exec", test::BoardChartered("exec", 10 * kDay,
                                           gavel::v1::CADENCE_MONTHLY));
  gavel::v1::PmoServiceEvent latency;
  auto* l = latency.mutable_service_level_defined();
  l->set_service_level_id("latency");
  l->set_metric(gavel::v1::SERVICE_METRIC_GATE_DECISION_LATENCY);
  l->mutable_max_latency()->set_seconds(absl::ToInt64Seconds(14 * kDay));
  l->set_percentile_bp(9000);
  l->mutable_scope()->set_board_id("exec");
  feed_.Pmo("pmo", latency);
  gavel::v1::PmoServiceEvent satisfaction;
  auto* s = satisfaction.mutable_service_level_defined();
  s->set_service_level_id("happy");
  s->set_metric(gavel::v1::SERVICE_METRIC_STAKEHOLDER_SATISFACTION);
  s->set_min_value(400);
  feed_.Pmo("pmo", satisfaction);
  for (const char* id : {"A", "B"}) {
    feed_.Initiative(id, test::Submitted(id, 1, t0_));
  }
  Decide("A", gavel::v1::GATE_OUTCOME_GO, 3);
  Decide("B", gavel::v1::GATE_OUTCOME_GO, 20);
  for (int score : {4, 5}) {
    gavel::v1::PmoServiceEvent feedback;
    feedback.mutable_stakeholder_feedback_recorded()->set_score(score);
    feed_.Pmo("pmo", feedback);
  }
  const gavel::v1::GovernanceMetrics m =
      metrics_.Compute("", portfolio_.state());
  ASSERT_EQ(m.service_levels_size(), 2);
  // p90 of {3, 20} days = 20 days > 14.
  EXPECT_EQ(m.service_levels(0).samples(), 2u);
  EXPECT_EQ(m.service_levels(0).observed(), absl::ToInt64Seconds(20 * kDay));
  EXPECT_FALSE(m.service_levels(0).attained());
  EXPECT_EQ(m.service_levels(1).observed(), 450);
  EXPECT_TRUE(m.service_levels(1).attained());
}

}  // namespace
}  // namespace gavel::projections
