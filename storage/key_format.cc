#include "storage/key_format.h"

namespace gavel::storage {
namespace {

// Reads a length-prefixed string (uint8 length) from the front of `in`.
std::optional<std::string> TakeShortString(absl::string_view& in) {
  if (in.empty()) return std::nullopt;
  const size_t len = static_cast<uint8_t>(in[0]);
  if (in.size() < 1 + len) return std::nullopt;
  std::string out(in.substr(1, len));
  in.remove_prefix(1 + len);
  return out;
}

std::optional<uint64_t> TakeFixed64(absl::string_view& in) {
  if (in.size() < 8) return std::nullopt;
  const uint64_t value = DecodeFixed64BE(in);
  in.remove_prefix(8);
  return value;
}

void PutShortString(std::string& out, absl::string_view s) {
  out.push_back(static_cast<char>(static_cast<uint8_t>(s.size())));
  out.append(s.data(), s.size());
}

}  // namespace

void PutFixed64BE(std::string& out, uint64_t value) {
  char buf[8];
  for (int i = 7; i >= 0; --i) {
    buf[i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  out.append(buf, 8);
}

std::string EncodeFixed64BE(uint64_t value) {
  std::string out;
  out.reserve(8);
  PutFixed64BE(out, value);
  return out;
}

uint64_t DecodeFixed64BE(absl::string_view bytes) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) {
    value = (value << 8) | static_cast<uint8_t>(bytes[i]);
  }
  return value;
}

std::string EventKey(uint64_t position) { return EncodeFixed64BE(position); }

std::string CheckpointKey(uint64_t tree_size) {
  return EncodeFixed64BE(tree_size);
}

std::optional<uint64_t> DecodeFixed64Key(absl::string_view key) {
  if (key.size() != 8) return std::nullopt;
  return DecodeFixed64BE(key);
}

std::string StreamIndexKey(absl::string_view stream_id, uint64_t version) {
  std::string key;
  key.reserve(stream_id.size() + 9);
  key.append(stream_id.data(), stream_id.size());
  key.push_back('\0');
  PutFixed64BE(key, version);
  return key;
}

std::optional<uint64_t> StreamIndexKeyVersion(absl::string_view key,
                                              absl::string_view stream_id) {
  const size_t prefix = stream_id.size() + 1;
  if (key.size() != prefix + 8 ||
      key.substr(0, stream_id.size()) != stream_id ||
      key[stream_id.size()] != '\0') {
    return std::nullopt;
  }
  return DecodeFixed64BE(key.substr(prefix));
}

std::string EncodeStreamRun(const StreamRun& run) {
  std::string value;
  value.reserve(16);
  PutFixed64BE(value, run.first_position);
  PutFixed64BE(value, run.last_version - run.first_version + 1);
  return value;
}

std::optional<StreamRun> DecodeStreamRun(uint64_t last_version,
                                         absl::string_view value) {
  if (value.size() != 16) return std::nullopt;
  const uint64_t count = DecodeFixed64BE(value.substr(8));
  if (count == 0 || count > last_version) return std::nullopt;
  StreamRun run;
  run.first_version = last_version - count + 1;
  run.last_version = last_version;
  run.first_position = DecodeFixed64BE(value);
  return run;
}

std::string MerkleNodesKey(uint64_t leaf_index) {
  return EncodeFixed64BE(leaf_index);
}

std::string EncodeMerkleNodes(
    absl::Span<const rfc9162::Frontier::Node> completed) {
  std::string hashes;
  if (completed.size() <= kLowestStoredLevel) return hashes;
  hashes.reserve((completed.size() - kLowestStoredLevel) *
                 sizeof(rfc9162::Hash));
  for (size_t level = kLowestStoredLevel; level < completed.size(); ++level) {
    const absl::string_view hash = rfc9162::AsBytes(completed[level].hash);
    hashes.append(hash.data(), hash.size());
  }
  return hashes;
}

std::optional<absl::string_view> MerkleNodeHash(absl::string_view value,
                                                int level) {
  if (level < kLowestStoredLevel) return std::nullopt;
  const size_t offset =
      static_cast<size_t>(level - kLowestStoredLevel) * sizeof(rfc9162::Hash);
  if (value.size() < offset + sizeof(rfc9162::Hash)) return std::nullopt;
  return value.substr(offset, sizeof(rfc9162::Hash));
}

std::string EncodeCommittedCommand(const CommittedCommand& command) {
  std::string out;
  PutShortString(out, command.content_digest);
  PutFixed64BE(out, command.result.first_position);
  PutFixed64BE(out, command.result.last_position);
  out.push_back(
      static_cast<char>(static_cast<uint8_t>(command.result.streams.size())));
  for (const StreamWrite& write : command.result.streams) {
    PutShortString(out, write.stream_id);
    PutFixed64BE(out, write.first_version);
    PutFixed64BE(out, write.last_version);
  }
  return out;
}

std::optional<CommittedCommand> DecodeCommittedCommand(
    absl::string_view bytes) {
  CommittedCommand command;
  std::optional<std::string> digest = TakeShortString(bytes);
  std::optional<uint64_t> first = TakeFixed64(bytes);
  std::optional<uint64_t> last = TakeFixed64(bytes);
  if (!digest || !first || !last || bytes.empty()) return std::nullopt;
  command.content_digest = *std::move(digest);
  command.result.first_position = *first;
  command.result.last_position = *last;
  const size_t count = static_cast<uint8_t>(bytes[0]);
  bytes.remove_prefix(1);
  for (size_t i = 0; i < count; ++i) {
    std::optional<std::string> stream_id = TakeShortString(bytes);
    std::optional<uint64_t> first_version = TakeFixed64(bytes);
    std::optional<uint64_t> last_version = TakeFixed64(bytes);
    if (!stream_id || !first_version || !last_version) return std::nullopt;
    command.result.streams.push_back(
        StreamWrite{*std::move(stream_id), *first_version, *last_version});
  }
  if (!bytes.empty()) return std::nullopt;
  return command;
}

}  // namespace gavel::storage
