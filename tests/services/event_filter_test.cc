// Reading a stored record's header from its wire bytes, filters, and
// record batches that clients parse as EventBatch.
#include "services/event_filter.h"

#include <string>

#include "gavel/v1/event_record.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gavel::services {
namespace {

std::string Record(const std::string& stream, const std::string& type,
                   int64_t seconds = 1700000000, int32_t nanos = 250) {
  gavel::v1::EventRecord record;
  record.set_position(7);
  record.set_stream_id(stream);
  record.set_stream_version(3);
  record.set_event_id("e-1");
  record.set_event_type(type);
  record.mutable_recorded_at()->set_seconds(seconds);
  record.mutable_recorded_at()->set_nanos(nanos);
  record.set_actor("alice");
  record.set_payload(std::string(300, 'p'));
  return record.SerializeAsString();
}

TEST(RecordHeaderTest, ReadsStreamTypeAndTimeFromStoredBytes) {
  const std::string bytes = Record("initiative-I-1", "GateDecided");
  absl::StatusOr<RecordHeader> header = ReadRecordHeader(bytes);
  ASSERT_TRUE(header.ok()) << header.status();
  EXPECT_EQ(header->stream_id, "initiative-I-1");
  EXPECT_EQ(header->event_type, "GateDecided");
  EXPECT_EQ(header->recorded_at,
            absl::FromUnixSeconds(1700000000) + absl::Nanoseconds(250));
}

TEST(RecordHeaderTest, TruncatedBytesAreDataLoss) {
  const std::string bytes = Record("initiative-I-1", "GateDecided");
  EXPECT_EQ(
      ReadRecordHeader(bytes.substr(0, bytes.size() - 10)).status().code(),
      absl::StatusCode::kDataLoss);
}

TEST(EventFilterTest, MatchesAPrefixAndATypeTogether) {
  gavel::v1::EventFilter proto;
  proto.add_stream_prefixes("initiative-");
  proto.add_stream_prefixes("board-");
  proto.add_event_types("GateDecided");
  absl::StatusOr<EventFilter> filter = EventFilter::FromProto(proto);
  ASSERT_TRUE(filter.ok()) << filter.status();
  EXPECT_FALSE(filter->MatchesEverything());
  EXPECT_TRUE(filter->Matches({"initiative-I-1", "GateDecided"}));
  EXPECT_TRUE(filter->Matches({"board-B", "GateDecided"}));
  EXPECT_FALSE(filter->Matches({"initiative-I-1", "GateVoteCast"}));
  EXPECT_FALSE(filter->Matches({"objective-O", "GateDecided"}));
  EXPECT_TRUE(EventFilter().Matches({"anything", "Any"}));
}

TEST(RecordBatchTest, ClientsParseTheStoredBytesAsEventBatchRecords) {
  const std::string first = Record("objective-O-1", "ObjectiveDefined");
  const std::string second = Record("objective-O-2", "ObjectiveRetired");
  RecordBatch batch;
  batch.Add(first);
  batch.Add(second);
  EXPECT_EQ(batch.records(), 2u);
  gavel::v1::SubscribeReply reply;
  reply.set_position(9);
  batch.MoveInto(gavel::v1::SubscribeReply::kEventsFieldNumber, reply);
  EXPECT_EQ(batch.records(), 0u);

  gavel::v1::SubscribeReply parsed;
  ASSERT_TRUE(parsed.ParseFromString(reply.SerializeAsString()));
  EXPECT_EQ(parsed.position(), 9u);
  ASSERT_TRUE(parsed.has_events());
  ASSERT_EQ(parsed.events().records_size(), 2);
  EXPECT_EQ(parsed.events().records(0).SerializeAsString(), first);
  EXPECT_EQ(parsed.events().records(1).event_type(), "ObjectiveRetired");
}

}  // namespace
}  // namespace gavel::services
