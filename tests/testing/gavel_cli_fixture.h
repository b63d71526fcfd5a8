// A fixture for tests that drive the `gavel` binary against a real gaveld
// child process: a fresh data directory, a free loopback port (development
// mode), and helpers that run the CLI and parse its --json output. The test
// target defines GAVELD_BINARY and GAVEL_BINARY. For tests only; POSIX.
#ifndef GAVEL_TESTS_TESTING_GAVEL_CLI_FIXTURE_H_
#define GAVEL_TESTS_TESTING_GAVEL_CLI_FIXTURE_H_

#include <signal.h>

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/testing/child_process.h"
#include "tests/testing/temp_dir.h"

namespace gavel::test {

class GavelCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = Spawn(GAVELD_BINARY,
                    {absl::StrCat("--listen=", Addr()),
                     absl::StrCat("--data_dir=", DataDir())},
                    dir_.Sub("gaveld.log"));
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (Cli({"health"}) != 0) {
      ASSERT_LT(absl::Now(), deadline) << ReadFile(dir_.Sub("gaveld.log"));
      absl::SleepFor(absl::Milliseconds(100));
    }
  }
  void TearDown() override {
    kill(server_, SIGTERM);
    EXPECT_EQ(WaitExit(server_), 0);
  }

  std::string Addr() const { return absl::StrCat("127.0.0.1:", port_); }
  std::string DataDir() const { return dir_.Sub("data"); }

  // Runs gavel --addr=... ARGS; its exit code. Its stdout and stderr are
  // left in Output() (replacing the previous call's).
  int Cli(std::vector<std::string> args) {
    args.insert(args.begin(), absl::StrCat("--addr=", Addr()));
    std::remove(out_.c_str());
    return WaitExit(Spawn(GAVEL_BINARY, std::move(args), out_));
  }
  std::string Output() const { return ReadFile(out_); }

  // Runs gavel --json ARGS, expects exit 0 and one JSON document.
  nlohmann::json CliJson(std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    EXPECT_EQ(Cli(args), 0) << Output();
    nlohmann::json json =
        nlohmann::json::parse(Output(), nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(json.is_discarded()) << Output();
    return json;
  }

  TempDir dir_;
  const int port_ = FreePort();
  const std::string out_ = dir_.Sub("cli.out");
  pid_t server_ = 0;
};

}  // namespace gavel::test

#endif  // GAVEL_TESTS_TESTING_GAVEL_CLI_FIXTURE_H_
