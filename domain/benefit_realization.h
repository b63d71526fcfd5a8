// Benefit realization: how much of a benefit's planned change has happened.
//
//   realization_bp = round(10000 * (actual - baseline) / (target - baseline))
// rounded half away from zero, exact in 128 bits, not clamped: above 10000
// is over-delivery, negative is movement the wrong way.
//
// Direction. For a benefit the target lies on the better side of the
// baseline (above it for DIRECTION_INCREASE, below for DECREASE); for a
// dis-benefit (an expected harm, e.g. higher run costs) on the worse side.
// ValidateBenefitTarget() enforces this at registration, so the formula
// needs no direction except when target == baseline ("hold the line"):
//   benefit:     10000 if actual is not worse than baseline, else 0;
//   dis-benefit: 0 if actual is not worse than baseline, else 10000.
//
// Dis-benefits. realization_bp of a dis-benefit is the share of the expected
// harm that materialised (lower is better). net_bp signs it for roll-ups:
// net_bp = realization_bp for a benefit, -realization_bp for a dis-benefit.
#ifndef GAVEL_DOMAIN_BENEFIT_REALIZATION_H_
#define GAVEL_DOMAIN_BENEFIT_REALIZATION_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gavel/v1/events.pb.h"

namespace gavel::domain {

struct BenefitRealization {
  int64_t realization_bp = 0;
  int64_t net_bp = 0;
};

// INVALID_ARGUMENT (INVALID_ENUM) for an unspecified direction.
absl::StatusOr<BenefitRealization> RealizeBenefit(
    int64_t baseline, int64_t target, int64_t actual,
    gavel::v1::Direction direction, bool dis_benefit);

// TARGET_CONTRADICTS_DIRECTION (field `field`) when `target` lies on the
// wrong side of `baseline` for `direction` and `dis_benefit`; INVALID_ENUM
// for an unspecified direction. target == baseline is allowed.
absl::Status ValidateBenefitTarget(int64_t baseline, int64_t target,
                                   gavel::v1::Direction direction,
                                   bool dis_benefit, absl::string_view field);

}  // namespace gavel::domain

#endif  // GAVEL_DOMAIN_BENEFIT_REALIZATION_H_
