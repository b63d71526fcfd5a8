#include "projections/domain_event.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "domain/stream_names.h"
#include "projections/wire_fields.h"

namespace gavel::projections {
namespace {

struct KindPrefix {
  absl::string_view prefix;
  AggregateKind kind;
};

constexpr KindPrefix kKinds[] = {
    {domain::kInitiativeStreamPrefix, AggregateKind::kInitiative},
    {domain::kObjectiveStreamPrefix, AggregateKind::kObjective},
    {domain::kBoardStreamPrefix, AggregateKind::kBoard},
    {domain::kGovernanceCycleStreamPrefix, AggregateKind::kGovernanceCycle},
    {domain::kCapacityPoolStreamPrefix, AggregateKind::kCapacityPool},
    {domain::kPmoServiceStreamPrefix, AggregateKind::kPmoService},
    {domain::kFrameworkStreamPrefix, AggregateKind::kFramework},
    {domain::kLifecycleModelStreamPrefix, AggregateKind::kLifecycleModel},
    {domain::kPortfolioPlanStreamPrefix, AggregateKind::kPortfolioPlan},
};

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
    case AggregateKind::kObjective:
      return &e.objective;
    case AggregateKind::kBoard:
      return &e.board;
    case AggregateKind::kGovernanceCycle:
      return &e.cycle;
    case AggregateKind::kCapacityPool:
      return &e.pool;
    case AggregateKind::kPmoService:
      return &e.pmo;
    case AggregateKind::kInitiative:
      return &e.initiative;
    case AggregateKind::kPortfolioPlan:
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
  absl::string_view prefix;
  for (const KindPrefix& k : kKinds) {
    if (k.kind == e.kind) prefix = k.prefix;
  }
  return absl::DataLossError(absl::StrCat("the payload at position ",
                                          e.position, " (", prefix,
                                          e.aggregate_id, ") does not parse"));
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
  e.kind = AggregateKind::kUnknown;
  for (const KindPrefix& k : kKinds) {
    if (absl::StartsWith(record.stream_id, k.prefix)) {
      e.kind = k.kind;
      e.aggregate_id.assign(record.stream_id.data() + k.prefix.size(),
                            record.stream_id.size() - k.prefix.size());
      break;
    }
  }
  google::protobuf::MessageLite* wrapper = WrapperOf(e);
  if (wrapper == nullptr) {
    e.kind = AggregateKind::kUnknown;
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
