#include "services/checkpoint_signer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace gavel::services {
namespace {

std::string PathIn(absl::string_view dir, absl::string_view name) {
  return (std::filesystem::path(std::string(dir)) / std::string(name)).string();
}

absl::Status ErrnoError(absl::string_view what, absl::string_view path) {
  return absl::UnavailableError(
      absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

// Writes `contents` to `path` atomically and durably (temp file, fsync,
// rename, fsync of the directory), with permissions `mode`.
absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents, mode_t mode) {
  const std::string temp = path + ".tmp";
  ::unlink(temp.c_str());
  const int fd =
      ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return ErrnoError("cannot create", temp);
  size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n =
        ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      absl::Status error = ErrnoError("cannot write", temp);
      ::close(fd);
      return error;
    }
    written += static_cast<size_t>(n);
  }
  if (::fchmod(fd, mode) != 0 || ::fsync(fd) != 0) {
    absl::Status error = ErrnoError("cannot sync", temp);
    ::close(fd);
    return error;
  }
  ::close(fd);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    return ErrnoError("cannot rename into", path);
  }
  const std::string dir = std::filesystem::path(path).parent_path().string();
  const int dir_fd = ::open(dir.empty() ? "." : dir.c_str(),
                            O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return ErrnoError("cannot open", dir);
  const int synced = ::fsync(dir_fd);
  ::close(dir_fd);
  if (synced != 0) return ErrnoError("cannot sync", dir);
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadKeyFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read the signing key file ", path));
  }
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

absl::StatusOr<note::NoteSigner> LoadOrGenerate(absl::string_view origin,
                                                absl::string_view data_dir,
                                                absl::string_view key_file) {
  const std::string path = key_file.empty()
                               ? PathIn(data_dir, kSigningKeyFileName)
                               : std::string(key_file);
  if (key_file.empty() && !std::filesystem::exists(path)) {
    // A verifier key without its private key: a data directory restored
    // from a backup that left the key out. A new key would not verify the
    // log's checkpoints; the operator gives the one they keep.
    const std::string pub = PathIn(data_dir, kVerifierKeyFileName);
    if (std::filesystem::exists(pub)) {
      return absl::FailedPreconditionError(absl::StrCat(
          pub, " names the key that signed this log's checkpoints, but ", path,
          " is not there (a backup restored without it): start with "
          "--signing_key=<that key's file>"));
    }
    absl::StatusOr<note::NoteSigner> signer =
        note::NoteSigner::Generate(origin);
    if (!signer.ok()) return signer.status();
    absl::StatusOr<std::string> pem = signer->ToPem();
    if (!pem.ok()) return pem.status();
    if (absl::Status s = WriteFileAtomically(path, *pem, 0600); !s.ok()) {
      return s;
    }
    return signer;
  }
  absl::StatusOr<std::string> pem = ReadKeyFile(path);
  if (!pem.ok()) return pem.status();
  absl::StatusOr<note::NoteSigner> signer =
      note::NoteSigner::FromPem(origin, *pem);
  if (!signer.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(signer.status().message(), ": ", path));
  }
  return signer;
}

}  // namespace

absl::StatusOr<std::unique_ptr<CheckpointSigner>> CheckpointSigner::Open(
    absl::string_view origin, absl::string_view data_dir,
    absl::string_view key_file) {
  if (!note::IsValidKeyName(origin)) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid log origin \"", origin,
                     "\": it names the signing key, so it must be non-empty "
                     "UTF-8 without spaces or '+'"));
  }
  absl::StatusOr<note::NoteSigner> signer =
      LoadOrGenerate(origin, data_dir, key_file);
  if (!signer.ok()) return signer.status();
  const std::string pub = PathIn(data_dir, kVerifierKeyFileName);
  if (absl::Status s = WriteFileAtomically(
          pub, absl::StrCat(signer->verifier().KeyString(), "\n"), 0644);
      !s.ok()) {
    return s;
  }
  return FromSigner(*std::move(signer));
}

std::unique_ptr<CheckpointSigner> CheckpointSigner::FromSigner(
    note::NoteSigner signer) {
  return std::unique_ptr<CheckpointSigner>(
      new CheckpointSigner(std::move(signer)));
}

absl::StatusOr<std::string> CheckpointSigner::Sign(
    uint64_t tree_size, absl::Time signed_at, const rfc9162::Hash& root) const {
  note::TlogCheckpoint checkpoint;
  checkpoint.origin = origin();
  checkpoint.tree_size = tree_size;
  checkpoint.root = root;
  checkpoint.extensions.push_back(note::TimeExtension(signed_at));
  return signer_.SignNote(note::FormatCheckpoint(checkpoint));
}

absl::StatusOr<note::TlogCheckpoint> CheckpointSigner::Verify(
    absl::string_view note) const {
  return note::VerifyCheckpoint(note, origin(), verifier());
}

absl::StatusOr<std::string> CheckpointSigner::Sign(
    absl::string_view text) const {
  return signer_.SignNote(text);
}

absl::StatusOr<std::string> CheckpointSigner::Open(
    absl::string_view note) const {
  return note::VerifyNote(note, verifier());
}

}  // namespace gavel::services
