// The Initiative's state: Evolve, equality and the views other deciders
// read. The deciders are in initiative_intake.cc, initiative_scoring.cc,
// initiative_gates.cc, initiative_decision.cc and initiative_delivery.cc.
#include "domain/initiative.h"

#include <algorithm>
#include <utility>

#include "domain/proto_equality.h"

namespace gavel::domain {
namespace {

using gavel::v1::InitiativeEvent;

template <typename T, typename Pred>
T* FindIf(std::vector<T>& items, Pred pred) {
  auto it = std::find_if(items.begin(), items.end(), pred);
  return it == items.end() ? nullptr : &*it;
}

void ApplyScore(ScoringRound& scoring, const gavel::v1::CriterionScored& e) {
  for (size_t i = 0; i < scoring.scores.size(); ++i) {
    CriterionScore& score = scoring.scores[i];
    if (score.criterion_id == e.criterion_id() && score.scorer == e.scorer()) {
      score.value = e.value();
      scoring.score_versions[i] = e.framework_version();
      return;
    }
  }
  scoring.scores.push_back({e.criterion_id(), e.scorer(), e.value()});
  scoring.score_versions.push_back(e.framework_version());
}

void ApplyDecision(InitiativeState& state, const gavel::v1::GateDecided& e) {
  GateReview* review = FindIf(state.reviews, [&](const GateReview& r) {
    return r.request.review_number() == e.review_number();
  });
  if (review != nullptr) review->decision = e;
  for (const gavel::v1::Condition& condition : e.conditions()) {
    state.conditions.push_back({condition, e.review_number(), std::nullopt});
  }
  if (e.baselines_frozen()) state.baselines_frozen = true;
  if (!e.capacity_reserved().empty()) {
    state.reserved_capacity.assign(e.capacity_reserved().begin(),
                                   e.capacity_reserved().end());
  }
  switch (e.outcome()) {
    case gavel::v1::GATE_OUTCOME_GO:
    case gavel::v1::GATE_OUTCOME_CONDITIONAL_GO:
      state.passed_gates.push_back(e.gate_id());
      state.status = InitiativeStatus::kActive;
      break;
    case gavel::v1::GATE_OUTCOME_HOLD:
      state.status = InitiativeStatus::kOnHold;
      state.held_gate_id = e.gate_id();
      state.held_by_board_id = e.board_id();
      break;
    case gavel::v1::GATE_OUTCOME_KILL:
      state.status = InitiativeStatus::kKilled;
      state.reserved_capacity.clear();
      break;
    default:  // RECYCLE: the gate stays unpassed.
      break;
  }
}

void ApplyForecast(InitiativeState& state,
                   const gavel::v1::ForecastRevised& e) {
  state.forecast = e;
  for (Benefit& benefit : state.benefits) benefit.forecast.reset();
  for (const gavel::v1::BenefitForecast& forecast : e.benefits()) {
    Benefit* benefit = FindIf(state.benefits, [&](const Benefit& b) {
      return b.registration.benefit_id() == forecast.benefit_id();
    });
    if (benefit != nullptr) benefit->forecast = forecast.value();
  }
}

// Everything but the review, decision and forecast events.
void ApplyRecord(InitiativeState& state, const InitiativeEvent& event) {
  switch (event.event_case()) {
    case InitiativeEvent::kObjectiveLinked: {
      const gavel::v1::ObjectiveLinked& e = event.objective_linked();
      auto* link =
          FindIf(state.links, [&](const gavel::v1::ObjectiveLinked& l) {
            return l.objective_id() == e.objective_id();
          });
      if (link != nullptr) {
        *link = e;
      } else {
        state.links.push_back(e);
      }
      break;
    }
    case InitiativeEvent::kObjectiveUnlinked: {
      const std::string& id = event.objective_unlinked().objective_id();
      state.links.erase(
          std::remove_if(state.links.begin(), state.links.end(),
                         [&](const gavel::v1::ObjectiveLinked& l) {
                           return l.objective_id() == id;
                         }),
          state.links.end());
      break;
    }
    case InitiativeEvent::kBenefitRegistered: {
      const gavel::v1::BenefitRegistered& e = event.benefit_registered();
      Benefit* benefit = FindIf(state.benefits, [&](const Benefit& b) {
        return b.registration.benefit_id() == e.benefit_id();
      });
      if (benefit != nullptr) {
        benefit->registration = e;
      } else {
        Benefit added;
        added.registration = e;
        state.benefits.push_back(std::move(added));
      }
      break;
    }
    case InitiativeEvent::kBenefitMeasured: {
      const gavel::v1::BenefitMeasured& e = event.benefit_measured();
      Benefit* benefit = FindIf(state.benefits, [&](const Benefit& b) {
        return b.registration.benefit_id() == e.benefit_id();
      });
      if (benefit != nullptr) {
        ++benefit->measurements;
        benefit->last_measurement = e;
      }
      break;
    }
    case InitiativeEvent::kConditionSatisfied: {
      const gavel::v1::ConditionSatisfied& e = event.condition_satisfied();
      ConditionState* condition =
          FindIf(state.conditions, [&](const ConditionState& c) {
            return c.condition.condition_id() == e.condition_id();
          });
      if (condition != nullptr) condition->satisfied = e;
      break;
    }
    case InitiativeEvent::kCostReported:
      ++state.cost_reports;
      state.last_cost = event.cost_reported();
      break;
    case InitiativeEvent::kMilestoneAchieved: {
      const gavel::v1::MilestoneAchieved& e = event.milestone_achieved();
      MilestoneState* milestone =
          FindIf(state.milestones, [&](const MilestoneState& m) {
            return m.milestone.milestone_id() == e.milestone_id();
          });
      if (milestone != nullptr) milestone->achieved = e;
      break;
    }
    case InitiativeEvent::kBauImpactAssessed:
      state.bau_impact = event.bau_impact_assessed();
      break;
    case InitiativeEvent::kRiskRaised:
      state.risks.push_back({event.risk_raised(), std::nullopt});
      break;
    case InitiativeEvent::kRiskClosed: {
      const gavel::v1::RiskClosed& e = event.risk_closed();
      RiskState* risk = FindIf(state.risks, [&](const RiskState& r) {
        return r.risk.risk_id() == e.risk_id();
      });
      if (risk != nullptr) risk->closed = e;
      break;
    }
    case InitiativeEvent::kDependencyDeclared:
      state.dependencies.push_back({event.dependency_declared(), std::nullopt});
      break;
    case InitiativeEvent::kDependencyResolved: {
      const gavel::v1::DependencyResolved& e = event.dependency_resolved();
      DependencyState* dependency =
          FindIf(state.dependencies, [&](const DependencyState& d) {
            return d.dependency.dependency_id() == e.dependency_id();
          });
      if (dependency != nullptr) dependency->resolved = e;
      break;
    }
    default:
      break;
  }
}

}  // namespace

bool IsTerminal(InitiativeStatus status) {
  return status == InitiativeStatus::kKilled ||
         status == InitiativeStatus::kWithdrawn ||
         status == InitiativeStatus::kClosed;
}

const GateReview* InitiativeState::OpenReview() const {
  if (reviews.empty() || reviews.back().decision.has_value()) return nullptr;
  return &reviews.back();
}

InitiativeState Evolve(InitiativeState state, const InitiativeEvent& event) {
  ++state.version;
  switch (event.event_case()) {
    case InitiativeEvent::kSubmitted:
      state.submission = event.submitted();
      state.status = InitiativeStatus::kProposed;
      state.milestones.clear();
      for (const gavel::v1::Milestone& m : event.submitted().milestones()) {
        state.milestones.push_back({m, std::nullopt});
      }
      break;
    case InitiativeEvent::kScorersAssigned: {
      const gavel::v1::ScorersAssigned& e = event.scorers_assigned();
      state.scoring = ScoringRound();
      state.scoring.round = e.round();
      state.scoring.framework_id = e.framework_id();
      state.scoring.scorers.assign(e.scorers().begin(), e.scorers().end());
      break;
    }
    case InitiativeEvent::kCriterionScored:
      ApplyScore(state.scoring, event.criterion_scored());
      break;
    case InitiativeEvent::kScorecardLocked:
      state.scoring.locked = event.scorecard_locked();
      break;
    case InitiativeEvent::kPriorityChanged:
      state.priority = event.priority_changed().to_priority();
      break;
    case InitiativeEvent::kGateReviewRequested:
      state.reviews.push_back({event.gate_review_requested(), {}, {}, {}});
      break;
    case InitiativeEvent::kMemberRecused:
      if (!state.reviews.empty()) {
        state.reviews.back().recusals.push_back(event.member_recused());
      }
      break;
    case InitiativeEvent::kGateVoteCast:
      if (!state.reviews.empty()) {
        state.reviews.back().votes.push_back(event.gate_vote_cast());
      }
      break;
    case InitiativeEvent::kGateDecided:
      ApplyDecision(state, event.gate_decided());
      break;
    case InitiativeEvent::kHoldReleased:
      state.status = state.passed_gates.empty() ? InitiativeStatus::kProposed
                                                : InitiativeStatus::kActive;
      state.held_gate_id.clear();
      state.held_by_board_id.clear();
      break;
    case InitiativeEvent::kForecastRevised:
      ApplyForecast(state, event.forecast_revised());
      break;
    case InitiativeEvent::kWithdrawn:
      state.status = InitiativeStatus::kWithdrawn;
      state.withdrawal = event.withdrawn();
      state.reserved_capacity.clear();
      break;
    case InitiativeEvent::kClosed:
      state.status = InitiativeStatus::kClosed;
      state.closure = event.closed();
      state.reserved_capacity.clear();
      break;
    default:
      ApplyRecord(state, event);
      break;
  }
  return state;
}

InitiativeView ViewOf(const InitiativeState& state) {
  InitiativeView view;
  view.initiative_id = state.submission.initiative_id();
  view.terminal = IsTerminal(state.status);
  return view;
}

std::vector<std::string> UnresolvedDependencies(const InitiativeState& state) {
  std::vector<std::string> ids;
  for (const DependencyState& dependency : state.dependencies) {
    if (dependency.resolved.has_value()) continue;
    const std::string& id = dependency.dependency.depends_on_initiative_id();
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  return ids;
}

namespace {

bool Equal(const CriterionScore& a, const CriterionScore& b);
bool Equal(const Benefit& a, const Benefit& b);
bool Equal(const GateReview& a, const GateReview& b);
bool Equal(const ConditionState& a, const ConditionState& b);
bool Equal(const MilestoneState& a, const MilestoneState& b);
bool Equal(const RiskState& a, const RiskState& b);
bool Equal(const DependencyState& a, const DependencyState& b);

template <typename T>
bool AllEqual(const std::vector<T>& a, const std::vector<T>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const T& x, const T& y) { return Equal(x, y); });
}

bool Equal(const CriterionScore& a, const CriterionScore& b) {
  return a.criterion_id == b.criterion_id && a.scorer == b.scorer &&
         a.value == b.value;
}

bool Equal(const Benefit& a, const Benefit& b) {
  return ProtoEquals(a.registration, b.registration) &&
         a.measurements == b.measurements &&
         ProtoEquals(a.last_measurement, b.last_measurement) &&
         a.forecast == b.forecast;
}

bool Equal(const ScoringRound& a, const ScoringRound& b) {
  return a.round == b.round && a.framework_id == b.framework_id &&
         a.scorers == b.scorers && AllEqual(a.scores, b.scores) &&
         a.score_versions == b.score_versions &&
         ProtoEquals(a.locked, b.locked);
}

bool Equal(const GateReview& a, const GateReview& b) {
  return ProtoEquals(a.request, b.request) &&
         ProtoEquals(a.recusals, b.recusals) && ProtoEquals(a.votes, b.votes) &&
         ProtoEquals(a.decision, b.decision);
}

bool Equal(const ConditionState& a, const ConditionState& b) {
  return ProtoEquals(a.condition, b.condition) &&
         a.review_number == b.review_number &&
         ProtoEquals(a.satisfied, b.satisfied);
}

bool Equal(const MilestoneState& a, const MilestoneState& b) {
  return ProtoEquals(a.milestone, b.milestone) &&
         ProtoEquals(a.achieved, b.achieved);
}

bool Equal(const RiskState& a, const RiskState& b) {
  return ProtoEquals(a.risk, b.risk) && ProtoEquals(a.closed, b.closed);
}

bool Equal(const DependencyState& a, const DependencyState& b) {
  return ProtoEquals(a.dependency, b.dependency) &&
         ProtoEquals(a.resolved, b.resolved);
}

}  // namespace

bool operator==(const InitiativeState& a, const InitiativeState& b) {
  return a.version == b.version && ProtoEquals(a.submission, b.submission) &&
         a.status == b.status && a.priority == b.priority &&
         a.passed_gates == b.passed_gates && a.held_gate_id == b.held_gate_id &&
         a.held_by_board_id == b.held_by_board_id &&
         a.baselines_frozen == b.baselines_frozen &&
         ProtoEquals(a.reserved_capacity, b.reserved_capacity) &&
         ProtoEquals(a.links, b.links) && AllEqual(a.benefits, b.benefits) &&
         Equal(a.scoring, b.scoring) && AllEqual(a.reviews, b.reviews) &&
         AllEqual(a.conditions, b.conditions) &&
         ProtoEquals(a.forecast, b.forecast) &&
         a.cost_reports == b.cost_reports &&
         ProtoEquals(a.last_cost, b.last_cost) &&
         AllEqual(a.milestones, b.milestones) &&
         ProtoEquals(a.bau_impact, b.bau_impact) &&
         AllEqual(a.risks, b.risks) &&
         AllEqual(a.dependencies, b.dependencies) &&
         ProtoEquals(a.withdrawal, b.withdrawal) &&
         ProtoEquals(a.closure, b.closure);
}

}  // namespace gavel::domain
