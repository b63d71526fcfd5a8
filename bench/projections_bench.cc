// Projection figures over a generated portfolio log. Prints name=value:
//
//   projection_events                  records in the generated log
//   projection_rebuild_events_per_s    AdminService's rebuild path
//                                      (ProjectionHost::RequestRebuild of
//                                      every projection from position 0,
//                                      history snapshots included), all
//                                      three projections together
//   projection_catch_up_events_per_s   a host starting on an empty store
//   projection_rebuild_events_per_cpu_s  the rebuild per CPU second of the
//                                      process (comparable on a busy
//                                      machine; both apply threads count)
//   projection_decode_only_events_per_s  reading and decoding alone
//   as_of_query_ms                     a portfolio query as_of the middle
//                                      of the log (nearest history snapshot
//                                      + replay + ranking), mean of 5
//   as_of_query_worst_ms               the same query at the position whose
//                                      replay from the nearest history
//                                      snapshot is longest (just before a
//                                      snapshot, or the head), mean of 5
//   as_of_decisions_worst_ms           the decision history projected at
//                                      its own worst position, mean of 5
//
// The log: --events domain events (default 1,000,000) written as valid
// wrapper events into an EventLog with sync and the Merkle tree off: 20
// objectives, 10 capacity pools, 3 boards, service levels, governance
// cycles with agenda items and feedback, and thousands of initiatives
// (about 135 events each) living through submission, objective links,
// benefits, risks, scoring rounds (3 scorers x 4 criteria), priority
// changes, five gate reviews with recusals, votes and decisions (go,
// conditional go with conditions met, recycle, kill), capacity
// reservations, monthly costs, re-forecasts, milestones, benefit
// measurements and closure, interleaved 100 at a time.
#include <sys/resource.h>
#include <time.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "domain/calendar.h"
#include "projections/decision_history_projection.h"
#include "projections/governance_metrics_projection.h"
#include "projections/portfolio_projection.h"
#include "projections/projection_host.h"
#include "proto/catalogue.h"
#include "storage/event_log.h"

ABSL_FLAG(int64_t, events, 1000000, "events in the generated log");
ABSL_FLAG(std::string, dir, "", "scratch directory (default: a temp dir)");
ABSL_FLAG(int64_t, history_every, 100000,
          "least history snapshot spacing of the host (0: none)");
ABSL_FLAG(int, apply_threads, 2, "threads applying records in a fold");
ABSL_FLAG(int64_t, history_events_per_kib, 32,
          "history snapshot spacing per KiB of the last snapshot");

namespace gavel::bench {
namespace {

namespace fs = std::filesystem;
using gavel::v1::InitiativeEvent;

gavel::v1::Date Month(int k) {  // k months after January 2025.
  return domain::MakeDate(2025 + k / 12, 1 + k % 12, 1);
}

gavel::v1::Money Eur(int64_t v) {
  gavel::v1::Money m;
  m.set_minor_units(v);
  m.set_currency("EUR");
  return m;
}

// One event to append.
struct Pending {
  std::string stream;
  std::string type;
  std::string payload;
};

template <typename Wrapper>
Pending Make(absl::string_view id, const Wrapper& wrapper) {
  const catalogue::Aggregate* aggregate =
      catalogue::Catalogue::Get().FindAggregateOfWrapper(
          wrapper.GetDescriptor());
  return Pending{catalogue::StreamOf(aggregate->kind, id),
                 catalogue::EventTypeOf(wrapper).value_or(""),
                 wrapper.SerializeAsString()};
}

// The life of initiative n, in order.
std::vector<Pending> Life(int n, absl::Time start) {
  std::vector<Pending> out;
  const std::string id = absl::StrCat("I-", n);
  absl::Time t = start;
  auto add = [&](const InitiativeEvent& e) {
    out.push_back(Make(id, e));
    t += absl::Hours(7);
  };
  const std::string pool = absl::StrCat("pool-", n % 10);
  const int first_month = n % 12;
  {
    InitiativeEvent e;
    auto* s = e.mutable_submitted();
    s->set_initiative_id(id);
    s->set_title(absl::StrCat("Initiative ", n));
    s->set_problem_statement("A problem worth solving");
    s->set_business_unit(absl::StrCat("BU-", n % 8));
    s->set_sponsor(absl::StrCat("sponsor-", n % 40));
    s->set_submitted_by(s->sponsor());
    *s->mutable_cost_estimate() = Eur(100000 + (n % 97) * 5000);
    gavel::v1::CapacityDemand* d = s->add_capacity_demand();
    d->set_pool_id(pool);
    for (int m = 0; m < 6; ++m) {
      gavel::v1::PeriodAmount* a = d->add_amounts();
      *a->mutable_period_start() = Month(first_month + m);
      a->set_amount(5 + n % 9);
    }
    for (int m = 0; m < 4; ++m) {
      gavel::v1::Milestone* ms = s->add_milestones();
      ms->set_milestone_id(absl::StrCat("m", m));
      ms->set_name(absl::StrCat("Milestone ", m));
      *ms->mutable_committed_date() = Month(first_month + 3 * m + 2);
    }
    s->set_lifecycle_model_id("default");
    *s->mutable_submitted_at() = domain::ToTimestamp(t);
    add(e);
  }
  for (int k = 0; k < 2; ++k) {
    InitiativeEvent e;
    e.mutable_objective_linked()->set_objective_id(
        absl::StrCat("O-", (n + 7 * k) % 20));
    e.mutable_objective_linked()->set_primary(k == 0);
    e.mutable_objective_linked()->set_contribution_bp(k == 0 ? 7000 : 3000);
    e.mutable_objective_linked()->set_rationale("contributes");
    add(e);
  }
  for (int k = 0; k < 2; ++k) {
    InitiativeEvent e;
    auto* b = e.mutable_benefit_registered();
    b->set_benefit_id(absl::StrCat("b", k));
    b->set_name("Benefit");
    b->set_objective_id(absl::StrCat("O-", n % 20));
    b->set_measure_id("m");
    b->set_unit("EUR");
    b->set_decimals(0);
    b->set_direction(gavel::v1::DIRECTION_INCREASE);
    b->mutable_baseline()->set_value(1000);
    *b->mutable_baseline()->mutable_measured_on() = Month(first_month);
    b->set_target(2000 + 100 * k);
    *b->mutable_target_date() = Month(first_month + 24);
    b->set_owner("owner");
    add(e);
  }
  for (int k = 0; k < 3; ++k) {
    InitiativeEvent e;
    e.mutable_risk_raised()->set_risk_id(absl::StrCat("r", k));
    e.mutable_risk_raised()->set_title("Risk");
    e.mutable_risk_raised()->set_probability_bp(1000 * (k + 1));
    e.mutable_risk_raised()->set_impact(gavel::v1::RISK_IMPACT_MEDIUM);
    e.mutable_risk_raised()->set_owner("owner");
    add(e);
  }
  const char* gates[] = {"G0", "G1", "G2", "G3", "G4"};
  int review = 0;
  int month = first_month;
  int condition = 0;
  auto monthly = [&](int months) {
    for (int k = 0; k < months; ++k, ++month) {
      InitiativeEvent cost;
      *cost.mutable_cost_reported()->mutable_period_start() = Month(month);
      *cost.mutable_cost_reported()->mutable_amount() =
          Eur(8000 + (n * 13 + month) % 3000);
      cost.mutable_cost_reported()->set_category(gavel::v1::COST_CATEGORY_OPEX);
      cost.mutable_cost_reported()->set_source("ledger");
      add(cost);
      for (int b = 0; b < 2; ++b) {
        InitiativeEvent m;
        auto* bm = m.mutable_benefit_measured();
        bm->set_benefit_id(absl::StrCat("b", b));
        bm->set_value(1000 + 40 * (month - first_month) + b);
        *bm->mutable_period_start() = Month(month);
        *bm->mutable_period_end() = Month(month);
        bm->set_source("finance");
        add(m);
      }
    }
  };
  for (int g = 0; g < 5; ++g) {
    if (g == 1) {
      InitiativeEvent assign;
      assign.mutable_scorers_assigned()->set_round(1);
      assign.mutable_scorers_assigned()->set_framework_id("value");
      for (const char* s : {"ann", "amy", "al"}) {
        assign.mutable_scorers_assigned()->add_scorers(s);
      }
      add(assign);
      for (const char* s : {"ann", "amy", "al"}) {
        for (int c = 0; c < 4; ++c) {
          InitiativeEvent score;
          auto* cs = score.mutable_criterion_scored();
          cs->set_round(1);
          cs->set_framework_id("value");
          cs->set_framework_version(1);
          cs->set_criterion_id(absl::StrCat("c", c));
          cs->set_scorer(s);
          cs->set_value(1 + (n + c) % 5);
          cs->set_rationale("judgement");
          add(score);
        }
      }
      InitiativeEvent locked;
      auto* l = locked.mutable_scorecard_locked();
      l->set_round(1);
      l->set_framework_id("value");
      l->set_framework_version(1);
      l->set_weighted_score_bp(2000 + (n * 7919) % 8000);
      l->set_must_meet_passed(true);
      add(locked);
    }
    if (g == 0) {
      InitiativeEvent p;
      p.mutable_priority_changed()->set_to_priority(
          static_cast<gavel::v1::Priority>(1 + n % 4));
      p.mutable_priority_changed()->set_reason("portfolio review");
      p.mutable_priority_changed()->set_board_id("board-0");
      add(p);
    }
    const std::string board =
        absl::StrCat("board-", g < 2 ? 0 : (g < 4 ? 1 : 2));
    bool passed = false;
    while (!passed) {
      ++review;
      InitiativeEvent req;
      auto* r = req.mutable_gate_review_requested();
      r->set_review_number(review);
      r->set_gate_id(gates[g]);
      r->set_board_id(board);
      r->set_cycle_id(absl::StrCat("cycle-", n / 50));
      *r->mutable_requested_at() = domain::ToTimestamp(t);
      const absl::Time requested = t;
      add(req);
      if (n % 7 == 0) {
        InitiativeEvent rec;
        rec.mutable_member_recused()->set_review_number(review);
        rec.mutable_member_recused()->set_member("dave");
        rec.mutable_member_recused()->set_reason("conflict");
        add(rec);
      }
      gavel::v1::GateOutcome outcome = gavel::v1::GATE_OUTCOME_GO;
      if (g == 1 && n % 10 == 9) outcome = gavel::v1::GATE_OUTCOME_KILL;
      if (g == 2 && n % 13 == 0 && review == 3) {
        outcome = gavel::v1::GATE_OUTCOME_RECYCLE;
      }
      if (g == 1 && n % 4 == 1)
        outcome = gavel::v1::GATE_OUTCOME_CONDITIONAL_GO;
      for (const char* member : {"bob", "carol", "erin"}) {
        InitiativeEvent v;
        auto* vc = v.mutable_gate_vote_cast();
        vc->set_review_number(review);
        vc->set_member(member);
        vc->set_cast_by(member);
        vc->set_vote(static_cast<gavel::v1::GateVote>(outcome));
        add(v);
      }
      InitiativeEvent dec;
      auto* d = dec.mutable_gate_decided();
      d->set_review_number(review);
      d->set_gate_id(gates[g]);
      d->set_board_id(board);
      d->set_cycle_id(absl::StrCat("cycle-", n / 50));
      d->set_outcome(outcome);
      d->set_rationale("board judgement");
      d->mutable_tally()->set_eligible(3);
      d->mutable_tally()->set_go(3);
      d->set_decided_by("bob");
      *d->mutable_decided_at() =
          domain::ToTimestamp(requested + absl::Hours(24 * (1 + n % 20)));
      if (outcome == gavel::v1::GATE_OUTCOME_CONDITIONAL_GO) {
        gavel::v1::Condition* c = d->add_conditions();
        c->set_condition_id(absl::StrCat("k", condition++));
        c->set_description("close the gap");
        c->set_owner("sponsor");
        *c->mutable_due_date() = Month(month + 1);
      }
      if (outcome == gavel::v1::GATE_OUTCOME_GO ||
          outcome == gavel::v1::GATE_OUTCOME_CONDITIONAL_GO) {
        *d->mutable_budget_approved() = Eur(100000 + (n % 97) * 5000);
      }
      if (g == 2 && outcome == gavel::v1::GATE_OUTCOME_GO) {
        gavel::v1::CapacityDemand* reserved = d->add_capacity_reserved();
        reserved->set_pool_id(pool);
      }
      add(dec);
      // The reviewed position is filled in when the record is appended.
      out.back().type = "GateDecided";
      if (g == 2 && outcome == gavel::v1::GATE_OUTCOME_GO) {
        gavel::v1::CapacityPoolEvent reserve;
        auto* dr = reserve.mutable_demand_reserved();
        dr->set_initiative_id(id);
        for (int m = 0; m < 6; ++m) {
          gavel::v1::PeriodAmount* a = dr->add_amounts();
          *a->mutable_period_start() = Month(first_month + m);
          a->set_amount(5 + n % 9);
        }
        dr->set_firm(true);
        out.push_back(Make(absl::StrCat("pool-", n % 10), reserve));
      }
      if (outcome == gavel::v1::GATE_OUTCOME_KILL) return out;
      if (outcome == gavel::v1::GATE_OUTCOME_CONDITIONAL_GO) {
        InitiativeEvent sat;
        sat.mutable_condition_satisfied()->set_condition_id(
            absl::StrCat("k", condition - 1));
        *sat.mutable_condition_satisfied()->mutable_satisfied_on() =
            Month(month + (n % 3 == 0 ? 2 : 0));
        sat.mutable_condition_satisfied()->set_evidence("done");
        add(sat);
      }
      passed = outcome != gavel::v1::GATE_OUTCOME_RECYCLE;
    }
    if (g >= 2) {
      InitiativeEvent f;
      *f.mutable_forecast_revised()->mutable_cost_at_completion() =
          Eur(120000 + (n % 97) * 5000 + g * 3000);
      f.mutable_forecast_revised()->set_reason("re-plan");
      add(f);
      InitiativeEvent ms;
      ms.mutable_milestone_achieved()->set_milestone_id(
          absl::StrCat("m", g - 1));
      *ms.mutable_milestone_achieved()->mutable_achieved_on() =
          Month(first_month + 3 * (g - 1) + 2 + n % 2);
      add(ms);
    }
    monthly(g < 2 ? 1 : 6);
  }
  for (int k = 0; k < 3; ++k) {
    InitiativeEvent e;
    e.mutable_risk_closed()->set_risk_id(absl::StrCat("r", k));
    e.mutable_risk_closed()->set_resolution("mitigated");
    add(e);
  }
  InitiativeEvent closed;
  closed.mutable_closed()->set_handover_summary("in BAU");
  closed.mutable_closed()->set_bau_owner("ops");
  add(closed);
  return out;
}

class Writer {
 public:
  explicit Writer(storage::EventLog* log) : log_(log) {}
  void Add(Pending p) {
    storage::AppendRequest request;
    request.command_id = absl::StrCat("gen-", ++count_);
    request.actor = "generator";
    request.streams.push_back(
        storage::StreamAppend{std::move(p.stream),
                              {},
                              {{"", std::move(p.type), std::move(p.payload)}}});
    batch_.push_back(std::move(request));
    if (batch_.size() >= 2000) Flush();
  }
  // GateDecided names the position before it as the reviewed state.
  void AddDecision(Pending p) {
    InitiativeEvent e;
    e.ParseFromString(p.payload);
    e.mutable_gate_decided()->set_reviewed_position(count_);
    p.payload = e.SerializeAsString();
    Add(std::move(p));
  }
  void Flush() {
    if (batch_.empty()) return;
    absl::StatusOr<std::vector<storage::AppendResult>> r = log_->Append(batch_);
    if (!r.ok()) {
      std::fprintf(stderr, "append: %s\n", r.status().ToString().c_str());
      std::exit(1);
    }
    batch_.clear();
  }
  uint64_t count() const { return count_; }

 private:
  storage::EventLog* log_;
  std::vector<storage::AppendRequest> batch_;
  uint64_t count_ = 0;
};

void Generate(storage::EventLog* log, int64_t target) {
  Writer w(log);
  const absl::Time start = absl::FromCivil(
      absl::CivilSecond(2025, 1, 1, 9, 0, 0), absl::UTCTimeZone());
  for (int o = 0; o < 20; ++o) {
    gavel::v1::ObjectiveEvent e;
    e.mutable_defined()->set_objective_id(absl::StrCat("O-", o));
    e.mutable_defined()->set_title("Objective");
    e.mutable_defined()->set_horizon(gavel::v1::HORIZON_THREE_YEARS);
    e.mutable_defined()->set_owner("alice");
    w.Add(Make(absl::StrCat("O-", o), e));
    gavel::v1::ObjectiveEvent m;
    auto* sm = m.mutable_success_measure_added();
    sm->set_measure_id("m");
    sm->set_name("Revenue");
    sm->set_unit("EUR");
    sm->set_direction(gavel::v1::DIRECTION_INCREASE);
    sm->set_baseline(1000);
    w.Add(Make(absl::StrCat("O-", o), m));
    gavel::v1::ObjectiveEvent t;
    t.mutable_measure_target_set()->set_measure_id("m");
    t.mutable_measure_target_set()->set_target(3000);
    w.Add(Make(absl::StrCat("O-", o), t));
  }
  for (int p = 0; p < 10; ++p) {
    gavel::v1::CapacityPoolEvent e;
    auto* d = e.mutable_defined();
    d->set_pool_id(absl::StrCat("pool-", p));
    d->set_name("Pool");
    d->set_kind(gavel::v1::POOL_KIND_SKILL);
    d->set_skill_or_unit("skill");
    d->set_unit_of_measure("person-days");
    d->set_granularity(gavel::v1::PERIOD_GRANULARITY_MONTH);
    for (int m = 0; m < 48; ++m) {
      gavel::v1::PeriodAmount* a = d->add_supply();
      *a->mutable_period_start() = Month(m);
      a->set_amount(4000);
    }
    w.Add(Make(absl::StrCat("pool-", p), e));
  }
  for (int b = 0; b < 3; ++b) {
    gavel::v1::BoardEvent e;
    auto* c = e.mutable_chartered();
    c->set_board_id(absl::StrCat("board-", b));
    c->set_name("Board");
    c->set_quorum(2);
    c->set_decision_rule(gavel::v1::DECISION_RULE_MAJORITY);
    c->mutable_decision_latency_sla()->set_seconds(14 * 86400);
    c->set_cadence(gavel::v1::CADENCE_MONTHLY);
    w.Add(Make(absl::StrCat("board-", b), e));
  }
  {
    gavel::v1::PmoServiceEvent e;
    auto* s = e.mutable_service_level_defined();
    s->set_service_level_id("latency");
    s->set_metric(gavel::v1::SERVICE_METRIC_GATE_DECISION_LATENCY);
    s->mutable_max_latency()->set_seconds(14 * 86400);
    s->set_percentile_bp(9000);
    w.Add(Make("pmo", e));
  }
  // Initiatives interleaved 100 at a time, a cycle per 50 initiatives.
  int next = 0;
  std::vector<std::vector<Pending>> lives;
  std::vector<size_t> cursor;
  while (static_cast<int64_t>(w.count()) < target) {
    while (lives.size() < 100) {
      if (next % 50 == 0) {
        const std::string cycle = absl::StrCat("cycle-", next / 50);
        gavel::v1::GovernanceCycleEvent s;
        s.mutable_scheduled()->set_cycle_id(cycle);
        s.mutable_scheduled()->set_board_id("board-0");
        s.mutable_scheduled()->set_kind(gavel::v1::CYCLE_KIND_PORTFOLIO_REVIEW);
        *s.mutable_scheduled()->mutable_scheduled_on() = Month(next / 50 % 48);
        w.Add(Make(cycle, s));
        for (int k = 0; k < 3; ++k) {
          gavel::v1::GovernanceCycleEvent item;
          item.mutable_agenda_item_added()->set_item_id(absl::StrCat("i", k));
          item.mutable_agenda_item_added()->set_kind(
              gavel::v1::AGENDA_ITEM_KIND_GATE_REVIEW);
          item.mutable_agenda_item_added()->set_title("Review");
          if (k == 0 && next > 0) {
            item.mutable_agenda_item_added()->set_deferred_from_cycle_id(
                absl::StrCat("cycle-", next / 50 - 1));
          }
          w.Add(Make(cycle, item));
        }
        if (next > 0) {
          const std::string previous = absl::StrCat("cycle-", next / 50 - 1);
          gavel::v1::GovernanceCycleEvent deferred;
          deferred.mutable_agenda_item_deferred()->set_item_id("i2");
          deferred.mutable_agenda_item_deferred()->set_to_cycle_id(cycle);
          deferred.mutable_agenda_item_deferred()->set_reason("no time");
          w.Add(Make(previous, deferred));
          gavel::v1::GovernanceCycleEvent closed;
          *closed.mutable_closed()->mutable_held_on() = Month(next / 50 % 48);
          w.Add(Make(previous, closed));
          gavel::v1::PmoServiceEvent feedback;
          feedback.mutable_stakeholder_feedback_recorded()->set_respondent(
              "bob");
          feedback.mutable_stakeholder_feedback_recorded()->set_cycle_id(
              previous);
          feedback.mutable_stakeholder_feedback_recorded()->set_score(3 +
                                                                      next % 3);
          w.Add(Make("pmo", feedback));
        }
      }
      lives.push_back(Life(next, start + absl::Hours(next)));
      cursor.push_back(0);
      ++next;
    }
    for (size_t k = 0; k < lives.size();) {
      Pending p = std::move(lives[k][cursor[k]++]);
      if (p.type == "GateDecided") {
        w.AddDecision(std::move(p));
      } else {
        w.Add(std::move(p));
      }
      if (cursor[k] == lives[k].size()) {
        lives[k] = std::move(lives.back());
        cursor[k] = cursor.back();
        lives.pop_back();
        cursor.pop_back();
      } else {
        ++k;
      }
    }
  }
  w.Flush();
  std::fprintf(stderr, "generated %llu events, %d initiatives\n",
               static_cast<unsigned long long>(w.count()), next);
}

double CpuSeconds() {
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

std::vector<std::unique_ptr<projections::Projection>> AllProjections() {
  std::vector<std::unique_ptr<projections::Projection>> all;
  all.push_back(std::make_unique<projections::PortfolioProjection>());
  all.push_back(std::make_unique<projections::DecisionHistoryProjection>());
  all.push_back(std::make_unique<projections::GovernanceMetricsProjection>());
  return all;
}

int Run() {
  std::string dir = absl::GetFlag(FLAGS_dir);
  if (dir.empty()) {
    dir = (fs::temp_directory_path() / "gavel-projections-bench").string();
  }
  fs::remove_all(dir);
  fs::create_directories(dir);
  storage::EventLogOptions log_options;
  log_options.sync = false;
  log_options.merkle_tree = false;
  absl::StatusOr<std::unique_ptr<storage::EventLog>> log =
      storage::EventLog::Open(dir + "/log", log_options);
  if (!log.ok()) {
    std::fprintf(stderr, "%s\n", log.status().ToString().c_str());
    return 1;
  }
  Generate(log->get(), absl::GetFlag(FLAGS_events));
  const uint64_t head = (*log)->Head();
  std::printf("projection_events=%llu\n",
              static_cast<unsigned long long>(head));

  // The floor: reading and decoding every record, applying nothing.
  absl::Time started = absl::Now();
  {
    projections::EventBatch batch;
    uint64_t decoded = 0;
    absl::Status s =
        (*log)->Scan(1, head, [&](uint64_t position, absl::string_view bytes) {
          decoded += batch.Add(position, bytes).ok() ? 1 : 0;
          batch.Clear();
          return true;
        });
    if (!s.ok() || decoded != head) {
      std::fprintf(stderr, "decode failed: %s\n", s.ToString().c_str());
      return 1;
    }
  }
  std::printf("projection_decode_only_events_per_s=%.0f\n",
              head / absl::ToDoubleSeconds(absl::Now() - started));
  for (int k = 0; k < 3; ++k) {
    std::vector<std::unique_ptr<projections::Projection>> one;
    one.push_back(std::move(AllProjections()[k]));
    projections::EventBatch batch;
    started = absl::Now();
    (void)(*log)->Scan(1, head,
                       [&](uint64_t position, absl::string_view bytes) {
                         batch.Clear();
                         if (batch.Add(position, bytes).ok())
                           one[0]->Apply(batch.events()[0]);
                         return true;
                       });
    std::fprintf(stderr, "%s alone: %.0f events/s\n",
                 std::string(one[0]->name()).c_str(),
                 head / absl::ToDoubleSeconds(absl::Now() - started));
  }

  projections::ProjectionHostOptions options;
  options.dir = dir + "/projections";
  options.history_every_events = absl::GetFlag(FLAGS_history_every);
  options.history_events_per_kib = absl::GetFlag(FLAGS_history_events_per_kib);
  options.apply_threads = absl::GetFlag(FLAGS_apply_threads);
  started = absl::Now();
  absl::StatusOr<std::unique_ptr<projections::ProjectionHost>> host =
      projections::ProjectionHost::Start(log->get(), AllProjections(), options);
  if (!host.ok()) {
    std::fprintf(stderr, "%s\n", host.status().ToString().c_str());
    return 1;
  }
  (*host)->WaitFor(head, absl::InfiniteFuture());
  const double catch_up = absl::ToDoubleSeconds(absl::Now() - started);

  std::fprintf(stderr, "caught up in %.1f s; rebuilding\n", catch_up);
  started = absl::Now();
  const double cpu_before = CpuSeconds();
  absl::StatusOr<uint64_t> ticket = (*host)->RequestRebuild("");
  if (!ticket.ok() || !(*host)->AwaitRebuild(*ticket, absl::InfiniteFuture())) {
    std::fprintf(stderr, "rebuild failed\n");
    return 1;
  }
  const double rebuild = absl::ToDoubleSeconds(absl::Now() - started);
  const double rebuild_cpu = CpuSeconds() - cpu_before;
  for (const char* name : {"portfolio", "decisions", "governance_metrics"}) {
    const absl::Time t = absl::Now();
    const double cpu = ThreadCpuSeconds();
    size_t bytes = 0;
    (void)(*host)->Read(name, [&](const projections::Projection& p, uint64_t) {
      bytes = p.Snapshot().size();
    });
    std::fprintf(stderr, "%s snapshot: %zu bytes in %.0f ms (%.0f ms CPU)\n",
                 name, bytes, absl::ToDoubleMilliseconds(absl::Now() - t),
                 (ThreadCpuSeconds() - cpu) * 1000);
  }
  for (const projections::ProjectionStatus& s : (*host)->Status()) {
    if (!s.error.empty()) {
      std::fprintf(stderr, "%s: %s\n", s.name.c_str(), s.error.c_str());
      return 1;
    }
  }
  std::printf("projection_rebuild_events_per_s=%.0f\n", head / rebuild);
  std::printf("projection_catch_up_events_per_s=%.0f\n", head / catch_up);
  // CPU seconds of the whole process during the rebuild (both apply
  // threads): the figure to compare when the machine is shared.
  std::printf("projection_rebuild_events_per_cpu_s=%.0f\n", head / rebuild_cpu);

  // Mean time of 5 queries of `name` as_of `position` (a portfolio query
  // ranks the initiatives too).
  auto as_of_ms = [&](absl::string_view name, uint64_t position) -> double {
    double total_ms = 0;
    for (int round = 0; round < 5; ++round) {
      const absl::Time t = absl::Now();
      absl::StatusOr<std::unique_ptr<projections::Projection>> then =
          (*host)->ProjectAt(name, position);
      if (!then.ok()) {
        std::fprintf(stderr, "%s\n", then.status().ToString().c_str());
        std::exit(1);
      }
      if (name == projections::kPortfolioProjection) {
        (void)static_cast<const projections::PortfolioProjection&>(**then)
            .state()
            .Ranked();
      }
      total_ms += absl::ToDoubleMilliseconds(absl::Now() - t);
    }
    return total_ms / 5;
  };
  // The position of the longest replay: the one before a history snapshot
  // that follows the longest gap, or the head.
  auto worst = [&](absl::string_view name) -> uint64_t {
    absl::StatusOr<std::vector<uint64_t>> history =
        (*host)->HistoryPositions(name);
    if (!history.ok()) std::exit(1);
    history->push_back(head + 1);
    uint64_t previous = 0;
    uint64_t worst_position = head;
    uint64_t longest = 0;
    for (uint64_t p : *history) {
      if (p > head + 1) break;
      if (p - 1 - previous > longest) {
        longest = p - 1 - previous;
        worst_position = p - 1;
      }
      previous = p;
    }
    std::string positions;
    for (uint64_t p : *history) {
      if (p <= head)
        absl::StrAppend(&positions, positions.empty() ? "" : ",", p);
    }
    std::fprintf(stderr,
                 "%s history at %s; worst as_of at %llu (replays %llu)\n",
                 std::string(name).c_str(), positions.c_str(),
                 static_cast<unsigned long long>(worst_position),
                 static_cast<unsigned long long>(longest));
    return worst_position;
  };
  std::printf("as_of_query_ms=%.1f\n",
              as_of_ms(projections::kPortfolioProjection, head / 2));
  std::printf("as_of_query_worst_ms=%.1f\n",
              as_of_ms(projections::kPortfolioProjection,
                       worst(projections::kPortfolioProjection)));
  std::printf("as_of_decisions_worst_ms=%.1f\n",
              as_of_ms(projections::kDecisionHistoryProjection,
                       worst(projections::kDecisionHistoryProjection)));
  (void)worst(projections::kGovernanceMetricsProjection);
  host->reset();
  log->reset();
  fs::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace gavel::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return gavel::bench::Run();
}
