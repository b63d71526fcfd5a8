#include "projections/domain_event.h"

#include "absl/strings/str_cat.h"
#include "projections/wire_fields.h"
#include "proto/catalogue.h"

namespace gavel::projections {
namespace {

// The fields of gavel.v1.EventRecord (proto/gavel/v1/event_record.proto)
// that projections read.
struct RecordFields {
  uint64_t position = 0;
  absl::string_view stream_id;
  int64_t seconds = 0;
  int64_t nanos = 0;
  absl::string_view payload;
};

bool ReadRecord(absl::string_view bytes, RecordFields& out) {
  return ForEachField(
      bytes.data(), bytes.data() + bytes.size(),
      [&](int number, int wire_type, uint64_t varint, absl::string_view b) {
        if (number == 1 && wire_type == 0) out.position = varint;
        if (number == 2 && wire_type == 2) out.stream_id = b;
        if (number == 11 && wire_type == 2) out.payload = b;
        if (number == 6 && wire_type == 2) {
          ForEachField(b.data(), b.data() + b.size(),
                       [&](int n, int t, uint64_t v, absl::string_view) {
                         if (n == 1 && t == 0)
                           out.seconds = static_cast<int64_t>(v);
                         if (n == 2 && t == 0)
                           out.nanos = static_cast<int64_t>(v);
                       });
        }
      });
}

// The wrapper message of `e.kind`; nullptr for kinds no projection reads.
google::protobuf::MessageLite* WrapperOf(DomainEvent& e) {
  switch (e.kind) {
    case gavel::v1::AGGREGATE_KIND_OBJECTIVE:
      return &e.objective;
    case gavel::v1::AGGREGATE_KIND_BOARD:
      return &e.board;
    case gavel::v1::AGGREGATE_KIND_GOVERNANCE_CYCLE:
      return &e.cycle;
    case gavel::v1::AGGREGATE_KIND_CAPACITY_POOL:
      return &e.pool;
    case gavel::v1::AGGREGATE_KIND_PMO_SERVICE:
      return &e.pmo;
    case gavel::v1::AGGREGATE_KIND_INITIATIVE:
      return &e.initiative;
    case gavel::v1::AGGREGATE_KIND_PORTFOLIO_PLAN:
      return &e.plan;
    default:
      // Frameworks and lifecycle models feed no read model (yet).
      return nullptr;
  }
}

absl::Status ParsePayload(DomainEvent& e,
                          google::protobuf::MessageLite* wrapper,
                          absl::string_view payload) {
  if (wrapper->ParseFromArray(payload.data(),
                              static_cast<int>(payload.size()))) {
    return absl::OkStatus();
  }
  return absl::DataLossError(absl::StrCat(
      "the payload at position ", e.position, " (",
      catalogue::StreamOf(e.kind, e.aggregate_id), ") does not parse"));
}

}  // namespace

absl::Status EventBatch::Add(uint64_t position, absl::string_view bytes,
                             bool parse) {
  RecordFields record;
  if (!ReadRecord(bytes, record)) {
    return absl::DataLossError(
        absl::StrCat("the record at position ", position, " does not parse"));
  }
  if (record.position != position) {
    return absl::DataLossError(absl::StrCat("the record at position ", position,
                                            " names position ",
                                            record.position));
  }
  if (size_ == slots_.size()) {
    slots_.emplace_back();
    payloads_.emplace_back();
  }
  DomainEvent& e = slots_[size_];
  e.position = position;
  e.recorded_at =
      absl::FromUnixSeconds(record.seconds) + absl::Nanoseconds(record.nanos);
  e.kind = gavel::v1::AGGREGATE_KIND_UNSPECIFIED;
  if (const catalogue::Aggregate* aggregate =
          catalogue::Catalogue::Get().FindAggregateOfStream(record.stream_id);
      aggregate != nullptr) {
    e.kind = aggregate->kind;
    e.aggregate_id.assign(
        record.stream_id.data() + aggregate->stream_prefix.size(),
        record.stream_id.size() - aggregate->stream_prefix.size());
  }
  google::protobuf::MessageLite* wrapper = WrapperOf(e);
  if (wrapper == nullptr) {
    e.kind = gavel::v1::AGGREGATE_KIND_UNSPECIFIED;
  } else if (parse) {
    if (absl::Status s = ParsePayload(e, wrapper, record.payload); !s.ok()) {
      return s;
    }
  } else {
    // Cleared now: the wrapper is empty until DecodePending().
    wrapper->Clear();
    payloads_[size_].assign(record.payload.data(), record.payload.size());
    pending_.push_back(size_);
  }
  ++size_;
  return absl::OkStatus();
}

absl::Status EventBatch::DecodePending() {
  for (size_t i : pending_) {
    DomainEvent& e = slots_[i];
    if (absl::Status s = ParsePayload(e, WrapperOf(e), payloads_[i]); !s.ok()) {
      return s;
    }
  }
  pending_.clear();
  return absl::OkStatus();
}

}  // namespace gavel::projections
