// Disk faults under a real gaveld:
//   - the data directory's file system fills up (a small tmpfs mounted for
//     the test; skipped where mounting is not permitted): commands fail
//     with UNAVAILABLE (STORAGE_UNAVAILABLE), the server stops taking
//     writes (fail-stop: it exits, DESIGN.md §2), nothing acknowledged is
//     lost, and once space is freed a restart serves and accepts writes;
//   - a corrupted SST file is detected at start (paranoid checks, the
//     rehash of every record) and the server refuses to serve;
//   - so is a WAL damaged in the middle (acknowledged records after the
//     damage would otherwise be dropped silently).
#include <sys/mount.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gavel/v1/errors.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/gaveld_child.h"
#include "tests/testing/raw_log.h"
#include "tests/testing/temp_dir.h"

namespace gavel::reliability {
namespace {

using ::gavel::test::ErrorReasonOf;
using ::gavel::test::GaveldChild;
using ::gavel::test::In;
using ::gavel::test::ObjectiveRequest;
using ::gavel::test::PositionsByCommand;
using ::testing::AnyOf;
using ::testing::HasSubstr;

// Fills the file system of `path` with one file until it is full.
void Fill(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  const std::string chunk(64 << 10, 'x');
  while (std::fwrite(chunk.data(), 1, chunk.size(), f) == chunk.size()) {
  }
  std::fflush(f);
  std::fclose(f);
}

class DiskFullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(mount_);
    if (mount("tmpfs", mount_.c_str(), "tmpfs", 0, "size=24m") != 0) {
      GTEST_SKIP() << "cannot mount a tmpfs here (" << std::strerror(errno)
                   << "): run as root to test a full disk";
    }
    mounted_ = true;
  }
  void TearDown() override {
    server_.reset();
    if (mounted_) umount2(mount_.c_str(), MNT_DETACH);
  }

  test::TempDir dir_;
  const std::string mount_ = dir_.Sub("mnt");
  bool mounted_ = false;
  std::unique_ptr<GaveldChild> server_;
};

TEST_F(DiskFullTest, FullDiskFailsWritesLosesNothingAndRecoversWithSpace) {
  server_ = std::make_unique<GaveldChild>(
      std::vector<std::string>{absl::StrCat("--data_dir=", mount_, "/data")},
      dir_.Sub("gaveld.log"));
  ASSERT_TRUE(server_->Start()) << server_->Log();
  auto stub = gavel::v1::StrategyService::NewStub(server_->channel());
  std::map<std::string, uint64_t> acknowledged;
  auto send = [&](const std::string& id) {
    grpc::ClientContext context;
    context.set_deadline(In(absl::Seconds(10)));
    gavel::v1::CommandReply reply;
    grpc::Status status =
        stub->DefineObjective(&context, ObjectiveRequest(id), &reply);
    if (status.ok()) acknowledged[id] = reply.first_position();
    return status;
  };
  for (int i = 0; i < 20; ++i) {
    const grpc::Status status = send(absl::StrCat("a", i));
    ASSERT_TRUE(status.ok())
        << status.error_code() << " " << status.error_message() << "\n"
        << server_->Log();
  }

  Fill(mount_ + "/filler");
  grpc::Status failed;
  for (int i = 0; i < 20000 && failed.ok(); ++i) {
    failed = send(absl::StrCat("b", i));
  }
  ASSERT_FALSE(failed.ok()) << "writes kept succeeding on a full disk";
  EXPECT_EQ(failed.error_code(), grpc::StatusCode::UNAVAILABLE)
      << failed.error_message();
  EXPECT_EQ(ErrorReasonOf(failed), "STORAGE_UNAVAILABLE")
      << failed.error_message();
  EXPECT_THAT(failed.error_message(),
              AnyOf(HasSubstr("No space left"), HasSubstr("no space")));
  // Fail-stop: it takes no further writes and exits to recover by replay.
  EXPECT_FALSE(send("after-failure").ok());
  ASSERT_TRUE(server_->WaitForExit(absl::Seconds(30)));
  EXPECT_EQ(server_->exit_code(), 70) << server_->Log();

  std::filesystem::remove(mount_ + "/filler");
  ASSERT_TRUE(server_->Start()) << server_->Log();
  const auto positions = PositionsByCommand(server_->channel());
  for (const auto& [id, position] : acknowledged) {
    auto it = positions.find(id);
    ASSERT_NE(it, positions.end()) << "acknowledged " << id << " was lost";
    EXPECT_EQ(it->second, std::vector<uint64_t>{position}) << id;
  }
  EXPECT_TRUE(send("after-recovery").ok());
}

TEST(DiskCorruptionTest, CorruptedSstFileIsRefusedAtStart) {
  test::TempDir dir;
  const std::string data = dir.Sub("data");
  GaveldChild server({absl::StrCat("--data_dir=", data)}, dir.Sub("log"));
  ASSERT_TRUE(server.Start()) << server.Log();
  auto stub = gavel::v1::StrategyService::NewStub(server.channel());
  for (int i = 0; i < 200; ++i) {
    grpc::ClientContext context;
    gavel::v1::CommandReply reply;
    ASSERT_TRUE(stub->DefineObjective(&context,
                                      ObjectiveRequest(absl::StrCat("c", i)),
                                      &reply)
                    .ok());
  }
  server.Stop();
  ASSERT_EQ(server.exit_code(), 0);
  // Move every record into SST files, then flip bytes in the middle of the
  // largest one (the events), as a failing disk would.
  test::RawLog(data).FlushAll();
  std::filesystem::path largest;
  uintmax_t largest_size = 0;
  for (const auto& entry : std::filesystem::directory_iterator(data)) {
    if (entry.path().extension() == ".sst" &&
        entry.file_size() > largest_size) {
      largest = entry.path();
      largest_size = entry.file_size();
    }
  }
  ASSERT_GT(largest_size, 0u) << "no SST file to corrupt";
  {
    std::fstream f(largest, std::ios::in | std::ios::out | std::ios::binary);
    for (uintmax_t at = largest_size / 4; at < largest_size / 2; at += 512) {
      f.seekp(static_cast<std::streamoff>(at));
      f.put('\x5a');
    }
  }
  EXPECT_FALSE(server.Start()) << "gaveld served a corrupted log";
  EXPECT_NE(server.exit_code(), 0);
  EXPECT_THAT(server.Log(), AnyOf(HasSubstr("Corruption"), HasSubstr("corrupt"),
                                  HasSubstr("checksum mismatch")));
  EXPECT_THAT(server.Log(), HasSubstr("start_failed"));
}

// Commits `n` objectives on `server`.
void Commit(GaveldChild& server, int n) {
  auto stub = gavel::v1::StrategyService::NewStub(server.channel());
  for (int i = 0; i < n; ++i) {
    grpc::ClientContext context;
    gavel::v1::CommandReply reply;
    ASSERT_TRUE(stub->DefineObjective(&context,
                                      ObjectiveRequest(absl::StrCat("w", i)),
                                      &reply)
                    .ok());
  }
}

TEST(DiskCorruptionTest, WalDamagedInTheMiddleIsRefusedAtStart) {
  test::TempDir dir;
  const std::string data = dir.Sub("data");
  GaveldChild server({absl::StrCat("--data_dir=", data)}, dir.Sub("log"));
  ASSERT_TRUE(server.Start()) << server.Log();
  Commit(server, 80);
  server.Kill();  // The records stay in the WAL (no flush on the way out).
  std::filesystem::path wal;
  uintmax_t wal_size = 0;
  for (const auto& entry : std::filesystem::directory_iterator(data)) {
    if (entry.path().extension() == ".log" && entry.file_size() > wal_size) {
      wal = entry.path();
      wal_size = entry.file_size();
    }
  }
  ASSERT_GT(wal_size, 0u) << "no WAL to damage";
  {
    std::fstream f(wal, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(wal_size / 3));
    f.write("\xde\xad\xbe\xef\xde\xad\xbe\xef", 8);
  }
  EXPECT_FALSE(server.Start()) << "gaveld served a log cut at the damage";
  EXPECT_NE(server.exit_code(), 0);
  EXPECT_THAT(server.Log(), HasSubstr("start_failed"));
  EXPECT_THAT(server.Log(),
              AnyOf(HasSubstr("Corruption"), HasSubstr("checksum mismatch")));
}

TEST(DiskCorruptionTest, KilledServerRestartsWithEveryRecord) {
  // The strict WAL mode still accepts what a kill leaves behind.
  test::TempDir dir;
  GaveldChild server({absl::StrCat("--data_dir=", dir.Sub("data"))},
                     dir.Sub("log"));
  ASSERT_TRUE(server.Start()) << server.Log();
  Commit(server, 50);
  server.Kill();
  ASSERT_TRUE(server.Start()) << server.Log();
  EXPECT_EQ(test::HeadOf(server.channel()), 50u);
}

}  // namespace
}  // namespace gavel::reliability
