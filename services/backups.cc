#include "services/backups.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "domain/rejection.h"
#include "services/log.h"

namespace gavel::services {
namespace {

constexpr size_t kMaxBackupNameBytes = 64;

absl::Status BackupFailed(absl::string_view what) {
  return domain::Reject(domain::kBackupFailed, "",
                        absl::StrCat("the backup failed: ", what));
}

// Writes `contents` to a new file `path` with `mode` and syncs it.
absl::Status WriteSynced(const std::filesystem::path& path,
                         absl::string_view contents, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, mode);
  if (fd < 0)
    return BackupFailed(absl::StrCat("cannot create ", path.string()));
  size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n =
        ::write(fd, contents.data() + written, contents.size() - written);
    if (n <= 0) {
      ::close(fd);
      return BackupFailed(absl::StrCat("cannot write ", path.string()));
    }
    written += static_cast<size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return BackupFailed(absl::StrCat("cannot sync ", path.string()));
  return absl::OkStatus();
}

absl::Status SyncDirectory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return BackupFailed(absl::StrCat("cannot open ", dir.string()));
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return BackupFailed(absl::StrCat("cannot sync ", dir.string()));
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadWhole(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return absl::NotFoundError(absl::StrCat("cannot read ", path.string()));
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

}  // namespace

absl::Status CheckLogAgainstRestoredCheckpoint(const storage::EventLog& log,
                                               const CheckpointSigner& signer,
                                               absl::string_view data_dir) {
  const std::filesystem::path path =
      std::filesystem::path(std::string(data_dir)) /
      std::string(kRestoredCheckpointFileName);
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return absl::OkStatus();
  absl::StatusOr<std::string> text = ReadWhole(path);
  if (!text.ok()) return text.status();
  absl::StatusOr<note::TlogCheckpoint> checkpoint = signer.Verify(*text);
  if (!checkpoint.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the checkpoint of the backup this data directory was restored from (",
        path.string(), ") does not verify with the signing key ",
        signer.verifier().KeyString(), ": ", checkpoint.status().message(),
        "; refusing to serve"));
  }
  if (checkpoint->tree_size > log.Head()) {
    return absl::DataLossError(absl::StrCat(
        "the restored log has ", log.Head(),
        " records but its backup's checkpoint covers ", checkpoint->tree_size,
        ": the backup was truncated; refusing to serve"));
  }
  absl::StatusOr<rfc9162::Hash> root = log.RootAt(checkpoint->tree_size);
  if (!root.ok()) return root.status();
  if (*root != checkpoint->root) {
    return absl::DataLossError(absl::StrCat(
        "the restored log's root at tree size ", checkpoint->tree_size, " (",
        rfc9162::ToHex(*root), ") differs from its backup's checkpoint (",
        rfc9162::ToHex(checkpoint->root),
        "): the backup was modified; refusing to serve"));
  }
  return absl::OkStatus();
}

absl::Status ValidateBackupName(absl::string_view name) {
  bool valid =
      !name.empty() && name.size() <= kMaxBackupNameBytes && name[0] != '.';
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' &&
        c != '_' && c != '-') {
      valid = false;
    }
  }
  if (valid) return absl::OkStatus();
  return domain::Reject(
      domain::kBackupNameInvalid, "name",
      absl::StrCat("a backup name is 1 to ", kMaxBackupNameBytes,
                   " characters of [A-Za-z0-9._-], not starting with '.'"));
}

Backups::~Backups() { Stop(); }

void Backups::Start(absl::string_view name, bool include_signing_key,
                    Done done) {
  if (absl::Status s = ValidateBackupName(name); !s.ok()) {
    done(s);
    return;
  }
  std::thread finished;
  {
    absl::MutexLock lock(&mu_);
    if (stopped_) {
      done(BackupFailed("the server is shutting down"));
      return;
    }
    if (running_) {
      done(domain::Reject(domain::kBackupInProgress, "",
                          "another backup is being written; retry when it "
                          "is done"));
      return;
    }
    running_ = true;
    finished = std::move(thread_);
    thread_ = std::thread([this, name = std::string(name), include_signing_key,
                           done = std::move(done)] {
      absl::StatusOr<BackupResult> result = Write(name, include_signing_key);
      if (result.ok()) {
        LogInfo(
            "backup_written",
            {{"path", result->path},
             {"head_position", absl::StrCat(result->head_position)},
             {"checkpoint_size", absl::StrCat(result->checkpoint.tree_size)}});
      } else {
        LogWarning("backup_failed",
                   {{"name", name}, {"error", result.status().ToString()}});
      }
      {
        // Before the reply: a caller that starts the next backup as soon as
        // this one is answered must not find it still running.
        absl::MutexLock lock(&mu_);
        running_ = false;
      }
      done(std::move(result));
    });
  }
  if (finished.joinable()) finished.join();
}

void Backups::Stop() {
  std::thread running;
  {
    absl::MutexLock lock(&mu_);
    stopped_ = true;
    running = std::move(thread_);
  }
  if (running.joinable()) running.join();
}

absl::StatusOr<BackupResult> Backups::Write(const std::string& name,
                                            bool include_signing_key) {
  namespace fs = std::filesystem;
  const fs::path root(options_.dir);
  const fs::path destination = root / name;
  std::error_code error;
  fs::create_directories(root, error);
  if (error) {
    return BackupFailed(absl::StrCat("cannot create the backup root ",
                                     root.string(), ": ", error.message()));
  }
  if (fs::exists(destination, error)) {
    return domain::Reject(
        domain::kBackupExists, "name",
        absl::StrCat("a backup named ", name, " exists already"));
  }

  // A checkpoint of the head, stored in the log before the snapshot is
  // taken: the snapshot holds it and every record it covers.
  absl::Notification signed_note;
  absl::StatusOr<StoredCheckpoint> checkpoint =
      absl::UnavailableError("no checkpoint");
  checkpointer_->Request([&](absl::StatusOr<StoredCheckpoint> result) {
    checkpoint = std::move(result);
    signed_note.Notify();
  });
  signed_note.WaitForNotification();
  if (!checkpoint.ok()) {
    return BackupFailed(
        absl::StrCat("signing a checkpoint: ", checkpoint.status().message()));
  }

  absl::BitGen bits;
  const fs::path staging = root / absl::StrCat(".", name, ".partial-",
                                               absl::Uniform<uint32_t>(bits));
  fs::create_directories(staging, error);
  if (error) {
    return BackupFailed(absl::StrCat("cannot create ", staging.string(), ": ",
                                     error.message()));
  }
  BackupResult result;
  result.checkpoint = *checkpoint;
  result.path = destination.string();
  absl::Status status = [&]() -> absl::Status {
    absl::StatusOr<uint64_t> head = log_->CreateSnapshot(
        (staging / std::string(kBackupLogDirName)).string());
    if (!head.ok()) return BackupFailed(head.status().message());
    result.head_position = *head;
    const fs::path data_dir(options_.data_dir);
    std::vector<std::pair<absl::string_view, mode_t>> files = {
        {kVerifierKeyFileName, 0644}};
    if (include_signing_key && options_.signing_key_in_data_dir) {
      files.push_back({kSigningKeyFileName, 0600});
    }
    for (const auto& [file, mode] : files) {
      absl::StatusOr<std::string> contents =
          ReadWhole(data_dir / std::string(file));
      if (!contents.ok()) return BackupFailed(contents.status().message());
      if (absl::Status s =
              WriteSynced(staging / std::string(file), *contents, mode);
          !s.ok()) {
        return s;
      }
    }
    if (absl::Status s =
            WriteSynced(staging / std::string(kBackupCheckpointFileName),
                        checkpoint->note, 0644);
        !s.ok()) {
      return s;
    }
    const std::string manifest = absl::StrCat(
        "format ", kBackupFormat, "\nhead ", result.head_position,
        "\ncheckpoint_size ", checkpoint->tree_size, "\norigin ",
        options_.origin, "\ncreated ",
        absl::FormatTime(absl::RFC3339_sec, absl::Now(), absl::UTCTimeZone()),
        "\n");
    return WriteSynced(staging / std::string(kBackupManifestFileName), manifest,
                       0644);
  }();
  if (status.ok()) status = SyncDirectory(staging);
  if (status.ok()) {
    fs::rename(staging, destination, error);
    if (error) {
      status = BackupFailed(absl::StrCat("cannot rename ", staging.string(),
                                         ": ", error.message()));
    }
  }
  if (status.ok()) status = SyncDirectory(root);
  if (!status.ok()) {
    fs::remove_all(staging, error);
    return status;
  }
  return result;
}

}  // namespace gavel::services
