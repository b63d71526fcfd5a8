// Tampering with a stored log, the way an insider with disk access would:
// flip a byte of a record, delete a record, swap two records, roll the log
// back and re-append different events. Each must be caught by the server's
// start-up check and by `gavel audit verify` against a checkpoint the
// auditor trusted before.
#include <signal.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gavel/v1/audit_service.grpc.pb.h"
#include "gavel/v1/strategy_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "storage/event_log.h"
#include "storage/key_format.h"
#include "tests/testing/child_process.h"
#include "tests/testing/define_objective.h"
#include "tests/testing/raw_log.h"
#include "tests/testing/temp_dir.h"

namespace gavel::cli {
namespace {

using ::gavel::test::FreePort;
using ::gavel::test::RawLog;
using ::gavel::test::ReadFile;
using ::gavel::test::Spawn;
using ::gavel::test::WaitExit;
using ::testing::HasSubstr;

constexpr int kObjectives = 20;  // One event each.

class AuditTamperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Prefill();
    ASSERT_TRUE(StartServer({}));
    for (int i = 0; i < kObjectives; ++i) DefineObjective();
    SignCheckpoint();
    ASSERT_EQ(Verify(), 0) << Output();
    trusted_ = ReadFile(state_);
    StopServer();
  }

  void TearDown() override {
    if (pid_ != 0) StopServer();
  }

  // Records written into the data directory before the server first starts.
  virtual void Prefill() {}

  // Starts gaveld on the data dir; true once it answers, false if it exits
  // first (refusing to serve).
  bool StartServer(std::vector<std::string> extra) {
    port_ = FreePort();
    std::vector<std::string> args = {absl::StrCat("--listen=127.0.0.1:", port_),
                                     absl::StrCat("--data_dir=", data_dir_)};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = Spawn(GAVELD_BINARY, args, server_log_);
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (absl::Now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = 0;
        return false;
      }
      if (Cli({Addr(), "health"}) == 0) return true;
      absl::SleepFor(absl::Milliseconds(100));
    }
    ADD_FAILURE() << "gaveld neither served nor exited: "
                  << ReadFile(server_log_);
    return false;
  }

  void StopServer() {
    kill(pid_, SIGTERM);
    EXPECT_EQ(WaitExit(pid_), 0);
    pid_ = 0;
  }

  std::string Addr() const { return absl::StrCat("--addr=127.0.0.1:", port_); }

  int Cli(std::vector<std::string> args) {
    return WaitExit(Spawn(GAVEL_BINARY, std::move(args), cli_log_));
  }
  std::string Output() const { return ReadFile(cli_log_); }

  int Verify() {
    return Cli({Addr(), "audit", "verify", "--trust_on_first_use",
                absl::StrCat("--state=", state_),
                absl::StrCat("--key=", data_dir_, "/signing_key.pub")});
  }

  void DefineObjective() {
    gavel::test::DefineObjective(absl::StrCat("127.0.0.1:", port_),
                                 ++commands_);
  }

  void SignCheckpoint() {
    auto stub = gavel::v1::AuditService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", port_), grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    gavel::v1::SignCheckpointReply reply;
    grpc::Status status = stub->SignCheckpoint(&context, {}, &reply);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // The start-up check refuses the tampered log; with it switched off the
  // server serves the log and the auditor's verify fails, leaving the
  // trusted state as it was.
  void ExpectRefusedAndCaughtByTheAuditor() {
    EXPECT_FALSE(StartServer({})) << "gaveld served a tampered log";
    EXPECT_THAT(ReadFile(server_log_), HasSubstr("refusing to serve"));
    ASSERT_TRUE(StartServer({"--verify_log_on_start=false"}))
        << ReadFile(server_log_);
    EXPECT_NE(Verify(), 0) << Output();
    EXPECT_EQ(ReadFile(state_), trusted_);
  }

  gavel::test::TempDir dir_;
  const std::string data_dir_ = dir_.Sub("data");
  const std::string server_log_ = dir_.Sub("gaveld.log");
  const std::string cli_log_ = dir_.Sub("cli.log");
  const std::string state_ = dir_.Sub("trusted.checkpoint");
  std::string trusted_;
  int port_ = 0;
  pid_t pid_ = 0;
  int commands_ = 0;
};

TEST_F(AuditTamperTest, UntouchedLogStartsAndVerifiesWithReplay) {
  ASSERT_TRUE(StartServer({})) << ReadFile(server_log_);
  DefineObjective();
  SignCheckpoint();
  EXPECT_EQ(Verify(), 0) << Output();
  EXPECT_THAT(Output(), HasSubstr("records re-hashed to both roots"));
}

TEST_F(AuditTamperTest, FlippedByteInARecordIsCaught) {
  {
    RawLog raw(data_dir_);
    std::string record = raw.Get("events", storage::EventKey(5));
    record.back() ^= 0x01;
    raw.Put("events", storage::EventKey(5), record);
  }
  ExpectRefusedAndCaughtByTheAuditor();
  EXPECT_THAT(Output(), HasSubstr("no longer hash to the trusted root"));
}

TEST_F(AuditTamperTest, DeletedRecordIsCaught) {
  {
    RawLog raw(data_dir_);
    raw.Delete("events", storage::EventKey(7));
  }
  ExpectRefusedAndCaughtByTheAuditor();
  EXPECT_THAT(Output(), HasSubstr("DATA_LOSS: record 7 is missing"));
}

TEST_F(AuditTamperTest, SwappedRecordsAreCaught) {
  {
    RawLog raw(data_dir_);
    const std::string a = raw.Get("events", storage::EventKey(3));
    const std::string b = raw.Get("events", storage::EventKey(4));
    raw.Put("events", storage::EventKey(3), b);
    raw.Put("events", storage::EventKey(4), a);
  }
  ExpectRefusedAndCaughtByTheAuditor();
  EXPECT_THAT(Output(), HasSubstr("out of order"));
}

// Rolls the log back to 10 records and appends different events with the
// storage library (the insider's own writer), past the trusted size.
void RollBackAndReappend(const std::string& data_dir, bool drop_checkpoints) {
  {
    RawLog raw(data_dir);
    raw.DeleteFrom("events", storage::EventKey(11));
    raw.DeleteFrom("merkle", storage::MerkleNodesKey(10));
    if (drop_checkpoints) {
      std::string from;
      storage::PutFixed64BE(from, 11);
      raw.DeleteFrom("checkpoints", from);
    }
  }
  absl::StatusOr<std::unique_ptr<storage::EventLog>> log =
      storage::EventLog::Open(data_dir, {});
  ASSERT_TRUE(log.ok()) << log.status();
  std::vector<storage::AppendRequest> batch;
  for (int i = 0; i < 15; ++i) {
    storage::AppendRequest request;
    request.actor = "mallory";
    request.streams.push_back({absl::StrCat("forged-", i),
                               storage::ExpectedVersion::Any(),
                               {{"", "ObjectiveDefined", "forged"}}});
    batch.push_back(std::move(request));
  }
  ASSERT_TRUE((*log)->Append(batch).ok());
  ASSERT_EQ((*log)->Head(), 25u);
}

TEST_F(AuditTamperTest, RollbackAndReappendIsRefusedAtStart) {
  RollBackAndReappend(data_dir_, /*drop_checkpoints=*/false);
  EXPECT_FALSE(StartServer({})) << "gaveld served a rewritten log";
  EXPECT_FALSE(StartServer({"--verify_log_on_start=false"}));
  EXPECT_THAT(ReadFile(server_log_), HasSubstr("refusing to serve"));
}

TEST_F(AuditTamperTest, RollbackWithItsCheckpointsRemovedIsCaughtByTheAuditor) {
  // A thorough insider also removes the checkpoints of the old history: the
  // server's own data is then consistent, and only a checkpoint someone
  // outside kept can tell.
  RollBackAndReappend(data_dir_, /*drop_checkpoints=*/true);
  ASSERT_TRUE(StartServer({})) << ReadFile(server_log_);
  SignCheckpoint();
  EXPECT_NE(Verify(), 0) << Output();
  EXPECT_EQ(ReadFile(state_), trusted_);
  // Without the replay, the consistency proof alone catches it too.
  EXPECT_NE(Cli({Addr(), "audit", "verify", "--trust_on_first_use",
                 absl::StrCat("--state=", state_),
                 absl::StrCat("--key=", data_dir_, "/signing_key.pub"),
                 "--replay=false"}),
            0);
}

// `gavel audit export` then `gavel audit verify-export`, offline.
class AuditExportTest : public AuditTamperTest {
 protected:
  void SetUp() override {
    AuditTamperTest::SetUp();
    ASSERT_TRUE(StartServer({})) << ReadFile(server_log_);
    ASSERT_EQ(Cli({Addr(), "audit", "export", absl::StrCat("--out=", bundle_),
                   absl::StrCat("--key=", KeyFile())}),
              0)
        << Output();
    StopServer();
  }

  std::string KeyFile() const { return data_dir_ + "/signing_key.pub"; }

  int VerifyExport() {
    return Cli(
        {"audit", "verify-export", bundle_, absl::StrCat("--key=", KeyFile())});
  }

  const std::string bundle_ = dir_.Sub("bundle");
};

TEST_F(AuditExportTest, ExportVerifiesOfflineWithTheServerStopped) {
  EXPECT_EQ(VerifyExport(), 0) << Output();
  EXPECT_THAT(Output(), HasSubstr(absl::StrCat("size ", kObjectives)));
  EXPECT_THAT(Output(), HasSubstr("0 decisions"));
}

TEST_F(AuditExportTest, ExportRefusesADirectoryThatHoldsOne) {
  ASSERT_TRUE(StartServer({}));
  EXPECT_NE(Cli({Addr(), "audit", "export", absl::StrCat("--out=", bundle_)}),
            0);
  EXPECT_THAT(Output(), HasSubstr("already holds an export"));
}

TEST_F(AuditExportTest, AlteredRecordInTheBundleFailsVerification) {
  std::string records = ReadFile(bundle_ + "/records");
  ASSERT_GT(records.size(), 100u);
  records[records.size() / 2] ^= 0x20;
  std::ofstream(bundle_ + "/records", std::ios::binary | std::ios::trunc)
      << records;
  EXPECT_NE(VerifyExport(), 0);
}

TEST_F(AuditExportTest, TruncatedOrExtendedBundleFailsVerification) {
  const std::string records = ReadFile(bundle_ + "/records");
  std::ofstream(bundle_ + "/records", std::ios::binary | std::ios::trunc)
      << records.substr(0, records.size() - 3);
  EXPECT_NE(VerifyExport(), 0);
  EXPECT_THAT(Output(), HasSubstr("truncated"));
  // The first record again at the end: one record too many.
  const uint32_t first = (uint8_t(records[0]) << 24) |
                         (uint8_t(records[1]) << 16) |
                         (uint8_t(records[2]) << 8) | uint8_t(records[3]);
  std::ofstream(bundle_ + "/records", std::ios::binary | std::ios::trunc)
      << records << records.substr(0, 4 + first);
  EXPECT_NE(VerifyExport(), 0);
  EXPECT_THAT(Output(), HasSubstr("more records than the checkpoint"));
}

TEST_F(AuditExportTest, EditedCheckpointOrMissingFilesFailVerification) {
  std::string note = ReadFile(bundle_ + "/checkpoint");
  const std::string size_line = absl::StrCat("\n", kObjectives, "\n");
  ASSERT_NE(note.find(size_line), std::string::npos) << note;
  note.replace(note.find(size_line), size_line.size(),
               absl::StrCat("\n", kObjectives - 1, "\n"));
  std::ofstream(bundle_ + "/checkpoint", std::ios::binary | std::ios::trunc)
      << note;
  EXPECT_NE(VerifyExport(), 0);
  std::filesystem::remove(bundle_ + "/checkpoint");
  EXPECT_NE(VerifyExport(), 0);
  EXPECT_THAT(Output(), HasSubstr("no such file"));
}

// `gavel audit decision`: one decision, each of its records proven.
class AuditDecisionTest : public AuditTamperTest {
 protected:
  // An initiative's review 1 (two votes, a recusal, a conditional go) and
  // review 2 still open, written before the server first starts.
  void Prefill() override {
    absl::StatusOr<std::unique_ptr<storage::EventLog>> log =
        storage::EventLog::Open(data_dir_, {});
    ASSERT_TRUE(log.ok()) << log.status();
    std::vector<gavel::v1::InitiativeEvent> events(6);
    auto* requested = events[0].mutable_gate_review_requested();
    requested->set_review_number(1);
    requested->set_gate_id("G1");
    requested->set_board_id("exec");
    requested->set_requested_by("sam");
    auto* vote = events[1].mutable_gate_vote_cast();
    vote->set_review_number(1);
    vote->set_member("bob");
    vote->set_cast_by("bob");
    vote->set_vote(gavel::v1::GATE_VOTE_CONDITIONAL_GO);
    vote->set_comment("Only with a data-protection review");
    auto* recused = events[2].mutable_member_recused();
    recused->set_review_number(1);
    recused->set_member("dave");
    recused->set_reason("Sponsors a competing bid");
    auto* second = events[3].mutable_gate_vote_cast();
    second->set_review_number(1);
    second->set_member("carol");
    second->set_cast_by("carol");
    second->set_vote(gavel::v1::GATE_VOTE_GO);
    auto* decided = events[4].mutable_gate_decided();
    decided->set_review_number(1);
    decided->set_gate_id("G1");
    decided->set_board_id("exec");
    decided->set_outcome(gavel::v1::GATE_OUTCOME_CONDITIONAL_GO);
    decided->set_rationale("Strong fit with the growth objective");
    decided->set_decided_by("alice");
    auto* condition = decided->add_conditions();
    condition->set_condition_id("dpia");
    condition->set_description("Data-protection impact assessment");
    condition->set_owner("sam");
    auto* next = events[5].mutable_gate_review_requested();
    next->set_review_number(2);
    next->set_gate_id("G2");
    next->set_board_id("exec");
    const char* types[] = {"GateReviewRequested", "GateVoteCast",
                           "MemberRecused",       "GateVoteCast",
                           "GateDecided",         "GateReviewRequested"};
    for (size_t i = 0; i < events.size(); ++i) {
      storage::AppendRequest request;
      request.actor = "alice";
      request.streams.push_back(
          {"initiative-crm",
           storage::ExpectedVersion::Any(),
           {{"", types[i], events[i].SerializeAsString()}}});
      ASSERT_TRUE((*log)->Append({request}).ok());
    }
  }

  int Decision(const std::string& id, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {
        Addr(),  "--token=token-eve",
        "audit", "decision",
        id,      absl::StrCat("--key=", data_dir_, "/signing_key.pub")};
    args.insert(args.end(), extra.begin(), extra.end());
    return Cli(args);
  }
};

TEST_F(AuditDecisionTest, PrintsTheDecisionWithEveryRecordProven) {
  ASSERT_TRUE(StartServer({}));
  DefineObjective();
  SignCheckpoint();
  ASSERT_EQ(Decision("crm/1", {absl::StrCat("--state=", state_)}), 0)
      << Output();
  const std::string out = Output();
  EXPECT_THAT(out, HasSubstr("decision crm/1 at position 5"));
  EXPECT_THAT(out, HasSubstr("outcome CONDITIONAL_GO"));
  EXPECT_THAT(out, HasSubstr("vote: bob CONDITIONAL_GO: Only with a "
                             "data-protection review"));
  EXPECT_THAT(out, HasSubstr("vote: carol GO"));
  EXPECT_THAT(out, HasSubstr("recused: dave: Sponsors a competing bid"));
  EXPECT_THAT(out, HasSubstr("condition dpia"));
  EXPECT_THAT(out,
              HasSubstr("rationale: Strong fit with the growth objective"));
  EXPECT_THAT(out, HasSubstr(absl::StrCat("consistent with the trusted size ",
                                          kObjectives + 6)));
  for (const char* record :
       {"GateReviewRequested at position 1", "GateVoteCast at position 2",
        "MemberRecused at position 3", "GateVoteCast at position 4",
        "GateDecided at position 5"}) {
    EXPECT_THAT(out, HasSubstr(record));
  }
  EXPECT_THAT(out, ::testing::Not(HasSubstr("at position 6")));
}

TEST_F(AuditDecisionTest, UnknownOrUndecidedOrMalformedIdsFail) {
  ASSERT_TRUE(StartServer({}));
  EXPECT_EQ(Decision("crm/2"), 1);  // Requested, not decided.
  EXPECT_EQ(Decision("nope/1"), 1);
  EXPECT_THAT(Output(), HasSubstr("no decision nope/1"));
  EXPECT_EQ(Decision("crm"), 2);
  EXPECT_EQ(Decision("crm/zero"), 2);
}

TEST_F(AuditDecisionTest, AlteredVoteFailsItsInclusionProof) {
  {
    RawLog raw(data_dir_);
    std::string record = raw.Get("events", storage::EventKey(2));
    const size_t at = record.find("Only with");
    ASSERT_NE(at, std::string::npos);
    record[at] = 'N';  // "Nnly with ...": a reworded comment.
    raw.Put("events", storage::EventKey(2), record);
  }
  ASSERT_TRUE(StartServer({"--verify_log_on_start=false"}));
  EXPECT_EQ(Decision("crm/1"), 1) << Output();
  // The proofs of the altered record and of its neighbours (whose proofs
  // the server builds from it) lead to another root than the signed one.
  EXPECT_THAT(Output(), HasSubstr("leads to root"));
}

}  // namespace
}  // namespace gavel::cli
