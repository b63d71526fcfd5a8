#include "domain/lifecycle_model.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "domain/decider.h"
#include "domain/default_lifecycle.h"
#include "domain/proto_equality.h"
#include "domain/rejection.h"
#include "domain/validation.h"

namespace gavel::domain {
namespace {

absl::Status RequireNotReserved(absl::string_view model_id) {
  if (model_id == kDefaultLifecycleModelId) {
    return Reject(kReservedId, "model_id",
                  "the model id \"default\" is the built-in model");
  }
  return absl::OkStatus();
}

absl::Status RequireNotRetired(const LifecycleModelState& state) {
  if (state.retired) {
    return Reject(kLifecycleModelRetired, "",
                  absl::StrCat("lifecycle model ", state.definition.model_id(),
                               " is retired"));
  }
  return absl::OkStatus();
}

absl::Status ValidateGate(const gavel::v1::Gate& gate, int index) {
  if (absl::Status s = FirstError(
          {RequireField(gate.gate_id(), FieldPath("gates", index, "gate_id")),
           RequireField(gate.name(), FieldPath("gates", index, "name"))});
      !s.ok()) {
    return s;
  }
  std::set<int> checks;
  for (int j = 0; j < gate.checks_size(); ++j) {
    const std::string field = FieldPath(FieldPath("gates", index, "checks"), j);
    if (absl::Status s =
            RequireEnum(gate.checks(j), gavel::v1::GateCheck_IsValid, field);
        !s.ok()) {
      return s;
    }
    if (!checks.insert(gate.checks(j)).second) {
      return Reject(kDuplicateEntry, field,
                    absl::StrCat(gavel::v1::GateCheck_Name(gate.checks(j)),
                                 " listed twice on gate ", gate.gate_id()));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateGates(const gavel::v1::DefineLifecycleModel& cmd) {
  if (cmd.gates().empty()) {
    return Reject(kMissingField, "gates", "a model needs at least one gate");
  }
  std::set<std::string> gate_ids;
  for (int i = 0; i < cmd.gates_size(); ++i) {
    if (absl::Status s = ValidateGate(cmd.gates(i), i); !s.ok()) return s;
    if (!gate_ids.insert(cmd.gates(i).gate_id()).second) {
      return Reject(kDuplicateEntry, FieldPath("gates", i, "gate_id"),
                    absl::StrCat("gate ", cmd.gates(i).gate_id(), " repeated"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<LifecycleModelEvents> Decide(
    const LifecycleModelState& state,
    const gavel::v1::DefineLifecycleModel& cmd, const Context& /*ctx*/) {
  if (absl::Status s =
          FirstError({RequireField(cmd.model_id(), "model_id"),
                      RequireNotReserved(cmd.model_id()),
                      RequireField(cmd.name(), "name"), ValidateGates(cmd),
                      RequireNew(state, "model_id",
                                 absl::StrCat("lifecycle model ",
                                              cmd.model_id(), " exists"))});
      !s.ok()) {
    return s;
  }
  gavel::v1::LifecycleModelEvent event;
  gavel::v1::LifecycleModelDefined* defined = event.mutable_defined();
  defined->set_model_id(cmd.model_id());
  defined->set_name(cmd.name());
  *defined->mutable_gates() = cmd.gates();
  return LifecycleModelEvents{event};
}

absl::StatusOr<LifecycleModelEvents> Decide(
    const LifecycleModelState& state,
    const gavel::v1::RetireLifecycleModel& cmd, const Context& /*ctx*/) {
  if (absl::Status s = FirstError(
          {RequireNotReserved(cmd.model_id()),
           RequireReason(cmd.reason(), "reason"),
           RequireExisting(state, "model_id", "no such lifecycle model"),
           RequireNotRetired(state)});
      !s.ok()) {
    return s;
  }
  gavel::v1::LifecycleModelEvent event;
  event.mutable_retired()->set_reason(cmd.reason());
  return LifecycleModelEvents{event};
}

LifecycleModelState Evolve(LifecycleModelState state,
                           const gavel::v1::LifecycleModelEvent& event) {
  ++state.version;
  switch (event.event_case()) {
    case gavel::v1::LifecycleModelEvent::kDefined:
      state.definition = event.defined();
      break;
    case gavel::v1::LifecycleModelEvent::kRetired:
      state.retired = true;
      break;
    case gavel::v1::LifecycleModelEvent::EVENT_NOT_SET:
      break;
  }
  return state;
}

LifecycleModelView ViewOf(const LifecycleModelState& state) {
  LifecycleModelView view;
  view.model_id = state.definition.model_id();
  view.retired = state.retired;
  view.gates.assign(state.definition.gates().begin(),
                    state.definition.gates().end());
  return view;
}

bool operator==(const LifecycleModelState& a, const LifecycleModelState& b) {
  return a.version == b.version && a.retired == b.retired &&
         ProtoEquals(a.definition, b.definition);
}

}  // namespace gavel::domain
