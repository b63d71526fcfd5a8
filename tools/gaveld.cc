// gaveld: the Gavel server.
//
//   gaveld --listen=127.0.0.1:50051 --data_dir=./gavel-data
//
// Binds loopback by default; any other address needs TLS (--tls_cert,
// --tls_key, optional --client_ca for mTLS) or --insecure, and a
// --tokens_file. Checkpoints are signed with --signing_key, or with
// <data_dir>/signing_key generated on first start; auditors verify them
// with <data_dir>/signing_key.pub. SIGTERM or SIGINT stops it gracefully:
// running calls finish, the writer commits what is queued, a last
// checkpoint is signed, the log is closed.
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "services/log.h"
#include "services/server.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "host:port to serve gRPC on (loopback unless TLS or --insecure)");
ABSL_FLAG(std::string, data_dir, "gavel-data",
          "directory of the event log (created if missing)");
ABSL_FLAG(std::string, tls_cert, "", "PEM certificate chain for TLS");
ABSL_FLAG(std::string, tls_key, "", "PEM private key for TLS");
ABSL_FLAG(std::string, client_ca, "",
          "PEM CA bundle: require and verify client certificates (mTLS)");
ABSL_FLAG(bool, insecure, false,
          "allow a non-loopback address without TLS (not for production)");
ABSL_FLAG(std::string, tokens_file, "",
          "bearer tokens (SHA-256 hashes) and principals; without it, on "
          "loopback, every caller is local-admin (development mode)");
ABSL_FLAG(int, max_message_bytes, 4 << 20, "largest gRPC message");
ABSL_FLAG(bool, sync, true,
          "fsync every commit; false loses acknowledged events on power "
          "failure (benchmarks only)");
ABSL_FLAG(std::string, origin, "gavel",
          "the log's name in its signed checkpoints (and the signing key's "
          "name): no spaces or '+', ideally a schema-less URL; never change "
          "it for an existing log");
ABSL_FLAG(std::string, signing_key, "",
          "PEM Ed25519 private key that signs checkpoints; default: "
          "<data_dir>/signing_key, generated on first start");
ABSL_FLAG(uint64_t, checkpoint_every_records, 1000,
          "sign a checkpoint once this many records are uncovered");
ABSL_FLAG(int64_t, checkpoint_every_ms, 1000,
          "sign a checkpoint of new records at least this often (ms)");
ABSL_FLAG(bool, verify_log_on_start, true,
          "rehash every record at start-up and compare with the Merkle tree");
ABSL_FLAG(std::string, log_format, "text", "log lines as 'text' or 'json'");
ABSL_FLAG(int64_t, subscription_heartbeat_ms, 5000,
          "a subscription that sent nothing for this long sends a heartbeat");
ABSL_FLAG(int64_t, subscription_checkpoint_ms, 1000,
          "a live subscription whose filter skipped records sends its "
          "position at most this long after its last message");
ABSL_FLAG(int64_t, handshake_timeout_ms, 10000,
          "close a connection that has not completed its TLS / HTTP/2 "
          "handshake within this long (slowloris)");
ABSL_FLAG(std::string, backup_dir, "",
          "directory AdminService.Backup writes backups into (one "
          "subdirectory each); default <data_dir>/backups");
ABSL_FLAG(uint64_t, max_subscriptions, 10000,
          "most concurrent Subscribe streams; more are refused with "
          "RESOURCE_EXHAUSTED");
ABSL_FLAG(uint64_t, max_subscriptions_per_principal, 100,
          "most concurrent Subscribe streams of one principal");
ABSL_FLAG(uint64_t, subscription_buffer_bytes_per_principal, 32 << 20,
          "bytes of one principal's subscription messages the server holds "
          "in flight at most (plus one record)");
ABSL_FLAG(int, max_concurrent_streams, 128,
          "most concurrent calls (HTTP/2 streams) on one connection");
ABSL_FLAG(int64_t, max_connection_idle_s, 1800,
          "close a connection idle for this long");
ABSL_FLAG(int64_t, max_connection_age_s, 86400,
          "close a connection this old (after a 5-minute grace for its "
          "calls)");
ABSL_FLAG(int, subscription_workers, 2,
          "threads that read the log for subscriptions");
ABSL_FLAG(uint64_t, aggregate_cache_entries, 20000,
          "aggregates the writer keeps in memory between batches (least "
          "recently used evicted; a miss reloads one from its stream)");
constexpr char kDefaultMetricsListen[] = "127.0.0.1:9464";
ABSL_FLAG(std::string, metrics_listen, kDefaultMetricsListen,
          "host:port of the Prometheus /metrics endpoint (plain HTTP; empty: "
          "none). Left at its default, a busy port only logs a warning");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "The Gavel server: gaveld --listen=127.0.0.1:50051 "
      "--data_dir=./gavel-data");
  absl::ParseCommandLine(argc, argv);
  using gavel::services::LogError;
  using gavel::services::LogInfo;
  if (absl::GetFlag(FLAGS_log_format) == "json") {
    gavel::services::SetLogFormat(gavel::services::LogFormat::kJson);
  } else if (absl::GetFlag(FLAGS_log_format) != "text") {
    std::fprintf(stderr, "--log_format must be 'text' or 'json'\n");
    return 2;
  }

  // Block the stop signals in every thread; one thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  if (absl::GetFlag(FLAGS_max_message_bytes) <
      static_cast<int>(gavel::services::kMaxCommandBytes) + (64 << 10)) {
    std::fprintf(stderr, "--max_message_bytes must be at least %zu\n",
                 gavel::services::kMaxCommandBytes + (64 << 10));
    return 2;
  }
  gavel::services::ServerOptions options;
  options.listen = absl::GetFlag(FLAGS_listen);
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.tls_cert_file = absl::GetFlag(FLAGS_tls_cert);
  options.tls_key_file = absl::GetFlag(FLAGS_tls_key);
  options.client_ca_file = absl::GetFlag(FLAGS_client_ca);
  options.insecure = absl::GetFlag(FLAGS_insecure);
  options.tokens_file = absl::GetFlag(FLAGS_tokens_file);
  options.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  options.log.sync = absl::GetFlag(FLAGS_sync);
  options.origin = absl::GetFlag(FLAGS_origin);
  options.signing_key_file = absl::GetFlag(FLAGS_signing_key);
  options.checkpoints.every_records =
      std::max<uint64_t>(1, absl::GetFlag(FLAGS_checkpoint_every_records));
  options.checkpoints.every = absl::Milliseconds(
      std::max<int64_t>(1, absl::GetFlag(FLAGS_checkpoint_every_ms)));
  options.checkpoints.verify_records_on_start =
      absl::GetFlag(FLAGS_verify_log_on_start);
  options.subscriptions.heartbeat_interval = absl::Milliseconds(
      std::max<int64_t>(10, absl::GetFlag(FLAGS_subscription_heartbeat_ms)));
  options.subscriptions.checkpoint_interval = absl::Milliseconds(
      std::max<int64_t>(10, absl::GetFlag(FLAGS_subscription_checkpoint_ms)));
  options.backup_dir = absl::GetFlag(FLAGS_backup_dir);
  options.handshake_timeout = absl::Milliseconds(
      std::max<int64_t>(100, absl::GetFlag(FLAGS_handshake_timeout_ms)));
  options.subscriptions.max_subscriptions =
      std::max<uint64_t>(1, absl::GetFlag(FLAGS_max_subscriptions));
  options.subscriptions.max_subscriptions_per_principal = std::max<uint64_t>(
      1, absl::GetFlag(FLAGS_max_subscriptions_per_principal));
  options.subscriptions.max_buffered_bytes_per_principal = std::max<uint64_t>(
      1 << 20, absl::GetFlag(FLAGS_subscription_buffer_bytes_per_principal));
  options.max_concurrent_streams =
      std::max(1, absl::GetFlag(FLAGS_max_concurrent_streams));
  options.max_connection_idle = absl::Seconds(
      std::max<int64_t>(1, absl::GetFlag(FLAGS_max_connection_idle_s)));
  options.max_connection_age = absl::Seconds(
      std::max<int64_t>(1, absl::GetFlag(FLAGS_max_connection_age_s)));
  options.processor.aggregate_cache_entries =
      std::max<uint64_t>(1, absl::GetFlag(FLAGS_aggregate_cache_entries));
  options.subscriptions.workers =
      std::max(1, absl::GetFlag(FLAGS_subscription_workers));
  options.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  // Only the default address may be busy without failing the start.
  options.metrics_optional = options.metrics_listen == kDefaultMetricsListen;
  LogInfo("config",
          {{"listen", options.listen},
           {"data_dir", options.data_dir},
           {"tls_cert", options.tls_cert_file},
           {"client_ca", options.client_ca_file},
           {"insecure", options.insecure ? "true" : "false"},
           {"tokens_file", options.tokens_file},
           {"max_message_bytes", absl::StrCat(options.max_message_bytes)},
           {"sync", options.log.sync ? "true" : "false"},
           {"origin", options.origin},
           {"signing_key", options.signing_key_file},
           {"metrics_listen", options.metrics_listen},
           {"backup_dir", options.backup_dir}});

  absl::StatusOr<std::unique_ptr<gavel::services::GavelServer>> server =
      gavel::services::GavelServer::Start(options);
  if (!server.ok()) {
    LogError("start_failed", {{"error", server.status().ToString()}});
    return 1;
  }
  std::thread stopper([&stop_signals, s = server->get()] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    LogInfo("stopping", {{"signal", absl::StrCat(signal)}});
    s->Shutdown();
  });
  (*server)->Wait();
  stopper.join();
  server->reset();
  return 0;
}
