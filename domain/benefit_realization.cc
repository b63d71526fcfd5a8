#include "domain/benefit_realization.h"

#include "domain/basis_points.h"
#include "domain/rejection.h"
#include "domain/validation.h"

namespace gavel::domain {
namespace {

// +1 when moving from `from` to `to` improves the measure, -1 when it
// worsens it, 0 when equal.
int Improvement(int64_t from, int64_t to, gavel::v1::Direction direction) {
  if (from == to) return 0;
  const bool up = to > from;
  return (up == (direction == gavel::v1::DIRECTION_INCREASE)) ? 1 : -1;
}

}  // namespace

absl::StatusOr<BenefitRealization> RealizeBenefit(
    int64_t baseline, int64_t target, int64_t actual,
    gavel::v1::Direction direction, bool dis_benefit) {
  if (absl::Status s =
          RequireEnum(direction, gavel::v1::Direction_IsValid, "direction");
      !s.ok()) {
    return s;
  }
  BenefitRealization result;
  if (target == baseline) {
    const bool worse = Improvement(baseline, actual, direction) < 0;
    result.realization_bp = (worse == dis_benefit) ? kWholeBasisPoints : 0;
  } else {
    result.realization_bp = ProgressBasisPoints(baseline, target, actual);
  }
  result.net_bp = dis_benefit ? -result.realization_bp : result.realization_bp;
  return result;
}

absl::Status ValidateBenefitTarget(int64_t baseline, int64_t target,
                                   gavel::v1::Direction direction,
                                   bool dis_benefit, absl::string_view field) {
  if (absl::Status s =
          RequireEnum(direction, gavel::v1::Direction_IsValid, "direction");
      !s.ok()) {
    return s;
  }
  const int improvement = Improvement(baseline, target, direction);
  if (improvement != 0 && (improvement > 0) == dis_benefit) {
    return Reject(kTargetContradictsDirection, field,
                  dis_benefit ? "a dis-benefit's target must be worse than "
                                "its baseline"
                              : "a benefit's target must be better than its "
                                "baseline");
  }
  return absl::OkStatus();
}

}  // namespace gavel::domain
