#include "projections/decision_history_projection.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/calendar.h"
#include "google/protobuf/io/coded_stream.h"
#include "projections/snapshot_codec.h"
#include "projections/wire_fields.h"

namespace gavel::projections {

using gavel::v1::DecisionRecord;
using gavel::v1::OpenReview;

namespace {

bool MatchesFields(absl::string_view initiative_id, absl::string_view board_id,
                   absl::string_view gate_id, gavel::v1::GateOutcome outcome,
                   absl::Time decided_at, const DecisionQuery& q) {
  if (!q.initiative_id.empty() && initiative_id != q.initiative_id) {
    return false;
  }
  if (!q.board_id.empty() && board_id != q.board_id) return false;
  if (!q.gate_id.empty() && gate_id != q.gate_id) return false;
  if (q.outcome != gavel::v1::GATE_OUTCOME_UNSPECIFIED &&
      outcome != q.outcome) {
    return false;
  }
  return decided_at >= q.decided_from && decided_at < q.decided_to;
}

// `summary` encoded deterministically with its rank set to `rank`. The
// usual case, a summary as a fold keeps it (rank 0), is encoded as it is
// and the rank field inserted before the first field numbered above it.
std::string EncodeRanked(const gavel::v1::InitiativeSummary& summary,
                         uint32_t rank) {
  if (summary.rank() != 0) {
    gavel::v1::InitiativeSummary ranked = summary;
    ranked.set_rank(rank);
    return SerializeModel(ranked);
  }
  std::string bytes = SerializeModel(summary);
  if (rank == 0) return bytes;
  constexpr int kRank = gavel::v1::InitiativeSummary::kRankFieldNumber;
  const char* at = bytes.data();
  const char* const end = bytes.data() + bytes.size();
  WireField field;
  while (at < end) {
    const char* next = at;
    // Our own encoding: every field parses.
    if (!NextField(next, end, &field) || field.number > kRank) break;
    at = next;
  }
  std::string ranked(
      google::protobuf::io::CodedOutputStream::VarintSize32(kRank << 3) +
          google::protobuf::io::CodedOutputStream::VarintSize32(rank),
      '\0');
  uint8_t* out = reinterpret_cast<uint8_t*>(ranked.data());
  out = google::protobuf::io::CodedOutputStream::WriteVarint32ToArray(
      kRank << 3, out);
  google::protobuf::io::CodedOutputStream::WriteVarint32ToArray(rank, out);
  bytes.insert(static_cast<size_t>(at - bytes.data()), ranked);
  return bytes;
}

}  // namespace

bool Matches(const DecisionRecord& d, const DecisionQuery& q) {
  return MatchesFields(d.initiative_id(), d.board_id(), d.gate_id(),
                       d.outcome(), domain::FromTimestamp(d.decided_at()), q);
}

bool DecisionHistoryProjection::Matches(int index,
                                        const DecisionQuery& q) const {
  const StoredDecision& d = decisions_[index];
  return MatchesFields(d.initiative_id, d.board_id, d.gate_id, d.outcome,
                       d.decided_at, q);
}

DecisionRecord DecisionHistoryProjection::Decision(int index) const {
  DecisionRecord record;
  // Our own encoding of a DecisionRecord: it parses.
  (void)record.ParseFromString(decisions_[index].encoded);
  return record;
}

std::optional<DecisionRecord> DecisionHistoryProjection::Find(
    absl::string_view decision_id) const {
  auto it = by_id_.find(decision_id);
  if (it == by_id_.end()) return std::nullopt;
  return Decision(it->second);
}

void DecisionHistoryProjection::Store(const DecisionRecord& record,
                                      std::string encoded) {
  StoredDecision& d = decisions_.emplace_back();
  d.encoded = std::move(encoded);
  d.initiative_id = record.initiative_id();
  d.board_id = record.board_id();
  d.gate_id = record.gate_id();
  d.outcome = record.outcome();
  d.decided_at = domain::FromTimestamp(record.decided_at());
  d.has_conditions = record.conditions_size() > 0;
  const int index = size() - 1;
  by_id_[record.decision_id()] = index;
  by_initiative_[record.initiative_id()].push_back(index);
}

void DecisionHistoryProjection::Satisfy(
    absl::string_view initiative_id, const gavel::v1::ConditionSatisfied& s) {
  auto it = by_initiative_.find(initiative_id);
  if (it == by_initiative_.end()) return;
  for (int index : it->second) {
    if (!decisions_[index].has_conditions) continue;
    DecisionRecord record = Decision(index);
    bool changed = false;
    for (gavel::v1::DecisionCondition& c : *record.mutable_conditions()) {
      if (c.condition().condition_id() != s.condition_id()) continue;
      changed = true;
      c.set_satisfied(true);
      *c.mutable_satisfied_on() = s.satisfied_on();
      c.set_met_on_time(domain::CompareDates(s.satisfied_on(),
                                             c.condition().due_date()) <= 0);
    }
    if (changed) decisions_[index].encoded = SerializeModel(record);
  }
}

OpenReview* DecisionHistoryProjection::OpenReviewOf(
    absl::string_view initiative_id) {
  auto it = open_reviews_.find(initiative_id);
  return it == open_reviews_.end() ? nullptr : it->second->review;
}

void DecisionHistoryProjection::Apply(const DomainEvent& event) {
  // Only initiatives feed the history and its context.
  if (event.kind != gavel::v1::AGGREGATE_KIND_INITIATIVE) return;
  const gavel::v1::InitiativeEvent& e = event.initiative;
  OpenReview* review = OpenReviewOf(event.aggregate_id);
  if (review != nullptr && e.has_gate_decided()) {
    // The context is taken from states before this event.
    Decide(event, review);
    portfolio_.Apply(event);
    open_reviews_.erase(event.aggregate_id);
    return;
  }
  if (review != nullptr && ModifiesSummary(e)) KeepState(event, *review);
  portfolio_.Apply(event);
  if (e.has_gate_review_requested()) {
    std::unique_ptr<ArenaReview>& opened = open_reviews_[event.aggregate_id];
    opened = std::make_unique<ArenaReview>();
    opened->review->set_initiative_id(event.aggregate_id);
    *opened->review->mutable_request() = e.gate_review_requested();
    opened->review->set_state_position(event.position);
  } else if (review != nullptr && e.has_member_recused()) {
    gavel::v1::DecisionRecusal* r = review->add_recusals();
    r->set_member(e.member_recused().member());
    r->set_reason(e.member_recused().reason());
  } else if (review != nullptr && e.has_gate_vote_cast()) {
    const gavel::v1::GateVoteCast& v = e.gate_vote_cast();
    gavel::v1::DecisionVote* vote = review->add_votes();
    vote->set_member(v.member());
    vote->set_cast_by(v.cast_by());
    vote->set_delegation_id(v.delegation_id());
    vote->set_vote(v.vote());
    vote->set_comment(v.comment());
  } else if (e.has_condition_satisfied()) {
    Satisfy(event.aggregate_id, e.condition_satisfied());
  }
}

void DecisionHistoryProjection::KeepState(const DomainEvent& event,
                                          OpenReview& review) {
  if (const gavel::v1::InitiativeSummary* now =
          portfolio_.FindInitiative(event.aggregate_id)) {
    gavel::v1::InitiativeAt* at = review.add_states();
    at->set_position(review.state_position());
    *at->mutable_initiative() = *now;
  }
  review.set_state_position(event.position);
}

void DecisionHistoryProjection::Decide(const DomainEvent& event,
                                       OpenReview* review) {
  const gavel::v1::GateDecided& d = event.initiative.gate_decided();
  // On the review's arena: the review's votes and recusals move in without
  // a copy, and all of it is freed with the review.
  DecisionRecord* record =
      google::protobuf::Arena::CreateMessage<DecisionRecord>(
          review->GetArena());
  record->set_decision_id(
      absl::StrCat(event.aggregate_id, "/", d.review_number()));
  record->set_initiative_id(event.aggregate_id);
  record->set_review_number(d.review_number());
  record->set_gate_id(d.gate_id());
  record->set_board_id(d.board_id());
  record->set_cycle_id(d.cycle_id());
  record->set_outcome(d.outcome());
  record->set_rationale(d.rationale());
  *record->mutable_tally() = d.tally();
  record->mutable_votes()->Swap(review->mutable_votes());
  record->mutable_recusals()->Swap(review->mutable_recusals());
  for (const gavel::v1::Condition& c : d.conditions()) {
    *record->add_conditions()->mutable_condition() = c;
  }
  *record->mutable_budget_approved() = d.budget_approved();
  record->set_decided_by(d.decided_by());
  *record->mutable_requested_at() = review->request().requested_at();
  *record->mutable_decided_at() = d.decided_at();
  record->set_position(event.position);
  const uint64_t reviewed =
      d.reviewed_position() == 0 ? event.position - 1 : d.reviewed_position();
  record->set_reviewed_position(reviewed);

  // The state from the last position at or before the reviewed one: a kept
  // state, or the current one (the usual case: it is not copied).
  const gavel::v1::InitiativeSummary* current =
      portfolio_.FindInitiative(event.aggregate_id);
  const gavel::v1::InitiativeSummary* context = nullptr;
  uint64_t since = 0;
  for (const gavel::v1::InitiativeAt& at : review->states()) {
    if (at.position() > reviewed) break;
    context = &at.initiative();
    since = at.position();
  }
  if (current != nullptr && review->state_position() <= reviewed) {
    context = current;
    since = review->state_position();
  }
  bool exact = true;
  if (context == nullptr) {
    // Reviewed before the request: the state at the request.
    exact = false;
    if (review->states_size() > 0) {
      context = &review->states(0).initiative();
      since = review->states(0).position();
    } else if (current != nullptr) {
      context = current;
      since = review->state_position();
    }
  }
  if (context == nullptr) {
    Store(*record, SerializeModel(*record));
    return;
  }
  // The record's fields in number order, the context (field 19) encoded
  // from the state with its rank as of the context's position. The
  // context and its two flags are the record's last fields: one added
  // after them must be written after `after_context`.
  const uint64_t context_position = exact ? reviewed : since;
  const PortfolioState::RankAt rank =
      portfolio_.RankAtPosition(context->rank_key(), context_position);
  DecisionRecord after_context;
  after_context.set_context_exact(exact && rank.exact);
  after_context.set_context_position(context_position);
  static_assert(DecisionRecord::kContextFieldNumber == 19 &&
                DecisionRecord::kContextExactFieldNumber == 20 &&
                DecisionRecord::kContextPositionFieldNumber == 21);
  const std::string ranked = EncodeRanked(*context, rank.rank);
  SnapshotWriter writer;
  writer.AddFields(*record);
  writer.AddEncoded(DecisionRecord::kContextFieldNumber, ranked);
  writer.AddFields(after_context);
  Store(*record, writer.Finish());
}

std::string DecisionHistoryProjection::Snapshot() const {
  // A gavel.v1.DecisionHistoryModel, encoded field by field (no copy).
  const std::string portfolio = portfolio_.Encode();
  SnapshotWriter writer;
  writer.AddEncoded(1, portfolio);
  for (const StoredDecision& d : decisions_) writer.AddEncoded(2, d.encoded);
  std::vector<const OpenReview*> open;
  for (const auto& [id, opened] : open_reviews_) open.push_back(opened->review);
  std::sort(open.begin(), open.end(),
            [](const OpenReview* a, const OpenReview* b) {
              return a->initiative_id() < b->initiative_id();
            });
  for (const OpenReview* r : open) writer.Add(3, *r);
  return writer.Finish();
}

absl::Status DecisionHistoryProjection::Restore(absl::string_view snapshot) {
  // A gavel.v1.DecisionHistoryModel read part by part: each decision keeps
  // the snapshot's bytes (decoded once for its index fields, not encoded
  // again), so a restored model snapshots to the same bytes.
  DecisionHistoryProjection restored;
  gavel::v1::PortfolioModel portfolio;
  DecisionRecord record;
  bool parts_parse = true;
  const bool parsed = ForEachField(
      snapshot.data(), snapshot.data() + snapshot.size(),
      [&](int field, int wire_type, uint64_t, absl::string_view bytes) {
        // A field this version does not know is dropped.
        if (!parts_parse || field < 1 || field > 3) return;
        const int size = static_cast<int>(bytes.size());
        if (wire_type != 2) {
          parts_parse = false;
        } else if (field == 1) {
          google::protobuf::io::CodedInputStream in(
              reinterpret_cast<const uint8_t*>(bytes.data()), size);
          parts_parse = portfolio.MergeFromCodedStream(&in);
        } else if (field == 2) {
          parts_parse = record.ParseFromArray(bytes.data(), size);
          if (parts_parse) restored.Store(record, std::string(bytes));
        } else {
          OpenReview review;
          parts_parse = review.ParseFromArray(bytes.data(), size);
          if (!parts_parse) return;
          if (review.state_position() == 0 && review.states_size() > 0) {
            // Written when the last state kept was the current one.
            review.set_state_position(
                review.states(review.states_size() - 1).position());
            review.mutable_states()->RemoveLast();
          }
          std::string id = review.initiative_id();
          auto opened = std::make_unique<ArenaReview>();
          *opened->review = std::move(review);
          restored.open_reviews_[id] = std::move(opened);
        }
      });
  if (!parsed || !parts_parse) {
    return absl::DataLossError(
        absl::StrCat("the snapshot of projection ", name(), " does not parse"));
  }
  portfolio_.Restore(std::move(portfolio));
  decisions_ = std::move(restored.decisions_);
  by_id_ = std::move(restored.by_id_);
  by_initiative_ = std::move(restored.by_initiative_);
  open_reviews_ = std::move(restored.open_reviews_);
  return absl::OkStatus();
}

}  // namespace gavel::projections
