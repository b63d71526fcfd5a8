// StreamVersion and backward reads seek in the stream index instead of
// walking every run of the stream (issue 21: ReadStream walked the whole
// index on each call).
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "storage/event_log.h"
#include "tests/testing/temp_dir.h"

namespace gavel::storage {
namespace {

class StreamVersionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EventLogOptions options;
    options.sync = false;
    log_ = *EventLog::Open(dir_.path(), options);
  }

  // Appends `runs` one-event appends to `stream` (one index entry each),
  // `per_batch` appends per Append call.
  void AppendRuns(const std::string& stream, int runs, int per_batch = 100) {
    for (int done = 0; done < runs;) {
      std::vector<AppendRequest> batch;
      for (int i = 0; i < per_batch && done < runs; ++i, ++done) {
        AppendRequest request;
        request.command_id = absl::StrCat(stream, "-", done);
        request.streams.push_back(StreamAppend{
            stream, ExpectedVersion::Any(), {{"", "Happened", "payload"}}});
        batch.push_back(std::move(request));
      }
      ASSERT_TRUE(log_->Append(batch).ok());
    }
  }

  uint64_t IndexReads() const { return log_->Stats().stream_index_reads; }

  test::TempDir dir_;
  std::unique_ptr<EventLog> log_;
};

TEST_F(StreamVersionTest, TheVersionOfALongStreamTakesAFewSeeks) {
  AppendRuns("s-long", 5000);
  AppendRuns("s-other", 10);
  const uint64_t before = IndexReads();
  absl::StatusOr<uint64_t> version = log_->StreamVersion("s-long");
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_EQ(*version, 5000u);
  // Walking the index would read 5000 entries; seeking reads O(log²).
  EXPECT_LE(IndexReads() - before, 64u);
}

TEST_F(StreamVersionTest, EveryLengthIsFoundExactly) {
  for (int length : {1, 2, 3, 7, 8, 9, 100, 129}) {
    const std::string stream = absl::StrCat("s-", length);
    AppendRuns(stream, length, 7);
    absl::StatusOr<uint64_t> version = log_->StreamVersion(stream);
    ASSERT_TRUE(version.ok());
    EXPECT_EQ(*version, static_cast<uint64_t>(length));
  }
  absl::StatusOr<uint64_t> none = log_->StreamVersion("s-none");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0u);
}

TEST_F(StreamVersionTest, ABackwardReadOfALongStreamTakesAFewSeeks) {
  AppendRuns("s-long", 3000);
  const uint64_t before = IndexReads();
  absl::StatusOr<std::vector<StoredEvent>> last =
      log_->ReadStream("s-long", 0, ReadDirection::kBackward, 5);
  ASSERT_TRUE(last.ok()) << last.status();
  ASSERT_EQ(last->size(), 5u);
  EXPECT_EQ(last->front().position, 3000u);
  EXPECT_LE(IndexReads() - before, 64u);
}

}  // namespace
}  // namespace gavel::storage
