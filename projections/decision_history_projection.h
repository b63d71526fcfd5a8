// The decision history projection ("decisions", DESIGN.md §6): every gate
// decision with its votes, recusals, conditions (and whether each was met
// by its due date), rationale, and what the board knew — the initiative's
// portfolio state, rank included, at the position the decision names
// (GateDecided.reviewed_position).
//
// How the context is kept exact: the projection embeds its own fold of
// the initiatives (a PortfolioState of scope kInitiatives); while a review is
// open it keeps a copy of the initiative's state before each event that
// changes it (most reviews see none: the decision's context is then the
// state the fold holds, encoded without a copy), and ranks the state
// against every initiative's ranking key as of the reviewed position
// (PortfolioState::RankAtPosition). A reviewed position before the review
// request (which the domain allows but the default never produces) gets
// the state at the request, flagged context_exact = false.
#ifndef GAVEL_PROJECTIONS_DECISION_HISTORY_PROJECTION_H_
#define GAVEL_PROJECTIONS_DECISION_HISTORY_PROJECTION_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "gavel/v1/read_models.pb.h"
#include "google/protobuf/arena.h"
#include "projections/portfolio_state.h"
#include "projections/projection.h"

namespace gavel::projections {

inline constexpr absl::string_view kDecisionHistoryProjection = "decisions";

// Which decisions a query wants; empty fields match everything.
struct DecisionQuery {
  std::string initiative_id;
  std::string board_id;
  std::string gate_id;
  gavel::v1::GateOutcome outcome = gavel::v1::GATE_OUTCOME_UNSPECIFIED;
  absl::Time decided_from = absl::InfinitePast();  // Inclusive.
  absl::Time decided_to = absl::InfiniteFuture();  // Exclusive.
};

// True when `decision` matches every set field of `query`.
bool Matches(const gavel::v1::DecisionRecord& decision,
             const DecisionQuery& query);

// Thread-compatible.
//
// Decision records are kept encoded (each decision's deterministic bytes,
// as its snapshot holds them) with the fields queries filter on beside
// them, and decoded only when a query returns them: a record with its
// context is several times larger decoded, and most are never read again.
class DecisionHistoryProjection final : public Projection {
 public:
  absl::string_view name() const override { return kDecisionHistoryProjection; }
  void Apply(const DomainEvent& event) override;
  std::string Snapshot() const override;
  absl::Status Restore(absl::string_view snapshot) override;
  std::unique_ptr<Projection> NewEmpty() const override {
    return std::make_unique<DecisionHistoryProjection>();
  }

  // Decisions recorded: indexes 0 .. size() - 1, in position order.
  int size() const { return static_cast<int>(decisions_.size()); }
  // Decision `index` (0 <= index < size()), decoded.
  gavel::v1::DecisionRecord Decision(int index) const;
  // True when decision `index` matches every set field of `query` (read
  // from the fields kept beside the record: nothing is decoded).
  bool Matches(int index, const DecisionQuery& query) const;
  // The decision "<initiative_id>/<review_number>", or nullopt.
  std::optional<gavel::v1::DecisionRecord> Find(
      absl::string_view decision_id) const;

 private:
  // A decision as kept.
  struct StoredDecision {
    std::string encoded;  // DecisionRecord, serialized deterministically.
    std::string initiative_id;
    std::string board_id;
    std::string gate_id;
    gavel::v1::GateOutcome outcome = gavel::v1::GATE_OUTCOME_UNSPECIFIED;
    absl::Time decided_at;
    // A conditional go: only such a record is decoded when a condition of
    // its initiative is satisfied.
    bool has_conditions = false;
  };
  // Appends `record` (index size()), whose deterministic encoding is
  // `encoded`, and indexes it.
  void Store(const gavel::v1::DecisionRecord& record, std::string encoded);
  gavel::v1::OpenReview* OpenReviewOf(absl::string_view initiative_id);
  // Before `event` changes the initiative of open `review`: keeps the
  // state it changes (from review.state_position()) and moves
  // state_position to the event.
  void KeepState(const DomainEvent& event, gavel::v1::OpenReview& review);
  // Records the decision `event` closing `review` (the caller erases the
  // review afterwards), before `event` is applied to portfolio_.
  void Decide(const DomainEvent& event, gavel::v1::OpenReview* review);
  // Marks the conditions `satisfied` names on the decisions of
  // `initiative_id` as satisfied.
  void Satisfy(absl::string_view initiative_id,
               const gavel::v1::ConditionSatisfied& satisfied);

  PortfolioState portfolio_{PortfolioScope::kInitiatives};
  std::vector<StoredDecision> decisions_;
  // An open review on an arena of its own: the states it keeps (copies of
  // the initiative's summary) and the decision record built on them are
  // allocated there and freed at once when the review closes.
  struct ArenaReview {
    google::protobuf::Arena arena;
    gavel::v1::OpenReview* review =
        google::protobuf::Arena::CreateMessage<gavel::v1::OpenReview>(&arena);
  };
  // By initiative id.
  absl::flat_hash_map<std::string, std::unique_ptr<ArenaReview>> open_reviews_;
  absl::flat_hash_map<std::string, int> by_id_;
  // Decisions of each initiative, in order.
  absl::flat_hash_map<std::string, std::vector<int>> by_initiative_;
};

}  // namespace gavel::projections

#endif  // GAVEL_PROJECTIONS_DECISION_HISTORY_PROJECTION_H_
