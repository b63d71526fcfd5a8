// gavel: the command-line client of a Gavel server.
//
//   gavel [--addr=HOST:PORT] [--token=TOKEN] [--json] GROUP COMMAND
//
//   gavel health          the server's grpc.health.v1 status
//   gavel admin ping      one no-op call through the whole server path
//   gavel admin status    head position, uptime, writer statistics
//   gavel admin backup    a consistent backup, written by the server
//   gavel admin restore   a backup into a new data directory (offline)
//   gavel audit ...       checkpoints and RFC 9162 proofs (see kUsage)
//
// The address and token also come from GAVEL_ADDR and GAVEL_TOKEN, TLS
// from --ca_cert / GAVEL_CA_CERT (mutual TLS: --client_cert, --client_key).
// Errors print the reason code and a hint, and exit non-zero.
#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/random/random.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "cli/audit_export.h"
#include "cli/audit_verifier.h"
#include "cli/backup_restore.h"
#include "cli/cli_commands.h"
#include "cli/decision_replay.h"
#include "cli/decision_view.h"
#include "cli/event_json.h"
#include "cli/metrics_table.h"
#include "cli/yaml_json.h"
#include "gavel/v1/admin_service.grpc.pb.h"
#include "gavel/v1/audit_service.grpc.pb.h"
#include "gavel/v1/command.pb.h"
#include "gavel/v1/errors.pb.h"
#include "gavel/v1/event_stream_service.grpc.pb.h"
#include "gavel/v1/portfolio_plan_service.grpc.pb.h"
#include "gavel/v1/portfolio_query_service.grpc.pb.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "nlohmann/json.hpp"
#include "tools/demo_portfolio.h"
#include "transparency/rfc9162.h"

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

constexpr char kUsage[] =
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

std::string FromEnv(const char* name, std::string fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

std::string Address() {
  std::string addr = absl::GetFlag(FLAGS_addr);
  return addr.empty() ? FromEnv("GAVEL_ADDR", "127.0.0.1:50051") : addr;
}

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::milliseconds(static_cast<int64_t>(
                            absl::GetFlag(FLAGS_timeout_s) * 1000)));
  std::string token = absl::GetFlag(FLAGS_token);
  if (token.empty()) token = FromEnv("GAVEL_TOKEN", "");
  if (!token.empty()) {
    context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  }
  return context;
}

// The contents of the PEM file named by `flag` (or, when empty, by the
// environment variable `env`); "" when neither names one. A file that
// cannot be read ends the process with exit code 2.
std::string PemFromFlagOrEnv(const absl::Flag<std::string>& flag,
                             const char* env) {
  std::string path = absl::GetFlag(flag);
  if (path.empty()) path = FromEnv(env, "");
  if (path.empty()) return "";
  absl::StatusOr<std::string> pem = cli::ReadWholeFile(path);
  if (!pem.ok()) {
    std::fprintf(stderr, "error: %s\n", pem.status().ToString().c_str());
    std::exit(2);
  }
  return *pem;
}

// Plaintext, or TLS when a CA bundle is given (mutual TLS with a client
// certificate and key).
std::shared_ptr<grpc::Channel> Channel() {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = PemFromFlagOrEnv(FLAGS_ca_cert, "GAVEL_CA_CERT");
  ssl.pem_cert_chain = PemFromFlagOrEnv(FLAGS_client_cert, "GAVEL_CLIENT_CERT");
  ssl.pem_private_key = PemFromFlagOrEnv(FLAGS_client_key, "GAVEL_CLIENT_KEY");
  if (ssl.pem_root_certs.empty() && ssl.pem_cert_chain.empty()) {
    return grpc::CreateChannel(Address(), grpc::InsecureChannelCredentials());
  }
  grpc::ChannelArguments args;
  if (const std::string name = absl::GetFlag(FLAGS_tls_server_name);
      !name.empty()) {
    args.SetSslTargetNameOverride(name);
  }
  return grpc::CreateCustomChannel(Address(), grpc::SslCredentials(ssl), args);
}

// Prints a failed call as "error: CODE CODE_NAME REASON: message" (the
// reason when the server gave one other than the code's name) plus a hint,
// and returns the exit code.
int Fail(const grpc::Status& status) {
  std::string reason;
  gavel::v1::ErrorStatus details;
  if (details.ParseFromString(status.error_details())) {
    for (const google::protobuf::Any& any : details.details()) {
      gavel::v1::ErrorInfo info;
      if (any.type_url() == "type.googleapis.com/google.rpc.ErrorInfo" &&
          info.ParseFromString(any.value())) {
        reason = info.reason();
      }
    }
  }
  const std::string code_name = absl::StatusCodeToString(
      static_cast<absl::StatusCode>(status.error_code()));
  if (reason == code_name) reason.clear();
  std::fprintf(stderr, "error: %d %s%s%s: %s\n", status.error_code(),
               code_name.c_str(), reason.empty() ? "" : " ", reason.c_str(),
               status.error_message().c_str());
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      std::fprintf(stderr,
                   "hint: is gaveld running at %s? (--addr or "
                   "GAVEL_ADDR)\n",
                   Address().c_str());
      break;
    case grpc::StatusCode::UNAUTHENTICATED:
      std::fprintf(stderr, "hint: pass a valid --token or set GAVEL_TOKEN\n");
      break;
    case grpc::StatusCode::PERMISSION_DENIED:
      std::fprintf(stderr, "hint: your principal lacks the role this needs\n");
      break;
    default:
      if (!reason.empty()) {
        std::fprintf(stderr, "hint: see docs/rejection-reasons.md#%s\n",
                     reason.c_str());
      }
  }
  return 1;
}

void PrintJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  std::printf("%s\n", json.c_str());
}

// Calls `method` ("/package.Service/Method") with serialized `request`;
// the serialized reply goes to *reply.
grpc::Status CallUnary(const std::string& method, const std::string& request,
                       std::string* reply) {
  grpc::GenericStub stub(Channel());
  grpc::Slice slice(request);
  grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::ByteBuffer response;
  std::unique_ptr<grpc::ClientContext> context = Context();
  grpc::Status status;
  bool done = false;
  std::mutex mu;
  std::condition_variable cv;
  stub.UnaryCall(context.get(), method, grpc::StubOptions(), &request_buffer,
                 &response, [&](grpc::Status s) {
                   std::lock_guard<std::mutex> lock(mu);
                   status = std::move(s);
                   done = true;
                   cv.notify_one();
                 });
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return done; });
  }
  if (!status.ok()) return status;
  std::vector<grpc::Slice> slices;
  (void)response.Dump(&slices);
  reply->clear();
  for (const grpc::Slice& part : slices) {
    reply->append(reinterpret_cast<const char*>(part.begin()), part.size());
  }
  return status;
}

int Health(const std::vector<std::string>&) {
  // grpc.health.v1.Health/Check with an empty HealthCheckRequest (all
  // services); the reply's field 1 is the ServingStatus (1 = SERVING).
  std::string bytes;
  grpc::Status status =
      CallUnary("/grpc.health.v1.Health/Check", std::string(), &bytes);
  if (!status.ok()) return Fail(status);
  const bool serving = bytes.size() >= 2 && bytes[0] == 0x08 && bytes[1] == 1;
  if (absl::GetFlag(FLAGS_json)) {
    std::printf("{\"status\":\"%s\"}\n", serving ? "SERVING" : "NOT_SERVING");
  } else {
    std::printf("%s\n", serving ? "SERVING" : "NOT_SERVING");
  }
  return serving ? 0 : 1;
}

int AdminPing(const std::vector<std::string>&) {
  auto stub = gavel::v1::AdminService::NewStub(Channel());
  gavel::v1::PingReply reply;
  grpc::Status status = stub->Ping(Context().get(), {}, &reply);
  if (!status.ok()) return Fail(status);
  if (absl::GetFlag(FLAGS_json)) {
    std::printf("{}\n");
  } else {
    std::printf("pong\n");
  }
  return 0;
}

int AdminStatus(const std::vector<std::string>&) {
  auto stub = gavel::v1::AdminService::NewStub(Channel());
  gavel::v1::GetStatusReply reply;
  grpc::Status status = stub->GetStatus(Context().get(), {}, &reply);
  if (!status.ok()) return Fail(status);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(reply);
    return 0;
  }
  const gavel::v1::WriterStats& writer = reply.writer();
  std::printf("server       gaveld %s at %s\n", reply.version().c_str(),
              Address().c_str());
  std::printf("principal    %s%s\n", reply.principal().c_str(),
              reply.dev_mode() ? " (development mode: no authentication)" : "");
  std::printf("uptime       %llds\n",
              static_cast<long long>(reply.uptime().seconds()));
  std::printf("head         %llu\n",
              static_cast<unsigned long long>(reply.head_position()));
  std::printf("commands     %llu accepted, %llu rejected, %llu retried\n",
              static_cast<unsigned long long>(writer.commands_accepted()),
              static_cast<unsigned long long>(writer.commands_rejected()),
              static_cast<unsigned long long>(writer.commands_deduplicated()));
  std::printf(
      "writes       %llu synced appends of %llu events (largest "
      "batch %llu commands)\n",
      static_cast<unsigned long long>(writer.appends()),
      static_cast<unsigned long long>(writer.events_appended()),
      static_cast<unsigned long long>(writer.largest_batch()));
  std::vector<std::string> buckets;
  for (const gavel::v1::BatchSizeBucket& bucket : writer.batch_sizes()) {
    if (bucket.batches() == 0) continue;
    buckets.push_back(absl::StrCat(
        bucket.max_commands() == 0 ? "more"
                                   : absl::StrCat("<=", bucket.max_commands()),
        ":", bucket.batches()));
  }
  std::printf("batch sizes  %s\n",
              buckets.empty() ? "-" : absl::StrJoin(buckets, " ").c_str());
  for (const gavel::v1::ProjectionStatus& p : reply.projections()) {
    std::printf("projection   %-20s position %llu, lag %llu events%s%s%s\n",
                p.name().c_str(), static_cast<unsigned long long>(p.position()),
                static_cast<unsigned long long>(p.lag_events()),
                p.rebuilding() ? ", rebuilding" : "",
                p.rebuilds() > 0
                    ? absl::StrCat(", ", p.rebuilds(), " rebuilds").c_str()
                    : "",
                p.error().empty() ? "" : (", error: " + p.error()).c_str());
  }
  return 0;
}

// gavel admin rebuild [NAME]: AdminService.RebuildProjection, then (with
// --wait) GetStatus until every projection rebuilt has completed one more
// rebuild, within --timeout_s.
int AdminRebuild(const std::vector<std::string>& args) {
  if (args.size() > 1) {
    std::fprintf(stderr, "error: admin rebuild takes one projection name\n");
    return 2;
  }
  auto stub = gavel::v1::AdminService::NewStub(Channel());
  gavel::v1::GetStatusReply before;
  if (grpc::Status status = stub->GetStatus(Context().get(), {}, &before);
      !status.ok()) {
    return Fail(status);
  }
  gavel::v1::RebuildProjectionRequest request;
  if (!args.empty()) request.set_name(args[0]);
  gavel::v1::RebuildProjectionReply reply;
  const absl::Time start = absl::Now();
  if (grpc::Status status =
          stub->RebuildProjection(Context().get(), request, &reply);
      !status.ok()) {
    return Fail(status);
  }
  std::map<std::string, uint64_t> rebuilds;  // name -> count before
  for (const gavel::v1::ProjectionStatus& p : before.projections()) {
    if (request.name().empty() || p.name() == request.name()) {
      rebuilds[p.name()] = p.rebuilds();
    }
  }
  gavel::v1::GetStatusReply after;
  const absl::Time deadline =
      start + absl::Seconds(absl::GetFlag(FLAGS_timeout_s));
  bool done = !absl::GetFlag(FLAGS_wait);
  while (!done) {
    if (grpc::Status status = stub->GetStatus(Context().get(), {}, &after);
        !status.ok()) {
      return Fail(status);
    }
    done = true;
    for (const gavel::v1::ProjectionStatus& p : after.projections()) {
      auto it = rebuilds.find(p.name());
      if (it != rebuilds.end() &&
          (p.rebuilding() || p.rebuilds() <= it->second)) {
        done = false;
      }
    }
    if (!done && absl::Now() > deadline) {
      std::fprintf(stderr,
                   "error: the rebuild (ticket %llu) is still running after "
                   "%.0f s; see gavel admin status\n",
                   static_cast<unsigned long long>(reply.ticket()),
                   absl::GetFlag(FLAGS_timeout_s));
      return 1;
    }
    if (!done) absl::SleepFor(absl::Milliseconds(50));
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  if (absl::GetFlag(FLAGS_json)) {
    std::printf("{\"ticket\":%llu,\"waited\":%s,\"seconds\":%.3f}\n",
                static_cast<unsigned long long>(reply.ticket()),
                absl::GetFlag(FLAGS_wait) ? "true" : "false", seconds);
    return 0;
  }
  std::vector<std::string> names;
  for (const auto& [name, count] : rebuilds) names.push_back(name);
  if (absl::GetFlag(FLAGS_wait)) {
    std::printf("rebuilt %s from position 0 in %.2f s (ticket %llu)\n",
                absl::StrJoin(names, ", ").c_str(), seconds,
                static_cast<unsigned long long>(reply.ticket()));
  } else {
    std::printf("rebuilding %s (ticket %llu); gavel admin status shows it\n",
                absl::StrJoin(names, ", ").c_str(),
                static_cast<unsigned long long>(reply.ticket()));
  }
  return 0;
}

// Prints a local (non-RPC) failure and returns `exit_code`.
int FailLocal(const absl::Status& status, int exit_code) {
  std::fprintf(stderr, "error: %s\n", status.ToString().c_str());
  return exit_code;
}

// Reads a required non-negative integer flag; nullopt (after printing why)
// when it is missing.
std::optional<uint64_t> RequiredCount(const absl::Flag<int64_t>& flag,
                                      const char* name) {
  const int64_t value = absl::GetFlag(flag);
  if (value < 0) {
    std::fprintf(stderr, "error: --%s=N (N >= 0) is required\n", name);
    return std::nullopt;
  }
  return static_cast<uint64_t>(value);
}

// Parses a required hash flag; nullopt (after printing why) if it is
// missing or malformed.
std::optional<std::string> RequiredHash(const absl::Flag<std::string>& flag,
                                        const char* name) {
  absl::StatusOr<std::string> hash = cli::ParseHash(absl::GetFlag(flag));
  if (!hash.ok()) {
    std::fprintf(stderr, "error: --%s: %s\n", name,
                 std::string(hash.status().message()).c_str());
    return std::nullopt;
  }
  return *std::move(hash);
}

std::optional<std::vector<std::string>> ProofFlag() {
  absl::StatusOr<std::vector<std::string>> proof =
      cli::ParseHashList(absl::GetFlag(FLAGS_proof));
  if (!proof.ok()) {
    std::fprintf(stderr, "error: --proof: %s\n",
                 std::string(proof.status().message()).c_str());
    return std::nullopt;
  }
  return *std::move(proof);
}

int AuditVerifyInclusion(const std::vector<std::string>&) {
  std::optional<uint64_t> index = RequiredCount(FLAGS_index, "index");
  std::optional<uint64_t> size = RequiredCount(FLAGS_size, "size");
  std::optional<std::string> leaf = RequiredHash(FLAGS_leaf_hash, "leaf_hash");
  std::optional<std::string> root = RequiredHash(FLAGS_root, "root");
  std::optional<std::vector<std::string>> proof = ProofFlag();
  if (!index || !size || !leaf || !root || !proof) return 2;
  if (absl::Status status =
          rfc9162::VerifyInclusionBytes(*index, *size, *leaf, *proof, *root);
      !status.ok()) {
    return FailLocal(status, 1);
  }
  std::printf("OK\n");
  return 0;
}

int AuditVerifyConsistency(const std::vector<std::string>&) {
  std::optional<uint64_t> size1 = RequiredCount(FLAGS_size1, "size1");
  std::optional<uint64_t> size2 = RequiredCount(FLAGS_size2, "size2");
  std::optional<std::string> root1 = RequiredHash(FLAGS_root1, "root1");
  std::optional<std::string> root2 = RequiredHash(FLAGS_root2, "root2");
  std::optional<std::vector<std::string>> proof = ProofFlag();
  if (!size1 || !size2 || !root1 || !root2 || !proof) return 2;
  if (absl::Status status = rfc9162::VerifyConsistencyBytes(
          *size1, *size2, *root1, *root2, *proof);
      !status.ok()) {
    return FailLocal(status, 1);
  }
  std::printf("OK\n");
  return 0;
}

int AdminBackup(const std::vector<std::string>&) {
  const std::string name = absl::GetFlag(FLAGS_out);
  if (name.empty()) {
    std::fprintf(stderr, "usage: gavel admin backup --out=NAME\n");
    return 2;
  }
  auto stub = gavel::v1::AdminService::NewStub(Channel());
  gavel::v1::BackupRequest request;
  request.set_name(name);
  gavel::v1::BackupReply reply;
  // A backup takes as long as the copy: no default deadline.
  std::unique_ptr<grpc::ClientContext> context = Context();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::hours(24));
  grpc::Status status = stub->Backup(context.get(), request, &reply);
  if (!status.ok()) return Fail(status);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(reply);
    return 0;
  }
  std::printf("backup      %s\n", reply.path().c_str());
  std::printf("records     %llu\n",
              static_cast<unsigned long long>(reply.head_position()));
  std::printf("checkpoint  tree size %llu\n%s",
              static_cast<unsigned long long>(reply.checkpoint_size()),
              reply.checkpoint().c_str());
  return 0;
}

std::string Base64Root(const rfc9162::Hash& root) {
  return absl::Base64Escape(rfc9162::AsBytes(root));
}

// The verifier key of --key, or nullopt when the flag is not given.
absl::StatusOr<std::optional<note::NoteVerifier>> OptionalVerifier() {
  const std::string key = absl::GetFlag(FLAGS_key);
  if (key.empty()) return std::nullopt;
  absl::StatusOr<note::NoteVerifier> read = cli::ReadVerifierKeyFile(key);
  if (!read.ok()) return read.status();
  return std::optional<note::NoteVerifier>(*std::move(read));
}

int AdminRestore(const std::vector<std::string>&) {
  const std::string from = absl::GetFlag(FLAGS_from);
  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  if (from.empty() || data_dir.empty()) {
    std::fprintf(stderr,
                 "usage: gavel admin restore --from=BACKUP_DIR "
                 "--data_dir=DIR [--key=FILE]\n");
    return 2;
  }
  absl::StatusOr<std::optional<note::NoteVerifier>> verifier =
      OptionalVerifier();
  if (!verifier.ok()) return FailLocal(verifier.status(), 2);
  absl::StatusOr<cli::RestoredBackup> restored =
      cli::RestoreBackup(from, data_dir, *verifier);
  if (!restored.ok()) return FailLocal(restored.status(), 1);
  if (absl::GetFlag(FLAGS_json)) {
    std::printf(
        "%s\n",
        nlohmann::json{{"data_dir", data_dir},
                       {"head_position", restored->head_position},
                       {"checkpoint_size", restored->checkpoint.tree_size}}
            .dump()
            .c_str());
    return 0;
  }
  std::printf(
      "restored %llu records into %s; checkpoint of tree size %llu "
      "verified and pinned (gaveld refuses to serve a log that does not "
      "match it)\n",
      static_cast<unsigned long long>(restored->head_position),
      data_dir.c_str(),
      static_cast<unsigned long long>(restored->checkpoint.tree_size));
  return 0;
}

int AuditCheckpoint(const std::vector<std::string>&) {
  absl::StatusOr<std::optional<note::NoteVerifier>> verifier =
      OptionalVerifier();
  if (!verifier.ok()) return FailLocal(verifier.status(), 2);
  auto stub = gavel::v1::AuditService::NewStub(Channel());
  gavel::v1::GetCheckpointReply reply;
  grpc::Status status = stub->GetCheckpoint(Context().get(), {}, &reply);
  if (!status.ok()) return Fail(status);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(reply.checkpoint());
  } else {
    std::printf("%s", reply.checkpoint().note().c_str());
  }
  if (!verifier->has_value()) return 0;
  absl::StatusOr<note::TlogCheckpoint> checkpoint =
      cli::VerifySignedCheckpoint(reply.checkpoint().note(), **verifier);
  if (!checkpoint.ok()) return FailLocal(checkpoint.status(), 1);
  std::fprintf(stderr, "signature OK: log \"%s\" size %llu\n",
               checkpoint->origin.c_str(),
               static_cast<unsigned long long>(checkpoint->tree_size));
  return 0;
}

// A context for a long stream: the token, and no deadline (an export of a
// large log takes as long as it takes; interrupt to stop).
std::unique_ptr<grpc::ClientContext> StreamContext() {
  std::unique_ptr<grpc::ClientContext> context = Context();
  context->set_deadline(std::chrono::system_clock::time_point::max());
  return context;
}

// Streams the records of leaves [0, size) into `replay`, checking each
// names its position, and hands each to `sink` (if set). The replay's
// root after `mark` leaves goes to *root_at_mark.
absl::Status FetchAndReplay(
    gavel::v1::AuditService::Stub& stub, uint64_t size, uint64_t mark,
    rfc9162::Hash* root_at_mark, cli::TreeReplay& replay,
    const std::function<absl::Status(absl::string_view)>& sink,
    grpc::Status* rpc_status) {
  if (mark == 0) *root_at_mark = replay.Root();
  if (size == 0) return absl::OkStatus();
  gavel::v1::GetEntriesRequest request;
  request.set_start_index(0);
  request.set_end_index(size);
  std::unique_ptr<grpc::ClientContext> context = StreamContext();
  std::unique_ptr<grpc::ClientReader<gavel::v1::GetEntriesReply>> reader =
      stub.GetEntries(context.get(), request);
  gavel::v1::GetEntriesReply reply;
  while (reader->Read(&reply)) {
    for (const gavel::v1::Entry& entry : reply.entries()) {
      if (entry.leaf_index() != replay.size()) {
        context->TryCancel();
        return absl::FailedPreconditionError(
            absl::StrCat("the server sent leaf ", entry.leaf_index(),
                         " where leaf ", replay.size(), " belongs"));
      }
      if (absl::Status status = replay.Add(entry.record()); !status.ok()) {
        context->TryCancel();
        return status;
      }
      if (sink) {
        if (absl::Status status = sink(entry.record()); !status.ok()) {
          context->TryCancel();
          return status;
        }
      }
      if (replay.size() == mark) *root_at_mark = replay.Root();
    }
  }
  *rpc_status = reader->Finish();
  if (!rpc_status->ok()) {
    return absl::UnavailableError("fetching the entries failed");
  }
  if (replay.size() != size) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the server sent ", replay.size(), " records for a tree of ", size));
  }
  return absl::OkStatus();
}

int AuditExport(const std::vector<std::string>&) {
  const std::string out = absl::GetFlag(FLAGS_out);
  if (out.empty()) {
    std::fprintf(stderr, "error: --out=DIR is required\n");
    return 2;
  }
  absl::StatusOr<std::optional<note::NoteVerifier>> verifier =
      OptionalVerifier();
  if (!verifier.ok()) return FailLocal(verifier.status(), 2);
  auto stub = gavel::v1::AuditService::NewStub(Channel());
  gavel::v1::GetCheckpointReply reply;
  if (grpc::Status status = stub->GetCheckpoint(Context().get(), {}, &reply);
      !status.ok()) {
    return Fail(status);
  }
  const std::string& note_text = reply.checkpoint().note();
  absl::StatusOr<note::TlogCheckpoint> checkpoint;
  if (verifier->has_value()) {
    checkpoint = cli::VerifySignedCheckpoint(note_text, **verifier);
  } else if (absl::StatusOr<note::SignedNote> parsed =
                 note::ParseNote(note_text);
             parsed.ok()) {
    checkpoint = note::ParseCheckpoint(parsed->text);
  } else {
    checkpoint = parsed.status();
  }
  if (!checkpoint.ok()) return FailLocal(checkpoint.status(), 1);

  absl::StatusOr<std::unique_ptr<cli::ExportWriter>> writer =
      cli::ExportWriter::Create(out);
  if (!writer.ok()) return FailLocal(writer.status(), 1);
  cli::TreeReplay replay;
  rfc9162::Hash unused;
  grpc::Status rpc_status;
  if (absl::Status status = FetchAndReplay(
          *stub, checkpoint->tree_size, 0, &unused, replay,
          [&writer](absl::string_view record) {
            return (*writer)->Add(record);
          },
          &rpc_status);
      !status.ok()) {
    return rpc_status.ok() ? FailLocal(status, 1) : Fail(rpc_status);
  }
  if (replay.Root() != checkpoint->root) {
    return FailLocal(absl::FailedPreconditionError(
                         "the records the server sent do not hash to its "
                         "signed root: not exported"),
                     1);
  }
  if (absl::Status status = (*writer)->Finish(note_text); !status.ok()) {
    return FailLocal(status, 1);
  }
  std::printf("exported %llu records of log \"%s\" (root %s) to %s\n",
              static_cast<unsigned long long>(replay.size()),
              checkpoint->origin.c_str(), Base64Root(checkpoint->root).c_str(),
              out.c_str());
  return 0;
}

int AuditVerifyExport(const std::vector<std::string>& args) {
  const std::string key_file = absl::GetFlag(FLAGS_key);
  if (args.size() != 1 || key_file.empty()) {
    std::fprintf(stderr,
                 "error: usage: gavel audit verify-export DIR "
                 "--key=FILE\n");
    return 2;
  }
  absl::StatusOr<note::NoteVerifier> verifier =
      cli::ReadVerifierKeyFile(key_file);
  if (!verifier.ok()) return FailLocal(verifier.status(), 2);
  cli::DecisionReplay decisions;
  absl::StatusOr<cli::VerifiedExport> verified = cli::VerifyExport(
      args[0], *verifier, [&decisions](const gavel::v1::EventRecord& record) {
        decisions.Add(record);
      });
  if (!verified.ok()) return FailLocal(verified.status(), 1);
  const bool json = absl::GetFlag(FLAGS_json);
  for (const cli::ReplayedDecision& decision : decisions.decisions()) {
    if (json) {
      std::printf("%s\n", cli::DecisionJson(decision).c_str());
    } else {
      std::printf("%s\n", cli::FormatDecision(decision).c_str());
    }
  }
  std::fprintf(json ? stderr : stdout,
               "verified: log \"%s\" size %llu root %s; %zu decisions\n",
               verified->checkpoint.origin.c_str(),
               static_cast<unsigned long long>(verified->records),
               Base64Root(verified->checkpoint.root).c_str(),
               decisions.decisions().size());
  return 0;
}

// The positions of the records that make up decision `review` of the
// initiative whose stream is `stream_id`: its review request, recusals,
// votes and the decision, read with EventStreamService.ReadStream. Empty if
// the initiative has no decided review with that number.
absl::StatusOr<std::vector<uint64_t>> DecisionPositions(
    const std::string& stream_id, int32_t review, grpc::Status* rpc_status) {
  auto stub = gavel::v1::EventStreamService::NewStub(Channel());
  std::vector<uint64_t> positions;
  bool decided = false;
  uint64_t from_version = 1;
  while (true) {
    gavel::v1::ReadStreamRequest request;
    request.set_stream_id(stream_id);
    request.set_from_version(from_version);
    request.set_limit(1000);
    gavel::v1::ReadStreamReply reply;
    *rpc_status = stub->ReadStream(Context().get(), request, &reply);
    if (!rpc_status->ok()) return absl::UnavailableError("reading the stream");
    if (reply.events().records().empty()) break;
    for (const gavel::v1::EventRecord& record : reply.events().records()) {
      gavel::v1::InitiativeEvent event;
      if (!event.ParseFromString(record.payload())) continue;
      int32_t number = 0;
      switch (event.event_case()) {
        case gavel::v1::InitiativeEvent::kGateReviewRequested:
          number = event.gate_review_requested().review_number();
          break;
        case gavel::v1::InitiativeEvent::kMemberRecused:
          number = event.member_recused().review_number();
          break;
        case gavel::v1::InitiativeEvent::kGateVoteCast:
          number = event.gate_vote_cast().review_number();
          break;
        case gavel::v1::InitiativeEvent::kGateDecided:
          number = event.gate_decided().review_number();
          decided = decided || number == review;
          break;
        default:
          break;
      }
      if (number == review) positions.push_back(record.position());
      from_version = record.stream_version() + 1;
    }
  }
  if (!decided) positions.clear();
  return positions;
}

int AuditDecision(const std::vector<std::string>& args) {
  const std::string key_file = absl::GetFlag(FLAGS_key);
  if (args.size() != 1 || key_file.empty()) {
    std::fprintf(stderr,
                 "error: usage: gavel audit decision INITIATIVE/REVIEW "
                 "--key=FILE [--state=FILE]\n");
    return 2;
  }
  const size_t slash = args[0].rfind('/');
  int32_t review = 0;
  if (slash == std::string::npos || slash == 0 ||
      !absl::SimpleAtoi(args[0].substr(slash + 1), &review) || review <= 0) {
    std::fprintf(stderr,
                 "error: a decision id is INITIATIVE/REVIEW, e.g. crm/2 "
                 "(got \"%s\")\n",
                 args[0].c_str());
    return 2;
  }
  const std::string initiative_id = args[0].substr(0, slash);
  absl::StatusOr<note::NoteVerifier> verifier =
      cli::ReadVerifierKeyFile(key_file);
  if (!verifier.ok()) return FailLocal(verifier.status(), 2);
  std::optional<note::TlogCheckpoint> trusted;
  if (const std::string state = absl::GetFlag(FLAGS_state); !state.empty()) {
    absl::StatusOr<std::optional<note::TlogCheckpoint>> read =
        cli::ReadTrustedCheckpoint(state, *verifier);
    if (!read.ok()) return FailLocal(read.status(), 1);
    trusted = *read;
  }

  grpc::Status rpc_status;
  absl::StatusOr<std::vector<uint64_t>> positions = DecisionPositions(
      absl::StrCat(cli::kInitiativeStreamPrefix, initiative_id), review,
      &rpc_status);
  if (!positions.ok()) return Fail(rpc_status);
  if (positions->empty()) {
    std::fprintf(stderr, "error: no decision %s in the log\n", args[0].c_str());
    return 1;
  }

  // Every record is fetched as stored, with its inclusion proof, against
  // one signed checkpoint; only proven records make up the printout.
  auto audit = gavel::v1::AuditService::NewStub(Channel());
  // A decision just recorded may be newer than the latest periodic
  // checkpoint: ask for one of the durable head (the verifier still checks
  // its signature below).
  gavel::v1::GetCheckpointReply latest;
  if (grpc::Status status = audit->GetCheckpoint(Context().get(), {}, &latest);
      status.ok() &&
      latest.checkpoint().tree_size() <
          *std::max_element(positions->begin(), positions->end())) {
    gavel::v1::SignCheckpointReply signed_now;
    (void)audit->SignCheckpoint(Context().get(), {}, &signed_now);
  }
  std::optional<note::TlogCheckpoint> checkpoint;
  cli::DecisionReplay replay;
  std::vector<std::string> evidence;
  for (const uint64_t position : *positions) {
    gavel::v1::GetEntryWithProofRequest request;
    request.set_leaf_index(position - 1);
    if (checkpoint) request.set_tree_size(checkpoint->tree_size);
    if (trusted && !checkpoint) request.set_trusted_size(trusted->tree_size);
    gavel::v1::GetEntryWithProofReply reply;
    if (grpc::Status status =
            audit->GetEntryWithProof(Context().get(), request, &reply);
        !status.ok()) {
      return Fail(status);
    }
    if (!checkpoint) {
      absl::StatusOr<note::TlogCheckpoint> signed_cp =
          cli::VerifySignedCheckpoint(reply.checkpoint().note(), *verifier);
      if (!signed_cp.ok()) return FailLocal(signed_cp.status(), 1);
      if (trusted) {
        const std::vector<std::string> proof(reply.consistency_proof().begin(),
                                             reply.consistency_proof().end());
        if (absl::Status status =
                cli::CheckConsistentAdvance(*trusted, *signed_cp, proof);
            !status.ok()) {
          return FailLocal(status, 1);
        }
      }
      checkpoint = *std::move(signed_cp);
    }
    const std::string& bytes = reply.entry().record();
    const std::vector<std::string> proof(reply.inclusion_proof().begin(),
                                         reply.inclusion_proof().end());
    const rfc9162::Hash leaf = rfc9162::HashLeaf(bytes);
    if (absl::Status status = rfc9162::VerifyInclusionBytes(
            position - 1, checkpoint->tree_size, rfc9162::AsBytes(leaf), proof,
            rfc9162::AsBytes(checkpoint->root));
        !status.ok()) {
      return FailLocal(status, 1);
    }
    gavel::v1::EventRecord record;
    if (!record.ParseFromString(bytes) || record.position() != position) {
      return FailLocal(absl::FailedPreconditionError(absl::StrCat(
                           "the entry at leaf ", position - 1,
                           " is not the record of position ", position)),
                       1);
    }
    replay.Add(record);
    std::vector<std::string> hex;
    for (const std::string& hash : proof) {
      hex.push_back(absl::BytesToHexString(hash));
    }
    evidence.push_back(absl::StrCat(
        "  ", record.event_type(), " at position ", position, ": leaf ",
        position - 1, " hash ", rfc9162::ToHex(leaf), "\n    proof ",
        hex.empty() ? "(none)" : absl::StrJoin(hex, ",")));
  }
  if (replay.decisions().size() != 1) {
    return FailLocal(absl::FailedPreconditionError(
                         "the proven records do not hold exactly one decision"),
                     1);
  }
  const cli::ReplayedDecision& decision = replay.decisions()[0];
  const std::string signed_by = absl::StrCat(
      "log \"", checkpoint->origin, "\" size ", checkpoint->tree_size, " root ",
      Base64Root(checkpoint->root),
      trusted ? absl::StrCat(", consistent with the trusted size ",
                             trusted->tree_size)
              : "");
  if (absl::GetFlag(FLAGS_json)) {
    std::printf("%s\n", cli::DecisionJson(decision).c_str());
    std::fprintf(stderr, "proven against %s\n", signed_by.c_str());
    return 0;
  }
  std::printf("%s", cli::FormatDecision(decision).c_str());
  std::printf(
      "evidence: every record above is included in the signed "
      "checkpoint of %s\n%s\n",
      signed_by.c_str(), absl::StrJoin(evidence, "\n").c_str());
  return 0;
}

int AuditVerify(const std::vector<std::string>&) {
  const std::string state_file = absl::GetFlag(FLAGS_state);
  const std::string key_file = absl::GetFlag(FLAGS_key);
  if (state_file.empty() || key_file.empty()) {
    std::fprintf(stderr, "error: --state=FILE and --key=FILE are required\n");
    return 2;
  }
  absl::StatusOr<note::NoteVerifier> verifier =
      cli::ReadVerifierKeyFile(key_file);
  if (!verifier.ok()) return FailLocal(verifier.status(), 1);
  absl::StatusOr<std::optional<note::TlogCheckpoint>> trusted =
      cli::ReadTrustedCheckpoint(state_file, *verifier);
  if (!trusted.ok()) return FailLocal(trusted.status(), 1);

  auto stub = gavel::v1::AuditService::NewStub(Channel());
  gavel::v1::GetCheckpointReply reply;
  if (grpc::Status status = stub->GetCheckpoint(Context().get(), {}, &reply);
      !status.ok()) {
    return Fail(status);
  }
  const std::string& note_text = reply.checkpoint().note();
  absl::StatusOr<note::TlogCheckpoint> latest =
      cli::VerifySignedCheckpoint(note_text, *verifier);
  if (!latest.ok()) {
    return FailLocal(absl::Status(latest.status().code(),
                                  absl::StrCat("the server's checkpoint: ",
                                               latest.status().message())),
                     1);
  }
  std::string summary;
  if (trusted->has_value()) {
    const note::TlogCheckpoint& old = **trusted;
    std::vector<std::string> proof;
    if (old.tree_size > 0 && old.tree_size < latest->tree_size) {
      gavel::v1::GetConsistencyProofRequest request;
      request.set_first_size(old.tree_size);
      request.set_second_size(latest->tree_size);
      gavel::v1::GetConsistencyProofReply proof_reply;
      if (grpc::Status status =
              stub->GetConsistencyProof(Context().get(), request, &proof_reply);
          !status.ok()) {
        return Fail(status);
      }
      proof.assign(proof_reply.proof().begin(), proof_reply.proof().end());
    }
    if (absl::Status status = cli::CheckConsistentAdvance(old, *latest, proof);
        !status.ok()) {
      return FailLocal(status, 1);
    }
    summary = absl::StrCat("consistent: log \"", latest->origin, "\" size ",
                           old.tree_size, " -> ", latest->tree_size, " root ",
                           Base64Root(latest->root));
  } else {
    summary =
        absl::StrCat("trusted on first use: log \"", latest->origin, "\" size ",
                     latest->tree_size, " root ", Base64Root(latest->root));
  }
  if (absl::GetFlag(FLAGS_replay)) {
    // The proofs come from the server's stored tree nodes; the records
    // themselves must hash to the same roots.
    const uint64_t trusted_size =
        trusted->has_value() ? (*trusted)->tree_size : latest->tree_size;
    cli::TreeReplay replay;
    rfc9162::Hash root_at_trusted{};
    grpc::Status rpc_status;
    if (absl::Status status =
            FetchAndReplay(*stub, latest->tree_size, trusted_size,
                           &root_at_trusted, replay, {}, &rpc_status);
        !status.ok()) {
      return rpc_status.ok() ? FailLocal(status, 1) : Fail(rpc_status);
    }
    if (trusted->has_value() && root_at_trusted != (*trusted)->root) {
      return FailLocal(
          absl::FailedPreconditionError(absl::StrCat(
              "the first ", trusted_size,
              " records no longer hash to the trusted root: the log was "
              "altered")),
          1);
    }
    if (replay.Root() != latest->root) {
      return FailLocal(absl::FailedPreconditionError(absl::StrCat(
                           "the ", latest->tree_size,
                           " records do not hash to the signed root")),
                       1);
    }
    absl::StrAppend(&summary, "; ", replay.size(),
                    " records re-hashed to both roots");
  }
  if (absl::Status status = cli::WriteFileAtomically(state_file, note_text);
      !status.ok()) {
    return FailLocal(status, 1);
  }
  std::printf("%s\n", summary.c_str());
  return 0;
}

int EventsTail(const std::vector<std::string>&) {
  gavel::v1::SubscribeRequest request;
  if (absl::GetFlag(FLAGS_now)) {
    request.set_from_now(true);
  } else {
    uint64_t from = 0;
    if (const std::string text = absl::GetFlag(FLAGS_from);
        !text.empty() && !absl::SimpleAtoi(text, &from)) {
      std::fprintf(stderr, "error: --from must be a log position\n");
      return 2;
    }
    request.set_after_position(from);
  }
  for (const std::string& type : absl::GetFlag(FLAGS_type)) {
    request.mutable_filter()->add_event_types(type);
  }
  for (const std::string& prefix : absl::GetFlag(FLAGS_prefix)) {
    request.mutable_filter()->add_stream_prefixes(prefix);
  }
  const int64_t limit = absl::GetFlag(FLAGS_limit);
  const bool follow = absl::GetFlag(FLAGS_follow);
  const bool json = absl::GetFlag(FLAGS_json);
  auto stub = gavel::v1::EventStreamService::NewStub(Channel());
  std::unique_ptr<grpc::ClientContext> context = StreamContext();
  std::unique_ptr<grpc::ClientReader<gavel::v1::SubscribeReply>> reader =
      stub->Subscribe(context.get(), request);
  gavel::v1::SubscribeReply reply;
  int64_t shown = 0;
  uint64_t position = request.after_position();
  while (reader->Read(&reply)) {
    position = reply.position();
    for (const gavel::v1::EventRecord& record : reply.events().records()) {
      std::printf(
          "%s\n",
          (json ? cli::RecordJson(record) : cli::RecordLine(record)).c_str());
      if (limit > 0 && ++shown >= limit) break;
    }
    std::fflush(stdout);
    if ((limit > 0 && shown >= limit) || (!follow && reply.has_caught_up())) {
      context->TryCancel();
      break;
    }
  }
  grpc::Status status = reader->Finish();
  if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED) {
    return Fail(status);
  }
  // Where to resume: pass it as --from next time.
  std::fprintf(stderr, "position %llu\n",
               static_cast<unsigned long long>(position));
  return 0;
}

// gavel GROUP VERB [field=value ...] [--file=JSON] [--command_id=ID]
// [--expected_version=N]: one domain command.
int RunVerb(const cli::CommandVerb& verb,
            const std::vector<std::string>& args) {
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> request =
      cli::NewRequest(verb);
  if (!request.ok()) return FailLocal(request.status(), 1);
  google::protobuf::Message& message = **request;
  const google::protobuf::Reflection& reflection = *message.GetReflection();
  const google::protobuf::Descriptor& descriptor = *message.GetDescriptor();
  google::protobuf::Message& command = *reflection.MutableMessage(
      &message, descriptor.FindFieldByName("command"));
  gavel::v1::CommandOptions& options =
      *google::protobuf::DynamicCastToGenerated<gavel::v1::CommandOptions>(
          reflection.MutableMessage(&message,
                                    descriptor.FindFieldByName("options")));
  if (const std::string file = absl::GetFlag(FLAGS_file); !file.empty()) {
    absl::StatusOr<std::string> json = cli::ReadWholeFile(file);
    if (json.ok() && cli::IsYamlFile(file)) json = cli::YamlToJson(*json);
    if (!json.ok()) return FailLocal(json.status(), 2);
    if (absl::Status status = cli::MergeJson(*json, command); !status.ok()) {
      return FailLocal(status, 2);
    }
  }
  for (const std::string& arg : args) {
    const size_t eq = arg.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::fprintf(stderr,
                   "error: \"%s\" is not field=value (see gavel %s %s "
                   "--help)\n",
                   arg.c_str(), verb.group, verb.verb);
      return 2;
    }
    if (absl::Status status =
            cli::SetField(command, arg.substr(0, eq), arg.substr(eq + 1));
        !status.ok()) {
      return FailLocal(status, 2);
    }
  }
  std::string command_id = absl::GetFlag(FLAGS_command_id);
  if (command_id.empty()) {
    absl::BitGen bits;
    command_id = absl::StrCat("cli-", absl::Hex(absl::Uniform<uint64_t>(bits)),
                              absl::Hex(absl::Uniform<uint64_t>(bits)));
  }
  options.set_command_id(command_id);
  if (const int64_t expected = absl::GetFlag(FLAGS_expected_version);
      expected >= 0) {
    options.set_expected_version(static_cast<uint64_t>(expected));
  }

  std::string bytes;
  grpc::Status status =
      CallUnary(absl::StrCat("/", verb.service, "/", verb.method),
                message.SerializeAsString(), &bytes);
  if (!status.ok()) return Fail(status);
  gavel::v1::CommandReply reply;
  if (!reply.ParseFromString(bytes)) {
    return FailLocal(absl::DataLossError("the reply does not parse"), 1);
  }
  if (absl::GetFlag(FLAGS_json)) {
    std::vector<std::string> events;
    for (const gavel::v1::EventRecord& event : reply.events()) {
      events.push_back(cli::RecordJson(event));
    }
    std::printf(
        "{\"stream_id\":\"%s\",\"version\":%llu,\"first_position\":%llu,"
        "\"last_position\":%llu,\"deduplicated\":%s,\"command_id\":\"%s\","
        "\"events\":[%s]}\n",
        absl::CHexEscape(reply.stream_id()).c_str(),
        static_cast<unsigned long long>(reply.version()),
        static_cast<unsigned long long>(reply.first_position()),
        static_cast<unsigned long long>(reply.last_position()),
        reply.deduplicated() ? "true" : "false",
        absl::CHexEscape(command_id).c_str(),
        absl::StrJoin(events, ",").c_str());
    return 0;
  }
  std::vector<std::string> types;
  for (const gavel::v1::EventRecord& event : reply.events()) {
    types.push_back(event.event_type());
  }
  std::printf("OK %s version %llu, positions %llu..%llu: %s%s\n",
              reply.stream_id().c_str(),
              static_cast<unsigned long long>(reply.version()),
              static_cast<unsigned long long>(reply.first_position()),
              static_cast<unsigned long long>(reply.last_position()),
              absl::StrJoin(types, ", ").c_str(),
              reply.deduplicated() ? " (an earlier try's result)" : "");
  std::fprintf(stderr, "command_id %s\n", command_id.c_str());
  return 0;
}

// gavel demo load [--seed=N]: every command of the demo portfolio, in
// order, with idempotency keys derived from the seed: a second run (or one
// resuming an interrupted load) is deduplicated command by command. A
// server that has the demo's first objective from another seed, or from a
// portfolio of its own, is refused before anything is written.
int CallPlan(absl::string_view method, const google::protobuf::Message& request,
             google::protobuf::Message* reply);

int DemoLoad(const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::fprintf(stderr, "error: demo load takes no arguments (--seed=N)\n");
    return 2;
  }
  auto admin = gavel::v1::AdminService::NewStub(Channel());
  gavel::v1::GetStatusReply server;
  if (grpc::Status status = admin->GetStatus(Context().get(), {}, &server);
      !status.ok()) {
    return Fail(status);
  }
  tools::DemoOptions options;
  options.seed = absl::GetFlag(FLAGS_seed);
  options.today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  options.chair = server.principal();
  const absl::Time start = absl::Now();
  uint64_t commands = 0, events = 0, deduplicated = 0, first = 0, last = 0;
  for (const tools::DemoPhase& phase : tools::DemoPortfolio(options)) {
    for (size_t i = 0; i < phase.commands.size(); ++i) {
      absl::StatusOr<cli::CommandRequest> request = cli::BuildCommandRequest(
          phase.commands[i], tools::DemoCommandId(options.seed, phase.name, i));
      if (!request.ok()) return FailLocal(request.status(), 1);
      std::string bytes;
      grpc::Status status = CallUnary(
          absl::StrCat("/", request->verb->service, "/", request->verb->method),
          request->bytes, &bytes);
      if (!status.ok() && commands == 0 &&
          status.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
        std::fprintf(stderr,
                     "error: objective \"%s\" already exists: this server "
                     "has the demo from another --seed, or a portfolio of "
                     "its own. Load the demo into an empty server (a new "
                     "--data_dir).\n",
                     tools::kDemoFirstObjectiveId);
        return 1;
      }
      if (!status.ok()) {
        std::fprintf(stderr, "demo load: %s step %zu (gavel %s %s) failed\n",
                     phase.name.c_str(), i, request->verb->group,
                     request->verb->verb);
        return Fail(status);
      }
      gavel::v1::CommandReply reply;
      if (!reply.ParseFromString(bytes)) {
        return FailLocal(absl::DataLossError("the reply does not parse"), 1);
      }
      ++commands;
      // A deduplicated reply carries the first run's positions: the plan's
      // optimization below waits for the same position either way (its
      // request, idempotency key included, must not change).
      last = std::max<uint64_t>(last, reply.last_position());
      if (reply.deduplicated()) {
        ++deduplicated;
        continue;
      }
      events += reply.events_size();
      if (first == 0) first = reply.first_position();
    }
    if (!phase.optimize_plan_id.empty()) {
      gavel::v1::OptimizeScenarioRequest optimize;
      optimize.set_plan_id(phase.optimize_plan_id);
      optimize.mutable_options()->set_command_id(tools::DemoCommandId(
          options.seed, phase.name, phase.commands.size()));
      optimize.set_min_position(last);
      gavel::v1::OptimizeScenarioReply reply;
      if (int rc = CallPlan("OptimizeScenario", optimize, &reply); rc != 0) {
        std::fprintf(stderr, "demo load: optimizing plan %s failed\n",
                     phase.optimize_plan_id.c_str());
        return rc;
      }
      ++commands;
      if (reply.command().deduplicated()) {
        ++deduplicated;
      } else {
        events += reply.command().events_size();
        last = std::max<uint64_t>(last, reply.command().last_position());
      }
    }
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  if (absl::GetFlag(FLAGS_json)) {
    std::printf(
        "{\"seed\":%llu,\"commands\":%llu,\"deduplicated\":%llu,"
        "\"events\":%llu,\"first_position\":%llu,\"last_position\":%llu,"
        "\"seconds\":%.3f}\n",
        static_cast<unsigned long long>(options.seed),
        static_cast<unsigned long long>(commands),
        static_cast<unsigned long long>(deduplicated),
        static_cast<unsigned long long>(events),
        static_cast<unsigned long long>(first),
        static_cast<unsigned long long>(last), seconds);
  } else if (deduplicated == commands) {
    std::printf(
        "The demo portfolio (seed %llu) is already loaded: all %llu commands "
        "were deduplicated, nothing changed.\n",
        static_cast<unsigned long long>(options.seed),
        static_cast<unsigned long long>(commands));
  } else {
    std::printf(
        "Loaded the demo portfolio (seed %llu): %llu commands, %llu events "
        "at positions %llu..%llu in %.1f s%s.\n",
        static_cast<unsigned long long>(options.seed),
        static_cast<unsigned long long>(commands - deduplicated),
        static_cast<unsigned long long>(events),
        static_cast<unsigned long long>(first),
        static_cast<unsigned long long>(last), seconds,
        deduplicated > 0
            ? absl::StrCat(" (", deduplicated, " were already there)").c_str()
            : "");
  }
  return 0;
}

constexpr char kQueryService[] = "gavel.v1.PortfolioQueryService";

// Fills the request's ReadOptions from --as_of and --min_position.
absl::Status SetReadOptions(google::protobuf::Message& request) {
  const google::protobuf::FieldDescriptor* field =
      request.GetDescriptor()->FindFieldByName("read");
  if (field == nullptr) return absl::OkStatus();
  gavel::v1::ReadOptions& read =
      *google::protobuf::DynamicCastToGenerated<gavel::v1::ReadOptions>(
          request.GetReflection()->MutableMessage(&request, field));
  if (const int64_t min = absl::GetFlag(FLAGS_min_position); min > 0) {
    read.set_min_position(static_cast<uint64_t>(min));
  }
  const std::string as_of = absl::GetFlag(FLAGS_as_of);
  if (as_of.empty()) return absl::OkStatus();
  uint64_t position = 0;
  if (absl::SimpleAtoi(as_of, &position)) {
    read.set_as_of_position(position);
    return absl::OkStatus();
  }
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, as_of, &time, &error) &&
      !absl::ParseTime("%Y-%m-%d", as_of, absl::UTCTimeZone(), &time, &error)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--as_of: a position or a time (2026-03-31, RFC 3339): ", error));
  }
  read.mutable_as_of_time()->set_seconds(absl::ToUnixSeconds(time));
  return absl::OkStatus();
}

std::string MoneyText(const gavel::v1::Money& money) {
  if (money.currency().empty()) return "-";
  return absl::StrFormat("%s %.2f", money.currency(),
                         static_cast<double>(money.minor_units()) / 100.0);
}

// The ranked portfolio as a table: rank is by priority tier, then weighted
// score, then age.
void PrintPortfolio(const gavel::v1::ListInitiativesReply& reply) {
  std::printf("%-5s %-8s %-22s %-34s %-6s %-12s %-7s %-16s %s\n", "RANK",
              "PRIORITY", "ID", "TITLE", "STAGE", "STATUS", "SCORE", "COST",
              "OBJECTIVE");
  for (const gavel::v1::InitiativeSummary& i : reply.initiatives()) {
    std::string status = gavel::v1::InitiativeStatus_Name(i.status());
    if (absl::StartsWith(status, "INITIATIVE_STATUS_"))
      status = status.substr(18);
    std::string priority = absl::AsciiStrToLower(
        gavel::v1::Priority_Name(i.priority()).substr(sizeof("PRIORITY_") - 1));
    if (i.priority() == gavel::v1::PRIORITY_UNSPECIFIED) priority = "-";
    std::printf(
        "%-5s %-8s %-22s %-34.34s %-6s %-12s %-7s %-16s %s\n",
        i.rank() > 0 ? absl::StrCat(i.rank()).c_str() : "-", priority.c_str(),
        i.initiative_id().c_str(), i.title().c_str(),
        i.stage().empty() ? "-" : i.stage().c_str(), status.c_str(),
        i.scored()
            ? absl::StrFormat("%.2f", i.weighted_score_bp() / 100.0).c_str()
            : "-",
        MoneyText(i.cost_estimate()).c_str(), i.primary_objective_id().c_str());
  }
  std::printf("%d initiatives (position %llu)\n", reply.initiatives_size(),
              static_cast<unsigned long long>(reply.read().position()));
}

// gavel GROUP VERB [ID] [field=value ...] [--as_of=...] [--min_position=N]:
// one read of the portfolio's projections. List replies are followed to
// their last page.
int RunQuery(const cli::QueryVerb& verb, const std::vector<std::string>& args) {
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> request =
      cli::NewRpcRequest(kQueryService, verb.method);
  if (!request.ok()) return FailLocal(request.status(), 1);
  for (const std::string& arg : args) {
    const size_t eq = arg.find('=');
    absl::Status status =
        eq == std::string::npos
            ? (*verb.positional != '\0'
                   ? cli::SetField(**request, verb.positional, arg)
                   : absl::InvalidArgumentError(
                         absl::StrCat("\"", arg, "\" is not field=value")))
            : cli::SetField(**request, arg.substr(0, eq), arg.substr(eq + 1));
    if (!status.ok()) return FailLocal(status, 2);
  }
  if (absl::Status status = SetReadOptions(**request); !status.ok()) {
    return FailLocal(status, 2);
  }
  std::optional<absl::CivilDay> since;
  if (auto* metrics = google::protobuf::DynamicCastToGenerated<
          gavel::v1::GetGovernanceMetricsRequest>(request->get())) {
    if (const std::string board = absl::GetFlag(FLAGS_board); !board.empty()) {
      metrics->set_board_id(board);
    }
    if (const std::string text = absl::GetFlag(FLAGS_since); !text.empty()) {
      absl::CivilDay day;
      if (!absl::ParseCivilTime(text, &day)) {
        return FailLocal(
            absl::InvalidArgumentError("--since: a date such as 2025-01-01"),
            2);
      }
      since = day;
    }
  }
  const bool json = absl::GetFlag(FLAGS_json);
  if (std::string(verb.method) == "ExportDecisions") {
    auto* export_request = google::protobuf::DynamicCastToGenerated<
        gavel::v1::ExportDecisionsRequest>(request->get());
    if (export_request->format() == gavel::v1::EXPORT_FORMAT_UNSPECIFIED) {
      export_request->set_format(gavel::v1::EXPORT_FORMAT_JSONL);
    }
    auto stub = gavel::v1::PortfolioQueryService::NewStub(Channel());
    std::unique_ptr<grpc::ClientContext> context = StreamContext();
    auto reader = stub->ExportDecisions(context.get(), *export_request);
    gavel::v1::ExportDecisionsChunk chunk;
    while (reader->Read(&chunk)) {
      std::fwrite(chunk.data().data(), 1, chunk.data().size(), stdout);
    }
    grpc::Status status = reader->Finish();
    return status.ok() ? 0 : Fail(status);
  }
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> reply =
      cli::NewRpcReply(kQueryService, verb.method);
  if (!reply.ok()) return FailLocal(reply.status(), 1);
  const google::protobuf::FieldDescriptor* token_in =
      (*request)->GetDescriptor()->FindFieldByName("page_token");
  const google::protobuf::FieldDescriptor* token_out =
      (*reply)->GetDescriptor()->FindFieldByName("next_page_token");
  while (true) {
    std::string bytes;
    grpc::Status status =
        CallUnary(absl::StrCat("/", kQueryService, "/", verb.method),
                  (*request)->SerializeAsString(), &bytes);
    if (!status.ok()) return Fail(status);
    std::unique_ptr<google::protobuf::Message> page((*reply)->New());
    if (!page->ParseFromString(bytes)) {
      return FailLocal(absl::DataLossError("the reply does not parse"), 1);
    }
    const std::string next =
        token_out == nullptr
            ? ""
            : page->GetReflection()->GetString(*page, token_out);
    (*reply)->MergeFrom(*page);
    if (next.empty() || token_in == nullptr) break;
    (*request)->GetReflection()->SetString(request->get(), token_in, next);
  }
  if (token_out != nullptr) {
    (*reply)->GetReflection()->ClearField(reply->get(), token_out);
  }
  auto* metrics = google::protobuf::DynamicCastToGenerated<
      gavel::v1::GetGovernanceMetricsReply>(reply->get());
  if (metrics != nullptr && since.has_value()) {
    cli::KeepCyclesSince(*since, *metrics->mutable_metrics());
  }
  if (json) {
    PrintJson(**reply);
  } else if (metrics != nullptr) {
    std::printf("%s", cli::MetricsTable(metrics->metrics()).c_str());
  } else if (auto* one = google::protobuf::DynamicCastToGenerated<
                 gavel::v1::GetDecisionReply>(reply->get())) {
    std::printf("%s", cli::DecisionView(one->decision()).c_str());
  } else if (auto* many = google::protobuf::DynamicCastToGenerated<
                 gavel::v1::ListDecisionsReply>(reply->get())) {
    std::printf("%s", cli::DecisionsTable(many->decisions()).c_str());
  } else if (auto* list = google::protobuf::DynamicCastToGenerated<
                 gavel::v1::ListInitiativesReply>(reply->get())) {
    PrintPortfolio(*list);
  } else {
    std::string text;
    google::protobuf::TextFormat::PrintToString(**reply, &text);
    std::printf("%s", text.c_str());
  }
  return 0;
}

// gavel plan optimize|frontier|sensitivity|show PLAN_ID [field=value ...]:
// the PortfolioPlanService calls that are not plain commands.
constexpr char kPlanService[] = "gavel.v1.PortfolioPlanService";

// Sets plan_id from the positional word and the rest from field=value.
absl::Status FillPlanRequest(const std::vector<std::string>& args,
                             google::protobuf::Message& request) {
  for (const std::string& arg : args) {
    const size_t eq = arg.find('=');
    absl::Status status =
        eq == std::string::npos
            ? cli::SetField(request, "plan_id", arg)
            : cli::SetField(request, arg.substr(0, eq), arg.substr(eq + 1));
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

// Calls PortfolioPlanService/`method`; 0 with *reply filled, else the exit
// code (the error printed).
int CallPlan(absl::string_view method, const google::protobuf::Message& request,
             google::protobuf::Message* reply) {
  std::string bytes;
  grpc::Status status = CallUnary(absl::StrCat("/", kPlanService, "/", method),
                                  request.SerializeAsString(), &bytes);
  if (!status.ok()) return Fail(status);
  if (!reply->ParseFromString(bytes)) {
    return FailLocal(absl::DataLossError("the reply does not parse"), 1);
  }
  return 0;
}

std::string Minor(int64_t minor_units, const std::string& currency) {
  gavel::v1::Money money;
  money.set_minor_units(minor_units);
  money.set_currency(currency);
  return MoneyText(money);
}

std::string ForcedText(gavel::v1::ForceDirection d) {
  switch (d) {
    case gavel::v1::FORCE_IN:
      return "in";
    case gavel::v1::FORCE_OUT:
      return "out";
    default:
      return "";
  }
}

// The ranking with the cut line drawn after the last funded entry.
void PrintRanking(
    const google::protobuf::RepeatedPtrField<gavel::v1::PlanEntry>& ranking,
    int cut_line, const std::string& currency) {
  std::printf("%-5s %-24s %8s %18s %s\n", "RANK", "ID", "SCORE", "COST",
              "FORCED");
  for (int k = 0; k < ranking.size(); ++k) {
    if (k == cut_line) {
      std::printf("----- cut line: %d funded above, %d below -----\n", cut_line,
                  ranking.size() - cut_line);
    }
    const gavel::v1::PlanEntry& e = ranking[k];
    std::printf("%-5d %-24s %8.2f %18s %s\n", k + 1, e.initiative_id().c_str(),
                e.value() / 100.0,
                Minor(e.cost_minor_units(), currency).c_str(),
                ForcedText(e.forced()).c_str());
  }
  if (cut_line == ranking.size()) {
    std::printf("----- cut line: all %d funded -----\n", cut_line);
  }
}

// The efficient frontier as a bar chart: one row per budget point.
void PrintFrontier(const gavel::v1::GetFrontierReply& reply) {
  constexpr int kWidth = 40;
  int64_t best = 1;
  for (const gavel::v1::FrontierPoint& p : reply.points()) {
    best = std::max(best, p.objective_value());
  }
  std::printf("efficient frontier (value of the best portfolio per budget):\n");
  int64_t previous = -1;
  for (const gavel::v1::FrontierPoint& p : reply.points()) {
    const int bar = p.feasible()
                        ? static_cast<int>(p.objective_value() * kWidth / best)
                        : 0;
    std::string note;
    if (!p.feasible()) {
      note = "infeasible (forced choices do not fit)";
    } else {
      note = absl::StrFormat("%.2f  %d funded", p.objective_value() / 100.0,
                             p.selected());
      if (p.objective_value() == previous) note += "  (flat)";
      previous = p.objective_value();
    }
    std::printf("  %4u%% %18s |%s%s| %s\n", p.budget_factor_bp() / 100,
                Minor(p.total_budget_minor_units(), reply.currency()).c_str(),
                std::string(bar, '#').c_str(),
                std::string(kWidth - bar, ' ').c_str(), note.c_str());
  }
  for (const gavel::v1::PoolMarginalValue& pool : reply.pools()) {
    std::printf("  one more unit of %s per period: %+.2f%s\n",
                pool.pool_id().c_str(), pool.marginal_value() / 100.0,
                pool.binding() ? " (binding)" : "");
  }
}

int PlanOptimize(const std::vector<std::string>& args) {
  gavel::v1::OptimizeScenarioRequest request;
  if (absl::Status s = FillPlanRequest(args, request); !s.ok()) {
    return FailLocal(s, 2);
  }
  std::string command_id = absl::GetFlag(FLAGS_command_id);
  if (command_id.empty()) {
    absl::BitGen bits;
    command_id = absl::StrCat("cli-", absl::Hex(absl::Uniform<uint64_t>(bits)),
                              absl::Hex(absl::Uniform<uint64_t>(bits)));
  }
  request.mutable_options()->set_command_id(command_id);
  if (const int64_t min = absl::GetFlag(FLAGS_min_position); min > 0) {
    request.set_min_position(static_cast<uint64_t>(min));
  }
  gavel::v1::OptimizeScenarioReply reply;
  if (int rc = CallPlan("OptimizeScenario", request, &reply); rc != 0) {
    return rc;
  }
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(reply);
    return 0;
  }
  const gavel::v1::ScenarioOptimized& o = reply.optimization();
  std::printf("OK %s version %llu, position %llu: ScenarioOptimized run %d\n",
              reply.command().stream_id().c_str(),
              static_cast<unsigned long long>(reply.command().version()),
              static_cast<unsigned long long>(reply.command().last_position()),
              o.run());
  std::printf(
      "objective %.2f (bound %.2f, gap %.2f%%, %s), %d of %d funded, solved "
      "in %u ms\n",
      o.objective_value() / 100.0, o.best_bound() / 100.0, o.gap_bp() / 100.0,
      o.optimal() ? "optimal" : "time limit reached", o.cut_line(),
      o.ranking_size(), reply.solve_ms());
  for (const gavel::v1::PlanConstraint& c : o.constraints()) {
    if (c.binding()) {
      std::printf("binding: %s (%lld of %lld)\n", c.constraint_id().c_str(),
                  static_cast<long long>(c.used()),
                  static_cast<long long>(c.limit()));
    }
  }
  for (const std::string& why : o.skipped()) {
    std::printf("skipped: %s\n", why.c_str());
  }
  std::fprintf(stderr, "command_id %s\n", command_id.c_str());
  return 0;
}

int PlanFrontier(const std::vector<std::string>& args) {
  gavel::v1::GetFrontierRequest request;
  if (absl::Status s = FillPlanRequest(args, request); !s.ok()) {
    return FailLocal(s, 2);
  }
  if (const int64_t min = absl::GetFlag(FLAGS_min_position); min > 0) {
    request.set_min_position(static_cast<uint64_t>(min));
  }
  gavel::v1::GetFrontierReply reply;
  if (int rc = CallPlan("GetFrontier", request, &reply); rc != 0) return rc;
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(reply);
  } else {
    PrintFrontier(reply);
  }
  return 0;
}

int PlanSensitivity(const std::vector<std::string>& args) {
  gavel::v1::GetSensitivityRequest request;
  if (absl::Status s = FillPlanRequest(args, request); !s.ok()) {
    return FailLocal(s, 2);
  }
  if (const int64_t min = absl::GetFlag(FLAGS_min_position); min > 0) {
    request.set_min_position(static_cast<uint64_t>(min));
  }
  gavel::v1::GetSensitivityReply reply;
  if (int rc = CallPlan("GetSensitivity", request, &reply); rc != 0) return rc;
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(reply);
    return 0;
  }
  std::vector<std::string> base;
  for (int k = 0; k < reply.criterion_ids_size(); ++k) {
    base.push_back(absl::StrCat(reply.criterion_ids(k), "=",
                                reply.base_weights_bp(k) / 100.0, "%"));
  }
  std::printf("compared with the %s; weights %s\n", reply.reference().c_str(),
              absl::StrJoin(base, " ").c_str());
  std::printf("%-20s %6s %8s  %s\n", "CRITERION", "SHIFT", "TAU",
              "CROSSING THE CUT LINE");
  for (const gavel::v1::WeightVariant& v : reply.variants()) {
    std::string crossing;
    for (const std::string& id : v.entered())
      absl::StrAppend(&crossing, "+", id, " ");
    for (const std::string& id : v.left())
      absl::StrAppend(&crossing, "-", id, " ");
    std::printf("%-20s %+5dpp %8.3f  %s\n", v.criterion_id().c_str(),
                v.delta_bp() / 100, v.kendall_tau(),
                crossing.empty() ? "none" : crossing.c_str());
  }
  return 0;
}

int PlanShow(const std::vector<std::string>& args) {
  gavel::v1::GetPlanRequest request;
  if (absl::Status s = FillPlanRequest(args, request); !s.ok()) {
    return FailLocal(s, 2);
  }
  gavel::v1::GetPlanReply plan;
  if (int rc = CallPlan("GetPlan", request, &plan); rc != 0) return rc;
  gavel::v1::GetFrontierRequest frontier_request;
  frontier_request.set_plan_id(request.plan_id());
  if (const int64_t min = absl::GetFlag(FLAGS_min_position); min > 0) {
    frontier_request.set_min_position(static_cast<uint64_t>(min));
  }
  gavel::v1::GetFrontierReply frontier;
  std::string bytes;
  grpc::Status frontier_status =
      CallUnary(absl::StrCat("/", kPlanService, "/GetFrontier"),
                frontier_request.SerializeAsString(), &bytes);
  const bool have_frontier =
      frontier_status.ok() && frontier.ParseFromString(bytes);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(plan);
    if (have_frontier) PrintJson(frontier);
    return 0;
  }
  const gavel::v1::ScenarioCreated& s = plan.scenario();
  int64_t total_budget = 0;
  for (const gavel::v1::PeriodAmount& b : s.budget())
    total_budget += b.amount();
  std::string horizon = gavel::v1::Horizon_Name(s.horizon());
  if (absl::StartsWith(horizon, "HORIZON_")) horizon = horizon.substr(8);
  std::printf("plan %s \"%s\" (%s), version %llu\n", s.plan_id().c_str(),
              s.name().c_str(), horizon.c_str(),
              static_cast<unsigned long long>(plan.version()));
  std::printf(
      "budget %s over %d periods, %d capacity pools, %d exclusive "
      "groups, %s\n",
      Minor(total_budget, s.currency()).c_str(), s.budget_size(),
      s.capacity_size(), s.exclusive_groups_size(),
      s.candidate_ids().empty()
          ? "every scored initiative a candidate"
          : absl::StrCat(s.candidate_ids_size(), " candidates").c_str());
  for (const gavel::v1::ForcedChoice& f : plan.forced()) {
    std::printf("forced %s: %s\n", ForcedText(f.direction()).c_str(),
                f.initiative_id().c_str());
  }
  if (!plan.has_optimization()) {
    std::printf("not optimized yet (gavel plan optimize %s)\n",
                s.plan_id().c_str());
  } else {
    const gavel::v1::ScenarioOptimized& o = plan.optimization();
    std::printf(
        "optimization run %d%s: objective %.2f, gap %.2f%%, %d of %d "
        "funded\n",
        o.run(), plan.optimization_current() ? "" : " (stale)",
        o.objective_value() / 100.0, o.gap_bp() / 100.0, o.cut_line(),
        o.ranking_size());
    for (const gavel::v1::PlanPublished& p : plan.published()) {
      std::printf(
          "published run %d by %s (board %s)%s\n", p.run(),
          p.published_by().c_str(), p.decision().board_id().c_str(),
          p.override_reason().empty()
              ? ""
              : absl::StrCat(", overriding ",
                             absl::StrJoin(p.overridden_constraints(), ", "),
                             ": ", p.override_reason())
                    .c_str());
    }
    PrintRanking(o.ranking(), o.cut_line(), s.currency());
  }
  if (have_frontier) {
    PrintFrontier(frontier);
  } else if (!frontier_status.ok()) {
    std::printf("frontier unavailable: %s\n",
                frontier_status.error_message().c_str());
  }
  return 0;
}

// Help for the level the words name: everything, a group, or one verb.
void PrintHelp(const std::vector<std::string>& words) {
  if (words.size() >= 2) {
    if (const cli::CommandVerb* verb = cli::FindCommandVerb(words[0], words[1]);
        verb != nullptr) {
      std::printf(
          "gavel %s %s [field=value ...] [--file=JSON] "
          "[--command_id=ID] [--expected_version=N]\n\n  %s\n  "
          "(%s/%s)\n\nfields:\n",
          verb->group, verb->verb, verb->summary, verb->service, verb->method);
      absl::StatusOr<std::unique_ptr<google::protobuf::Message>> request =
          cli::NewRequest(*verb);
      if (request.ok()) {
        const google::protobuf::FieldDescriptor* command =
            (*request)->GetDescriptor()->FindFieldByName("command");
        std::printf("%s",
                    cli::DescribeFields(*command->message_type()).c_str());
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
    for (const cli::QueryVerb& verb : cli::QueryVerbs()) {
      if (words[0] != verb.group) continue;
      if (!any) std::printf("gavel %s VERB ...\n\n", verb.group);
      any = true;
      std::printf("  %-20s %s%s\n", verb.verb, verb.summary,
                  *verb.positional
                      ? absl::StrCat(" [", verb.positional, "]").c_str()
                      : "");
    }
    for (const cli::CommandVerb& verb : cli::CommandVerbs()) {
      if (words[0] != verb.group) continue;
      if (!any) std::printf("gavel %s VERB ...\n\n", verb.group);
      any = true;
      std::printf("  %-20s %s\n", verb.verb, verb.summary);
    }
    if (any) {
      std::printf("\ngavel %s VERB --help shows a verb's fields.\n",
                  words[0].c_str());
      return;
    }
  }
  std::printf("%s\nqueries (--as_of=POSITION|DATE, --min_position=N):\n",
              kUsage);
  for (const cli::QueryVerb& verb : cli::QueryVerbs()) {
    std::printf("  %s %-8s %s\n", verb.group, verb.verb, verb.summary);
  }
  std::printf("\ncommands (gavel GROUP --help lists a group's verbs):\n");
  std::string last;
  for (const cli::CommandVerb& verb : cli::CommandVerbs()) {
    if (verb.group != last) {
      std::printf("%s  %-11s", last.empty() ? "" : "\n", verb.group);
      last = verb.group;
    }
    std::printf(" %s", verb.verb);
  }
  std::printf("\n");
}

using Command = int (*)(const std::vector<std::string>&);

int Run(const std::vector<std::string>& args) {
  static const std::map<std::string, Command> kCommands = {
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
  if (!args.empty() && args[0] == "metrics" &&
      (args.size() == 1 || args[1] != "show")) {
    std::vector<std::string> rest(args.begin() + 1, args.end());
    return RunQuery(*cli::FindQueryVerb("metrics", "show"), rest);
  }
  if (args.size() >= 2) {
    if (const cli::QueryVerb* verb = cli::FindQueryVerb(args[0], args[1]);
        verb != nullptr) {
      return RunQuery(*verb,
                      std::vector<std::string>(args.begin() + 2, args.end()));
    }
  }
  if (args.size() >= 2) {
    if (const cli::CommandVerb* verb = cli::FindCommandVerb(args[0], args[1]);
        verb != nullptr) {
      return RunVerb(*verb,
                     std::vector<std::string>(args.begin() + 2, args.end()));
    }
  }
  for (size_t n = std::min<size_t>(2, args.size()); n > 0; --n) {
    const std::string name = absl::StrJoin(args.begin(), args.begin() + n, " ");
    if (auto it = kCommands.find(name); it != kCommands.end()) {
      return it->second(std::vector<std::string>(args.begin() + n, args.end()));
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
  return gavel::cli::Run(args);
}
