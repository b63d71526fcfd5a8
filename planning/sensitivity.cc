#include "planning/sensitivity.h"

#include <algorithm>
#include <numeric>

#include "absl/container/flat_hash_map.h"

namespace gavel::planning {

absl::StatusOr<std::vector<int32_t>> ShiftWeight(
    const std::vector<int32_t>& weights_bp, int criterion, int32_t delta_bp) {
  if (criterion < 0 || criterion >= static_cast<int>(weights_bp.size())) {
    return absl::InvalidArgumentError("criterion index out of range");
  }
  int64_t total = 0;
  for (int32_t w : weights_bp) {
    if (w < 0) return absl::InvalidArgumentError("negative weight");
    total += w;
  }
  if (total != 10000) {
    return absl::InvalidArgumentError("weights do not sum to 10000 bp");
  }
  const int32_t moved =
      std::clamp<int32_t>(weights_bp[criterion] + delta_bp, 0, 10000);
  const int64_t others_before = 10000 - weights_bp[criterion];
  const int64_t others_after = 10000 - moved;
  std::vector<int32_t> out(weights_bp.size(), 0);
  out[criterion] = moved;
  if (others_after > 0 && others_before == 0) {
    return absl::InvalidArgumentError("no other criterion to renormalize");
  }
  if (others_before > 0) {
    // Largest remainder rounding of w * others_after / others_before.
    int64_t assigned = 0;
    std::vector<std::pair<int64_t, int>> remainders;
    for (size_t i = 0; i < weights_bp.size(); ++i) {
      if (static_cast<int>(i) == criterion) continue;
      const int64_t scaled = int64_t{weights_bp[i]} * others_after;
      out[i] = static_cast<int32_t>(scaled / others_before);
      assigned += out[i];
      remainders.push_back({scaled % others_before, static_cast<int>(i)});
    }
    std::sort(remainders.begin(), remainders.end(),
              [](const auto& a, const auto& b) {
                if (a.first != b.first) return a.first > b.first;
                return a.second < b.second;
              });
    for (size_t k = 0; assigned < others_after && k < remainders.size(); ++k) {
      ++out[remainders[k].second];
      ++assigned;
    }
  }
  return out;
}

int64_t WeightedScore(const std::vector<int32_t>& weights_bp,
                      const std::vector<int32_t>& consensus_bp) {
  int64_t sum = 0;
  const size_t n = std::min(weights_bp.size(), consensus_bp.size());
  for (size_t i = 0; i < n; ++i) {
    sum += int64_t{weights_bp[i]} * consensus_bp[i];
  }
  return (sum + 5000) / 10000;
}

double KendallTau(const std::vector<std::string>& a,
                  const std::vector<std::string>& b) {
  absl::flat_hash_map<std::string, int> position_in_b;
  for (size_t i = 0; i < b.size(); ++i) {
    position_in_b.emplace(b[i], static_cast<int>(i));
  }
  std::vector<int> ranks;  // b-positions of a's items, in a's order
  for (const std::string& item : a) {
    auto it = position_in_b.find(item);
    if (it != position_in_b.end()) ranks.push_back(it->second);
  }
  const int64_t n = static_cast<int64_t>(ranks.size());
  if (n < 2) return 1.0;
  int64_t concordant = 0, discordant = 0;
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = i + 1; j < n; ++j) {
      if (ranks[i] < ranks[j]) {
        ++concordant;
      } else {
        ++discordant;
      }
    }
  }
  return static_cast<double>(concordant - discordant) /
         static_cast<double>(n * (n - 1) / 2);
}

}  // namespace gavel::planning
