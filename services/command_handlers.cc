#include "services/command_handlers.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "domain/context.h"
#include "domain/default_lifecycle.h"
#include "domain/reasons.h"
#include "domain/rejection.h"
#include "services/aggregate_kinds.h"

namespace gavel::services {
namespace {

using domain::Context;

// Aggregate ids end up in stream ids (storage/key_format.h bounds those).
constexpr size_t kMaxIdBytes = 128;
// Most initiatives a dependency-cycle check walks through.
constexpr size_t kMaxDependencyWalk = 5000;

absl::Status ValidateId(absl::string_view field, absl::string_view id) {
  if (id.size() > kMaxIdBytes) {
    return domain::Reject(
        domain::kValueOutOfRange, field,
        absl::StrCat(field, " is longer than ", kMaxIdBytes, " bytes"));
  }
  for (char c : id) {
    if (static_cast<unsigned char>(c) < 0x20) {
      return domain::Reject(domain::kValueOutOfRange, field,
                            absl::StrCat(field,
                                         " contains a control "
                                         "character"));
    }
  }
  return absl::OkStatus();
}

template <typename Event>
storage::StreamAppend AppendOf(std::string stream, uint64_t version_before,
                               const std::vector<Event>& events) {
  storage::StreamAppend append;
  append.stream_id = std::move(stream);
  append.expected_version = storage::ExpectedVersion::Exactly(version_before);
  append.events.reserve(events.size());
  for (const Event& event : events) {
    append.events.push_back(
        storage::NewEvent{"", EventTypeOf(event), event.SerializeAsString()});
  }
  return append;
}

// Decides commands against the aggregates in a store; one per command.
class CommandDecider {
 public:
  CommandDecider(const CommandEnv& env, AggregateStore& store)
      : env_(env), store_(store) {}

  absl::StatusOr<DecidedCommand> Decide(const gavel::v1::Command& command);

 private:
  // The target aggregate `id` of `Kind`, with the expected version checked.
  template <typename Kind>
  absl::StatusOr<typename Kind::State*> Target(absl::string_view field,
                                               absl::string_view id);

  // A fresh context for a command on stream `stream`.
  Context BaseContext(absl::string_view stream) const {
    Context ctx;
    ctx.now = env_.now;
    ctx.actor = env_.actor;
    ctx.head_position = env_.head_position;
    ctx.stream_position = store_.LastPosition(stream);
    return ctx;
  }

  // Decides a command on one aggregate: loads it, fills the context with
  // `fill`, calls the domain, folds the events into the store.
  template <typename Kind, typename Cmd, typename Fill>
  absl::StatusOr<DecidedCommand> DecideOn(absl::string_view field,
                                          absl::string_view id, const Cmd& cmd,
                                          Fill fill);
  template <typename Kind, typename Cmd>
  absl::StatusOr<DecidedCommand> DecideOn(absl::string_view field,
                                          absl::string_view id,
                                          const Cmd& cmd) {
    return DecideOn<Kind>(
        field, id, cmd,
        [](Context&, const typename Kind::State&) { return absl::OkStatus(); });
  }

  // Initiative commands that write to capacity pools too.
  template <typename Cmd>
  absl::StatusOr<DecidedCommand> DecideInitiativeDecision(const Cmd& cmd);
  absl::StatusOr<DecidedCommand> DecideDeferral(
      const gavel::v1::DeferAgendaItem& cmd);

  // Context fillers: each adds a view when the named aggregate exists
  // (a missing view makes the decider reject with *_NOT_FOUND).
  absl::Status AddBoard(Context& ctx, absl::string_view board_id);
  absl::Status AddCycle(Context& ctx, absl::string_view cycle_id);
  absl::Status AddFramework(Context& ctx, absl::string_view framework_id);
  absl::Status AddObjective(Context& ctx, absl::string_view objective_id);
  absl::Status AddPool(Context& ctx, absl::string_view pool_id);
  absl::Status AddLifecycleModel(Context& ctx, absl::string_view model_id);
  // Everything an initiative's own rules read: its model, linked
  // objectives, scorecard framework, demanded pools, and the board of its
  // open review or hold.
  absl::Status AddInitiativeContext(Context& ctx,
                                    const domain::InitiativeState& state);
  absl::Status AddDependencies(Context& ctx, absl::string_view target_id);

  const CommandEnv& env_;
  AggregateStore& store_;
};

template <typename Kind>
absl::StatusOr<typename Kind::State*> CommandDecider::Target(
    absl::string_view field, absl::string_view id) {
  if (absl::Status s = ValidateId(field, id); !s.ok()) return s;
  absl::StatusOr<typename Kind::State*> state = store_.Get<Kind>(id);
  if (!state.ok()) return state.status();
  if (env_.expected_version.has_value() &&
      *env_.expected_version != (*state)->version) {
    return domain::Reject(
        domain::kVersionConflict, "options.expected_version",
        absl::StrCat(StreamOf<Kind>(id), " is at version ", (*state)->version,
                     ", not ", *env_.expected_version));
  }
  return state;
}

template <typename Kind, typename Cmd, typename Fill>
absl::StatusOr<DecidedCommand> CommandDecider::DecideOn(absl::string_view field,
                                                        absl::string_view id,
                                                        const Cmd& cmd,
                                                        Fill fill) {
  absl::StatusOr<typename Kind::State*> state = Target<Kind>(field, id);
  if (!state.ok()) return state.status();
  const std::string stream = StreamOf<Kind>(id);
  Context ctx = BaseContext(stream);
  if (absl::Status s = fill(ctx, **state); !s.ok()) return s;
  auto events = domain::Decide(**state, cmd, ctx);
  if (!events.ok()) return events.status();
  const uint64_t before = (*state)->version;
  DecidedCommand decided;
  decided.target_stream = stream;
  decided.target_version = before + events->size();
  decided.appends.push_back(AppendOf(stream, before, *events));
  decided.apply = [&store = store_, id = std::string(id),
                   events = *std::move(events)]() {
    store.Apply<Kind>(id, events);
  };
  return decided;
}

template <typename Cmd>
absl::StatusOr<DecidedCommand> CommandDecider::DecideInitiativeDecision(
    const Cmd& cmd) {
  absl::StatusOr<domain::InitiativeState*> state =
      Target<InitiativeKind>("initiative_id", cmd.initiative_id());
  if (!state.ok()) return state.status();
  const std::string stream = StreamOf<InitiativeKind>(cmd.initiative_id());
  Context ctx = BaseContext(stream);
  if (absl::Status s = AddInitiativeContext(ctx, **state); !s.ok()) return s;
  absl::StatusOr<domain::InitiativeDecision> decision =
      domain::Decide(**state, cmd, ctx);
  if (!decision.ok()) return decision.status();
  const uint64_t before = (*state)->version;
  DecidedCommand decided;
  decided.target_stream = stream;
  decided.target_version = before + decision->events.size();
  decided.appends.push_back(AppendOf(stream, before, decision->events));
  for (const auto& pool : decision->pool_events) {
    absl::StatusOr<domain::CapacityPoolState*> pool_state =
        store_.Get<CapacityPoolKind>(pool.aggregate_id);
    if (!pool_state.ok()) return pool_state.status();
    decided.appends.push_back(
        AppendOf(StreamOf<CapacityPoolKind>(pool.aggregate_id),
                 (*pool_state)->version, pool.events));
  }
  decided.apply = [&store = store_, id = cmd.initiative_id(),
                   decision = *std::move(decision)]() {
    store.Apply<InitiativeKind>(id, decision.events);
    for (const auto& pool : decision.pool_events) {
      store.Apply<CapacityPoolKind>(pool.aggregate_id, pool.events);
    }
  };
  return decided;
}

absl::StatusOr<DecidedCommand> CommandDecider::DecideDeferral(
    const gavel::v1::DeferAgendaItem& cmd) {
  absl::StatusOr<domain::GovernanceCycleState*> state =
      Target<GovernanceCycleKind>("cycle_id", cmd.cycle_id());
  if (!state.ok()) return state.status();
  const std::string stream = StreamOf<GovernanceCycleKind>(cmd.cycle_id());
  Context ctx = BaseContext(stream);
  if (!cmd.to_cycle_id().empty() && cmd.to_cycle_id() != cmd.cycle_id()) {
    if (absl::Status s = AddCycle(ctx, cmd.to_cycle_id()); !s.ok()) return s;
  }
  absl::StatusOr<domain::AgendaDeferral> deferral =
      domain::Decide(**state, cmd, ctx);
  if (!deferral.ok()) return deferral.status();
  const uint64_t before = (*state)->version;
  DecidedCommand decided;
  decided.target_stream = stream;
  decided.target_version = before + deferral->events.size();
  decided.appends.push_back(AppendOf(stream, before, deferral->events));
  if (deferral->target.has_value()) {
    const auto& target = *deferral->target;
    absl::StatusOr<domain::GovernanceCycleState*> target_state =
        store_.Get<GovernanceCycleKind>(target.aggregate_id);
    if (!target_state.ok()) return target_state.status();
    decided.appends.push_back(
        AppendOf(StreamOf<GovernanceCycleKind>(target.aggregate_id),
                 (*target_state)->version, target.events));
  }
  decided.apply = [&store = store_, id = cmd.cycle_id(),
                   deferral = *std::move(deferral)]() {
    store.Apply<GovernanceCycleKind>(id, deferral.events);
    if (deferral.target.has_value()) {
      store.Apply<GovernanceCycleKind>(deferral.target->aggregate_id,
                                       deferral.target->events);
    }
  };
  return decided;
}

absl::Status CommandDecider::AddBoard(Context& ctx,
                                      absl::string_view board_id) {
  if (board_id.empty()) return absl::OkStatus();
  if (absl::Status s = ValidateId("board_id", board_id); !s.ok()) return s;
  absl::StatusOr<domain::BoardState*> board = store_.Get<BoardKind>(board_id);
  if (!board.ok()) return board.status();
  if ((*board)->version > 0) ctx.board = domain::ViewOf(**board);
  return absl::OkStatus();
}

absl::Status CommandDecider::AddCycle(Context& ctx,
                                      absl::string_view cycle_id) {
  if (cycle_id.empty()) return absl::OkStatus();
  if (absl::Status s = ValidateId("cycle_id", cycle_id); !s.ok()) return s;
  absl::StatusOr<domain::GovernanceCycleState*> cycle =
      store_.Get<GovernanceCycleKind>(cycle_id);
  if (!cycle.ok()) return cycle.status();
  if ((*cycle)->version > 0) ctx.cycle = domain::ViewOf(**cycle);
  return absl::OkStatus();
}

absl::Status CommandDecider::AddFramework(Context& ctx,
                                          absl::string_view framework_id) {
  if (framework_id.empty()) return absl::OkStatus();
  if (absl::Status s = ValidateId("framework_id", framework_id); !s.ok()) {
    return s;
  }
  absl::StatusOr<domain::FrameworkState*> framework =
      store_.Get<FrameworkKind>(framework_id);
  if (!framework.ok()) return framework.status();
  if ((*framework)->version > 0) ctx.framework = domain::ViewOf(**framework);
  return absl::OkStatus();
}

absl::Status CommandDecider::AddObjective(Context& ctx,
                                          absl::string_view objective_id) {
  if (objective_id.empty() || ctx.FindObjective(objective_id) != nullptr) {
    return absl::OkStatus();
  }
  if (absl::Status s = ValidateId("objective_id", objective_id); !s.ok()) {
    return s;
  }
  absl::StatusOr<domain::ObjectiveState*> objective =
      store_.Get<ObjectiveKind>(objective_id);
  if (!objective.ok()) return objective.status();
  if ((*objective)->version > 0) {
    ctx.objectives.push_back(domain::ViewOf(**objective));
  }
  return absl::OkStatus();
}

absl::Status CommandDecider::AddPool(Context& ctx, absl::string_view pool_id) {
  if (pool_id.empty() || ctx.FindPool(pool_id) != nullptr) {
    return absl::OkStatus();
  }
  if (absl::Status s = ValidateId("pool_id", pool_id); !s.ok()) return s;
  absl::StatusOr<domain::CapacityPoolState*> pool =
      store_.Get<CapacityPoolKind>(pool_id);
  if (!pool.ok()) return pool.status();
  if ((*pool)->version > 0) ctx.pools.push_back(domain::ViewOf(**pool));
  return absl::OkStatus();
}

absl::Status CommandDecider::AddLifecycleModel(Context& ctx,
                                               absl::string_view model_id) {
  if (model_id.empty() || model_id == "default") {
    ctx.lifecycle_model = domain::DefaultLifecycleModelView();
    return absl::OkStatus();
  }
  if (absl::Status s = ValidateId("lifecycle_model_id", model_id); !s.ok()) {
    return s;
  }
  absl::StatusOr<domain::LifecycleModelState*> model =
      store_.Get<LifecycleModelKind>(model_id);
  if (!model.ok()) return model.status();
  if ((*model)->version > 0) ctx.lifecycle_model = domain::ViewOf(**model);
  return absl::OkStatus();
}

absl::Status CommandDecider::AddInitiativeContext(
    Context& ctx, const domain::InitiativeState& state) {
  if (state.version == 0) return absl::OkStatus();
  if (absl::Status s =
          AddLifecycleModel(ctx, state.submission.lifecycle_model_id());
      !s.ok()) {
    return s;
  }
  for (const gavel::v1::ObjectiveLinked& link : state.links) {
    if (absl::Status s = AddObjective(ctx, link.objective_id()); !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = AddFramework(ctx, state.scoring.framework_id); !s.ok()) {
    return s;
  }
  for (const gavel::v1::CapacityDemand& demand :
       state.submission.capacity_demand()) {
    if (absl::Status s = AddPool(ctx, demand.pool_id()); !s.ok()) return s;
  }
  if (const domain::GateReview* review = state.OpenReview()) {
    return AddBoard(ctx, review->request.board_id());
  }
  return AddBoard(ctx, state.held_by_board_id);
}

absl::Status CommandDecider::AddDependencies(Context& ctx,
                                             absl::string_view target_id) {
  if (target_id.empty()) return absl::OkStatus();
  if (absl::Status s = ValidateId("depends_on_initiative_id", target_id);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<domain::InitiativeState*> target =
      store_.Get<InitiativeKind>(target_id);
  if (!target.ok()) return target.status();
  if ((*target)->version == 0) return absl::OkStatus();
  ctx.other_initiative = domain::ViewOf(**target);
  // Every initiative reachable from the target through unresolved
  // dependencies: enough to find a cycle back to the command's initiative.
  std::vector<std::string> frontier = {std::string(target_id)};
  std::set<std::string> seen = {std::string(target_id)};
  while (!frontier.empty()) {
    if (seen.size() > kMaxDependencyWalk) {
      return absl::ResourceExhaustedError(
          "the dependency graph is too large to check for cycles");
    }
    const std::string id = std::move(frontier.back());
    frontier.pop_back();
    absl::StatusOr<domain::InitiativeState*> state =
        store_.Get<InitiativeKind>(id);
    if (!state.ok()) return state.status();
    std::vector<std::string> next = domain::UnresolvedDependencies(**state);
    for (const std::string& dependency : next) {
      if (seen.insert(dependency).second) frontier.push_back(dependency);
    }
    if (!next.empty()) ctx.dependencies[id] = std::move(next);
  }
  return absl::OkStatus();
}

absl::StatusOr<DecidedCommand> CommandDecider::Decide(
    const gavel::v1::Command& command) {
  using C = gavel::v1::Command;
  using State = domain::InitiativeState;
  auto initiative = [this](Context& ctx, const State& state) {
    return AddInitiativeContext(ctx, state);
  };
  // An initiative command whose context is the initiative's own.
  auto on_initiative = [&](const auto& cmd) {
    return DecideOn<InitiativeKind>("initiative_id", cmd.initiative_id(), cmd,
                                    initiative);
  };
  switch (command.command_case()) {
    // Objective.
    case C::kDefineObjective: {
      const auto& cmd = command.define_objective();
      return DecideOn<ObjectiveKind>(
          "objective_id", cmd.objective_id(), cmd,
          [&](Context& ctx, const domain::ObjectiveState&) {
            return AddObjective(ctx, cmd.parent_objective_id());
          });
    }
    case C::kAddSuccessMeasure:
      return DecideOn<ObjectiveKind>(
          "objective_id", command.add_success_measure().objective_id(),
          command.add_success_measure());
    case C::kSetMeasureTarget:
      return DecideOn<ObjectiveKind>(
          "objective_id", command.set_measure_target().objective_id(),
          command.set_measure_target());
    case C::kRetireObjective: {
      const auto& cmd = command.retire_objective();
      return DecideOn<ObjectiveKind>(
          "objective_id", cmd.objective_id(), cmd,
          [&](Context& ctx, const domain::ObjectiveState&) {
            return AddObjective(ctx, cmd.successor_objective_id());
          });
    }
    // Prioritization framework.
    case C::kDraftFramework:
      return DecideOn<FrameworkKind>("framework_id",
                                     command.draft_framework().framework_id(),
                                     command.draft_framework());
    case C::kApproveFramework: {
      const auto& cmd = command.approve_framework();
      return DecideOn<FrameworkKind>(
          "framework_id", cmd.framework_id(), cmd,
          [&](Context& ctx, const domain::FrameworkState&) {
            return AddBoard(ctx, cmd.decision().board_id());
          });
    }
    case C::kRetireFramework:
      return DecideOn<FrameworkKind>("framework_id",
                                     command.retire_framework().framework_id(),
                                     command.retire_framework());
    // Lifecycle model.
    case C::kDefineLifecycleModel:
      return DecideOn<LifecycleModelKind>(
          "model_id", command.define_lifecycle_model().model_id(),
          command.define_lifecycle_model());
    case C::kRetireLifecycleModel:
      return DecideOn<LifecycleModelKind>(
          "model_id", command.retire_lifecycle_model().model_id(),
          command.retire_lifecycle_model());
    // Capacity pool.
    case C::kDefineCapacityPool:
      return DecideOn<CapacityPoolKind>(
          "pool_id", command.define_capacity_pool().pool_id(),
          command.define_capacity_pool());
    case C::kAdjustCapacity: {
      const auto& cmd = command.adjust_capacity();
      return DecideOn<CapacityPoolKind>(
          "pool_id", cmd.pool_id(), cmd,
          [&](Context& ctx, const domain::CapacityPoolState&) {
            return AddBoard(ctx, cmd.override_decision().board_id());
          });
    }
    // Board.
    case C::kCharterBoard:
      return DecideOn<BoardKind>("board_id", command.charter_board().board_id(),
                                 command.charter_board());
    case C::kAppointMember:
      return DecideOn<BoardKind>("board_id",
                                 command.appoint_member().board_id(),
                                 command.appoint_member());
    case C::kRemoveMember:
      return DecideOn<BoardKind>("board_id", command.remove_member().board_id(),
                                 command.remove_member());
    case C::kDelegateAuthority:
      return DecideOn<BoardKind>("board_id",
                                 command.delegate_authority().board_id(),
                                 command.delegate_authority());
    case C::kRevokeDelegation:
      return DecideOn<BoardKind>("board_id",
                                 command.revoke_delegation().board_id(),
                                 command.revoke_delegation());
    // Governance cycle.
    case C::kScheduleCycle: {
      const auto& cmd = command.schedule_cycle();
      return DecideOn<GovernanceCycleKind>(
          "cycle_id", cmd.cycle_id(), cmd,
          [&](Context& ctx, const domain::GovernanceCycleState&) {
            return AddBoard(ctx, cmd.board_id());
          });
    }
    case C::kAddAgendaItem:
      return DecideOn<GovernanceCycleKind>("cycle_id",
                                           command.add_agenda_item().cycle_id(),
                                           command.add_agenda_item());
    case C::kDeferAgendaItem:
      return DecideDeferral(command.defer_agenda_item());
    case C::kCloseCycle:
      return DecideOn<GovernanceCycleKind>(
          "cycle_id", command.close_cycle().cycle_id(), command.close_cycle());
    // PMO service.
    case C::kDefineServiceLevel: {
      const auto& cmd = command.define_service_level();
      return DecideOn<PmoServiceKind>(
          "pmo_id", cmd.pmo_id(), cmd,
          [&](Context& ctx, const domain::PmoServiceState&) {
            return AddBoard(ctx, cmd.scope().board_id());
          });
    }
    case C::kRecordStakeholderFeedback: {
      const auto& cmd = command.record_stakeholder_feedback();
      return DecideOn<PmoServiceKind>(
          "pmo_id", cmd.pmo_id(), cmd,
          [&](Context& ctx, const domain::PmoServiceState&) {
            if (absl::Status s = AddCycle(ctx, cmd.cycle_id()); !s.ok()) {
              return s;
            }
            return ctx.cycle.has_value() ? AddBoard(ctx, ctx.cycle->board_id)
                                         : absl::OkStatus();
          });
    }
    // Initiative.
    case C::kSubmitInitiative: {
      const auto& cmd = command.submit_initiative();
      return DecideOn<InitiativeKind>(
          "initiative_id", cmd.initiative_id(), cmd,
          [&](Context& ctx, const State&) {
            if (absl::Status s =
                    AddLifecycleModel(ctx, cmd.lifecycle_model_id());
                !s.ok()) {
              return s;
            }
            for (const gavel::v1::CapacityDemand& demand :
                 cmd.capacity_demand()) {
              if (absl::Status s = AddPool(ctx, demand.pool_id()); !s.ok()) {
                return s;
              }
            }
            return absl::OkStatus();
          });
    }
    case C::kLinkObjective: {
      const auto& cmd = command.link_objective();
      return DecideOn<InitiativeKind>(
          "initiative_id", cmd.initiative_id(), cmd,
          [&](Context& ctx, const State& state) {
            if (absl::Status s = AddInitiativeContext(ctx, state); !s.ok()) {
              return s;
            }
            return AddObjective(ctx, cmd.objective_id());
          });
    }
    case C::kUnlinkObjective:
      return on_initiative(command.unlink_objective());
    case C::kRegisterBenefit: {
      const auto& cmd = command.register_benefit();
      return DecideOn<InitiativeKind>(
          "initiative_id", cmd.initiative_id(), cmd,
          [&](Context& ctx, const State& state) {
            if (absl::Status s = AddInitiativeContext(ctx, state); !s.ok()) {
              return s;
            }
            return AddObjective(ctx, cmd.objective_id());
          });
    }
    case C::kAssignScorers: {
      const auto& cmd = command.assign_scorers();
      return DecideOn<InitiativeKind>(
          "initiative_id", cmd.initiative_id(), cmd,
          [&](Context& ctx, const State& state) {
            if (absl::Status s = AddInitiativeContext(ctx, state); !s.ok()) {
              return s;
            }
            ctx.framework.reset();
            return AddFramework(ctx, cmd.framework_id());
          });
    }
    case C::kScoreCriterion:
      return on_initiative(command.score_criterion());
    case C::kLockScorecard:
      return on_initiative(command.lock_scorecard());
    case C::kChangePriority: {
      const auto& cmd = command.change_priority();
      return DecideOn<InitiativeKind>(
          "initiative_id", cmd.initiative_id(), cmd,
          [&](Context& ctx, const State& state) {
            if (absl::Status s = AddInitiativeContext(ctx, state); !s.ok()) {
              return s;
            }
            ctx.board.reset();
            if (absl::Status s = AddBoard(ctx, cmd.board_id()); !s.ok()) {
              return s;
            }
            return AddCycle(ctx, cmd.cycle_id());
          });
    }
    case C::kRequestGateReview: {
      const auto& cmd = command.request_gate_review();
      return DecideOn<InitiativeKind>(
          "initiative_id", cmd.initiative_id(), cmd,
          [&](Context& ctx, const State& state) {
            if (absl::Status s = AddInitiativeContext(ctx, state); !s.ok()) {
              return s;
            }
            ctx.board.reset();
            if (absl::Status s = AddBoard(ctx, cmd.board_id()); !s.ok()) {
              return s;
            }
            return AddCycle(ctx, cmd.cycle_id());
          });
    }
    case C::kRecuseMember:
      return on_initiative(command.recuse_member());
    case C::kCastGateVote:
      return on_initiative(command.cast_gate_vote());
    case C::kRecordGateDecision:
      return DecideInitiativeDecision(command.record_gate_decision());
    case C::kReleaseHold:
      return on_initiative(command.release_hold());
    case C::kSatisfyCondition:
      return on_initiative(command.satisfy_condition());
    case C::kReviseForecast:
      return on_initiative(command.revise_forecast());
    case C::kReportCost:
      return on_initiative(command.report_cost());
    case C::kAchieveMilestone:
      return on_initiative(command.achieve_milestone());
    case C::kAssessBauImpact:
      return on_initiative(command.assess_bau_impact());
    case C::kMeasureBenefit:
      return on_initiative(command.measure_benefit());
    case C::kRaiseRisk:
      return on_initiative(command.raise_risk());
    case C::kCloseRisk:
      return on_initiative(command.close_risk());
    case C::kDeclareDependency: {
      const auto& cmd = command.declare_dependency();
      return DecideOn<InitiativeKind>(
          "initiative_id", cmd.initiative_id(), cmd,
          [&](Context& ctx, const State& state) {
            if (absl::Status s = AddInitiativeContext(ctx, state); !s.ok()) {
              return s;
            }
            if (cmd.depends_on_initiative_id() == cmd.initiative_id()) {
              return absl::OkStatus();  // the decider says SELF_REFERENCE
            }
            return AddDependencies(ctx, cmd.depends_on_initiative_id());
          });
    }
    case C::kResolveDependency:
      return on_initiative(command.resolve_dependency());
    case C::kWithdrawInitiative:
      return DecideInitiativeDecision(command.withdraw_initiative());
    case C::kCloseInitiative:
      return DecideInitiativeDecision(command.close_initiative());
    // Portfolio plan.
    case C::kCreateScenario: {
      const auto& cmd = command.create_scenario();
      return DecideOn<PortfolioPlanKind>(
          "plan_id", cmd.plan_id(), cmd,
          [&](Context& ctx, const domain::PortfolioPlanState&) {
            return AddFramework(ctx, cmd.framework_id());
          });
    }
    case C::kForceInitiative: {
      const auto& cmd = command.force_initiative();
      return DecideOn<PortfolioPlanKind>(
          "plan_id", cmd.plan_id(), cmd,
          [&](Context& ctx, const domain::PortfolioPlanState&) {
            if (cmd.initiative_id().empty()) return absl::OkStatus();
            if (absl::Status s =
                    ValidateId("initiative_id", cmd.initiative_id());
                !s.ok()) {
              return s;
            }
            absl::StatusOr<domain::InitiativeState*> target =
                store_.Get<InitiativeKind>(cmd.initiative_id());
            if (!target.ok()) return target.status();
            if ((*target)->version > 0) {
              ctx.other_initiative = domain::ViewOf(**target);
            }
            return absl::OkStatus();
          });
    }
    case C::kRecordScenarioOptimization:
      return DecideOn<PortfolioPlanKind>(
          "plan_id", command.record_scenario_optimization().plan_id(),
          command.record_scenario_optimization());
    case C::kPublishPlan: {
      const auto& cmd = command.publish_plan();
      return DecideOn<PortfolioPlanKind>(
          "plan_id", cmd.plan_id(), cmd,
          [&](Context& ctx, const domain::PortfolioPlanState&) {
            return AddBoard(ctx, cmd.decision().board_id());
          });
    }
    case C::COMMAND_NOT_SET:
      break;
  }
  return domain::Reject(domain::kMissingField, "command",
                        "the request carries no command");
}

}  // namespace

absl::StatusOr<DecidedCommand> DecideCommand(const gavel::v1::Command& command,
                                             const CommandEnv& env,
                                             AggregateStore& store) {
  return CommandDecider(env, store).Decide(command);
}

}  // namespace gavel::services
