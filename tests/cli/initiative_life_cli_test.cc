// End to end through the `gavel` binary only (no library calls): a real
// gaveld, then objective, board, framework, cycle, submission, link,
// scoring, gate review, vote, decision, and the portfolio, the decision and
// the metrics read back as tables and as JSON. Every --json output parses;
// every error path prints a reason and exits non-zero.
#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/testing/gavel_cli_fixture.h"

namespace gavel::cli {
namespace {

using ::gavel::test::FreePort;
using ::gavel::test::Spawn;
using ::gavel::test::WaitExit;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using Json = nlohmann::json;

class InitiativeLifeCliTest : public ::gavel::test::GavelCliTest {
 protected:
  // A command verb with --json: its events, after checking the reply.
  Json Command(std::vector<std::string> args) {
    Json reply = CliJson(std::move(args));
    EXPECT_FALSE(reply["events"].empty()) << reply.dump();
    EXPECT_EQ(reply["deduplicated"], false);
    return reply;
  }
  std::string File(const std::string& name, const std::string& contents) {
    const std::string path = dir_.Sub(name);
    std::ofstream(path) << contents;
    return absl::StrCat("--file=", path);
  }
  // Runs gavel ARGS expecting failure with `exit_code`; the message must
  // start with "error:" and name `reason`.
  void ExpectError(std::vector<std::string> args, int exit_code,
                   const std::string& reason) {
    EXPECT_EQ(Cli(args), exit_code) << Output();
    EXPECT_THAT(Output(), HasSubstr("error:"));
    EXPECT_THAT(Output(), HasSubstr(reason));
  }
};

TEST_F(InitiativeLifeCliTest, FullLifeThroughTheCliInTablesAndJson) {
  Command({"objective", "define", "objective_id=growth",
           "title=Grow recurring revenue", "horizon=three_years", "owner=cfo"});
  Command({"objective", "add-measure", "objective_id=growth", "measure_id=arr",
           "name=ARR", "unit=kEUR", "direction=increase", "baseline=48000",
           "baseline_date.year=2025", "baseline_date.month=1",
           "baseline_date.day=1", "source=finance"});
  Command({"board", "charter", File("board.json", R"({"boardId": "invest",
             "name": "Investment board",
             "members": [{"principal": "local-admin", "role": "MEMBER_ROLE_CHAIR"}],
             "quorum": 1, "decisionRule": "DECISION_RULE_MAJORITY",
             "mandate": {"gateIds": ["G0", "G1", "G2", "G3", "G4"],
                         "budgetCeiling": {"minorUnits": "1000000000", "currency": "EUR"},
                         "approvesFrameworks": true},
             "decisionLatencySla": "604800s", "cadence": "CADENCE_MONTHLY"})")});
  Command(
      {"framework", "draft", File("framework.json", R"({"frameworkId": "value",
             "name": "Value", "method": "FRAMEWORK_METHOD_WEIGHTED_CRITERIA",
             "criteria": [
               {"criterionId": "alignment", "name": "Alignment", "scaleMin": 1,
                "scaleMax": 5, "polarity": "POLARITY_HIGHER_IS_BETTER", "weightBp": 6000},
               {"criterionId": "benefit", "name": "Benefit", "scaleMin": 1,
                "scaleMax": 5, "polarity": "POLARITY_HIGHER_IS_BETTER", "weightBp": 4000}]})")});
  Command({"framework", "approve", "framework_id=value", "version=1",
           "decision.board_id=invest"});
  Command({"cycle", "schedule", "cycle_id=invest-1", "board_id=invest",
           "kind=portfolio_review", "scheduled_on.year=2026",
           "scheduled_on.month=1", "scheduled_on.day=15", "title=January"});
  Command({"initiative", "submit",
           File("crm.json", R"({"initiativeId": "crm", "title": "New CRM",
             "problemStatement": "Three CRMs", "businessUnit": "sales",
             "sponsor": "carol",
             "costEstimate": {"minorUnits": "25000000", "currency": "EUR"}})")});
  Command({"initiative", "link", "initiative_id=crm", "objective_id=growth",
           "primary=true", "contribution_bp=10000", "rationale=direct"});
  Command({"initiative", "assign-scorers", "initiative_id=crm",
           "framework_id=value", "scorers=local-admin"});
  Command({"initiative", "score", "initiative_id=crm", "criterion_id=alignment",
           "value=5", "rationale=core"});
  Command({"initiative", "score", "initiative_id=crm", "criterion_id=benefit",
           "value=3", "rationale=case"});
  Command({"initiative", "lock-scorecard", "initiative_id=crm"});
  Command({"gate", "request", "initiative_id=crm", "gate_id=G0",
           "board_id=invest", "cycle_id=invest-1"});
  Command({"gate", "vote", "initiative_id=crm", "vote=go",
           "comment=fits the strategy"});
  // The table output of a command verb.
  ASSERT_EQ(Cli({"gate", "decide", "initiative_id=crm", "outcome=go",
                 "rationale=aligned and scored"}),
            0)
      << Output();
  EXPECT_THAT(Output(), MatchesRegex("(.|\n)*OK initiative-crm version [0-9]+, "
                                     "positions [0-9]+\\.\\.[0-9]+: "
                                     "GateDecided(.|\n)*"));

  // Read back, once the projections have what was written: tables.
  const std::string min = absl::StrCat(
      "--min_position=",
      CliJson({"admin", "status"})["head_position"].get<std::string>());
  ASSERT_EQ(Cli({"portfolio", "show", min}), 0) << Output();
  EXPECT_THAT(Output(), HasSubstr("RANK"));
  EXPECT_THAT(Output(), MatchesRegex("(.|\n)*1 +- +crm +New CRM +G0 +ACTIVE +"
                                     "[0-9]+\\.[0-9][0-9] +EUR 250000\\.00 "
                                     "+growth(.|\n)*"));
  ASSERT_EQ(Cli({"decisions", "show", "crm/1", min}), 0) << Output();
  EXPECT_THAT(Output(),
              HasSubstr("crm/1: go at G0 by board invest (cycle invest-1)"));
  EXPECT_THAT(Output(), HasSubstr("rationale  aligned and scored"));
  EXPECT_THAT(Output(), MatchesRegex("(.|\n)*vote +local-admin +go +fits the "
                                     "strategy(.|\n)*"));
  EXPECT_THAT(Output(), HasSubstr("what the board knew"));
  EXPECT_THAT(Output(), HasSubstr("crm: New CRM (sales, sponsor carol)"));
  ASSERT_EQ(Cli({"decisions", "list", min}), 0) << Output();
  EXPECT_THAT(Output(), MatchesRegex("(.|\n)*crm/1 +G0 +invest +invest-1 +go "
                                     "+1/1(.|\n)*"));
  ASSERT_EQ(Cli({"metrics", "--board=invest", min}), 0) << Output();
  EXPECT_THAT(Output(), MatchesRegex("(.|\n)*invest +all +1 (.|\n)*"));
  EXPECT_THAT(Output(), MatchesRegex("(.|\n)*invest-1 +invest +2026-01-15 "
                                     "+open +0 +0 +1 +1/0/0/0/0(.|\n)*"));
  EXPECT_THAT(Output(), HasSubstr("PORTFOLIO KPIS"));
  ASSERT_EQ(Cli({"metrics", "--since=2026-02-01"}), 0) << Output();
  EXPECT_THAT(Output(), ::testing::Not(HasSubstr("invest-1")));

  // Read back: JSON.
  const Json portfolio = CliJson({"portfolio", "show"});
  ASSERT_EQ(portfolio["initiatives"].size(), 1u);
  EXPECT_EQ(portfolio["initiatives"][0]["stage"], "G0");
  EXPECT_GT(portfolio["initiatives"][0]["weighted_score_bp"].get<int>(), 0);
  const Json decision = CliJson({"decisions", "show", "crm/1"})["decision"];
  EXPECT_EQ(decision["outcome"], "GATE_OUTCOME_GO");
  EXPECT_EQ(decision["votes"].size(), 1u);
  EXPECT_EQ(decision["context"]["initiative_id"], "crm");
  const Json metrics = CliJson({"metrics", "--board=invest"})["metrics"];
  EXPECT_EQ(metrics["boards"][0]["latency"]["decisions"], 1);
  EXPECT_EQ(
      CliJson({"metrics", "--since=2026-02-01"})["metrics"]["cycles"].size(),
      0u);
  EXPECT_EQ(CliJson({"decisions", "list"})["decisions"].size(), 1u);
  EXPECT_EQ(CliJson({"objective", "list"})["objectives"].size(), 1u);
  EXPECT_EQ(CliJson({"initiative", "show", "crm"})["initiative"]["rank"], 1);
  EXPECT_EQ(CliJson({"health"})["status"], "SERVING");
  EXPECT_TRUE(CliJson({"admin", "ping"}).is_object());
  EXPECT_EQ(CliJson({"admin", "status"})["dev_mode"], true);
  EXPECT_TRUE(CliJson({"admin", "rebuild", "portfolio"})["waited"]);

  // A rebuilt projection answers the same.
  ASSERT_EQ(Cli({"admin", "rebuild"}), 0) << Output();
  EXPECT_THAT(Output(), HasSubstr("rebuilt decisions, governance_metrics, "
                                  "portfolio from position 0"));
  EXPECT_EQ(CliJson({"portfolio", "show"}), portfolio);

  // Events tail --json: one JSON object per line.
  ASSERT_EQ(Cli({"--json", "events", "tail", "--follow=false"}), 0);
  int lines = 0;
  std::istringstream tail(Output());
  for (std::string line; std::getline(tail, line);) {
    if (line.rfind("position ", 0) == 0) continue;  // resume hint, stderr
    EXPECT_FALSE(Json::parse(line, nullptr, false).is_discarded()) << line;
    ++lines;
  }
  EXPECT_EQ(absl::StrCat(lines),
            CliJson({"admin", "status"})["head_position"].get<std::string>());
}

TEST_F(InitiativeLifeCliTest, SubmissionFromAYamlFile) {
  Command({"pool", "define", File("pool.yml", R"(pool_id: engineering
name: Software engineering
kind: POOL_KIND_SKILL
skill_or_unit: software engineering
unit_of_measure: person-days
granularity: PERIOD_GRANULARITY_MONTH
supply:
  - period_start: {year: 2027, month: 1, day: 1}
    amount: 300
)")});
  const Json reply = Command(
      {"initiative", "submit", File("crm.yaml", R"(# a submission, by hand
initiative_id: crm
title: "New CRM: phase 1"
problem_statement: Three CRMs, no single view of the customer
business_unit: sales
sponsor: carol
cost_estimate: {minor_units: 25000000, currency: EUR}
capacity_demand:
  - pool_id: engineering
    amounts:
      - {period_start: {year: 2027, month: 1, day: 1}, amount: 20}
milestones:
  - milestone_id: pilot
    name: Pilot live
    committed_date: {year: 2027, month: 3, day: 31}
)")});
  const Json& submitted = reply["events"][0]["event"]["submitted"];
  EXPECT_EQ(submitted["title"], "New CRM: phase 1") << reply.dump();
  EXPECT_EQ(submitted["milestones"][0]["name"], "Pilot live");
  EXPECT_EQ(submitted["capacity_demand"][0]["amounts"][0]["amount"], "20");
  ExpectError({"initiative", "submit", File("bad.yaml", "title: [unclosed")}, 2,
              "does not parse");
  ExpectError({"initiative", "submit", File("list.yml", "- a\n- b\n")}, 2,
              "not a mapping");
}

TEST_F(InitiativeLifeCliTest, EveryErrorPrintsAReasonAndExitsNonZero) {
  Command({"objective", "define", "objective_id=growth", "title=Grow",
           "horizon=one_year", "owner=cfo"});
  Command({"initiative", "submit", "initiative_id=crm", "title=CRM",
           "problem_statement=p", "business_unit=sales", "sponsor=carol",
           "cost_estimate.minor_units=100", "cost_estimate.currency=EUR"});
  // Domain rejections: exit 1, "error: CODE REASON: message" and a hint.
  ExpectError({"objective", "define", "objective_id=growth", "title=Again",
               "horizon=one_year", "owner=cfo"},
              1, "AGGREGATE_ALREADY_EXISTS");
  EXPECT_THAT(Output(), HasSubstr("hint: see docs/rejection-reasons.md"));
  ExpectError(
      {"gate", "request", "initiative_id=crm", "gate_id=G2", "board_id=nobody"},
      1, "GATE_OUT_OF_ORDER");
  ExpectError(
      {"gate", "request", "initiative_id=crm", "gate_id=G0", "board_id=nobody"},
      1, "BOARD_NOT_FOUND");
  ExpectError({"gate", "vote", "initiative_id=crm", "vote=go"}, 1,
              "NO_OPEN_REVIEW");
  ExpectError(
      {"initiative", "link", "initiative_id=crm", "objective_id=nothing",
       "primary=true", "contribution_bp=10000", "rationale=r"},
      1, "OBJECTIVE_NOT_FOUND");
  // Query errors.
  ExpectError({"decisions", "show", "crm/9"}, 1, "NOT_FOUND");
  ExpectError({"initiative", "show", "nope"}, 1, "NOT_FOUND");
  ExpectError({"admin", "rebuild", "nothing"}, 1, "PROJECTION_NOT_FOUND");
  // Local errors: exit 2 before any call.
  ExpectError({"objective", "define", "title"}, 2, "not field=value");
  ExpectError({"gate", "vote", "vote=maybe"}, 2, "vote");
  ExpectError({"metrics", "--since=last week"}, 2, "--since");
  ExpectError({"portfolio", "show", "--as_of=someday"}, 2, "--as_of");
  ExpectError({"initiative", "submit", "--file=/no/such.json"}, 2,
              "/no/such.json");
  ExpectError({"no", "such", "command"}, 2, "unknown command");
  ExpectError({"demo", "load", "extra"}, 2, "no arguments");
  // No server: UNAVAILABLE (14) and where to look.
  EXPECT_EQ(WaitExit(Spawn(GAVEL_BINARY,
                           {absl::StrCat("--addr=127.0.0.1:", FreePort()),
                            "--timeout_s=2", "portfolio", "show"},
                           out_)),
            1);
  EXPECT_THAT(Output(), HasSubstr("error: 14"));
  EXPECT_THAT(Output(), HasSubstr("hint: is gaveld running"));
}

}  // namespace
}  // namespace gavel::cli
