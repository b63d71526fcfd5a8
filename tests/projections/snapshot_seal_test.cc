// Sealed projection snapshots (projections/snapshot_seal.h): a checkpoint
// or history snapshot edited on disk is never served, at start nor by
// as_of (issue 21: an edited projection file was served as a forged
// decision).
#include "projections/snapshot_seal.h"

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "projections/projection_host.h"
#include "storage/key_format.h"
#include "storage/kv_store.h"
#include "tests/projections/host_fixture.h"
#include "transparency/signed_note.h"

namespace gavel::projections {
namespace {

// Seals with a real Ed25519 key, as the server's checkpoint signer does.
class TestSealer final : public SnapshotSealer {
 public:
  TestSealer() : signer_(*note::NoteSigner::Generate("test")) {}
  absl::StatusOr<std::string> Sign(absl::string_view text) const override {
    return signer_.SignNote(text);
  }
  absl::StatusOr<std::string> Open(absl::string_view note) const override {
    return note::VerifyNote(note, signer_.verifier());
  }

 private:
  note::NoteSigner signer_;
};

class SnapshotSealTest : public test::ProjectionHostFixture {
 protected:
  void SetUp() override {
    ProjectionHostFixture::SetUp();
    options_.sealer = &sealer_;
  }

  std::string Digest(ProjectionHost& host, absl::string_view name) {
    std::string digest;
    EXPECT_TRUE(
        host.Read(name, [&](const Projection& p,
                            uint64_t) { digest = projections::Digest(p); })
            .ok());
    return digest;
  }

  // Flips one byte in the middle of the value stored at `key`.
  void EditStored(const std::string& key) {
    std::unique_ptr<storage::KvStore> kv =
        *storage::KvStore::Open(options_.dir);
    std::string value = **kv->Get(key);
    value[value.size() / 2] ^= 0x01;
    ASSERT_TRUE(kv->Write({storage::KvChange{key, value}}).ok());
  }

  TestSealer sealer_;
};

TEST_F(SnapshotSealTest, AnEditedCheckpointIsRefusedAndRebuiltFromTheLog) {
  test::GeneratePortfolio(*feed_, 6);
  std::string expected;
  {
    std::unique_ptr<ProjectionHost> host = StartHost();
    ASSERT_TRUE(host->WaitFor(log_->Head(), absl::InfiniteFuture()));
    expected = Digest(*host, kDecisionHistoryProjection);
  }  // Stop() writes sealed checkpoints.
  EditStored(absl::StrCat("c/", kDecisionHistoryProjection));
  std::unique_ptr<ProjectionHost> host = StartHost();
  for (const ProjectionStatus& s : host->Status()) {
    if (s.name == kDecisionHistoryProjection) {
      EXPECT_NE(s.restore_note, "") << "the edit went unnoticed";
    } else {
      EXPECT_EQ(s.restore_note, "") << s.name;
    }
  }
  ASSERT_TRUE(host->WaitFor(log_->Head(), absl::InfiniteFuture()));
  EXPECT_EQ(Digest(*host, kDecisionHistoryProjection), expected);
}

TEST_F(SnapshotSealTest, AnIntactCheckpointIsRestored) {
  test::GeneratePortfolio(*feed_, 4);
  const uint64_t head = log_->Head();
  {
    std::unique_ptr<ProjectionHost> host = StartHost();
    ASSERT_TRUE(host->WaitFor(head, absl::InfiniteFuture()));
  }
  std::unique_ptr<ProjectionHost> host = StartHost();
  for (const ProjectionStatus& s : host->Status()) {
    EXPECT_EQ(s.restore_note, "") << s.name;
    EXPECT_EQ(s.checkpoint_position, head) << s.name;
  }
}

TEST_F(SnapshotSealTest, AsOfIgnoresAnEditedHistorySnapshot) {
  test::GeneratePortfolio(*feed_, 6);
  std::unique_ptr<ProjectionHost> host = StartHost();
  ASSERT_TRUE(host->WaitFor(log_->Head(), absl::InfiniteFuture()));
  absl::StatusOr<std::vector<uint64_t>> history =
      host->HistoryPositions(kDecisionHistoryProjection);
  ASSERT_TRUE(history.ok() && !history->empty());
  const uint64_t at = history->back();
  absl::StatusOr<std::unique_ptr<Projection>> before =
      host->ProjectAt(kDecisionHistoryProjection, at);
  ASSERT_TRUE(before.ok()) << before.status();
  const std::string expected = projections::Digest(**before);
  host.reset();
  EditStored(absl::StrCat("h/", kDecisionHistoryProjection, "/",
                          storage::EncodeFixed64BE(at)));
  host = StartHost();
  absl::StatusOr<std::unique_ptr<Projection>> after =
      host->ProjectAt(kDecisionHistoryProjection, at);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(projections::Digest(**after), expected);
}

}  // namespace
}  // namespace gavel::projections
