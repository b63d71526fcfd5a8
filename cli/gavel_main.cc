// gavel: the command-line client of a Gavel server.
//
//   gavel [--addr=HOST:PORT] [--token=TOKEN] [--json] GROUP COMMAND
//
//   gavel health          the server's grpc.health.v1 status
//   gavel admin ...       ping, status, rebuild, backup, restore
//   gavel audit ...       checkpoints and RFC 9162 proofs (see kUsage)
//   gavel events tail     the log's events as they are committed
//   gavel demo load       the demo portfolio
//   gavel plan ...        portfolio optimization
//   gavel GROUP VERB      the queries and domain commands of the verb
//                         tables (cli/cli_commands.h)
//
// The address and token also come from GAVEL_ADDR and GAVEL_TOKEN, TLS
// from --ca_cert / GAVEL_CA_CERT (mutual TLS: --client_cert, --client_key).
// Errors print the reason code and a hint, and exit non-zero.
//
// This file owns the flags: main reads each once, with the environment's
// defaults, into CliOptions (cli/cli_options.h) and passes that to the verb
// the words name; nothing else reads a flag or the environment.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_join.h"
#include "absl/types/span.h"
#include "cli/admin_verbs.h"
#include "cli/audit_decision.h"
#include "cli/audit_verbs.h"
#include "cli/cli_commands.h"
#include "cli/cli_options.h"
#include "cli/command_verbs.h"
#include "cli/demo_load.h"
#include "cli/events_tail.h"
#include "cli/help.h"
#include "cli/plan_verbs.h"
#include "cli/query_verbs.h"

ABSL_FLAG(std::string, addr, "",
          "server address (default $GAVEL_ADDR, else 127.0.0.1:50051)");
ABSL_FLAG(std::string, token, "", "bearer token (default $GAVEL_TOKEN)");
ABSL_FLAG(bool, json, false, "print JSON instead of tables");
ABSL_FLAG(std::string, ca_cert, "",
          "PEM CA bundle to verify the server with: use TLS (default "
          "$GAVEL_CA_CERT; none: plaintext)");
ABSL_FLAG(std::string, client_cert, "",
          "PEM client certificate for mutual TLS (default $GAVEL_CLIENT_CERT)");
ABSL_FLAG(std::string, client_key, "",
          "PEM key of --client_cert (default $GAVEL_CLIENT_KEY)");
ABSL_FLAG(std::string, tls_server_name, "",
          "the name the server's certificate must carry, when it differs "
          "from the host in --addr");
ABSL_FLAG(double, timeout_s, 10, "deadline of each call, in seconds");
// gavel audit: raw RFC 9162 inputs (hashes as 64 hex digits or base64) and
// the auditor's files. -1 means "not given".
ABSL_FLAG(int64_t, index, -1, "audit verify-inclusion: 0-based leaf index");
ABSL_FLAG(int64_t, size, -1, "audit verify-inclusion: tree size");
ABSL_FLAG(int64_t, size1, -1, "audit verify-consistency: first tree size");
ABSL_FLAG(int64_t, size2, -1, "audit verify-consistency: second tree size");
ABSL_FLAG(std::string, leaf_hash, "", "audit verify-inclusion: leaf hash");
ABSL_FLAG(std::string, root, "", "audit verify-inclusion: root hash");
ABSL_FLAG(std::string, root1, "", "audit verify-consistency: first root");
ABSL_FLAG(std::string, root2, "", "audit verify-consistency: second root");
ABSL_FLAG(std::string, proof, "", "audit: comma-separated proof hashes");
ABSL_FLAG(std::string, key, "",
          "audit: file with the server's verifier key (signing_key.pub)");
ABSL_FLAG(std::string, state, "",
          "audit verify: file holding the last trusted checkpoint");
ABSL_FLAG(bool, with_signing_key, false,
          "admin backup: also copy the private signing key (when the server "
          "keeps it in its data directory)");
ABSL_FLAG(bool, trust_on_first_use, false,
          "audit verify: with an empty --state, trust the server's current "
          "checkpoint (check it out of band); without it, such a run fails");
ABSL_FLAG(int64_t, max_age_s, -1,
          "audit verify: refuse a checkpoint signed longer ago than this "
          "many seconds (-1: any age)");
ABSL_FLAG(bool, replay, true,
          "audit verify: also fetch every record and recompute both roots "
          "from them (catches records altered under unchanged tree nodes)");
ABSL_FLAG(std::string, out, "", "audit export: directory for the bundle");
// Command verbs (gavel GROUP VERB field=value ...).
ABSL_FLAG(std::string, file, "",
          "command verbs: JSON file with the command's fields (proto3 JSON), "
          "or YAML when it ends in .yaml or .yml");
ABSL_FLAG(std::string, command_id, "",
          "command verbs: idempotency key (default: a random one; reuse it "
          "to retry safely)");
ABSL_FLAG(std::string, from, "",
          "events tail: start after this position (default 0: the "
          "beginning); admin restore: the backup directory");
ABSL_FLAG(std::string, data_dir, "",
          "admin restore: the new data directory (must not exist or be "
          "empty)");
ABSL_FLAG(bool, now, false, "events tail: only events committed from now on");
ABSL_FLAG(std::vector<std::string>, type, {},
          "events tail: event types to show (comma-separated; default all)");
ABSL_FLAG(std::vector<std::string>, prefix, {},
          "events tail: stream id prefixes to show (e.g. initiative-)");
ABSL_FLAG(int64_t, limit, 0,
          "events tail: stop after this many events (0: run until "
          "interrupted)");
ABSL_FLAG(bool, follow, true,
          "events tail: keep waiting for new events after catching up");
ABSL_FLAG(std::string, as_of, "",
          "queries: the answer as it stood at a log position (a number) or a "
          "time (2026-03-31 or RFC 3339)");
ABSL_FLAG(int64_t, min_position, 0,
          "queries: wait until the projection has applied this position "
          "(read your writes)");
ABSL_FLAG(std::string, board, "", "metrics: one board's figures only");
ABSL_FLAG(std::string, since, "",
          "metrics: only the cycles scheduled on or after this date "
          "(2025-01-01)");
ABSL_FLAG(bool, wait, true,
          "admin rebuild: wait until the rebuilt projection is swapped in");
ABSL_FLAG(uint64_t, seed, 1,
          "demo load: varies the demo's numbers, votes and dates");
ABSL_FLAG(int64_t, expected_version, -1,
          "command verbs: apply only if the target is at this version");

namespace gavel::cli {
namespace {

// The environment variable `name`, or `fallback` when it is unset or empty.
std::string FromEnv(const char* name, std::string fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

// The flag's value, or when it is empty the environment variable `env`'s.
std::string FlagOrEnv(const absl::Flag<std::string>& flag, const char* env) {
  std::string value = absl::GetFlag(flag);
  return value.empty() ? FromEnv(env, "") : value;
}

// A count flag whose negative values (the default -1) mean "not given".
std::optional<uint64_t> OptionalCount(const absl::Flag<int64_t>& flag) {
  const int64_t value = absl::GetFlag(flag);
  if (value < 0) return std::nullopt;
  return static_cast<uint64_t>(value);
}

// Every flag, read once.
CliOptions ReadOptions() {
  CliOptions options;
  ConnectionOptions& connection = options.connection;
  connection.address = absl::GetFlag(FLAGS_addr);
  if (connection.address.empty()) {
    connection.address = FromEnv("GAVEL_ADDR", "127.0.0.1:50051");
  }
  connection.token = FlagOrEnv(FLAGS_token, "GAVEL_TOKEN");
  connection.ca_cert_file = FlagOrEnv(FLAGS_ca_cert, "GAVEL_CA_CERT");
  connection.client_cert_file =
      FlagOrEnv(FLAGS_client_cert, "GAVEL_CLIENT_CERT");
  connection.client_key_file = FlagOrEnv(FLAGS_client_key, "GAVEL_CLIENT_KEY");
  connection.tls_server_name = absl::GetFlag(FLAGS_tls_server_name);
  connection.timeout_s = absl::GetFlag(FLAGS_timeout_s);

  options.json = absl::GetFlag(FLAGS_json);
  options.key_file = absl::GetFlag(FLAGS_key);
  // --out and --from name a different thing for each group that takes
  // them.
  const std::string out = absl::GetFlag(FLAGS_out);
  const std::string from = absl::GetFlag(FLAGS_from);

  options.admin.backup_name = out;
  options.admin.backup_signing_key = absl::GetFlag(FLAGS_with_signing_key);
  options.admin.restore_from = from;
  options.admin.restore_data_dir = absl::GetFlag(FLAGS_data_dir);
  options.admin.wait_for_rebuild = absl::GetFlag(FLAGS_wait);

  AuditOptions& audit = options.audit;
  audit.index = OptionalCount(FLAGS_index);
  audit.size = OptionalCount(FLAGS_size);
  audit.size1 = OptionalCount(FLAGS_size1);
  audit.size2 = OptionalCount(FLAGS_size2);
  audit.leaf_hash = absl::GetFlag(FLAGS_leaf_hash);
  audit.root = absl::GetFlag(FLAGS_root);
  audit.root1 = absl::GetFlag(FLAGS_root1);
  audit.root2 = absl::GetFlag(FLAGS_root2);
  audit.proof = absl::GetFlag(FLAGS_proof);
  audit.state_file = absl::GetFlag(FLAGS_state);
  audit.replay = absl::GetFlag(FLAGS_replay);
  audit.trust_on_first_use = absl::GetFlag(FLAGS_trust_on_first_use);
  if (const int64_t age = absl::GetFlag(FLAGS_max_age_s); age >= 0) {
    audit.max_age = absl::Seconds(age);
  }
  audit.export_dir = out;

  EventsTailOptions& tail = options.events_tail;
  tail.from = from;
  tail.now = absl::GetFlag(FLAGS_now);
  tail.types = absl::GetFlag(FLAGS_type);
  tail.prefixes = absl::GetFlag(FLAGS_prefix);
  tail.limit = absl::GetFlag(FLAGS_limit);
  tail.follow = absl::GetFlag(FLAGS_follow);

  options.command.file = absl::GetFlag(FLAGS_file);
  options.command.command_id = absl::GetFlag(FLAGS_command_id);
  options.command.expected_version = OptionalCount(FLAGS_expected_version);

  options.query.as_of = absl::GetFlag(FLAGS_as_of);
  options.query.min_position = static_cast<uint64_t>(
      std::max<int64_t>(0, absl::GetFlag(FLAGS_min_position)));
  options.query.board = absl::GetFlag(FLAGS_board);
  options.query.since = absl::GetFlag(FLAGS_since);

  options.demo_seed = absl::GetFlag(FLAGS_seed);
  return options;
}

using Verb = int (*)(const CliOptions&, absl::Span<const std::string>);

// Runs the verb `args` names (after the flags): a query, a domain command,
// or one of the verbs below; the usage (exit 2) for anything else.
int Run(const CliOptions& options, const std::vector<std::string>& args) {
  static const std::map<std::string, Verb> kVerbs = {
      {"health", Health},
      {"admin ping", AdminPing},
      {"admin status", AdminStatus},
      {"admin rebuild", AdminRebuild},
      {"admin backup", AdminBackup},
      {"admin restore", AdminRestore},
      {"audit checkpoint", AuditCheckpoint},
      {"audit verify", AuditVerify},
      {"audit verify-inclusion", AuditVerifyInclusion},
      {"audit verify-consistency", AuditVerifyConsistency},
      {"audit export", AuditExport},
      {"audit verify-export", AuditVerifyExport},
      {"audit decision", AuditDecision},
      {"events tail", EventsTail},
      {"demo load", DemoLoad},
      {"plan optimize", PlanOptimize},
      {"plan frontier", PlanFrontier},
      {"plan sensitivity", PlanSensitivity},
      {"plan show", PlanShow},
  };
  const absl::Span<const std::string> words(args);
  if (!args.empty() && args[0] == "metrics" &&
      (args.size() == 1 || args[1] != "show")) {
    return RunQuery(*FindQueryVerb("metrics", "show"), options,
                    words.subspan(1));
  }
  if (args.size() >= 2) {
    if (const catalogue::Method* verb = FindQueryVerb(args[0], args[1]);
        verb != nullptr) {
      return RunQuery(*verb, options, words.subspan(2));
    }
  }
  if (args.size() >= 2) {
    if (const catalogue::Method* verb = FindCommandVerb(args[0], args[1]);
        verb != nullptr) {
      return RunCommandVerb(*verb, options, words.subspan(2));
    }
  }
  for (size_t n = std::min<size_t>(2, args.size()); n > 0; --n) {
    const std::string name = absl::StrJoin(args.begin(), args.begin() + n, " ");
    if (auto it = kVerbs.find(name); it != kVerbs.end()) {
      return it->second(options, words.subspan(n));
    }
  }
  std::fprintf(stderr, "%s", kUsage);
  if (args.empty() || args[0] == "help") return args.empty() ? 2 : 0;
  std::fprintf(stderr, "\nerror: unknown command \"%s\"\n",
               absl::StrJoin(args, " ").c_str());
  return 2;
}

}  // namespace
}  // namespace gavel::cli

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(gavel::cli::kUsage);
  // --help on every level: gavel --help, gavel GROUP --help, gavel GROUP
  // VERB --help (absl's own --helpfull lists every flag).
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg != "--help" && arg != "-h" && arg != "help") continue;
    std::vector<std::string> words;
    for (int j = 1; j < argc; ++j) {
      if (j != i && argv[j][0] != '-') words.push_back(argv[j]);
    }
    gavel::cli::PrintHelp(words);
    return 0;
  }
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  std::vector<std::string> args(positional.begin() + 1, positional.end());
  return gavel::cli::Run(gavel::cli::ReadOptions(), args);
}
