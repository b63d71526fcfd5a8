// Filtering stored records by stream prefix and event type, and serving
// them as stored, without decoding or re-serializing them.
#ifndef GAVEL_SERVICES_EVENT_FILTER_H_
#define GAVEL_SERVICES_EVENT_FILTER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gavel/v1/event_stream_service.pb.h"

namespace gavel::services {

// What a reader needs of a stored EventRecord, read from its wire bytes.
// Borrows the bytes it was read from.
struct RecordHeader {
  absl::string_view stream_id;
  absl::string_view event_type;
  absl::Time recorded_at = absl::InfinitePast();
};

// Reads the stream id, event type and recorded_at of a stored EventRecord
// from its wire bytes, skipping the rest (payload included). DATA_LOSS if
// the bytes are not a well-formed EventRecord encoding.
absl::StatusOr<RecordHeader> ReadRecordHeader(absl::string_view bytes);

// Bounds of an EventFilter (docs/api.md).
inline constexpr int kMaxFilterValues = 16;
inline constexpr size_t kMaxFilterValueBytes = 128;

// A validated gavel.v1.EventFilter. Value type, thread-compatible.
class EventFilter {
 public:
  // The filter matching every record.
  EventFilter() = default;

  // Validates `proto`. INVALID_ARGUMENT, naming the field, with reason
  //   TOO_MANY_FILTER_VALUES  more than kMaxFilterValues in one list;
  //   EMPTY_FILTER_VALUE      an empty prefix or event type;
  //   FILTER_VALUE_TOO_LONG   a value over kMaxFilterValueBytes.
  static absl::StatusOr<EventFilter> FromProto(
      const gavel::v1::EventFilter& proto);

  // True when the filter matches every record.
  bool MatchesEverything() const {
    return stream_prefixes_.empty() && event_types_.empty();
  }

  // True when `header`'s stream id starts with one of the prefixes (if
  // any) and its event type is one of the types (if any).
  bool Matches(const RecordHeader& header) const;

 private:
  std::vector<std::string> stream_prefixes_;
  std::vector<std::string> event_types_;
};

// The wire encoding of a gavel.v1.EventBatch built from stored records,
// each appended as its stored bytes, verbatim. Thread-compatible.
class RecordBatch {
 public:
  // Appends one record's stored bytes.
  void Add(absl::string_view record);

  // Records added.
  size_t records() const { return records_; }
  // Size of the encoding (tags and lengths included).
  size_t bytes() const { return encoded_.size(); }

  // Sets field number `field` of `message`, which must be an EventBatch
  // field, to this batch: the encoding goes into `message`'s unknown
  // fields, which protobuf serializes verbatim, so a client parses it as
  // that EventBatch field. Leaves this batch empty.
  void MoveInto(int field, google::protobuf::Message& message);

 private:
  size_t records_ = 0;
  std::string encoded_;
};

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_EVENT_FILTER_H_
