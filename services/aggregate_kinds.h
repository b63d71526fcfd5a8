// The aggregates of the domain as the writer stores them: each kind's state
// and event types and its stream naming. Stream id := prefix + aggregate id,
// e.g. "initiative-I-042"; each record's payload is the kind's event wrapper
// (e.g. gavel.v1.InitiativeEvent) and its event_type the name of the event
// message set in the wrapper's oneof (e.g. "GateDecided").
#ifndef GAVEL_SERVICES_AGGREGATE_KINDS_H_
#define GAVEL_SERVICES_AGGREGATE_KINDS_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "domain/board.h"
#include "domain/capacity_pool.h"
#include "domain/framework.h"
#include "domain/governance_cycle.h"
#include "domain/initiative.h"
#include "domain/lifecycle_model.h"
#include "domain/objective.h"
#include "domain/pmo_service.h"
#include "domain/portfolio_plan.h"
#include "domain/stream_names.h"
#include "gavel/v1/events.pb.h"
#include "google/protobuf/message.h"

namespace gavel::services {

struct ObjectiveKind {
  using State = domain::ObjectiveState;
  using Event = gavel::v1::ObjectiveEvent;
  static constexpr absl::string_view kPrefix = domain::kObjectiveStreamPrefix;
};
struct FrameworkKind {
  using State = domain::FrameworkState;
  using Event = gavel::v1::FrameworkEvent;
  static constexpr absl::string_view kPrefix = domain::kFrameworkStreamPrefix;
};
struct LifecycleModelKind {
  using State = domain::LifecycleModelState;
  using Event = gavel::v1::LifecycleModelEvent;
  static constexpr absl::string_view kPrefix =
      domain::kLifecycleModelStreamPrefix;
};
struct BoardKind {
  using State = domain::BoardState;
  using Event = gavel::v1::BoardEvent;
  static constexpr absl::string_view kPrefix = domain::kBoardStreamPrefix;
};
struct GovernanceCycleKind {
  using State = domain::GovernanceCycleState;
  using Event = gavel::v1::GovernanceCycleEvent;
  static constexpr absl::string_view kPrefix =
      domain::kGovernanceCycleStreamPrefix;
};
struct CapacityPoolKind {
  using State = domain::CapacityPoolState;
  using Event = gavel::v1::CapacityPoolEvent;
  static constexpr absl::string_view kPrefix =
      domain::kCapacityPoolStreamPrefix;
};
struct PmoServiceKind {
  using State = domain::PmoServiceState;
  using Event = gavel::v1::PmoServiceEvent;
  static constexpr absl::string_view kPrefix = domain::kPmoServiceStreamPrefix;
};
struct InitiativeKind {
  using State = domain::InitiativeState;
  using Event = gavel::v1::InitiativeEvent;
  static constexpr absl::string_view kPrefix = domain::kInitiativeStreamPrefix;
};
struct PortfolioPlanKind {
  using State = domain::PortfolioPlanState;
  using Event = gavel::v1::PortfolioPlanEvent;
  static constexpr absl::string_view kPrefix =
      domain::kPortfolioPlanStreamPrefix;
};

// The stream of aggregate `id` of `Kind`.
template <typename Kind>
std::string StreamOf(absl::string_view id) {
  return absl::StrCat(Kind::kPrefix, id);
}

// The name of the event message set in `wrapper`'s oneof (e.g.
// "GateDecided"), or "Unknown" when none is set.
std::string EventTypeOf(const google::protobuf::Message& wrapper);

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_AGGREGATE_KINDS_H_
