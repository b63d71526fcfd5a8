// Applies the log to every projection in chunks of CHECKPOINT_AT records,
// checkpointing once CHECKPOINT_AT records were applied since the last
// checkpoint (so with a head below 2 * CHECKPOINT_AT: only at
// CHECKPOINT_AT), then reports and waits to be killed.
//
// Usage: projection_crash_child LOG_DIR PROJECTIONS_DIR CHECKPOINT_AT
// Prints "applied <position> checkpoint <position>" once every record up
// to the log's head is applied (in memory), then sleeps until killed.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "absl/strings/numbers.h"
#include "projections/decision_history_projection.h"
#include "projections/governance_metrics_projection.h"
#include "projections/portfolio_projection.h"
#include "projections/projection_host.h"
#include "storage/event_log.h"

int main(int argc, char** argv) {
  using namespace gavel;  // NOLINT: a small main.
  uint64_t checkpoint_at = 0;
  if (argc != 4 || !absl::SimpleAtoi(argv[3], &checkpoint_at)) {
    std::fprintf(stderr, "usage: %s LOG_DIR PROJECTIONS_DIR CHECKPOINT_AT\n",
                 argv[0]);
    return 2;
  }
  absl::StatusOr<std::unique_ptr<storage::EventLog>> log =
      storage::EventLog::Open(argv[1], {});
  if (!log.ok()) {
    std::fprintf(stderr, "%s\n", log.status().ToString().c_str());
    return 1;
  }
  projections::ProjectionHostOptions options;
  options.dir = argv[2];
  options.checkpoint_every_events = checkpoint_at;
  options.checkpoint_interval = absl::InfiniteDuration();
  options.history_every_events = 0;
  options.chunk_events = checkpoint_at;
  std::vector<std::unique_ptr<projections::Projection>> all;
  all.push_back(std::make_unique<projections::PortfolioProjection>());
  all.push_back(std::make_unique<projections::DecisionHistoryProjection>());
  all.push_back(std::make_unique<projections::GovernanceMetricsProjection>());
  absl::StatusOr<std::unique_ptr<projections::ProjectionHost>> host =
      projections::ProjectionHost::Start(log->get(), std::move(all), options);
  if (!host.ok()) {
    std::fprintf(stderr, "%s\n", host.status().ToString().c_str());
    return 1;
  }
  const uint64_t head = (*log)->Head();
  (*host)->WaitFor(head, absl::InfiniteFuture());
  std::printf("applied %llu checkpoint %llu\n",
              static_cast<unsigned long long>((*host)->Position()),
              static_cast<unsigned long long>(
                  (*host)->Status()[0].checkpoint_position));
  std::fflush(stdout);
  while (true) pause();
}
