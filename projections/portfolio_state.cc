#include "projections/portfolio_state.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "domain/benefit_realization.h"
#include "domain/calendar.h"
#include "projections/snapshot_codec.h"

namespace gavel::projections {
namespace {

using gavel::v1::InitiativeSummary;
using gavel::v1::PeriodCapacity;
using gavel::v1::PoolSummary;
using gavel::v1::RankKey;

int Tier(gavel::v1::Priority p) {
  return p == gavel::v1::PRIORITY_UNSPECIFIED ? 100 : static_cast<int>(p);
}

RankKey KeyOf(const InitiativeSummary& i) {
  RankKey key;
  key.set_ranked(!IsTerminalStatus(i.status()));
  key.set_priority(i.priority());
  key.set_scored(i.scored());
  key.set_weighted_score_bp(i.weighted_score_bp());
  key.set_submitted_position(i.submitted_position());
  return key;
}

bool SameKey(const RankKey& a, const RankKey& b) {
  return a.ranked() == b.ranked() && a.priority() == b.priority() &&
         a.scored() == b.scored() &&
         a.weighted_score_bp() == b.weighted_score_bp() &&
         a.submitted_position() == b.submitted_position();
}

void AddMoney(gavel::v1::Money* total, const gavel::v1::Money& amount) {
  if (total->currency().empty()) total->set_currency(amount.currency());
  total->set_minor_units(total->minor_units() + amount.minor_units());
}

// The period of `pool` starting on `start`, inserted (supply 0) in order
// when absent.
PeriodCapacity* PeriodOf(PoolSummary* pool, const gavel::v1::Date& start) {
  auto* periods = pool->mutable_periods();
  int at = 0;
  for (; at < periods->size(); ++at) {
    const int c = domain::CompareDates(periods->Get(at).period_start(), start);
    if (c == 0) return periods->Mutable(at);
    if (c > 0) break;
  }
  PeriodCapacity* added = periods->Add();
  *added->mutable_period_start() = start;
  for (int i = periods->size() - 1; i > at; --i)
    periods->SwapElements(i, i - 1);
  return periods->Mutable(at);
}

void Flag(PeriodCapacity* p) {
  p->set_over_committed(p->firm_reserved() > p->supply());
  p->set_demand_exceeds_supply(p->demand() > p->supply());
}

void Realize(gavel::v1::BenefitSummary* b) {
  if (!b->measured() || !b->baselined()) return;
  absl::StatusOr<domain::BenefitRealization> r =
      domain::RealizeBenefit(b->baseline(), b->target(), b->latest_value(),
                             b->direction(), b->dis_benefit());
  if (!r.ok()) return;
  b->set_realization_bp(r->realization_bp);
  b->set_net_bp(r->net_bp);
}

void MeasureProgressOf(gavel::v1::MeasureProgress* m) {
  if (!m->measured() || !m->has_target()) return;
  absl::StatusOr<domain::BenefitRealization> r = domain::RealizeBenefit(
      m->baseline(), m->target(), m->actual(), m->direction(), false);
  if (r.ok()) m->set_progress_bp(r->realization_bp);
}

template <typename Index, typename Repeated>
void Reindex(Index& index, const Repeated& items,
             const std::string& (*id)(const typename Repeated::value_type&)) {
  index.clear();
  for (int i = 0; i < items.size(); ++i) index[id(items.Get(i))] = i;
}

const std::string& InitiativeId(const InitiativeSummary& i) {
  return i.initiative_id();
}
const std::string& ObjectiveId(const gavel::v1::ObjectiveSummary& o) {
  return o.objective_id();
}
const std::string& PoolId(const PoolSummary& p) { return p.pool_id(); }

}  // namespace

PortfolioState::RankTuple PortfolioState::TupleOf(const RankKey& key) {
  return RankTuple(Tier(key.priority()), key.scored() ? 0 : 1,
                   -key.weighted_score_bp(), key.submitted_position());
}

bool RanksBefore(const RankKey& a, const RankKey& b) {
  if (Tier(a.priority()) != Tier(b.priority())) {
    return Tier(a.priority()) < Tier(b.priority());
  }
  if (a.scored() != b.scored()) return a.scored();
  if (a.weighted_score_bp() != b.weighted_score_bp()) {
    return a.weighted_score_bp() > b.weighted_score_bp();
  }
  return a.submitted_position() < b.submitted_position();
}

bool IsTerminalStatus(gavel::v1::InitiativeStatus status) {
  return status == gavel::v1::INITIATIVE_STATUS_KILLED ||
         status == gavel::v1::INITIATIVE_STATUS_WITHDRAWN ||
         status == gavel::v1::INITIATIVE_STATUS_CLOSED;
}

bool ChangesSummary(const gavel::v1::InitiativeEvent& event) {
  switch (event.event_case()) {
    case gavel::v1::InitiativeEvent::kScorersAssigned:
    case gavel::v1::InitiativeEvent::kCriterionScored:
    case gavel::v1::InitiativeEvent::kMemberRecused:
    case gavel::v1::InitiativeEvent::kGateVoteCast:
    case gavel::v1::InitiativeEvent::kMilestoneAchieved:
    case gavel::v1::InitiativeEvent::kBauImpactAssessed:
    case gavel::v1::InitiativeEvent::kDependencyDeclared:
    case gavel::v1::InitiativeEvent::kDependencyResolved:
    case gavel::v1::InitiativeEvent::EVENT_NOT_SET:
      return false;
    default:
      return true;
  }
}

bool ModifiesSummary(const gavel::v1::InitiativeEvent& event) {
  return event.has_dependency_declared() || event.has_dependency_resolved() ||
         ChangesSummary(event);
}

void PortfolioState::Restore(gavel::v1::PortfolioModel model) {
  model_ = std::move(model);
  if (scope_ == PortfolioScope::kInitiatives) {
    // A snapshot written before the decision history narrowed its scope.
    model_.clear_objectives();
    model_.clear_pools();
    model_.clear_plans();
  }
  encoded_initiatives_.Clear();
  encoded_reservations_.clear();
  for (int k = 0; k < model_.pools_size(); ++k) {
    encoded_reservations_.push_back(std::make_unique<EncodingCache>());
  }
  Reindex(initiatives_, model_.initiatives(), &InitiativeId);
  Reindex(objectives_, model_.objectives(), &ObjectiveId);
  Reindex(pools_, model_.pools(), &PoolId);
  ranked_.clear();
  key_changes_.clear();
  for (int k = 0; k < model_.initiatives_size(); ++k) {
    const InitiativeSummary& i = model_.initiatives(k);
    if (i.rank_key().ranked()) ranked_.insert(TupleOf(i.rank_key()));
    key_changes_.emplace_back(i.rank_key_position(), k);
    if (i.previous_rank_key_position() > 0) {
      key_changes_.emplace_back(i.previous_rank_key_position(), k);
    }
  }
  std::sort(key_changes_.begin(), key_changes_.end());
}

std::string PortfolioState::Encode() const {
  // Fields in number order, as protobuf writes them.
  std::string initiatives;
  encoded_initiatives_.AppendTo(1, model_.initiatives(), initiatives);
  SnapshotWriter writer;
  writer.AddEncoded(initiatives);
  for (const gavel::v1::ObjectiveSummary& o : model_.objectives()) {
    writer.Add(2, o);
  }
  // A pool's fields in number order: reservations (5) are the last.
  std::vector<std::string> pools(model_.pools_size());
  for (int k = 0; k < model_.pools_size(); ++k) {
    const PoolSummary& pool = model_.pools(k);
    PoolSummary head;
    head.set_pool_id(pool.pool_id());
    head.set_name(pool.name());
    head.set_unit_of_measure(pool.unit_of_measure());
    *head.mutable_periods() = pool.periods();
    pools[k] = SerializeModel(head);
    encoded_reservations_[k]->AppendTo(5, pool.reservations(), pools[k]);
    writer.AddEncoded(3, pools[k]);
  }
  for (const gavel::v1::PlanOfRecord& p : model_.plans()) writer.Add(4, p);
  return writer.Finish();
}

const InitiativeSummary* PortfolioState::FindInitiative(
    absl::string_view id) const {
  auto it = initiatives_.find(id);
  return it == initiatives_.end() ? nullptr : &model_.initiatives(it->second);
}
const gavel::v1::ObjectiveSummary* PortfolioState::FindObjective(
    absl::string_view id) const {
  auto it = objectives_.find(id);
  return it == objectives_.end() ? nullptr : &model_.objectives(it->second);
}
const PoolSummary* PortfolioState::FindPool(absl::string_view id) const {
  auto it = pools_.find(id);
  return it == pools_.end() ? nullptr : &model_.pools(it->second);
}
InitiativeSummary* PortfolioState::MutableInitiative(absl::string_view id) {
  auto it = initiatives_.find(id);
  if (it == initiatives_.end()) return nullptr;
  encoded_initiatives_.Changed(it->second);
  return model_.mutable_initiatives(it->second);
}
gavel::v1::ObjectiveSummary* PortfolioState::MutableObjective(
    absl::string_view id) {
  auto it = objectives_.find(id);
  return it == objectives_.end() ? nullptr
                                 : model_.mutable_objectives(it->second);
}
PoolSummary* PortfolioState::MutablePool(absl::string_view id) {
  auto it = pools_.find(id);
  return it == pools_.end() ? nullptr : model_.mutable_pools(it->second);
}

std::vector<const InitiativeSummary*> PortfolioState::Ranked() const {
  std::vector<const InitiativeSummary*> ranked;
  for (const InitiativeSummary& i : model_.initiatives()) {
    if (i.rank_key().ranked()) ranked.push_back(&i);
  }
  std::sort(ranked.begin(), ranked.end(),
            [](const InitiativeSummary* a, const InitiativeSummary* b) {
              return RanksBefore(a->rank_key(), b->rank_key());
            });
  return ranked;
}

uint32_t PortfolioState::RankOf(const InitiativeSummary& initiative) const {
  if (!initiative.rank_key().ranked()) return 0;
  return static_cast<uint32_t>(
             ranked_.order_of_key(TupleOf(initiative.rank_key()))) +
         1;
}

PortfolioState::RankAt PortfolioState::RankAtPosition(const RankKey& key,
                                                      uint64_t position) const {
  RankAt result;
  if (!key.ranked()) return result;
  const RankTuple wanted = TupleOf(key);
  // Ranked keys before `key` now, corrected for every initiative whose key
  // changed after `position`: drop its key now, count its key then.
  int64_t before = static_cast<int64_t>(ranked_.order_of_key(wanted));
  auto first_after = std::upper_bound(
      key_changes_.begin(), key_changes_.end(),
      std::make_pair(position, std::numeric_limits<int>::max()));
  absl::flat_hash_set<int> seen;
  for (auto it = first_after; it != key_changes_.end(); ++it) {
    if (!seen.insert(it->second).second) continue;
    const InitiativeSummary& i = model_.initiatives(it->second);
    if (i.rank_key_position() <= position) continue;
    if (i.rank_key().ranked() && TupleOf(i.rank_key()) < wanted) --before;
    if (i.submitted_position() > position) continue;
    if (i.previous_rank_key_position() > position) result.exact = false;
    const RankKey& then = i.previous_rank_key();
    if (then.ranked() && TupleOf(then) < wanted) ++before;
  }
  result.rank = static_cast<uint32_t>(before) + 1;
  return result;
}

void PortfolioState::SetRankKey(InitiativeSummary& initiative,
                                uint64_t position) {
  RankKey key = KeyOf(initiative);
  if (SameKey(key, initiative.rank_key())) return;
  if (initiative.rank_key().ranked()) {
    ranked_.erase(TupleOf(initiative.rank_key()));
  }
  if (key.ranked()) ranked_.insert(TupleOf(key));
  key_changes_.emplace_back(position,
                            initiatives_.at(initiative.initiative_id()));
  *initiative.mutable_previous_rank_key() = initiative.rank_key();
  initiative.set_previous_rank_key_position(initiative.rank_key_position());
  *initiative.mutable_rank_key() = std::move(key);
  initiative.set_rank_key_position(position);
}

void PortfolioState::AddDemand(const InitiativeSummary& initiative, int sign) {
  for (const gavel::v1::CapacityDemand& demand : initiative.capacity_demand()) {
    PoolSummary* pool = MutablePool(demand.pool_id());
    if (pool == nullptr) continue;
    for (const gavel::v1::PeriodAmount& amount : demand.amounts()) {
      PeriodCapacity* p = PeriodOf(pool, amount.period_start());
      p->set_demand(p->demand() + sign * amount.amount());
      Flag(p);
    }
  }
}

void PortfolioState::UpdateMeasure(const gavel::v1::BenefitSummary& benefit) {
  // No objectives (scope kInitiatives): no lookup.
  if (objectives_.empty() || benefit.objective_id().empty() ||
      !benefit.measured()) {
    return;
  }
  gavel::v1::ObjectiveSummary* objective =
      MutableObjective(benefit.objective_id());
  if (objective == nullptr) return;
  for (gavel::v1::MeasureProgress& m : *objective->mutable_measures()) {
    if (m.measure_id() != benefit.measure_id()) continue;
    m.set_measured(true);
    m.set_actual(benefit.latest_value());
    MeasureProgressOf(&m);
  }
}

void PortfolioState::Apply(const DomainEvent& event) {
  if (scope_ == PortfolioScope::kInitiatives &&
      event.kind != gavel::v1::AGGREGATE_KIND_INITIATIVE) {
    return;
  }
  switch (event.kind) {
    case gavel::v1::AGGREGATE_KIND_INITIATIVE:
      ApplyInitiative(event);
      break;
    case gavel::v1::AGGREGATE_KIND_OBJECTIVE:
      ApplyObjective(event);
      break;
    case gavel::v1::AGGREGATE_KIND_CAPACITY_POOL:
      ApplyPool(event);
      break;
    case gavel::v1::AGGREGATE_KIND_PORTFOLIO_PLAN:
      ApplyPlan(event);
      break;
    default:
      break;
  }
}

void PortfolioState::ApplyObjective(const DomainEvent& event) {
  const gavel::v1::ObjectiveEvent& e = event.objective;
  if (e.has_defined()) {
    if (objectives_.contains(event.aggregate_id)) return;
    gavel::v1::ObjectiveSummary* o = model_.add_objectives();
    objectives_[event.aggregate_id] = model_.objectives_size() - 1;
    o->set_objective_id(event.aggregate_id);
    o->set_title(e.defined().title());
    o->set_horizon(e.defined().horizon());
    o->set_owner(e.defined().owner());
    o->set_parent_objective_id(e.defined().parent_objective_id());
    return;
  }
  gavel::v1::ObjectiveSummary* o = MutableObjective(event.aggregate_id);
  if (o == nullptr) return;
  if (e.has_success_measure_added()) {
    const gavel::v1::SuccessMeasureAdded& added = e.success_measure_added();
    gavel::v1::MeasureProgress* m = o->add_measures();
    m->set_measure_id(added.measure_id());
    m->set_name(added.name());
    m->set_unit(added.unit());
    m->set_decimals(added.decimals());
    m->set_direction(added.direction());
    m->set_baseline(added.baseline());
  } else if (e.has_measure_target_set()) {
    for (gavel::v1::MeasureProgress& m : *o->mutable_measures()) {
      if (m.measure_id() != e.measure_target_set().measure_id()) continue;
      m.set_has_target(true);
      m.set_target(e.measure_target_set().target());
      *m.mutable_target_date() = e.measure_target_set().target_date();
      MeasureProgressOf(&m);
    }
  } else if (e.has_retired()) {
    o->set_retired(true);
  }
}

void PortfolioState::ApplyPool(const DomainEvent& event) {
  const gavel::v1::CapacityPoolEvent& e = event.pool;
  if (e.has_defined()) {
    if (pools_.contains(event.aggregate_id)) return;
    PoolSummary* pool = model_.add_pools();
    pools_[event.aggregate_id] = model_.pools_size() - 1;
    encoded_reservations_.push_back(std::make_unique<EncodingCache>());
    pool->set_pool_id(event.aggregate_id);
    pool->set_name(e.defined().name());
    pool->set_unit_of_measure(e.defined().unit_of_measure());
    for (const gavel::v1::PeriodAmount& supply : e.defined().supply()) {
      PeriodCapacity* p = PeriodOf(pool, supply.period_start());
      p->set_supply(supply.amount());
      Flag(p);
    }
    return;
  }
  PoolSummary* pool = MutablePool(event.aggregate_id);
  if (pool == nullptr) return;
  EncodingCache& encoded =
      *encoded_reservations_[pools_.at(event.aggregate_id)];
  if (e.has_adjusted()) {
    PeriodCapacity* p = PeriodOf(pool, e.adjusted().period_start());
    p->set_supply(e.adjusted().supply());
    Flag(p);
  } else if (e.has_demand_reserved()) {
    const gavel::v1::DemandReserved& r = e.demand_reserved();
    gavel::v1::PoolReservation* kept = pool->add_reservations();
    encoded.Changed(pool->reservations_size() - 1);
    kept->set_initiative_id(r.initiative_id());
    *kept->mutable_amounts() = r.amounts();
    kept->set_firm(r.firm());
    if (r.firm()) {
      for (const gavel::v1::PeriodAmount& a : r.amounts()) {
        PeriodCapacity* p = PeriodOf(pool, a.period_start());
        p->set_firm_reserved(p->firm_reserved() + a.amount());
        Flag(p);
      }
    }
  } else if (e.has_demand_released()) {
    // As domain/capacity_pool.h: take the amounts back from the
    // initiative's reservations in force, oldest first, per period; drop
    // reservations left empty.
    const gavel::v1::DemandReleased& r = e.demand_released();
    for (const gavel::v1::PeriodAmount& a : r.amounts()) {
      int64_t left = a.amount();
      for (int k = 0; k < pool->reservations_size() && left > 0; ++k) {
        gavel::v1::PoolReservation& kept = *pool->mutable_reservations(k);
        if (kept.initiative_id() != r.initiative_id()) continue;
        encoded.Changed(k);
        for (gavel::v1::PeriodAmount& held : *kept.mutable_amounts()) {
          if (domain::CompareDates(held.period_start(), a.period_start()) !=
              0) {
            continue;
          }
          const int64_t take = std::min(left, held.amount());
          held.set_amount(held.amount() - take);
          left -= take;
          if (kept.firm()) {
            PeriodCapacity* p = PeriodOf(pool, a.period_start());
            p->set_firm_reserved(
                std::max<int64_t>(0, p->firm_reserved() - take));
            Flag(p);
          }
        }
      }
    }
    auto* reservations = pool->mutable_reservations();
    for (int i = reservations->size() - 1; i >= 0; --i) {
      bool empty = true;
      for (const gavel::v1::PeriodAmount& held :
           reservations->Get(i).amounts()) {
        if (held.amount() > 0) empty = false;
      }
      if (!empty) continue;
      reservations->DeleteSubrange(i, 1);
      encoded.Erased(i);
    }
  }
}

void PortfolioState::ApplyInitiative(const DomainEvent& event) {
  const gavel::v1::InitiativeEvent& e = event.initiative;
  if (e.has_submitted()) {
    if (initiatives_.contains(event.aggregate_id)) return;
    const gavel::v1::InitiativeSubmitted& s = e.submitted();
    InitiativeSummary* i = model_.add_initiatives();
    initiatives_[event.aggregate_id] = model_.initiatives_size() - 1;
    encoded_initiatives_.Changed(model_.initiatives_size() - 1);
    i->set_initiative_id(event.aggregate_id);
    i->set_title(s.title());
    i->set_business_unit(s.business_unit());
    i->set_sponsor(s.sponsor());
    i->set_status(gavel::v1::INITIATIVE_STATUS_PROPOSED);
    i->set_submitted_position(event.position);
    *i->mutable_submitted_at() = s.submitted_at();
    *i->mutable_cost_estimate() = s.cost_estimate();
    *i->mutable_capacity_demand() = s.capacity_demand();
    i->set_last_position(event.position);
    SetRankKey(*i, event.position);
    AddDemand(*i, +1);
    return;
  }
  // Others leave the summary (and its cached encoding) as it is.
  if (!ModifiesSummary(e)) return;
  InitiativeSummary* i = MutableInitiative(event.aggregate_id);
  if (i == nullptr) return;
  // Dependencies feed planning but not the summary's last_position.
  if (e.has_dependency_declared()) {
    gavel::v1::DependencySummary* d = i->add_open_dependencies();
    d->set_dependency_id(e.dependency_declared().dependency_id());
    d->set_depends_on_initiative_id(
        e.dependency_declared().depends_on_initiative_id());
    return;
  }
  if (e.has_dependency_resolved()) {
    auto* deps = i->mutable_open_dependencies();
    for (int k = 0; k < deps->size(); ++k) {
      if (deps->Get(k).dependency_id() ==
          e.dependency_resolved().dependency_id()) {
        deps->DeleteSubrange(k, 1);
        break;
      }
    }
    return;
  }
  i->set_last_position(event.position);
  switch (e.event_case()) {
    case gavel::v1::InitiativeEvent::kObjectiveLinked: {
      const gavel::v1::ObjectiveLinked& l = e.objective_linked();
      gavel::v1::ObjectiveLinkSummary* link = i->add_objectives();
      link->set_objective_id(l.objective_id());
      link->set_primary(l.primary());
      link->set_contribution_bp(l.contribution_bp());
      if (l.primary()) i->set_primary_objective_id(l.objective_id());
      i->set_objective_coverage_bp(i->objective_coverage_bp() +
                                   l.contribution_bp());
      if (gavel::v1::ObjectiveSummary* o = MutableObjective(l.objective_id())) {
        o->add_initiative_ids(i->initiative_id());
      }
      break;
    }
    case gavel::v1::InitiativeEvent::kObjectiveUnlinked: {
      const std::string& objective_id = e.objective_unlinked().objective_id();
      auto* links = i->mutable_objectives();
      for (int k = 0; k < links->size(); ++k) {
        if (links->Get(k).objective_id() != objective_id) continue;
        i->set_objective_coverage_bp(i->objective_coverage_bp() -
                                     links->Get(k).contribution_bp());
        if (links->Get(k).primary()) i->clear_primary_objective_id();
        links->DeleteSubrange(k, 1);
        break;
      }
      if (gavel::v1::ObjectiveSummary* o = MutableObjective(objective_id)) {
        auto* ids = o->mutable_initiative_ids();
        for (int k = 0; k < ids->size(); ++k) {
          if (ids->Get(k) == i->initiative_id()) {
            ids->DeleteSubrange(k, 1);
            break;
          }
        }
      }
      break;
    }
    case gavel::v1::InitiativeEvent::kBenefitRegistered: {
      const gavel::v1::BenefitRegistered& r = e.benefit_registered();
      gavel::v1::BenefitSummary* b = nullptr;
      for (gavel::v1::BenefitSummary& existing : *i->mutable_benefits()) {
        if (existing.benefit_id() == r.benefit_id()) b = &existing;
      }
      if (b == nullptr) b = i->add_benefits();
      b->set_benefit_id(r.benefit_id());
      b->set_name(r.name());
      b->set_objective_id(r.objective_id());
      b->set_measure_id(r.measure_id());
      b->set_decimals(r.decimals());
      b->set_direction(r.direction());
      b->set_dis_benefit(r.dis_benefit());
      b->set_baselined(r.has_baseline());
      b->set_baseline(r.baseline().value());
      b->set_target(r.target());
      *b->mutable_target_date() = r.target_date();
      Realize(b);
      break;
    }
    case gavel::v1::InitiativeEvent::kScorecardLocked: {
      const gavel::v1::ScorecardLocked& l = e.scorecard_locked();
      i->set_scored(true);
      i->set_weighted_score_bp(l.weighted_score_bp());
      i->set_framework_id(l.framework_id());
      i->set_framework_version(l.framework_version());
      *i->mutable_criteria() = l.criteria();
      SetRankKey(*i, event.position);
      break;
    }
    case gavel::v1::InitiativeEvent::kPriorityChanged:
      i->set_priority(e.priority_changed().to_priority());
      SetRankKey(*i, event.position);
      break;
    case gavel::v1::InitiativeEvent::kGateReviewRequested:
      i->set_open_review_gate(e.gate_review_requested().gate_id());
      break;
    case gavel::v1::InitiativeEvent::kGateDecided: {
      const gavel::v1::GateDecided& d = e.gate_decided();
      i->clear_open_review_gate();
      switch (d.outcome()) {
        case gavel::v1::GATE_OUTCOME_GO:
        case gavel::v1::GATE_OUTCOME_CONDITIONAL_GO:
          i->set_stage(d.gate_id());
          i->set_status(gavel::v1::INITIATIVE_STATUS_ACTIVE);
          if (d.has_budget_approved() &&
              d.budget_approved().minor_units() > 0) {
            *i->mutable_budget_approved() = d.budget_approved();
          }
          if (d.capacity_reserved_size() > 0) i->set_capacity_reserved(true);
          i->set_open_conditions(i->open_conditions() + d.conditions_size());
          break;
        case gavel::v1::GATE_OUTCOME_HOLD:
          i->set_status(gavel::v1::INITIATIVE_STATUS_ON_HOLD);
          break;
        case gavel::v1::GATE_OUTCOME_KILL:
          i->set_status(gavel::v1::INITIATIVE_STATUS_KILLED);
          AddDemand(*i, -1);
          break;
        default:
          break;
      }
      SetRankKey(*i, event.position);
      break;
    }
    case gavel::v1::InitiativeEvent::kHoldReleased:
      i->set_status(i->stage().empty() ? gavel::v1::INITIATIVE_STATUS_PROPOSED
                                       : gavel::v1::INITIATIVE_STATUS_ACTIVE);
      break;
    case gavel::v1::InitiativeEvent::kConditionSatisfied:
      i->set_open_conditions(std::max(0, i->open_conditions() - 1));
      break;
    case gavel::v1::InitiativeEvent::kForecastRevised: {
      const gavel::v1::ForecastRevised& f = e.forecast_revised();
      *i->mutable_forecast_cost() = f.cost_at_completion();
      *i->mutable_forecast_finish() = f.finish_date();
      for (const gavel::v1::BenefitForecast& bf : f.benefits()) {
        for (gavel::v1::BenefitSummary& b : *i->mutable_benefits()) {
          if (b.benefit_id() != bf.benefit_id()) continue;
          b.set_has_forecast(true);
          b.set_forecast(bf.value());
        }
      }
      break;
    }
    case gavel::v1::InitiativeEvent::kCostReported:
      AddMoney(i->mutable_actual_cost(), e.cost_reported().amount());
      break;
    case gavel::v1::InitiativeEvent::kBenefitMeasured: {
      const gavel::v1::BenefitMeasured& m = e.benefit_measured();
      for (gavel::v1::BenefitSummary& b : *i->mutable_benefits()) {
        if (b.benefit_id() != m.benefit_id()) continue;
        b.set_measured(true);
        b.set_latest_value(m.value());
        *b.mutable_latest_period_end() = m.period_end();
        Realize(&b);
        UpdateMeasure(b);
      }
      break;
    }
    case gavel::v1::InitiativeEvent::kRiskRaised: {
      const gavel::v1::RiskRaised& r = e.risk_raised();
      gavel::v1::RiskSummary* risk = i->add_open_risks();
      risk->set_risk_id(r.risk_id());
      risk->set_title(r.title());
      risk->set_probability_bp(r.probability_bp());
      risk->set_impact(r.impact());
      break;
    }
    case gavel::v1::InitiativeEvent::kRiskClosed: {
      auto* risks = i->mutable_open_risks();
      for (int k = 0; k < risks->size(); ++k) {
        if (risks->Get(k).risk_id() == e.risk_closed().risk_id()) {
          risks->DeleteSubrange(k, 1);
          break;
        }
      }
      break;
    }
    case gavel::v1::InitiativeEvent::kWithdrawn:
      i->set_status(gavel::v1::INITIATIVE_STATUS_WITHDRAWN);
      i->clear_open_review_gate();
      AddDemand(*i, -1);
      SetRankKey(*i, event.position);
      break;
    case gavel::v1::InitiativeEvent::kClosed:
      i->set_status(gavel::v1::INITIATIVE_STATUS_CLOSED);
      AddDemand(*i, -1);
      SetRankKey(*i, event.position);
      break;
    default:
      break;
  }
}

void PortfolioState::ApplyPlan(const DomainEvent& event) {
  if (!event.plan.has_plan_published()) return;
  const gavel::v1::PlanPublished& p = event.plan.plan_published();
  gavel::v1::PlanOfRecord* plan = nullptr;
  for (gavel::v1::PlanOfRecord& existing : *model_.mutable_plans()) {
    if (existing.horizon() == p.horizon()) plan = &existing;
  }
  std::vector<std::string> superseded;
  if (plan == nullptr) {
    plan = model_.add_plans();
  } else {
    superseded.assign(plan->superseded_plan_ids().begin(),
                      plan->superseded_plan_ids().end());
    if (plan->plan_id() != event.aggregate_id &&
        std::find(superseded.begin(), superseded.end(), plan->plan_id()) ==
            superseded.end()) {
      superseded.push_back(plan->plan_id());
    }
    plan->Clear();
  }
  plan->set_plan_id(event.aggregate_id);
  plan->set_horizon(p.horizon());
  plan->set_run(p.run());
  *plan->mutable_ranking() = p.ranking();
  plan->set_cut_line(p.cut_line());
  plan->set_objective_value(p.objective_value());
  *plan->mutable_decision() = p.decision();
  plan->set_override_reason(p.override_reason());
  *plan->mutable_overridden_constraints() = p.overridden_constraints();
  plan->set_published_position(event.position);
  *plan->mutable_published_at() = p.published_at();
  plan->set_published_by(p.published_by());
  for (std::string& id : superseded) {
    if (id != event.aggregate_id) plan->add_superseded_plan_ids(std::move(id));
  }
}

}  // namespace gavel::projections
