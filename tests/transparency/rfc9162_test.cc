#include "transparency/rfc9162.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace gavel::rfc9162 {
namespace {

namespace fs = std::filesystem;

const fs::path kVectors = fs::path(GAVEL_TESTDATA_DIR) / "rfc9162";

nlohmann::json ReadJson(const fs::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

std::string FromBase64(const nlohmann::json& value) {
  if (value.is_null()) return "";
  std::string out;
  EXPECT_TRUE(absl::Base64Unescape(value.get<std::string>(), &out));
  return out;
}

std::vector<std::string> ProofFromJson(const nlohmann::json& value) {
  std::vector<std::string> out;
  if (value.is_null()) return out;
  for (const nlohmann::json& item : value) out.push_back(FromBase64(item));
  return out;
}

std::vector<fs::path> CaseFiles(const std::string& kind) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(kVectors / kind)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  return files;
}

// A reference MTH straight from RFC 9162 §2.1.1, independent of the
// library's complete-subtree arithmetic.
Hash ReferenceRoot(const std::vector<std::string>& leaves, size_t begin,
                   size_t end) {
  const size_t n = end - begin;
  if (n == 0) return EmptyRoot();
  if (n == 1) return HashLeaf(leaves[begin]);
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  return HashChildren(ReferenceRoot(leaves, begin, begin + k),
                      ReferenceRoot(leaves, begin + k, end));
}

// The complete subtrees of a tree, as the event log stores them.
class NodeStore {
 public:
  explicit NodeStore(const std::vector<std::string>& leaves) {
    for (const std::string& leaf : leaves) {
      for (const Frontier::Node& node : frontier_.Append(HashLeaf(leaf))) {
        nodes_[{node.level, node.index}] = node.hash;
      }
    }
  }
  NodeReader Reader() const {
    return [this](int level, uint64_t index) -> absl::StatusOr<Hash> {
      auto it = nodes_.find({level, index});
      if (it == nodes_.end()) return absl::NotFoundError("no such node");
      return it->second;
    };
  }
  const Frontier& frontier() const { return frontier_; }

 private:
  Frontier frontier_;
  std::map<std::pair<int, uint64_t>, Hash> nodes_;
};

std::vector<std::string> Leaves(size_t n) {
  std::vector<std::string> leaves;
  for (size_t i = 0; i < n; ++i) leaves.push_back(absl::StrCat("leaf-", i));
  return leaves;
}

TEST(Rfc9162Test, KnownAnswersReproduceLeafHashesAndRoots) {
  const nlohmann::json answers = ReadJson(kVectors / "known-answers.json");
  std::vector<std::string> leaves;
  for (const nlohmann::json& hex : answers["leaf_inputs_hex"]) {
    leaves.push_back(absl::HexStringToBytes(hex.get<std::string>()));
  }
  ASSERT_EQ(leaves.size(), 8u);
  for (size_t i = 0; i < leaves.size(); ++i) {
    EXPECT_EQ(ToHex(HashLeaf(leaves[i])),
              answers["leaf_hashes_hex"][i].get<std::string>());
  }
  Frontier frontier;
  NodeStore store(leaves);
  for (size_t n = 0; n <= leaves.size(); ++n) {
    const std::string want = answers["root_hashes_hex"][n].get<std::string>();
    EXPECT_EQ(ToHex(frontier.Root()), want) << "frontier, n=" << n;
    absl::StatusOr<Hash> root = RootAt(n, store.Reader());
    ASSERT_TRUE(root.ok()) << root.status();
    EXPECT_EQ(ToHex(*root), want) << "stored nodes, n=" << n;
    if (n < leaves.size()) frontier.Append(HashLeaf(leaves[n]));
  }
}

TEST(Rfc9162Test, InclusionVectorsMatchWantErr) {
  const std::vector<fs::path> files = CaseFiles("inclusion");
  ASSERT_GT(files.size(), 50u);
  for (const fs::path& file : files) {
    const nlohmann::json c = ReadJson(file);
    const absl::Status status = VerifyInclusionBytes(
        c["leafIdx"].get<uint64_t>(), c["treeSize"].get<uint64_t>(),
        FromBase64(c["leafHash"]), ProofFromJson(c["proof"]),
        FromBase64(c["root"]));
    EXPECT_EQ(!status.ok(), c["wantErr"].get<bool>()) << file << ": " << status;
  }
}

TEST(Rfc9162Test, ConsistencyVectorsMatchWantErr) {
  const std::vector<fs::path> files = CaseFiles("consistency");
  ASSERT_GT(files.size(), 50u);
  for (const fs::path& file : files) {
    const nlohmann::json c = ReadJson(file);
    const absl::Status status = VerifyConsistencyBytes(
        c["size1"].get<uint64_t>(), c["size2"].get<uint64_t>(),
        FromBase64(c["root1"]), FromBase64(c["root2"]),
        ProofFromJson(c["proof"]));
    EXPECT_EQ(!status.ok(), c["wantErr"].get<bool>()) << file << ": " << status;
  }
}

TEST(Rfc9162Test, RootsFromStoredSubtreesMatchReferenceForEverySize) {
  const std::vector<std::string> leaves = Leaves(300);
  const NodeStore store(leaves);
  for (uint64_t n = 0; n <= leaves.size(); ++n) {
    absl::StatusOr<Hash> root = RootAt(n, store.Reader());
    ASSERT_TRUE(root.ok()) << root.status();
    ASSERT_EQ(*root, ReferenceRoot(leaves, 0, n)) << "n=" << n;
  }
  EXPECT_EQ(store.frontier().Root(), ReferenceRoot(leaves, 0, 300));
}

Hash FlipBit(Hash h, int bit) {
  h[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
  return h;
}

TEST(Rfc9162Test, EveryInclusionProofUpTo300VerifiesAndCorruptionsFail) {
  const std::vector<std::string> leaves = Leaves(300);
  const NodeStore store(leaves);
  for (uint64_t size = 1; size <= leaves.size(); ++size) {
    const Hash root = ReferenceRoot(leaves, 0, size);
    for (uint64_t index = 0; index < size; ++index) {
      absl::StatusOr<std::vector<Hash>> proof =
          InclusionProof(index, size, store.Reader());
      ASSERT_TRUE(proof.ok()) << proof.status();
      const Hash leaf = HashLeaf(leaves[index]);
      ASSERT_TRUE(VerifyInclusion(index, size, leaf, *proof, root).ok())
          << "index=" << index << " size=" << size;
      // Wrong index, wrong leaf. (Wrong sizes are covered by the published
      // vectors: a size is only ever checked together with its root.)
      if (size > 1) {
        EXPECT_FALSE(VerifyInclusion(index ^ 1, size, leaf, *proof, root).ok());
      }
      EXPECT_FALSE(
          VerifyInclusion(index, size, FlipBit(leaf, 7), *proof, root).ok());
      if (!proof->empty()) {
        // A flipped bit in each component, a truncated and an extended
        // proof.
        for (size_t i = 0; i < proof->size(); ++i) {
          std::vector<Hash> bad = *proof;
          bad[i] = FlipBit(bad[i], static_cast<int>((index + i) % 256));
          EXPECT_FALSE(VerifyInclusion(index, size, leaf, bad, root).ok());
        }
        std::vector<Hash> truncated(proof->begin(), proof->end() - 1);
        EXPECT_FALSE(VerifyInclusion(index, size, leaf, truncated, root).ok());
      }
      std::vector<Hash> extended = *proof;
      extended.push_back(leaf);
      EXPECT_FALSE(VerifyInclusion(index, size, leaf, extended, root).ok());
    }
  }
}

TEST(Rfc9162Test, EveryConsistencyProofUpTo300VerifiesAndCorruptionsFail) {
  const std::vector<std::string> leaves = Leaves(300);
  const NodeStore store(leaves);
  std::vector<Hash> roots;
  for (size_t n = 0; n <= leaves.size(); ++n) {
    roots.push_back(ReferenceRoot(leaves, 0, n));
  }
  for (uint64_t size2 = 1; size2 <= leaves.size(); ++size2) {
    for (uint64_t size1 = 1; size1 <= size2; ++size1) {
      absl::StatusOr<std::vector<Hash>> proof =
          ConsistencyProof(size1, size2, store.Reader());
      ASSERT_TRUE(proof.ok()) << proof.status();
      ASSERT_TRUE(
          VerifyConsistency(size1, size2, roots[size1], roots[size2], *proof)
              .ok())
          << "size1=" << size1 << " size2=" << size2;
      if (size1 == size2) continue;
      EXPECT_FALSE(VerifyConsistency(size1, size2, roots[size1 - 1],
                                     roots[size2], *proof)
                       .ok());
      for (size_t i = 0; i < proof->size(); ++i) {
        std::vector<Hash> bad = *proof;
        bad[i] = FlipBit(bad[i], static_cast<int>((size1 + i) % 256));
        EXPECT_FALSE(
            VerifyConsistency(size1, size2, roots[size1], roots[size2], bad)
                .ok());
      }
      std::vector<Hash> truncated(proof->begin(), proof->end() - 1);
      EXPECT_FALSE(
          VerifyConsistency(size1, size2, roots[size1], roots[size2], truncated)
              .ok());
      std::vector<Hash> extended = *proof;
      extended.push_back(roots[size1]);
      EXPECT_FALSE(
          VerifyConsistency(size1, size2, roots[size1], roots[size2], extended)
              .ok());
    }
  }
}

TEST(Rfc9162Test, ProofRequestsOutOfRangeAreInvalid) {
  const NodeStore store(Leaves(4));
  EXPECT_EQ(InclusionProof(4, 4, store.Reader()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ConsistencyProof(5, 4, store.Reader()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(HashFromHex("zz").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(HashFromBytes("short").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Rfc9162Test, FrontierLoadedFromStoredNodesContinuesIdentically) {
  const std::vector<std::string> leaves = Leaves(37);
  const NodeStore store(leaves);
  for (uint64_t n = 0; n <= leaves.size(); ++n) {
    absl::StatusOr<Frontier> loaded = Frontier::Load(n, store.Reader());
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    EXPECT_EQ(loaded->Root(), ReferenceRoot(leaves, 0, n));
    Frontier continued = *loaded;
    for (uint64_t i = n; i < leaves.size(); ++i) {
      continued.Append(HashLeaf(leaves[i]));
    }
    EXPECT_EQ(continued.Root(), store.frontier().Root());
  }
}

}  // namespace
}  // namespace gavel::rfc9162
