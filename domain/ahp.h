// The Analytic Hierarchy Process: criterion weights from pairwise judgements.
//
// Judgement matrix A (n x n): a_ii = 1; a judgement "x is k times as
// important as y" sets a_xy = k and a_yx = 1/k (k on Saaty's scale 1..9).
// Weights w are A's principal eigenvector, found by power iteration
// (w <- A w / sum(A w) from the uniform vector until no component moves by
// more than 1e-12, at most 1000 iterations), normalized to sum 1.
//   lambda_max = mean_i (A w)_i / w_i
//   CI = (lambda_max - n) / (n - 1)          (0 for n <= 2)
//   CR = CI / RI(n)                          (0 for n <= 2)
// RI is Saaty's random index (The Analytic Hierarchy Process, 1980):
//   n:  3    4    5    6    7    8    9    10   11   12   13   14   15
//   RI: 0.58 0.90 1.12 1.24 1.32 1.41 1.45 1.49 1.51 1.48 1.56 1.57 1.59
// Doubles are used only while computing. What is stored is integer: weights
// apportioned to bp summing to exactly 10000 (ApportionBasisPoints) and
// consistency_ratio_bp = floor(CR * 10000), clamped at 0, so that the rule
// "CR < 0.10" is exactly consistency_ratio_bp < 1000.
#ifndef GAVEL_DOMAIN_AHP_H_
#define GAVEL_DOMAIN_AHP_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "gavel/v1/events.pb.h"

namespace gavel::domain {

inline constexpr int kMaxAhpCriteria = 15;
// A framework is approvable only when consistency_ratio_bp is below this.
inline constexpr int32_t kMaxConsistencyRatioBp = 1000;

struct AhpWeights {
  std::vector<int32_t> weights_bp;  // Sum exactly 10000; matrix order.
  int32_t consistency_ratio_bp = 0;
  // Unrounded values, for reports only; never stored.
  double principal_eigenvalue = 0;
  double consistency_ratio = 0;
};

// Saaty's random index for n criteria (0 for n <= 2 or n > 15).
double SaatyRandomIndex(int n);

// Weights and CR of a full n x n matrix given row-major. INVALID_ARGUMENT
// (VALUE_OUT_OF_RANGE) unless 1 <= n <= 15, entries are finite and positive,
// the diagonal is 1 and a_ji = 1/a_ij (relative tolerance 1e-9).
absl::StatusOr<AhpWeights> AhpFromMatrix(int n,
                                         absl::Span<const double> matrix);

// Weights and CR of `criteria` from `judgements`, which must name every
// unordered pair of distinct criteria exactly once. Errors (INVALID_ARGUMENT
// unless noted), with field paths "judgements[i].<member>":
// CRITERION_NOT_FOUND (NOT_FOUND) for an unknown id, DUPLICATE_ENTRY for a
// pair judged twice or a self-pair, VALUE_OUT_OF_RANGE for intensity outside
// 1..9 or more than 15 criteria, AHP_JUDGEMENTS_INCOMPLETE for a missing
// pair. Does not reject an inconsistent matrix: the caller compares
// consistency_ratio_bp with kMaxConsistencyRatioBp (AHP_INCONSISTENT).
absl::StatusOr<AhpWeights> AhpFromJudgements(
    absl::Span<const gavel::v1::Criterion> criteria,
    absl::Span<const gavel::v1::AhpJudgement> judgements);

}  // namespace gavel::domain

#endif  // GAVEL_DOMAIN_AHP_H_
