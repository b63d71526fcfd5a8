// Initiative deciders for stage-gate reviews: review requests and their
// must-meet checks, recusals and votes. Contracts: domain/initiative.h.
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

using gavel::v1::GateCheck;
using gavel::v1::InitiativeEvent;
using initiative_rules::AmountsOf;
using initiative_rules::HasVoted;
using initiative_rules::IsRecused;
using initiative_rules::RequireBoard;
using initiative_rules::RequireLive;
using initiative_rules::RequireOpenReview;

// Empty when `check` passes for the initiative; otherwise why not.
std::string CheckShortfall(GateCheck check, const InitiativeState& state,
                           const Context& ctx) {
  switch (check) {
    case gavel::v1::GATE_CHECK_LINKED_TO_ACTIVE_OBJECTIVE:
      for (const gavel::v1::ObjectiveLinked& link : state.links) {
        if (!link.primary()) continue;
        const ObjectiveView* objective = ctx.FindObjective(link.objective_id());
        if (objective != nullptr && objective->active) return "";
        return absl::StrCat("the primary objective ", link.objective_id(),
                            " is not active");
      }
      return "the initiative has no primary objective link";
    case gavel::v1::GATE_CHECK_SCORECARD_LOCKED:
      return initiative_rules::ScorecardShortfall(state, ctx);
    case gavel::v1::GATE_CHECK_BENEFITS_BASELINED:
      if (state.benefits.empty()) return "no benefit is registered";
      for (const Benefit& benefit : state.benefits) {
        if (!benefit.registration.has_baseline()) {
          return absl::StrCat("benefit ", benefit.registration.benefit_id(),
                              " has no baseline");
        }
      }
      return "";
    case gavel::v1::GATE_CHECK_COST_ESTIMATED: {
      const int64_t cost =
          state.forecast.has_value()
              ? state.forecast->cost_at_completion().minor_units()
              : state.submission.cost_estimate().minor_units();
      return cost > 0 ? "" : "the initiative has no cost estimate";
    }
    case gavel::v1::GATE_CHECK_CAPACITY_AVAILABLE:
      if (!state.reserved_capacity.empty()) return "";  // Already held.
      for (const gavel::v1::CapacityDemand& demand :
           state.submission.capacity_demand()) {
        const CapacityPoolView* pool = ctx.FindPool(demand.pool_id());
        if (pool == nullptr) {
          return absl::StrCat("capacity pool ", demand.pool_id(),
                              " is unknown");
        }
        if (absl::Status s =
                CheckCapacityAvailable(*pool, AmountsOf(demand), "");
            !s.ok()) {
          return std::string(s.message());
        }
      }
      return "";
    case gavel::v1::GATE_CHECK_BAU_IMPACT_ASSESSED:
      return state.bau_impact.has_value() ? ""
                                          : "the BAU impact is not assessed";
    case gavel::v1::GATE_CHECK_BENEFIT_MEASURED:
      for (const Benefit& benefit : state.benefits) {
        if (benefit.measurements > 0) return "";
      }
      return "no benefit has been measured";
    case gavel::v1::GATE_CHECK_PREVIOUS_CONDITIONS_CLOSED: {
      absl::Status s = initiative_rules::RequireConditionsClosed(state, "");
      return s.ok() ? "" : std::string(s.message());
    }
    default:
      return absl::StrCat("unknown gate check ", static_cast<int>(check));
  }
}

// The open review and the board reviewing it.
struct ReviewBoard {
  const GateReview* review;  // Owned by the state.
  const BoardView* board;    // Owned by the context.
};

// NO_OPEN_REVIEW, then BOARD_NOT_FOUND unless ctx.board is the open
// review's board.
absl::StatusOr<ReviewBoard> RequireReviewBoard(const InitiativeState& state,
                                               const Context& ctx) {
  absl::StatusOr<const GateReview*> review = RequireOpenReview(state);
  if (!review.ok()) return review.status();
  absl::StatusOr<const BoardView*> board =
      RequireBoard(ctx, (*review)->request.board_id(), "");
  if (!board.ok()) return board.status();
  return ReviewBoard{*review, *board};
}

}  // namespace

absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::RequestGateReview& cmd,
                                        const Context& ctx) {
  if (absl::Status s = FirstError({RequireField(cmd.gate_id(), "gate_id"),
                                   RequireField(cmd.board_id(), "board_id"),
                                   RequireLive(state)});
      !s.ok()) {
    return s;
  }
  if (state.status == InitiativeStatus::kOnHold) {
    return Reject(
        kInitiativeOnHold, "",
        absl::StrCat("the initiative is on hold at gate ", state.held_gate_id));
  }
  if (const GateReview* open = state.OpenReview(); open != nullptr) {
    return Reject(
        kReviewAlreadyOpen, "",
        absl::StrCat("review ", open->request.review_number(), " of gate ",
                     open->request.gate_id(), " is open"));
  }
  absl::StatusOr<const LifecycleModelView*> model =
      initiative_rules::RequireModel(state, ctx);
  if (!model.ok()) return model.status();
  const int index = (*model)->GateIndex(cmd.gate_id());
  if (index < 0) {
    return Reject(kGateNotFound, "gate_id",
                  absl::StrCat("lifecycle model ", (*model)->model_id,
                               " has no gate ", cmd.gate_id()));
  }
  const size_t next = state.passed_gates.size();
  if (static_cast<size_t>(index) != next) {
    return Reject(
        kGateOutOfOrder, "gate_id",
        next < (*model)->gates.size()
            ? absl::StrCat("the next gate is ", (*model)->gates[next].gate_id())
            : std::string("every gate has been passed"));
  }
  if (absl::Status s = initiative_rules::RequireConditionsClosed(state, "");
      !s.ok()) {
    return s;
  }
  const gavel::v1::Gate& gate = (*model)->gates[index];
  absl::StatusOr<const BoardView*> board =
      RequireBoard(ctx, cmd.board_id(), "board_id");
  if (!board.ok()) return board.status();
  if (!(*board)->MandateCovers(gate.gate_id()) ||
      (!gate.board_id().empty() && gate.board_id() != cmd.board_id())) {
    return Reject(kBoardNotMandated, "board_id",
                  absl::StrCat("board ", cmd.board_id(),
                               " is not mandated for gate ", gate.gate_id()));
  }
  if (!cmd.cycle_id().empty()) {
    absl::StatusOr<const GovernanceCycleView*> cycle =
        initiative_rules::RequireCycle(ctx, cmd.cycle_id(), "cycle_id");
    if (!cycle.ok()) return cycle.status();
    if (absl::Status s = initiative_rules::RequireOpenCycleOf(
            **cycle, cmd.board_id(), "cycle_id");
        !s.ok()) {
      return s;
    }
  }
  for (const int check : gate.checks()) {
    const GateCheck gate_check = static_cast<GateCheck>(check);
    if (std::string why = CheckShortfall(gate_check, state, ctx);
        !why.empty()) {
      return Reject(
          kMustMeetCheckFailed,
          absl::StrCat("checks.", gavel::v1::GateCheck_Name(gate_check)),
          absl::StrCat("gate ", gate.gate_id(), ": ", why));
    }
  }
  InitiativeEvent event;
  gavel::v1::GateReviewRequested* e = event.mutable_gate_review_requested();
  e->set_review_number(static_cast<int32_t>(state.reviews.size()) + 1);
  e->set_gate_id(cmd.gate_id());
  e->set_board_id(cmd.board_id());
  e->set_cycle_id(cmd.cycle_id());
  e->set_requested_by(ctx.actor);
  *e->mutable_requested_at() = ToTimestamp(ctx.now);
  return InitiativeEvents{event};
}

absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::RecuseMember& cmd,
                                        const Context& ctx) {
  if (absl::Status s = FirstError({RequireField(cmd.member(), "member"),
                                   RequireReason(cmd.reason(), "reason"),
                                   RequireLive(state)});
      !s.ok()) {
    return s;
  }
  absl::StatusOr<ReviewBoard> open = RequireReviewBoard(state, ctx);
  if (!open.ok()) return open.status();
  const GateReview& review = *open->review;
  const BoardView& board = *open->board;
  if (board.FindMember(cmd.member()) == nullptr) {
    return Reject(kNotABoardMember, "member",
                  absl::StrCat(cmd.member(), " is not a member of board ",
                               board.board_id));
  }
  if (ctx.actor != cmd.member() && ctx.actor != board.Chair()) {
    return Reject(kNotTheChair, "",
                  "only the member or the chair records a recusal");
  }
  if (IsRecused(review, cmd.member())) {
    return Reject(kAlreadyRecused, "member",
                  absl::StrCat(cmd.member(), " is already recused"));
  }
  if (HasVoted(review, cmd.member())) {
    return Reject(kAlreadyVoted, "member",
                  absl::StrCat(cmd.member(), " has voted; too late to recuse"));
  }
  InitiativeEvent event;
  gavel::v1::MemberRecused* e = event.mutable_member_recused();
  e->set_review_number(review.request.review_number());
  e->set_member(cmd.member());
  e->set_reason(cmd.reason());
  e->set_recorded_by(ctx.actor);
  return InitiativeEvents{event};
}

absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::CastGateVote& cmd,
                                        const Context& ctx) {
  if (absl::Status s = FirstError(
          {RequireEnum(cmd.vote(), gavel::v1::GateVote_IsValid, "vote"),
           RequireLive(state)});
      !s.ok()) {
    return s;
  }
  absl::StatusOr<ReviewBoard> open = RequireReviewBoard(state, ctx);
  if (!open.ok()) return open.status();
  const GateReview& review = *open->review;
  const BoardView& board = *open->board;
  const bool on_behalf = !cmd.on_behalf_of().empty();
  const std::string& member = on_behalf ? cmd.on_behalf_of() : ctx.actor;
  const absl::string_view field = on_behalf ? "on_behalf_of" : "";
  if (board.FindMember(member) == nullptr) {
    return Reject(
        kNotABoardMember, field,
        absl::StrCat(member, " is not a member of board ", board.board_id));
  }
  if (!board.IsVotingMember(member)) {
    return Reject(
        kNotAVotingMember, field,
        absl::StrCat(member, " has no vote on board ", board.board_id));
  }
  const DelegationView* delegation = nullptr;
  if (member != ctx.actor) {
    delegation = board.ActiveDelegation(member, ctx.actor, ctx.now);
    if (delegation == nullptr) {
      return Reject(kDelegationNotActive, field,
                    absl::StrCat(ctx.actor, " holds no delegation from ",
                                 member, " in force now"));
    }
  }
  if (IsRecused(review, member)) {
    return Reject(kMemberRecused, field,
                  absl::StrCat(member, " is recused from this review"));
  }
  if (HasVoted(review, member)) {
    return Reject(kAlreadyVoted, field,
                  absl::StrCat(member, " has already voted in this review"));
  }
  InitiativeEvent event;
  gavel::v1::GateVoteCast* e = event.mutable_gate_vote_cast();
  e->set_review_number(review.request.review_number());
  e->set_member(member);
  e->set_cast_by(ctx.actor);
  if (delegation != nullptr) e->set_delegation_id(delegation->delegation_id);
  e->set_vote(cmd.vote());
  e->set_comment(cmd.comment());
  return InitiativeEvents{event};
}

}  // namespace gavel::domain
