// The demo's 40 initiatives: a catalogue of what a mid-size company's
// business units propose, each assigned (by the seed) one of the stories
// below, then written out as dated commands.
#include <algorithm>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tools/demo_timeline.h"

namespace gavel::tools::demo {
namespace {

using gavel::v1::GateOutcome;

struct InitiativeSpec {
  const char* id;
  const char* title;
  const char* unit;
  const char* objective;
  const char* problem;
};

constexpr InitiativeSpec kCatalogue[] = {
    {"crm-consolidation", "Consolidate three CRMs into one", "sales", "growth",
     "Three CRMs, no single view of the customer"},
    {"partner-portal", "Self-service partner portal", "sales", "growth",
     "Partners order by e-mail and wait days for quotes"},
    {"pricing-engine", "Dynamic pricing engine", "sales", "growth",
     "Prices are set yearly in spreadsheets"},
    {"ecommerce-replatform", "Re-platform the web shop", "marketing", "growth",
     "The shop's platform is out of support next year"},
    {"loyalty-program", "Customer loyalty programme", "marketing", "cx",
     "Repeat purchase rate lags the market"},
    {"marketing-automation", "Marketing automation suite", "marketing",
     "growth", "Campaigns are built by hand, one list at a time"},
    {"warehouse-robotics", "Warehouse picking robots", "operations", "cost",
     "Picking is the largest cost in the warehouse"},
    {"route-optimisation", "Delivery route optimisation", "operations", "cost",
     "Vans drive 18% more kilometres than needed"},
    {"predictive-maintenance", "Predictive maintenance for the fleet",
     "operations", "cost", "Unplanned breakdowns stop deliveries"},
    {"supplier-portal", "Supplier onboarding portal", "operations", "cost",
     "Onboarding a supplier takes six weeks of e-mail"},
    {"demand-forecasting", "Machine-learning demand forecasting", "operations",
     "cost", "Stock-outs and overstock at the same time"},
    {"erp-upgrade", "ERP upgrade to the current release", "finance", "cost",
     "Our ERP release leaves mainstream support"},
    {"invoice-automation", "Accounts payable invoice automation", "finance",
     "cost", "Invoices are keyed in by hand"},
    {"treasury-system", "Treasury management system", "finance", "compliance",
     "Cash positions are known a day late"},
    {"ifrs17-reporting", "Regulatory reporting (IFRS 17)", "finance",
     "compliance", "The regulator asks for a new reporting standard"},
    {"expense-tool", "Travel and expense tool", "finance", "cost",
     "Expense claims take three weeks to reimburse"},
    {"cloud-migration", "Migrate the data centre to the cloud", "it", "cost",
     "The data centre lease ends in two years"},
    {"zero-trust", "Zero-trust network access", "it", "compliance",
     "The last penetration test found lateral movement"},
    {"data-platform", "Enterprise data platform", "it", "growth",
     "Every report is built from its own extract"},
    {"identity-management", "Identity and access management", "it",
     "compliance", "Leavers keep access for weeks"},
    {"service-desk", "IT service desk replacement", "it", "cx",
     "Tickets are lost between two tools"},
    {"api-gateway", "Public API gateway", "it", "growth",
     "Partners integrate through file drops"},
    {"backup-modernisation", "Backup and recovery modernisation", "it",
     "compliance", "A restore test failed last year"},
    {"contact-centre", "Cloud contact centre", "customer-service", "cx",
     "Callers wait eleven minutes on average"},
    {"chatbot", "Customer service chatbot", "customer-service", "cx",
     "Half the calls ask where an order is"},
    {"complaints-tracking", "Complaints tracking", "customer-service",
     "compliance", "Complaints are not tracked to closure"},
    {"field-service-app", "Field service mobile app", "customer-service", "cx",
     "Engineers print their job sheets"},
    {"customer-portal", "Customer self-service portal", "customer-service",
     "cx", "Customers cannot see their own invoices"},
    {"hr-core", "Core HR system replacement", "hr", "people",
     "Four HR systems, none of them the master"},
    {"learning-platform", "Learning platform", "hr", "people",
     "Training is booked by e-mail and never measured"},
    {"recruiting-ats", "Applicant tracking system", "hr", "people",
     "Hiring takes 70 days"},
    {"workforce-planning", "Workforce planning", "hr", "people",
     "Headcount plans live in 40 spreadsheets"},
    {"gdpr-retention", "Personal data retention clean-up", "compliance",
     "compliance", "Personal data is kept beyond its retention period"},
    {"aml-monitoring", "Anti-money-laundering monitoring", "compliance",
     "compliance", "Transaction monitoring is manual sampling"},
    {"policy-management", "Policy management system", "compliance",
     "compliance", "Nobody knows which policy version is current"},
    {"esg-reporting", "ESG reporting (CSRD)", "compliance", "compliance",
     "CSRD reporting becomes mandatory"},
    {"contract-lifecycle", "Contract lifecycle management", "finance", "cost",
     "Contracts renew silently"},
    {"product-analytics", "Product analytics", "marketing", "growth",
     "We do not know which features customers use"},
    {"mobile-app", "Customer mobile app", "marketing", "cx",
     "Competitors' apps rate 4.6, ours 2.9"},
    {"energy-monitoring", "Energy monitoring in warehouses", "operations",
     "cost", "Energy costs doubled in two years"},
};

enum class Story {
  kSubmitted,       // submitted and linked, not yet scored
  kScored,          // scorecard locked, no review yet
  kInReviewG0,      // G0 requested for next month's cycle
  kInReviewG2,      // G0, G1 passed; G2 requested for next month's cycle
  kApprovedG1,      // business case approved, awaiting investment
  kDelivering,      // G2 go: budget and capacity, delivery facts
  kConditionsMet,   // G2 conditional go, conditions satisfied
  kConditionsOpen,  // G2 conditional go, conditions still open
  kHold,            // G1 hold
  kHoldReleased,    // G1 hold, released, then go through G2
  kRecycled,        // G1 recycle, reworked, then go through G2
  kKilledAtG0,
  kKilledAtG2,
  kWithdrawn,  // G0 go, then withdrawn by its sponsor
  kLive,       // through G3 (go-live), benefits measured
  kClosed,     // through G4, handed over into BAU
};

// How many initiatives live each story (40 in all), and the months their
// submission may fall in so that the story ends inside the history.
struct StoryPlan {
  Story story;
  int count;
  int first_month;
  int last_month;
};

constexpr StoryPlan kStories[] = {
    {Story::kClosed, 4, 1, 9},           {Story::kLive, 3, 6, 13},
    {Story::kDelivering, 6, 8, 18},      {Story::kConditionsMet, 3, 8, 17},
    {Story::kConditionsOpen, 2, 19, 21}, {Story::kApprovedG1, 3, 19, 22},
    {Story::kHold, 1, 12, 21},           {Story::kHoldReleased, 1, 6, 17},
    {Story::kRecycled, 2, 6, 17},        {Story::kKilledAtG0, 2, 2, 22},
    {Story::kKilledAtG2, 2, 2, 20},      {Story::kWithdrawn, 1, 2, 21},
    {Story::kSubmitted, 3, 22, 23},      {Story::kScored, 3, 21, 23},
    {Story::kInReviewG0, 2, 23, 23},     {Story::kInReviewG2, 2, 20, 22},
};

constexpr int kLastMonth = kHistoryMonths - 1;  // last whole month

struct Objective {
  const char* measure;
  const char* unit;
  int64_t baseline;
  int64_t delta;  // an initiative's share of the objective's target
};

Objective ObjectiveOf(const std::string& id) {
  if (id == "growth") return {"arr", "kEUR", 48000, 1500};
  if (id == "cost") return {"cost-to-serve", "kEUR", 32000, -600};
  if (id == "compliance") return {"open-findings", "findings", 42, -6};
  if (id == "cx") return {"nps", "points", 18, 4};
  return {"attrition", "%", 12, -1};
}

// The executive member a unit's initiatives conflict with (recusal).
std::string ConflictedMember(const std::string& unit) {
  if (unit == "finance") return "cfo.maria.keller";
  if (unit == "it") return "cio.daniel.osei";
  if (unit == "operations") return "coo.priya.nair";
  if (unit == "customer-service") return "cco.tom.walsh";
  return "";
}

std::string Sponsor(const std::string& unit) {
  if (unit == "sales") return "jonas.berg";
  if (unit == "marketing") return "lea.martin";
  if (unit == "operations") return "ravi.kumar";
  if (unit == "finance") return "anna.schmidt";
  if (unit == "it") return "marc.dubois";
  if (unit == "customer-service") return "sofia.rossi";
  if (unit == "hr") return "noah.jensen";
  return "ines.garcia";
}

// One initiative's life, written out in date order.
class Life {
 public:
  Life(const DemoOptions& options, const Calendar& calendar,
       std::mt19937_64& rng, Timeline& timeline, const InitiativeSpec& spec,
       int start)
      : options_(options),
        calendar_(calendar),
        rng_(rng),
        timeline_(timeline),
        spec_(spec),
        id_(spec.id),
        start_(start),
        objective_(ObjectiveOf(spec.objective)),
        estimate_keur_(Pick(rng, 3, 80) * 50) {}

  void Submit(int g2_month, bool killed) {
    killed_ = killed;
    g2_ = g2_month;
    gavel::v1::SubmitInitiative* cmd =
        Add(calendar_.Day(start_, 2), Stage::kWork).mutable_submit_initiative();
    cmd->set_initiative_id(id_);
    cmd->set_title(spec_.title);
    cmd->set_problem_statement(spec_.problem);
    cmd->set_business_unit(spec_.unit);
    cmd->set_sponsor(Sponsor(spec_.unit));
    *cmd->mutable_cost_estimate() = Eur(estimate_keur_ * 1000);
    for (const char* pool : {"engineering", "data", "change"}) {
      if (std::string(pool) == "data" && Pick(rng_, 0, 1) == 0) continue;
      gavel::v1::CapacityDemand* demand = cmd->add_capacity_demand();
      demand->set_pool_id(pool);
      for (int m = 1; m <= 4; ++m) {
        gavel::v1::PeriodAmount* amount = demand->add_amounts();
        *amount->mutable_period_start() = ToDate(calendar_.Day(g2_ + m, 1));
        amount->set_amount(std::string(pool) == "engineering"
                               ? Pick(rng_, 10, 40)
                               : Pick(rng_, 5, 15));
      }
    }
    struct MilestoneSpec {
      const char* id;
      const char* name;
      int months;
      int day;
    };
    for (const MilestoneSpec& m :
         {MilestoneSpec{"design", "Design signed off", 2, 15},
          MilestoneSpec{"pilot", "Pilot live", 4, 15},
          MilestoneSpec{"rollout", "Rolled out to every site", 7, 28}}) {
      gavel::v1::Milestone* milestone = cmd->add_milestones();
      milestone->set_milestone_id(m.id);
      milestone->set_name(m.name);
      *milestone->mutable_committed_date() =
          ToDate(calendar_.Day(g2_ + m.months, m.day));
      milestones_.push_back({m.id, calendar_.Day(g2_ + m.months, m.day)});
    }
    gavel::v1::LinkObjective* link =
        Add(calendar_.Day(start_, 3), Stage::kWork).mutable_link_objective();
    link->set_initiative_id(id_);
    link->set_objective_id(spec_.objective);
    link->set_primary(true);
    link->set_contribution_bp(10000);
    link->set_rationale("moves the objective's success measure directly");
  }

  // Benefit, scorers, scores, locked scorecard.
  void Prepare() {
    const absl::CivilDay day = calendar_.Day(start_, 4);
    gavel::v1::RegisterBenefit* benefit =
        Add(day, Stage::kWork).mutable_register_benefit();
    benefit->set_initiative_id(id_);
    benefit->set_benefit_id("main");
    benefit->set_name(absl::StrCat(spec_.title, ": main benefit"));
    benefit->set_objective_id(spec_.objective);
    benefit->set_measure_id(objective_.measure);
    benefit->set_unit(objective_.unit);
    benefit->set_direction(objective_.delta >= 0
                               ? gavel::v1::DIRECTION_INCREASE
                               : gavel::v1::DIRECTION_DECREASE);
    benefit->mutable_baseline()->set_value(objective_.baseline);
    *benefit->mutable_baseline()->mutable_measured_on() =
        ToDate(calendar_.Day(start_ - 1, 1));
    benefit->mutable_baseline()->set_source("PMO baseline pack");
    benefit->set_target(objective_.baseline + objective_.delta);
    *benefit->mutable_target_date() = ToDate(calendar_.Day(g2_ + 12, 1));
    benefit->set_owner(Sponsor(spec_.unit));
    gavel::v1::AssignScorers* scorers =
        Add(day + 1, Stage::kWork).mutable_assign_scorers();
    scorers->set_initiative_id(id_);
    scorers->set_framework_id(kFramework);
    scorers->add_scorers(options_.chair);
    for (const char* criterion :
         {"strategic-alignment", "financial-benefit", "risk-reduction",
          "regulatory-compliance", "operational-efficiency"}) {
      gavel::v1::ScoreCriterion* score =
          Add(day + 2, Stage::kWork).mutable_score_criterion();
      score->set_initiative_id(id_);
      score->set_criterion_id(criterion);
      score->set_value(killed_ ? Pick(rng_, 1, 2) : Pick(rng_, 2, 5));
      score->set_rationale("from the business case and the PMO's review");
    }
    Add(day + 3, Stage::kWork).mutable_lock_scorecard()->set_initiative_id(id_);
  }

  // A gate review in `board`'s cycle of `month`: requested a week before
  // the meeting, on the agenda, then (if `outcome` is set) votes and the
  // decision in the meeting; otherwise `open_votes` votes and no decision.
  void Gate(const std::string& gate, int month,
            std::optional<GateOutcome> outcome, int open_votes = 0) {
    const bool exec = gate >= "G2";
    const std::string board = exec ? kExecBoard : kDeliveryBoard;
    const std::string cycle = calendar_.CycleId(board, month);
    const absl::CivilDay meeting = calendar_.Meeting(board, month);
    ++reviews_;
    gavel::v1::RequestGateReview* request =
        Add(meeting - 7, Stage::kWork).mutable_request_gate_review();
    request->set_initiative_id(id_);
    request->set_gate_id(gate);
    request->set_board_id(board);
    request->set_cycle_id(cycle);
    gavel::v1::AddAgendaItem* item =
        Add(meeting - 6, Stage::kWork).mutable_add_agenda_item();
    item->set_cycle_id(cycle);
    item->set_item_id(absl::StrCat(id_, "-", reviews_));
    item->set_kind(gavel::v1::AGENDA_ITEM_KIND_GATE_REVIEW);
    item->set_title(absl::StrCat(gate, " review: ", spec_.title));
    item->set_initiative_id(id_);
    item->set_gate_id(gate);

    std::vector<std::string> voters = {options_.chair};
    const std::vector<std::string>& members =
        exec ? ExecMembers() : DeliveryMembers();
    const std::string conflicted = exec ? ConflictedMember(spec_.unit) : "";
    const int absent = Pick(rng_, 0, static_cast<int>(members.size()) - 1);
    for (int i = 0; i < static_cast<int>(members.size()); ++i) {
      if (members[i] == conflicted) {
        gavel::v1::RecuseMember* recuse =
            Add(meeting, Stage::kVote).mutable_recuse_member();
        recuse->set_initiative_id(id_);
        recuse->set_member(conflicted);
        recuse->set_reason(
            "conflict of interest: the sponsoring unit reports to them");
      } else if (conflicted.empty() && i == absent) {
        continue;  // sent apologies
      } else {
        voters.push_back(members[i]);
      }
    }
    if (!outcome.has_value()) {
      for (int v = 0; v < open_votes && v + 1 < static_cast<int>(voters.size());
           ++v) {
        Vote(meeting, voters[v + 1], gavel::v1::GATE_VOTE_GO);
      }
      return;
    }
    const auto in_favour = static_cast<gavel::v1::GateVote>(*outcome);
    // Everyone but one votes for the outcome; the last voter dissents
    // (or abstains) without changing it.
    for (size_t v = 0; v < voters.size(); ++v) {
      gavel::v1::GateVote vote = in_favour;
      if (v + 1 == voters.size() && voters.size() >= 4) {
        vote = Pick(rng_, 0, 1) == 0 ? gavel::v1::GATE_VOTE_ABSTAIN
               : *outcome == gavel::v1::GATE_OUTCOME_GO
                   ? gavel::v1::GATE_VOTE_CONDITIONAL_GO
                   : gavel::v1::GATE_VOTE_GO;
      }
      Vote(meeting, voters[v], vote);
    }
    gavel::v1::RecordGateDecision* decision =
        Add(meeting, Stage::kDecide).mutable_record_gate_decision();
    decision->set_initiative_id(id_);
    decision->set_outcome(*outcome);
    decision->set_rationale(Rationale(gate, *outcome));
    const bool passes = *outcome == gavel::v1::GATE_OUTCOME_GO ||
                        *outcome == gavel::v1::GATE_OUTCOME_CONDITIONAL_GO;
    if (passes && gate == "G2") {
      budget_keur_ = estimate_keur_ * Pick(rng_, 95, 105) / 100;
      *decision->mutable_budget_approved() = Eur(budget_keur_ * 1000);
      gavel::v1::ChangePriority* priority =
          Add(meeting, Stage::kDecide).mutable_change_priority();
      priority->set_initiative_id(id_);
      priority->set_to_priority(
          static_cast<gavel::v1::Priority>(Pick(rng_, 1, 4)));
      priority->set_reason("set with the investment decision");
      priority->set_board_id(board);
      priority->set_cycle_id(cycle);
    }
    if (*outcome == gavel::v1::GATE_OUTCOME_CONDITIONAL_GO) {
      gavel::v1::Condition* condition = decision->add_conditions();
      condition->set_condition_id(absl::StrCat(gate, "-security-review"));
      condition->set_description(
          "Security architecture review signed off before build starts");
      condition->set_owner("cio.daniel.osei");
      *condition->mutable_due_date() =
          ToDate(calendar_.today() + Pick(rng_, 30, 90));
    }
  }

  void SatisfyConditions(const std::string& gate, int month) {
    const absl::CivilDay day = calendar_.Day(month, 18);
    gavel::v1::SatisfyCondition* cmd =
        Add(day, Stage::kWork).mutable_satisfy_condition();
    cmd->set_initiative_id(id_);
    cmd->set_condition_id(absl::StrCat(gate, "-security-review"));
    *cmd->mutable_satisfied_on() = ToDate(day);
    cmd->set_evidence("architecture board minutes");
  }

  void ReleaseHold(int month) {
    gavel::v1::ReleaseHold* cmd =
        Add(calendar_.Day(month, 5), Stage::kWork).mutable_release_hold();
    cmd->set_initiative_id(id_);
    cmd->set_reason("the vendor's revised offer fits the budget");
  }

  // Months g2+1 .. min(last, until) of delivery: risks, costs,
  // milestones, re-forecasts.
  void Deliver(int until) {
    const int last = std::min(until, kLastMonth);
    gavel::v1::RaiseRisk* risk =
        Add(calendar_.Day(g2_, 15), Stage::kWork).mutable_raise_risk();
    risk->set_initiative_id(id_);
    risk->set_risk_id("key-people");
    risk->set_title("Key people shared with business as usual");
    risk->set_description("The two experts also run today's process");
    risk->set_probability_bp(Pick(rng_, 2, 7) * 1000);
    risk->set_impact(static_cast<gavel::v1::RiskImpact>(Pick(rng_, 2, 4)));
    risk->set_owner(Sponsor(spec_.unit));
    risk->set_mitigation("backfill from the contractor framework");
    const int64_t burn = budget_keur_ * 1000 / 7;
    for (int m = g2_ + 1; m <= std::min(last, g2_ + 7); ++m) {
      gavel::v1::ReportCost* cost =
          Add(calendar_.Day(m, 27), Stage::kWork).mutable_report_cost();
      cost->set_initiative_id(id_);
      *cost->mutable_period_start() = ToDate(calendar_.Day(m, 1));
      const int64_t amount = burn * Pick(rng_, 85, 118) / 100;
      *cost->mutable_amount() = Eur(amount);
      cost->set_category(m % 3 == 0 ? gavel::v1::COST_CATEGORY_OPEX
                                    : gavel::v1::COST_CATEGORY_CAPEX);
      cost->set_source("SAP FI, cost centre report");
      if (m == g2_ + 3) Reforecast(m, "the vendor's build estimate grew");
      if (m == g2_ + 4) {
        gavel::v1::CloseRisk* close =
            Add(calendar_.Day(m, 27), Stage::kWork).mutable_close_risk();
        close->set_initiative_id(id_);
        close->set_risk_id("key-people");
        close->set_resolution("backfill in place");
      }
      if (m == g2_ + 6 && Pick(rng_, 0, 1) == 0) {
        Reforecast(m, "pilot findings added a second rollout wave");
      }
    }
    for (const auto& [milestone, committed] : milestones_) {
      const int late = Pick(rng_, 0, 2) == 0 ? Pick(rng_, 5, 30) : 0;
      const absl::CivilDay achieved = committed + late - (late == 0 ? 2 : 0);
      if (achieved > calendar_.Day(last, 26)) continue;
      gavel::v1::AchieveMilestone* cmd =
          Add(achieved, Stage::kWork).mutable_achieve_milestone();
      cmd->set_initiative_id(id_);
      cmd->set_milestone_id(milestone);
      *cmd->mutable_achieved_on() = ToDate(achieved);
      cmd->set_evidence("steering committee minutes");
    }
  }

  void AssessBau(int month) {
    gavel::v1::AssessBauImpact* cmd =
        Add(calendar_.Day(month, 26), Stage::kWork).mutable_assess_bau_impact();
    cmd->set_initiative_id(id_);
    cmd->set_summary("Operations take over support; two roles retrained");
    *cmd->mutable_annual_run_cost() = Eur(budget_keur_ * 1000 / 10);
    cmd->add_affected_units(spec_.unit);
    cmd->add_affected_units("it");
  }

  // Benefit measurements of months from .. kLastMonth, each recorded on
  // the 5th of the month after.
  void Measure(int from) {
    const int realised = Pick(rng_, 40, 110);
    for (int m = from; m <= kLastMonth - 1; ++m) {
      gavel::v1::MeasureBenefit* cmd =
          Add(calendar_.Day(m + 1, 5), Stage::kWork).mutable_measure_benefit();
      cmd->set_initiative_id(id_);
      cmd->set_benefit_id("main");
      const int progress =
          realised * std::min(m - from + 1, 6) / 6 + Pick(rng_, -5, 5);
      cmd->set_value(objective_.baseline + objective_.delta * progress / 100);
      *cmd->mutable_period_start() = ToDate(calendar_.Day(m, 1));
      *cmd->mutable_period_end() = ToDate(calendar_.Day(m, 28));
      cmd->set_source("finance cube, monthly close");
    }
  }

  void Close(int month) {
    gavel::v1::CloseInitiative* cmd =
        Add(calendar_.Day(month, 15), Stage::kWork).mutable_close_initiative();
    cmd->set_initiative_id(id_);
    cmd->set_handover_summary(
        "handed over to the service owner with runbooks and a support "
        "contract");
    cmd->set_bau_owner(Sponsor(spec_.unit));
  }

  void Withdraw(int month) {
    gavel::v1::WithdrawInitiative* cmd =
        Add(calendar_.Day(month, 8), Stage::kWork)
            .mutable_withdraw_initiative();
    cmd->set_initiative_id(id_);
    cmd->set_reason("the sponsor's unit was merged; the need moved with it");
  }

  const std::string& id() const { return id_; }
  int start() const { return start_; }

 private:
  gavel::v1::Command& Add(absl::CivilDay day, Stage stage) {
    return timeline_.At(day, stage);
  }

  void Vote(absl::CivilDay meeting, const std::string& member,
            gavel::v1::GateVote vote) {
    gavel::v1::CastGateVote* cmd =
        Add(meeting, Stage::kVote).mutable_cast_gate_vote();
    cmd->set_initiative_id(id_);
    cmd->set_vote(vote);
    if (member != options_.chair) cmd->set_on_behalf_of(member);
    cmd->set_comment(vote == gavel::v1::GATE_VOTE_ABSTAIN
                         ? "not enough information in the pack"
                         : "as discussed in the meeting");
  }

  void Reforecast(int month, const char* reason) {
    gavel::v1::ReviseForecast* cmd =
        Add(calendar_.Day(month, 27), Stage::kWork).mutable_revise_forecast();
    cmd->set_initiative_id(id_);
    forecast_keur_ = (forecast_keur_ == 0 ? budget_keur_ : forecast_keur_) *
                     Pick(rng_, 102, 118) / 100;
    *cmd->mutable_cost_at_completion() = Eur(forecast_keur_ * 1000);
    *cmd->mutable_finish_date() =
        ToDate(calendar_.Day(g2_ + 7, 28) + Pick(rng_, 0, 60));
    gavel::v1::BenefitForecast* benefit = cmd->add_benefits();
    benefit->set_benefit_id("main");
    benefit->set_value(objective_.baseline +
                       objective_.delta * Pick(rng_, 80, 105) / 100);
    cmd->set_reason(reason);
  }

  static std::string Rationale(const std::string& gate, GateOutcome outcome) {
    switch (outcome) {
      case gavel::v1::GATE_OUTCOME_GO:
        return absl::StrCat(gate, " passed: the case is clear and aligned");
      case gavel::v1::GATE_OUTCOME_CONDITIONAL_GO:
        return absl::StrCat(gate, " passed on condition of a security review");
      case gavel::v1::GATE_OUTCOME_HOLD:
        return "on hold until the vendor's offer fits the budget";
      case gavel::v1::GATE_OUTCOME_RECYCLE:
        return "rework the business case: benefits are not quantified";
      default:
        return "stopped: the benefits do not justify the cost";
    }
  }

  const DemoOptions& options_;
  const Calendar& calendar_;
  std::mt19937_64& rng_;
  Timeline& timeline_;
  const InitiativeSpec& spec_;
  const std::string id_;
  const int start_;
  const Objective objective_;
  const int64_t estimate_keur_;
  bool killed_ = false;
  int g2_ = 0;
  int reviews_ = 0;
  int64_t budget_keur_ = 0;
  int64_t forecast_keur_ = 0;
  std::vector<std::pair<std::string, absl::CivilDay>> milestones_;
};

constexpr GateOutcome kGo = gavel::v1::GATE_OUTCOME_GO;

void Tell(Life& life, Story story) {
  const int s = life.start();
  switch (story) {
    case Story::kSubmitted:
      life.Submit(s + 3, false);
      return;
    case Story::kScored:
      life.Submit(s + 3, false);
      life.Prepare();
      return;
    case Story::kInReviewG0:
      life.Submit(s + 4, false);
      life.Prepare();
      life.Gate("G0", kHistoryMonths + 1, std::nullopt, 1);
      return;
    case Story::kInReviewG2:
      life.Submit(kHistoryMonths + 1, false);
      life.Prepare();
      life.Gate("G0", s, kGo);
      life.Gate("G1", s + 1, kGo);
      life.Gate("G2", kHistoryMonths + 1, std::nullopt, 2);
      return;
    case Story::kApprovedG1:
      life.Submit(s + 3, false);
      life.Prepare();
      life.Gate("G0", s, kGo);
      life.Gate("G1", s + 1, kGo);
      return;
    case Story::kDelivering:
    case Story::kConditionsMet:
    case Story::kConditionsOpen: {
      life.Submit(s + 2, false);
      life.Prepare();
      life.Gate("G0", s, kGo);
      life.Gate("G1", s + 1, kGo);
      const bool conditional = story != Story::kDelivering;
      life.Gate("G2", s + 2,
                conditional ? gavel::v1::GATE_OUTCOME_CONDITIONAL_GO : kGo);
      if (story == Story::kConditionsMet) {
        life.SatisfyConditions("G2", std::min(s + 3, kLastMonth));
      }
      life.Deliver(kLastMonth);
      return;
    }
    case Story::kHold:
      life.Submit(s + 2, false);
      life.Prepare();
      life.Gate("G0", s, kGo);
      life.Gate("G1", s + 1, gavel::v1::GATE_OUTCOME_HOLD);
      return;
    case Story::kHoldReleased:
    case Story::kRecycled:
      life.Submit(s + 4, false);
      life.Prepare();
      life.Gate("G0", s, kGo);
      life.Gate("G1", s + 1,
                story == Story::kHoldReleased
                    ? gavel::v1::GATE_OUTCOME_HOLD
                    : gavel::v1::GATE_OUTCOME_RECYCLE);
      if (story == Story::kHoldReleased) life.ReleaseHold(s + 2);
      life.Gate("G1", s + 3, kGo);
      life.Gate("G2", s + 4, kGo);
      life.Deliver(kLastMonth);
      return;
    case Story::kKilledAtG0:
      life.Submit(s + 2, true);
      life.Prepare();
      life.Gate("G0", s, gavel::v1::GATE_OUTCOME_KILL);
      return;
    case Story::kKilledAtG2:
      life.Submit(s + 2, true);
      life.Prepare();
      life.Gate("G0", s, kGo);
      life.Gate("G1", s + 1, kGo);
      life.Gate("G2", s + 2, gavel::v1::GATE_OUTCOME_KILL);
      return;
    case Story::kWithdrawn:
      life.Submit(s + 2, false);
      life.Prepare();
      life.Gate("G0", s, kGo);
      life.Withdraw(s + 1);
      return;
    case Story::kLive:
    case Story::kClosed: {
      life.Submit(s + 2, false);
      life.Prepare();
      life.Gate("G0", s, kGo);
      life.Gate("G1", s + 1, kGo);
      life.Gate("G2", s + 2, kGo);
      const int g3 = s + 2 + 7;
      life.Deliver(g3);
      life.AssessBau(g3 - 1);
      life.Gate("G3", g3, kGo);
      life.Measure(g3);
      if (story == Story::kClosed) {
        life.Gate("G4", g3 + 4, kGo);
        life.Close(g3 + 5);
      }
      return;
    }
  }
}

}  // namespace

void AddInitiatives(const DemoOptions& options, const Calendar& calendar,
                    std::mt19937_64& rng, Timeline& timeline) {
  // Which catalogue entry lives which story: a seeded Fisher-Yates
  // shuffle (std::shuffle differs between standard libraries). The first
  // entry always lives the first story (closed after G4), whatever the
  // seed, so that the docs can name its decisions (crm-consolidation/3 is
  // its G2 investment decision).
  std::vector<int> order(std::size(kCatalogue));
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  for (int i = static_cast<int>(order.size()) - 1; i > 1; --i) {
    std::swap(order[i], order[Pick(rng, 1, i)]);
  }
  size_t next = 0;
  std::vector<std::string> delivering;
  for (const StoryPlan& plan : kStories) {
    for (int n = 0; n < plan.count; ++n) {
      const InitiativeSpec& spec = kCatalogue[order[next++]];
      Life life(options, calendar, rng, timeline, spec,
                Pick(rng, plan.first_month, plan.last_month));
      Tell(life, plan.story);
      if (plan.story == Story::kDelivering) delivering.push_back(life.id());
    }
  }
  // One dependency between two initiatives in delivery, resolved; one
  // still open.
  for (int d = 0; d + 1 < static_cast<int>(delivering.size()) && d < 2; ++d) {
    gavel::v1::DeclareDependency* declare =
        timeline.At(calendar.Day(kLastMonth, 2), Stage::kWork)
            .mutable_declare_dependency();
    declare->set_initiative_id(delivering[d]);
    declare->set_dependency_id(absl::StrCat("needs-", delivering[d + 1]));
    declare->set_depends_on_initiative_id(delivering[d + 1]);
    declare->set_description("reuses the other initiative's integration");
    *declare->mutable_needed_by() = ToDate(calendar.Day(kHistoryMonths + 3, 1));
    if (d == 0) {
      gavel::v1::ResolveDependency* resolve =
          timeline.At(calendar.Day(kLastMonth, 21), Stage::kWork)
              .mutable_resolve_dependency();
      resolve->set_initiative_id(delivering[d]);
      resolve->set_dependency_id(absl::StrCat("needs-", delivering[d + 1]));
      resolve->set_resolution("the integration went live in the pilot");
    }
  }
}

}  // namespace gavel::tools::demo
