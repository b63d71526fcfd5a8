#include "cli/decision_view.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"

namespace gavel::cli {
namespace {

// An enum value's name without its prefix, lower case ("conditional_go").
std::string Short(const std::string& name, const std::string& prefix) {
  return absl::AsciiStrToLower(name.substr(prefix.size()));
}

std::string Money(const gavel::v1::Money& money) {
  if (money.currency().empty()) return "-";
  return absl::StrFormat("%s %.2f", money.currency(),
                         static_cast<double>(money.minor_units()) / 100.0);
}

std::string Date(const gavel::v1::Date& date) {
  if (date.year() == 0) return "-";
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(),
                         date.day());
}

std::string Time(const google::protobuf::Timestamp& t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC",
                          absl::FromUnixSeconds(t.seconds()),
                          absl::UTCTimeZone());
}

}  // namespace

std::string DecisionView(const gavel::v1::DecisionRecord& d) {
  std::string out;
  absl::StrAppendFormat(
      &out, "decision   %s: %s at %s by board %s (cycle %s)\n", d.decision_id(),
      Short(gavel::v1::GateOutcome_Name(d.outcome()), "GATE_OUTCOME_"),
      d.gate_id(), d.board_id(), d.cycle_id().empty() ? "-" : d.cycle_id());
  absl::StrAppendFormat(&out, "recorded   by %s at %s (position %u)\n",
                        d.decided_by(), Time(d.decided_at()), d.position());
  absl::StrAppendFormat(&out, "requested  %s\n", Time(d.requested_at()));
  absl::StrAppendFormat(&out, "rationale  %s\n", d.rationale());
  if (d.has_budget_approved() && !d.budget_approved().currency().empty()) {
    absl::StrAppendFormat(&out, "budget     %s approved\n",
                          Money(d.budget_approved()));
  }
  const gavel::v1::Tally& t = d.tally();
  absl::StrAppendFormat(&out,
                        "tally      %d eligible: %d go, %d conditional go, %d "
                        "hold, %d recycle, %d kill, %d abstain; %d recused\n",
                        t.eligible(), t.go(), t.conditional_go(), t.hold(),
                        t.recycle(), t.kill(), t.abstain(), t.recused());
  for (const gavel::v1::DecisionVote& v : d.votes()) {
    absl::StrAppendFormat(
        &out, "vote       %-20s %-15s %s%s\n", v.member(),
        Short(gavel::v1::GateVote_Name(v.vote()), "GATE_VOTE_"),
        v.cast_by() != v.member()
            ? absl::StrCat("(by proxy: ", v.cast_by(), ") ")
            : "",
        v.comment());
  }
  for (const gavel::v1::DecisionRecusal& r : d.recusals()) {
    absl::StrAppendFormat(&out, "recused    %-20s %s\n", r.member(),
                          r.reason());
  }
  for (const gavel::v1::DecisionCondition& c : d.conditions()) {
    absl::StrAppendFormat(
        &out, "condition  %s: %s (owner %s, due %s) %s\n",
        c.condition().condition_id(), c.condition().description(),
        c.condition().owner(), Date(c.condition().due_date()),
        c.satisfied() ? absl::StrCat("satisfied ", Date(c.satisfied_on()),
                                     c.met_on_time() ? ", on time" : ", late")
                      : "open");
  }

  const gavel::v1::InitiativeSummary& i = d.context();
  absl::StrAppendFormat(
      &out, "\nwhat the board knew (the initiative at position %u%s)\n",
      d.context_exact() ? d.reviewed_position() : d.context_position(),
      d.context_exact() ? "" : ", when the review was requested");
  absl::StrAppendFormat(&out, "  %s: %s (%s, sponsor %s)\n", i.initiative_id(),
                        i.title(), i.business_unit(), i.sponsor());
  absl::StrAppendFormat(
      &out, "  stage %s, %s, priority %s, rank %s\n",
      i.stage().empty() ? "-" : i.stage(),
      Short(gavel::v1::InitiativeStatus_Name(i.status()), "INITIATIVE_STATUS_"),
      i.priority() == gavel::v1::PRIORITY_UNSPECIFIED
          ? "-"
          : Short(gavel::v1::Priority_Name(i.priority()), "PRIORITY_"),
      i.rank() > 0 ? absl::StrCat(i.rank()) : "-");
  if (i.scored()) {
    absl::StrAppendFormat(&out, "  score %.2f under %s v%d\n",
                          i.weighted_score_bp() / 100.0, i.framework_id(),
                          i.framework_version());
  }
  absl::StrAppendFormat(&out, "  cost estimate %s, forecast %s, actual %s\n",
                        Money(i.cost_estimate()), Money(i.forecast_cost()),
                        Money(i.actual_cost()));
  for (const gavel::v1::ObjectiveLinkSummary& o : i.objectives()) {
    absl::StrAppendFormat(&out, "  objective %s%s\n", o.objective_id(),
                          o.primary() ? " (primary)" : "");
  }
  for (const gavel::v1::RiskSummary& r : i.open_risks()) {
    absl::StrAppendFormat(
        &out, "  open risk %s: %s (p %.0f%%, impact %s)\n", r.risk_id(),
        r.title(), r.probability_bp() / 100.0,
        Short(gavel::v1::RiskImpact_Name(r.impact()), "RISK_IMPACT_"));
  }
  for (const gavel::v1::BenefitSummary& b : i.benefits()) {
    absl::StrAppendFormat(
        &out, "  benefit %s: baseline %d, target %d by %s%s\n", b.benefit_id(),
        b.baseline(), b.target(), Date(b.target_date()),
        b.measured() ? absl::StrCat(", latest ", b.latest_value()) : "");
  }
  if (i.open_conditions() > 0) {
    absl::StrAppendFormat(&out, "  %d open conditions\n", i.open_conditions());
  }
  return out;
}

std::string DecisionsTable(
    const google::protobuf::RepeatedPtrField<gavel::v1::DecisionRecord>&
        decisions) {
  std::string out =
      absl::StrFormat("%-30s %-4s %-9s %-17s %-14s %-8s %s\n", "DECISION",
                      "GATE", "BOARD", "CYCLE", "OUTCOME", "VOTES", "BUDGET");
  for (const gavel::v1::DecisionRecord& d : decisions) {
    const gavel::v1::Tally& t = d.tally();
    const int in_favour =
        d.outcome() == gavel::v1::GATE_OUTCOME_GO ? t.go()
        : d.outcome() == gavel::v1::GATE_OUTCOME_CONDITIONAL_GO
            ? t.go() + t.conditional_go()
        : d.outcome() == gavel::v1::GATE_OUTCOME_HOLD    ? t.hold()
        : d.outcome() == gavel::v1::GATE_OUTCOME_RECYCLE ? t.recycle()
                                                         : t.kill();
    absl::StrAppendFormat(
        &out, "%-30s %-4s %-9s %-17s %-14s %-8s %s\n", d.decision_id(),
        d.gate_id(), d.board_id(), d.cycle_id().empty() ? "-" : d.cycle_id(),
        Short(gavel::v1::GateOutcome_Name(d.outcome()), "GATE_OUTCOME_"),
        absl::StrCat(in_favour, "/", d.votes_size()),
        d.budget_approved().currency().empty() ? ""
                                               : Money(d.budget_approved()));
  }
  absl::StrAppendFormat(&out, "%d decisions\n", decisions.size());
  return out;
}

}  // namespace gavel::cli
