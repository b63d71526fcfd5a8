#include "projections/projection_host.h"

#include <algorithm>
#include <atomic>
#include <limits>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "domain/rejection.h"
#include "projections/domain_event.h"
#include "projections/log_fold.h"
#include "storage/key_format.h"

namespace gavel::projections {
namespace {

using storage::DecodeFixed64BE;
using storage::EncodeFixed64BE;

std::string CheckpointKey(absl::string_view name) {
  return absl::StrCat("c/", name);
}
std::string HistoryPrefix(absl::string_view name) {
  return absl::StrCat("h/", name, "/");
}
std::string SealKey(absl::string_view name) { return absl::StrCat("s/", name); }
std::string HistorySealPrefix(absl::string_view name) {
  return absl::StrCat("hs/", name, "/");
}

absl::Status UnknownProjection(absl::string_view name) {
  return domain::Reject(domain::kProjectionNotFound, "name",
                        absl::StrCat("no projection named ", name));
}

}  // namespace

absl::StatusOr<std::unique_ptr<ProjectionHost>> ProjectionHost::Start(
    storage::EventLog* log,
    std::vector<std::unique_ptr<Projection>> projections,
    const ProjectionHostOptions& options) {
  if (projections.empty()) {
    return absl::InvalidArgumentError("a host needs at least one projection");
  }
  absl::flat_hash_set<std::string> names;
  for (const std::unique_ptr<Projection>& p : projections) {
    if (!names.insert(std::string(p->name())).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("two projections are named ", p->name()));
    }
  }
  absl::StatusOr<std::unique_ptr<storage::KvStore>> kv =
      storage::KvStore::Open(options.dir);
  if (!kv.ok()) return kv.status();
  std::unique_ptr<ProjectionHost> host(
      new ProjectionHost(log, *std::move(kv), std::move(projections), options));
  // Sealing needs the log's tree (EventLogOptions::merkle_tree).
  host->sealing_ = options.sealer != nullptr && log->RootAt(0).ok();
  if (absl::Status s = host->RestoreAll(); !s.ok()) return s;
  host->listener_id_ = log->AddHeadListener([raw = host.get()](uint64_t head) {
    absl::MutexLock lock(&raw->mu_);
    raw->head_seen_ = std::max(raw->head_seen_, head);
  });
  {
    absl::MutexLock lock(&host->mu_);
    host->head_seen_ = std::max(host->head_seen_, log->Head());
  }
  host->thread_ = std::thread([raw = host.get()] { raw->Run(); });
  return host;
}

ProjectionHost::ProjectionHost(
    storage::EventLog* log, std::unique_ptr<storage::KvStore> kv,
    std::vector<std::unique_ptr<Projection>> projections,
    const ProjectionHostOptions& options)
    : log_(log), kv_(std::move(kv)), options_(options) {
  for (const std::unique_ptr<Projection>& p : projections) {
    names_.emplace_back(p->name());
    prototypes_.push_back(p->NewEmpty());
  }
  absl::MutexLock model_lock(&model_mu_);
  projections_ = std::move(projections);
  absl::MutexLock lock(&mu_);
  checkpoint_positions_.assign(names_.size(), 0);
  restore_notes_.assign(names_.size(), "");
  rebuilding_.assign(names_.size(), false);
  rebuilds_.assign(names_.size(), 0);
  last_checkpoint_time_ = absl::Now();
}

ProjectionHost::~ProjectionHost() { Stop(); }

absl::StatusOr<size_t> ProjectionHost::IndexOf(absl::string_view name) const {
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return i;
  }
  return UnknownProjection(name);
}

absl::Status ProjectionHost::RestoreAll() {
  const uint64_t head = log_->Head();
  std::vector<uint64_t> positions(names_.size(), 0);
  absl::MutexLock model_lock(&model_mu_);
  for (size_t i = 0; i < names_.size(); ++i) {
    absl::StatusOr<std::optional<std::string>> stored =
        kv_->Get(CheckpointKey(names_[i]));
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) continue;
    const std::string& value = **stored;
    if (value.size() < 8) {
      return absl::DataLossError(absl::StrCat("the checkpoint of projection ",
                                              names_[i], " is truncated"));
    }
    const uint64_t position = DecodeFixed64BE(value);
    // A checkpoint beyond the head belongs to another log (or one that
    // lost its unsynced tail): start this projection over.
    if (position > head) continue;
    // A checkpoint whose seal fails is not the server's: start over from
    // the log, and say so.
    if (absl::Status sealed =
            CheckStoredSeal(SealKey(names_[i]), names_[i], position, value);
        !sealed.ok()) {
      if (!absl::IsFailedPrecondition(sealed)) return sealed;
      absl::MutexLock lock(&mu_);
      restore_notes_[i] =
          absl::StrCat("rebuilt from position 0: ", sealed.message());
      continue;
    }
    if (absl::Status s =
            projections_[i]->Restore(absl::string_view(value).substr(8));
        !s.ok()) {
      return s;
    }
    positions[i] = position;
  }
  history_.assign(names_.size(), HistoryCursor{});
  for (size_t i = 0; i < names_.size(); ++i) {
    absl::StatusOr<HistoryCursor> cursor = ResumeHistory(i, positions[i]);
    if (!cursor.ok()) return cursor.status();
    history_[i] = *std::move(cursor);
  }
  // Bring every projection to the furthest one, so they move together.
  const uint64_t target = *std::max_element(positions.begin(), positions.end());
  absl::Time recorded_at = absl::InfinitePast();
  for (size_t i = 0; i < names_.size(); ++i) {
    if (positions[i] >= target) continue;
    std::vector<HistoryCursor> cursors = {std::move(history_[i])};
    absl::StatusOr<absl::Time> last =
        Fold(positions[i] + 1, target, {projections_[i].get()}, {i}, &cursors);
    if (!last.ok()) return last.status();
    history_[i] = std::move(cursors[0]);
    history_[i].written.clear();
  }
  if (target > 0) {
    absl::StatusOr<storage::StoredEvent> record = log_->ReadAt(target);
    if (!record.ok()) return record.status();
    absl::StatusOr<gavel::v1::EventRecord> decoded = record->Decode();
    if (!decoded.ok()) return decoded.status();
    recorded_at = absl::FromUnixSeconds(decoded->recorded_at().seconds()) +
                  absl::Nanoseconds(decoded->recorded_at().nanos());
  }
  position_ = target;
  absl::MutexLock lock(&mu_);
  applied_ = target;
  checkpointed_ = target;
  applied_recorded_at_ = recorded_at;
  for (size_t i = 0; i < names_.size(); ++i) {
    checkpoint_positions_[i] = positions[i];
  }
  return absl::OkStatus();
}

void ProjectionHost::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopped_) return;
    stopped_ = true;
    stop_ = true;
  }
  log_->RemoveHeadListener(listener_id_);
  if (thread_.joinable()) thread_.join();
  if (reaper_.joinable()) reaper_.join();
  FireWaiters(/*stopping=*/true);
}

absl::Status ProjectionHost::Read(
    absl::string_view name,
    const std::function<void(const Projection&, uint64_t)>& read) const {
  const std::string names[] = {std::string(name)};
  return Read(names,
              [&read](absl::Span<const Projection* const> models,
                      uint64_t position) { read(*models[0], position); });
}

absl::Status ProjectionHost::Read(
    absl::Span<const std::string> names,
    const std::function<void(absl::Span<const Projection* const>, uint64_t)>&
        read) const {
  std::vector<size_t> indexes;
  for (const std::string& name : names) {
    absl::StatusOr<size_t> index = IndexOf(name);
    if (!index.ok()) return index.status();
    indexes.push_back(*index);
  }
  absl::ReaderMutexLock lock(&model_mu_);
  std::vector<const Projection*> models;
  for (size_t index : indexes) models.push_back(projections_[index].get());
  read(models, position_);
  return absl::OkStatus();
}

uint64_t ProjectionHost::Position() const {
  absl::MutexLock lock(&mu_);
  return applied_;
}

bool ProjectionHost::WaitFor(uint64_t position, absl::Time deadline) const {
  absl::MutexLock lock(&mu_);
  auto reached = [this, position]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return applied_ >= position || stop_;
  };
  mu_.AwaitWithDeadline(absl::Condition(&reached), deadline);
  return applied_ >= position;
}

void ProjectionHost::NotifyWhenApplied(uint64_t position, absl::Time deadline,
                                       std::function<void(bool)> done) {
  bool now = false;
  bool result = false;
  {
    absl::MutexLock lock(&mu_);
    if (applied_ >= position) {
      now = true;
      result = true;
    } else if (stop_ || deadline <= absl::Now()) {
      now = true;
    } else {
      waiters_.push_back(Waiter{position, deadline, std::move(done)});
      // Wakes the host thread to wait with this deadline too.
      waiters_changed_ = true;
    }
  }
  if (now) done(result);
}

absl::StatusOr<uint64_t> ProjectionHost::RequestRebuild(
    absl::string_view name) {
  RebuildRequest request;
  if (name.empty()) {
    for (size_t i = 0; i < names_.size(); ++i) request.indexes.push_back(i);
  } else {
    absl::StatusOr<size_t> index = IndexOf(name);
    if (!index.ok()) return index.status();
    request.indexes.push_back(*index);
  }
  absl::MutexLock lock(&mu_);
  request.ticket = next_ticket_++;
  for (size_t i : request.indexes) rebuilding_[i] = true;
  rebuild_requests_.push_back(request);
  return request.ticket;
}

bool ProjectionHost::AwaitRebuild(uint64_t ticket, absl::Time deadline) const {
  absl::MutexLock lock(&mu_);
  auto done = [this, ticket]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return completed_ticket_ >= ticket || stop_;
  };
  mu_.AwaitWithDeadline(absl::Condition(&done), deadline);
  return completed_ticket_ >= ticket;
}

absl::StatusOr<std::unique_ptr<Projection>> ProjectionHost::ProjectAt(
    absl::string_view name, uint64_t position) const {
  absl::StatusOr<size_t> index = IndexOf(name);
  if (!index.ok()) return index.status();
  if (position > log_->Head()) {
    return domain::Reject(
        domain::kAsOfBeyondHead, "as_of_position",
        absl::StrCat("as_of position ", position, " is beyond the log's head ",
                     log_->Head()));
  }
  std::unique_ptr<Projection> fresh = prototypes_[*index]->NewEmpty();
  uint64_t from = 0;
  if (options_.history_every_events > 0 && position > 0) {
    const std::string prefix = HistoryPrefix(name);
    absl::StatusOr<std::optional<std::pair<std::string, std::string>>> found =
        kv_->FindAtOrBefore(prefix,
                            absl::StrCat(prefix, EncodeFixed64BE(position)));
    if (!found.ok()) return found.status();
    if (found->has_value() && (*found)->first.size() == prefix.size() + 8) {
      const uint64_t at = DecodeFixed64BE(
          absl::string_view((*found)->first).substr(prefix.size()));
      // A history snapshot whose seal fails is not used: replay from 0.
      absl::Status sealed = CheckStoredSeal(
          absl::StrCat(HistorySealPrefix(name), EncodeFixed64BE(at)), name, at,
          (*found)->second);
      if (!sealed.ok() && !absl::IsFailedPrecondition(sealed)) return sealed;
      if (sealed.ok()) {
        if (absl::Status s = fresh->Restore((*found)->second); !s.ok()) {
          return s;
        }
        from = at;
      }
    }
  }
  if (from < position) {
    absl::StatusOr<absl::Time> last =
        Fold(from + 1, position, {fresh.get()}, {*index}, nullptr);
    if (!last.ok()) return last.status();
  }
  return fresh;
}

absl::StatusOr<uint64_t> ProjectionHost::PositionAtTime(absl::Time t) const {
  uint64_t lo = 0;  // recorded_at(lo) <= t (position 0: nothing).
  uint64_t hi = log_->Head() + 1;  // recorded_at(hi) > t (or beyond).
  while (hi - lo > 1) {
    const uint64_t mid = lo + (hi - lo) / 2;
    absl::StatusOr<storage::StoredEvent> record = log_->ReadAt(mid);
    if (!record.ok()) return record.status();
    absl::StatusOr<gavel::v1::EventRecord> decoded = record->Decode();
    if (!decoded.ok()) return decoded.status();
    const absl::Time at =
        absl::FromUnixSeconds(decoded->recorded_at().seconds()) +
        absl::Nanoseconds(decoded->recorded_at().nanos());
    if (at <= t) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return lo;
}

absl::StatusOr<std::vector<uint64_t>> ProjectionHost::HistoryPositions(
    absl::string_view name) const {
  absl::StatusOr<size_t> index = IndexOf(name);
  if (!index.ok()) return index.status();
  const std::string prefix = HistoryPrefix(name);
  absl::StatusOr<std::vector<std::string>> keys = kv_->Keys(prefix);
  if (!keys.ok()) return keys.status();
  std::vector<uint64_t> positions;
  for (const std::string& key : *keys) {
    if (key.size() != prefix.size() + 8) continue;
    positions.push_back(
        DecodeFixed64BE(absl::string_view(key).substr(prefix.size())));
  }
  return positions;
}

uint64_t ProjectionHost::HistorySpacing(size_t snapshot_bytes) const {
  const uint64_t every = options_.history_every_events;
  if (every == 0) return 0;
  // Whole KiB first: no overflow for any snapshot that fits in memory.
  const uint64_t by_size =
      snapshot_bytes / 1024 * options_.history_events_per_kib +
      snapshot_bytes % 1024 * options_.history_events_per_kib / 1024;
  return std::max(every, by_size);
}

absl::StatusOr<ProjectionHost::HistoryCursor> ProjectionHost::ResumeHistory(
    size_t index, uint64_t position) const {
  HistoryCursor cursor;
  if (options_.history_every_events == 0) return cursor;
  cursor.next = options_.history_every_events;
  if (position == 0) return cursor;
  const std::string prefix = HistoryPrefix(names_[index]);
  absl::StatusOr<std::optional<std::pair<std::string, std::string>>> found =
      kv_->FindAtOrBefore(prefix,
                          absl::StrCat(prefix, EncodeFixed64BE(position)));
  if (!found.ok()) return found.status();
  if (found->has_value() && (*found)->first.size() == prefix.size() + 8) {
    cursor.next =
        DecodeFixed64BE(
            absl::string_view((*found)->first).substr(prefix.size())) +
        HistorySpacing((*found)->second.size());
  }
  return cursor;
}

std::vector<ProjectionStatus> ProjectionHost::Status() const {
  const uint64_t head = log_->Head();
  const absl::Time head_at = log_->HeadRecordedAt();
  absl::MutexLock lock(&mu_);
  std::vector<ProjectionStatus> out;
  for (size_t i = 0; i < names_.size(); ++i) {
    ProjectionStatus s;
    s.name = names_[i];
    s.position = applied_;
    s.lag_events = head > applied_ ? head - applied_ : 0;
    s.lag = s.lag_events > 0 && applied_recorded_at_ != absl::InfinitePast()
                ? std::max(absl::ZeroDuration(), head_at - applied_recorded_at_)
                : absl::ZeroDuration();
    s.last_progress = last_progress_;
    s.checkpoint_position = checkpoint_positions_[i];
    s.rebuilding = rebuilding_[i];
    s.rebuilds = rebuilds_[i];
    s.error = error_;
    s.restore_note = restore_notes_[i];
    out.push_back(std::move(s));
  }
  return out;
}

absl::StatusOr<absl::Time> ProjectionHost::Fold(
    uint64_t from, uint64_t to, const std::vector<Projection*>& models,
    const std::vector<size_t>& indexes,
    std::vector<HistoryCursor>* cursors) const {
  if (from > to) return absl::InfinitePast();
  // A long fold runs on two threads: lane 0 (the calling thread) reads and
  // decodes, lane 1 applies the decoded batches to every model, and
  // decodes part of a batch when it would otherwise wait (FoldLog shares
  // the decoding). Reading and decoding cost about as much as applying the
  // three projections (docs/projections.md), so this keeps both cores
  // busy where giving lane 0 a model of its own left it the bottleneck. A
  // short fold (or a host with one apply thread) runs on the calling
  // thread alone.
  const bool parallel = options_.apply_threads >= 2 &&
                        to - from + 1 >= options_.parallel_fold_events;
  ModelGroup group;
  for (size_t k = 0; k < models.size(); ++k) {
    group.models.push_back(models[k]);
    group.indexes.push_back(indexes[k]);
    group.cursors.push_back(cursors == nullptr ? nullptr : &(*cursors)[k]);
  }
  group.due = NextDue(group);
  std::vector<LogFoldLane> lanes;
  if (parallel) lanes.emplace_back();  // The reading thread applies nothing.
  lanes.push_back([this, &group](const EventBatch& batch) {
    return ApplyBatch(batch, group);
  });
  // Batches of 128 records: the slots of decoded records the lanes share
  // stay in the cores' caches; 512 took a fold of 1,000,000 records from
  // about 2.8 s to 3.2 s (docs/projections.md).
  return FoldLog(*log_, from, to, lanes, parallel ? 128 : 256);
}

uint64_t ProjectionHost::NextDue(const ModelGroup& group) {
  uint64_t due = std::numeric_limits<uint64_t>::max();
  for (const HistoryCursor* cursor : group.cursors) {
    if (cursor != nullptr && cursor->next > 0)
      due = std::min(due, cursor->next);
  }
  return due;
}

absl::Status ProjectionHost::ApplyBatch(const EventBatch& batch,
                                        ModelGroup& group) const {
  // Event-major: each decoded event is applied to every model while it is
  // in cache.
  for (const DomainEvent& e : batch.events()) {
    for (Projection* model : group.models) model->Apply(e);
    if (e.position < group.due) continue;
    for (size_t k = 0; k < group.models.size(); ++k) {
      HistoryCursor* cursor = group.cursors[k];
      if (cursor == nullptr || cursor->next != e.position) continue;
      if (absl::Status s = WriteHistory(e.position, *group.models[k],
                                        group.indexes[k], *cursor);
          !s.ok()) {
        return s;
      }
    }
    group.due = NextDue(group);
  }
  return absl::OkStatus();
}

absl::Status ProjectionHost::WriteHistory(uint64_t position,
                                          const Projection& model, size_t index,
                                          HistoryCursor& cursor) const {
  std::string snapshot = model.Snapshot();
  const uint64_t spacing = HistorySpacing(snapshot.size());
  std::vector<storage::KvChange> changes;
  absl::StatusOr<std::optional<std::string>> seal =
      SealOf(names_[index], position, snapshot);
  if (!seal.ok()) return seal.status();
  if (seal->has_value()) {
    changes.push_back(
        storage::KvChange{absl::StrCat(HistorySealPrefix(names_[index]),
                                       EncodeFixed64BE(position)),
                          **std::move(seal)});
  }
  changes.push_back(storage::KvChange{
      absl::StrCat(HistoryPrefix(names_[index]), EncodeFixed64BE(position)),
      std::move(snapshot)});
  if (absl::Status s = kv_->Write(changes); !s.ok()) return s;
  cursor.written.push_back(position);
  cursor.next = position + spacing;
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::string>> ProjectionHost::SealOf(
    absl::string_view name, uint64_t position, absl::string_view value) const {
  if (!sealing_) return std::nullopt;
  absl::StatusOr<rfc9162::Hash> root = log_->RootAt(position);
  if (!root.ok()) return root.status();
  absl::StatusOr<std::string> seal =
      options_.sealer->Sign(SealText(name, position, *root, value));
  if (!seal.ok()) return seal.status();
  return *std::move(seal);
}

absl::Status ProjectionHost::CheckStoredSeal(absl::string_view seal_key,
                                             absl::string_view name,
                                             uint64_t position,
                                             absl::string_view value) const {
  if (!sealing_) return absl::OkStatus();
  absl::StatusOr<std::optional<std::string>> seal = kv_->Get(seal_key);
  if (!seal.ok()) return seal.status();
  if (!seal->has_value()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the snapshot of projection ", name, " at position ",
                     position, " has no seal"));
  }
  absl::StatusOr<rfc9162::Hash> root = log_->RootAt(position);
  if (!root.ok()) return root.status();
  return CheckSeal(*options_.sealer, **seal, name, position, *root, value);
}

absl::Status ProjectionHost::PruneHistory(
    size_t index, const std::vector<uint64_t>& keep) const {
  // Range deletions of the gaps around the kept positions: listing the
  // history's keys would read every snapshot (RocksDB's iterator loads
  // the blob values), about 0.2 s at 1,000,000 events.
  // The snapshots and their seals alike.
  std::vector<std::pair<std::string, std::string>> gaps;
  for (const std::string& prefix :
       {HistoryPrefix(names_[index]), HistorySealPrefix(names_[index])}) {
    std::string begin = absl::StrCat(prefix, EncodeFixed64BE(0));
    for (uint64_t position : keep) {
      std::string at = absl::StrCat(prefix, EncodeFixed64BE(position));
      gaps.emplace_back(std::move(begin), at);
      begin = absl::StrCat(prefix, EncodeFixed64BE(position + 1));
    }
    // Past the last kept position: every key of the prefix (8 bytes after
    // it) sorts before the prefix followed by 9 bytes 0xff.
    gaps.emplace_back(std::move(begin),
                      absl::StrCat(prefix, std::string(9, '\xff')));
  }
  return kv_->DeleteRanges(gaps);
}

bool ProjectionHost::EveryProjectionRebuilding() const {
  absl::MutexLock lock(&mu_);
  return std::all_of(rebuilding_.begin(), rebuilding_.end(),
                     [](bool rebuilding) { return rebuilding; });
}

absl::Status ProjectionHost::Checkpoint(const std::vector<size_t>& indexes,
                                        bool periodic) {
  if (periodic && EveryProjectionRebuilding()) return absl::OkStatus();
  std::vector<storage::KvChange> changes(indexes.size());
  uint64_t position = 0;
  std::atomic<bool> abandoned{false};
  {
    absl::ReaderMutexLock lock(&model_mu_);
    position = position_;
    // Models are serialized on this thread and, when there are several and
    // the host applies on two threads, on a second one (each takes the
    // next model not yet taken): a checkpoint after a rebuild of all three
    // takes the largest model's time rather than the sum.
    std::vector<const Projection*> models;
    for (size_t i : indexes) models.push_back(projections_[i].get());
    std::atomic<size_t> next{0};
    auto serialize = [&] {
      for (size_t k = next++; k < indexes.size(); k = next++) {
        // Requested meanwhile: the models left are not serialized.
        if (periodic && EveryProjectionRebuilding()) {
          abandoned = true;
          return;
        }
        changes[k] = storage::KvChange{
            CheckpointKey(names_[indexes[k]]),
            absl::StrCat(EncodeFixed64BE(position), models[k]->Snapshot())};
      }
    };
    std::thread helper;
    if (options_.apply_threads >= 2 && indexes.size() > 1) {
      helper = std::thread(serialize);
    }
    serialize();
    if (helper.joinable()) helper.join();
  }
  if (abandoned) return absl::OkStatus();
  for (size_t k = 0, n = changes.size(); k < n; ++k) {
    absl::StatusOr<std::optional<std::string>> seal =
        SealOf(names_[indexes[k]], position, *changes[k].value);
    if (!seal.ok()) return seal.status();
    if (seal->has_value()) {
      changes.push_back(
          storage::KvChange{SealKey(names_[indexes[k]]), **std::move(seal)});
    }
  }
  if (absl::Status s = kv_->Write(changes); !s.ok()) return s;
  last_checkpoint_time_ = absl::Now();
  checkpointed_ = position;
  absl::MutexLock lock(&mu_);
  for (size_t i : indexes) checkpoint_positions_[i] = position;
  return absl::OkStatus();
}

absl::Status ProjectionHost::CatchUp(uint64_t head) {
  std::vector<size_t> all;
  for (size_t i = 0; i < names_.size(); ++i) all.push_back(i);
  while (true) {
    uint64_t from = 0;
    uint64_t to = 0;
    absl::Time last = absl::InfinitePast();
    {
      absl::MutexLock lock(&model_mu_);
      if (position_ >= head) return absl::OkStatus();
      from = position_ + 1;
      to = std::min<uint64_t>(head, position_ + options_.chunk_events);
      std::vector<Projection*> models;
      for (const std::unique_ptr<Projection>& p : projections_) {
        models.push_back(p.get());
      }
      absl::StatusOr<absl::Time> folded =
          Fold(from, to, models, all, &history_);
      if (!folded.ok()) return folded.status();
      for (HistoryCursor& cursor : history_) cursor.written.clear();
      last = *folded;
      position_ = to;
    }
    {
      absl::MutexLock lock(&mu_);
      applied_ = to;
      applied_recorded_at_ = last;
      last_progress_ = absl::Now();
    }
    FireWaiters(false);
    if (to - checkpointed_ >= options_.checkpoint_every_events ||
        absl::Now() - last_checkpoint_time_ >= options_.checkpoint_interval) {
      if (absl::Status s = Checkpoint(all, /*periodic=*/true); !s.ok()) {
        return s;
      }
    }
  }
}

absl::Status ProjectionHost::Rebuild(const std::vector<size_t>& indexes) {
  std::vector<std::unique_ptr<Projection>> fresh;
  std::vector<Projection*> models;
  std::vector<HistoryCursor> cursors;
  for (size_t i : indexes) {
    fresh.push_back(prototypes_[i]->NewEmpty());
    models.push_back(fresh.back().get());
    cursors.push_back(HistoryCursor{options_.history_every_events, {}});
  }
  // Fold the log up to where the live models are, without holding the
  // lock: queries keep reading the live models meanwhile. The live models
  // do not move while this thread rebuilds.
  uint64_t target = 0;
  {
    absl::ReaderMutexLock lock(&model_mu_);
    target = position_;
  }
  if (target > 0) {
    absl::StatusOr<absl::Time> folded =
        Fold(1, target, models, indexes, &cursors);
    if (!folded.ok()) return folded.status();
  }
  std::vector<std::unique_ptr<Projection>> old;
  {
    absl::MutexLock lock(&model_mu_);
    for (size_t k = 0; k < indexes.size(); ++k) {
      old.push_back(std::move(projections_[indexes[k]]));
      projections_[indexes[k]] = std::move(fresh[k]);
    }
  }
  for (size_t k = 0; k < indexes.size(); ++k) {
    // The rebuilt model's history replaces the old one (which an older
    // version of the projection may have written at other positions).
    if (absl::Status s = PruneHistory(indexes[k], cursors[k].written);
        !s.ok()) {
      return s;
    }
    history_[indexes[k]] = HistoryCursor{cursors[k].next, {}};
  }
  absl::Status checkpointed = Checkpoint(indexes);
  // Freed outside the lock (queries wait only for the swap) and on another
  // thread: a large model takes a good part of a second to free, which
  // the host thread spends following the log instead. Started after the
  // checkpoint, which serializes on two threads.
  if (reaper_.joinable()) reaper_.join();
  reaper_ = std::thread([old = std::move(old)]() mutable { old.clear(); });
  return checkpointed;
}

void ProjectionHost::FireWaiters(bool stopping) {
  std::vector<Waiter> fire;
  std::vector<bool> results;
  {
    absl::MutexLock lock(&mu_);
    const absl::Time now = absl::Now();
    std::vector<Waiter> keep;
    for (Waiter& w : waiters_) {
      if (applied_ >= w.position) {
        results.push_back(true);
        fire.push_back(std::move(w));
      } else if (stopping || w.deadline <= now) {
        results.push_back(false);
        fire.push_back(std::move(w));
      } else {
        keep.push_back(std::move(w));
      }
    }
    waiters_ = std::move(keep);
  }
  for (size_t i = 0; i < fire.size(); ++i) fire[i].done(results[i]);
}

void ProjectionHost::Run() {
  while (true) {
    uint64_t head = 0;
    std::vector<RebuildRequest> rebuilds;
    {
      absl::MutexLock lock(&mu_);
      absl::Time deadline = absl::InfiniteFuture();
      for (const Waiter& w : waiters_)
        deadline = std::min(deadline, w.deadline);
      if (applied_ > checkpointed_) {
        deadline = std::min(
            deadline, last_checkpoint_time_ + options_.checkpoint_interval);
      }
      auto ready = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
        return stop_ || (head_seen_ > applied_ && error_.empty()) ||
               !rebuild_requests_.empty() || waiters_changed_;
      };
      mu_.AwaitWithDeadline(absl::Condition(&ready), deadline);
      waiters_changed_ = false;
      if (stop_) break;
      head = head_seen_;
      rebuilds.swap(rebuild_requests_);
    }
    FireWaiters(false);
    absl::Status status = CatchUp(head);
    for (const RebuildRequest& request : rebuilds) {
      if (!status.ok()) break;
      status = Rebuild(request.indexes);
      absl::MutexLock lock(&mu_);
      for (size_t i : request.indexes) {
        rebuilding_[i] = false;
        ++rebuilds_[i];
      }
      completed_ticket_ = std::max(completed_ticket_, request.ticket);
    }
    if (status.ok()) {
      bool due = false;
      {
        absl::MutexLock lock(&mu_);
        due = applied_ > checkpointed_ && absl::Now() - last_checkpoint_time_ >=
                                              options_.checkpoint_interval;
      }
      if (due) {
        std::vector<size_t> all;
        for (size_t i = 0; i < names_.size(); ++i) all.push_back(i);
        status = Checkpoint(all, /*periodic=*/true);
      }
    }
    if (!status.ok()) {
      absl::MutexLock lock(&mu_);
      error_ = status.ToString();
    }
  }
  std::vector<size_t> all;
  for (size_t i = 0; i < names_.size(); ++i) all.push_back(i);
  absl::Status last = Checkpoint(all);
  absl::MutexLock lock(&mu_);
  if (!last.ok() && error_.empty()) error_ = last.ToString();
}

std::string Digest(const Projection& projection) {
  const std::string snapshot = projection.Snapshot();
  return rfc9162::ToHex(rfc9162::Sha256({snapshot}));
}

}  // namespace gavel::projections
