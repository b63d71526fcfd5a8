#include "domain/basis_points.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "domain/rejection.h"

namespace gavel::domain {

namespace {

// DivideRoundHalfAwayFromZero for operands that need 128 bits.
int64_t DivideWide(__int128 num, __int128 den) {
  if (den == 0) return 0;
  if (den < 0) {
    num = -num;
    den = -den;
  }
  const bool negative = num < 0;
  if (negative) num = -num;
  __int128 quotient = (2 * num + den) / (2 * den);
  if (negative) quotient = -quotient;
  if (quotient > std::numeric_limits<int64_t>::max()) {
    return std::numeric_limits<int64_t>::max();
  }
  if (quotient < std::numeric_limits<int64_t>::min()) {
    return std::numeric_limits<int64_t>::min();
  }
  return static_cast<int64_t>(quotient);
}

}  // namespace

int64_t DivideRoundHalfAwayFromZero(int64_t numerator, int64_t denominator) {
  return DivideWide(numerator, denominator);
}

int64_t ProgressBasisPoints(int64_t from, int64_t to, int64_t value) {
  return DivideWide((static_cast<__int128>(value) - from) * kWholeBasisPoints,
                    static_cast<__int128>(to) - from);
}

absl::StatusOr<std::vector<int32_t>> ApportionBasisPoints(
    absl::Span<const double> shares) {
  double total = 0;
  for (double share : shares) {
    if (!std::isfinite(share) || share < 0) {
      return Reject(kValueOutOfRange, "shares",
                    "shares must be finite and non-negative");
    }
    total += share;
  }
  if (shares.empty() || !(total > 0)) {
    return Reject(kValueOutOfRange, "shares", "shares must not all be zero");
  }
  std::vector<int32_t> parts(shares.size());
  std::vector<double> remainders(shares.size());
  int64_t assigned = 0;
  for (size_t i = 0; i < shares.size(); ++i) {
    const double quota = shares[i] / total * kWholeBasisPoints;
    const double floor = std::floor(quota);
    parts[i] = static_cast<int32_t>(floor);
    remainders[i] = quota - floor;
    assigned += parts[i];
  }
  std::vector<size_t> order(shares.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return remainders[a] > remainders[b];
  });
  // Floating point may leave the floors a point above or below; settle it.
  for (size_t k = 0; assigned < kWholeBasisPoints; k = (k + 1) % order.size()) {
    ++parts[order[k]];
    ++assigned;
  }
  for (size_t k = order.size(); assigned > kWholeBasisPoints;) {
    k = (k == 0 ? order.size() : k) - 1;
    if (parts[order[k]] > 0) {
      --parts[order[k]];
      --assigned;
    }
  }
  return parts;
}

}  // namespace gavel::domain
