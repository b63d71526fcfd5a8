// Initiative deciders for scoring under a prioritization framework and for
// priority changes. Contracts: domain/initiative.h.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/initiative.h"
#include "domain/initiative_rules.h"
#include "domain/rejection.h"
#include "domain/scorecard.h"
#include "domain/validation.h"

namespace gavel::domain {
namespace {

using gavel::v1::InitiativeEvent;
using initiative_rules::RequireApproved;
using initiative_rules::RequireFramework;
using initiative_rules::RequireLive;

absl::Status RequireScorersAssigned(const InitiativeState& state) {
  if (state.scoring.round == 0) {
    return Reject(kNoScorersAssigned, "",
                  "no scorers have been assigned to the initiative");
  }
  return absl::OkStatus();
}

absl::Status RequireUnlocked(const InitiativeState& state) {
  if (state.scoring.locked.has_value()) {
    return Reject(kScorecardLocked, "",
                  absl::StrCat("the scorecard of round ", state.scoring.round,
                               " is locked; assign scorers to rescore"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::AssignScorers& cmd,
                                        const Context& ctx) {
  if (absl::Status s = RequireField(cmd.framework_id(), "framework_id");
      !s.ok()) {
    return s;
  }
  if (cmd.scorers().empty()) {
    return Reject(kMissingField, "scorers", "at least one scorer is needed");
  }
  UniqueIds scorers;
  for (int i = 0; i < cmd.scorers_size(); ++i) {
    if (absl::Status s =
            scorers.Add(cmd.scorers(i), FieldPath("scorers", i),
                        absl::StrCat(cmd.scorers(i), " listed twice"));
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = RequireLive(state); !s.ok()) return s;
  absl::StatusOr<const FrameworkView*> framework =
      RequireFramework(ctx, cmd.framework_id(), "framework_id");
  if (!framework.ok()) return framework.status();
  if (absl::Status s = RequireApproved(**framework, "framework_id"); !s.ok()) {
    return s;
  }
  for (int i = 0; i < cmd.scorers_size(); ++i) {
    if (cmd.scorers(i) == state.submission.sponsor()) {
      return Reject(kSponsorCannotScore, FieldPath("scorers", i),
                    absl::StrCat(cmd.scorers(i),
                                 " sponsors the initiative and cannot score "
                                 "it"));
    }
  }
  InitiativeEvent event;
  gavel::v1::ScorersAssigned* e = event.mutable_scorers_assigned();
  e->set_round(state.scoring.round + 1);
  e->set_framework_id(cmd.framework_id());
  *e->mutable_scorers() = cmd.scorers();
  return InitiativeEvents{event};
}

absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::ScoreCriterion& cmd,
                                        const Context& ctx) {
  if (absl::Status s =
          FirstError({RequireField(cmd.criterion_id(), "criterion_id"),
                      RequireReason(cmd.rationale(), "rationale"),
                      RequireLive(state), RequireScorersAssigned(state)});
      !s.ok()) {
    return s;
  }
  const ScoringRound& scoring = state.scoring;
  absl::StatusOr<const FrameworkView*> framework =
      RequireFramework(ctx, scoring.framework_id, "");
  if (!framework.ok()) return framework.status();
  if (ctx.actor == state.submission.sponsor()) {
    return Reject(kSponsorCannotScore, "",
                  "the sponsor cannot score their own initiative");
  }
  if (std::find(scoring.scorers.begin(), scoring.scorers.end(), ctx.actor) ==
      scoring.scorers.end()) {
    return Reject(
        kNotAnAssignedScorer, "",
        absl::StrCat(ctx.actor, " is not an assigned scorer of round ",
                     scoring.round));
  }
  if (absl::Status s = FirstError(
          {RequireUnlocked(state), RequireApproved(**framework, "")});
      !s.ok()) {
    return s;
  }
  const gavel::v1::Criterion* criterion =
      (*framework)->FindCriterion(cmd.criterion_id());
  if (criterion == nullptr) {
    return Reject(kCriterionNotFound, "criterion_id",
                  absl::StrCat("framework ", scoring.framework_id,
                               " has no criterion ", cmd.criterion_id()));
  }
  if (absl::StatusOr<int32_t> bp = NormalizedScoreBp(*criterion, cmd.value());
      !bp.ok()) {
    return bp.status();
  }
  InitiativeEvent event;
  gavel::v1::CriterionScored* e = event.mutable_criterion_scored();
  e->set_round(scoring.round);
  e->set_framework_id(scoring.framework_id);
  e->set_framework_version((*framework)->active_version);
  e->set_criterion_id(cmd.criterion_id());
  e->set_scorer(ctx.actor);
  e->set_value(cmd.value());
  e->set_rationale(cmd.rationale());
  return InitiativeEvents{event};
}

absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::LockScorecard&,
                                        const Context& ctx) {
  if (absl::Status s =
          FirstError({RequireLive(state), RequireScorersAssigned(state),
                      RequireUnlocked(state)});
      !s.ok()) {
    return s;
  }
  const ScoringRound& scoring = state.scoring;
  absl::StatusOr<const FrameworkView*> framework =
      RequireFramework(ctx, scoring.framework_id, "");
  if (!framework.ok()) return framework.status();
  if (absl::Status s = RequireApproved(**framework, ""); !s.ok()) return s;
  const int32_t version = (*framework)->active_version;
  for (size_t i = 0; i < scoring.scores.size(); ++i) {
    if (scoring.score_versions[i] != version) {
      return Reject(
          kFrameworkVersionChanged, "",
          absl::StrCat(scoring.scores[i].scorer, " scored ",
                       scoring.scores[i].criterion_id, " under version ",
                       scoring.score_versions[i], "; version ", version,
                       " is active now: rescore"));
    }
  }
  absl::StatusOr<gavel::v1::ScorecardLocked> card =
      ComputeScorecard((*framework)->criteria, scoring.scorers, scoring.scores);
  if (!card.ok()) return card.status();
  card->set_round(scoring.round);
  card->set_framework_id(scoring.framework_id);
  card->set_framework_version(version);
  InitiativeEvent event;
  *event.mutable_scorecard_locked() = *std::move(card);
  return InitiativeEvents{event};
}

absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::ChangePriority& cmd,
                                        const Context& ctx) {
  if (absl::Status s = FirstError(
          {RequireEnum(cmd.to_priority(), gavel::v1::Priority_IsValid,
                       "to_priority"),
           RequireReason(cmd.reason(), "reason"),
           RequireField(cmd.board_id(), "board_id"), RequireLive(state)});
      !s.ok()) {
    return s;
  }
  absl::StatusOr<const BoardView*> board =
      initiative_rules::RequireBoard(ctx, cmd.board_id(), "board_id");
  if (!board.ok()) return board.status();
  const GovernanceCycleView* cycle = nullptr;
  if (!cmd.cycle_id().empty()) {
    absl::StatusOr<const GovernanceCycleView*> found =
        initiative_rules::RequireCycle(ctx, cmd.cycle_id(), "cycle_id");
    if (!found.ok()) return found.status();
    cycle = *found;
  }
  if (!initiative_rules::VotesOnBoard(**board, ctx.actor, ctx.now)) {
    return Reject(
        kNotAVotingMember, "",
        absl::StrCat(ctx.actor, " does not vote on board ", cmd.board_id()));
  }
  if (cycle != nullptr) {
    if (absl::Status s = initiative_rules::RequireOpenCycleOf(
            *cycle, cmd.board_id(), "cycle_id");
        !s.ok()) {
      return s;
    }
  }
  if (cmd.to_priority() == state.priority) {
    return Reject(kValueOutOfRange, "to_priority",
                  "the initiative already has this priority");
  }
  InitiativeEvent event;
  gavel::v1::PriorityChanged* e = event.mutable_priority_changed();
  e->set_from_priority(state.priority);
  e->set_to_priority(cmd.to_priority());
  e->set_reason(cmd.reason());
  e->set_board_id(cmd.board_id());
  e->set_cycle_id(cmd.cycle_id());
  e->set_changed_by(ctx.actor);
  return InitiativeEvents{event};
}

}  // namespace gavel::domain
