// C2SP signed notes (https://c2sp.org/signed-note) with Ed25519 keys
// (OpenSSL 3): parsing, formatting, signing and verification. Links nothing
// of the server: the CLI's offline verifier uses it too.
//
//   note       := text "\n" signature+
//   text       := line+                  (every line ends in "\n"; the text
//                                          is what is signed, final "\n"
//                                          included)
//   signature  := "— " key_name " " base64(key_id[4] || sig[64]) "\n"
//                                         ("—" is U+2014, bytes E2 80 94)
//   key_name   := 1* (any UTF-8 character but Unicode space and "+")
//   key_id     := first 4 bytes of SHA-256(key_name || 0x0A || 0x01 ||
//                 public_key[32]), read as a big-endian uint32
//   verifier key string (what signing_key.pub holds, without a newline):
//              := key_name "+" hex8(key_id) "+" base64(0x01 || public_key)
//
// base64 is RFC 4648 standard base64 with padding; parsers accept only its
// canonical form. The text is split from the signatures at the last blank
// line, as in the reference implementation (golang.org/x/mod/sumdb/note).
#ifndef GAVEL_TRANSPARENCY_SIGNED_NOTE_H_
#define GAVEL_TRANSPARENCY_SIGNED_NOTE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace gavel::note {

// The signature algorithm byte of Ed25519 keys.
inline constexpr uint8_t kEd25519Algorithm = 0x01;
// Notes with more signature lines are refused as malformed.
inline constexpr size_t kMaxSignatures = 100;
// Longest note ParseNote reads (a tlog checkpoint is a few hundred bytes).
inline constexpr size_t kMaxNoteBytes = 64 << 10;

// The key id of an Ed25519 key (see the grammar). `public_key` must be the
// 32 raw bytes of the key.
uint32_t Ed25519KeyId(absl::string_view key_name, absl::string_view public_key);

// True if `name` is a valid key name: non-empty UTF-8 with no Unicode space
// and no "+".
bool IsValidKeyName(absl::string_view name);

// One signature line of a note.
struct NoteSignature {
  std::string key_name;
  uint32_t key_id = 0;
  // The raw signature (64 bytes for Ed25519), without the key id.
  std::string signature;
};

struct SignedNote {
  std::string text;
  std::vector<NoteSignature> signatures;
};

// Splits a note into its text and signatures. INVALID_ARGUMENT, as Go's
// note.Open refuses them, if it is longer than kMaxNoteBytes, is not UTF-8,
// holds an ASCII control character other than "\n", does not end in "\n",
// has no blank line, or has a malformed or too many signature lines.
// Signatures are not verified.
absl::StatusOr<SignedNote> ParseNote(absl::string_view note);

// `text` (which must end in "\n"), a blank line and the signature lines.
std::string FormatNote(absl::string_view text,
                       absl::Span<const NoteSignature> signatures);

// An Ed25519 public key with its name. Value type; thread-safe.
class NoteVerifier {
 public:
  // From the 32 raw bytes of the public key. INVALID_ARGUMENT for a bad
  // name or key length.
  static absl::StatusOr<NoteVerifier> FromPublicKey(
      absl::string_view key_name, absl::string_view public_key);
  // From a verifier key string (grammar above; surrounding whitespace is
  // ignored). INVALID_ARGUMENT if malformed, not Ed25519, or if the key id
  // does not match the name and key.
  static absl::StatusOr<NoteVerifier> FromKeyString(absl::string_view vkey);

  // The verifier key string (grammar above).
  std::string KeyString() const;

  const std::string& key_name() const { return key_name_; }
  uint32_t key_id() const { return key_id_; }
  const std::string& public_key() const { return public_key_; }

  // OK iff `signature` is a valid Ed25519 signature of `message` by this
  // key; FAILED_PRECONDITION otherwise.
  absl::Status VerifySignature(absl::string_view message,
                               absl::string_view signature) const;

 private:
  NoteVerifier() = default;

  std::string key_name_;
  uint32_t key_id_ = 0;
  std::string public_key_;
};

// Opens `note`: OK with its text iff it carries a signature line with the
// verifier's name and key id whose signature verifies. INVALID_ARGUMENT for
// a malformed note; FAILED_PRECONDITION when no signature of this key is
// present or it does not verify.
absl::StatusOr<std::string> VerifyNote(absl::string_view note,
                                       const NoteVerifier& verifier);

// An Ed25519 private key with its name. Thread-safe (signing is
// stateless).
class NoteSigner {
 public:
  // A new random key.
  static absl::StatusOr<NoteSigner> Generate(absl::string_view key_name);
  // From the 32-byte RFC 8032 seed (the raw private key).
  static absl::StatusOr<NoteSigner> FromSeed(absl::string_view key_name,
                                             absl::string_view seed);
  // From a PEM "PRIVATE KEY" (PKCS#8) holding an Ed25519 key.
  // INVALID_ARGUMENT if it is not one.
  static absl::StatusOr<NoteSigner> FromPem(absl::string_view key_name,
                                            absl::string_view pem);

  NoteSigner(NoteSigner&&);
  NoteSigner& operator=(NoteSigner&&);
  ~NoteSigner();

  // The private key as PEM PKCS#8 (a secret: never log it).
  absl::StatusOr<std::string> ToPem() const;

  const NoteVerifier& verifier() const { return verifier_; }

  // Signs `text`, which must end in "\n" (INVALID_ARGUMENT otherwise).
  absl::StatusOr<NoteSignature> Sign(absl::string_view text) const;

  // The signed note: `text` with this key's signature line.
  absl::StatusOr<std::string> SignNote(absl::string_view text) const;

 private:
  struct Key;
  NoteSigner(std::unique_ptr<Key> key, NoteVerifier verifier);
  static absl::StatusOr<NoteSigner> FromKey(absl::string_view key_name,
                                            std::unique_ptr<Key> key);

  std::unique_ptr<Key> key_;
  NoteVerifier verifier_;
};

}  // namespace gavel::note

#endif  // GAVEL_TRANSPARENCY_SIGNED_NOTE_H_
