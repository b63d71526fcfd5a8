// Integer basis-point arithmetic: the rounding every stored score, weight and
// ratio uses, so that a replay on any machine computes the same bytes.
//   10000 bp = 100 %.
//   Rounding is half away from zero (2.5 -> 3, -2.5 -> -3).
#ifndef GAVEL_DOMAIN_BASIS_POINTS_H_
#define GAVEL_DOMAIN_BASIS_POINTS_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace gavel::domain {

inline constexpr int32_t kWholeBasisPoints = 10000;

// numerator / denominator rounded half away from zero, computed exactly in
// 128 bits and saturated to the int64 range. `denominator` must not be 0
// (returns 0 if it is).
int64_t DivideRoundHalfAwayFromZero(int64_t numerator, int64_t denominator);

// How far `value` has come from `from` towards `to`, in bp: (value - from)
// * 10000 / (to - from), rounded and saturated as above (exact for any
// int64 values; 0 when `to` == `from`). E.g. from 100 to 200, value 150 is
// 5000 bp; value 50 is -5000 bp.
int64_t ProgressBasisPoints(int64_t from, int64_t to, int64_t value);

// Splits 10000 bp in proportion to `shares` (largest remainder method):
// each part gets floor(10000 * share / total); the leftover points go one
// each to the largest fractional remainders, ties to the lower index. The
// result sums to exactly 10000. INVALID_ARGUMENT (VALUE_OUT_OF_RANGE) when
// `shares` is empty, a share is negative or not finite, or all are zero.
absl::StatusOr<std::vector<int32_t>> ApportionBasisPoints(
    absl::Span<const double> shares);

}  // namespace gavel::domain

#endif  // GAVEL_DOMAIN_BASIS_POINTS_H_
