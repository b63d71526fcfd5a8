#include "domain/framework.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/ahp.h"
#include "domain/board.h"
#include "domain/decider.h"
#include "domain/proto_equality.h"
#include "domain/rejection.h"
#include "domain/scorecard.h"
#include "domain/validation.h"

namespace gavel::domain {
namespace {

bool IsStored(const FrameworkState& state, int32_t version) {
  return version >= 1 && version <= static_cast<int64_t>(state.versions.size());
}

// AGGREGATE_NOT_FOUND, then FRAMEWORK_VERSION_NOT_FOUND unless `version` is
// stored; the stored version (owned by `state`).
absl::StatusOr<const FrameworkVersion*> RequireVersion(
    const FrameworkState& state, int32_t version) {
  if (absl::Status s =
          RequireExisting(state, "framework_id", "no such framework");
      !s.ok()) {
    return s;
  }
  if (!IsStored(state, version)) {
    return Reject(kFrameworkVersionNotFound, "version",
                  absl::StrCat("framework ", state.framework_id,
                               " has no version ", version));
  }
  return &state.versions[version - 1];
}

FrameworkVersion* MutableVersion(FrameworkState& state, int32_t version) {
  return IsStored(state, version) ? &state.versions[version - 1] : nullptr;
}

bool SameVersion(const FrameworkVersion& a, const FrameworkVersion& b) {
  return a.status == b.status && ProtoEquals(a.draft, b.draft) &&
         ProtoEquals(a.approval, b.approval);
}

}  // namespace

absl::StatusOr<FrameworkEvents> Decide(const FrameworkState& state,
                                       const gavel::v1::DraftFramework& cmd,
                                       const Context& /*ctx*/) {
  const bool weighted =
      cmd.method() == gavel::v1::FRAMEWORK_METHOD_WEIGHTED_CRITERIA;
  // The shared validators take contiguous spans.
  const std::vector<gavel::v1::Criterion> criteria(cmd.criteria().begin(),
                                                   cmd.criteria().end());
  if (absl::Status s =
          FirstError({RequireField(cmd.framework_id(), "framework_id"),
                      RequireField(cmd.name(), "name"),
                      RequireEnum(cmd.method(),
                                  gavel::v1::FrameworkMethod_IsValid, "method"),
                      ValidateCriteria(criteria, weighted)});
      !s.ok()) {
    return s;
  }

  gavel::v1::FrameworkEvent event;
  gavel::v1::FrameworkDrafted* drafted = event.mutable_drafted();
  *drafted->mutable_criteria() = cmd.criteria();
  if (weighted) {
    if (!cmd.judgements().empty()) {
      return Reject(kValueOutOfRange, "judgements",
                    "pairwise judgements belong to AHP frameworks only");
    }
  } else {
    const std::vector<gavel::v1::AhpJudgement> judgements(
        cmd.judgements().begin(), cmd.judgements().end());
    absl::StatusOr<AhpWeights> ahp = AhpFromJudgements(criteria, judgements);
    if (!ahp.ok()) return ahp.status();
    for (int i = 0; i < drafted->criteria_size(); ++i) {
      drafted->mutable_criteria(i)->set_weight_bp(ahp->weights_bp[i]);
    }
    *drafted->mutable_judgements() = cmd.judgements();
    drafted->set_consistency_ratio_bp(ahp->consistency_ratio_bp);
  }
  drafted->set_framework_id(cmd.framework_id());
  drafted->set_version(static_cast<int32_t>(state.versions.size()) + 1);
  drafted->set_name(cmd.name());
  drafted->set_description(cmd.description());
  drafted->set_method(cmd.method());
  return FrameworkEvents{event};
}

absl::StatusOr<FrameworkEvents> Decide(const FrameworkState& state,
                                       const gavel::v1::ApproveFramework& cmd,
                                       const Context& ctx) {
  if (absl::Status s = FirstError(
          {RequireField(cmd.decision().board_id(), "decision.board_id"),
           RejectIf(cmd.version() < 1, kValueOutOfRange, "version",
                    "versions start at 1")});
      !s.ok()) {
    return s;
  }
  absl::StatusOr<const FrameworkVersion*> version =
      RequireVersion(state, cmd.version());
  if (!version.ok()) return version.status();
  if (absl::Status s = RequireChairOrActiveDelegate(
          ctx, cmd.decision().board_id(), "decision.board_id");
      !s.ok()) {
    return s;
  }
  if (!ctx.board->mandate.approves_frameworks()) {
    return Reject(kBoardNotMandated, "decision.board_id",
                  absl::StrCat("board ", ctx.board->board_id,
                               " may not approve frameworks"));
  }
  switch ((*version)->status) {
    case FrameworkVersionStatus::kDraft:
      break;
    case FrameworkVersionStatus::kActive:
    case FrameworkVersionStatus::kSuperseded:
      return Reject(kApprovedVersionImmutable, "version",
                    absl::StrCat("version ", cmd.version(),
                                 " was already approved; draft a new one"));
    case FrameworkVersionStatus::kRetired:
      return Reject(kFrameworkRetired, "version",
                    absl::StrCat("version ", cmd.version(), " is retired"));
  }
  const gavel::v1::FrameworkDrafted& draft = (*version)->draft;
  if (draft.method() == gavel::v1::FRAMEWORK_METHOD_AHP &&
      draft.consistency_ratio_bp() >= kMaxConsistencyRatioBp) {
    return Reject(
        kAhpInconsistent, "version",
        absl::StrCat("consistency ratio ", draft.consistency_ratio_bp(),
                     " bp is not below ", kMaxConsistencyRatioBp,
                     " bp (0.10); revise the judgements"));
  }
  gavel::v1::FrameworkEvent event;
  gavel::v1::FrameworkApproved* approved = event.mutable_approved();
  approved->set_version(cmd.version());
  *approved->mutable_decision() = cmd.decision();
  approved->set_approved_by(ctx.actor);
  approved->set_superseded_version(state.active_version);
  return FrameworkEvents{event};
}

absl::StatusOr<FrameworkEvents> Decide(const FrameworkState& state,
                                       const gavel::v1::RetireFramework& cmd,
                                       const Context& /*ctx*/) {
  if (absl::Status s = RequireReason(cmd.reason(), "reason"); !s.ok()) {
    return s;
  }
  absl::StatusOr<const FrameworkVersion*> version =
      RequireVersion(state, cmd.version());
  if (!version.ok()) return version.status();
  if ((*version)->status == FrameworkVersionStatus::kRetired) {
    return Reject(kFrameworkRetired, "version",
                  absl::StrCat("version ", cmd.version(), " is retired"));
  }
  gavel::v1::FrameworkEvent event;
  gavel::v1::FrameworkRetired* retired = event.mutable_retired();
  retired->set_version(cmd.version());
  retired->set_reason(cmd.reason());
  return FrameworkEvents{event};
}

FrameworkState Evolve(FrameworkState state,
                      const gavel::v1::FrameworkEvent& event) {
  ++state.version;
  switch (event.event_case()) {
    case gavel::v1::FrameworkEvent::kDrafted:
      state.framework_id = event.drafted().framework_id();
      state.versions.push_back({event.drafted(), FrameworkVersionStatus::kDraft,
                                gavel::v1::FrameworkApproved()});
      break;
    case gavel::v1::FrameworkEvent::kApproved: {
      const gavel::v1::FrameworkApproved& approved = event.approved();
      if (FrameworkVersion* previous =
              MutableVersion(state, approved.superseded_version())) {
        previous->status = FrameworkVersionStatus::kSuperseded;
      }
      if (FrameworkVersion* version =
              MutableVersion(state, approved.version())) {
        version->status = FrameworkVersionStatus::kActive;
        version->approval = approved;
        state.active_version = approved.version();
      }
      break;
    }
    case gavel::v1::FrameworkEvent::kRetired:
      if (FrameworkVersion* version =
              MutableVersion(state, event.retired().version())) {
        version->status = FrameworkVersionStatus::kRetired;
        if (state.active_version == event.retired().version()) {
          state.active_version = 0;
        }
      }
      break;
    case gavel::v1::FrameworkEvent::EVENT_NOT_SET:
      break;
  }
  return state;
}

FrameworkView ViewOf(const FrameworkState& state) {
  FrameworkView view;
  view.framework_id = state.framework_id;
  view.active_version = state.active_version;
  view.retired =
      !state.versions.empty() &&
      std::none_of(state.versions.begin(), state.versions.end(),
                   [](const FrameworkVersion& v) {
                     return v.status == FrameworkVersionStatus::kDraft ||
                            v.status == FrameworkVersionStatus::kActive;
                   });
  if (state.active_version > 0) {
    const gavel::v1::FrameworkDrafted& active =
        state.versions[state.active_version - 1].draft;
    view.method = active.method();
    view.criteria.assign(active.criteria().begin(), active.criteria().end());
  }
  return view;
}

bool operator==(const FrameworkState& a, const FrameworkState& b) {
  return a.version == b.version && a.framework_id == b.framework_id &&
         a.active_version == b.active_version &&
         std::equal(a.versions.begin(), a.versions.end(), b.versions.begin(),
                    b.versions.end(), SameVersion);
}

}  // namespace gavel::domain
