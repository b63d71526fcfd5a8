#include "cli/audit_export.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli/audit_verifier.h"

namespace gavel::cli {
namespace {

std::string JoinPath(const std::string& dir, absl::string_view file) {
  return (std::filesystem::path(dir) / std::string(file)).string();
}

absl::Status IoError(absl::string_view what, const std::string& path) {
  return absl::UnavailableError(
      absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

void PutFixed32BE(uint32_t value, char out[4]) {
  out[0] = static_cast<char>(value >> 24);
  out[1] = static_cast<char>(value >> 16);
  out[2] = static_cast<char>(value >> 8);
  out[3] = static_cast<char>(value);
}

uint32_t DecodeFixed32BE(const unsigned char in[4]) {
  return (uint32_t{in[0]} << 24) | (uint32_t{in[1]} << 16) |
         (uint32_t{in[2]} << 8) | uint32_t{in[3]};
}

}  // namespace

absl::Status TreeReplay::Add(absl::string_view record,
                             gavel::v1::EventRecord* decoded) {
  gavel::v1::EventRecord& parsed = decoded != nullptr ? *decoded : scratch_;
  const uint64_t index = frontier_.size();
  if (!parsed.ParseFromArray(record.data(), static_cast<int>(record.size()))) {
    return absl::FailedPreconditionError(
        absl::StrCat("leaf ", index, " is not an event record"));
  }
  if (parsed.position() != index + 1) {
    return absl::FailedPreconditionError(absl::StrCat(
        "leaf ", index, " holds the record of position ", parsed.position(),
        " where position ", index + 1,
        " belongs: a record is missing, repeated or out of order"));
  }
  frontier_.Append(rfc9162::HashLeaf(record));
  return absl::OkStatus();
}

ExportWriter::ExportWriter(std::string dir, std::FILE* records)
    : dir_(std::move(dir)), records_(records) {}

ExportWriter::~ExportWriter() {
  if (records_ != nullptr) std::fclose(records_);
}

absl::StatusOr<std::unique_ptr<ExportWriter>> ExportWriter::Create(
    const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot create ", dir, ": ", error.message()));
  }
  for (const char* file : {kExportCheckpointFile, kExportRecordsFile}) {
    if (std::filesystem::exists(JoinPath(dir, file))) {
      return absl::FailedPreconditionError(
          absl::StrCat(dir, " already holds an export (", file, ")"));
    }
  }
  const std::string path = JoinPath(dir, kExportRecordsFile);
  std::FILE* records = std::fopen(path.c_str(), "wbx");
  if (records == nullptr) return IoError("cannot create", path);
  return std::unique_ptr<ExportWriter>(new ExportWriter(dir, records));
}

absl::Status ExportWriter::Add(absl::string_view record) {
  if (record.empty() || record.size() > kMaxExportRecordBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a record of ", record.size(), " bytes cannot be exported"));
  }
  char length[4];
  PutFixed32BE(static_cast<uint32_t>(record.size()), length);
  if (std::fwrite(length, 1, 4, records_) != 4 ||
      std::fwrite(record.data(), 1, record.size(), records_) != record.size()) {
    return IoError("cannot write", JoinPath(dir_, kExportRecordsFile));
  }
  return absl::OkStatus();
}

absl::Status ExportWriter::Finish(absl::string_view checkpoint_note) {
  const std::string path = JoinPath(dir_, kExportRecordsFile);
  if (std::fflush(records_) != 0 || fsync(fileno(records_)) != 0) {
    return IoError("cannot flush", path);
  }
  std::FILE* records = std::exchange(records_, nullptr);
  if (std::fclose(records) != 0) return IoError("cannot close", path);
  return WriteFileAtomically(JoinPath(dir_, kExportCheckpointFile),
                             checkpoint_note);
}

absl::StatusOr<VerifiedExport> VerifyExport(
    const std::string& dir, const note::NoteVerifier& verifier,
    const std::function<void(const gavel::v1::EventRecord&)>& visit) {
  absl::StatusOr<std::string> note =
      ReadWholeFile(JoinPath(dir, kExportCheckpointFile));
  if (!note.ok()) return note.status();
  absl::StatusOr<note::TlogCheckpoint> checkpoint =
      VerifySignedCheckpoint(*note, verifier);
  if (!checkpoint.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the export's checkpoint: ", checkpoint.status().message()));
  }

  const std::string path = JoinPath(dir, kExportRecordsFile);
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    if (errno == ENOENT) {
      return absl::NotFoundError(absl::StrCat("no such file: ", path));
    }
    return IoError("cannot read", path);
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(file, &std::fclose);
  std::setvbuf(file, nullptr, _IOFBF, 1 << 20);

  TreeReplay replay;
  gavel::v1::EventRecord record;
  std::string bytes;
  while (true) {
    unsigned char length_bytes[4];
    const size_t got = std::fread(length_bytes, 1, 4, file);
    if (got == 0 && std::feof(file)) break;
    if (got != 4) {
      if (std::ferror(file)) return IoError("cannot read", path);
      return absl::FailedPreconditionError(absl::StrCat(
          path, " is truncated after ", replay.size(), " records"));
    }
    const uint32_t length = DecodeFixed32BE(length_bytes);
    if (length == 0 || length > kMaxExportRecordBytes) {
      return absl::FailedPreconditionError(absl::StrCat(
          path, ": record ", replay.size(), " claims ", length, " bytes"));
    }
    if (replay.size() == checkpoint->tree_size) {
      return absl::FailedPreconditionError(
          absl::StrCat(path, " holds more records than the checkpoint's ",
                       checkpoint->tree_size));
    }
    bytes.resize(length);
    if (std::fread(bytes.data(), 1, length, file) != length) {
      if (std::ferror(file)) return IoError("cannot read", path);
      return absl::FailedPreconditionError(
          absl::StrCat(path, " is truncated inside record ", replay.size()));
    }
    if (absl::Status status = replay.Add(bytes, &record); !status.ok()) {
      return status;
    }
    if (visit) visit(record);
  }
  if (replay.size() != checkpoint->tree_size) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, " holds ", replay.size(), " records but the checkpoint covers ",
        checkpoint->tree_size));
  }
  if (replay.Root() != checkpoint->root) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the root recomputed from ", replay.size(), " records (",
        rfc9162::ToHex(replay.Root()),
        ") differs from the signed checkpoint's (",
        rfc9162::ToHex(checkpoint->root), "): the records were altered"));
  }
  return VerifiedExport{*std::move(checkpoint), replay.size()};
}

}  // namespace gavel::cli
