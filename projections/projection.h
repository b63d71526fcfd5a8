// A projection: a read model fed from the event log (DESIGN.md §6).
//
// A projection is a deterministic fold: the same events in the same order
// give the same model, byte for byte in Snapshot(). The host
// (projections/projection_host.h) owns its position and its persistence;
// the projection only knows how to apply an event, serialize its model and
// restore it.
#ifndef GAVEL_PROJECTIONS_PROJECTION_H_
#define GAVEL_PROJECTIONS_PROJECTION_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "projections/domain_event.h"

namespace gavel::projections {

// Thread-compatible: the host serializes Apply against readers.
class Projection {
 public:
  virtual ~Projection() = default;

  // Stable name: the key of its checkpoint and snapshots ([a-z_]+).
  virtual absl::string_view name() const = 0;

  // Folds `event` into the model. Events arrive in position order, each
  // once. Events of kinds the projection ignores are passed too.
  virtual void Apply(const DomainEvent& event) = 0;

  // The model, serialized deterministically.
  virtual std::string Snapshot() const = 0;

  // Replaces the model with a Snapshot() of the same projection. DATA_LOSS
  // if `snapshot` does not parse; the model is then unchanged.
  virtual absl::Status Restore(absl::string_view snapshot) = 0;

  // A new, empty projection of the same kind (for rebuilds and as_of).
  virtual std::unique_ptr<Projection> NewEmpty() const = 0;
};

// Hex SHA-256 of projection.Snapshot(): equal digests mean equal models.
std::string Digest(const Projection& projection);

}  // namespace gavel::projections

#endif  // GAVEL_PROJECTIONS_PROJECTION_H_
