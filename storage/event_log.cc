// EventLog: opening and recovery, the write path (Append), the head and
// its listeners, RocksDB's statistics and snapshots. The rest, by what it
// stores: event_log_records.cc, event_log_commands.cc,
// event_log_merkle.cc, event_log_checkpoints.cc. Contracts:
// storage/event_log.h; stored formats: storage/key_format.h.
#include "storage/event_log.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/cleanup/cleanup.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/utilities/checkpoint.h"
#include "rocksdb/write_batch.h"
#include "storage/batch_validation.h"
#include "storage/column_families.h"
#include "storage/rocksdb_slice.h"
#include "storage/rocksdb_status.h"

namespace gavel::storage {
namespace {

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
    rocksdb::WriteOptions sync;
    sync.sync = true;
    s = db_->Put(sync, cf_->meta, kFormatVersionKey,
                 EncodeFixed64BE(kFormatVersion));
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
  stats.stream_index_reads =
      stream_index_reads_.load(std::memory_order_relaxed);
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

}  // namespace gavel::storage
