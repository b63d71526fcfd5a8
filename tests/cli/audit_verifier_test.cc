// The offline decisions of `gavel audit verify`, through
// cli/audit_verifier.h: hash parsing, key and state files, and which
// newer checkpoints may replace a trusted one.
#include "cli/audit_verifier.h"

#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"
#include "transparency/rfc9162.h"

namespace gavel::cli {
namespace {

using ::testing::HasSubstr;

rfc9162::Hash Leaf(int i) { return rfc9162::HashLeaf(std::to_string(i)); }

// The checkpoint of a tree of `size` leaves Leaf(0..size-1).
note::TlogCheckpoint Checkpoint(uint64_t size) {
  rfc9162::Frontier frontier;
  for (uint64_t i = 0; i < size; ++i) frontier.Append(Leaf(i));
  return {"gavel", size, frontier.Root(), {}};
}

TEST(AuditVerifierTest, ParseHashReadsHexAndBase64AndRejectsGarbage) {
  const rfc9162::Hash hash = Leaf(1);
  const std::string bytes(rfc9162::AsBytes(hash));
  EXPECT_EQ(*ParseHash(rfc9162::ToHex(hash)), bytes);
  EXPECT_EQ(*ParseHash("AAECAw=="), std::string("\0\1\2\3", 4));
  EXPECT_FALSE(ParseHash("").ok());
  EXPECT_FALSE(ParseHash("***").ok());
  EXPECT_TRUE(ParseHashList("")->empty());
  EXPECT_EQ(ParseHashList("AAAA,AQID")->size(), 2u);
  EXPECT_THAT(ParseHashList("AAAA,!!").status().message(),
              HasSubstr("proof element 1"));
}

TEST(AuditVerifierTest, AcceptsOnlyAConsistentAdvance) {
  const note::TlogCheckpoint trusted = Checkpoint(3);
  const note::TlogCheckpoint same = Checkpoint(3);
  EXPECT_TRUE(CheckConsistentAdvance(trusted, same, {}).ok());

  note::TlogCheckpoint forked = Checkpoint(3);
  forked.root = Leaf(99);
  EXPECT_FALSE(CheckConsistentAdvance(trusted, forked, {}).ok());

  EXPECT_THAT(CheckConsistentAdvance(Checkpoint(5), trusted, {}).message(),
              HasSubstr("shrank"));

  note::TlogCheckpoint other_log = Checkpoint(3);
  other_log.origin = "other";
  EXPECT_FALSE(CheckConsistentAdvance(trusted, other_log, {}).ok());

  // Size 3 -> 5 needs a real proof; an empty one fails.
  EXPECT_FALSE(CheckConsistentAdvance(trusted, Checkpoint(5), {}).ok());
}

TEST(AuditVerifierTest, MissingStateFileMeansFirstUseButBadFilesFail) {
  test::TempDir dir;
  absl::StatusOr<note::NoteSigner> signer = note::NoteSigner::Generate("gavel");
  ASSERT_TRUE(signer.ok());
  absl::StatusOr<std::optional<note::TlogCheckpoint>> none =
      ReadTrustedCheckpoint(dir.Sub("absent"), signer->verifier());
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  std::ofstream(dir.Sub("garbage")) << "\xff\xfe not a note";
  EXPECT_FALSE(
      ReadTrustedCheckpoint(dir.Sub("garbage"), signer->verifier()).ok());

  std::ofstream(dir.Sub("bad.pub")) << "gavel+00000000+AAAA";
  EXPECT_TRUE(absl::IsInvalidArgument(
      ReadVerifierKeyFile(dir.Sub("bad.pub")).status()));
  EXPECT_TRUE(absl::IsNotFound(ReadVerifierKeyFile(dir.Sub("none")).status()));
}

TEST(AuditVerifierTest, StateRoundTripsThroughAnAtomicWrite) {
  test::TempDir dir;
  absl::StatusOr<note::NoteSigner> signer = note::NoteSigner::Generate("gavel");
  ASSERT_TRUE(signer.ok());
  const note::TlogCheckpoint checkpoint = Checkpoint(4);
  absl::StatusOr<std::string> signed_note =
      signer->SignNote(note::FormatCheckpoint(checkpoint));
  ASSERT_TRUE(signed_note.ok());
  const std::string state = dir.Sub("state");
  ASSERT_TRUE(WriteFileAtomically(state, *signed_note).ok());
  absl::StatusOr<std::optional<note::TlogCheckpoint>> read =
      ReadTrustedCheckpoint(state, signer->verifier());
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ((*read)->tree_size, 4u);
  EXPECT_EQ((*read)->root, checkpoint.root);
  EXPECT_FALSE(WriteFileAtomically(dir.Sub("no/such/dir/state"), "x").ok());
}

}  // namespace
}  // namespace gavel::cli
