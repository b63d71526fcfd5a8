#include "tools/load_workload.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"

namespace gavel::tools {
namespace {

constexpr char kBoard[] = "load-board";
constexpr char kFramework[] = "load-wsjf";
constexpr char kCycle[] = "load-cycle-1";
constexpr char kPool[] = "load-pool-eng";
constexpr char kGrowth[] = "load-obj-growth";
constexpr char kCost[] = "load-obj-cost";
constexpr char kMeasure[] = "m-revenue";
constexpr char kBenefit[] = "b-revenue";
constexpr const char* kGates[] = {"G0", "G1", "G2", "G3", "G4"};

// The steps of an initiative's life, in order; after the last one it loops
// over cost reports and benefit measurements.
enum class Kind {
  kSubmit,
  kLink,
  kBenefit,
  kAssignScorers,
  kScoreValue,
  kScoreRisk,
  kLockScorecard,
  kReview,
  kVote,
  kDecide,
  kReportCost,
  kAssessBau,
  kMeasure,
};

struct Stage {
  Kind kind;
  int gate = 0;  // kReview, kVote, kDecide
  int vote = 0;  // kVote: which member
};

std::vector<Stage> Script(int votes) {
  std::vector<Stage> script = {{Kind::kSubmit},       {Kind::kLink},
                               {Kind::kBenefit},      {Kind::kAssignScorers},
                               {Kind::kScoreValue},   {Kind::kScoreRisk},
                               {Kind::kLockScorecard}};
  for (int gate = 0; gate < 5; ++gate) {
    if (gate == 3) {
      script.push_back({Kind::kReportCost});
      script.push_back({Kind::kAssessBau});
    }
    if (gate == 4) script.push_back({Kind::kMeasure});
    script.push_back({Kind::kReview, gate});
    for (int v = 0; v < votes; ++v) script.push_back({Kind::kVote, gate, v});
    script.push_back({Kind::kDecide, gate});
  }
  return script;
}

gavel::v1::Date MakeDate(int year, int month, int day) {
  gavel::v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

gavel::v1::Money Eur(int64_t minor_units) {
  gavel::v1::Money money;
  money.set_minor_units(minor_units);
  money.set_currency("EUR");
  return money;
}

gavel::v1::Criterion MakeCriterion(absl::string_view id, int min, int max,
                                   gavel::v1::Polarity polarity,
                                   int weight_bp) {
  gavel::v1::Criterion criterion;
  criterion.set_criterion_id(std::string(id));
  criterion.set_name(std::string(id));
  criterion.set_scale_min(min);
  criterion.set_scale_max(max);
  criterion.set_polarity(polarity);
  criterion.set_weight_bp(weight_bp);
  return criterion;
}

}  // namespace

ZipfDistribution::ZipfDistribution(int n, double s) {
  cdf_.reserve(std::max(n, 1));
  double sum = 0;
  for (int k = 1; k <= std::max(n, 1); ++k) {
    sum += 1.0 / std::pow(static_cast<double>(k), s);
    cdf_.push_back(sum);
  }
  for (double& c : cdf_) c /= sum;
}

int ZipfDistribution::operator()(std::mt19937_64& rng) const {
  const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  const auto it = std::lower_bound(cdf_.begin(), cdf_.end(), u);
  return std::min<int>(static_cast<int>(it - cdf_.begin()),
                       static_cast<int>(cdf_.size()) - 1);
}

LoadWorkload::LoadWorkload(const WorkloadOptions& options)
    : options_(options),
      zipf_(std::max(options.initiatives, 1), options.zipf_s),
      initiatives_(std::max(options.initiatives, 1)) {
  rank_to_index_.resize(initiatives_.size());
  for (size_t i = 0; i < rank_to_index_.size(); ++i) rank_to_index_[i] = i;
  // A fixed shuffle: the hot initiatives do not depend on --seed.
  std::mt19937_64 shuffle(0x9e3779b97f4a7c15ULL);
  std::shuffle(rank_to_index_.begin(), rank_to_index_.end(), shuffle);
}

int LoadWorkload::ChairActor() const {
  return options_.members.empty() ? 0 : 1;
}

int LoadWorkload::VotesPerReview() const {
  return options_.members.empty()
             ? 1
             : std::min<int>(2, static_cast<int>(options_.members.size()));
}

std::string LoadWorkload::InitiativeId(int index) const {
  return absl::StrCat(options_.run_prefix, "-ini-", index);
}

std::vector<WorkloadStep> LoadWorkload::SetupSteps() const {
  std::vector<WorkloadStep> steps;
  auto add = [&steps](int actor) -> gavel::v1::Command& {
    steps.emplace_back();
    steps.back().actor = actor;
    return steps.back().command;
  };
  for (const char* id : {kGrowth, kCost}) {
    gavel::v1::DefineObjective* objective = add(0).mutable_define_objective();
    objective->set_objective_id(id);
    objective->set_title(absl::StrCat("Load objective ", id));
    objective->set_horizon(gavel::v1::HORIZON_THREE_YEARS);
    objective->set_owner(options_.admin);
    gavel::v1::AddSuccessMeasure* measure =
        add(0).mutable_add_success_measure();
    measure->set_objective_id(id);
    measure->set_measure_id(kMeasure);
    measure->set_name("Recurring revenue");
    measure->set_unit("kEUR");
    measure->set_direction(gavel::v1::DIRECTION_INCREASE);
    measure->set_baseline(1000);
    *measure->mutable_baseline_date() = MakeDate(2023, 12, 1);
    measure->set_source("finance cube");
  }

  gavel::v1::CharterBoard* board = add(0).mutable_charter_board();
  board->set_board_id(kBoard);
  board->set_name("Load investment board");
  if (options_.members.empty()) {
    gavel::v1::BoardMember* member = board->add_members();
    member->set_principal(options_.admin);
    member->set_role(gavel::v1::MEMBER_ROLE_CHAIR);
    board->set_quorum(1);
  } else {
    for (size_t i = 0; i < options_.members.size(); ++i) {
      gavel::v1::BoardMember* member = board->add_members();
      member->set_principal(options_.members[i]);
      member->set_role(i == 0 ? gavel::v1::MEMBER_ROLE_CHAIR
                              : gavel::v1::MEMBER_ROLE_VOTING);
    }
    board->set_quorum(VotesPerReview());
  }
  board->set_decision_rule(gavel::v1::DECISION_RULE_MAJORITY);
  for (const char* gate : kGates) board->mutable_mandate()->add_gate_ids(gate);
  *board->mutable_mandate()->mutable_budget_ceiling() = Eur(100000000000);
  board->mutable_mandate()->set_approves_frameworks(true);
  board->mutable_decision_latency_sla()->set_seconds(14 * 86400);
  board->set_cadence(gavel::v1::CADENCE_MONTHLY);

  gavel::v1::DraftFramework* draft = add(0).mutable_draft_framework();
  draft->set_framework_id(kFramework);
  draft->set_name("Load WSJF");
  draft->set_method(gavel::v1::FRAMEWORK_METHOD_WEIGHTED_CRITERIA);
  *draft->add_criteria() =
      MakeCriterion("value", 1, 5, gavel::v1::POLARITY_HIGHER_IS_BETTER, 6000);
  *draft->add_criteria() =
      MakeCriterion("risk", 0, 10, gavel::v1::POLARITY_LOWER_IS_BETTER, 4000);
  gavel::v1::ApproveFramework* approve =
      add(ChairActor()).mutable_approve_framework();
  approve->set_framework_id(kFramework);
  approve->set_version(1);
  approve->mutable_decision()->set_board_id(kBoard);

  gavel::v1::ScheduleCycle* cycle = add(0).mutable_schedule_cycle();
  cycle->set_cycle_id(kCycle);
  cycle->set_board_id(kBoard);
  cycle->set_kind(gavel::v1::CYCLE_KIND_PORTFOLIO_REVIEW);
  *cycle->mutable_scheduled_on() = MakeDate(2030, 1, 15);
  cycle->set_title("Load portfolio review");

  gavel::v1::DefineCapacityPool* pool = add(0).mutable_define_capacity_pool();
  pool->set_pool_id(kPool);
  pool->set_name("Data engineering");
  pool->set_kind(gavel::v1::POOL_KIND_SKILL);
  pool->set_skill_or_unit("data engineering");
  pool->set_unit_of_measure("person-days");
  pool->set_granularity(gavel::v1::PERIOD_GRANULARITY_MONTH);
  for (int month = 1; month <= 12; ++month) {
    gavel::v1::PeriodAmount* supply = pool->add_supply();
    *supply->mutable_period_start() = MakeDate(2030, month, 1);
    supply->set_amount(100000000);
  }
  return steps;
}

std::optional<WorkloadStep> LoadWorkload::Next(std::mt19937_64& rng) {
  const int n = static_cast<int>(initiatives_.size());
  int index = -1;
  // A few draws from the distribution, then the first free initiative
  // after the last draw.
  for (int attempt = 0; attempt < 8 && index < 0; ++attempt) {
    const int candidate = rank_to_index_[zipf_(rng)];
    if (!initiatives_[candidate].busy) index = candidate;
  }
  if (index < 0) {
    const int start = rank_to_index_[zipf_(rng)];
    for (int i = 0; i < n && index < 0; ++i) {
      const int candidate = (start + i) % n;
      if (!initiatives_[candidate].busy) index = candidate;
    }
  }
  if (index < 0) return std::nullopt;
  initiatives_[index].busy = true;
  return Build(index, initiatives_[index]);
}

void LoadWorkload::Finish(const WorkloadStep& step, Outcome outcome) {
  if (step.initiative < 0) return;
  Initiative& initiative = initiatives_[step.initiative];
  initiative.busy = false;
  if (outcome == Outcome::kRejected && ++initiative.failures < 3) return;
  initiative.failures = 0;
  ++initiative.stage;
}

WorkloadStep LoadWorkload::Build(int index,
                                 const Initiative& initiative) const {
  static const std::vector<Stage>* const kScripts[] = {
      new std::vector<Stage>(Script(1)), new std::vector<Stage>(Script(2))};
  const std::vector<Stage>& script = *kScripts[VotesPerReview() - 1];
  Stage stage;
  int loop = 0;
  if (initiative.stage < static_cast<int>(script.size())) {
    stage = script[initiative.stage];
  } else {
    loop = initiative.stage - static_cast<int>(script.size());
    stage = {loop % 2 == 0 ? Kind::kReportCost : Kind::kMeasure};
  }
  WorkloadStep step;
  step.initiative = index;
  step.actor = 0;
  const std::string id = InitiativeId(index);
  gavel::v1::Command& command = step.command;
  switch (stage.kind) {
    case Kind::kSubmit: {
      gavel::v1::SubmitInitiative* cmd = command.mutable_submit_initiative();
      cmd->set_initiative_id(id);
      cmd->set_title(absl::StrCat("Initiative ", index));
      cmd->set_problem_statement("Manual work slows the business down");
      cmd->set_business_unit(absl::StrCat("unit-", index % 7));
      // Not the admin: a sponsor may not score their own initiative.
      cmd->set_sponsor(absl::StrCat("sponsor-", index % 13));
      *cmd->mutable_cost_estimate() = Eur(1000000 + 1000 * (index % 500));
      gavel::v1::CapacityDemand* demand = cmd->add_capacity_demand();
      demand->set_pool_id(kPool);
      for (int month : {3, 4}) {
        gavel::v1::PeriodAmount* amount = demand->add_amounts();
        *amount->mutable_period_start() = MakeDate(2030, month, 1);
        amount->set_amount(5);
      }
      gavel::v1::Milestone* milestone = cmd->add_milestones();
      milestone->set_milestone_id("ms-live");
      milestone->set_name("Live");
      *milestone->mutable_committed_date() = MakeDate(2030, 9, 1);
      break;
    }
    case Kind::kLink: {
      gavel::v1::LinkObjective* cmd = command.mutable_link_objective();
      cmd->set_initiative_id(id);
      cmd->set_objective_id(index % 2 == 0 ? kGrowth : kCost);
      cmd->set_primary(true);
      cmd->set_contribution_bp(10000);
      cmd->set_rationale("direct contribution");
      break;
    }
    case Kind::kBenefit: {
      gavel::v1::RegisterBenefit* cmd = command.mutable_register_benefit();
      cmd->set_initiative_id(id);
      cmd->set_benefit_id(kBenefit);
      cmd->set_name("Recurring revenue uplift");
      cmd->set_objective_id(index % 2 == 0 ? kGrowth : kCost);
      cmd->set_measure_id(kMeasure);
      cmd->set_unit("kEUR");
      cmd->set_direction(gavel::v1::DIRECTION_INCREASE);
      cmd->mutable_baseline()->set_value(1000);
      *cmd->mutable_baseline()->mutable_measured_on() = MakeDate(2023, 12, 1);
      cmd->mutable_baseline()->set_source("finance cube");
      cmd->set_target(1500);
      *cmd->mutable_target_date() = MakeDate(2031, 6, 30);
      cmd->set_owner(options_.admin);
      break;
    }
    case Kind::kAssignScorers: {
      gavel::v1::AssignScorers* cmd = command.mutable_assign_scorers();
      cmd->set_initiative_id(id);
      cmd->set_framework_id(kFramework);
      cmd->add_scorers(options_.admin);
      break;
    }
    case Kind::kScoreValue:
    case Kind::kScoreRisk: {
      gavel::v1::ScoreCriterion* cmd = command.mutable_score_criterion();
      cmd->set_initiative_id(id);
      const bool value = stage.kind == Kind::kScoreValue;
      cmd->set_criterion_id(value ? "value" : "risk");
      cmd->set_value(value ? 3 + index % 3 : index % 4);
      cmd->set_rationale("see the business case");
      break;
    }
    case Kind::kLockScorecard:
      command.mutable_lock_scorecard()->set_initiative_id(id);
      break;
    case Kind::kReview: {
      gavel::v1::RequestGateReview* cmd = command.mutable_request_gate_review();
      cmd->set_initiative_id(id);
      cmd->set_gate_id(kGates[stage.gate]);
      cmd->set_board_id(kBoard);
      if (stage.gate == 0) cmd->set_cycle_id(kCycle);
      break;
    }
    case Kind::kVote: {
      gavel::v1::CastGateVote* cmd = command.mutable_cast_gate_vote();
      cmd->set_initiative_id(id);
      cmd->set_vote(gavel::v1::GATE_VOTE_GO);
      cmd->set_comment("fits the strategy");
      step.actor = options_.members.empty() ? 0 : 1 + stage.vote;
      break;
    }
    case Kind::kDecide: {
      gavel::v1::RecordGateDecision* cmd =
          command.mutable_record_gate_decision();
      cmd->set_initiative_id(id);
      cmd->set_outcome(gavel::v1::GATE_OUTCOME_GO);
      cmd->set_rationale("the board weighed the business case");
      if (stage.gate == 2) *cmd->mutable_budget_approved() = Eur(2000000);
      step.actor = ChairActor();
      break;
    }
    case Kind::kReportCost: {
      gavel::v1::ReportCost* cmd = command.mutable_report_cost();
      cmd->set_initiative_id(id);
      *cmd->mutable_period_start() = MakeDate(2030, 1 + (loop / 2) % 12, 1);
      *cmd->mutable_amount() = Eur(10000 + index % 1000);
      cmd->set_category(gavel::v1::COST_CATEGORY_OPEX);
      cmd->set_source("ERP");
      break;
    }
    case Kind::kAssessBau: {
      gavel::v1::AssessBauImpact* cmd = command.mutable_assess_bau_impact();
      cmd->set_initiative_id(id);
      cmd->set_summary("Operations run it after go-live");
      *cmd->mutable_annual_run_cost() = Eur(500000);
      cmd->add_affected_units("operations");
      break;
    }
    case Kind::kMeasure: {
      gavel::v1::MeasureBenefit* cmd = command.mutable_measure_benefit();
      cmd->set_initiative_id(id);
      cmd->set_benefit_id(kBenefit);
      const int month = 1 + (loop / 2) % 12;
      cmd->set_value(1000 + loop);
      *cmd->mutable_period_start() = MakeDate(2024, month, 1);
      *cmd->mutable_period_end() = MakeDate(2024, month, 28);
      cmd->set_source("finance cube");
      break;
    }
  }
  return step;
}

}  // namespace gavel::tools
