#include "domain/pmo_service.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "domain/basis_points.h"
#include "domain/proto_equality.h"
#include "domain/rejection.h"
#include "domain/validation.h"

namespace gavel::domain {
namespace {

bool IsLatencyMetric(gavel::v1::ServiceMetric metric) {
  return metric == gavel::v1::SERVICE_METRIC_INTAKE_LATENCY ||
         metric == gavel::v1::SERVICE_METRIC_GATE_DECISION_LATENCY;
}

// The threshold matches the metric: a positive max_latency for latency
// metrics; otherwise a min_value in the metric's unit (a share in bp, or a
// mean score of 1..5 times 100).
absl::Status ValidateThreshold(const gavel::v1::DefineServiceLevel& cmd) {
  using Cmd = gavel::v1::DefineServiceLevel;
  if (cmd.threshold_case() == Cmd::THRESHOLD_NOT_SET) {
    return Reject(kMissingField, "threshold",
                  "a service level needs max_latency or min_value");
  }
  if (IsLatencyMetric(cmd.metric())) {
    if (cmd.threshold_case() != Cmd::kMaxLatency) {
      return Reject(kValueOutOfRange, "min_value",
                    "a latency metric takes max_latency");
    }
    const google::protobuf::Duration& max = cmd.max_latency();
    if (max.seconds() < 0 || max.nanos() < 0 || max.nanos() >= 1000000000 ||
        (max.seconds() == 0 && max.nanos() == 0)) {
      return Reject(kValueOutOfRange, "max_latency",
                    "max_latency must be positive");
    }
    return absl::OkStatus();
  }
  if (cmd.threshold_case() != Cmd::kMinValue) {
    return Reject(kValueOutOfRange, "max_latency",
                  "only latency metrics take max_latency; use min_value");
  }
  if (cmd.metric() == gavel::v1::SERVICE_METRIC_STAKEHOLDER_SATISFACTION) {
    return RequireInRange(cmd.min_value(), 100, 500, "min_value");
  }
  return RequireInRange(cmd.min_value(), 0, kWholeBasisPoints, "min_value");
}

}  // namespace

absl::StatusOr<PmoServiceEvents> Decide(
    const PmoServiceState& state, const gavel::v1::DefineServiceLevel& cmd,
    const Context& ctx) {
  if (absl::Status s =
          FirstError({RequireField(cmd.pmo_id(), "pmo_id"),
                      RequireField(cmd.service_level_id(), "service_level_id"),
                      RequireField(cmd.name(), "name"),
                      RequireEnum(cmd.metric(),
                                  gavel::v1::ServiceMetric_IsValid, "metric"),
                      ValidateThreshold(cmd),
                      RequireInRange(cmd.percentile_bp(), 1, kWholeBasisPoints,
                                     "percentile_bp")});
      !s.ok()) {
    return s;
  }
  for (const gavel::v1::ServiceLevelDefined& level : state.service_levels) {
    if (level.service_level_id() == cmd.service_level_id()) {
      return Reject(kDuplicateId, "service_level_id",
                    absl::StrCat("service level ", cmd.service_level_id(),
                                 " exists; service levels are never "
                                 "redefined"));
    }
  }
  if (!cmd.scope().board_id().empty() && !ctx.board.has_value()) {
    return Reject(kBoardNotFound, "scope.board_id",
                  absl::StrCat("no board ", cmd.scope().board_id()));
  }
  gavel::v1::PmoServiceEvent event;
  gavel::v1::ServiceLevelDefined* defined =
      event.mutable_service_level_defined();
  defined->set_service_level_id(cmd.service_level_id());
  defined->set_name(cmd.name());
  defined->set_metric(cmd.metric());
  if (cmd.has_max_latency()) {
    *defined->mutable_max_latency() = cmd.max_latency();
  } else {
    defined->set_min_value(cmd.min_value());
  }
  defined->set_percentile_bp(cmd.percentile_bp());
  *defined->mutable_scope() = cmd.scope();
  return PmoServiceEvents{event};
}

absl::StatusOr<PmoServiceEvents> Decide(
    const PmoServiceState& state,
    const gavel::v1::RecordStakeholderFeedback& cmd, const Context& ctx) {
  if (absl::Status s = FirstError(
          {RequireField(cmd.pmo_id(), "pmo_id"),
           RequireField(cmd.respondent(), "respondent"),
           RequireEnum(cmd.respondent_role(), gavel::v1::RespondentRole_IsValid,
                       "respondent_role"),
           RequireField(cmd.cycle_id(), "cycle_id"),
           RequireInRange(cmd.score(), 1, 5, "score")});
      !s.ok()) {
    return s;
  }
  if (!ctx.cycle.has_value()) {
    return Reject(kCycleNotFound, "cycle_id",
                  absl::StrCat("no cycle ", cmd.cycle_id()));
  }
  if (cmd.respondent_role() == gavel::v1::RESPONDENT_ROLE_BOARD_MEMBER &&
      (!ctx.board.has_value() ||
       ctx.board->FindMember(cmd.respondent()) == nullptr)) {
    return Reject(kNotABoardMember, "respondent",
                  absl::StrCat(cmd.respondent(),
                               " is not a member of the board of cycle ",
                               cmd.cycle_id()));
  }
  const std::pair<std::string, std::string> key(cmd.cycle_id(),
                                                cmd.respondent());
  if (std::find(state.feedback_given.begin(), state.feedback_given.end(),
                key) != state.feedback_given.end()) {
    return Reject(
        kDuplicateId, "respondent",
        absl::StrCat(cmd.respondent(), " already gave feedback on cycle ",
                     cmd.cycle_id()));
  }
  gavel::v1::PmoServiceEvent event;
  gavel::v1::StakeholderFeedbackRecorded* recorded =
      event.mutable_stakeholder_feedback_recorded();
  recorded->set_respondent(cmd.respondent());
  recorded->set_respondent_role(cmd.respondent_role());
  recorded->set_cycle_id(cmd.cycle_id());
  recorded->set_score(cmd.score());
  recorded->set_comment(cmd.comment());
  return PmoServiceEvents{event};
}

PmoServiceState Evolve(PmoServiceState state,
                       const gavel::v1::PmoServiceEvent& event) {
  ++state.version;
  switch (event.event_case()) {
    case gavel::v1::PmoServiceEvent::kServiceLevelDefined:
      state.service_levels.push_back(event.service_level_defined());
      break;
    case gavel::v1::PmoServiceEvent::kStakeholderFeedbackRecorded: {
      const gavel::v1::StakeholderFeedbackRecorded& feedback =
          event.stakeholder_feedback_recorded();
      state.feedback_given.emplace_back(feedback.cycle_id(),
                                        feedback.respondent());
      ++state.feedback_count;
      break;
    }
    case gavel::v1::PmoServiceEvent::EVENT_NOT_SET:
      break;
  }
  return state;
}

bool operator==(const PmoServiceState& a, const PmoServiceState& b) {
  return a.version == b.version && a.pmo_id == b.pmo_id &&
         ProtoEquals(a.service_levels, b.service_levels) &&
         a.feedback_given == b.feedback_given &&
         a.feedback_count == b.feedback_count;
}

}  // namespace gavel::domain
