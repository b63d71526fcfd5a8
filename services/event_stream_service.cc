#include "services/event_stream_service.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/reasons.h"
#include "domain/rejection.h"
#include "services/event_filter.h"
#include "services/grpc_status.h"

namespace gavel::services {
namespace {

uint32_t Limit(uint32_t requested, uint32_t default_limit, uint32_t cap) {
  return requested == 0 ? default_limit : std::min(requested, cap);
}

absl::Status ReadStream(const storage::EventLog& log,
                        const gavel::v1::ReadStreamRequest& request,
                        gavel::v1::ReadStreamReply& reply) {
  if (request.stream_id().empty()) {
    return domain::Reject(domain::kMissingField, "stream_id",
                          "stream_id is required");
  }
  if (!gavel::v1::ReadDirection_IsValid(request.direction())) {
    return domain::Reject(domain::kInvalidEnum, "direction",
                          "direction is not a ReadDirection");
  }
  absl::StatusOr<uint64_t> version = log.StreamVersion(request.stream_id());
  if (!version.ok()) return version.status();
  absl::StatusOr<std::vector<storage::StoredEvent>> records =
      log.ReadStream(request.stream_id(), request.from_version(),
                     request.direction() == gavel::v1::READ_DIRECTION_BACKWARD
                         ? storage::ReadDirection::kBackward
                         : storage::ReadDirection::kForward,
                     Limit(request.limit(), kDefaultReadLimit, kMaxReadLimit));
  if (!records.ok()) return records.status();
  RecordBatch batch;
  for (const storage::StoredEvent& record : *records) {
    if (batch.records() > 0 && batch.bytes() >= kMaxBatchBytes) break;
    batch.Add(record.bytes);
  }
  reply.set_stream_version(*version);
  batch.MoveInto(gavel::v1::ReadStreamReply::kEventsFieldNumber, reply);
  return absl::OkStatus();
}

absl::Status ReadAll(const storage::EventLog& log,
                     const gavel::v1::ReadAllRequest& request,
                     gavel::v1::ReadAllReply& reply) {
  absl::StatusOr<EventFilter> filter = EventFilter::FromProto(request.filter());
  if (!filter.ok()) return filter.status();
  const uint32_t limit =
      Limit(request.limit(), kDefaultReadLimit, kMaxReadLimit);
  const uint64_t head = log.Head();
  uint64_t position = request.after_position();
  RecordBatch batch;
  absl::Status header_status;
  if (position < head) {
    absl::Status scanned = log.Scan(
        position + 1, std::min(head, position + kMaxScanRecords),
        [&](uint64_t at, absl::string_view bytes) {
          absl::StatusOr<RecordHeader> header = ReadRecordHeader(bytes);
          if (!header.ok()) {
            header_status = absl::DataLossError(
                absl::StrCat("record ", at, ": ", header.status().message()));
            return false;
          }
          if (filter->Matches(*header)) batch.Add(bytes);
          position = at;
          return batch.records() < limit && batch.bytes() < kMaxBatchBytes;
        });
    if (!scanned.ok()) return scanned;
    if (!header_status.ok()) return header_status;
  }
  reply.set_position(position);
  reply.set_head_position(head);
  batch.MoveInto(gavel::v1::ReadAllReply::kEventsFieldNumber, reply);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Principal> EventStreamService::Authorize(
    const grpc::CallbackServerContext& context,
    absl::string_view method) const {
  return auth_->Authorize(
      context, absl::StrCat("/gavel.v1.EventStreamService/", method));
}

grpc::ServerUnaryReactor* EventStreamService::ReadStream(
    grpc::CallbackServerContext* context,
    const gavel::v1::ReadStreamRequest* request,
    gavel::v1::ReadStreamReply* reply) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::Status status = Authorize(*context, "ReadStream").status();
  if (status.ok()) status = services::ReadStream(*log_, *request, *reply);
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

grpc::ServerUnaryReactor* EventStreamService::ReadAll(
    grpc::CallbackServerContext* context,
    const gavel::v1::ReadAllRequest* request, gavel::v1::ReadAllReply* reply) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::Status status = Authorize(*context, "ReadAll").status();
  if (status.ok()) status = services::ReadAll(*log_, *request, *reply);
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

grpc::ServerWriteReactor<gavel::v1::SubscribeReply>*
EventStreamService::Subscribe(grpc::CallbackServerContext* context,
                              const gavel::v1::SubscribeRequest* request) {
  SubscriptionRequest subscription;
  absl::StatusOr<Principal> principal = Authorize(*context, "Subscribe");
  absl::Status status = principal.status();
  if (status.ok()) {
    absl::StatusOr<EventFilter> filter =
        EventFilter::FromProto(request->filter());
    if (filter.ok()) {
      subscription.filter = *std::move(filter);
    } else {
      status = filter.status();
    }
  }
  if (status.ok()) {
    subscription.from_now = request->from_now();
    subscription.after_position = request->after_position();
    subscription.max_batch_records = Limit(
        request->max_batch_records(), kDefaultBatchRecords, kMaxBatchRecords);
    subscription.principal = principal->name;
    subscription.credentials_expire = principal->expires;
    subscription.peer = context->peer();
  }
  return subscriptions_->Subscribe(context, status, std::move(subscription));
}

}  // namespace gavel::services
