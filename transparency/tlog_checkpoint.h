// The body of a C2SP transparency-log checkpoint
// (https://c2sp.org/tlog-checkpoint), signed as a signed note
// (transparency/signed_note.h). Links nothing of the server.
//
//   body      := origin "\n" tree_size "\n" root "\n" (extension "\n")*
//   origin    := 1* (UTF-8 without "\n"): names the log
//   tree_size := decimal ASCII, no leading zeros (a lone "0" for empty)
//   root      := base64(RFC 9162 root hash, 32 bytes), standard, padded
//   extension := 1* (UTF-8 without "\n")
//
// Gavel signs one extension line, the checkpoint's signing time, so that a
// verifier can tell a stale checkpoint from a fresh one:
//   time      := "time " RFC 3339 UTC with seconds, e.g.
//                "time 2026-12-08T02:51:07Z"
#ifndef GAVEL_TRANSPARENCY_TLOG_CHECKPOINT_H_
#define GAVEL_TRANSPARENCY_TLOG_CHECKPOINT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "transparency/rfc9162.h"
#include "transparency/signed_note.h"

namespace gavel::note {

struct TlogCheckpoint {
  std::string origin;
  uint64_t tree_size = 0;
  rfc9162::Hash root{};
  // Optional extension lines, without their "\n".
  std::vector<std::string> extensions;
};

// The time extension line for `signed_at` (grammar above).
std::string TimeExtension(absl::Time signed_at);

// The signing time `checkpoint` carries: nullopt when it has no time line
// (checkpoints of earlier releases); INVALID_ARGUMENT when its time line
// does not parse.
absl::StatusOr<std::optional<absl::Time>> SignedAt(
    const TlogCheckpoint& checkpoint);

// The body text (grammar above).
std::string FormatCheckpoint(const TlogCheckpoint& checkpoint);

// Parses a body. INVALID_ARGUMENT when it does not follow the grammar.
absl::StatusOr<TlogCheckpoint> ParseCheckpoint(absl::string_view body);

// Verifies the signed note `note` with `verifier` and parses its body,
// which must name `origin`. INVALID_ARGUMENT for a malformed note or body;
// FAILED_PRECONDITION for a missing or bad signature or another origin.
absl::StatusOr<TlogCheckpoint> VerifyCheckpoint(absl::string_view note,
                                                absl::string_view origin,
                                                const NoteVerifier& verifier);

}  // namespace gavel::note

#endif  // GAVEL_TRANSPARENCY_TLOG_CHECKPOINT_H_
