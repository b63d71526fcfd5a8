#include "writer/aggregate_store.h"

#include <algorithm>

namespace gavel::writer {

uint64_t AggregateStore::LastPosition(absl::string_view stream_id) const {
  auto it = entries_.find(stream_id);
  return it == entries_.end() ? 0 : it->second.last_position;
}

void AggregateStore::SetLastPosition(absl::string_view stream_id,
                                     uint64_t position) {
  if (auto it = entries_.find(stream_id); it != entries_.end()) {
    it->second.last_position = position;
  }
}

void AggregateStore::EndBatch() {
  ++batch_;
  if (entries_.size() <= capacity_) return;
  // Evict the least recently used tenth beyond capacity in one pass.
  std::vector<uint64_t> uses;
  uses.reserve(entries_.size());
  for (const auto& [stream, entry] : entries_) uses.push_back(entry.last_used);
  const size_t evict = entries_.size() - capacity_ + capacity_ / 10;
  std::nth_element(uses.begin(), uses.begin() + (evict - 1), uses.end());
  const uint64_t cutoff = uses[evict - 1];
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->second.last_used <= cutoff && it->second.last_used + 1 < batch_) {
      entries_.erase(it++);
    } else {
      ++it;
    }
  }
}

}  // namespace gavel::writer
