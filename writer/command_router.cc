#include "writer/command_router.h"

#include <set>
#include <type_traits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "domain/context.h"
#include "domain/default_lifecycle.h"
#include "domain/reasons.h"
#include "domain/rejection.h"
#include "domain/validation.h"
#include "gavel/v1/command_visit.h"
#include "proto/catalogue.h"

namespace gavel::writer {
namespace {

using domain::Context;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// Most initiatives a dependency-cycle check walks through.
constexpr size_t kMaxDependencyWalk = 5000;

// The aggregate kinds, for finding the one whose decider takes a command.
template <typename... Kinds>
struct KindList {};
using AllKinds = KindList<ObjectiveKind, FrameworkKind, LifecycleModelKind,
                          BoardKind, GovernanceCycleKind, CapacityPoolKind,
                          PmoServiceKind, InitiativeKind, PortfolioPlanKind>;

template <typename Kind, typename Cmd, typename = void>
struct Decides : std::false_type {};
template <typename Kind, typename Cmd>
struct Decides<
    Kind, Cmd,
    std::void_t<decltype(domain::Decide(
        std::declval<const typename Kind::State&>(), std::declval<const Cmd&>(),
        std::declval<const Context&>()))>> : std::true_type {};

// The kind whose domain::Decide overload takes `Cmd` (void if none).
template <typename Cmd, typename List>
struct KindOf {
  using type = void;
};
template <typename Cmd, typename First, typename... Rest>
struct KindOf<Cmd, KindList<First, Rest...>> {
  using type =
      std::conditional_t<Decides<First, Cmd>::value, First,
                         typename KindOf<Cmd, KindList<Rest...>>::type>;
};

// What a decider returns: the target's events, and events of other
// aggregates written in the same command.
template <typename Event>
std::vector<Event>& TargetEvents(std::vector<Event>& events) {
  return events;
}
std::vector<gavel::v1::InitiativeEvent>& TargetEvents(
    domain::InitiativeDecision& decision) {
  return decision.events;
}
std::vector<gavel::v1::GovernanceCycleEvent>& TargetEvents(
    domain::AgendaDeferral& deferral) {
  return deferral.events;
}
// Calls f(Kind{}, AggregateEvents&) for each other aggregate's events.
template <typename Event, typename F>
void ForEachOther(std::vector<Event>&, F&&) {}
template <typename F>
void ForEachOther(domain::InitiativeDecision& decision, F&& f) {
  for (auto& pool : decision.pool_events) f(CapacityPoolKind{}, pool);
}
template <typename F>
void ForEachOther(domain::AgendaDeferral& deferral, F&& f) {
  if (deferral.target.has_value()) f(GovernanceCycleKind{}, *deferral.target);
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
        storage::NewEvent{"", catalogue::EventTypeOf(event).value_or(""),
                          event.SerializeAsString()});
  }
  return append;
}

// Calls f(path, value) for each value of the string field at the end of
// `path` in `message` (every element of a repeated message on the way).
// `path` names the fields with '.' and repeated elements with [i].
template <typename F>
void ForEachValue(const Message& message,
                  absl::Span<const FieldDescriptor* const> path,
                  const std::string& prefix, F&& f) {
  const FieldDescriptor* field = path.front();
  const google::protobuf::Reflection& r = *message.GetReflection();
  const std::string name = absl::StrCat(prefix, field->name());
  if (path.size() == 1) {
    f(name, r.GetString(message, field));
    return;
  }
  if (field->is_repeated()) {
    for (int i = 0; i < r.FieldSize(message, field); ++i) {
      ForEachValue(r.GetRepeatedMessage(message, field, i), path.subspan(1),
                   absl::StrCat(name, "[", i, "]."), f);
    }
  } else if (r.HasField(message, field)) {
    ForEachValue(r.GetMessage(message, field), path.subspan(1),
                 absl::StrCat(name, "."), f);
  }
}

// Decides one command against the aggregates in a store.
class CommandDecider {
 public:
  CommandDecider(const CommandEnv& env, AggregateStore& store)
      : env_(env), store_(store) {}

  template <typename Cmd>
  absl::StatusOr<DecidedCommand> Decide(const Cmd& cmd);
  absl::StatusOr<DecidedCommand> Decide(gavel::v1::NoCommand) {
    return domain::Reject(domain::kMissingField, "command",
                          "the request carries no command");
  }

 private:
  // The view of aggregate `id` of `Kind`, if it exists.
  template <typename Kind>
  absl::StatusOr<const typename Kind::State*> Existing(absl::string_view field,
                                                       absl::string_view id);
  // Adds to `ctx` what the command's (context) fields name.
  absl::Status AddReferences(Context& ctx, const catalogue::Command& command,
                             const Message& cmd,
                             gavel::v1::AggregateKind target_kind,
                             absl::string_view target_id);
  absl::Status AddReference(Context& ctx, gavel::v1::ContextRef ref,
                            const std::string& field, absl::string_view id);
  // Everything an initiative's own rules read: its model, linked
  // objectives, scorecard framework, demanded pools, and the board of its
  // open review or hold.
  absl::Status AddInitiativeContext(Context& ctx,
                                    const domain::InitiativeState& state);
  absl::Status AddDependencies(Context& ctx, const std::string& field,
                               absl::string_view target_id);

  const CommandEnv& env_;
  AggregateStore& store_;
};

template <typename Cmd>
absl::StatusOr<DecidedCommand> CommandDecider::Decide(const Cmd& cmd) {
  using Kind = typename KindOf<Cmd, AllKinds>::type;
  static_assert(!std::is_void_v<Kind>, "no domain::Decide takes the command");
  const catalogue::Command* command =
      catalogue::Catalogue::Get().FindCommand(Cmd::descriptor());
  if (command == nullptr || command->aggregate != Kind::kKind) {
    return absl::InternalError(
        absl::StrCat(Cmd::descriptor()->full_name(),
                     ": the catalogue names another aggregate than its "
                     "decider's"));
  }
  const std::string& id =
      cmd.GetReflection()->GetString(cmd, command->id_field);
  if (absl::Status s =
          domain::ValidateAggregateId(id, command->id_field->name());
      !s.ok()) {
    return s;
  }
  absl::StatusOr<typename Kind::State*> state = store_.Get<Kind>(id);
  if (!state.ok()) return state.status();
  const std::string stream = StreamOf<Kind>(id);
  if (env_.expected_version.has_value() &&
      *env_.expected_version != (*state)->version) {
    return domain::Reject(
        domain::kVersionConflict, "options.expected_version",
        absl::StrCat(stream, " is at version ", (*state)->version, ", not ",
                     *env_.expected_version));
  }

  Context ctx;
  ctx.now = env_.now;
  ctx.actor = env_.actor;
  ctx.head_position = env_.head_position;
  ctx.stream_position = store_.LastPosition(stream);
  if constexpr (std::is_same_v<Kind, InitiativeKind>) {
    if (absl::Status s = AddInitiativeContext(ctx, **state); !s.ok()) return s;
  }
  if (absl::Status s = AddReferences(ctx, *command, cmd, Kind::kKind, id);
      !s.ok()) {
    return s;
  }

  auto decision = domain::Decide(**state, cmd, ctx);
  if (!decision.ok()) return decision.status();
  const uint64_t before = (*state)->version;
  DecidedCommand decided;
  decided.target_stream = stream;
  decided.target_version = before + TargetEvents(*decision).size();
  decided.appends.push_back(AppendOf(stream, before, TargetEvents(*decision)));
  absl::Status others;
  ForEachOther(*decision, [&](auto kind, const auto& other) {
    using OtherKind = decltype(kind);
    absl::StatusOr<typename OtherKind::State*> other_state =
        store_.Get<OtherKind>(other.aggregate_id);
    if (!other_state.ok()) {
      others.Update(other_state.status());
      return;
    }
    decided.appends.push_back(AppendOf(StreamOf<OtherKind>(other.aggregate_id),
                                       (*other_state)->version, other.events));
  });
  if (!others.ok()) return others;
  decided.apply = [&store = store_, id,
                   decision = *std::move(decision)]() mutable {
    store.Apply<Kind>(id, TargetEvents(decision));
    ForEachOther(decision, [&store](auto kind, const auto& other) {
      store.Apply<decltype(kind)>(other.aggregate_id, other.events);
    });
  };
  return decided;
}

template <typename Kind>
absl::StatusOr<const typename Kind::State*> CommandDecider::Existing(
    absl::string_view field, absl::string_view id) {
  if (id.empty()) return nullptr;
  if (absl::Status s = domain::ValidateAggregateId(id, field); !s.ok()) {
    return s;
  }
  absl::StatusOr<typename Kind::State*> state = store_.Get<Kind>(id);
  if (!state.ok()) return state.status();
  return (*state)->version > 0 ? *state : nullptr;
}

absl::Status CommandDecider::AddReferences(Context& ctx,
                                           const catalogue::Command& command,
                                           const Message& cmd,
                                           gavel::v1::AggregateKind target_kind,
                                           absl::string_view target_id) {
  // The kind each reference names, to skip one that names the target.
  static const auto kind_of = [](gavel::v1::ContextRef ref) {
    switch (ref) {
      case gavel::v1::CONTEXT_REF_CYCLE:
      case gavel::v1::CONTEXT_REF_CYCLE_AND_BOARD:
        return gavel::v1::AGGREGATE_KIND_GOVERNANCE_CYCLE;
      case gavel::v1::CONTEXT_REF_INITIATIVE:
      case gavel::v1::CONTEXT_REF_DEPENDENCY:
        return gavel::v1::AGGREGATE_KIND_INITIATIVE;
      default:
        return gavel::v1::AGGREGATE_KIND_UNSPECIFIED;
    }
  };
  absl::Status status;
  for (const catalogue::ContextField& reference : command.context) {
    ForEachValue(
        cmd, reference.path, "",
        [&](const std::string& field, const std::string& id) {
          if (!status.ok()) return;
          if (kind_of(reference.ref) == target_kind && id == target_id) {
            return;  // The target itself: its own state.
          }
          status = AddReference(ctx, reference.ref, field, id);
        });
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status CommandDecider::AddReference(Context& ctx,
                                          gavel::v1::ContextRef ref,
                                          const std::string& field,
                                          absl::string_view id) {
  switch (ref) {
    case gavel::v1::CONTEXT_REF_OBJECTIVE: {
      if (ctx.FindObjective(id) != nullptr) return absl::OkStatus();
      auto objective = Existing<ObjectiveKind>(field, id);
      if (!objective.ok()) return objective.status();
      if (*objective != nullptr) {
        ctx.objectives.push_back(domain::ViewOf(**objective));
      }
      return absl::OkStatus();
    }
    case gavel::v1::CONTEXT_REF_CAPACITY_POOL: {
      if (ctx.FindPool(id) != nullptr) return absl::OkStatus();
      auto pool = Existing<CapacityPoolKind>(field, id);
      if (!pool.ok()) return pool.status();
      if (*pool != nullptr) ctx.pools.push_back(domain::ViewOf(**pool));
      return absl::OkStatus();
    }
    case gavel::v1::CONTEXT_REF_FRAMEWORK: {
      auto framework = Existing<FrameworkKind>(field, id);
      if (!framework.ok()) return framework.status();
      ctx.framework.reset();
      if (*framework != nullptr) ctx.framework = domain::ViewOf(**framework);
      return absl::OkStatus();
    }
    case gavel::v1::CONTEXT_REF_LIFECYCLE_MODEL: {
      if (id.empty() || id == "default") {
        ctx.lifecycle_model = domain::DefaultLifecycleModelView();
        return absl::OkStatus();
      }
      auto model = Existing<LifecycleModelKind>(field, id);
      if (!model.ok()) return model.status();
      ctx.lifecycle_model.reset();
      if (*model != nullptr) ctx.lifecycle_model = domain::ViewOf(**model);
      return absl::OkStatus();
    }
    case gavel::v1::CONTEXT_REF_BOARD: {
      auto board = Existing<BoardKind>(field, id);
      if (!board.ok()) return board.status();
      ctx.board.reset();
      if (*board != nullptr) ctx.board = domain::ViewOf(**board);
      return absl::OkStatus();
    }
    case gavel::v1::CONTEXT_REF_CYCLE:
    case gavel::v1::CONTEXT_REF_CYCLE_AND_BOARD: {
      auto cycle = Existing<GovernanceCycleKind>(field, id);
      if (!cycle.ok()) return cycle.status();
      ctx.cycle.reset();
      if (*cycle == nullptr) return absl::OkStatus();
      ctx.cycle = domain::ViewOf(**cycle);
      if (ref == gavel::v1::CONTEXT_REF_CYCLE) return absl::OkStatus();
      return AddReference(ctx, gavel::v1::CONTEXT_REF_BOARD, "board_id",
                          ctx.cycle->board_id);
    }
    case gavel::v1::CONTEXT_REF_INITIATIVE: {
      auto other = Existing<InitiativeKind>(field, id);
      if (!other.ok()) return other.status();
      ctx.other_initiative.reset();
      if (*other != nullptr) ctx.other_initiative = domain::ViewOf(**other);
      return absl::OkStatus();
    }
    case gavel::v1::CONTEXT_REF_DEPENDENCY:
      return AddDependencies(ctx, field, id);
    default:
      return absl::InternalError(
          absl::StrCat(field, ": a context reference the writer cannot load"));
  }
}

absl::Status CommandDecider::AddInitiativeContext(
    Context& ctx, const domain::InitiativeState& state) {
  if (state.version == 0) return absl::OkStatus();
  if (absl::Status s = AddReference(ctx, gavel::v1::CONTEXT_REF_LIFECYCLE_MODEL,
                                    "lifecycle_model_id",
                                    state.submission.lifecycle_model_id());
      !s.ok()) {
    return s;
  }
  for (const gavel::v1::ObjectiveLinked& link : state.links) {
    if (absl::Status s = AddReference(ctx, gavel::v1::CONTEXT_REF_OBJECTIVE,
                                      "objective_id", link.objective_id());
        !s.ok()) {
      return s;
    }
  }
  if (!state.scoring.framework_id.empty()) {
    if (absl::Status s =
            AddReference(ctx, gavel::v1::CONTEXT_REF_FRAMEWORK, "framework_id",
                         state.scoring.framework_id);
        !s.ok()) {
      return s;
    }
  }
  for (const gavel::v1::CapacityDemand& demand :
       state.submission.capacity_demand()) {
    if (absl::Status s = AddReference(ctx, gavel::v1::CONTEXT_REF_CAPACITY_POOL,
                                      "pool_id", demand.pool_id());
        !s.ok()) {
      return s;
    }
  }
  const domain::GateReview* review = state.OpenReview();
  const std::string& board_id =
      review != nullptr ? review->request.board_id() : state.held_by_board_id;
  if (board_id.empty()) return absl::OkStatus();
  return AddReference(ctx, gavel::v1::CONTEXT_REF_BOARD, "board_id", board_id);
}

absl::Status CommandDecider::AddDependencies(Context& ctx,
                                             const std::string& field,
                                             absl::string_view target_id) {
  auto target = Existing<InitiativeKind>(field, target_id);
  if (!target.ok()) return target.status();
  if (*target == nullptr) return absl::OkStatus();
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

}  // namespace

absl::StatusOr<DecidedCommand> DecideCommand(const gavel::v1::Command& command,
                                             const CommandEnv& env,
                                             AggregateStore& store) {
  CommandDecider decider(env, store);
  return gavel::v1::VisitCommand(
      command, [&decider](const auto& cmd) { return decider.Decide(cmd); });
}

}  // namespace gavel::writer
