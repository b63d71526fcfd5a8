// Renders stored event records for people and scripts, with the domain
// payload decoded by the wrapper message its stream's prefix names (the
// published mapping of docs/api.md). Links only the generated protos.
#ifndef GAVEL_CLI_EVENT_JSON_H_
#define GAVEL_CLI_EVENT_JSON_H_

#include <string>

#include "gavel/v1/event_record.pb.h"

namespace gavel::cli {

// The record as one line of JSON: its metadata, and under "event" the
// decoded payload (proto3 JSON), or "payload" in base64 when the stream's
// prefix is unknown or the payload does not decode.
std::string RecordJson(const gavel::v1::EventRecord& record);

// One human-readable line: position, time, stream@version, type, actor, and
// the decoded event in compact text form.
std::string RecordLine(const gavel::v1::EventRecord& record);

}  // namespace gavel::cli

#endif  // GAVEL_CLI_EVENT_JSON_H_
