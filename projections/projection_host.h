// Runs projections over the event log: one host thread folds every new
// record into every projection (a long fold on two threads, see
// ProjectionHostOptions::apply_threads), persists them, rebuilds them on
// request, and answers time-travel (as_of) requests from persisted history
// snapshots.
//
// Persistence (a KvStore in options.dir, storage/kv_store.h). Key layout:
//   "c/" name  := fixed64_be(position) ‖ snapshot bytes
//       the checkpoint: the model (Projection::Snapshot) and the position
//       it reflects, in ONE value written in one batch, so a crash can
//       never pair a model with the wrong position: on restart the host
//       restores the model and replays the log from position + 1, which
//       applies every later event exactly once. Written every
//       checkpoint_every_events events or checkpoint_interval (whichever
//       comes first, when the model changed; not while a rebuild of every
//       projection is pending, which checkpoints the models it makes),
//       after a rebuild and at Stop(); not synced (a lost checkpoint is
//       re-derived from the log).
//   "h/" name "/" fixed64_be(position) := snapshot bytes
//       history: the model at the positions the history policy picks, so
//       that as_of replays a bounded number of events.
//   "s/" name := seal of the checkpoint value, and
//   "hs/" name "/" fixed64_be(position) := seal of that history snapshot,
//       written in the same batch as what they seal, when the host has a
//       sealer (projections/snapshot_seal.h). A checkpoint whose seal is
//       missing or does not verify is not restored: the projection starts
//       over from position 0 (ProjectionStatus.restore_note says why); a
//       history snapshot whose seal fails is not used by as_of.
//   fixed64_be is the log's big-endian encoding (storage/key_format.h),
//   so that keys sort in position order.
//
// History policy (deterministic: a function of the log and the code, not
// of time, so a rebuild writes history at the positions the live fold
// did). A projection's first history snapshot is at position
// history_every_events; after a snapshot of S bytes at position p, the
// next is at p + HistorySpacing(S) = p + max(history_every_events,
// S * history_events_per_kib / 1024). Writing a snapshot costs time in
// proportion to its size and folding in proportion to events, so history
// stays a bounded share of the fold however large the model grows (with
// a fixed spacing it grows with the square of the log). The price: as_of
// replays at most HistorySpacing(size of the snapshot before it) events.
// A rebuild replaces the projection's whole history with its own.
//
// Read models live in memory; readers take a shared lock, the host thread
// an exclusive one per chunk of records. Every projection is at the same
// position (the host's) except while it is being restored at start.
#ifndef GAVEL_PROJECTIONS_PROJECTION_HOST_H_
#define GAVEL_PROJECTIONS_PROJECTION_HOST_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "projections/projection.h"
#include "projections/snapshot_seal.h"
#include "storage/event_log.h"
#include "storage/kv_store.h"

namespace gavel::projections {

struct ProjectionHostOptions {
  // Folder of the projections' KvStore (created if needed).
  std::string dir;
  uint64_t checkpoint_every_events = 1000000;
  absl::Duration checkpoint_interval = absl::Seconds(5);
  // Least spacing of history snapshots; 0 keeps no history (as_of then
  // replays from position 0).
  uint64_t history_every_events = 100000;
  // Spacing per KiB of the last history snapshot (see the history policy
  // above); 0 keeps the spacing at history_every_events.
  uint64_t history_events_per_kib = 32;
  // Records applied under one exclusive lock.
  size_t chunk_events = 8192;
  // Threads that apply records to the models in a fold of at least
  // parallel_fold_events records (catching up, rebuilding): with 2, the
  // host thread reads and decodes, a second thread applies the decoded
  // records to every model. 1: the host thread alone. The models are the
  // same either way.
  int apply_threads = 2;
  uint64_t parallel_fold_events = 2048;
  // Seals every stored snapshot and checks it before use (borrowed; must
  // outlive the host). None: snapshots are stored and used unsealed.
  const SnapshotSealer* sealer = nullptr;
};

struct ProjectionStatus {
  std::string name;
  uint64_t position = 0;
  uint64_t lag_events = 0;  // Log head - position.
  // recorded_at of the head - recorded_at of the last applied record; zero
  // when caught up.
  absl::Duration lag;
  absl::Time last_progress = absl::InfinitePast();
  uint64_t checkpoint_position = 0;  // Last persisted.
  bool rebuilding = false;
  uint64_t rebuilds = 0;  // Completed since start.
  std::string error;      // Why the host stopped applying, if it did.
  // Why its checkpoint was not restored at start, if it was refused (a
  // seal that did not verify); empty otherwise.
  std::string restore_note;
};

// Thread-safe.
class ProjectionHost {
 public:
  // Opens the store in options.dir, restores each projection from its
  // checkpoint (from empty when it has none, or when its position is
  // beyond the log's head), and starts the thread that catches them up and
  // follows the log (woken by the log's head listener). `log` must outlive
  // the host. INVALID_ARGUMENT for no projections or a duplicate name;
  // errors of KvStore::Open; DATA_LOSS for an unreadable checkpoint.
  static absl::StatusOr<std::unique_ptr<ProjectionHost>> Start(
      storage::EventLog* log,
      std::vector<std::unique_ptr<Projection>> projections,
      const ProjectionHostOptions& options);

  ProjectionHost(const ProjectionHost&) = delete;
  ProjectionHost& operator=(const ProjectionHost&) = delete;
  // Stop().
  ~ProjectionHost();

  // Stops the thread, fails pending waits, writes a last checkpoint of each
  // projection. Idempotent.
  void Stop();

  // Calls `read(projection, position)` with the live projection `name`
  // under a shared lock (`read` must not call back into the host).
  // NOT_FOUND (PROJECTION_NOT_FOUND) for an unknown name.
  absl::Status Read(absl::string_view name,
                    const std::function<void(const Projection&,
                                             uint64_t position)>& read) const;

  // Calls `read(models, position)` with the live projections `names`
  // (models[k] is names[k]), all at `position`, under one shared lock (a
  // query that combines read models sees them at one position). NOT_FOUND
  // (PROJECTION_NOT_FOUND) for an unknown name.
  absl::Status Read(
      absl::Span<const std::string> names,
      const std::function<void(absl::Span<const Projection* const> models,
                               uint64_t position)>& read) const;

  // The position every projection has applied.
  uint64_t Position() const;

  // Blocks until Position() >= position or `deadline` passes (or the host
  // stops); true when reached.
  bool WaitFor(uint64_t position, absl::Time deadline) const;

  // Calls done(true) once Position() >= position, or done(false) once
  // `deadline` passes or the host stops; exactly once, possibly before
  // returning, on this or the host's thread. `done` must be quick.
  void NotifyWhenApplied(uint64_t position, absl::Time deadline,
                         std::function<void(bool reached)> done);

  // Asks the host thread to rebuild projection `name` (every projection
  // when empty) from position 0 into a fresh model and swap it in when it
  // has caught up; queries keep reading the old model meanwhile. Returns a
  // ticket for AwaitRebuild. NOT_FOUND (PROJECTION_NOT_FOUND).
  absl::StatusOr<uint64_t> RequestRebuild(absl::string_view name);

  // Blocks until the rebuild `ticket` has completed or `deadline`; true
  // when completed.
  bool AwaitRebuild(uint64_t ticket, absl::Time deadline) const;

  // A fresh projection `name` holding the model as it stood at `position`
  // (<= Position() is not required, <= the log's head is): the nearest
  // history snapshot at or before it, plus a replay of the log. Runs on
  // the caller's thread. NOT_FOUND (PROJECTION_NOT_FOUND);
  // INVALID_ARGUMENT (AS_OF_BEYOND_HEAD) beyond the log's head.
  absl::StatusOr<std::unique_ptr<Projection>> ProjectAt(
      absl::string_view name, uint64_t position) const;

  // Positions of the history snapshots of projection `name`, ascending.
  // NOT_FOUND (PROJECTION_NOT_FOUND).
  absl::StatusOr<std::vector<uint64_t>> HistoryPositions(
      absl::string_view name) const;

  // Events between a history snapshot of `snapshot_bytes` bytes and the
  // next one (the history policy above); 0 when history is off.
  uint64_t HistorySpacing(size_t snapshot_bytes) const;

  // The largest position whose record was recorded at or before `t` (0
  // when none). Binary search over the log (recorded_at never decreases).
  absl::StatusOr<uint64_t> PositionAtTime(absl::Time t) const;

  // One entry per projection, in the order given to Start.
  std::vector<ProjectionStatus> Status() const;

  const storage::EventLog& log() const { return *log_; }

 private:
  struct Waiter {
    uint64_t position;
    absl::Time deadline;
    std::function<void(bool)> done;
  };
  struct RebuildRequest {
    uint64_t ticket;
    std::vector<size_t> indexes;
  };
  // Where a fold writes history snapshots of one model.
  struct HistoryCursor {
    uint64_t next = 0;              // Position of the next snapshot; 0: none.
    std::vector<uint64_t> written;  // Positions written, in order.
  };

  ProjectionHost(storage::EventLog* log, std::unique_ptr<storage::KvStore> kv,
                 std::vector<std::unique_ptr<Projection>> projections,
                 const ProjectionHostOptions& options);

  absl::StatusOr<size_t> IndexOf(absl::string_view name) const;
  absl::Status RestoreAll();
  void Run();
  // Applies records after Position() up to `head`, a chunk at a time.
  absl::Status CatchUp(uint64_t head);
  absl::Status Rebuild(const std::vector<size_t>& indexes);
  // Writes the checkpoints of projections `indexes`. A periodic one (the
  // host's own, not a rebuild's or Stop's) is abandoned, nothing written,
  // once every projection is to be rebuilt: the rebuild replaces the
  // models and checkpoints its own.
  absl::Status Checkpoint(const std::vector<size_t>& indexes,
                          bool periodic = false);
  // True while a rebuild of every projection is requested and not done.
  bool EveryProjectionRebuilding() const ABSL_LOCKS_EXCLUDED(mu_);
  // Models one thread folds, with their history cursors (null: none).
  struct ModelGroup {
    std::vector<Projection*> models;
    std::vector<size_t> indexes;
    std::vector<HistoryCursor*> cursors;
    uint64_t due = 0;  // The least cursor position (NextDue).
  };
  static uint64_t NextDue(const ModelGroup& group);
  // Applies `batch` to the group's models, writing history where due.
  absl::Status ApplyBatch(const EventBatch& batch, ModelGroup& group) const;
  // The cursor of projection `index` whose model stands at `position`,
  // from the history snapshots stored at or before it.
  absl::StatusOr<HistoryCursor> ResumeHistory(size_t index,
                                              uint64_t position) const;
  // Writes the history snapshot of `model` (projection `index`) at
  // `position` and moves `cursor` past it.
  absl::Status WriteHistory(uint64_t position, const Projection& model,
                            size_t index, HistoryCursor& cursor) const;
  // Deletes the history snapshots of projection `index` that are not in
  // `keep` (ascending).
  absl::Status PruneHistory(size_t index,
                            const std::vector<uint64_t>& keep) const;
  // Folds records [from, to] into `models` (no lock taken: the caller owns
  // them or holds model_mu_), on up to options_.apply_threads threads;
  // models[k] is projection indexes[k]. When `cursors` is not null, writes
  // each model's history snapshots on the way (cursors[k] for models[k]).
  // Returns recorded_at of the last record folded (InfinitePast when
  // none).
  absl::StatusOr<absl::Time> Fold(uint64_t from, uint64_t to,
                                  const std::vector<Projection*>& models,
                                  const std::vector<size_t>& indexes,
                                  std::vector<HistoryCursor>* cursors) const;
  void FireWaiters(bool stopping);

  // The seal of `value`, stored for `name` at `position`; nullopt when the
  // host does not seal.
  absl::StatusOr<std::optional<std::string>> SealOf(
      absl::string_view name, uint64_t position, absl::string_view value) const;
  // OK when the seal stored at `seal_key` seals `value` for `name` at
  // `position` (or the host does not seal); FAILED_PRECONDITION when it is
  // missing or does not verify; other errors of the store or the log.
  absl::Status CheckStoredSeal(absl::string_view seal_key,
                               absl::string_view name, uint64_t position,
                               absl::string_view value) const;

  // Constant after construction.
  storage::EventLog* const log_;
  const std::unique_ptr<storage::KvStore> kv_;
  const ProjectionHostOptions options_;
  // options_.sealer is set and the log keeps a Merkle tree to seal with.
  bool sealing_ = false;
  std::vector<std::string> names_;
  // Empty projections used as factories (NewEmpty); never mutated.
  std::vector<std::unique_ptr<Projection>> prototypes_;
  uint64_t listener_id_ = 0;

  // The live models and their position.
  mutable absl::Mutex model_mu_;
  std::vector<std::unique_ptr<Projection>> projections_
      ABSL_GUARDED_BY(model_mu_);
  uint64_t position_ ABSL_GUARDED_BY(model_mu_) = 0;

  // Control state.
  mutable absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t head_seen_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t applied_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time applied_recorded_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::Time last_progress_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  std::vector<uint64_t> checkpoint_positions_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> restore_notes_ ABSL_GUARDED_BY(mu_);
  std::vector<bool> rebuilding_ ABSL_GUARDED_BY(mu_);
  std::vector<uint64_t> rebuilds_ ABSL_GUARDED_BY(mu_);
  std::vector<Waiter> waiters_ ABSL_GUARDED_BY(mu_);
  bool waiters_changed_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<RebuildRequest> rebuild_requests_ ABSL_GUARDED_BY(mu_);
  uint64_t next_ticket_ ABSL_GUARDED_BY(mu_) = 1;
  uint64_t completed_ticket_ ABSL_GUARDED_BY(mu_) = 0;
  std::string error_ ABSL_GUARDED_BY(mu_);

  // Host thread only.
  absl::Time last_checkpoint_time_;
  uint64_t checkpointed_ = 0;
  // History cursors of the live models, by index.
  std::vector<HistoryCursor> history_;
  // Frees the models a rebuild replaced (joined before the next rebuild
  // and by Stop()).
  std::thread reaper_;

  std::thread thread_;
};

}  // namespace gavel::projections

#endif  // GAVEL_PROJECTIONS_PROJECTION_HOST_H_
