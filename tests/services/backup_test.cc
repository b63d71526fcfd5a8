// AdminService.Backup on a real server: roles, confined names, a
// consistent copy while commands are committed, and the start-up check of
// a data directory restored from a backup.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/backups.h"
#include "storage/event_log.h"
#include "tests/services/test_server.h"
#include "tests/testing/temp_dir.h"

namespace gavel::services {
namespace {

using ::gavel::test::As;
using ::gavel::test::ReasonOf;
using ::gavel::test::TestServer;

// Defines objective-<n> as alice; true if committed.
bool DefineObjective(TestServer& server, int n) {
  gavel::v1::DefineObjectiveRequest request;
  request.mutable_options()->set_command_id(absl::StrCat("cmd-", n));
  request.mutable_command()->set_objective_id(absl::StrCat("objective-", n));
  request.mutable_command()->set_title("Grow recurring revenue");
  request.mutable_command()->set_horizon(gavel::v1::HORIZON_THREE_YEARS);
  request.mutable_command()->set_owner("alice");
  gavel::v1::CommandReply reply;
  return server.strategy()
      .DefineObjective(As("alice").get(), request, &reply)
      .ok();
}

grpc::Status Backup(TestServer& server, const std::string& name,
                    const std::string& principal, gavel::v1::BackupReply* reply,
                    bool include_signing_key = true) {
  gavel::v1::BackupRequest request;
  request.set_name(name);
  request.set_include_signing_key(include_signing_key);
  return server.admin().Backup(As(principal).get(), request, reply);
}

TEST(BackupTest, ABackupHoldsNoPrivateKeyUnlessAsked) {
  TestServer server;
  ASSERT_TRUE(DefineObjective(server, 1));
  gavel::v1::BackupReply reply;
  ASSERT_TRUE(Backup(server, "plain", "alice", &reply,
                     /*include_signing_key=*/false)
                  .ok());
  EXPECT_FALSE(std::filesystem::exists(reply.path() + "/signing_key"));
  EXPECT_TRUE(std::filesystem::exists(reply.path() + "/signing_key.pub"));
}

TEST(BackupTest, BackupNeedsTheAdminRole) {
  TestServer server;
  gavel::v1::BackupReply reply;
  for (const char* principal : {"bob", "eve", "sam"}) {
    grpc::Status status = Backup(server, "b1", principal, &reply);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << principal;
    EXPECT_EQ(ReasonOf(status), "ROLE_REQUIRED");
  }
  EXPECT_EQ(Backup(server, "b1", "", &reply).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_FALSE(std::filesystem::exists(server.data_dir() + "/backups/b1"));
}

TEST(BackupTest, BackupRefusesNamesThatAreNotPlainDirectoryNames) {
  TestServer server;
  gavel::v1::BackupReply reply;
  const std::vector<std::string> names = {"",       "../escape",         "a/b",
                                          "/tmp/x", ".hidden",           "..",
                                          "b\n1",   std::string(65, 'a')};
  for (const std::string& name : names) {
    grpc::Status status = Backup(server, name, "alice", &reply);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << name;
    EXPECT_EQ(ReasonOf(status), "BACKUP_NAME_INVALID") << name;
  }
  EXPECT_FALSE(std::filesystem::exists(server.data_dir() + "/escape"));
}

TEST(BackupTest, BackupRefusesAnExistingName) {
  TestServer server;
  gavel::v1::BackupReply reply;
  ASSERT_TRUE(Backup(server, "b1", "alice", &reply).ok());
  grpc::Status status = Backup(server, "b1", "alice", &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(ReasonOf(status), "BACKUP_EXISTS");
}

TEST(BackupTest, BackupWhileCommittingHoldsEveryCommandAcknowledgedBefore) {
  TestServer server;
  for (int i = 1; i <= 20; ++i) ASSERT_TRUE(DefineObjective(server, i));
  std::atomic<bool> stop{false};
  std::atomic<int> committed{20};
  std::thread writer([&] {
    for (int i = 21; !stop.load(); ++i) {
      if (DefineObjective(server, i)) committed.store(i);
    }
  });
  const int acknowledged_before = committed.load();
  gavel::v1::BackupReply reply;
  grpc::Status status = Backup(server, "live", "alice", &reply);
  stop.store(true);
  writer.join();
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_GE(reply.head_position(), static_cast<uint64_t>(acknowledged_before));
  EXPECT_LE(reply.checkpoint_size(), reply.head_position());
  EXPECT_EQ(reply.path(), server.data_dir() + "/backups/live");
  for (const char* file :
       {"MANIFEST", "checkpoint", "signing_key", "signing_key.pub", "log"}) {
    EXPECT_TRUE(std::filesystem::exists(reply.path() + "/" + file)) << file;
  }
  // The copy is a log of exactly head_position records whose tree matches
  // the signed checkpoint the backup carries.
  absl::StatusOr<std::unique_ptr<storage::EventLog>> copy =
      storage::EventLog::Open(reply.path() + "/log", {});
  ASSERT_TRUE(copy.ok()) << copy.status();
  EXPECT_EQ((*copy)->Head(), reply.head_position());
  EXPECT_TRUE((*copy)->VerifyTree((*copy)->Head()).ok());
  absl::StatusOr<std::string> stored =
      (*copy)->GetCheckpoint(reply.checkpoint_size());
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(*stored, reply.checkpoint());
}

TEST(BackupTest, ServerRefusesALogThatDoesNotReachTheRestoredCheckpoint) {
  TestServer server;
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(DefineObjective(server, i));
  gavel::v1::BackupReply early;
  ASSERT_TRUE(Backup(server, "early", "alice", &early).ok());
  for (int i = 6; i <= 10; ++i) ASSERT_TRUE(DefineObjective(server, i));
  gavel::v1::BackupReply late;
  ASSERT_TRUE(Backup(server, "late", "alice", &late).ok());
  server.Stop();

  // The early log pinned to the late checkpoint: a rolled-back restore.
  test::TempDir dir;
  const std::string data = dir.Sub("data");
  std::filesystem::copy(early.path() + "/log", data,
                        std::filesystem::copy_options::recursive);
  for (const char* key : {"signing_key", "signing_key.pub"}) {
    std::filesystem::copy_file(early.path() + "/" + key,
                               data + "/" + std::string(key));
  }
  std::ofstream(data + "/restored-checkpoint") << late.checkpoint();
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.data_dir = data;
  absl::StatusOr<std::unique_ptr<GavelServer>> refused =
      GavelServer::Start(options);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kDataLoss);

  // Pinned to its own checkpoint, it serves.
  std::ofstream(data + "/restored-checkpoint", std::ios::trunc)
      << early.checkpoint();
  absl::StatusOr<std::unique_ptr<GavelServer>> served =
      GavelServer::Start(options);
  EXPECT_TRUE(served.ok()) << served.status();
}

TEST(BackupTest, ServerRefusesARestoredCheckpointSignedByAnotherKey) {
  TestServer other;
  ASSERT_TRUE(DefineObjective(other, 1));
  gavel::v1::BackupReply foreign;
  ASSERT_TRUE(Backup(other, "foreign", "alice", &foreign).ok());
  other.Stop();

  TestServer server;
  ASSERT_TRUE(DefineObjective(server, 1));
  server.Stop();
  std::ofstream(server.data_dir() + "/restored-checkpoint")
      << foreign.checkpoint();
  absl::StatusOr<std::unique_ptr<GavelServer>> refused =
      GavelServer::Start(server.options());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace gavel::services
