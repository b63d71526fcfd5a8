// gavel demo load [--seed=N]: the demo portfolio (tools/demo_portfolio.h:
// two years of a strategic PMO) sent through the public API, command by
// command, in order.
#ifndef GAVEL_CLI_DEMO_LOAD_H_
#define GAVEL_CLI_DEMO_LOAD_H_

#include <string>

#include "absl/types/span.h"
#include "cli/cli_options.h"

namespace gavel::cli {

// Sends every command of the demo for options.demo_seed with idempotency
// keys derived from the seed: a second run (or one resuming an interrupted
// load) is deduplicated command by command. A server that has the demo's
// first objective from another seed, or from a portfolio of its own, is
// refused (1) before anything is written. Prints what was loaded (with
// options.json, as JSON). Returns 0, 1 for a failed command, 2 for any
// argument.
int DemoLoad(const CliOptions& options, absl::Span<const std::string> args);

}  // namespace gavel::cli

#endif  // GAVEL_CLI_DEMO_LOAD_H_
