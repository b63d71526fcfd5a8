// What a decider may know beyond its own aggregate: the server's clock, the
// acting principal, log positions, and read-only views of the other
// aggregates a rule needs. Plain values, no I/O: the caller (the command
// processor, or a test) fills one Context per command, and each Decide()
// contract says under "Needs:" which members it reads. A needed member that
// is absent means the referenced aggregate does not exist, and the decider
// rejects with the matching *_NOT_FOUND reason.
//
// Views are built from aggregate states by the ViewOf() functions declared
// in each aggregate's header. Thread-compatible.
#ifndef GAVEL_DOMAIN_CONTEXT_H_
#define GAVEL_DOMAIN_CONTEXT_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gavel/v1/events.pb.h"

namespace gavel::domain {

struct BoardMemberView {
  std::string principal;
  gavel::v1::MemberRole role = gavel::v1::MEMBER_ROLE_UNSPECIFIED;
};

// A delegation that has not been revoked (it may be expired or not yet
// valid; check IsActiveAt()).
struct DelegationView {
  std::string delegation_id;
  std::string delegator;
  std::string delegate;
  absl::Time valid_from;
  absl::Time valid_until;  // Exclusive.

  bool IsActiveAt(absl::Time t) const {
    return valid_from <= t && t < valid_until;
  }
};

struct BoardView {
  std::string board_id;
  std::vector<BoardMemberView> members;  // Current members only.
  int32_t quorum = 0;
  gavel::v1::DecisionRule decision_rule = gavel::v1::DECISION_RULE_UNSPECIFIED;
  gavel::v1::BoardMandate mandate;
  absl::Duration decision_latency_sla;
  std::vector<DelegationView> delegations;  // Not revoked.

  // The current member `principal`, or nullptr. The pointer points into
  // this view: not callable on a temporary, which would leave it dangling.
  const BoardMemberView* FindMember(absl::string_view principal) const&;
  const BoardMemberView* FindMember(absl::string_view principal) && = delete;
  // True for a current chair or voting member.
  bool IsVotingMember(absl::string_view principal) const;
  // The chair's principal, or nullopt when the board has none.
  std::optional<std::string> Chair() const;
  // True when the mandate lists `gate_id`.
  bool MandateCovers(absl::string_view gate_id) const;
  // The delegation from `delegator` to `delegate` active at `t`, or nullptr.
  const DelegationView* ActiveDelegation(absl::string_view delegator,
                                         absl::string_view delegate,
                                         absl::Time t) const;
};

// The active approved version of a prioritization framework.
struct FrameworkView {
  std::string framework_id;
  int32_t active_version = 0;  // 0: no approved version is active.
  bool retired = false;        // Every version retired.
  gavel::v1::FrameworkMethod method = gavel::v1::FRAMEWORK_METHOD_UNSPECIFIED;
  // Criteria of the active version with their final weights (bp, sum 10000).
  std::vector<gavel::v1::Criterion> criteria;

  const gavel::v1::Criterion* FindCriterion(
      absl::string_view criterion_id) const;
};

struct LifecycleModelView {
  std::string model_id;
  bool retired = false;
  std::vector<gavel::v1::Gate> gates;  // In model order.

  // Index of `gate_id` in `gates`, or -1.
  int GateIndex(absl::string_view gate_id) const;
};

struct ObjectiveView {
  std::string objective_id;
  bool active = false;  // Defined and not retired.
  std::vector<std::string> measure_ids;
};

struct CapacityPeriodView {
  gavel::v1::Date period_start;
  int64_t supply = 0;
  int64_t firm_reserved = 0;  // Sum of firm reservations in the period.
};

struct CapacityPoolView {
  std::string pool_id;
  gavel::v1::PeriodGranularity granularity =
      gavel::v1::PERIOD_GRANULARITY_UNSPECIFIED;
  std::vector<CapacityPeriodView> periods;  // Ascending period_start.

  // The period starting on `period_start`, or nullptr (supply 0). The
  // pointer points into this view: not callable on a temporary.
  const CapacityPeriodView* FindPeriod(
      const gavel::v1::Date& period_start) const&;
  const CapacityPeriodView* FindPeriod(const gavel::v1::Date& period_start) && =
      delete;
};

struct GovernanceCycleView {
  std::string cycle_id;
  std::string board_id;
  bool closed = false;
  gavel::v1::Date scheduled_on;
  std::vector<std::string> item_ids;  // Agenda item ids, in order added.
};

// Another initiative, e.g. the target of a dependency.
struct InitiativeView {
  std::string initiative_id;
  bool terminal = false;  // Killed, withdrawn or closed.
};

// Unresolved dependencies of every initiative: initiative id -> ids of the
// initiatives it depends on.
using DependencyGraph = std::map<std::string, std::vector<std::string>>;

struct Context {
  // The server's clock at decision time; events stamp this instant.
  absl::Time now;
  // The authenticated principal issuing the command (never a command field).
  std::string actor;
  // Last committed global log position.
  uint64_t head_position = 0;
  // Position of the target aggregate's last committed event (0: none).
  uint64_t stream_position = 0;

  // The board the command names or the gate's mandated board.
  std::optional<BoardView> board;
  // The framework the command names or the initiative is scored under.
  std::optional<FrameworkView> framework;
  // The initiative's lifecycle model (DefaultLifecycleModelView() for
  // "default"); for DefineLifecycleModel, unused.
  std::optional<LifecycleModelView> lifecycle_model;
  // The objectives the command or the initiative's links reference.
  std::vector<ObjectiveView> objectives;
  // The pools the command or the initiative's capacity demand references.
  std::vector<CapacityPoolView> pools;
  // The governance cycle the command names (for DeferAgendaItem: the target
  // cycle `to_cycle_id`).
  std::optional<GovernanceCycleView> cycle;
  // The other initiative a command names (DeclareDependency's target).
  std::optional<InitiativeView> other_initiative;
  // Unresolved dependencies across the portfolio (DeclareDependency only).
  DependencyGraph dependencies;

  const ObjectiveView* FindObjective(absl::string_view objective_id) const;
  const CapacityPoolView* FindPool(absl::string_view pool_id) const;
};

}  // namespace gavel::domain

#endif  // GAVEL_DOMAIN_CONTEXT_H_
