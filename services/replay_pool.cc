#include "services/replay_pool.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace gavel::services {

std::unique_ptr<ReplayPool> ReplayPool::Start(
    const ReplayPoolOptions& options) {
  std::unique_ptr<ReplayPool> pool(new ReplayPool(options));
  for (int i = 0; i < std::max(1, options.threads); ++i) {
    pool->threads_.emplace_back([p = pool.get()] { p->Work(); });
  }
  return pool;
}

ReplayPool::~ReplayPool() {
  std::deque<Job> cancelled;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    cancelled.swap(queue_);
  }
  for (Job& job : cancelled) job.cancel();
  for (std::thread& thread : threads_) thread.join();
}

absl::Status ReplayPool::Submit(std::function<void()> run,
                                std::function<void()> cancel) {
  absl::MutexLock lock(&mu_);
  if (stopping_) return absl::UnavailableError("the server is stopping");
  if (queue_.size() >= options_.max_queued) {
    return absl::ResourceExhaustedError(absl::StrCat(
        queue_.size(), " as_of replays are waiting already; retry later"));
  }
  queue_.push_back(Job{std::move(run), std::move(cancel)});
  return absl::OkStatus();
}

void ReplayPool::Work() {
  for (;;) {
    Job job;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || !queue_.empty();
      };
      mu_.Await(absl::Condition(&ready));
      if (queue_.empty()) return;  // stopping
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job.run();
  }
}

}  // namespace gavel::services
