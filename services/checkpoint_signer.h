// The log's Ed25519 signing key and the checkpoints it signs (C2SP
// tlog-checkpoint in a signed note: transparency/tlog_checkpoint.h and
// transparency/signed_note.h). The key's name is the log's origin.
//
// Files in the data directory:
//   signing_key      the private key, PEM PKCS#8 ("BEGIN PRIVATE KEY"),
//                    mode 0600; generated on first start unless a key
//                    file is configured (then that file is read instead
//                    and this one is neither read nor written).
//   signing_key.pub  the verifier key string of the key in use, one line:
//                      origin "+" hex8(key id) "+" base64(0x01 || public key)
//                    rewritten on every start (mode 0644). Give it to
//                    auditors: `gavel audit verify --key` reads it.
#ifndef GAVEL_SERVICES_CHECKPOINT_SIGNER_H_
#define GAVEL_SERVICES_CHECKPOINT_SIGNER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "projections/snapshot_seal.h"
#include "transparency/rfc9162.h"
#include "transparency/signed_note.h"
#include "transparency/tlog_checkpoint.h"

namespace gavel::services {

inline constexpr absl::string_view kSigningKeyFileName = "signing_key";
inline constexpr absl::string_view kVerifierKeyFileName = "signing_key.pub";

// Thread-safe (immutable after creation). Also seals the projections'
// stored snapshots (projections/snapshot_seal.h) with the same key.
class CheckpointSigner final : public projections::SnapshotSealer {
 public:
  // Loads the key from `key_file`, or, when it is empty, from
  // <data_dir>/signing_key, generating that file first if it does not
  // exist; then writes <data_dir>/signing_key.pub. `data_dir` must exist.
  // INVALID_ARGUMENT for an origin that is not a valid key name or a key
  // file that is not an Ed25519 PEM private key; NOT_FOUND for a missing
  // key_file; UNAVAILABLE if a file cannot be written.
  static absl::StatusOr<std::unique_ptr<CheckpointSigner>> Open(
      absl::string_view origin, absl::string_view data_dir,
      absl::string_view key_file);

  // With a key in hand (tests).
  static std::unique_ptr<CheckpointSigner> FromSigner(note::NoteSigner signer);

  CheckpointSigner(const CheckpointSigner&) = delete;

  // SnapshotSealer: a signed note of `text` / the verified text of `note`.
  absl::StatusOr<std::string> Sign(absl::string_view text) const override;
  absl::StatusOr<std::string> Open(absl::string_view note) const override;
  CheckpointSigner& operator=(const CheckpointSigner&) = delete;

  const std::string& origin() const { return signer_.verifier().key_name(); }
  const note::NoteVerifier& verifier() const { return signer_.verifier(); }

  // The signed note of the checkpoint (origin, tree_size, root, and the
  // time extension line of `signed_at`).
  absl::StatusOr<std::string> Sign(uint64_t tree_size, absl::Time signed_at,
                                   const rfc9162::Hash& root) const;

  // Verifies a signed checkpoint with this key and origin (see
  // note::VerifyCheckpoint for the error codes).
  absl::StatusOr<note::TlogCheckpoint> Verify(absl::string_view note) const;

 private:
  explicit CheckpointSigner(note::NoteSigner signer)
      : signer_(std::move(signer)) {}

  const note::NoteSigner signer_;
};

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_CHECKPOINT_SIGNER_H_
