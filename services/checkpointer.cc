#include "services/checkpointer.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/log.h"
#include "transparency/signed_note.h"
#include "transparency/tlog_checkpoint.h"

namespace gavel::services {

absl::Status CheckLogAgainstLatestCheckpoint(
    const storage::EventLog& log, const CheckpointSigner& signer,
    const CheckpointerOptions& options) {
  absl::StatusOr<std::optional<std::pair<uint64_t, std::string>>> latest =
      log.LatestCheckpoint();
  if (!latest.ok()) return latest.status();
  const uint64_t head = log.Head();
  if (latest->has_value()) {
    const auto& [size, text] = **latest;
    absl::StatusOr<note::TlogCheckpoint> checkpoint = signer.Verify(text);
    if (!checkpoint.ok()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the last checkpoint (tree size ", size,
          ") does not verify with the configured signing key ",
          signer.verifier().KeyString(), ": ", checkpoint.status().message(),
          "; refusing to serve (was the key or the origin changed, or the "
          "checkpoint edited?)"));
    }
    if (checkpoint->tree_size != size) {
      return absl::DataLossError(absl::StrCat(
          "the checkpoint stored for tree size ", size, " is for tree size ",
          checkpoint->tree_size, "; refusing to serve"));
    }
    if (size > head) {
      return absl::DataLossError(absl::StrCat(
          "the log has ", head, " records but was checkpointed at tree size ",
          size, ": records were lost or rolled back; refusing to serve"));
    }
    absl::StatusOr<rfc9162::Hash> root = log.RootAt(size);
    if (!root.ok()) return root.status();
    if (*root != checkpoint->root) {
      return absl::DataLossError(absl::StrCat(
          "the root recomputed from the stored tree at size ", size, " (",
          rfc9162::ToHex(*root), ") differs from the signed checkpoint's (",
          rfc9162::ToHex(checkpoint->root),
          "): the log was modified; refusing to serve"));
    }
  }
  if (options.verify_records_on_start) {
    if (absl::Status s = log.VerifyTree(head); !s.ok()) {
      return absl::DataLossError(
          absl::StrCat("the stored records do not match the stored Merkle "
                       "tree: ",
                       s.message(), "; refusing to serve"));
    }
  }
  return absl::OkStatus();
}

Checkpointer::Checkpointer(storage::EventLog* log,
                           const CheckpointSigner* signer,
                           const CheckpointerOptions& options,
                           uint64_t signed_size, bool has_checkpoint)
    : log_(log),
      signer_(signer),
      options_(options),
      signed_size_(signed_size),
      has_checkpoint_(has_checkpoint) {}

absl::StatusOr<std::unique_ptr<Checkpointer>> Checkpointer::Start(
    storage::EventLog* log, const CheckpointSigner* signer,
    const CheckpointerOptions& options) {
  absl::StatusOr<std::optional<std::pair<uint64_t, std::string>>> latest =
      log->LatestCheckpoint();
  if (!latest.ok()) return latest.status();
  std::unique_ptr<Checkpointer> checkpointer(new Checkpointer(
      log, signer, options, latest->has_value() ? (*latest)->first : 0,
      latest->has_value()));
  if (!latest->has_value()) {
    // A new log gets its first checkpoint at once (of the empty tree, or of
    // what is there): auditors can start from it, and the next start checks
    // the origin and key against it.
    absl::StatusOr<StoredCheckpoint> first =
        checkpointer->SignHead(0, false, /*fresh=*/true);
    if (!first.ok()) return first.status();
    absl::MutexLock lock(&checkpointer->mu_);
    checkpointer->signed_size_ = first->tree_size;
    checkpointer->has_checkpoint_ = true;
    checkpointer->signed_at_ = absl::Now();
  } else if (absl::StatusOr<note::SignedNote> note =
                 note::ParseNote((*latest)->second);
             note.ok()) {
    if (absl::StatusOr<note::TlogCheckpoint> body =
            note::ParseCheckpoint(note->text);
        body.ok()) {
      absl::StatusOr<std::optional<absl::Time>> at = note::SignedAt(*body);
      absl::MutexLock lock(&checkpointer->mu_);
      if (at.ok() && at->has_value()) checkpointer->signed_at_ = **at;
    }
  }
  Checkpointer* self = checkpointer.get();
  checkpointer->listener_id_ = log->AddHeadListener([self](uint64_t head) {
    absl::MutexLock lock(&self->mu_);
    const bool was_covered = self->head_ <= self->signed_size_;
    self->head_ = head;
    if (was_covered || self->Due()) self->wake_.Signal();
  });
  {
    absl::MutexLock lock(&checkpointer->mu_);
    checkpointer->head_ = std::max(checkpointer->head_, log->Head());
  }
  absl::MutexLock lock(&checkpointer->thread_mu_);
  checkpointer->thread_ = std::thread([self] { self->Run(); });
  return checkpointer;
}

Checkpointer::~Checkpointer() { Stop(); }

void Checkpointer::Request(Done done) {
  {
    absl::MutexLock lock(&mu_);
    if (!stopped_) {
      requests_.push_back(std::move(done));
      wake_.Signal();
      return;
    }
  }
  done(absl::UnavailableError("the checkpointer has stopped"));
}

void Checkpointer::Stop() {
  log_->RemoveHeadListener(listener_id_);
  {
    absl::MutexLock lock(&mu_);
    head_ = std::max(head_, log_->Head());
    stopping_ = true;
    wake_.Signal();
  }
  absl::MutexLock lock(&thread_mu_);
  if (thread_.joinable()) thread_.join();
}

bool Checkpointer::RefreshDue() const {
  return has_checkpoint_ && head_ <= signed_size_ &&
         absl::Now() >= signed_at_ + options_.refresh;
}

bool Checkpointer::Due() const {
  if (head_ <= signed_size_) return RefreshDue();
  const absl::Time now = absl::Now();
  if (now >= last_attempt_ + options_.every) return true;
  return !last_failed_ && head_ - signed_size_ >= options_.every_records;
}

void Checkpointer::Wait() {
  if (head_ > signed_size_) {
    wake_.WaitWithDeadline(&mu_, last_attempt_ + options_.every);
  } else {
    wake_.WaitWithDeadline(&mu_, signed_at_ + options_.refresh);
  }
}

void Checkpointer::Run() {
  mu_.Lock();
  while (true) {
    const bool final_checkpoint = stopping_ && head_ > signed_size_;
    if (requests_.empty() && !Due() && !final_checkpoint) {
      if (stopping_) break;
      Wait();
      continue;
    }
    std::vector<Done> requests = std::move(requests_);
    requests_.clear();
    const uint64_t signed_size = signed_size_;
    const bool has_checkpoint = has_checkpoint_;
    const bool fresh = !requests.empty() || RefreshDue();
    last_attempt_ = absl::Now();
    mu_.Unlock();

    absl::StatusOr<StoredCheckpoint> result =
        SignHead(signed_size, has_checkpoint, fresh);
    if (!result.ok()) {
      LogError("checkpoint_failed", {{"error", result.status().ToString()}});
    }
    for (Done& done : requests) done(result);

    mu_.Lock();
    last_failed_ = !result.ok();
    if (result.ok() &&
        (!has_checkpoint_ || result->tree_size > signed_size_ || fresh)) {
      signed_size_ = std::max(signed_size_, result->tree_size);
      has_checkpoint_ = true;
      signed_at_ = last_attempt_;
    }
    if (final_checkpoint && !result.ok()) break;
  }
  stopped_ = true;
  std::vector<Done> late = std::move(requests_);
  requests_.clear();
  mu_.Unlock();
  for (Done& done : late) {
    done(absl::UnavailableError("the checkpointer has stopped"));
  }
}

absl::StatusOr<StoredCheckpoint> Checkpointer::SignHead(uint64_t signed_size,
                                                        bool has_checkpoint,
                                                        bool fresh) {
  const uint64_t size = log_->Head();
  if (has_checkpoint && size <= signed_size && !fresh) {
    absl::StatusOr<std::string> note = log_->GetCheckpoint(signed_size);
    if (!note.ok()) return note.status();
    return StoredCheckpoint{signed_size, *std::move(note)};
  }
  absl::StatusOr<rfc9162::Hash> root = log_->RootAt(size);
  if (!root.ok()) return root.status();
  absl::StatusOr<std::string> note = signer_->Sign(size, absl::Now(), *root);
  if (!note.ok()) return note.status();
  if (absl::Status s = log_->PutCheckpoint(size, *note); !s.ok()) {
    return absl::Status(
        s.code(), absl::StrCat("storing the checkpoint of tree size ", size,
                               ": ", s.message()));
  }
  LogInfo("checkpoint_signed",
          {{"tree_size", absl::StrCat(size)}, {"root", rfc9162::ToHex(*root)}});
  return StoredCheckpoint{size, *std::move(note)};
}

}  // namespace gavel::services
