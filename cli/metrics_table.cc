#include "cli/metrics_table.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace gavel::cli {
namespace {

absl::CivilDay DayOf(const gavel::v1::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

std::string DateText(const gavel::v1::Date& date) {
  if (date.year() == 0) return "-";
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(),
                         date.day());
}

// A share in basis points as a percentage; "-" when there is nothing to
// share (negative: not applicable).
std::string Percent(int64_t bp, bool any = true) {
  if (!any || bp < 0) return "-";
  return absl::StrFormat("%.1f%%", static_cast<double>(bp) / 100.0);
}

// A duration as the largest sensible unit.
std::string Age(int64_t seconds) {
  if (seconds < 120) return absl::StrCat(seconds, "s");
  if (seconds < 2 * 3600) return absl::StrCat(seconds / 60, "m");
  if (seconds < 2 * 86400) return absl::StrCat(seconds / 3600, "h");
  return absl::StrCat(seconds / 86400, "d");
}

std::string Mix(const gavel::v1::OutcomeMix& m) {
  return absl::StrFormat("%u/%u/%u/%u/%u", m.go(), m.conditional_go(), m.hold(),
                         m.recycle(), m.kill());
}

}  // namespace

void KeepCyclesSince(absl::CivilDay since,
                     gavel::v1::GovernanceMetrics& metrics) {
  auto* cycles = metrics.mutable_cycles();
  cycles->erase(std::remove_if(cycles->begin(), cycles->end(),
                               [&](const gavel::v1::CycleMetrics& c) {
                                 return DayOf(c.scheduled_on()) < since;
                               }),
                cycles->end());
}

std::string MetricsTable(const gavel::v1::GovernanceMetrics& metrics) {
  std::string out;
  absl::StrAppendFormat(&out,
                        "DECISIONS BY BOARD AND GATE (outcomes "
                        "go/cond/hold/recycle/kill)\n%-10s %-5s %5s %7s %7s "
                        "%7s %7s %8s %-13s %5s %7s %9s %8s\n",
                        "BOARD", "GATE", "DEC", "P50", "P90", "MAX", "SLA",
                        "IN SLA", "OUTCOMES", "OPEN", "OLDEST", "COND OK",
                        "CADENCE");
  for (const gavel::v1::BoardGateMetrics& b : metrics.boards()) {
    const gavel::v1::LatencyStats& l = b.latency();
    const bool decided = l.decisions() > 0;
    absl::StrAppendFormat(
        &out, "%-10s %-5s %5u %7s %7s %7s %7s %8s %-13s %5u %7s %9s %8s\n",
        b.board_id(), b.gate_id().empty() ? "all" : b.gate_id(), l.decisions(),
        decided ? Age(l.p50().seconds()) : "-",
        decided ? Age(l.p90().seconds()) : "-",
        decided ? Age(l.max().seconds()) : "-",
        l.sla().seconds() > 0 ? Age(l.sla().seconds()) : "-",
        Percent(l.sla_attainment_bp(), decided && l.sla().seconds() > 0),
        Mix(b.outcomes()), b.open_reviews(),
        b.open_reviews() > 0 ? Age(b.oldest_open_review_age().seconds()) : "-",
        Percent(b.conditions_on_time_bp(), b.conditions_due() > 0),
        b.gate_id().empty() ? Percent(b.cadence_adherence_bp()) : "");
  }

  std::vector<const gavel::v1::CycleMetrics*> cycles;
  for (const gavel::v1::CycleMetrics& c : metrics.cycles()) {
    cycles.push_back(&c);
  }
  std::stable_sort(
      cycles.begin(), cycles.end(),
      [](const gavel::v1::CycleMetrics* a, const gavel::v1::CycleMetrics* b) {
        return DayOf(a->scheduled_on()) < DayOf(b->scheduled_on());
      });
  absl::StrAppendFormat(&out,
                        "\nTREND PER CYCLE\n%-22s %-10s %-10s %-10s %5s %5s "
                        "%5s %-13s %7s\n",
                        "CYCLE", "BOARD", "SCHEDULED", "HELD", "ITEMS", "DEFER",
                        "DEC", "OUTCOMES", "SATISF");
  for (const gavel::v1::CycleMetrics* c : cycles) {
    absl::StrAppendFormat(
        &out, "%-22s %-10s %-10s %-10s %5u %5u %5u %-13s %7s\n", c->cycle_id(),
        c->board_id(), DateText(c->scheduled_on()),
        c->closed() ? DateText(c->held_on()) : "open", c->agenda_items(),
        c->deferred_items(), c->decisions(), Mix(c->outcomes()),
        c->feedback_responses() > 0
            ? absl::StrFormat("%.2f", c->satisfaction_x100() / 100.0)
            : "-");
  }

  const gavel::v1::PortfolioKpis& k = metrics.kpis();
  absl::StrAppendFormat(&out, "\nPORTFOLIO KPIS\n");
  absl::StrAppendFormat(
      &out, "  benefit realisation   %s of target (%u benefits measured)\n",
      Percent(k.benefit_realization_bp(), k.measured_benefits() > 0),
      k.measured_benefits());
  absl::StrAppendFormat(
      &out,
      "  alignment             %s of %u active initiatives, %s of active "
      "budget\n",
      Percent(k.alignment_count_bp(), k.active_initiatives() > 0),
      k.active_initiatives(),
      Percent(k.alignment_budget_bp(), k.active_budget_minor_units() > 0));
  std::string unfunded;
  for (const std::string& id : k.unfunded_objective_ids()) {
    absl::StrAppend(&unfunded, unfunded.empty() ? "" : ", ", id);
  }
  absl::StrAppendFormat(&out, "  unfunded objectives   %s\n",
                        unfunded.empty() ? "none" : unfunded);
  absl::StrAppendFormat(
      &out, "  budget accuracy       %s (%u closed initiatives)\n",
      Percent(k.budget_accuracy_bp(), k.budget_accuracy_samples() > 0),
      k.budget_accuracy_samples());
  absl::StrAppendFormat(
      &out, "  milestones on time    %s (%u of %u due)\n",
      Percent(k.milestone_predictability_bp(), k.milestones_due() > 0),
      k.milestones_on_time(), k.milestones_due());
  absl::StrAppendFormat(&out, "  forecast error        %s (%u re-forecasts)\n",
                        Percent(k.forecast_error_bp(), k.reforecasts() > 0),
                        k.reforecasts());
  absl::StrAppendFormat(
      &out, "  capacity utilisation  %s (%u over-allocated periods)\n",
      Percent(k.capacity_utilization_bp(), k.capacity_supply() > 0),
      k.over_allocated_periods());

  absl::StrAppendFormat(&out, "\nSERVICE LEVELS\n%-22s %7s %10s %10s %-4s %s\n",
                        "ID", "SAMPLES", "OBSERVED", "THRESHOLD", "MET",
                        "NAME");
  for (const gavel::v1::ServiceLevelAttainment& s : metrics.service_levels()) {
    const bool latency =
        s.metric() == gavel::v1::SERVICE_METRIC_INTAKE_LATENCY ||
        s.metric() == gavel::v1::SERVICE_METRIC_GATE_DECISION_LATENCY;
    auto value = [&](int64_t v) {
      if (latency) return Age(v);
      if (s.metric() == gavel::v1::SERVICE_METRIC_CONDITIONS_CLOSED_ON_TIME) {
        return Percent(v);
      }
      return absl::StrFormat("%.2f", v / 100.0);
    };
    absl::StrAppendFormat(&out, "%-22s %7u %10s %10s %-4s %s\n",
                          s.service_level_id(), s.samples(),
                          s.samples() > 0 ? value(s.observed()) : "-",
                          value(s.threshold()),
                          s.samples() == 0 ? "-"
                          : s.attained()   ? "yes"
                                           : "NO",
                          s.name());
  }
  absl::StrAppendFormat(&out, "(position %llu)\n",
                        static_cast<unsigned long long>(metrics.position()));
  return out;
}

}  // namespace gavel::cli
