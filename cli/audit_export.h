// Offline replay of a log's records for `gavel audit`: recomputing the RFC
// 9162 root from the records themselves, and the export bundle an auditor
// verifies without the server. Links nothing of the server.
//
// Export bundle: a directory holding two files.
//
//   checkpoint := the signed checkpoint note the records are for, exactly as
//                 the server served it (SignedCheckpoint.note)
//   records    := record{tree_size of that checkpoint}, in leaf order
//   record     := fixed32_be(length) EventRecord bytes (as stored and hashed;
//                 1 <= length <= kMaxExportRecordBytes)
#ifndef GAVEL_CLI_AUDIT_EXPORT_H_
#define GAVEL_CLI_AUDIT_EXPORT_H_

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gavel/v1/event_record.pb.h"
#include "transparency/rfc9162.h"
#include "transparency/signed_note.h"
#include "transparency/tlog_checkpoint.h"

namespace gavel::cli {

inline constexpr char kExportCheckpointFile[] = "checkpoint";
inline constexpr char kExportRecordsFile[] = "records";
// The event log's own bound on one record is far below this.
inline constexpr uint32_t kMaxExportRecordBytes = 16 << 20;

// Recomputes the Merkle tree of a log from its records, fed in leaf order,
// checking that each record names its own position.
class TreeReplay {
 public:
  // Adds `record` as leaf size(). FAILED_PRECONDITION if the bytes are not
  // an EventRecord or the record's position is not size() + 1 (a record
  // missing, repeated or out of order). When `decoded` is not null, it
  // receives the parsed record.
  absl::Status Add(absl::string_view record,
                   gavel::v1::EventRecord* decoded = nullptr);

  // Leaves added so far.
  uint64_t size() const { return frontier_.size(); }

  // The root of the leaves added so far (the empty root for none).
  rfc9162::Hash Root() const { return frontier_.Root(); }

 private:
  rfc9162::Frontier frontier_;
  gavel::v1::EventRecord scratch_;
};

// Writes an export bundle into a new or empty directory.
class ExportWriter {
 public:
  // Creates `dir` if needed. FAILED_PRECONDITION if it already holds a
  // bundle; UNAVAILABLE on I/O errors.
  static absl::StatusOr<std::unique_ptr<ExportWriter>> Create(
      const std::string& dir);
  ~ExportWriter();

  // Appends one record (its stored bytes). INVALID_ARGUMENT if empty or
  // larger than kMaxExportRecordBytes; UNAVAILABLE on I/O errors.
  absl::Status Add(absl::string_view record);

  // Flushes the records to disk, then writes the checkpoint note: a bundle
  // without its checkpoint file is incomplete. UNAVAILABLE on I/O errors.
  absl::Status Finish(absl::string_view checkpoint_note);

 private:
  ExportWriter(std::string dir, std::FILE* records);

  std::string dir_;
  std::FILE* records_;
};

// What VerifyExport found.
struct VerifiedExport {
  note::TlogCheckpoint checkpoint;
  uint64_t records = 0;
};

// Verifies the bundle in `dir` offline: the checkpoint is signed by
// `verifier`, the records are exactly tree_size well-formed records at
// positions 1..tree_size, and the root recomputed from them equals the
// checkpoint's. Calls `visit` (if set) with each record, in order, after it
// has been hashed. NOT_FOUND if a file is missing; FAILED_PRECONDITION
// naming the first problem (bad signature, a record out of place, a
// truncated file, extra bytes, a root mismatch); UNAVAILABLE on I/O errors.
absl::StatusOr<VerifiedExport> VerifyExport(
    const std::string& dir, const note::NoteVerifier& verifier,
    const std::function<void(const gavel::v1::EventRecord&)>& visit = {});

}  // namespace gavel::cli

#endif  // GAVEL_CLI_AUDIT_EXPORT_H_
