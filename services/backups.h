// Backups of a running server, and the start-up check of a restored one.
//
// A backup is a directory <root>/<name>:
//   log/             a RocksDB checkpoint of the event log (hard links to
//                    its immutable files where the file system allows)
//   signing_key      the private key signing checkpoints (mode 0600; only
//                    when the backup asked for it and the server uses
//                    <data_dir>/signing_key)
//   signing_key.pub  the verifier key string
//   checkpoint       a signed checkpoint (C2SP signed note) of a tree size
//                    <= the head of log/, stored in log/ as well
//   MANIFEST         written last, one "key value" per line:
//                      format gavel-backup-1
//                      head <records in log/>
//                      checkpoint_size <tree size of checkpoint>
//                      origin <the log's origin>
//                      created <RFC 3339 time>
// It is written under <root>/.<name>.partial-<random> and renamed to
// <root>/<name> once every file is synced: a directory with that name is
// complete. The event log is the source of truth; projections and the
// leaf-hash index are derived from it and rebuilt by a restored server.
//
// `gavel admin restore` (cli/backup_restore.h) copies log/ into a new
// data directory with the keys, and writes the backup's checkpoint there as
// `restored-checkpoint`; the server then refuses to serve unless its log
// matches that checkpoint (CheckLogAgainstRestoredCheckpoint).
#ifndef GAVEL_SERVICES_BACKUPS_H_
#define GAVEL_SERVICES_BACKUPS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "services/checkpoint_signer.h"
#include "services/checkpointer.h"
#include "storage/event_log.h"

namespace gavel::services {

inline constexpr absl::string_view kBackupManifestFileName = "MANIFEST";
inline constexpr absl::string_view kBackupCheckpointFileName = "checkpoint";
inline constexpr absl::string_view kBackupLogDirName = "log";
inline constexpr absl::string_view kBackupFormat = "gavel-backup-1";
// In a data directory restored from a backup: the backup's checkpoint.
inline constexpr absl::string_view kRestoredCheckpointFileName =
    "restored-checkpoint";

// OK unless <data_dir>/restored-checkpoint exists and the log does not match
// it: FAILED_PRECONDITION when it does not verify with `signer` (another
// key or origin, or an edited file), DATA_LOSS when the log has fewer
// records than it or the root at its size differs (a tampered or
// truncated backup). Call before serving.
absl::Status CheckLogAgainstRestoredCheckpoint(const storage::EventLog& log,
                                               const CheckpointSigner& signer,
                                               absl::string_view data_dir);

// OK for a valid backup name (see BackupRequest.name), else
// INVALID_ARGUMENT with reason BACKUP_NAME_INVALID.
absl::Status ValidateBackupName(absl::string_view name);

struct BackupOptions {
  // The backup root; every backup is a directory directly under it.
  std::string dir;
  // The server's data directory (signing_key, signing_key.pub).
  std::string data_dir;
  // The log's origin (for the manifest).
  std::string origin;
  // <data_dir>/signing_key may be copied when a backup asks for it (false
  // when the key is configured elsewhere: the operator keeps it with that
  // file).
  bool signing_key_in_data_dir = true;
};

// What a finished backup holds.
struct BackupResult {
  std::string path;
  uint64_t head_position = 0;
  StoredCheckpoint checkpoint;
};

// Writes backups one at a time, each on its own thread, while the server
// serves. Thread-safe. Borrows `log` and `checkpointer`, which must outlive
// it (Stop() it first).
class Backups {
 public:
  using Done = std::function<void(absl::StatusOr<BackupResult>)>;

  Backups(storage::EventLog* log, Checkpointer* checkpointer,
          BackupOptions options)
      : log_(log), checkpointer_(checkpointer), options_(std::move(options)) {}
  Backups(const Backups&) = delete;
  Backups& operator=(const Backups&) = delete;
  // Stop()s.
  ~Backups();

  // Starts a backup named `name` (with the private signing key only when
  // `include_signing_key` and the key lives in the data directory) and
  // calls `done` once, with its result, on
  // the backup's thread (or at once on the caller's thread when refused):
  // INVALID_ARGUMENT (BACKUP_NAME_INVALID), ALREADY_EXISTS (BACKUP_EXISTS),
  // FAILED_PRECONDITION (BACKUP_IN_PROGRESS) while another runs,
  // UNAVAILABLE (BACKUP_FAILED) when a file cannot be written (the partial
  // directory is removed) or after Stop().
  void Start(absl::string_view name, bool include_signing_key, Done done);

  // Waits for a running backup, then refuses new ones. Idempotent.
  void Stop();

 private:
  absl::StatusOr<BackupResult> Write(const std::string& name,
                                     bool include_signing_key);

  storage::EventLog* const log_;
  Checkpointer* const checkpointer_;
  const BackupOptions options_;

  absl::Mutex mu_;
  bool running_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_BACKUPS_H_
