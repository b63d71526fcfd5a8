#include "projections/log_fold.h"

#include <algorithm>
#include <array>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace gavel::projections {
namespace {

// What the reading thread and the other lanes' threads share.
struct Handover {
  absl::Mutex mu;
  // Batches handed to the lanes so far.
  uint64_t published ABSL_GUARDED_BY(mu) = 0;
  // Batches each lane 1.. has finished with.
  std::vector<uint64_t> consumed ABSL_GUARDED_BY(mu);
  // No batch will be published any more.
  bool done ABSL_GUARDED_BY(mu) = false;
  // A lane failed: everyone stops.
  bool failed ABSL_GUARDED_BY(mu) = false;
  absl::Status error ABSL_GUARDED_BY(mu);

  void Fail(absl::Status status) ABSL_LOCKS_EXCLUDED(mu) {
    absl::MutexLock lock(&mu);
    if (!failed) error = std::move(status);
    failed = true;
  }
};

}  // namespace

absl::StatusOr<absl::Time> FoldLog(const storage::EventLog& log, uint64_t from,
                                   uint64_t to,
                                   absl::Span<const LogFoldLane> lanes,
                                   size_t batch_events) {
  absl::Time last = absl::InfinitePast();
  if (from > to) return last;
  std::array<EventBatch, kLogFoldSlots> slots;
  Handover handover;
  const size_t others = lanes.size() - 1;
  {
    absl::MutexLock lock(&handover.mu);
    handover.consumed.assign(others, 0);
  }
  const bool share_decoding = !lanes[0] && others == 1;
  std::vector<std::thread> threads;
  for (size_t lane = 1; lane < lanes.size(); ++lane) {
    threads.emplace_back([&, lane] {
      for (uint64_t j = 0;; ++j) {
        {
          absl::MutexLock lock(&handover.mu);
          auto ready = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(handover.mu) {
            return handover.published > j || handover.done || handover.failed;
          };
          handover.mu.Await(absl::Condition(&ready));
          if (handover.failed || handover.published <= j) return;
        }
        EventBatch& batch = slots[j % kLogFoldSlots];
        // The one lane besides an empty lane 0: no other thread reads the
        // batch meanwhile.
        if (share_decoding) {
          if (absl::Status s = batch.DecodePending(); !s.ok()) {
            handover.Fail(std::move(s));
            return;
          }
        }
        if (absl::Status s = lanes[lane](batch); !s.ok()) {
          handover.Fail(std::move(s));
          return;
        }
        absl::MutexLock lock(&handover.mu);
        handover.consumed[lane - 1] = j + 1;
      }
    });
  }

  // The reading thread: decode batch k into slot k % kLogFoldSlots once
  // every lane is done with the batch that slot held before.
  uint64_t k = 0;
  EventBatch* slot = nullptr;
  // Records of the current batch to add without decoding their payload
  // from this index on (batch_events: none).
  size_t defer_from = batch_events;
  uint64_t expected = from;
  absl::Status failure;
  auto acquire = [&]() -> bool {
    defer_from = batch_events;
    if (share_decoding) {
      // The other lane has applied every batch but the last one published
      // (or all of them): it will wait for this batch, so it decodes half.
      absl::MutexLock lock(&handover.mu);
      if (handover.consumed[0] + 1 >= k) defer_from = batch_events / 2;
    }
    if (others > 0 && k >= kLogFoldSlots) {
      absl::MutexLock lock(&handover.mu);
      auto free = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(handover.mu) {
        return handover.failed || *std::min_element(handover.consumed.begin(),
                                                    handover.consumed.end()) +
                                          kLogFoldSlots >
                                      k;
      };
      handover.mu.Await(absl::Condition(&free));
      if (handover.failed) return false;
    }
    slot = &slots[k % kLogFoldSlots];
    slot->Clear();
    return true;
  };
  auto flush = [&]() -> bool {
    // Read before the batch is handed over (the other lane may be decoding
    // it next).
    last = slot->events().back().recorded_at;
    if (others > 0) {
      absl::MutexLock lock(&handover.mu);
      handover.published = k + 1;
    }
    if (lanes[0]) {
      if (absl::Status s = lanes[0](*slot); !s.ok()) {
        failure = std::move(s);
        return false;
      }
    }
    slot = nullptr;
    ++k;
    return true;
  };
  absl::Status scan =
      log.Scan(from, to, [&](uint64_t position, absl::string_view bytes) {
        if (slot == nullptr && !acquire()) return false;
        failure = slot->Add(position, bytes, slot->size() < defer_from);
        if (!failure.ok()) return false;
        expected = position + 1;
        if (slot->size() < batch_events && position < to) return true;
        return flush();
      });
  if (failure.ok() && !scan.ok()) failure = std::move(scan);
  if (!failure.ok()) handover.Fail(std::move(failure));
  {
    absl::MutexLock lock(&handover.mu);
    handover.done = true;
  }
  for (std::thread& t : threads) t.join();
  absl::MutexLock lock(&handover.mu);
  if (handover.failed) return handover.error;
  // The scan ended early without an error: the log is shorter than `to`.
  if (expected != to + 1) {
    return absl::DataLossError(
        absl::StrCat("records ", expected, "..", to, " are not in the log"));
  }
  return last;
}

}  // namespace gavel::projections
