// The replay pool (services/replay_pool.h): as_of replays run on its own
// threads, a bounded number wait, and a flood beyond it is refused at once
// instead of queueing without end.
#include "services/replay_pool.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace gavel::services {
namespace {

TEST(ReplayPoolTest, AFloodBeyondTheQueueIsRefusedAtOnce) {
  ReplayPoolOptions options;
  options.threads = 1;
  options.max_queued = 3;
  std::unique_ptr<ReplayPool> pool = ReplayPool::Start(options);
  absl::Notification release;
  absl::Notification started;
  std::atomic<int> ran{0};
  absl::Notification all_ran;
  const auto count = [&] {
    if (++ran == 4) all_ran.Notify();
  };
  // One job holds the only thread...
  ASSERT_TRUE(pool->Submit(
                      [&] {
                        started.Notify();
                        release.WaitForNotification();
                        count();
                      },
                      [] {})
                  .ok());
  started.WaitForNotification();
  // ... three wait, and the rest of a flood of 100 is refused.
  int refused = 0;
  for (int i = 0; i < 100; ++i) {
    absl::Status status = pool->Submit(count, [] {});
    if (!status.ok()) {
      EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted);
      ++refused;
    }
  }
  EXPECT_EQ(refused, 97);
  release.Notify();
  all_ran.WaitForNotification();
  EXPECT_EQ(ran.load(), 4);
}

TEST(ReplayPoolTest, JobsRunOnThePoolNotOnTheCaller) {
  std::unique_ptr<ReplayPool> pool = ReplayPool::Start({});
  absl::Notification done;
  std::thread::id ran_on;
  ASSERT_TRUE(pool->Submit(
                      [&] {
                        ran_on = std::this_thread::get_id();
                        done.Notify();
                      },
                      [] {})
                  .ok());
  done.WaitForNotification();
  EXPECT_NE(ran_on, std::this_thread::get_id());
}

TEST(ReplayPoolTest, WaitingJobsAreCancelledWhenThePoolStops) {
  ReplayPoolOptions options;
  options.threads = 1;
  options.max_queued = 5;
  std::unique_ptr<ReplayPool> pool = ReplayPool::Start(options);
  absl::Notification release;
  absl::Notification started;
  ASSERT_TRUE(pool->Submit(
                      [&] {
                        started.Notify();
                        release.WaitForNotification();
                      },
                      [] {})
                  .ok());
  started.WaitForNotification();
  std::atomic<int> cancelled{0};
  std::atomic<int> ran{0};
  absl::Notification all_cancelled;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(pool->Submit([&] { ++ran; },
                             [&] {
                               if (++cancelled == 3) all_cancelled.Notify();
                             })
                    .ok());
  }
  // The pool cancels what waits before it waits for what runs.
  std::thread stopper([&] { pool.reset(); });
  all_cancelled.WaitForNotification();
  release.Notify();
  stopper.join();
  EXPECT_EQ(cancelled.load(), 3);
  EXPECT_EQ(ran.load(), 0);
}

}  // namespace
}  // namespace gavel::services
