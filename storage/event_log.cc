#include "storage/event_log.h"

#include <algorithm>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/perf_level.h"
#include "rocksdb/utilities/checkpoint.h"
#include "rocksdb/write_batch.h"
#include "storage/batch_validation.h"
#include "storage/column_families.h"
#include "storage/key_format.h"
#include "storage/leaf_hasher.h"
#include "storage/rocksdb_slice.h"
#include "storage/rocksdb_status.h"

namespace gavel::storage {
namespace {

constexpr char kFormatVersionKey[] = "format_version";
// Streams whose version the writer remembers between appends.
constexpr size_t kStreamVersionCacheSize = 1 << 18;
// The reused write batch keeps its buffer up to this size.
constexpr size_t kKeptWriteBatchBytes = 4 << 20;
// Batches with at least this many events share the hashing of their
// leaves between the writer and the leaf hasher's thread; smaller ones hash
// inline (waking a thread would cost more than it saves).
constexpr size_t kParallelHashMinEvents = 32;

std::string NewEventId(absl::BitGen& bits) {
  uint64_t hi = absl::Uniform<uint64_t>(bits);
  uint64_t lo = absl::Uniform<uint64_t>(bits);
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 1
  // xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx, lower-case hex.
  static constexpr char kHex[] = "0123456789abcdef";
  char out[36];
  int o = 0;
  for (int nibble = 0; nibble < 32; ++nibble) {
    if (nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20) {
      out[o++] = '-';
    }
    const uint64_t word = nibble < 16 ? hi : lo;
    out[o++] = kHex[(word >> (60 - 4 * (nibble % 16))) & 0xf];
  }
  return std::string(out, sizeof(out));
}

void SetTimestamp(absl::Time t, google::protobuf::Timestamp& ts) {
  const int64_t seconds = absl::ToUnixSeconds(t);
  ts.set_seconds(seconds);
  ts.set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(seconds))));
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

}  // namespace

absl::StatusOr<std::unique_ptr<EventLog>> EventLog::Open(
    absl::string_view dir, const EventLogOptions& options) {
  absl::StatusOr<EventLogDb> db =
      OpenEventLogDb(dir, options.block_cache_bytes);
  if (!db.ok()) return db.status();
  std::unique_ptr<EventLog> log(
      new EventLog(std::move(db->db), std::move(db->families), options));
  if (absl::Status s = log->Recover(); !s.ok()) return s;
  return log;
}

EventLog::EventLog(std::unique_ptr<rocksdb::DB> db,
                   std::unique_ptr<ColumnFamilies> families,
                   const EventLogOptions& options)
    : options_(options),
      db_(std::move(db)),
      cf_(std::move(families)),
      write_batch_(std::make_unique<rocksdb::WriteBatch>()) {
  if (options_.merkle_tree) leaf_hasher_ = std::make_unique<LeafHasher>();
}

EventLog::~EventLog() {
  for (rocksdb::ColumnFamilyHandle* handle : cf_->all) {
    db_->DestroyColumnFamilyHandle(handle);
  }
  db_->Close();
}

absl::Status EventLog::Recover() {
  // Format version: written on creation, checked on every open.
  std::string version;
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), cf_->meta, kFormatVersionKey, &version);
  if (s.IsNotFound()) {
    std::string value;
    PutFixed64BE(value, kFormatVersion);
    rocksdb::WriteOptions sync;
    sync.sync = true;
    s = db_->Put(sync, cf_->meta, kFormatVersionKey, value);
    if (!s.ok()) return FromRocksDb(s, "writing format version");
  } else if (!s.ok()) {
    return FromRocksDb(s, "reading format version");
  } else if (version.size() != 8 ||
             DecodeFixed64BE(version) != kFormatVersion) {
    return absl::FailedPreconditionError(
        "the event log has an unsupported format version");
  }

  // Head: the last record.
  uint64_t head = 0;
  absl::Time recorded_at = absl::InfinitePast();
  {
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator(rocksdb::ReadOptions(), cf_->events));
    it->SeekToLast();
    if (!it->status().ok()) return FromRocksDb(it->status(), "reading head");
    if (it->Valid()) {
      const std::optional<uint64_t> position =
          DecodeFixed64Key(FromSlice(it->key()));
      if (!position.has_value()) {
        return absl::DataLossError("malformed key in the events family");
      }
      head = *position;
      gavel::v1::EventRecord last;
      if (!last.ParseFromArray(it->value().data(),
                               static_cast<int>(it->value().size())) ||
          last.position() != head) {
        return absl::DataLossError(
            absl::StrCat("the record at the head (", head, ") is corrupt"));
      }
      recorded_at = FromTimestamp(last.recorded_at());
    }
  }

  absl::MutexLock write_lock(&write_mu_);
  if (options_.merkle_tree) {
    absl::StatusOr<rfc9162::Frontier> frontier = rfc9162::Frontier::Load(
        head,
        [this](int level, uint64_t index) { return ReadNode(level, index); });
    if (!frontier.ok()) {
      return absl::DataLossError(
          absl::StrCat("the Merkle tree does not cover the log's ", head,
                       " records: ", frontier.status().message()));
    }
    frontier_ = *std::move(frontier);
  }
  last_recorded_at_ = recorded_at;
  absl::MutexLock head_lock(&head_mu_);
  head_ = head;
  head_recorded_at_ = recorded_at;
  return absl::OkStatus();
}

absl::Status EventLog::Validate(absl::Span<const AppendRequest> batch) const {
  return ValidateBatch(batch, options_);
}

absl::StatusOr<std::vector<AppendResult>> EventLog::Append(
    absl::Span<const AppendRequest> batch) {
  if (absl::Status s = ValidateBatch(batch, options_); !s.ok()) return s;

  absl::MutexLock lock(&write_mu_);
  if (!write_failure_.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the event log stopped accepting appends after a failed write: ",
        write_failure_.message()));
  }
  uint64_t head = Head();
  rfc9162::Frontier frontier = frontier_;
  absl::Time now = options_.clock ? options_.clock() : absl::Now();
  const absl::Time recorded_at = std::max(now, last_recorded_at_);

  // One batch reused across appends keeps its buffer (no allocation and no
  // fresh pages per append).
  rocksdb::WriteBatch& write = *write_batch_;
  write.Clear();
  std::vector<AppendResult> results;
  results.reserve(batch.size());
  // Versions this batch has already moved, and commands it commits.
  absl::flat_hash_map<std::string, uint64_t> versions;
  absl::flat_hash_map<std::string, BatchCommand> batch_commands;

  // Every command id of the batch looked up at once: a retry returns its
  // first result; new ids (nearly all) miss in the bloom filters.
  const absl::StatusOr<absl::flat_hash_map<std::string, CommittedCommand>>
      stored_commands = StoredCommands(batch);
  if (!stored_commands.ok()) return stored_commands.status();

  gavel::v1::EventRecord record;
  SetTimestamp(recorded_at, *record.mutable_recorded_at());
  bool wrote_any = false;

  // Serialized records stay in `records_` until their leaves are hashed
  // (large batches: by the writer and the leaf hasher's thread together,
  // once all are serialized; handing them over as they were serialized
  // cost more in wake-ups than it saved).
  size_t max_events = 0;
  for (const AppendRequest& request : batch) {
    for (const StreamAppend& append : request.streams) {
      max_events += append.events.size();
    }
  }
  if (records_.size() < max_events) records_.resize(max_events);
  const uint64_t first_position = head + 1;
  size_t serialized = 0;
  const bool parallel_hash =
      options_.merkle_tree && max_events >= kParallelHashMinEvents;
  if (parallel_hash) leaf_hasher_->Begin(&records_, &leaves_);
  // The helper must be done with records_ whichever way this returns.
  absl::Cleanup finish_hashing = [&]() {
    if (parallel_hash) leaf_hasher_->Finish();
  };

  for (const AppendRequest& request : batch) {
    if (!request.command_id.empty()) {
      absl::StatusOr<std::optional<AppendResult>> earlier =
          EarlierCommit(request, *stored_commands, batch_commands);
      if (!earlier.ok()) return earlier.status();
      if (earlier->has_value()) {
        AppendResult result = **std::move(earlier);
        result.deduplicated = true;
        results.push_back(std::move(result));
        continue;
      }
    }

    AppendResult result;
    result.first_position = head + 1;
    record.set_actor(request.actor);
    record.set_command_id(request.command_id);
    record.set_correlation_id(request.correlation_id);
    record.set_causation_id(request.causation_id);
    for (const StreamAppend& append : request.streams) {
      uint64_t version;
      if (auto it = versions.find(append.stream_id); it != versions.end()) {
        version = it->second;
      } else if (auto cached = stream_versions_.find(append.stream_id);
                 cached != stream_versions_.end()) {
        version = cached->second;
      } else {
        absl::StatusOr<uint64_t> stored = StreamVersion(append.stream_id);
        if (!stored.ok()) return stored.status();
        version = *stored;
      }
      if (!append.expected_version.IsSatisfiedBy(version)) {
        return absl::AbortedError(absl::StrCat(
            "stream ", append.stream_id, " expected version ",
            append.expected_version.ToString(), " but is at ", version));
      }
      StreamWrite stream_write{append.stream_id, version + 1, 0};
      record.set_stream_id(append.stream_id);
      for (const NewEvent& event : append.events) {
        ++head;
        ++version;
        record.set_position(head);
        record.set_stream_version(version);
        record.set_event_id(event.event_id.empty() ? NewEventId(event_id_bits_)
                                                   : event.event_id);
        record.set_event_type(event.event_type);
        record.set_payload(event.payload);
        std::string& bytes = records_[serialized++];
        bytes.clear();
        record.SerializeToString(&bytes);
        write.Put(cf_->events, EventKey(head), bytes);
      }
      stream_write.last_version = version;
      // One index entry for the append's run of consecutive positions.
      write.Put(cf_->streams, StreamIndexKey(append.stream_id, version),
                EncodeStreamRun(StreamRun{stream_write.first_version, version,
                                          head - append.events.size() + 1}));
      versions[append.stream_id] = version;
      result.streams.push_back(std::move(stream_write));
    }
    result.last_position = head;
    if (!request.command_id.empty()) {
      write.Put(cf_->commands, request.command_id,
                EncodeCommittedCommand(
                    CommittedCommand{request.content_digest, result}));
      batch_commands.emplace(request.command_id,
                             BatchCommand{&request, result});
    }
    wrote_any = true;
    results.push_back(std::move(result));
  }
  if (!wrote_any) return results;

  if (options_.merkle_tree) {
    if (parallel_hash) {
      leaf_hasher_->Publish(serialized);
      std::move(finish_hashing).Invoke();
    } else {
      leaves_.resize(std::max(leaves_.size(), serialized));
      for (size_t i = 0; i < serialized; ++i) {
        leaves_[i] = rfc9162::HashLeaf(records_[i]);
      }
    }
    for (size_t i = 0; i < serialized; ++i) {
      // The leaf itself and the small subtrees it completes are derived
      // from the records; the larger ones (levels kLowestStoredLevel..k)
      // are stored together under its index.
      const absl::InlinedVector<rfc9162::Frontier::Node, 4> completed =
          frontier.Append(leaves_[i]);
      if (completed.size() > kLowestStoredLevel) {
        write.Put(cf_->merkle, MerkleNodesKey(first_position + i - 1),
                  EncodeMerkleNodes(completed));
      }
    }
  }

  rocksdb::WriteOptions write_options;
  write_options.sync = options_.sync;
  if (rocksdb::Status s = db_->Write(write_options, &write); !s.ok()) {
    write_failure_ = FromRocksDb(s, "appending to the event log");
    return write_failure_;
  }
  if (write.GetDataSize() > kKeptWriteBatchBytes) {
    // Do not keep a rare huge batch's buffers for the log's lifetime.
    write_batch_ = std::make_unique<rocksdb::WriteBatch>();
    records_ = std::vector<std::string>();
    leaves_ = std::vector<rfc9162::Hash>();
  }

  frontier_ = std::move(frontier);
  last_recorded_at_ = recorded_at;
  if (stream_versions_.size() + versions.size() > kStreamVersionCacheSize) {
    stream_versions_.clear();
  }
  for (auto& [stream_id, version] : versions) {
    stream_versions_[stream_id] = version;
  }
  {
    absl::MutexLock head_lock(&head_mu_);
    head_ = head;
    head_recorded_at_ = recorded_at;
  }
  absl::MutexLock listeners_lock(&listeners_mu_);
  for (const Listener& listener : listeners_) listener.callback(head);
  return results;
}

EventLog::StorageStats EventLog::Stats() const {
  StorageStats stats;
  uint64_t value = 0;
  if (db_->GetAggregatedIntProperty(rocksdb::DB::Properties::kLiveSstFilesSize,
                                    &value)) {
    stats.sst_bytes = value;
  }
  if (db_->GetAggregatedIntProperty(
          rocksdb::DB::Properties::kCurSizeAllMemTables, &value)) {
    stats.memtable_bytes = value;
  }
  if (db_->GetAggregatedIntProperty(
          rocksdb::DB::Properties::kEstimatePendingCompactionBytes, &value)) {
    stats.pending_compaction_bytes = value;
  }
  if (db_->GetIntProperty(rocksdb::DB::Properties::kIsWriteStopped, &value)) {
    stats.writes_stopped = value != 0;
  }
  if (db_->GetIntProperty(rocksdb::DB::Properties::kActualDelayedWriteRate,
                          &value)) {
    stats.delayed_write_rate = value;
  }
  for (rocksdb::ColumnFamilyHandle* family : cf_->all) {
    std::map<std::string, std::string> cf_stats;
    if (!db_->GetMapProperty(family, rocksdb::DB::Properties::kCFStats,
                             &cf_stats)) {
      continue;
    }
    for (const char* key :
         {"io_stalls.total_stop", "io_stalls.total_slowdown"}) {
      auto it = cf_stats.find(key);
      uint64_t count = 0;
      if (it != cf_stats.end() && absl::SimpleAtoi(it->second, &count)) {
        stats.write_stalls += count;
      }
    }
  }
  return stats;
}

uint64_t EventLog::Head() const {
  absl::ReaderMutexLock lock(&head_mu_);
  return head_;
}

absl::Time EventLog::HeadRecordedAt() const {
  absl::ReaderMutexLock lock(&head_mu_);
  return head_recorded_at_;
}

uint64_t EventLog::WaitForHead(uint64_t position, absl::Time deadline) const {
  absl::MutexLock lock(&head_mu_);
  auto reached = [this, position]() ABSL_SHARED_LOCKS_REQUIRED(head_mu_) {
    return head_ >= position;
  };
  head_mu_.AwaitWithDeadline(absl::Condition(&reached), deadline);
  return head_;
}

uint64_t EventLog::AddHeadListener(std::function<void(uint64_t)> listener) {
  absl::MutexLock lock(&listeners_mu_);
  const uint64_t id = next_listener_id_++;
  listeners_.push_back(Listener{id, std::move(listener)});
  return id;
}

void EventLog::RemoveHeadListener(uint64_t id) {
  absl::MutexLock lock(&listeners_mu_);
  listeners_.erase(
      std::remove_if(listeners_.begin(), listeners_.end(),
                     [id](const Listener& l) { return l.id == id; }),
      listeners_.end());
}

absl::StatusOr<uint64_t> EventLog::CreateSnapshot(absl::string_view dir) {
  rocksdb::Checkpoint* raw = nullptr;
  if (rocksdb::Status s = rocksdb::Checkpoint::Create(db_.get(), &raw);
      !s.ok()) {
    return FromRocksDb(s, "preparing a snapshot");
  }
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  // No append commits while the copy is made: its head is the head now.
  absl::MutexLock lock(&write_mu_);
  const uint64_t head = Head();
  if (absl::Status s =
          FromRocksDb(checkpoint->CreateCheckpoint(std::string(dir)),
                      absl::StrCat("writing a snapshot to ", dir));
      !s.ok()) {
    return s;
  }
  return head;
}

absl::StatusOr<gavel::v1::EventRecord> StoredEvent::Decode() const {
  gavel::v1::EventRecord record;
  if (!record.ParseFromString(bytes)) {
    return absl::DataLossError(
        absl::StrCat("record at position ", position, " does not parse"));
  }
  return record;
}

absl::StatusOr<uint64_t> EventLog::StreamVersion(
    absl::string_view stream_id) const {
  if (absl::Status s = ValidateStreamId(stream_id); !s.ok()) return s;
  // The stream's runs, oldest first; runs past the head belong to a batch
  // that is committed but not yet published.
  const uint64_t head = Head();
  uint64_t version = 0;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), cf_->streams));
  for (it->Seek(StreamIndexKey(stream_id, 0));; it->Next()) {
    absl::StatusOr<std::optional<StreamRun>> run = RunAt(*it, stream_id);
    if (!run.ok()) return run.status();
    if (!run->has_value()) break;
    const StreamRun& r = **run;
    if (r.first_position + (r.last_version - r.first_version) > head) break;
    version = r.last_version;
  }
  return version;
}

absl::StatusOr<std::optional<StreamRun>> EventLog::RunAt(
    rocksdb::Iterator& it, absl::string_view stream_id) const {
  if (!it.status().ok()) return FromRocksDb(it.status(), "reading a stream");
  if (!it.Valid()) return std::nullopt;
  const std::optional<uint64_t> last_version =
      StreamIndexKeyVersion(FromSlice(it.key()), stream_id);
  if (!last_version.has_value()) return std::nullopt;
  std::optional<StreamRun> run =
      DecodeStreamRun(*last_version, FromSlice(it.value()));
  if (!run.has_value()) {
    return absl::DataLossError(
        absl::StrCat("index entry of stream ", stream_id, " is corrupt"));
  }
  return run;
}

absl::StatusOr<std::vector<StoredEvent>> EventLog::ReadAll(
    uint64_t from_position, size_t limit) const {
  std::vector<StoredEvent> out;
  limit = std::min(limit, kMaxReadLimit);
  if (limit == 0) return out;
  const uint64_t from = std::max<uint64_t>(from_position, 1);
  out.reserve(
      std::min<uint64_t>(limit, Head() >= from ? Head() - from + 1 : 0));
  absl::Status status =
      Scan(from, from + limit - 1,
           [&out](uint64_t position, absl::string_view bytes) {
             out.push_back(StoredEvent{position, std::string(bytes)});
             return true;
           });
  if (!status.ok()) return status;
  return out;
}

absl::Status EventLog::Scan(
    uint64_t from_position, uint64_t to_position,
    const std::function<bool(uint64_t, absl::string_view)>& visit) const {
  const uint64_t from = std::max<uint64_t>(from_position, 1);
  const uint64_t last = std::min(to_position, Head());
  if (from > last) return absl::OkStatus();
  const std::string upper = EventKey(last + 1);
  const rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions read_options;
  read_options.iterate_upper_bound = &upper_slice;
  // A long scan reads ahead and keeps its blocks out of the shared cache.
  if (last - from > 10000) {
    read_options.readahead_size = 2 << 20;
    read_options.fill_cache = false;
  }
  // RocksDB counts into a thread-local perf context on every step by
  // default; nothing here reads it, and a scan takes millions of steps.
  const rocksdb::PerfLevel perf_level = rocksdb::GetPerfLevel();
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
  absl::Cleanup restore_perf_level = [perf_level] {
    rocksdb::SetPerfLevel(perf_level);
  };
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(read_options, cf_->events));
  uint64_t expected = from;
  for (it->Seek(EventKey(from)); it->Valid(); it->Next()) {
    const uint64_t position = DecodeFixed64BE(FromSlice(it->key()));
    if (position != expected) break;
    ++expected;
    if (!visit(position, FromSlice(it->value()))) return absl::OkStatus();
  }
  if (!it->status().ok()) return FromRocksDb(it->status(), "reading the log");
  if (expected != last + 1) {
    return absl::DataLossError(
        absl::StrCat("record ", expected, " is missing from the log"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<StoredEvent>> EventLog::ReadStream(
    absl::string_view stream_id, uint64_t from_version, ReadDirection direction,
    size_t limit) const {
  if (absl::Status s = ValidateStreamId(stream_id); !s.ok()) return s;
  const uint64_t head = Head();
  limit = std::min(limit, kMaxReadLimit);
  std::string prefix(stream_id);
  prefix.push_back('\0');
  std::vector<uint64_t> positions;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), cf_->streams));
  // The index iterates within one stream, forwards only: a backward read
  // is a forward read of the window that ends at its start, reversed.
  uint64_t first = std::max<uint64_t>(from_version, 1);
  uint64_t last = std::numeric_limits<uint64_t>::max();
  if (direction == ReadDirection::kBackward) {
    absl::StatusOr<uint64_t> current = StreamVersion(stream_id);
    if (!current.ok()) return current.status();
    last = from_version == 0 ? *current : std::min(from_version, *current);
    if (last == 0 || limit == 0) return std::vector<StoredEvent>{};
    first = last >= limit ? last - limit + 1 : 1;
  }
  // Each index entry is a run of consecutive versions at consecutive
  // positions; the first entry found covers `first`.
  uint64_t version = first;
  for (it->Seek(StreamIndexKey(stream_id, first));
       positions.size() < limit && version <= last; it->Next()) {
    absl::StatusOr<std::optional<StreamRun>> run = RunAt(*it, stream_id);
    if (!run.ok()) return run.status();
    if (!run->has_value()) break;
    const StreamRun& r = **run;
    version = std::max(version, r.first_version);
    bool published = true;
    for (; version <= r.last_version && version <= last &&
           positions.size() < limit;
         ++version) {
      const uint64_t position = r.first_position + (version - r.first_version);
      if (position > head) {  // committed, but not yet published
        published = false;
        break;
      }
      positions.push_back(position);
    }
    if (!published) break;
  }
  if (direction == ReadDirection::kBackward) {
    std::reverse(positions.begin(), positions.end());
  }
  std::vector<StoredEvent> out;
  out.reserve(positions.size());
  for (uint64_t position : positions) {
    absl::StatusOr<StoredEvent> event = ReadAt(position);
    if (!event.ok()) {
      return absl::DataLossError(absl::StrCat(
          "stream ", stream_id, " names missing position ", position));
    }
    out.push_back(*std::move(event));
  }
  return out;
}

absl::StatusOr<StoredEvent> EventLog::ReadAt(uint64_t position) const {
  if (position == 0 || position > Head()) {
    return absl::NotFoundError(
        absl::StrCat("no record at position ", position));
  }
  StoredEvent event{position, {}};
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf_->events,
                               EventKey(position), &event.bytes);
  if (s.IsNotFound()) {
    return absl::DataLossError(
        absl::StrCat("record ", position, " is missing from the log"));
  }
  if (!s.ok()) return FromRocksDb(s, "reading a record");
  return event;
}

namespace {

// Whether two requests ask for the same appends (the caller's retry).
bool SameContent(const AppendRequest& a, const AppendRequest& b) {
  if (a.content_digest != b.content_digest) return false;
  if (!a.content_digest.empty()) return true;
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
    return absl::AlreadyExistsError(
        absl::StrCat("command ", request.command_id,
                     " was already committed with different content"));
  };
  if (auto it = batch_commands.find(request.command_id);
      it != batch_commands.end()) {
    if (!SameContent(*it->second.request, request)) return conflict();
    return it->second.result;
  }
  const auto found = stored.find(request.command_id);
  if (found == stored.end()) return std::nullopt;
  const CommittedCommand& earlier = found->second;
  if (earlier.content_digest != request.content_digest) return conflict();
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

namespace {

// FAILED_PRECONDITION without the tree; INVALID_ARGUMENT for a tree of
// `size` records beyond `head`.
absl::Status RequireTree(bool merkle_tree, uint64_t size, uint64_t head) {
  if (!merkle_tree) {
    return absl::FailedPreconditionError(
        "this event log was opened without its Merkle tree");
  }
  if (size > head) {
    return absl::InvalidArgumentError(
        absl::StrCat("tree size ", size, " is beyond the log's head ", head));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<rfc9162::Hash> EventLog::ReadNode(int level,
                                                 uint64_t index) const {
  std::string value;
  if (level < kLowestStoredLevel) {
    // Not stored: hash the subtree's (at most 2^(kLowestStoredLevel - 1))
    // records. Used for the few lowest nodes of a proof or a frontier.
    const uint64_t first = (index << level) + 1;  // positions
    const uint64_t count = uint64_t{1} << level;
    std::vector<rfc9162::Hash> hashes;
    hashes.reserve(count);
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator(rocksdb::ReadOptions(), cf_->events));
    it->Seek(EventKey(first));
    for (uint64_t position = first; position < first + count; ++position) {
      if (!it->Valid() || DecodeFixed64Key(FromSlice(it->key())) != position) {
        if (!it->status().ok()) {
          return FromRocksDb(it->status(), "reading a record");
        }
        return absl::DataLossError(
            absl::StrCat("record ", position, " is missing from the log"));
      }
      hashes.push_back(rfc9162::HashLeaf(FromSlice(it->value())));
      it->Next();
    }
    while (hashes.size() > 1) {
      for (size_t i = 0; i < hashes.size() / 2; ++i) {
        hashes[i] = rfc9162::HashChildren(hashes[2 * i], hashes[2 * i + 1]);
      }
      hashes.resize(hashes.size() / 2);
    }
    return hashes.front();
  }
  // Node (level, index) was completed by leaf (index + 1) * 2^level - 1.
  const uint64_t leaf = ((index + 1) << level) - 1;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf_->merkle,
                               MerkleNodesKey(leaf), &value);
  if (s.IsNotFound()) {
    return absl::DataLossError(
        absl::StrCat("Merkle node (", level, ", ", index, ") is missing"));
  }
  if (!s.ok()) return FromRocksDb(s, "reading a Merkle node");
  const std::optional<absl::string_view> bytes = MerkleNodeHash(value, level);
  absl::StatusOr<rfc9162::Hash> hash =
      bytes.has_value() ? rfc9162::HashFromBytes(*bytes)
                        : absl::DataLossError("short Merkle entry");
  if (!hash.ok()) {
    return absl::DataLossError(
        absl::StrCat("Merkle node (", level, ", ", index, ") is corrupt"));
  }
  return hash;
}

absl::StatusOr<rfc9162::Hash> EventLog::RootAt(uint64_t size) const {
  if (absl::Status s = RequireTree(options_.merkle_tree, size, Head());
      !s.ok()) {
    return s;
  }
  return rfc9162::RootAt(size, [this](int level, uint64_t index) {
    return ReadNode(level, index);
  });
}

absl::StatusOr<std::vector<rfc9162::Hash>> EventLog::InclusionProof(
    uint64_t index, uint64_t size) const {
  if (absl::Status s = RequireTree(options_.merkle_tree, size, Head());
      !s.ok()) {
    return s;
  }
  return rfc9162::InclusionProof(index, size, [this](int level, uint64_t i) {
    return ReadNode(level, i);
  });
}

absl::StatusOr<std::vector<rfc9162::Hash>> EventLog::ConsistencyProof(
    uint64_t size1, uint64_t size2) const {
  if (absl::Status s = RequireTree(options_.merkle_tree, size2, Head());
      !s.ok()) {
    return s;
  }
  return rfc9162::ConsistencyProof(size1, size2, [this](int level, uint64_t i) {
    return ReadNode(level, i);
  });
}

absl::Status EventLog::VerifyTree(uint64_t size) const {
  if (absl::Status s = RequireTree(options_.merkle_tree, size, Head());
      !s.ok()) {
    return s;
  }
  // One pass over the records and one over the stored nodes, both in key
  // order; the leaves of each chunk are hashed on two threads.
  constexpr size_t kChunk = 4096;
  rocksdb::ReadOptions read_options;
  read_options.fill_cache = false;  // one pass: do not evict the hot set
  std::unique_ptr<rocksdb::Iterator> records(
      db_->NewIterator(read_options, cf_->events));
  std::unique_ptr<rocksdb::Iterator> nodes(
      db_->NewIterator(read_options, cf_->merkle));
  nodes->SeekToFirst();
  LeafHasher hasher;
  std::vector<std::string> chunk;
  std::vector<rfc9162::Hash> leaves;
  gavel::v1::EventRecord record;
  rfc9162::Frontier frontier;
  uint64_t position = 1;
  records->Seek(EventKey(1));
  while (position <= size) {
    chunk.resize(std::min<uint64_t>(kChunk, size - position + 1));
    hasher.Begin(&chunk, &leaves);
    for (size_t i = 0; i < chunk.size(); ++i) {
      const uint64_t expected = position + i;
      if (!records->Valid() ||
          DecodeFixed64Key(FromSlice(records->key())) != expected) {
        hasher.Finish();
        if (!records->status().ok()) {
          return FromRocksDb(records->status(), "reading a record");
        }
        return absl::DataLossError(
            absl::StrCat("record ", expected, " is missing from the log"));
      }
      chunk[i].assign(records->value().data(), records->value().size());
      records->Next();
    }
    hasher.Publish(chunk.size());
    hasher.Finish();
    for (size_t i = 0; i < chunk.size(); ++i, ++position) {
      if (!record.ParseFromString(chunk[i]) || record.position() != position) {
        return absl::DataLossError(
            absl::StrCat("record at position ", position,
                         " does not carry its own position"));
      }
      const absl::InlinedVector<rfc9162::Frontier::Node, 4> completed =
          frontier.Append(leaves[i]);
      if (completed.size() <= kLowestStoredLevel) continue;
      // The nodes this leaf completes from kLowestStoredLevel up are
      // stored together under its index: the next entry of "merkle".
      const std::string key = MerkleNodesKey(position - 1);
      while (nodes->Valid() && nodes->key().compare(key) < 0) nodes->Next();
      if (!nodes->Valid() || nodes->key() != key) {
        if (!nodes->status().ok()) {
          return FromRocksDb(nodes->status(), "reading a Merkle node");
        }
        return absl::DataLossError(absl::StrCat(
            "the Merkle nodes completed by record ", position, " are missing"));
      }
      const absl::string_view value = FromSlice(nodes->value());
      for (size_t level = kLowestStoredLevel; level < completed.size();
           ++level) {
        const std::optional<absl::string_view> stored =
            MerkleNodeHash(value, static_cast<int>(level));
        if (!stored.has_value() ||
            *stored != rfc9162::AsBytes(completed[level].hash)) {
          return absl::DataLossError(absl::StrCat(
              "record at position ", position,
              " does not match the Merkle tree (node ", completed[level].level,
              ", ", completed[level].index, ")"));
        }
      }
    }
  }
  return absl::OkStatus();
}

absl::Status EventLog::PutCheckpoint(uint64_t size, absl::string_view text) {
  absl::MutexLock lock(&checkpoint_mu_);
  absl::StatusOr<std::string> existing = GetCheckpoint(size);
  if (existing.ok()) {
    if (*existing == text) return absl::OkStatus();
    return absl::AlreadyExistsError(absl::StrCat(
        "a different checkpoint for tree size ", size, " already exists"));
  }
  if (!absl::IsNotFound(existing.status())) return existing.status();
  rocksdb::WriteOptions sync;
  sync.sync = true;
  // Under write_mu_, like every write to db_ after Open: RocksDB then never
  // merges an append and a checkpoint into one write group, a hand-over
  // between our threads made under RocksDB's uninstrumented atomics, which
  // ThreadSanitizer cannot see. The appender waits for this one sync, at
  // most once per checkpoint.
  absl::MutexLock write_lock(&write_mu_);
  return FromRocksDb(
      db_->Put(sync, cf_->checkpoints, CheckpointKey(size), ToSlice(text)),
      "storing a checkpoint");
}

absl::StatusOr<std::string> EventLog::GetCheckpoint(uint64_t size) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf_->checkpoints,
                               CheckpointKey(size), &value);
  if (s.IsNotFound()) {
    return absl::NotFoundError(
        absl::StrCat("no checkpoint for tree size ", size));
  }
  if (!s.ok()) return FromRocksDb(s, "reading a checkpoint");
  return value;
}

absl::StatusOr<std::optional<std::pair<uint64_t, std::string>>>
EventLog::LatestCheckpoint() const {
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), cf_->checkpoints));
  it->SeekToLast();
  if (!it->status().ok()) {
    return FromRocksDb(it->status(), "reading checkpoints");
  }
  if (!it->Valid()) return std::nullopt;
  const std::optional<uint64_t> size = DecodeFixed64Key(FromSlice(it->key()));
  if (!size.has_value()) {
    return absl::DataLossError("malformed key in the checkpoints family");
  }
  return std::make_pair(*size, it->value().ToString());
}

}  // namespace gavel::storage
