#include "domain/default_lifecycle.h"

#include <initializer_list>
#include <string>

namespace gavel::domain {
namespace {

using gavel::v1::GateCheck;

void AddGate(gavel::v1::LifecycleModelDefined& model, absl::string_view id,
             absl::string_view name, std::initializer_list<GateCheck> checks,
             bool reserves_capacity = false, bool freezes_baselines = false) {
  gavel::v1::Gate* gate = model.add_gates();
  gate->set_gate_id(std::string(id));
  gate->set_name(std::string(name));
  for (GateCheck check : checks) gate->add_checks(check);
  gate->set_reserves_capacity(reserves_capacity);
  gate->set_freezes_baselines(freezes_baselines);
}

}  // namespace

gavel::v1::LifecycleModelDefined DefaultLifecycleModel() {
  gavel::v1::LifecycleModelDefined model;
  model.set_model_id(std::string(kDefaultLifecycleModelId));
  model.set_name("Default stage-gate model (G0-G4)");
  AddGate(model, "G0", "Strategic fit",
          {gavel::v1::GATE_CHECK_LINKED_TO_ACTIVE_OBJECTIVE});
  AddGate(model, "G1", "Business case",
          {gavel::v1::GATE_CHECK_LINKED_TO_ACTIVE_OBJECTIVE,
           gavel::v1::GATE_CHECK_SCORECARD_LOCKED,
           gavel::v1::GATE_CHECK_BENEFITS_BASELINED,
           gavel::v1::GATE_CHECK_COST_ESTIMATED,
           gavel::v1::GATE_CHECK_PREVIOUS_CONDITIONS_CLOSED});
  AddGate(model, "G2", "Investment approval",
          {gavel::v1::GATE_CHECK_LINKED_TO_ACTIVE_OBJECTIVE,
           gavel::v1::GATE_CHECK_SCORECARD_LOCKED,
           gavel::v1::GATE_CHECK_BENEFITS_BASELINED,
           gavel::v1::GATE_CHECK_COST_ESTIMATED,
           gavel::v1::GATE_CHECK_CAPACITY_AVAILABLE,
           gavel::v1::GATE_CHECK_PREVIOUS_CONDITIONS_CLOSED},
          /*reserves_capacity=*/true, /*freezes_baselines=*/true);
  AddGate(model, "G3", "Go-live / BAU transition",
          {gavel::v1::GATE_CHECK_BAU_IMPACT_ASSESSED,
           gavel::v1::GATE_CHECK_PREVIOUS_CONDITIONS_CLOSED});
  AddGate(model, "G4", "Benefits review",
          {gavel::v1::GATE_CHECK_BENEFIT_MEASURED,
           gavel::v1::GATE_CHECK_PREVIOUS_CONDITIONS_CLOSED});
  return model;
}

LifecycleModelView DefaultLifecycleModelView() {
  gavel::v1::LifecycleModelDefined model = DefaultLifecycleModel();
  LifecycleModelView view;
  view.model_id = model.model_id();
  view.gates.assign(model.gates().begin(), model.gates().end());
  return view;
}

}  // namespace gavel::domain
