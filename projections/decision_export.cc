#include "projections/decision_export.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "domain/calendar.h"
#include "google/protobuf/util/json_util.h"

namespace gavel::projections {
namespace {

std::string Field(absl::string_view value) {
  if (value.find_first_of(",\"\r\n") == absl::string_view::npos) {
    return std::string(value);
  }
  return absl::StrCat("\"", absl::StrReplaceAll(value, {{"\"", "\"\""}}), "\"");
}

std::string Instant(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) return "";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", domain::FromTimestamp(t),
                          absl::UTCTimeZone());
}

std::string Day(const gavel::v1::Date& d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

constexpr const char* kColumns[] = {"decision_id",
                                    "initiative_id",
                                    "review_number",
                                    "gate_id",
                                    "board_id",
                                    "cycle_id",
                                    "outcome",
                                    "requested_at",
                                    "decided_at",
                                    "decided_by",
                                    "rationale",
                                    "budget_minor_units",
                                    "budget_currency",
                                    "eligible",
                                    "go",
                                    "conditional_go",
                                    "hold",
                                    "recycle",
                                    "kill",
                                    "abstain",
                                    "recused",
                                    "votes",
                                    "recusals",
                                    "conditions",
                                    "position",
                                    "reviewed_position",
                                    "context_exact",
                                    "context_status",
                                    "context_stage",
                                    "context_priority",
                                    "context_weighted_score_bp",
                                    "context_framework_id",
                                    "context_framework_version",
                                    "context_rank",
                                    "context_cost_minor_units",
                                    "context_forecast_minor_units",
                                    "context_actual_minor_units",
                                    "context_open_risks",
                                    "context_benefits"};

}  // namespace

std::string DecisionCsvHeader() {
  return absl::StrCat(absl::StrJoin(kColumns, ","), "\r\n");
}

std::string DecisionCsvLine(const gavel::v1::DecisionRecord& d) {
  std::vector<std::string> votes;
  for (const gavel::v1::DecisionVote& v : d.votes()) {
    votes.push_back(
        absl::StrCat(v.member(), "=", gavel::v1::GateVote_Name(v.vote())));
  }
  std::vector<std::string> recusals;
  for (const gavel::v1::DecisionRecusal& r : d.recusals()) {
    recusals.push_back(r.member());
  }
  std::vector<std::string> conditions;
  for (const gavel::v1::DecisionCondition& c : d.conditions()) {
    conditions.push_back(absl::StrCat(
        c.condition().condition_id(), "@", Day(c.condition().due_date()), "=",
        !c.satisfied() ? "open" : (c.met_on_time() ? "met_on_time" : "late")));
  }
  std::vector<std::string> benefits;
  for (const gavel::v1::BenefitSummary& b : d.context().benefits()) {
    benefits.push_back(b.benefit_id());
  }
  std::vector<std::string> risks;
  for (const gavel::v1::RiskSummary& r : d.context().open_risks()) {
    risks.push_back(r.risk_id());
  }
  const gavel::v1::Tally& t = d.tally();
  const gavel::v1::InitiativeSummary& c = d.context();
  const std::vector<std::string> fields = {
      d.decision_id(),
      d.initiative_id(),
      absl::StrCat(d.review_number()),
      d.gate_id(),
      d.board_id(),
      d.cycle_id(),
      gavel::v1::GateOutcome_Name(d.outcome()),
      Instant(d.requested_at()),
      Instant(d.decided_at()),
      d.decided_by(),
      d.rationale(),
      absl::StrCat(d.budget_approved().minor_units()),
      d.budget_approved().currency(),
      absl::StrCat(t.eligible()),
      absl::StrCat(t.go()),
      absl::StrCat(t.conditional_go()),
      absl::StrCat(t.hold()),
      absl::StrCat(t.recycle()),
      absl::StrCat(t.kill()),
      absl::StrCat(t.abstain()),
      absl::StrCat(t.recused()),
      absl::StrJoin(votes, ";"),
      absl::StrJoin(recusals, ";"),
      absl::StrJoin(conditions, ";"),
      absl::StrCat(d.position()),
      absl::StrCat(d.reviewed_position()),
      d.context_exact() ? "true" : "false",
      gavel::v1::InitiativeStatus_Name(c.status()),
      c.stage(),
      gavel::v1::Priority_Name(c.priority()),
      absl::StrCat(c.weighted_score_bp()),
      c.framework_id(),
      absl::StrCat(c.framework_version()),
      absl::StrCat(c.rank()),
      absl::StrCat(c.cost_estimate().minor_units()),
      absl::StrCat(c.forecast_cost().minor_units()),
      absl::StrCat(c.actual_cost().minor_units()),
      absl::StrJoin(risks, ";"),
      absl::StrJoin(benefits, ";"),
  };
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line.push_back(',');
    line += Field(fields[i]);
  }
  line += "\r\n";
  return line;
}

absl::StatusOr<std::string> DecisionJsonLine(
    const gavel::v1::DecisionRecord& decision) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.add_whitespace = false;
  std::string json;
  if (auto s =
          google::protobuf::util::MessageToJsonString(decision, &json, options);
      !s.ok()) {
    return absl::InternalError(
        absl::StrCat("decision ", decision.decision_id(),
                     " has no JSON form: ", s.ToString()));
  }
  json.push_back('\n');
  return json;
}

}  // namespace gavel::projections
