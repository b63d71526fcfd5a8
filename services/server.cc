#include "services/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "projections/decision_history_projection.h"
#include "projections/governance_metrics_projection.h"
#include "projections/portfolio_projection.h"
#include "services/admin_service.h"
#include "services/audit_service.h"
#include "services/event_stream_service.h"
#include "services/grpc_commands.h"
#include "services/log.h"
#include "services/portfolio_query_service.h"

namespace gavel::services {
namespace {

// The leaf hash index lives beside the log's files in the data directory.
constexpr char kLeafIndexDir[] = "leaf-index";

absl::StatusOr<std::string> ReadFile(absl::string_view what,
                                     absl::string_view path) {
  std::ifstream in{std::string(path)};
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot read the ", what, " file ", path));
  }
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

// The host part of host:port ("[::1]:50051" -> "::1").
absl::string_view HostOf(absl::string_view listen) {
  const size_t colon = listen.rfind(':');
  absl::string_view host =
      colon == absl::string_view::npos ? listen : listen.substr(0, colon);
  absl::ConsumePrefix(&host, "[");
  absl::ConsumeSuffix(&host, "]");
  return host;
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> Credentials(
    const ServerOptions& options) {
  const bool tls =
      !options.tls_cert_file.empty() || !options.tls_key_file.empty();
  if (!tls) {
    if (!options.client_ca_file.empty()) {
      return absl::InvalidArgumentError(
          "--client_ca needs --tls_cert and --tls_key");
    }
    if (!IsLoopback(options.listen) && !options.insecure) {
      return absl::FailedPreconditionError(absl::StrCat(
          "refusing to listen on ", options.listen,
          " without TLS: pass --tls_cert and --tls_key, or --insecure"));
    }
    return grpc::InsecureServerCredentials();
  }
  absl::StatusOr<std::string> cert =
      ReadFile("TLS certificate", options.tls_cert_file);
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadFile("TLS key", options.tls_key_file);
  if (!key.ok()) return key.status();
  grpc::SslServerCredentialsOptions ssl;
  ssl.pem_key_cert_pairs.push_back({*key, *cert});
  if (!options.client_ca_file.empty()) {
    absl::StatusOr<std::string> ca =
        ReadFile("client CA", options.client_ca_file);
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *ca;
    ssl.client_certificate_request =
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(ssl);
}

}  // namespace

bool IsLoopback(absl::string_view listen) {
  const std::string host(HostOf(listen));
  if (host == "localhost") return true;
  in_addr v4;
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6;
  return inet_pton(AF_INET6, host.c_str(), &v6) == 1 &&
         IN6_IS_ADDR_LOOPBACK(&v6);
}

absl::StatusOr<std::unique_ptr<GavelServer>> GavelServer::Start(
    const ServerOptions& options) {
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      Credentials(options);
  if (!credentials.ok()) return credentials.status();

  std::unique_ptr<GavelServer> server(new GavelServer());
  server->metrics_ = std::make_unique<ServerMetrics>();
  const absl::Time started = absl::Now();
  if (options.tokens_file.empty()) {
    if (!IsLoopback(options.listen)) {
      return absl::FailedPreconditionError(
          absl::StrCat("refusing to listen on ", options.listen,
                       " without authentication: pass --tokens_file"));
    }
    server->auth_ = Authenticator::DevMode();
    LogWarning(
        "dev_mode",
        {{"detail", "no --tokens_file: every caller acts as local-admin"}});
  } else {
    absl::StatusOr<std::unique_ptr<Authenticator>> auth =
        Authenticator::FromTokensFile(options.tokens_file);
    if (!auth.ok()) return auth.status();
    server->auth_ = *std::move(auth);
  }
  if (!options.log.sync) {
    LogWarning("durability_off",
               {{"detail",
                 "appends are not synced: acknowledged events can be lost on "
                 "power failure (benchmarks only)"}});
  }

  absl::StatusOr<std::unique_ptr<storage::EventLog>> log =
      storage::EventLog::Open(options.data_dir, options.log);
  if (!log.ok()) return log.status();
  server->log_ = *std::move(log);
  absl::StatusOr<std::unique_ptr<CheckpointSigner>> signer =
      CheckpointSigner::Open(options.origin, options.data_dir,
                             options.signing_key_file);
  if (!signer.ok()) return signer.status();
  server->signer_ = *std::move(signer);
  if (absl::Status s = CheckLogAgainstLatestCheckpoint(
          *server->log_, *server->signer_, options.checkpoints);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckLogAgainstRestoredCheckpoint(
          *server->log_, *server->signer_, options.data_dir);
      !s.ok()) {
    return s;
  }
  writer::CommandProcessorOptions processor_options = options.processor;
  processor_options.observer = server->metrics_.get();
  if (!processor_options.on_write_failure) {
    processor_options.on_write_failure = [](const absl::Status& status) {
      LogError("write_failed",
               {{"error", status.ToString()},
                {"action", "exiting; restart recovers by replay"}});
      writer::ExitAfterWriteFailure();
    };
  }
  server->processor_ =
      writer::CommandProcessor::Start(server->log_.get(), processor_options);
  absl::StatusOr<std::unique_ptr<Checkpointer>> checkpointer =
      Checkpointer::Start(server->log_.get(), server->signer_.get(),
                          options.checkpoints);
  if (!checkpointer.ok()) return checkpointer.status();
  server->checkpointer_ = *std::move(checkpointer);
  absl::StatusOr<std::unique_ptr<storage::LeafIndex>> leaf_index =
      storage::LeafIndex::Open(
          (std::filesystem::path(options.data_dir) / kLeafIndexDir).string(),
          server->log_.get());
  if (!leaf_index.ok()) return leaf_index.status();
  server->leaf_index_ = *std::move(leaf_index);
  BackupOptions backup_options;
  backup_options.dir = options.backup_dir.empty()
                           ? absl::StrCat(options.data_dir, "/backups")
                           : options.backup_dir;
  backup_options.data_dir = options.data_dir;
  backup_options.origin = options.origin;
  backup_options.signing_key_in_data_dir = options.signing_key_file.empty();
  server->backups_ = std::make_unique<Backups>(
      server->log_.get(), server->checkpointer_.get(), backup_options);
  projections::ProjectionHostOptions projection_options = options.projections;
  if (projection_options.dir.empty()) {
    projection_options.dir = absl::StrCat(options.data_dir, "/projections");
  }
  projection_options.sealer = server->signer_.get();
  std::vector<std::unique_ptr<projections::Projection>> projection_list;
  projection_list.push_back(
      std::make_unique<projections::PortfolioProjection>());
  projection_list.push_back(
      std::make_unique<projections::DecisionHistoryProjection>());
  projection_list.push_back(
      std::make_unique<projections::GovernanceMetricsProjection>());
  absl::StatusOr<std::unique_ptr<projections::ProjectionHost>> host =
      projections::ProjectionHost::Start(
          server->log_.get(), std::move(projection_list), projection_options);
  if (!host.ok()) return host.status();
  server->projections_ = *std::move(host);
  for (const projections::ProjectionStatus& status :
       server->projections_->Status()) {
    if (!status.restore_note.empty()) {
      LogWarning(
          "projection_checkpoint_refused",
          {{"projection", status.name}, {"detail", status.restore_note}});
    }
  }
  server->intake_ = std::make_unique<CommandIntake>(server->processor_.get(),
                                                    server->metrics_.get());
  server->subscriptions_ =
      Subscriptions::Start(server->log_.get(), options.subscriptions);
  server->services_ =
      MakeCommandServices(server->auth_.get(), server->intake_.get());
  server->services_.push_back(std::make_unique<AdminService>(
      server->auth_.get(), server->log_.get(), server->processor_.get(),
      server->subscriptions_.get(), server->projections_.get(),
      server->backups_.get(), started));
  server->services_.push_back(std::make_unique<EventStreamService>(
      server->auth_.get(), server->log_.get(), server->subscriptions_.get()));
  server->replays_ = ReplayPool::Start(options.replays);
  server->services_.push_back(std::make_unique<PortfolioQueryService>(
      server->auth_.get(), server->projections_.get(), server->replays_.get(),
      options.queries));
  server->services_.push_back(std::make_unique<PortfolioPlanService>(
      server->auth_.get(), server->intake_.get(), server->log_.get(),
      server->projections_.get(), options.planning));
  server->services_.push_back(std::make_unique<AuditService>(
      server->auth_.get(), server->log_.get(), server->checkpointer_.get(),
      server->leaf_index_.get()));

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, *credentials, &server->port_);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(options.max_message_bytes);
  const auto milliseconds = [](absl::Duration d) {
    return static_cast<int>(
        std::min<int64_t>(absl::ToInt64Milliseconds(d), INT32_MAX));
  };
  builder.AddChannelArgument(GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS,
                             milliseconds(options.handshake_timeout));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             options.max_concurrent_streams);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS,
                             milliseconds(options.max_connection_idle));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS,
                             milliseconds(options.max_connection_age));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                             milliseconds(options.max_connection_age_grace));
  for (const std::unique_ptr<grpc::Service>& service : server->services_) {
    builder.RegisterService(service.get());
  }
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(
      NewRpcMetricsInterceptorFactory(server->metrics_.get()));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    server->processor_->Shutdown();
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen));
  }
  if (!options.metrics_listen.empty()) {
    MetricsSources sources;
    sources.log = server->log_.get();
    sources.processor = server->processor_.get();
    sources.subscriptions = server->subscriptions_.get();
    sources.projections = server->projections_.get();
    sources.started = started;
    absl::StatusOr<std::unique_ptr<MetricsEndpoint>> endpoint =
        MetricsEndpoint::Start(options.metrics_listen,
                               [metrics = server->metrics_.get(), sources] {
                                 return RenderMetrics(*metrics, sources);
                               });
    if (endpoint.ok()) {
      server->metrics_endpoint_ = *std::move(endpoint);
      server->metrics_port_ = server->metrics_endpoint_->port();
    } else if (options.metrics_optional) {
      LogWarning("metrics_off",
                 {{"detail", std::string(endpoint.status().message())}});
    } else {
      server->Shutdown(absl::ZeroDuration());
      return endpoint.status();
    }
  }
  LogInfo("server_started",
          {{"listen", options.listen},
           {"port", absl::StrCat(server->port_)},
           {"data_dir", options.data_dir},
           {"head_position", absl::StrCat(server->log_->Head())},
           {"signing_key", server->signer_->verifier().KeyString()},
           {"tls", options.tls_cert_file.empty() ? "off" : "on"},
           {"mtls", options.client_ca_file.empty() ? "off" : "on"},
           {"auth", server->auth_->dev_mode() ? "dev-mode" : "tokens"},
           {"metrics_port", absl::StrCat(server->metrics_port())}});
  return server;
}

GavelServer::~GavelServer() { Shutdown(); }

void GavelServer::Shutdown(absl::Duration grace) {
  {
    absl::MutexLock lock(&mu_);
    if (shut_down_) return;
    shut_down_ = true;
  }
  metrics_endpoint_.reset();
  if (subscriptions_ != nullptr) {
    subscriptions_->EndAll(std::min(grace, absl::Seconds(1)));
  }
  if (server_ != nullptr) {
    server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  }
  if (subscriptions_ != nullptr) subscriptions_->Stop();
  if (backups_ != nullptr) backups_->Stop();
  if (processor_ != nullptr) processor_->Shutdown();
  // After the writer: the last checkpoint covers every committed event.
  if (projections_ != nullptr) projections_->Stop();
  if (checkpointer_ != nullptr) checkpointer_->Stop();
  LogInfo("server_stopped",
          {{"head_position", absl::StrCat(log_ ? log_->Head() : 0)}});
}

void GavelServer::Wait() {
  if (server_ != nullptr) server_->Wait();
}

}  // namespace gavel::services
