// ExportDecisions' stream: every decision a filter matches, as JSON lines
// or CSV, a chunk of decisions per message, written without blocking a
// gRPC thread (each next chunk from OnWriteDone).
#ifndef GAVEL_SERVICES_DECISION_EXPORT_REACTOR_H_
#define GAVEL_SERVICES_DECISION_EXPORT_REACTOR_H_

#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gavel/v1/portfolio_query_service.pb.h"
#include "grpcpp/support/server_callback.h"
#include "projections/projection_host.h"
#include "services/replay_pool.h"

namespace gavel::services {

// A reactor that finishes with `status` unless it is OK; otherwise streams
// the decisions `request` matches, `chunk_decisions` per message, from the
// decision history as of `as_of` (replayed on `replays`: RESOURCE_EXHAUSTED
// when it is full) or, with no as_of, once the live history has applied
// request.read().min_position (DEADLINE_EXCEEDED, PROJECTION_BEHIND, if it
// has not by `deadline`). INVALID_ENUM for a format other than JSONL or
// CSV. Borrows `host` and `replays`, which must
// outlive the call; the reactor deletes itself when done.
grpc::ServerWriteReactor<gavel::v1::ExportDecisionsChunk>* StartDecisionExport(
    projections::ProjectionHost* host, ReplayPool* replays,
    gavel::v1::ExportDecisionsRequest request, uint32_t chunk_decisions,
    const absl::Status& status, std::optional<uint64_t> as_of,
    absl::Time deadline);

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_DECISION_EXPORT_REACTOR_H_
