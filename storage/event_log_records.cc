// EventLog: the records ("events") and the stream index ("streams"):
// reads by position and by stream. Contracts: storage/event_log.h; stored
// formats: storage/key_format.h.
#include <algorithm>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/perf_level.h"
#include "storage/batch_validation.h"
#include "storage/column_families.h"
#include "storage/event_log.h"
#include "storage/key_format.h"
#include "storage/rocksdb_slice.h"
#include "storage/rocksdb_status.h"

namespace gavel::storage {

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
  // Seeks, never walks the stream: the index is keyed by each run's last
  // version, so a seek to version v finds the run that holds v (or none
  // past the stream's end). Galloping from version 1, then halving, finds
  // the last run in O(log² versions) seeks; runs past the head belong to a
  // batch that is committed but not yet published and are stepped back
  // over.
  const uint64_t head = Head();
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), cf_->streams));
  const auto run_holding = [&](uint64_t version) {
    it->Seek(StreamIndexKey(stream_id, version));
    return RunAt(*it, stream_id);
  };
  uint64_t known = 0;    // A version the stream has (0: none known).
  uint64_t missing = 0;  // A version it does not reach (0: none found).
  for (uint64_t step = 1; missing == 0; step *= 2) {
    absl::StatusOr<std::optional<StreamRun>> run = run_holding(known + step);
    if (!run.ok()) return run.status();
    if (run->has_value()) {
      known = (*run)->last_version;
    } else {
      missing = known + step;
    }
  }
  while (known + 1 < missing) {
    const uint64_t middle = known + (missing - known) / 2;
    absl::StatusOr<std::optional<StreamRun>> run = run_holding(middle);
    if (!run.ok()) return run.status();
    if (run->has_value()) {
      known = (*run)->last_version;
    } else {
      missing = middle;
    }
  }
  while (known > 0) {
    absl::StatusOr<std::optional<StreamRun>> run = run_holding(known);
    if (!run.ok()) return run.status();
    if (!run->has_value()) break;
    const StreamRun& r = **run;
    if (r.first_position + (r.last_version - r.first_version) <= head) {
      return known;
    }
    known = r.first_version - 1;
  }
  return known;
}

absl::StatusOr<std::optional<StreamRun>> EventLog::RunAt(
    rocksdb::Iterator& it, absl::string_view stream_id) const {
  stream_index_reads_.fetch_add(1, std::memory_order_relaxed);
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

}  // namespace gavel::storage
