// PrioritizationFramework: how initiatives are scored, versioned. Stream:
// one per framework_id; each DraftFramework adds version N+1. Decide/Evolve
// contracts follow domain/decider.h; this header adds the rules:
//  - a draft is weighted criteria (weights given, integer bp summing to
//    exactly 10000) or AHP (every pair of criteria judged once on Saaty's
//    1..9 scale; weights derived as the principal eigenvector and stored in
//    bp summing to 10000, with the consistency ratio; domain/ahp.h);
//  - criteria have an id, a scale (min < max), a polarity, an optional
//    must-meet threshold (domain/scorecard.h validates them);
//  - a version is approved by a board decision, by the chair of a board
//    whose mandate approves frameworks (or the chair's active delegate); an
//    AHP version only with consistency_ratio_bp < 1000 (CR < 0.10);
//  - approving a version supersedes the active one; approved versions never
//    change (only drafts can be approved; nothing edits a version);
//  - a retired version stays retired; retiring the active version leaves the
//    framework with none active (scoring then fails FRAMEWORK_NOT_APPROVED).
#ifndef GAVEL_DOMAIN_FRAMEWORK_H_
#define GAVEL_DOMAIN_FRAMEWORK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/context.h"
#include "gavel/v1/commands.pb.h"
#include "gavel/v1/events.pb.h"

namespace gavel::domain {

// Events of one framework stream, in append order.
using FrameworkEvents = std::vector<gavel::v1::FrameworkEvent>;

enum class FrameworkVersionStatus {
  kDraft,
  kActive,      // The approved version in force.
  kSuperseded,  // Approved, then replaced by a later approval.
  kRetired,
};

struct FrameworkVersion {
  // As drafted: criteria carry the final weights (AHP weights derived).
  gavel::v1::FrameworkDrafted draft;
  FrameworkVersionStatus status = FrameworkVersionStatus::kDraft;
  gavel::v1::FrameworkApproved approval;  // Set once approved.
};

struct FrameworkState {
  uint64_t version = 0;  // Events applied (not the framework version).
  std::string framework_id;
  std::vector<FrameworkVersion> versions;  // versions[i] is version i + 1.
  int32_t active_version = 0;              // 0: none active.
};

// DraftFramework -> [FrameworkDrafted] with version = versions.size() + 1
// (creates the framework when the state is empty; never ALREADY_EXISTS).
// Rejects: MISSING_FIELD (framework_id, name), INVALID_ENUM (method),
// ValidateCriteria reasons (weights_given = method is WEIGHTED_CRITERIA:
// MISSING_FIELD, DUPLICATE_ENTRY, INVALID_SCALE, INVALID_ENUM,
// VALUE_OUT_OF_RANGE, WEIGHTS_DO_NOT_SUM), VALUE_OUT_OF_RANGE (judgements
// given for a weighted framework), AhpFromJudgements reasons for AHP
// (CRITERION_NOT_FOUND, DUPLICATE_ENTRY, VALUE_OUT_OF_RANGE,
// AHP_JUDGEMENTS_INCOMPLETE). An inconsistent AHP draft is accepted and
// records its CR; approval refuses it.
absl::StatusOr<FrameworkEvents> Decide(const FrameworkState& state,
                                       const gavel::v1::DraftFramework& cmd,
                                       const Context& ctx);

// ApproveFramework -> [FrameworkApproved] (superseded_version = the active
// version or 0; approved_by = ctx.actor).
// Needs: ctx.board = the board of decision.board_id.
// Rejects: MISSING_FIELD (decision.board_id), VALUE_OUT_OF_RANGE (version <
// 1), AGGREGATE_NOT_FOUND, FRAMEWORK_VERSION_NOT_FOUND, BOARD_NOT_FOUND,
// NOT_THE_CHAIR (actor neither the chair nor the chair's active delegate),
// BOARD_NOT_MANDATED (mandate.approves_frameworks false),
// APPROVED_VERSION_IMMUTABLE (version already approved or superseded),
// FRAMEWORK_RETIRED (version retired), AHP_INCONSISTENT
// (consistency_ratio_bp >= kMaxConsistencyRatioBp).
absl::StatusOr<FrameworkEvents> Decide(const FrameworkState& state,
                                       const gavel::v1::ApproveFramework& cmd,
                                       const Context& ctx);

// RetireFramework -> [FrameworkRetired].
// Rejects: REASON_REQUIRED, AGGREGATE_NOT_FOUND, FRAMEWORK_VERSION_NOT_FOUND,
// FRAMEWORK_RETIRED (already retired).
absl::StatusOr<FrameworkEvents> Decide(const FrameworkState& state,
                                       const gavel::v1::RetireFramework& cmd,
                                       const Context& ctx);

FrameworkState Evolve(FrameworkState state,
                      const gavel::v1::FrameworkEvent& event);

// The view scoring reads (Context::framework): the active version's
// criteria, or active_version 0; retired = no version is draft or active.
FrameworkView ViewOf(const FrameworkState& state);

bool operator==(const FrameworkState& a, const FrameworkState& b);
inline bool operator!=(const FrameworkState& a, const FrameworkState& b) {
  return !(a == b);
}

}  // namespace gavel::domain

#endif  // GAVEL_DOMAIN_FRAMEWORK_H_
