#include "domain/context.h"

#include "domain/calendar.h"

namespace gavel::domain {

const BoardMemberView* BoardView::FindMember(
    absl::string_view principal) const& {
  for (const BoardMemberView& member : members) {
    if (member.principal == principal) return &member;
  }
  return nullptr;
}

bool BoardView::IsVotingMember(absl::string_view principal) const {
  const BoardMemberView* member = FindMember(principal);
  return member != nullptr && (member->role == gavel::v1::MEMBER_ROLE_CHAIR ||
                               member->role == gavel::v1::MEMBER_ROLE_VOTING);
}

std::optional<std::string> BoardView::Chair() const {
  for (const BoardMemberView& member : members) {
    if (member.role == gavel::v1::MEMBER_ROLE_CHAIR) return member.principal;
  }
  return std::nullopt;
}

bool BoardView::MandateCovers(absl::string_view gate_id) const {
  for (const std::string& id : mandate.gate_ids()) {
    if (id == gate_id) return true;
  }
  return false;
}

const DelegationView* BoardView::ActiveDelegation(absl::string_view delegator,
                                                  absl::string_view delegate,
                                                  absl::Time t) const {
  for (const DelegationView& delegation : delegations) {
    if (delegation.delegator == delegator && delegation.delegate == delegate &&
        delegation.IsActiveAt(t)) {
      return &delegation;
    }
  }
  return nullptr;
}

const gavel::v1::Criterion* FrameworkView::FindCriterion(
    absl::string_view criterion_id) const {
  for (const gavel::v1::Criterion& criterion : criteria) {
    if (criterion.criterion_id() == criterion_id) return &criterion;
  }
  return nullptr;
}

int LifecycleModelView::GateIndex(absl::string_view gate_id) const {
  for (size_t i = 0; i < gates.size(); ++i) {
    if (gates[i].gate_id() == gate_id) return static_cast<int>(i);
  }
  return -1;
}

const CapacityPeriodView* CapacityPoolView::FindPeriod(
    const gavel::v1::Date& period_start) const& {
  for (const CapacityPeriodView& period : periods) {
    if (CompareDates(period.period_start, period_start) == 0) return &period;
  }
  return nullptr;
}

const ObjectiveView* Context::FindObjective(
    absl::string_view objective_id) const {
  for (const ObjectiveView& objective : objectives) {
    if (objective.objective_id == objective_id) return &objective;
  }
  return nullptr;
}

const CapacityPoolView* Context::FindPool(absl::string_view pool_id) const {
  for (const CapacityPoolView& pool : pools) {
    if (pool.pool_id == pool_id) return &pool;
  }
  return nullptr;
}

}  // namespace gavel::domain
