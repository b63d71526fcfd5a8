// The catalogue of rejection reasons: every stable, machine-readable reason a
// decider may return, with the one canonical status code it always carries.
// Clients rely on these names (docs/rejection-reasons.md describes each);
// never rename or re-code one, only add.
//
// Codes:
//   INVALID_ARGUMENT     the command is malformed whatever the state
//   FAILED_PRECONDITION  the command is well formed but breaks a rule
//   NOT_FOUND            something the command names does not exist
//   ALREADY_EXISTS       an id the command would create is taken
//   PERMISSION_DENIED    the acting principal may not do this
//   ABORTED              expected version conflict (command processor)
#ifndef GAVEL_DOMAIN_REASONS_H_
#define GAVEL_DOMAIN_REASONS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace gavel::domain {

// A rejection reason: its stable name and its canonical code.
struct Reason {
  absl::string_view name;
  absl::StatusCode code;
};

// X(constant, "NAME", code). The single list; kAllReasons is derived from it.
#define GAVEL_DOMAIN_REASONS(X)                                               \
  /* Malformed input. */                                                      \
  X(kMissingField, "MISSING_FIELD", kInvalidArgument)                         \
  X(kInvalidEnum, "INVALID_ENUM", kInvalidArgument)                           \
  X(kInvalidMoney, "INVALID_MONEY", kInvalidArgument)                         \
  X(kInvalidDate, "INVALID_DATE", kInvalidArgument)                           \
  X(kInvalidTimeRange, "INVALID_TIME_RANGE", kInvalidArgument)                \
  X(kValueOutOfRange, "VALUE_OUT_OF_RANGE", kInvalidArgument)                 \
  X(kDuplicateEntry, "DUPLICATE_ENTRY", kInvalidArgument)                     \
  X(kReasonRequired, "REASON_REQUIRED", kInvalidArgument)                     \
  X(kReservedId, "RESERVED_ID", kInvalidArgument)                             \
  X(kInvalidScale, "INVALID_SCALE", kInvalidArgument)                         \
  X(kWeightsDoNotSum, "WEIGHTS_DO_NOT_SUM", kInvalidArgument)                 \
  X(kAhpJudgementsIncomplete, "AHP_JUDGEMENTS_INCOMPLETE", kInvalidArgument)  \
  X(kInvalidQuorum, "INVALID_QUORUM", kInvalidArgument)                       \
  X(kConditionsRequired, "CONDITIONS_REQUIRED", kInvalidArgument)             \
  X(kConditionsNotAllowed, "CONDITIONS_NOT_ALLOWED", kInvalidArgument)        \
  X(kSelfReference, "SELF_REFERENCE", kInvalidArgument)                       \
  X(kReviewedPositionInFuture, "REVIEWED_POSITION_IN_FUTURE",                 \
    kInvalidArgument)                                                         \
  /* Something named does not exist. */                                       \
  X(kAggregateNotFound, "AGGREGATE_NOT_FOUND", kNotFound)                     \
  X(kObjectiveNotFound, "OBJECTIVE_NOT_FOUND", kNotFound)                     \
  X(kMeasureNotFound, "MEASURE_NOT_FOUND", kNotFound)                         \
  X(kFrameworkNotFound, "FRAMEWORK_NOT_FOUND", kNotFound)                     \
  X(kFrameworkVersionNotFound, "FRAMEWORK_VERSION_NOT_FOUND", kNotFound)      \
  X(kCriterionNotFound, "CRITERION_NOT_FOUND", kNotFound)                     \
  X(kLifecycleModelNotFound, "LIFECYCLE_MODEL_NOT_FOUND", kNotFound)          \
  X(kGateNotFound, "GATE_NOT_FOUND", kNotFound)                               \
  X(kBoardNotFound, "BOARD_NOT_FOUND", kNotFound)                             \
  X(kMemberNotFound, "MEMBER_NOT_FOUND", kNotFound)                           \
  X(kDelegationNotFound, "DELEGATION_NOT_FOUND", kNotFound)                   \
  X(kCycleNotFound, "CYCLE_NOT_FOUND", kNotFound)                             \
  X(kAgendaItemNotFound, "AGENDA_ITEM_NOT_FOUND", kNotFound)                  \
  X(kCapacityPoolNotFound, "CAPACITY_POOL_NOT_FOUND", kNotFound)              \
  X(kInitiativeNotFound, "INITIATIVE_NOT_FOUND", kNotFound)                   \
  X(kObjectiveNotLinked, "OBJECTIVE_NOT_LINKED", kNotFound)                   \
  X(kBenefitNotRegistered, "BENEFIT_NOT_REGISTERED", kNotFound)               \
  X(kMilestoneNotFound, "MILESTONE_NOT_FOUND", kNotFound)                     \
  X(kConditionNotFound, "CONDITION_NOT_FOUND", kNotFound)                     \
  X(kRiskNotFound, "RISK_NOT_FOUND", kNotFound)                               \
  X(kDependencyNotFound, "DEPENDENCY_NOT_FOUND", kNotFound)                   \
  X(kServiceLevelNotFound, "SERVICE_LEVEL_NOT_FOUND", kNotFound)              \
  /* An id is taken. */                                                       \
  X(kAggregateAlreadyExists, "AGGREGATE_ALREADY_EXISTS", kAlreadyExists)      \
  X(kDuplicateId, "DUPLICATE_ID", kAlreadyExists)                             \
  X(kAlreadyAMember, "ALREADY_A_MEMBER", kAlreadyExists)                      \
  X(kObjectiveAlreadyLinked, "OBJECTIVE_ALREADY_LINKED", kAlreadyExists)      \
  X(kAlreadyVoted, "ALREADY_VOTED", kAlreadyExists)                           \
  X(kAlreadyRecused, "ALREADY_RECUSED", kAlreadyExists)                       \
  /* The actor may not do this. */                                            \
  X(kNotABoardMember, "NOT_A_BOARD_MEMBER", kPermissionDenied)                \
  X(kNotAVotingMember, "NOT_A_VOTING_MEMBER", kPermissionDenied)              \
  X(kNotTheChair, "NOT_THE_CHAIR", kPermissionDenied)                         \
  X(kDelegationNotActive, "DELEGATION_NOT_ACTIVE", kPermissionDenied)         \
  X(kNotAnAssignedScorer, "NOT_AN_ASSIGNED_SCORER", kPermissionDenied)        \
  X(kNotTheSponsor, "NOT_THE_SPONSOR", kPermissionDenied)                     \
  X(kRoleRequired, "ROLE_REQUIRED", kPermissionDenied)                        \
  /* Authentication (services/authenticator.h). */                            \
  X(kNoCredentials, "NO_CREDENTIALS", kUnauthenticated)                       \
  X(kMalformedAuthorization, "MALFORMED_AUTHORIZATION", kUnauthenticated)     \
  X(kUnknownToken, "UNKNOWN_TOKEN", kUnauthenticated)                         \
  X(kUnknownCertificate, "UNKNOWN_CERTIFICATE", kUnauthenticated)             \
  X(kCredentialExpired, "CREDENTIAL_EXPIRED", kUnauthenticated)               \
  /* Version conflict (command processor). */                                 \
  X(kVersionConflict, "VERSION_CONFLICT", kAborted)                           \
  /* Objective and framework rules. */                                        \
  X(kObjectiveRetired, "OBJECTIVE_RETIRED", kFailedPrecondition)              \
  X(kTargetContradictsDirection, "TARGET_CONTRADICTS_DIRECTION",              \
    kFailedPrecondition)                                                      \
  X(kFrameworkNotApproved, "FRAMEWORK_NOT_APPROVED", kFailedPrecondition)     \
  X(kFrameworkRetired, "FRAMEWORK_RETIRED", kFailedPrecondition)              \
  X(kApprovedVersionImmutable, "APPROVED_VERSION_IMMUTABLE",                  \
    kFailedPrecondition)                                                      \
  X(kAhpInconsistent, "AHP_INCONSISTENT", kFailedPrecondition)                \
  X(kLifecycleModelRetired, "LIFECYCLE_MODEL_RETIRED", kFailedPrecondition)   \
  /* Board rules. */                                                          \
  X(kChairAlreadyAppointed, "CHAIR_ALREADY_APPOINTED", kFailedPrecondition)   \
  X(kNoChair, "NO_CHAIR", kFailedPrecondition)                                \
  X(kQuorumUnreachable, "QUORUM_UNREACHABLE", kFailedPrecondition)            \
  X(kDelegationCircular, "DELEGATION_CIRCULAR", kFailedPrecondition)          \
  X(kDelegationOverlaps, "DELEGATION_OVERLAPS", kFailedPrecondition)          \
  X(kBoardNotMandated, "BOARD_NOT_MANDATED", kFailedPrecondition)             \
  X(kBudgetCeilingExceeded, "BUDGET_CEILING_EXCEEDED", kFailedPrecondition)   \
  /* Governance cycle rules. */                                               \
  X(kCycleClosed, "CYCLE_CLOSED", kFailedPrecondition)                        \
  X(kCycleBoardMismatch, "CYCLE_BOARD_MISMATCH", kFailedPrecondition)         \
  X(kAgendaItemAlreadyDeferred, "AGENDA_ITEM_ALREADY_DEFERRED",               \
    kFailedPrecondition)                                                      \
  /* Capacity rules. */                                                       \
  X(kCapacityExceeded, "CAPACITY_EXCEEDED", kFailedPrecondition)              \
  X(kSupplyBelowReserved, "SUPPLY_BELOW_RESERVED", kFailedPrecondition)       \
  X(kInvalidPeriod, "INVALID_PERIOD", kFailedPrecondition)                    \
  /* Initiative rules. */                                                     \
  X(kInitiativeTerminal, "INITIATIVE_TERMINAL", kFailedPrecondition)          \
  X(kInitiativeOnHold, "INITIATIVE_ON_HOLD", kFailedPrecondition)             \
  X(kNotOnHold, "NOT_ON_HOLD", kFailedPrecondition)                           \
  X(kGateOutOfOrder, "GATE_OUT_OF_ORDER", kFailedPrecondition)                \
  X(kMustMeetCheckFailed, "MUST_MEET_CHECK_FAILED", kFailedPrecondition)      \
  X(kConditionsOpen, "CONDITIONS_OPEN", kFailedPrecondition)                  \
  X(kReviewAlreadyOpen, "REVIEW_ALREADY_OPEN", kFailedPrecondition)           \
  X(kNoOpenReview, "NO_OPEN_REVIEW", kFailedPrecondition)                     \
  X(kMemberRecused, "MEMBER_RECUSED", kFailedPrecondition)                    \
  X(kQuorumNotMet, "QUORUM_NOT_MET", kFailedPrecondition)                     \
  X(kDecisionRuleNotMet, "DECISION_RULE_NOT_MET", kFailedPrecondition)        \
  X(kScorecardNotLocked, "SCORECARD_NOT_LOCKED", kFailedPrecondition)         \
  X(kScorecardLocked, "SCORECARD_LOCKED", kFailedPrecondition)                \
  X(kScorecardIncomplete, "SCORECARD_INCOMPLETE", kFailedPrecondition)        \
  X(kNoScorersAssigned, "NO_SCORERS_ASSIGNED", kFailedPrecondition)           \
  X(kScoreOutOfScale, "SCORE_OUT_OF_SCALE", kFailedPrecondition)              \
  X(kSponsorCannotScore, "SPONSOR_CANNOT_SCORE", kFailedPrecondition)         \
  X(kFrameworkVersionChanged, "FRAMEWORK_VERSION_CHANGED",                    \
    kFailedPrecondition)                                                      \
  X(kBenefitNotBaselined, "BENEFIT_NOT_BASELINED", kFailedPrecondition)       \
  X(kBaselineFrozen, "BASELINE_FROZEN", kFailedPrecondition)                  \
  X(kDependencyCycle, "DEPENDENCY_CYCLE", kFailedPrecondition)                \
  X(kPrimaryObjectiveExists, "PRIMARY_OBJECTIVE_EXISTS", kFailedPrecondition) \
  X(kContributionExceedsTotal, "CONTRIBUTION_EXCEEDS_TOTAL",                  \
    kFailedPrecondition)                                                      \
  X(kConditionAlreadySatisfied, "CONDITION_ALREADY_SATISFIED",                \
    kFailedPrecondition)                                                      \
  X(kMilestoneAlreadyAchieved, "MILESTONE_ALREADY_ACHIEVED",                  \
    kFailedPrecondition)                                                      \
  X(kRiskAlreadyClosed, "RISK_ALREADY_CLOSED", kFailedPrecondition)           \
  X(kDependencyAlreadyResolved, "DEPENDENCY_ALREADY_RESOLVED",                \
    kFailedPrecondition)                                                      \
  X(kCurrencyMismatch, "CURRENCY_MISMATCH", kFailedPrecondition)              \
  X(kLifecycleIncomplete, "LIFECYCLE_INCOMPLETE", kFailedPrecondition)        \
  /* Portfolio plan rules. */                                                 \
  X(kPlanResultInvalid, "PLAN_RESULT_INVALID", kInvalidArgument)              \
  X(kNotACandidate, "NOT_A_CANDIDATE", kFailedPrecondition)                   \
  X(kNoCandidates, "NO_CANDIDATES", kFailedPrecondition)                      \
  X(kPlanInfeasible, "PLAN_INFEASIBLE", kFailedPrecondition)                  \
  X(kPlanNotOptimized, "PLAN_NOT_OPTIMIZED", kFailedPrecondition)             \
  X(kPlanNotPublished, "PLAN_NOT_PUBLISHED", kFailedPrecondition)             \
  X(kPlanExceedsConstraints, "PLAN_EXCEEDS_CONSTRAINTS", kFailedPrecondition) \
  /* Requests and reads (services/, projections/). */                         \
  X(kMalformedRequest, "MALFORMED_REQUEST", kInvalidArgument)                 \
  X(kInvalidPageToken, "INVALID_PAGE_TOKEN", kInvalidArgument)                \
  X(kAsOfBeyondHead, "AS_OF_BEYOND_HEAD", kInvalidArgument)                   \
  X(kAsOfInFuture, "AS_OF_IN_FUTURE", kInvalidArgument)                       \
  X(kTooManyFilterValues, "TOO_MANY_FILTER_VALUES", kInvalidArgument)         \
  X(kEmptyFilterValue, "EMPTY_FILTER_VALUE", kInvalidArgument)                \
  X(kFilterValueTooLong, "FILTER_VALUE_TOO_LONG", kInvalidArgument)           \
  X(kDecisionNotFound, "DECISION_NOT_FOUND", kNotFound)                       \
  X(kProjectionNotFound, "PROJECTION_NOT_FOUND", kNotFound)                   \
  X(kProjectionBehind, "PROJECTION_BEHIND", kDeadlineExceeded)                \
  /* Backups (services/backups.h). */                                         \
  X(kBackupNameInvalid, "BACKUP_NAME_INVALID", kInvalidArgument)              \
  X(kBackupExists, "BACKUP_EXISTS", kAlreadyExists)                           \
  X(kBackupInProgress, "BACKUP_IN_PROGRESS", kFailedPrecondition)             \
  X(kBackupFailed, "BACKUP_FAILED", kUnavailable)                             \
  /* The reason of an error that is no rejection, by its code              */ \
  /* (services/grpc_status.h).                                             */ \
  X(kStorageUnavailable, "STORAGE_UNAVAILABLE", kUnavailable)                 \
  X(kCodeDataLoss, "DATA_LOSS", kDataLoss)                                    \
  X(kCodeInternal, "INTERNAL", kInternal)                                     \
  X(kCodeUnauthenticated, "UNAUTHENTICATED", kUnauthenticated)                \
  X(kCodeDeadlineExceeded, "DEADLINE_EXCEEDED", kDeadlineExceeded)            \
  X(kCodeResourceExhausted, "RESOURCE_EXHAUSTED", kResourceExhausted)         \
  X(kCodeInvalidArgument, "INVALID_ARGUMENT", kInvalidArgument)               \
  X(kCodeNotFound, "NOT_FOUND", kNotFound)                                    \
  X(kCodeAlreadyExists, "ALREADY_EXISTS", kAlreadyExists)                     \
  X(kCodeAborted, "ABORTED", kAborted)                                        \
  X(kCodeCancelled, "CANCELLED", kCancelled)                                  \
  X(kCodeUnknown, "UNKNOWN", kUnknown)                                        \
  X(kCodeFailedPrecondition, "FAILED_PRECONDITION", kFailedPrecondition)      \
  X(kCodePermissionDenied, "PERMISSION_DENIED", kPermissionDenied)            \
  X(kCodeOutOfRange, "OUT_OF_RANGE", kOutOfRange)                             \
  X(kCodeUnimplemented, "UNIMPLEMENTED", kUnimplemented)

#define GAVEL_DOMAIN_DEFINE_REASON(constant, name, code) \
  inline constexpr Reason constant{name, absl::StatusCode::code};
GAVEL_DOMAIN_REASONS(GAVEL_DOMAIN_DEFINE_REASON)
#undef GAVEL_DOMAIN_DEFINE_REASON

#define GAVEL_DOMAIN_LIST_REASON(constant, name, code) constant,
// Every reason above, in catalogue order.
inline constexpr Reason kAllReasons[] = {
    GAVEL_DOMAIN_REASONS(GAVEL_DOMAIN_LIST_REASON)};
#undef GAVEL_DOMAIN_LIST_REASON

}  // namespace gavel::domain

#endif  // GAVEL_DOMAIN_REASONS_H_
