// The offline half of `gavel audit`: parsing raw RFC 9162 inputs, reading
// the auditor's key and trusted-state files, and deciding whether a newly
// fetched checkpoint may replace the trusted one. Pure functions over
// gavel::rfc9162 and gavel::signed_note; links nothing of the server.
//
// Files:
//   key file    := verifier key string (transparency/signed_note.h), as gaveld
//                  writes it to <data_dir>/signing_key.pub; surrounding
//                  whitespace is ignored.
//   state file  := the signed checkpoint note last trusted, exactly as the
//                  server served it (SignedCheckpoint.note).
#ifndef GAVEL_CLI_AUDIT_VERIFIER_H_
#define GAVEL_CLI_AUDIT_VERIFIER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "transparency/signed_note.h"
#include "transparency/tlog_checkpoint.h"

namespace gavel::cli {

// Decodes one hash: exactly 64 hex digits are hex, anything else must be
// standard base64. Returns the raw bytes (of any length: the verifiers
// reject lengths other than 32). INVALID_ARGUMENT if empty or not decodable.
absl::StatusOr<std::string> ParseHash(absl::string_view text);

// Decodes a comma-separated list of hashes (ParseHash each); the empty
// string is the empty list. INVALID_ARGUMENT naming the bad element.
absl::StatusOr<std::vector<std::string>> ParseHashList(absl::string_view text);

// Reads the contents of `path`. NOT_FOUND if it does not exist,
// UNAVAILABLE if it cannot be read.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);

// Writes `contents` to `path` atomically: a temporary file in the same
// directory, flushed to disk, then renamed over `path`. UNAVAILABLE on any
// I/O error (the previous file is then left unchanged).
absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents);

// Reads a key file. NOT_FOUND / UNAVAILABLE as ReadWholeFile;
// INVALID_ARGUMENT naming the file if it holds no valid Ed25519 verifier key.
absl::StatusOr<note::NoteVerifier> ReadVerifierKeyFile(const std::string& path);

// Reads the key file at `path` (as ReadVerifierKeyFile) when one is named;
// nullopt when `path` is empty (no key given).
absl::StatusOr<std::optional<note::NoteVerifier>> ReadOptionalVerifierKeyFile(
    const std::string& path);

// Verifies a signed checkpoint note with `verifier`; the log's origin is the
// key's name. Errors as note::VerifyCheckpoint.
absl::StatusOr<note::TlogCheckpoint> VerifySignedCheckpoint(
    absl::string_view note, const note::NoteVerifier& verifier);

// Reads and verifies the state file: nullopt if it does not exist (trust on
// first use). INVALID_ARGUMENT or FAILED_PRECONDITION naming the file if it
// is malformed or not signed by `verifier` (e.g. another log's checkpoint).
absl::StatusOr<std::optional<note::TlogCheckpoint>> ReadTrustedCheckpoint(
    const std::string& path, const note::NoteVerifier& verifier);

// OK when `checkpoint` was signed at most `max_age` ago (its time
// extension line, transparency/tlog_checkpoint.h), or when `max_age` is
// nullopt. FAILED_PRECONDITION for an older checkpoint, or one that carries
// no signing time while an age is asked for.
absl::Status CheckFresh(const note::TlogCheckpoint& checkpoint,
                        std::optional<absl::Duration> max_age,
                        absl::Time now = absl::Now());

// OK iff `latest` may replace `trusted`: same origin, a size no smaller,
// and `consistency_proof` (raw hashes, from trusted.tree_size to
// latest.tree_size) proves the trusted tree a prefix of the latest one.
// FAILED_PRECONDITION otherwise (INVALID_ARGUMENT for a malformed proof).
absl::Status CheckConsistentAdvance(
    const note::TlogCheckpoint& trusted, const note::TlogCheckpoint& latest,
    absl::Span<const std::string> consistency_proof);

}  // namespace gavel::cli

#endif  // GAVEL_CLI_AUDIT_VERIFIER_H_
