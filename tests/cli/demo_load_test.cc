// `gavel demo load` against a real gaveld: the demo portfolio gives every
// query something true to show, and loading it again is a no-op (same
// seed) or refused (another seed); with authentication on, the caller
// chairs the boards. The generator is deterministic and keeps the
// domain's date rules whatever the day.
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/testing/gavel_cli_fixture.h"
#include "tools/demo_portfolio.h"

namespace gavel::cli {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

TEST(DemoPortfolioTest, SameSeedAndDaySameCommandsAnotherSeedOthers) {
  tools::DemoOptions options;
  options.today = absl::CivilDay(2026, 11, 26);
  const std::vector<tools::DemoPhase> a = tools::DemoPortfolio(options);
  const std::vector<tools::DemoPhase> b = tools::DemoPortfolio(options);
  options.seed = 2;
  const std::vector<tools::DemoPhase> c = tools::DemoPortfolio(options);
  ASSERT_EQ(a.size(), b.size());
  ASSERT_EQ(a.size(), c.size());
  bool differs = false;
  for (size_t p = 0; p < a.size(); ++p) {
    ASSERT_EQ(a[p].commands.size(), b[p].commands.size());
    for (size_t i = 0; i < a[p].commands.size(); ++i) {
      ASSERT_EQ(a[p].commands[i].SerializeAsString(),
                b[p].commands[i].SerializeAsString())
          << a[p].name << " " << i;
    }
    differs |= a[p].commands.size() != c[p].commands.size();
    for (size_t i = 0; !differs && i < a[p].commands.size(); ++i) {
      differs = a[p].commands[i].SerializeAsString() !=
                c[p].commands[i].SerializeAsString();
    }
  }
  EXPECT_TRUE(differs);
  EXPECT_EQ(a[0].commands[0].define_objective().objective_id(),
            tools::kDemoFirstObjectiveId);
  EXPECT_EQ(tools::DemoCommandId(7, "history", 12), "demo-s7-history-12");
}

absl::CivilDay DayOf(const gavel::v1::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

// The domain's date rules the demo must keep whatever day it is loaded on
// (the server's today):
// held, achieved, satisfied and measured dates no later than today,
// conditions due no earlier; and every gate review sits on a cycle the
// demo schedules and has not yet closed.
TEST(DemoPortfolioTest, DatesKeepTheDomainsRulesOnEveryDayOfAMonth) {
  // Every day of a 31-day month and of a leap February (the calendar's
  // meeting, hold and month-end days fall on each).
  std::vector<absl::CivilDay> days;
  for (absl::CivilDay d(2027, 1, 1); d < absl::CivilDay(2027, 2, 1); ++d) {
    days.push_back(d);
  }
  for (absl::CivilDay d(2028, 2, 1); d < absl::CivilDay(2028, 3, 1); ++d) {
    days.push_back(d);
  }
  for (const absl::CivilDay today : days) {
    tools::DemoOptions options;
    options.today = today;
    std::set<std::string> open_cycles;
    for (const tools::DemoPhase& phase : tools::DemoPortfolio(options)) {
      for (const gavel::v1::Command& c : phase.commands) {
        auto at = [&] {
          return absl::StrCat(absl::FormatCivilTime(today), " ",
                              c.ShortDebugString());
        };
        if (c.has_schedule_cycle()) {
          open_cycles.insert(c.schedule_cycle().cycle_id());
        } else if (c.has_close_cycle()) {
          ASSERT_LE(DayOf(c.close_cycle().held_on()), today) << at();
          ASSERT_EQ(open_cycles.erase(c.close_cycle().cycle_id()), 1u) << at();
        } else if (c.has_request_gate_review()) {
          ASSERT_EQ(open_cycles.count(c.request_gate_review().cycle_id()), 1u)
              << at();
        } else if (c.has_achieve_milestone()) {
          ASSERT_LE(DayOf(c.achieve_milestone().achieved_on()), today) << at();
        } else if (c.has_satisfy_condition()) {
          ASSERT_LE(DayOf(c.satisfy_condition().satisfied_on()), today) << at();
        } else if (c.has_measure_benefit()) {
          ASSERT_LE(DayOf(c.measure_benefit().period_end()), today) << at();
        } else if (c.has_record_gate_decision()) {
          for (const gavel::v1::Condition& condition :
               c.record_gate_decision().conditions()) {
            ASSERT_GE(DayOf(condition.due_date()), today) << at();
          }
        }
      }
    }
  }
}

using DemoLoadTest = ::gavel::test::GavelCliTest;

TEST_F(DemoLoadTest, EveryQueryShowsPlausibleContent) {
  const Json load = CliJson({"demo", "load", "--seed=7"});
  ASSERT_TRUE(load.is_object());
  EXPECT_GT(load["commands"].get<int>(), 1000);
  EXPECT_EQ(load["deduplicated"].get<int>(), 0);
  EXPECT_GT(load["events"].get<int>(), 1000);
  const std::string min =
      absl::StrCat("--min_position=", load["last_position"].get<uint64_t>());

  const Json portfolio =
      CliJson({"portfolio", "show", "include_terminal=true", min});
  const Json& initiatives = portfolio["initiatives"];
  EXPECT_EQ(initiatives.size(), 40u);
  std::set<std::string> stages, statuses, units;
  int ranked = 0, in_review = 0, with_risks = 0;
  for (const Json& i : initiatives) {
    stages.insert(i["stage"].get<std::string>());
    statuses.insert(i["status"].get<std::string>());
    units.insert(i["business_unit"].get<std::string>());
    ranked += i["rank"].get<int>() > 0;
    in_review += !i["open_review_gate"].get<std::string>().empty();
    with_risks += i.contains("open_risks") && !i["open_risks"].empty();
  }
  EXPECT_GE(stages.size(), 6u);  // "" and G0..G4
  EXPECT_EQ(statuses,
            (std::set<std::string>{
                "INITIATIVE_STATUS_PROPOSED", "INITIATIVE_STATUS_ACTIVE",
                "INITIATIVE_STATUS_ON_HOLD", "INITIATIVE_STATUS_KILLED",
                "INITIATIVE_STATUS_WITHDRAWN", "INITIATIVE_STATUS_CLOSED"}));
  EXPECT_GE(units.size(), 7u);
  EXPECT_GT(ranked, 20);
  EXPECT_GE(in_review, 4);
  EXPECT_GT(with_risks, 0);

  // The plan of record: solved by the server, published by the executive
  // board, shown with its cut line and efficient frontier.
  ASSERT_EQ(Cli({"plan", "show", tools::kDemoPlanId}), 0) << Output();
  const std::string plan = Output();
  EXPECT_THAT(plan, HasSubstr("published run 1"));
  EXPECT_THAT(plan, HasSubstr("----- cut line:"));
  EXPECT_THAT(plan, HasSubstr("efficient frontier"));
  EXPECT_THAT(plan, HasSubstr("|#"));

  const Json decisions = CliJson({"decisions", "list", min});
  std::set<std::string> outcomes, boards;
  int recusals = 0, with_conditions = 0;
  for (const Json& d : decisions["decisions"]) {
    outcomes.insert(d["outcome"].get<std::string>());
    boards.insert(d["board_id"].get<std::string>());
    recusals += d.contains("recusals") && !d["recusals"].empty();
    with_conditions += d.contains("conditions") && !d["conditions"].empty();
    EXPECT_FALSE(d["cycle_id"].get<std::string>().empty());
    EXPECT_FALSE(d["votes"].empty());
  }
  EXPECT_EQ(outcomes, (std::set<std::string>{
                          "GATE_OUTCOME_GO", "GATE_OUTCOME_CONDITIONAL_GO",
                          "GATE_OUTCOME_HOLD", "GATE_OUTCOME_RECYCLE",
                          "GATE_OUTCOME_KILL"}));
  EXPECT_EQ(boards, (std::set<std::string>{"exec", "delivery"}));
  EXPECT_GT(recusals, 0);
  EXPECT_GT(with_conditions, 0);

  const Json metrics = CliJson({"metrics", min})["metrics"];
  std::set<std::string> measured_boards;
  for (const Json& b : metrics["boards"]) {
    if (b["gate_id"].get<std::string>().empty() &&
        b["latency"]["decisions"].get<int>() > 0) {
      measured_boards.insert(b["board_id"].get<std::string>());
    }
  }
  EXPECT_EQ(measured_boards, (std::set<std::string>{"exec", "delivery"}));
  int held = 0, cycles_with_decisions = 0;
  for (const Json& c : metrics["cycles"]) {
    held += c["closed"].get<bool>();
    cycles_with_decisions += c["decisions"].get<int>() > 0;
  }
  EXPECT_GE(held, 46);  // two boards, monthly, two years
  EXPECT_GE(cycles_with_decisions, 20);
  EXPECT_EQ(metrics["service_levels"].size(), 5u);
  for (const Json& sl : metrics["service_levels"]) {
    EXPECT_GT(sl["samples"].get<int>(), 0) << sl.dump();
  }
  const Json& kpis = metrics["kpis"];
  EXPECT_GT(kpis["measured_benefits"].get<int>(), 0);
  EXPECT_GT(kpis["milestones_due"].get<int>(), 0);
  EXPECT_GT(kpis["reforecasts"].get<int>(), 0);
  EXPECT_GT(kpis["budget_accuracy_samples"].get<int>(), 0);
}

TEST_F(DemoLoadTest, SameSeedAgainIsANoOpAnotherSeedIsRefused) {
  const Json first = CliJson({"demo", "load"});
  const uint64_t head = first["last_position"].get<uint64_t>();
  const Json again = CliJson({"demo", "load"});
  EXPECT_EQ(again["deduplicated"], first["commands"]);
  EXPECT_EQ(again["events"].get<int>(), 0);
  EXPECT_EQ(CliJson({"admin", "status"})["head_position"].get<std::string>(),
            absl::StrCat(head));

  EXPECT_EQ(Cli({"demo", "load", "--seed=2"}), 1);
  EXPECT_THAT(Output(), HasSubstr("already exists"));
  EXPECT_EQ(CliJson({"admin", "status"})["head_position"].get<std::string>(),
            absl::StrCat(head));
}

// With authentication on, the caller (here principal "ops", an admin)
// chairs the demo's boards and holds the members' proxies.
TEST(DemoLoadAuthenticatedTest, TheCallerChairsTheBoards) {
  gavel::test::TempDir dir;
  // sha256("demo-token")
  std::ofstream(dir.Sub("tokens"))
      << "7c43ef5ae21d43ce2743f770c68e24def1a43ee2f416d2438410c8af7af2ff2c "
         "ops admin\n";
  const std::string addr = absl::StrCat("127.0.0.1:", gavel::test::FreePort());
  const pid_t server =
      gavel::test::Spawn(GAVELD_BINARY,
                         {absl::StrCat("--listen=", addr),
                          absl::StrCat("--data_dir=", dir.Sub("data")),
                          absl::StrCat("--tokens_file=", dir.Sub("tokens"))},
                         dir.Sub("gaveld.log"));
  const std::string out = dir.Sub("cli.out");
  auto cli = [&](std::vector<std::string> args) {
    args.insert(args.begin(),
                {absl::StrCat("--addr=", addr), "--token=demo-token"});
    std::remove(out.c_str());
    return gavel::test::WaitExit(gavel::test::Spawn(GAVEL_BINARY, args, out));
  };
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (cli({"health"}) != 0) {
    ASSERT_LT(absl::Now(), deadline)
        << gavel::test::ReadFile(dir.Sub("gaveld.log"));
    absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_EQ(cli({"demo", "load"}), 0) << gavel::test::ReadFile(out);
  ASSERT_EQ(cli({"decisions", "show", "crm-consolidation/3"}), 0);
  EXPECT_THAT(gavel::test::ReadFile(out),
              ::testing::MatchesRegex("(.|\n)*recorded +by ops (.|\n)*"));
  EXPECT_THAT(gavel::test::ReadFile(out), HasSubstr("(by proxy: ops)"));
  kill(server, SIGTERM);
  EXPECT_EQ(gavel::test::WaitExit(server), 0);
}

}  // namespace
}  // namespace gavel::cli
