// A log record decoded for the projections: the record's position and time
// and the domain event its payload wraps (the payload is the aggregate
// kind's event wrapper, the stream id the kind's prefix + the aggregate id:
// proto/catalogue.h).
#ifndef GAVEL_PROJECTIONS_DOMAIN_EVENT_H_
#define GAVEL_PROJECTIONS_DOMAIN_EVENT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "gavel/v1/events.pb.h"
#include "gavel/v1/options.pb.h"

namespace gavel::projections {

// One decoded record. Only the wrapper of `kind` is meaningful.
struct DomainEvent {
  uint64_t position = 0;
  absl::Time recorded_at;
  // AGGREGATE_KIND_UNSPECIFIED: a stream no projection reads (skipped).
  gavel::v1::AggregateKind kind = gavel::v1::AGGREGATE_KIND_UNSPECIFIED;
  std::string aggregate_id;
  gavel::v1::ObjectiveEvent objective;
  gavel::v1::BoardEvent board;
  gavel::v1::GovernanceCycleEvent cycle;
  gavel::v1::CapacityPoolEvent pool;
  gavel::v1::PmoServiceEvent pmo;
  gavel::v1::InitiativeEvent initiative;
  gavel::v1::PortfolioPlanEvent plan;
};

// A batch of decoded records, reusing its slots (and their buffers) from
// one batch to the next. Thread-compatible.
class EventBatch {
 public:
  // Decodes the stored record `bytes` at `position` into the next slot.
  // Reads only what projections use (position, stream id, recorded_at,
  // payload) straight from the record's wire format. When `parse` is false
  // the payload (the domain event) is kept undecoded, for DecodePending();
  // everything else is decoded. DATA_LOSS when the record or a known
  // kind's payload does not parse, or the record names another position.
  absl::Status Add(uint64_t position, absl::string_view bytes,
                   bool parse = true);

  // Parses the payloads Add() kept undecoded; then every event is whole.
  // DATA_LOSS as Add (the batch must then be discarded).
  absl::Status DecodePending();

  // The events added since the last Clear(), in order; an event added
  // undecoded has an empty wrapper until DecodePending().
  absl::Span<const DomainEvent> events() const {
    return absl::MakeConstSpan(slots_.data(), size_);
  }
  size_t size() const { return size_; }

  // Empties the batch, keeping the slots for reuse.
  void Clear() {
    size_ = 0;
    pending_.clear();
  }

 private:
  std::vector<DomainEvent> slots_;
  // payloads_[i]: the undecoded payload of slots_[i], when i is in pending_.
  std::vector<std::string> payloads_;
  std::vector<size_t> pending_;
  size_t size_ = 0;
};

}  // namespace gavel::projections

#endif  // GAVEL_PROJECTIONS_DOMAIN_EVENT_H_
