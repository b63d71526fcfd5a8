// EventLog: signed checkpoints ("checkpoints"), stored by tree size.
// Contracts: storage/event_log.h; stored format: storage/key_format.h.
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "storage/column_families.h"
#include "storage/event_log.h"
#include "storage/key_format.h"
#include "storage/rocksdb_slice.h"
#include "storage/rocksdb_status.h"
#include "transparency/signed_note.h"
#include "transparency/tlog_checkpoint.h"

namespace gavel::storage {

namespace {

// The checkpoint body a stored signed note holds; nullopt when it does not
// parse.
std::optional<note::TlogCheckpoint> BodyOf(absl::string_view text) {
  absl::StatusOr<note::SignedNote> signed_note = note::ParseNote(text);
  if (!signed_note.ok()) return std::nullopt;
  absl::StatusOr<note::TlogCheckpoint> body =
      note::ParseCheckpoint(signed_note->text);
  if (!body.ok()) return std::nullopt;
  return *std::move(body);
}

}  // namespace

absl::Status EventLog::PutCheckpoint(uint64_t size, absl::string_view text) {
  absl::MutexLock lock(&checkpoint_mu_);
  absl::StatusOr<std::string> existing = GetCheckpoint(size);
  if (existing.ok()) {
    if (*existing == text) return absl::OkStatus();
    // The same tree head signed again (a newer signing time) replaces it;
    // another root for the size never does.
    const std::optional<note::TlogCheckpoint> old = BodyOf(*existing);
    const std::optional<note::TlogCheckpoint> now = BodyOf(text);
    if (!old.has_value() || !now.has_value() || old->origin != now->origin ||
        old->tree_size != now->tree_size || old->root != now->root) {
      return absl::AlreadyExistsError(absl::StrCat(
          "a different checkpoint for tree size ", size, " already exists"));
    }
  } else if (!absl::IsNotFound(existing.status())) {
    return existing.status();
  }
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
