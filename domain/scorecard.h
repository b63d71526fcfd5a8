// Scoring arithmetic of a prioritization framework, in integer basis points.
//
//   normalized(v)  = round((v - min) * 10000 / (max - min))   higher is better
//                  = round((max - v) * 10000 / (max - min))   lower is better
//   consensus_i    = round(mean over scorers of normalized)   per criterion
//   range_i        = max - min of normalized over scorers     per criterion
//   weighted score = round(sum_i weight_i * consensus_i / 10000)
//   dispersion     = round(sum_i weight_i * range_i / 10000)
// where round() is half away from zero (domain/basis_points.h) and weights
// are bp summing to 10000. All results lie in [0, 10000]. Dispersion is the
// weight-averaged spread between the most and least favourable scorer: 0
// when scorers agree (or there is one), 10000 when they are scale-apart on
// every criterion.
#ifndef GAVEL_DOMAIN_SCORECARD_H_
#define GAVEL_DOMAIN_SCORECARD_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "gavel/v1/events.pb.h"

namespace gavel::domain {

// One scorer's value for one criterion.
struct CriterionScore {
  std::string criterion_id;
  std::string scorer;
  int32_t value = 0;
};

// Validates a framework's criteria: ids present and unique, scale_min <
// scale_max (INVALID_SCALE), polarity set, must-meet threshold in [0, 10000],
// and, when `weights_given`, weights >= 0 summing to exactly 10000
// (WEIGHTS_DO_NOT_SUM); otherwise every weight must be 0. Field paths are
// "criteria[i].<member>".
absl::Status ValidateCriteria(absl::Span<const gavel::v1::Criterion> criteria,
                              bool weights_given);

// `value` normalized on `criterion`'s scale, in bp. SCORE_OUT_OF_SCALE when
// outside [scale_min, scale_max]; INVALID_SCALE for an empty scale.
absl::StatusOr<int32_t> NormalizedScoreBp(const gavel::v1::Criterion& criterion,
                                          int32_t value);

// round(sum_i weights_bp[i] * scores_bp[i] / 10000); spans of equal length.
int32_t WeightedScoreBp(absl::Span<const int32_t> scores_bp,
                        absl::Span<const int32_t> weights_bp);

// Computes the scorecard of `criteria` (with final weights) from `scores`
// by the assigned `scorers`. A later entry for the same (criterion, scorer)
// replaces an earlier one. Returns a ScorecardLocked with weighted_score_bp,
// dispersion_bp, criteria (in framework order), must_meet_passed and
// failed_must_meet_criteria set; round and framework fields are left for the
// caller. Errors: CRITERION_NOT_FOUND, NOT_AN_ASSIGNED_SCORER,
// SCORE_OUT_OF_SCALE for a bad score; SCORECARD_INCOMPLETE (field
// "criterion_id" names the first gap) unless every scorer scored every
// criterion; NO_SCORERS_ASSIGNED when `scorers` is empty.
absl::StatusOr<gavel::v1::ScorecardLocked> ComputeScorecard(
    absl::Span<const gavel::v1::Criterion> criteria,
    absl::Span<const std::string> scorers,
    absl::Span<const CriterionScore> scores);

}  // namespace gavel::domain

#endif  // GAVEL_DOMAIN_SCORECARD_H_
