// The decision history: votes, recusals, conditions met on time, filters,
// exports, and the board's context at the reviewed position.
#include "projections/decision_history_projection.h"

#include <optional>
#include <string>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "projections/decision_export.h"
#include "projections/portfolio_projection.h"
#include "projections/snapshot_codec.h"
#include "tests/projections/fixtures.h"

namespace gavel::projections {
namespace {

using ::gavel::test::Day;
using ::gavel::test::Feed;
using ::google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;

class DecisionHistoryProjectionTest : public ::testing::Test {
 protected:
  // The portfolio's view of `id` now, rank filled: what GetInitiative
  // answers.
  gavel::v1::InitiativeSummary Now(const std::string& id) {
    gavel::v1::InitiativeSummary i = *portfolio_.state().FindInitiative(id);
    i.set_rank(portfolio_.state().RankOf(i));
    return i;
  }

  DecisionHistoryProjection history_;
  PortfolioProjection portfolio_;
  Feed feed_{{&history_, &portfolio_}};
};

TEST_F(DecisionHistoryProjectionTest,
       ContextIsTheInitiativeAtTheReviewedPosition) {
  feed_.Initiative("A", test::Submitted("A", 5000, feed_.now()));
  feed_.Initiative("B", test::Submitted("B", 5000, feed_.now()));
  feed_.Initiative("A", test::Locked(7000));
  feed_.Initiative("B", test::Locked(6000));
  feed_.Initiative("A", test::ReviewRequested(1, "G0", "exec", feed_.now()));
  feed_.Initiative("A", test::Risk("early"));
  const uint64_t reviewed = feed_.position();
  const gavel::v1::InitiativeSummary expected = Now("A");
  ASSERT_EQ(expected.rank(), 1u);
  // After the reviewed position: A gains a risk and a cost, B overtakes A.
  feed_.Initiative("A", test::Risk("late"));
  feed_.Initiative("A", test::Cost(900, Day(2026, 1, 1)));
  feed_.Initiative("B", test::Priority(gavel::v1::PRIORITY_CRITICAL));
  feed_.Initiative("A", test::VoteCast(1, "bob", gavel::v1::GATE_VOTE_GO));
  feed_.Initiative("A",
                   test::Decided(1, "G0", "exec", gavel::v1::GATE_OUTCOME_GO,
                                 feed_.now(), reviewed));
  ASSERT_EQ(Now("A").rank(), 2u);

  const std::optional<gavel::v1::DecisionRecord> d = history_.Find("A/1");
  ASSERT_TRUE(d.has_value());
  EXPECT_TRUE(d->context_exact());
  EXPECT_EQ(d->context_position(), reviewed);
  std::string diff;
  MessageDifferencer differ;
  differ.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differ.Compare(expected, d->context())) << diff;
  EXPECT_EQ(d->context().open_risks_size(), 1);
  EXPECT_EQ(d->context().rank(), 1u);
}

// The history folds initiatives alone (PortfolioScope::kInitiatives): an
// initiative linked to objectives, demanding capacity and measuring a
// benefit against an objective's measure still has the context the full
// portfolio shows.
TEST_F(DecisionHistoryProjectionTest,
       ContextEqualsTheFullPortfolioWithObjectivesAndPools) {
  const gavel::v1::Date jan = Day(2026, 1, 1);
  feed_.Objective("growth", test::ObjectiveDefined("growth"));
  gavel::v1::ObjectiveEvent measure;
  measure.mutable_success_measure_added()->set_measure_id("m");
  measure.mutable_success_measure_added()->set_name("revenue");
  feed_.Objective("growth", measure);
  feed_.Pool("data", test::PoolDefined("data", {test::Amount(jan, 50)}));
  gavel::v1::CapacityDemand demand;
  demand.set_pool_id("data");
  *demand.add_amounts() = test::Amount(jan, 80);
  feed_.Initiative("A", test::Submitted("A", 5000, feed_.now(), {demand}));
  feed_.Initiative("A", test::Linked("growth", true, 6000));
  feed_.Initiative("A", test::Benefit("b", 100, 200, "growth", "m"));
  feed_.Initiative("A", test::Locked(7000));
  feed_.Initiative("A", test::ReviewRequested(1, "G0", "exec", feed_.now()));
  feed_.Initiative("A", test::Measured("b", 150));
  const uint64_t reviewed = feed_.position();
  const gavel::v1::InitiativeSummary expected = Now("A");
  feed_.Initiative("A",
                   test::Decided(1, "G0", "exec", gavel::v1::GATE_OUTCOME_GO,
                                 feed_.now(), reviewed));

  const std::optional<gavel::v1::DecisionRecord> d = history_.Find("A/1");
  ASSERT_TRUE(d.has_value());
  EXPECT_TRUE(d->context_exact());
  std::string diff;
  MessageDifferencer differ;
  differ.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differ.Compare(expected, d->context())) << diff;
  EXPECT_EQ(d->context().objective_coverage_bp(), 6000);
  EXPECT_TRUE(d->context().benefits(0).measured());
}

// A decisions snapshot written while the history still folded a full
// portfolio (objectives, pools) restores to the model the current code
// folds: the snapshot drops them.
TEST_F(DecisionHistoryProjectionTest,
       RestoringASnapshotWithObjectivesAndPoolsDropsThem) {
  test::GeneratePortfolio(feed_, 5);
  gavel::v1::DecisionHistoryModel older;
  ASSERT_TRUE(older.ParseFromString(history_.Snapshot()));
  EXPECT_EQ(older.portfolio().objectives_size(), 0);
  EXPECT_EQ(older.portfolio().pools_size(), 0);
  *older.mutable_portfolio()->mutable_objectives() =
      portfolio_.state().model().objectives();
  *older.mutable_portfolio()->mutable_pools() =
      portfolio_.state().model().pools();
  ASSERT_GT(older.portfolio().objectives_size(), 0);

  DecisionHistoryProjection restored;
  ASSERT_TRUE(restored.Restore(older.SerializeAsString()).ok());
  EXPECT_EQ(restored.Snapshot(), history_.Snapshot());
}

// Restore keeps each record's bytes from the snapshot: a restored model
// snapshots to the same bytes, and a snapshot that does not parse (or is
// cut short) is DATA_LOSS with the model unchanged.
TEST_F(DecisionHistoryProjectionTest,
       RestoreKeepsTheSnapshotsBytesOrFailsWithTheModelUnchanged) {
  test::GeneratePortfolio(feed_, 6);
  const std::string snapshot = history_.Snapshot();
  DecisionHistoryProjection restored;
  ASSERT_TRUE(restored.Restore(snapshot).ok());
  EXPECT_EQ(restored.Snapshot(), snapshot);
  ASSERT_EQ(restored.size(), history_.size());
  ASSERT_TRUE(restored.Find("I-1/1").has_value());
  EXPECT_EQ(restored.Find("I-1/1")->SerializeAsString(),
            history_.Find("I-1/1")->SerializeAsString());

  for (const std::string& bad :
       {std::string("not a snapshot \xff\xff"),
        snapshot.substr(0, snapshot.size() - 3), std::string("\x10\x01")}) {
    EXPECT_EQ(restored.Restore(bad).code(), absl::StatusCode::kDataLoss);
    EXPECT_EQ(restored.Snapshot(), snapshot);
  }
}

// Dependencies change the summary (open_dependencies) without moving its
// last_position: one declared while the review is open is in the context
// of a decision that reviewed a later position, and not in one that
// reviewed an earlier one.
TEST_F(DecisionHistoryProjectionTest,
       DependencyDeclaredDuringTheReviewIsInTheContextFromItsPosition) {
  auto dependency = [](const std::string& id) {
    gavel::v1::InitiativeEvent e;
    e.mutable_dependency_declared()->set_dependency_id(id);
    e.mutable_dependency_declared()->set_depends_on_initiative_id("B");
    return e;
  };
  feed_.Initiative("B", test::Submitted("B", 5000, feed_.now()));
  for (const std::string id : {"A", "C"}) {
    feed_.Initiative(id, test::Submitted(id, 5000, feed_.now()));
    feed_.Initiative(id, test::ReviewRequested(1, "G0", "exec", feed_.now()));
  }
  const uint64_t before = feed_.position();
  const gavel::v1::InitiativeSummary c_before = Now("C");
  feed_.Initiative("A", dependency("d-a"));
  feed_.Initiative("C", dependency("d-c"));
  const uint64_t after = feed_.position();
  const gavel::v1::InitiativeSummary a_after = Now("A");
  ASSERT_EQ(a_after.open_dependencies_size(), 1);
  feed_.Initiative("A", test::Risk("later"));
  feed_.Initiative("C", test::Risk("later"));
  feed_.Initiative("A",
                   test::Decided(1, "G0", "exec", gavel::v1::GATE_OUTCOME_GO,
                                 feed_.now(), after));
  feed_.Initiative("C",
                   test::Decided(1, "G0", "exec", gavel::v1::GATE_OUTCOME_GO,
                                 feed_.now(), before));

  std::string diff;
  MessageDifferencer differ;
  differ.ReportDifferencesToString(&diff);
  const std::optional<gavel::v1::DecisionRecord> a = history_.Find("A/1");
  ASSERT_TRUE(a.has_value());
  EXPECT_TRUE(a->context_exact());
  EXPECT_TRUE(differ.Compare(a_after, a->context())) << diff;
  const std::optional<gavel::v1::DecisionRecord> c = history_.Find("C/1");
  ASSERT_TRUE(c.has_value());
  EXPECT_TRUE(c->context_exact());
  EXPECT_TRUE(differ.Compare(c_before, c->context())) << diff;
  EXPECT_EQ(c->context().open_dependencies_size(), 0);
}

// Open reviews in a snapshot written when a review kept the current state
// as its last entry (and had no state_position) decide as if never
// restored: one on a state kept before a later change, one on the current
// state.
TEST_F(DecisionHistoryProjectionTest,
       OpenReviewsFromAnOlderSnapshotDecideTheSame) {
  for (const std::string id : {"A", "B"}) {
    feed_.Initiative(id, test::Submitted(id, 5000, feed_.now()));
    feed_.Initiative(id, test::ReviewRequested(1, "G0", "exec", feed_.now()));
    feed_.Initiative(id, test::Risk("r1"));
  }
  const uint64_t reviewed = feed_.position();
  feed_.Initiative("A", test::Locked(6000));

  gavel::v1::DecisionHistoryModel older;
  ASSERT_TRUE(older.ParseFromString(history_.Snapshot()));
  ASSERT_EQ(older.open_reviews_size(), 2);
  for (gavel::v1::OpenReview& review : *older.mutable_open_reviews()) {
    gavel::v1::InitiativeAt* current = review.add_states();
    current->set_position(review.state_position());
    *current->mutable_initiative() =
        *portfolio_.state().FindInitiative(review.initiative_id());
    review.clear_state_position();
  }
  DecisionHistoryProjection restored;
  ASSERT_TRUE(restored.Restore(SerializeModel(older)).ok());
  EXPECT_EQ(restored.Snapshot(), history_.Snapshot());

  // The same decisions, at the same positions, to both.
  DomainEvent decided;
  decided.kind = gavel::v1::AGGREGATE_KIND_INITIATIVE;
  decided.recorded_at = feed_.now();
  decided.position = feed_.position();
  for (const std::string id : {"A", "B"}) {
    decided.position++;
    decided.aggregate_id = id;
    decided.initiative =
        test::Decided(1, "G0", "exec", gavel::v1::GATE_OUTCOME_GO, feed_.now(),
                      id == "A" ? reviewed : 0);
    history_.Apply(decided);
    restored.Apply(decided);
  }
  ASSERT_EQ(restored.size(), 2);
  EXPECT_EQ(restored.Snapshot(), history_.Snapshot());
  EXPECT_EQ(history_.Find("A/1")->context().scored(), false);
  EXPECT_EQ(history_.Find("A/1")->context_position(), reviewed);
  EXPECT_EQ(history_.Find("B/1")->context().open_risks_size(), 1);
}

TEST_F(DecisionHistoryProjectionTest,
       ReviewedPositionBeforeTheRequestIsFlaggedInexact) {
  feed_.Initiative("A", test::Submitted("A", 5000, feed_.now()));
  const uint64_t early = feed_.position();
  feed_.Initiative("A", test::Risk("r"));
  const uint64_t requested = feed_.Initiative(
      "A", test::ReviewRequested(1, "G0", "exec", feed_.now()));
  feed_.Initiative(
      "A", test::Decided(1, "G0", "exec", gavel::v1::GATE_OUTCOME_RECYCLE,
                         feed_.now(), early));
  const std::optional<gavel::v1::DecisionRecord> d = history_.Find("A/1");
  ASSERT_TRUE(d.has_value());
  EXPECT_FALSE(d->context_exact());
  EXPECT_EQ(d->context_position(), requested);
}

TEST_F(DecisionHistoryProjectionTest, RecordsVotesRecusalsAndConditionsOnTime) {
  feed_.Initiative("A", test::Submitted("A", 5000, feed_.now()));
  feed_.Initiative("A", test::ReviewRequested(1, "G0", "exec", feed_.now()));
  gavel::v1::InitiativeEvent recused;
  recused.mutable_member_recused()->set_review_number(1);
  recused.mutable_member_recused()->set_member("dave");
  recused.mutable_member_recused()->set_reason("conflict of interest");
  feed_.Initiative("A", recused);
  feed_.Initiative("A", test::VoteCast(1, "bob", gavel::v1::GATE_VOTE_GO));
  feed_.Initiative(
      "A", test::VoteCast(1, "carol", gavel::v1::GATE_VOTE_CONDITIONAL_GO));
  feed_.Initiative(
      "A",
      test::Decided(1, "G0", "exec", gavel::v1::GATE_OUTCOME_CONDITIONAL_GO,
                    feed_.now(), feed_.position(), "c1",
                    {test::ConditionDue("k1", Day(2026, 3, 31)),
                     test::ConditionDue("k2", Day(2026, 3, 31)),
                     test::ConditionDue("k3", Day(2026, 3, 31))}));
  feed_.Initiative("A", test::Satisfied("k1", Day(2026, 3, 31)));
  feed_.Initiative("A", test::Satisfied("k2", Day(2026, 4, 1)));

  const std::optional<gavel::v1::DecisionRecord> d = history_.Find("A/1");
  ASSERT_TRUE(d.has_value());
  ASSERT_EQ(d->votes_size(), 2);
  EXPECT_EQ(d->votes(1).member(), "carol");
  ASSERT_EQ(d->recusals_size(), 1);
  EXPECT_EQ(d->recusals(0).member(), "dave");
  ASSERT_EQ(d->conditions_size(), 3);
  EXPECT_TRUE(d->conditions(0).met_on_time());
  EXPECT_TRUE(d->conditions(1).satisfied());
  EXPECT_FALSE(d->conditions(1).met_on_time());
  EXPECT_FALSE(d->conditions(2).satisfied());
  EXPECT_EQ(d->rationale(), "as discussed");

  const std::string csv = DecisionCsvLine(*d);
  EXPECT_THAT(csv,
              HasSubstr("bob=GATE_VOTE_GO;carol=GATE_VOTE_CONDITIONAL_GO"));
  EXPECT_THAT(csv, HasSubstr("k1@2026-03-31=met_on_time;k2@2026-03-31=late;"
                             "k3@2026-03-31=open"));
  EXPECT_EQ(
      std::vector<std::string>(absl::StrSplit(DecisionCsvHeader(), ',')).size(),
      std::vector<std::string>(absl::StrSplit(csv, ',')).size());
  absl::StatusOr<std::string> json = DecisionJsonLine(*d);
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(json->find('\n'), json->size() - 1);
  EXPECT_THAT(*json, HasSubstr("\"decision_id\":\"A/1\""));
}

TEST_F(DecisionHistoryProjectionTest, CsvQuotesFieldsWithCommasAndQuotes) {
  gavel::v1::DecisionRecord d;
  d.set_decision_id("A/1");
  d.set_rationale("fit, \"strong\"\nyes");
  EXPECT_THAT(DecisionCsvLine(d), HasSubstr(",\"fit, \"\"strong\"\"\nyes\","));
}

TEST_F(DecisionHistoryProjectionTest, FiltersByInitiativeBoardGateOutcomeTime) {
  for (const char* id : {"A", "B"}) {
    feed_.Initiative(id, test::Submitted(id, 1, feed_.now()));
  }
  feed_.Initiative("A", test::ReviewRequested(1, "G0", "exec", feed_.now()));
  const absl::Time first = feed_.now();
  feed_.Initiative(
      "A", test::Decided(1, "G0", "exec", gavel::v1::GATE_OUTCOME_GO, first,
                         feed_.position()));
  feed_.Initiative("B", test::ReviewRequested(1, "G0", "ops", feed_.now()));
  const absl::Time second = first + absl::Hours(24);
  feed_.Initiative(
      "B", test::Decided(1, "G0", "ops", gavel::v1::GATE_OUTCOME_KILL, second,
                         feed_.position()));
  // The projection's filter (on the fields kept beside each record) and
  // the one on a decoded record agree.
  auto count = [&](const DecisionQuery& q) {
    int n = 0;
    for (int i = 0; i < history_.size(); ++i) {
      EXPECT_EQ(history_.Matches(i, q), Matches(history_.Decision(i), q)) << i;
      n += history_.Matches(i, q) ? 1 : 0;
    }
    return n;
  };
  DecisionQuery q;
  EXPECT_EQ(count(q), 2);
  q.initiative_id = "B";
  EXPECT_EQ(count(q), 1);
  q = DecisionQuery();
  q.board_id = "exec";
  EXPECT_EQ(count(q), 1);
  q = DecisionQuery();
  q.gate_id = "G1";
  EXPECT_EQ(count(q), 0);
  q = DecisionQuery();
  q.outcome = gavel::v1::GATE_OUTCOME_KILL;
  EXPECT_EQ(count(q), 1);
  q = DecisionQuery();
  q.decided_from = first + absl::Hours(1);
  EXPECT_EQ(count(q), 1);
  q = DecisionQuery();
  q.decided_to = second;
  EXPECT_EQ(count(q), 1);
}

}  // namespace
}  // namespace gavel::projections
