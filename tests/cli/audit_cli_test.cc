// `gavel audit` as an auditor runs it: the raw RFC 9162 verifiers on the
// published test vectors, and `gavel audit verify` against real gaveld
// processes (trust on first use, consistent growth, another log's
// checkpoint, malformed key and state files).
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "gavel/v1/audit_service.grpc.pb.h"
#include "gavel/v1/strategy_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/testing/child_process.h"
#include "tests/testing/define_objective.h"
#include "tests/testing/temp_dir.h"

namespace gavel::cli {
namespace {

namespace fs = std::filesystem;

using ::gavel::test::FreePort;
using ::gavel::test::ReadFile;
using ::gavel::test::Spawn;
using ::gavel::test::WaitExit;
using ::testing::HasSubstr;

const fs::path kVectors = fs::path(GAVEL_TESTDATA_DIR) / "rfc9162";

nlohmann::json ReadJson(const fs::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

std::string ProofFlag(const nlohmann::json& proof) {
  std::vector<std::string> items;
  for (const nlohmann::json& item : proof) {
    items.push_back(item.get<std::string>());
  }
  return absl::StrCat("--proof=", absl::StrJoin(items, ","));
}

std::vector<std::string> InclusionArgs(const nlohmann::json& c) {
  return {"audit",
          "verify-inclusion",
          absl::StrCat("--index=", c["leafIdx"].get<int64_t>()),
          absl::StrCat("--size=", c["treeSize"].get<int64_t>()),
          absl::StrCat("--leaf_hash=", c["leafHash"].get<std::string>()),
          absl::StrCat("--root=", c["root"].get<std::string>()),
          ProofFlag(c["proof"])};
}

std::vector<std::string> ConsistencyArgs(const nlohmann::json& c) {
  return {"audit",
          "verify-consistency",
          absl::StrCat("--size1=", c["size1"].get<int64_t>()),
          absl::StrCat("--size2=", c["size2"].get<int64_t>()),
          absl::StrCat("--root1=", c["root1"].get<std::string>()),
          absl::StrCat("--root2=", c["root2"].get<std::string>()),
          ProofFlag(c["proof"])};
}

std::string Base64ToHex(const std::string& base64) {
  std::string bytes;
  EXPECT_TRUE(absl::Base64Unescape(base64, &bytes));
  return absl::BytesToHexString(bytes);
}

class AuditCliTest : public ::testing::Test {
 protected:
  // Runs the CLI with `args` and returns its exit code; output goes to
  // log_.
  int Cli(std::vector<std::string> args) {
    return WaitExit(Spawn(GAVEL_BINARY, std::move(args), log_));
  }

  std::string Output() const { return ReadFile(log_); }

  gavel::test::TempDir dir_;
  const std::string log_ = dir_.Sub("cli.log");
};

TEST_F(AuditCliTest, VerifyInclusionAcceptsEveryPublishedHappyPath) {
  int cases = 0;
  for (const fs::directory_entry& dir :
       fs::directory_iterator(kVectors / "inclusion")) {
    const fs::path file = dir.path() / "happy-path.json";
    if (!fs::exists(file)) continue;
    EXPECT_EQ(Cli(InclusionArgs(ReadJson(file))), 0) << file << "\n"
                                                     << Output();
    ++cases;
  }
  EXPECT_GE(cases, 3);
  EXPECT_THAT(Output(), HasSubstr("OK"));
}

TEST_F(AuditCliTest, VerifyInclusionAcceptsHexHashes) {
  const nlohmann::json c =
      ReadJson(kVectors / "inclusion" / "1" / "happy-path.json");
  std::vector<std::string> proof;
  for (const nlohmann::json& item : c["proof"]) {
    proof.push_back(Base64ToHex(item.get<std::string>()));
  }
  EXPECT_EQ(
      Cli({"audit", "verify-inclusion", "--index=0", "--size=8",
           absl::StrCat("--leaf_hash=",
                        Base64ToHex(c["leafHash"].get<std::string>())),
           absl::StrCat("--root=", Base64ToHex(c["root"].get<std::string>())),
           absl::StrCat("--proof=", absl::StrJoin(proof, ","))}),
      0)
      << Output();
}

TEST_F(AuditCliTest, VerifyInclusionRejectsCorruptedPublishedCases) {
  for (const char* name : {"modified-proof[0]-bit-@3.json",
                           "leafIdx-plus-@1.json", "empty-root.json"}) {
    const fs::path file = kVectors / "inclusion" / "1" / name;
    ASSERT_TRUE(ReadJson(file)["wantErr"].get<bool>()) << file;
    EXPECT_EQ(Cli(InclusionArgs(ReadJson(file))), 1) << file << "\n"
                                                     << Output();
  }
}

TEST_F(AuditCliTest, VerifyConsistencyAcceptsHappyPathsAndRejectsCorrupted) {
  int cases = 0;
  for (const fs::directory_entry& dir :
       fs::directory_iterator(kVectors / "consistency")) {
    const fs::path file = dir.path() / "happy-path.json";
    if (!fs::exists(file)) continue;
    EXPECT_EQ(Cli(ConsistencyArgs(ReadJson(file))), 0) << file << "\n"
                                                       << Output();
    ++cases;
  }
  EXPECT_GE(cases, 3);
  const fs::path bad =
      kVectors / "consistency" / "1" / "modified-proof@0-bit-@4.json";
  ASSERT_TRUE(ReadJson(bad)["wantErr"].get<bool>());
  EXPECT_EQ(Cli(ConsistencyArgs(ReadJson(bad))), 1) << Output();
}

TEST_F(AuditCliTest, UnparsableInputExitsTwo) {
  EXPECT_EQ(Cli({"audit", "verify-inclusion", "--index=0", "--size=1",
                 "--leaf_hash=not*base64", "--root=AAAA", "--proof="}),
            2);
  EXPECT_EQ(Cli({"audit", "verify-consistency", "--size1=1", "--root1=AAAA",
                 "--root2=AAAA"}),
            2);
  EXPECT_THAT(Output(), HasSubstr("--size2"));
}

// Two real servers: the audited one and another log.
class AuditVerifyTest : public AuditCliTest {
 protected:
  struct Server {
    int port = FreePort();
    std::string data_dir;
    pid_t pid = 0;
    std::string Addr() const { return absl::StrCat("127.0.0.1:", port); }
    std::string KeyFile() const { return data_dir + "/signing_key.pub"; }
  };

  void SetUp() override {
    Start(main_, "main");
    Start(other_, "other");
  }

  void TearDown() override {
    for (Server* server : {&main_, &other_}) {
      if (server->pid == 0) continue;
      kill(server->pid, SIGTERM);
      EXPECT_EQ(WaitExit(server->pid), 0);
    }
  }

  void Start(Server& server, const std::string& name) {
    server.data_dir = dir_.Sub(name);
    const std::string log = dir_.Sub(name + ".log");
    server.pid = Spawn(GAVELD_BINARY,
                       {absl::StrCat("--listen=", server.Addr()),
                        absl::StrCat("--data_dir=", server.data_dir)},
                       log);
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (Cli({absl::StrCat("--addr=", server.Addr()), "health"}) != 0) {
      ASSERT_LT(absl::Now(), deadline) << ReadFile(log);
      absl::SleepFor(absl::Milliseconds(100));
    }
  }

  std::shared_ptr<grpc::Channel> ChannelTo(const Server& server) {
    return grpc::CreateChannel(server.Addr(),
                               grpc::InsecureChannelCredentials());
  }

  // Commits one DefineObjective on `server` (one event).
  void DefineObjective(const Server& server) {
    gavel::test::DefineObjective(server.Addr(), ++commands_);
  }

  // Signs a checkpoint of `server`'s head now.
  gavel::v1::SignedCheckpoint SignCheckpoint(const Server& server) {
    auto stub = gavel::v1::AuditService::NewStub(ChannelTo(server));
    grpc::ClientContext context;
    gavel::v1::SignCheckpointReply reply;
    grpc::Status status = stub->SignCheckpoint(&context, {}, &reply);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return reply.checkpoint();
  }

  int Verify(const std::string& key_file,
             std::vector<std::string> extra = {"--trust_on_first_use"}) {
    std::vector<std::string> args = {
        absl::StrCat("--addr=", main_.Addr()), "audit", "verify",
        absl::StrCat("--state=", state_), absl::StrCat("--key=", key_file)};
    args.insert(args.end(), extra.begin(), extra.end());
    return Cli(args);
  }

  void WriteState(const std::string& contents) {
    std::ofstream(state_, std::ios::binary | std::ios::trunc) << contents;
  }

  Server main_;
  Server other_;
  const std::string state_ = dir_.Sub("trusted.checkpoint");
  int commands_ = 0;
};

TEST_F(AuditVerifyTest, AnEmptyStateIsNotTrustedSilently) {
  DefineObjective(main_);
  EXPECT_EQ(Verify(main_.KeyFile(), {}), 1) << Output();
  EXPECT_THAT(Output(), HasSubstr("--trust_on_first_use"));
  EXPECT_FALSE(fs::exists(state_));
}

TEST_F(AuditVerifyTest, AStaleCheckpointIsRefusedByMaxAge) {
  DefineObjective(main_);
  SignCheckpoint(main_);
  // Signed just now: fresh within a minute; "stale" with a negative window
  // is impossible, so an age of 0 s refuses anything signed a second ago.
  ASSERT_EQ(Verify(main_.KeyFile(), {"--trust_on_first_use", "--max_age_s=60"}),
            0)
      << Output();
  absl::SleepFor(absl::Seconds(1.5));
  EXPECT_EQ(Verify(main_.KeyFile(), {"--max_age_s=0"}), 1) << Output();
  EXPECT_THAT(Output(), HasSubstr("max_age"));
}

TEST_F(AuditVerifyTest, TrustsOnFirstUseThenAcceptsAConsistentNewerCheckpoint) {
  DefineObjective(main_);
  const gavel::v1::SignedCheckpoint first = SignCheckpoint(main_);
  ASSERT_EQ(Verify(main_.KeyFile()), 0) << Output();
  EXPECT_THAT(Output(), HasSubstr("trusted on first use"));
  ASSERT_TRUE(fs::exists(state_));
  const uint64_t trusted_size = first.tree_size();

  DefineObjective(main_);
  DefineObjective(main_);
  const gavel::v1::SignedCheckpoint second = SignCheckpoint(main_);
  ASSERT_GT(second.tree_size(), trusted_size);
  ASSERT_EQ(Verify(main_.KeyFile()), 0) << Output();
  EXPECT_THAT(Output(), HasSubstr(absl::StrCat(
                            "consistent: log \"", second.origin(), "\" size ",
                            trusted_size, " -> ", second.tree_size())));
  EXPECT_EQ(ReadFile(state_), second.note());

  // Nothing new: the same checkpoint verifies again.
  EXPECT_EQ(Verify(main_.KeyFile()), 0) << Output();
}

TEST_F(AuditVerifyTest, RejectsAStateFileHoldingAnotherLogsCheckpoint) {
  DefineObjective(other_);
  WriteState(SignCheckpoint(other_).note());
  DefineObjective(main_);
  SignCheckpoint(main_);
  EXPECT_NE(Verify(main_.KeyFile()), 0);
  EXPECT_THAT(Output(), HasSubstr("state file"));
  EXPECT_EQ(ReadFile(state_), SignCheckpoint(other_).note());
}

TEST_F(AuditVerifyTest, RejectsTheServerCheckpointUnderAnotherLogsKey) {
  SignCheckpoint(main_);
  EXPECT_NE(Verify(other_.KeyFile()), 0);
  EXPECT_FALSE(fs::exists(state_));
}

TEST_F(AuditVerifyTest, RejectsMalformedKeyAndStateFiles) {
  SignCheckpoint(main_);
  const std::string bad_key = dir_.Sub("bad.pub");
  std::ofstream(bad_key) << "gavel+zzzz+notakey\n";
  EXPECT_NE(Verify(bad_key), 0);
  EXPECT_NE(Verify(dir_.Sub("missing.pub")), 0);
  WriteState("this is not a signed note");
  EXPECT_NE(Verify(main_.KeyFile()), 0);
  EXPECT_THAT(Output(), HasSubstr("state file"));
}

TEST_F(AuditVerifyTest, CheckpointCommandPrintsAndVerifiesTheNote) {
  const gavel::v1::SignedCheckpoint checkpoint = SignCheckpoint(main_);
  EXPECT_EQ(Cli({absl::StrCat("--addr=", main_.Addr()), "audit", "checkpoint",
                 absl::StrCat("--key=", main_.KeyFile())}),
            0)
      << Output();
  EXPECT_THAT(Output(), HasSubstr(checkpoint.note()));
  EXPECT_NE(Cli({absl::StrCat("--addr=", main_.Addr()), "audit", "checkpoint",
                 absl::StrCat("--key=", other_.KeyFile())}),
            0);
}

}  // namespace
}  // namespace gavel::cli
