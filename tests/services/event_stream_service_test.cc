// EventStreamService through a real server on an ephemeral port with a real
// RocksDB log: reads, and subscriptions from catch-up to live with no gap
// and no duplicate, checkpoints, heartbeats, slow consumers, cancellation,
// shutdown, many subscribers, bad input and roles.
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gavel/v1/event_stream_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/test_server.h"

namespace gavel::services {
namespace {

using ::gavel::test::As;
using ::gavel::test::FieldOf;
using ::gavel::test::ReasonOf;
using ::gavel::test::TestServer;
using ::gavel::v1::SubscribeReply;
using ::testing::ElementsAre;

// A client context for `principal` that gives up after a minute, so that a
// broken subscription fails the test instead of hanging it.
std::unique_ptr<grpc::ClientContext> Reading(absl::string_view principal) {
  std::unique_ptr<grpc::ClientContext> context = As(principal);
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  return context;
}

// One Subscribe call read message by message.
class Subscriber {
 public:
  Subscriber(gavel::v1::EventStreamService::Stub& stub,
             const gavel::v1::SubscribeRequest& request,
             absl::string_view principal = "eve")
      : context_(Reading(principal)),
        reader_(stub.Subscribe(context_.get(), request)) {}

  // The next message; false when the call ended.
  bool Next(SubscribeReply& reply) { return reader_->Read(&reply); }

  // Reads until a record at `position` arrived (true) or the call ended;
  // appends every record's position to positions_.
  bool ReadThrough(uint64_t position) {
    SubscribeReply reply;
    while (last_record_ < position) {
      if (!Next(reply)) return false;
      Note(reply);
    }
    return true;
  }

  // Reads until a CaughtUp (its position) or the end of the call (0).
  uint64_t ReadUntilCaughtUp() {
    SubscribeReply reply;
    while (Next(reply)) {
      Note(reply);
      if (reply.has_caught_up()) return reply.position();
    }
    return 0;
  }

  void Note(const SubscribeReply& reply) {
    for (const gavel::v1::EventRecord& record : reply.events().records()) {
      positions_.push_back(record.position());
      last_record_ = record.position();
    }
    if (reply.has_caught_up()) ++caught_ups_;
  }

  grpc::Status Finish() { return reader_->Finish(); }
  grpc::ClientContext& context() { return *context_; }
  const std::vector<uint64_t>& positions() const { return positions_; }
  int caught_ups() const { return caught_ups_; }

 private:
  std::unique_ptr<grpc::ClientContext> context_;
  std::unique_ptr<grpc::ClientReader<SubscribeReply>> reader_;
  std::vector<uint64_t> positions_;
  uint64_t last_record_ = 0;
  int caught_ups_ = 0;
};

std::vector<uint64_t> Range(uint64_t first, uint64_t last) {
  std::vector<uint64_t> out;
  for (uint64_t p = first; p <= last; ++p) out.push_back(p);
  return out;
}

class EventStreamServiceTest : public ::testing::Test {
 protected:
  EventStreamServiceTest() {
    server_.Stop();
    SubscriptionOptions& options = server_.options().subscriptions;
    options.heartbeat_interval = absl::Milliseconds(100);
    options.checkpoint_every_records = 100;
    options.max_live_lag = 1000;
    server_.Start();
    stub_ = gavel::v1::EventStreamService::NewStub(server_.channel());
  }

  // Appends `count` events of `type` to `stream` in one batch, each with a
  // payload of `payload_bytes`; returns the last position.
  uint64_t Append(const std::string& stream, int count,
                  const std::string& type = "Noted",
                  size_t payload_bytes = 16) {
    storage::AppendRequest request;
    request.actor = "test";
    storage::StreamAppend append;
    append.stream_id = stream;
    for (int i = 0; i < count; ++i) {
      storage::NewEvent event;
      event.event_type = type;
      event.payload = std::string(payload_bytes, 'a' + (i % 26));
      append.events.push_back(std::move(event));
    }
    request.streams.push_back(std::move(append));
    absl::StatusOr<std::vector<storage::AppendResult>> result =
        server_.server().log().Append({request});
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? (*result)[0].last_position : 0;
  }

  gavel::v1::SubscribeRequest FromStart() {
    gavel::v1::SubscribeRequest request;
    request.set_after_position(0);
    return request;
  }

  gavel::v1::GetStatusReply Status() {
    gavel::v1::GetStatusReply reply;
    grpc::Status status = server_.admin().GetStatus(
        As("alice").get(), gavel::v1::GetStatusRequest(), &reply);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return reply;
  }

  // The status of a Subscribe call that fails before any message.
  grpc::Status SubscribeError(const gavel::v1::SubscribeRequest& request,
                              absl::string_view principal = "eve") {
    Subscriber subscriber(*stub_, request, principal);
    SubscribeReply reply;
    EXPECT_FALSE(subscriber.Next(reply));
    return subscriber.Finish();
  }

  TestServer server_;
  std::unique_ptr<gavel::v1::EventStreamService::Stub> stub_;
};

TEST_F(EventStreamServiceTest, ReadStreamReadsForwardsAndBackwardsAsStored) {
  Append("objective-a", 3);
  Append("objective-b", 2);
  Append("objective-a", 2);
  gavel::v1::ReadStreamRequest request;
  request.set_stream_id("objective-a");
  request.set_from_version(2);
  request.set_limit(3);
  gavel::v1::ReadStreamReply reply;
  ASSERT_TRUE(stub_->ReadStream(As("eve").get(), request, &reply).ok());
  EXPECT_EQ(reply.stream_version(), 5u);
  std::vector<uint64_t> versions;
  std::vector<uint64_t> positions;
  for (const gavel::v1::EventRecord& r : reply.events().records()) {
    versions.push_back(r.stream_version());
    positions.push_back(r.position());
  }
  EXPECT_THAT(versions, ElementsAre(2, 3, 4));
  EXPECT_THAT(positions, ElementsAre(2, 3, 6));

  // The bytes served are the bytes stored.
  absl::StatusOr<storage::StoredEvent> stored =
      server_.server().log().ReadAt(6);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(reply.events().records(2).SerializeAsString(), stored->bytes);
  EXPECT_EQ(reply.events().records(2).payload(), std::string(16, 'a'));

  request.set_direction(gavel::v1::READ_DIRECTION_BACKWARD);
  request.set_from_version(0);
  request.set_limit(2);
  ASSERT_TRUE(stub_->ReadStream(As("eve").get(), request, &reply).ok());
  versions.clear();
  for (const gavel::v1::EventRecord& r : reply.events().records()) {
    versions.push_back(r.stream_version());
  }
  EXPECT_THAT(versions, ElementsAre(5, 4));

  request.set_stream_id("objective-none");
  ASSERT_TRUE(stub_->ReadStream(As("eve").get(), request, &reply).ok());
  EXPECT_EQ(reply.events().records_size(), 0);
  EXPECT_EQ(reply.stream_version(), 0u);
}

TEST_F(EventStreamServiceTest, ReadAllFiltersAndItsPositionResumesPastMisses) {
  Append("objective-a", 2, "ObjectiveDefined");
  Append("board-x", 3, "BoardChartered");
  Append("objective-b", 1, "ObjectiveRetired");
  gavel::v1::ReadAllRequest request;
  request.mutable_filter()->add_stream_prefixes("objective-");
  request.set_limit(2);
  gavel::v1::ReadAllReply reply;
  ASSERT_TRUE(stub_->ReadAll(As("ann").get(), request, &reply).ok());
  ASSERT_EQ(reply.events().records_size(), 2);
  EXPECT_EQ(reply.events().records(1).position(), 2u);
  EXPECT_EQ(reply.position(), 2u);
  EXPECT_EQ(reply.head_position(), 6u);

  request.set_after_position(reply.position());
  ASSERT_TRUE(stub_->ReadAll(As("ann").get(), request, &reply).ok());
  ASSERT_EQ(reply.events().records_size(), 1);
  EXPECT_EQ(reply.events().records(0).stream_id(), "objective-b");
  EXPECT_EQ(reply.position(), 6u);

  request.clear_filter();
  request.mutable_filter()->add_event_types("BoardChartered");
  request.set_after_position(0);
  request.set_limit(0);
  ASSERT_TRUE(stub_->ReadAll(As("ann").get(), request, &reply).ok());
  EXPECT_EQ(reply.events().records_size(), 3);
  EXPECT_EQ(reply.position(), 6u);
}

TEST_F(EventStreamServiceTest, ReadAllBeyondTheHeadIsEmpty) {
  Append("objective-a", 2);
  gavel::v1::ReadAllRequest request;
  request.set_after_position(50);
  gavel::v1::ReadAllReply reply;
  ASSERT_TRUE(stub_->ReadAll(As("eve").get(), request, &reply).ok());
  EXPECT_EQ(reply.events().records_size(), 0);
  EXPECT_EQ(reply.position(), 50u);
  EXPECT_EQ(reply.head_position(), 2u);
}

TEST_F(EventStreamServiceTest, SubscribeSignalsCaughtUpAtTheHeadThenGoesLive) {
  Append("objective-a", 10);
  Subscriber subscriber(*stub_, FromStart());
  EXPECT_EQ(subscriber.ReadUntilCaughtUp(), 10u);
  EXPECT_EQ(subscriber.positions(), Range(1, 10));
  Append("objective-a", 1);
  ASSERT_TRUE(subscriber.ReadThrough(11));
  EXPECT_EQ(subscriber.positions(), Range(1, 11));
  EXPECT_EQ(subscriber.caught_ups(), 1);
}

TEST_F(EventStreamServiceTest,
       SubscribeFromStartWhileAppendsRaceDeliversEachPositionOnceInOrder) {
  for (int i = 0; i < 20; ++i) Append(absl::StrCat("objective-", i), 100);
  std::thread writer([this] {
    // Batches of varying sizes, committed while the subscriber catches up.
    for (int i = 0; i < 200; ++i) Append("initiative-race", 1 + i % 37);
  });
  gavel::v1::SubscribeRequest request = FromStart();
  request.set_max_batch_records(50);
  Subscriber subscriber(*stub_, request);
  writer.join();
  const uint64_t head = server_.server().log().Head();
  ASSERT_TRUE(subscriber.ReadThrough(head));
  EXPECT_EQ(subscriber.positions(), Range(1, head));
}

TEST_F(EventStreamServiceTest, SubscribeFromNowDeliversOnlyNewRecords) {
  Append("objective-a", 5);
  gavel::v1::SubscribeRequest request;
  request.set_from_now(true);
  Subscriber subscriber(*stub_, request);
  EXPECT_EQ(subscriber.ReadUntilCaughtUp(), 5u);
  Append("objective-a", 2);
  ASSERT_TRUE(subscriber.ReadThrough(7));
  EXPECT_EQ(subscriber.positions(), Range(6, 7));
}

TEST_F(EventStreamServiceTest, SubscribeBeyondTheHeadWaitsForTheLog) {
  Append("objective-a", 5);
  gavel::v1::SubscribeRequest request;
  request.set_after_position(8);
  Subscriber subscriber(*stub_, request);
  Append("objective-a", 5);
  EXPECT_EQ(subscriber.ReadUntilCaughtUp(), 10u);
  EXPECT_EQ(subscriber.positions(), Range(9, 10));
}

TEST_F(EventStreamServiceTest,
       FilteredSubscriptionCheckpointsAdvancePastMisses) {
  Append("board-x", 450, "BoardChartered");
  gavel::v1::SubscribeRequest request = FromStart();
  request.mutable_filter()->add_stream_prefixes("objective-");
  Subscriber subscriber(*stub_, request);
  std::vector<uint64_t> checkpoints;
  SubscribeReply reply;
  while (subscriber.Next(reply) && !reply.has_caught_up()) {
    EXPECT_EQ(reply.events().records_size(), 0);
    if (reply.has_checkpoint()) checkpoints.push_back(reply.position());
  }
  ASSERT_TRUE(reply.has_caught_up());
  EXPECT_EQ(reply.position(), 450u);
  // checkpoint_every_records = 100: one per 100 records scanned.
  EXPECT_THAT(checkpoints, ElementsAre(100, 200, 300, 400));

  // Live: misses advance the position by a timed checkpoint.
  Append("board-x", 3, "BoardChartered");
  while (subscriber.Next(reply) && !reply.has_checkpoint()) {
  }
  EXPECT_EQ(reply.position(), 453u);
  Append("objective-a", 1, "ObjectiveDefined");
  ASSERT_TRUE(subscriber.ReadThrough(454));
  EXPECT_EQ(subscriber.positions(), Range(454, 454));
}

TEST_F(EventStreamServiceTest, IdleSubscriptionSendsHeartbeats) {
  Append("objective-a", 1);
  Subscriber subscriber(*stub_, FromStart());
  EXPECT_EQ(subscriber.ReadUntilCaughtUp(), 1u);
  SubscribeReply reply;
  ASSERT_TRUE(subscriber.Next(reply));
  EXPECT_TRUE(reply.has_heartbeat());
  EXPECT_EQ(reply.position(), 1u);
  EXPECT_GT(reply.heartbeat().server_time().seconds(), 0);
}

TEST_F(EventStreamServiceTest,
       StalledConsumerKeepsServerBufferBoundedFallsBackAndRecovers) {
  gavel::v1::SubscribeRequest request = FromStart();
  request.set_max_batch_records(10);
  Append("initiative-bulk", 1);
  Subscriber subscriber(*stub_, request);
  EXPECT_EQ(subscriber.ReadUntilCaughtUp(), 1u);
  // The consumer stops reading while ~24 MB are committed: far more than
  // gRPC's flow-control windows hold, so the server's write blocks. Each
  // burst (500) is within max_live_lag (1000); the stall is not.
  uint64_t head = 0;
  for (int i = 0; i < 12; ++i) {
    head = Append("initiative-bulk", 500, "CostReported", 4000);
    const gavel::v1::GetStatusReply status = Status();
    for (const gavel::v1::SubscriberStatus& s : status.subscribers()) {
      EXPECT_LE(s.buffered_records(), 10u);
      EXPECT_LE(s.buffered_bytes(), 10u * 4200);
    }
  }
  gavel::v1::GetStatusReply status = Status();
  ASSERT_EQ(status.subscribers_size(), 1);
  EXPECT_GT(status.subscribers(0).lag_events(), 1000u);
  EXPECT_FALSE(status.subscribers(0).live());

  // The consumer reads again: everything, once, in order, then CaughtUp.
  EXPECT_EQ(subscriber.ReadUntilCaughtUp(), head);
  EXPECT_EQ(subscriber.positions(), Range(1, head));
  EXPECT_EQ(subscriber.caught_ups(), 2);
  status = Status();
  ASSERT_EQ(status.subscribers_size(), 1);
  EXPECT_EQ(status.subscribers(0).fallbacks(), 1u);
  EXPECT_EQ(status.subscribers(0).position(), head);
  EXPECT_EQ(status.subscribers(0).lag_events(), 0u);
  EXPECT_TRUE(status.subscribers(0).live());
}

TEST_F(EventStreamServiceTest, StatusReportsEachSubscriber) {
  Append("objective-a", 4);
  Subscriber subscriber(*stub_, FromStart(), "bob");
  EXPECT_EQ(subscriber.ReadUntilCaughtUp(), 4u);
  gavel::v1::GetStatusReply status = Status();
  ASSERT_EQ(status.subscribers_size(), 1);
  const gavel::v1::SubscriberStatus& s = status.subscribers(0);
  EXPECT_EQ(s.principal(), "bob");
  EXPECT_EQ(s.position(), 4u);
  EXPECT_EQ(s.lag_events(), 0u);
  EXPECT_TRUE(s.live());
  EXPECT_EQ(s.events_sent(), 4u);
  EXPECT_GT(s.last_send_time().seconds(), 0);
}

TEST_F(EventStreamServiceTest, CancelledSubscriptionIsReleased) {
  Append("objective-a", 3);
  {
    Subscriber subscriber(*stub_, FromStart());
    EXPECT_EQ(subscriber.ReadUntilCaughtUp(), 3u);
    EXPECT_EQ(Status().subscribers_size(), 1);
    subscriber.context().TryCancel();
    SubscribeReply reply;
    while (subscriber.Next(reply)) {
    }
    EXPECT_EQ(subscriber.Finish().error_code(), grpc::StatusCode::CANCELLED);
  }
  EXPECT_EQ(server_.server().subscriptions().WaitUntilFewerThan(
                1, absl::Now() + absl::Seconds(30)),
            0u);
  EXPECT_EQ(Status().subscribers_size(), 0);
}

TEST_F(EventStreamServiceTest, ShutdownEndsSubscriptionsWithUnavailable) {
  Append("objective-a", 3);
  Subscriber subscriber(*stub_, FromStart());
  EXPECT_EQ(subscriber.ReadUntilCaughtUp(), 3u);
  stub_.reset();
  server_.Stop();
  SubscribeReply reply;
  while (subscriber.Next(reply)) {
  }
  EXPECT_EQ(subscriber.Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(EventStreamServiceTest,
       ShutdownEndsASubscriptionStuckOnAStalledConsumer) {
  Append("initiative-bulk", 1);
  gavel::v1::SubscribeRequest request = FromStart();
  request.set_max_batch_records(10);
  Subscriber subscriber(*stub_, request);
  EXPECT_EQ(subscriber.ReadUntilCaughtUp(), 1u);
  // ~12 MB the consumer does not read: the server's write blocks.
  for (int i = 0; i < 6; ++i) Append("initiative-bulk", 500, "Noted", 4000);
  stub_.reset();
  // Returns only once every call has ended: with an hour of grace, a
  // subscription that shutdown did not end would hang the test.
  server_.server().Shutdown(absl::Hours(1));
  server_.Stop();
  SubscribeReply reply;
  while (subscriber.Next(reply)) {
  }
  const grpc::StatusCode code = subscriber.Finish().error_code();
  EXPECT_TRUE(code == grpc::StatusCode::CANCELLED ||
              code == grpc::StatusCode::UNAVAILABLE)
      << code;
}

TEST_F(EventStreamServiceTest, HundredSubscribersEachGetEveryRecordOnce) {
  constexpr int kSubscribers = 100;
  Append("objective-a", 50);
  std::vector<std::unique_ptr<Subscriber>> subscribers;
  for (int i = 0; i < kSubscribers; ++i) {
    subscribers.push_back(std::make_unique<Subscriber>(*stub_, FromStart()));
  }
  for (auto& subscriber : subscribers) {
    EXPECT_EQ(subscriber->ReadUntilCaughtUp(), 50u);
  }
  EXPECT_EQ(Status().subscribers_size(), kSubscribers);
  std::atomic<int> complete{0};
  std::vector<std::thread> readers;
  for (auto& subscriber : subscribers) {
    readers.emplace_back([&complete, s = subscriber.get()] {
      if (s->ReadThrough(250)) ++complete;
    });
  }
  for (int i = 0; i < 20; ++i) Append("initiative-fan", 10);
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(complete.load(), kSubscribers);
  for (auto& subscriber : subscribers) {
    EXPECT_EQ(subscriber->positions(), Range(1, 250));
  }
}

TEST_F(EventStreamServiceTest, MalformedFiltersAreInvalidArgumentWithReasons) {
  gavel::v1::SubscribeRequest request = FromStart();
  request.mutable_filter()->add_stream_prefixes("");
  grpc::Status status = SubscribeError(request);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReasonOf(status), "EMPTY_FILTER_VALUE");
  EXPECT_EQ(FieldOf(status), "filter.stream_prefixes[0]");

  request = FromStart();
  for (int i = 0; i < 17; ++i) {
    request.mutable_filter()->add_event_types(absl::StrCat("Type", i));
  }
  status = SubscribeError(request);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReasonOf(status), "TOO_MANY_FILTER_VALUES");
  EXPECT_EQ(FieldOf(status), "filter.event_types");

  gavel::v1::ReadAllRequest read;
  read.mutable_filter()->add_stream_prefixes("objective-");
  read.mutable_filter()->add_stream_prefixes(std::string(129, 'x'));
  gavel::v1::ReadAllReply reply;
  status = stub_->ReadAll(As("eve").get(), read, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReasonOf(status), "FILTER_VALUE_TOO_LONG");
  EXPECT_EQ(FieldOf(status), "filter.stream_prefixes[1]");

  gavel::v1::ReadStreamReply stream_reply;
  status = stub_->ReadStream(As("eve").get(), gavel::v1::ReadStreamRequest(),
                             &stream_reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReasonOf(status), "MISSING_FIELD");
}

TEST_F(EventStreamServiceTest, ReadingNeedsAReadingRole) {
  Append("objective-a", 1);
  for (const char* reader : {"alice", "bob", "ann", "eve"}) {
    gavel::v1::ReadAllReply reply;
    EXPECT_TRUE(
        stub_->ReadAll(As(reader).get(), gavel::v1::ReadAllRequest(), &reply)
            .ok())
        << reader;
  }
  gavel::v1::ReadAllReply reply;
  grpc::Status status =
      stub_->ReadAll(As("sam").get(), gavel::v1::ReadAllRequest(), &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ReasonOf(status), "ROLE_REQUIRED");
  status = SubscribeError(FromStart(), "sam");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  status = SubscribeError(FromStart(), "");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

}  // namespace
}  // namespace gavel::services
