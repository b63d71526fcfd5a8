// The gaveld and gavel binaries as an operator runs them: start, health
// check, refusal of unsafe or conflicting starts, graceful stop on SIGTERM.
#include <signal.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/child_process.h"
#include "tests/testing/temp_dir.h"

namespace gavel::tools {
namespace {

using ::testing::HasSubstr;

using ::gavel::test::FreePort;
using ::gavel::test::ReadFile;
using ::gavel::test::Spawn;
using ::gavel::test::WaitExit;

class GaveldTest : public ::testing::Test {
 protected:
  std::string Addr() const { return absl::StrCat("127.0.0.1:", port_); }

  pid_t StartServer(const std::string& log) {
    return Spawn(GAVELD_BINARY,
                 {absl::StrCat("--listen=", Addr()),
                  absl::StrCat("--data_dir=", dir_.Sub("data"))},
                 log);
  }

  // Runs the CLI and returns its exit code.
  int Cli(std::vector<std::string> args, const std::string& log) {
    args.insert(args.begin(), absl::StrCat("--addr=", Addr()));
    return WaitExit(Spawn(GAVEL_BINARY, std::move(args), log));
  }

  // Polls `gavel health` until the server answers or 30 s pass.
  bool WaitHealthy() {
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (absl::Now() < deadline) {
      if (Cli({"health"}, dir_.Sub("cli.log")) == 0) return true;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return false;
  }

  test::TempDir dir_;
  int port_ = FreePort();
};

TEST_F(GaveldTest, StartsAnswersHealthAndStopsGracefullyOnSigterm) {
  const std::string log = dir_.Sub("gaveld.log");
  pid_t server = StartServer(log);
  ASSERT_TRUE(WaitHealthy()) << ReadFile(log);
  EXPECT_EQ(Cli({"admin", "ping"}, dir_.Sub("cli.log")), 0);
  EXPECT_EQ(Cli({"admin", "status"}, dir_.Sub("cli.log")), 0);
  EXPECT_THAT(ReadFile(dir_.Sub("cli.log")), HasSubstr("SERVING"));
  kill(server, SIGTERM);
  EXPECT_EQ(WaitExit(server), 0);
  const std::string lines = ReadFile(log);
  EXPECT_THAT(lines, HasSubstr("event=server_started"));
  EXPECT_THAT(lines, HasSubstr("event=dev_mode"));
  EXPECT_THAT(lines, HasSubstr("event=server_stopped"));
}

TEST_F(GaveldTest, SecondInstanceOnTheSameDataDirRefusesToStart) {
  pid_t first = StartServer(dir_.Sub("first.log"));
  ASSERT_TRUE(WaitHealthy()) << ReadFile(dir_.Sub("first.log"));
  const std::string log = dir_.Sub("second.log");
  pid_t second = Spawn(GAVELD_BINARY,
                       {absl::StrCat("--listen=127.0.0.1:", FreePort()),
                        absl::StrCat("--data_dir=", dir_.Sub("data"))},
                       log);
  EXPECT_EQ(WaitExit(second), 1);
  EXPECT_THAT(ReadFile(log), HasSubstr("in use by another process"));
  kill(first, SIGTERM);
  EXPECT_EQ(WaitExit(first), 0);
}

TEST_F(GaveldTest, NonLoopbackAddressWithoutTlsRefusesToStart) {
  const std::string log = dir_.Sub("gaveld.log");
  pid_t server = Spawn(GAVELD_BINARY,
                       {absl::StrCat("--listen=0.0.0.0:", port_),
                        absl::StrCat("--data_dir=", dir_.Sub("data"))},
                       log);
  EXPECT_EQ(WaitExit(server), 1);
  EXPECT_THAT(ReadFile(log), HasSubstr("without TLS"));
}

TEST_F(GaveldTest, CliReportsAnUnreachableServerAndExitsNonZero) {
  const std::string log = dir_.Sub("cli.log");
  EXPECT_NE(Cli({"admin", "status"}, log), 0);
  EXPECT_THAT(ReadFile(log), HasSubstr("hint: is gaveld running"));
  EXPECT_EQ(Cli({"no", "such", "command"}, log), 2);
}

}  // namespace
}  // namespace gavel::tools
