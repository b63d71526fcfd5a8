// The Gavel server: the event log, the single writer, and every gRPC
// service on one listening address (plus health checking and reflection).
#ifndef GAVEL_SERVICES_SERVER_H_
#define GAVEL_SERVICES_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/server.h"
#include "projections/projection_host.h"
#include "services/authenticator.h"
#include "services/backups.h"
#include "services/checkpoint_signer.h"
#include "services/checkpointer.h"
#include "services/command_intake.h"
#include "services/metrics_endpoint.h"
#include "services/portfolio_plan_service.h"
#include "services/portfolio_query_service.h"
#include "services/replay_pool.h"
#include "services/server_metrics.h"
#include "services/subscriptions.h"
#include "storage/event_log.h"
#include "storage/leaf_index.h"
#include "writer/command_processor.h"

namespace gavel::services {

struct ServerOptions {
  // host:port; port 0 picks a free port (see GavelServer::port()).
  std::string listen = "127.0.0.1:50051";
  std::string data_dir = "gavel-data";
  // PEM files. With both cert and key the server speaks TLS; with
  // client_ca it also requires and verifies client certificates (mTLS).
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string client_ca_file;
  // Allows a non-loopback address without TLS.
  bool insecure = false;
  // Tokens file (services/authenticator.h). Without one, on a loopback
  // address, the server runs in local development mode.
  std::string tokens_file;
  // Largest request or reply message.
  int max_message_bytes = 4 << 20;
  // A connection that has not completed its TLS / HTTP/2 handshake by then
  // is closed (slowloris; gRPC's default is 120 s).
  absl::Duration handshake_timeout = absl::Seconds(10);
  // Transport limits: concurrent HTTP/2 streams on one connection (gRPC's
  // default is unbounded), how long a connection may stay idle, and how old
  // it may grow before the server closes it (with a grace period for the
  // calls in progress; subscriptions resume on a new connection).
  int max_concurrent_streams = 128;
  absl::Duration max_connection_idle = absl::Minutes(30);
  absl::Duration max_connection_age = absl::Hours(24);
  absl::Duration max_connection_age_grace = absl::Minutes(5);
  // The log's name: the origin line of its checkpoints and the name of its
  // signing key (non-empty, no spaces, no '+'; a schema-less URL is best).
  // Changing it makes the server refuse to start on an existing log.
  std::string origin = "gavel";
  // PEM Ed25519 private key signing the checkpoints. Empty:
  // <data_dir>/signing_key, generated on first start
  // (services/checkpoint_signer.h).
  std::string signing_key_file;
  CheckpointerOptions checkpoints;
  // Where AdminService.Backup writes (one directory per backup);
  // <data_dir>/backups when empty.
  std::string backup_dir;
  // Projections (their store: options.dir, <data_dir>/projections when
  // empty).
  projections::ProjectionHostOptions projections;
  // Page sizes and waits of PortfolioQueryService.
  QueryLimits queries;
  // Where as_of queries replay (bounded; RESOURCE_EXHAUSTED beyond).
  ReplayPoolOptions replays;
  PlanningOptions planning;
  storage::EventLogOptions log;
  writer::CommandProcessorOptions processor;
  SubscriptionOptions subscriptions;
  // host:port of the Prometheus /metrics endpoint (plain HTTP; port 0
  // picks a free port, see GavelServer::metrics_port()); empty: none.
  std::string metrics_listen;
  // When the metrics address cannot be bound: false fails Start
  // (UNAVAILABLE); true logs a warning and serves without /metrics (for a
  // default address nobody asked for explicitly).
  bool metrics_optional = false;
};

// True for host:port whose host is an IPv4 address in 127.0.0.0/8, the
// IPv6 loopback ::1, or the name "localhost". Other names are not loopback.
bool IsLoopback(absl::string_view listen);

// Thread-safe.
class GavelServer {
 public:
  // Opens the log in options.data_dir (FAILED_PRECONDITION if another
  // process holds it), loads (or generates) the signing key, checks the log
  // against its last signed checkpoint, starts the writer and the
  // checkpointer and the projections (restored from their checkpoints,
  // catching up in the background), and serves. FAILED_PRECONDITION for a
  // non-loopback address without TLS or --insecure, or without a tokens
  // file, or when
  // the last checkpoint does not verify with the signing key and origin;
  // DATA_LOSS when the log no longer matches its last checkpoint
  // (CheckLogAgainstLatestCheckpoint) or, in a data directory restored
  // from a backup, the backup's checkpoint
  // (CheckLogAgainstRestoredCheckpoint); INVALID_ARGUMENT for unreadable TLS
  // files, tokens or signing key; UNAVAILABLE if the address cannot be
  // bound.
  static absl::StatusOr<std::unique_ptr<GavelServer>> Start(
      const ServerOptions& options);

  GavelServer(const GavelServer&) = delete;
  GavelServer& operator=(const GavelServer&) = delete;
  ~GavelServer();

  // The port actually bound.
  int port() const { return port_; }
  // The /metrics port bound; 0 without options.metrics_listen.
  int metrics_port() const { return metrics_port_; }

  // Graceful stop: ends every subscription (UNAVAILABLE), refuses new
  // RPCs, lets running ones finish (up to `grace`), waits for a running
  // backup, commits what the writer has
  // queued, signs a last checkpoint, closes the log. Idempotent.
  void Shutdown(absl::Duration grace = absl::Seconds(10));

  // Blocks until Shutdown() has completed.
  void Wait();

  storage::EventLog& log() { return *log_; }
  const writer::CommandProcessor& processor() const { return *processor_; }
  const CheckpointSigner& signer() const { return *signer_; }
  // The running subscriptions (EventStreamService.Subscribe).
  const Subscriptions& subscriptions() const { return *subscriptions_; }
  projections::ProjectionHost& projections() { return *projections_; }

 private:
  GavelServer() = default;

  // Outlives everything that records into it.
  std::unique_ptr<ServerMetrics> metrics_;
  std::unique_ptr<storage::EventLog> log_;
  std::unique_ptr<writer::CommandProcessor> processor_;
  std::unique_ptr<CheckpointSigner> signer_;
  std::unique_ptr<Checkpointer> checkpointer_;
  std::unique_ptr<storage::LeafIndex> leaf_index_;
  // Before the services that borrow it; after the log and checkpointer.
  std::unique_ptr<Backups> backups_;
  std::unique_ptr<projections::ProjectionHost> projections_;
  // After the projections it replays; before the services that use it.
  std::unique_ptr<ReplayPool> replays_;
  std::unique_ptr<Authenticator> auth_;
  std::unique_ptr<CommandIntake> intake_;
  // Outlives the services and the gRPC server (its reactors use it).
  std::unique_ptr<Subscriptions> subscriptions_;
  std::vector<std::unique_ptr<grpc::Service>> services_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  int metrics_port_ = 0;
  // Stopped first: its page reads most of the above.
  std::unique_ptr<MetricsEndpoint> metrics_endpoint_;
  absl::Mutex mu_;
  bool shut_down_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_SERVER_H_
