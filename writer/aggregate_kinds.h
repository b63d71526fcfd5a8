// The aggregates of the domain as the writer folds them: each kind's state
// and event wrapper types, bound to its catalogue kind. Stream names and
// event types come from the catalogue (proto/catalogue.h): stream id :=
// the kind's stream prefix + aggregate id, e.g. "initiative-I-042"; each
// record's payload is the kind's event wrapper and its event_type the name
// of the event set in the wrapper's oneof (e.g. "GateDecided").
#ifndef GAVEL_WRITER_AGGREGATE_KINDS_H_
#define GAVEL_WRITER_AGGREGATE_KINDS_H_

#include <string>

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
#include "gavel/v1/events.pb.h"
#include "gavel/v1/options.pb.h"
#include "proto/catalogue.h"

namespace gavel::writer {

// One aggregate kind: `State` is what domain::Decide reads and
// domain::Evolve folds, `Event` the wrapper its records carry.
template <gavel::v1::AggregateKind K, typename S, typename E>
struct AggregateKindOf {
  static constexpr gavel::v1::AggregateKind kKind = K;
  using State = S;
  using Event = E;
};

using ObjectiveKind =
    AggregateKindOf<gavel::v1::AGGREGATE_KIND_OBJECTIVE, domain::ObjectiveState,
                    gavel::v1::ObjectiveEvent>;
using FrameworkKind =
    AggregateKindOf<gavel::v1::AGGREGATE_KIND_FRAMEWORK, domain::FrameworkState,
                    gavel::v1::FrameworkEvent>;
using LifecycleModelKind =
    AggregateKindOf<gavel::v1::AGGREGATE_KIND_LIFECYCLE_MODEL,
                    domain::LifecycleModelState,
                    gavel::v1::LifecycleModelEvent>;
using BoardKind = AggregateKindOf<gavel::v1::AGGREGATE_KIND_BOARD,
                                  domain::BoardState, gavel::v1::BoardEvent>;
using GovernanceCycleKind =
    AggregateKindOf<gavel::v1::AGGREGATE_KIND_GOVERNANCE_CYCLE,
                    domain::GovernanceCycleState,
                    gavel::v1::GovernanceCycleEvent>;
using CapacityPoolKind =
    AggregateKindOf<gavel::v1::AGGREGATE_KIND_CAPACITY_POOL,
                    domain::CapacityPoolState, gavel::v1::CapacityPoolEvent>;
using PmoServiceKind =
    AggregateKindOf<gavel::v1::AGGREGATE_KIND_PMO_SERVICE,
                    domain::PmoServiceState, gavel::v1::PmoServiceEvent>;
using InitiativeKind =
    AggregateKindOf<gavel::v1::AGGREGATE_KIND_INITIATIVE,
                    domain::InitiativeState, gavel::v1::InitiativeEvent>;
using PortfolioPlanKind =
    AggregateKindOf<gavel::v1::AGGREGATE_KIND_PORTFOLIO_PLAN,
                    domain::PortfolioPlanState, gavel::v1::PortfolioPlanEvent>;

// Calls `f` with a value of each kind's type (e.g. InitiativeKind{}), in
// enum order; stops at the first call that returns true and returns true,
// or returns false. For code that picks a kind at run time.
template <typename F>
bool ForEachAggregateKind(F&& f) {
  return f(ObjectiveKind{}) || f(FrameworkKind{}) || f(LifecycleModelKind{}) ||
         f(BoardKind{}) || f(GovernanceCycleKind{}) || f(CapacityPoolKind{}) ||
         f(PmoServiceKind{}) || f(InitiativeKind{}) || f(PortfolioPlanKind{});
}

// The stream of aggregate `id` of `Kind`.
template <typename Kind>
std::string StreamOf(absl::string_view id) {
  return catalogue::StreamOf(Kind::kKind, id);
}

}  // namespace gavel::writer

#endif  // GAVEL_WRITER_AGGREGATE_KINDS_H_
