#include "domain/scorecard.h"

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/basis_points.h"
#include "domain/rejection.h"
#include "domain/validation.h"

namespace gavel::domain {

absl::Status ValidateCriteria(absl::Span<const gavel::v1::Criterion> criteria,
                              bool weights_given) {
  if (criteria.empty()) {
    return Reject(kMissingField, "criteria", "at least one criterion needed");
  }
  UniqueIds ids;
  int64_t weight_sum = 0;
  for (int i = 0; i < static_cast<int>(criteria.size()); ++i) {
    const gavel::v1::Criterion& c = criteria[i];
    if (absl::Status s =
            ids.Add(c.criterion_id(), FieldPath("criteria", i, "criterion_id"),
                    absl::StrCat("criterion ", c.criterion_id(), " repeated"));
        !s.ok()) {
      return s;
    }
    if (c.scale_min() >= c.scale_max()) {
      return Reject(kInvalidScale, FieldPath("criteria", i, "scale_max"),
                    "scale_min must be below scale_max");
    }
    if (absl::Status s = RequireEnum(c.polarity(), gavel::v1::Polarity_IsValid,
                                     FieldPath("criteria", i, "polarity"));
        !s.ok()) {
      return s;
    }
    if (absl::Status s =
            RequireInRange(c.must_meet_threshold_bp(), 0, kWholeBasisPoints,
                           FieldPath("criteria", i, "must_meet_threshold_bp"));
        !s.ok()) {
      return s;
    }
    if (c.weight_bp() < 0 || (!weights_given && c.weight_bp() != 0)) {
      return Reject(kWeightsDoNotSum, FieldPath("criteria", i, "weight_bp"),
                    weights_given ? "weights must not be negative"
                                  : "weights are derived; leave them 0");
    }
    weight_sum += c.weight_bp();
  }
  if (weights_given && weight_sum != kWholeBasisPoints) {
    return Reject(
        kWeightsDoNotSum, "criteria",
        absl::StrCat("weights sum to ", weight_sum, " bp, not 10000"));
  }
  return absl::OkStatus();
}

absl::StatusOr<int32_t> NormalizedScoreBp(const gavel::v1::Criterion& criterion,
                                          int32_t value) {
  const int64_t min = criterion.scale_min();
  const int64_t max = criterion.scale_max();
  if (min >= max) {
    return Reject(kInvalidScale, "criterion_id",
                  absl::StrCat("criterion ", criterion.criterion_id(),
                               " has an empty scale"));
  }
  if (value < min || value > max) {
    return Reject(kScoreOutOfScale, "value",
                  absl::StrCat("score ", value, " outside [", min, ", ", max,
                               "] of ", criterion.criterion_id()));
  }
  const int64_t distance =
      criterion.polarity() == gavel::v1::POLARITY_LOWER_IS_BETTER ? max - value
                                                                  : value - min;
  return static_cast<int32_t>(
      DivideRoundHalfAwayFromZero(distance * kWholeBasisPoints, max - min));
}

int32_t WeightedScoreBp(absl::Span<const int32_t> scores_bp,
                        absl::Span<const int32_t> weights_bp) {
  int64_t sum = 0;
  const size_t n = std::min(scores_bp.size(), weights_bp.size());
  for (size_t i = 0; i < n; ++i) {
    sum += static_cast<int64_t>(scores_bp[i]) * weights_bp[i];
  }
  return static_cast<int32_t>(
      DivideRoundHalfAwayFromZero(sum, kWholeBasisPoints));
}

absl::StatusOr<gavel::v1::ScorecardLocked> ComputeScorecard(
    absl::Span<const gavel::v1::Criterion> criteria,
    absl::Span<const std::string> scorers,
    absl::Span<const CriterionScore> scores) {
  if (scorers.empty()) {
    return Reject(kNoScorersAssigned, "scorers", "no scorers assigned");
  }
  // (criterion index, scorer) -> normalized score; later entries replace.
  std::map<std::pair<size_t, std::string>, int32_t> normalized;
  for (const CriterionScore& score : scores) {
    size_t index = criteria.size();
    for (size_t i = 0; i < criteria.size(); ++i) {
      if (criteria[i].criterion_id() == score.criterion_id) index = i;
    }
    if (index == criteria.size()) {
      return Reject(kCriterionNotFound, "criterion_id",
                    absl::StrCat("no criterion ", score.criterion_id));
    }
    if (std::find(scorers.begin(), scorers.end(), score.scorer) ==
        scorers.end()) {
      return Reject(kNotAnAssignedScorer, "scorer",
                    absl::StrCat(score.scorer, " is not an assigned scorer"));
    }
    absl::StatusOr<int32_t> bp =
        NormalizedScoreBp(criteria[index], score.value);
    if (!bp.ok()) return bp.status();
    normalized[{index, score.scorer}] = *bp;
  }

  gavel::v1::ScorecardLocked card;
  card.set_must_meet_passed(true);
  std::vector<int32_t> consensus;
  std::vector<int32_t> ranges;
  std::vector<int32_t> weights;
  for (size_t i = 0; i < criteria.size(); ++i) {
    int64_t sum = 0;
    int32_t lo = kWholeBasisPoints;
    int32_t hi = 0;
    for (const std::string& scorer : scorers) {
      auto it = normalized.find({i, scorer});
      if (it == normalized.end()) {
        return Reject(kScorecardIncomplete, "criterion_id",
                      absl::StrCat(scorer, " has not scored ",
                                   criteria[i].criterion_id()));
      }
      sum += it->second;
      lo = std::min(lo, it->second);
      hi = std::max(hi, it->second);
    }
    const int32_t mean = static_cast<int32_t>(
        DivideRoundHalfAwayFromZero(sum, static_cast<int64_t>(scorers.size())));
    consensus.push_back(mean);
    ranges.push_back(hi - lo);
    weights.push_back(criteria[i].weight_bp());
    gavel::v1::CriterionResult* result = card.add_criteria();
    result->set_criterion_id(criteria[i].criterion_id());
    result->set_consensus_bp(mean);
    result->set_range_bp(hi - lo);
    result->set_scorer_count(static_cast<int32_t>(scorers.size()));
    result->set_weight_bp(criteria[i].weight_bp());
    if (criteria[i].must_meet() &&
        mean < criteria[i].must_meet_threshold_bp()) {
      card.set_must_meet_passed(false);
      card.add_failed_must_meet_criteria(criteria[i].criterion_id());
    }
  }
  card.set_weighted_score_bp(WeightedScoreBp(consensus, weights));
  card.set_dispersion_bp(WeightedScoreBp(ranges, weights));
  return card;
}

}  // namespace gavel::domain
