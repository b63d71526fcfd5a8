#include "cli/decision_replay.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"
#include "proto/catalogue.h"

namespace gavel::cli {
namespace {

std::string EnumName(const google::protobuf::EnumDescriptor* descriptor,
                     int value, absl::string_view prefix) {
  const google::protobuf::EnumValueDescriptor* named =
      descriptor->FindValueByNumber(value);
  if (named == nullptr) return absl::StrCat(value);
  std::string name = named->name();
  if (absl::StartsWith(name, prefix)) name = name.substr(prefix.size());
  return name;
}

std::string OutcomeName(gavel::v1::GateOutcome outcome) {
  return EnumName(gavel::v1::GateOutcome_descriptor(), outcome,
                  "GATE_OUTCOME_");
}

std::string VoteName(gavel::v1::GateVote vote) {
  return EnumName(gavel::v1::GateVote_descriptor(), vote, "GATE_VOTE_");
}

std::string Time(const google::protobuf::Timestamp& t) {
  return absl::FormatTime(
      "%Y-%m-%dT%H:%M:%SZ",
      absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos()),
      absl::UTCTimeZone());
}

nlohmann::json ToJson(const google::protobuf::Message& message) {
  std::string text;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(message, &text, options)
           .ok()) {
    return nullptr;
  }
  return nlohmann::json::parse(text, nullptr, false);
}

}  // namespace

absl::Status CheckServedDecisions(
    const std::vector<ReplayedDecision>& replayed,
    const std::vector<gavel::v1::DecisionRecord>& served, uint64_t up_to) {
  absl::flat_hash_map<std::string, const ReplayedDecision*> recorded;
  for (const ReplayedDecision& decision : replayed) {
    if (decision.position <= up_to) {
      recorded[decision.decision_id] = &decision;
    }
  }
  const auto differs = [](absl::string_view id, absl::string_view what) {
    return absl::FailedPreconditionError(absl::StrCat(
        "decision ", id, ": the server serves ", what,
        " the log does not record (its read models were altered)"));
  };
  size_t matched = 0;
  for (const gavel::v1::DecisionRecord& record : served) {
    if (record.position() > up_to) continue;
    auto it = recorded.find(record.decision_id());
    if (it == recorded.end())
      return differs(record.decision_id(), "a decision");
    const ReplayedDecision& log = *it->second;
    const gavel::v1::GateDecided& decided = log.decided;
    if (record.position() != log.position ||
        record.gate_id() != decided.gate_id() ||
        record.board_id() != decided.board_id() ||
        record.outcome() != decided.outcome() ||
        record.rationale() != decided.rationale() ||
        record.decided_by() != decided.decided_by()) {
      return differs(record.decision_id(),
                     "an outcome, gate, board, "
                     "rationale or decider");
    }
    if (record.votes_size() != static_cast<int>(log.votes.size())) {
      return differs(record.decision_id(), "votes");
    }
    for (int v = 0; v < record.votes_size(); ++v) {
      const gavel::v1::DecisionVote& a = record.votes(v);
      const gavel::v1::GateVoteCast& b = log.votes[v];
      if (a.member() != b.member() || a.cast_by() != b.cast_by() ||
          a.vote() != b.vote() || a.delegation_id() != b.delegation_id()) {
        return differs(record.decision_id(), "votes");
      }
    }
    ++matched;
  }
  if (matched != recorded.size()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the log records ", recorded.size(), " decisions up to position ",
        up_to, " but the server serves ", matched, " of them"));
  }
  return absl::OkStatus();
}

std::string DecisionId(absl::string_view initiative_id, int32_t review_number) {
  return absl::StrCat(initiative_id, "/", review_number);
}

void DecisionReplay::Add(const gavel::v1::EventRecord& record) {
  const std::optional<absl::string_view> id = catalogue::AggregateIdOf(
      gavel::v1::AGGREGATE_KIND_INITIATIVE, record.stream_id());
  if (!id.has_value()) return;
  const std::string initiative_id(*id);
  const absl::string_view type = record.event_type();
  if (type != "GateReviewRequested" && type != "MemberRecused" &&
      type != "GateVoteCast" && type != "GateDecided") {
    return;
  }
  if (!event_.ParseFromString(record.payload())) return;
  switch (event_.event_case()) {
    case gavel::v1::InitiativeEvent::kGateReviewRequested: {
      const auto& review = event_.gate_review_requested();
      open_[DecisionId(initiative_id, review.review_number())] =
          OpenReview{review, {}, {}};
      break;
    }
    case gavel::v1::InitiativeEvent::kMemberRecused: {
      const auto& recused = event_.member_recused();
      open_[DecisionId(initiative_id, recused.review_number())]
          .recusals.push_back(recused);
      break;
    }
    case gavel::v1::InitiativeEvent::kGateVoteCast: {
      const auto& vote = event_.gate_vote_cast();
      std::vector<gavel::v1::GateVoteCast>& votes =
          open_[DecisionId(initiative_id, vote.review_number())].votes;
      // A member may change their vote until the decision: keep the last.
      for (auto it = votes.begin(); it != votes.end(); ++it) {
        if (it->member() == vote.member()) {
          votes.erase(it);
          break;
        }
      }
      votes.push_back(vote);
      break;
    }
    case gavel::v1::InitiativeEvent::kGateDecided: {
      const auto& decided = event_.gate_decided();
      const std::string id = DecisionId(initiative_id, decided.review_number());
      ReplayedDecision decision;
      decision.decision_id = id;
      decision.initiative_id = initiative_id;
      decision.position = record.position();
      decision.actor = record.actor();
      decision.decided = decided;
      if (auto it = open_.find(id); it != open_.end()) {
        decision.review = std::move(it->second.review);
        decision.recusals = std::move(it->second.recusals);
        decision.votes = std::move(it->second.votes);
        open_.erase(it);
      }
      decisions_.push_back(std::move(decision));
      break;
    }
    default:
      break;
  }
}

std::string FormatDecision(const ReplayedDecision& d) {
  const gavel::v1::GateDecided& decided = d.decided;
  const gavel::v1::Tally& tally = decided.tally();
  std::string out = absl::StrCat(
      "decision ", d.decision_id, " at position ", d.position, "\n",
      "  initiative ", d.initiative_id, "  gate ", decided.gate_id(),
      "  board ", decided.board_id(),
      decided.cycle_id().empty() ? ""
                                 : absl::StrCat("  cycle ", decided.cycle_id()),
      "\n", "  outcome ", OutcomeName(decided.outcome()), "  decided by ",
      decided.decided_by(), " at ", Time(decided.decided_at()),
      " (recorded by ", d.actor, ")\n");
  if (d.review.review_number() != 0) {
    absl::StrAppend(&out, "  review requested by ", d.review.requested_by(),
                    " at ", Time(d.review.requested_at()), "\n");
  }
  absl::StrAppend(&out, "  tally: eligible ", tally.eligible(), ", go ",
                  tally.go(), ", conditional go ", tally.conditional_go(),
                  ", hold ", tally.hold(), ", recycle ", tally.recycle(),
                  ", kill ", tally.kill(), ", abstain ", tally.abstain(),
                  ", recused ", tally.recused(), "\n");
  for (const gavel::v1::GateVoteCast& vote : d.votes) {
    absl::StrAppend(&out, "  vote: ", vote.member(), " ",
                    VoteName(vote.vote()));
    if (vote.cast_by() != vote.member()) {
      absl::StrAppend(&out, " (cast by ", vote.cast_by(), ")");
    }
    if (!vote.comment().empty()) absl::StrAppend(&out, ": ", vote.comment());
    absl::StrAppend(&out, "\n");
  }
  for (const gavel::v1::MemberRecused& recused : d.recusals) {
    absl::StrAppend(&out, "  recused: ", recused.member(), ": ",
                    recused.reason(), "\n");
  }
  for (const gavel::v1::Condition& condition : decided.conditions()) {
    absl::StrAppend(&out, "  condition ", condition.condition_id(), ": ",
                    condition.description(), " (owner ", condition.owner(),
                    ")\n");
  }
  absl::StrAppend(&out, "  rationale: ", decided.rationale(), "\n");
  return out;
}

std::string DecisionJson(const ReplayedDecision& d) {
  nlohmann::json json;
  json["decision_id"] = d.decision_id;
  json["initiative_id"] = d.initiative_id;
  json["position"] = d.position;
  json["recorded_by"] = d.actor;
  json["outcome"] = OutcomeName(d.decided.outcome());
  json["decided"] = ToJson(d.decided);
  if (d.review.review_number() != 0) json["review"] = ToJson(d.review);
  json["votes"] = nlohmann::json::array();
  for (const auto& vote : d.votes) json["votes"].push_back(ToJson(vote));
  json["recusals"] = nlohmann::json::array();
  for (const auto& recused : d.recusals) {
    json["recusals"].push_back(ToJson(recused));
  }
  return json.dump();
}

}  // namespace gavel::cli
