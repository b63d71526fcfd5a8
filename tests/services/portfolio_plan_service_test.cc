// PortfolioPlanService against a real server: initiatives submitted, scored
// and locked through the public API, a scenario optimized with CBC,
// published by the board's chair, and read back from the log and the
// portfolio projection.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/calendar.h"
#include "gavel/v1/portfolio_plan_service.grpc.pb.h"
#include "gavel/v1/portfolio_query_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/services/test_server.h"

namespace gavel::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

gavel::v1::Money Eur(int64_t minor) {
  gavel::v1::Money m;
  m.set_minor_units(minor);
  m.set_currency("EUR");
  return m;
}

gavel::v1::PeriodAmount Amount(int month, int64_t amount) {
  gavel::v1::PeriodAmount a;
  *a.mutable_period_start() = domain::MakeDate(2026, month, 1);
  a.set_amount(amount);
  return a;
}

// Four initiatives with locked scores on a 60/40 framework:
//   A value 10 urgency 10 -> 100.00, cost 7, dev 4 in January
//   B value 8  urgency 5  ->  68.00, cost 5, dev 3
//   C value 6  urgency 5  ->  56.00, cost 5, dev 2
//   D value 2  urgency 0  ->  12.00, cost 3, dev 1
// (costs in EUR 1,000.00). With a budget of 10: B + C (124) beats the
// greedy A + D (112).
class PortfolioPlanServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plans_ = gavel::v1::PortfolioPlanService::NewStub(server_.channel());
    queries_ = gavel::v1::PortfolioQueryService::NewStub(server_.channel());
    gavel::v1::CharterBoardRequest board;
    board.mutable_options()->set_command_id("board");
    gavel::v1::CharterBoard* b = board.mutable_command();
    b->set_board_id("exec");
    b->set_name("Investment board");
    gavel::v1::BoardMember* chair = b->add_members();
    chair->set_principal("alice");
    chair->set_role(gavel::v1::MEMBER_ROLE_CHAIR);
    gavel::v1::BoardMember* voter = b->add_members();
    voter->set_principal("bob");
    voter->set_role(gavel::v1::MEMBER_ROLE_VOTING);
    b->set_quorum(1);
    b->set_decision_rule(gavel::v1::DECISION_RULE_MAJORITY);
    b->mutable_mandate()->add_gate_ids("G0");
    *b->mutable_mandate()->mutable_budget_ceiling() = Eur(100000000000);
    b->mutable_mandate()->set_approves_frameworks(true);
    b->mutable_decision_latency_sla()->set_seconds(86400);
    b->set_cadence(gavel::v1::CADENCE_MONTHLY);
    Expect(
        server_.governance().CharterBoard(As("alice").get(), board, &reply_));

    gavel::v1::DraftFrameworkRequest draft;
    draft.mutable_options()->set_command_id("draft");
    gavel::v1::DraftFramework* d = draft.mutable_command();
    d->set_framework_id("wsjf");
    d->set_name("Value and urgency");
    d->set_method(gavel::v1::FRAMEWORK_METHOD_WEIGHTED_CRITERIA);
    for (const auto& [id, weight] : std::vector<std::pair<std::string, int>>{
             {"value", 6000}, {"urgency", 4000}}) {
      gavel::v1::Criterion* c = d->add_criteria();
      c->set_criterion_id(id);
      c->set_name(id);
      c->set_scale_min(0);
      c->set_scale_max(10);
      c->set_polarity(gavel::v1::POLARITY_HIGHER_IS_BETTER);
      c->set_weight_bp(weight);
    }
    Expect(
        server_.strategy().DraftFramework(As("alice").get(), draft, &reply_));
    gavel::v1::ApproveFrameworkRequest approve;
    approve.mutable_options()->set_command_id("approve");
    approve.mutable_command()->set_framework_id("wsjf");
    approve.mutable_command()->set_version(1);
    approve.mutable_command()->mutable_decision()->set_board_id("exec");
    Expect(server_.strategy().ApproveFramework(As("alice").get(), approve,
                                               &reply_));

    gavel::v1::DefineCapacityPoolRequest pool;
    pool.mutable_options()->set_command_id("pool");
    gavel::v1::DefineCapacityPool* p = pool.mutable_command();
    p->set_pool_id("dev");
    p->set_name("Developers");
    p->set_kind(gavel::v1::POOL_KIND_SKILL);
    p->set_skill_or_unit("software development");
    p->set_unit_of_measure("FTE-months");
    p->set_granularity(gavel::v1::PERIOD_GRANULARITY_MONTH);
    *p->add_supply() = Amount(1, 20);
    Expect(server_.strategy().DefineCapacityPool(As("alice").get(), pool,
                                                 &reply_));

    Initiative("A", 10, 10, 700000, 4);
    Initiative("B", 8, 5, 500000, 3);
    Initiative("C", 6, 5, 500000, 2);
    Initiative("D", 2, 0, 300000, 1);
  }

  void Expect(const grpc::Status& status) {
    ASSERT_TRUE(status.ok())
        << status.error_message() << " (" << ReasonOf(status) << ")";
  }

  void Initiative(const std::string& id, int value, int urgency, int64_t cost,
                  int64_t dev) {
    gavel::v1::SubmitInitiativeRequest submit;
    submit.mutable_options()->set_command_id("submit-" + id);
    gavel::v1::SubmitInitiative* s = submit.mutable_command();
    s->set_initiative_id(id);
    s->set_title("Initiative " + id);
    s->set_problem_statement("Manual work slows the business down");
    s->set_business_unit("ops");
    s->set_sponsor("sam");
    *s->mutable_cost_estimate() = Eur(cost);
    gavel::v1::CapacityDemand* demand = s->add_capacity_demand();
    demand->set_pool_id("dev");
    *demand->add_amounts() = Amount(1, dev);
    Expect(server_.initiative().SubmitInitiative(As("alice").get(), submit,
                                                 &reply_));
    gavel::v1::AssignScorersRequest assign;
    assign.mutable_options()->set_command_id("assign-" + id);
    assign.mutable_command()->set_initiative_id(id);
    assign.mutable_command()->set_framework_id("wsjf");
    assign.mutable_command()->add_scorers("ann");
    Expect(
        server_.initiative().AssignScorers(As("alice").get(), assign, &reply_));
    for (const auto& [criterion, score] :
         std::vector<std::pair<std::string, int>>{{"value", value},
                                                  {"urgency", urgency}}) {
      gavel::v1::ScoreCriterionRequest score_request;
      score_request.mutable_options()->set_command_id(
          absl::StrCat("score-", id, "-", criterion));
      score_request.mutable_command()->set_initiative_id(id);
      score_request.mutable_command()->set_criterion_id(criterion);
      score_request.mutable_command()->set_value(score);
      score_request.mutable_command()->set_rationale("business case");
      Expect(server_.initiative().ScoreCriterion(As("ann").get(), score_request,
                                                 &reply_));
    }
    gavel::v1::LockScorecardRequest lock;
    lock.mutable_options()->set_command_id("lock-" + id);
    lock.mutable_command()->set_initiative_id(id);
    Expect(server_.initiative().LockScorecard(As("ann").get(), lock, &reply_));
  }

  void CreateScenario(int64_t budget) {
    gavel::v1::CreateScenarioRequest request;
    request.mutable_options()->set_command_id("create");
    gavel::v1::CreateScenario* c = request.mutable_command();
    c->set_plan_id("fy26");
    c->set_name("FY26");
    c->set_horizon(gavel::v1::HORIZON_ONE_YEAR);
    c->set_framework_id("wsjf");
    c->set_currency("EUR");
    *c->add_budget() = Amount(1, budget);
    gavel::v1::CapacityLimit* dev = c->add_capacity();
    dev->set_pool_id("dev");
    *dev->add_limits() = Amount(1, 10);
    Expect(plans_->CreateScenario(As("ann").get(), request, &reply_));
  }

  grpc::Status Optimize(gavel::v1::OptimizeScenarioReply* reply,
                        const std::string& who = "ann",
                        const std::string& command_id = "") {
    gavel::v1::OptimizeScenarioRequest request;
    request.mutable_options()->set_command_id(
        command_id.empty() ? absl::StrCat("optimize-", ++calls_) : command_id);
    request.set_plan_id("fy26");
    request.set_min_position(reply_.last_position());
    return plans_->OptimizeScenario(As(who).get(), request, reply);
  }

  grpc::Status Force(const std::string& id, gavel::v1::ForceDirection d) {
    gavel::v1::ForceInitiativeRequest request;
    request.mutable_options()->set_command_id(absl::StrCat("force-", ++calls_));
    request.mutable_command()->set_plan_id("fy26");
    request.mutable_command()->set_initiative_id(id);
    request.mutable_command()->set_direction(d);
    request.mutable_command()->set_reason("the board asked");
    return plans_->ForceInitiative(As("bob").get(), request, &reply_);
  }

  grpc::Status Publish(const std::string& who, gavel::v1::CommandReply* out) {
    gavel::v1::PublishPlanRequest request;
    request.mutable_options()->set_command_id(
        absl::StrCat("publish-", ++calls_));
    request.mutable_command()->set_plan_id("fy26");
    request.mutable_command()->mutable_decision()->set_board_id("exec");
    return plans_->PublishPlan(As(who).get(), request, out);
  }

  static std::vector<std::string> Funded(
      const gavel::v1::ScenarioOptimized& o) {
    std::vector<std::string> ids;
    for (int k = 0; k < o.cut_line(); ++k) {
      ids.push_back(o.ranking(k).initiative_id());
    }
    return ids;
  }

  TestServer server_;
  std::unique_ptr<gavel::v1::PortfolioPlanService::Stub> plans_;
  std::unique_ptr<gavel::v1::PortfolioQueryService::Stub> queries_;
  gavel::v1::CommandReply reply_;
  int calls_ = 0;
};

TEST_F(PortfolioPlanServiceTest, OptimizesPublishesAndReplaysTheKnownOptimum) {
  CreateScenario(1000000);
  gavel::v1::OptimizeScenarioReply optimized;
  Expect(Optimize(&optimized));
  const gavel::v1::ScenarioOptimized& o = optimized.optimization();
  EXPECT_EQ(o.run(), 1);
  EXPECT_THAT(Funded(o), ElementsAre("B", "C"));
  EXPECT_EQ(o.objective_value(), 6800 + 5600);
  EXPECT_TRUE(o.optimal());
  EXPECT_EQ(o.gap_bp(), 0);
  ASSERT_EQ(o.ranking_size(), 4);
  EXPECT_EQ(o.ranking(2).initiative_id(), "A");
  ASSERT_EQ(o.constraints_size(), 2);
  EXPECT_EQ(o.constraints(0).constraint_id(), "budget:2026-01-01");
  EXPECT_TRUE(o.constraints(0).binding());
  EXPECT_EQ(o.constraints(1).used(), 5);

  gavel::v1::CommandReply published;
  Expect(Publish("alice", &published));
  ASSERT_EQ(published.events_size(), 1);
  gavel::v1::PortfolioPlanEvent event;
  ASSERT_TRUE(event.ParseFromString(published.events(0).payload()));
  ASSERT_TRUE(event.has_plan_published());
  EXPECT_EQ(event.plan_published().cut_line(), 2);

  // The portfolio projection shows it as the plan of record.
  gavel::v1::GetPlanOfRecordRequest record_request;
  record_request.mutable_read()->set_min_position(published.last_position());
  gavel::v1::GetPlanOfRecordReply record;
  Expect(queries_->GetPlanOfRecord(As("eve").get(), record_request, &record));
  ASSERT_EQ(record.plans_size(), 1);
  EXPECT_EQ(record.plans(0).plan_id(), "fy26");
  EXPECT_EQ(record.plans(0).cut_line(), 2);
  EXPECT_EQ(record.plans(0).decision().board_id(), "exec");
  // as_of before the publication: no plan of record yet.
  record_request.mutable_read()->set_as_of_position(published.last_position() -
                                                    1);
  Expect(queries_->GetPlanOfRecord(As("eve").get(), record_request, &record));
  EXPECT_EQ(record.plans_size(), 0);

  // After a restart the plan is folded from the log again: equal to what
  // was published.
  server_.Restart();
  plans_ = gavel::v1::PortfolioPlanService::NewStub(server_.channel());
  gavel::v1::GetPlanRequest get;
  get.set_plan_id("fy26");
  gavel::v1::GetPlanReply plan;
  Expect(plans_->GetPlan(As("eve").get(), get, &plan));
  ASSERT_EQ(plan.published_size(), 1);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
      plan.published(0), event.plan_published()));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
      plan.optimization(), o));
}

TEST_F(PortfolioPlanServiceTest, ADependencyChangesTheOptimum) {
  gavel::v1::DeclareDependencyRequest declare;
  declare.mutable_options()->set_command_id("dep");
  declare.mutable_command()->set_initiative_id("C");
  declare.mutable_command()->set_dependency_id("needs-d");
  declare.mutable_command()->set_depends_on_initiative_id("D");
  declare.mutable_command()->set_description("D builds the platform");
  *declare.mutable_command()->mutable_needed_by() =
      domain::MakeDate(2026, 1, 1);
  Expect(server_.initiative().DeclareDependency(As("alice").get(), declare,
                                                &reply_));
  CreateScenario(1000000);
  gavel::v1::OptimizeScenarioReply optimized;
  Expect(Optimize(&optimized));
  // B + C now needs D too (13 > 10): A + D is best.
  EXPECT_THAT(Funded(optimized.optimization()), ElementsAre("A", "D"));
  EXPECT_EQ(optimized.optimization().objective_value(), 10000 + 1200);
}

TEST_F(PortfolioPlanServiceTest, InfeasibleForcedChoicesNameTheConflict) {
  CreateScenario(1000000);
  Expect(Force("A", gavel::v1::FORCE_IN));
  Expect(Force("B", gavel::v1::FORCE_IN));
  gavel::v1::OptimizeScenarioReply optimized;
  const grpc::Status status = Optimize(&optimized);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(status), "PLAN_INFEASIBLE");
  EXPECT_THAT(status.error_message(),
              HasSubstr("conflicting constraints: budget:2026-01-01, "
                        "forced_in:A, forced_in:B"));
  // Clearing one makes it solvable, with the other forced in.
  Expect(Force("B", gavel::v1::FORCE_CLEAR));
  Expect(Optimize(&optimized));
  EXPECT_THAT(Funded(optimized.optimization()), ElementsAre("A", "D"));
  EXPECT_EQ(optimized.optimization().ranking(0).forced(), gavel::v1::FORCE_IN);
}

TEST_F(PortfolioPlanServiceTest, PublishingNeedsTheChairAndACurrentOptimum) {
  CreateScenario(1000000);
  gavel::v1::CommandReply published;
  grpc::Status status = Publish("alice", &published);
  EXPECT_EQ(ReasonOf(status), "PLAN_NOT_OPTIMIZED");
  gavel::v1::OptimizeScenarioReply optimized;
  Expect(Optimize(&optimized));
  status = Publish("bob", &published);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ReasonOf(status), "NOT_THE_CHAIR");
  Expect(Force("D", gavel::v1::FORCE_OUT));
  EXPECT_EQ(ReasonOf(Publish("alice", &published)), "PLAN_NOT_OPTIMIZED");
  // A submitter may not optimize.
  status = Optimize(&optimized, "sam");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ReasonOf(status), "ROLE_REQUIRED");
}

TEST_F(PortfolioPlanServiceTest, FrontierAndSensitivityAgainstThePlan) {
  CreateScenario(1000000);
  gavel::v1::OptimizeScenarioReply optimized;
  Expect(Optimize(&optimized));
  gavel::v1::GetFrontierRequest frontier_request;
  frontier_request.set_plan_id("fy26");
  frontier_request.set_points(4);  // 50 %, 100 %, 150 %, 200 %
  gavel::v1::GetFrontierReply frontier;
  Expect(plans_->GetFrontier(As("bob").get(), frontier_request, &frontier));
  ASSERT_EQ(frontier.points_size(), 4);
  EXPECT_EQ(frontier.points(0).budget_factor_bp(), 5000);
  EXPECT_EQ(frontier.points(0).objective_value(), 6800);  // B alone
  EXPECT_EQ(frontier.points(1).objective_value(), 12400);
  EXPECT_EQ(frontier.points(3).objective_value(), 10000 + 6800 + 5600 + 1200);
  EXPECT_EQ(frontier.objective_value(), 12400);
  ASSERT_EQ(frontier.pools_size(), 1);
  EXPECT_EQ(frontier.pools(0).pool_id(), "dev");
  EXPECT_FALSE(frontier.pools(0).binding());  // 5 of 10 used
  EXPECT_EQ(frontier.pools(0).marginal_value(), 0);

  gavel::v1::GetSensitivityRequest sensitivity_request;
  sensitivity_request.set_plan_id("fy26");
  gavel::v1::GetSensitivityReply sensitivity;
  Expect(plans_->GetSensitivity(As("bob").get(), sensitivity_request,
                                &sensitivity));
  EXPECT_EQ(sensitivity.reference(), "optimized run 1");
  EXPECT_THAT(sensitivity.criterion_ids(), ElementsAre("value", "urgency"));
  EXPECT_THAT(sensitivity.base_weights_bp(), ElementsAre(6000, 4000));
  ASSERT_EQ(sensitivity.variants_size(), 4);
  for (const gavel::v1::WeightVariant& v : sensitivity.variants()) {
    EXPECT_GE(v.kendall_tau(), -1.0);
    EXPECT_LE(v.kendall_tau(), 1.0);
  }
  // value +10 pp (70/30): A 100, B 71, C 57, D 14 -- B + C still best and
  // the order unchanged.
  EXPECT_THAT(sensitivity.variants(0).weights_bp(), ElementsAre(7000, 3000));
  EXPECT_DOUBLE_EQ(sensitivity.variants(0).kendall_tau(), 1.0);
  EXPECT_TRUE(sensitivity.variants(0).entered().empty());
}

TEST_F(PortfolioPlanServiceTest, UnknownPlansAreNotFound) {
  gavel::v1::GetPlanRequest get;
  get.set_plan_id("nope");
  gavel::v1::GetPlanReply plan;
  const grpc::Status status = plans_->GetPlan(As("eve").get(), get, &plan);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ReasonOf(status), "AGGREGATE_NOT_FOUND");
  gavel::v1::OptimizeScenarioReply optimized;
  EXPECT_EQ(Optimize(&optimized).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(PortfolioPlanServiceTest, ARetriedOptimizationReturnsTheFirstResult) {
  CreateScenario(1000000);
  gavel::v1::OptimizeScenarioReply first, retry;
  Expect(Optimize(&first, "ann", "optimize-once"));
  Expect(Optimize(&retry, "ann", "optimize-once"));
  EXPECT_TRUE(retry.command().deduplicated());
  EXPECT_EQ(retry.command().last_position(), first.command().last_position());
  EXPECT_EQ(retry.optimization().run(), 1);
  gavel::v1::GetPlanRequest get;
  get.set_plan_id("fy26");
  gavel::v1::GetPlanReply plan;
  Expect(plans_->GetPlan(As("eve").get(), get, &plan));
  EXPECT_EQ(plan.version(), 2u);  // created, optimized once
}

}  // namespace
}  // namespace gavel::test
