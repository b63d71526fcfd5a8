#include "tools/demo_portfolio.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/demo_timeline.h"

namespace gavel::tools {
namespace demo {

Calendar::Calendar(absl::CivilDay today)
    : first_(absl::CivilMonth(today) - kHistoryMonths), today_(today) {}

absl::CivilDay Calendar::Day(int month, int day) const {
  const absl::CivilMonth m = first_ + month;
  return absl::CivilDay(m.year(), m.month(), day);
}

absl::CivilDay Calendar::Meeting(const std::string& board, int month) const {
  return Day(month, board == kExecBoard ? 10 : 20);
}

std::string Calendar::CycleId(const std::string& board, int month) const {
  const absl::CivilMonth m = first_ + month;
  return absl::StrFormat("%s-%04d-%02d", board, m.year(), m.month());
}

absl::CivilDay Calendar::HeldOn(const std::string& board, int month) const {
  return Meeting(board, month) + (month % 5 == 4 ? 2 : 0);
}

bool Calendar::Held(const std::string& board, int month) const {
  return HeldOn(board, month) < today_;
}

gavel::v1::Command& Timeline::At(absl::CivilDay day, Stage stage) {
  entries_.push_back({day, stage, entries_.size(), {}});
  return entries_.back().command;
}

std::vector<gavel::v1::Command> Timeline::Sorted() const {
  std::vector<const Entry*> order;
  order.reserve(entries_.size());
  for (const Entry& entry : entries_) order.push_back(&entry);
  std::sort(order.begin(), order.end(), [](const Entry* a, const Entry* b) {
    return std::make_tuple(a->day, a->stage, a->seq) <
           std::make_tuple(b->day, b->stage, b->seq);
  });
  std::vector<gavel::v1::Command> commands;
  commands.reserve(order.size());
  for (const Entry* entry : order) commands.push_back(entry->command);
  return commands;
}

int Pick(std::mt19937_64& rng, int lo, int hi) {
  return lo + static_cast<int>(rng() % static_cast<uint64_t>(hi - lo + 1));
}

gavel::v1::Date ToDate(absl::CivilDay day) {
  gavel::v1::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

gavel::v1::Money Eur(int64_t euros) {
  gavel::v1::Money money;
  money.set_minor_units(euros * 100);
  money.set_currency("EUR");
  return money;
}

namespace {

struct ObjectiveSpec {
  const char* id;
  const char* title;
  gavel::v1::Horizon horizon;
  const char* owner;
  const char* measure_id;
  const char* measure_name;
  const char* unit;
  gavel::v1::Direction direction;
  int64_t baseline;
  int64_t target;
  const char* source;
};

constexpr ObjectiveSpec kObjectives[] = {
    {"growth", "Grow recurring revenue 25% by 2028",
     gavel::v1::HORIZON_THREE_YEARS, "cfo.maria.keller", "arr",
     "Annual recurring revenue", "kEUR", gavel::v1::DIRECTION_INCREASE, 48000,
     60000, "finance cube"},
    {"cost", "Cut the cost to serve by 15%", gavel::v1::HORIZON_THREE_YEARS,
     "coo.priya.nair", "cost-to-serve", "Annual cost to serve", "kEUR",
     gavel::v1::DIRECTION_DECREASE, 32000, 27200, "controlling"},
    {"compliance", "Close every open regulatory finding",
     gavel::v1::HORIZON_ONE_YEAR, "cfo.maria.keller", "open-findings",
     "Open audit and regulator findings", "findings",
     gavel::v1::DIRECTION_DECREASE, 42, 0, "GRC register"},
    {"cx", "Become our customers' easiest supplier to deal with",
     gavel::v1::HORIZON_THREE_YEARS, "cco.tom.walsh", "nps",
     "Net promoter score", "points", gavel::v1::DIRECTION_INCREASE, 18, 35,
     "quarterly NPS survey"},
    {"people", "Keep and grow the people we need",
     gavel::v1::HORIZON_FIVE_YEARS, "cco.tom.walsh", "attrition",
     "Regretted attrition", "%", gavel::v1::DIRECTION_DECREASE, 12, 8,
     "HR analytics"},
};

void AddObjectives(const Calendar& calendar,
                   std::vector<gavel::v1::Command>& out) {
  for (const ObjectiveSpec& spec : kObjectives) {
    gavel::v1::DefineObjective* objective =
        out.emplace_back().mutable_define_objective();
    objective->set_objective_id(spec.id);
    objective->set_title(spec.title);
    objective->set_horizon(spec.horizon);
    objective->set_owner(spec.owner);
    gavel::v1::AddSuccessMeasure* measure =
        out.emplace_back().mutable_add_success_measure();
    measure->set_objective_id(spec.id);
    measure->set_measure_id(spec.measure_id);
    measure->set_name(spec.measure_name);
    measure->set_unit(spec.unit);
    measure->set_direction(spec.direction);
    measure->set_baseline(spec.baseline);
    *measure->mutable_baseline_date() = ToDate(calendar.Day(-1, 1));
    measure->set_source(spec.source);
    gavel::v1::SetMeasureTarget* target =
        out.emplace_back().mutable_set_measure_target();
    target->set_objective_id(spec.id);
    target->set_measure_id(spec.measure_id);
    target->set_target(spec.target);
    *target->mutable_target_date() =
        ToDate(calendar.Day(kHistoryMonths + 24, 1));
  }
}

void AddBoard(const DemoOptions& options, const Calendar& calendar,
              const std::string& id, std::vector<gavel::v1::Command>& out) {
  const bool exec = id == kExecBoard;
  gavel::v1::CharterBoard* board = out.emplace_back().mutable_charter_board();
  board->set_board_id(id);
  board->set_name(exec ? "Executive investment board"
                       : "Portfolio delivery board");
  gavel::v1::BoardMember* chair = board->add_members();
  chair->set_principal(options.chair);
  chair->set_role(gavel::v1::MEMBER_ROLE_CHAIR);
  const std::vector<std::string>& members =
      exec ? ExecMembers() : DeliveryMembers();
  for (const std::string& principal : members) {
    gavel::v1::BoardMember* member = board->add_members();
    member->set_principal(principal);
    member->set_role(gavel::v1::MEMBER_ROLE_VOTING);
  }
  gavel::v1::BoardMember* advisor = board->add_members();
  advisor->set_principal(exec ? "pmo.sara.lind" : "arch.ken.ito");
  advisor->set_role(gavel::v1::MEMBER_ROLE_ADVISORY);
  board->set_quorum(exec ? 3 : 2);
  board->set_decision_rule(exec ? gavel::v1::DECISION_RULE_MAJORITY
                                : gavel::v1::DECISION_RULE_CHAIR);
  gavel::v1::BoardMandate* mandate = board->mutable_mandate();
  for (const char* gate : exec ? std::vector<const char*>{"G2", "G3", "G4"}
                               : std::vector<const char*>{"G0", "G1"}) {
    mandate->add_gate_ids(gate);
  }
  *mandate->mutable_budget_ceiling() = Eur(exec ? 25000000 : 500000);
  mandate->set_approves_frameworks(exec);
  board->mutable_decision_latency_sla()->set_seconds((exec ? 14 : 7) * 86400);
  board->set_cadence(gavel::v1::CADENCE_MONTHLY);
  // Each voting member's standing proxy: the chair records their votes.
  const absl::CivilDay until = calendar.today() + 2 * 365;
  for (const std::string& principal : members) {
    gavel::v1::DelegateAuthority* proxy =
        out.emplace_back().mutable_delegate_authority();
    proxy->set_board_id(id);
    proxy->set_delegation_id(absl::StrCat("proxy-", principal));
    proxy->set_delegator(principal);
    proxy->set_delegate(options.chair);
    proxy->mutable_valid_until()->set_seconds(
        (until - absl::CivilDay(1970, 1, 1)) * 86400);
    proxy->set_reason(
        "standing proxy: the chair records the member's vote as cast in "
        "the meeting");
  }
}

void AddPools(const Calendar& calendar, std::vector<gavel::v1::Command>& out) {
  struct PoolSpec {
    const char* id;
    const char* name;
    gavel::v1::PoolKind kind;
    const char* skill;
    int supply;
  };
  constexpr PoolSpec kPools[] = {
      {"engineering", "Software engineering", gavel::v1::POOL_KIND_SKILL,
       "software engineering", 360},
      {"data", "Data and analytics", gavel::v1::POOL_KIND_SKILL,
       "data engineering", 120},
      {"change", "Business change", gavel::v1::POOL_KIND_ORG_UNIT,
       "transformation office", 140},
  };
  for (const PoolSpec& spec : kPools) {
    gavel::v1::DefineCapacityPool* pool =
        out.emplace_back().mutable_define_capacity_pool();
    pool->set_pool_id(spec.id);
    pool->set_name(spec.name);
    pool->set_kind(spec.kind);
    pool->set_skill_or_unit(spec.skill);
    pool->set_unit_of_measure("person-days");
    pool->set_granularity(gavel::v1::PERIOD_GRANULARITY_MONTH);
    for (int month = 0; month < kHistoryMonths + 18; ++month) {
      gavel::v1::PeriodAmount* supply = pool->add_supply();
      *supply->mutable_period_start() = ToDate(calendar.Day(month, 1));
      supply->set_amount(spec.supply);
    }
  }
  gavel::v1::AdjustCapacity* hiring =
      out.emplace_back().mutable_adjust_capacity();
  hiring->set_pool_id("data");
  *hiring->mutable_period_start() = ToDate(calendar.Day(kHistoryMonths + 2, 1));
  hiring->set_supply(150);
  hiring->set_reason("three data engineers join after the hiring round");
}

void AddServiceLevels(std::vector<gavel::v1::Command>& out) {
  auto level = [&out](const char* id, const char* name,
                      gavel::v1::ServiceMetric metric, const char* board) {
    gavel::v1::DefineServiceLevel* sl =
        out.emplace_back().mutable_define_service_level();
    sl->set_pmo_id(kPmo);
    sl->set_service_level_id(id);
    sl->set_name(name);
    sl->set_metric(metric);
    sl->set_percentile_bp(9000);
    sl->mutable_scope()->set_board_id(board);
    return sl;
  };
  level("intake-30d", "90% of submissions get a G0 decision within 30 days",
        gavel::v1::SERVICE_METRIC_INTAKE_LATENCY, "")
      ->mutable_max_latency()
      ->set_seconds(30 * 86400);
  level("exec-decisions-14d",
        "90% of executive gate reviews decided within 14 days",
        gavel::v1::SERVICE_METRIC_GATE_DECISION_LATENCY, kExecBoard)
      ->mutable_max_latency()
      ->set_seconds(14 * 86400);
  level("delivery-decisions-7d",
        "90% of delivery gate reviews decided within 7 days",
        gavel::v1::SERVICE_METRIC_GATE_DECISION_LATENCY, kDeliveryBoard)
      ->mutable_max_latency()
      ->set_seconds(7 * 86400);
  level("conditions-on-time", "80% of gate conditions closed on time",
        gavel::v1::SERVICE_METRIC_CONDITIONS_CLOSED_ON_TIME, "")
      ->set_min_value(8000);
  level("satisfaction", "Stakeholders rate the PMO 3.5 of 5 or better",
        gavel::v1::SERVICE_METRIC_STAKEHOLDER_SATISFACTION, "")
      ->set_min_value(350);
}

// Two boards' monthly cycles over the history and the next month: kinds,
// a benefits review item every quarter (some deferred to the next cycle),
// the framework's approval in the first executive cycle, closing with the
// day held, and stakeholder feedback afterwards.
void AddCycles(const Calendar& calendar, std::mt19937_64& rng,
               Timeline& timeline) {
  for (const std::string board : {kExecBoard, kDeliveryBoard}) {
    const bool exec = board == kExecBoard;
    for (int month = 0; month <= kHistoryMonths + 1; ++month) {
      const std::string id = calendar.CycleId(board, month);
      const absl::CivilDay meeting = calendar.Meeting(board, month);
      gavel::v1::ScheduleCycle* cycle =
          timeline.At(calendar.Day(month - 1, 1), Stage::kPlan)
              .mutable_schedule_cycle();
      cycle->set_cycle_id(id);
      cycle->set_board_id(board);
      const bool quarterly = month % 3 == 2;
      cycle->set_kind(exec && quarterly ? gavel::v1::CYCLE_KIND_VALUE_DISCUSSION
                      : !exec && month % 6 == 5
                          ? gavel::v1::CYCLE_KIND_ALIGNMENT_CHECKPOINT
                          : gavel::v1::CYCLE_KIND_PORTFOLIO_REVIEW);
      *cycle->mutable_scheduled_on() = ToDate(meeting);
      cycle->set_title(absl::StrCat(
          exec ? "Executive investment board " : "Portfolio delivery board ",
          id.substr(id.size() - 7)));
      if (exec && quarterly && month <= kHistoryMonths) {
        gavel::v1::AddAgendaItem* item =
            timeline.At(meeting - 5, Stage::kWork).mutable_add_agenda_item();
        item->set_cycle_id(id);
        item->set_item_id("benefits-review");
        item->set_kind(gavel::v1::AGENDA_ITEM_KIND_BENEFITS_REVIEW);
        item->set_title("Quarterly benefits realisation review");
        if (Pick(rng, 0, 1) == 0 && calendar.Held(board, month)) {
          gavel::v1::DeferAgendaItem* defer =
              timeline.At(meeting, Stage::kVote).mutable_defer_agenda_item();
          defer->set_cycle_id(id);
          defer->set_item_id("benefits-review");
          defer->set_to_cycle_id(calendar.CycleId(board, month + 1));
          defer->set_reason("the meeting ran out of time; carried over");
        }
      }
      if (!calendar.Held(board, month)) continue;
      const absl::CivilDay held_on = calendar.HeldOn(board, month);
      gavel::v1::CloseCycle* close =
          timeline.At(held_on, Stage::kClose).mutable_close_cycle();
      close->set_cycle_id(id);
      *close->mutable_held_on() = ToDate(held_on);
      close->set_summary("minutes approved by the chair");
      const int responses = Pick(rng, 1, 2);
      const std::vector<std::string>& members =
          exec ? ExecMembers() : DeliveryMembers();
      const int first = Pick(rng, 0, static_cast<int>(members.size()) - 1);
      for (int r = 0; r < responses; ++r) {
        gavel::v1::RecordStakeholderFeedback* feedback =
            timeline.At(meeting + 3, Stage::kAfter)
                .mutable_record_stakeholder_feedback();
        feedback->set_pmo_id(kPmo);
        feedback->set_respondent(members[(first + r) % members.size()]);
        feedback->set_respondent_role(gavel::v1::RESPONDENT_ROLE_BOARD_MEMBER);
        feedback->set_cycle_id(id);
        const int score = Pick(rng, 2, 5) + (month > 12 ? 0 : -1);
        feedback->set_score(std::clamp(score, 1, 5));
        feedback->set_comment(score >= 4 ? "papers on time, clear asks"
                                         : "too many items without a clear "
                                           "recommendation");
      }
    }
  }
  // The framework, drafted by the PMO and approved in the first executive
  // cycle.
  gavel::v1::DraftFramework* draft =
      timeline.At(calendar.Day(0, 2), Stage::kWork).mutable_draft_framework();
  draft->set_framework_id(kFramework);
  draft->set_name("Strategic value scorecard");
  draft->set_description(
      "Five weighted criteria, each scored 1 (little) to 5 (decisive)");
  draft->set_method(gavel::v1::FRAMEWORK_METHOD_WEIGHTED_CRITERIA);
  struct CriterionSpec {
    const char* id;
    const char* name;
    int weight_bp;
  };
  constexpr CriterionSpec kCriteria[] = {
      {"strategic-alignment", "Strategic alignment", 3000},
      {"financial-benefit", "Financial benefit", 2500},
      {"risk-reduction", "Risk reduction", 1500},
      {"regulatory-compliance", "Regulatory compliance", 1500},
      {"operational-efficiency", "Operational efficiency", 1500},
  };
  for (const CriterionSpec& spec : kCriteria) {
    gavel::v1::Criterion* criterion = draft->add_criteria();
    criterion->set_criterion_id(spec.id);
    criterion->set_name(spec.name);
    criterion->set_scale_min(1);
    criterion->set_scale_max(5);
    criterion->set_polarity(gavel::v1::POLARITY_HIGHER_IS_BETTER);
    criterion->set_weight_bp(spec.weight_bp);
  }
  const std::string first = calendar.CycleId(kExecBoard, 0);
  gavel::v1::AddAgendaItem* item =
      timeline.At(calendar.Day(0, 3), Stage::kWork).mutable_add_agenda_item();
  item->set_cycle_id(first);
  item->set_item_id("framework-approval");
  item->set_kind(gavel::v1::AGENDA_ITEM_KIND_FRAMEWORK_APPROVAL);
  item->set_title("Approve the strategic value scorecard");
  item->set_framework_id(kFramework);
  gavel::v1::ApproveFramework* approve =
      timeline.At(calendar.Meeting(kExecBoard, 0), Stage::kDecide)
          .mutable_approve_framework();
  approve->set_framework_id(kFramework);
  approve->set_version(1);
  approve->mutable_decision()->set_board_id(kExecBoard);
  approve->mutable_decision()->set_cycle_id(first);
  approve->mutable_decision()->set_agenda_item_id("framework-approval");
}

}  // namespace
}  // namespace demo

std::vector<DemoPhase> DemoPortfolio(const DemoOptions& options) {
  const demo::Calendar calendar(options.today);
  std::mt19937_64 rng(options.seed);
  DemoPhase reference{"reference", {}, ""};
  demo::AddObjectives(calendar, reference.commands);
  demo::AddBoard(options, calendar, demo::kExecBoard, reference.commands);
  demo::AddBoard(options, calendar, demo::kDeliveryBoard, reference.commands);
  demo::AddPools(calendar, reference.commands);
  demo::AddServiceLevels(reference.commands);

  demo::Timeline timeline;
  demo::AddCycles(calendar, rng, timeline);
  demo::AddInitiatives(options, calendar, rng, timeline);
  DemoPhase history{"history", timeline.Sorted(), ""};

  // The plan: a budget of 45 % of the portfolio's estimated cost, in one
  // period (earlier spending counts against the first period), over every
  // scored, active initiative.
  int64_t estimated = 0;
  for (const gavel::v1::Command& command : history.commands) {
    if (command.has_submit_initiative()) {
      estimated += command.submit_initiative().cost_estimate().minor_units();
    }
  }
  DemoPhase plan{"plan", {}, kDemoPlanId};
  gavel::v1::CreateScenario* scenario =
      plan.commands.emplace_back().mutable_create_scenario();
  scenario->set_plan_id(kDemoPlanId);
  scenario->set_name("Next twelve months");
  scenario->set_horizon(gavel::v1::HORIZON_ONE_YEAR);
  scenario->set_currency("EUR");
  gavel::v1::PeriodAmount* budget = scenario->add_budget();
  budget->mutable_period_start()->set_year(options.today.year());
  budget->mutable_period_start()->set_month(options.today.month());
  budget->mutable_period_start()->set_day(1);
  budget->set_amount(estimated * 45 / 100);
  DemoPhase publish{"publish", {}, ""};
  gavel::v1::PublishPlan* adopt =
      publish.commands.emplace_back().mutable_publish_plan();
  adopt->set_plan_id(kDemoPlanId);
  adopt->mutable_decision()->set_board_id(demo::kExecBoard);
  return {std::move(reference), std::move(history), std::move(plan),
          std::move(publish)};
}

std::string DemoCommandId(uint64_t seed, const std::string& phase_name,
                          size_t index) {
  return absl::StrCat("demo-s", seed, "-", phase_name, "-", index);
}

}  // namespace gavel::tools
