#include "storage/key_format.h"

#include "gtest/gtest.h"

namespace gavel::storage {
namespace {

TEST(KeyFormatTest, EventKeysSortInPositionOrder) {
  EXPECT_LT(EventKey(1), EventKey(2));
  EXPECT_LT(EventKey(255), EventKey(256));
  EXPECT_LT(EventKey(1ull << 40), EventKey((1ull << 40) + 1));
  EXPECT_EQ(DecodeFixed64BE(EventKey(0x0102030405060708ull)),
            0x0102030405060708ull);
}

TEST(KeyFormatTest, StreamIndexKeysOfOneStreamAreContiguous) {
  // "s" versions sort before "s2" entries because of the '\0' separator.
  EXPECT_LT(StreamIndexKey("s", 1), StreamIndexKey("s", 2));
  EXPECT_LT(StreamIndexKey("s", 999), StreamIndexKey("s2", 1));
  EXPECT_LT(StreamIndexKey("s", 1u << 20), StreamIndexKey("s!", 1));
}

TEST(KeyFormatTest, CommittedCommandRoundTrips) {
  CommittedCommand command;
  command.content_digest = std::string(32, '\x7f');
  command.result.first_position = 10;
  command.result.last_position = 12;
  command.result.streams = {{"initiative-1", 3, 4}, {"pool-a", 1, 1}};
  std::optional<CommittedCommand> decoded =
      DecodeCommittedCommand(EncodeCommittedCommand(command));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->content_digest, command.content_digest);
  EXPECT_EQ(decoded->result.first_position, 10u);
  EXPECT_EQ(decoded->result.last_position, 12u);
  ASSERT_EQ(decoded->result.streams.size(), 2u);
  EXPECT_EQ(decoded->result.streams[1].stream_id, "pool-a");
  EXPECT_EQ(decoded->result.streams[0].last_version, 4u);
}

TEST(KeyFormatTest, TruncatedOrPaddedCommandIsRejected) {
  CommittedCommand command;
  command.content_digest = "d";
  command.result.streams = {{"s", 1, 1}};
  const std::string bytes = EncodeCommittedCommand(command);
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(DecodeCommittedCommand(bytes.substr(0, n)).has_value()) << n;
  }
  EXPECT_FALSE(DecodeCommittedCommand(bytes + "x").has_value());
}

}  // namespace
}  // namespace gavel::storage
