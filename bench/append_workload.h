// What the storage and audit benchmarks share: the append workload (commands
// of ~500-byte records against the event log), medians and the name=value
// output format.
#ifndef GAVEL_BENCH_APPEND_WORKLOAD_H_
#define GAVEL_BENCH_APPEND_WORKLOAD_H_

#include <stdlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "storage/event_log.h"

namespace gavel::bench {

inline constexpr size_t kPayloadBytes = 420;  // ~500-byte records

// The middle value (upper median for even counts); `values` non-empty.
inline double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// Prints one "name=value" line, rounded to an integer.
inline void Print(absl::string_view name, double value) {
  std::printf("%s=%.0f\n", std::string(name).c_str(), value);
  std::fflush(stdout);
}

// Opens (creating) an event log in `dir`; exits the process on failure.
inline std::unique_ptr<storage::EventLog> OpenLog(const std::string& dir,
                                                  bool sync, bool tree) {
  storage::EventLogOptions options;
  options.sync = sync;
  options.merkle_tree = tree;
  absl::StatusOr<std::unique_ptr<storage::EventLog>> log =
      storage::EventLog::Open(dir, options);
  if (!log.ok()) {
    std::fprintf(stderr, "open %s: %s\n", dir.c_str(),
                 log.status().ToString().c_str());
    std::exit(1);
  }
  return *std::move(log);
}

// `count` commands, each with an idempotency key and `events_each` events
// of kPayloadBytes on one of 5,000 initiative streams; `next` numbers them.
inline std::vector<storage::AppendRequest> Commands(uint64_t& next, int count,
                                                    int events_each) {
  std::vector<storage::AppendRequest> batch;
  batch.reserve(count);
  for (int i = 0; i < count; ++i, ++next) {
    storage::AppendRequest request;
    request.command_id = absl::StrCat("bench-", next);
    request.actor = "bench";
    storage::StreamAppend append;
    append.stream_id = absl::StrCat("initiative-", next % 5000);
    for (int e = 0; e < events_each; ++e) {
      append.events.push_back(
          {"", "CriterionScored", std::string(kPayloadBytes, 'p')});
    }
    request.streams.push_back(std::move(append));
    batch.push_back(std::move(request));
  }
  return batch;
}

// Events per second of appending `commands_per_append` commands of
// `events_each` events per Append, over `budget` of time spent inside
// Append (building the requests is the caller's work and is not timed).
inline double AppendRate(storage::EventLog& log, int commands_per_append,
                         int events_each, uint64_t& next,
                         absl::Duration budget) {
  int64_t events = 0;
  absl::Duration appending;
  while (appending < budget) {
    const std::vector<storage::AppendRequest> batch =
        Commands(next, commands_per_append, events_each);
    const absl::Time start = absl::Now();
    if (absl::StatusOr<std::vector<storage::AppendResult>> r =
            log.Append(batch);
        !r.ok()) {
      std::fprintf(stderr, "append: %s\n", r.status().ToString().c_str());
      std::exit(1);
    }
    appending += absl::Now() - start;
    events += commands_per_append * events_each;
  }
  return events / absl::ToDoubleSeconds(appending);
}

// Untimed batch100 appends that touch each of the 5,000 streams of
// Commands() once, so that timed rounds find every stream's version in the
// log's cache (a first touch reads it from RocksDB).
inline void WarmUp(storage::EventLog& log, uint64_t& next) {
  for (int i = 0; i < 500; ++i) {
    if (!log.Append(Commands(next, 10, 10)).ok()) std::exit(1);
  }
}

// Appends one-event commands, 1,000 per unsynced Append, until the log
// holds `records` records.
inline void Fill(storage::EventLog& log, int64_t records) {
  uint64_t next = log.Head();
  while (static_cast<int64_t>(log.Head()) < records) {
    const int count = static_cast<int>(
        std::min<int64_t>(1000, records - static_cast<int64_t>(log.Head())));
    if (!log.Append(Commands(next, count, 1)).ok()) std::exit(1);
  }
}

// Where a benchmark writes: `dir` when given (left in place), otherwise a
// new temporary directory removed when this goes out of scope.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& dir) : path_(dir) {
    if (path_.empty()) {
      std::string pattern =
          (std::filesystem::temp_directory_path() / "gavel-bench-XXXXXX")
              .string();
      path_ = mkdtemp(pattern.data());
      owned_ = true;
    }
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir() {
    if (owned_) std::filesystem::remove_all(path_);
  }

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  bool owned_ = false;
};

}  // namespace gavel::bench

#endif  // GAVEL_BENCH_APPEND_WORKLOAD_H_
