// The portfolio projection ("portfolio"): the PortfolioState read model
// (projections/portfolio_state.h) as a Projection.
#ifndef GAVEL_PROJECTIONS_PORTFOLIO_PROJECTION_H_
#define GAVEL_PROJECTIONS_PORTFOLIO_PROJECTION_H_

#include <memory>
#include <string>

#include "projections/portfolio_state.h"
#include "projections/projection.h"

namespace gavel::projections {

inline constexpr absl::string_view kPortfolioProjection = "portfolio";

// Thread-compatible.
class PortfolioProjection final : public Projection {
 public:
  absl::string_view name() const override { return kPortfolioProjection; }
  void Apply(const DomainEvent& event) override { state_.Apply(event); }
  std::string Snapshot() const override;
  absl::Status Restore(absl::string_view snapshot) override;
  std::unique_ptr<Projection> NewEmpty() const override {
    return std::make_unique<PortfolioProjection>();
  }

  const PortfolioState& state() const { return state_; }

 private:
  PortfolioState state_;
};

}  // namespace gavel::projections

#endif  // GAVEL_PROJECTIONS_PORTFOLIO_PROJECTION_H_
