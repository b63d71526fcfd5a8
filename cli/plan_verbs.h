// gavel plan optimize|frontier|sensitivity|show PLAN [field=value ...]:
// the PortfolioPlanService calls that are not plain commands, and their
// text form (the ranking with its cut line, the frontier as a chart).
//
// Each verb takes the run's options and the words after its name (the
// plan id, then field=value), prints its result (JSON with options.json)
// and returns the exit code (cli/output.h): 0 done, 1 a failed call, 2 an
// unusable argument.
#ifndef GAVEL_CLI_PLAN_VERBS_H_
#define GAVEL_CLI_PLAN_VERBS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "cli/cli_options.h"
#include "cli/connection.h"
#include "google/protobuf/message.h"

namespace gavel::cli {

// Calls PortfolioPlanService/`method` on `server`: 0 with `reply` filled,
// else the exit code with the error printed.
int CallPlan(const Connection& server, absl::string_view method,
             const google::protobuf::Message& request,
             google::protobuf::Message& reply);

// gavel plan optimize PLAN [limits.time_limit_ms=N] [limits.max_gap_bp=N]:
// solves the scenario and records the result, as a command (idempotency key
// options.command.command_id or a random one, printed on stderr).
int PlanOptimize(const CliOptions& options, absl::Span<const std::string> args);

// gavel plan frontier PLAN [points=N] [max_budget_factor_bp=N]: the best
// value per budget point and what one more unit of each pool is worth.
int PlanFrontier(const CliOptions& options, absl::Span<const std::string> args);

// gavel plan sensitivity PLAN [delta_bp=N]: each criterion weight +-delta:
// Kendall tau against the reference ranking, who crosses the cut line.
int PlanSensitivity(const CliOptions& options,
                    absl::Span<const std::string> args);

// gavel plan show PLAN: scenario, ranking with its cut line, publications,
// and the frontier (when it can be computed) as a text chart.
int PlanShow(const CliOptions& options, absl::Span<const std::string> args);

}  // namespace gavel::cli

#endif  // GAVEL_CLI_PLAN_VERBS_H_
