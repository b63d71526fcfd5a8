#include "projections/domain_event.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "domain/stream_names.h"

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
};

}  // namespace

absl::StatusOr<const DomainEvent*> EventDecoder::Decode(
    uint64_t position, absl::string_view bytes) {
  if (!record_.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(
        absl::StrCat("the record at position ", position, " does not parse"));
  }
  if (record_.position() != position) {
    return absl::DataLossError(absl::StrCat("the record at position ", position,
                                            " names position ",
                                            record_.position()));
  }
  DomainEvent& e = event_;
  e.position = position;
  e.recorded_at = absl::FromUnixSeconds(record_.recorded_at().seconds()) +
                  absl::Nanoseconds(record_.recorded_at().nanos());
  e.kind = AggregateKind::kUnknown;
  const std::string& stream = record_.stream_id();
  for (const KindPrefix& k : kKinds) {
    if (absl::StartsWith(stream, k.prefix)) {
      e.kind = k.kind;
      e.aggregate_id.assign(stream, k.prefix.size());
      break;
    }
  }
  const std::string& payload = record_.payload();
  google::protobuf::Message* wrapper = nullptr;
  switch (e.kind) {
    case AggregateKind::kObjective:
      wrapper = &e.objective;
      break;
    case AggregateKind::kBoard:
      wrapper = &e.board;
      break;
    case AggregateKind::kGovernanceCycle:
      wrapper = &e.cycle;
      break;
    case AggregateKind::kCapacityPool:
      wrapper = &e.pool;
      break;
    case AggregateKind::kPmoService:
      wrapper = &e.pmo;
      break;
    case AggregateKind::kInitiative:
      wrapper = &e.initiative;
      break;
    default:
      // Frameworks and lifecycle models feed no read model (yet).
      e.kind = AggregateKind::kUnknown;
      return &e;
  }
  if (!wrapper->ParseFromString(payload)) {
    return absl::DataLossError(
        absl::StrCat("the payload at position ", position, " (",
                     record_.event_type(), " on ", stream, ") does not parse"));
  }
  return &e;
}

}  // namespace gavel::projections
