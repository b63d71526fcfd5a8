// Rebuilds the gate decision history from raw event records, for auditors
// working from verified records (an export bundle, or entries proven against
// a signed checkpoint) rather than from the server's projections. Links only
// the generated protos.
#ifndef GAVEL_CLI_DECISION_REPLAY_H_
#define GAVEL_CLI_DECISION_REPLAY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "gavel/v1/event_record.pb.h"
#include "gavel/v1/events.pb.h"
#include "gavel/v1/read_models.pb.h"

namespace gavel::cli {

// One gate decision with what led to it.
struct ReplayedDecision {
  // "<initiative id>/<review number>": unique in a log.
  std::string decision_id;
  std::string initiative_id;
  uint64_t position = 0;  // Of the GateDecided record.
  std::string actor;      // Who recorded it (the authenticated caller).
  gavel::v1::GateReviewRequested review;
  std::vector<gavel::v1::MemberRecused> recusals;
  std::vector<gavel::v1::GateVoteCast> votes;
  gavel::v1::GateDecided decided;
};

// Folds records, in log order, into the decisions they record.
class DecisionReplay {
 public:
  // Takes one record; records of other streams or event types are ignored,
  // as are payloads that do not parse (the caller verified the bytes).
  void Add(const gavel::v1::EventRecord& record);

  // Decisions in the order they were recorded.
  const std::vector<ReplayedDecision>& decisions() const { return decisions_; }

 private:
  struct OpenReview {
    gavel::v1::GateReviewRequested review;
    std::vector<gavel::v1::MemberRecused> recusals;
    std::vector<gavel::v1::GateVoteCast> votes;
  };

  // Keyed by decision id.
  absl::flat_hash_map<std::string, OpenReview> open_;
  std::vector<ReplayedDecision> decisions_;
  gavel::v1::InitiativeEvent event_;
};

// OK when the decisions a server serves (`served`, e.g. ListDecisions) are
// the ones the log records (`replayed`, from verified records), up to log
// position `up_to`: the same decisions, each with the same gate, board,
// outcome, rationale, decider and votes. FAILED_PRECONDITION naming the
// first difference: a server whose read models say what its log does not
// (an edited projection store) is caught here.
absl::Status CheckServedDecisions(
    const std::vector<ReplayedDecision>& replayed,
    const std::vector<gavel::v1::DecisionRecord>& served, uint64_t up_to);

// The decision id of an initiative's review.
std::string DecisionId(absl::string_view initiative_id, int32_t review_number);

// A human-readable block describing `decision` (several lines, ending in a
// newline).
std::string FormatDecision(const ReplayedDecision& decision);

// `decision` as one line of JSON (no trailing newline).
std::string DecisionJson(const ReplayedDecision& decision);

}  // namespace gavel::cli

#endif  // GAVEL_CLI_DECISION_REPLAY_H_
