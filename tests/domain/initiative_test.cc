// Initiative: submission, objective links, benefits, delivery records,
// dependencies, withdrawal, closure, and the state functions (Evolve,
// equality, views). Scoring and gates have files of their own.
#include "domain/initiative.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/domain/initiative_test_world.h"

namespace gavel::domain::test {
namespace {

// ---------------------------------------------------------------------------
// SubmitInitiative
// ---------------------------------------------------------------------------

TEST_F(InitiativeTest, SubmitRecordsTheProposalWithServerFacts) {
  Events events = Accept(SubmitCommand(), "sub");
  ASSERT_EQ(events.size(), 1u);
  const gavel::v1::InitiativeSubmitted& e = events[0].submitted();
  EXPECT_EQ(e.initiative_id(), "ini-1");
  EXPECT_EQ(e.submitted_by(), "sub");
  EXPECT_EQ(e.sponsor(), "spo");
  EXPECT_EQ(e.lifecycle_model_id(), "default");
  EXPECT_EQ(FromTimestamp(e.submitted_at()), kStart);
  EXPECT_EQ(e.capacity_demand_size(), 2);
  EXPECT_EQ(state_.version, 1u);
  EXPECT_EQ(state_.status, InitiativeStatus::kProposed);
  ASSERT_EQ(state_.milestones.size(), 2u);
  EXPECT_EQ(state_.milestones[1].milestone.milestone_id(), "ms-live");
}

TEST_F(InitiativeTest, SubmitRejectsMissingFields) {
  ExpectEachRejected(
      SubmitCommand(), TryAs("sub"),
      {{[](auto& c) { c.clear_initiative_id(); }, kMissingField,
        "initiative_id"},
       {[](auto& c) { c.set_title(" "); }, kMissingField, "title"},
       {[](auto& c) { c.clear_problem_statement(); }, kMissingField,
        "problem_statement"},
       {[](auto& c) { c.clear_business_unit(); }, kMissingField,
        "business_unit"},
       {[](auto& c) { c.clear_sponsor(); }, kMissingField, "sponsor"},
       {[](auto& c) { c.mutable_capacity_demand(1)->clear_pool_id(); },
        kMissingField, "capacity_demand[1].pool_id"},
       {[](auto& c) { c.mutable_capacity_demand(0)->clear_amounts(); },
        kMissingField, "capacity_demand[0].amounts"},
       {[](auto& c) { c.mutable_milestones(1)->clear_name(); }, kMissingField,
        "milestones[1].name"},
       {[](auto& c) { c.mutable_milestones(0)->clear_milestone_id(); },
        kMissingField, "milestones[0].milestone_id"}});
}

TEST_F(InitiativeTest, SubmitRejectsMalformedMoneyDatesAndAmounts) {
  ExpectEachRejected(
      SubmitCommand(), TryAs(),
      {{[](auto& c) { c.mutable_cost_estimate()->set_currency("eur"); },
        kInvalidMoney, "cost_estimate"},
       {[](auto& c) {  // February 30th.
          c.mutable_milestones(0)->mutable_committed_date()->set_day(30);
          c.mutable_milestones(0)->mutable_committed_date()->set_month(2);
        },
        kInvalidDate, "milestones[0].committed_date"},
       {[](auto& c) {
          c.mutable_capacity_demand(0)
              ->mutable_amounts(1)
              ->clear_period_start();
        },
        kInvalidDate, "capacity_demand[0].amounts[1].period_start"},
       {[](auto& c) {
          c.mutable_capacity_demand(1)->mutable_amounts(0)->set_amount(-1);
        },
        kValueOutOfRange, "capacity_demand[1].amounts[0].amount"}});
}

TEST_F(InitiativeTest, SubmitRejectsDuplicates) {
  ExpectEachRejected(
      SubmitCommand(), TryAs(),
      {{[](auto& c) { c.mutable_milestones(1)->set_milestone_id("ms-design"); },
        kDuplicateEntry, "milestones[1].milestone_id"},
       {[](auto& c) { c.mutable_capacity_demand(1)->set_pool_id("data-eng"); },
        kDuplicateEntry, "capacity_demand[1].pool_id"},
       {[](auto& c) {
          *c.mutable_capacity_demand(0)->add_amounts() = Amount(2025, 2, 1);
        },
        kDuplicateEntry, "capacity_demand[0].amounts[2].period_start"}});
}

TEST_F(InitiativeTest, SubmitRejectsAnExistingInitiative) {
  Submit();
  EXPECT_TRUE(Rejected(Try(SubmitCommand(), "sub"), kAggregateAlreadyExists,
                       "initiative_id"));
}

TEST_F(InitiativeTest, SubmitNeedsAnExistingActiveLifecycleModel) {
  gavel::v1::SubmitInitiative cmd = SubmitCommand();
  cmd.set_lifecycle_model_id("fast-track");
  EXPECT_TRUE(
      Rejected(Try(cmd), kLifecycleModelNotFound, "lifecycle_model_id"));
  model_.reset();
  EXPECT_TRUE(Rejected(Try(SubmitCommand()), kLifecycleModelNotFound));

  model_ = DefaultLifecycleModelView();
  model_->model_id = "fast-track";
  model_->retired = true;
  EXPECT_TRUE(Rejected(Try(cmd), kLifecycleModelRetired, "lifecycle_model_id"));
  model_->retired = false;
  Accept(cmd);
  EXPECT_EQ(state_.submission.lifecycle_model_id(), "fast-track");
}

TEST_F(InitiativeTest, SubmitNeedsKnownPoolsAndTheirPeriods) {
  pools_.pop_back();
  EXPECT_TRUE(Rejected(Try(SubmitCommand()), kCapacityPoolNotFound,
                       "capacity_demand[1].pool_id"));
  pools_ = Pools();
  pools_[0].granularity = gavel::v1::PERIOD_GRANULARITY_QUARTER;
  EXPECT_TRUE(Rejected(Try(SubmitCommand()), kInvalidPeriod,
                       "capacity_demand[0].amounts[0].period_start"));
}

// ---------------------------------------------------------------------------
// Every command but SubmitInitiative needs the initiative; terminal
// initiatives accept only benefit measurements.
// ---------------------------------------------------------------------------

TEST_F(InitiativeTest, CommandsOnAMissingInitiativeAreNotFound) {
  EXPECT_TRUE(Rejected(Try(LinkCommand("obj-growth", true, 100)),
                       kAggregateNotFound, "initiative_id"));
  EXPECT_TRUE(Rejected(Try(BenefitCommand()), kAggregateNotFound));
  EXPECT_TRUE(Rejected(Try(ReviewCommand("G0")), kAggregateNotFound));
  EXPECT_TRUE(Rejected(
      Try(MeasureCommand(MakeDate(2025, 1, 1), MakeDate(2025, 1, 2), 1)),
      kAggregateNotFound));
  gavel::v1::WithdrawInitiative withdraw;
  withdraw.set_reason("no longer needed");
  EXPECT_TRUE(Rejected(Try(withdraw, "spo"), kAggregateNotFound));
}

TEST_F(InitiativeTest, AWithdrawnInitiativeAcceptsOnlyBenefitMeasurements) {
  Submit();
  Accept(BenefitCommand());
  gavel::v1::WithdrawInitiative withdraw;
  withdraw.set_initiative_id("ini-1");
  withdraw.set_reason("superseded by the group programme");
  Accept(withdraw, "spo");
  EXPECT_EQ(state_.status, InitiativeStatus::kWithdrawn);
  EXPECT_TRUE(Rejected(Try(withdraw, "spo"), kInitiativeTerminal));
  EXPECT_TRUE(
      Rejected(Try(LinkCommand("obj-growth", true, 100)), kInitiativeTerminal));
  EXPECT_TRUE(Rejected(Try(BenefitCommand("b-other")), kInitiativeTerminal));
  EXPECT_TRUE(Rejected(Try(ReviewCommand("G0")), kInitiativeTerminal));
  gavel::v1::RaiseRisk risk;
  risk.set_risk_id("r1");
  risk.set_title("t");
  risk.set_owner("o");
  risk.set_impact(gavel::v1::RISK_IMPACT_LOW);
  EXPECT_TRUE(Rejected(Try(risk), kInitiativeTerminal));
  Accept(MeasureCommand(MakeDate(2025, 1, 1), MakeDate(2025, 1, 14), 1010));
  EXPECT_EQ(state_.benefits[0].measurements, 1u);
}

// ---------------------------------------------------------------------------
// LinkObjective / UnlinkObjective
// ---------------------------------------------------------------------------

TEST_F(InitiativeTest, LinkRecordsPrimaryAndSecondaryLinks) {
  Submit();
  Accept(LinkCommand("obj-growth", true, 7000));
  Accept(LinkCommand("obj-cost", false, 3000));
  ASSERT_EQ(state_.links.size(), 2u);
  EXPECT_TRUE(state_.links[0].primary());
  EXPECT_EQ(state_.links[1].contribution_bp(), 3000);
}

TEST_F(InitiativeTest, LinkRejectsMalformedInput) {
  Submit();
  EXPECT_TRUE(
      Rejected(Try(LinkCommand("", true, 10)), kMissingField, "objective_id"));
  EXPECT_TRUE(Rejected(Try(LinkCommand("obj-cost", true, 10001)),
                       kValueOutOfRange, "contribution_bp"));
  EXPECT_TRUE(Rejected(Try(LinkCommand("obj-cost", true, -1)), kValueOutOfRange,
                       "contribution_bp"));
}

TEST_F(InitiativeTest, LinkNeedsAnActiveObjective) {
  Submit();
  EXPECT_TRUE(Rejected(Try(LinkCommand("obj-none", true, 10)),
                       kObjectiveNotFound, "objective_id"));
  EXPECT_TRUE(Rejected(Try(LinkCommand("obj-old", true, 10)), kObjectiveRetired,
                       "objective_id"));
}

TEST_F(InitiativeTest, LinkRefusesDuplicatesASecondPrimaryAndOverContribution) {
  Submit();
  Accept(LinkCommand("obj-growth", true, 7000));
  EXPECT_TRUE(Rejected(Try(LinkCommand("obj-growth", false, 10)),
                       kObjectiveAlreadyLinked, "objective_id"));
  EXPECT_TRUE(Rejected(Try(LinkCommand("obj-cost", true, 10)),
                       kPrimaryObjectiveExists, "primary"));
  EXPECT_TRUE(Rejected(Try(LinkCommand("obj-cost", false, 3001)),
                       kContributionExceedsTotal, "contribution_bp"));
}

TEST_F(InitiativeTest, UnlinkRemovesALinkWithAReason) {
  Submit();
  Accept(LinkCommand("obj-growth", true, 7000));
  gavel::v1::UnlinkObjective unlink;
  unlink.set_objective_id("obj-growth");
  EXPECT_TRUE(Rejected(Try(unlink), kReasonRequired, "reason"));
  unlink.set_reason("strategy refresh moved it to cost");
  Accept(unlink);
  EXPECT_TRUE(state_.links.empty());
  EXPECT_TRUE(Rejected(Try(unlink), kObjectiveNotLinked, "objective_id"));
  unlink.clear_objective_id();
  EXPECT_TRUE(Rejected(Try(unlink), kMissingField, "objective_id"));
  // Once unlinked, a new primary may be set.
  Accept(LinkCommand("obj-cost", true, 10000));
}

// ---------------------------------------------------------------------------
// RegisterBenefit / MeasureBenefit / ReviseForecast
// ---------------------------------------------------------------------------

TEST_F(InitiativeTest, RegisterBenefitAddsAndReplacesARegistration) {
  Submit();
  Accept(BenefitCommand());
  gavel::v1::RegisterBenefit changed = BenefitCommand();
  changed.set_target(1800);
  Accept(changed);
  ASSERT_EQ(state_.benefits.size(), 1u);
  EXPECT_EQ(state_.benefits[0].registration.target(), 1800);
  gavel::v1::RegisterBenefit unbaselined = BenefitCommand("b-nps");
  unbaselined.clear_baseline();
  unbaselined.set_measure_id("m-nps");
  Accept(unbaselined);
  EXPECT_EQ(state_.benefits.size(), 2u);
}

TEST_F(InitiativeTest, RegisterBenefitRejectsMalformedInput) {
  Submit();
  ExpectEachRejected(
      BenefitCommand(), TryAs(),
      {{[](auto& c) { c.clear_owner(); }, kMissingField, "owner"},
       {[](auto& c) { c.clear_measure_id(); }, kMissingField, "measure_id"},
       {[](auto& c) { c.set_decimals(7); }, kValueOutOfRange, "decimals"},
       {[](auto& c) { c.clear_direction(); }, kInvalidEnum, "direction"},
       {[](auto& c) { c.clear_target_date(); }, kInvalidDate, "target_date"},
       {[](auto& c) { c.mutable_baseline()->clear_measured_on(); },
        kInvalidDate, "baseline.measured_on"}});
}

TEST_F(InitiativeTest, RegisterBenefitRejectsATargetAgainstItsDirection) {
  Submit();
  gavel::v1::RegisterBenefit cmd = BenefitCommand();
  cmd.set_target(900);  // An increase benefit targeting a decrease.
  EXPECT_TRUE(Rejected(Try(cmd), kTargetContradictsDirection, "target"));
  cmd.set_dis_benefit(true);  // As a dis-benefit it is the expected harm.
  Accept(cmd);
}

TEST_F(InitiativeTest, RegisterBenefitNeedsTheObjectiveAndItsMeasure) {
  Submit();
  gavel::v1::RegisterBenefit cmd = BenefitCommand();
  cmd.set_objective_id("obj-none");
  EXPECT_TRUE(Rejected(Try(cmd), kObjectiveNotFound, "objective_id"));
  cmd = BenefitCommand();
  cmd.set_measure_id("m-opex");
  EXPECT_TRUE(Rejected(Try(cmd), kMeasureNotFound, "measure_id"));
}

TEST_F(InitiativeTest, BaselinesFreezeWhenAFreezingGateIsPassed) {
  Submit();
  Accept(BenefitCommand());
  gavel::v1::InitiativeEvent decided;
  decided.mutable_gate_decided()->set_outcome(gavel::v1::GATE_OUTCOME_GO);
  decided.mutable_gate_decided()->set_baselines_frozen(true);
  state_ = Evolve(std::move(state_), decided);
  EXPECT_TRUE(state_.baselines_frozen);
  EXPECT_TRUE(Rejected(Try(BenefitCommand()), kBaselineFrozen, "benefit_id"));
  Accept(BenefitCommand("b-new"));  // New benefits may still be registered.
}

TEST_F(InitiativeTest, MeasureBenefitRecordsAMeasurement) {
  Submit();
  Accept(BenefitCommand());
  Events events =
      Accept(MeasureCommand(MakeDate(2025, 1, 1), MakeDate(2025, 1, 15), 1040));
  EXPECT_EQ(events[0].benefit_measured().value(), 1040);
  ASSERT_EQ(state_.benefits[0].measurements, 1u);
  EXPECT_EQ(state_.benefits[0].last_measurement->value(), 1040);
}

TEST_F(InitiativeTest, MeasureBenefitNeedsARegisteredBaselinedBenefit) {
  Submit();
  gavel::v1::MeasureBenefit cmd =
      MeasureCommand(MakeDate(2025, 1, 1), MakeDate(2025, 1, 10), 5);
  EXPECT_TRUE(Rejected(Try(cmd), kBenefitNotRegistered, "benefit_id"));
  gavel::v1::RegisterBenefit unbaselined = BenefitCommand();
  unbaselined.clear_baseline();
  Accept(unbaselined);
  EXPECT_TRUE(Rejected(Try(cmd), kBenefitNotBaselined, "benefit_id"));
}

TEST_F(InitiativeTest, MeasureBenefitRejectsMalformedPeriods) {
  Submit();
  Accept(BenefitCommand());
  ExpectEachRejected(
      MeasureCommand(MakeDate(2025, 1, 1), MakeDate(2025, 1, 9), 5), TryAs(),
      {{[](auto& c) {  // Ends before it starts.
          *c.mutable_period_start() = MakeDate(2025, 1, 10);
        },
        kInvalidTimeRange, "period_end"},
       {[](auto& c) {  // Ends after today (January 15th).
          *c.mutable_period_start() = MakeDate(2025, 1, 10);
          *c.mutable_period_end() = MakeDate(2025, 1, 16);
        },
        kInvalidTimeRange, "period_end"},
       {[](auto& c) { c.clear_source(); }, kMissingField, "source"},
       {[](auto& c) { c.mutable_period_start()->set_month(13); }, kInvalidDate,
        "period_start"}});
}

gavel::v1::ReviseForecast ForecastCommand() {
  gavel::v1::ReviseForecast cmd;
  cmd.set_initiative_id("ini-1");
  *cmd.mutable_cost_at_completion() = Eur(55000000);
  *cmd.mutable_finish_date() = MakeDate(2025, 11, 30);
  gavel::v1::BenefitForecast* forecast = cmd.add_benefits();
  forecast->set_benefit_id("b-repeat");
  forecast->set_value(1400);
  cmd.set_reason("vendor delay");
  return cmd;
}

TEST_F(InitiativeTest, ReviseForecastRecordsCostDateAndBenefits) {
  Submit();
  Accept(BenefitCommand());
  Accept(ForecastCommand());
  ASSERT_TRUE(state_.forecast.has_value());
  EXPECT_EQ(state_.forecast->cost_at_completion().minor_units(), 55000000);
  EXPECT_EQ(state_.benefits[0].forecast, 1400);
  gavel::v1::ReviseForecast without_benefits = ForecastCommand();
  without_benefits.clear_benefits();
  Accept(without_benefits);
  EXPECT_FALSE(state_.benefits[0].forecast.has_value());
}

TEST_F(InitiativeTest, ReviseForecastRejectsBrokenRules) {
  Submit();
  ExpectEachRejected(
      ForecastCommand(), TryAs(),
      {{[](auto& c) { c.clear_reason(); }, kReasonRequired, "reason"},
       {[](auto& c) { c.clear_finish_date(); }, kInvalidDate, "finish_date"},
       {[](auto& c) { *c.add_benefits() = c.benefits(0); }, kDuplicateEntry,
        "benefits[1].benefit_id"},
       {[](auto& c) { c.mutable_cost_at_completion()->set_currency("USD"); },
        kCurrencyMismatch, "cost_at_completion"}});
  EXPECT_TRUE(Rejected(Try(ForecastCommand()), kBenefitNotRegistered,
                       "benefits[0].benefit_id"));
}

// ---------------------------------------------------------------------------
// ReportCost / AchieveMilestone / AssessBauImpact
// ---------------------------------------------------------------------------

gavel::v1::ReportCost CostCommand() {
  gavel::v1::ReportCost cmd;
  cmd.set_initiative_id("ini-1");
  *cmd.mutable_period_start() = MakeDate(2025, 1, 1);
  *cmd.mutable_amount() = Eur(1250000);
  cmd.set_category(gavel::v1::COST_CATEGORY_OPEX);
  cmd.set_source("SAP");
  return cmd;
}

TEST_F(InitiativeTest, ReportCostRecordsMonthlyActuals) {
  Submit();
  Accept(CostCommand());
  ASSERT_EQ(state_.cost_reports, 1u);
  EXPECT_EQ(state_.last_cost->amount().minor_units(), 1250000);
}

TEST_F(InitiativeTest, ReportCostRejectsBrokenRules) {
  Submit();
  ExpectEachRejected(
      CostCommand(), TryAs(),
      {{[](auto& c) { c.mutable_period_start()->set_day(2); }, kInvalidPeriod,
        "period_start"},
       {[](auto& c) { c.mutable_amount()->set_minor_units(-5); }, kInvalidMoney,
        "amount"},
       {[](auto& c) { c.clear_category(); }, kInvalidEnum, "category"},
       {[](auto& c) { c.mutable_amount()->set_currency("GBP"); },
        kCurrencyMismatch, "amount"}});
}

TEST_F(InitiativeTest, AchieveMilestoneOnceAndNotInTheFuture) {
  Submit();
  gavel::v1::AchieveMilestone cmd;
  cmd.set_milestone_id("ms-design");
  *cmd.mutable_achieved_on() = MakeDate(2025, 1, 16);
  EXPECT_TRUE(Rejected(Try(cmd), kInvalidTimeRange, "achieved_on"));
  *cmd.mutable_achieved_on() = MakeDate(2025, 1, 15);
  Accept(cmd);
  EXPECT_TRUE(state_.milestones[0].achieved.has_value());
  EXPECT_TRUE(Rejected(Try(cmd), kMilestoneAlreadyAchieved, "milestone_id"));
  cmd.set_milestone_id("ms-none");
  EXPECT_TRUE(Rejected(Try(cmd), kMilestoneNotFound, "milestone_id"));
  cmd.clear_milestone_id();
  EXPECT_TRUE(Rejected(Try(cmd), kMissingField, "milestone_id"));
}

TEST_F(InitiativeTest, AssessBauImpactRecordsTheLatestAssessment) {
  Submit();
  AssessBau();
  ASSERT_TRUE(state_.bau_impact.has_value());
  EXPECT_EQ(state_.bau_impact->assessed_by(), "pmo");
  gavel::v1::AssessBauImpact cmd;
  cmd.set_summary("x");
  *cmd.mutable_annual_run_cost() = Eur(1);
  cmd.mutable_annual_run_cost()->set_currency("USD");
  EXPECT_TRUE(Rejected(Try(cmd), kCurrencyMismatch, "annual_run_cost"));
  cmd.clear_summary();
  EXPECT_TRUE(Rejected(Try(cmd), kMissingField, "summary"));
}

// ---------------------------------------------------------------------------
// RaiseRisk / CloseRisk
// ---------------------------------------------------------------------------

gavel::v1::RaiseRisk RiskCommand() {
  gavel::v1::RaiseRisk cmd;
  cmd.set_initiative_id("ini-1");
  cmd.set_risk_id("r-vendor");
  cmd.set_title("Kiosk vendor may slip");
  cmd.set_probability_bp(3000);
  cmd.set_impact(gavel::v1::RISK_IMPACT_HIGH);
  cmd.set_owner("spo");
  return cmd;
}

TEST_F(InitiativeTest, RisksAreRaisedOnceAndClosedOnceWithAResolution) {
  Submit();
  Accept(RiskCommand());
  EXPECT_TRUE(Rejected(Try(RiskCommand()), kDuplicateId, "risk_id"));
  gavel::v1::CloseRisk close;
  close.set_risk_id("r-vendor");
  EXPECT_TRUE(Rejected(Try(close), kReasonRequired, "resolution"));
  close.set_resolution("second vendor contracted");
  Accept(close);
  EXPECT_TRUE(state_.risks[0].closed.has_value());
  EXPECT_TRUE(Rejected(Try(close), kRiskAlreadyClosed, "risk_id"));
  close.set_risk_id("r-none");
  EXPECT_TRUE(Rejected(Try(close), kRiskNotFound, "risk_id"));
}

TEST_F(InitiativeTest, RaiseRiskRejectsMalformedInput) {
  Submit();
  ExpectEachRejected(
      RiskCommand(), TryAs(),
      {{[](auto& c) { c.set_probability_bp(10001); }, kValueOutOfRange,
        "probability_bp"},
       {[](auto& c) { c.clear_impact(); }, kInvalidEnum, "impact"},
       {[](auto& c) { c.clear_owner(); }, kMissingField, "owner"}});
}

// ---------------------------------------------------------------------------
// DeclareDependency / ResolveDependency
// ---------------------------------------------------------------------------

gavel::v1::DeclareDependency DependencyCommand(absl::string_view id,
                                               absl::string_view target) {
  gavel::v1::DeclareDependency cmd;
  cmd.set_initiative_id("ini-1");
  cmd.set_dependency_id(std::string(id));
  cmd.set_depends_on_initiative_id(std::string(target));
  cmd.set_description("needs the new customer master");
  return cmd;
}

TEST_F(InitiativeTest, DeclareDependencyOnAnotherLiveInitiative) {
  Submit();
  other_ = InitiativeView{"ini-2", false};
  Accept(DependencyCommand("dep-1", "ini-2"));
  EXPECT_EQ(UnresolvedDependencies(state_), std::vector<std::string>{"ini-2"});
}

TEST_F(InitiativeTest, DeclareDependencyRejectsBrokenRules) {
  Submit();
  EXPECT_TRUE(Rejected(Try(DependencyCommand("dep-1", "ini-1")), kSelfReference,
                       "depends_on_initiative_id"));
  EXPECT_TRUE(Rejected(Try(DependencyCommand("", "ini-2")), kMissingField,
                       "dependency_id"));
  gavel::v1::DeclareDependency bad_date = DependencyCommand("dep-1", "ini-2");
  bad_date.mutable_needed_by()->set_year(2025);
  EXPECT_TRUE(Rejected(Try(bad_date), kInvalidDate, "needed_by"));
  EXPECT_TRUE(Rejected(Try(DependencyCommand("dep-1", "ini-2")),
                       kInitiativeNotFound, "depends_on_initiative_id"));
  other_ = InitiativeView{"ini-2", true};
  EXPECT_TRUE(Rejected(Try(DependencyCommand("dep-1", "ini-2")),
                       kInitiativeTerminal, "depends_on_initiative_id"));
  other_ = InitiativeView{"ini-2", false};
  Accept(DependencyCommand("dep-1", "ini-2"));
  EXPECT_TRUE(Rejected(Try(DependencyCommand("dep-1", "ini-2")), kDuplicateId,
                       "dependency_id"));
  EXPECT_TRUE(Rejected(Try(DependencyCommand("dep-2", "ini-2")), kDuplicateId,
                       "depends_on_initiative_id"));
}

TEST_F(InitiativeTest, DependenciesNeverFormACycle) {
  Submit();
  // ini-3 depends on ini-2, which depends on ini-1.
  dependencies_ = {{"ini-2", {"ini-1"}}, {"ini-3", {"ini-2"}}};
  other_ = InitiativeView{"ini-2", false};
  EXPECT_TRUE(Rejected(Try(DependencyCommand("dep-1", "ini-2")),
                       kDependencyCycle, "depends_on_initiative_id"));
  other_ = InitiativeView{"ini-3", false};
  EXPECT_TRUE(Rejected(Try(DependencyCommand("dep-1", "ini-3")),
                       kDependencyCycle, "depends_on_initiative_id"));
  dependencies_ = {{"ini-3", {"ini-2"}}, {"ini-2", {"ini-4"}}};
  Accept(DependencyCommand("dep-1", "ini-3"));
}

TEST_F(InitiativeTest, ResolveDependencyOnceWithAResolution) {
  Submit();
  other_ = InitiativeView{"ini-2", false};
  Accept(DependencyCommand("dep-1", "ini-2"));
  gavel::v1::ResolveDependency resolve;
  resolve.set_dependency_id("dep-1");
  EXPECT_TRUE(Rejected(Try(resolve), kReasonRequired, "resolution"));
  resolve.set_resolution("customer master delivered");
  Accept(resolve);
  EXPECT_TRUE(UnresolvedDependencies(state_).empty());
  EXPECT_TRUE(
      Rejected(Try(resolve), kDependencyAlreadyResolved, "dependency_id"));
  resolve.set_dependency_id("dep-9");
  EXPECT_TRUE(Rejected(Try(resolve), kDependencyNotFound, "dependency_id"));
  // A resolved dependency no longer blocks a new one on the same target.
  Accept(DependencyCommand("dep-2", "ini-2"));
}

// ---------------------------------------------------------------------------
// WithdrawInitiative / CloseInitiative
// ---------------------------------------------------------------------------

TEST_F(InitiativeTest, WithdrawalIsForTheSponsorOrSubmitterWithAReason) {
  Submit();
  gavel::v1::WithdrawInitiative cmd;
  cmd.set_initiative_id("ini-1");
  EXPECT_TRUE(Rejected(Try(cmd, "spo"), kReasonRequired, "reason"));
  cmd.set_reason("merged into ini-7");
  EXPECT_TRUE(Rejected(Try(cmd, "bo"), kNotTheSponsor));
  absl::StatusOr<InitiativeDecision> by_submitter =
      Decide(state_, cmd, Ctx("sub"));
  ASSERT_TRUE(by_submitter.ok());
  EXPECT_TRUE(by_submitter->pool_events.empty());  // Nothing reserved yet.
  Events events = Accept(cmd, "spo");
  EXPECT_EQ(events[0].withdrawn().withdrawn_by(), "spo");
  EXPECT_TRUE(state_.withdrawal.has_value());
}

TEST_F(InitiativeTest, CloseNeedsEveryGatePassed) {
  Submit();
  gavel::v1::CloseInitiative cmd;
  cmd.set_initiative_id("ini-1");
  cmd.set_handover_summary("Run by store operations");
  EXPECT_TRUE(Rejected(Try(cmd), kMissingField, "bau_owner"));
  cmd.set_bau_owner("ops-lead");
  EXPECT_TRUE(Rejected(Try(cmd), kLifecycleIncomplete));
  model_.reset();
  EXPECT_TRUE(Rejected(Try(cmd), kLifecycleModelNotFound));
}

TEST_F(InitiativeTest, ClosingOnHoldOrWithOpenConditionsIsRefused) {
  Submit();
  gavel::v1::CloseInitiative cmd;
  cmd.set_handover_summary("Run by store operations");
  cmd.set_bau_owner("ops-lead");
  // Facts as Evolve sees them: every gate passed, G4 with a condition.
  for (const gavel::v1::Gate& gate : model_->gates) {
    gavel::v1::InitiativeEvent decided;
    gavel::v1::GateDecided* d = decided.mutable_gate_decided();
    d->set_gate_id(gate.gate_id());
    d->set_outcome(gate.gate_id() == "G4"
                       ? gavel::v1::GATE_OUTCOME_CONDITIONAL_GO
                       : gavel::v1::GATE_OUTCOME_GO);
    if (gate.gate_id() == "G4") {
      *d->add_conditions() = MakeCondition("c-1", MakeDate(2025, 2, 1));
    }
    state_ = Evolve(std::move(state_), decided);
  }
  EXPECT_TRUE(Rejected(Try(cmd), kConditionsOpen));
  gavel::v1::InitiativeEvent hold;
  hold.mutable_gate_decided()->set_outcome(gavel::v1::GATE_OUTCOME_HOLD);
  InitiativeState held = Evolve(state_, hold);
  EXPECT_TRUE(Rejected(DecideEvents(held, cmd, Ctx("pmo")).status(),
                       kInitiativeOnHold));
  gavel::v1::SatisfyCondition satisfy;
  satisfy.set_condition_id("c-1");
  *satisfy.mutable_satisfied_on() = MakeDate(2025, 1, 15);
  satisfy.set_evidence("DPO letter");
  Accept(satisfy);
  Events events = Accept(cmd, "pmo");
  EXPECT_EQ(events[0].closed().closed_by(), "pmo");
  EXPECT_EQ(state_.status, InitiativeStatus::kClosed);
}

// ---------------------------------------------------------------------------
// Evolve, equality and views
// ---------------------------------------------------------------------------

TEST_F(InitiativeTest, EvolveCountsEveryEventIncludingAnEmptyOne) {
  Submit();
  InitiativeState before = state_;
  InitiativeState after = Evolve(state_, gavel::v1::InitiativeEvent());
  EXPECT_EQ(after.version, before.version + 1);
  after.version = before.version;
  EXPECT_EQ(after, before);
}

TEST_F(InitiativeTest, EqualityLooksAtEveryPart) {
  Submit();
  Accept(BenefitCommand());
  InitiativeState copy = state_;
  EXPECT_EQ(copy, state_);
  copy.benefits[0].registration.set_target(1501);
  EXPECT_NE(copy, state_);
  copy = state_;
  copy.scoring.scores.push_back({"value", "s1", 3});
  EXPECT_NE(copy, state_);
  copy = state_;
  copy.priority = gavel::v1::PRIORITY_LOW;
  EXPECT_NE(copy, state_);
}

TEST_F(InitiativeTest, ViewOfTellsOtherInitiativesWhetherItIsTerminal) {
  Submit();
  EXPECT_EQ(ViewOf(state_).initiative_id, "ini-1");
  EXPECT_FALSE(ViewOf(state_).terminal);
  EXPECT_FALSE(IsTerminal(InitiativeStatus::kOnHold));
  EXPECT_TRUE(IsTerminal(InitiativeStatus::kKilled));
  EXPECT_TRUE(IsTerminal(InitiativeStatus::kWithdrawn));
  EXPECT_TRUE(IsTerminal(InitiativeStatus::kClosed));
}

}  // namespace
}  // namespace gavel::domain::test
