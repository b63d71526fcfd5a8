// Building domain events for projection tests: a Feed numbers events like
// the log does (positions 1, 2, ...; a clock the test moves) and hands them
// to projections directly, or appends them to a real EventLog. For tests
// only.
#ifndef GAVEL_TESTS_PROJECTIONS_FIXTURES_H_
#define GAVEL_TESTS_PROJECTIONS_FIXTURES_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "domain/calendar.h"
#include "gavel/v1/events.pb.h"
#include "gtest/gtest.h"
#include "projections/decision_history_projection.h"
#include "projections/domain_event.h"
#include "projections/governance_metrics_projection.h"
#include "projections/portfolio_projection.h"
#include "projections/projection.h"
#include "proto/catalogue.h"
#include "storage/event_log.h"

namespace gavel::test {

// The server's three projections, empty, in the server's order.
inline std::vector<std::unique_ptr<projections::Projection>> AllProjections() {
  std::vector<std::unique_ptr<projections::Projection>> all;
  all.push_back(std::make_unique<projections::PortfolioProjection>());
  all.push_back(std::make_unique<projections::DecisionHistoryProjection>());
  all.push_back(std::make_unique<projections::GovernanceMetricsProjection>());
  return all;
}

// An event log with default options in `dir`; nullptr (and a test
// failure) when it does not open.
inline std::unique_ptr<storage::EventLog> OpenTestLog(const std::string& dir) {
  absl::StatusOr<std::unique_ptr<storage::EventLog>> log =
      storage::EventLog::Open(dir, {});
  EXPECT_TRUE(log.ok()) << log.status();
  return log.ok() ? *std::move(log) : nullptr;
}

inline gavel::v1::Money Eur(int64_t minor_units) {
  gavel::v1::Money m;
  m.set_minor_units(minor_units);
  m.set_currency("EUR");
  return m;
}

inline gavel::v1::Date Day(int y, int m, int d) {
  return domain::MakeDate(y, m, d);
}

inline gavel::v1::PeriodAmount Amount(const gavel::v1::Date& start,
                                      int64_t amount) {
  gavel::v1::PeriodAmount a;
  *a.mutable_period_start() = start;
  a.set_amount(amount);
  return a;
}

// Numbers events and applies them to `projections` (borrowed), and/or
// appends them to `log` (borrowed; may be null).
class Feed {
 public:
  explicit Feed(std::vector<projections::Projection*> projections,
                storage::EventLog* log = nullptr)
      : projections_(std::move(projections)), log_(log) {}

  absl::Time now() const { return now_; }
  void Advance(absl::Duration d) { now_ += d; }
  uint64_t position() const { return position_; }

  uint64_t Initiative(const std::string& id, gavel::v1::InitiativeEvent e) {
    event_.initiative = std::move(e);
    return Emit(id, event_.initiative);
  }
  uint64_t Objective(const std::string& id, gavel::v1::ObjectiveEvent e) {
    event_.objective = std::move(e);
    return Emit(id, event_.objective);
  }
  uint64_t Pool(const std::string& id, gavel::v1::CapacityPoolEvent e) {
    event_.pool = std::move(e);
    return Emit(id, event_.pool);
  }
  uint64_t Board(const std::string& id, gavel::v1::BoardEvent e) {
    event_.board = std::move(e);
    return Emit(id, event_.board);
  }
  uint64_t Cycle(const std::string& id, gavel::v1::GovernanceCycleEvent e) {
    event_.cycle = std::move(e);
    return Emit(id, event_.cycle);
  }
  uint64_t Pmo(const std::string& id, gavel::v1::PmoServiceEvent e) {
    event_.pmo = std::move(e);
    return Emit(id, event_.pmo);
  }
  uint64_t Plan(const std::string& id, gavel::v1::PortfolioPlanEvent e) {
    event_.plan = std::move(e);
    return Emit(id, event_.plan);
  }

 private:
  // Applies `wrapper` as the next event of aggregate `id` (its kind is the
  // wrapper's, proto/catalogue.h).
  uint64_t Emit(const std::string& id,
                const google::protobuf::Message& wrapper) {
    const catalogue::Aggregate* aggregate =
        catalogue::Catalogue::Get().FindAggregateOfWrapper(
            wrapper.GetDescriptor());
    event_.kind = aggregate->kind;
    ++position_;
    event_.position = position_;
    event_.recorded_at = now_;
    event_.aggregate_id = id;
    for (projections::Projection* p : projections_) p->Apply(event_);
    if (log_ != nullptr) {
      storage::AppendRequest request;
      request.command_id = absl::StrCat("fixture-", position_);
      request.actor = "fixture";
      request.streams.push_back(storage::StreamAppend{
          catalogue::StreamOf(aggregate->kind, id),
          {},
          {{"", catalogue::EventTypeOf(wrapper).value_or(""),
            wrapper.SerializeAsString()}}});
      absl::StatusOr<std::vector<storage::AppendResult>> appended =
          log_->Append({request});
      EXPECT_TRUE(appended.ok()) << appended.status();
      if (appended.ok()) {
        EXPECT_EQ((*appended)[0].first_position, position_)
            << "the log and the feed disagree on positions";
      }
    }
    now_ += absl::Minutes(1);
    return position_;
  }

  std::vector<projections::Projection*> projections_;
  storage::EventLog* log_;
  projections::DomainEvent event_;
  uint64_t position_ = 0;
  absl::Time now_ = absl::FromCivil(absl::CivilSecond(2026, 1, 5, 9, 0, 0),
                                    absl::UTCTimeZone());
};

// Event builders.
inline gavel::v1::InitiativeEvent Submitted(
    const std::string& id, int64_t cost, absl::Time at,
    std::vector<gavel::v1::CapacityDemand> demand = {}) {
  gavel::v1::InitiativeEvent e;
  auto* s = e.mutable_submitted();
  s->set_initiative_id(id);
  s->set_title(absl::StrCat("Initiative ", id));
  s->set_business_unit("Retail");
  s->set_sponsor("sam");
  *s->mutable_cost_estimate() = Eur(cost);
  for (auto& d : demand) *s->add_capacity_demand() = d;
  *s->mutable_submitted_at() = domain::ToTimestamp(at);
  s->set_lifecycle_model_id("default");
  return e;
}

inline gavel::v1::InitiativeEvent Priority(gavel::v1::Priority to) {
  gavel::v1::InitiativeEvent e;
  e.mutable_priority_changed()->set_to_priority(to);
  e.mutable_priority_changed()->set_reason("board call");
  return e;
}

inline gavel::v1::InitiativeEvent Locked(int32_t score_bp,
                                         int32_t version = 1) {
  gavel::v1::InitiativeEvent e;
  auto* l = e.mutable_scorecard_locked();
  l->set_round(1);
  l->set_framework_id("value");
  l->set_framework_version(version);
  l->set_weighted_score_bp(score_bp);
  l->set_must_meet_passed(true);
  return e;
}

inline gavel::v1::InitiativeEvent Linked(const std::string& objective,
                                         bool primary, int32_t bp) {
  gavel::v1::InitiativeEvent e;
  e.mutable_objective_linked()->set_objective_id(objective);
  e.mutable_objective_linked()->set_primary(primary);
  e.mutable_objective_linked()->set_contribution_bp(bp);
  return e;
}

inline gavel::v1::InitiativeEvent ReviewRequested(
    int32_t review, const std::string& gate, const std::string& board,
    absl::Time at, const std::string& cycle = "") {
  gavel::v1::InitiativeEvent e;
  auto* r = e.mutable_gate_review_requested();
  r->set_review_number(review);
  r->set_gate_id(gate);
  r->set_board_id(board);
  r->set_cycle_id(cycle);
  *r->mutable_requested_at() = domain::ToTimestamp(at);
  return e;
}

inline gavel::v1::InitiativeEvent VoteCast(int32_t review,
                                           const std::string& member,
                                           gavel::v1::GateVote vote) {
  gavel::v1::InitiativeEvent e;
  auto* v = e.mutable_gate_vote_cast();
  v->set_review_number(review);
  v->set_member(member);
  v->set_cast_by(member);
  v->set_vote(vote);
  return e;
}

inline gavel::v1::InitiativeEvent Decided(
    int32_t review, const std::string& gate, const std::string& board,
    gavel::v1::GateOutcome outcome, absl::Time at, uint64_t reviewed_position,
    const std::string& cycle = "",
    std::vector<gavel::v1::Condition> conditions = {}, int64_t budget = 0) {
  gavel::v1::InitiativeEvent e;
  auto* d = e.mutable_gate_decided();
  d->set_review_number(review);
  d->set_gate_id(gate);
  d->set_board_id(board);
  d->set_cycle_id(cycle);
  d->set_outcome(outcome);
  d->set_rationale("as discussed");
  for (auto& c : conditions) *d->add_conditions() = c;
  d->set_reviewed_position(reviewed_position);
  if (budget > 0) *d->mutable_budget_approved() = Eur(budget);
  d->set_decided_by("bob");
  *d->mutable_decided_at() = domain::ToTimestamp(at);
  return e;
}

inline gavel::v1::Condition ConditionDue(const std::string& id,
                                         const gavel::v1::Date& due) {
  gavel::v1::Condition c;
  c.set_condition_id(id);
  c.set_description("fix it");
  c.set_owner("sam");
  *c.mutable_due_date() = due;
  return c;
}

inline gavel::v1::InitiativeEvent Satisfied(const std::string& condition,
                                            const gavel::v1::Date& on) {
  gavel::v1::InitiativeEvent e;
  e.mutable_condition_satisfied()->set_condition_id(condition);
  *e.mutable_condition_satisfied()->mutable_satisfied_on() = on;
  e.mutable_condition_satisfied()->set_evidence("done");
  return e;
}

inline gavel::v1::InitiativeEvent Cost(int64_t amount,
                                       const gavel::v1::Date& month) {
  gavel::v1::InitiativeEvent e;
  *e.mutable_cost_reported()->mutable_period_start() = month;
  *e.mutable_cost_reported()->mutable_amount() = Eur(amount);
  e.mutable_cost_reported()->set_category(gavel::v1::COST_CATEGORY_OPEX);
  return e;
}

inline gavel::v1::InitiativeEvent Benefit(const std::string& id,
                                          int64_t baseline, int64_t target,
                                          const std::string& objective = "",
                                          const std::string& measure = "") {
  gavel::v1::InitiativeEvent e;
  auto* b = e.mutable_benefit_registered();
  b->set_benefit_id(id);
  b->set_name(absl::StrCat("benefit ", id));
  b->set_objective_id(objective);
  b->set_measure_id(measure);
  b->set_unit("EUR");
  b->set_direction(gavel::v1::DIRECTION_INCREASE);
  b->mutable_baseline()->set_value(baseline);
  *b->mutable_baseline()->mutable_measured_on() = Day(2026, 1, 1);
  b->set_target(target);
  *b->mutable_target_date() = Day(2027, 1, 1);
  b->set_owner("sam");
  return e;
}

inline gavel::v1::InitiativeEvent Measured(const std::string& benefit,
                                           int64_t value) {
  gavel::v1::InitiativeEvent e;
  auto* m = e.mutable_benefit_measured();
  m->set_benefit_id(benefit);
  m->set_value(value);
  *m->mutable_period_start() = Day(2026, 1, 1);
  *m->mutable_period_end() = Day(2026, 1, 31);
  m->set_source("finance");
  return e;
}

inline gavel::v1::InitiativeEvent Risk(const std::string& id) {
  gavel::v1::InitiativeEvent e;
  e.mutable_risk_raised()->set_risk_id(id);
  e.mutable_risk_raised()->set_title(absl::StrCat("risk ", id));
  e.mutable_risk_raised()->set_probability_bp(3000);
  e.mutable_risk_raised()->set_impact(gavel::v1::RISK_IMPACT_HIGH);
  return e;
}

inline gavel::v1::ObjectiveEvent ObjectiveDefined(const std::string& id) {
  gavel::v1::ObjectiveEvent e;
  e.mutable_defined()->set_objective_id(id);
  e.mutable_defined()->set_title(absl::StrCat("Objective ", id));
  e.mutable_defined()->set_horizon(gavel::v1::HORIZON_THREE_YEARS);
  e.mutable_defined()->set_owner("alice");
  return e;
}

inline gavel::v1::CapacityPoolEvent PoolDefined(
    const std::string& id, std::vector<gavel::v1::PeriodAmount> supply) {
  gavel::v1::CapacityPoolEvent e;
  auto* d = e.mutable_defined();
  d->set_pool_id(id);
  d->set_name(absl::StrCat("Pool ", id));
  d->set_kind(gavel::v1::POOL_KIND_SKILL);
  d->set_skill_or_unit("data");
  d->set_unit_of_measure("person-days");
  d->set_granularity(gavel::v1::PERIOD_GRANULARITY_MONTH);
  for (auto& s : supply) *d->add_supply() = s;
  return e;
}

inline gavel::v1::BoardEvent BoardChartered(const std::string& id,
                                            absl::Duration sla,
                                            gavel::v1::Cadence cadence) {
  gavel::v1::BoardEvent e;
  auto* c = e.mutable_chartered();
  c->set_board_id(id);
  c->set_name(absl::StrCat("Board ", id));
  c->set_quorum(1);
  c->set_decision_rule(gavel::v1::DECISION_RULE_MAJORITY);
  c->mutable_decision_latency_sla()->set_seconds(absl::ToInt64Seconds(sla));
  c->set_cadence(cadence);
  return e;
}

// A small portfolio's life through `feed`: two objectives, a pool, a
// board, then `initiatives` initiatives submitted, linked, scored,
// prioritised, reviewed, voted on and decided (every outcome), with costs,
// risks and benefit measurements. Deterministic.
inline void GeneratePortfolio(Feed& feed, int initiatives) {
  const gavel::v1::Date jan = Day(2026, 1, 1);
  feed.Objective("growth", ObjectiveDefined("growth"));
  feed.Objective("cost", ObjectiveDefined("cost"));
  feed.Pool("data", PoolDefined("data", {Amount(jan, 100)}));
  feed.Board("exec", BoardChartered("exec", absl::Hours(24 * 14),
                                    gavel::v1::CADENCE_MONTHLY));
  for (int n = 0; n < initiatives; ++n) {
    const std::string id = absl::StrCat("I-", n);
    gavel::v1::CapacityDemand demand;
    demand.set_pool_id("data");
    *demand.add_amounts() = Amount(jan, 5 + n % 7);
    feed.Initiative(id, Submitted(id, 1000 * (n + 1), feed.now(), {demand}));
    feed.Initiative(id, Linked(n % 3 == 0 ? "cost" : "growth", true, 8000));
    feed.Initiative(id, Locked(3000 + (n * 379) % 6000));
    feed.Initiative(id, Priority(static_cast<gavel::v1::Priority>(1 + n % 4)));
    feed.Initiative(id, Benefit("b", 100, 200 + n));
    feed.Initiative(id, ReviewRequested(1, "G0", "exec", feed.now()));
    feed.Initiative(id, VoteCast(1, "bob", gavel::v1::GATE_VOTE_GO));
    feed.Initiative(id, VoteCast(1, "carol", gavel::v1::GATE_VOTE_GO));
    const gavel::v1::GateOutcome outcome =
        static_cast<gavel::v1::GateOutcome>(1 + n % 5);
    std::vector<gavel::v1::Condition> conditions;
    if (outcome == gavel::v1::GATE_OUTCOME_CONDITIONAL_GO) {
      conditions.push_back(ConditionDue("c", Day(2026, 2, 1)));
    }
    feed.Initiative(
        id, Decided(1, "G0", "exec", outcome, feed.now() + absl::Hours(n % 50),
                    feed.position(), "", conditions,
                    outcome <= 2 ? 500 * (n + 1) : 0));
    if (outcome == gavel::v1::GATE_OUTCOME_CONDITIONAL_GO) {
      feed.Initiative(id, Satisfied("c", Day(2026, 1, 20 + n % 20)));
    }
    if (outcome != gavel::v1::GATE_OUTCOME_KILL) {
      feed.Initiative(id, Cost(100 + n, jan));
      feed.Initiative(id, Risk("r"));
      feed.Initiative(id, Measured("b", 120 + n % 90));
    }
  }
}

}  // namespace gavel::test

#endif  // GAVEL_TESTS_PROJECTIONS_FIXTURES_H_
