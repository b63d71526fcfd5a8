// PmoService: the PMO measured as a service: its service levels and the
// feedback of its stakeholders. Stream: one per pmo_id ("pmo" in a
// single-PMO deployment). There is no creation event: the first accepted
// command creates the aggregate, so no command here is AGGREGATE_NOT_FOUND.
// Decide/Evolve contracts follow domain/decider.h; rules:
//  - a service level has a unique id, a metric, a threshold of the metric's
//    kind (max_latency for the two latency metrics, min_value otherwise), a
//    percentile in 1..10000 bp and a scope (board and/or gate, or all);
//    a scoped board must exist; service levels are never redefined;
//  - feedback comes from a sponsor or a board member about one governance
//    cycle, scores 1..5, at most once per respondent and cycle; a board
//    member respondent must be a current member of the cycle's board.
// Metric computation lives in projections/ (DESIGN.md §6).
#ifndef GAVEL_DOMAIN_PMO_SERVICE_H_
#define GAVEL_DOMAIN_PMO_SERVICE_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/context.h"
#include "gavel/v1/commands.pb.h"
#include "gavel/v1/events.pb.h"

namespace gavel::domain {

// Events of one PMO service stream, in append order.
using PmoServiceEvents = std::vector<gavel::v1::PmoServiceEvent>;

struct PmoServiceState {
  uint64_t version = 0;
  std::string pmo_id;  // Set by the caller; events do not carry it.
  std::vector<gavel::v1::ServiceLevelDefined> service_levels;
  // (cycle_id, respondent) pairs with recorded feedback, in order.
  std::vector<std::pair<std::string, std::string>> feedback_given;
  int64_t feedback_count = 0;
};

// DefineServiceLevel -> [ServiceLevelDefined].
// Needs: ctx.board when scope.board_id is set.
// Rejects: MISSING_FIELD (pmo_id, service_level_id, name, threshold),
// INVALID_ENUM (metric), VALUE_OUT_OF_RANGE (threshold of the wrong kind,
// max_latency <= 0, min_value outside 0..10000 bp for CONDITIONS_CLOSED_ON_
// TIME or 100..500 for STAKEHOLDER_SATISFACTION, percentile_bp outside
// 1..10000), DUPLICATE_ID
// (service_level_id), BOARD_NOT_FOUND (scope.board_id).
absl::StatusOr<PmoServiceEvents> Decide(
    const PmoServiceState& state, const gavel::v1::DefineServiceLevel& cmd,
    const Context& ctx);

// RecordStakeholderFeedback -> [StakeholderFeedbackRecorded].
// Needs: ctx.cycle = the cycle of cycle_id; ctx.board = that cycle's board
// (for board-member respondents).
// Rejects: MISSING_FIELD (pmo_id, respondent, cycle_id), INVALID_ENUM
// (respondent_role), VALUE_OUT_OF_RANGE (score outside 1..5),
// CYCLE_NOT_FOUND, NOT_A_BOARD_MEMBER (field respondent), DUPLICATE_ID
// (feedback by this respondent for this cycle exists).
absl::StatusOr<PmoServiceEvents> Decide(
    const PmoServiceState& state,
    const gavel::v1::RecordStakeholderFeedback& cmd, const Context& ctx);

// Evolve cannot learn pmo_id from the events (they do not carry it): the
// caller sets state.pmo_id when loading the stream.
PmoServiceState Evolve(PmoServiceState state,
                       const gavel::v1::PmoServiceEvent& event);

bool operator==(const PmoServiceState& a, const PmoServiceState& b);
inline bool operator!=(const PmoServiceState& a, const PmoServiceState& b) {
  return !(a == b);
}

}  // namespace gavel::domain

#endif  // GAVEL_DOMAIN_PMO_SERVICE_H_
