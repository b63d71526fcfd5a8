#include "services/audit_service.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "domain/reasons.h"
#include "domain/rejection.h"
#include "services/chunked_write_reactor.h"
#include "services/grpc_status.h"
#include "transparency/signed_note.h"
#include "transparency/tlog_checkpoint.h"

namespace gavel::services {
namespace {

using gavel::v1::GetEntriesReply;
using Hashes = google::protobuf::RepeatedPtrField<std::string>;

// Entries per GetEntries message, and the byte budget of one message.
constexpr uint32_t kMaxPageSize = 1000;
constexpr size_t kMaxEntriesBytes = 1 << 20;
// Longest wait for the leaf hash index to reach a requested tree size.
constexpr absl::Duration kLeafIndexWait = absl::Seconds(2);

absl::Status BadArgument(absl::string_view field, absl::string_view message) {
  return domain::Reject(domain::kCodeInvalidArgument, field, message);
}

absl::Status CheckTreeSize(uint64_t size, uint64_t head,
                           absl::string_view field) {
  if (size <= head) return absl::OkStatus();
  return BadArgument(field, absl::StrCat(field, " ", size,
                                         " is beyond the log's head ", head));
}

void AddHashes(const std::vector<rfc9162::Hash>& hashes, Hashes* out) {
  for (const rfc9162::Hash& hash : hashes) {
    out->Add(std::string(rfc9162::AsBytes(hash)));
  }
}

// The stored checkpoint of `tree_size`, or the latest when it is absent.
absl::Status FindCheckpoint(const storage::EventLog& log,
                            std::optional<uint64_t> tree_size,
                            gavel::v1::SignedCheckpoint* out) {
  StoredCheckpoint stored;
  if (tree_size.has_value()) {
    absl::StatusOr<std::string> note = log.GetCheckpoint(*tree_size);
    if (!note.ok()) return note.status();
    stored = StoredCheckpoint{*tree_size, *std::move(note)};
  } else {
    absl::StatusOr<std::optional<std::pair<uint64_t, std::string>>> latest =
        log.LatestCheckpoint();
    if (!latest.ok()) return latest.status();
    if (!latest->has_value()) {
      return absl::NotFoundError("the log has no checkpoint yet");
    }
    stored = StoredCheckpoint{(*latest)->first, std::move((*latest)->second)};
  }
  absl::StatusOr<note::SignedNote> parsed = note::ParseNote(stored.note);
  absl::StatusOr<note::TlogCheckpoint> checkpoint =
      parsed.ok() ? note::ParseCheckpoint(parsed->text) : parsed.status();
  if (!checkpoint.ok()) {
    return absl::DataLossError(
        absl::StrCat("the stored checkpoint of tree size ", stored.tree_size,
                     " is malformed: ", checkpoint.status().message()));
  }
  out->set_note(std::move(stored.note));
  out->set_origin(checkpoint->origin);
  out->set_tree_size(checkpoint->tree_size);
  out->set_root_hash(std::string(rfc9162::AsBytes(checkpoint->root)));
  return absl::OkStatus();
}

absl::Status InclusionProof(const storage::EventLog& log, uint64_t leaf_index,
                            uint64_t tree_size, Hashes* out) {
  if (leaf_index >= tree_size) {
    return BadArgument("leaf_index",
                       absl::StrCat("leaf_index ", leaf_index,
                                    " is not below the tree size ", tree_size));
  }
  absl::StatusOr<std::vector<rfc9162::Hash>> proof =
      log.InclusionProof(leaf_index, tree_size);
  if (!proof.ok()) return proof.status();
  AddHashes(*proof, out);
  return absl::OkStatus();
}

absl::Status ConsistencyProof(const storage::EventLog& log, uint64_t size1,
                              uint64_t size2, absl::string_view field1,
                              Hashes* out) {
  if (size1 > size2) {
    return BadArgument(field1,
                       absl::StrCat(field1, " ", size1,
                                    " is larger than the tree size ", size2));
  }
  absl::StatusOr<std::vector<rfc9162::Hash>> proof =
      log.ConsistencyProof(size1, size2);
  if (!proof.ok()) return proof.status();
  AddHashes(*proof, out);
  return absl::OkStatus();
}

absl::Status ProveEntry(const storage::EventLog& log,
                        const gavel::v1::GetEntryWithProofRequest& req,
                        gavel::v1::GetEntryWithProofReply* reply) {
  if (absl::Status s = FindCheckpoint(
          log,
          req.has_tree_size() ? std::optional<uint64_t>(req.tree_size())
                              : std::nullopt,
          reply->mutable_checkpoint());
      !s.ok()) {
    return s;
  }
  const uint64_t size = reply->checkpoint().tree_size();
  if (req.leaf_index() >= size) {
    return BadArgument(
        "leaf_index",
        absl::StrCat("leaf_index ", req.leaf_index(),
                     " is not below the checkpoint's tree size ", size));
  }
  absl::StatusOr<storage::StoredEvent> record =
      log.ReadAt(req.leaf_index() + 1);
  if (!record.ok()) return record.status();
  reply->mutable_entry()->set_leaf_index(req.leaf_index());
  reply->mutable_entry()->set_record(std::move(record->bytes));
  if (absl::Status s = InclusionProof(log, req.leaf_index(), size,
                                      reply->mutable_inclusion_proof());
      !s.ok()) {
    return s;
  }
  if (!req.has_trusted_size()) return absl::OkStatus();
  return ConsistencyProof(log, req.trusted_size(), size, "trusted_size",
                          reply->mutable_consistency_proof());
}

// Streams the entries [start, end) in messages of at most `page_size`
// entries and about kMaxEntriesBytes.
class EntriesWriter final : public ChunkedWriteReactor<GetEntriesReply> {
 public:
  // Finishes with `status` at once unless it is OK.
  EntriesWriter(const storage::EventLog* log, const absl::Status& status,
                uint64_t start, uint64_t end, uint32_t page_size)
      : log_(log), next_(start), end_(end), page_size_(page_size) {
    if (!status.ok()) {
      Finish(ToGrpcStatus(status));
      return;
    }
    WriteNext();
  }

 private:
  void WriteNext() override {
    if (next_ >= end_) {
      Finish(grpc::Status::OK);
      return;
    }
    absl::StatusOr<std::vector<storage::StoredEvent>> records =
        log_->ReadAll(next_ + 1, std::min<uint64_t>(page_size_, end_ - next_));
    if (!records.ok()) {
      Finish(ToGrpcStatus(records.status()));
      return;
    }
    reply_.Clear();
    size_t bytes = 0;
    for (storage::StoredEvent& record : *records) {
      if (reply_.entries_size() > 0 &&
          bytes + record.bytes.size() > kMaxEntriesBytes) {
        break;
      }
      if (record.position != next_ + 1) break;
      bytes += record.bytes.size();
      gavel::v1::Entry* entry = reply_.add_entries();
      entry->set_leaf_index(next_);
      entry->set_record(std::move(record.bytes));
      ++next_;
    }
    if (reply_.entries_size() == 0) {
      Finish(ToGrpcStatus(absl::DataLossError(
          absl::StrCat("the record at position ", next_ + 1, " is missing"))));
      return;
    }
    StartWrite(&reply_);
  }

  const storage::EventLog* const log_;
  uint64_t next_;
  const uint64_t end_;
  const uint32_t page_size_;
  // Alive until OnWriteDone.
  GetEntriesReply reply_;
};

}  // namespace

absl::Status AuditService::Authorize(const grpc::CallbackServerContext& context,
                                     absl::string_view method) const {
  return auth_
      ->Authorize(context, absl::StrCat("/gavel.v1.AuditService/", method))
      .status();
}

grpc::ServerUnaryReactor* AuditService::GetCheckpoint(
    grpc::CallbackServerContext* context,
    const gavel::v1::GetCheckpointRequest* request,
    gavel::v1::GetCheckpointReply* reply) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::Status status = Authorize(*context, "GetCheckpoint");
  if (status.ok()) {
    status = FindCheckpoint(*log_,
                            request->has_tree_size()
                                ? std::optional<uint64_t>(request->tree_size())
                                : std::nullopt,
                            reply->mutable_checkpoint());
  }
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

grpc::ServerUnaryReactor* AuditService::SignCheckpoint(
    grpc::CallbackServerContext* context,
    const gavel::v1::SignCheckpointRequest*,
    gavel::v1::SignCheckpointReply* reply) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (absl::Status s = Authorize(*context, "SignCheckpoint"); !s.ok()) {
    reactor->Finish(ToGrpcStatus(s));
    return reactor;
  }
  checkpointer_->Request([this, reactor,
                          reply](absl::StatusOr<StoredCheckpoint> stored) {
    absl::Status status = stored.status();
    if (status.ok()) {
      status =
          FindCheckpoint(*log_, stored->tree_size, reply->mutable_checkpoint());
    }
    reactor->Finish(ToGrpcStatus(status));
  });
  return reactor;
}

grpc::ServerWriteReactor<GetEntriesReply>* AuditService::GetEntries(
    grpc::CallbackServerContext* context,
    const gavel::v1::GetEntriesRequest* request) {
  absl::Status status = Authorize(*context, "GetEntries");
  if (status.ok() && request->start_index() >= request->end_index()) {
    status = BadArgument("start_index", "start_index must be below end_index");
  }
  if (status.ok()) {
    status = CheckTreeSize(request->end_index(), log_->Head(), "end_index");
  }
  const uint32_t page_size = request->page_size() == 0
                                 ? kMaxPageSize
                                 : std::min(request->page_size(), kMaxPageSize);
  return new EntriesWriter(log_, status, request->start_index(),
                           request->end_index(), page_size);
}

grpc::ServerUnaryReactor* AuditService::GetInclusionProof(
    grpc::CallbackServerContext* context,
    const gavel::v1::GetInclusionProofRequest* request,
    gavel::v1::GetInclusionProofReply* reply) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::Status status = Authorize(*context, "GetInclusionProof");
  if (status.ok()) {
    status = CheckTreeSize(request->tree_size(), log_->Head(), "tree_size");
  }
  uint64_t leaf_index = request->leaf_index();
  if (status.ok() && !request->leaf_hash().empty()) {
    absl::StatusOr<rfc9162::Hash> hash =
        rfc9162::HashFromBytes(request->leaf_hash());
    if (!hash.ok()) {
      status = BadArgument("leaf_hash", "a leaf hash is 32 bytes");
    } else {
      // The index trails the head by milliseconds; never wait past the
      // call's deadline, nor long on a callback thread.
      const absl::Time deadline = std::min(
          absl::FromChrono(context->deadline()), absl::Now() + kLeafIndexWait);
      absl::StatusOr<uint64_t> found =
          leaves_->Find(*hash, request->tree_size(), deadline);
      if (found.ok()) {
        leaf_index = *found;
      } else {
        status = found.status();
      }
    }
  }
  if (status.ok()) {
    status = InclusionProof(*log_, leaf_index, request->tree_size(),
                            reply->mutable_proof());
  }
  if (status.ok()) {
    reply->set_leaf_index(leaf_index);
    reply->set_tree_size(request->tree_size());
  }
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

grpc::ServerUnaryReactor* AuditService::GetConsistencyProof(
    grpc::CallbackServerContext* context,
    const gavel::v1::GetConsistencyProofRequest* request,
    gavel::v1::GetConsistencyProofReply* reply) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::Status status = Authorize(*context, "GetConsistencyProof");
  if (status.ok()) {
    status = CheckTreeSize(request->second_size(), log_->Head(), "second_size");
  }
  if (status.ok()) {
    status =
        ConsistencyProof(*log_, request->first_size(), request->second_size(),
                         "first_size", reply->mutable_proof());
  }
  if (status.ok()) {
    reply->set_first_size(request->first_size());
    reply->set_second_size(request->second_size());
  }
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

grpc::ServerUnaryReactor* AuditService::GetEntryWithProof(
    grpc::CallbackServerContext* context,
    const gavel::v1::GetEntryWithProofRequest* request,
    gavel::v1::GetEntryWithProofReply* reply) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::Status status = Authorize(*context, "GetEntryWithProof");
  if (status.ok()) status = ProveEntry(*log_, *request, reply);
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

}  // namespace gavel::services
