// Initiative: a proposal's whole life, from submission through the gates of
// its lifecycle model to BAU hand-over and benefit measurement. Stream: one
// per initiative_id. Decide/Evolve contracts follow domain/decider.h.
// Implemented in initiative.cc (state) and the deciders in
// initiative_intake.cc, initiative_scoring.cc, initiative_gates.cc,
// initiative_decision.cc and initiative_delivery.cc.
//
// Rules (DESIGN.md §5, issue 3), and the reason each breaks with:
//  Lifecycle
//  - gates pass strictly in model order: a review is requested only for the
//    gate after the last one passed (GATE_OUT_OF_ORDER), only when the
//    initiative is not on hold (INITIATIVE_ON_HOLD), killed, withdrawn or
//    closed (INITIATIVE_TERMINAL), when no review is open
//    (REVIEW_ALREADY_OPEN) and when every must-meet check of the gate passes
//    (MUST_MEET_CHECK_FAILED, field "checks.<GATE_CHECK_NAME>", the first
//    failing check in the gate's order);
//  - conditions of a CONDITIONAL_GO block the next gate until all are
//    satisfied (CONDITIONS_OPEN, checked before the must-meet checks);
//  - GO / CONDITIONAL_GO pass the gate; HOLD puts the initiative on hold
//    until ReleaseHold (then the same gate may be requested again); RECYCLE
//    leaves the gate unpassed for another review; KILL is terminal;
//  - killed, withdrawn and closed initiatives accept only MeasureBenefit
//    (INITIATIVE_TERMINAL for every other command);
//  - closure requires every gate of the model passed (LIFECYCLE_INCOMPLETE)
//    and no open condition (CONDITIONS_OPEN).
//  Votes and decisions
//  - the reviewing board is mandated: its mandate lists the gate and, if
//    the gate pins a board, it is that board (BOARD_NOT_MANDATED);
//  - only current chair/voting members vote (NOT_A_BOARD_MEMBER,
//    NOT_A_VOTING_MEMBER), or their delegate with a delegation active at
//    ctx.now (DELEGATION_NOT_ACTIVE); recused members never vote, nor do
//    their delegates (MEMBER_RECUSED); one vote per member per review
//    (ALREADY_VOTED) whoever casts it; recusal only before voting;
//  - the decision is recorded by the chair or the chair's active delegate
//    (NOT_THE_CHAIR; NO_CHAIR when the board has none); it needs quorum:
//    votes (abstentions included) by eligible members >= board quorum
//    (QUORUM_NOT_MET), where eligible = current chair/voting members not
//    recused and only their votes count; and it must agree with the
//    decision rule (DECISION_RULE_NOT_MET):
//      in favour of GO             = GO votes
//      in favour of CONDITIONAL_GO = GO + CONDITIONAL_GO votes
//      in favour of HOLD/RECYCLE/KILL = votes for exactly that outcome
//      MAJORITY:  2 * in_favour > non-abstaining votes
//      UNANIMOUS: in_favour == non-abstaining votes > 0
//      CHAIR:     the chair's vote (cast by chair or delegate) is in favour;
//  - budget_approved (GO / CONDITIONAL_GO only) may not exceed the
//    mandate's budget ceiling (BUDGET_CEILING_EXCEEDED) and is in the
//    initiative's currency (CURRENCY_MISMATCH);
//  - a decision is never edited: it closes its review; a later change is a
//    new review and a new decision (NO_OPEN_REVIEW otherwise);
//  - passing a gate with reserves_capacity firmly reserves the submitted
//    capacity demand in each pool, in the same batch; capacity must suffice
//    unless capacity_override_reason is given (CAPACITY_EXCEEDED). Demand
//    is reserved once: a later reserving gate reserves nothing more. KILL,
//    withdrawal and closure release what was reserved.
//  Scoring
//  - scores are given by assigned scorers (NOT_AN_ASSIGNED_SCORER), never
//    the sponsor (SPONSOR_CANNOT_SCORE), under the active approved version
//    of the scorecard's framework (FRAMEWORK_NOT_APPROVED), within each
//    criterion's scale (SCORE_OUT_OF_SCALE);
//  - a locked scorecard takes no scores (SCORECARD_LOCKED); it locks only
//    when every assigned scorer scored every criterion
//    (SCORECARD_INCOMPLETE) under the version still active
//    (FRAMEWORK_VERSION_CHANGED); AssignScorers starts a new round;
//  - a GO / CONDITIONAL_GO at a gate whose checks include SCORECARD_LOCKED
//    needs the scorecard locked under the active version with its
//    must-meet criteria passed (SCORECARD_NOT_LOCKED): a new scoring round
//    started during the review must be locked before the gate is decided.
//  Benefits, dependencies, reasons
//  - a benefit is measured only once registered (BENEFIT_NOT_REGISTERED)
//    with a baseline (BENEFIT_NOT_BASELINED); after a gate with
//    freezes_baselines is passed (G2 by default) an existing benefit cannot
//    be re-registered (BASELINE_FROZEN); new benefits still can;
//  - dependencies never form a cycle (DEPENDENCY_CYCLE);
//  - every priority change, decision (rationale), withdrawal, hold release,
//    unlink and forecast revision carries a reason (REASON_REQUIRED).
//
// Must-meet checks (gavel.v1.GateCheck), evaluated at RequestGateReview:
//   LINKED_TO_ACTIVE_OBJECTIVE  the primary objective link's objective is
//                               in ctx.objectives and active
//   SCORECARD_LOCKED            the current round is locked, under
//                               ctx.framework->active_version, and
//                               must_meet_passed
//   BENEFITS_BASELINED          >= 1 benefit and every benefit has one
//   COST_ESTIMATED              cost_estimate (or the latest forecast's
//                               cost_at_completion) > 0
//   CAPACITY_AVAILABLE          CheckCapacityAvailable for each demanded
//                               pool in ctx.pools (passes when the demand
//                               is already firmly reserved)
//   BAU_IMPACT_ASSESSED         a BauImpactAssessed was recorded
//   BENEFIT_MEASURED            >= 1 BenefitMeasured on some benefit
//   PREVIOUS_CONDITIONS_CLOSED  every condition satisfied
#ifndef GAVEL_DOMAIN_INITIATIVE_H_
#define GAVEL_DOMAIN_INITIATIVE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/context.h"
#include "domain/decider.h"
#include "domain/scorecard.h"
#include "gavel/v1/commands.pb.h"
#include "gavel/v1/events.pb.h"

namespace gavel::domain {

// Events of one initiative stream, in append order.
using InitiativeEvents = std::vector<gavel::v1::InitiativeEvent>;

enum class InitiativeStatus {
  kNone,       // Not submitted (version 0).
  kProposed,   // Submitted; no gate passed yet.
  kActive,     // At least one gate passed.
  kOnHold,     // A HOLD decision; see held_gate_id.
  kKilled,     // Terminal.
  kWithdrawn,  // Terminal.
  kClosed,     // Terminal: handed over into BAU.
};

// True for kKilled, kWithdrawn and kClosed.
bool IsTerminal(InitiativeStatus status);

// The writer keeps what deciding needs, not the history: measurements and
// cost reports are counted and the latest kept (their history is in the log
// and the read models), so an aggregate's state stays the same size however
// long it keeps reporting.
struct Benefit {
  gavel::v1::BenefitRegistered registration;  // Latest registration.
  uint64_t measurements = 0;                  // BenefitMeasured so far.
  std::optional<gavel::v1::BenefitMeasured> last_measurement;
  std::optional<int64_t> forecast;  // From the latest ForecastRevised.
};

// The current scoring round.
struct ScoringRound {
  int32_t round = 0;  // 0: no scorers ever assigned.
  std::string framework_id;
  std::vector<std::string> scorers;
  // Latest score per (criterion, scorer), in first-scored order.
  std::vector<CriterionScore> scores;
  // Framework version of each entry of `scores` (same index).
  std::vector<int32_t> score_versions;
  std::optional<gavel::v1::ScorecardLocked> locked;
};

struct GateReview {
  gavel::v1::GateReviewRequested request;
  std::vector<gavel::v1::MemberRecused> recusals;
  std::vector<gavel::v1::GateVoteCast> votes;      // In order cast.
  std::optional<gavel::v1::GateDecided> decision;  // Set: review closed.
};

struct ConditionState {
  gavel::v1::Condition condition;
  int32_t review_number = 0;  // The decision that imposed it.
  std::optional<gavel::v1::ConditionSatisfied> satisfied;
};

struct MilestoneState {
  gavel::v1::Milestone milestone;
  std::optional<gavel::v1::MilestoneAchieved> achieved;
};

struct RiskState {
  gavel::v1::RiskRaised risk;
  std::optional<gavel::v1::RiskClosed> closed;
};

struct DependencyState {
  gavel::v1::DependencyDeclared dependency;
  std::optional<gavel::v1::DependencyResolved> resolved;
};

struct InitiativeState {
  uint64_t version = 0;
  gavel::v1::InitiativeSubmitted submission;  // lifecycle_model_id is set.
  InitiativeStatus status = InitiativeStatus::kNone;
  gavel::v1::Priority priority = gavel::v1::PRIORITY_UNSPECIFIED;

  std::vector<std::string> passed_gates;  // Gate ids in the order passed.
  std::string held_gate_id;               // Set while kOnHold.
  std::string held_by_board_id;           // Set while kOnHold.
  bool baselines_frozen = false;
  // Firmly reserved demand (from GateDecided.capacity_reserved), cleared
  // when released by a kill, withdrawal or closure.
  std::vector<gavel::v1::CapacityDemand> reserved_capacity;

  std::vector<gavel::v1::ObjectiveLinked> links;  // Current, in order.
  std::vector<Benefit> benefits;                  // In registration order.
  ScoringRound scoring;
  std::vector<GateReview> reviews;  // All, in order; only the last may be open.
  std::vector<ConditionState> conditions;              // In imposition order.
  std::optional<gavel::v1::ForecastRevised> forecast;  // Latest.
  uint64_t cost_reports = 0;                           // CostReported so far.
  std::optional<gavel::v1::CostReported> last_cost;
  std::vector<MilestoneState> milestones;                  // Submission order.
  std::optional<gavel::v1::BauImpactAssessed> bau_impact;  // Latest.
  std::vector<RiskState> risks;
  std::vector<DependencyState> dependencies;
  std::optional<gavel::v1::InitiativeWithdrawn> withdrawal;
  std::optional<gavel::v1::InitiativeClosed> closure;

  // The open review (last review without a decision), or nullptr.
  const GateReview* OpenReview() const;
};

// What a command that may touch capacity writes: the initiative's events
// and, in the same atomic batch, events on capacity pools (one entry per
// pool, ascending pool_id; empty when nothing is reserved or released).
struct InitiativeDecision {
  InitiativeEvents events;
  std::vector<AggregateEvents<gavel::v1::CapacityPoolEvent>> pool_events;
};

// SubmitInitiative -> [InitiativeSubmitted] (submitted_by = ctx.actor,
// submitted_at = ctx.now, lifecycle_model_id "default" when empty).
// Needs: ctx.lifecycle_model = the named model (DefaultLifecycleModelView()
// for "default"); ctx.pools holds every pool in capacity_demand.
// Rejects: MISSING_FIELD (initiative_id, title, problem_statement,
// business_unit, sponsor, capacity_demand[i].pool_id / amounts,
// milestones[i].milestone_id / name), INVALID_MONEY
// (cost_estimate), INVALID_DATE (milestones[i].committed_date,
// capacity_demand[i].amounts[j].period_start), VALUE_OUT_OF_RANGE (negative
// amounts), DUPLICATE_ENTRY (milestone ids, demand pool ids, periods within
// a pool), AGGREGATE_ALREADY_EXISTS, LIFECYCLE_MODEL_NOT_FOUND,
// LIFECYCLE_MODEL_RETIRED, CAPACITY_POOL_NOT_FOUND, INVALID_PERIOD.
absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::SubmitInitiative& cmd,
                                        const Context& ctx);

// LinkObjective -> [ObjectiveLinked].
// Needs: ctx.objectives holds objective_id.
// Rejects: MISSING_FIELD (objective_id), VALUE_OUT_OF_RANGE
// (contribution_bp outside 0..10000), AGGREGATE_NOT_FOUND,
// INITIATIVE_TERMINAL, OBJECTIVE_NOT_FOUND, OBJECTIVE_RETIRED,
// OBJECTIVE_ALREADY_LINKED, PRIMARY_OBJECTIVE_EXISTS,
// CONTRIBUTION_EXCEEDS_TOTAL (sum of links > 10000).
absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::LinkObjective& cmd,
                                        const Context& ctx);

// UnlinkObjective -> [ObjectiveUnlinked].
// Rejects: MISSING_FIELD (objective_id), REASON_REQUIRED,
// AGGREGATE_NOT_FOUND, INITIATIVE_TERMINAL, OBJECTIVE_NOT_LINKED.
absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::UnlinkObjective& cmd,
                                        const Context& ctx);

// RegisterBenefit -> [BenefitRegistered] (new, or re-registration of
// benefit_id replacing the previous registration).
// Needs: ctx.objectives holds objective_id when it is set.
// Rejects: MISSING_FIELD (benefit_id, name, unit, owner; measure_id when
// objective_id is set), VALUE_OUT_OF_RANGE (decimals outside 0..6),
// INVALID_ENUM (direction), INVALID_DATE (baseline.measured_on,
// target_date), TARGET_CONTRADICTS_DIRECTION (with a baseline;
// ValidateBenefitTarget), AGGREGATE_NOT_FOUND, INITIATIVE_TERMINAL,
// OBJECTIVE_NOT_FOUND, MEASURE_NOT_FOUND, BASELINE_FROZEN (benefit_id
// exists and baselines are frozen).
absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::RegisterBenefit& cmd,
                                        const Context& ctx);

// AssignScorers -> [ScorersAssigned] (round = scoring.round + 1; discards
// the previous round's unlocked scores).
// Needs: ctx.framework = framework_id.
// Rejects: MISSING_FIELD (framework_id, scorers, scorers[i]),
// DUPLICATE_ENTRY (scorers[i]), AGGREGATE_NOT_FOUND, INITIATIVE_TERMINAL,
// FRAMEWORK_NOT_FOUND, FRAMEWORK_NOT_APPROVED, SPONSOR_CANNOT_SCORE
// (field scorers[i]).
absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::AssignScorers& cmd,
                                        const Context& ctx);

// ScoreCriterion -> [CriterionScored] (scorer = ctx.actor, framework_version
// = ctx.framework->active_version).
// Needs: ctx.framework = scoring.framework_id.
// Rejects: MISSING_FIELD (criterion_id), REASON_REQUIRED (rationale),
// AGGREGATE_NOT_FOUND, INITIATIVE_TERMINAL, NO_SCORERS_ASSIGNED,
// FRAMEWORK_NOT_FOUND, SPONSOR_CANNOT_SCORE, NOT_AN_ASSIGNED_SCORER,
// SCORECARD_LOCKED, FRAMEWORK_NOT_APPROVED, CRITERION_NOT_FOUND,
// SCORE_OUT_OF_SCALE.
absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::ScoreCriterion& cmd,
                                        const Context& ctx);

// LockScorecard -> [ScorecardLocked] computed by ComputeScorecard()
// (domain/scorecard.h) from ctx.framework's criteria.
// Needs: ctx.framework = scoring.framework_id.
// Rejects: AGGREGATE_NOT_FOUND, INITIATIVE_TERMINAL, NO_SCORERS_ASSIGNED,
// SCORECARD_LOCKED, FRAMEWORK_NOT_FOUND, FRAMEWORK_NOT_APPROVED,
// FRAMEWORK_VERSION_CHANGED, SCORECARD_INCOMPLETE.
absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::LockScorecard& cmd,
                                        const Context& ctx);

// ChangePriority -> [PriorityChanged] (from = current priority, changed_by =
// ctx.actor).
// Needs: ctx.board = board_id; ctx.cycle = cycle_id when set.
// Rejects: INVALID_ENUM (to_priority), REASON_REQUIRED, MISSING_FIELD
// (board_id), AGGREGATE_NOT_FOUND, INITIATIVE_TERMINAL, BOARD_NOT_FOUND,
// CYCLE_NOT_FOUND, NOT_A_VOTING_MEMBER (actor neither a chair/voting member
// nor an active delegate of one), CYCLE_CLOSED, CYCLE_BOARD_MISMATCH,
// VALUE_OUT_OF_RANGE (to_priority equals the current priority).
absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::ChangePriority& cmd,
                                        const Context& ctx);

// RequestGateReview -> [GateReviewRequested] (review_number =
// reviews.size() + 1, requested_by = ctx.actor, requested_at = ctx.now).
// Needs: ctx.lifecycle_model; ctx.board = board_id; ctx.cycle = cycle_id
// when set; for the gate's checks: ctx.objectives (linked objectives),
// ctx.framework (scorecard's framework), ctx.pools (demanded pools).
// Rejects, in this order: MISSING_FIELD (gate_id, board_id),
// AGGREGATE_NOT_FOUND, INITIATIVE_TERMINAL, INITIATIVE_ON_HOLD,
// REVIEW_ALREADY_OPEN, LIFECYCLE_MODEL_NOT_FOUND, GATE_NOT_FOUND,
// GATE_OUT_OF_ORDER (also once every gate is passed), CONDITIONS_OPEN,
// BOARD_NOT_FOUND, BOARD_NOT_MANDATED, CYCLE_NOT_FOUND, CYCLE_CLOSED,
// CYCLE_BOARD_MISMATCH, MUST_MEET_CHECK_FAILED.
absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::RequestGateReview& cmd,
                                        const Context& ctx);

// RecuseMember -> [MemberRecused] (recorded_by = ctx.actor).
// Needs: ctx.board = the open review's board.
// Rejects: MISSING_FIELD (member), REASON_REQUIRED, AGGREGATE_NOT_FOUND,
// INITIATIVE_TERMINAL, NO_OPEN_REVIEW, BOARD_NOT_FOUND, NOT_A_BOARD_MEMBER
// (field member), NOT_THE_CHAIR (actor neither the member nor the chair),
// ALREADY_RECUSED, ALREADY_VOTED.
absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::RecuseMember& cmd,
                                        const Context& ctx);

// CastGateVote -> [GateVoteCast] (member = on_behalf_of or ctx.actor;
// cast_by = ctx.actor; delegation_id when on behalf).
// Needs: ctx.board = the open review's board.
// Rejects: INVALID_ENUM (vote), AGGREGATE_NOT_FOUND, INITIATIVE_TERMINAL,
// NO_OPEN_REVIEW, BOARD_NOT_FOUND, NOT_A_BOARD_MEMBER, NOT_A_VOTING_MEMBER,
// DELEGATION_NOT_ACTIVE (on_behalf_of without a delegation active at
// ctx.now from that member to the actor), MEMBER_RECUSED, ALREADY_VOTED.
absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::CastGateVote& cmd,
                                        const Context& ctx);

// RecordGateDecision -> InitiativeDecision{[GateDecided], pool events}.
// GateDecided: tally of the eligible members' votes (votes of members no
// longer on the board do not count; tally.recused counts recused current
// chair/voting members, so eligible + recused = all of them),
// reviewed_position = the command's or ctx.stream_position when 0,
// decided_by = ctx.actor, decided_at = ctx.now, baselines_frozen and
// capacity_reserved when it passes a gate that freezes / reserves; pool
// events: a DemandReserved per demanded pool when a reserving gate is
// passed (ReserveDemand), a DemandReleased per reserved pool on KILL
// (ReleaseDemand). DecisionRef = {board, cycle of the review,
// initiative_id, review_number}.
// Needs: ctx.board = the open review's board; ctx.lifecycle_model;
// ctx.framework (scorecard's) for GO/CONDITIONAL_GO at a gate checking
// SCORECARD_LOCKED; ctx.pools for a reserving gate.
// Rejects: INVALID_ENUM (outcome), REASON_REQUIRED (rationale),
// CONDITIONS_REQUIRED, CONDITIONS_NOT_ALLOWED, MISSING_FIELD
// (conditions[i].condition_id / description / owner), INVALID_DATE
// (conditions[i].due_date), INVALID_TIME_RANGE (due_date before
// DateOf(ctx.now)), DUPLICATE_ENTRY (condition ids in the command),
// INVALID_MONEY (budget_approved), VALUE_OUT_OF_RANGE (budget_approved on
// HOLD/RECYCLE/KILL), REVIEWED_POSITION_IN_FUTURE (> ctx.head_position),
// AGGREGATE_NOT_FOUND, INITIATIVE_TERMINAL, NO_OPEN_REVIEW, DUPLICATE_ID
// (condition id already used by this initiative), LIFECYCLE_MODEL_NOT_FOUND,
// GATE_NOT_FOUND, BOARD_NOT_FOUND, NO_CHAIR, NOT_THE_CHAIR, QUORUM_NOT_MET,
// DECISION_RULE_NOT_MET, CURRENCY_MISMATCH (initiative's currency, then
// the ceiling's), BUDGET_CEILING_EXCEEDED, SCORECARD_NOT_LOCKED,
// CAPACITY_POOL_NOT_FOUND, INVALID_PERIOD, CAPACITY_EXCEEDED (field
// capacity_override_reason).
absl::StatusOr<InitiativeDecision> Decide(
    const InitiativeState& state, const gavel::v1::RecordGateDecision& cmd,
    const Context& ctx);

// ReleaseHold -> [InitiativeHoldReleased] (gate_id / board_id of the hold,
// released_by = ctx.actor).
// Needs: ctx.board = held_by_board_id.
// Rejects: REASON_REQUIRED, AGGREGATE_NOT_FOUND, INITIATIVE_TERMINAL,
// NOT_ON_HOLD, BOARD_NOT_FOUND, NO_CHAIR, NOT_THE_CHAIR (actor neither the
// chair nor the chair's active delegate).
absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::ReleaseHold& cmd,
                                        const Context& ctx);

// SatisfyCondition -> [ConditionSatisfied] (satisfied_by = ctx.actor).
// Rejects: MISSING_FIELD (condition_id), REASON_REQUIRED (evidence),
// INVALID_DATE (satisfied_on), INVALID_TIME_RANGE (satisfied_on after
// DateOf(ctx.now)), AGGREGATE_NOT_FOUND, INITIATIVE_TERMINAL,
// CONDITION_NOT_FOUND, CONDITION_ALREADY_SATISFIED.
absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::SatisfyCondition& cmd,
                                        const Context& ctx);

// ReviseForecast -> [ForecastRevised].
// Rejects: REASON_REQUIRED, INVALID_MONEY (cost_at_completion), INVALID_DATE
// (finish_date), MISSING_FIELD / DUPLICATE_ENTRY (benefits[i].benefit_id),
// AGGREGATE_NOT_FOUND, INITIATIVE_TERMINAL, CURRENCY_MISMATCH,
// BENEFIT_NOT_REGISTERED (benefits[i].benefit_id).
absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::ReviseForecast& cmd,
                                        const Context& ctx);

// ReportCost -> [CostReported].
// Rejects: INVALID_MONEY (amount), INVALID_DATE / INVALID_PERIOD
// (period_start not the 1st of a month), INVALID_ENUM (category),
// AGGREGATE_NOT_FOUND, INITIATIVE_TERMINAL, CURRENCY_MISMATCH.
absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::ReportCost& cmd,
                                        const Context& ctx);

// AchieveMilestone -> [MilestoneAchieved].
// Rejects: MISSING_FIELD (milestone_id), INVALID_DATE (achieved_on),
// INVALID_TIME_RANGE (achieved_on after DateOf(ctx.now)),
// AGGREGATE_NOT_FOUND, INITIATIVE_TERMINAL, MILESTONE_NOT_FOUND,
// MILESTONE_ALREADY_ACHIEVED.
absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::AchieveMilestone& cmd,
                                        const Context& ctx);

// AssessBauImpact -> [BauImpactAssessed] (assessed_by = ctx.actor; a later
// assessment replaces the earlier one).
// Rejects: MISSING_FIELD (summary), INVALID_MONEY (annual_run_cost),
// AGGREGATE_NOT_FOUND, INITIATIVE_TERMINAL, CURRENCY_MISMATCH.
absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::AssessBauImpact& cmd,
                                        const Context& ctx);

// MeasureBenefit -> [BenefitMeasured]. The one command a terminal
// (killed, withdrawn, closed) initiative accepts; accepted in any status.
// Rejects: MISSING_FIELD (benefit_id, source), INVALID_DATE (period_start,
// period_end), INVALID_TIME_RANGE (period_end before period_start or after
// DateOf(ctx.now)), AGGREGATE_NOT_FOUND, BENEFIT_NOT_REGISTERED,
// BENEFIT_NOT_BASELINED.
absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::MeasureBenefit& cmd,
                                        const Context& ctx);

// RaiseRisk -> [RiskRaised].
// Rejects: MISSING_FIELD (risk_id, title, owner), VALUE_OUT_OF_RANGE
// (probability_bp outside 0..10000), INVALID_ENUM (impact),
// AGGREGATE_NOT_FOUND, INITIATIVE_TERMINAL, DUPLICATE_ID (risk_id).
absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::RaiseRisk& cmd,
                                        const Context& ctx);

// CloseRisk -> [RiskClosed].
// Rejects: MISSING_FIELD (risk_id), REASON_REQUIRED (resolution),
// AGGREGATE_NOT_FOUND, INITIATIVE_TERMINAL, RISK_NOT_FOUND,
// RISK_ALREADY_CLOSED.
absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::CloseRisk& cmd,
                                        const Context& ctx);

// DeclareDependency -> [DependencyDeclared].
// Needs: ctx.other_initiative = depends_on_initiative_id;
// ctx.dependencies = unresolved dependencies of all initiatives.
// Rejects: MISSING_FIELD (dependency_id, depends_on_initiative_id),
// INVALID_DATE (needed_by, when set), SELF_REFERENCE, AGGREGATE_NOT_FOUND,
// INITIATIVE_TERMINAL, DUPLICATE_ID (dependency_id), INITIATIVE_NOT_FOUND,
// INITIATIVE_TERMINAL (field depends_on_initiative_id: target terminal),
// DUPLICATE_ID (field depends_on_initiative_id: an unresolved dependency on
// the same initiative exists),
// DEPENDENCY_CYCLE (the target reaches this initiative through
// ctx.dependencies).
absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::DeclareDependency& cmd,
                                        const Context& ctx);

// ResolveDependency -> [DependencyResolved].
// Rejects: MISSING_FIELD (dependency_id), REASON_REQUIRED (resolution),
// AGGREGATE_NOT_FOUND, INITIATIVE_TERMINAL, DEPENDENCY_NOT_FOUND,
// DEPENDENCY_ALREADY_RESOLVED.
absl::StatusOr<InitiativeEvents> Decide(const InitiativeState& state,
                                        const gavel::v1::ResolveDependency& cmd,
                                        const Context& ctx);

// WithdrawInitiative -> InitiativeDecision{[InitiativeWithdrawn] (withdrawn_by
// = ctx.actor), DemandReleased per reserved pool}.
// Rejects: REASON_REQUIRED, AGGREGATE_NOT_FOUND, INITIATIVE_TERMINAL,
// NOT_THE_SPONSOR (actor neither sponsor nor submitter).
absl::StatusOr<InitiativeDecision> Decide(
    const InitiativeState& state, const gavel::v1::WithdrawInitiative& cmd,
    const Context& ctx);

// CloseInitiative -> InitiativeDecision{[InitiativeClosed] (closed_by =
// ctx.actor), DemandReleased per reserved pool}.
// Needs: ctx.lifecycle_model.
// Rejects: MISSING_FIELD (handover_summary, bau_owner), AGGREGATE_NOT_FOUND,
// INITIATIVE_TERMINAL, INITIATIVE_ON_HOLD, LIFECYCLE_MODEL_NOT_FOUND,
// LIFECYCLE_INCOMPLETE, CONDITIONS_OPEN.
absl::StatusOr<InitiativeDecision> Decide(const InitiativeState& state,
                                          const gavel::v1::CloseInitiative& cmd,
                                          const Context& ctx);

// Status transitions: Submitted -> kProposed; GateDecided GO /
// CONDITIONAL_GO -> gate appended to passed_gates, kActive; HOLD ->
// kOnHold (held_gate_id, held_by_board_id); RECYCLE -> unchanged; KILL ->
// kKilled; HoldReleased -> kActive if any gate passed else kProposed;
// Withdrawn -> kWithdrawn; Closed -> kClosed. Kill / withdrawal / closure
// clear reserved_capacity.
InitiativeState Evolve(InitiativeState state,
                       const gavel::v1::InitiativeEvent& event);

// The view other initiatives' deciders read (Context::other_initiative).
InitiativeView ViewOf(const InitiativeState& state);

// Ids of the initiatives this one depends on through unresolved
// dependencies, each once, in declaration order (one entry of
// Context::dependencies).
std::vector<std::string> UnresolvedDependencies(const InitiativeState& state);

bool operator==(const InitiativeState& a, const InitiativeState& b);
inline bool operator!=(const InitiativeState& a, const InitiativeState& b) {
  return !(a == b);
}

}  // namespace gavel::domain

#endif  // GAVEL_DOMAIN_INITIATIVE_H_
