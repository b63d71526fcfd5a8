// EventLog: the Merkle tree's stored nodes ("merkle"): roots, inclusion
// and consistency proofs, and VerifyTree. The write path (Append) puts
// the nodes each batch completes. Contracts: storage/event_log.h; stored
// format: storage/key_format.h.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "storage/column_families.h"
#include "storage/event_log.h"
#include "storage/key_format.h"
#include "storage/leaf_hasher.h"
#include "storage/rocksdb_slice.h"
#include "storage/rocksdb_status.h"

namespace gavel::storage {
namespace {

// FAILED_PRECONDITION without the tree; INVALID_ARGUMENT for a tree of
// `size` records beyond `head`.
absl::Status RequireTree(bool merkle_tree, uint64_t size, uint64_t head) {
  if (!merkle_tree) {
    return absl::FailedPreconditionError(
        "this event log was opened without its Merkle tree");
  }
  if (size > head) {
    return absl::InvalidArgumentError(
        absl::StrCat("tree size ", size, " is beyond the log's head ", head));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<rfc9162::Hash> EventLog::ReadNode(int level,
                                                 uint64_t index) const {
  std::string value;
  if (level < kLowestStoredLevel) {
    // Not stored: hash the subtree's (at most 2^(kLowestStoredLevel - 1))
    // records. Used for the few lowest nodes of a proof or a frontier.
    const uint64_t first = (index << level) + 1;  // positions
    const uint64_t count = uint64_t{1} << level;
    std::vector<rfc9162::Hash> hashes;
    hashes.reserve(count);
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator(rocksdb::ReadOptions(), cf_->events));
    it->Seek(EventKey(first));
    for (uint64_t position = first; position < first + count; ++position) {
      if (!it->Valid() || DecodeFixed64Key(FromSlice(it->key())) != position) {
        if (!it->status().ok()) {
          return FromRocksDb(it->status(), "reading a record");
        }
        return absl::DataLossError(
            absl::StrCat("record ", position, " is missing from the log"));
      }
      hashes.push_back(rfc9162::HashLeaf(FromSlice(it->value())));
      it->Next();
    }
    while (hashes.size() > 1) {
      for (size_t i = 0; i < hashes.size() / 2; ++i) {
        hashes[i] = rfc9162::HashChildren(hashes[2 * i], hashes[2 * i + 1]);
      }
      hashes.resize(hashes.size() / 2);
    }
    return hashes.front();
  }
  // Node (level, index) was completed by leaf (index + 1) * 2^level - 1.
  const uint64_t leaf = ((index + 1) << level) - 1;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf_->merkle,
                               MerkleNodesKey(leaf), &value);
  if (s.IsNotFound()) {
    return absl::DataLossError(
        absl::StrCat("Merkle node (", level, ", ", index, ") is missing"));
  }
  if (!s.ok()) return FromRocksDb(s, "reading a Merkle node");
  const std::optional<absl::string_view> bytes = MerkleNodeHash(value, level);
  absl::StatusOr<rfc9162::Hash> hash =
      bytes.has_value() ? rfc9162::HashFromBytes(*bytes)
                        : absl::DataLossError("short Merkle entry");
  if (!hash.ok()) {
    return absl::DataLossError(
        absl::StrCat("Merkle node (", level, ", ", index, ") is corrupt"));
  }
  return hash;
}

absl::StatusOr<rfc9162::Hash> EventLog::RootAt(uint64_t size) const {
  if (absl::Status s = RequireTree(options_.merkle_tree, size, Head());
      !s.ok()) {
    return s;
  }
  return rfc9162::RootAt(size, [this](int level, uint64_t index) {
    return ReadNode(level, index);
  });
}

absl::StatusOr<std::vector<rfc9162::Hash>> EventLog::InclusionProof(
    uint64_t index, uint64_t size) const {
  if (absl::Status s = RequireTree(options_.merkle_tree, size, Head());
      !s.ok()) {
    return s;
  }
  return rfc9162::InclusionProof(index, size, [this](int level, uint64_t i) {
    return ReadNode(level, i);
  });
}

absl::StatusOr<std::vector<rfc9162::Hash>> EventLog::ConsistencyProof(
    uint64_t size1, uint64_t size2) const {
  if (absl::Status s = RequireTree(options_.merkle_tree, size2, Head());
      !s.ok()) {
    return s;
  }
  return rfc9162::ConsistencyProof(size1, size2, [this](int level, uint64_t i) {
    return ReadNode(level, i);
  });
}

absl::Status EventLog::VerifyTree(uint64_t size) const {
  if (absl::Status s = RequireTree(options_.merkle_tree, size, Head());
      !s.ok()) {
    return s;
  }
  // One pass over the records and one over the stored nodes, both in key
  // order; the leaves of each chunk are hashed on two threads.
  constexpr size_t kChunk = 4096;
  rocksdb::ReadOptions read_options;
  read_options.fill_cache = false;  // one pass: do not evict the hot set
  std::unique_ptr<rocksdb::Iterator> records(
      db_->NewIterator(read_options, cf_->events));
  std::unique_ptr<rocksdb::Iterator> nodes(
      db_->NewIterator(read_options, cf_->merkle));
  nodes->SeekToFirst();
  LeafHasher hasher;
  std::vector<std::string> chunk;
  std::vector<rfc9162::Hash> leaves;
  gavel::v1::EventRecord record;
  rfc9162::Frontier frontier;
  uint64_t position = 1;
  records->Seek(EventKey(1));
  while (position <= size) {
    chunk.resize(std::min<uint64_t>(kChunk, size - position + 1));
    hasher.Begin(&chunk, &leaves);
    for (size_t i = 0; i < chunk.size(); ++i) {
      const uint64_t expected = position + i;
      if (!records->Valid() ||
          DecodeFixed64Key(FromSlice(records->key())) != expected) {
        hasher.Finish();
        if (!records->status().ok()) {
          return FromRocksDb(records->status(), "reading a record");
        }
        return absl::DataLossError(
            absl::StrCat("record ", expected, " is missing from the log"));
      }
      chunk[i].assign(records->value().data(), records->value().size());
      records->Next();
    }
    hasher.Publish(chunk.size());
    hasher.Finish();
    for (size_t i = 0; i < chunk.size(); ++i, ++position) {
      if (!record.ParseFromString(chunk[i]) || record.position() != position) {
        return absl::DataLossError(
            absl::StrCat("record at position ", position,
                         " does not carry its own position"));
      }
      const absl::InlinedVector<rfc9162::Frontier::Node, 4> completed =
          frontier.Append(leaves[i]);
      if (completed.size() <= kLowestStoredLevel) continue;
      // The nodes this leaf completes from kLowestStoredLevel up are
      // stored together under its index: the next entry of "merkle".
      const std::string key = MerkleNodesKey(position - 1);
      while (nodes->Valid() && nodes->key().compare(key) < 0) nodes->Next();
      if (!nodes->Valid() || nodes->key() != key) {
        if (!nodes->status().ok()) {
          return FromRocksDb(nodes->status(), "reading a Merkle node");
        }
        return absl::DataLossError(absl::StrCat(
            "the Merkle nodes completed by record ", position, " are missing"));
      }
      const absl::string_view value = FromSlice(nodes->value());
      for (size_t level = kLowestStoredLevel; level < completed.size();
           ++level) {
        const std::optional<absl::string_view> stored =
            MerkleNodeHash(value, static_cast<int>(level));
        if (!stored.has_value() ||
            *stored != rfc9162::AsBytes(completed[level].hash)) {
          return absl::DataLossError(absl::StrCat(
              "record at position ", position,
              " does not match the Merkle tree (node ", completed[level].level,
              ", ", completed[level].index, ")"));
        }
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace gavel::storage
