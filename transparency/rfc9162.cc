#include "transparency/rfc9162.h"

#include <openssl/evp.h>

#include <cstdlib>
#include <cstring>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace gavel::rfc9162 {
namespace {

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

const EVP_MD* Sha256Md() {
  // Fetched once; the provider keeps it alive for the process.
  static const EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

EVP_MD_CTX* ThreadContext() {
  thread_local std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  return ctx.get();
}

// Largest power of two strictly smaller than n (n >= 2).
uint64_t SplitPoint(uint64_t n) {
  uint64_t k = 1;
  while (k << 1 < n) k <<= 1;
  return k;
}

bool IsPowerOfTwo(uint64_t n) { return n != 0 && (n & (n - 1)) == 0; }

int Log2(uint64_t power_of_two) { return __builtin_ctzll(power_of_two); }

// MTH(D[begin:end]) for a range the RFC's recursion produces: `begin` is a
// multiple of the largest power of two not above end - begin.
absl::StatusOr<Hash> SubtreeRoot(uint64_t begin, uint64_t end,
                                 const NodeReader& read_node) {
  const uint64_t n = end - begin;
  if (IsPowerOfTwo(n) && begin % n == 0) {
    const int level = Log2(n);
    return read_node(level, begin >> level);
  }
  const uint64_t k = SplitPoint(n);
  absl::StatusOr<Hash> left = SubtreeRoot(begin, begin + k, read_node);
  if (!left.ok()) return left.status();
  absl::StatusOr<Hash> right = SubtreeRoot(begin + k, end, read_node);
  if (!right.ok()) return right.status();
  return HashChildren(*left, *right);
}

absl::Status AppendPath(uint64_t index, uint64_t begin, uint64_t end,
                        const NodeReader& read_node, std::vector<Hash>& path) {
  const uint64_t n = end - begin;
  if (n == 1) return absl::OkStatus();
  const uint64_t k = SplitPoint(n);
  absl::StatusOr<Hash> sibling;
  if (index < begin + k) {
    if (absl::Status s = AppendPath(index, begin, begin + k, read_node, path);
        !s.ok()) {
      return s;
    }
    sibling = SubtreeRoot(begin + k, end, read_node);
  } else {
    if (absl::Status s = AppendPath(index, begin + k, end, read_node, path);
        !s.ok()) {
      return s;
    }
    sibling = SubtreeRoot(begin, begin + k, read_node);
  }
  if (!sibling.ok()) return sibling.status();
  path.push_back(*sibling);
  return absl::OkStatus();
}

absl::Status AppendSubproof(uint64_t m, uint64_t begin, uint64_t end,
                            bool whole_old_tree, const NodeReader& read_node,
                            std::vector<Hash>& proof) {
  const uint64_t n = end - begin;
  if (m == n) {
    if (whole_old_tree) return absl::OkStatus();
    absl::StatusOr<Hash> root = SubtreeRoot(begin, end, read_node);
    if (!root.ok()) return root.status();
    proof.push_back(*root);
    return absl::OkStatus();
  }
  const uint64_t k = SplitPoint(n);
  absl::StatusOr<Hash> sibling;
  if (m <= k) {
    if (absl::Status s = AppendSubproof(m, begin, begin + k, whole_old_tree,
                                        read_node, proof);
        !s.ok()) {
      return s;
    }
    sibling = SubtreeRoot(begin + k, end, read_node);
  } else {
    if (absl::Status s =
            AppendSubproof(m - k, begin + k, end, false, read_node, proof);
        !s.ok()) {
      return s;
    }
    sibling = SubtreeRoot(begin, begin + k, read_node);
  }
  if (!sibling.ok()) return sibling.status();
  proof.push_back(*sibling);
  return absl::OkStatus();
}

absl::Status Mismatch(absl::string_view what) {
  return absl::FailedPreconditionError(what);
}

}  // namespace

Hash Sha256(absl::Span<const absl::string_view> parts) {
  EVP_MD_CTX* ctx = ThreadContext();
  Hash out;
  unsigned int len = 0;
  // These calls fail only on allocation failure inside OpenSSL, which we
  // treat like any other out-of-memory condition.
  if (EVP_DigestInit_ex(ctx, Sha256Md(), nullptr) != 1) std::abort();
  for (absl::string_view part : parts) {
    if (EVP_DigestUpdate(ctx, part.data(), part.size()) != 1) std::abort();
  }
  if (EVP_DigestFinal_ex(ctx, out.data(), &len) != 1) std::abort();
  return out;
}

Hash HashLeaf(absl::string_view leaf) {
  static constexpr char kLeafPrefix[1] = {0x00};
  return Sha256({absl::string_view(kLeafPrefix, 1), leaf});
}

Hash HashChildren(const Hash& left, const Hash& right) {
  static constexpr char kNodePrefix[1] = {0x01};
  return Sha256(
      {absl::string_view(kNodePrefix, 1), AsBytes(left), AsBytes(right)});
}

Hash EmptyRoot() { return Sha256({}); }

absl::string_view AsBytes(const Hash& hash) {
  return absl::string_view(reinterpret_cast<const char*>(hash.data()),
                           hash.size());
}

absl::StatusOr<Hash> HashFromBytes(absl::string_view bytes) {
  if (bytes.size() != sizeof(Hash)) {
    return absl::InvalidArgumentError(
        absl::StrCat("a SHA-256 hash has 32 bytes, got ", bytes.size()));
  }
  Hash out;
  std::memcpy(out.data(), bytes.data(), out.size());
  return out;
}

std::string ToHex(const Hash& hash) {
  return absl::BytesToHexString(AsBytes(hash));
}

absl::StatusOr<Hash> HashFromHex(absl::string_view hex) {
  if (hex.size() != 2 * sizeof(Hash)) {
    return absl::InvalidArgumentError("a SHA-256 hash has 64 hex digits");
  }
  for (char c : hex) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) {
      return absl::InvalidArgumentError("hash is not hexadecimal");
    }
  }
  return HashFromBytes(absl::HexStringToBytes(hex));
}

absl::StatusOr<Hash> RootAt(uint64_t size, const NodeReader& read_node) {
  if (size == 0) return EmptyRoot();
  return SubtreeRoot(0, size, read_node);
}

absl::StatusOr<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size,
                                                 const NodeReader& read_node) {
  if (index >= size) {
    return absl::InvalidArgumentError(
        absl::StrCat("leaf index ", index, " is not in a tree of size ", size));
  }
  std::vector<Hash> path;
  if (absl::Status s = AppendPath(index, 0, size, read_node, path); !s.ok()) {
    return s;
  }
  return path;
}

absl::StatusOr<std::vector<Hash>> ConsistencyProof(
    uint64_t size1, uint64_t size2, const NodeReader& read_node) {
  if (size1 > size2) {
    return absl::InvalidArgumentError(
        absl::StrCat("size1 ", size1, " exceeds size2 ", size2));
  }
  std::vector<Hash> proof;
  if (size1 == 0 || size1 == size2) return proof;
  if (absl::Status s = AppendSubproof(size1, 0, size2, true, read_node, proof);
      !s.ok()) {
    return s;
  }
  return proof;
}

absl::StatusOr<Hash> RootFromInclusionProof(uint64_t index, uint64_t size,
                                            const Hash& leaf_hash,
                                            absl::Span<const Hash> proof) {
  if (index >= size) {
    return absl::InvalidArgumentError(
        absl::StrCat("leaf index ", index, " is not in a tree of size ", size));
  }
  uint64_t fn = index;
  uint64_t sn = size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) {
      return absl::InvalidArgumentError("inclusion proof is too long");
    }
    if ((fn & 1) == 1 || fn == sn) {
      r = HashChildren(p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = HashChildren(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return absl::InvalidArgumentError("inclusion proof is too short");
  }
  return r;
}

absl::Status VerifyInclusion(uint64_t index, uint64_t size,
                             const Hash& leaf_hash,
                             absl::Span<const Hash> proof, const Hash& root) {
  absl::StatusOr<Hash> computed =
      RootFromInclusionProof(index, size, leaf_hash, proof);
  if (!computed.ok()) return computed.status();
  if (*computed != root) {
    return Mismatch(absl::StrCat("inclusion proof for leaf ", index,
                                 " leads to root ", ToHex(*computed), ", not ",
                                 ToHex(root)));
  }
  return absl::OkStatus();
}

absl::Status VerifyConsistency(uint64_t size1, uint64_t size2,
                               const Hash& root1, const Hash& root2,
                               absl::Span<const Hash> proof) {
  if (size2 < size1) {
    return absl::InvalidArgumentError(
        absl::StrCat("size2 ", size2, " is smaller than size1 ", size1));
  }
  if (size1 == size2) {
    if (!proof.empty()) {
      return absl::InvalidArgumentError(
          "a proof between equal sizes must be empty");
    }
    if (root1 != root2) return Mismatch("roots differ for the same size");
    return absl::OkStatus();
  }
  if (size1 == 0) {
    if (!proof.empty()) {
      return absl::InvalidArgumentError(
          "a proof from the empty tree must be empty");
    }
    if (root1 != EmptyRoot()) return Mismatch("root1 is not the empty root");
    return absl::OkStatus();
  }
  if (proof.empty()) {
    return absl::InvalidArgumentError("consistency proof is empty");
  }
  std::vector<Hash> path;
  path.reserve(proof.size() + 1);
  if (IsPowerOfTwo(size1)) path.push_back(root1);
  path.insert(path.end(), proof.begin(), proof.end());

  uint64_t fn = size1 - 1;
  uint64_t sn = size2 - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0];
  Hash sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) {
      return absl::InvalidArgumentError("consistency proof is too long");
    }
    if ((fn & 1) == 1 || fn == sn) {
      fr = HashChildren(c, fr);
      sr = HashChildren(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = HashChildren(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return absl::InvalidArgumentError("consistency proof is too short");
  }
  if (fr != root1) return Mismatch("consistency proof does not match root1");
  if (sr != root2) return Mismatch("consistency proof does not match root2");
  return absl::OkStatus();
}

namespace {

absl::StatusOr<std::vector<Hash>> HashesFromBytes(
    absl::Span<const std::string> items) {
  std::vector<Hash> out;
  out.reserve(items.size());
  for (const std::string& item : items) {
    absl::StatusOr<Hash> hash = HashFromBytes(item);
    if (!hash.ok()) return hash.status();
    out.push_back(*hash);
  }
  return out;
}

}  // namespace

absl::Status VerifyInclusionBytes(uint64_t index, uint64_t size,
                                  absl::string_view leaf_hash,
                                  absl::Span<const std::string> proof,
                                  absl::string_view root) {
  absl::StatusOr<Hash> leaf = HashFromBytes(leaf_hash);
  if (!leaf.ok()) return leaf.status();
  absl::StatusOr<Hash> root_hash = HashFromBytes(root);
  if (!root_hash.ok()) return root_hash.status();
  absl::StatusOr<std::vector<Hash>> path = HashesFromBytes(proof);
  if (!path.ok()) return path.status();
  return VerifyInclusion(index, size, *leaf, *path, *root_hash);
}

absl::Status VerifyConsistencyBytes(uint64_t size1, uint64_t size2,
                                    absl::string_view root1,
                                    absl::string_view root2,
                                    absl::Span<const std::string> proof) {
  if (size1 == size2) {
    if (!proof.empty()) {
      return absl::InvalidArgumentError(
          "a proof between equal sizes must be empty");
    }
    if (root1 != root2) return Mismatch("roots differ for the same size");
    if (size1 == 0 && root1 != AsBytes(EmptyRoot())) {
      return Mismatch("the root of the empty tree is SHA-256(\"\")");
    }
    return absl::OkStatus();
  }
  absl::StatusOr<Hash> first = HashFromBytes(root1);
  if (!first.ok()) return first.status();
  absl::StatusOr<Hash> second = HashFromBytes(root2);
  if (!second.ok()) return second.status();
  absl::StatusOr<std::vector<Hash>> path = HashesFromBytes(proof);
  if (!path.ok()) return path.status();
  return VerifyConsistency(size1, size2, *first, *second, *path);
}

absl::StatusOr<Frontier> Frontier::Load(uint64_t size,
                                        const NodeReader& read_node) {
  Frontier frontier;
  uint64_t begin = 0;
  for (int level = 63; level >= 0; --level) {
    const uint64_t width = uint64_t{1} << level;
    if ((size & width) == 0) continue;
    absl::StatusOr<Hash> hash = read_node(level, begin >> level);
    if (!hash.ok()) {
      return absl::Status(
          hash.status().code(),
          absl::StrCat("loading Merkle frontier node (", level, ", ",
                       begin >> level, "): ", hash.status().message()));
    }
    frontier.nodes_.push_back(Node{level, begin >> level, *hash});
    begin += width;
  }
  frontier.size_ = size;
  return frontier;
}

absl::InlinedVector<Frontier::Node, 4> Frontier::Append(const Hash& leaf_hash) {
  absl::InlinedVector<Node, 4> completed;
  Node node{0, size_, leaf_hash};
  completed.push_back(node);
  while (!nodes_.empty() && nodes_.back().level == node.level) {
    const Node left = nodes_.back();
    nodes_.pop_back();
    node = Node{node.level + 1, left.index >> 1,
                HashChildren(left.hash, node.hash)};
    completed.push_back(node);
  }
  nodes_.push_back(node);
  ++size_;
  return completed;
}

Hash Frontier::Root() const {
  if (nodes_.empty()) return EmptyRoot();
  Hash root = nodes_.back().hash;
  for (size_t i = nodes_.size() - 1; i-- > 0;) {
    root = HashChildren(nodes_[i].hash, root);
  }
  return root;
}

}  // namespace gavel::rfc9162
