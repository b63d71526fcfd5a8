// RFC 9162 (Certificate Transparency 2.0) Merkle tree hashing and proofs.
//
// Pure functions over SHA-256 (OpenSSL 3): leaf and node hashing, roots,
// inclusion and consistency proofs computed from complete-subtree hashes,
// and the two verifiers of RFC 9162 §2.1.3.2 and §2.1.4.2. This library has
// no knowledge of the event log: the log and the offline verifier in the CLI
// both link it.
//
//   leaf hash  := SHA-256(0x00 || leaf bytes)
//   node hash  := SHA-256(0x01 || left || right)
//   empty root := SHA-256("")
//
// A complete subtree is addressed by (level, index): it covers the 2^level
// leaves [index * 2^level, (index + 1) * 2^level). Level 0 nodes are leaves.
#ifndef GAVEL_TRANSPARENCY_RFC9162_H_
#define GAVEL_TRANSPARENCY_RFC9162_H_

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace gavel::rfc9162 {

using Hash = std::array<uint8_t, 32>;

// SHA-256 of the concatenation of `parts`. Thread-safe.
Hash Sha256(absl::Span<const absl::string_view> parts);

// SHA-256(0x00 || leaf). Thread-safe.
Hash HashLeaf(absl::string_view leaf);

// SHA-256(0x01 || left || right). Thread-safe.
Hash HashChildren(const Hash& left, const Hash& right);

// The root of the empty tree, SHA-256("").
Hash EmptyRoot();

// The hash as a view of its 32 bytes (valid while `hash` lives).
absl::string_view AsBytes(const Hash& hash);

// Parses exactly 32 raw bytes; INVALID_ARGUMENT otherwise.
absl::StatusOr<Hash> HashFromBytes(absl::string_view bytes);

// Lower-case hex of the 32 bytes.
std::string ToHex(const Hash& hash);

// Parses 64 hex digits (either case); INVALID_ARGUMENT otherwise.
absl::StatusOr<Hash> HashFromHex(absl::string_view hex);

// Reads the hash of the complete subtree (level, index). The function must
// return NOT_FOUND or another error for a node it does not have.
using NodeReader =
    std::function<absl::StatusOr<Hash>(int level, uint64_t index)>;

// The root of the tree of the first `size` leaves, computed from at most
// popcount(size) complete-subtree reads. Empty tree: EmptyRoot().
absl::StatusOr<Hash> RootAt(uint64_t size, const NodeReader& read_node);

// The RFC 9162 inclusion proof (audit path) of leaf `index` in the tree of
// `size` leaves, from O(log^2 size) node reads in the worst case.
// INVALID_ARGUMENT unless index < size.
absl::StatusOr<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size,
                                                 const NodeReader& read_node);

// The RFC 9162 consistency proof from the tree of `size1` leaves to the tree
// of `size2` leaves. INVALID_ARGUMENT unless size1 <= size2. Empty when
// size1 == 0 or size1 == size2.
absl::StatusOr<std::vector<Hash>> ConsistencyProof(uint64_t size1,
                                                   uint64_t size2,
                                                   const NodeReader& read_node);

// RFC 9162 §2.1.3.2: OK iff `proof` proves that `leaf_hash` is leaf `index`
// of the tree of `size` leaves whose root is `root`. Otherwise
// INVALID_ARGUMENT (malformed: index out of range, wrong proof length) or
// FAILED_PRECONDITION (the proof does not lead to `root`).
absl::Status VerifyInclusion(uint64_t index, uint64_t size,
                             const Hash& leaf_hash,
                             absl::Span<const Hash> proof, const Hash& root);

// The root that `proof` leads to for `leaf_hash` at `index` in a tree of
// `size` leaves (RFC 9162 §2.1.3.2 without the final comparison).
absl::StatusOr<Hash> RootFromInclusionProof(uint64_t index, uint64_t size,
                                            const Hash& leaf_hash,
                                            absl::Span<const Hash> proof);

// RFC 9162 §2.1.4.2: OK iff `proof` proves that the tree of `size1` leaves
// with root `root1` is a prefix of the tree of `size2` leaves with root
// `root2`. INVALID_ARGUMENT for malformed input, FAILED_PRECONDITION when
// the proof does not verify.
absl::Status VerifyConsistency(uint64_t size1, uint64_t size2,
                               const Hash& root1, const Hash& root2,
                               absl::Span<const Hash> proof);

// The verifiers above over raw byte strings, as published proofs carry
// them: every hash must be 32 bytes (INVALID_ARGUMENT otherwise), except
// that for size1 == size2 the two roots need only be equal byte strings
// (and, for size 0, the empty root).
absl::Status VerifyInclusionBytes(uint64_t index, uint64_t size,
                                  absl::string_view leaf_hash,
                                  absl::Span<const std::string> proof,
                                  absl::string_view root);
absl::Status VerifyConsistencyBytes(uint64_t size1, uint64_t size2,
                                    absl::string_view root1,
                                    absl::string_view root2,
                                    absl::Span<const std::string> proof);

// Maintains the complete subtrees on the right edge of a growing tree: what
// a writer needs to produce, per appended leaf, the complete-subtree nodes
// that leaf completes. Thread-compatible.
class Frontier {
 public:
  // A complete subtree completed by an append, to be persisted.
  struct Node {
    int level;
    uint64_t index;
    Hash hash;
  };

  Frontier() = default;

  // Rebuilds the frontier of a tree of `size` leaves from its stored
  // complete subtrees (popcount(size) reads).
  static absl::StatusOr<Frontier> Load(uint64_t size,
                                       const NodeReader& read_node);

  // Appends a leaf with hash `leaf_hash` and returns the nodes it
  // completes: the leaf itself (level 0), then each parent it closes.
  absl::InlinedVector<Node, 4> Append(const Hash& leaf_hash);

  // Number of leaves.
  uint64_t size() const { return size_; }

  // The current root; EmptyRoot() for an empty tree.
  Hash Root() const;

 private:
  uint64_t size_ = 0;
  // Complete subtrees from the largest (leftmost) to the smallest.
  std::vector<Node> nodes_;
};

}  // namespace gavel::rfc9162

#endif  // GAVEL_TRANSPARENCY_RFC9162_H_
