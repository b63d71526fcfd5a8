#include "storage/batch_validation.h"

#include "absl/strings/str_cat.h"
#include "storage/key_format.h"

namespace gavel::storage {
namespace {

// OK, or INVALID_ARGUMENT if `id` (called `what`) is empty while
// `required`, longer than `max_bytes` or holds a NUL byte.
absl::Status ValidateId(absl::string_view what, absl::string_view id,
                        size_t max_bytes, bool required) {
  if (id.empty()) {
    if (!required) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat(what, " is empty"));
  }
  if (id.size() > max_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " is ", id.size(), " bytes long; the maximum is ", max_bytes));
  }
  if (id.find('\0') != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " contains a NUL byte"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateBatch(absl::Span<const AppendRequest> batch,
                           const EventLogOptions& options) {
  if (batch.empty()) return absl::InvalidArgumentError("empty batch");
  size_t total_bytes = 0;
  for (const AppendRequest& request : batch) {
    if (absl::Status s = ValidateId("command_id", request.command_id,
                                    kMaxCommandIdBytes, false);
        !s.ok()) {
      return s;
    }
    if (request.content_digest.size() > kMaxDigestBytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          "content_digest is longer than ", kMaxDigestBytes, " bytes"));
    }
    for (absl::string_view field : {absl::string_view(request.actor),
                                    absl::string_view(request.correlation_id),
                                    absl::string_view(request.causation_id)}) {
      if (field.size() > kMaxMetadataBytes) {
        return absl::InvalidArgumentError(
            absl::StrCat("actor, correlation_id and causation_id are at most ",
                         kMaxMetadataBytes, " bytes"));
      }
    }
    if (request.streams.empty()) {
      return absl::InvalidArgumentError("an append request has no streams");
    }
    if (request.streams.size() > kMaxStreamsPerRequest) {
      return absl::InvalidArgumentError(
          absl::StrCat("an append request writes at most ",
                       kMaxStreamsPerRequest, " streams"));
    }
    for (const StreamAppend& append : request.streams) {
      if (absl::Status s = ValidateStreamId(append.stream_id); !s.ok()) {
        return s;
      }
      if (append.events.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "append to stream ", append.stream_id, " has no events"));
      }
      for (const NewEvent& event : append.events) {
        if (absl::Status s = ValidateId("event_type", event.event_type,
                                        kMaxEventTypeBytes, true);
            !s.ok()) {
          return s;
        }
        if (absl::Status s =
                ValidateId("event_id", event.event_id, kMaxEventIdBytes, false);
            !s.ok()) {
          return s;
        }
        if (event.payload.size() > options.max_event_bytes) {
          return absl::InvalidArgumentError(absl::StrCat(
              "event of type ", event.event_type, " is ", event.payload.size(),
              " bytes; the maximum is ", options.max_event_bytes));
        }
        total_bytes += event.payload.size();
      }
    }
  }
  if (total_bytes > options.max_batch_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("batch payload is ", total_bytes,
                     " bytes; the maximum is ", options.max_batch_bytes));
  }
  return absl::OkStatus();
}

absl::Status ValidateStreamId(absl::string_view stream_id) {
  return ValidateId("stream_id", stream_id, kMaxStreamIdBytes, true);
}

}  // namespace gavel::storage
