// gavel GROUP VERB [ID] [field=value ...] [--as_of=...] [--min_position=N]:
// one read of the portfolio's projections (PortfolioQueryService), the
// verb taken from the query table (cli/cli_commands.h), printed as a table
// or, with --json, as the reply's JSON.
#ifndef GAVEL_CLI_QUERY_VERBS_H_
#define GAVEL_CLI_QUERY_VERBS_H_

#include <string>

#include "absl/types/span.h"
#include "cli/cli_commands.h"
#include "cli/cli_options.h"

namespace gavel::cli {

// Builds `verb`'s request from `args` (a word without "=" fills the verb's
// positional field) and options.query (as_of, min_position; board and since
// for metrics), follows list replies to their last page and prints the
// whole answer; ExportDecisions streams its chunks to stdout as they come.
// Returns 0, 1 for a failed call, 2 for an unusable argument.
int RunQuery(const catalogue::Method& verb, const CliOptions& options,
             absl::Span<const std::string> args);

}  // namespace gavel::cli

#endif  // GAVEL_CLI_QUERY_VERBS_H_
