#include "planning/portfolio_solver.h"

#include <random>
#include <string>

#include "domain/rejection.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gavel::planning {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

Candidate Make(std::string id, int64_t value,
               std::vector<std::pair<int, int64_t>> uses) {
  Candidate c;
  c.id = std::move(id);
  c.value = value;
  c.uses = std::move(uses);
  return c;
}

// Budget 10. A (10, cost 7), B (7, 5), C (6, 5), D (1, 3). Greedy by value
// takes A then D (11); the optimum is B + C (13).
Problem Knapsack() {
  Problem p;
  p.rows.push_back({"budget:2026-01-01", "", 10});
  p.candidates = {Make("A", 10, {{0, 7}}), Make("B", 7, {{0, 5}}),
                  Make("C", 6, {{0, 5}}), Make("D", 1, {{0, 3}})};
  return p;
}

std::vector<std::string> Selected(const Problem& p, const Solution& s) {
  std::vector<std::string> ids;
  for (size_t i = 0; i < p.candidates.size(); ++i) {
    if (s.selected[i]) ids.push_back(p.candidates[i].id);
  }
  return ids;
}

TEST(PortfolioSolverTest, FindsTheOptimumGreedyMisses) {
  const Problem p = Knapsack();
  absl::StatusOr<Solution> s = Solve(p, {});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_THAT(Selected(p, *s), ElementsAre("B", "C"));
  EXPECT_EQ(s->objective, 13);
  EXPECT_EQ(s->best_bound, 13);
  EXPECT_TRUE(s->optimal);
  EXPECT_EQ(s->gap, 0);
  EXPECT_THAT(s->usage, ElementsAre(10));
}

TEST(PortfolioSolverTest, ADependencyTakesWhatItNeedsOrNothing) {
  Problem p = Knapsack();
  p.candidates[2].depends_on = {"D"};  // C only with D: B + C + D costs 13.
  absl::StatusOr<Solution> s = Solve(p, {});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_THAT(Selected(p, *s), ElementsAre("A", "D"));
  EXPECT_EQ(s->objective, 11);
}

TEST(PortfolioSolverTest, ExclusiveAlternativesAreNeverBothSelected) {
  Problem p = Knapsack();
  p.groups.push_back({"crm", {"B", "C"}});
  absl::StatusOr<Solution> s = Solve(p, {});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_THAT(Selected(p, *s), ElementsAre("A", "D"));
  EXPECT_EQ(s->objective, 11);
}

TEST(PortfolioSolverTest, ForcedChoicesAreHonoured) {
  Problem in = Knapsack();
  in.candidates[0].force = Force::kIn;  // A in: A + D = 11.
  absl::StatusOr<Solution> s = Solve(in, {});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_THAT(Selected(in, *s), ElementsAre("A", "D"));
  Problem out = Knapsack();
  out.candidates[2].force = Force::kOut;  // C out: A + D = 11 beats B + D.
  s = Solve(out, {});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_THAT(Selected(out, *s), ElementsAre("A", "D"));
}

// Capacity per pool and period: dev has 5 in January; A needs 4, B 3, C 2
// (values 10, 8, 5): A + anything exceeds it, B + C (13) fits. February
// only limits A.
TEST(PortfolioSolverTest, CapacityPerPoolAndPeriodLimitsTheSelection) {
  Problem p;
  p.rows = {{"budget:2026-01-01", "", 1000},
            {"capacity:dev:2026-01-01", "dev", 5},
            {"capacity:dev:2026-02-01", "dev", 100}};
  p.candidates = {Make("A", 10, {{0, 1}, {1, 4}, {2, 50}}),
                  Make("B", 8, {{0, 1}, {1, 3}}),
                  Make("C", 5, {{0, 1}, {1, 2}})};
  absl::StatusOr<Solution> s = Solve(p, {});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_THAT(Selected(p, *s), ElementsAre("B", "C"));
  EXPECT_THAT(s->usage, ElementsAre(2, 5, 0));

  // One more unit of dev in every period: A + C fits (15), worth 2.
  absl::StatusOr<std::vector<PoolMarginalValue>> marginal =
      PoolMarginalValues(p, *s, {});
  ASSERT_TRUE(marginal.ok()) << marginal.status();
  ASSERT_EQ(marginal->size(), 1u);
  EXPECT_EQ((*marginal)[0].pool_id, "dev");
  EXPECT_TRUE((*marginal)[0].binding);
  EXPECT_EQ((*marginal)[0].objective_with_one_more, 15);
  EXPECT_EQ((*marginal)[0].marginal_value, 2);
}

TEST(PortfolioSolverTest, InfeasibleForcedChoicesNameTheConflictingBudget) {
  Problem p = Knapsack();
  p.candidates[0].force = Force::kIn;  // A 7 + B 5 > 10
  p.candidates[1].force = Force::kIn;
  p.candidates[3].force = Force::kOut;  // not part of the conflict
  absl::StatusOr<Solution> s = Solve(p, {});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(domain::ReasonOf(s.status()), "PLAN_INFEASIBLE");
  EXPECT_THAT(std::string(s.status().message()),
              HasSubstr("conflicting constraints: budget:2026-01-01, "
                        "forced_in:A, forced_in:B"));
}

TEST(PortfolioSolverTest, InfeasibleDependenciesAndExclusionsAreNamed) {
  Problem p = Knapsack();
  p.rows[0].limit = 100;
  p.candidates[0].force = Force::kIn;
  p.candidates[0].depends_on = {"B", "C"};
  p.groups.push_back({"crm", {"B", "C"}});
  absl::StatusOr<Solution> s = Solve(p, {});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(domain::ReasonOf(s.status()), "PLAN_INFEASIBLE");
  EXPECT_THAT(std::string(s.status().message()),
              HasSubstr("conflicting constraints: dependency:A->B, "
                        "dependency:A->C, exclusive:crm, forced_in:A"));
}

TEST(PortfolioSolverTest, FrontierRisesWithBudgetUntilEverythingIsFunded) {
  absl::StatusOr<std::vector<FrontierPoint>> points =
      Frontier(Knapsack(), {0.5, 1.0, 2.0, 3.0}, {});
  ASSERT_TRUE(points.ok()) << points.status();
  ASSERT_EQ(points->size(), 4u);
  EXPECT_EQ((*points)[0].total_budget, 5);
  EXPECT_EQ((*points)[0].objective, 7);  // B alone
  EXPECT_EQ((*points)[1].objective, 13);
  EXPECT_EQ((*points)[2].objective, 24);  // all four cost 20
  EXPECT_EQ((*points)[2].selected_count, 4);
  EXPECT_EQ((*points)[3].objective, 24);  // money no longer buys value
}

TEST(PortfolioSolverTest, FrontierMarksPointsWhereForcedChoicesDoNotFit) {
  Problem p = Knapsack();
  p.candidates[0].force = Force::kIn;  // A costs 7
  absl::StatusOr<std::vector<FrontierPoint>> points =
      Frontier(p, {0.5, 1.0}, {});
  ASSERT_TRUE(points.ok()) << points.status();
  EXPECT_FALSE((*points)[0].feasible);
  EXPECT_TRUE((*points)[1].feasible);
  EXPECT_EQ((*points)[1].objective, 11);
}

TEST(PortfolioSolverTest, RankOrderPutsSelectedFirstByValue) {
  const Problem p = Knapsack();
  const std::vector<int> order = RankOrder(p, {false, true, true, false});
  EXPECT_THAT(order, ElementsAre(1, 2, 0, 3));  // B, C | A, D
}

TEST(PortfolioSolverTest, RejectsRowsOutOfRange) {
  Problem p = Knapsack();
  p.candidates[0].uses.push_back({7, 1});
  EXPECT_EQ(Solve(p, {}).status().code(), absl::StatusCode::kInvalidArgument);
}

// Random instances of up to 10 candidates against exhaustive search.
TEST(PortfolioSolverTest, MatchesExhaustiveSearchOnRandomInstances) {
  std::mt19937 rng(20260301);
  for (int instance = 0; instance < 25; ++instance) {
    Problem p;
    p.rows = {{"budget:2026-01-01", "", 40},
              {"capacity:x:2026-01-01", "x", 12}};
    const int n = 6 + instance % 5;
    for (int i = 0; i < n; ++i) {
      p.candidates.push_back(
          Make(std::string(1, static_cast<char>('A' + i)),
               std::uniform_int_distribution<int>(1, 50)(rng),
               {{0, std::uniform_int_distribution<int>(1, 20)(rng)},
                {1, std::uniform_int_distribution<int>(0, 6)(rng)}}));
    }
    p.candidates[1].depends_on = {"A"};
    p.candidates[3].depends_on = {"C"};
    p.groups.push_back({"g", {"E", "F"}});
    int64_t best = -1;
    for (int mask = 0; mask < (1 << n); ++mask) {
      auto in = [mask](int i) { return (mask >> i) & 1; };
      if ((in(1) && !in(0)) || (in(3) && !in(2)) || (in(4) && in(5))) continue;
      int64_t budget = 0, cap = 0, value = 0;
      for (int i = 0; i < n; ++i) {
        if (!in(i)) continue;
        budget += p.candidates[i].uses[0].second;
        cap += p.candidates[i].uses[1].second;
        value += p.candidates[i].value;
      }
      if (budget <= 40 && cap <= 12) best = std::max(best, value);
    }
    absl::StatusOr<Solution> s = Solve(p, {});
    ASSERT_TRUE(s.ok()) << s.status();
    EXPECT_EQ(s->objective, best) << "instance " << instance;
    EXPECT_LE(s->usage[0], 40);
    EXPECT_LE(s->usage[1], 12);
  }
}

TEST(PortfolioSolverTest, SameProblemGivesTheSameSelection) {
  Problem p = Knapsack();
  p.candidates.push_back(Make("E", 7, {{0, 5}}));  // ties with B
  absl::StatusOr<Solution> first = Solve(p, {});
  absl::StatusOr<Solution> second = Solve(p, {});
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->selected, second->selected);
}

}  // namespace
}  // namespace gavel::planning
