// Reading a range of the event log once and handing the decoded records to
// several consumers ("lanes"), each on its own thread: the calling thread
// reads, decodes and runs lane 0; lanes 1.. run on threads of their own,
// one batch behind at most kLogFoldSlots - 1 batches. Each lane sees every
// batch, in order, exactly once; lanes never see a batch being decoded.
//
// When lane 0 is empty (the calling thread only reads) and there is one
// other lane, decoding is shared: while that lane has nothing left to
// apply, the reading thread leaves the payloads of the second half of the
// batch it reads undecoded, and the lane decodes them before applying the
// batch. The busier thread decodes less, so neither waits on the other.
#ifndef GAVEL_PROJECTIONS_LOG_FOLD_H_
#define GAVEL_PROJECTIONS_LOG_FOLD_H_

#include <cstddef>
#include <cstdint>
#include <functional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "projections/domain_event.h"
#include "storage/event_log.h"

namespace gavel::projections {

// Batches decoded ahead of the slowest lane, plus the one being decoded.
inline constexpr size_t kLogFoldSlots = 4;

// Consumes one batch of decoded records; an error stops the fold.
using LogFoldLane = std::function<absl::Status(const EventBatch& batch)>;

// Reads records [from, to] of `log` in batches of `batch_events` and calls
// every lane with each batch, in position order (lane 0 on the calling
// thread, the others on threads started here and joined before
// returning). Returns recorded_at of the last record (InfinitePast when
// from > to); the first error of the log (DATA_LOSS when a record is
// missing or does not decode) or of a lane, after every lane has stopped.
// `lanes` must not be empty; lanes[0] may be an empty function (the
// calling thread runs no lane); lanes must not share mutable state.
absl::StatusOr<absl::Time> FoldLog(const storage::EventLog& log, uint64_t from,
                                   uint64_t to,
                                   absl::Span<const LogFoldLane> lanes,
                                   size_t batch_events);

}  // namespace gavel::projections

#endif  // GAVEL_PROJECTIONS_LOG_FOLD_H_
