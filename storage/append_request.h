// What a writer hands to EventLog::Append, and what it gets back.
#ifndef GAVEL_STORAGE_APPEND_REQUEST_H_
#define GAVEL_STORAGE_APPEND_REQUEST_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace gavel::storage {

// What a writer expects of a stream's current version before appending.
// A stream that has never been written has version 0; its first event gets
// version 1. Value type, thread-compatible.
class ExpectedVersion {
 public:
  // Any current version, including no stream at all.
  static ExpectedVersion Any() { return ExpectedVersion(Kind::kAny, 0); }
  // The stream must not exist yet (version 0).
  static ExpectedVersion NoStream() {
    return ExpectedVersion(Kind::kNoStream, 0);
  }
  // The stream must hold at least one event.
  static ExpectedVersion Exists() { return ExpectedVersion(Kind::kExists, 0); }
  // The stream must be at exactly `version` (0 means no stream).
  static ExpectedVersion Exactly(uint64_t version) {
    return ExpectedVersion(Kind::kExact, version);
  }

  ExpectedVersion() : ExpectedVersion(Kind::kAny, 0) {}

  // Whether a stream currently at `actual` satisfies this expectation.
  bool IsSatisfiedBy(uint64_t actual) const;

  // "any", "no stream", "exists" or the exact version, for messages.
  std::string ToString() const;

  friend bool operator==(const ExpectedVersion& a, const ExpectedVersion& b) {
    return a.kind_ == b.kind_ && a.version_ == b.version_;
  }

 private:
  enum class Kind { kAny, kNoStream, kExists, kExact };
  ExpectedVersion(Kind kind, uint64_t version)
      : kind_(kind), version_(version) {}

  Kind kind_;
  uint64_t version_;
};

// One event to append. The log fills in everything else of its record.
struct NewEvent {
  // Unique id; when empty the log assigns a random (UUID v4) one.
  std::string event_id;
  // The event's name, e.g. "GateDecided"; non-empty.
  std::string event_type;
  // The serialized domain event; opaque to the log.
  std::string payload;
};

// Events for one stream, appended in order after an expectation check.
struct StreamAppend {
  std::string stream_id;
  ExpectedVersion expected_version;
  std::vector<NewEvent> events;
};

// One command's writes: several streams, committed together under the
// command's idempotency key. Appends within one request are applied in
// order, so two appends to one stream see each other.
struct AppendRequest {
  // Idempotency key; empty means "not idempotent".
  std::string command_id;
  // The caller's fingerprint of the command (at most 64 bytes). A retry
  // with the same command_id must carry the same digest. When empty, a
  // retry must carry the same stream ids and events: the log compares it
  // with the records the first commit wrote.
  std::string content_digest;
  // The authenticated principal, recorded on every event.
  std::string actor;
  std::string correlation_id;
  std::string causation_id;
  std::vector<StreamAppend> streams;
};

// Where one stream's events of a request landed.
struct StreamWrite {
  std::string stream_id;
  uint64_t first_version = 0;
  uint64_t last_version = 0;
};

// Where one request's events landed in the log.
struct AppendResult {
  uint64_t first_position = 0;
  uint64_t last_position = 0;
  // One entry per StreamAppend, in request order.
  std::vector<StreamWrite> streams;
  // True when this is the stored result of an earlier commit of the same
  // command_id: nothing was written this time.
  bool deduplicated = false;
};

// The idempotency rule, one for the log and the writer: a command id names
// one request. `earlier_digest` is the content digest the id was first used
// with; the same `digest` again is a retry (OK: the caller gets the first
// result), another is ALREADY_EXISTS.
absl::Status CheckRetry(absl::string_view command_id,
                        absl::string_view earlier_digest,
                        absl::string_view digest);

// The ALREADY_EXISTS of a command id reused for another request.
absl::Status CommandIdTaken(absl::string_view command_id);

}  // namespace gavel::storage

#endif  // GAVEL_STORAGE_APPEND_REQUEST_H_
