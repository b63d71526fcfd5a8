// gavel's help: the usage text, and --help at every level (gavel --help,
// gavel GROUP --help, gavel GROUP VERB --help), the verbs listed from the
// verb tables (cli/cli_commands.h).
#ifndef GAVEL_CLI_HELP_H_
#define GAVEL_CLI_HELP_H_

#include <string>
#include <vector>

namespace gavel::cli {

// The usage text: the global flags and every verb that is not a plain
// command or query.
extern const char kUsage[];

// Prints to stdout the help for the level `words` (the command line's
// words that are not flags) names: one command verb and its fields, one
// group's verbs, or (for anything else) the usage with every query and
// command verb.
void PrintHelp(const std::vector<std::string>& words);

}  // namespace gavel::cli

#endif  // GAVEL_CLI_HELP_H_
