// The default lifecycle model, used by every initiative submitted without a
// lifecycle_model_id. It needs no configuration and no event: it is built
// into the code under the reserved id "default" and never changes (a change
// here would change how history replays; define a new model instead).
//
//   G0 Strategic fit          linked to an active objective
//   G1 Business case          + scorecard locked, benefits baselined,
//                               cost estimated, previous conditions closed
//   G2 Investment approval    + capacity available; reserves capacity and
//                               freezes benefit baselines
//   G3 Go-live / BAU transition  BAU impact assessed, previous conditions
//                               closed
//   G4 Benefits review        benefit measured, previous conditions closed
//
// No gate pins a board: the reviewing board is any board whose mandate
// lists the gate id.
#ifndef GAVEL_DOMAIN_DEFAULT_LIFECYCLE_H_
#define GAVEL_DOMAIN_DEFAULT_LIFECYCLE_H_

#include "absl/strings/string_view.h"
#include "domain/context.h"
#include "gavel/v1/events.pb.h"

namespace gavel::domain {

inline constexpr absl::string_view kDefaultLifecycleModelId = "default";

// The default model as a definition event (model_id "default").
gavel::v1::LifecycleModelDefined DefaultLifecycleModel();

// The default model as the view deciders read (Context::lifecycle_model).
LifecycleModelView DefaultLifecycleModelView();

}  // namespace gavel::domain

#endif  // GAVEL_DOMAIN_DEFAULT_LIFECYCLE_H_
