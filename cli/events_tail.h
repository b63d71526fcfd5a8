// gavel events tail [--from=P|--now] [--type=T,..] [--prefix=S,..]
// [--limit=N] [--follow=false]: the log's events as they are committed,
// decoded (cli/event_json.h), one per line.
#ifndef GAVEL_CLI_EVENTS_TAIL_H_
#define GAVEL_CLI_EVENTS_TAIL_H_

#include <string>

#include "absl/types/span.h"
#include "cli/cli_options.h"

namespace gavel::cli {

// Prints each event (with options.json, one JSON object per line) until
// the limit, the end of the catch-up without follow, or an interrupt; then
// "position P" on stderr, where to resume with --from. Returns 0, 1 if the
// stream fails, 2 for a --from that is not a position.
int EventsTail(const CliOptions& options, absl::Span<const std::string> args);

}  // namespace gavel::cli

#endif  // GAVEL_CLI_EVENTS_TAIL_H_
