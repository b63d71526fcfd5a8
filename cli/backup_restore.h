// The offline half of `gavel admin backup/restore`: turning a backup
// directory written by AdminService.Backup (layout: services/backups.h)
// into a new data directory. Links nothing of the server: the files are
// copied, the backup's signed checkpoint is verified, and the server's own
// start-up checks (the Merkle root against that checkpoint, every record
// against the tree) decide whether the restored log is served.
#ifndef GAVEL_CLI_BACKUP_RESTORE_H_
#define GAVEL_CLI_BACKUP_RESTORE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "transparency/signed_note.h"
#include "transparency/tlog_checkpoint.h"

namespace gavel::cli {

// What a restore copied.
struct RestoredBackup {
  // Records in the restored log (the backup's MANIFEST).
  uint64_t head_position = 0;
  // The backup's verified checkpoint, pinned in the data directory.
  note::TlogCheckpoint checkpoint;
};

// Copies the backup in `backup_dir` into `data_dir`, which must not exist
// or be empty, and pins the backup's checkpoint there
// (<data_dir>/restored-checkpoint): the server refuses to serve a log that
// does not match it. The checkpoint is verified first with `trusted_key`
// (never with the backup's own signing_key.pub: whoever could alter the
// backup could replace that too). The copy is
// made beside `data_dir` and renamed into place, so an interrupted restore
// leaves no half-filled data directory. FAILED_PRECONDITION for an
// incomplete backup (no MANIFEST: interrupted while written), another
// format, a non-empty data_dir, or a checkpoint that does not verify;
// INVALID_ARGUMENT for a malformed manifest; UNAVAILABLE for I/O errors.
// The server must not run on `data_dir` (restore is offline).
absl::StatusOr<RestoredBackup> RestoreBackup(
    absl::string_view backup_dir, absl::string_view data_dir,
    const note::NoteVerifier& trusted_key);

}  // namespace gavel::cli

#endif  // GAVEL_CLI_BACKUP_RESTORE_H_
