// The event log's stored formats. This file owns them: change them only
// with a format version bump and a migration.
//
// One RocksDB database, column families:
//
//   "events"      key   := fixed64_be(position)
//                 value := EventRecord bytes
//                 (proto/gavel/v1/event_record.proto)
//   "streams"     key   := stream_id '\0' fixed64_be(last_version)
//                 value := fixed64_be(first_position) fixed64_be(count)
//                          one entry per append to the stream: its `count`
//                          events, versions last_version - count + 1 ..
//                          last_version, sit at consecutive positions
//   "commands"    key   := command_id
//                 value := committed_command
//   "merkle"      key   := fixed64_be(leaf_index)
//                 value := hash(level S) hash(level S+1) ... hash(level k)
//                          the complete subtrees of levels S..k that leaf
//                          completes, k >= S = kLowestStoredLevel (32 bytes
//                          each, RFC 9162), written once
//   "checkpoints" key   := fixed64_be(tree_size)
//                 value := signed note text           (written by services/)
//   "meta"        key   := "format_version"
//                 value := fixed64_be(2)
//
//   committed_command := uint8(len) content_digest
//                        fixed64_be(first_position) fixed64_be(last_position)
//                        uint8(count) stream_write{count}
//   stream_write      := uint8(len) stream_id
//                        fixed64_be(first_version) fixed64_be(last_version)
//
// stream_id never contains '\0' and is at most kMaxStreamIdBytes long;
// positions and versions start at 1; leaf i is the record at position i + 1.
// The complete subtree (level, index) covers leaves
// [index * 2^level, (index + 1) * 2^level); the leaf that completes it is
// (index + 1) * 2^level - 1, so k = the number of trailing one bits of the
// leaf index. Subtrees below level S (up to 2^(S-1) leaves) are not
// stored: they are recomputed from the records, a leaf hash being
// SHA-256(0x00 || the record's bytes in "events"). Appending the tree's
// nodes therefore costs one sequential put for every 2^S records.
#ifndef GAVEL_STORAGE_KEY_FORMAT_H_
#define GAVEL_STORAGE_KEY_FORMAT_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "storage/append_request.h"
#include "transparency/rfc9162.h"

namespace gavel::storage {

// 2: no "heads" family (a stream's version is its last run's last_version).
inline constexpr uint32_t kFormatVersion = 2;
// The column families above, and the one key of "meta".
inline constexpr char kEventsFamily[] = "events";
inline constexpr char kStreamsFamily[] = "streams";
inline constexpr char kCommandsFamily[] = "commands";
inline constexpr char kMerkleFamily[] = "merkle";
inline constexpr char kCheckpointsFamily[] = "checkpoints";
inline constexpr char kMetaFamily[] = "meta";
inline constexpr char kFormatVersionKey[] = "format_version";
// The family only format version 1 has.
inline constexpr char kVersion1HeadsFamily[] = "heads";
// The lowest level of the Merkle tree whose complete subtrees are stored.
inline constexpr int kLowestStoredLevel = 3;
inline constexpr size_t kMaxStreamIdBytes = 200;
inline constexpr size_t kMaxCommandIdBytes = 128;
inline constexpr size_t kMaxDigestBytes = 64;
inline constexpr size_t kMaxStreamsPerRequest = 64;

// fixed64_be: the one big-endian uint64 encoding of the tree (keys sort in
// numeric order). Other stores of derived data (projections/) use it too.

// Appends the 8 big-endian bytes of `value` to `out`.
void PutFixed64BE(std::string& out, uint64_t value);

// The 8 big-endian bytes of `value`.
std::string EncodeFixed64BE(uint64_t value);

// Decodes 8 big-endian bytes at the start of `bytes` (caller checks size).
uint64_t DecodeFixed64BE(absl::string_view bytes);

// Key of the record at `position` in "events".
std::string EventKey(uint64_t position);

// Key in "checkpoints" of the checkpoint of `tree_size`.
std::string CheckpointKey(uint64_t tree_size);

// The number in a key of "events", "merkle" or "checkpoints"; nullopt
// unless `key` is 8 bytes long.
std::optional<uint64_t> DecodeFixed64Key(absl::string_view key);

// Key in "streams" of the run of `stream_id` ending at `version`; also the
// seek target that finds the run covering `version`.
std::string StreamIndexKey(absl::string_view stream_id, uint64_t version);

// The last_version in `key` if it is a "streams" key of `stream_id`;
// nullopt if it is any other key.
std::optional<uint64_t> StreamIndexKeyVersion(absl::string_view key,
                                              absl::string_view stream_id);

// A "streams" entry: versions first_version..last_version of one stream at
// consecutive positions from first_position.
struct StreamRun {
  uint64_t first_version = 0;
  uint64_t last_version = 0;
  uint64_t first_position = 0;
};

// The value of the "streams" entry of `run` (its key: StreamIndexKey of
// run.last_version). Requires first_version <= last_version.
std::string EncodeStreamRun(const StreamRun& run);

// The run of the "streams" entry whose key holds `last_version` and whose
// value is `value`; nullopt if the value is malformed (not 16 bytes, or a
// count of 0 or of more than last_version).
std::optional<StreamRun> DecodeStreamRun(uint64_t last_version,
                                         absl::string_view value);

// Key in "merkle" of the nodes completed by leaf `leaf_index`.
std::string MerkleNodesKey(uint64_t leaf_index);

// The value of a "merkle" entry: the hashes of completed[level] for level
// kLowestStoredLevel up to completed.size() - 1, where completed[level] is
// the node of that level that the leaf completes (as
// rfc9162::Frontier::Append returns them). The caller writes an entry only
// when completed.size() > kLowestStoredLevel.
std::string EncodeMerkleNodes(
    absl::Span<const rfc9162::Frontier::Node> completed);

// The 32 bytes of the hash of level `level` (>= kLowestStoredLevel) in the
// "merkle" value `value`; nullopt if the value is too short to hold it.
std::optional<absl::string_view> MerkleNodeHash(absl::string_view value,
                                                int level);

// A committed command as stored in "commands".
struct CommittedCommand {
  std::string content_digest;
  AppendResult result;
};

// Encodes `command` as committed_command. Stream ids and the digest must
// respect the bounds above (EventLog validates them first).
std::string EncodeCommittedCommand(const CommittedCommand& command);

// Decodes committed_command; nullopt if the bytes are malformed.
std::optional<CommittedCommand> DecodeCommittedCommand(absl::string_view bytes);

}  // namespace gavel::storage

#endif  // GAVEL_STORAGE_KEY_FORMAT_H_
