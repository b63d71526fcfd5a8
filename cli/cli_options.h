// Every option of one `gavel` run. main (cli/gavel_main.cc) reads each flag
// once, applies the environment's defaults, and passes this down; nothing
// below main reads a flag or the environment. Grouped by the verbs that
// read them; a flag that serves two groups (--out, --from) fills a field
// in each.
#ifndef GAVEL_CLI_CLI_OPTIONS_H_
#define GAVEL_CLI_CLI_OPTIONS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "cli/connection.h"

namespace gavel::cli {

// gavel admin ...
struct AdminOptions {
  // backup: the backup's name under the server's --backup_dir (--out), and
  // whether it also holds the private signing key (--with_signing_key).
  std::string backup_name;
  bool backup_signing_key = false;
  // restore: the backup directory (--from) and the new data directory
  // (--data_dir).
  std::string restore_from;
  std::string restore_data_dir;
  // rebuild: wait until the rebuilt projection is swapped in (--wait).
  bool wait_for_rebuild = true;
};

// gavel audit ...
struct AuditOptions {
  // verify-inclusion / verify-consistency: raw RFC 9162 inputs as given
  // (hashes as 64 hex digits or base64; the proof comma-separated);
  // nullopt or "" when not given.
  std::optional<uint64_t> index;
  std::optional<uint64_t> size;
  std::optional<uint64_t> size1;
  std::optional<uint64_t> size2;
  std::string leaf_hash;
  std::string root;
  std::string root1;
  std::string root2;
  std::string proof;
  // verify, decision: the file holding the last trusted checkpoint
  // (--state).
  std::string state_file;
  // verify: also fetch every record and recompute both roots (--replay).
  bool replay = true;
  // verify: with no trusted checkpoint in state_file yet, trust the
  // server's (--trust_on_first_use); without it such a run fails.
  bool trust_on_first_use = false;
  // verify: refuse a checkpoint signed longer ago than this, or carrying no
  // signing time (--max_age_s); nullopt: any age.
  std::optional<absl::Duration> max_age;
  // export: the bundle's directory (--out).
  std::string export_dir;
};

// gavel events tail
struct EventsTailOptions {
  // Start after this log position, as given (--from); "" is 0.
  std::string from;
  // Only events committed from now on (--now).
  bool now = false;
  // Event types and stream id prefixes to show; empty: all.
  std::vector<std::string> types;
  std::vector<std::string> prefixes;
  // Stop after this many events; 0: run until interrupted.
  int64_t limit = 0;
  // Keep waiting for new events after catching up.
  bool follow = true;
};

// gavel GROUP VERB: the domain command verbs (and plan optimize).
struct CommandVerbOptions {
  // JSON file with the command's fields (YAML when it ends in .yaml or
  // .yml); "" for none.
  std::string file;
  // The idempotency key; "": a random one.
  std::string command_id;
  // Apply only if the target is at this version.
  std::optional<uint64_t> expected_version;
};

// The queries (portfolio, decisions, metrics, ...) and the plan verbs.
struct QueryOptions {
  // The answer as it stood at a position or a time, as given (--as_of);
  // "" for now.
  std::string as_of;
  // Wait until the projection has applied this position; 0: don't wait.
  uint64_t min_position = 0;
  // metrics: one board's figures only; the cycles on or after a date
  // (2025-01-01), as given. "" for all.
  std::string board;
  std::string since;
};

// Every option of one run; the defaults are the flags' defaults.
struct CliOptions {
  ConnectionOptions connection;
  // Print JSON instead of tables (--json).
  bool json = false;
  // The server's verifier key file (--key), for the audit verbs and admin
  // restore; "" when not given.
  std::string key_file;
  AdminOptions admin;
  AuditOptions audit;
  EventsTailOptions events_tail;
  CommandVerbOptions command;
  QueryOptions query;
  // demo load: varies the demo's numbers, votes and dates (--seed).
  uint64_t demo_seed = 1;
};

}  // namespace gavel::cli

#endif  // GAVEL_CLI_CLI_OPTIONS_H_
