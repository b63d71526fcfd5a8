// `gavel decisions list|show` as text: one gate decision (outcome, rationale,
// tally, votes with proxies, recusals, conditions, budget) and what the
// board knew when it decided (the initiative at the reviewed position:
// stage, score, rank, cost and forecast, open risks, benefits). Pure
// formatting of a DecisionRecord.
#ifndef GAVEL_CLI_DECISION_VIEW_H_
#define GAVEL_CLI_DECISION_VIEW_H_

#include <string>

#include "gavel/v1/read_models.pb.h"

namespace gavel::cli {

std::string DecisionView(const gavel::v1::DecisionRecord& decision);

// `gavel decisions list`: one line per decision, in position order.
std::string DecisionsTable(
    const google::protobuf::RepeatedPtrField<gavel::v1::DecisionRecord>&
        decisions);

}  // namespace gavel::cli

#endif  // GAVEL_CLI_DECISION_VIEW_H_
