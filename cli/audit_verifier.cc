#include "cli/audit_verifier.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "transparency/rfc9162.h"

namespace gavel::cli {
namespace {

bool IsHex64(absl::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

absl::Status ErrnoError(absl::string_view what, const std::string& path) {
  return absl::UnavailableError(
      absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

}  // namespace

absl::StatusOr<std::string> ParseHash(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  if (text.empty()) return absl::InvalidArgumentError("empty hash");
  if (IsHex64(text)) {
    absl::StatusOr<rfc9162::Hash> hash = rfc9162::HashFromHex(text);
    if (!hash.ok()) return hash.status();
    return std::string(rfc9162::AsBytes(*hash));
  }
  std::string bytes;
  if (!absl::Base64Unescape(text, &bytes) || bytes.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text, "\" is neither 64 hex digits nor base64"));
  }
  return bytes;
}

absl::StatusOr<std::vector<std::string>> ParseHashList(absl::string_view text) {
  std::vector<std::string> hashes;
  if (absl::StripAsciiWhitespace(text).empty()) return hashes;
  for (absl::string_view item : absl::StrSplit(text, ',')) {
    absl::StatusOr<std::string> hash = ParseHash(item);
    if (!hash.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "proof element ", hashes.size(), ": ", hash.status().message()));
    }
    hashes.push_back(*std::move(hash));
  }
  return hashes;
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) {
      return absl::NotFoundError(absl::StrCat("no such file: ", path));
    }
    return ErrnoError("cannot read", path);
  }
  std::stringstream contents;
  contents << in.rdbuf();
  if (in.bad()) return ErrnoError("cannot read", path);
  return contents.str();
}

absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents) {
  const std::string temp = absl::StrCat(path, ".tmp.", getpid());
  const int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return ErrnoError("cannot create", temp);
  size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n =
        write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      absl::Status error = ErrnoError("cannot write", temp);
      close(fd);
      unlink(temp.c_str());
      return error;
    }
    written += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0) {
    absl::Status error = ErrnoError("cannot sync", temp);
    close(fd);
    unlink(temp.c_str());
    return error;
  }
  close(fd);
  if (rename(temp.c_str(), path.c_str()) != 0) {
    absl::Status error = ErrnoError("cannot rename over", path);
    unlink(temp.c_str());
    return error;
  }
  return absl::OkStatus();
}

absl::StatusOr<note::NoteVerifier> ReadVerifierKeyFile(
    const std::string& path) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  absl::StatusOr<note::NoteVerifier> verifier =
      note::NoteVerifier::FromKeyString(*text);
  if (!verifier.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "key file ", path,
        " holds no valid verifier key: ", verifier.status().message()));
  }
  return verifier;
}

absl::StatusOr<std::optional<note::NoteVerifier>> ReadOptionalVerifierKeyFile(
    const std::string& path) {
  if (path.empty()) return std::nullopt;
  absl::StatusOr<note::NoteVerifier> read = ReadVerifierKeyFile(path);
  if (!read.ok()) return read.status();
  return std::optional<note::NoteVerifier>(*std::move(read));
}

absl::StatusOr<note::TlogCheckpoint> VerifySignedCheckpoint(
    absl::string_view note, const note::NoteVerifier& verifier) {
  return note::VerifyCheckpoint(note, verifier.key_name(), verifier);
}

absl::StatusOr<std::optional<note::TlogCheckpoint>> ReadTrustedCheckpoint(
    const std::string& path, const note::NoteVerifier& verifier) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (absl::IsNotFound(text.status())) {
    return std::optional<note::TlogCheckpoint>();
  }
  if (!text.ok()) return text.status();
  absl::StatusOr<note::TlogCheckpoint> checkpoint =
      VerifySignedCheckpoint(*text, verifier);
  if (!checkpoint.ok()) {
    return absl::Status(
        checkpoint.status().code(),
        absl::StrCat("state file ", path,
                     " does not hold a checkpoint of this log signed by this "
                     "key: ",
                     checkpoint.status().message()));
  }
  return std::optional<note::TlogCheckpoint>(*std::move(checkpoint));
}

absl::Status CheckFresh(const note::TlogCheckpoint& checkpoint,
                        std::optional<absl::Duration> max_age, absl::Time now) {
  if (!max_age.has_value()) return absl::OkStatus();
  absl::StatusOr<std::optional<absl::Time>> signed_at =
      note::SignedAt(checkpoint);
  if (!signed_at.ok()) return signed_at.status();
  if (!signed_at->has_value()) {
    return absl::FailedPreconditionError(
        "the checkpoint carries no signing time, and --max_age_s asks for "
        "one");
  }
  const absl::Duration age = now - **signed_at;
  if (age > *max_age) {
    return absl::FailedPreconditionError(
        absl::StrCat("the checkpoint was signed ", absl::FormatDuration(age),
                     " ago, longer than --max_age_s allows (",
                     absl::FormatDuration(*max_age),
                     "): a stale copy, or a server that "
                     "stopped signing"));
  }
  return absl::OkStatus();
}

absl::Status CheckConsistentAdvance(
    const note::TlogCheckpoint& trusted, const note::TlogCheckpoint& latest,
    absl::Span<const std::string> consistency_proof) {
  if (trusted.origin != latest.origin) {
    return absl::FailedPreconditionError(
        absl::StrCat("the trusted checkpoint is for log \"", trusted.origin,
                     "\", the new one for \"", latest.origin, "\""));
  }
  if (latest.tree_size < trusted.tree_size) {
    return absl::FailedPreconditionError(
        absl::StrCat("the log shrank: trusted size ", trusted.tree_size,
                     ", new checkpoint size ", latest.tree_size));
  }
  if (absl::Status status = rfc9162::VerifyConsistencyBytes(
          trusted.tree_size, latest.tree_size, rfc9162::AsBytes(trusted.root),
          rfc9162::AsBytes(latest.root), consistency_proof);
      !status.ok()) {
    return absl::Status(
        status.code(),
        absl::StrCat("the new checkpoint (size ", latest.tree_size,
                     ") is not consistent with the trusted one (size ",
                     trusted.tree_size, "): ", status.message()));
  }
  return absl::OkStatus();
}

}  // namespace gavel::cli
