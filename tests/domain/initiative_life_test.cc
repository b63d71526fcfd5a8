// A scripted life of one initiative, from submission through G0-G4 with a
// conditional go, a recycle, a hold and its release, to closure and benefit
// measurements after closure; the same life decided and folded twice gives
// equal events and equal state.
#include <string>
#include <vector>

#include "domain/initiative.h"
#include "gtest/gtest.h"
#include "tests/domain/initiative_test_world.h"

namespace gavel::domain::test {
namespace {

class InitiativeLifeTest : public InitiativeTest {
 protected:
  // Decides `command` as `actor`, expects it accepted, folds it and appends
  // its events (and pool events) to the logs.
  template <typename Command>
  void Step(const Command& command, absl::string_view actor) {
    auto result = Decide(state_, command, Ctx(actor));
    ASSERT_TRUE(result.ok())
        << result.status() << " " << ReasonOf(result.status());
    AppendPoolEvents(*result);
    for (const InitiativeEvent& event : EventsOf(*std::move(result))) {
      log_.push_back(event);
      state_ = Evolve(std::move(state_), event);
    }
    ++head_position_;
  }

  void AppendPoolEvents(const Events&) {}
  void AppendPoolEvents(const InitiativeDecision& decision) {
    for (const auto& pool : decision.pool_events) {
      for (const gavel::v1::CapacityPoolEvent& event : pool.events) {
        pool_log_.push_back({pool.aggregate_id, event});
      }
    }
  }

  void Vote(absl::string_view member, gavel::v1::GateVote vote) {
    Step(VoteCommand(vote), member);
  }

  // The whole life; checks the stage after each gate.
  void Live() {
    // Intake.
    Step(SubmitCommand(), "sub");
    Step(LinkCommand("obj-growth", true, 7000), "spo");
    Step(LinkCommand("obj-cost", false, 3000), "spo");
    Step(BenefitCommand(), "spo");
    gavel::v1::RaiseRisk risk;
    risk.set_risk_id("r-vendor");
    risk.set_title("Kiosk vendor may slip");
    risk.set_probability_bp(2500);
    risk.set_impact(gavel::v1::RISK_IMPACT_MEDIUM);
    risk.set_owner("spo");
    Step(risk, "spo");

    // G0 with a conditional go, in the Q1 cycle.
    Step(ReviewCommand("G0", "c-q1"), "pmo");
    Vote("ana", GATE_VOTE_GO);
    Vote("bo", GATE_VOTE_CONDITIONAL_GO);
    gavel::v1::RecordGateDecision g0 =
        DecisionCommand(GATE_OUTCOME_CONDITIONAL_GO);
    *g0.add_conditions() = MakeCondition("c-dpo", MakeDate(2025, 2, 15));
    Step(g0, "ana");
    EXPECT_EQ(state_.passed_gates, std::vector<std::string>{"G0"});

    // The condition blocks G1 until satisfied.
    ScoreAndLockLogged();
    EXPECT_TRUE(Rejected(Try(ReviewCommand("G1"), "pmo"), kConditionsOpen));
    now_ += absl::Hours(24 * 10);
    gavel::v1::SatisfyCondition satisfy;
    satisfy.set_condition_id("c-dpo");
    *satisfy.mutable_satisfied_on() = DateOf(now_);
    satisfy.set_evidence("DPO sign-off letter");
    Step(satisfy, "spo");
    gavel::v1::ChangePriority priority;
    priority.set_to_priority(gavel::v1::PRIORITY_HIGH);
    priority.set_reason("customer-experience programme");
    priority.set_board_id("gov");
    priority.set_cycle_id("c-q1");
    Step(priority, "bo");

    // G1: recycled once, then passed.
    Step(ReviewCommand("G1", "c-q1"), "pmo");
    Vote("ana", GATE_VOTE_RECYCLE);
    Vote("bo", GATE_VOTE_RECYCLE);
    Vote("cy", GATE_VOTE_GO);
    Step(DecisionCommand(GATE_OUTCOME_RECYCLE), "ana");
    EXPECT_EQ(state_.passed_gates.size(), 1u);
    Step(ReviewCommand("G1"), "pmo");
    Vote("ana", GATE_VOTE_GO);
    Vote("bo", GATE_VOTE_GO);
    Step(DecisionCommand(GATE_OUTCOME_GO), "ana");
    EXPECT_EQ(state_.passed_gates.size(), 2u);

    // G2: put on hold, released, then approved with a budget.
    Step(ReviewCommand("G2"), "pmo");
    Step(RecuseCommand("cy"), "cy");
    Vote("ana", GATE_VOTE_HOLD);
    Vote("bo", GATE_VOTE_HOLD);
    Step(DecisionCommand(GATE_OUTCOME_HOLD), "ana");
    EXPECT_EQ(state_.status, InitiativeStatus::kOnHold);
    EXPECT_TRUE(Rejected(Try(ReviewCommand("G2"), "pmo"), kInitiativeOnHold));
    now_ += absl::Hours(24 * 7);
    gavel::v1::ReleaseHold release;
    release.set_reason("funding confirmed by the CFO");
    Step(release, "ana");
    Step(ReviewCommand("G2"), "pmo");
    Vote("ana", GATE_VOTE_GO);
    Step(VoteCommand(GATE_VOTE_GO, "bo"), "del");  // bo's delegate.
    gavel::v1::RecordGateDecision g2 = DecisionCommand(GATE_OUTCOME_GO);
    *g2.mutable_budget_approved() = Eur(50000000);
    Step(g2, "ana");
    EXPECT_EQ(state_.passed_gates.size(), 3u);
    EXPECT_TRUE(state_.baselines_frozen);
    EXPECT_EQ(state_.reserved_capacity.size(), 2u);

    // Delivery.
    gavel::v1::ReportCost cost;
    *cost.mutable_period_start() = MakeDate(2025, 2, 1);
    *cost.mutable_amount() = Eur(12000000);
    cost.set_category(gavel::v1::COST_CATEGORY_CAPEX);
    cost.set_source("SAP");
    now_ += absl::Hours(24 * 30);
    Step(cost, "pmo");
    gavel::v1::AchieveMilestone design;
    design.set_milestone_id("ms-design");
    *design.mutable_achieved_on() = MakeDate(2025, 2, 27);
    Step(design, "spo");
    gavel::v1::CloseRisk close_risk;
    close_risk.set_risk_id("r-vendor");
    close_risk.set_resolution("vendor delivered on time");
    Step(close_risk, "spo");

    // G3: go-live.
    AssessBau();
    Step(ReviewCommand("G3"), "pmo");
    Vote("ana", GATE_VOTE_GO);
    Vote("cy", GATE_VOTE_GO);
    Step(DecisionCommand(GATE_OUTCOME_GO), "ana");

    // G4: benefits review after a first measurement.
    now_ = absl::FromCivil(absl::CivilDay(2025, 7, 2), absl::UTCTimeZone());
    Step(MeasureCommand(MakeDate(2025, 1, 1), MakeDate(2025, 6, 30), 1200),
         "fin");
    Step(ReviewCommand("G4"), "pmo");
    Vote("ana", GATE_VOTE_GO);
    Vote("bo", GATE_VOTE_GO);
    Step(DecisionCommand(GATE_OUTCOME_GO), "ana");
    EXPECT_EQ(state_.passed_gates.size(), 5u);

    // Hand-over into BAU.
    gavel::v1::CloseInitiative close;
    close.set_handover_summary("Run by store operations from July");
    close.set_bau_owner("ops-lead");
    Step(close, "pmo");
    EXPECT_EQ(state_.status, InitiativeStatus::kClosed);

    // Benefits keep being measured after closure; nothing else changes.
    now_ = absl::FromCivil(absl::CivilDay(2025, 10, 1), absl::UTCTimeZone());
    Step(MeasureCommand(MakeDate(2025, 7, 1), MakeDate(2025, 9, 30), 1450),
         "fin");
    EXPECT_TRUE(
        Rejected(Try(BenefitCommand("b-late"), "spo"), kInitiativeTerminal));
    EXPECT_TRUE(Rejected(Try(ReviewCommand("G4"), "pmo"), kInitiativeTerminal));
  }

  // ScoreAndLock() through Step, so the events are logged.
  void ScoreAndLockLogged() {
    gavel::v1::AssignScorers assign;
    assign.set_framework_id("wsjf");
    assign.add_scorers("s1");
    assign.add_scorers("s2");
    Step(assign, "pmo");
    Step(ScoreCommand("value", 4), "s1");
    Step(ScoreCommand("risk", 2), "s1");
    Step(ScoreCommand("value", 5), "s2");
    Step(ScoreCommand("risk", 6), "s2");
    Step(gavel::v1::LockScorecard(), "pmo");
  }

  void AssessBau() {
    gavel::v1::AssessBauImpact bau;
    bau.set_summary("Store staff handle returns through the kiosk");
    *bau.mutable_annual_run_cost() = Eur(1200000);
    bau.add_affected_units("stores");
    Step(bau, "spo");
  }

  Events log_;
  std::vector<std::pair<std::string, gavel::v1::CapacityPoolEvent>> pool_log_;
};

TEST_F(InitiativeLifeTest,
       FromSubmissionThroughEveryGateToBenefitsAfterClosure) {
  ASSERT_NO_FATAL_FAILURE(Live());
  EXPECT_EQ(state_.version, log_.size());
  ASSERT_EQ(state_.reviews.size(), 7u);
  EXPECT_EQ(state_.reviews[0].decision->outcome(), GATE_OUTCOME_CONDITIONAL_GO);
  EXPECT_EQ(state_.reviews[1].decision->outcome(), GATE_OUTCOME_RECYCLE);
  EXPECT_EQ(state_.reviews[3].decision->outcome(), GATE_OUTCOME_HOLD);
  EXPECT_EQ(state_.reviews[3].decision->tally().recused(), 1);
  EXPECT_EQ(state_.reviews[4].votes[1].cast_by(), "del");
  EXPECT_EQ(state_.priority, gavel::v1::PRIORITY_HIGH);
  ASSERT_EQ(state_.benefits.size(), 1u);
  EXPECT_EQ(state_.benefits[0].measurements, 2u);
  EXPECT_TRUE(state_.reserved_capacity.empty());
  // Reserved at G2 and released at closure, in both pools.
  ASSERT_EQ(pool_log_.size(), 4u);
  EXPECT_EQ(pool_log_[0].first, "data-eng");
  EXPECT_TRUE(pool_log_[0].second.has_demand_reserved());
  EXPECT_EQ(pool_log_[1].first, "ops");
  EXPECT_TRUE(pool_log_[2].second.has_demand_released());
  EXPECT_TRUE(pool_log_[3].second.has_demand_released());
}

TEST_F(InitiativeLifeTest, TheSameLifeFoldedTwiceGivesEqualState) {
  ASSERT_NO_FATAL_FAILURE(Live());
  const InitiativeState first =
      Fold<InitiativeState, InitiativeEvent>(InitiativeState(), log_);
  const InitiativeState second =
      Fold<InitiativeState, InitiativeEvent>(InitiativeState(), log_);
  EXPECT_EQ(first, second);
  EXPECT_EQ(first, state_);
  // Folding stops anywhere: a prefix differs from the whole.
  const InitiativeState prefix = Fold<InitiativeState, InitiativeEvent>(
      InitiativeState(), absl::MakeConstSpan(log_).first(log_.size() - 1));
  EXPECT_NE(prefix, first);
}

TEST_F(InitiativeLifeTest, DecidingTheSameLifeAgainGivesTheSameEvents) {
  ASSERT_NO_FATAL_FAILURE(Live());
  const Events first = log_;
  const InitiativeState first_state = state_;
  // Reset the world and live again.
  log_.clear();
  pool_log_.clear();
  state_ = InitiativeState();
  now_ = kStart;
  head_position_ = 100;
  ASSERT_NO_FATAL_FAILURE(Live());
  ASSERT_EQ(log_.size(), first.size());
  for (size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(log_[i].SerializeAsString(), first[i].SerializeAsString())
        << "event " << i;
  }
  EXPECT_EQ(state_, first_state);
}

}  // namespace
}  // namespace gavel::domain::test
