// The writer's in-memory aggregate states: loaded from the log on first use
// (every event of the stream folded with the domain's Evolve), kept between
// batches in a bounded cache, and advanced by the writer as it decides.
#ifndef GAVEL_WRITER_AGGREGATE_STORE_H_
#define GAVEL_WRITER_AGGREGATE_STORE_H_

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "absl/container/node_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "storage/event_log.h"
#include "writer/aggregate_kinds.h"

namespace gavel::writer {

// Thread-compatible: owned by the writer thread.
class AggregateStore {
 public:
  // `log` must outlive the store. At most `capacity` aggregates stay cached
  // between batches.
  AggregateStore(storage::EventLog* log, size_t capacity)
      : log_(log), capacity_(capacity) {}

  // The aggregate `id` of `Kind`: a state with version 0 when it has no
  // events. The pointer stays valid until EndBatch(). DATA_LOSS if a stored
  // event does not decode.
  template <typename Kind>
  absl::StatusOr<typename Kind::State*> Get(absl::string_view id);

  // Folds `events` into the cached aggregate `id` (which Get loaded).
  template <typename Kind>
  void Apply(absl::string_view id,
             const std::vector<typename Kind::Event>& events);

  // Log position of the last committed event of `stream_id` (0: none).
  uint64_t LastPosition(absl::string_view stream_id) const;

  // Records that `stream_id`'s last event is now at `position`.
  void SetLastPosition(absl::string_view stream_id, uint64_t position);

  // Ends a batch: evicts the least recently used aggregates above capacity.
  void EndBatch();

  size_t size() const { return entries_.size(); }

 private:
  using AnyState = std::variant<
      ObjectiveKind::State, FrameworkKind::State, LifecycleModelKind::State,
      BoardKind::State, GovernanceCycleKind::State, CapacityPoolKind::State,
      PmoServiceKind::State, InitiativeKind::State, PortfolioPlanKind::State>;
  struct Entry {
    AnyState state;
    uint64_t last_position = 0;
    uint64_t last_used = 0;
  };

  storage::EventLog* const log_;
  const size_t capacity_;
  uint64_t batch_ = 0;
  absl::node_hash_map<std::string, Entry> entries_;
};

template <typename Kind>
absl::StatusOr<typename Kind::State*> AggregateStore::Get(
    absl::string_view id) {
  using State = typename Kind::State;
  const std::string stream = StreamOf<Kind>(id);
  if (auto it = entries_.find(stream); it != entries_.end()) {
    it->second.last_used = batch_;
    if (State* state = std::get_if<State>(&it->second.state)) return state;
    return absl::InternalError(
        absl::StrCat("stream ", stream, " holds another kind of aggregate"));
  }
  State state;
  if constexpr (std::is_same_v<Kind, PmoServiceKind>) {
    state.pmo_id = std::string(id);  // its events do not carry it
  }
  uint64_t last_position = 0;
  for (uint64_t from = 1;;) {
    absl::StatusOr<std::vector<storage::StoredEvent>> page =
        log_->ReadStream(stream, from, storage::ReadDirection::kForward,
                         storage::EventLog::kMaxReadLimit);
    if (!page.ok()) return page.status();
    for (const storage::StoredEvent& stored : *page) {
      absl::StatusOr<gavel::v1::EventRecord> record = stored.Decode();
      if (!record.ok()) return record.status();
      typename Kind::Event event;
      if (!event.ParseFromString(record->payload())) {
        return absl::DataLossError(absl::StrCat(
            "event at position ", stored.position, " does not decode"));
      }
      state = Evolve(std::move(state), event);
      last_position = stored.position;
    }
    if (page->size() < storage::EventLog::kMaxReadLimit) break;
    from += page->size();
  }
  auto [it, inserted] =
      entries_.emplace(stream, Entry{std::move(state), last_position, batch_});
  return &std::get<State>(it->second.state);
}

template <typename Kind>
void AggregateStore::Apply(absl::string_view id,
                           const std::vector<typename Kind::Event>& events) {
  auto it = entries_.find(StreamOf<Kind>(id));
  if (it == entries_.end()) return;
  auto& state = std::get<typename Kind::State>(it->second.state);
  for (const typename Kind::Event& event : events) {
    state = Evolve(std::move(state), event);
  }
}

}  // namespace gavel::writer

#endif  // GAVEL_WRITER_AGGREGATE_STORE_H_
