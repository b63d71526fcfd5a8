// Property test: seeded random command sequences against one initiative in
// a fixed world (board, framework, default model, pools), checking the
// Initiative's invariants after every accepted command and determinism of
// the fold at the end of every sequence.
#include <algorithm>
#include <iostream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/initiative.h"
#include "gtest/gtest.h"
#include "tests/domain/initiative_test_world.h"

namespace gavel::domain::test {
namespace {

constexpr int kSequences = 200;
constexpr int kCommandsPerSequence = 300;

// A decided command, normalised to InitiativeDecision.
struct Attempt {
  std::string command;
  absl::StatusOr<InitiativeDecision> result;
};

InitiativeDecision ToDecision(Events events) {
  return InitiativeDecision{std::move(events), {}};
}
InitiativeDecision ToDecision(InitiativeDecision decision) { return decision; }

template <typename Command>
Attempt Run(absl::string_view name, const InitiativeState& state,
            const Command& command, const Context& ctx) {
  auto result = Decide(state, command, ctx);
  if (!result.ok()) return {std::string(name), result.status()};
  return {std::string(name), ToDecision(*std::move(result))};
}

class RandomLife {
 public:
  explicit RandomLife(uint32_t seed) : rng_(seed) {}

  // Decides one random command against `state` at step `step`.
  Attempt Next(const InitiativeState& state, int step) {
    now_ += absl::Minutes(Uniform(0, 24 * 60));
    Context ctx = WorldContext(state);
    if (state.version == 0 && Chance(80)) {
      ctx.actor = "sub";
      return Run("SubmitInitiative", state, SubmitCommand(), ctx);
    }
    // Half the time drive the lifecycle forward; otherwise anything.
    if (Chance(50)) return Drive(state, ctx, step);
    return Anything(state, ctx, step);
  }

  absl::Time now() const { return now_; }

 private:
  int Uniform(int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng_);
  }
  bool Chance(int percent) { return Uniform(1, 100) <= percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Uniform(0, static_cast<int>(items.size()) - 1)];
  }
  std::string Actor() {
    return Pick<std::string>(
        {"ana", "bo", "cy", "dee", "del", "spo", "sub", "s1", "s2", "pmo"});
  }

  Context WorldContext(const InitiativeState& state) {
    Context ctx;
    ctx.now = now_;
    ctx.actor = "pmo";
    ctx.head_position = 1000000;
    ctx.stream_position = state.version;
    ctx.board = GovBoard();
    ctx.framework = Wsjf();
    ctx.lifecycle_model = DefaultLifecycleModelView();
    ctx.objectives = Objectives();
    ctx.pools = Pools();
    ctx.cycle =
        GovernanceCycleView{"c-q1", "gov", false, MakeDate(2025, 1, 20), {}};
    ctx.other_initiative = InitiativeView{"ini-2", false};
    ctx.dependencies = {{"ini-2", {"ini-3"}}, {"ini-3", {}}};
    return ctx;
  }

  // Commands that move the initiative through its gates: release a hold,
  // satisfy conditions, request the next gate (or meet the check that
  // refuses it), vote, decide mostly as the votes say, close at the end.
  Attempt Drive(const InitiativeState& state, Context& ctx, int step) {
    if (state.status == InitiativeStatus::kOnHold) {
      ctx.actor = Chance(80) ? "ana" : Actor();
      gavel::v1::ReleaseHold cmd;
      cmd.set_reason("released");
      return Run("ReleaseHold", state, cmd, ctx);
    }
    const GateReview* open = state.OpenReview();
    if (open == nullptr) {
      for (const ConditionState& c : state.conditions) {
        if (c.satisfied.has_value()) continue;
        gavel::v1::SatisfyCondition cmd;
        cmd.set_condition_id(c.condition.condition_id());
        *cmd.mutable_satisfied_on() = DateOf(now_);
        cmd.set_evidence("done");
        return Run("SatisfyCondition", state, cmd, ctx);
      }
      const std::vector<gavel::v1::Gate>& gates = ctx.lifecycle_model->gates;
      if (state.passed_gates.size() == gates.size()) {
        gavel::v1::CloseInitiative cmd;
        cmd.set_handover_summary("handed over");
        cmd.set_bau_owner("ops");
        return Run("CloseInitiative", state, cmd, ctx);
      }
      Attempt request =
          Run("RequestGateReview", state,
              ReviewCommand(gates[state.passed_gates.size()].gate_id(),
                            Chance(50) ? "c-q1" : ""),
              ctx);
      if (!IsRejection(request.result.status(), kMustMeetCheckFailed)) {
        return request;
      }
      return MeetCheck(state, ctx, FieldOf(request.result.status()));
    }
    if (open->votes.size() < 2 || Chance(20)) {
      ctx.actor = Pick<std::string>({"ana", "bo", "cy", "del", "dee"});
      const gavel::v1::GateVote vote =
          Chance(70) ? gavel::v1::GATE_VOTE_GO
                     : static_cast<gavel::v1::GateVote>(Uniform(2, 6));
      return Run("CastGateVote", state,
                 VoteCommand(vote, ctx.actor == "del" ? "bo" : ""), ctx);
    }
    ctx.actor = Chance(90) ? "ana" : Actor();
    return Run("RecordGateDecision", state, RandomDecision(*open, step), ctx);
  }

  // A command meeting the must-meet check named by `field`.
  Attempt MeetCheck(const InitiativeState& state, Context& ctx,
                    absl::string_view field) {
    const ScoringRound& scoring = state.scoring;
    if (field == "checks.GATE_CHECK_LINKED_TO_ACTIVE_OBJECTIVE") {
      for (const gavel::v1::ObjectiveLinked& link : state.links) {
        if (link.objective_id() != "obj-growth") continue;
        gavel::v1::UnlinkObjective cmd;
        cmd.set_objective_id("obj-growth");
        cmd.set_reason("to make it primary");
        return Run("UnlinkObjective", state, cmd, ctx);
      }
      return Run("LinkObjective", state, LinkCommand("obj-growth", true, 0),
                 ctx);
    }
    if (field == "checks.GATE_CHECK_SCORECARD_LOCKED") {
      if (scoring.round == 0 || scoring.locked.has_value()) {
        gavel::v1::AssignScorers cmd;
        cmd.set_framework_id("wsjf");
        cmd.add_scorers("s1");
        return Run("AssignScorers", state, cmd, ctx);
      }
      for (const std::string& scorer : scoring.scorers) {
        for (const char* criterion : {"value", "risk"}) {
          const bool scored = std::any_of(
              scoring.scores.begin(), scoring.scores.end(),
              [&](const CriterionScore& s) {
                return s.scorer == scorer && s.criterion_id == criterion;
              });
          if (scored) continue;
          ctx.actor = scorer;
          return Run("ScoreCriterion", state, ScoreCommand(criterion, 3), ctx);
        }
      }
      return Run("LockScorecard", state, gavel::v1::LockScorecard(), ctx);
    }
    if (field == "checks.GATE_CHECK_BENEFITS_BASELINED") {
      for (const Benefit& benefit : state.benefits) {
        if (benefit.registration.has_baseline()) continue;
        return Run("RegisterBenefit", state,
                   BenefitCommand(benefit.registration.benefit_id()), ctx);
      }
      return Run("RegisterBenefit", state, BenefitCommand(), ctx);
    }
    if (field == "checks.GATE_CHECK_COST_ESTIMATED") {
      gavel::v1::ReviseForecast cmd;
      *cmd.mutable_cost_at_completion() = Eur(int64_t{10000000});
      *cmd.mutable_finish_date() = MakeDate(2025, 12, 31);
      cmd.set_reason("re-estimated");
      return Run("ReviseForecast", state, cmd, ctx);
    }
    if (field == "checks.GATE_CHECK_BAU_IMPACT_ASSESSED") {
      gavel::v1::AssessBauImpact cmd;
      cmd.set_summary("store staff");
      *cmd.mutable_annual_run_cost() = Eur(100);
      return Run("AssessBauImpact", state, cmd, ctx);
    }
    return Run("MeasureBenefit", state,
               MeasureCommand(MakeDate(2025, 1, 1), DateOf(now_), 1200), ctx);
  }

  // Mostly the outcome the votes favour, sometimes any outcome.
  gavel::v1::RecordGateDecision RandomDecision(const GateReview& review,
                                               int step) {
    int counts[7] = {0};
    for (const gavel::v1::GateVoteCast& vote : review.votes) {
      ++counts[vote.vote()];
    }
    int favoured = gavel::v1::GATE_OUTCOME_GO;
    for (int outcome = 2; outcome <= 5; ++outcome) {
      if (counts[outcome] > counts[favoured]) favoured = outcome;
    }
    const gavel::v1::GateOutcome outcome = static_cast<gavel::v1::GateOutcome>(
        Chance(70) ? favoured : Uniform(1, 5));
    gavel::v1::RecordGateDecision cmd = DecisionCommand(outcome);
    if (outcome == gavel::v1::GATE_OUTCOME_CONDITIONAL_GO || Chance(5)) {
      *cmd.add_conditions() = MakeCondition(absl::StrCat("c-", step),
                                            DateOf(now_ + absl::Hours(240)));
    }
    if (Chance(30)) {
      *cmd.mutable_budget_approved() = Eur(Uniform(0, 2) * int64_t{60000000});
    }
    if (Chance(30)) cmd.set_capacity_override_reason("board override");
    return cmd;
  }

  Attempt Anything(const InitiativeState& state, Context& ctx, int step) {
    ctx.actor = Actor();
    switch (Uniform(0, 21)) {
      case 0:
        return Run("SubmitInitiative", state, SubmitCommand(), ctx);
      case 1:
        return Run("LinkObjective", state,
                   LinkCommand(Pick<std::string>({"obj-growth", "obj-cost",
                                                  "obj-old", "obj-none"}),
                               Chance(50), Uniform(0, 4) * 2500),
                   ctx);
      case 2: {
        gavel::v1::UnlinkObjective cmd;
        cmd.set_objective_id(Pick<std::string>({"obj-growth", "obj-cost"}));
        cmd.set_reason(Chance(90) ? "re-aligned" : "");
        return Run("UnlinkObjective", state, cmd, ctx);
      }
      case 3: {
        gavel::v1::RegisterBenefit cmd =
            BenefitCommand(Pick<std::string>({"b-repeat", "b-nps"}));
        if (Chance(20)) cmd.clear_baseline();
        return Run("RegisterBenefit", state, cmd, ctx);
      }
      case 4: {
        gavel::v1::AssignScorers cmd;
        cmd.set_framework_id("wsjf");
        cmd.add_scorers("s1");
        if (Chance(50)) cmd.add_scorers(Chance(80) ? "s2" : "spo");
        return Run("AssignScorers", state, cmd, ctx);
      }
      case 5:
      case 6:
        ctx.actor = Pick<std::string>({"s1", "s2", "spo"});
        return Run("ScoreCriterion", state,
                   ScoreCommand(Pick<std::string>({"value", "risk", "speed"}),
                                Uniform(-1, 11)),
                   ctx);
      case 7:
        return Run("LockScorecard", state, gavel::v1::LockScorecard(), ctx);
      case 8: {
        gavel::v1::ChangePriority cmd;
        cmd.set_to_priority(static_cast<gavel::v1::Priority>(Uniform(0, 4)));
        cmd.set_reason("rebalanced");
        cmd.set_board_id("gov");
        return Run("ChangePriority", state, cmd, ctx);
      }
      case 9:
        return Run("RecuseMember", state,
                   RecuseCommand(Pick<std::string>({"ana", "bo", "cy", "dee"})),
                   ctx);
      case 10: {
        gavel::v1::ReviseForecast cmd;
        *cmd.mutable_cost_at_completion() =
            Eur(Uniform(0, 9) * int64_t{10000000});
        *cmd.mutable_finish_date() = MakeDate(2025, 12, 31);
        cmd.set_reason("re-plan");
        return Run("ReviseForecast", state, cmd, ctx);
      }
      case 11: {
        gavel::v1::ReportCost cmd;
        *cmd.mutable_period_start() = MakeDate(2025, Uniform(1, 12), 1);
        *cmd.mutable_amount() = Eur(Uniform(0, 1000));
        cmd.set_category(gavel::v1::COST_CATEGORY_OPEX);
        return Run("ReportCost", state, cmd, ctx);
      }
      case 12: {
        gavel::v1::AchieveMilestone cmd;
        cmd.set_milestone_id(Pick<std::string>({"ms-design", "ms-live"}));
        *cmd.mutable_achieved_on() = DateOf(now_);
        return Run("AchieveMilestone", state, cmd, ctx);
      }
      case 13: {
        gavel::v1::AssessBauImpact cmd;
        cmd.set_summary("store staff");
        *cmd.mutable_annual_run_cost() = Eur(100);
        return Run("AssessBauImpact", state, cmd, ctx);
      }
      case 14:
      case 15:
        return Run("MeasureBenefit", state,
                   MeasureCommand(MakeDate(2025, 1, 1), DateOf(now_),
                                  Uniform(900, 1600)),
                   ctx);
      case 16: {
        gavel::v1::RaiseRisk cmd;
        cmd.set_risk_id(absl::StrCat("r-", Uniform(0, 3)));
        cmd.set_title("risk");
        cmd.set_owner("spo");
        cmd.set_probability_bp(Uniform(0, 10000));
        cmd.set_impact(gavel::v1::RISK_IMPACT_LOW);
        return Run("RaiseRisk", state, cmd, ctx);
      }
      case 17: {
        gavel::v1::CloseRisk cmd;
        cmd.set_risk_id(absl::StrCat("r-", Uniform(0, 3)));
        cmd.set_resolution("mitigated");
        return Run("CloseRisk", state, cmd, ctx);
      }
      case 18: {
        gavel::v1::DeclareDependency cmd;
        cmd.set_initiative_id("ini-1");
        cmd.set_dependency_id(absl::StrCat("dep-", step));
        cmd.set_depends_on_initiative_id("ini-2");
        if (Chance(30)) ctx.dependencies["ini-3"] = {"ini-1"};  // A cycle.
        return Run("DeclareDependency", state, cmd, ctx);
      }
      case 19: {
        gavel::v1::ResolveDependency cmd;
        for (const DependencyState& d : state.dependencies) {
          cmd.set_dependency_id(d.dependency.dependency_id());
        }
        cmd.set_resolution("delivered");
        return Run("ResolveDependency", state, cmd, ctx);
      }
      case 20: {
        if (!Chance(10))
          return Run("LockScorecard", state, gavel::v1::LockScorecard(), ctx);
        gavel::v1::WithdrawInitiative cmd;
        cmd.set_reason("no longer needed");
        return Run("WithdrawInitiative", state, cmd, ctx);
      }
      default: {
        gavel::v1::CloseInitiative cmd;
        cmd.set_handover_summary("handed over");
        cmd.set_bau_owner("ops");
        return Run("CloseInitiative", state, cmd, ctx);
      }
    }
  }

  std::mt19937 rng_;
  absl::Time now_ = kStart;
};

// The invariants of one accepted command taking `before` to `after`.
void CheckInvariants(const InitiativeState& before,
                     const InitiativeState& after, const Attempt& attempt) {
  const InitiativeDecision& decision = *attempt.result;
  const std::vector<gavel::v1::Gate> gates = DefaultLifecycleModelView().gates;
  const BoardView board = GovBoard();
  SCOPED_TRACE(attempt.command);

  // Version increments by the number of events; a decision emits some.
  ASSERT_FALSE(decision.events.empty());
  EXPECT_EQ(after.version, before.version + decision.events.size());

  // Never beyond a gate not passed: passed gates are a prefix of the model,
  // only grow, and each has exactly one passing decision.
  ASSERT_LE(after.passed_gates.size(), gates.size());
  for (size_t i = 0; i < after.passed_gates.size(); ++i) {
    EXPECT_EQ(after.passed_gates[i], gates[i].gate_id());
    int passing = 0;
    for (const GateReview& review : after.reviews) {
      if (review.decision.has_value() &&
          review.decision->gate_id() == gates[i].gate_id() &&
          (review.decision->outcome() == gavel::v1::GATE_OUTCOME_GO ||
           review.decision->outcome() ==
               gavel::v1::GATE_OUTCOME_CONDITIONAL_GO)) {
        ++passing;
      }
    }
    EXPECT_EQ(passing, 1) << gates[i].gate_id();
  }
  ASSERT_GE(after.passed_gates.size(), before.passed_gates.size());
  EXPECT_TRUE(std::equal(before.passed_gates.begin(), before.passed_gates.end(),
                         after.passed_gates.begin()));
  EXPECT_LE(after.passed_gates.size(), before.passed_gates.size() + 1);

  // Votes per review never exceed the eligible members; each member votes
  // once and never while recused; only the last review may be open.
  int voting_members = 0;
  for (const BoardMemberView& m : board.members) {
    voting_members += board.IsVotingMember(m.principal) ? 1 : 0;
  }
  for (size_t r = 0; r < after.reviews.size(); ++r) {
    const GateReview& review = after.reviews[r];
    EXPECT_LE(static_cast<int>(review.votes.size() + review.recusals.size()),
              voting_members + 1);  // + the advisory member's recusal.
    std::set<std::string> voters;
    for (const gavel::v1::GateVoteCast& vote : review.votes) {
      EXPECT_TRUE(board.IsVotingMember(vote.member())) << vote.member();
      EXPECT_TRUE(voters.insert(vote.member()).second) << vote.member();
      for (const gavel::v1::MemberRecused& recusal : review.recusals) {
        EXPECT_NE(recusal.member(), vote.member());
      }
    }
    EXPECT_LE(static_cast<int>(voters.size()), voting_members);
    if (r + 1 < after.reviews.size()) {
      EXPECT_TRUE(review.decision.has_value());
    }
    if (review.decision.has_value()) {
      const gavel::v1::Tally& t = review.decision->tally();
      EXPECT_GE(t.go() + t.conditional_go() + t.hold() + t.recycle() +
                    t.kill() + t.abstain(),
                board.quorum);
      EXPECT_LE(t.eligible(), voting_members);
    }
  }

  // Terminal states never change stage or status: only measurements.
  if (IsTerminal(before.status)) {
    EXPECT_EQ(after.status, before.status);
    EXPECT_EQ(after.passed_gates, before.passed_gates);
    for (const InitiativeEvent& event : decision.events) {
      EXPECT_TRUE(event.has_benefit_measured());
    }
  }

  // Status agrees with the stage.
  EXPECT_EQ(after.status == InitiativeStatus::kOnHold,
            !after.held_gate_id.empty());
  if (after.status == InitiativeStatus::kProposed) {
    EXPECT_TRUE(after.passed_gates.empty());
  }
  if (after.status == InitiativeStatus::kActive) {
    EXPECT_FALSE(after.passed_gates.empty());
  }

  // Baselines freeze with G2; capacity is held from G2 until the end.
  const bool g2_passed = after.passed_gates.size() >= 3;
  EXPECT_EQ(after.baselines_frozen, g2_passed);
  EXPECT_EQ(!after.reserved_capacity.empty(),
            g2_passed && !IsTerminal(after.status));
  if (!decision.pool_events.empty()) {
    EXPECT_TRUE(attempt.command == "RecordGateDecision" ||
                attempt.command == "WithdrawInitiative" ||
                attempt.command == "CloseInitiative");
  }

  // A review opens only with no open condition.
  for (const InitiativeEvent& event : decision.events) {
    if (!event.has_gate_review_requested()) continue;
    for (const ConditionState& c : before.conditions) {
      EXPECT_TRUE(c.satisfied.has_value()) << c.condition.condition_id();
    }
  }
}

TEST(InitiativePropertyTest, RandomCommandsKeepTheInvariants) {
  const absl::Time started = absl::Now();
  int accepted = 0;
  int max_gates = 0;
  int closed = 0;
  int killed = 0;
  int holds = 0;
  for (int seed = 0; seed < kSequences; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    RandomLife life(static_cast<uint32_t>(seed));
    InitiativeState state;
    Events log;
    for (int step = 0; step < kCommandsPerSequence; ++step) {
      Attempt attempt = life.Next(state, step);
      if (!attempt.result.ok()) {
        // Every rejection is a catalogued reason with its canonical code.
        const Reason* reason = FindReason(ReasonOf(attempt.result.status()));
        ASSERT_NE(reason, nullptr)
            << attempt.command << ": " << attempt.result.status();
        EXPECT_EQ(reason->code, attempt.result.status().code());
        continue;
      }
      InitiativeState next =
          Fold<InitiativeState, InitiativeEvent>(state, attempt.result->events);
      ASSERT_NO_FATAL_FAILURE(CheckInvariants(state, next, attempt))
          << "step " << step;
      if (::testing::Test::HasFailure()) return;
      log.insert(log.end(), attempt.result->events.begin(),
                 attempt.result->events.end());
      for (const InitiativeEvent& e : attempt.result->events) {
        if (e.has_gate_decided() &&
            e.gate_decided().outcome() == gavel::v1::GATE_OUTCOME_HOLD) {
          ++holds;
        }
      }
      state = std::move(next);
      ++accepted;
    }
    // Determinism: the log folded from scratch is the state, twice.
    const InitiativeState folded =
        Fold<InitiativeState, InitiativeEvent>(InitiativeState(), log);
    EXPECT_EQ(folded, state);
    max_gates =
        std::max(max_gates, static_cast<int>(state.passed_gates.size()));
    closed += state.status == InitiativeStatus::kClosed ? 1 : 0;
    killed += state.status == InitiativeStatus::kKilled ? 1 : 0;
  }
  // The random lives reach deep enough to mean something.
  EXPECT_GT(accepted, kSequences * 20);
  EXPECT_EQ(max_gates, 5);
  EXPECT_GT(closed, 0);
  EXPECT_GT(killed, 0);
  EXPECT_GT(holds, 0);
  EXPECT_LT(absl::Now() - started, absl::Seconds(10));
  std::cout << "accepted " << accepted << " commands; " << closed << " closed, "
            << killed << " killed, " << holds << " holds\n";
}

}  // namespace
}  // namespace gavel::domain::test
