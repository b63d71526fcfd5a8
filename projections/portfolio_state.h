// The portfolio read model (DESIGN.md §6) and the fold that maintains it:
// initiatives with stage, status, locked score, rank, objectives and
// coverage, cost, forecast, actuals, risks and benefits; objectives with
// their initiatives and measure progress; capacity supply, firm
// reservations and demand per pool and period.
//
// Used by the portfolio projection (whose state the governance metrics
// read at query time) and embedded in the decision history projection,
// which needs each initiative's state while its review is open (each
// projection owns its model).
//
// Rank (DESIGN.md §6): among non-terminal initiatives, by priority tier
// (CRITICAL, HIGH, MEDIUM, LOW, then unprioritised), then locked weighted
// score (higher first, unscored last), then submission order.
// Benefit realization and measure progress use domain::RealizeBenefit.
// Plans of record: per horizon, the last PlanPublished in log order.
#ifndef GAVEL_PROJECTIONS_PORTFOLIO_STATE_H_
#define GAVEL_PROJECTIONS_PORTFOLIO_STATE_H_

#include <cstdint>
#include <ext/pb_ds/assoc_container.hpp>
#include <ext/pb_ds/tree_policy.hpp>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "gavel/v1/read_models.pb.h"
#include "projections/domain_event.h"
#include "projections/encoding_cache.h"

namespace gavel::projections {

// True when `a` ranks before `b` (both ranked).
bool RanksBefore(const gavel::v1::RankKey& a, const gavel::v1::RankKey& b);

// True for the statuses an initiative never leaves (killed, withdrawn,
// closed): it is then not ranked and no longer demands capacity.
bool IsTerminalStatus(gavel::v1::InitiativeStatus status);

// True when `event` changes an initiative's summary (every initiative event
// but scoring inputs, votes, recusals, milestones, BAU assessments and
// dependencies, which the summary does not show). The summary's
// last_position is the position of the last such event.
bool ChangesSummary(const gavel::v1::InitiativeEvent& event);

// True when `event` may change anything in an initiative's summary: the
// events of ChangesSummary and dependencies (open_dependencies, which do
// not move last_position).
bool ModifiesSummary(const gavel::v1::InitiativeEvent& event);

// What a PortfolioState keeps.
enum class PortfolioScope {
  // Initiatives, objectives, capacity pools and plans of record.
  kFull,
  // Initiatives and their ranks alone: what the decision history needs for
  // a decision's context. Each initiative's summary is the same as in
  // kFull (no summary field depends on another aggregate).
  kInitiatives,
};

// Thread-compatible.
class PortfolioState {
 public:
  explicit PortfolioState(PortfolioScope scope = PortfolioScope::kFull)
      : scope_(scope) {}

  // Folds `event` (any kind; kinds outside the scope are ignored).
  void Apply(const DomainEvent& event);

  const gavel::v1::PortfolioModel& model() const { return model_; }

  // model() serialized deterministically (the bytes of SerializeModel),
  // encoding only the initiatives and pool reservations that changed since
  // the last call.
  // Thread-safe against other const calls.
  std::string Encode() const;

  // Replaces the model and rebuilds the indexes; in scope kInitiatives,
  // drops what the model holds beyond its initiatives.
  void Restore(gavel::v1::PortfolioModel model);

  // nullptr when unknown.
  const gavel::v1::InitiativeSummary* FindInitiative(
      absl::string_view id) const;
  const gavel::v1::ObjectiveSummary* FindObjective(absl::string_view id) const;
  const gavel::v1::PoolSummary* FindPool(absl::string_view id) const;

  // The ranked (non-terminal) initiatives in rank order.
  std::vector<const gavel::v1::InitiativeSummary*> Ranked() const;

  // 1-based rank of `initiative` now; 0 when it is not ranked. O(log n).
  uint32_t RankOf(const gavel::v1::InitiativeSummary& initiative) const;

  struct RankAt {
    uint32_t rank = 0;
    bool exact = true;
  };
  // Rank an initiative with ranking `key` had at `position`, using
  // each initiative's current and previous ranking key; `exact` is false
  // when some initiative's key changed twice after `position`. O(log n +
  // changes after `position`).
  RankAt RankAtPosition(const gavel::v1::RankKey& key, uint64_t position) const;

 private:
  gavel::v1::InitiativeSummary* MutableInitiative(absl::string_view id);
  gavel::v1::ObjectiveSummary* MutableObjective(absl::string_view id);
  gavel::v1::PoolSummary* MutablePool(absl::string_view id);
  void ApplyInitiative(const DomainEvent& event);
  void ApplyObjective(const DomainEvent& event);
  void ApplyPool(const DomainEvent& event);
  // A published plan becomes the plan of record of its horizon.
  void ApplyPlan(const DomainEvent& event);
  void SetRankKey(gavel::v1::InitiativeSummary& initiative, uint64_t position);
  // Adds (sign +1) or removes (-1) the initiative's submitted demand.
  void AddDemand(const gavel::v1::InitiativeSummary& initiative, int sign);
  void UpdateMeasure(const gavel::v1::BenefitSummary& benefit);

  // Ranking keys in rank order, with order statistics; and every key
  // change (position, initiative index) in position order (after Restore:
  // each initiative's last two).
  using RankTuple = std::tuple<int, int, int, uint64_t>;
  static RankTuple TupleOf(const gavel::v1::RankKey& key);
  using RankTree =
      __gnu_pbds::tree<RankTuple, __gnu_pbds::null_type, std::less<RankTuple>,
                       __gnu_pbds::rb_tree_tag,
                       __gnu_pbds::tree_order_statistics_node_update>;
  RankTree ranked_;
  std::vector<std::pair<uint64_t, int>> key_changes_;

  PortfolioScope scope_;
  gavel::v1::PortfolioModel model_;
  // Encodings of model_.initiatives (every change of one goes through
  // MutableInitiative or ApplyInitiative's submission).
  EncodingCache encoded_initiatives_;
  // Encodings of each pool's reservations, by pool index (a pool's other
  // fields are few and encoded afresh).
  std::vector<std::unique_ptr<EncodingCache>> encoded_reservations_;
  absl::flat_hash_map<std::string, int> initiatives_;
  absl::flat_hash_map<std::string, int> objectives_;
  absl::flat_hash_map<std::string, int> pools_;
};

}  // namespace gavel::projections

#endif  // GAVEL_PROJECTIONS_PORTFOLIO_STATE_H_
