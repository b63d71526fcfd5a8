// gavel audit decision INITIATIVE/REVIEW --key=FILE [--state=FILE]: one
// gate decision with its review, votes, recusals and rationale, each record
// fetched as stored with its inclusion proof against one signed checkpoint
// (consistent with the trusted one in --state, if given); only proven
// records make up the printout.
#ifndef GAVEL_CLI_AUDIT_DECISION_H_
#define GAVEL_CLI_AUDIT_DECISION_H_

#include <string>

#include "absl/types/span.h"
#include "cli/cli_options.h"

namespace gavel::cli {

// Prints the proven decision and its evidence (with options.json: the
// decision as JSON on stdout, what it was proven against on stderr).
// Returns 0 when every record is proven, 1 when the decision is not in the
// log, a proof or signature does not verify, or a call fails; 2 for a
// malformed id, a missing --key or an unreadable key.
int AuditDecision(const CliOptions& options,
                  absl::Span<const std::string> args);

}  // namespace gavel::cli

#endif  // GAVEL_CLI_AUDIT_DECISION_H_
