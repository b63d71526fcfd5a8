#include "cli/event_json.h"

#include <memory>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"
#include "proto/catalogue.h"

namespace gavel::cli {
namespace {

// The record's domain event: its stream's event wrapper (the catalogue's),
// or nullptr when the stream is no aggregate's or the payload does not
// parse.
std::unique_ptr<google::protobuf::Message> Decode(
    const gavel::v1::EventRecord& record) {
  return catalogue::DecodePayload(record.stream_id(), record.payload());
}

std::string Time(const google::protobuf::Timestamp& t) {
  return absl::FormatTime(
      "%Y-%m-%dT%H:%M:%E3SZ",
      absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos()),
      absl::UTCTimeZone());
}

}  // namespace

std::string RecordJson(const gavel::v1::EventRecord& record) {
  nlohmann::json json;
  json["position"] = record.position();
  json["stream_id"] = record.stream_id();
  json["stream_version"] = record.stream_version();
  json["event_id"] = record.event_id();
  json["event_type"] = record.event_type();
  json["recorded_at"] = Time(record.recorded_at());
  json["actor"] = record.actor();
  json["command_id"] = record.command_id();
  if (!record.correlation_id().empty()) {
    json["correlation_id"] = record.correlation_id();
  }
  std::string text;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  if (std::unique_ptr<google::protobuf::Message> event = Decode(record);
      event != nullptr &&
      google::protobuf::util::MessageToJsonString(*event, &text, options)
          .ok()) {
    json["event"] = nlohmann::json::parse(text, nullptr, false);
  } else {
    json["payload"] = absl::Base64Escape(record.payload());
  }
  return json.dump();
}

std::string RecordLine(const gavel::v1::EventRecord& record) {
  std::string body;
  if (std::unique_ptr<google::protobuf::Message> event = Decode(record)) {
    google::protobuf::TextFormat::Printer printer;
    printer.SetSingleLineMode(true);
    printer.PrintToString(*event, &body);
  } else {
    body = absl::StrCat(record.payload().size(), " bytes");
  }
  return absl::StrCat(record.position(), "  ", Time(record.recorded_at()), "  ",
                      record.stream_id(), "@", record.stream_version(), "  ",
                      record.event_type(), "  by ", record.actor(), "  ", body);
}

}  // namespace gavel::cli
