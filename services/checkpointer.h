// Signs checkpoints of the event log as it grows, and checks the log
// against its last checkpoint at start-up.
#ifndef GAVEL_SERVICES_CHECKPOINTER_H_
#define GAVEL_SERVICES_CHECKPOINTER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/checkpoint_signer.h"
#include "storage/event_log.h"

namespace gavel::services {

struct CheckpointerOptions {
  // A checkpoint is signed as soon as this many records are not covered by
  // one...
  uint64_t every_records = 1000;
  // ...or when records are uncovered and this long has passed since the
  // last checkpoint was signed.
  absl::Duration every = absl::Seconds(1);
  // At start-up, also rehash every stored record and compare it with the
  // stored tree (EventLog::VerifyTree): catches edited records, not just
  // edited tree nodes, at the cost of reading the whole log.
  bool verify_records_on_start = true;
  // An idle log's checkpoint is signed again this often, at the same size
  // and root with a newer time: a verifier's --max_age then tells a live
  // server from a stale copy. A requested checkpoint is always signed anew.
  absl::Duration refresh = absl::Minutes(10);
};

// A checkpoint as stored: its tree size and signed note.
struct StoredCheckpoint {
  uint64_t tree_size = 0;
  std::string note;
};

// The start-up check. OK if the log has no checkpoint, or if its latest
// checkpoint verifies with `signer` and the root recomputed from the stored
// tree at that size equals the checkpoint's (and, with
// verify_records_on_start, if every record up to the head hashes to the
// stored tree). FAILED_PRECONDITION when the signature or origin does not
// match the configured key (a changed key or origin, or an edited
// checkpoint); DATA_LOSS when the log has fewer records than the
// checkpoint or its tree differs from it. Reads the log; call before
// serving.
absl::Status CheckLogAgainstLatestCheckpoint(
    const storage::EventLog& log, const CheckpointSigner& signer,
    const CheckpointerOptions& options);

// Signs a checkpoint of the log's head, on its own thread, after the
// head's batch is durable (EventLog head listeners run after the synced
// write): every options.every_records records or options.every, on
// request, and once more when stopped; an idle log's again every
// options.refresh (same size and root, a newer time). Never stores two
// roots for one size (EventLog::PutCheckpoint refuses).
// Thread-safe.
class Checkpointer {
 public:
  using Done = std::function<void(absl::StatusOr<StoredCheckpoint>)>;

  // Borrows `log` and `signer`, which must outlive it. A log without a
  // checkpoint gets one of its current head before Start returns.
  static absl::StatusOr<std::unique_ptr<Checkpointer>> Start(
      storage::EventLog* log, const CheckpointSigner* signer,
      const CheckpointerOptions& options);

  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;
  // Stop()s.
  ~Checkpointer();

  // Signs a checkpoint of the head now and calls `done` with it on the
  // checkpointer's thread; `done` must not block.
  // After Stop(), calls `done` at once with UNAVAILABLE.
  void Request(Done done);

  // Signs a last checkpoint of the head (the caller stops appends first),
  // answers pending requests and joins the thread. Idempotent.
  void Stop();

 private:
  Checkpointer(storage::EventLog* log, const CheckpointSigner* signer,
               const CheckpointerOptions& options, uint64_t signed_size,
               bool has_checkpoint);

  void Run();
  // Signs and stores a checkpoint of the head, unless the head has one and
  // `fresh` is false.
  absl::StatusOr<StoredCheckpoint> SignHead(uint64_t signed_size,
                                            bool has_checkpoint, bool fresh);
  // True when the checkpoint of an idle head is due for a newer time.
  bool RefreshDue() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // True when the uncovered records call for a checkpoint now.
  bool Due() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The nothing-to-do wait of Run().
  void Wait() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  storage::EventLog* const log_;
  const CheckpointSigner* const signer_;
  const CheckpointerOptions options_;
  uint64_t listener_id_ = 0;

  absl::Mutex mu_;
  absl::CondVar wake_;
  uint64_t head_ ABSL_GUARDED_BY(mu_) = 0;
  // When the latest checkpoint was signed.
  absl::Time signed_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  // Size of the latest checkpoint (0 with has_checkpoint_ false: none).
  uint64_t signed_size_ ABSL_GUARDED_BY(mu_) = 0;
  bool has_checkpoint_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time last_attempt_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  bool last_failed_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<Done> requests_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;

  absl::Mutex thread_mu_;
  std::thread thread_ ABSL_GUARDED_BY(thread_mu_);
};

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_CHECKPOINTER_H_
