#include "cli/help.h"

#include <cstdio>
#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "cli/cli_commands.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace gavel::cli {

const char kUsage[] =
    "usage: gavel [--addr=HOST:PORT] [--token=TOKEN] [--json] GROUP COMMAND\n"
    "\n"
    "  health          the server's grpc.health.v1 status\n"
    "  admin ping      one no-op call through the whole server path\n"
    "  admin status    head position, uptime and writer statistics\n"
    "  admin backup --out=NAME\n"
    "                  the server writes a consistent backup of its log, key\n"
    "                  and a signed checkpoint into <its --backup_dir>/NAME\n"
    "  admin restore --from=BACKUP_DIR --data_dir=DIR [--key=FILE]\n"
    "                  offline: verify the backup's checkpoint (with --key,\n"
    "                  else its own signing_key.pub) and copy it into the\n"
    "                  new DIR; gaveld then serves it only if its log\n"
    "                  matches that checkpoint\n"
    "  events tail [--from=P|--now] [--type=T,..] [--prefix=S,..]\n"
    "              [--limit=N] [--follow=false]\n"
    "                  the log's events as they are committed, decoded\n"
    "                  (--json: one object per line)\n"
    "  admin rebuild [NAME] [--wait=false]\n"
    "                  rebuild a projection (portfolio, decisions,\n"
    "                  governance_metrics; none: all) from position 0 while\n"
    "                  queries keep reading the old one\n"
    "  metrics [--board=B] [--since=DATE]\n"
    "                  decision latency vs SLA, outcome mix and queues per\n"
    "                  board and gate, the trend per cycle, portfolio KPIs\n"
    "                  and service levels\n"
    "  demo load [--seed=N]\n"
    "                  load the demo portfolio (two years of a strategic\n"
    "                  PMO) through the public API; a no-op if this seed's\n"
    "                  demo is already loaded\n"
    "  audit checkpoint [--key=FILE]\n"
    "                  the latest signed checkpoint; verified with --key\n"
    "  audit verify --state=FILE --key=FILE [--replay=false]\n"
    "                  accept the latest checkpoint only if it extends the\n"
    "                  trusted one in FILE (trust on first use) and, unless\n"
    "                  --replay=false, the roots recomputed from every record\n"
    "                  match both; save it\n"
    "  audit export --out=DIR [--key=FILE]\n"
    "                  write the records and the latest signed checkpoint\n"
    "                  into DIR, checking the root while writing\n"
    "  audit decision INITIATIVE/REVIEW --key=FILE [--state=FILE]\n"
    "                  one gate decision with its review, votes, recusals\n"
    "                  and rationale, each record proven included in a\n"
    "                  signed checkpoint (consistent with the trusted one\n"
    "                  in --state, if given)\n"
    "  audit verify-export DIR --key=FILE\n"
    "                  verify a bundle offline (signature, every record,\n"
    "                  the root), then print the decision history in it\n"
    "  audit verify-inclusion --index=N --size=N --leaf_hash=H --root=R\n"
    "                  --proof=P1,P2,...\n"
    "  audit verify-consistency --size1=N --size2=N --root1=R --root2=R\n"
    "                  --proof=P1,P2,...\n"
    "                  check raw RFC 9162 proofs (hex or base64 hashes):\n"
    "                  exit 0 if valid, 1 if not, 2 for unparsable input\n"
    "  plan optimize PLAN [limits.time_limit_ms=N] [limits.max_gap_bp=N]\n"
    "                  solve the scenario (budget, capacity, dependencies,\n"
    "                  exclusions, forced choices) and record the result\n"
    "  plan frontier PLAN [points=N] [max_budget_factor_bp=N]\n"
    "                  best value per budget point, and what one more unit\n"
    "                  of each capacity pool is worth\n"
    "  plan sensitivity PLAN [delta_bp=N]\n"
    "                  each criterion weight +-10 pp: Kendall tau against\n"
    "                  the published ranking, who crosses the cut line\n"
    "  plan show PLAN  scenario, ranking with its cut line, publications,\n"
    "                  and the frontier as a text chart\n"
    "\n"
    "The address and token also come from GAVEL_ADDR and GAVEL_TOKEN; TLS\n"
    "from --ca_cert (GAVEL_CA_CERT), mutual TLS from --client_cert and\n"
    "--client_key (GAVEL_CLIENT_CERT, GAVEL_CLIENT_KEY).\n";

void PrintHelp(const std::vector<std::string>& words) {
  if (words.size() >= 2) {
    if (const catalogue::Method* verb = FindCommandVerb(words[0], words[1]);
        verb != nullptr) {
      std::printf(
          "gavel %s %s [field=value ...] [--file=JSON] "
          "[--command_id=ID] [--expected_version=N]\n\n  %s\n  "
          "(%s)\n\nfields:\n",
          verb->cli->group().c_str(), verb->cli->verb().c_str(),
          verb->cli->summary().c_str(),
          std::string(absl::StripPrefix(verb->path, "/")).c_str());
      absl::StatusOr<std::unique_ptr<google::protobuf::Message>> request =
          NewRequest(*verb);
      if (request.ok()) {
        const google::protobuf::FieldDescriptor* command =
            (*request)->GetDescriptor()->FindFieldByName("command");
        std::printf("%s", DescribeFields(*command->message_type()).c_str());
      }
      std::printf(
          "\nNested fields by path (cost_estimate.minor_units=...), "
          "enums by name (conditional_go), repeated messages in "
          "--file.\n");
      return;
    }
  }
  if (!words.empty()) {
    bool any = false;
    for (const catalogue::Method* method : QueryVerbs()) {
      const gavel::v1::CliVerb& verb = *method->cli;
      if (words[0] != verb.group()) continue;
      if (!any) std::printf("gavel %s VERB ...\n\n", verb.group().c_str());
      any = true;
      std::printf("  %-20s %s%s\n", verb.verb().c_str(), verb.summary().c_str(),
                  verb.positional().empty()
                      ? ""
                      : absl::StrCat(" [", verb.positional(), "]").c_str());
    }
    for (const catalogue::Method* method : CommandVerbs()) {
      const gavel::v1::CliVerb& verb = *method->cli;
      if (words[0] != verb.group()) continue;
      if (!any) std::printf("gavel %s VERB ...\n\n", verb.group().c_str());
      any = true;
      std::printf("  %-20s %s\n", verb.verb().c_str(), verb.summary().c_str());
    }
    if (any) {
      std::printf("\ngavel %s VERB --help shows a verb's fields.\n",
                  words[0].c_str());
      return;
    }
  }
  std::printf("%s\nqueries (--as_of=POSITION|DATE, --min_position=N):\n",
              kUsage);
  for (const catalogue::Method* method : QueryVerbs()) {
    const gavel::v1::CliVerb& verb = *method->cli;
    std::printf("  %s %-8s %s\n", verb.group().c_str(), verb.verb().c_str(),
                verb.summary().c_str());
  }
  std::printf("\ncommands (gavel GROUP --help lists a group's verbs):\n");
  std::string last;
  for (const catalogue::Method* method : CommandVerbs()) {
    const gavel::v1::CliVerb& verb = *method->cli;
    if (verb.group() != last) {
      std::printf("%s  %-11s", last.empty() ? "" : "\n", verb.group().c_str());
      last = verb.group();
    }
    std::printf(" %s", verb.verb().c_str());
  }
  std::printf("\n");
}

}  // namespace gavel::cli
