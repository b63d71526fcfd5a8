// Rules the Initiative deciders share (domain/initiative_*.cc). Internal to
// domain/: the contract is domain/initiative.h. Each returns OK or the
// rejection documented there.
#ifndef GAVEL_DOMAIN_INITIATIVE_RULES_H_
#define GAVEL_DOMAIN_INITIATIVE_RULES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "domain/context.h"
#include "domain/decider.h"
#include "domain/initiative.h"
#include "gavel/v1/events.pb.h"

namespace gavel::domain::initiative_rules {

// AGGREGATE_NOT_FOUND (field "initiative_id") when never submitted.
absl::Status RequireSubmitted(const InitiativeState& state);

// RequireSubmitted(), then INITIATIVE_TERMINAL when killed, withdrawn or
// closed.
absl::Status RequireLive(const InitiativeState& state);

// ctx.board when it is `board_id`; BOARD_NOT_FOUND (field `field`)
// otherwise. The pointer lives as long as `ctx`.
absl::StatusOr<const BoardView*> RequireBoard(const Context& ctx,
                                              absl::string_view board_id,
                                              absl::string_view field);

// ctx.cycle when it is `cycle_id`; CYCLE_NOT_FOUND (field `field`)
// otherwise.
absl::StatusOr<const GovernanceCycleView*> RequireCycle(
    const Context& ctx, absl::string_view cycle_id, absl::string_view field);

// CYCLE_CLOSED, then CYCLE_BOARD_MISMATCH unless `cycle` is open and
// belongs to `board_id`.
absl::Status RequireOpenCycleOf(const GovernanceCycleView& cycle,
                                absl::string_view board_id,
                                absl::string_view field);

// ctx.framework when it is `framework_id`; FRAMEWORK_NOT_FOUND otherwise.
absl::StatusOr<const FrameworkView*> RequireFramework(
    const Context& ctx, absl::string_view framework_id,
    absl::string_view field);

// FRAMEWORK_NOT_APPROVED when `framework` has no active approved version.
absl::Status RequireApproved(const FrameworkView& framework,
                             absl::string_view field);

// ctx.lifecycle_model when it is the initiative's model;
// LIFECYCLE_MODEL_NOT_FOUND otherwise.
absl::StatusOr<const LifecycleModelView*> RequireModel(
    const InitiativeState& state, const Context& ctx);

// NO_CHAIR when the board has none; NOT_THE_CHAIR unless ctx.actor is the
// chair or holds a delegation from the chair active at ctx.now.
absl::Status RequireChair(const BoardView& board, const Context& ctx);

// True when `principal` is a current chair/voting member of `board` or
// holds a delegation from one active at `now`.
bool VotesOnBoard(const BoardView& board, absl::string_view principal,
                  absl::Time now);

// Empty when the current scoring round is locked under the active approved
// version of its framework (ctx.framework) with every must-meet criterion
// passed; otherwise why not, for a rejection message.
std::string ScorecardShortfall(const InitiativeState& state,
                               const Context& ctx);

// CONDITIONS_OPEN (field `field`) when some condition is unsatisfied.
absl::Status RequireConditionsClosed(const InitiativeState& state,
                                     absl::string_view field);

// CURRENCY_MISMATCH (field `field`) unless `money` is in the initiative's
// currency (that of its cost estimate).
absl::Status RequireInitiativeCurrency(const InitiativeState& state,
                                       const gavel::v1::Money& money,
                                       absl::string_view field);

// INVALID_TIME_RANGE (field `field`) when `date` lies after DateOf(now).
absl::Status RequireNotAfterToday(const gavel::v1::Date& date, absl::Time now,
                                  absl::string_view field);

// DemandReleased events giving back everything the initiative reserved,
// one entry per pool in ascending pool_id; empty when nothing is reserved.
std::vector<AggregateEvents<gavel::v1::CapacityPoolEvent>> ReleaseReserved(
    const InitiativeState& state, const gavel::v1::DecisionRef& decision,
    absl::string_view reason);

// The benefit `benefit_id` of the initiative, or nullptr. Lives as long as
// `state`.
const Benefit* FindBenefit(const InitiativeState& state,
                           absl::string_view benefit_id);

// NO_OPEN_REVIEW unless a review is open; returns it (owned by `state`).
absl::StatusOr<const GateReview*> RequireOpenReview(
    const InitiativeState& state);

// Whether `member` is recused from / has a vote in `review`.
bool IsRecused(const GateReview& review, absl::string_view member);
bool HasVoted(const GateReview& review, absl::string_view member);

// The period amounts of `demand`, as a vector (for absl::Span parameters).
std::vector<gavel::v1::PeriodAmount> AmountsOf(
    const gavel::v1::CapacityDemand& demand);

// `demand` sorted by ascending pool_id.
std::vector<gavel::v1::CapacityDemand> ByPool(
    std::vector<gavel::v1::CapacityDemand> demand);

}  // namespace gavel::domain::initiative_rules

#endif  // GAVEL_DOMAIN_INITIATIVE_RULES_H_
