// Subscription figures: a real server on loopback over a log of --records
// records (~500 bytes each, filled directly with storage::EventLog, sync
// off), subscribers as gRPC clients in the same process. Prints one
// name=value line per figure.
//
//   subscribe_catchup_events_per_s      one subscriber reads every record
//                                       from position 0 (max_batch_records
//                                       --batch)
//   subscribe_live_p99_ms               99th percentile from an append's
//                                       acknowledgement (synced append
//                                       returned) to the record's arrival at
//                                       a live subscriber, at --live_rate
//                                       appends/s of one record each
//                                       (arrivals before the acknowledgement
//                                       count as 0)
//   subscribe_fanout_100_events_per_s   100 concurrent subscribers each read
//                                       the last --fanout_records records:
//                                       records delivered per second, all
//                                       subscribers together
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gavel/v1/event_stream_service.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "services/server.h"
#include "storage/event_log.h"

ABSL_FLAG(int64_t, records, 1000000, "records in the log before subscribing");
ABSL_FLAG(int, batch, 1000, "max_batch_records of the catch-up subscriber");
ABSL_FLAG(int, live_rate, 1000, "appends per second for the live figure");
ABSL_FLAG(double, live_seconds, 5, "duration of the live figure");
ABSL_FLAG(int64_t, fanout_records, 20000,
          "records each fan-out subscriber reads");
ABSL_FLAG(std::string, dir, "", "scratch directory (default: a temp dir)");

namespace gavel::bench {
namespace {

namespace fs = std::filesystem;
using gavel::v1::SubscribeReply;
using gavel::v1::SubscribeRequest;

constexpr size_t kPayloadBytes = 420;

void Print(absl::string_view name, double value) {
  std::printf("%s=%.*f\n", std::string(name).c_str(), value < 100 ? 2 : 0,
              value);
  std::fflush(stdout);
}

[[noreturn]] void Fail(absl::string_view what, const absl::Status& status) {
  std::fprintf(stderr, "%s: %s\n", std::string(what).c_str(),
               status.ToString().c_str());
  std::exit(1);
}

storage::AppendRequest Batch(int events, int64_t seed) {
  storage::AppendRequest request;
  request.actor = "bench";
  storage::StreamAppend append;
  append.stream_id = absl::StrCat("initiative-", seed % 1000);
  for (int i = 0; i < events; ++i) {
    storage::NewEvent event;
    event.event_type = "CostReported";
    event.payload = std::string(kPayloadBytes, static_cast<char>('a' + i % 26));
    append.events.push_back(std::move(event));
  }
  request.streams.push_back(std::move(append));
  return request;
}

void Fill(const std::string& dir, int64_t records) {
  storage::EventLogOptions options;
  options.sync = false;
  absl::StatusOr<std::unique_ptr<storage::EventLog>> log =
      storage::EventLog::Open(dir, options);
  if (!log.ok()) Fail("open", log.status());
  for (int64_t done = 0; done < records;) {
    const int n = static_cast<int>(std::min<int64_t>(1000, records - done));
    if (auto r = (*log)->Append({Batch(n, done / 1000)}); !r.ok()) {
      Fail("fill", r.status());
    }
    done += n;
  }
}

// Reads one subscription until a record at `last` arrived; the count of
// records received. Calls on_record(position) for each.
template <typename OnRecord>
uint64_t ReadUntil(gavel::v1::EventStreamService::Stub& stub,
                   const SubscribeRequest& request, uint64_t last,
                   OnRecord on_record, grpc::ClientContext* context = nullptr) {
  grpc::ClientContext own;
  if (context == nullptr) context = &own;
  std::unique_ptr<grpc::ClientReader<SubscribeReply>> reader =
      stub.Subscribe(context, request);
  SubscribeReply reply;
  uint64_t received = 0;
  uint64_t at = 0;
  while (at < last && reader->Read(&reply)) {
    for (const gavel::v1::EventRecord& record : reply.events().records()) {
      at = record.position();
      on_record(at);
      ++received;
    }
  }
  context->TryCancel();
  while (reader->Read(&reply)) {
  }
  reader->Finish();
  return received;
}

void CatchUp(gavel::v1::EventStreamService::Stub& stub, uint64_t head) {
  SubscribeRequest request;
  request.set_after_position(0);
  request.set_max_batch_records(absl::GetFlag(FLAGS_batch));
  const absl::Time start = absl::Now();
  const uint64_t received = ReadUntil(stub, request, head, [](uint64_t) {});
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  if (received != head) {
    std::fprintf(stderr, "catch-up received %llu of %llu records\n",
                 static_cast<unsigned long long>(received),
                 static_cast<unsigned long long>(head));
    std::exit(1);
  }
  Print("subscribe_catchup_events_per_s", received / seconds);
}

void Live(gavel::v1::EventStreamService::Stub& stub, storage::EventLog& log) {
  const int rate = absl::GetFlag(FLAGS_live_rate);
  const int count = static_cast<int>(rate * absl::GetFlag(FLAGS_live_seconds));
  const uint64_t first = log.Head() + 1;
  const uint64_t last = first + count - 1;
  std::vector<int64_t> acked(count, 0);
  std::vector<int64_t> received(count, 0);
  SubscribeRequest request;
  request.set_from_now(true);
  grpc::ClientContext context;
  std::atomic<bool> live{false};
  std::thread reader([&] {
    std::unique_ptr<grpc::ClientReader<SubscribeReply>> stream =
        stub.Subscribe(&context, request);
    SubscribeReply reply;
    uint64_t at = 0;
    while (at < last && stream->Read(&reply)) {
      if (reply.has_caught_up()) live = true;
      const int64_t now = absl::GetCurrentTimeNanos();
      for (const gavel::v1::EventRecord& record : reply.events().records()) {
        at = record.position();
        if (at >= first && at <= last) received[at - first] = now;
      }
    }
    context.TryCancel();
    while (stream->Read(&reply)) {
    }
    stream->Finish();
  });
  while (!live) absl::SleepFor(absl::Milliseconds(1));
  const absl::Time start = absl::Now();
  for (int i = 0; i < count; ++i) {
    absl::SleepFor(start + absl::Seconds(1) * i / rate - absl::Now());
    absl::StatusOr<std::vector<storage::AppendResult>> result =
        log.Append({Batch(1, i)});
    if (!result.ok()) Fail("live append", result.status());
    acked[(*result)[0].last_position - first] = absl::GetCurrentTimeNanos();
  }
  reader.join();
  std::vector<double> latencies_ms;
  for (int i = 0; i < count; ++i) {
    latencies_ms.push_back(std::max<int64_t>(0, received[i] - acked[i]) / 1e6);
  }
  std::sort(latencies_ms.begin(), latencies_ms.end());
  Print("subscribe_live_p99_ms", latencies_ms[latencies_ms.size() * 99 / 100]);
}

void Fanout(gavel::v1::EventStreamService::Stub& stub, uint64_t head) {
  constexpr int kSubscribers = 100;
  const uint64_t records = std::min<uint64_t>(
      head, static_cast<uint64_t>(absl::GetFlag(FLAGS_fanout_records)));
  SubscribeRequest request;
  request.set_after_position(head - records);
  std::atomic<uint64_t> total{0};
  const absl::Time start = absl::Now();
  std::vector<std::thread> readers;
  for (int i = 0; i < kSubscribers; ++i) {
    readers.emplace_back(
        [&] { total += ReadUntil(stub, request, head, [](uint64_t) {}); });
  }
  for (std::thread& reader : readers) reader.join();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  if (total != records * kSubscribers) {
    std::fprintf(stderr, "fan-out received %llu records, expected %llu\n",
                 static_cast<unsigned long long>(total.load()),
                 static_cast<unsigned long long>(records * kSubscribers));
    std::exit(1);
  }
  Print("subscribe_fanout_100_events_per_s", total / seconds);
}

}  // namespace
}  // namespace gavel::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  namespace fs = std::filesystem;
  std::string scratch = absl::GetFlag(FLAGS_dir);
  if (scratch.empty()) {
    std::string pattern =
        (fs::temp_directory_path() / "gavel-bench-XXXXXX").string();
    scratch = mkdtemp(pattern.data());
  }
  const std::string data = (fs::path(scratch) / "streams").string();
  fs::remove_all(data);
  gavel::bench::Fill(data, absl::GetFlag(FLAGS_records));

  gavel::services::ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.data_dir = data;
  // The catch-up figure is about reading: skip the start-up rehash of the
  // log, which the audit benchmarks measure.
  options.checkpoints.verify_records_on_start = false;
  absl::StatusOr<std::unique_ptr<gavel::services::GavelServer>> server =
      gavel::services::GavelServer::Start(options);
  if (!server.ok()) gavel::bench::Fail("server", server.status());
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  auto channel =
      grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", (*server)->port()),
                                grpc::InsecureChannelCredentials(), args);
  auto stub = gavel::v1::EventStreamService::NewStub(channel);
  const uint64_t head = (*server)->log().Head();

  gavel::bench::CatchUp(*stub, head);
  gavel::bench::Live(*stub, (*server)->log());
  gavel::bench::Fanout(*stub, head);
  (*server)->Shutdown();
  fs::remove_all(data);
  return 0;
}
