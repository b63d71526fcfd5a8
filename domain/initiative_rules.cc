#include "domain/initiative_rules.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "domain/calendar.h"
#include "domain/capacity_reservation.h"
#include "domain/rejection.h"

namespace gavel::domain::initiative_rules {

absl::Status RequireSubmitted(const InitiativeState& state) {
  return RequireExisting(state, "initiative_id",
                         "no such initiative has been submitted");
}

absl::Status RequireLive(const InitiativeState& state) {
  if (absl::Status s = RequireSubmitted(state); !s.ok()) return s;
  if (IsTerminal(state.status)) {
    return Reject(kInitiativeTerminal, "",
                  absl::StrCat("initiative ", state.submission.initiative_id(),
                               " is killed, withdrawn or closed; it accepts "
                               "only benefit measurements"));
  }
  return absl::OkStatus();
}

absl::StatusOr<const BoardView*> RequireBoard(const Context& ctx,
                                              absl::string_view board_id,
                                              absl::string_view field) {
  if (!ctx.board.has_value() || ctx.board->board_id != board_id) {
    return Reject(kBoardNotFound, field, absl::StrCat("no board ", board_id));
  }
  return &*ctx.board;
}

absl::StatusOr<const GovernanceCycleView*> RequireCycle(
    const Context& ctx, absl::string_view cycle_id, absl::string_view field) {
  if (!ctx.cycle.has_value() || ctx.cycle->cycle_id != cycle_id) {
    return Reject(kCycleNotFound, field,
                  absl::StrCat("no governance cycle ", cycle_id));
  }
  return &*ctx.cycle;
}

absl::Status RequireOpenCycleOf(const GovernanceCycleView& cycle,
                                absl::string_view board_id,
                                absl::string_view field) {
  if (cycle.closed) {
    return Reject(kCycleClosed, field,
                  absl::StrCat("cycle ", cycle.cycle_id, " is closed"));
  }
  if (cycle.board_id != board_id) {
    return Reject(kCycleBoardMismatch, field,
                  absl::StrCat("cycle ", cycle.cycle_id, " belongs to board ",
                               cycle.board_id, ", not ", board_id));
  }
  return absl::OkStatus();
}

absl::StatusOr<const FrameworkView*> RequireFramework(
    const Context& ctx, absl::string_view framework_id,
    absl::string_view field) {
  if (!ctx.framework.has_value() ||
      ctx.framework->framework_id != framework_id) {
    return Reject(kFrameworkNotFound, field,
                  absl::StrCat("no prioritization framework ", framework_id));
  }
  return &*ctx.framework;
}

absl::Status RequireApproved(const FrameworkView& framework,
                             absl::string_view field) {
  if (framework.active_version <= 0) {
    return Reject(kFrameworkNotApproved, field,
                  absl::StrCat("framework ", framework.framework_id,
                               " has no active approved version"));
  }
  return absl::OkStatus();
}

absl::StatusOr<const LifecycleModelView*> RequireModel(
    const InitiativeState& state, const Context& ctx) {
  const std::string& model_id = state.submission.lifecycle_model_id();
  if (!ctx.lifecycle_model.has_value() ||
      ctx.lifecycle_model->model_id != model_id) {
    return Reject(kLifecycleModelNotFound, "",
                  absl::StrCat("lifecycle model ", model_id,
                               " of the initiative is not available"));
  }
  return &*ctx.lifecycle_model;
}

absl::Status RequireChair(const BoardView& board, const Context& ctx) {
  const std::optional<std::string> chair = board.Chair();
  if (!chair.has_value()) {
    return Reject(kNoChair, "",
                  absl::StrCat("board ", board.board_id, " has no chair"));
  }
  if (ctx.actor != *chair &&
      board.ActiveDelegation(*chair, ctx.actor, ctx.now) == nullptr) {
    return Reject(kNotTheChair, "",
                  absl::StrCat(ctx.actor, " is neither the chair of board ",
                               board.board_id, " nor the chair's delegate"));
  }
  return absl::OkStatus();
}

bool VotesOnBoard(const BoardView& board, absl::string_view principal,
                  absl::Time now) {
  if (board.IsVotingMember(principal)) return true;
  for (const DelegationView& delegation : board.delegations) {
    if (delegation.delegate == principal && delegation.IsActiveAt(now) &&
        board.IsVotingMember(delegation.delegator)) {
      return true;
    }
  }
  return false;
}

std::string ScorecardShortfall(const InitiativeState& state,
                               const Context& ctx) {
  const ScoringRound& scoring = state.scoring;
  if (!scoring.locked.has_value()) {
    return scoring.round == 0 ? "the initiative has never been scored"
                              : "the current scorecard is not locked";
  }
  if (!ctx.framework.has_value() ||
      ctx.framework->framework_id != scoring.framework_id) {
    return absl::StrCat("framework ", scoring.framework_id, " is unknown");
  }
  if (ctx.framework->active_version <= 0 ||
      scoring.locked->framework_version() != ctx.framework->active_version) {
    return absl::StrCat("the scorecard was locked under version ",
                        scoring.locked->framework_version(), " of ",
                        scoring.framework_id, ", not the active version ",
                        ctx.framework->active_version);
  }
  if (!scoring.locked->must_meet_passed()) {
    return absl::StrCat(
        "must-meet criteria failed: ",
        absl::StrJoin(scoring.locked->failed_must_meet_criteria(), ", "));
  }
  return "";
}

absl::Status RequireConditionsClosed(const InitiativeState& state,
                                     absl::string_view field) {
  for (const ConditionState& condition : state.conditions) {
    if (!condition.satisfied.has_value()) {
      return Reject(
          kConditionsOpen, field,
          absl::StrCat("condition ", condition.condition.condition_id(),
                       " of review ", condition.review_number,
                       " is not satisfied"));
    }
  }
  return absl::OkStatus();
}

absl::Status RequireInitiativeCurrency(const InitiativeState& state,
                                       const gavel::v1::Money& money,
                                       absl::string_view field) {
  const std::string& currency = state.submission.cost_estimate().currency();
  if (money.currency() != currency) {
    return Reject(kCurrencyMismatch, field,
                  absl::StrCat(field, " is in ", money.currency(),
                               "; the initiative is in ", currency));
  }
  return absl::OkStatus();
}

absl::Status RequireNotAfterToday(const gavel::v1::Date& date, absl::Time now,
                                  absl::string_view field) {
  if (CompareDates(date, DateOf(now)) > 0) {
    return Reject(kInvalidTimeRange, field,
                  absl::StrCat(field, " lies in the future"));
  }
  return absl::OkStatus();
}

std::vector<AggregateEvents<gavel::v1::CapacityPoolEvent>> ReleaseReserved(
    const InitiativeState& state, const gavel::v1::DecisionRef& decision,
    absl::string_view reason) {
  std::vector<AggregateEvents<gavel::v1::CapacityPoolEvent>> pool_events;
  for (const gavel::v1::CapacityDemand& demand :
       ByPool(state.reserved_capacity)) {
    pool_events.push_back(
        {demand.pool_id(),
         {ReleaseDemand(state.submission.initiative_id(), decision,
                        AmountsOf(demand), reason)}});
  }
  return pool_events;
}

const Benefit* FindBenefit(const InitiativeState& state,
                           absl::string_view benefit_id) {
  for (const Benefit& benefit : state.benefits) {
    if (benefit.registration.benefit_id() == benefit_id) return &benefit;
  }
  return nullptr;
}

absl::StatusOr<const GateReview*> RequireOpenReview(
    const InitiativeState& state) {
  const GateReview* review = state.OpenReview();
  if (review == nullptr) {
    return Reject(kNoOpenReview, "", "no gate review is open");
  }
  return review;
}

bool IsRecused(const GateReview& review, absl::string_view member) {
  return std::any_of(review.recusals.begin(), review.recusals.end(),
                     [&](const gavel::v1::MemberRecused& recusal) {
                       return recusal.member() == member;
                     });
}

bool HasVoted(const GateReview& review, absl::string_view member) {
  return std::any_of(
      review.votes.begin(), review.votes.end(),
      [&](const gavel::v1::GateVoteCast& v) { return v.member() == member; });
}

std::vector<gavel::v1::PeriodAmount> AmountsOf(
    const gavel::v1::CapacityDemand& demand) {
  return {demand.amounts().begin(), demand.amounts().end()};
}

std::vector<gavel::v1::CapacityDemand> ByPool(
    std::vector<gavel::v1::CapacityDemand> demand) {
  std::stable_sort(demand.begin(), demand.end(),
                   [](const gavel::v1::CapacityDemand& a,
                      const gavel::v1::CapacityDemand& b) {
                     return a.pool_id() < b.pool_id();
                   });
  return demand;
}

}  // namespace gavel::domain::initiative_rules
