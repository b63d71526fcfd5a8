#include "services/decision_export_reactor.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/reasons.h"
#include "domain/rejection.h"
#include "projections/decision_export.h"
#include "projections/decision_history_projection.h"
#include "services/chunked_write_reactor.h"
#include "services/grpc_status.h"
#include "services/read_options.h"

namespace gavel::services {
namespace {

using projections::DecisionHistoryProjection;

// Streams the matching decisions, export_chunk_decisions per message. The
// matching decisions' indexes are fixed when the export starts (the
// history only grows, and a rebuild reproduces it); an as_of export keeps
// its replayed projection.
class DecisionExportReactor final
    : public ChunkedWriteReactor<gavel::v1::ExportDecisionsChunk> {
 public:
  DecisionExportReactor(projections::ProjectionHost* host, ReplayPool* replays,
                        gavel::v1::ExportDecisionsRequest request,
                        uint32_t chunk)
      : host_(host),
        replays_(replays),
        request_(std::move(request)),
        chunk_(chunk) {}

  // Finishes with `status` unless it is OK; otherwise starts (or waits for
  // min_position, then starts).
  void Start(const absl::Status& status, std::optional<uint64_t> as_of,
             absl::Time deadline) {
    if (!status.ok()) {
      Finish(ToGrpcStatus(status));
      return;
    }
    if (request_.format() != gavel::v1::EXPORT_FORMAT_JSONL &&
        request_.format() != gavel::v1::EXPORT_FORMAT_CSV) {
      Finish(ToGrpcStatus(domain::Reject(domain::kInvalidEnum, "format",
                                         "format must be JSONL or CSV")));
      return;
    }
    absl::StatusOr<projections::DecisionQuery> query =
        DecisionQueryOf(request_.filter());
    if (!query.ok()) {
      Finish(ToGrpcStatus(query.status()));
      return;
    }
    query_ = *query;
    if (as_of.has_value()) {
      // Replayed on the replay pool, never on this gRPC thread.
      absl::Status queued = replays_->Submit(
          [this, position = *as_of]() {
            absl::StatusOr<std::unique_ptr<projections::Projection>> then =
                host_->ProjectAt(projections::kDecisionHistoryProjection,
                                 position);
            if (!then.ok()) {
              Finish(ToGrpcStatus(then.status()));
              return;
            }
            frozen_ = *std::move(then);
            Begin();
          },
          [this]() {
            Finish(
                ToGrpcStatus(absl::UnavailableError("the server is stopping")));
          });
      if (!queued.ok()) Finish(ToGrpcStatus(queued));
      return;
    }
    const uint64_t wanted = request_.read().min_position();
    host_->NotifyWhenApplied(wanted, deadline, [this, wanted](bool reached) {
      if (!reached) {
        Finish(ToGrpcStatus(domain::Reject(
            domain::kProjectionBehind, "read.min_position",
            absl::StrCat("the projections had not applied position ", wanted,
                         " by the deadline"))));
        return;
      }
      Begin();
    });
  }

 private:
  // Runs `fn` with the exported projection.
  absl::Status With(
      const std::function<void(const DecisionHistoryProjection&)>& fn) {
    if (frozen_ != nullptr) {
      fn(static_cast<const DecisionHistoryProjection&>(*frozen_));
      return absl::OkStatus();
    }
    return host_->Read(projections::kDecisionHistoryProjection,
                       [&](const projections::Projection& p, uint64_t) {
                         fn(static_cast<const DecisionHistoryProjection&>(p));
                       });
  }

  void Begin() {
    absl::Status s = With([this](const DecisionHistoryProjection& p) {
      for (int i = 0; i < p.size(); ++i) {
        if (p.Matches(i, query_)) matched_.push_back(i);
      }
    });
    if (!s.ok()) {
      Finish(ToGrpcStatus(s));
      return;
    }
    WriteNext();
  }

  void WriteNext() override {
    if (next_ >= matched_.size() && header_written_) {
      Finish(grpc::Status::OK);
      return;
    }
    chunk_message_.Clear();
    std::string data;
    if (!header_written_) {
      header_written_ = true;
      if (request_.format() == gavel::v1::EXPORT_FORMAT_CSV) {
        data = projections::DecisionCsvHeader();
      }
    }
    absl::Status failure;
    const size_t end = std::min(matched_.size(), next_ + chunk_);
    absl::Status s = With([&](const DecisionHistoryProjection& p) {
      for (size_t k = next_; k < end; ++k) {
        const gavel::v1::DecisionRecord d = p.Decision(matched_[k]);
        if (request_.format() == gavel::v1::EXPORT_FORMAT_CSV) {
          data += projections::DecisionCsvLine(d);
        } else {
          absl::StatusOr<std::string> line = projections::DecisionJsonLine(d);
          if (!line.ok()) {
            failure = line.status();
            return;
          }
          data += *line;
        }
      }
    });
    if (s.ok()) s = failure;
    if (!s.ok()) {
      Finish(ToGrpcStatus(s));
      return;
    }
    chunk_message_.set_decisions(end - next_);
    next_ = end;
    if (data.empty()) {
      Finish(grpc::Status::OK);
      return;
    }
    chunk_message_.set_data(std::move(data));
    StartWrite(&chunk_message_);
  }

  projections::ProjectionHost* const host_;
  ReplayPool* const replays_;
  const gavel::v1::ExportDecisionsRequest request_;
  const uint32_t chunk_;
  projections::DecisionQuery query_;
  std::unique_ptr<projections::Projection> frozen_;
  std::vector<int> matched_;
  size_t next_ = 0;
  bool header_written_ = false;
  // Alive until OnWriteDone.
  gavel::v1::ExportDecisionsChunk chunk_message_;
};

}  // namespace

grpc::ServerWriteReactor<gavel::v1::ExportDecisionsChunk>* StartDecisionExport(
    projections::ProjectionHost* host, ReplayPool* replays,
    gavel::v1::ExportDecisionsRequest request, uint32_t chunk_decisions,
    const absl::Status& status, std::optional<uint64_t> as_of,
    absl::Time deadline) {
  auto* reactor = new DecisionExportReactor(host, replays, std::move(request),
                                            chunk_decisions);
  reactor->Start(status, as_of, deadline);
  return reactor;
}

}  // namespace gavel::services
