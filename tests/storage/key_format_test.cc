#include "storage/key_format.h"

#include <optional>
#include <string>
#include <vector>

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

TEST(KeyFormatTest, Fixed64KeysDecodeOnlyFromEightBytes) {
  EXPECT_EQ(EncodeFixed64BE(0x0102030405060708ull),
            std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
  EXPECT_EQ(DecodeFixed64Key(CheckpointKey(42)), 42u);
  EXPECT_EQ(DecodeFixed64Key(MerkleNodesKey(7)), 7u);
  EXPECT_FALSE(DecodeFixed64Key(EventKey(1).substr(1)).has_value());
  EXPECT_FALSE(DecodeFixed64Key(EventKey(1) + "x").has_value());
}

TEST(KeyFormatTest, StreamIndexKeyVersionBelongsToItsStreamOnly) {
  EXPECT_EQ(StreamIndexKeyVersion(StreamIndexKey("s", 9), "s"), 9u);
  EXPECT_FALSE(StreamIndexKeyVersion(StreamIndexKey("s2", 9), "s"));
  EXPECT_FALSE(StreamIndexKeyVersion(StreamIndexKey("s", 9), "s2"));
  EXPECT_FALSE(StreamIndexKeyVersion(StreamIndexKey("s", 9).substr(1), "s"));
}

TEST(KeyFormatTest, StreamRunRoundTripsAndRejectsBadCounts) {
  const std::string value = EncodeStreamRun(StreamRun{4, 6, 100});
  EXPECT_EQ(value.size(), 16u);
  std::optional<StreamRun> run = DecodeStreamRun(6, value);
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(run->first_version, 4u);
  EXPECT_EQ(run->last_version, 6u);
  EXPECT_EQ(run->first_position, 100u);
  // A count of 3 cannot end at version 2; a short value is malformed.
  EXPECT_FALSE(DecodeStreamRun(2, value).has_value());
  EXPECT_FALSE(DecodeStreamRun(6, value.substr(0, 15)).has_value());
  std::string zero_count = EncodeFixed64BE(100) + EncodeFixed64BE(0);
  EXPECT_FALSE(DecodeStreamRun(6, zero_count).has_value());
}

TEST(KeyFormatTest, MerkleNodesHoldLevelsFromTheLowestStoredOne) {
  std::vector<rfc9162::Frontier::Node> completed;
  for (int level = 0; level < kLowestStoredLevel + 2; ++level) {
    rfc9162::Hash hash;
    hash.fill(static_cast<uint8_t>(level));
    completed.push_back(rfc9162::Frontier::Node{level, 0, hash});
  }
  const std::string value = EncodeMerkleNodes(completed);
  EXPECT_EQ(value.size(), 2 * sizeof(rfc9162::Hash));
  for (int level = kLowestStoredLevel; level < kLowestStoredLevel + 2;
       ++level) {
    std::optional<absl::string_view> hash = MerkleNodeHash(value, level);
    ASSERT_TRUE(hash.has_value()) << level;
    EXPECT_EQ(*hash, rfc9162::AsBytes(completed[level].hash)) << level;
  }
  EXPECT_FALSE(MerkleNodeHash(value, kLowestStoredLevel + 2).has_value());
  EXPECT_FALSE(MerkleNodeHash(value, kLowestStoredLevel - 1).has_value());
  completed.resize(kLowestStoredLevel);
  EXPECT_TRUE(EncodeMerkleNodes(completed).empty());
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
