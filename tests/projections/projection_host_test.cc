// The projection host over a real EventLog in a temp folder: catching up,
// following the head, checkpoints across restarts, rebuilds, time travel.
#include "projections/projection_host.h"

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "projections/decision_history_projection.h"
#include "projections/governance_metrics_projection.h"
#include "projections/portfolio_projection.h"
#include "tests/projections/fixtures.h"
#include "tests/projections/host_fixture.h"
#include "tests/testing/temp_dir.h"

namespace gavel::projections {
namespace {

using ::gavel::test::Feed;

class ProjectionHostTest : public test::ProjectionHostFixture {
 protected:
  void SetUp() override {
    ProjectionHostFixture::SetUp();
    options_.chunk_events = 5;
  }

  std::string LiveDigest(ProjectionHost& host, absl::string_view name) {
    std::string digest;
    EXPECT_TRUE(host.Read(name, [&](const Projection& p,
                                    uint64_t) { digest = Digest(p); })
                    .ok());
    return digest;
  }

  // The digest of `name` folded from scratch by a host of its own with no
  // history, up to `position`.
  std::string FreshDigest(ProjectionHost& host, absl::string_view name,
                          uint64_t position) {
    absl::StatusOr<std::unique_ptr<Projection>> fresh =
        host.ProjectAt(name, position);
    EXPECT_TRUE(fresh.ok()) << fresh.status();
    return fresh.ok() ? Digest(**fresh) : "";
  }
};

TEST_F(ProjectionHostTest, CatchesUpAndFollowsTheLog) {
  test::GeneratePortfolio(*feed_, 10);
  std::unique_ptr<ProjectionHost> host = StartHost();
  ASSERT_NE(host, nullptr);
  ASSERT_TRUE(host->WaitFor(log_->Head(), absl::InfiniteFuture()));
  uint32_t initiatives = 0;
  ASSERT_TRUE(host->Read(kPortfolioProjection,
                         [&](const Projection& p, uint64_t position) {
                           EXPECT_EQ(position, log_->Head());
                           initiatives =
                               static_cast<const PortfolioProjection&>(p)
                                   .state()
                                   .model()
                                   .initiatives_size();
                         })
                  .ok());
  EXPECT_EQ(initiatives, 10u);

  // New events wake the host through the head listener.
  feed_->Initiative("late", test::Submitted("late", 1, feed_->now()));
  ASSERT_TRUE(host->WaitFor(log_->Head(), absl::InfiniteFuture()));
  ASSERT_TRUE(host->Read(kPortfolioProjection,
                         [&](const Projection& p, uint64_t) {
                           EXPECT_NE(static_cast<const PortfolioProjection&>(p)
                                         .state()
                                         .FindInitiative("late"),
                                     nullptr);
                         })
                  .ok());
  for (const ProjectionStatus& s : host->Status()) {
    EXPECT_EQ(s.position, log_->Head()) << s.name;
    EXPECT_EQ(s.lag_events, 0u) << s.name;
    EXPECT_EQ(s.lag, absl::ZeroDuration()) << s.name;
    EXPECT_NE(s.last_progress, absl::InfinitePast()) << s.name;
    EXPECT_EQ(s.error, "") << s.name;
  }
}

TEST_F(ProjectionHostTest, RebuildFromZeroYieldsTheSameModel) {
  test::GeneratePortfolio(*feed_, 12);
  std::unique_ptr<ProjectionHost> host = StartHost();
  ASSERT_TRUE(host->WaitFor(log_->Head(), absl::InfiniteFuture()));
  std::vector<std::string> before;
  for (absl::string_view name :
       {kPortfolioProjection, kDecisionHistoryProjection,
        kGovernanceMetricsProjection}) {
    before.push_back(LiveDigest(*host, name));
  }
  absl::StatusOr<uint64_t> ticket = host->RequestRebuild("");
  ASSERT_TRUE(ticket.ok());
  ASSERT_TRUE(host->AwaitRebuild(*ticket, absl::InfiniteFuture()));
  int k = 0;
  for (absl::string_view name :
       {kPortfolioProjection, kDecisionHistoryProjection,
        kGovernanceMetricsProjection}) {
    EXPECT_EQ(LiveDigest(*host, name), before[k++]) << name;
  }
  for (const ProjectionStatus& s : host->Status()) {
    EXPECT_EQ(s.rebuilds, 1u) << s.name;
    EXPECT_FALSE(s.rebuilding) << s.name;
  }
  EXPECT_EQ(host->RequestRebuild("nope").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ProjectionHostTest, RestartResumesFromTheCheckpoint) {
  test::GeneratePortfolio(*feed_, 6);
  const uint64_t first_head = log_->Head();
  {
    std::unique_ptr<ProjectionHost> host = StartHost();
    ASSERT_TRUE(host->WaitFor(first_head, absl::InfiniteFuture()));
  }  // Stop() writes the checkpoints.
  feed_->Initiative("late", test::Submitted("late", 1, feed_->now()));
  feed_->Initiative("late", test::Cost(77, test::Day(2026, 1, 1)));
  std::unique_ptr<ProjectionHost> host = StartHost();
  for (const ProjectionStatus& s : host->Status()) {
    EXPECT_EQ(s.checkpoint_position, first_head) << s.name;
  }
  ASSERT_TRUE(host->WaitFor(log_->Head(), absl::InfiniteFuture()));
  for (absl::string_view name :
       {kPortfolioProjection, kDecisionHistoryProjection,
        kGovernanceMetricsProjection}) {
    EXPECT_EQ(LiveDigest(*host, name), FreshDigest(*host, name, log_->Head()))
        << name;
  }
}

TEST_F(ProjectionHostTest, AsOfEqualsTheModelAtThatPosition) {
  test::GeneratePortfolio(*feed_, 5);
  std::unique_ptr<ProjectionHost> host = StartHost();
  ASSERT_TRUE(host->WaitFor(log_->Head(), absl::InfiniteFuture()));
  const uint64_t then = log_->Head();
  const std::string digest_then = LiveDigest(*host, kDecisionHistoryProjection);
  test::GeneratePortfolio(*feed_, 3);
  ASSERT_TRUE(host->WaitFor(log_->Head(), absl::InfiniteFuture()));
  ASSERT_NE(LiveDigest(*host, kDecisionHistoryProjection), digest_then);
  EXPECT_EQ(FreshDigest(*host, kDecisionHistoryProjection, then), digest_then);

  absl::StatusOr<std::unique_ptr<Projection>> beyond =
      host->ProjectAt(kPortfolioProjection, log_->Head() + 1);
  EXPECT_EQ(beyond.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(host->ProjectAt("nope", 1).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ProjectionHostTest, PositionAtTimeFindsTheLastEventRecordedBefore) {
  absl::Time now = absl::FromCivil(absl::CivilSecond(2026, 3, 1, 0, 0, 0),
                                   absl::UTCTimeZone());
  storage::EventLogOptions log_options;
  log_options.clock = [&now] { return now; };
  log_.reset();
  absl::StatusOr<std::unique_ptr<storage::EventLog>> log =
      storage::EventLog::Open(dir_.Sub("timed"), log_options);
  ASSERT_TRUE(log.ok());
  log_ = *std::move(log);
  Feed feed({}, log_.get());
  for (int n = 0; n < 5; ++n) {
    feed.Objective(absl::StrCat("o", n), test::ObjectiveDefined("o"));
    now += absl::Hours(1);
  }
  options_.dir = dir_.Sub("timed-projections");
  std::unique_ptr<ProjectionHost> host = StartHost();
  const absl::Time start = absl::FromCivil(
      absl::CivilSecond(2026, 3, 1, 0, 0, 0), absl::UTCTimeZone());
  EXPECT_EQ(*host->PositionAtTime(start - absl::Seconds(1)), 0u);
  EXPECT_EQ(*host->PositionAtTime(start), 1u);
  EXPECT_EQ(*host->PositionAtTime(start + absl::Minutes(150)), 3u);
  EXPECT_EQ(*host->PositionAtTime(start + absl::Hours(100)), 5u);
}

TEST_F(ProjectionHostTest, NotifyWhenAppliedReportsReachedOrExpired) {
  std::unique_ptr<ProjectionHost> host = StartHost();
  absl::Notification expired;
  std::atomic<bool> expired_result{true};
  host->NotifyWhenApplied(1, absl::Now() + absl::Milliseconds(20),
                          [&](bool reached) {
                            expired_result = reached;
                            expired.Notify();
                          });
  expired.WaitForNotification();
  EXPECT_FALSE(expired_result);

  absl::Notification applied;
  std::atomic<bool> applied_result{false};
  host->NotifyWhenApplied(1, absl::InfiniteFuture(), [&](bool reached) {
    applied_result = reached;
    applied.Notify();
  });
  feed_->Objective("o", test::ObjectiveDefined("o"));
  applied.WaitForNotification();
  EXPECT_TRUE(applied_result);
}

// Counts the snapshots taken of each generation of its models (the first
// model: 0, a rebuild's: 1) and holds the host thread in Apply until
// `release` is notified.
class CountingProjection final : public Projection {
 public:
  struct Shared {
    absl::Notification release;
    std::atomic<int> snapshots[2] = {0, 0};
  };
  CountingProjection(Shared* shared, int generation)
      : shared_(shared), generation_(generation) {}
  absl::string_view name() const override { return "counting"; }
  void Apply(const DomainEvent&) override {
    shared_->release.WaitForNotification();
    ++applied_;
  }
  std::string Snapshot() const override {
    ++shared_->snapshots[generation_];
    return std::to_string(applied_);
  }
  absl::Status Restore(absl::string_view) override { return absl::OkStatus(); }
  std::unique_ptr<Projection> NewEmpty() const override {
    return std::make_unique<CountingProjection>(shared_, 1);
  }

 private:
  Shared* shared_;
  int generation_;
  int applied_ = 0;
};

// A checkpoint the host would take on its own while a rebuild of every
// projection is pending is skipped: the rebuild replaces the models and
// checkpoints them itself.
TEST_F(ProjectionHostTest, NoPeriodicCheckpointOfModelsEveryRebuildReplaces) {
  for (const char* id : {"a", "b", "c"}) {
    feed_->Objective(id, test::ObjectiveDefined(id));
  }
  options_.checkpoint_every_events = 1;  // After every chunk.
  CountingProjection::Shared shared;
  std::vector<std::unique_ptr<Projection>> projections;
  projections.push_back(std::make_unique<CountingProjection>(&shared, 0));
  absl::StatusOr<std::unique_ptr<ProjectionHost>> host =
      ProjectionHost::Start(log_.get(), std::move(projections), options_);
  ASSERT_TRUE(host.ok()) << host.status();
  // The host thread is folding (held in Apply) or about to: the rebuild is
  // pending when that fold ends.
  absl::StatusOr<uint64_t> ticket = (*host)->RequestRebuild("");
  ASSERT_TRUE(ticket.ok());
  shared.release.Notify();
  ASSERT_TRUE((*host)->AwaitRebuild(*ticket, absl::InfiniteFuture()));
  EXPECT_EQ(shared.snapshots[0], 0);
  EXPECT_EQ(shared.snapshots[1], 1);
  EXPECT_EQ((*host)->Status()[0].checkpoint_position, log_->Head());
}

}  // namespace
}  // namespace gavel::projections
