#include "storage/leaf_index.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "storage/event_log.h"
#include "tests/testing/temp_dir.h"

namespace gavel::storage {
namespace {

class LeafIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EventLogOptions options;
    options.sync = false;
    absl::StatusOr<std::unique_ptr<EventLog>> log =
        EventLog::Open(dir_.Sub("log"), options);
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = *std::move(log);
  }

  void Append(int events) {
    std::vector<AppendRequest> batch;
    for (int i = 0; i < events; ++i) {
      AppendRequest request;
      request.streams.push_back(
          {absl::StrCat("s-", i % 13),
           ExpectedVersion::Any(),
           {{"", "E", absl::StrCat("payload ", log_->Head() + i)}}});
      batch.push_back(std::move(request));
    }
    ASSERT_TRUE(log_->Append(batch).ok());
  }

  std::unique_ptr<LeafIndex> OpenIndex() {
    absl::StatusOr<std::unique_ptr<LeafIndex>> index =
        LeafIndex::Open(dir_.Sub("leaves"), log_.get());
    EXPECT_TRUE(index.ok()) << index.status();
    return index.ok() ? *std::move(index) : nullptr;
  }

  rfc9162::Hash LeafHashAt(uint64_t position) {
    absl::StatusOr<StoredEvent> event = log_->ReadAt(position);
    EXPECT_TRUE(event.ok()) << event.status();
    return rfc9162::HashLeaf(event->bytes);
  }

  absl::Time Soon() { return absl::Now() + absl::Seconds(10); }

  test::TempDir dir_;
  std::unique_ptr<EventLog> log_;
};

TEST_F(LeafIndexTest, FindsEveryLeafByItsHashOnceIndexed) {
  for (int i = 0; i < 5; ++i) Append(1000);
  std::unique_ptr<LeafIndex> index = OpenIndex();
  const uint64_t size = log_->Head();
  for (uint64_t position = 1; position <= size; position += 97) {
    absl::StatusOr<uint64_t> leaf =
        index->Find(LeafHashAt(position), size, Soon());
    ASSERT_TRUE(leaf.ok()) << leaf.status();
    EXPECT_EQ(*leaf, position - 1);
  }
  EXPECT_EQ(index->indexed(), size);
}

TEST_F(LeafIndexTest, FollowsAppendsMadeAfterItOpened) {
  std::unique_ptr<LeafIndex> index = OpenIndex();
  Append(10);
  Append(10);
  absl::StatusOr<uint64_t> leaf = index->Find(LeafHashAt(20), 20, Soon());
  ASSERT_TRUE(leaf.ok()) << leaf.status();
  EXPECT_EQ(*leaf, 19u);
}

TEST_F(LeafIndexTest, UnknownHashesAndLeavesBeyondTheSizeAreNotFound) {
  Append(30);
  std::unique_ptr<LeafIndex> index = OpenIndex();
  rfc9162::Hash unknown{};
  unknown[0] = 0x42;
  EXPECT_EQ(index->Find(unknown, 30, Soon()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(index->Find(LeafHashAt(25), 10, Soon()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(LeafIndexTest, SizeNotYetIndexedTimesOut) {
  Append(5);
  std::unique_ptr<LeafIndex> index = OpenIndex();
  EXPECT_EQ(index->Find(LeafHashAt(5), 6, absl::Now() + absl::Milliseconds(50))
                .status()
                .code(),
            absl::StatusCode::kDeadlineExceeded);
}

TEST_F(LeafIndexTest, ReopenedIndexResumesWhereItStopped) {
  Append(100);
  {
    std::unique_ptr<LeafIndex> index = OpenIndex();
    ASSERT_TRUE(index->Find(LeafHashAt(100), 100, Soon()).ok());
  }
  Append(100);
  std::unique_ptr<LeafIndex> index = OpenIndex();
  EXPECT_GE(index->indexed(), 100u);
  absl::StatusOr<uint64_t> old_leaf = index->Find(LeafHashAt(3), 200, Soon());
  ASSERT_TRUE(old_leaf.ok()) << old_leaf.status();
  EXPECT_EQ(*old_leaf, 2u);
  EXPECT_EQ(*index->Find(LeafHashAt(150), 200, Soon()), 149u);
}

TEST_F(LeafIndexTest, IndexOfALongerLogIsRefused) {
  Append(50);
  {
    std::unique_ptr<LeafIndex> index = OpenIndex();
    ASSERT_TRUE(index->Find(LeafHashAt(50), 50, Soon()).ok());
  }
  // Another, shorter log in front of the same index directory.
  log_.reset();
  absl::StatusOr<std::unique_ptr<EventLog>> other =
      EventLog::Open(dir_.Sub("other-log"), {});
  ASSERT_TRUE(other.ok());
  log_ = *std::move(other);
  absl::StatusOr<std::unique_ptr<LeafIndex>> index =
      LeafIndex::Open(dir_.Sub("leaves"), log_.get());
  EXPECT_EQ(index.status().code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace gavel::storage
