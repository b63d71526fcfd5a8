// PortfolioQueryService and the projection admin RPCs through a real gRPC
// channel to a real server (RocksDB in a temp folder): read-your-writes
// with min_position, time travel with as_of, paging, errors, roles.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "domain/calendar.h"
#include "gavel/v1/portfolio_query_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/services/test_server.h"

namespace gavel::services {
namespace {

using ::gavel::test::As;
using ::gavel::test::ReasonOf;
using ::gavel::test::TestServer;
using ::google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;

class PortfolioQueryServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.options().queries.max_page_size = 2;
    server_.options().queries.max_wait = absl::Milliseconds(200);
    server_.Restart();
    query_ = gavel::v1::PortfolioQueryService::NewStub(server_.channel());
  }

  template <typename Request, typename Call>
  gavel::v1::CommandReply Command(Request request, absl::string_view who,
                                  Call call) {
    request.mutable_options()->set_command_id(absl::StrCat("cmd-", ++next_id_));
    gavel::v1::CommandReply reply;
    grpc::Status status = call(As(who).get(), request, &reply);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return reply;
  }

  gavel::v1::CommandReply DefineObjective(const std::string& id) {
    gavel::v1::DefineObjectiveRequest r;
    r.mutable_command()->set_objective_id(id);
    r.mutable_command()->set_title("Grow");
    r.mutable_command()->set_horizon(gavel::v1::HORIZON_THREE_YEARS);
    r.mutable_command()->set_owner("alice");
    return Command(r, "alice", [&](auto* c, const auto& req, auto* reply) {
      return server_.strategy().DefineObjective(c, req, reply);
    });
  }

  gavel::v1::CommandReply CharterBoard() {
    gavel::v1::CharterBoardRequest r;
    auto* cmd = r.mutable_command();
    cmd->set_board_id("exec");
    cmd->set_name("Executive board");
    for (auto [who, role] :
         {std::pair{"bob", gavel::v1::MEMBER_ROLE_CHAIR},
          std::pair{"carol", gavel::v1::MEMBER_ROLE_VOTING},
          std::pair{"dave", gavel::v1::MEMBER_ROLE_VOTING}}) {
      gavel::v1::BoardMember* m = cmd->add_members();
      m->set_principal(who);
      m->set_role(role);
    }
    cmd->set_quorum(2);
    cmd->set_decision_rule(gavel::v1::DECISION_RULE_MAJORITY);
    for (const char* gate : {"G0", "G1", "G2", "G3", "G4"}) {
      cmd->mutable_mandate()->add_gate_ids(gate);
    }
    cmd->mutable_mandate()->mutable_budget_ceiling()->set_minor_units(1000000);
    cmd->mutable_mandate()->mutable_budget_ceiling()->set_currency("EUR");
    cmd->mutable_decision_latency_sla()->set_seconds(14 * 86400);
    cmd->set_cadence(gavel::v1::CADENCE_MONTHLY);
    return Command(r, "alice", [&](auto* c, const auto& req, auto* reply) {
      return server_.governance().CharterBoard(c, req, reply);
    });
  }

  gavel::v1::CommandReply Submit(const std::string& id) {
    gavel::v1::SubmitInitiativeRequest r;
    auto* cmd = r.mutable_command();
    cmd->set_initiative_id(id);
    cmd->set_title("Self-service onboarding");
    cmd->set_problem_statement("Onboarding takes 30 days");
    cmd->set_business_unit("Retail");
    cmd->set_sponsor("sam");
    cmd->mutable_cost_estimate()->set_minor_units(5000);
    cmd->mutable_cost_estimate()->set_currency("EUR");
    return Command(r, "sam", [&](auto* c, const auto& req, auto* reply) {
      return server_.initiative().SubmitInitiative(c, req, reply);
    });
  }

  gavel::v1::CommandReply Link(const std::string& id,
                               const std::string& objective) {
    gavel::v1::LinkObjectiveRequest r;
    r.mutable_command()->set_initiative_id(id);
    r.mutable_command()->set_objective_id(objective);
    r.mutable_command()->set_primary(true);
    r.mutable_command()->set_contribution_bp(10000);
    r.mutable_command()->set_rationale("revenue");
    return Command(r, "sam", [&](auto* c, const auto& req, auto* reply) {
      return server_.initiative().LinkObjective(c, req, reply);
    });
  }

  gavel::v1::CommandReply ReportCost(const std::string& id, int64_t amount) {
    gavel::v1::ReportCostRequest r;
    r.mutable_command()->set_initiative_id(id);
    *r.mutable_command()->mutable_period_start() = domain::MakeDate(2026, 1, 1);
    r.mutable_command()->mutable_amount()->set_minor_units(amount);
    r.mutable_command()->mutable_amount()->set_currency("EUR");
    r.mutable_command()->set_category(gavel::v1::COST_CATEGORY_OPEX);
    r.mutable_command()->set_source("ledger");
    return Command(r, "sam", [&](auto* c, const auto& req, auto* reply) {
      return server_.initiative().ReportCost(c, req, reply);
    });
  }

  // Objective, board, initiative `id` linked, reviewed at G0 and passed.
  gavel::v1::CommandReply PassG0(const std::string& id) {
    DefineObjective("growth");
    CharterBoard();
    Submit(id);
    Link(id, "growth");
    gavel::v1::RequestGateReviewRequest review;
    review.mutable_command()->set_initiative_id(id);
    review.mutable_command()->set_gate_id("G0");
    review.mutable_command()->set_board_id("exec");
    Command(review, "sam", [&](auto* c, const auto& req, auto* reply) {
      return server_.governance().RequestGateReview(c, req, reply);
    });
    for (const char* who : {"bob", "carol"}) {
      gavel::v1::CastGateVoteRequest vote;
      vote.mutable_command()->set_initiative_id(id);
      vote.mutable_command()->set_vote(gavel::v1::GATE_VOTE_GO);
      Command(vote, who, [&](auto* c, const auto& req, auto* reply) {
        return server_.governance().CastGateVote(c, req, reply);
      });
    }
    gavel::v1::RecordGateDecisionRequest decide;
    decide.mutable_command()->set_initiative_id(id);
    decide.mutable_command()->set_outcome(gavel::v1::GATE_OUTCOME_GO);
    decide.mutable_command()->set_rationale("clear strategic fit");
    return Command(decide, "bob", [&](auto* c, const auto& req, auto* reply) {
      return server_.governance().RecordGateDecision(c, req, reply);
    });
  }

  grpc::Status GetInitiative(const std::string& id,
                             const gavel::v1::ReadOptions& read,
                             gavel::v1::GetInitiativeReply* reply,
                             absl::string_view who = "ann") {
    gavel::v1::GetInitiativeRequest request;
    request.set_initiative_id(id);
    *request.mutable_read() = read;
    return query_->GetInitiative(As(who).get(), request, reply);
  }

  static gavel::v1::ReadOptions After(uint64_t position) {
    gavel::v1::ReadOptions read;
    read.set_min_position(position);
    return read;
  }
  static gavel::v1::ReadOptions AsOf(uint64_t position) {
    gavel::v1::ReadOptions read;
    read.set_as_of_position(position);
    return read;
  }

  TestServer server_;
  std::unique_ptr<gavel::v1::PortfolioQueryService::Stub> query_;
  int next_id_ = 0;
};

TEST_F(PortfolioQueryServiceTest, QueryAtTheCommandsPositionSeesTheCommand) {
  DefineObjective("growth");
  for (int n = 0; n < 20; ++n) {
    const std::string id = absl::StrCat("I-", n);
    const gavel::v1::CommandReply submitted = Submit(id);
    gavel::v1::GetInitiativeReply reply;
    ASSERT_TRUE(
        GetInitiative(id, After(submitted.last_position()), &reply).ok());
    EXPECT_GE(reply.read().position(), submitted.last_position());
    EXPECT_EQ(reply.initiative().status(),
              gavel::v1::INITIATIVE_STATUS_PROPOSED);
    const gavel::v1::CommandReply linked = Link(id, "growth");
    ASSERT_TRUE(GetInitiative(id, After(linked.last_position()), &reply).ok());
    EXPECT_EQ(reply.initiative().primary_objective_id(), "growth");
    EXPECT_EQ(reply.initiative().rank(), static_cast<uint32_t>(n + 1));
  }
}

TEST_F(PortfolioQueryServiceTest, MinPositionNotReachedIsDeadlineExceeded) {
  const gavel::v1::CommandReply defined = DefineObjective("growth");
  gavel::v1::GetObjectiveRequest request;
  request.set_objective_id("growth");
  request.mutable_read()->set_min_position(defined.last_position() + 1000);
  gavel::v1::GetObjectiveReply reply;
  grpc::Status status = query_->GetObjective(As("ann").get(), request, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(ReasonOf(status), "PROJECTION_BEHIND");
}

TEST_F(PortfolioQueryServiceTest, UnknownIdsAreNotFound) {
  DefineObjective("growth");
  gavel::v1::GetInitiativeReply initiative;
  grpc::Status status = GetInitiative("nope", After(1), &initiative);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ReasonOf(status), "INITIATIVE_NOT_FOUND");

  gavel::v1::GetObjectiveRequest objective;
  objective.set_objective_id("nope");
  gavel::v1::GetObjectiveReply objective_reply;
  status = query_->GetObjective(As("ann").get(), objective, &objective_reply);
  EXPECT_EQ(ReasonOf(status), "OBJECTIVE_NOT_FOUND");

  gavel::v1::GetDecisionRequest decision;
  decision.set_decision_id("nope/1");
  gavel::v1::GetDecisionReply decision_reply;
  status = query_->GetDecision(As("ann").get(), decision, &decision_reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ReasonOf(status), "DECISION_NOT_FOUND");

  gavel::v1::GetCapacityRequest capacity;
  capacity.set_pool_id("nope");
  gavel::v1::GetCapacityReply capacity_reply;
  status = query_->GetCapacity(As("ann").get(), capacity, &capacity_reply);
  EXPECT_EQ(ReasonOf(status), "CAPACITY_POOL_NOT_FOUND");

  gavel::v1::GetGovernanceMetricsRequest metrics;
  metrics.set_board_id("nope");
  gavel::v1::GetGovernanceMetricsReply metrics_reply;
  status =
      query_->GetGovernanceMetrics(As("ann").get(), metrics, &metrics_reply);
  EXPECT_EQ(ReasonOf(status), "BOARD_NOT_FOUND");
}

TEST_F(PortfolioQueryServiceTest, BadPageTokensAndAsOfAreInvalidArguments) {
  const gavel::v1::CommandReply defined = DefineObjective("growth");
  gavel::v1::ListInitiativesRequest list;
  list.set_page_token("not-a-token");
  gavel::v1::ListInitiativesReply list_reply;
  grpc::Status status =
      query_->ListInitiatives(As("ann").get(), list, &list_reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReasonOf(status), "INVALID_PAGE_TOKEN");

  gavel::v1::GetInitiativeReply reply;
  status = GetInitiative("I", AsOf(defined.last_position() + 1), &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReasonOf(status), "AS_OF_BEYOND_HEAD");

  gavel::v1::ReadOptions future;
  *future.mutable_as_of_time() =
      domain::ToTimestamp(absl::Now() + absl::Hours(1));
  status = GetInitiative("I", future, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReasonOf(status), "AS_OF_IN_FUTURE");
}

TEST_F(PortfolioQueryServiceTest, ListsPageInRankOrderWithCappedPages) {
  DefineObjective("growth");
  uint64_t last = 0;
  for (const char* id : {"A", "B", "C"}) last = Submit(id).last_position();
  gavel::v1::ListInitiativesRequest request;
  *request.mutable_read() = After(last);
  request.set_page_size(1000);  // Capped at 2 by this server.
  std::vector<std::string> ids;
  for (int page = 0; page < 3; ++page) {
    gavel::v1::ListInitiativesReply reply;
    ASSERT_TRUE(query_->ListInitiatives(As("ann").get(), request, &reply).ok());
    EXPECT_LE(reply.initiatives_size(), 2);
    EXPECT_EQ(reply.total(), 3u);
    for (const auto& i : reply.initiatives()) ids.push_back(i.initiative_id());
    if (reply.next_page_token().empty()) break;
    request.set_page_token(reply.next_page_token());
  }
  EXPECT_THAT(ids, ::testing::ElementsAre("A", "B", "C"));
}

TEST_F(PortfolioQueryServiceTest, AsOfAPastPositionAnswersAsThen) {
  DefineObjective("growth");
  Submit("A");
  const gavel::v1::CommandReply linked = Link("A", "growth");
  gavel::v1::GetInitiativeReply then;
  ASSERT_TRUE(GetInitiative("A", After(linked.last_position()), &then).ok());
  const gavel::v1::CommandReply cost = ReportCost("A", 1234);
  gavel::v1::GetInitiativeReply now;
  ASSERT_TRUE(GetInitiative("A", After(cost.last_position()), &now).ok());
  EXPECT_EQ(now.initiative().actual_cost().minor_units(), 1234);

  gavel::v1::GetInitiativeReply travelled;
  ASSERT_TRUE(
      GetInitiative("A", AsOf(then.read().position()), &travelled).ok());
  EXPECT_EQ(travelled.read().position(), then.read().position());
  EXPECT_TRUE(
      MessageDifferencer::Equals(travelled.initiative(), then.initiative()));

  // Before A existed.
  gavel::v1::GetInitiativeReply before;
  EXPECT_EQ(GetInitiative("A", AsOf(1), &before).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // By time: now is after every event.
  gavel::v1::ReadOptions by_time;
  *by_time.mutable_as_of_time() = domain::ToTimestamp(absl::Now());
  ASSERT_TRUE(GetInitiative("A", by_time, &travelled).ok());
  EXPECT_EQ(travelled.initiative().actual_cost().minor_units(), 1234);
}

TEST_F(PortfolioQueryServiceTest,
       GovernanceMetricsTakePortfolioKpisFromThePortfolioAtTheSamePosition) {
  auto metrics = [&](const gavel::v1::ReadOptions& read) {
    gavel::v1::GetGovernanceMetricsRequest request;
    *request.mutable_read() = read;
    gavel::v1::GetGovernanceMetricsReply reply;
    EXPECT_TRUE(
        query_->GetGovernanceMetrics(As("ann").get(), request, &reply).ok());
    return reply;
  };
  const gavel::v1::CommandReply decided = PassG0("A");
  const gavel::v1::GetGovernanceMetricsReply then =
      metrics(After(decided.last_position()));
  EXPECT_EQ(then.metrics().kpis().active_initiatives(), 1u);
  EXPECT_EQ(then.metrics().kpis().aligned_initiatives(), 1u);
  ASSERT_FALSE(then.metrics().boards().empty());
  EXPECT_EQ(then.metrics().boards(0).latency().decisions(), 1u);

  // An initiative linked to no objective: active, not aligned.
  const gavel::v1::CommandReply submitted = Submit("B");
  const gavel::v1::GetGovernanceMetricsReply now =
      metrics(After(submitted.last_position()));
  EXPECT_EQ(now.metrics().kpis().active_initiatives(), 2u);
  EXPECT_EQ(now.metrics().kpis().aligned_initiatives(), 1u);
  EXPECT_EQ(now.metrics().kpis().alignment_count_bp(), 5000);

  // As of the decision: both read models travel to the same position.
  const gavel::v1::GetGovernanceMetricsReply travelled =
      metrics(AsOf(then.read().position()));
  EXPECT_EQ(travelled.read().position(), then.read().position());
  EXPECT_TRUE(MessageDifferencer::Equals(travelled.metrics(), then.metrics()));
}

TEST_F(PortfolioQueryServiceTest, DecisionHistoryContextAndExports) {
  const gavel::v1::CommandReply decided = PassG0("A");
  gavel::v1::GetDecisionRequest get;
  get.set_decision_id("A/1");
  *get.mutable_read() = After(decided.last_position());
  gavel::v1::GetDecisionReply decision;
  ASSERT_TRUE(query_->GetDecision(As("eve").get(), get, &decision).ok());
  const gavel::v1::DecisionRecord& d = decision.decision();
  EXPECT_EQ(d.outcome(), gavel::v1::GATE_OUTCOME_GO);
  EXPECT_EQ(d.votes_size(), 2);
  EXPECT_TRUE(d.context_exact());
  // What the board knew equals the initiative as of the reviewed position.
  gavel::v1::GetInitiativeReply at_review;
  ASSERT_TRUE(GetInitiative("A", AsOf(d.reviewed_position()), &at_review).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(d.context(), at_review.initiative()));
  EXPECT_EQ(d.context().status(), gavel::v1::INITIATIVE_STATUS_PROPOSED);

  gavel::v1::ListDecisionsRequest list;
  list.mutable_filter()->set_board_id("exec");
  gavel::v1::ListDecisionsReply listed;
  ASSERT_TRUE(query_->ListDecisions(As("eve").get(), list, &listed).ok());
  ASSERT_EQ(listed.decisions_size(), 1);
  list.mutable_filter()->set_outcome(gavel::v1::GATE_OUTCOME_KILL);
  ASSERT_TRUE(query_->ListDecisions(As("eve").get(), list, &listed).ok());
  EXPECT_EQ(listed.decisions_size(), 0);

  for (auto format :
       {gavel::v1::EXPORT_FORMAT_CSV, gavel::v1::EXPORT_FORMAT_JSONL}) {
    gavel::v1::ExportDecisionsRequest request;
    request.set_format(format);
    std::unique_ptr<grpc::ClientContext> context = As("eve");
    auto reader = query_->ExportDecisions(context.get(), request);
    std::string data;
    gavel::v1::ExportDecisionsChunk chunk;
    while (reader->Read(&chunk)) data += chunk.data();
    ASSERT_TRUE(reader->Finish().ok());
    std::vector<std::string> lines = absl::StrSplit(data, '\n');
    if (format == gavel::v1::EXPORT_FORMAT_CSV) {
      ASSERT_EQ(lines.size(), 3u);  // Header, one decision, "".
      EXPECT_THAT(lines[0], HasSubstr("decision_id,initiative_id"));
      EXPECT_THAT(lines[1], HasSubstr("A/1,A,1,G0,exec"));
    } else {
      ASSERT_EQ(lines.size(), 2u);
      EXPECT_THAT(lines[0], HasSubstr("\"decision_id\":\"A/1\""));
    }
  }
}

TEST_F(PortfolioQueryServiceTest, ReadsNeedAReadingRoleRebuildNeedsAdmin) {
  DefineObjective("growth");
  gavel::v1::ListObjectivesRequest list;
  gavel::v1::ListObjectivesReply listed;
  grpc::Status status = query_->ListObjectives(As("sam").get(), list, &listed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ReasonOf(status), "ROLE_REQUIRED");
  EXPECT_EQ(query_->ListObjectives(As("").get(), list, &listed).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(query_->ListObjectives(As("eve").get(), list, &listed).ok());

  gavel::v1::RebuildProjectionRequest rebuild;
  rebuild.set_name("portfolio");
  gavel::v1::RebuildProjectionReply ticket;
  status = server_.admin().RebuildProjection(As("bob").get(), rebuild, &ticket);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  rebuild.set_name("nope");
  status =
      server_.admin().RebuildProjection(As("alice").get(), rebuild, &ticket);
  EXPECT_EQ(ReasonOf(status), "PROJECTION_NOT_FOUND");
  rebuild.set_name("portfolio");
  ASSERT_TRUE(server_.admin()
                  .RebuildProjection(As("alice").get(), rebuild, &ticket)
                  .ok());
  ASSERT_TRUE(server_.server().projections().AwaitRebuild(
      ticket.ticket(), absl::InfiniteFuture()));

  gavel::v1::GetStatusReply reply;
  ASSERT_TRUE(
      server_.admin()
          .GetStatus(As("alice").get(), gavel::v1::GetStatusRequest(), &reply)
          .ok());
  ASSERT_EQ(reply.projections_size(), 3);
  EXPECT_EQ(reply.projections(0).name(), "portfolio");
  EXPECT_EQ(reply.projections(0).rebuilds(), 1u);
  EXPECT_EQ(reply.projections(1).rebuilds(), 0u);
  EXPECT_LE(reply.projections(0).position(), reply.head_position());
  // The rebuilt model still answers.
  EXPECT_TRUE(query_->ListObjectives(As("eve").get(), list, &listed).ok());
  EXPECT_EQ(listed.objectives_size(), 1);
}

}  // namespace
}  // namespace gavel::services
