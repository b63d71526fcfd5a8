// gavel GROUP VERB [field=value ...] [--file=JSON|YAML] [--command_id=ID]
// [--expected_version=N]: one domain command, the verb and its request
// taken from the verb table (cli/cli_commands.h), sent as is, and its
// reply printed.
#ifndef GAVEL_CLI_COMMAND_VERBS_H_
#define GAVEL_CLI_COMMAND_VERBS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "cli/cli_commands.h"
#include "cli/cli_options.h"

namespace gavel::cli {

// Builds `verb`'s request from options.command.file, then the field=value
// `args` over it, and sends it once with the idempotency key
// options.command.command_id (or a random one, printed on stderr so that a
// retry can reuse it). Prints "OK <stream> version N, positions A..B:
// <events>" (with options.json, the reply as JSON). Returns 0, 1 for a
// rejected or failed call, 2 for an unusable file or argument.
int RunCommandVerb(const catalogue::Method& verb, const CliOptions& options,
                   absl::Span<const std::string> args);

// The idempotency key of a command sent from the CLI: `given`, or when it
// is empty a fresh random "cli-<32 hex digits>".
std::string CommandIdOrRandom(absl::string_view given);

}  // namespace gavel::cli

#endif  // GAVEL_CLI_COMMAND_VERBS_H_
