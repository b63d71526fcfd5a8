#include "services/event_filter.h"

#include <algorithm>
#include <cstdint>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "domain/rejection.h"
#include "google/protobuf/reflection.h"
#include "google/protobuf/unknown_field_set.h"

namespace gavel::services {
namespace {

// Field numbers of gavel.v1.EventRecord (event_record.proto) and of
// google.protobuf.Timestamp.
constexpr uint32_t kStreamIdField = 2;
constexpr uint32_t kEventTypeField = 5;
constexpr uint32_t kRecordedAtField = 6;
constexpr uint32_t kSecondsField = 1;
constexpr uint32_t kNanosField = 2;
// Field number of EventBatch.records.
constexpr uint32_t kRecordsField = 1;

enum WireType : uint32_t {
  kVarint = 0,
  kFixed64 = 1,
  kLengthDelimited = 2,
  kFixed32 = 5
};

// A cursor over protobuf wire bytes.
class WireReader {
 public:
  explicit WireReader(absl::string_view bytes) : rest_(bytes) {}

  bool done() const { return rest_.empty(); }

  std::optional<uint64_t> Varint() {
    uint64_t value = 0;
    for (int shift = 0; shift < 64 && !rest_.empty(); shift += 7) {
      const uint8_t byte = static_cast<uint8_t>(rest_[0]);
      rest_.remove_prefix(1);
      value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    return std::nullopt;
  }

  std::optional<absl::string_view> Bytes(uint64_t size) {
    if (size > rest_.size()) return std::nullopt;
    absl::string_view out = rest_.substr(0, size);
    rest_.remove_prefix(size);
    return out;
  }

  // Skips a value of `wire_type`; false if it cannot.
  bool Skip(uint32_t wire_type) {
    switch (wire_type) {
      case kVarint:
        return Varint().has_value();
      case kFixed64:
        return Bytes(8).has_value();
      case kFixed32:
        return Bytes(4).has_value();
      case kLengthDelimited: {
        std::optional<uint64_t> size = Varint();
        return size.has_value() && Bytes(*size).has_value();
      }
      default:
        return false;
    }
  }

 private:
  absl::string_view rest_;
};

std::optional<absl::Time> ReadTimestamp(absl::string_view bytes) {
  WireReader reader(bytes);
  int64_t seconds = 0;
  int64_t nanos = 0;
  while (!reader.done()) {
    std::optional<uint64_t> tag = reader.Varint();
    if (!tag.has_value()) return std::nullopt;
    const uint32_t field = static_cast<uint32_t>(*tag >> 3);
    const uint32_t type = static_cast<uint32_t>(*tag & 7);
    if ((field == kSecondsField || field == kNanosField) && type == kVarint) {
      std::optional<uint64_t> value = reader.Varint();
      if (!value.has_value()) return std::nullopt;
      (field == kSecondsField ? seconds : nanos) = static_cast<int64_t>(*value);
    } else if (!reader.Skip(type)) {
      return std::nullopt;
    }
  }
  return absl::FromUnixSeconds(seconds) + absl::Nanoseconds(nanos);
}

void AppendVarint(uint64_t value, std::string& out) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

absl::Status CheckValues(
    const google::protobuf::RepeatedPtrField<std::string>& values,
    absl::string_view field) {
  if (values.size() > kMaxFilterValues) {
    return domain::Reject(
        domain::kTooManyFilterValues, absl::StrCat("filter.", field),
        absl::StrCat("filter.", field, " has ", values.size(),
                     " values; at most ", kMaxFilterValues, " are allowed"));
  }
  for (int i = 0; i < values.size(); ++i) {
    const std::string path = absl::StrCat("filter.", field, "[", i, "]");
    if (values[i].empty()) {
      return domain::Reject(domain::kEmptyFilterValue, path,
                            absl::StrCat(path, " is empty"));
    }
    if (values[i].size() > kMaxFilterValueBytes) {
      return domain::Reject(
          domain::kFilterValueTooLong, path,
          absl::StrCat(path, " has ", values[i].size(), " bytes; at most ",
                       kMaxFilterValueBytes, " are allowed"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RecordHeader> ReadRecordHeader(absl::string_view bytes) {
  RecordHeader header;
  WireReader reader(bytes);
  while (!reader.done()) {
    std::optional<uint64_t> tag = reader.Varint();
    if (!tag.has_value()) break;
    const uint32_t field = static_cast<uint32_t>(*tag >> 3);
    const uint32_t type = static_cast<uint32_t>(*tag & 7);
    if ((field == kStreamIdField || field == kEventTypeField ||
         field == kRecordedAtField) &&
        type == kLengthDelimited) {
      std::optional<uint64_t> size = reader.Varint();
      std::optional<absl::string_view> value =
          size.has_value() ? reader.Bytes(*size) : std::nullopt;
      if (!value.has_value()) break;
      if (field == kStreamIdField) {
        header.stream_id = *value;
      } else if (field == kEventTypeField) {
        header.event_type = *value;
      } else {
        std::optional<absl::Time> time = ReadTimestamp(*value);
        if (!time.has_value()) break;
        header.recorded_at = *time;
      }
    } else if (!reader.Skip(type)) {
      break;
    }
  }
  if (!reader.done()) {
    return absl::DataLossError("a stored record is not a valid EventRecord");
  }
  return header;
}

absl::StatusOr<EventFilter> EventFilter::FromProto(
    const gavel::v1::EventFilter& proto) {
  if (absl::Status s = CheckValues(proto.stream_prefixes(), "stream_prefixes");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckValues(proto.event_types(), "event_types");
      !s.ok()) {
    return s;
  }
  EventFilter filter;
  filter.stream_prefixes_.assign(proto.stream_prefixes().begin(),
                                 proto.stream_prefixes().end());
  filter.event_types_.assign(proto.event_types().begin(),
                             proto.event_types().end());
  return filter;
}

bool EventFilter::Matches(const RecordHeader& header) const {
  if (!stream_prefixes_.empty() &&
      std::none_of(stream_prefixes_.begin(), stream_prefixes_.end(),
                   [&](const std::string& prefix) {
                     return absl::StartsWith(header.stream_id, prefix);
                   })) {
    return false;
  }
  return event_types_.empty() ||
         std::find(event_types_.begin(), event_types_.end(),
                   header.event_type) != event_types_.end();
}

void RecordBatch::Add(absl::string_view record) {
  AppendVarint((kRecordsField << 3) | kLengthDelimited, encoded_);
  AppendVarint(record.size(), encoded_);
  encoded_.append(record.data(), record.size());
  ++records_;
}

void RecordBatch::MoveInto(int field, google::protobuf::Message& message) {
  google::protobuf::UnknownFieldSet* unknown =
      message.GetReflection()->MutableUnknownFields(&message);
  unknown->AddLengthDelimited(field)->swap(encoded_);
  encoded_.clear();
  records_ = 0;
}

}  // namespace gavel::services
