// A log record decoded for the projections: the record's position and time
// and the domain event its payload wraps (services/aggregate_kinds.h: the
// payload is the aggregate kind's event wrapper, the stream id is the
// kind's prefix + the aggregate id, domain/stream_names.h).
#ifndef GAVEL_PROJECTIONS_DOMAIN_EVENT_H_
#define GAVEL_PROJECTIONS_DOMAIN_EVENT_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gavel/v1/event_record.pb.h"
#include "gavel/v1/events.pb.h"

namespace gavel::projections {

enum class AggregateKind {
  kUnknown,  // A stream no projection reads; the event is skipped.
  kObjective,
  kFramework,
  kLifecycleModel,
  kBoard,
  kGovernanceCycle,
  kCapacityPool,
  kPmoService,
  kInitiative,
};

// One decoded record. Only the wrapper of `kind` is meaningful.
struct DomainEvent {
  uint64_t position = 0;
  absl::Time recorded_at;
  AggregateKind kind = AggregateKind::kUnknown;
  std::string aggregate_id;
  gavel::v1::ObjectiveEvent objective;
  gavel::v1::BoardEvent board;
  gavel::v1::GovernanceCycleEvent cycle;
  gavel::v1::CapacityPoolEvent pool;
  gavel::v1::PmoServiceEvent pmo;
  gavel::v1::InitiativeEvent initiative;
};

// Decodes records one after the other, reusing its buffers. Thread-
// compatible.
class EventDecoder {
 public:
  // Decodes the stored record `bytes` at `position`. The result is valid
  // until the next call. DATA_LOSS when the record or a known kind's
  // payload does not parse, or the record's position differs.
  absl::StatusOr<const DomainEvent*> Decode(uint64_t position,
                                            absl::string_view bytes);

 private:
  gavel::v1::EventRecord record_;
  DomainEvent event_;
};

}  // namespace gavel::projections

#endif  // GAVEL_PROJECTIONS_DOMAIN_EVENT_H_
