// AuditService and signed checkpoints through a real server: checkpoints
// verify with the published key, proofs verify against them, and a server
// whose last checkpoint does not match refuses to start.
#include <sys/stat.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gavel/v1/audit_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/checkpoint_signer.h"
#include "tests/services/test_server.h"
#include "transparency/signed_note.h"
#include "transparency/tlog_checkpoint.h"

namespace gavel::services {
namespace {

using ::gavel::test::As;
using ::gavel::test::TestServer;
using ::testing::HasSubstr;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

std::vector<rfc9162::Hash> ToHashes(
    const google::protobuf::RepeatedPtrField<std::string>& bytes) {
  std::vector<rfc9162::Hash> hashes;
  for (const std::string& b : bytes) {
    absl::StatusOr<rfc9162::Hash> hash = rfc9162::HashFromBytes(b);
    EXPECT_TRUE(hash.ok());
    if (hash.ok()) hashes.push_back(*hash);
  }
  return hashes;
}

class AuditServiceTest : public ::testing::Test {
 protected:
  AuditServiceTest() { Connect(); }

  void Connect() {
    audit_ = gavel::v1::AuditService::NewStub(server_.channel());
  }

  // Commits one command (one DefineObjective: one event).
  void DefineObjective() {
    gavel::v1::DefineObjectiveRequest request;
    request.mutable_options()->set_command_id(
        absl::StrCat("cmd-", ++commands_));
    auto* cmd = request.mutable_command();
    cmd->set_objective_id(absl::StrCat("objective-", commands_));
    cmd->set_title("Grow recurring revenue");
    cmd->set_horizon(gavel::v1::HORIZON_THREE_YEARS);
    cmd->set_owner("alice");
    gavel::v1::CommandReply reply;
    grpc::Status status =
        server_.strategy().DefineObjective(As("alice").get(), request, &reply);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  gavel::v1::SignedCheckpoint SignCheckpoint() {
    gavel::v1::SignCheckpointReply reply;
    grpc::Status status = audit_->SignCheckpoint(
        As("eve").get(), gavel::v1::SignCheckpointRequest(), &reply);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return reply.checkpoint();
  }

  // The verifier key the server published in its data directory.
  note::NoteVerifier PublishedKey() {
    absl::StatusOr<note::NoteVerifier> verifier =
        note::NoteVerifier::FromKeyString(ReadFile(
            absl::StrCat(server_.data_dir(), "/", kVerifierKeyFileName)));
    EXPECT_TRUE(verifier.ok()) << verifier.status();
    return *verifier;
  }

  // Verifies a checkpoint's note with the published key.
  note::TlogCheckpoint Verified(const gavel::v1::SignedCheckpoint& signed_cp) {
    absl::StatusOr<note::TlogCheckpoint> checkpoint =
        note::VerifyCheckpoint(signed_cp.note(), "gavel", PublishedKey());
    EXPECT_TRUE(checkpoint.ok()) << checkpoint.status();
    if (!checkpoint.ok()) return {};
    EXPECT_EQ(checkpoint->tree_size, signed_cp.tree_size());
    EXPECT_EQ(rfc9162::AsBytes(checkpoint->root), signed_cp.root_hash());
    return *checkpoint;
  }

  std::vector<gavel::v1::Entry> Entries(uint64_t start, uint64_t end,
                                        uint32_t page_size,
                                        size_t* messages = nullptr) {
    gavel::v1::GetEntriesRequest request;
    request.set_start_index(start);
    request.set_end_index(end);
    request.set_page_size(page_size);
    auto context = As("eve");
    auto reader = audit_->GetEntries(context.get(), request);
    std::vector<gavel::v1::Entry> entries;
    gavel::v1::GetEntriesReply reply;
    size_t count = 0;
    while (reader->Read(&reply)) {
      ++count;
      for (const gavel::v1::Entry& entry : reply.entries()) {
        entries.push_back(entry);
      }
    }
    grpc::Status status = reader->Finish();
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (messages != nullptr) *messages = count;
    return entries;
  }

  grpc::StatusCode EntriesError(uint64_t start, uint64_t end) {
    gavel::v1::GetEntriesRequest request;
    request.set_start_index(start);
    request.set_end_index(end);
    auto context = As("eve");
    auto reader = audit_->GetEntries(context.get(), request);
    gavel::v1::GetEntriesReply reply;
    while (reader->Read(&reply)) {
    }
    return reader->Finish().error_code();
  }

  TestServer server_;
  std::unique_ptr<gavel::v1::AuditService::Stub> audit_;
  int commands_ = 0;
};

TEST_F(AuditServiceTest, SignedCheckpointVerifiesWithThePublishedKey) {
  for (int i = 0; i < 5; ++i) DefineObjective();
  const gavel::v1::SignedCheckpoint signed_cp = SignCheckpoint();
  const note::TlogCheckpoint checkpoint = Verified(signed_cp);
  EXPECT_EQ(checkpoint.origin, "gavel");
  EXPECT_EQ(checkpoint.tree_size, server_.server().log().Head());
  absl::StatusOr<rfc9162::Hash> root =
      server_.server().log().RootAt(checkpoint.tree_size);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(checkpoint.root, *root);
  EXPECT_EQ(PublishedKey().KeyString(),
            server_.server().signer().verifier().KeyString());

  gavel::v1::GetCheckpointReply latest;
  ASSERT_TRUE(audit_
                  ->GetCheckpoint(As("eve").get(),
                                  gavel::v1::GetCheckpointRequest(), &latest)
                  .ok());
  EXPECT_EQ(latest.checkpoint().note(), signed_cp.note());

  std::string tampered = signed_cp.note();
  tampered[tampered.find('\n') + 1] ^= 1;  // the tree size's first digit
  EXPECT_FALSE(note::VerifyCheckpoint(tampered, "gavel", PublishedKey()).ok());
}

TEST_F(AuditServiceTest, ANewLogStartsWithACheckpointOfTheEmptyTree) {
  gavel::v1::GetCheckpointReply latest;
  ASSERT_TRUE(audit_
                  ->GetCheckpoint(As("eve").get(),
                                  gavel::v1::GetCheckpointRequest(), &latest)
                  .ok());
  gavel::v1::SignedCheckpoint signed_cp = latest.checkpoint();
  const note::TlogCheckpoint checkpoint = Verified(signed_cp);
  EXPECT_EQ(checkpoint.tree_size, 0u);
  EXPECT_EQ(checkpoint.root, rfc9162::EmptyRoot());
}

TEST_F(AuditServiceTest, KeyFileIsPrivateAndSurvivesRestart) {
  const std::string key_file =
      absl::StrCat(server_.data_dir(), "/", kSigningKeyFileName);
  struct stat info;
  ASSERT_EQ(stat(key_file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  const std::string key = PublishedKey().KeyString();
  server_.Restart();
  EXPECT_EQ(PublishedKey().KeyString(), key);
}

TEST_F(AuditServiceTest, InclusionProofsVerifyAgainstTheCheckpointRoot) {
  for (int i = 0; i < 7; ++i) DefineObjective();
  const note::TlogCheckpoint checkpoint = Verified(SignCheckpoint());
  const uint64_t size = checkpoint.tree_size;
  ASSERT_GE(size, 7u);

  size_t messages = 0;
  std::vector<gavel::v1::Entry> entries = Entries(0, size, 3, &messages);
  ASSERT_EQ(entries.size(), size);
  EXPECT_EQ(messages, (size + 2) / 3);
  for (uint64_t index = 0; index < size; ++index) {
    ASSERT_EQ(entries[index].leaf_index(), index);
    gavel::v1::EventRecord record;
    ASSERT_TRUE(record.ParseFromString(entries[index].record()));
    EXPECT_EQ(record.position(), index + 1);

    gavel::v1::GetInclusionProofRequest request;
    request.set_leaf_index(index);
    request.set_tree_size(size);
    gavel::v1::GetInclusionProofReply reply;
    ASSERT_TRUE(
        audit_->GetInclusionProof(As("eve").get(), request, &reply).ok());
    const rfc9162::Hash leaf = rfc9162::HashLeaf(entries[index].record());
    EXPECT_TRUE(rfc9162::VerifyInclusion(
                    index, size, leaf, ToHashes(reply.proof()), checkpoint.root)
                    .ok())
        << index;
    // The same proof does not fit another record.
    if (index > 0) {
      EXPECT_FALSE(rfc9162::VerifyInclusion(
                       index, size, rfc9162::HashLeaf(entries[0].record()),
                       ToHashes(reply.proof()), checkpoint.root)
                       .ok());
    }
  }
}

TEST_F(AuditServiceTest, InclusionProofByLeafHashFindsTheLeaf) {
  for (int i = 0; i < 12; ++i) DefineObjective();
  const note::TlogCheckpoint checkpoint = Verified(SignCheckpoint());
  const uint64_t size = checkpoint.tree_size;
  std::vector<gavel::v1::Entry> entries = Entries(0, size, 100, nullptr);
  ASSERT_EQ(entries.size(), size);
  for (const uint64_t index : {uint64_t{0}, size / 2, size - 1}) {
    const rfc9162::Hash leaf = rfc9162::HashLeaf(entries[index].record());
    gavel::v1::GetInclusionProofRequest request;
    request.set_leaf_hash(std::string(rfc9162::AsBytes(leaf)));
    request.set_leaf_index(999);  // Ignored when a hash is given.
    request.set_tree_size(size);
    gavel::v1::GetInclusionProofReply reply;
    grpc::Status status =
        audit_->GetInclusionProof(As("eve").get(), request, &reply);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(reply.leaf_index(), index);
    EXPECT_TRUE(rfc9162::VerifyInclusion(
                    index, size, leaf, ToHashes(reply.proof()), checkpoint.root)
                    .ok());
  }

  // A leaf past the requested size, an unknown hash, a malformed one.
  gavel::v1::GetInclusionProofRequest request;
  request.set_leaf_hash(std::string(
      rfc9162::AsBytes(rfc9162::HashLeaf(entries[size - 1].record()))));
  request.set_tree_size(size - 1);
  gavel::v1::GetInclusionProofReply reply;
  EXPECT_EQ(
      audit_->GetInclusionProof(As("eve").get(), request, &reply).error_code(),
      grpc::StatusCode::NOT_FOUND);
  request.set_leaf_hash(std::string(32, '\x07'));
  request.set_tree_size(size);
  EXPECT_EQ(
      audit_->GetInclusionProof(As("eve").get(), request, &reply).error_code(),
      grpc::StatusCode::NOT_FOUND);
  request.set_leaf_hash("short");
  EXPECT_EQ(
      audit_->GetInclusionProof(As("eve").get(), request, &reply).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(AuditServiceTest, ConsistencyBetweenTwoCheckpointsVerifies) {
  for (int i = 0; i < 3; ++i) DefineObjective();
  const note::TlogCheckpoint first = Verified(SignCheckpoint());
  for (int i = 0; i < 6; ++i) DefineObjective();
  const note::TlogCheckpoint second = Verified(SignCheckpoint());
  ASSERT_LT(first.tree_size, second.tree_size);

  gavel::v1::GetConsistencyProofRequest request;
  request.set_first_size(first.tree_size);
  request.set_second_size(second.tree_size);
  gavel::v1::GetConsistencyProofReply reply;
  ASSERT_TRUE(
      audit_->GetConsistencyProof(As("eve").get(), request, &reply).ok());
  EXPECT_TRUE(rfc9162::VerifyConsistency(first.tree_size, second.tree_size,
                                         first.root, second.root,
                                         ToHashes(reply.proof()))
                  .ok());

  // Both checkpoints stay available by size.
  gavel::v1::GetCheckpointRequest by_size;
  by_size.set_tree_size(first.tree_size);
  gavel::v1::GetCheckpointReply old;
  ASSERT_TRUE(audit_->GetCheckpoint(As("eve").get(), by_size, &old).ok());
  EXPECT_EQ(Verified(old.checkpoint()).root, first.root);

  // One call: entry, inclusion in the latest checkpoint, consistency from
  // the first.
  gavel::v1::GetEntryWithProofRequest with_proof;
  with_proof.set_leaf_index(1);
  with_proof.set_trusted_size(first.tree_size);
  gavel::v1::GetEntryWithProofReply proved;
  ASSERT_TRUE(
      audit_->GetEntryWithProof(As("eve").get(), with_proof, &proved).ok());
  const note::TlogCheckpoint latest = Verified(proved.checkpoint());
  EXPECT_EQ(latest.tree_size, second.tree_size);
  EXPECT_TRUE(
      rfc9162::VerifyInclusion(1, latest.tree_size,
                               rfc9162::HashLeaf(proved.entry().record()),
                               ToHashes(proved.inclusion_proof()), latest.root)
          .ok());
  EXPECT_TRUE(rfc9162::VerifyConsistency(first.tree_size, latest.tree_size,
                                         first.root, latest.root,
                                         ToHashes(proved.consistency_proof()))
                  .ok());
}

TEST_F(AuditServiceTest, CheckpointsAreSignedPeriodically) {
  server_.Stop();
  server_.options().checkpoints.every = absl::Milliseconds(20);
  server_.Start();
  Connect();
  DefineObjective();
  const uint64_t head = server_.server().log().Head();
  gavel::v1::GetCheckpointReply latest;
  for (int i = 0; i < 500; ++i) {
    grpc::Status status = audit_->GetCheckpoint(
        As("eve").get(), gavel::v1::GetCheckpointRequest(), &latest);
    if (status.ok() && latest.checkpoint().tree_size() == head) break;
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(latest.checkpoint().tree_size(), head);
  Verified(latest.checkpoint());
}

TEST_F(AuditServiceTest, CheckpointIsSignedAtShutdown) {
  DefineObjective();
  server_.Stop();  // signs a final checkpoint of the head
  server_.Start();
  Connect();
  gavel::v1::GetCheckpointReply latest;
  ASSERT_TRUE(audit_
                  ->GetCheckpoint(As("eve").get(),
                                  gavel::v1::GetCheckpointRequest(), &latest)
                  .ok());
  EXPECT_EQ(latest.checkpoint().tree_size(), server_.server().log().Head());
  Verified(latest.checkpoint());
}

TEST_F(AuditServiceTest, BadInputIsInvalidArgument) {
  for (int i = 0; i < 3; ++i) DefineObjective();
  SignCheckpoint();
  const uint64_t head = server_.server().log().Head();

  auto inclusion = [&](uint64_t index, uint64_t size) {
    gavel::v1::GetInclusionProofRequest request;
    request.set_leaf_index(index);
    request.set_tree_size(size);
    gavel::v1::GetInclusionProofReply reply;
    return audit_->GetInclusionProof(As("eve").get(), request, &reply)
        .error_code();
  };
  EXPECT_EQ(inclusion(head, head), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(inclusion(0, 0), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(inclusion(0, head + 1), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(inclusion(~uint64_t{0}, ~uint64_t{0}),
            grpc::StatusCode::INVALID_ARGUMENT);

  auto consistency = [&](uint64_t size1, uint64_t size2) {
    gavel::v1::GetConsistencyProofRequest request;
    request.set_first_size(size1);
    request.set_second_size(size2);
    gavel::v1::GetConsistencyProofReply reply;
    return audit_->GetConsistencyProof(As("eve").get(), request, &reply)
        .error_code();
  };
  EXPECT_EQ(consistency(2, 1), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(consistency(1, head + 1), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(consistency(1, head), grpc::StatusCode::OK);

  EXPECT_EQ(EntriesError(0, head + 1), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(EntriesError(2, 2), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(EntriesError(3, 1), grpc::StatusCode::INVALID_ARGUMENT);

  gavel::v1::GetEntryWithProofRequest with_proof;
  with_proof.set_leaf_index(head);
  gavel::v1::GetEntryWithProofReply proved;
  EXPECT_EQ(audit_->GetEntryWithProof(As("eve").get(), with_proof, &proved)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  with_proof.set_leaf_index(0);
  with_proof.set_trusted_size(head + 1);
  EXPECT_EQ(audit_->GetEntryWithProof(As("eve").get(), with_proof, &proved)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  gavel::v1::GetCheckpointRequest missing;
  missing.set_tree_size(head + 100);
  gavel::v1::GetCheckpointReply reply;
  EXPECT_EQ(
      audit_->GetCheckpoint(As("eve").get(), missing, &reply).error_code(),
      grpc::StatusCode::NOT_FOUND);
}

TEST_F(AuditServiceTest, NeedsTheAuditorOrAdminRole) {
  gavel::v1::GetCheckpointReply reply;
  EXPECT_EQ(audit_
                ->GetCheckpoint(As("bob").get(),
                                gavel::v1::GetCheckpointRequest(), &reply)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(audit_
                ->GetCheckpoint(As("").get(), gavel::v1::GetCheckpointRequest(),
                                &reply)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  gavel::v1::SignCheckpointReply signed_reply;
  EXPECT_TRUE(audit_
                  ->SignCheckpoint(As("alice").get(),
                                   gavel::v1::SignCheckpointRequest(),
                                   &signed_reply)
                  .ok());
}

TEST_F(AuditServiceTest, RefusesToStartWithAnotherSigningKey) {
  DefineObjective();
  SignCheckpoint();
  server_.Stop();
  absl::StatusOr<note::NoteSigner> other = note::NoteSigner::Generate("gavel");
  ASSERT_TRUE(other.ok());
  const std::string other_key = absl::StrCat(server_.data_dir(), "/other.pem");
  {
    std::ofstream out(other_key);
    out << *other->ToPem();
  }
  server_.options().signing_key_file = other_key;
  absl::StatusOr<std::unique_ptr<GavelServer>> refused =
      GavelServer::Start(server_.options());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("does not verify"));

  // Another origin is refused too; the original key still works.
  server_.options().signing_key_file.clear();
  server_.options().origin = "example.com/other";
  refused = GavelServer::Start(server_.options());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  server_.options().origin = "gavel";
  server_.Start();
}

TEST_F(AuditServiceTest, RefusesToStartWhenTheLogIsShorterThanItsCheckpoint) {
  for (int i = 0; i < 3; ++i) DefineObjective();
  const uint64_t size = server_.server().log().Head();
  server_.Stop();
  // A validly signed checkpoint whose root is not the log's: as if records
  // had been edited after it was signed.
  {
    absl::StatusOr<std::unique_ptr<storage::EventLog>> log =
        storage::EventLog::Open(server_.data_dir(), {});
    ASSERT_TRUE(log.ok()) << log.status();
    absl::StatusOr<std::unique_ptr<CheckpointSigner>> signer =
        CheckpointSigner::Open("gavel", server_.data_dir(), "");
    ASSERT_TRUE(signer.ok());
    // The shutdown checkpoint covers `size`; forge the next size.
    absl::StatusOr<std::string> forged = (*signer)->Sign(
        size + 1, absl::Now(), rfc9162::HashLeaf("not the log"));
    ASSERT_TRUE(forged.ok());
    ASSERT_TRUE((*log)->PutCheckpoint(size + 1, *forged).ok());
  }
  absl::StatusOr<std::unique_ptr<GavelServer>> refused =
      GavelServer::Start(server_.options());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(refused.status().message(), HasSubstr("rolled back"));
}

TEST_F(AuditServiceTest, RefusesToStartWhenTheRootDiffers) {
  for (int i = 0; i < 3; ++i) DefineObjective();
  server_.Stop();
  {
    absl::StatusOr<std::unique_ptr<storage::EventLog>> log =
        storage::EventLog::Open(server_.data_dir(), {});
    ASSERT_TRUE(log.ok()) << log.status();
    absl::StatusOr<std::unique_ptr<CheckpointSigner>> signer =
        CheckpointSigner::Open("gavel", server_.data_dir(), "");
    ASSERT_TRUE(signer.ok());
    // Append one more record without the server (so no checkpoint covers
    // it), then sign a wrong root for that size.
    storage::AppendRequest request;
    request.command_id = "outside";
    request.streams.push_back({"stream-x",
                               storage::ExpectedVersion::Any(),
                               {{"", "Thing", "payload"}}});
    ASSERT_TRUE((*log)->Append({request}).ok());
    const uint64_t size = (*log)->Head();
    absl::StatusOr<std::string> forged =
        (*signer)->Sign(size, absl::Now(), rfc9162::HashLeaf("not the log"));
    ASSERT_TRUE(forged.ok());
    ASSERT_TRUE((*log)->PutCheckpoint(size, *forged).ok());
  }
  absl::StatusOr<std::unique_ptr<GavelServer>> refused =
      GavelServer::Start(server_.options());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(refused.status().message(), HasSubstr("differs"));
}

TEST_F(AuditServiceTest, RefusesToStartWithAnEditedCheckpoint) {
  DefineObjective();
  server_.Stop();
  {
    absl::StatusOr<std::unique_ptr<storage::EventLog>> log =
        storage::EventLog::Open(server_.data_dir(), {});
    ASSERT_TRUE(log.ok());
    absl::StatusOr<std::optional<std::pair<uint64_t, std::string>>> latest =
        (*log)->LatestCheckpoint();
    ASSERT_TRUE(latest.ok() && latest->has_value());
    // The same note with another origin line, stored at a later size.
    std::string edited = (*latest)->second;
    edited.replace(0, 5, "gavEl");
    ASSERT_TRUE((*log)->PutCheckpoint((*latest)->first + 1, edited).ok());
  }
  absl::StatusOr<std::unique_ptr<GavelServer>> refused =
      GavelServer::Start(server_.options());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace gavel::services
