// Weight sensitivity of a published plan: alternative criterion weights
// (one criterion moved by a number of percentage points, the others
// renormalized so the total stays 10000 bp), the weighted scores they
// give, and rank churn measured by Kendall's tau.
#ifndef GAVEL_PLANNING_SENSITIVITY_H_
#define GAVEL_PLANNING_SENSITIVITY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gavel::planning {

// `weights_bp` (each >= 0, summing to 10000) with weights_bp[criterion]
// moved by delta_bp (clamped to 0..10000) and every other weight scaled so
// the total is 10000 again (rounding to the largest remainders, ties to the
// lower index). INVALID_ARGUMENT for an index out of range, weights not
// summing to 10000, or no other weight to rescale while one is needed.
absl::StatusOr<std::vector<int32_t>> ShiftWeight(
    const std::vector<int32_t>& weights_bp, int criterion, int32_t delta_bp);

// Weighted score (bp) of normalized criterion scores `consensus_bp` under
// `weights_bp` (same length): sum(w * s) / 10000, rounded half up.
int64_t WeightedScore(const std::vector<int32_t>& weights_bp,
                      const std::vector<int32_t>& consensus_bp);

// Kendall's tau-a between two orders of the same items: (concordant -
// discordant) / (n (n - 1) / 2), in [-1, 1]; 1 for fewer than two items.
// Items of one order missing from the other are ignored.
double KendallTau(const std::vector<std::string>& a,
                  const std::vector<std::string>& b);

}  // namespace gavel::planning

#endif  // GAVEL_PLANNING_SENSITIVITY_H_
