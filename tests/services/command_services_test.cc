// The command services through a real gRPC channel to a real server on an
// ephemeral port, with RocksDB in a temp folder.
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/test_server.h"

namespace gavel::services {
namespace {

using ::gavel::test::As;
using ::gavel::test::FieldOf;
using ::gavel::test::ReasonOf;
using ::gavel::test::TestServer;
using ::testing::HasSubstr;

struct Result {
  grpc::Status status;
  gavel::v1::CommandReply reply;
};

class CommandServicesTest : public ::testing::Test {
 protected:
  // Each helper sends one command as `who` with command id `id` (a fresh
  // one when empty).
  std::string NextId() { return absl::StrCat("cmd-", ++next_id_); }

  template <typename Request, typename Method>
  Result Send(Method method, Request request, absl::string_view who,
              std::string id = "") {
    if (request.options().command_id().empty()) {
      request.mutable_options()->set_command_id(id.empty() ? NextId() : id);
    }
    Result result;
    result.status = method(As(who).get(), request, &result.reply);
    return result;
  }

  Result DefineObjective(absl::string_view id,
                         absl::string_view who = "alice") {
    gavel::v1::DefineObjectiveRequest request;
    auto* cmd = request.mutable_command();
    cmd->set_objective_id(std::string(id));
    cmd->set_title("Grow recurring revenue");
    cmd->set_horizon(gavel::v1::HORIZON_THREE_YEARS);
    cmd->set_owner("alice");
    return Send(
        [&](grpc::ClientContext* c, const auto& r, auto* reply) {
          return server_.strategy().DefineObjective(c, r, reply);
        },
        request, who);
  }

  Result CharterBoard(absl::string_view id) {
    gavel::v1::CharterBoardRequest request;
    auto* cmd = request.mutable_command();
    cmd->set_board_id(std::string(id));
    cmd->set_name("Executive investment board");
    auto add = [&](const char* who, gavel::v1::MemberRole role) {
      gavel::v1::BoardMember* member = cmd->add_members();
      member->set_principal(who);
      member->set_role(role);
    };
    add("bob", gavel::v1::MEMBER_ROLE_CHAIR);
    add("carol", gavel::v1::MEMBER_ROLE_VOTING);
    add("dave", gavel::v1::MEMBER_ROLE_VOTING);
    cmd->set_quorum(2);
    cmd->set_decision_rule(gavel::v1::DECISION_RULE_MAJORITY);
    for (const char* gate : {"G0", "G1", "G2", "G3", "G4"}) {
      cmd->mutable_mandate()->add_gate_ids(gate);
    }
    cmd->mutable_mandate()->mutable_budget_ceiling()->set_minor_units(
        100000000);
    cmd->mutable_mandate()->mutable_budget_ceiling()->set_currency("EUR");
    cmd->mutable_mandate()->set_approves_frameworks(true);
    cmd->mutable_decision_latency_sla()->set_seconds(14 * 86400);
    cmd->set_cadence(gavel::v1::CADENCE_MONTHLY);
    return Send(
        [&](grpc::ClientContext* c, const auto& r, auto* reply) {
          return server_.governance().CharterBoard(c, r, reply);
        },
        request, "alice");
  }

  gavel::v1::SubmitInitiativeRequest Submission(absl::string_view id) {
    gavel::v1::SubmitInitiativeRequest request;
    auto* cmd = request.mutable_command();
    cmd->set_initiative_id(std::string(id));
    cmd->set_title("Self-service onboarding");
    cmd->set_problem_statement("Onboarding takes 30 days");
    cmd->set_business_unit("Retail");
    cmd->set_sponsor("sam");
    cmd->mutable_cost_estimate()->set_minor_units(5000000);
    cmd->mutable_cost_estimate()->set_currency("EUR");
    return request;
  }

  Result Submit(gavel::v1::SubmitInitiativeRequest request,
                absl::string_view who = "sam", std::string id = "") {
    return Send(
        [&](grpc::ClientContext* c, const auto& r, auto* reply) {
          return server_.initiative().SubmitInitiative(c, r, reply);
        },
        std::move(request), who, std::move(id));
  }

  Result Link(absl::string_view initiative, absl::string_view objective) {
    gavel::v1::LinkObjectiveRequest request;
    auto* cmd = request.mutable_command();
    cmd->set_initiative_id(std::string(initiative));
    cmd->set_objective_id(std::string(objective));
    cmd->set_primary(true);
    cmd->set_contribution_bp(10000);
    cmd->set_rationale("direct revenue impact");
    return Send(
        [&](grpc::ClientContext* c, const auto& r, auto* reply) {
          return server_.initiative().LinkObjective(c, r, reply);
        },
        request, "sam");
  }

  Result RequestReview(absl::string_view initiative, absl::string_view gate) {
    gavel::v1::RequestGateReviewRequest request;
    auto* cmd = request.mutable_command();
    cmd->set_initiative_id(std::string(initiative));
    cmd->set_gate_id(std::string(gate));
    cmd->set_board_id("exec");
    return Send(
        [&](grpc::ClientContext* c, const auto& r, auto* reply) {
          return server_.governance().RequestGateReview(c, r, reply);
        },
        request, "sam");
  }

  Result Vote(absl::string_view initiative, absl::string_view who,
              gavel::v1::GateVote vote) {
    gavel::v1::CastGateVoteRequest request;
    request.mutable_command()->set_initiative_id(std::string(initiative));
    request.mutable_command()->set_vote(vote);
    return Send(
        [&](grpc::ClientContext* c, const auto& r, auto* reply) {
          return server_.governance().CastGateVote(c, r, reply);
        },
        request, who);
  }

  Result Decide(absl::string_view initiative, gavel::v1::GateOutcome outcome,
                absl::string_view who = "bob") {
    gavel::v1::RecordGateDecisionRequest request;
    auto* cmd = request.mutable_command();
    cmd->set_initiative_id(std::string(initiative));
    cmd->set_outcome(outcome);
    cmd->set_rationale("clear strategic fit");
    return Send(
        [&](grpc::ClientContext* c, const auto& r, auto* reply) {
          return server_.governance().RecordGateDecision(c, r, reply);
        },
        request, who);
  }

  // Objective, board, and an initiative linked to the objective.
  void Prepare(absl::string_view initiative) {
    ASSERT_TRUE(DefineObjective("growth").status.ok());
    ASSERT_TRUE(CharterBoard("exec").status.ok());
    ASSERT_TRUE(Submit(Submission(initiative)).status.ok());
    ASSERT_TRUE(Link(initiative, "growth").status.ok());
  }

  TestServer server_;
  int next_id_ = 0;
};

TEST_F(CommandServicesTest, StrategyServiceDefinesAnObjective) {
  Result result = DefineObjective("growth");
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  EXPECT_EQ(result.reply.first_position(), 1u);
  EXPECT_EQ(result.reply.last_position(), 1u);
  EXPECT_EQ(result.reply.stream_id(), "objective-growth");
  EXPECT_EQ(result.reply.version(), 1u);
  ASSERT_EQ(result.reply.events_size(), 1);
  EXPECT_EQ(result.reply.events(0).event_type(), "ObjectiveDefined");
  EXPECT_EQ(result.reply.events(0).actor(), "alice");
  gavel::v1::ObjectiveEvent event;
  ASSERT_TRUE(event.ParseFromString(result.reply.events(0).payload()));
  EXPECT_EQ(event.defined().title(), "Grow recurring revenue");
}

TEST_F(CommandServicesTest, GovernanceServiceChartersABoard) {
  Result result = CharterBoard("exec");
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  EXPECT_EQ(result.reply.stream_id(), "board-exec");
  EXPECT_EQ(result.reply.events(0).event_type(), "BoardChartered");
}

TEST_F(CommandServicesTest, InitiativeServiceSubmitsAnInitiative) {
  Result result = Submit(Submission("onboarding"));
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  EXPECT_EQ(result.reply.stream_id(), "initiative-onboarding");
  EXPECT_EQ(result.reply.events(0).event_type(), "InitiativeSubmitted");
}

TEST_F(CommandServicesTest, BoardPassesAnInitiativeThroughG0) {
  Prepare("onboarding");
  ASSERT_TRUE(RequestReview("onboarding", "G0").status.ok());
  ASSERT_TRUE(Vote("onboarding", "bob", gavel::v1::GATE_VOTE_GO).status.ok());
  ASSERT_TRUE(Vote("onboarding", "carol", gavel::v1::GATE_VOTE_GO).status.ok());
  Result decision = Decide("onboarding", gavel::v1::GATE_OUTCOME_GO);
  ASSERT_TRUE(decision.status.ok()) << decision.status.error_message();
  ASSERT_EQ(decision.reply.events_size(), 1);
  EXPECT_EQ(decision.reply.events(0).event_type(), "GateDecided");
  gavel::v1::InitiativeEvent event;
  ASSERT_TRUE(event.ParseFromString(decision.reply.events(0).payload()));
  EXPECT_EQ(event.gate_decided().gate_id(), "G0");
  EXPECT_EQ(event.gate_decided().outcome(), gavel::v1::GATE_OUTCOME_GO);
  // The decision names the position of the state the board reviewed.
  EXPECT_GT(event.gate_decided().reviewed_position(), 0u);
  EXPECT_LT(event.gate_decided().reviewed_position(),
            decision.reply.first_position());
}

TEST_F(CommandServicesTest, DomainRejectionsSurfaceWithCodeReasonAndField) {
  Prepare("onboarding");
  // G1 before G0.
  Result early = RequestReview("onboarding", "G1");
  EXPECT_EQ(early.status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(early.status), "GATE_OUT_OF_ORDER");
  // A member who is not on the board.
  ASSERT_TRUE(RequestReview("onboarding", "G0").status.ok());
  Result outsider = Vote("onboarding", "ann", gavel::v1::GATE_VOTE_GO);
  EXPECT_EQ(outsider.status.error_code(),
            grpc::StatusCode::PERMISSION_DENIED);  // analyst: no vote RPC
  EXPECT_EQ(ReasonOf(outsider.status), "ROLE_REQUIRED");
  // Quorum: one vote of a quorum of two.
  ASSERT_TRUE(Vote("onboarding", "bob", gavel::v1::GATE_VOTE_GO).status.ok());
  Result quorum = Decide("onboarding", gavel::v1::GATE_OUTCOME_GO);
  EXPECT_EQ(quorum.status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(quorum.status), "QUORUM_NOT_MET");
  // Voting twice.
  Result twice = Vote("onboarding", "bob", gavel::v1::GATE_VOTE_GO);
  EXPECT_EQ(ReasonOf(twice.status), "ALREADY_VOTED");
  // Malformed input names the field.
  gavel::v1::SubmitInitiativeRequest bad = Submission("other");
  bad.mutable_command()->mutable_cost_estimate()->set_minor_units(-5);
  Result negative = Submit(bad);
  EXPECT_EQ(negative.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReasonOf(negative.status), "INVALID_MONEY");
  EXPECT_THAT(FieldOf(negative.status), HasSubstr("cost_estimate"));
}

TEST_F(CommandServicesTest, IdempotentRetryReturnsTheFirstResult) {
  gavel::v1::SubmitInitiativeRequest request = Submission("onboarding");
  Result first = Submit(request, "sam", "submit-1");
  ASSERT_TRUE(first.status.ok());
  ASSERT_TRUE(DefineObjective("growth").status.ok());
  Result retry = Submit(request, "sam", "submit-1");
  ASSERT_TRUE(retry.status.ok()) << retry.status.error_message();
  EXPECT_TRUE(retry.reply.deduplicated());
  EXPECT_EQ(retry.reply.first_position(), first.reply.first_position());
  EXPECT_EQ(retry.reply.version(), 1u);
  ASSERT_EQ(retry.reply.events_size(), 1);
  EXPECT_EQ(retry.reply.events(0).event_id(), first.reply.events(0).event_id());
  EXPECT_EQ(server_.server().log().Head(), 2u);
  // Another principal reusing the id, even with the same request, is
  // refused: command ids cannot be claimed or replayed across principals.
  Result stolen = Submit(request, "ann", "submit-1");
  EXPECT_EQ(stolen.status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  // The same id for another request is refused.
  gavel::v1::SubmitInitiativeRequest other = Submission("another");
  Result conflict = Submit(other, "sam", "submit-1");
  EXPECT_EQ(conflict.status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(server_.server().log().Head(), 2u);
}

TEST_F(CommandServicesTest, ExpectedVersionConflictIsAborted) {
  Prepare("onboarding");  // initiative at version 2
  gavel::v1::LinkObjectiveRequest request;
  request.mutable_options()->set_expected_version(1);
  request.mutable_command()->set_initiative_id("onboarding");
  request.mutable_command()->set_objective_id("growth");
  Result stale = Send(
      [&](grpc::ClientContext* c, const auto& r, auto* reply) {
        return server_.initiative().LinkObjective(c, r, reply);
      },
      request, "sam");
  EXPECT_EQ(stale.status.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(ReasonOf(stale.status), "VERSION_CONFLICT");

  gavel::v1::RaiseRiskRequest risk;
  risk.mutable_options()->set_expected_version(2);
  auto* cmd = risk.mutable_command();
  cmd->set_initiative_id("onboarding");
  cmd->set_risk_id("R1");
  cmd->set_title("Vendor delay");
  cmd->set_probability_bp(3000);
  cmd->set_impact(gavel::v1::RISK_IMPACT_MEDIUM);
  cmd->set_owner("sam");
  Result fresh = Send(
      [&](grpc::ClientContext* c, const auto& r, auto* reply) {
        return server_.initiative().RaiseRisk(c, r, reply);
      },
      risk, "sam");
  ASSERT_TRUE(fresh.status.ok()) << fresh.status.error_message();
  EXPECT_EQ(fresh.reply.version(), 3u);
}

TEST_F(CommandServicesTest,
       ConcurrentClientsGetGapFreePositionsAndGroupCommit) {
  constexpr int kClients = 64;
  constexpr int kPerClient = 5;
  std::vector<std::vector<uint64_t>> positions(kClients);
  std::atomic<int> failures{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      for (int i = 0; i < kPerClient; ++i) {
        gavel::v1::SubmitInitiativeRequest request =
            Submission(absl::StrCat("i-", c, "-", i));
        request.mutable_options()->set_command_id(
            absl::StrCat("concurrent-", c, "-", i));
        gavel::v1::CommandReply reply;
        grpc::Status status = server_.initiative().SubmitInitiative(
            As("sam").get(), request, &reply);
        if (!status.ok()) {
          ++failures;
          continue;
        }
        positions[c].push_back(reply.first_position());
      }
    });
  }
  for (std::thread& t : clients) t.join();
  ASSERT_EQ(failures.load(), 0);
  std::set<uint64_t> all;
  for (const auto& list : positions) {
    // Each client's own commands commit in the order it sent them.
    for (size_t i = 1; i < list.size(); ++i) EXPECT_LT(list[i - 1], list[i]);
    all.insert(list.begin(), list.end());
  }
  ASSERT_EQ(all.size(), size_t{kClients * kPerClient});
  EXPECT_EQ(*all.begin(), 1u);
  EXPECT_EQ(*all.rbegin(), uint64_t{kClients * kPerClient});  // no gap
  const gavel::v1::WriterStats stats = server_.server().processor().Stats();
  EXPECT_EQ(stats.commands_accepted(), uint64_t{kClients * kPerClient});
  EXPECT_LT(stats.appends(), stats.commands_accepted());
}

TEST_F(CommandServicesTest, ActorIsTheAuthenticatedPrincipalNotARequestField) {
  gavel::v1::SubmitInitiativeRequest request = Submission("onboarding");
  request.mutable_command()->set_sponsor("mallory");
  request.mutable_options()->set_correlation_id("claims-to-be-mallory");
  Result result = Submit(request, "ann");
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  EXPECT_EQ(result.reply.events(0).actor(), "ann");
  absl::StatusOr<storage::StoredEvent> stored =
      server_.server().log().ReadAt(result.reply.first_position());
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->Decode()->actor(), "ann");
  gavel::v1::InitiativeEvent event;
  ASSERT_TRUE(event.ParseFromString(stored->Decode()->payload()));
  EXPECT_EQ(event.submitted().submitted_by(), "ann");
}

TEST_F(CommandServicesTest, WrongTokenIsUnauthenticatedWrongRoleDenied) {
  Result nobody = DefineObjective("growth", "");
  EXPECT_EQ(nobody.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  Result forged = DefineObjective("growth", "mallory");
  EXPECT_EQ(forged.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(forged.status.error_message(),
              ::testing::Not(HasSubstr("token-")));
  Result submitter = DefineObjective("growth", "sam");
  EXPECT_EQ(submitter.status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ReasonOf(submitter.status), "ROLE_REQUIRED");
  EXPECT_EQ(server_.server().log().Head(), 0u);
}

TEST_F(CommandServicesTest, EachAuthenticationFailureNamesItsReason) {
  EXPECT_EQ(ReasonOf(DefineObjective("growth", "").status), "NO_CREDENTIALS");
  EXPECT_EQ(ReasonOf(DefineObjective("growth", "mallory").status),
            "UNKNOWN_TOKEN");
  Result expired = DefineObjective("growth", "olga");
  EXPECT_EQ(expired.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ReasonOf(expired.status), "CREDENTIAL_EXPIRED");
  EXPECT_THAT(expired.status.error_message(),
              HasSubstr("expired at 2020-01-01T00:00:00Z"));
  EXPECT_THAT(expired.status.error_message(),
              ::testing::Not(HasSubstr("olga")));
  EXPECT_EQ(server_.server().log().Head(), 0u);
  // A token with an expiry still ahead works like any other.
  EXPECT_TRUE(DefineObjective("growth", "fred").status.ok());
}

TEST_F(CommandServicesTest, RestartKeepsEveryAcknowledgedCommand) {
  Prepare("onboarding");
  ASSERT_TRUE(RequestReview("onboarding", "G0").status.ok());
  const uint64_t head = server_.server().log().Head();
  server_.Restart();
  EXPECT_EQ(server_.server().log().Head(), head);
  // The aggregate continues from its version: the open review is there.
  ASSERT_TRUE(Vote("onboarding", "bob", gavel::v1::GATE_VOTE_GO).status.ok());
  Result vote = Vote("onboarding", "carol", gavel::v1::GATE_VOTE_GO);
  ASSERT_TRUE(vote.status.ok()) << vote.status.error_message();
  EXPECT_EQ(vote.reply.version(), 5u);
  EXPECT_EQ(vote.reply.first_position(), head + 2);
}

TEST_F(CommandServicesTest, MalformedAndOversizedRequestsWriteNothing) {
  // Empty command id.
  gavel::v1::SubmitInitiativeRequest no_id = Submission("onboarding");
  no_id.mutable_options()->set_command_id("");
  gavel::v1::CommandReply reply;
  grpc::Status status =
      server_.initiative().SubmitInitiative(As("sam").get(), no_id, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(FieldOf(status), "options.command_id");
  // Missing required fields.
  gavel::v1::SubmitInitiativeRequest empty;
  EXPECT_EQ(Submit(empty).status.error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // A 10 MB string is beyond the message limit.
  gavel::v1::SubmitInitiativeRequest huge = Submission("onboarding");
  huge.mutable_command()->set_problem_statement(std::string(10 << 20, 'x'));
  EXPECT_EQ(Submit(huge).status.error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  // 300 KB fits a message but not a command.
  gavel::v1::SubmitInitiativeRequest big = Submission("onboarding");
  big.mutable_command()->set_problem_statement(std::string(300 << 10, 'x'));
  EXPECT_EQ(Submit(big).status.error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // Unknown enum value.
  gavel::v1::DefineObjectiveRequest odd;
  odd.mutable_options()->set_command_id("odd-enum");
  odd.mutable_command()->set_objective_id("growth");
  odd.mutable_command()->set_title("t");
  odd.mutable_command()->set_owner("alice");
  odd.mutable_command()->set_horizon(static_cast<gavel::v1::Horizon>(42));
  status = server_.strategy().DefineObjective(As("alice").get(), odd, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReasonOf(status), "INVALID_ENUM");
  // Over-long id.
  gavel::v1::SubmitInitiativeRequest long_id =
      Submission(std::string(500, 'i'));
  EXPECT_EQ(Submit(long_id).status.error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(server_.server().log().Head(), 0u);
}

TEST(ServerStartTest, NonLoopbackWithoutTlsOrInsecureRefusesToStart) {
  gavel::test::TempDir dir;
  ServerOptions options;
  options.listen = "0.0.0.0:0";
  options.data_dir = dir.Sub("data");
  options.tokens_file = dir.Sub("tokens");
  absl::StatusOr<std::unique_ptr<GavelServer>> server =
      GavelServer::Start(options);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(server.status().message(), HasSubstr("without TLS"));
}

TEST(ServerStartTest, SecondServerOnTheSameDataDirIsRefused) {
  TestServer first;
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.data_dir = first.data_dir();
  absl::StatusOr<std::unique_ptr<GavelServer>> second =
      GavelServer::Start(options);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(ServerStartTest, AdminPingAndStatusAnswer) {
  TestServer server;
  gavel::v1::PingReply pong;
  EXPECT_TRUE(server.admin().Ping(As("sam").get(), {}, &pong).ok());
  gavel::v1::GetStatusReply status;
  ASSERT_TRUE(server.admin().GetStatus(As("eve").get(), {}, &status).ok());
  EXPECT_EQ(status.principal(), "eve");
  EXPECT_FALSE(status.dev_mode());
  EXPECT_EQ(status.head_position(), 0u);
  EXPECT_GE(status.writer().batch_sizes_size(), 2);
  grpc::Status denied = server.admin().GetStatus(As("sam").get(), {}, &status);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace gavel::services
