// AuditService (proto/gavel/v1/audit_service.proto): signed checkpoints,
// records as stored, and RFC 9162 proofs. Roles auditor or admin.
//
// Not yet: GetInclusionProof by leaf hash (it needs a leaf-hash index in
// the log).
#ifndef GAVEL_SERVICES_AUDIT_SERVICE_H_
#define GAVEL_SERVICES_AUDIT_SERVICE_H_

#include "gavel/v1/audit_service.grpc.pb.h"
#include "services/authenticator.h"
#include "services/checkpointer.h"
#include "storage/event_log.h"
#include "storage/leaf_index.h"

namespace gavel::services {

// Thread-safe. Borrows everything it is given; it must all outlive it.
class AuditService final : public gavel::v1::AuditService::CallbackService {
 public:
  AuditService(const Authenticator* auth, const storage::EventLog* log,
               Checkpointer* checkpointer, const storage::LeafIndex* leaves)
      : auth_(auth), log_(log), checkpointer_(checkpointer), leaves_(leaves) {}

  grpc::ServerUnaryReactor* GetCheckpoint(
      grpc::CallbackServerContext* context,
      const gavel::v1::GetCheckpointRequest* request,
      gavel::v1::GetCheckpointReply* reply) override;

  grpc::ServerUnaryReactor* SignCheckpoint(
      grpc::CallbackServerContext* context,
      const gavel::v1::SignCheckpointRequest* request,
      gavel::v1::SignCheckpointReply* reply) override;

  grpc::ServerWriteReactor<gavel::v1::GetEntriesReply>* GetEntries(
      grpc::CallbackServerContext* context,
      const gavel::v1::GetEntriesRequest* request) override;

  grpc::ServerUnaryReactor* GetInclusionProof(
      grpc::CallbackServerContext* context,
      const gavel::v1::GetInclusionProofRequest* request,
      gavel::v1::GetInclusionProofReply* reply) override;

  grpc::ServerUnaryReactor* GetConsistencyProof(
      grpc::CallbackServerContext* context,
      const gavel::v1::GetConsistencyProofRequest* request,
      gavel::v1::GetConsistencyProofReply* reply) override;

  grpc::ServerUnaryReactor* GetEntryWithProof(
      grpc::CallbackServerContext* context,
      const gavel::v1::GetEntryWithProofRequest* request,
      gavel::v1::GetEntryWithProofReply* reply) override;

 private:
  // OK if the caller is an auditor or admin.
  absl::Status Authorize(const grpc::CallbackServerContext& context,
                         absl::string_view method) const;

  const Authenticator* const auth_;
  const storage::EventLog* const log_;
  Checkpointer* const checkpointer_;
  const storage::LeafIndex* const leaves_;
};

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_AUDIT_SERVICE_H_
