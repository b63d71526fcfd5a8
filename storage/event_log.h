// The durable, append-only event log on RocksDB.
//
// Stored formats: storage/key_format.h. The log knows nothing of the
// domain: it stores opaque payloads with a type name, assigns dense global
// positions (first = 1) and per-stream versions (first = 1), keeps
// idempotency keys, and maintains the RFC 9162 Merkle tree over all records
// in the same atomic write as the records.
#ifndef GAVEL_STORAGE_EVENT_LOG_H_
#define GAVEL_STORAGE_EVENT_LOG_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/random/random.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "gavel/v1/event_record.pb.h"
#include "storage/append_request.h"
#include "storage/key_format.h"
#include "storage/leaf_hasher.h"
#include "transparency/rfc9162.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
class Iterator;
class WriteBatch;
}  // namespace rocksdb

namespace gavel::storage {

struct ColumnFamilies;  // storage/column_families.h

struct EventLogOptions {
  // fsync every append before acknowledging it. Turning this off loses
  // acknowledged events on power failure: for benchmarks only.
  bool sync = true;
  // Maintain the RFC 9162 Merkle tree in the write path. Turning this off
  // leaves a log that cannot be audited: for benchmarks only.
  bool merkle_tree = true;
  // Largest payload of one event.
  size_t max_event_bytes = 1 << 20;
  // Largest total payload of one Append call.
  size_t max_batch_bytes = 64 << 20;
  // Size of the block cache shared by all column families.
  size_t block_cache_bytes = 32 << 20;
  // Server clock for recorded_at; defaults to absl::Now.
  std::function<absl::Time()> clock;
};

// A record as stored: its position and the exact bytes of its EventRecord.
struct StoredEvent {
  uint64_t position = 0;
  std::string bytes;

  // Parses `bytes`; DATA_LOSS if they are not an EventRecord.
  absl::StatusOr<gavel::v1::EventRecord> Decode() const;
};

enum class ReadDirection { kForward, kBackward };

// An append-only log of events in a RocksDB database.
//
// Thread-safe. Append() may be called from any thread, but calls are
// serialized; the design has one writer thread. Readers read committed
// positions <= Head() from RocksDB without blocking the writer, and never
// see part of a batch.
class EventLog {
 public:
  // Largest number of records one read returns.
  static constexpr size_t kMaxReadLimit = 10000;

  // Opens (creating if needed) the log in `dir` and recovers its head,
  // stream versions and Merkle frontier. FAILED_PRECONDITION if another
  // process (or another EventLog in this one) holds the directory;
  // DATA_LOSS if the stored data is corrupt.
  static absl::StatusOr<std::unique_ptr<EventLog>> Open(
      absl::string_view dir, const EventLogOptions& options);

  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;
  ~EventLog();

  // Commits every request in `batch` atomically, in order, with one
  // RocksDB write (synced unless options.sync is false), or commits none.
  // Returns one result per request, in order. A request whose command_id
  // was committed before returns that commit's result (deduplicated) and
  // writes nothing. Errors, with nothing written:
  //   INVALID_ARGUMENT  empty batch, request without streams, stream without
  //                     events, empty or over-long ids, '\0' in a stream id,
  //                     empty event type, event or batch over the size bound;
  //   ABORTED           an expected version did not hold (the message names
  //                     the stream, the expected and the actual version);
  //   ALREADY_EXISTS    a command_id committed with a different digest;
  //   UNAVAILABLE / INTERNAL  the write failed. After a failed write the log
  //                     refuses further appends (FAILED_PRECONDITION): the
  //                     caller must stop and recover by reopening.
  absl::StatusOr<std::vector<AppendResult>> Append(
      absl::Span<const AppendRequest> batch);

  // The INVALID_ARGUMENT checks of Append, without writing: a writer that
  // batches several callers' requests checks each one first, so that one
  // bad request cannot fail the others.
  absl::Status Validate(absl::Span<const AppendRequest> batch) const;

  // Largest total payload of one Append call (options.max_batch_bytes).
  size_t max_batch_bytes() const { return options_.max_batch_bytes; }

  // The committed result and digest of `command_id`, or nullopt if it was
  // never committed.
  absl::StatusOr<std::optional<CommittedCommand>> FindCommand(
      absl::string_view command_id) const;

  // Position of the last committed record; 0 for an empty log.
  uint64_t Head() const;

  // recorded_at of the last committed record (absl::InfinitePast() when
  // empty).
  absl::Time HeadRecordedAt() const;

  // Current version of `stream_id`: 0 if it has no events.
  absl::StatusOr<uint64_t> StreamVersion(absl::string_view stream_id) const;

  // Up to `limit` (capped at kMaxReadLimit) records at positions
  // >= from_position (0 reads from 1), in position order; empty when
  // from_position > Head().
  absl::StatusOr<std::vector<StoredEvent>> ReadAll(uint64_t from_position,
                                                   size_t limit) const;

  // Calls visit(position, record bytes) for each record at positions
  // from_position..min(to_position, Head()) in order, until it returns
  // false. The bytes are valid only during the call. For long reads
  // (catch-up, rebuilds, exports): no copy, one iterator. DATA_LOSS if a
  // record is missing.
  absl::Status Scan(
      uint64_t from_position, uint64_t to_position,
      const std::function<bool(uint64_t position, absl::string_view bytes)>&
          visit) const;

  // Up to `limit` (capped at kMaxReadLimit) records of `stream_id`, starting
  // at `from_version` and moving in `direction`. Backward reads from
  // from_version = 0 start at the stream's last version. Empty for an
  // unknown stream or a version beyond its end.
  absl::StatusOr<std::vector<StoredEvent>> ReadStream(
      absl::string_view stream_id, uint64_t from_version,
      ReadDirection direction, size_t limit) const;

  // The record at `position`; NOT_FOUND beyond the head.
  absl::StatusOr<StoredEvent> ReadAt(uint64_t position) const;

  // Blocks until Head() >= position or `deadline` passes; returns Head().
  uint64_t WaitForHead(uint64_t position, absl::Time deadline) const;

  // Registers `listener`, called with the new head on the writer's thread
  // after each committed batch. It must be quick and must not call Append,
  // AddHeadListener or RemoveHeadListener. Returns an id for
  // RemoveHeadListener.
  uint64_t AddHeadListener(std::function<void(uint64_t head)> listener);

  // Unregisters a listener; once this returns it is not called again.
  void RemoveHeadListener(uint64_t id);

  // Merkle tree (FAILED_PRECONDITION if options.merkle_tree is false).
  // Root of the tree of the first `size` records; INVALID_ARGUMENT beyond
  // the head.
  absl::StatusOr<rfc9162::Hash> RootAt(uint64_t size) const;
  // Inclusion proof of the record at leaf `index` (position index + 1) in
  // the tree of `size` records.
  absl::StatusOr<std::vector<rfc9162::Hash>> InclusionProof(
      uint64_t index, uint64_t size) const;
  // Consistency proof between two tree sizes <= Head().
  absl::StatusOr<std::vector<rfc9162::Hash>> ConsistencyProof(
      uint64_t size1, uint64_t size2) const;

  // Signed checkpoints (C2SP signed notes), stored by tree size. A text for
  // a size that has one replaces it only when it signs the same tree head
  // (origin, size, root: a newer signing time); any other is refused
  // (ALREADY_EXISTS): never two roots for one size. Synced.
  absl::Status PutCheckpoint(uint64_t size, absl::string_view text);
  // The checkpoint of exactly `size`; NOT_FOUND if none.
  absl::StatusOr<std::string> GetCheckpoint(uint64_t size) const;
  // The checkpoint with the largest size; nullopt if none.
  absl::StatusOr<std::optional<std::pair<uint64_t, std::string>>>
  LatestCheckpoint() const;

  // Verifies that the complete subtrees stored for the first `size`
  // records match the records themselves (rehashing every record):
  // DATA_LOSS naming the first position that differs. For start-up checks
  // and auditors; reads the whole log.
  absl::Status VerifyTree(uint64_t size) const;

  // What RocksDB reports about the log's database, for monitoring.
  struct StorageStats {
    // Live SST files of every column family.
    uint64_t sst_bytes = 0;
    // Active and immutable memtables.
    uint64_t memtable_bytes = 0;
    // Estimated bytes compaction must rewrite to settle the levels.
    uint64_t pending_compaction_bytes = 0;
    // RocksDB holds writers back now (too many L0 files or memtables).
    bool writes_stopped = false;
    // Write rate RocksDB allows while slowing writers down (bytes/s), 0
    // when it does not.
    uint64_t delayed_write_rate = 0;
    // Write stalls (slowdowns and stops) since the log was opened.
    uint64_t write_stalls = 0;
    // Entries of the stream index read by StreamVersion and ReadStream
    // since the log was opened: each call reads a few (it seeks), however
    // long the stream.
    uint64_t stream_index_reads = 0;
  };
  // Reads RocksDB's properties; a property RocksDB cannot answer counts
  // as 0.
  StorageStats Stats() const;

  // Writes a consistent on-disk copy of the database into `dir`, which
  // must not exist (RocksDB checkpoint: hard links where possible), and
  // returns the head of the copy. Appends wait while the copy is made
  // (memtables are flushed: typically milliseconds). UNAVAILABLE if it
  // cannot be written.
  absl::StatusOr<uint64_t> CreateSnapshot(absl::string_view dir);

 private:
  struct Listener {
    uint64_t id;
    std::function<void(uint64_t)> callback;
  };

  EventLog(std::unique_ptr<rocksdb::DB> db,
           std::unique_ptr<ColumnFamilies> families,
           const EventLogOptions& options);

  // Reads back the format version, the head and the Merkle frontier
  // (event_log.cc).
  absl::Status Recover();

  // The command index (event_log_commands.cc).
  // A command committed earlier in the same batch.
  struct BatchCommand {
    const AppendRequest* request;
    AppendResult result;
  };

  // The stored results of the batch's command ids that the log already
  // holds, looked up together.
  absl::StatusOr<absl::flat_hash_map<std::string, CommittedCommand>>
  StoredCommands(absl::Span<const AppendRequest> batch) const;

  // The result of an earlier commit of request.command_id (in `stored`, the
  // log's, or earlier in `batch_commands`); nullopt if none; ALREADY_EXISTS
  // if it had different content.
  absl::StatusOr<std::optional<AppendResult>> EarlierCommit(
      const AppendRequest& request,
      const absl::flat_hash_map<std::string, CommittedCommand>& stored,
      const absl::flat_hash_map<std::string, BatchCommand>& batch_commands)
      const;

  // The Merkle tree (event_log_merkle.cc): the hash of the complete subtree
  // (level, index), read from "merkle" or, below kLowestStoredLevel,
  // recomputed from the records; DATA_LOSS if missing or corrupt.
  absl::StatusOr<rfc9162::Hash> ReadNode(int level, uint64_t index) const;

  // The stream index (event_log_records.cc): the "streams" entry `it` is
  // at, or nullopt when it is not an entry of `stream_id`; DATA_LOSS if the
  // entry is malformed.
  absl::StatusOr<std::optional<StreamRun>> RunAt(
      rocksdb::Iterator& it, absl::string_view stream_id) const;

  // Constant after construction.
  const EventLogOptions options_;
  std::unique_ptr<rocksdb::DB> db_;
  std::unique_ptr<ColumnFamilies> cf_;

  // Writer state: serialized by write_mu_.
  absl::Mutex write_mu_;
  rfc9162::Frontier frontier_ ABSL_GUARDED_BY(write_mu_);
  absl::Time last_recorded_at_ ABSL_GUARDED_BY(write_mu_) =
      absl::InfinitePast();
  absl::Status write_failure_ ABSL_GUARDED_BY(write_mu_);
  absl::BitGen event_id_bits_ ABSL_GUARDED_BY(write_mu_);
  std::unique_ptr<rocksdb::WriteBatch> write_batch_ ABSL_GUARDED_BY(write_mu_);
  // Versions of recently written streams (a bounded cache of "heads").
  absl::flat_hash_map<std::string, uint64_t> stream_versions_
      ABSL_GUARDED_BY(write_mu_);
  // The append's serialized records and their leaf hashes, kept across
  // appends for their buffers.
  std::vector<std::string> records_ ABSL_GUARDED_BY(write_mu_);
  std::vector<rfc9162::Hash> leaves_ ABSL_GUARDED_BY(write_mu_);
  // Set when the log keeps the Merkle tree.
  std::unique_ptr<LeafHasher> leaf_hasher_;

  // What readers may see.
  // Counted by RunAt (StorageStats::stream_index_reads).
  mutable std::atomic<uint64_t> stream_index_reads_{0};
  mutable absl::Mutex head_mu_;
  uint64_t head_ ABSL_GUARDED_BY(head_mu_) = 0;
  absl::Time head_recorded_at_ ABSL_GUARDED_BY(head_mu_) = absl::InfinitePast();

  absl::Mutex listeners_mu_;
  std::vector<Listener> listeners_ ABSL_GUARDED_BY(listeners_mu_);
  uint64_t next_listener_id_ ABSL_GUARDED_BY(listeners_mu_) = 1;

  absl::Mutex checkpoint_mu_;
};

}  // namespace gavel::storage

#endif  // GAVEL_STORAGE_EVENT_LOG_H_
