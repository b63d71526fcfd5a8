// Where as_of queries replay the log into a fresh read model
// (projections::ProjectionHost::ProjectAt): a few threads of their own,
// never gRPC's callback threads nor the writer's, and a bounded number of
// replays waiting for them. Beyond it a query is refused at once with
// RESOURCE_EXHAUSTED: time travel cannot starve the server.
#ifndef GAVEL_SERVICES_REPLAY_POOL_H_
#define GAVEL_SERVICES_REPLAY_POOL_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace gavel::services {

struct ReplayPoolOptions {
  // Replays running at once.
  int threads = 2;
  // Replays waiting for a thread at most.
  size_t max_queued = 8;
};

// Thread-safe.
class ReplayPool {
 public:
  // Starts the threads.
  static std::unique_ptr<ReplayPool> Start(const ReplayPoolOptions& options);

  ReplayPool(const ReplayPool&) = delete;
  ReplayPool& operator=(const ReplayPool&) = delete;
  // Calls `cancel` of every job still waiting, lets the running ones end
  // and joins the threads.
  ~ReplayPool();

  // Runs `run` on a pool thread soon, or, should the pool stop first,
  // calls `cancel` (on the stopping thread). RESOURCE_EXHAUSTED (neither is
  // called) when max_queued jobs wait already; UNAVAILABLE when stopping.
  absl::Status Submit(std::function<void()> run, std::function<void()> cancel);

 private:
  struct Job {
    std::function<void()> run;
    std::function<void()> cancel;
  };

  explicit ReplayPool(const ReplayPoolOptions& options) : options_(options) {}
  void Work();

  const ReplayPoolOptions options_;
  absl::Mutex mu_;
  std::deque<Job> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_REPLAY_POOL_H_
