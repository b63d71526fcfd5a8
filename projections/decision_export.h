// Decision history exports for auditors: JSON lines (one DecisionRecord per
// line, protobuf JSON mapping with the proto field names) and CSV (RFC
// 4180: comma-separated, fields with a comma, quote or line break quoted,
// quotes doubled; lines end with "\r\n").
//
// CSV columns, in order:
//   decision_id, initiative_id, review_number, gate_id, board_id, cycle_id,
//   outcome, requested_at, decided_at, decided_by, rationale,
//   budget_minor_units, budget_currency, eligible, go, conditional_go,
//   hold, recycle, kill, abstain, recused,
//   votes        "member=VOTE" joined by ';' (in the order cast),
//   recusals     members joined by ';',
//   conditions   "id@due_date=met_on_time|late|open" joined by ';',
//   position, reviewed_position, context_exact, context_status,
//   context_stage, context_priority, context_weighted_score_bp,
//   context_framework_id, context_framework_version, context_rank,
//   context_cost_minor_units, context_forecast_minor_units,
//   context_actual_minor_units, context_open_risks, context_benefits
//   (instants RFC 3339 UTC, dates YYYY-MM-DD, enums by their proto name).
#ifndef GAVEL_PROJECTIONS_DECISION_EXPORT_H_
#define GAVEL_PROJECTIONS_DECISION_EXPORT_H_

#include <string>

#include "absl/status/statusor.h"
#include "gavel/v1/read_models.pb.h"

namespace gavel::projections {

// The CSV header line (with its "\r\n").
std::string DecisionCsvHeader();

// One CSV line (with its "\r\n").
std::string DecisionCsvLine(const gavel::v1::DecisionRecord& decision);

// One JSON line (with its "\n"); no line breaks inside. INTERNAL if the
// record has no JSON form (invalid UTF-8, which stored events never hold).
absl::StatusOr<std::string> DecisionJsonLine(
    const gavel::v1::DecisionRecord& decision);

}  // namespace gavel::projections

#endif  // GAVEL_PROJECTIONS_DECISION_EXPORT_H_
