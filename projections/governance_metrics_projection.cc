#include "projections/governance_metrics_projection.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <utility>
#include <vector>

#include "domain/basis_points.h"
#include "domain/calendar.h"
#include "domain/decision_latency.h"
#include "projections/snapshot_codec.h"

namespace gavel::projections {
namespace {

using gavel::v1::GateOutcome;

int32_t Share(int64_t part, int64_t whole) {
  if (whole == 0) return 0;
  return static_cast<int32_t>(
      domain::DivideRoundHalfAwayFromZero(part * 10000, whole));
}

google::protobuf::Duration ToDuration(absl::Duration d) {
  google::protobuf::Duration out;
  out.set_seconds(absl::ToInt64Seconds(d));
  return out;
}

absl::Duration FromDuration(const google::protobuf::Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

void Count(gavel::v1::OutcomeMix* mix, GateOutcome outcome) {
  switch (outcome) {
    case gavel::v1::GATE_OUTCOME_GO:
      mix->set_go(mix->go() + 1);
      break;
    case gavel::v1::GATE_OUTCOME_CONDITIONAL_GO:
      mix->set_conditional_go(mix->conditional_go() + 1);
      break;
    case gavel::v1::GATE_OUTCOME_HOLD:
      mix->set_hold(mix->hold() + 1);
      break;
    case gavel::v1::GATE_OUTCOME_RECYCLE:
      mix->set_recycle(mix->recycle() + 1);
      break;
    case gavel::v1::GATE_OUTCOME_KILL:
      mix->set_kill(mix->kill() + 1);
      break;
    default:
      break;
  }
}

void Shares(gavel::v1::OutcomeMix* m) {
  const int64_t n =
      m->go() + m->conditional_go() + m->hold() + m->recycle() + m->kill();
  m->set_go_bp(Share(m->go(), n));
  m->set_conditional_go_bp(Share(m->conditional_go(), n));
  m->set_hold_bp(Share(m->hold(), n));
  m->set_recycle_bp(Share(m->recycle(), n));
  m->set_kill_bp(Share(m->kill(), n));
  m->set_deferral_bp(Share(m->deferrals(), n + m->deferrals()));
}

int CadenceDays(gavel::v1::Cadence cadence) {
  switch (cadence) {
    case gavel::v1::CADENCE_WEEKLY:
      return 7;
    case gavel::v1::CADENCE_FORTNIGHTLY:
      return 14;
    case gavel::v1::CADENCE_MONTHLY:
      return 31;
    case gavel::v1::CADENCE_QUARTERLY:
      return 92;
    default:
      return 0;
  }
}

absl::Time DayStart(const gavel::v1::Date& d) {
  return absl::FromCivil(absl::CivilDay(d.year(), d.month(), d.day()),
                         absl::UTCTimeZone());
}

bool InScope(const gavel::v1::ServiceLevelScope& scope,
             absl::string_view board_id, absl::string_view gate_id) {
  return (scope.board_id().empty() || scope.board_id() == board_id) &&
         (scope.gate_id().empty() || scope.gate_id() == gate_id);
}

}  // namespace

gavel::v1::CycleMetrics* GovernanceMetricsProjection::Cycle(
    absl::string_view cycle_id) {
  auto it = cycles_.find(cycle_id);
  return it == cycles_.end() ? nullptr : model_.mutable_cycles(it->second);
}

gavel::v1::MetricsInitiative* GovernanceMetricsProjection::Initiative(
    absl::string_view id) {
  auto it = initiatives_.find(id);
  if (it == initiatives_.end()) return nullptr;
  encoded_initiatives_.Changed(it->second);
  return model_.mutable_initiatives(it->second);
}

void GovernanceMetricsProjection::Apply(const DomainEvent& event) {
  model_.set_position(event.position);
  domain::SetTimestamp(event.recorded_at, model_.mutable_last_recorded_at());
  switch (event.kind) {
    case gavel::v1::AGGREGATE_KIND_BOARD:
      if (event.board.has_chartered()) {
        gavel::v1::MetricsBoard* board = model_.add_boards();
        board->set_board_id(event.aggregate_id);
        *board->mutable_sla() = event.board.chartered().decision_latency_sla();
        board->set_cadence(event.board.chartered().cadence());
      }
      break;
    case gavel::v1::AGGREGATE_KIND_GOVERNANCE_CYCLE: {
      const gavel::v1::GovernanceCycleEvent& e = event.cycle;
      if (e.has_scheduled()) {
        gavel::v1::CycleMetrics* c = model_.add_cycles();
        cycles_[event.aggregate_id] = model_.cycles_size() - 1;
        c->set_cycle_id(event.aggregate_id);
        c->set_board_id(e.scheduled().board_id());
        c->set_kind(e.scheduled().kind());
        *c->mutable_scheduled_on() = e.scheduled().scheduled_on();
        break;
      }
      gavel::v1::CycleMetrics* c = Cycle(event.aggregate_id);
      if (c == nullptr) break;
      if (e.has_agenda_item_added()) {
        c->set_agenda_items(c->agenda_items() + 1);
        if (!e.agenda_item_added().deferred_from_cycle_id().empty()) {
          c->set_carried_over_items(c->carried_over_items() + 1);
        }
      } else if (e.has_agenda_item_deferred()) {
        c->set_deferred_items(c->deferred_items() + 1);
        c->mutable_outcomes()->set_deferrals(c->outcomes().deferrals() + 1);
      } else if (e.has_closed()) {
        c->set_closed(true);
        *c->mutable_held_on() = e.closed().held_on();
      }
      break;
    }
    case gavel::v1::AGGREGATE_KIND_PMO_SERVICE:
      if (event.pmo.has_service_level_defined()) {
        *model_.add_service_levels() = event.pmo.service_level_defined();
      } else if (event.pmo.has_stakeholder_feedback_recorded()) {
        const auto& f = event.pmo.stakeholder_feedback_recorded();
        model_.set_feedback_responses(model_.feedback_responses() + 1);
        model_.set_feedback_score_sum(model_.feedback_score_sum() + f.score());
        if (gavel::v1::CycleMetrics* c = Cycle(f.cycle_id())) {
          c->set_feedback_responses(c->feedback_responses() + 1);
          c->set_feedback_score_sum(c->feedback_score_sum() + f.score());
          c->set_satisfaction_x100(
              static_cast<int32_t>(domain::DivideRoundHalfAwayFromZero(
                  c->feedback_score_sum() * 100, c->feedback_responses())));
        }
      }
      break;
    case gavel::v1::AGGREGATE_KIND_INITIATIVE:
      ApplyInitiative(event);
      break;
    default:
      break;
  }
}

void GovernanceMetricsProjection::ApplyInitiative(const DomainEvent& event) {
  const gavel::v1::InitiativeEvent& e = event.initiative;
  if (e.has_submitted()) {
    if (initiatives_.contains(event.aggregate_id)) return;
    gavel::v1::MetricsInitiative* i = model_.add_initiatives();
    initiatives_[event.aggregate_id] = model_.initiatives_size() - 1;
    encoded_initiatives_.Changed(model_.initiatives_size() - 1);
    i->set_initiative_id(event.aggregate_id);
    *i->mutable_submitted_at() = e.submitted().submitted_at();
    *i->mutable_milestones() = e.submitted().milestones();
    return;
  }
  gavel::v1::MetricsInitiative* i = Initiative(event.aggregate_id);
  if (i == nullptr) return;
  if (e.has_gate_review_requested()) {
    gavel::v1::MetricsOpenReview* r = model_.add_open_reviews();
    r->set_initiative_id(event.aggregate_id);
    r->set_board_id(e.gate_review_requested().board_id());
    r->set_gate_id(e.gate_review_requested().gate_id());
    *r->mutable_requested_at() = e.gate_review_requested().requested_at();
  } else if (e.has_gate_decided()) {
    const gavel::v1::GateDecided& d = e.gate_decided();
    auto* open = model_.mutable_open_reviews();
    google::protobuf::Timestamp requested = d.decided_at();
    for (int k = 0; k < open->size(); ++k) {
      if (open->Get(k).initiative_id() != event.aggregate_id) continue;
      requested = open->Get(k).requested_at();
      open->DeleteSubrange(k, 1);
      break;
    }
    const absl::Duration latency =
        domain::DecisionLatency(requested, d.decided_at());
    gavel::v1::MetricsDecisionFact* fact = model_.add_decisions();
    encoded_decisions_.Changed(model_.decisions_size() - 1);
    fact->set_board_id(d.board_id());
    fact->set_gate_id(d.gate_id());
    fact->set_cycle_id(d.cycle_id());
    fact->set_outcome(d.outcome());
    fact->set_latency_seconds(absl::ToInt64Seconds(latency));
    fact->set_initiative_id(event.aggregate_id);
    if (!i->g0_decided()) {
      i->set_g0_decided(true);
      i->set_intake_latency_seconds(absl::ToInt64Seconds(
          domain::DecisionLatency(i->submitted_at(), d.decided_at())));
    }
    if (gavel::v1::CycleMetrics* c = Cycle(d.cycle_id())) {
      c->set_decisions(c->decisions() + 1);
      Count(c->mutable_outcomes(), d.outcome());
      Shares(c->mutable_outcomes());
    }
    for (const gavel::v1::Condition& condition : d.conditions()) {
      gavel::v1::MetricsCondition* m = model_.add_conditions();
      encoded_conditions_.Changed(model_.conditions_size() - 1);
      m->set_initiative_id(event.aggregate_id);
      m->set_board_id(d.board_id());
      m->set_gate_id(d.gate_id());
      m->set_condition_id(condition.condition_id());
      *m->mutable_due_date() = condition.due_date();
    }
  } else if (e.has_condition_satisfied()) {
    auto* conditions = model_.mutable_conditions();
    for (int k = 0; k < conditions->size(); ++k) {
      gavel::v1::MetricsCondition& m = *conditions->Mutable(k);
      if (m.initiative_id() == event.aggregate_id &&
          m.condition_id() == e.condition_satisfied().condition_id()) {
        encoded_conditions_.Changed(k);
        m.set_satisfied(true);
        *m.mutable_satisfied_on() = e.condition_satisfied().satisfied_on();
      }
    }
  } else if (e.has_milestone_achieved()) {
    *i->add_achieved() = e.milestone_achieved();
  } else if (e.has_forecast_revised()) {
    const int64_t cost =
        e.forecast_revised().cost_at_completion().minor_units();
    if (i->has_forecast() && i->last_forecast_minor_units() > 0) {
      i->set_reforecasts(i->reforecasts() + 1);
      i->set_forecast_error_bp_sum(
          i->forecast_error_bp_sum() +
          domain::DivideRoundHalfAwayFromZero(
              std::llabs(cost - i->last_forecast_minor_units()) * 10000,
              i->last_forecast_minor_units()));
    }
    i->set_has_forecast(true);
    i->set_last_forecast_minor_units(cost);
  }
}

gavel::v1::GovernanceMetrics GovernanceMetricsProjection::Compute(
    absl::string_view board_filter, const PortfolioState& portfolio) const {
  gavel::v1::GovernanceMetrics out;
  out.set_position(model_.position());
  *out.mutable_as_of_time() = model_.last_recorded_at();
  const absl::Time now = domain::FromTimestamp(model_.last_recorded_at());
  const gavel::v1::Date today = domain::DateOf(now);

  // Per board and gate ("" = the board's totals).
  struct Group {
    std::vector<absl::Duration> latencies;
    uint32_t within_sla = 0;
    gavel::v1::OutcomeMix outcomes;
    std::vector<absl::Duration> open_ages;
    uint32_t conditions_due = 0;
    uint32_t conditions_on_time = 0;
  };
  std::map<std::pair<std::string, std::string>, Group> groups;
  absl::flat_hash_map<std::string, const gavel::v1::MetricsBoard*> boards;
  for (const gavel::v1::MetricsBoard& b : model_.boards()) {
    if (!board_filter.empty() && b.board_id() != board_filter) continue;
    boards[b.board_id()] = &b;
    groups[{b.board_id(), ""}];
  }
  auto each = [&](const std::string& board, const std::string& gate,
                  auto&& fn) {
    if (!boards.contains(board)) return;
    fn(groups[{board, ""}]);
    fn(groups[{board, gate}]);
  };
  for (const gavel::v1::MetricsDecisionFact& d : model_.decisions()) {
    const absl::Duration latency = absl::Seconds(d.latency_seconds());
    each(d.board_id(), d.gate_id(), [&](Group& g) {
      g.latencies.push_back(latency);
      if (domain::MeetsSla(latency,
                           FromDuration(boards[d.board_id()]->sla()))) {
        ++g.within_sla;
      }
      Count(&g.outcomes, d.outcome());
    });
  }
  for (const gavel::v1::MetricsOpenReview& r : model_.open_reviews()) {
    const absl::Duration age = std::max(
        absl::ZeroDuration(), now - domain::FromTimestamp(r.requested_at()));
    each(r.board_id(), r.gate_id(),
         [&](Group& g) { g.open_ages.push_back(age); });
  }
  uint32_t all_conditions_due = 0;
  uint32_t all_conditions_on_time = 0;
  for (const gavel::v1::MetricsCondition& c : model_.conditions()) {
    const bool due =
        c.satisfied() || domain::CompareDates(c.due_date(), today) < 0;
    if (!due) continue;
    const bool on_time =
        c.satisfied() &&
        domain::CompareDates(c.satisfied_on(), c.due_date()) <= 0;
    ++all_conditions_due;
    if (on_time) ++all_conditions_on_time;
    each(c.board_id(), c.gate_id(), [&](Group& g) {
      ++g.conditions_due;
      if (on_time) ++g.conditions_on_time;
    });
  }
  // Cycles: deferrals and cadence per board.
  absl::flat_hash_map<std::string, std::vector<absl::Time>> held;
  for (const gavel::v1::CycleMetrics& c : model_.cycles()) {
    if (!boards.contains(c.board_id())) continue;
    gavel::v1::OutcomeMix& mix = groups[{c.board_id(), ""}].outcomes;
    mix.set_deferrals(mix.deferrals() + c.deferred_items());
    if (c.closed()) held[c.board_id()].push_back(DayStart(c.held_on()));
    *out.add_cycles() = c;
  }
  for (auto& [key, g] : groups) {
    const gavel::v1::MetricsBoard& board = *boards[key.first];
    gavel::v1::BoardGateMetrics* m = out.add_boards();
    m->set_board_id(key.first);
    m->set_gate_id(key.second);
    gavel::v1::LatencyStats* l = m->mutable_latency();
    l->set_decisions(g.latencies.size());
    *l->mutable_p50() =
        ToDuration(domain::LatencyPercentile(g.latencies, 5000));
    *l->mutable_p90() =
        ToDuration(domain::LatencyPercentile(g.latencies, 9000));
    *l->mutable_max() =
        ToDuration(domain::LatencyPercentile(g.latencies, 10000));
    *l->mutable_sla() = board.sla();
    l->set_within_sla(g.within_sla);
    l->set_sla_attainment_bp(Share(g.within_sla, g.latencies.size()));
    *m->mutable_outcomes() = g.outcomes;
    Shares(m->mutable_outcomes());
    m->set_open_reviews(g.open_ages.size());
    absl::Duration oldest, total;
    for (absl::Duration age : g.open_ages) {
      oldest = std::max(oldest, age);
      total += age;
    }
    *m->mutable_oldest_open_review_age() = ToDuration(oldest);
    *m->mutable_mean_open_review_age() = ToDuration(
        g.open_ages.empty() ? absl::ZeroDuration()
                            : total / static_cast<int64_t>(g.open_ages.size()));
    m->set_conditions_due(g.conditions_due);
    m->set_conditions_closed_on_time(g.conditions_on_time);
    m->set_conditions_on_time_bp(Share(g.conditions_on_time, g.conditions_due));
    int32_t adherence = -1;
    if (key.second.empty()) {
      std::vector<absl::Time>& days = held[key.first];
      const int cadence = CadenceDays(board.cadence());
      if (cadence > 0 && days.size() >= 2) {
        std::sort(days.begin(), days.end());
        int64_t kept = 0;
        for (size_t k = 1; k < days.size(); ++k) {
          if (days[k] - days[k - 1] <= absl::Hours(24 * cadence)) ++kept;
        }
        adherence = Share(kept, static_cast<int64_t>(days.size() - 1));
      }
    }
    m->set_cadence_adherence_bp(adherence);
  }

  // Portfolio KPIs.
  gavel::v1::PortfolioKpis* k = out.mutable_kpis();
  int64_t net_sum = 0;
  absl::flat_hash_map<std::string, bool> funded;  // Active objectives.
  for (const gavel::v1::ObjectiveSummary& o : portfolio.model().objectives()) {
    if (!o.retired()) funded[o.objective_id()] = false;
  }
  int64_t accuracy_sum = 0;
  for (const gavel::v1::InitiativeSummary& i :
       portfolio.model().initiatives()) {
    for (const gavel::v1::BenefitSummary& b : i.benefits()) {
      if (!b.measured() || !b.baselined()) continue;
      k->set_measured_benefits(k->measured_benefits() + 1);
      net_sum += b.net_bp();
    }
    const bool active = i.rank_key().ranked();
    if (active) {
      const int64_t budget = i.budget_approved().minor_units() > 0
                                 ? i.budget_approved().minor_units()
                                 : i.cost_estimate().minor_units();
      bool aligned = false;
      for (const gavel::v1::ObjectiveLinkSummary& link : i.objectives()) {
        auto it = funded.find(link.objective_id());
        if (it == funded.end()) continue;
        aligned = true;
        if (i.budget_approved().minor_units() > 0) it->second = true;
      }
      k->set_active_initiatives(k->active_initiatives() + 1);
      k->set_active_budget_minor_units(k->active_budget_minor_units() + budget);
      if (aligned) {
        k->set_aligned_initiatives(k->aligned_initiatives() + 1);
        k->set_aligned_budget_minor_units(k->aligned_budget_minor_units() +
                                          budget);
      }
    }
    if (i.status() == gavel::v1::INITIATIVE_STATUS_CLOSED &&
        i.budget_approved().minor_units() > 0) {
      const int64_t approved = i.budget_approved().minor_units();
      k->set_budget_accuracy_samples(k->budget_accuracy_samples() + 1);
      accuracy_sum +=
          10000 -
          domain::DivideRoundHalfAwayFromZero(
              std::llabs(i.actual_cost().minor_units() - approved) * 10000,
              approved);
    }
  }
  k->set_benefit_realization_bp(k->measured_benefits() == 0
                                    ? 0
                                    : domain::DivideRoundHalfAwayFromZero(
                                          net_sum, k->measured_benefits()));
  k->set_alignment_count_bp(
      Share(k->aligned_initiatives(), k->active_initiatives()));
  k->set_alignment_budget_bp(
      Share(k->aligned_budget_minor_units(), k->active_budget_minor_units()));
  for (const gavel::v1::ObjectiveSummary& o : portfolio.model().objectives()) {
    auto it = funded.find(o.objective_id());
    if (it != funded.end() && !it->second) {
      k->add_unfunded_objective_ids(o.objective_id());
    }
  }
  k->set_budget_accuracy_bp(
      k->budget_accuracy_samples() == 0
          ? 0
          : domain::DivideRoundHalfAwayFromZero(accuracy_sum,
                                                k->budget_accuracy_samples()));
  int64_t error_sum = 0;
  std::vector<absl::Duration> intake;
  for (const gavel::v1::MetricsInitiative& i : model_.initiatives()) {
    for (const gavel::v1::Milestone& m : i.milestones()) {
      const gavel::v1::MilestoneAchieved* achieved = nullptr;
      for (const gavel::v1::MilestoneAchieved& a : i.achieved()) {
        if (a.milestone_id() == m.milestone_id()) achieved = &a;
      }
      if (achieved == nullptr &&
          domain::CompareDates(m.committed_date(), today) >= 0) {
        continue;  // Neither achieved nor overdue yet.
      }
      k->set_milestones_due(k->milestones_due() + 1);
      if (achieved != nullptr &&
          domain::CompareDates(achieved->achieved_on(), m.committed_date()) <=
              0) {
        k->set_milestones_on_time(k->milestones_on_time() + 1);
      }
    }
    k->set_reforecasts(k->reforecasts() + i.reforecasts());
    error_sum += i.forecast_error_bp_sum();
    if (i.g0_decided())
      intake.push_back(absl::Seconds(i.intake_latency_seconds()));
  }
  k->set_milestone_predictability_bp(
      Share(k->milestones_on_time(), k->milestones_due()));
  k->set_forecast_error_bp(
      k->reforecasts() == 0
          ? 0
          : domain::DivideRoundHalfAwayFromZero(error_sum, k->reforecasts()));
  for (const gavel::v1::PoolSummary& pool : portfolio.model().pools()) {
    for (const gavel::v1::PeriodCapacity& p : pool.periods()) {
      k->set_capacity_supply(k->capacity_supply() + p.supply());
      k->set_capacity_reserved(k->capacity_reserved() + p.firm_reserved());
      if (p.firm_reserved() > p.supply()) {
        k->set_over_allocated_periods(k->over_allocated_periods() + 1);
        k->set_over_allocation(k->over_allocation() + p.firm_reserved() -
                               p.supply());
      }
    }
  }
  k->set_capacity_utilization_bp(
      Share(k->capacity_reserved(), k->capacity_supply()));

  // Service levels.
  for (const gavel::v1::ServiceLevelDefined& level : model_.service_levels()) {
    gavel::v1::ServiceLevelAttainment* a = out.add_service_levels();
    a->set_service_level_id(level.service_level_id());
    a->set_name(level.name());
    a->set_metric(level.metric());
    switch (level.metric()) {
      case gavel::v1::SERVICE_METRIC_GATE_DECISION_LATENCY:
      case gavel::v1::SERVICE_METRIC_INTAKE_LATENCY: {
        std::vector<absl::Duration> samples;
        if (level.metric() == gavel::v1::SERVICE_METRIC_INTAKE_LATENCY) {
          samples = intake;
        } else {
          for (const gavel::v1::MetricsDecisionFact& d : model_.decisions()) {
            if (InScope(level.scope(), d.board_id(), d.gate_id())) {
              samples.push_back(absl::Seconds(d.latency_seconds()));
            }
          }
        }
        const absl::Duration observed =
            domain::LatencyPercentile(samples, level.percentile_bp());
        a->set_samples(samples.size());
        a->set_observed(absl::ToInt64Seconds(observed));
        a->set_threshold(level.max_latency().seconds());
        a->set_attained(
            domain::MeetsSla(observed, FromDuration(level.max_latency())));
        break;
      }
      case gavel::v1::SERVICE_METRIC_CONDITIONS_CLOSED_ON_TIME:
        a->set_samples(all_conditions_due);
        a->set_observed(Share(all_conditions_on_time, all_conditions_due));
        a->set_threshold(level.min_value());
        a->set_attained(a->observed() >= level.min_value());
        break;
      case gavel::v1::SERVICE_METRIC_STAKEHOLDER_SATISFACTION:
        a->set_samples(model_.feedback_responses());
        a->set_observed(model_.feedback_responses() == 0
                            ? 0
                            : domain::DivideRoundHalfAwayFromZero(
                                  model_.feedback_score_sum() * 100,
                                  model_.feedback_responses()));
        a->set_threshold(level.min_value());
        a->set_attained(a->observed() >= level.min_value());
        break;
      default:
        break;
    }
  }
  return out;
}

std::string GovernanceMetricsProjection::Snapshot() const {
  // A gavel.v1.GovernanceMetricsModel, field by field in number order,
  // without copies: model_'s fields, the long lists from their encoding
  // caches.
  std::string decisions, conditions, initiatives;
  encoded_decisions_.AppendTo(3, model_.decisions(), decisions);
  encoded_conditions_.AppendTo(5, model_.conditions(), conditions);
  encoded_initiatives_.AppendTo(7, model_.initiatives(), initiatives);
  gavel::v1::GovernanceMetricsModel scalars;
  *scalars.mutable_last_recorded_at() = model_.last_recorded_at();
  scalars.set_feedback_responses(model_.feedback_responses());
  scalars.set_feedback_score_sum(model_.feedback_score_sum());
  scalars.set_position(model_.position());
  SnapshotWriter writer;
  for (const gavel::v1::MetricsBoard& b : model_.boards()) writer.Add(2, b);
  writer.AddEncoded(decisions);
  for (const gavel::v1::MetricsOpenReview& r : model_.open_reviews()) {
    writer.Add(4, r);
  }
  writer.AddEncoded(conditions);
  for (const gavel::v1::CycleMetrics& c : model_.cycles()) writer.Add(6, c);
  writer.AddEncoded(initiatives);
  for (const gavel::v1::ServiceLevelDefined& l : model_.service_levels()) {
    writer.Add(8, l);
  }
  writer.AddFields(scalars);
  return writer.Finish();
}

absl::Status GovernanceMetricsProjection::Restore(absl::string_view snapshot) {
  absl::StatusOr<gavel::v1::GovernanceMetricsModel> model =
      ParseModel<gavel::v1::GovernanceMetricsModel>(snapshot, name());
  if (!model.ok()) return model.status();
  // A snapshot of an older version holds a portfolio (field 1): dropped.
  model->DiscardUnknownFields();
  model_ = *std::move(model);
  encoded_decisions_.Clear();
  encoded_conditions_.Clear();
  encoded_initiatives_.Clear();
  Reindex();
  return absl::OkStatus();
}

void GovernanceMetricsProjection::Reindex() {
  cycles_.clear();
  initiatives_.clear();
  for (int i = 0; i < model_.cycles_size(); ++i) {
    cycles_[model_.cycles(i).cycle_id()] = i;
  }
  for (int i = 0; i < model_.initiatives_size(); ++i) {
    initiatives_[model_.initiatives(i).initiative_id()] = i;
  }
}

}  // namespace gavel::projections
