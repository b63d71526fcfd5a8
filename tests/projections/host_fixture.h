// A projection host over a real EventLog in a temp folder, shared by the
// host's test suites: the log, a Feed appending to it, the host's options
// (its own folder, a history snapshot at least every 16 events) and
// StartHost(). A suite's SetUp calls this one first, then adjusts
// options_.
#ifndef GAVEL_TESTS_PROJECTIONS_HOST_FIXTURE_H_
#define GAVEL_TESTS_PROJECTIONS_HOST_FIXTURE_H_

#include <memory>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "projections/projection.h"
#include "projections/projection_host.h"
#include "storage/event_log.h"
#include "tests/projections/fixtures.h"
#include "tests/testing/temp_dir.h"

namespace gavel::test {

class ProjectionHostFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = OpenTestLog(dir_.Sub("log"));
    ASSERT_NE(log_, nullptr);
    feed_ = std::make_unique<Feed>(std::vector<projections::Projection*>{},
                                   log_.get());
    options_.dir = dir_.Sub("projections");
    options_.history_every_events = 16;
  }

  // A host of the three projections over log_ with options_; null (and a
  // test failure) when it does not start.
  std::unique_ptr<projections::ProjectionHost> StartHost() {
    absl::StatusOr<std::unique_ptr<projections::ProjectionHost>> host =
        projections::ProjectionHost::Start(log_.get(), AllProjections(),
                                           options_);
    EXPECT_TRUE(host.ok()) << host.status();
    return host.ok() ? *std::move(host) : nullptr;
  }

  TempDir dir_;
  std::unique_ptr<storage::EventLog> log_;
  std::unique_ptr<Feed> feed_;
  projections::ProjectionHostOptions options_;
};

}  // namespace gavel::test

#endif  // GAVEL_TESTS_PROJECTIONS_HOST_FIXTURE_H_
