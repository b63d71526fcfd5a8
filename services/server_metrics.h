// What the server measures for operators, and the /metrics page built from
// it: instruments fed on the hot paths (gRPC calls, commands, group
// commits) plus figures read from the log, the writer, the projections and
// the subscriptions when Prometheus scrapes. docs/operations.md lists every
// metric.
#ifndef GAVEL_SERVICES_SERVER_METRICS_H_
#define GAVEL_SERVICES_SERVER_METRICS_H_

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "grpcpp/support/server_interceptor.h"
#include "services/metrics.h"
#include "writer/command_processor.h"

namespace gavel::storage {
class EventLog;
}
namespace gavel::projections {
class ProjectionHost;
}

namespace gavel::services {

class Subscriptions;

// The instruments the server updates as it works. Thread-safe. The writer
// reports its group commits through the CommitObserver interface.
struct ServerMetrics final : writer::CommitObserver {
  ServerMetrics();

  // Observes append_seconds and batch_commands.
  void OnCommit(absl::Duration append_time, size_t commands) override;

  // gRPC calls by full method name and status code name, and how long
  // each took from its start to its status (a stream: its whole life).
  CounterFamily rpcs;
  HistogramFamily rpc_seconds;
  // A command RPC from its receipt to its reply, by outcome (the status
  // code name: OK, FAILED_PRECONDITION, ...).
  HistogramFamily command_seconds;
  // One observation per group commit: the synced EventLog::Append (the
  // fsync included), and the commands it carried.
  Histogram append_seconds;
  Histogram batch_commands;
};

// What the page reads at scrape time; all borrowed, outliving the calls.
struct MetricsSources {
  const storage::EventLog* log = nullptr;
  const writer::CommandProcessor* processor = nullptr;
  const Subscriptions* subscriptions = nullptr;
  const projections::ProjectionHost* projections = nullptr;
  absl::Time started;
};

// The Prometheus text page: `metrics` and the figures of `sources`.
std::string RenderMetrics(const ServerMetrics& metrics,
                          const MetricsSources& sources);

// An interceptor factory for grpc::ServerBuilder that counts every call in
// metrics->rpcs and metrics->rpc_seconds. `metrics` must outlive the
// server.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewRpcMetricsInterceptorFactory(ServerMetrics* metrics);

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_SERVER_METRICS_H_
