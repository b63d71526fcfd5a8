// Seals over the projections' stored snapshots, so that a model edited on
// disk is never served. The projection store is derived data outside the
// Merkle tree: without a seal, whoever could write its files could make
// ListDecisions, GetDecision, ExportDecisions or an as_of query answer with
// a decision the log never recorded. Each checkpoint and history snapshot
// is stored with a seal, a signed note (the server's checkpoint key) over
//
//   seal_text := "gavel projection snapshot\n" name "\n" position "\n"
//                base64(log root at position) "\n"
//                base64(SHA-256(stored value)) "\n"
//
// so the seal ties the bytes to one projection, one position and the log
// itself: a snapshot from another log, an edited byte, or a snapshot moved
// to another position or name fails it.
#ifndef GAVEL_PROJECTIONS_SNAPSHOT_SEAL_H_
#define GAVEL_PROJECTIONS_SNAPSHOT_SEAL_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "transparency/rfc9162.h"

namespace gavel::projections {

// Signs and opens seals; the server's implementation uses its checkpoint
// signing key. Implementations are thread-safe.
class SnapshotSealer {
 public:
  virtual ~SnapshotSealer() = default;
  // The signed note of `text` (which ends in "\n").
  virtual absl::StatusOr<std::string> Sign(absl::string_view text) const = 0;
  // The text of `note` when its signature verifies; FAILED_PRECONDITION or
  // INVALID_ARGUMENT otherwise.
  virtual absl::StatusOr<std::string> Open(absl::string_view note) const = 0;
};

// The seal text of `value`, stored for projection `name` at `position` of a
// log whose root at that position is `root` (grammar above).
std::string SealText(absl::string_view name, uint64_t position,
                     const rfc9162::Hash& root, absl::string_view value);

// OK when `seal` is a seal by `sealer` of exactly SealText(name, position,
// root, value); FAILED_PRECONDITION (naming what differs) otherwise.
absl::Status CheckSeal(const SnapshotSealer& sealer, absl::string_view seal,
                       absl::string_view name, uint64_t position,
                       const rfc9162::Hash& root, absl::string_view value);

}  // namespace gavel::projections

#endif  // GAVEL_PROJECTIONS_SNAPSHOT_SEAL_H_
