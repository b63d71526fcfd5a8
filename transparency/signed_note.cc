#include "transparency/signed_note.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <optional>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "transparency/rfc9162.h"

namespace gavel::note {
namespace {

constexpr absl::string_view kSignaturePrefix = "\xE2\x80\x94 ";  // "— "
constexpr size_t kEd25519KeyBytes = 32;
constexpr size_t kEd25519SignatureBytes = 64;

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using Bio = std::unique_ptr<BIO, BioDeleter>;

const unsigned char* Bytes(absl::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// Decodes one UTF-8 code point at the front of `s` (advancing it), or
// nullopt if `s` does not start with a valid, shortest-form encoding.
std::optional<uint32_t> NextCodePoint(absl::string_view& s) {
  const auto byte = [&s](size_t i) { return static_cast<uint8_t>(s[i]); };
  const uint8_t b0 = byte(0);
  size_t length;
  uint32_t cp;
  if (b0 < 0x80) {
    s.remove_prefix(1);
    return b0;
  } else if ((b0 & 0xE0) == 0xC0) {
    length = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    length = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    length = 4;
    cp = b0 & 0x07;
  } else {
    return std::nullopt;
  }
  if (s.size() < length) return std::nullopt;
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (byte(i) & 0x3F);
  }
  static constexpr uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinimum[length] || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return std::nullopt;
  }
  s.remove_prefix(length);
  return cp;
}

bool IsValidUtf8(absl::string_view s) {
  while (!s.empty()) {
    if (!NextCodePoint(s).has_value()) return false;
  }
  return true;
}

// Unicode White_Space (what Go's unicode.IsSpace reports).
bool IsUnicodeSpace(uint32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 ||
         cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

// Standard base64 with padding, canonical form only.
std::optional<std::string> DecodeBase64(absl::string_view encoded) {
  std::string decoded;
  if (!absl::Base64Unescape(encoded, &decoded)) return std::nullopt;
  if (absl::Base64Escape(decoded) != encoded) return std::nullopt;
  return decoded;
}

void AppendBigEndian32(std::string& out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((value >> shift) & 0xFF));
  }
}

uint32_t ReadBigEndian32(absl::string_view bytes) {
  return (static_cast<uint32_t>(static_cast<uint8_t>(bytes[0])) << 24) |
         (static_cast<uint32_t>(static_cast<uint8_t>(bytes[1])) << 16) |
         (static_cast<uint32_t>(static_cast<uint8_t>(bytes[2])) << 8) |
         static_cast<uint32_t>(static_cast<uint8_t>(bytes[3]));
}

absl::Status ParseSignatureLine(absl::string_view line,
                                std::vector<NoteSignature>& out) {
  if (!absl::ConsumePrefix(&line, kSignaturePrefix)) {
    return absl::InvalidArgumentError(
        "signature line does not start with \"\xE2\x80\x94 \"");
  }
  const size_t space = line.find(' ');
  if (space == absl::string_view::npos) {
    return absl::InvalidArgumentError("signature line has no signature");
  }
  const absl::string_view name = line.substr(0, space);
  const absl::string_view encoded = line.substr(space + 1);
  if (!IsValidKeyName(name)) {
    return absl::InvalidArgumentError("signature line has an invalid key name");
  }
  std::optional<std::string> decoded = DecodeBase64(encoded);
  if (!decoded.has_value() || decoded->size() < 5) {
    return absl::InvalidArgumentError(
        "signature line does not hold base64 of a key id and a signature");
  }
  out.push_back(NoteSignature{std::string(name), ReadBigEndian32(*decoded),
                              decoded->substr(4)});
  return absl::OkStatus();
}

}  // namespace

uint32_t Ed25519KeyId(absl::string_view key_name,
                      absl::string_view public_key) {
  const char tail[2] = {'\n', static_cast<char>(kEd25519Algorithm)};
  const rfc9162::Hash hash = rfc9162::Sha256(
      {key_name, absl::string_view(tail, sizeof(tail)), public_key});
  return ReadBigEndian32(rfc9162::AsBytes(hash));
}

bool IsValidKeyName(absl::string_view name) {
  if (name.empty()) return false;
  while (!name.empty()) {
    std::optional<uint32_t> cp = NextCodePoint(name);
    if (!cp.has_value() || IsUnicodeSpace(*cp) || *cp == '+') return false;
  }
  return true;
}

absl::StatusOr<SignedNote> ParseNote(absl::string_view note) {
  if (note.size() > kMaxNoteBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("signed note is longer than ", kMaxNoteBytes, " bytes"));
  }
  if (!IsValidUtf8(note)) {
    return absl::InvalidArgumentError("signed note is not UTF-8");
  }
  // As Go's note.Open: no ASCII control character but the newline.
  for (char c : note) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n') {
      return absl::InvalidArgumentError(
          "signed note contains a control character");
    }
  }
  if (note.empty() || note.back() != '\n') {
    return absl::InvalidArgumentError("signed note does not end in a newline");
  }
  const size_t split = note.rfind("\n\n");
  if (split == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        "signed note has no blank line before its signatures");
  }
  SignedNote parsed;
  parsed.text = std::string(note.substr(0, split + 1));
  absl::string_view lines = note.substr(split + 2);
  while (!lines.empty()) {
    if (parsed.signatures.size() == kMaxSignatures) {
      return absl::InvalidArgumentError(absl::StrCat(
          "signed note has more than ", kMaxSignatures, " signatures"));
    }
    const size_t end = lines.find('\n');  // found: `note` ends in "\n"
    if (absl::Status s =
            ParseSignatureLine(lines.substr(0, end), parsed.signatures);
        !s.ok()) {
      return s;
    }
    lines.remove_prefix(end + 1);
  }
  if (parsed.signatures.empty()) {
    return absl::InvalidArgumentError("signed note has no signature");
  }
  return parsed;
}

std::string FormatNote(absl::string_view text,
                       absl::Span<const NoteSignature> signatures) {
  std::string out = absl::StrCat(text, "\n");
  for (const NoteSignature& signature : signatures) {
    std::string bytes;
    AppendBigEndian32(bytes, signature.key_id);
    bytes += signature.signature;
    absl::StrAppend(&out, kSignaturePrefix, signature.key_name, " ",
                    absl::Base64Escape(bytes), "\n");
  }
  return out;
}

absl::StatusOr<NoteVerifier> NoteVerifier::FromPublicKey(
    absl::string_view key_name, absl::string_view public_key) {
  if (!IsValidKeyName(key_name)) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid key name \"", key_name,
                     "\": it must be non-empty UTF-8 without spaces or '+'"));
  }
  if (public_key.size() != kEd25519KeyBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("an Ed25519 public key has ", kEd25519KeyBytes,
                     " bytes, not ", public_key.size()));
  }
  NoteVerifier verifier;
  verifier.key_name_ = std::string(key_name);
  verifier.public_key_ = std::string(public_key);
  verifier.key_id_ = Ed25519KeyId(key_name, public_key);
  return verifier;
}

absl::StatusOr<NoteVerifier> NoteVerifier::FromKeyString(
    absl::string_view vkey) {
  vkey = absl::StripAsciiWhitespace(vkey);
  const size_t first = vkey.find('+');
  const size_t second = first == absl::string_view::npos
                            ? absl::string_view::npos
                            : vkey.find('+', first + 1);
  if (second == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        "malformed verifier key: expected <name>+<key id>+<base64 key>");
  }
  const absl::string_view name = vkey.substr(0, first);
  const absl::string_view id_hex = vkey.substr(first + 1, second - first - 1);
  uint32_t key_id = 0;
  if (id_hex.size() != 8 || !absl::SimpleHexAtoi(id_hex, &key_id) ||
      id_hex.find_first_not_of("0123456789abcdefABCDEF") !=
          absl::string_view::npos) {
    return absl::InvalidArgumentError(
        "malformed verifier key: the key id is not 8 hex digits");
  }
  std::optional<std::string> key = DecodeBase64(vkey.substr(second + 1));
  if (!key.has_value() || key->empty()) {
    return absl::InvalidArgumentError(
        "malformed verifier key: the key is not base64");
  }
  if (static_cast<uint8_t>((*key)[0]) != kEd25519Algorithm) {
    return absl::InvalidArgumentError(
        "unsupported verifier key: only Ed25519 (algorithm 1) is supported");
  }
  absl::StatusOr<NoteVerifier> verifier =
      FromPublicKey(name, absl::string_view(*key).substr(1));
  if (!verifier.ok()) return verifier.status();
  if (verifier->key_id() != key_id) {
    return absl::InvalidArgumentError(
        "malformed verifier key: the key id does not match the name and key");
  }
  return verifier;
}

std::string NoteVerifier::KeyString() const {
  std::string key(1, static_cast<char>(kEd25519Algorithm));
  key += public_key_;
  return absl::StrCat(key_name_, "+", absl::StrFormat("%08x", key_id_), "+",
                      absl::Base64Escape(key));
}

absl::Status NoteVerifier::VerifySignature(absl::string_view message,
                                           absl::string_view signature) const {
  if (signature.size() != kEd25519SignatureBytes) {
    return absl::FailedPreconditionError(
        absl::StrCat("an Ed25519 signature has ", kEd25519SignatureBytes,
                     " bytes, not ", signature.size()));
  }
  Pkey key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                       Bytes(public_key_), public_key_.size()));
  MdCtx ctx(EVP_MD_CTX_new());
  if (key == nullptr || ctx == nullptr ||
      EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) !=
          1) {
    return absl::InternalError("cannot set up Ed25519 verification");
  }
  if (EVP_DigestVerify(ctx.get(), Bytes(signature), signature.size(),
                       Bytes(message), message.size()) != 1) {
    return absl::FailedPreconditionError(
        absl::StrCat("the signature of key ", key_name_, " does not verify"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> VerifyNote(absl::string_view note,
                                       const NoteVerifier& verifier) {
  absl::StatusOr<SignedNote> parsed = ParseNote(note);
  if (!parsed.ok()) return parsed.status();
  for (const NoteSignature& signature : parsed->signatures) {
    if (signature.key_name != verifier.key_name() ||
        signature.key_id != verifier.key_id()) {
      continue;
    }
    if (absl::Status s =
            verifier.VerifySignature(parsed->text, signature.signature);
        !s.ok()) {
      return s;
    }
    return std::move(parsed->text);
  }
  return absl::FailedPreconditionError(
      absl::StrCat("the note has no signature by key ", verifier.KeyString()));
}

struct NoteSigner::Key {
  Pkey pkey;
};

NoteSigner::NoteSigner(std::unique_ptr<Key> key, NoteVerifier verifier)
    : key_(std::move(key)), verifier_(std::move(verifier)) {}
NoteSigner::NoteSigner(NoteSigner&&) = default;
NoteSigner& NoteSigner::operator=(NoteSigner&&) = default;
NoteSigner::~NoteSigner() = default;

absl::StatusOr<NoteSigner> NoteSigner::FromKey(absl::string_view key_name,
                                               std::unique_ptr<Key> key) {
  if (key->pkey == nullptr ||
      EVP_PKEY_get_base_id(key->pkey.get()) != EVP_PKEY_ED25519) {
    return absl::InvalidArgumentError("the signing key is not an Ed25519 key");
  }
  std::string public_key(kEd25519KeyBytes, '\0');
  size_t length = public_key.size();
  if (EVP_PKEY_get_raw_public_key(
          key->pkey.get(), reinterpret_cast<unsigned char*>(public_key.data()),
          &length) != 1 ||
      length != kEd25519KeyBytes) {
    return absl::InternalError("cannot read the Ed25519 public key");
  }
  absl::StatusOr<NoteVerifier> verifier =
      NoteVerifier::FromPublicKey(key_name, public_key);
  if (!verifier.ok()) return verifier.status();
  return NoteSigner(std::move(key), *std::move(verifier));
}

absl::StatusOr<NoteSigner> NoteSigner::Generate(absl::string_view key_name) {
  auto key = std::make_unique<Key>();
  key->pkey.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (key->pkey == nullptr) {
    return absl::InternalError("cannot generate an Ed25519 key");
  }
  return FromKey(key_name, std::move(key));
}

absl::StatusOr<NoteSigner> NoteSigner::FromSeed(absl::string_view key_name,
                                                absl::string_view seed) {
  if (seed.size() != kEd25519KeyBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("an Ed25519 seed has ", kEd25519KeyBytes, " bytes"));
  }
  auto key = std::make_unique<Key>();
  key->pkey.reset(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                               Bytes(seed), seed.size()));
  return FromKey(key_name, std::move(key));
}

absl::StatusOr<NoteSigner> NoteSigner::FromPem(absl::string_view key_name,
                                               absl::string_view pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (bio == nullptr) return absl::InternalError("cannot read PEM");
  auto key = std::make_unique<Key>();
  key->pkey.reset(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (key->pkey == nullptr) {
    return absl::InvalidArgumentError(
        "the signing key is not a PEM private key");
  }
  return FromKey(key_name, std::move(key));
}

absl::StatusOr<std::string> NoteSigner::ToPem() const {
  Bio bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr ||
      PEM_write_bio_PrivateKey(bio.get(), key_->pkey.get(), nullptr, nullptr, 0,
                               nullptr, nullptr) != 1) {
    return absl::InternalError("cannot encode the signing key as PEM");
  }
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(length));
}

absl::StatusOr<NoteSignature> NoteSigner::Sign(absl::string_view text) const {
  if (text.empty() || text.back() != '\n') {
    return absl::InvalidArgumentError("note text does not end in a newline");
  }
  if (!IsValidUtf8(text)) {
    return absl::InvalidArgumentError("note text is not UTF-8");
  }
  MdCtx ctx(EVP_MD_CTX_new());
  std::string signature(kEd25519SignatureBytes, '\0');
  size_t length = signature.size();
  if (ctx == nullptr ||
      EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr,
                         key_->pkey.get()) != 1 ||
      EVP_DigestSign(ctx.get(),
                     reinterpret_cast<unsigned char*>(signature.data()),
                     &length, Bytes(text), text.size()) != 1 ||
      length != kEd25519SignatureBytes) {
    return absl::InternalError("Ed25519 signing failed");
  }
  return NoteSignature{verifier_.key_name(), verifier_.key_id(),
                       std::move(signature)};
}

absl::StatusOr<std::string> NoteSigner::SignNote(absl::string_view text) const {
  absl::StatusOr<NoteSignature> signature = Sign(text);
  if (!signature.ok()) return signature.status();
  return FormatNote(text, {*signature});
}

}  // namespace gavel::note
