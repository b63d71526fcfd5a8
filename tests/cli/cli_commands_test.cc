// The command verbs of the CLI: every command RPC has one, requests are
// built from field=value arguments and JSON files by reflection, and a
// verb run against a real gaveld commits or reports the domain's reason.
#include "cli/cli_commands.h"

#include <signal.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gavel/v1/governance_service.pb.h"
#include "gavel/v1/initiative_service.pb.h"
#include "gavel/v1/portfolio_plan_service.pb.h"
#include "gavel/v1/strategy_service.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "tests/testing/child_process.h"
#include "tests/testing/temp_dir.h"

namespace gavel::cli {
namespace {

using ::gavel::test::FreePort;
using ::gavel::test::ReadFile;
using ::gavel::test::Spawn;
using ::gavel::test::WaitExit;
using ::testing::HasSubstr;

TEST(CliCommandsTest, EveryCommandRpcHasExactlyOneVerb) {
  std::set<std::string> rpcs;
  for (const char* name :
       {"gavel.v1.StrategyService", "gavel.v1.GovernanceService",
        "gavel.v1.InitiativeService", "gavel.v1.PortfolioPlanService"}) {
    (void)gavel::v1::DefineObjectiveRequest::descriptor();
    (void)gavel::v1::CharterBoardRequest::descriptor();
    (void)gavel::v1::SubmitInitiativeRequest::descriptor();
    (void)gavel::v1::CreateScenarioRequest::descriptor();
    const google::protobuf::ServiceDescriptor* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
            name);
    ASSERT_NE(service, nullptr) << name;
    for (int i = 0; i < service->method_count(); ++i) {
      // Command RPCs: {options, command} requests (the plan service's
      // optimize and reads are verbs of their own).
      const google::protobuf::Descriptor* input =
          service->method(i)->input_type();
      if (input->FindFieldByName("options") == nullptr ||
          input->FindFieldByName("command") == nullptr) {
        continue;
      }
      rpcs.insert(absl::StrCat(name, "/", service->method(i)->name()));
    }
  }
  std::set<std::string> covered, words;
  for (const catalogue::Method* verb : CommandVerbs()) {
    EXPECT_TRUE(
        covered
            .insert(absl::StrCat(verb->descriptor->service()->full_name(), "/",
                                 verb->descriptor->name()))
            .second)
        << verb->path;
    EXPECT_TRUE(
        words.insert(absl::StrCat(verb->cli->group(), " ", verb->cli->verb()))
            .second);
    EXPECT_TRUE(NewRequest(*verb).ok()) << verb->path;
  }
  EXPECT_EQ(covered, rpcs);
  EXPECT_EQ(FindCommandVerb("gate", "vote")->path,
            "/gavel.v1.GovernanceService/CastGateVote");
  EXPECT_EQ(FindCommandVerb("gate", "nope"), nullptr);
}

TEST(CliCommandsTest, FieldsAreSetByPathWithEnumsByShortName) {
  gavel::v1::CastGateVote vote;
  ASSERT_TRUE(SetField(vote, "initiative_id", "crm").ok());
  ASSERT_TRUE(SetField(vote, "vote", "conditional_go").ok());
  EXPECT_EQ(vote.initiative_id(), "crm");
  EXPECT_EQ(vote.vote(), gavel::v1::GATE_VOTE_CONDITIONAL_GO);
  ASSERT_TRUE(SetField(vote, "vote", "GATE_VOTE_KILL").ok());
  EXPECT_EQ(vote.vote(), gavel::v1::GATE_VOTE_KILL);

  gavel::v1::SubmitInitiative submit;
  ASSERT_TRUE(SetField(submit, "cost_estimate.minor_units", "250000").ok());
  ASSERT_TRUE(SetField(submit, "cost_estimate.currency", "EUR").ok());
  EXPECT_EQ(submit.cost_estimate().minor_units(), 250000);
  EXPECT_EQ(submit.cost_estimate().currency(), "EUR");
}

TEST(CliCommandsTest, BadPathsAndValuesAreInvalidArgumentNamingThePath) {
  gavel::v1::CastGateVote vote;
  for (const auto& [path, value] :
       std::vector<std::pair<std::string, std::string>>{
           {"review_number", "three"},
           {"vote", "maybe"},
           {"no_such_field", "1"},
           {"vote.x", "1"}}) {
    const absl::Status status = SetField(vote, path, value);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << path;
    EXPECT_THAT(status.message(), HasSubstr(path));
  }
  gavel::v1::SubmitInitiative submit;
  EXPECT_THAT(SetField(submit, "milestones.name", "x").message(),
              HasSubstr("--file"));
}

TEST(CliCommandsTest, JsonFilesFillRepeatedMessages) {
  gavel::v1::SubmitInitiative submit;
  submit.set_title("from a flag");
  ASSERT_TRUE(MergeJson(R"({"initiativeId": "crm",
      "milestones": [{"milestoneId": "ms-1", "name": "Design"}],
      "capacityDemand": [{"poolId": "data-eng"}]})",
                        submit)
                  .ok());
  EXPECT_EQ(submit.initiative_id(), "crm");
  EXPECT_EQ(submit.title(), "from a flag");
  ASSERT_EQ(submit.milestones_size(), 1);
  EXPECT_EQ(submit.milestones(0).name(), "Design");
  EXPECT_EQ(MergeJson("{not json", submit).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MergeJson(R"({"noSuchField": 1})", submit).code(),
            absl::StatusCode::kInvalidArgument);
}

class CliVerbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = Spawn(GAVELD_BINARY,
                    {absl::StrCat("--listen=", Addr()),
                     absl::StrCat("--data_dir=", dir_.Sub("data"))},
                    dir_.Sub("gaveld.log"));
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (Cli({"health"}) != 0) {
      ASSERT_LT(absl::Now(), deadline) << ReadFile(dir_.Sub("gaveld.log"));
      absl::SleepFor(absl::Milliseconds(100));
    }
  }
  void TearDown() override {
    kill(server_, SIGTERM);
    EXPECT_EQ(WaitExit(server_), 0);
  }

  std::string Addr() const { return absl::StrCat("127.0.0.1:", port_); }
  int Cli(std::vector<std::string> args) {
    args.insert(args.begin(), absl::StrCat("--addr=", Addr()));
    return WaitExit(Spawn(GAVEL_BINARY, std::move(args), log_));
  }
  std::string Output() const { return ReadFile(log_); }

  gavel::test::TempDir dir_;
  const int port_ = FreePort();
  const std::string log_ = dir_.Sub("cli.log");
  pid_t server_ = 0;
};

TEST_F(CliVerbTest, DefineObjectiveCommitsAndARetryIsDeduplicated) {
  const std::vector<std::string> define = {"objective",
                                           "define",
                                           "objective_id=growth",
                                           "title=Grow ARR",
                                           "horizon=three_years",
                                           "owner=alice",
                                           "--command_id=cli-test-1"};
  ASSERT_EQ(Cli(define), 0) << Output();
  EXPECT_THAT(Output(), HasSubstr("OK objective-growth version 1"));
  EXPECT_THAT(Output(), HasSubstr("ObjectiveDefined"));
  ASSERT_EQ(Cli(define), 0) << Output();
  EXPECT_THAT(Output(), HasSubstr("an earlier try's result"));
}

TEST_F(CliVerbTest, DomainRejectionPrintsItsReasonAndExitsOne) {
  ASSERT_EQ(Cli({"objective", "define", "objective_id=growth", "title=Grow ARR",
                 "horizon=three_years", "owner=alice"}),
            0)
      << Output();
  EXPECT_EQ(Cli({"objective", "define", "objective_id=growth", "title=Again",
                 "horizon=one_year", "owner=alice"}),
            1);
  EXPECT_THAT(Output(), HasSubstr("ALREADY_EXISTS"));
  EXPECT_THAT(Output(), HasSubstr("hint"));
}

TEST_F(CliVerbTest, MalformedArgumentsExitTwoWithoutCalling) {
  EXPECT_EQ(Cli({"objective", "define", "title"}), 2);
  EXPECT_EQ(Cli({"objective", "define", "horizon=someday"}), 2);
  EXPECT_THAT(Output(), HasSubstr("HORIZON_"));
  EXPECT_EQ(Cli({"initiative", "submit", "--file=/no/such/file.json"}), 2);
}

TEST_F(CliVerbTest, SubmissionFromAJsonFile) {
  const std::string file = dir_.Sub("submit.json");
  std::ofstream(file) << R"({"initiativeId": "crm", "title": "New CRM",
    "problemStatement": "Three CRMs", "businessUnit": "sales",
    "sponsor": "carol",
    "costEstimate": {"minorUnits": "25000000", "currency": "EUR"}})";
  const int code =
      Cli({"--json", "initiative", "submit", absl::StrCat("--file=", file)});
  ASSERT_EQ(code, 0) << Output();
  EXPECT_THAT(Output(), HasSubstr("\"stream_id\":\"initiative-crm\""));
  EXPECT_THAT(Output(), HasSubstr("InitiativeSubmitted"));
  // The event is decoded, not base64.
  EXPECT_THAT(Output(), HasSubstr("\"problem_statement\":\"Three CRMs\""));
}

TEST_F(CliVerbTest, EventsTailPrintsDecodedEventsThenStops) {
  for (const char* id : {"objective_id=growth", "objective_id=margin"}) {
    ASSERT_EQ(Cli({"objective", "define", id, "title=T", "horizon=one_year",
                   "owner=alice"}),
              0)
        << Output();
  }
  const std::string out = dir_.Sub("tail.log");
  auto tail = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {absl::StrCat("--addr=", Addr()), "--json",
                               "events", "tail", "--follow=false"});
    std::remove(out.c_str());
    EXPECT_EQ(WaitExit(Spawn(GAVEL_BINARY, args, out)), 0) << ReadFile(out);
    return ReadFile(out);
  };
  std::string all = tail({});
  EXPECT_THAT(all, HasSubstr("\"objective_id\":\"growth\""));
  EXPECT_THAT(all, HasSubstr("\"objective_id\":\"margin\""));
  EXPECT_THAT(all, HasSubstr("position 2"));
  std::string after_first = tail({"--from=1"});
  EXPECT_THAT(after_first, ::testing::Not(HasSubstr("\"growth\"")));
  EXPECT_THAT(after_first, HasSubstr("\"margin\""));
  std::string limited = tail({"--limit=1"});
  EXPECT_THAT(limited, HasSubstr("\"growth\""));
  EXPECT_THAT(limited, ::testing::Not(HasSubstr("\"margin\"")));
  std::string none = tail({"--type=GateDecided"});
  EXPECT_THAT(none, ::testing::Not(HasSubstr("objective_id")));
}

TEST_F(CliVerbTest, QueriesShowThePortfolioAfterCommands) {
  ASSERT_EQ(Cli({"objective", "define", "objective_id=growth", "title=Grow ARR",
                 "horizon=three_years", "owner=alice"}),
            0)
      << Output();
  ASSERT_EQ(Cli({"initiative", "submit", "initiative_id=crm", "title=New CRM",
                 "problem_statement=Three CRMs", "business_unit=sales",
                 "sponsor=carol", "cost_estimate.minor_units=25000000",
                 "cost_estimate.currency=EUR"}),
            0)
      << Output();
  // Read your writes: the submission is at position 2.
  ASSERT_EQ(Cli({"portfolio", "show", "--min_position=2"}), 0) << Output();
  EXPECT_THAT(Output(), HasSubstr("crm"));
  EXPECT_THAT(Output(), HasSubstr("New CRM"));
  EXPECT_THAT(Output(), HasSubstr("EUR 250000.00"));
  ASSERT_EQ(Cli({"initiative", "show", "crm", "--min_position=2"}), 0)
      << Output();
  EXPECT_THAT(Output(), HasSubstr("business_unit: \"sales\""));
  ASSERT_EQ(Cli({"--json", "objective", "list", "--min_position=2"}), 0)
      << Output();
  EXPECT_THAT(Output(), HasSubstr("\"objective_id\":\"growth\""));
  // As of position 1 the initiative did not exist yet.
  EXPECT_EQ(Cli({"initiative", "show", "crm", "--as_of=1"}), 1);
  EXPECT_THAT(Output(), HasSubstr("NOT_FOUND"));
  EXPECT_EQ(Cli({"decisions", "list"}), 0) << Output();
  EXPECT_EQ(Cli({"decisions", "export"}), 0) << Output();
  EXPECT_EQ(Cli({"metrics"}), 0) << Output();
  EXPECT_EQ(Cli({"capacity", "show"}), 0) << Output();
  EXPECT_EQ(Cli({"initiative", "show", "nope"}), 1);
  EXPECT_EQ(Cli({"portfolio", "show", "--as_of=someday"}), 2);
}

TEST(CliHelpTest, EveryLevelHasHelp) {
  gavel::test::TempDir dir;
  const std::string log = dir.Sub("help.log");
  EXPECT_EQ(WaitExit(Spawn(GAVEL_BINARY, {"--help"}, log)), 0);
  EXPECT_THAT(ReadFile(log), HasSubstr("initiative  prioritize submit"));
  EXPECT_EQ(WaitExit(Spawn(GAVEL_BINARY, {"gate", "--help"}, log)), 0);
  EXPECT_THAT(ReadFile(log), HasSubstr("record the board's gate decision"));
  EXPECT_EQ(WaitExit(Spawn(GAVEL_BINARY, {"gate", "vote", "--help"}, log)), 0);
  EXPECT_THAT(ReadFile(log), HasSubstr("initiative_id  string"));
}

// The plan verbs against a real gaveld (development mode: the caller,
// "local-admin", scores and chairs): three scored initiatives, a scenario
// whose budget funds two of them, optimized, published, shown with its
// cut line and frontier chart, and found as the plan of record.
TEST_F(CliVerbTest, PlanVerbsOptimizePublishAndShowTheFrontier) {
  const std::string board = dir_.Sub("board.json");
  std::ofstream(board) << R"({"boardId": "exec", "name": "Investment board",
      "members": [{"principal": "local-admin", "role": "MEMBER_ROLE_CHAIR"}],
      "quorum": 1, "decisionRule": "DECISION_RULE_MAJORITY",
      "mandate": {"gateIds": ["G0"], "approvesFrameworks": true,
                  "budgetCeiling": {"minorUnits": "100000000000",
                                    "currency": "EUR"}},
      "decisionLatencySla": "86400s", "cadence": "CADENCE_MONTHLY"})";
  ASSERT_EQ(Cli({"board", "charter", "--file=" + board}), 0) << Output();
  const std::string framework = dir_.Sub("framework.json");
  std::ofstream(framework) << R"({"frameworkId": "wsjf", "name": "WSJF",
      "method": "FRAMEWORK_METHOD_WEIGHTED_CRITERIA", "criteria": [
      {"criterionId": "value", "name": "Value", "scaleMin": 0, "scaleMax": 10,
       "polarity": "POLARITY_HIGHER_IS_BETTER", "weightBp": 6000},
      {"criterionId": "urgency", "name": "Urgency", "scaleMin": 0,
       "scaleMax": 10, "polarity": "POLARITY_HIGHER_IS_BETTER",
       "weightBp": 4000}]})";
  ASSERT_EQ(Cli({"framework", "draft", "--file=" + framework}), 0) << Output();
  ASSERT_EQ(Cli({"framework", "approve", "framework_id=wsjf", "version=1",
                 "decision.board_id=exec"}),
            0)
      << Output();
  // crm 100.00 for EUR 7,000; erp 68.00 for 5,000; bi 56.00 for 5,000.
  for (const auto& [id, value, urgency, cost] :
       std::vector<std::tuple<std::string, int, int, int>>{
           {"crm", 10, 10, 700000},
           {"erp", 8, 5, 500000},
           {"bi", 6, 5, 500000}}) {
    ASSERT_EQ(
        Cli({"initiative", "submit", "initiative_id=" + id, "title=" + id,
             "problem_statement=manual work", "business_unit=ops",
             "sponsor=sam", absl::StrCat("cost_estimate.minor_units=", cost),
             "cost_estimate.currency=EUR"}),
        0)
        << Output();
    ASSERT_EQ(Cli({"initiative", "assign-scorers", "initiative_id=" + id,
                   "framework_id=wsjf", "scorers=local-admin"}),
              0)
        << Output();
    ASSERT_EQ(
        Cli({"initiative", "score", "initiative_id=" + id, "criterion_id=value",
             absl::StrCat("value=", value), "rationale=case"}),
        0)
        << Output();
    ASSERT_EQ(Cli({"initiative", "score", "initiative_id=" + id,
                   "criterion_id=urgency", absl::StrCat("value=", urgency),
                   "rationale=case"}),
              0)
        << Output();
    ASSERT_EQ(Cli({"initiative", "lock-scorecard", "initiative_id=" + id}), 0)
        << Output();
  }
  const std::string scenario = dir_.Sub("scenario.json");
  std::ofstream(scenario) << R"({"planId": "fy27", "name": "FY27",
      "horizon": "HORIZON_ONE_YEAR", "frameworkId": "wsjf", "currency": "EUR",
      "budget": [{"periodStart": {"year": 2027, "month": 1, "day": 1},
                  "amount": "1000000"}]})";
  ASSERT_EQ(Cli({"plan", "create", "--file=" + scenario}), 0) << Output();
  // Read-your-writes is by min_position; the projection catches up fast,
  // so retry briefly rather than thread positions through the CLI.
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (Cli({"plan", "optimize", "fy27"}) != 0) {
    ASSERT_LT(absl::Now(), deadline) << Output();
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_THAT(Output(), HasSubstr("ScenarioOptimized run 1"));
  EXPECT_THAT(Output(), HasSubstr("objective 124.00"));
  EXPECT_THAT(Output(), HasSubstr("2 of 3 funded"));
  ASSERT_EQ(Cli({"plan", "publish", "plan_id=fy27", "decision.board_id=exec"}),
            0)
      << Output();
  EXPECT_THAT(Output(), HasSubstr("PlanPublished"));
  ASSERT_EQ(Cli({"plan", "show", "fy27", "--timeout_s=60"}), 0) << Output();
  EXPECT_THAT(Output(), HasSubstr("published run 1 by local-admin"));
  EXPECT_THAT(Output(), HasSubstr("cut line: 2 funded above, 1 below"));
  EXPECT_THAT(Output(), HasSubstr("efficient frontier"));
  EXPECT_THAT(Output(), HasSubstr("200%"));
  ASSERT_EQ(Cli({"plan", "sensitivity", "fy27"}), 0) << Output();
  EXPECT_THAT(Output(), HasSubstr("compared with the published run 1"));
  const absl::Time record_deadline = absl::Now() + absl::Seconds(10);
  while (Cli({"plan", "of-record", "one_year"}) != 0) {
    ASSERT_LT(absl::Now(), record_deadline) << Output();
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_THAT(Output(), HasSubstr("plan_id: \"fy27\""));
  EXPECT_THAT(Output(), HasSubstr("cut_line: 2"));
  // An infeasible force is refused with the conflict named.
  ASSERT_EQ(Cli({"plan", "force", "plan_id=fy27", "initiative_id=crm",
                 "direction=in", "reason=board"}),
            0);
  ASSERT_EQ(Cli({"plan", "force", "plan_id=fy27", "initiative_id=erp",
                 "direction=in", "reason=board"}),
            0);
  EXPECT_EQ(Cli({"plan", "optimize", "fy27"}), 1);
  EXPECT_THAT(Output(), HasSubstr("PLAN_INFEASIBLE"));
  EXPECT_THAT(Output(), HasSubstr("forced_in:crm, forced_in:erp"));
}

}  // namespace
}  // namespace gavel::cli
