// FoldLog over a real EventLog in a temp folder: every lane sees every
// record once and in order, on its own thread, and the first error stops
// the fold.
#include "projections/log_fold.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/catalogue.h"
#include "tests/projections/fixtures.h"
#include "tests/testing/temp_dir.h"

namespace gavel::projections {
namespace {

using ::gavel::test::Feed;
using ::gavel::test::TempDir;

class LogFoldTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = test::OpenTestLog(dir_.Sub("log"));
    ASSERT_NE(log_, nullptr);
    Feed feed({}, log_.get());
    for (int n = 0; n < 100; ++n) {
      feed.Objective(absl::StrCat("o", n), test::ObjectiveDefined("o"));
    }
  }

  TempDir dir_;
  std::unique_ptr<storage::EventLog> log_;
};

TEST_F(LogFoldTest, EveryLaneSeesEveryRecordInOrderOnItsOwnThread) {
  constexpr int kLanes = 3;
  std::vector<std::vector<uint64_t>> seen(kLanes);
  std::vector<std::thread::id> threads(kLanes);
  std::vector<LogFoldLane> lanes;
  for (int lane = 0; lane < kLanes; ++lane) {
    lanes.push_back([&, lane](const EventBatch& batch) {
      threads[lane] = std::this_thread::get_id();
      for (const DomainEvent& e : batch.events()) {
        seen[lane].push_back(e.position);
        EXPECT_EQ(e.aggregate_id, absl::StrCat("o", e.position - 1));
      }
      return absl::OkStatus();
    });
  }
  // Batches of 7: more batches than slots, and a short last one.
  absl::StatusOr<absl::Time> last = FoldLog(*log_, 3, 100, lanes, 7);
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_EQ(*last, log_->HeadRecordedAt());
  std::vector<uint64_t> expected;
  for (uint64_t p = 3; p <= 100; ++p) expected.push_back(p);
  for (int lane = 0; lane < kLanes; ++lane) {
    EXPECT_EQ(seen[lane], expected) << "lane " << lane;
  }
  EXPECT_EQ(threads[0], std::this_thread::get_id());
  EXPECT_NE(threads[1], threads[0]);
  EXPECT_NE(threads[2], threads[1]);
}

TEST_F(LogFoldTest, TheFirstLaneErrorStopsTheFold) {
  for (int failing = 0; failing < 2; ++failing) {
    std::vector<LogFoldLane> lanes;
    for (int lane = 0; lane < 2; ++lane) {
      lanes.push_back([lane, failing](const EventBatch& batch) {
        if (lane == failing && batch.events().back().position >= 50) {
          return absl::InternalError(absl::StrCat("lane ", lane));
        }
        return absl::OkStatus();
      });
    }
    absl::StatusOr<absl::Time> last = FoldLog(*log_, 1, 100, lanes, 4);
    EXPECT_EQ(last.status(),
              absl::InternalError(absl::StrCat("lane ", failing)));
  }
}

// With an empty lane 0 the reading thread leaves part of the decoding to
// the other lane (always for the first batch, when that lane is idle): the
// lane still sees every record whole.
TEST_F(LogFoldTest, WithAnEmptyFirstLaneTheOtherLaneSeesEveryRecordDecoded) {
  std::vector<uint64_t> seen;
  std::vector<LogFoldLane> lanes = {
      LogFoldLane(), [&](const EventBatch& batch) {
        for (const DomainEvent& e : batch.events()) {
          seen.push_back(e.position);
          EXPECT_EQ(e.kind, gavel::v1::AGGREGATE_KIND_OBJECTIVE);
          EXPECT_EQ(e.aggregate_id, absl::StrCat("o", e.position - 1));
          EXPECT_EQ(e.objective.defined().title(), "Objective o")
              << "position " << e.position;
        }
        return absl::OkStatus();
      }};
  absl::StatusOr<absl::Time> last = FoldLog(*log_, 1, 100, lanes, 6);
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_EQ(*last, log_->HeadRecordedAt());
  std::vector<uint64_t> expected;
  for (uint64_t p = 1; p <= 100; ++p) expected.push_back(p);
  EXPECT_EQ(seen, expected);
}

// A payload that does not parse is DATA_LOSS whichever thread decodes it.
TEST_F(LogFoldTest, APayloadThatDoesNotParseIsDataLossOnEitherThread) {
  storage::AppendRequest request;
  request.command_id = "garbage";
  request.actor = "test";
  // Field 1 (the defined event) as a length-delimited field running past
  // the end of the payload.
  request.streams.push_back(storage::StreamAppend{
      catalogue::StreamOf(gavel::v1::AGGREGATE_KIND_OBJECTIVE, "bad"),
      {},
      {{"", "Defined", std::string("\x0a\x7f", 2)}}});
  ASSERT_TRUE(log_->Append({request}).ok());
  const uint64_t bad = log_->Head();
  for (int applying_lanes = 1; applying_lanes <= 2; ++applying_lanes) {
    std::vector<LogFoldLane> lanes = {
        LogFoldLane(), [](const EventBatch&) { return absl::OkStatus(); }};
    if (applying_lanes == 1) lanes.erase(lanes.begin());
    absl::StatusOr<absl::Time> last = FoldLog(*log_, bad - 3, bad, lanes, 2);
    EXPECT_EQ(last.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_THAT(std::string(last.status().message()),
                ::testing::HasSubstr("objective-bad"));
  }
  // The batch decoding alone: kept undecoded, then decoded.
  EventBatch batch;
  absl::Status scan =
      log_->Scan(bad, bad, [&](uint64_t p, absl::string_view b) {
        EXPECT_TRUE(batch.Add(p, b, /*parse=*/false).ok());
        return true;
      });
  ASSERT_TRUE(scan.ok());
  EXPECT_EQ(batch.DecodePending().code(), absl::StatusCode::kDataLoss);
}

TEST_F(LogFoldTest, RecordsBeyondTheHeadAreDataLoss) {
  std::vector<LogFoldLane> lanes = {
      [](const EventBatch&) { return absl::OkStatus(); },
      [](const EventBatch&) { return absl::OkStatus(); }};
  EXPECT_EQ(FoldLog(*log_, 90, 120, lanes, 8).status().code(),
            absl::StatusCode::kDataLoss);
  absl::StatusOr<absl::Time> none = FoldLog(*log_, 5, 4, lanes, 8);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, absl::InfinitePast());
}

}  // namespace
}  // namespace gavel::projections
