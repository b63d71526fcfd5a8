#include "projections/portfolio_projection.h"

#include <utility>

#include "projections/snapshot_codec.h"

namespace gavel::projections {

std::string PortfolioProjection::Snapshot() const { return state_.Encode(); }

absl::Status PortfolioProjection::Restore(absl::string_view snapshot) {
  absl::StatusOr<gavel::v1::PortfolioModel> model =
      ParseModel<gavel::v1::PortfolioModel>(snapshot, name());
  if (!model.ok()) return model.status();
  state_.Restore(*std::move(model));
  return absl::OkStatus();
}

}  // namespace gavel::projections
