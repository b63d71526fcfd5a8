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
#include "storage/append_request.h"

namespace gavel::storage {

// 2: no "heads" family (a stream's version is its last run's last_version).
inline constexpr uint32_t kFormatVersion = 2;
// The lowest level of the Merkle tree whose complete subtrees are stored.
inline constexpr int kLowestStoredLevel = 3;
inline constexpr size_t kMaxStreamIdBytes = 200;
inline constexpr size_t kMaxCommandIdBytes = 128;
inline constexpr size_t kMaxDigestBytes = 64;
inline constexpr size_t kMaxStreamsPerRequest = 64;

// Appends the 8 big-endian bytes of `value` to `out`.
void PutFixed64BE(std::string& out, uint64_t value);

// Decodes 8 big-endian bytes at the start of `bytes` (caller checks size).
uint64_t DecodeFixed64BE(absl::string_view bytes);

// Key of the record at `position` in "events".
std::string EventKey(uint64_t position);

// Key in "streams" of the run of `stream_id` ending at `version`; also the
// seek target that finds the run covering `version`.
std::string StreamIndexKey(absl::string_view stream_id, uint64_t version);

// Key in "merkle" of the nodes completed by leaf `leaf_index`.
std::string MerkleNodesKey(uint64_t leaf_index);

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
