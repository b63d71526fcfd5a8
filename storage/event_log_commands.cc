// EventLog: the command index ("commands"), which makes a retried command
// return its first commit's result. Contracts: storage/event_log.h; stored
// format: storage/key_format.h (committed_command).
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "storage/column_families.h"
#include "storage/event_log.h"
#include "storage/key_format.h"
#include "storage/rocksdb_slice.h"
#include "storage/rocksdb_status.h"

namespace gavel::storage {
namespace {

// Whether two requests without a content digest ask for the same appends
// (the caller's retry).
bool SameContent(const AppendRequest& a, const AppendRequest& b) {
  if (a.streams.size() != b.streams.size()) return false;
  for (size_t i = 0; i < a.streams.size(); ++i) {
    const StreamAppend& x = a.streams[i];
    const StreamAppend& y = b.streams[i];
    if (x.stream_id != y.stream_id ||
        !(x.expected_version == y.expected_version) ||
        x.events.size() != y.events.size()) {
      return false;
    }
    for (size_t e = 0; e < x.events.size(); ++e) {
      if (x.events[e].event_id != y.events[e].event_id ||
          x.events[e].event_type != y.events[e].event_type ||
          x.events[e].payload != y.events[e].payload) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

absl::StatusOr<absl::flat_hash_map<std::string, CommittedCommand>>
EventLog::StoredCommands(absl::Span<const AppendRequest> batch) const {
  std::vector<rocksdb::Slice> keys;
  keys.reserve(batch.size());
  for (const AppendRequest& request : batch) {
    if (!request.command_id.empty())
      keys.push_back(ToSlice(request.command_id));
  }
  absl::flat_hash_map<std::string, CommittedCommand> stored;
  if (keys.empty()) return stored;
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  db_->MultiGet(rocksdb::ReadOptions(), cf_->commands, keys.size(), keys.data(),
                values.data(), statuses.data());
  for (size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].IsNotFound()) continue;
    if (!statuses[i].ok()) return FromRocksDb(statuses[i], "reading command");
    std::optional<CommittedCommand> command =
        DecodeCommittedCommand(FromSlice(values[i]));
    if (!command.has_value()) {
      return absl::DataLossError(absl::StrCat(
          "stored result of command ", FromSlice(keys[i]), " is corrupt"));
    }
    stored.emplace(FromSlice(keys[i]), *std::move(command));
  }
  return stored;
}

absl::StatusOr<std::optional<AppendResult>> EventLog::EarlierCommit(
    const AppendRequest& request,
    const absl::flat_hash_map<std::string, CommittedCommand>& stored,
    const absl::flat_hash_map<std::string, BatchCommand>& batch_commands)
    const {
  const auto conflict = [&request]() {
    return CommandIdTaken(request.command_id);
  };
  if (auto it = batch_commands.find(request.command_id);
      it != batch_commands.end()) {
    const AppendRequest& first = *it->second.request;
    if (!first.content_digest.empty() || !request.content_digest.empty()) {
      if (absl::Status s = CheckRetry(request.command_id, first.content_digest,
                                      request.content_digest);
          !s.ok()) {
        return s;
      }
    } else if (!SameContent(first, request)) {
      return conflict();
    }
    return it->second.result;
  }
  const auto found = stored.find(request.command_id);
  if (found == stored.end()) return std::nullopt;
  const CommittedCommand& earlier = found->second;
  if (absl::Status s = CheckRetry(request.command_id, earlier.content_digest,
                                  request.content_digest);
      !s.ok()) {
    return s;
  }
  if (!request.content_digest.empty()) return earlier.result;
  // No digest: compare the request with the records it wrote (retries are
  // rare, so the write path stores no hash of its own).
  uint64_t position = earlier.result.first_position;
  if (earlier.result.streams.size() != request.streams.size()) {
    return conflict();
  }
  for (size_t i = 0; i < request.streams.size(); ++i) {
    const StreamAppend& append = request.streams[i];
    const StreamWrite& written = earlier.result.streams[i];
    if (written.stream_id != append.stream_id ||
        written.last_version - written.first_version + 1 !=
            append.events.size()) {
      return conflict();
    }
    for (const NewEvent& event : append.events) {
      absl::StatusOr<StoredEvent> stored = ReadAt(position++);
      if (!stored.ok()) return stored.status();
      absl::StatusOr<gavel::v1::EventRecord> record = stored->Decode();
      if (!record.ok()) return record.status();
      if (record->stream_id() != append.stream_id ||
          record->event_type() != event.event_type ||
          record->payload() != event.payload ||
          (!event.event_id.empty() && record->event_id() != event.event_id)) {
        return conflict();
      }
    }
  }
  return earlier.result;
}

absl::StatusOr<std::optional<CommittedCommand>> EventLog::FindCommand(
    absl::string_view command_id) const {
  if (command_id.empty()) return std::nullopt;
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf_->commands,
                               ToSlice(command_id), &value);
  if (s.IsNotFound()) return std::nullopt;
  if (!s.ok()) return FromRocksDb(s, "reading command");
  std::optional<CommittedCommand> command = DecodeCommittedCommand(value);
  if (!command.has_value()) {
    return absl::DataLossError(
        absl::StrCat("stored result of command ", command_id, " is corrupt"));
  }
  // Committed but not yet published: not there for readers yet.
  if (command->result.last_position > Head()) return std::nullopt;
  return command;
}

}  // namespace gavel::storage
