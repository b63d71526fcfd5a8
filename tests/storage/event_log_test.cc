#include "storage/event_log.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "tests/testing/temp_dir.h"

namespace gavel::storage {
namespace {

using ::testing::HasSubstr;

NewEvent Event(absl::string_view type, absl::string_view payload) {
  return NewEvent{"", std::string(type), std::string(payload)};
}

AppendRequest Request(absl::string_view stream, ExpectedVersion expected,
                      std::vector<NewEvent> events,
                      absl::string_view command_id = "") {
  AppendRequest request;
  request.command_id = std::string(command_id);
  request.actor = "alice";
  request.streams.push_back(
      StreamAppend{std::string(stream), expected, std::move(events)});
  return request;
}

class EventLogTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen() {
    log_.reset();
    absl::StatusOr<std::unique_ptr<EventLog>> log =
        EventLog::Open(dir_.path(), options_);
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = *std::move(log);
  }

  std::vector<AppendResult> MustAppend(std::vector<AppendRequest> batch) {
    absl::StatusOr<std::vector<AppendResult>> results = log_->Append(batch);
    EXPECT_TRUE(results.ok()) << results.status();
    return results.ok() ? *results : std::vector<AppendResult>{};
  }

  gavel::v1::EventRecord MustReadAt(uint64_t position) {
    absl::StatusOr<StoredEvent> event = log_->ReadAt(position);
    EXPECT_TRUE(event.ok()) << event.status();
    absl::StatusOr<gavel::v1::EventRecord> record = event->Decode();
    EXPECT_TRUE(record.ok()) << record.status();
    return *record;
  }

  test::TempDir dir_;
  EventLogOptions options_;
  std::unique_ptr<EventLog> log_;
};

TEST_F(EventLogTest, AppendThenReadAllRoundTripsEveryField) {
  AppendRequest request = Request(
      "initiative-1", ExpectedVersion::NoStream(),
      {Event("InitiativeSubmitted", "a"), Event("ObjectiveLinked", "b")},
      "cmd-1");
  request.correlation_id = "corr";
  request.causation_id = "cause";
  std::vector<AppendResult> results = MustAppend({request});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].first_position, 1u);
  EXPECT_EQ(results[0].last_position, 2u);
  ASSERT_EQ(results[0].streams.size(), 1u);
  EXPECT_EQ(results[0].streams[0].first_version, 1u);
  EXPECT_EQ(results[0].streams[0].last_version, 2u);
  EXPECT_FALSE(results[0].deduplicated);
  EXPECT_EQ(log_->Head(), 2u);

  absl::StatusOr<std::vector<StoredEvent>> events = log_->ReadAll(0, 100);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 2u);
  absl::StatusOr<gavel::v1::EventRecord> first = (*events)[0].Decode();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->position(), 1u);
  EXPECT_EQ(first->stream_id(), "initiative-1");
  EXPECT_EQ(first->stream_version(), 1u);
  EXPECT_EQ(first->event_type(), "InitiativeSubmitted");
  EXPECT_EQ(first->payload(), "a");
  EXPECT_EQ(first->actor(), "alice");
  EXPECT_EQ(first->command_id(), "cmd-1");
  EXPECT_EQ(first->correlation_id(), "corr");
  EXPECT_EQ(first->causation_id(), "cause");
  EXPECT_EQ(first->event_id().size(), 36u);
  EXPECT_GT(first->recorded_at().seconds(), 0);
  absl::StatusOr<gavel::v1::EventRecord> second = (*events)[1].Decode();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->stream_version(), 2u);
  EXPECT_NE(second->event_id(), first->event_id());
}

TEST_F(EventLogTest, PositionsAreDenseAcrossStreamsAndBatches) {
  MustAppend({Request("a", ExpectedVersion::Any(), {Event("E", "1")}),
              Request("b", ExpectedVersion::Any(),
                      {Event("E", "2"), Event("E", "3")})});
  MustAppend({Request("a", ExpectedVersion::Any(), {Event("E", "4")})});
  absl::StatusOr<std::vector<StoredEvent>> events = log_->ReadAll(1, 100);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 4u);
  for (size_t i = 0; i < events->size(); ++i) {
    EXPECT_EQ((*events)[i].position, i + 1);
    EXPECT_EQ((*events)[i].Decode()->payload(), absl::StrCat(i + 1));
  }
  EXPECT_EQ(*log_->StreamVersion("a"), 2u);
  EXPECT_EQ(*log_->StreamVersion("b"), 2u);
  EXPECT_EQ(*log_->StreamVersion("never"), 0u);
}

TEST_F(EventLogTest, ReadAllHonoursFromAndLimit) {
  for (int i = 0; i < 10; ++i) {
    MustAppend({Request("s", ExpectedVersion::Any(), {Event("E", "x")})});
  }
  absl::StatusOr<std::vector<StoredEvent>> page = log_->ReadAll(4, 3);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 3u);
  EXPECT_EQ(page->front().position, 4u);
  EXPECT_EQ(page->back().position, 6u);
  EXPECT_TRUE(log_->ReadAll(11, 3)->empty());
  EXPECT_EQ(log_->ReadAll(9, 100)->size(), 2u);
}

TEST_F(EventLogTest, ScanVisitsInOrderAndStopsWhenAsked) {
  for (int i = 1; i <= 12; ++i) {
    MustAppend(
        {Request("s", ExpectedVersion::Any(), {Event("E", absl::StrCat(i))})});
  }
  std::vector<uint64_t> seen;
  ASSERT_TRUE(log_->Scan(3, 100,
                         [&](uint64_t position, absl::string_view bytes) {
                           gavel::v1::EventRecord record;
                           EXPECT_TRUE(record.ParseFromArray(
                               bytes.data(), static_cast<int>(bytes.size())));
                           EXPECT_EQ(record.position(), position);
                           seen.push_back(position);
                           return position < 7;
                         })
                  .ok());
  EXPECT_EQ(seen, (std::vector<uint64_t>{3, 4, 5, 6, 7}));
  seen.clear();
  ASSERT_TRUE(log_->Scan(11, 100,
                         [&](uint64_t position, absl::string_view) {
                           seen.push_back(position);
                           return true;
                         })
                  .ok());
  EXPECT_EQ(seen, (std::vector<uint64_t>{11, 12}));
  EXPECT_TRUE(log_->Scan(13, 100,
                         [&](uint64_t, absl::string_view) {
                           ADD_FAILURE() << "nothing beyond the head";
                           return true;
                         })
                  .ok());
}

TEST_F(EventLogTest, ReadStreamForwardAndBackward) {
  MustAppend({Request("s", ExpectedVersion::Any(),
                      {Event("E", "1"), Event("E", "2"), Event("E", "3")}),
              Request("other", ExpectedVersion::Any(), {Event("E", "x")}),
              Request("s", ExpectedVersion::Any(), {Event("E", "4")})});
  absl::StatusOr<std::vector<StoredEvent>> forward =
      log_->ReadStream("s", 2, ReadDirection::kForward, 10);
  ASSERT_TRUE(forward.ok()) << forward.status();
  ASSERT_EQ(forward->size(), 3u);
  EXPECT_EQ((*forward)[0].Decode()->payload(), "2");
  EXPECT_EQ((*forward)[2].Decode()->payload(), "4");
  EXPECT_EQ((*forward)[2].position, 5u);

  absl::StatusOr<std::vector<StoredEvent>> backward =
      log_->ReadStream("s", 0, ReadDirection::kBackward, 2);
  ASSERT_TRUE(backward.ok());
  ASSERT_EQ(backward->size(), 2u);
  EXPECT_EQ((*backward)[0].Decode()->stream_version(), 4u);
  EXPECT_EQ((*backward)[1].Decode()->stream_version(), 3u);

  EXPECT_TRUE(log_->ReadStream("s", 9, ReadDirection::kForward, 10)->empty());
  absl::StatusOr<std::vector<StoredEvent>> middle =
      log_->ReadStream("s", 3, ReadDirection::kBackward, 10);
  ASSERT_TRUE(middle.ok());
  ASSERT_EQ(middle->size(), 3u);
  EXPECT_EQ((*middle)[0].Decode()->stream_version(), 3u);
  EXPECT_EQ((*middle)[2].Decode()->stream_version(), 1u);
  EXPECT_TRUE(
      log_->ReadStream("unknown", 1, ReadDirection::kForward, 10)->empty());
  // A stream whose id is a prefix of another is not confused with it.
  MustAppend({Request("s2", ExpectedVersion::Any(), {Event("E", "y")})});
  EXPECT_EQ(log_->ReadStream("s", 1, ReadDirection::kForward, 10)->size(), 4u);
}

TEST_F(EventLogTest, ExpectedVersionAnyAlwaysAccepts) {
  MustAppend({Request("s", ExpectedVersion::Any(), {Event("E", "")})});
  MustAppend({Request("s", ExpectedVersion::Any(), {Event("E", "")})});
  EXPECT_EQ(*log_->StreamVersion("s"), 2u);
}

TEST_F(EventLogTest, ExpectedVersionNoStreamAcceptsNewAndRejectsExisting) {
  MustAppend({Request("s", ExpectedVersion::NoStream(), {Event("E", "")})});
  absl::StatusOr<std::vector<AppendResult>> again = log_->Append(
      {Request("s", ExpectedVersion::NoStream(), {Event("E", "")})});
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAborted);
  EXPECT_THAT(again.status().message(), HasSubstr("stream s"));
  EXPECT_THAT(again.status().message(), HasSubstr("no stream"));
  EXPECT_THAT(again.status().message(), HasSubstr("is at 1"));
}

TEST_F(EventLogTest, ExpectedVersionExistsRejectsNewAndAcceptsExisting) {
  absl::StatusOr<std::vector<AppendResult>> fresh =
      log_->Append({Request("s", ExpectedVersion::Exists(), {Event("E", "")})});
  EXPECT_EQ(fresh.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(log_->Head(), 0u);
  MustAppend({Request("s", ExpectedVersion::Any(), {Event("E", "")})});
  MustAppend({Request("s", ExpectedVersion::Exists(), {Event("E", "")})});
  EXPECT_EQ(*log_->StreamVersion("s"), 2u);
}

TEST_F(EventLogTest, ExpectedVersionExactAcceptsMatchingRejectsStale) {
  MustAppend({Request("s", ExpectedVersion::Exactly(0), {Event("E", "")})});
  MustAppend({Request("s", ExpectedVersion::Exactly(1), {Event("E", "")})});
  absl::StatusOr<std::vector<AppendResult>> stale = log_->Append(
      {Request("s", ExpectedVersion::Exactly(1), {Event("E", "")})});
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_THAT(stale.status().message(),
              HasSubstr("stream s expected version 1 but is at 2"));
  EXPECT_EQ(log_->Head(), 2u);
}

TEST_F(EventLogTest, IdempotentRetryReturnsOriginalResultAndWritesNothing) {
  const AppendRequest request =
      Request("s", ExpectedVersion::NoStream(), {Event("E", "p")}, "cmd-7");
  std::vector<AppendResult> first = MustAppend({request});
  MustAppend({Request("s", ExpectedVersion::Any(), {Event("E", "q")})});
  std::vector<AppendResult> retry = MustAppend({request});
  ASSERT_EQ(retry.size(), 1u);
  EXPECT_TRUE(retry[0].deduplicated);
  EXPECT_EQ(retry[0].first_position, first[0].first_position);
  EXPECT_EQ(retry[0].last_position, first[0].last_position);
  EXPECT_EQ(retry[0].streams[0].last_version, 1u);
  EXPECT_EQ(log_->Head(), 2u);
}

TEST_F(EventLogTest, RetryWithinOneBatchIsDeduplicated) {
  const AppendRequest request =
      Request("s", ExpectedVersion::Any(), {Event("E", "p")}, "cmd-8");
  std::vector<AppendResult> results = MustAppend({request, request});
  ASSERT_EQ(results.size(), 2u);
  EXPECT_FALSE(results[0].deduplicated);
  EXPECT_TRUE(results[1].deduplicated);
  EXPECT_EQ(results[1].first_position, results[0].first_position);
  EXPECT_EQ(log_->Head(), 1u);
}

TEST_F(EventLogTest, ConflictingRetryIsRejectedAlreadyExists) {
  MustAppend({Request("s", ExpectedVersion::Any(), {Event("E", "p")}, "c")});
  absl::StatusOr<std::vector<AppendResult>> conflict = log_->Append(
      {Request("s", ExpectedVersion::Any(), {Event("E", "other")}, "c")});
  EXPECT_EQ(conflict.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(log_->Head(), 1u);
  // The caller's own digest decides when it gives one.
  AppendRequest with_digest =
      Request("t", ExpectedVersion::Any(), {Event("E", "p")}, "d");
  with_digest.content_digest = "digest-1";
  MustAppend({with_digest});
  with_digest.content_digest = "digest-2";
  EXPECT_EQ(log_->Append({with_digest}).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(EventLogTest, MultiStreamBatchFailingOneExpectationWritesNothing) {
  MustAppend({Request("a", ExpectedVersion::Any(), {Event("E", "")})});
  AppendRequest two_streams;
  two_streams.command_id = "multi";
  two_streams.streams.push_back(
      StreamAppend{"b", ExpectedVersion::NoStream(), {Event("E", "")}});
  two_streams.streams.push_back(
      StreamAppend{"a", ExpectedVersion::NoStream(), {Event("E", "")}});
  absl::StatusOr<std::vector<AppendResult>> failed = log_->Append(
      {Request("c", ExpectedVersion::Any(), {Event("E", "")}), two_streams});
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kAborted);
  EXPECT_THAT(failed.status().message(), HasSubstr("stream a"));
  EXPECT_EQ(log_->Head(), 1u);
  EXPECT_EQ(*log_->StreamVersion("b"), 0u);
  EXPECT_EQ(*log_->StreamVersion("c"), 0u);
  EXPECT_FALSE(log_->FindCommand("multi")->has_value());
}

TEST_F(EventLogTest, OneCommandMayWriteSeveralStreamsAtomically) {
  AppendRequest decision;
  decision.command_id = "decide";
  decision.streams.push_back(StreamAppend{
      "initiative-1", ExpectedVersion::Any(), {Event("GateDecided", "go")}});
  decision.streams.push_back(StreamAppend{
      "pool-eng", ExpectedVersion::Any(), {Event("DemandReserved", "5")}});
  std::vector<AppendResult> results = MustAppend({decision});
  ASSERT_EQ(results[0].streams.size(), 2u);
  EXPECT_EQ(results[0].first_position, 1u);
  EXPECT_EQ(results[0].last_position, 2u);
  EXPECT_EQ(MustReadAt(2).stream_id(), "pool-eng");
  EXPECT_EQ(MustReadAt(2).command_id(), "decide");
}

TEST_F(EventLogTest, ReopenPreservesHeadVersionsIdempotencyAndTree) {
  MustAppend({Request("s", ExpectedVersion::Any(),
                      {Event("E", "1"), Event("E", "2")}, "c1")});
  MustAppend({Request("t", ExpectedVersion::Any(), {Event("E", "3")}, "c2")});
  const rfc9162::Hash root = *log_->RootAt(3);
  const absl::Time recorded_at = log_->HeadRecordedAt();
  Reopen();
  EXPECT_EQ(log_->Head(), 3u);
  EXPECT_EQ(log_->HeadRecordedAt(), recorded_at);
  EXPECT_EQ(*log_->StreamVersion("s"), 2u);
  std::vector<AppendResult> retry = MustAppend(
      {Request("t", ExpectedVersion::Any(), {Event("E", "3")}, "c2")});
  EXPECT_TRUE(retry[0].deduplicated);
  EXPECT_EQ(retry[0].first_position, 3u);
  MustAppend({Request("s", ExpectedVersion::Exactly(2), {Event("E", "4")})});
  EXPECT_EQ(log_->Head(), 4u);
  EXPECT_EQ(*log_->RootAt(3), root);
  EXPECT_TRUE(log_->VerifyTree(4).ok());
}

TEST_F(EventLogTest, StreamVersionAfterReopenIsTheLastOfManyAppends) {
  for (int i = 0; i < 300; ++i) {
    MustAppend({Request("long", ExpectedVersion::Any(),
                        {Event("E", "a"), Event("E", "b")})});
    MustAppend({Request(absl::StrCat("other-", i % 7), ExpectedVersion::Any(),
                        {Event("E", "c")})});
  }
  Reopen();
  EXPECT_EQ(*log_->StreamVersion("long"), 600u);
  EXPECT_EQ(*log_->StreamVersion("other-0"), 43u);
  EXPECT_EQ(*log_->StreamVersion("never-written"), 0u);
  // The writer, with nothing cached after the reopen, checks expectations
  // against the same versions.
  EXPECT_FALSE(log_->Append({Request("long", ExpectedVersion::Exactly(599),
                                     {Event("E", "d")})})
                   .ok());
  MustAppend(
      {Request("long", ExpectedVersion::Exactly(600), {Event("E", "d")})});
  EXPECT_EQ(*log_->StreamVersion("long"), 601u);
}

TEST_F(EventLogTest, OpeningAFormatVersion1LogFailsWithAClearError) {
  log_.reset();
  test::TempDir old_dir;
  {
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, old_dir.path(), &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    rocksdb::ColumnFamilyHandle* heads = nullptr;
    ASSERT_TRUE(
        db->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), "heads", &heads)
            .ok());
    ASSERT_TRUE(db->DestroyColumnFamilyHandle(heads).ok());
  }
  absl::StatusOr<std::unique_ptr<EventLog>> log =
      EventLog::Open(old_dir.path(), options_);
  EXPECT_EQ(log.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(log.status().message(), HasSubstr("format version 1"));
}

TEST_F(EventLogTest, SecondOpenOfTheSameDirectoryFails) {
  absl::StatusOr<std::unique_ptr<EventLog>> second =
      EventLog::Open(dir_.path(), options_);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(second.status().message(), HasSubstr("in use"));
}

TEST_F(EventLogTest, BadInputIsInvalidArgumentAndWritesNothing) {
  options_.max_event_bytes = 1000;
  options_.max_batch_bytes = 1500;
  Reopen();
  std::vector<std::vector<AppendRequest>> bad = {
      {},
      {Request("", ExpectedVersion::Any(), {Event("E", "")})},
      {Request(std::string(kMaxStreamIdBytes + 1, 's'), ExpectedVersion::Any(),
               {Event("E", "")})},
      {Request(std::string("a\0b", 3), ExpectedVersion::Any(),
               {Event("E", "")})},
      {Request("s", ExpectedVersion::Any(), {})},
      {Request("s", ExpectedVersion::Any(), {Event("", "")})},
      {Request("s", ExpectedVersion::Any(),
               {Event("E", std::string(1001, 'x'))})},
      {Request("s", ExpectedVersion::Any(),
               {Event("E", std::string(800, 'x')),
                Event("E", std::string(800, 'x'))})},
      {Request("s", ExpectedVersion::Any(), {Event("E", "")},
               std::string(kMaxCommandIdBytes + 1, 'c'))},
  };
  AppendRequest no_streams;
  bad.push_back({no_streams});
  for (size_t i = 0; i < bad.size(); ++i) {
    absl::StatusOr<std::vector<AppendResult>> result = log_->Append(bad[i]);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument)
        << "case " << i << ": " << result.status();
  }
  EXPECT_EQ(log_->Head(), 0u);
  // A valid append afterwards still starts at position 1.
  EXPECT_EQ(MustAppend({Request("s", ExpectedVersion::Any(),
                                {Event("E", std::string(1000, 'x'))})})[0]
                .first_position,
            1u);
  EXPECT_EQ(log_->StreamVersion("").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(EventLogTest, RecordedAtNeverDecreasesWhenTheClockGoesBack) {
  absl::Time now = absl::FromUnixSeconds(2000000000);
  options_.clock = [&now]() { return now; };
  Reopen();
  MustAppend({Request("s", ExpectedVersion::Any(), {Event("E", "")})});
  now -= absl::Hours(1);
  MustAppend({Request("s", ExpectedVersion::Any(), {Event("E", "")})});
  EXPECT_EQ(MustReadAt(2).recorded_at().seconds(), 2000000000);
  now += absl::Hours(2);
  MustAppend({Request("s", ExpectedVersion::Any(), {Event("E", "")})});
  EXPECT_EQ(MustReadAt(3).recorded_at().seconds(), 2000000000 + 3600);
}

TEST_F(EventLogTest, WaitForHeadWakesOnAppendAndTimesOut) {
  EXPECT_EQ(log_->WaitForHead(1, absl::Now() + absl::Milliseconds(20)), 0u);
  std::thread writer([this] {
    absl::SleepFor(absl::Milliseconds(50));
    MustAppend({Request("s", ExpectedVersion::Any(), {Event("E", "")})});
  });
  EXPECT_EQ(log_->WaitForHead(1, absl::Now() + absl::Seconds(30)), 1u);
  writer.join();
}

TEST_F(EventLogTest, HeadListenersHearEveryCommitUntilRemoved) {
  std::vector<uint64_t> heads;
  const uint64_t id =
      log_->AddHeadListener([&heads](uint64_t head) { heads.push_back(head); });
  MustAppend(
      {Request("s", ExpectedVersion::Any(), {Event("E", ""), Event("E", "")})});
  MustAppend({Request("s", ExpectedVersion::Any(), {Event("E", "")})});
  log_->RemoveHeadListener(id);
  MustAppend({Request("s", ExpectedVersion::Any(), {Event("E", "")})});
  EXPECT_EQ(heads, (std::vector<uint64_t>{2, 3}));
}

TEST_F(EventLogTest, ConcurrentReadersSeeOnlyWholeBatchesInOrder) {
  constexpr int kBatches = 300;
  constexpr int kEventsPerBatch = 4;
  options_.sync = false;
  Reopen();
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      while (!done.load()) {
        const uint64_t head = log_->Head();
        if (head % kEventsPerBatch != 0) ++failures;
        absl::StatusOr<std::vector<StoredEvent>> events =
            log_->ReadAll(1, EventLog::kMaxReadLimit);
        if (!events.ok() || events->size() % kEventsPerBatch != 0) {
          ++failures;
          continue;
        }
        for (size_t i = 0; i < events->size(); ++i) {
          absl::StatusOr<gavel::v1::EventRecord> record = (*events)[i].Decode();
          if (!record.ok() || record->position() != i + 1) ++failures;
        }
      }
    });
  }
  for (int b = 0; b < kBatches; ++b) {
    std::vector<NewEvent> events;
    for (int e = 0; e < kEventsPerBatch; ++e) events.push_back(Event("E", "x"));
    MustAppend({Request(absl::StrCat("s", b % 7), ExpectedVersion::Any(),
                        std::move(events))});
  }
  done = true;
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(log_->Head(), uint64_t{kBatches * kEventsPerBatch});
}

TEST_F(EventLogTest, MerkleTreeProofsVerifyAgainstRecordedRoots) {
  for (int i = 0; i < 21; ++i) {
    MustAppend(
        {Request("s", ExpectedVersion::Any(), {Event("E", absl::StrCat(i))})});
  }
  const rfc9162::Hash root21 = *log_->RootAt(21);
  const rfc9162::Hash root13 = *log_->RootAt(13);
  for (uint64_t index = 0; index < 21; ++index) {
    absl::StatusOr<StoredEvent> event = log_->ReadAt(index + 1);
    ASSERT_TRUE(event.ok());
    const rfc9162::Hash leaf = rfc9162::HashLeaf(event->bytes);
    absl::StatusOr<std::vector<rfc9162::Hash>> proof =
        log_->InclusionProof(index, 21);
    ASSERT_TRUE(proof.ok()) << proof.status();
    EXPECT_TRUE(rfc9162::VerifyInclusion(index, 21, leaf, *proof, root21).ok());
  }
  absl::StatusOr<std::vector<rfc9162::Hash>> consistency =
      log_->ConsistencyProof(13, 21);
  ASSERT_TRUE(consistency.ok());
  EXPECT_TRUE(
      rfc9162::VerifyConsistency(13, 21, root13, root21, *consistency).ok());
  EXPECT_EQ(log_->RootAt(22).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(log_->InclusionProof(21, 21).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(log_->VerifyTree(21).ok());
}

TEST_F(EventLogTest, RootsAtEverySizeMatchTheRecordsAcrossReopen) {
  // Sizes 1..70 cross several stored and recomputed subtree levels.
  std::vector<rfc9162::Hash> expected = {rfc9162::EmptyRoot()};
  rfc9162::Frontier frontier;
  for (int i = 0; i < 70; ++i) {
    std::vector<NewEvent> events = {Event("E", absl::StrCat("r", i))};
    if (i % 7 == 0) events.push_back(Event("E", absl::StrCat("x", i)));
    MustAppend({Request(absl::StrCat("s", i % 3), ExpectedVersion::Any(),
                        std::move(events))});
  }
  ASSERT_TRUE(log_->Scan(1, log_->Head(),
                         [&](uint64_t, absl::string_view bytes) {
                           frontier.Append(rfc9162::HashLeaf(bytes));
                           expected.push_back(frontier.Root());
                           return true;
                         })
                  .ok());
  for (int pass = 0; pass < 2; ++pass) {
    for (uint64_t size = 0; size <= log_->Head(); ++size) {
      absl::StatusOr<rfc9162::Hash> root = log_->RootAt(size);
      ASSERT_TRUE(root.ok()) << root.status();
      EXPECT_EQ(*root, expected[size]) << "size " << size;
    }
    Reopen();  // the frontier is then loaded from stored subtrees
  }
  MustAppend({Request("s", ExpectedVersion::Any(), {Event("E", "after")})});
  absl::StatusOr<StoredEvent> last = log_->ReadAt(log_->Head());
  frontier.Append(rfc9162::HashLeaf(last->bytes));
  EXPECT_EQ(*log_->RootAt(log_->Head()), frontier.Root());
  EXPECT_TRUE(log_->VerifyTree(log_->Head()).ok());
}

TEST_F(EventLogTest, LargeBatchesHashedInParallelBuildTheSameTree) {
  // Batches of 32 events or more hash their leaves on a second thread;
  // mixed with small ones, retries and a rejected batch, the stored tree
  // must still be the one the records give.
  int next = 0;
  const auto batch_of = [&next](int commands, int events_each,
                                absl::string_view command_prefix) {
    std::vector<AppendRequest> batch;
    for (int c = 0; c < commands; ++c) {
      std::vector<NewEvent> events;
      for (int e = 0; e < events_each; ++e) {
        events.push_back(Event("E", absl::StrCat("p", next++)));
      }
      AppendRequest request = Request(
          absl::StrCat("s", c % 5), ExpectedVersion::Any(), std::move(events));
      request.command_id = absl::StrCat(command_prefix, c);
      batch.push_back(std::move(request));
    }
    return batch;
  };
  MustAppend(batch_of(10, 10, "a"));
  MustAppend(batch_of(1, 3, "b"));
  MustAppend(batch_of(33, 1, "c"));
  // A retry of "a" beside new commands: only the new ones are written.
  const int after_c = next;
  next = 0;
  std::vector<AppendRequest> retry = batch_of(10, 10, "a");
  next = after_c;
  std::vector<AppendRequest> fresh = batch_of(4, 10, "d");
  for (AppendRequest& request : fresh) retry.push_back(std::move(request));
  ASSERT_TRUE(log_->Append(retry).ok());
  // A rejected batch writes nothing, hashed or not.
  std::vector<AppendRequest> rejected = batch_of(5, 10, "e");
  rejected.back().streams[0].expected_version = ExpectedVersion::Exactly(999);
  EXPECT_EQ(log_->Append(rejected).status().code(), absl::StatusCode::kAborted);
  MustAppend(batch_of(64, 2, "f"));
  ASSERT_EQ(log_->Head(), 100u + 3 + 33 + 40 + 128);

  rfc9162::Frontier frontier;
  std::vector<rfc9162::Hash> expected = {rfc9162::EmptyRoot()};
  ASSERT_TRUE(log_->Scan(1, log_->Head(),
                         [&](uint64_t, absl::string_view bytes) {
                           frontier.Append(rfc9162::HashLeaf(bytes));
                           expected.push_back(frontier.Root());
                           return true;
                         })
                  .ok());
  for (uint64_t size = 0; size <= log_->Head(); ++size) {
    absl::StatusOr<rfc9162::Hash> root = log_->RootAt(size);
    ASSERT_TRUE(root.ok()) << root.status();
    EXPECT_EQ(*root, expected[size]) << "size " << size;
  }
  EXPECT_TRUE(log_->VerifyTree(log_->Head()).ok());
}

TEST_F(EventLogTest, CheckpointsAreStoredOncePerSize) {
  MustAppend({Request("s", ExpectedVersion::Any(), {Event("E", "")})});
  EXPECT_FALSE(log_->LatestCheckpoint()->has_value());
  ASSERT_TRUE(log_->PutCheckpoint(1, "note-1").ok());
  EXPECT_TRUE(log_->PutCheckpoint(1, "note-1").ok());
  EXPECT_EQ(log_->PutCheckpoint(1, "other").code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(*log_->GetCheckpoint(1), "note-1");
  EXPECT_EQ(log_->GetCheckpoint(2).status().code(),
            absl::StatusCode::kNotFound);
  Reopen();
  auto latest = log_->LatestCheckpoint();
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->first, 1u);
  EXPECT_EQ((*latest)->second, "note-1");
}

TEST_F(EventLogTest, SnapshotOpensAsAnIdenticalLog) {
  MustAppend({Request("s", ExpectedVersion::Any(),
                      {Event("E", "1"), Event("E", "2")}, "c")});
  test::TempDir other;
  const std::string copy = other.Sub("copy");
  ASSERT_TRUE(log_->CreateSnapshot(copy).ok());
  MustAppend({Request("s", ExpectedVersion::Any(), {Event("E", "3")})});
  absl::StatusOr<std::unique_ptr<EventLog>> restored =
      EventLog::Open(copy, options_);
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ((*restored)->Head(), 2u);
  EXPECT_EQ(*(*restored)->RootAt(2), *log_->RootAt(2));
  EXPECT_TRUE((*restored)->FindCommand("c")->has_value());
}

TEST_F(EventLogTest, LogWithoutTreeRefusesProofs) {
  test::TempDir other;
  EventLogOptions no_tree;
  no_tree.merkle_tree = false;
  absl::StatusOr<std::unique_ptr<EventLog>> log =
      EventLog::Open(other.path(), no_tree);
  ASSERT_TRUE(log.ok());
  ASSERT_TRUE(
      (*log)
          ->Append({Request("s", ExpectedVersion::Any(), {Event("E", "")})})
          .ok());
  EXPECT_EQ((*log)->RootAt(1).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace gavel::storage
