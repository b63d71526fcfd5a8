#include "services/server_metrics.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "projections/projection_host.h"
#include "services/subscriptions.h"
#include "storage/event_log.h"

namespace gavel::services {
namespace {

using grpc::experimental::InterceptionHookPoints;

// Bounds on the series of label values that callers choose (method names
// include unknown methods a client asks for).
constexpr size_t kMaxRpcSeries = 1024;
constexpr size_t kMaxRpcLatencySeries = 256;
constexpr size_t kMaxOutcomeSeries = 32;

std::string CodeName(grpc::StatusCode code) {
  // gRPC and absl number their codes alike.
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

class RpcMetricsInterceptor final : public grpc::experimental::Interceptor {
 public:
  RpcMetricsInterceptor(ServerMetrics* metrics, std::string method)
      : metrics_(metrics), method_(std::move(method)), start_(absl::Now()) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      metrics_->rpcs.Add(
          {method_, CodeName(methods->GetSendStatus().error_code())});
      metrics_->rpc_seconds.Observe(
          {method_}, absl::ToDoubleSeconds(absl::Now() - start_));
    }
    methods->Proceed();
  }

 private:
  ServerMetrics* const metrics_;
  const std::string method_;
  const absl::Time start_;
};

class RpcMetricsInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit RpcMetricsInterceptorFactory(ServerMetrics* metrics)
      : metrics_(metrics) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new RpcMetricsInterceptor(metrics_, info->method());
  }

 private:
  ServerMetrics* const metrics_;
};

// Resident set size of this process, from /proc (0 where unavailable).
double ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  long pages_total = 0, pages_resident = 0;
  if (!(statm >> pages_total >> pages_resident)) return 0;
  return static_cast<double>(pages_resident) * sysconf(_SC_PAGESIZE);
}

void Gauge(MetricsText& page, absl::string_view name, absl::string_view help,
           double value) {
  page.Family(name, "gauge", help);
  page.Sample(name, {}, value);
}

void Counter(MetricsText& page, absl::string_view name, absl::string_view help,
             double value) {
  page.Family(name, "counter", help);
  page.Sample(name, {}, value);
}

void RenderLog(MetricsText& page, const storage::EventLog& log) {
  const uint64_t head = log.Head();
  Gauge(page, "gavel_log_head_position",
        "Position of the newest committed record (records in the log).",
        static_cast<double>(head));
  const storage::EventLog::StorageStats storage = log.Stats();
  Gauge(page, "gavel_rocksdb_sst_bytes",
        "Size of the event log's live SST files.",
        static_cast<double>(storage.sst_bytes));
  Gauge(page, "gavel_rocksdb_memtable_bytes",
        "Size of the event log's memtables.",
        static_cast<double>(storage.memtable_bytes));
  Gauge(page, "gavel_rocksdb_pending_compaction_bytes",
        "Bytes RocksDB estimates compaction must rewrite.",
        static_cast<double>(storage.pending_compaction_bytes));
  Gauge(page, "gavel_rocksdb_writes_stopped",
        "1 while RocksDB stops writers (write stall), else 0.",
        storage.writes_stopped ? 1 : 0);
  Gauge(page, "gavel_rocksdb_delayed_write_rate_bytes",
        "Write rate RocksDB allows while slowing writers down (0: none).",
        static_cast<double>(storage.delayed_write_rate));
  Counter(page, "gavel_rocksdb_write_stalls_total",
          "Write stalls (slowdowns and stops) since the server started.",
          static_cast<double>(storage.write_stalls));

  // The latest signed checkpoint and how long the oldest record it does
  // not cover has waited for one.
  absl::StatusOr<std::optional<std::pair<uint64_t, std::string>>> latest =
      log.LatestCheckpoint();
  const uint64_t size =
      latest.ok() && latest->has_value() ? (*latest)->first : 0;
  Gauge(page, "gavel_checkpoint_tree_size",
        "Tree size of the latest signed checkpoint.",
        static_cast<double>(size));
  Gauge(page, "gavel_checkpoint_uncovered_records",
        "Records not yet covered by a signed checkpoint.",
        static_cast<double>(head > size ? head - size : 0));
  double age = 0;
  if (head > size) {
    absl::StatusOr<storage::StoredEvent> oldest = log.ReadAt(size + 1);
    if (oldest.ok()) {
      absl::StatusOr<gavel::v1::EventRecord> record = oldest->Decode();
      if (record.ok()) {
        age = absl::ToDoubleSeconds(
            absl::Now() -
            absl::FromUnixSeconds(record->recorded_at().seconds()) -
            absl::Nanoseconds(record->recorded_at().nanos()));
        if (age < 0) age = 0;
      }
    }
  }
  Gauge(page, "gavel_checkpoint_age_seconds",
        "How long the oldest record not covered by a signed checkpoint has "
        "waited (0 when every record is covered).",
        age);
}

void RenderWriter(MetricsText& page,
                  const writer::CommandProcessor& processor) {
  const gavel::v1::WriterStats stats = processor.Stats();
  page.Family("gavel_commands_total", "counter",
              "Commands the writer decided, by result.");
  page.Sample("gavel_commands_total", {{"result", "accepted"}},
              static_cast<double>(stats.commands_accepted()));
  page.Sample("gavel_commands_total", {{"result", "rejected"}},
              static_cast<double>(stats.commands_rejected()));
  page.Sample("gavel_commands_total", {{"result", "deduplicated"}},
              static_cast<double>(stats.commands_deduplicated()));
  Counter(page, "gavel_events_appended_total",
          "Events appended to the log since the server started.",
          static_cast<double>(stats.events_appended()));
  Counter(page, "gavel_log_appends_total",
          "Synced appends (group commits) since the server started.",
          static_cast<double>(stats.appends()));
  Gauge(page, "gavel_writer_queued_commands",
        "Commands waiting for the single writer.",
        static_cast<double>(stats.queued()));
}

void RenderProjections(MetricsText& page,
                       const projections::ProjectionHost& host) {
  const std::vector<projections::ProjectionStatus> statuses = host.Status();
  struct Field {
    const char* name;
    const char* help;
    double (*value)(const projections::ProjectionStatus&);
  };
  const Field fields[] = {
      {"gavel_projection_position", "Last record a projection applied.",
       [](const projections::ProjectionStatus& p) {
         return static_cast<double>(p.position);
       }},
      {"gavel_projection_checkpoint_position",
       "Last position a projection persisted.",
       [](const projections::ProjectionStatus& p) {
         return static_cast<double>(p.checkpoint_position);
       }},
      {"gavel_projection_lag_events",
       "Records between the log's head and a projection's position.",
       [](const projections::ProjectionStatus& p) {
         return static_cast<double>(p.lag_events);
       }},
      {"gavel_projection_lag_seconds",
       "recorded_at of the head minus that of the last applied record.",
       [](const projections::ProjectionStatus& p) {
         return absl::ToDoubleSeconds(p.lag);
       }},
      {"gavel_projection_rebuilding", "1 while a projection rebuilds.",
       [](const projections::ProjectionStatus& p) {
         return p.rebuilding ? 1.0 : 0.0;
       }},
      {"gavel_projection_failed",
       "1 when a projection stopped applying records on an error.",
       [](const projections::ProjectionStatus& p) {
         return p.error.empty() ? 0.0 : 1.0;
       }},
  };
  for (const Field& field : fields) {
    page.Family(field.name, "gauge", field.help);
    for (const projections::ProjectionStatus& status : statuses) {
      page.Sample(field.name, {{"projection", status.name}},
                  field.value(status));
    }
  }
  page.Family("gavel_projection_rebuilds_total", "counter",
              "Rebuilds from position 0 completed since the server started.");
  for (const projections::ProjectionStatus& status : statuses) {
    page.Sample("gavel_projection_rebuilds_total",
                {{"projection", status.name}},
                static_cast<double>(status.rebuilds));
  }
}

void RenderSubscriptions(MetricsText& page,
                         const Subscriptions& subscriptions) {
  const std::vector<gavel::v1::SubscriberStatus> subscribers =
      subscriptions.Status();
  Gauge(page, "gavel_subscribers",
        "Running EventStreamService.Subscribe calls.",
        static_cast<double>(subscribers.size()));
  // Per subscriber, by its id (bounded by the server's subscriber limit);
  // principals are left out: a metrics page is no place for identities.
  page.Family("gavel_subscriber_lag_events", "gauge",
              "Records between the head and a subscriber's position.");
  for (const gavel::v1::SubscriberStatus& s : subscribers) {
    page.Sample("gavel_subscriber_lag_events",
                {{"subscriber", absl::StrCat(s.id())}},
                static_cast<double>(s.lag_events()));
  }
  page.Family("gavel_subscriber_lag_seconds", "gauge",
              "recorded_at of the head minus that of a subscriber's position.");
  for (const gavel::v1::SubscriberStatus& s : subscribers) {
    page.Sample("gavel_subscriber_lag_seconds",
                {{"subscriber", absl::StrCat(s.id())}},
                static_cast<double>(s.lag().seconds()) + s.lag().nanos() / 1e9);
  }
  page.Family("gavel_subscriber_events_sent_total", "counter",
              "Events a subscriber has been sent.");
  for (const gavel::v1::SubscriberStatus& s : subscribers) {
    page.Sample("gavel_subscriber_events_sent_total",
                {{"subscriber", absl::StrCat(s.id())}},
                static_cast<double>(s.events_sent()));
  }
}

}  // namespace

ServerMetrics::ServerMetrics()
    : rpcs({"method", "code"}, kMaxRpcSeries),
      rpc_seconds({"method"}, ExponentialBuckets(0.0001, 2, 18),
                  kMaxRpcLatencySeries),
      command_seconds({"outcome"}, ExponentialBuckets(0.0001, 2, 18),
                      kMaxOutcomeSeries),
      append_seconds(ExponentialBuckets(0.00005, 2, 16)),
      batch_commands(ExponentialBuckets(1, 2, 11)) {}

void ServerMetrics::OnCommit(absl::Duration append_time, size_t commands) {
  append_seconds.Observe(absl::ToDoubleSeconds(append_time));
  batch_commands.Observe(static_cast<double>(commands));
}

std::string RenderMetrics(const ServerMetrics& metrics,
                          const MetricsSources& sources) {
  MetricsText page;
  page.Family("gavel_grpc_requests_total", "counter",
              "gRPC calls finished, by method and status code.");
  for (const auto& [labels, count] : metrics.rpcs.Read()) {
    page.Sample("gavel_grpc_requests_total", labels,
                static_cast<double>(count));
  }
  page.Family("gavel_grpc_request_duration_seconds", "histogram",
              "gRPC calls from start to status, by method (streams: their "
              "whole life).");
  for (const auto& [labels, histogram] : metrics.rpc_seconds.Read()) {
    page.HistogramSeries("gavel_grpc_request_duration_seconds", labels,
                         histogram);
  }
  page.Family("gavel_command_duration_seconds", "histogram",
              "Command RPCs from receipt to reply, by outcome.");
  for (const auto& [labels, histogram] : metrics.command_seconds.Read()) {
    page.HistogramSeries("gavel_command_duration_seconds", labels, histogram);
  }
  page.Family("gavel_log_append_duration_seconds", "histogram",
              "One group commit: the synced append of a batch, fsync "
              "included.");
  page.HistogramSeries("gavel_log_append_duration_seconds", {},
                       metrics.append_seconds.Read());
  page.Family("gavel_write_batch_commands", "histogram",
              "Commands committed together in one group commit.");
  page.HistogramSeries("gavel_write_batch_commands", {},
                       metrics.batch_commands.Read());

  if (sources.log != nullptr) RenderLog(page, *sources.log);
  if (sources.processor != nullptr) RenderWriter(page, *sources.processor);
  if (sources.projections != nullptr) {
    RenderProjections(page, *sources.projections);
  }
  if (sources.subscriptions != nullptr) {
    RenderSubscriptions(page, *sources.subscriptions);
  }
  Gauge(page, "process_resident_memory_bytes", "Resident memory size.",
        ResidentBytes());
  Gauge(page, "process_start_time_seconds",
        "Start time of the process since the Unix epoch.",
        absl::ToDoubleSeconds(sources.started - absl::UnixEpoch()));
  return page.Take();
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewRpcMetricsInterceptorFactory(ServerMetrics* metrics) {
  return std::make_unique<RpcMetricsInterceptorFactory>(metrics);
}

}  // namespace gavel::services
