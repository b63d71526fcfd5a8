#include "cli/events_tail.h"

#include <cstdint>
#include <cstdio>
#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "cli/connection.h"
#include "cli/event_json.h"
#include "cli/output.h"
#include "gavel/v1/event_stream_service.grpc.pb.h"

namespace gavel::cli {

int EventsTail(const CliOptions& options, absl::Span<const std::string>) {
  const EventsTailOptions& tail = options.events_tail;
  gavel::v1::SubscribeRequest request;
  if (tail.now) {
    request.set_from_now(true);
  } else {
    uint64_t from = 0;
    if (!tail.from.empty() && !absl::SimpleAtoi(tail.from, &from)) {
      std::fprintf(stderr, "error: --from must be a log position\n");
      return 2;
    }
    request.set_after_position(from);
  }
  for (const std::string& type : tail.types) {
    request.mutable_filter()->add_event_types(type);
  }
  for (const std::string& prefix : tail.prefixes) {
    request.mutable_filter()->add_stream_prefixes(prefix);
  }
  const int64_t limit = tail.limit;
  absl::StatusOr<std::unique_ptr<Connection>> connection =
      Connection::Create(options.connection);
  if (!connection.ok()) return FailLocal(connection.status(), 2);
  auto stub = gavel::v1::EventStreamService::NewStub((*connection)->channel());
  std::unique_ptr<grpc::ClientContext> context =
      (*connection)->NewStreamContext();
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
          (options.json ? RecordJson(record) : RecordLine(record)).c_str());
      if (limit > 0 && ++shown >= limit) break;
    }
    std::fflush(stdout);
    if ((limit > 0 && shown >= limit) ||
        (!tail.follow && reply.has_caught_up())) {
      context->TryCancel();
      break;
    }
  }
  grpc::Status status = reader->Finish();
  if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED) {
    return FailRpc(status, (*connection)->address());
  }
  // Where to resume: pass it as --from next time.
  std::fprintf(stderr, "position %llu\n",
               static_cast<unsigned long long>(position));
  return 0;
}

}  // namespace gavel::cli
