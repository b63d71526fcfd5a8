#include "domain/ahp.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "domain/basis_points.h"
#include "domain/rejection.h"
#include "domain/validation.h"

namespace gavel::domain {
namespace {

constexpr double kRandomIndex[] = {0,    0,    0,    0.58, 0.90, 1.12,
                                   1.24, 1.32, 1.41, 1.45, 1.49, 1.51,
                                   1.48, 1.56, 1.57, 1.59};
constexpr double kConvergence = 1e-12;
constexpr int kMaxIterations = 1000;

// The index of criterion `id` in `criteria`, or CRITERION_NOT_FOUND naming
// `field`.
absl::StatusOr<int> RequireIndex(
    absl::Span<const gavel::v1::Criterion> criteria, const std::string& id,
    absl::string_view field) {
  for (size_t i = 0; i < criteria.size(); ++i) {
    if (criteria[i].criterion_id() == id) return static_cast<int>(i);
  }
  return Reject(kCriterionNotFound, field, absl::StrCat("no criterion ", id));
}

}  // namespace

double SaatyRandomIndex(int n) {
  if (n < 0 || n > kMaxAhpCriteria) return 0;
  return kRandomIndex[n];
}

absl::StatusOr<AhpWeights> AhpFromMatrix(int n,
                                         absl::Span<const double> matrix) {
  if (n < 1 || n > kMaxAhpCriteria ||
      matrix.size() != static_cast<size_t>(n) * n) {
    return Reject(kValueOutOfRange, "criteria",
                  absl::StrCat("AHP needs 1..", kMaxAhpCriteria,
                               " criteria and an n x n matrix"));
  }
  auto at = [&](int i, int j) { return matrix[i * n + j]; };
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      const double a = at(i, j);
      const double reciprocal = 1.0 / at(j, i);
      if (!std::isfinite(a) || a <= 0 ||
          std::fabs(a - reciprocal) > 1e-9 * std::max(a, reciprocal) ||
          (i == j && a != 1.0)) {
        return Reject(kValueOutOfRange, "judgements",
                      absl::StrCat("not a positive reciprocal matrix at (", i,
                                   ", ", j, ")"));
      }
    }
  }

  std::vector<double> w(n, 1.0 / n);
  std::vector<double> next(n);
  for (int iteration = 0; iteration < kMaxIterations; ++iteration) {
    double sum = 0;
    for (int i = 0; i < n; ++i) {
      next[i] = 0;
      for (int j = 0; j < n; ++j) next[i] += at(i, j) * w[j];
      sum += next[i];
    }
    double moved = 0;
    for (int i = 0; i < n; ++i) {
      next[i] /= sum;
      moved = std::max(moved, std::fabs(next[i] - w[i]));
    }
    w.swap(next);
    if (moved < kConvergence) break;
  }

  AhpWeights result;
  double lambda = 0;
  for (int i = 0; i < n; ++i) {
    double aw = 0;
    for (int j = 0; j < n; ++j) aw += at(i, j) * w[j];
    lambda += aw / w[i];
  }
  result.principal_eigenvalue = lambda / n;
  if (n > 2) {
    const double ci = (result.principal_eigenvalue - n) / (n - 1);
    result.consistency_ratio = std::max(0.0, ci / SaatyRandomIndex(n));
  }
  result.consistency_ratio_bp = static_cast<int32_t>(
      std::min(std::floor(result.consistency_ratio * kWholeBasisPoints), 2e9));
  absl::StatusOr<std::vector<int32_t>> weights = ApportionBasisPoints(w);
  if (!weights.ok()) return weights.status();
  result.weights_bp = *std::move(weights);
  return result;
}

absl::StatusOr<AhpWeights> AhpFromJudgements(
    absl::Span<const gavel::v1::Criterion> criteria,
    absl::Span<const gavel::v1::AhpJudgement> judgements) {
  const int n = static_cast<int>(criteria.size());
  if (n < 1 || n > kMaxAhpCriteria) {
    return Reject(
        kValueOutOfRange, "criteria",
        absl::StrCat("AHP needs 1..", kMaxAhpCriteria, " criteria, got ", n));
  }
  std::vector<double> matrix(static_cast<size_t>(n) * n, 0.0);
  for (int i = 0; i < n; ++i) matrix[i * n + i] = 1.0;
  for (int k = 0; k < static_cast<int>(judgements.size()); ++k) {
    const gavel::v1::AhpJudgement& j = judgements[k];
    const absl::StatusOr<int> more_index =
        RequireIndex(criteria, j.more_important_criterion_id(),
                     FieldPath("judgements", k, "more_important_criterion_id"));
    if (!more_index.ok()) return more_index.status();
    const absl::StatusOr<int> less_index =
        RequireIndex(criteria, j.less_important_criterion_id(),
                     FieldPath("judgements", k, "less_important_criterion_id"));
    if (!less_index.ok()) return less_index.status();
    const int more = *more_index;
    const int less = *less_index;
    if (more == less || matrix[more * n + less] != 0.0) {
      return Reject(kDuplicateEntry, FieldPath("judgements", k),
                    "each pair of distinct criteria is judged once");
    }
    if (absl::Status s = RequireInRange(
            j.intensity(), 1, 9, FieldPath("judgements", k, "intensity"));
        !s.ok()) {
      return s;
    }
    matrix[more * n + less] = j.intensity();
    matrix[less * n + more] = 1.0 / j.intensity();
  }
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      if (matrix[i * n + j] == 0.0) {
        return Reject(
            kAhpJudgementsIncomplete, "judgements",
            absl::StrCat("no judgement between ", criteria[i].criterion_id(),
                         " and ", criteria[j].criterion_id()));
      }
    }
  }
  return AhpFromMatrix(n, matrix);
}

}  // namespace gavel::domain
