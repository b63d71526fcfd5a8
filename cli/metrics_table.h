// `gavel metrics` as tables: per board and gate (decision latency against
// the SLA, outcome mix, open reviews, conditions on time, cadence), the
// trend per governance cycle in date order, the portfolio KPIs and the PMO's
// service levels. Pure formatting of a GovernanceMetrics reply.
#ifndef GAVEL_CLI_METRICS_TABLE_H_
#define GAVEL_CLI_METRICS_TABLE_H_

#include <optional>
#include <string>

#include "absl/time/civil_time.h"
#include "gavel/v1/read_models.pb.h"

namespace gavel::cli {

// Drops the cycles scheduled before `since` (the --since filter; board and
// KPI figures are the projection's, over the whole history).
void KeepCyclesSince(absl::CivilDay since,
                     gavel::v1::GovernanceMetrics& metrics);

// The tables, cycles sorted by scheduled date.
std::string MetricsTable(const gavel::v1::GovernanceMetrics& metrics);

}  // namespace gavel::cli

#endif  // GAVEL_CLI_METRICS_TABLE_H_
