// gavel health and gavel admin ...: the server's health, a no-op ping, its
// status, projection rebuilds, and backups (made by the server) and
// restores (offline, into a new data directory).
//
// Each verb takes the run's options and the words after its name, prints
// its result (JSON with options.json) and returns the exit code
// (cli/output.h): 0 done, 1 failed, 2 unusable input.
#ifndef GAVEL_CLI_ADMIN_VERBS_H_
#define GAVEL_CLI_ADMIN_VERBS_H_

#include <string>

#include "absl/types/span.h"
#include "cli/cli_options.h"

namespace gavel::cli {

// gavel health: grpc.health.v1 Check of every service; prints SERVING or
// NOT_SERVING and returns 0 only when serving.
int Health(const CliOptions& options, absl::Span<const std::string> args);

// gavel admin ping: one no-op call through the whole server path.
int AdminPing(const CliOptions& options, absl::Span<const std::string> args);

// gavel admin status: head position, uptime, writer statistics and each
// projection's position and lag.
int AdminStatus(const CliOptions& options, absl::Span<const std::string> args);

// gavel admin rebuild [NAME]: rebuilds one projection (none: all) from
// position 0; with options.admin.wait_for_rebuild, waits until each has
// completed one more rebuild, failing (1) after the call timeout. 2 for
// more than one name.
int AdminRebuild(const CliOptions& options, absl::Span<const std::string> args);

// gavel admin backup --out=NAME: the server writes a consistent backup
// into <its --backup_dir>/NAME (no deadline: as long as the copy takes).
// 2 without a name.
int AdminBackup(const CliOptions& options, absl::Span<const std::string> args);

// gavel admin restore --from=DIR --data_dir=DIR [--key=FILE]: offline,
// verifies the backup's checkpoint and copies it into the new data
// directory (cli/backup_restore.h). 2 without both directories or with an
// unreadable key, 1 if the restore fails.
int AdminRestore(const CliOptions& options, absl::Span<const std::string> args);

}  // namespace gavel::cli

#endif  // GAVEL_CLI_ADMIN_VERBS_H_
