// The world the Initiative tests run in: one board, one approved framework,
// the default lifecycle model, objectives, capacity pools and governance
// cycles, as the views a Context carries, plus a fixture that drives one
// initiative through its life with the real deciders. Tests change the
// world's members to provoke a rejection. Rejected(), Amount() and the
// other shared helpers are aggregate_testing.h's.
#ifndef GAVEL_TESTS_DOMAIN_INITIATIVE_TEST_WORLD_H_
#define GAVEL_TESTS_DOMAIN_INITIATIVE_TEST_WORLD_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/calendar.h"
#include "domain/context.h"
#include "domain/decider.h"
#include "domain/default_lifecycle.h"
#include "domain/initiative.h"
#include "domain/reasons.h"
#include "domain/rejection.h"
#include "gavel/v1/commands.pb.h"
#include "gavel/v1/events.pb.h"
#include "gtest/gtest.h"
#include "tests/domain/aggregate_testing.h"

namespace gavel::domain::test {

using gavel::v1::InitiativeEvent;
// The gate outcomes and votes the Initiative tests speak of.
using gavel::v1::GATE_OUTCOME_CONDITIONAL_GO;
using gavel::v1::GATE_OUTCOME_GO;
using gavel::v1::GATE_OUTCOME_HOLD;
using gavel::v1::GATE_OUTCOME_KILL;
using gavel::v1::GATE_OUTCOME_RECYCLE;
using gavel::v1::GATE_VOTE_ABSTAIN;
using gavel::v1::GATE_VOTE_CONDITIONAL_GO;
using gavel::v1::GATE_VOTE_GO;
using gavel::v1::GATE_VOTE_HOLD;
using gavel::v1::GATE_VOTE_KILL;
using gavel::v1::GATE_VOTE_RECYCLE;
using Events = std::vector<InitiativeEvent>;

inline const absl::Time kStart = absl::FromCivil(
    absl::CivilSecond(2025, 1, 15, 10, 0, 0), absl::UTCTimeZone());

inline Events EventsOf(Events events) { return events; }
inline Events EventsOf(InitiativeDecision decision) {
  return std::move(decision.events);
}

// Decide for any Initiative command, keeping only the initiative's events.
template <typename Command>
absl::StatusOr<Events> DecideEvents(const InitiativeState& state,
                                    const Command& command,
                                    const Context& ctx) {
  auto result = Decide(state, command, ctx);
  if (!result.ok()) return result.status();
  return EventsOf(*std::move(result));
}

inline gavel::v1::Money Eur(int64_t minor_units) {
  gavel::v1::Money money;
  money.set_minor_units(minor_units);
  money.set_currency("EUR");
  return money;
}

// Board "gov": chair ana, voting bo and cy, advisory dee (a
// FourMemberBoard); bo delegates to del from a day before kStart for 30
// days.
inline BoardView GovBoard() {
  BoardView board = FourMemberBoard("gov", "ana", "bo", "cy", "dee");
  board.delegations.push_back({"d-bo-del", "bo", "del",
                               kStart - absl::Hours(24),
                               kStart + absl::Hours(24 * 30)});
  return board;
}

inline gavel::v1::Criterion MakeCriterion(absl::string_view id, int min,
                                          int max, gavel::v1::Polarity polarity,
                                          int weight_bp) {
  gavel::v1::Criterion c;
  c.set_criterion_id(std::string(id));
  c.set_name(std::string(id));
  c.set_scale_min(min);
  c.set_scale_max(max);
  c.set_polarity(polarity);
  c.set_weight_bp(weight_bp);
  return c;
}

// Framework "wsjf" version 1: value 1..5 (60 %), risk 0..10 lower is
// better (40 %, must meet 3000 bp).
inline FrameworkView Wsjf() {
  FrameworkView framework;
  framework.framework_id = "wsjf";
  framework.active_version = 1;
  framework.method = gavel::v1::FRAMEWORK_METHOD_WEIGHTED_CRITERIA;
  framework.criteria.push_back(
      MakeCriterion("value", 1, 5, gavel::v1::POLARITY_HIGHER_IS_BETTER, 6000));
  framework.criteria.push_back(
      MakeCriterion("risk", 0, 10, gavel::v1::POLARITY_LOWER_IS_BETTER, 4000));
  framework.criteria[1].set_must_meet(true);
  framework.criteria[1].set_must_meet_threshold_bp(3000);
  return framework;
}

inline std::vector<ObjectiveView> Objectives() {
  return {{"obj-growth", true, {"m-revenue", "m-nps"}},
          {"obj-cost", true, {"m-opex"}},
          {"obj-old", false, {"m-legacy"}}};
}

// "data-eng": monthly, Feb and Mar 2025 supply 100 (Feb has 20 reserved);
// "ops": monthly, Feb 2025 supply 50.
inline std::vector<CapacityPoolView> Pools() {
  CapacityPoolView data;
  data.pool_id = "data-eng";
  data.granularity = gavel::v1::PERIOD_GRANULARITY_MONTH;
  data.periods = {{MakeDate(2025, 2, 1), 100, 20},
                  {MakeDate(2025, 3, 1), 100, 0}};
  CapacityPoolView ops;
  ops.pool_id = "ops";
  ops.granularity = gavel::v1::PERIOD_GRANULARITY_MONTH;
  ops.periods = {{MakeDate(2025, 2, 1), 50, 0}};
  return {data, ops};
}

inline gavel::v1::SubmitInitiative SubmitCommand() {
  gavel::v1::SubmitInitiative cmd;
  cmd.set_initiative_id("ini-1");
  cmd.set_title("Self-service returns");
  cmd.set_problem_statement("Returns cost too much and annoy customers");
  cmd.set_business_unit("retail");
  cmd.set_sponsor("spo");
  *cmd.mutable_cost_estimate() = Eur(50000000);
  gavel::v1::CapacityDemand* data = cmd.add_capacity_demand();
  data->set_pool_id("data-eng");
  *data->add_amounts() = Amount(2025, 2, 30);
  *data->add_amounts() = Amount(2025, 3, 40);
  gavel::v1::CapacityDemand* ops = cmd.add_capacity_demand();
  ops->set_pool_id("ops");
  *ops->add_amounts() = Amount(2025, 2, 10);
  gavel::v1::Milestone* design = cmd.add_milestones();
  design->set_milestone_id("ms-design");
  design->set_name("Design signed off");
  *design->mutable_committed_date() = MakeDate(2025, 3, 1);
  gavel::v1::Milestone* live = cmd.add_milestones();
  live->set_milestone_id("ms-live");
  live->set_name("Live in all stores");
  *live->mutable_committed_date() = MakeDate(2025, 9, 1);
  return cmd;
}

inline gavel::v1::LinkObjective LinkCommand(absl::string_view objective_id,
                                            bool primary, int contribution) {
  gavel::v1::LinkObjective cmd;
  cmd.set_initiative_id("ini-1");
  cmd.set_objective_id(std::string(objective_id));
  cmd.set_primary(primary);
  cmd.set_contribution_bp(contribution);
  cmd.set_rationale("returns drive repeat purchases");
  return cmd;
}

// Benefit "b-repeat": repeat-purchase revenue, increase from 1000 to 1500.
inline gavel::v1::RegisterBenefit BenefitCommand(
    absl::string_view id = "b-repeat") {
  gavel::v1::RegisterBenefit cmd;
  cmd.set_initiative_id("ini-1");
  cmd.set_benefit_id(std::string(id));
  cmd.set_name("Repeat-purchase revenue");
  cmd.set_objective_id("obj-growth");
  cmd.set_measure_id("m-revenue");
  cmd.set_unit("kEUR");
  cmd.set_decimals(0);
  cmd.set_direction(gavel::v1::DIRECTION_INCREASE);
  cmd.mutable_baseline()->set_value(1000);
  *cmd.mutable_baseline()->mutable_measured_on() = MakeDate(2024, 12, 1);
  cmd.mutable_baseline()->set_source("finance cube");
  cmd.set_target(1500);
  *cmd.mutable_target_date() = MakeDate(2026, 6, 30);
  cmd.set_owner("spo");
  return cmd;
}

inline gavel::v1::ScoreCriterion ScoreCommand(absl::string_view criterion,
                                              int value) {
  gavel::v1::ScoreCriterion cmd;
  cmd.set_initiative_id("ini-1");
  cmd.set_criterion_id(std::string(criterion));
  cmd.set_value(value);
  cmd.set_rationale("see the business case");
  return cmd;
}

inline gavel::v1::RequestGateReview ReviewCommand(
    absl::string_view gate, absl::string_view cycle = "") {
  gavel::v1::RequestGateReview cmd;
  cmd.set_initiative_id("ini-1");
  cmd.set_gate_id(std::string(gate));
  cmd.set_board_id("gov");
  cmd.set_cycle_id(std::string(cycle));
  return cmd;
}

inline gavel::v1::CastGateVote VoteCommand(
    gavel::v1::GateVote vote, absl::string_view on_behalf_of = "") {
  gavel::v1::CastGateVote cmd;
  cmd.set_initiative_id("ini-1");
  cmd.set_vote(vote);
  cmd.set_on_behalf_of(std::string(on_behalf_of));
  return cmd;
}

inline gavel::v1::RecuseMember RecuseCommand(absl::string_view member) {
  gavel::v1::RecuseMember cmd;
  cmd.set_initiative_id("ini-1");
  cmd.set_member(std::string(member));
  cmd.set_reason("sits on the vendor's advisory board");
  return cmd;
}

inline gavel::v1::RecordGateDecision DecisionCommand(
    gavel::v1::GateOutcome outcome) {
  gavel::v1::RecordGateDecision cmd;
  cmd.set_initiative_id("ini-1");
  cmd.set_outcome(outcome);
  cmd.set_rationale("the board weighed the business case");
  return cmd;
}

inline gavel::v1::Condition MakeCondition(absl::string_view id,
                                          gavel::v1::Date due) {
  gavel::v1::Condition c;
  c.set_condition_id(std::string(id));
  c.set_description("Get the data-protection sign-off");
  c.set_owner("spo");
  *c.mutable_due_date() = due;
  return c;
}

inline gavel::v1::MeasureBenefit MeasureCommand(gavel::v1::Date start,
                                                gavel::v1::Date end,
                                                int64_t value) {
  gavel::v1::MeasureBenefit cmd;
  cmd.set_initiative_id("ini-1");
  cmd.set_benefit_id("b-repeat");
  cmd.set_value(value);
  *cmd.mutable_period_start() = start;
  *cmd.mutable_period_end() = end;
  cmd.set_source("finance cube");
  return cmd;
}

// Drives initiative "ini-1" (sponsor spo, submitted by sub) through the
// world with the real deciders.
class InitiativeTest : public ::testing::Test {
 protected:
  Context Ctx(absl::string_view actor) const {
    Context ctx;
    ctx.now = now_;
    ctx.actor = std::string(actor);
    ctx.head_position = head_position_;
    ctx.stream_position = state_.version;
    ctx.board = board_;
    ctx.framework = framework_;
    ctx.lifecycle_model = model_;
    ctx.objectives = objectives_;
    ctx.pools = pools_;
    ctx.cycle = cycle_;
    ctx.other_initiative = other_;
    ctx.dependencies = dependencies_;
    return ctx;
  }

  template <typename Command>
  absl::StatusOr<Events> Run(const Command& command,
                             absl::string_view actor = "pmo") const {
    return DecideEvents(state_, command, Ctx(actor));
  }

  template <typename Command>
  absl::Status Try(const Command& command,
                   absl::string_view actor = "pmo") const {
    return Run(command, actor).status();
  }

  // Try() as `actor` against the state at the time of each call, for
  // ExpectEachRejected.
  auto TryAs(absl::string_view actor = "pmo") const {
    return [this, actor = std::string(actor)](const auto& command) {
      return Try(command, actor);
    };
  }

  // Decides `command` as `actor`, expects it accepted and folds its
  // events into state_. Returns the events.
  template <typename Command>
  Events Accept(const Command& command, absl::string_view actor = "pmo") {
    absl::StatusOr<Events> events = Run(command, actor);
    EXPECT_TRUE(events.ok())
        << events.status() << " " << ReasonOf(events.status());
    if (!events.ok()) return {};
    state_ = Fold<InitiativeState, InitiativeEvent>(std::move(state_), *events);
    ++head_position_;
    return *events;
  }

  // The whole decision (with pool events) of a RecordGateDecision.
  absl::StatusOr<InitiativeDecision> DecideGate(
      const gavel::v1::RecordGateDecision& cmd,
      absl::string_view actor = "ana") const {
    return Decide(state_, cmd, Ctx(actor));
  }

  void Submit() { Accept(SubmitCommand(), "sub"); }

  void LinkPrimary() { Accept(LinkCommand("obj-growth", true, 7000)); }

  void ScoreAndLock() {
    gavel::v1::AssignScorers assign;
    assign.set_initiative_id("ini-1");
    assign.set_framework_id("wsjf");
    assign.add_scorers("s1");
    assign.add_scorers("s2");
    Accept(assign);
    Accept(ScoreCommand("value", 4), "s1");
    Accept(ScoreCommand("risk", 2), "s1");
    Accept(ScoreCommand("value", 5), "s2");
    Accept(ScoreCommand("risk", 6), "s2");
    Accept(gavel::v1::LockScorecard());
  }

  void AssessBau() {
    gavel::v1::AssessBauImpact bau;
    bau.set_initiative_id("ini-1");
    bau.set_summary("Store staff handle returns through the kiosk");
    *bau.mutable_annual_run_cost() = Eur(1200000);
    Accept(bau);
  }

  // Meets the must-meet checks of the default model's gate `index`.
  void Prepare(int index) {
    switch (index) {
      case 0:
        if (state_.links.empty()) LinkPrimary();
        break;
      case 1:
        if (state_.benefits.empty()) Accept(BenefitCommand());
        if (!state_.scoring.locked.has_value()) ScoreAndLock();
        break;
      case 3:
        if (!state_.bau_impact.has_value()) AssessBau();
        break;
      case 4:
        Accept(MeasureCommand(MakeDate(2025, 1, 1), DateOf(now_), 1100));
        break;
      default:
        break;
    }
  }

  // Ana and bo vote `vote`.
  void VoteTwice(gavel::v1::GateVote vote) {
    Accept(VoteCommand(vote), "ana");
    Accept(VoteCommand(vote), "bo");
  }

  void RecordDecision(const gavel::v1::RecordGateDecision& cmd) {
    Accept(cmd, "ana");
  }

  // Requests the review of gate `index` (meeting its checks first).
  void OpenReview(int index) {
    Prepare(index);
    Accept(ReviewCommand(model_->gates[index].gate_id()));
  }

  // Passes gates 0..count-1 with GO decisions.
  void PassGates(int count) {
    for (int i = static_cast<int>(state_.passed_gates.size()); i < count; ++i) {
      OpenReview(i);
      VoteTwice(gavel::v1::GATE_VOTE_GO);
      RecordDecision(DecisionCommand(gavel::v1::GATE_OUTCOME_GO));
    }
  }

  InitiativeState state_;
  absl::Time now_ = kStart;
  uint64_t head_position_ = 100;
  std::optional<BoardView> board_ = GovBoard();
  std::optional<FrameworkView> framework_ = Wsjf();
  std::optional<LifecycleModelView> model_ = DefaultLifecycleModelView();
  std::vector<ObjectiveView> objectives_ = Objectives();
  std::vector<CapacityPoolView> pools_ = Pools();
  std::optional<GovernanceCycleView> cycle_ =
      GovernanceCycleView{"c-q1", "gov", false, MakeDate(2025, 1, 20), {}};
  std::optional<InitiativeView> other_;
  DependencyGraph dependencies_;
};

}  // namespace gavel::domain::test

#endif  // GAVEL_TESTS_DOMAIN_INITIATIVE_TEST_WORLD_H_
