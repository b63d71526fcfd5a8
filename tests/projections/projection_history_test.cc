// The projection host's history policy over a real EventLog in a temp
// folder: where history snapshots are written (live, after a restart and
// by a rebuild) and that as_of answers from them equal a fold from zero.
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "projections/decision_history_projection.h"
#include "projections/governance_metrics_projection.h"
#include "projections/portfolio_projection.h"
#include "projections/projection_host.h"
#include "tests/projections/fixtures.h"
#include "tests/projections/host_fixture.h"
#include "tests/testing/temp_dir.h"

namespace gavel::projections {
namespace {

constexpr absl::string_view kNames[] = {kPortfolioProjection,
                                        kDecisionHistoryProjection,
                                        kGovernanceMetricsProjection};

using ::gavel::test::AllProjections;

class ProjectionHistoryTest : public test::ProjectionHostFixture {
 protected:
  void SetUp() override {
    ProjectionHostFixture::SetUp();
    // Snapshots here are a few KiB: spacing by size overtakes the least
    // spacing as the models grow.
    options_.history_events_per_kib = 3;
    options_.chunk_events = 7;
  }

  std::vector<uint64_t> History(const ProjectionHost& host,
                                absl::string_view name) {
    absl::StatusOr<std::vector<uint64_t>> positions =
        host.HistoryPositions(name);
    EXPECT_TRUE(positions.ok()) << positions.status();
    return positions.ok() ? *positions : std::vector<uint64_t>{};
  }

  // The positions the policy picks for `name` up to `head`: the first at
  // history_every_events, each next after the spacing of the snapshot
  // before it (the model there, from a fold from zero).
  std::vector<uint64_t> Expected(const ProjectionHost& host,
                                 absl::string_view name, uint64_t head) {
    std::vector<uint64_t> out;
    for (uint64_t p = options_.history_every_events; p <= head;) {
      out.push_back(p);
      absl::StatusOr<std::unique_ptr<Projection>> then = FoldFromZero(name, p);
      if (!then.ok()) break;
      p += host.HistorySpacing((*then)->Snapshot().size());
    }
    return out;
  }

  // `name` folded from zero to `position` by a host with no history.
  absl::StatusOr<std::unique_ptr<Projection>> FoldFromZero(
      absl::string_view name, uint64_t position) {
    if (plain_ == nullptr) {
      ProjectionHostOptions options = options_;
      options.dir = dir_.Sub("plain");
      options.history_every_events = 0;
      absl::StatusOr<std::unique_ptr<ProjectionHost>> plain =
          ProjectionHost::Start(log_.get(), AllProjections(), options);
      if (!plain.ok()) return plain.status();
      plain_ = *std::move(plain);
    }
    return plain_->ProjectAt(name, position);
  }

  std::unique_ptr<ProjectionHost> plain_;
};

TEST_F(ProjectionHistoryTest, SpacingGrowsWithTheLastSnapshot) {
  std::unique_ptr<ProjectionHost> host = StartHost();
  EXPECT_EQ(host->HistorySpacing(0), 16u);
  EXPECT_EQ(host->HistorySpacing(5 * 1024), 16u);
  EXPECT_EQ(host->HistorySpacing(6 * 1024), 18u);
  EXPECT_EQ(host->HistorySpacing(100 * 1024 + 512), 301u);
  options_.history_events_per_kib = 0;
  options_.dir = dir_.Sub("fixed");
  std::unique_ptr<ProjectionHost> fixed = StartHost();
  EXPECT_EQ(fixed->HistorySpacing(100 * 1024), 16u);
}

TEST_F(ProjectionHistoryTest, LiveFoldWritesHistoryWhereThePolicySays) {
  test::GeneratePortfolio(*feed_, 40);
  // Spacing by size passes 16 events once a snapshot outgrows 1 KiB (the
  // metrics' snapshot, the smallest, does here).
  options_.history_events_per_kib = 16;
  std::unique_ptr<ProjectionHost> host = StartHost();
  ASSERT_TRUE(host->WaitFor(log_->Head(), absl::InfiniteFuture()));
  for (absl::string_view name : kNames) {
    const std::vector<uint64_t> expected = Expected(*host, name, log_->Head());
    EXPECT_EQ(History(*host, name), expected) << name;
    // The spacing by size took over somewhere.
    ASSERT_GE(expected.size(), 3u) << name;
    EXPECT_GT(expected.back() - expected[expected.size() - 2], 16u) << name;
  }
}

TEST_F(ProjectionHistoryTest, RestartContinuesTheHistoryWhereItLeftOff) {
  test::GeneratePortfolio(*feed_, 20);
  {
    std::unique_ptr<ProjectionHost> host = StartHost();
    ASSERT_TRUE(host->WaitFor(log_->Head(), absl::InfiniteFuture()));
  }
  test::GeneratePortfolio(*feed_, 20);
  std::unique_ptr<ProjectionHost> host = StartHost();
  ASSERT_TRUE(host->WaitFor(log_->Head(), absl::InfiniteFuture()));
  for (absl::string_view name : kNames) {
    EXPECT_EQ(History(*host, name), Expected(*host, name, log_->Head()))
        << name;
  }
}

TEST_F(ProjectionHistoryTest, RebuildReplacesHistoryWrittenUnderOtherOptions) {
  options_.history_events_per_kib = 0;  // Every 16 events.
  test::GeneratePortfolio(*feed_, 40);
  {
    std::unique_ptr<ProjectionHost> host = StartHost();
    ASSERT_TRUE(host->WaitFor(log_->Head(), absl::InfiniteFuture()));
  }
  options_.history_events_per_kib = 3;
  std::unique_ptr<ProjectionHost> host = StartHost();
  absl::StatusOr<uint64_t> ticket = host->RequestRebuild("");
  ASSERT_TRUE(ticket.ok());
  ASSERT_TRUE(host->AwaitRebuild(*ticket, absl::InfiniteFuture()));
  for (absl::string_view name : kNames) {
    EXPECT_EQ(History(*host, name), Expected(*host, name, log_->Head()))
        << name;
  }
}

TEST_F(ProjectionHistoryTest, AsOfEveryPositionEqualsAFoldFromZero) {
  test::GeneratePortfolio(*feed_, 30);
  std::unique_ptr<ProjectionHost> host = StartHost();
  ASSERT_TRUE(host->WaitFor(log_->Head(), absl::InfiniteFuture()));
  for (absl::string_view name : kNames) {
    for (uint64_t p = 1; p <= log_->Head(); ++p) {
      absl::StatusOr<std::unique_ptr<Projection>> then =
          host->ProjectAt(name, p);
      absl::StatusOr<std::unique_ptr<Projection>> fresh = FoldFromZero(name, p);
      ASSERT_TRUE(then.ok()) << then.status();
      ASSERT_TRUE(fresh.ok()) << fresh.status();
      ASSERT_EQ(Digest(**then), Digest(**fresh)) << name << " at " << p;
    }
  }
}

TEST_F(ProjectionHistoryTest, ParallelApplyEqualsSequentialApply) {
  test::GeneratePortfolio(*feed_, 40);
  options_.apply_threads = 1;
  std::unique_ptr<ProjectionHost> sequential = StartHost();
  options_.dir = dir_.Sub("parallel");
  options_.apply_threads = 2;
  options_.parallel_fold_events = 1;  // Every fold on two threads.
  std::unique_ptr<ProjectionHost> parallel = StartHost();
  ASSERT_TRUE(sequential->WaitFor(log_->Head(), absl::InfiniteFuture()));
  ASSERT_TRUE(parallel->WaitFor(log_->Head(), absl::InfiniteFuture()));
  auto live = [](ProjectionHost& host, absl::string_view name) {
    std::string digest;
    EXPECT_TRUE(host.Read(name, [&](const Projection& p,
                                    uint64_t) { digest = Digest(p); })
                    .ok());
    return digest;
  };
  for (absl::string_view name : kNames) {
    EXPECT_EQ(live(*parallel, name), live(*sequential, name)) << name;
    EXPECT_EQ(History(*parallel, name), History(*sequential, name)) << name;
  }
  // A rebuild of one projection (one model: the second thread folds it
  // while the host thread decodes) and of all.
  for (absl::string_view rebuild :
       {kDecisionHistoryProjection, absl::string_view()}) {
    absl::StatusOr<uint64_t> ticket = parallel->RequestRebuild(rebuild);
    ASSERT_TRUE(ticket.ok());
    ASSERT_TRUE(parallel->AwaitRebuild(*ticket, absl::InfiniteFuture()));
    for (absl::string_view name : kNames) {
      EXPECT_EQ(live(*parallel, name), live(*sequential, name)) << name;
      EXPECT_EQ(History(*parallel, name), History(*sequential, name)) << name;
      absl::StatusOr<std::unique_ptr<Projection>> then =
          parallel->ProjectAt(name, log_->Head() / 2);
      ASSERT_TRUE(then.ok());
      EXPECT_EQ(Digest(**then), Digest(**FoldFromZero(name, log_->Head() / 2)))
          << name;
    }
  }
}

}  // namespace
}  // namespace gavel::projections
