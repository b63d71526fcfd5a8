// The checks EventLog makes before it writes anything: the INVALID_ARGUMENT
// cases of EventLog::Append and EventLog::Validate (storage/event_log.h),
// and the stream-id check its reads share. Internal to storage/. Pure
// functions: thread-safe.
#ifndef GAVEL_STORAGE_BATCH_VALIDATION_H_
#define GAVEL_STORAGE_BATCH_VALIDATION_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "storage/append_request.h"
#include "storage/event_log.h"

namespace gavel::storage {

// Bounds beside those of the stored format (storage/key_format.h).
inline constexpr size_t kMaxEventTypeBytes = 128;
inline constexpr size_t kMaxEventIdBytes = 128;
// Each of actor, correlation_id and causation_id.
inline constexpr size_t kMaxMetadataBytes = 256;

// OK, or INVALID_ARGUMENT naming the first rule `batch` breaks: an empty
// batch; then, request by request, a command_id over kMaxCommandIdBytes or
// with a NUL byte, a content_digest over kMaxDigestBytes, metadata over
// kMaxMetadataBytes, no streams or more than kMaxStreamsPerRequest; stream
// by stream, a stream id ValidateStreamId refuses, no events; event by
// event, an event_type empty, over kMaxEventTypeBytes or with a NUL byte,
// an event_id over kMaxEventIdBytes or with a NUL byte (it may be empty),
// a payload over options.max_event_bytes. Last, a total payload over
// options.max_batch_bytes.
absl::Status ValidateBatch(absl::Span<const AppendRequest> batch,
                           const EventLogOptions& options);

// OK, or INVALID_ARGUMENT if `stream_id` is empty, longer than
// kMaxStreamIdBytes or holds a NUL byte.
absl::Status ValidateStreamId(absl::string_view stream_id);

}  // namespace gavel::storage

#endif  // GAVEL_STORAGE_BATCH_VALIDATION_H_
