// `gavel admin backup` against a running gaveld, `gavel admin restore`
// offline, and a gaveld started on the restored directory: it serves every
// record of the backup, and refuses a backup that was tampered with.
#include <signal.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
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

constexpr int kBackedUp = 10;  // Objectives (one event each) in the backup.

class BackupRestoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(StartServer(data_dir_)) << ReadFile(server_log_);
    for (int i = 1; i <= kBackedUp; ++i) DefineObjective(i);
    ASSERT_EQ(
        Cli({Addr(), "admin", "backup", "--out=b1", "--with_signing_key"}), 0)
        << Output();
    // Committed after the backup: not in it.
    for (int i = kBackedUp + 1; i <= kBackedUp + 5; ++i) DefineObjective(i);
    StopServer();
  }

  void TearDown() override {
    if (pid_ != 0) StopServer();
  }

  // True once gaveld on `data_dir` answers; false if it exits first.
  bool StartServer(const std::string& data_dir) {
    port_ = FreePort();
    pid_ = Spawn(GAVELD_BINARY,
                 {absl::StrCat("--listen=127.0.0.1:", port_),
                  absl::StrCat("--data_dir=", data_dir)},
                 server_log_);
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
    ADD_FAILURE() << "gaveld neither served nor exited";
    return false;
  }

  void StopServer() {
    kill(pid_, SIGTERM);
    EXPECT_EQ(WaitExit(pid_), 0);
    pid_ = 0;
  }

  std::string Addr() const { return absl::StrCat("--addr=127.0.0.1:", port_); }
  void DefineObjective(int n) {
    gavel::test::DefineObjective(absl::StrCat("127.0.0.1:", port_), n);
  }
  int Cli(std::vector<std::string> args) {
    std::filesystem::remove(cli_log_);
    return WaitExit(Spawn(GAVEL_BINARY, std::move(args), cli_log_));
  }
  std::string Output() const { return ReadFile(cli_log_); }

  // Restores with the verifier key of the original server, kept apart
  // from the backup.
  int Restore() {
    return Cli({"admin", "restore", absl::StrCat("--from=", backup_),
                absl::StrCat("--data_dir=", restored_),
                absl::StrCat("--key=", data_dir_, "/signing_key.pub")});
  }

  uint64_t Head() {
    EXPECT_EQ(Cli({Addr(), "--json", "admin", "status"}), 0) << Output();
    nlohmann::json status = nlohmann::json::parse(Output(), nullptr, false);
    return std::stoull(status.value("head_position", std::string("0")));
  }

  gavel::test::TempDir dir_;
  const std::string data_dir_ = dir_.Sub("data");
  const std::string backup_ = dir_.Sub("data/backups/b1");
  const std::string restored_ = dir_.Sub("restored");
  const std::string server_log_ = dir_.Sub("gaveld.log");
  const std::string cli_log_ = dir_.Sub("cli.log");
  int port_ = 0;
  pid_t pid_ = 0;
};

TEST_F(BackupRestoreTest, RestoredServerServesExactlyTheBackedUpRecords) {
  ASSERT_EQ(Restore(), 0) << Output();
  EXPECT_THAT(Output(),
              HasSubstr(absl::StrCat("restored ", kBackedUp, " records")));
  ASSERT_TRUE(StartServer(restored_)) << ReadFile(server_log_);
  EXPECT_EQ(Head(), kBackedUp);
  // The idempotency keys came along: a retry of a backed-up command is
  // answered from the log and appends nothing.
  DefineObjective(3);
  EXPECT_EQ(Head(), kBackedUp);
  // The projections were rebuilt from the restored log.
  ASSERT_EQ(
      Cli({Addr(), "--min_position=10", "objective", "show", "objective-10"}),
      0)
      << Output();
  EXPECT_EQ(
      Cli({Addr(), "--min_position=10", "objective", "show", "objective-11"}),
      1)
      << Output();
}

TEST_F(BackupRestoreTest, RestoreRefusesAnEditedCheckpoint) {
  const std::string path = backup_ + "/checkpoint";
  std::string note = ReadFile(path);
  note = absl::StrReplaceAll(note, {{"\n10\n", "\n9\n"}});
  std::ofstream(path, std::ios::trunc) << note;
  EXPECT_NE(Restore(), 0);
  EXPECT_THAT(Output(), HasSubstr("does not verify"));
  EXPECT_FALSE(std::filesystem::exists(restored_));
}

TEST_F(BackupRestoreTest, RestoreRefusesAnIncompleteBackup) {
  std::filesystem::remove(backup_ + "/MANIFEST");
  EXPECT_NE(Restore(), 0);
  EXPECT_THAT(Output(), HasSubstr("no MANIFEST"));
  EXPECT_FALSE(std::filesystem::exists(restored_));
}

TEST_F(BackupRestoreTest, RestoreRefusesANonEmptyDataDirectory) {
  EXPECT_NE(Cli({"admin", "restore", absl::StrCat("--from=", backup_),
                 absl::StrCat("--data_dir=", data_dir_),
                 absl::StrCat("--key=", data_dir_, "/signing_key.pub")}),
            0);
  EXPECT_THAT(Output(), HasSubstr("not empty"));
}

// A backup's own signing_key.pub proves nothing about the backup: whoever
// could alter it could replace the key too.
TEST_F(BackupRestoreTest, ARestoreWithoutAPinnedKeyIsRefused) {
  EXPECT_EQ(Cli({"admin", "restore", absl::StrCat("--from=", backup_),
                 absl::StrCat("--data_dir=", restored_)}),
            2);
  EXPECT_THAT(Output(), HasSubstr("--key"));
  EXPECT_FALSE(std::filesystem::exists(restored_));
}

TEST_F(BackupRestoreTest, RestoredServerRefusesABackupWithAnEditedRecord) {
  {
    RawLog raw(backup_ + "/log");
    std::string record = raw.Get("events", storage::EventKey(5));
    record.back() ^= 0x01;
    raw.Put("events", storage::EventKey(5), record);
  }
  ASSERT_EQ(Restore(), 0) << Output();
  EXPECT_FALSE(StartServer(restored_)) << "gaveld served a tampered backup";
  EXPECT_THAT(ReadFile(server_log_), HasSubstr("refusing to serve"));
}

TEST_F(BackupRestoreTest, RestoredServerRefusesATruncatedBackup) {
  // Cut the backup's log back to 5 records, with its own checkpoints: the
  // log alone is self-consistent, but the backup's checkpoint covers 10.
  {
    RawLog raw(backup_ + "/log");
    raw.DeleteFrom("events", storage::EventKey(6));
    raw.DeleteFrom("merkle", storage::MerkleNodesKey(5));
    std::string from;
    storage::PutFixed64BE(from, 6);
    raw.DeleteFrom("checkpoints", from);
  }
  ASSERT_EQ(Restore(), 0) << Output();
  EXPECT_FALSE(StartServer(restored_)) << "gaveld served a truncated backup";
  EXPECT_THAT(ReadFile(server_log_), HasSubstr("backup was truncated"));
}

}  // namespace
}  // namespace gavel::cli
