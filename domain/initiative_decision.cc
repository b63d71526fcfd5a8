// Initiative deciders for gate decisions (tally, quorum, decision rule,
// budget ceiling, scorecard, capacity reservation and release), hold
// releases and decision conditions. Contracts: domain/initiative.h.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/calendar.h"
#include "domain/capacity_reservation.h"
#include "domain/initiative.h"
#include "domain/initiative_rules.h"
#include "domain/rejection.h"
#include "domain/validation.h"

namespace gavel::domain {
namespace {

using gavel::v1::GateOutcome;
using gavel::v1::InitiativeEvent;
using initiative_rules::AmountsOf;
using initiative_rules::IsRecused;
using initiative_rules::RequireBoard;
using initiative_rules::RequireLive;
using initiative_rules::RequireOpenReview;

// The votes of eligible members (current chair/voting members not recused).
gavel::v1::Tally Count(const GateReview& review, const BoardView& board) {
  gavel::v1::Tally tally;
  for (const BoardMemberView& member : board.members) {
    if (!board.IsVotingMember(member.principal)) continue;
    if (IsRecused(review, member.principal)) {
      tally.set_recused(tally.recused() + 1);
    } else {
      tally.set_eligible(tally.eligible() + 1);
    }
  }
  for (const gavel::v1::GateVoteCast& vote : review.votes) {
    if (!board.IsVotingMember(vote.member()) ||
        IsRecused(review, vote.member())) {
      continue;
    }
    switch (vote.vote()) {
      case gavel::v1::GATE_VOTE_GO:
        tally.set_go(tally.go() + 1);
        break;
      case gavel::v1::GATE_VOTE_CONDITIONAL_GO:
        tally.set_conditional_go(tally.conditional_go() + 1);
        break;
      case gavel::v1::GATE_VOTE_HOLD:
        tally.set_hold(tally.hold() + 1);
        break;
      case gavel::v1::GATE_VOTE_RECYCLE:
        tally.set_recycle(tally.recycle() + 1);
        break;
      case gavel::v1::GATE_VOTE_KILL:
        tally.set_kill(tally.kill() + 1);
        break;
      default:
        tally.set_abstain(tally.abstain() + 1);
        break;
    }
  }
  return tally;
}

int32_t Counted(const gavel::v1::Tally& t) {
  return t.go() + t.conditional_go() + t.hold() + t.recycle() + t.kill() +
         t.abstain();
}

// True when a vote of `vote` is in favour of `outcome`: a go vote also
// favours a conditional go. GateVote and GateOutcome number GO..KILL alike.
bool InFavour(gavel::v1::GateVote vote, GateOutcome outcome) {
  if (outcome == gavel::v1::GATE_OUTCOME_CONDITIONAL_GO) {
    return vote == gavel::v1::GATE_VOTE_GO ||
           vote == gavel::v1::GATE_VOTE_CONDITIONAL_GO;
  }
  return static_cast<int>(vote) == static_cast<int>(outcome);
}

int32_t InFavourOf(const gavel::v1::Tally& t, GateOutcome outcome) {
  switch (outcome) {
    case gavel::v1::GATE_OUTCOME_GO:
      return t.go();
    case gavel::v1::GATE_OUTCOME_CONDITIONAL_GO:
      return t.go() + t.conditional_go();
    case gavel::v1::GATE_OUTCOME_HOLD:
      return t.hold();
    case gavel::v1::GATE_OUTCOME_RECYCLE:
      return t.recycle();
    case gavel::v1::GATE_OUTCOME_KILL:
      return t.kill();
    default:
      return 0;
  }
}

absl::Status RequireDecisionRule(const GateReview& review,
                                 const BoardView& board,
                                 const gavel::v1::Tally& tally,
                                 GateOutcome outcome) {
  const int32_t in_favour = InFavourOf(tally, outcome);
  const int32_t non_abstaining = Counted(tally) - tally.abstain();
  bool met = false;
  switch (board.decision_rule) {
    case gavel::v1::DECISION_RULE_MAJORITY:
      met = 2 * in_favour > non_abstaining;
      break;
    case gavel::v1::DECISION_RULE_UNANIMOUS:
      met = non_abstaining > 0 && in_favour == non_abstaining;
      break;
    case gavel::v1::DECISION_RULE_CHAIR: {
      const std::optional<std::string> chair = board.Chair();
      for (const gavel::v1::GateVoteCast& vote : review.votes) {
        if (chair.has_value() && vote.member() == *chair) {
          met = InFavour(vote.vote(), outcome);
        }
      }
      break;
    }
    default:
      break;
  }
  if (!met) {
    return Reject(kDecisionRuleNotMet, "outcome",
                  absl::StrCat(gavel::v1::GateOutcome_Name(outcome),
                               " does not follow from the votes under the "
                               "board's rule (",
                               in_favour, " in favour of ", non_abstaining,
                               " non-abstaining)"));
  }
  return absl::OkStatus();
}

absl::Status ValidateDecision(const gavel::v1::RecordGateDecision& cmd,
                              const Context& ctx) {
  if (absl::Status s =
          FirstError({RequireEnum(cmd.outcome(), gavel::v1::GateOutcome_IsValid,
                                  "outcome"),
                      RequireReason(cmd.rationale(), "rationale")});
      !s.ok()) {
    return s;
  }
  const bool conditional =
      cmd.outcome() == gavel::v1::GATE_OUTCOME_CONDITIONAL_GO;
  if (conditional && cmd.conditions().empty()) {
    return Reject(kConditionsRequired, "conditions",
                  "a conditional go needs at least one condition");
  }
  if (!conditional && !cmd.conditions().empty()) {
    return Reject(kConditionsNotAllowed, "conditions",
                  "only a conditional go carries conditions");
  }
  std::set<std::string> ids;
  for (int i = 0; i < cmd.conditions_size(); ++i) {
    const gavel::v1::Condition& c = cmd.conditions(i);
    const std::string due = FieldPath("conditions", i, "due_date");
    if (absl::Status s = FirstError(
            {RequireField(c.condition_id(),
                          FieldPath("conditions", i, "condition_id")),
             RequireField(c.description(),
                          FieldPath("conditions", i, "description")),
             RequireField(c.owner(), FieldPath("conditions", i, "owner")),
             ValidateDate(c.due_date(), due)});
        !s.ok()) {
      return s;
    }
    if (CompareDates(c.due_date(), DateOf(ctx.now)) < 0) {
      return Reject(kInvalidTimeRange, due, "the condition is due in the past");
    }
    if (!ids.insert(c.condition_id()).second) {
      return Reject(kDuplicateEntry, FieldPath("conditions", i, "condition_id"),
                    absl::StrCat("condition ", c.condition_id(), " repeated"));
    }
  }
  if (cmd.has_budget_approved()) {
    if (absl::Status s =
            ValidateMoney(cmd.budget_approved(), "budget_approved");
        !s.ok()) {
      return s;
    }
    if (!conditional && cmd.outcome() != gavel::v1::GATE_OUTCOME_GO) {
      return Reject(kValueOutOfRange, "budget_approved",
                    "only a go or conditional go approves a budget");
    }
  }
  if (cmd.reviewed_position() > ctx.head_position) {
    return Reject(kReviewedPositionInFuture, "reviewed_position",
                  absl::StrCat("position ", cmd.reviewed_position(),
                               " is beyond the log head ", ctx.head_position));
  }
  return absl::OkStatus();
}

absl::Status RequireWithinCeiling(const InitiativeState& state,
                                  const BoardView& board,
                                  const gavel::v1::Money& budget) {
  if (absl::Status s = initiative_rules::RequireInitiativeCurrency(
          state, budget, "budget_approved");
      !s.ok()) {
    return s;
  }
  const gavel::v1::BoardMandate& mandate = board.mandate;
  if (mandate.has_budget_ceiling() &&
      mandate.budget_ceiling().currency() != budget.currency()) {
    return Reject(kCurrencyMismatch, "budget_approved",
                  absl::StrCat("the board's ceiling is in ",
                               mandate.budget_ceiling().currency()));
  }
  const int64_t ceiling = mandate.budget_ceiling().minor_units();
  if (budget.minor_units() > ceiling) {
    return Reject(kBudgetCeilingExceeded, "budget_approved",
                  absl::StrCat(budget.minor_units(), " exceeds the ceiling ",
                               ceiling, " of board ", board.board_id));
  }
  return absl::OkStatus();
}

// The firm reservations of the initiative's demand, one entry per pool in
// ascending pool_id.
absl::StatusOr<std::vector<AggregateEvents<gavel::v1::CapacityPoolEvent>>>
Reserve(const InitiativeState& state, const gavel::v1::DecisionRef& ref,
        absl::string_view override_reason, const Context& ctx) {
  const std::vector<gavel::v1::CapacityDemand> demands =
      initiative_rules::ByPool({state.submission.capacity_demand().begin(),
                                state.submission.capacity_demand().end()});
  for (const gavel::v1::CapacityDemand& demand : demands) {
    if (ctx.FindPool(demand.pool_id()) == nullptr) {
      return Reject(kCapacityPoolNotFound, "",
                    absl::StrCat("no capacity pool ", demand.pool_id()));
    }
  }
  std::vector<AggregateEvents<gavel::v1::CapacityPoolEvent>> pool_events;
  for (const gavel::v1::CapacityDemand& demand : demands) {
    absl::StatusOr<gavel::v1::CapacityPoolEvent> event = ReserveDemand(
        *ctx.FindPool(demand.pool_id()), state.submission.initiative_id(), ref,
        AmountsOf(demand), override_reason, "capacity_override_reason");
    if (!event.ok()) return event.status();
    pool_events.push_back({demand.pool_id(), {*std::move(event)}});
  }
  return pool_events;
}

}  // namespace

absl::StatusOr<InitiativeDecision> Decide(
    const InitiativeState& state, const gavel::v1::RecordGateDecision& cmd,
    const Context& ctx) {
  if (absl::Status s =
          FirstError({ValidateDecision(cmd, ctx), RequireLive(state)});
      !s.ok()) {
    return s;
  }
  absl::StatusOr<const GateReview*> review = RequireOpenReview(state);
  if (!review.ok()) return review.status();
  const gavel::v1::GateReviewRequested& request = (*review)->request;
  for (int i = 0; i < cmd.conditions_size(); ++i) {
    for (const ConditionState& c : state.conditions) {
      if (c.condition.condition_id() == cmd.conditions(i).condition_id()) {
        return Reject(kDuplicateId, FieldPath("conditions", i, "condition_id"),
                      absl::StrCat("condition ", c.condition.condition_id(),
                                   " was imposed by review ", c.review_number));
      }
    }
  }
  absl::StatusOr<const LifecycleModelView*> model =
      initiative_rules::RequireModel(state, ctx);
  if (!model.ok()) return model.status();
  const int index = (*model)->GateIndex(request.gate_id());
  if (index < 0) {
    return Reject(kGateNotFound, "",
                  absl::StrCat("no gate ", request.gate_id()));
  }
  const gavel::v1::Gate& gate = (*model)->gates[index];
  absl::StatusOr<const BoardView*> board =
      RequireBoard(ctx, request.board_id(), "");
  if (!board.ok()) return board.status();
  if (absl::Status s = initiative_rules::RequireChair(**board, ctx); !s.ok()) {
    return s;
  }
  const gavel::v1::Tally tally = Count(**review, **board);
  if (Counted(tally) < (*board)->quorum) {
    return Reject(kQuorumNotMet, "",
                  absl::StrCat(Counted(tally), " eligible votes; quorum is ",
                               (*board)->quorum));
  }
  if (absl::Status s =
          RequireDecisionRule(**review, **board, tally, cmd.outcome());
      !s.ok()) {
    return s;
  }
  const bool passes = cmd.outcome() == gavel::v1::GATE_OUTCOME_GO ||
                      cmd.outcome() == gavel::v1::GATE_OUTCOME_CONDITIONAL_GO;
  if (cmd.has_budget_approved()) {
    if (absl::Status s =
            RequireWithinCeiling(state, **board, cmd.budget_approved());
        !s.ok()) {
      return s;
    }
  }
  const bool checks_scorecard =
      std::find(gate.checks().begin(), gate.checks().end(),
                gavel::v1::GATE_CHECK_SCORECARD_LOCKED) != gate.checks().end();
  if (passes && checks_scorecard) {
    if (std::string why = initiative_rules::ScorecardShortfall(state, ctx);
        !why.empty()) {
      return Reject(kScorecardNotLocked, "", why);
    }
  }
  gavel::v1::DecisionRef ref;
  ref.set_board_id(request.board_id());
  ref.set_cycle_id(request.cycle_id());
  ref.set_initiative_id(state.submission.initiative_id());
  ref.set_review_number(request.review_number());

  InitiativeDecision decision;
  const bool reserves =
      passes && gate.reserves_capacity() && state.reserved_capacity.empty();
  if (reserves) {
    absl::StatusOr<std::vector<AggregateEvents<gavel::v1::CapacityPoolEvent>>>
        reserved = Reserve(state, ref, cmd.capacity_override_reason(), ctx);
    if (!reserved.ok()) return reserved.status();
    decision.pool_events = *std::move(reserved);
  } else if (cmd.outcome() == gavel::v1::GATE_OUTCOME_KILL) {
    decision.pool_events = initiative_rules::ReleaseReserved(
        state, ref, absl::StrCat("initiative killed: ", cmd.rationale()));
  }

  const bool overridden = std::any_of(
      decision.pool_events.begin(), decision.pool_events.end(),
      [](const AggregateEvents<gavel::v1::CapacityPoolEvent>& pool) {
        return pool.events[0].demand_reserved().override_reason() != "";
      });

  decision.events.emplace_back();
  gavel::v1::GateDecided* e = decision.events[0].mutable_gate_decided();
  e->set_review_number(request.review_number());
  e->set_gate_id(request.gate_id());
  e->set_board_id(request.board_id());
  e->set_cycle_id(request.cycle_id());
  e->set_outcome(cmd.outcome());
  *e->mutable_conditions() = cmd.conditions();
  e->set_rationale(cmd.rationale());
  *e->mutable_tally() = tally;
  e->set_reviewed_position(cmd.reviewed_position() != 0
                               ? cmd.reviewed_position()
                               : ctx.stream_position);
  if (cmd.has_budget_approved()) {
    *e->mutable_budget_approved() = cmd.budget_approved();
  }
  e->set_decided_by(ctx.actor);
  *e->mutable_decided_at() = ToTimestamp(ctx.now);
  if (overridden)
    e->set_capacity_override_reason(cmd.capacity_override_reason());
  e->set_baselines_frozen(passes && gate.freezes_baselines());
  if (reserves) {
    *e->mutable_capacity_reserved() = state.submission.capacity_demand();
  }
  return decision;
}

absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::ReleaseHold& cmd,
                                        const Context& ctx) {
  if (absl::Status s = FirstError(
          {RequireReason(cmd.reason(), "reason"), RequireLive(state)});
      !s.ok()) {
    return s;
  }
  if (state.status != InitiativeStatus::kOnHold) {
    return Reject(kNotOnHold, "", "the initiative is not on hold");
  }
  absl::StatusOr<const BoardView*> board =
      RequireBoard(ctx, state.held_by_board_id, "");
  if (!board.ok()) return board.status();
  if (absl::Status s = initiative_rules::RequireChair(**board, ctx); !s.ok()) {
    return s;
  }
  InitiativeEvent event;
  gavel::v1::InitiativeHoldReleased* e = event.mutable_hold_released();
  e->set_gate_id(state.held_gate_id);
  e->set_board_id(state.held_by_board_id);
  e->set_reason(cmd.reason());
  e->set_released_by(ctx.actor);
  return InitiativeEvents{event};
}

absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::SatisfyCondition& cmd,
                                        const Context& ctx) {
  if (absl::Status s =
          FirstError({RequireField(cmd.condition_id(), "condition_id"),
                      RequireReason(cmd.evidence(), "evidence"),
                      ValidateDate(cmd.satisfied_on(), "satisfied_on")});
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          FirstError({initiative_rules::RequireNotAfterToday(
                          cmd.satisfied_on(), ctx.now, "satisfied_on"),
                      RequireLive(state)});
      !s.ok()) {
    return s;
  }
  const ConditionState* condition = nullptr;
  for (const ConditionState& c : state.conditions) {
    if (c.condition.condition_id() == cmd.condition_id()) condition = &c;
  }
  if (condition == nullptr) {
    return Reject(kConditionNotFound, "condition_id",
                  absl::StrCat("no condition ", cmd.condition_id()));
  }
  if (condition->satisfied.has_value()) {
    return Reject(kConditionAlreadySatisfied, "condition_id",
                  absl::StrCat("condition ", cmd.condition_id(),
                               " is already satisfied"));
  }
  InitiativeEvent event;
  gavel::v1::ConditionSatisfied* e = event.mutable_condition_satisfied();
  e->set_condition_id(cmd.condition_id());
  *e->mutable_satisfied_on() = cmd.satisfied_on();
  e->set_evidence(cmd.evidence());
  e->set_satisfied_by(ctx.actor);
  return InitiativeEvents{event};
}

}  // namespace gavel::domain
