#include "cli/backup_restore.h"

#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cli/audit_verifier.h"

namespace gavel::cli {
namespace {

namespace fs = std::filesystem;

// The backup layout (services/backups.h).
constexpr char kManifest[] = "MANIFEST";
constexpr char kCheckpoint[] = "checkpoint";
constexpr char kLogDir[] = "log";
constexpr char kFormat[] = "gavel-backup-1";
constexpr char kSigningKey[] = "signing_key";
constexpr char kVerifierKey[] = "signing_key.pub";
constexpr char kRestoredCheckpoint[] = "restored-checkpoint";

absl::StatusOr<std::map<std::string, std::string>> ReadManifest(
    const fs::path& backup) {
  absl::StatusOr<std::string> text =
      ReadWholeFile((backup / kManifest).string());
  if (absl::IsNotFound(text.status())) {
    return absl::FailedPreconditionError(absl::StrCat(
        backup.string(),
        " has no MANIFEST: it is not a Gavel backup, or its writing was "
        "interrupted"));
  }
  if (!text.ok()) return text.status();
  std::map<std::string, std::string> fields;
  for (absl::string_view line :
       absl::StrSplit(*text, '\n', absl::SkipEmpty())) {
    std::pair<std::string, std::string> kv =
        absl::StrSplit(line, absl::MaxSplits(' ', 1));
    fields[kv.first] = kv.second;
  }
  if (fields["format"] != kFormat) {
    return absl::FailedPreconditionError(
        absl::StrCat(backup.string(), "/MANIFEST has format \"",
                     fields["format"], "\"; this gavel reads ", kFormat));
  }
  return fields;
}

absl::Status Unavailable(absl::string_view what, const std::error_code& e) {
  return absl::UnavailableError(absl::StrCat(what, ": ", e.message()));
}

}  // namespace

absl::StatusOr<RestoredBackup> RestoreBackup(
    absl::string_view backup_dir, absl::string_view data_dir,
    const note::NoteVerifier& trusted_key) {
  const fs::path backup{std::string(backup_dir)};
  const fs::path target{std::string(data_dir)};
  absl::StatusOr<std::map<std::string, std::string>> manifest =
      ReadManifest(backup);
  if (!manifest.ok()) return manifest.status();
  RestoredBackup restored;
  uint64_t checkpoint_size = 0;
  if (!absl::SimpleAtoi((*manifest)["head"], &restored.head_position) ||
      !absl::SimpleAtoi((*manifest)["checkpoint_size"], &checkpoint_size)) {
    return absl::InvalidArgumentError(absl::StrCat(
        backup.string(), "/MANIFEST lacks a numeric head or checkpoint_size"));
  }

  absl::StatusOr<std::string> note =
      ReadWholeFile((backup / kCheckpoint).string());
  if (!note.ok()) return note.status();
  absl::StatusOr<note::TlogCheckpoint> checkpoint =
      VerifySignedCheckpoint(*note, trusted_key);
  if (!checkpoint.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the backup's checkpoint does not verify: ",
                     checkpoint.status().message()));
  }
  if (checkpoint->tree_size != checkpoint_size ||
      checkpoint_size > restored.head_position) {
    return absl::FailedPreconditionError(
        absl::StrCat("the backup's MANIFEST (head ", restored.head_position,
                     ", checkpoint_size ", checkpoint_size,
                     ") disagrees with its checkpoint (tree size ",
                     checkpoint->tree_size, ")"));
  }
  restored.checkpoint = *checkpoint;

  std::error_code error;
  if (fs::exists(target, error) && !fs::is_empty(target, error)) {
    return absl::FailedPreconditionError(
        absl::StrCat("the data directory ", target.string(),
                     " is not empty: restore into a new directory"));
  }
  absl::BitGen bits;
  const fs::path staging =
      fs::path(target.string() + ".restoring-" +
               absl::StrCat(absl::Uniform<uint32_t>(bits)));
  fs::copy(backup / kLogDir, staging, fs::copy_options::recursive, error);
  if (error) return Unavailable("copying the backup's log", error);
  for (const char* file : {kSigningKey, kVerifierKey}) {
    if (!fs::exists(backup / file, error)) continue;
    fs::copy_file(backup / file, staging / file, error);
    if (error) return Unavailable(absl::StrCat("copying ", file), error);
  }
  if (fs::exists(staging / kSigningKey, error)) {
    ::chmod((staging / kSigningKey).c_str(), 0600);
  }
  if (absl::Status s =
          WriteFileAtomically((staging / kRestoredCheckpoint).string(), *note);
      !s.ok()) {
    return s;
  }
  if (fs::exists(target, error)) fs::remove(target, error);
  fs::rename(staging, target, error);
  if (error) return Unavailable("moving the restored data into place", error);
  return restored;
}

}  // namespace gavel::cli
