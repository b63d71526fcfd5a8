// The one place where absl::Status becomes a gRPC status.
#ifndef GAVEL_SERVICES_GRPC_STATUS_H_
#define GAVEL_SERVICES_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace gavel::services {

// Maps `status` to gRPC with the same code and message, and binary error
// details (gavel.v1.ErrorStatus, wire-compatible with google.rpc.Status)
// holding an ErrorInfo with the machine-readable reason — the domain's
// rejection reason, or one derived from the code for other errors (e.g.
// "STORAGE_UNAVAILABLE", "INTERNAL") — and, when the rejection names a
// field, a BadRequest field violation. Storage failures (DATA_LOSS) are
// reported as INTERNAL.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_GRPC_STATUS_H_
