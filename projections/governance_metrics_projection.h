// The governance metrics projection ("governance_metrics", DESIGN.md §6).
// The model keeps raw facts (decisions with their latency, open reviews,
// conditions, cycles, milestones, re-forecasts, feedback, service levels);
// Compute() derives the figures from them and from the portfolio
// projection's state at the same position (the portfolio KPIs), so the
// metrics do not fold a portfolio of their own:
//
//  per board and gate (and board totals, gate_id ""):
//   latency            domain::DecisionLatency(requested_at, decided_at);
//                      p50 / p90 / max by domain::LatencyPercentile
//                      (nearest rank); SLA attainment = decisions with
//                      domain::MeetsSla(latency, board SLA) / decisions;
//   queue age          as-of time - requested_at of each open review
//                      (as-of time = recorded_at of the last event applied);
//   outcome mix        count and share (bp, of decisions) per outcome;
//                      deferral share = deferred agenda items / (decisions +
//                      deferred items) (board totals only);
//   conditions on time satisfied on or before their due date / conditions
//                      satisfied or past due at the as-of date;
//   cadence adherence  consecutive held cycles (by held_on) at most the
//                      cadence apart (7, 14, 31 or 92 days) / intervals;
//  per governance cycle: agenda items, carried-over items (added with
//   deferred_from_cycle_id), deferred items, decisions, outcome mix,
//   stakeholder satisfaction (mean score x 100);
//  portfolio KPIs (gavel.v1.PortfolioKpis): benefit realization (mean
//   net_bp of measured benefits, domain::RealizeBenefit), alignment
//   coverage by count and by budget (budget approved, else the cost
//   estimate) of active initiatives linked to an active objective, active
//   objectives with no funded active initiative, budget accuracy of closed
//   initiatives (1 - |actual - approved| / approved), milestone
//   predictability, forecast error across re-forecasts (mean |new - prev| /
//   prev of cost at completion), capacity utilization (firm reserved /
//   supply) and over-allocation;
//  service levels: each defined level's percentile (percentile_bp) of its
//   metric in its scope against its threshold.
// Shares are integer bp rounded half away from zero
// (domain::DivideRoundHalfAwayFromZero); 0 when there is nothing to share.
#ifndef GAVEL_PROJECTIONS_GOVERNANCE_METRICS_PROJECTION_H_
#define GAVEL_PROJECTIONS_GOVERNANCE_METRICS_PROJECTION_H_

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "gavel/v1/read_models.pb.h"
#include "projections/encoding_cache.h"
#include "projections/portfolio_state.h"
#include "projections/projection.h"

namespace gavel::projections {

inline constexpr absl::string_view kGovernanceMetricsProjection =
    "governance_metrics";

// Thread-compatible.
class GovernanceMetricsProjection final : public Projection {
 public:
  absl::string_view name() const override {
    return kGovernanceMetricsProjection;
  }
  void Apply(const DomainEvent& event) override;
  std::string Snapshot() const override;
  absl::Status Restore(absl::string_view snapshot) override;
  std::unique_ptr<Projection> NewEmpty() const override {
    return std::make_unique<GovernanceMetricsProjection>();
  }

  // The figures as of the last event applied; boards (and their cycles)
  // limited to `board_id` when it is not empty. `portfolio` must have
  // applied the same events as this projection (the portfolio projection
  // at the same position): the portfolio KPIs come from it.
  gavel::v1::GovernanceMetrics Compute(absl::string_view board_id,
                                       const PortfolioState& portfolio) const;

 private:
  void Reindex();
  gavel::v1::CycleMetrics* Cycle(absl::string_view cycle_id);
  gavel::v1::MetricsInitiative* Initiative(absl::string_view id);
  void ApplyInitiative(const DomainEvent& event);

  gavel::v1::GovernanceMetricsModel model_;
  // Encodings of model_'s long lists for Snapshot(): decision facts never
  // change, a condition changes when satisfied, an initiative through
  // Initiative().
  EncodingCache encoded_decisions_;
  EncodingCache encoded_conditions_;
  EncodingCache encoded_initiatives_;
  absl::flat_hash_map<std::string, int> cycles_;
  absl::flat_hash_map<std::string, int> initiatives_;
};

}  // namespace gavel::projections

#endif  // GAVEL_PROJECTIONS_GOVERNANCE_METRICS_PROJECTION_H_
