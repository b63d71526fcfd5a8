// A projection process killed (SIGKILL) after applying events in memory
// but before checkpointing them resumes from its last checkpoint without
// applying any event twice or skipping one.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "projections/decision_history_projection.h"
#include "projections/governance_metrics_projection.h"
#include "projections/portfolio_projection.h"
#include "projections/projection_host.h"
#include "tests/projections/fixtures.h"
#include "tests/testing/temp_dir.h"

extern char** environ;

namespace gavel::projections {
namespace {

using ::gavel::test::AllProjections;

// Runs the child until it reports, then kills it; returns its report.
std::string RunAndKill(const std::string& log_dir, const std::string& dir,
                       uint64_t checkpoint_at) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  std::string binary = GAVEL_PROJECTION_CRASH_CHILD;
  std::string every = std::to_string(checkpoint_at);
  std::string log_arg = log_dir;
  std::string dir_arg = dir;
  char* argv[] = {binary.data(), log_arg.data(), dir_arg.data(), every.data(),
                  nullptr};
  pid_t pid = 0;
  EXPECT_EQ(posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv, environ),
            0);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  FILE* out = fdopen(fds[0], "r");
  char line[256] = {0};
  std::string report;
  if (std::fgets(line, sizeof(line), out) != nullptr) report = line;
  kill(pid, SIGKILL);
  std::fclose(out);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status)) << "the child stopped on its own";
  return report;
}

TEST(ProjectionCrashTest, KilledBetweenApplyingAndCheckpointingResumesExactly) {
  test::TempDir dir;
  const std::string log_dir = dir.Sub("log");
  uint64_t head = 0;
  {
    absl::StatusOr<std::unique_ptr<storage::EventLog>> log =
        storage::EventLog::Open(log_dir, {});
    ASSERT_TRUE(log.ok());
    test::Feed feed({}, log->get());
    test::GeneratePortfolio(feed, 20);
    head = (*log)->Head();
  }
  // One chunk of checkpoint_at records, checkpointed; the rest (fewer than
  // checkpoint_at) applied but never checkpointed.
  const uint64_t checkpoint_at = head * 2 / 3;
  ASSERT_GT(checkpoint_at, 0u);
  const std::string report =
      RunAndKill(log_dir, dir.Sub("projections"), checkpoint_at);
  ASSERT_EQ(report, "applied " + std::to_string(head) + " checkpoint " +
                        std::to_string(checkpoint_at) + "\n");

  absl::StatusOr<std::unique_ptr<storage::EventLog>> log =
      storage::EventLog::Open(log_dir, {});
  ASSERT_TRUE(log.ok());
  ProjectionHostOptions options;
  options.dir = dir.Sub("projections");
  options.history_every_events = 0;
  absl::StatusOr<std::unique_ptr<ProjectionHost>> resumed =
      ProjectionHost::Start(log->get(), AllProjections(), options);
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  // It restarted from the checkpoint, not from what it had applied.
  for (const ProjectionStatus& s : (*resumed)->Status()) {
    EXPECT_EQ(s.checkpoint_position, checkpoint_at) << s.name;
  }
  ASSERT_TRUE((*resumed)->WaitFor(head, absl::InfiniteFuture()));

  options.dir = dir.Sub("reference");
  absl::StatusOr<std::unique_ptr<ProjectionHost>> reference =
      ProjectionHost::Start(log->get(), AllProjections(), options);
  ASSERT_TRUE(reference.ok());
  ASSERT_TRUE((*reference)->WaitFor(head, absl::InfiniteFuture()));
  for (absl::string_view name :
       {kPortfolioProjection, kDecisionHistoryProjection,
        kGovernanceMetricsProjection}) {
    std::string got, want;
    ASSERT_TRUE((*resumed)
                    ->Read(name, [&](const Projection& p,
                                     uint64_t) { got = Digest(p); })
                    .ok());
    ASSERT_TRUE((*reference)
                    ->Read(name, [&](const Projection& p,
                                     uint64_t) { want = Digest(p); })
                    .ok());
    EXPECT_EQ(got, want) << name;
  }
  // No decision counted twice: one per initiative.
  ASSERT_TRUE(
      (*resumed)
          ->Read(kDecisionHistoryProjection,
                 [&](const Projection& p, uint64_t) {
                   EXPECT_EQ(
                       static_cast<const DecisionHistoryProjection&>(p).size(),
                       20);
                 })
          .ok());
}

}  // namespace
}  // namespace gavel::projections
