#include "cli/decision_replay.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace gavel::cli {
namespace {

using ::testing::HasSubstr;

class DecisionReplayTest : public ::testing::Test {
 protected:
  // Feeds one initiative event as the record at the next position.
  void Add(const std::string& stream, const gavel::v1::InitiativeEvent& event,
           const std::string& type) {
    gavel::v1::EventRecord record;
    record.set_position(++position_);
    record.set_stream_id(stream);
    record.set_event_type(type);
    record.set_actor("chair-token-holder");
    record.set_payload(event.SerializeAsString());
    replay_.Add(record);
  }

  void Review(const std::string& stream, int review) {
    gavel::v1::InitiativeEvent event;
    auto* requested = event.mutable_gate_review_requested();
    requested->set_review_number(review);
    requested->set_gate_id("G1");
    requested->set_board_id("exec");
    requested->set_requested_by("sam");
    Add(stream, event, "GateReviewRequested");
  }

  void Vote(const std::string& stream, int review, const std::string& member,
            gavel::v1::GateVote vote) {
    gavel::v1::InitiativeEvent event;
    auto* cast = event.mutable_gate_vote_cast();
    cast->set_review_number(review);
    cast->set_member(member);
    cast->set_cast_by(member);
    cast->set_vote(vote);
    Add(stream, event, "GateVoteCast");
  }

  void Decide(const std::string& stream, int review,
              gavel::v1::GateOutcome outcome) {
    gavel::v1::InitiativeEvent event;
    auto* decided = event.mutable_gate_decided();
    decided->set_review_number(review);
    decided->set_gate_id("G1");
    decided->set_board_id("exec");
    decided->set_outcome(outcome);
    decided->set_rationale("Strong alignment with the growth objective");
    decided->set_decided_by("alice");
    decided->mutable_tally()->set_go(2);
    Add(stream, event, "GateDecided");
  }

  DecisionReplay replay_;
  uint64_t position_ = 0;
};

TEST_F(DecisionReplayTest, GathersVotesRecusalsAndTheDecisionPerReview) {
  Review("initiative-crm", 1);
  Vote("initiative-crm", 1, "bob", gavel::v1::GATE_VOTE_HOLD);
  Vote("initiative-crm", 1, "carol", gavel::v1::GATE_VOTE_GO);
  Vote("initiative-crm", 1, "bob", gavel::v1::GATE_VOTE_GO);  // Changed.
  gavel::v1::InitiativeEvent recusal;
  recusal.mutable_member_recused()->set_review_number(1);
  recusal.mutable_member_recused()->set_member("dave");
  recusal.mutable_member_recused()->set_reason("sponsor of a rival bid");
  Add("initiative-crm", recusal, "MemberRecused");
  Review("initiative-erp", 1);  // Another initiative's review stays open.
  Decide("initiative-crm", 1, gavel::v1::GATE_OUTCOME_GO);

  ASSERT_EQ(replay_.decisions().size(), 1u);
  const ReplayedDecision& d = replay_.decisions()[0];
  EXPECT_EQ(d.decision_id, "crm/1");
  EXPECT_EQ(d.initiative_id, "crm");
  EXPECT_EQ(d.position, 7u);
  EXPECT_EQ(d.review.requested_by(), "sam");
  ASSERT_EQ(d.votes.size(), 2u);
  EXPECT_EQ(d.votes[0].member(), "carol");
  EXPECT_EQ(d.votes[1].member(), "bob");
  EXPECT_EQ(d.votes[1].vote(), gavel::v1::GATE_VOTE_GO);
  ASSERT_EQ(d.recusals.size(), 1u);

  const std::string text = FormatDecision(d);
  EXPECT_THAT(text, HasSubstr("decision crm/1 at position 7"));
  EXPECT_THAT(text, HasSubstr("outcome GO"));
  EXPECT_THAT(text, HasSubstr("vote: bob GO"));
  EXPECT_THAT(text, HasSubstr("recused: dave: sponsor of a rival bid"));
  EXPECT_THAT(
      text, HasSubstr("rationale: Strong alignment with the growth objective"));

  const nlohmann::json json = nlohmann::json::parse(DecisionJson(d));
  EXPECT_EQ(json["decision_id"], "crm/1");
  EXPECT_EQ(json["outcome"], "GO");
  EXPECT_EQ(json["votes"].size(), 2u);
  EXPECT_EQ(json["decided"]["rationale"],
            "Strong alignment with the growth objective");
}

TEST_F(DecisionReplayTest, ARecycledGateIsTwoDecisionsWithTheirOwnVotes) {
  Review("initiative-crm", 1);
  Vote("initiative-crm", 1, "bob", gavel::v1::GATE_VOTE_RECYCLE);
  Decide("initiative-crm", 1, gavel::v1::GATE_OUTCOME_RECYCLE);
  Review("initiative-crm", 2);
  Vote("initiative-crm", 2, "bob", gavel::v1::GATE_VOTE_GO);
  Decide("initiative-crm", 2, gavel::v1::GATE_OUTCOME_GO);
  ASSERT_EQ(replay_.decisions().size(), 2u);
  EXPECT_EQ(replay_.decisions()[0].decision_id, "crm/1");
  EXPECT_EQ(replay_.decisions()[0].votes[0].vote(),
            gavel::v1::GATE_VOTE_RECYCLE);
  EXPECT_EQ(replay_.decisions()[1].decision_id, "crm/2");
  EXPECT_EQ(replay_.decisions()[1].votes[0].vote(), gavel::v1::GATE_VOTE_GO);
}

TEST_F(DecisionReplayTest, OtherStreamsAndUnparsablePayloadsAreIgnored) {
  gavel::v1::EventRecord record;
  record.set_position(1);
  record.set_stream_id("objective-growth");
  record.set_event_type("GateDecided");
  replay_.Add(record);
  record.set_stream_id("initiative-crm");
  record.set_payload("\xff\xff not a proto");
  replay_.Add(record);
  EXPECT_TRUE(replay_.decisions().empty());
}

}  // namespace
}  // namespace gavel::cli
