// The deployment files in deploy/, tested as far as this machine allows
// (no container engine, no kubelet): the flags they give gaveld start a
// real server that answers its gRPC health check, the compose file and the
// Kubernetes manifests parse and agree with each other, and the systemd
// unit passes systemd-analyze verify without a warning.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/child_process.h"
#include "tests/testing/temp_dir.h"

namespace gavel {
namespace {

using ::gavel::test::FreePort;
using ::gavel::test::ReadFile;
using ::gavel::test::Spawn;
using ::gavel::test::WaitExit;
using ::testing::HasSubstr;

constexpr char kPython[] = "/usr/bin/python3";
constexpr char kOpenssl[] = "/usr/bin/openssl";
constexpr char kSystemdAnalyze[] = "/usr/bin/systemd-analyze";
constexpr int kSkip = 77;

bool Executable(const char* path) { return access(path, X_OK) == 0; }

class DeployTest : public ::testing::Test {
 protected:
  // Starts gaveld with `flagfile`, its paths redirected into the test's
  // directory (later flags override the file's), and checks that it
  // answers health and an authenticated status call.
  void ServeWith(const std::string& flagfile) {
    if (!Executable(kOpenssl)) GTEST_SKIP() << "no " << kOpenssl;
    const std::string key = dir_.Sub("signing_key");
    ASSERT_EQ(Run(kOpenssl, {"genpkey", "-algorithm", "ed25519", "-out", key}),
              0)
        << ReadFile(log_);
    // sha256("deploy-test-token"), principal ops, role admin.
    std::ofstream(dir_.Sub("tokens"))
        << "# test principal\n"
           "19e8916f6ba87578cd12068c9d83a3ecc7ea36471c5f73779db37878a66f471d "
           "ops admin\n";
    const std::string addr = absl::StrCat("127.0.0.1:", FreePort());
    const pid_t server = Spawn(
        GAVELD_BINARY,
        {absl::StrCat("--flagfile=", flagfile), absl::StrCat("--listen=", addr),
         absl::StrCat("--data_dir=", dir_.Sub("data")),
         absl::StrCat("--tokens_file=", dir_.Sub("tokens")),
         absl::StrCat("--signing_key=", key),
         // The files' metrics port is fixed; tests may run side by side.
         "--metrics_listen=127.0.0.1:0"},
        dir_.Sub("gaveld.log"));
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (Run(GAVEL_BINARY, {absl::StrCat("--addr=", addr), "health"}) != 0) {
      ASSERT_LT(absl::Now(), deadline) << ReadFile(dir_.Sub("gaveld.log"));
      absl::SleepFor(absl::Milliseconds(100));
    }
    EXPECT_THAT(ReadFile(log_), HasSubstr("SERVING"));
    // Not development mode: a call without the token is refused.
    EXPECT_EQ(
        Run(GAVEL_BINARY, {absl::StrCat("--addr=", addr), "admin", "status"}),
        1);
    EXPECT_THAT(ReadFile(log_), HasSubstr("UNAUTHENTICATED"));
    EXPECT_EQ(
        Run(GAVEL_BINARY, {absl::StrCat("--addr=", addr),
                           "--token=deploy-test-token", "admin", "status"}),
        0)
        << ReadFile(log_);
    EXPECT_THAT(ReadFile(log_), HasSubstr("principal    ops"));
    kill(server, SIGTERM);
    EXPECT_EQ(WaitExit(server), 0) << ReadFile(dir_.Sub("gaveld.log"));
    // The JSON log format the sample asks for.
    EXPECT_THAT(ReadFile(dir_.Sub("gaveld.log")), HasSubstr("{\""));
  }

  int Run(const std::string& binary, std::vector<std::string> args) {
    std::remove(log_.c_str());
    return WaitExit(Spawn(binary, std::move(args), log_));
  }

  gavel::test::TempDir dir_;
  const std::string log_ = dir_.Sub("run.log");
};

TEST_F(DeployTest, SampleFlagsFileStartsAnAuthenticatedServer) {
  ServeWith(absl::StrCat(GAVEL_DEPLOY_DIR, "/gaveld.flags"));
}

TEST_F(DeployTest, ManifestsParseAndAgreeAndTheirFlagsStartAServer) {
  if (!Executable(kPython)) GTEST_SKIP() << "no " << kPython;
  const std::string flags = dir_.Sub("k8s.flags");
  const int code =
      Run(kPython, {GAVEL_CHECK_MANIFESTS, GAVEL_DEPLOY_DIR, flags});
  if (code == kSkip) GTEST_SKIP() << ReadFile(log_);
  ASSERT_EQ(code, 0) << ReadFile(log_);
  ServeWith(flags);
}

TEST_F(DeployTest, ManifestCheckCatchesADisagreement) {
  if (!Executable(kPython)) GTEST_SKIP() << "no " << kPython;
  // A copy of deploy/ whose StatefulSet asks for two writers.
  const std::string copy = dir_.Sub("deploy");
  ASSERT_EQ(Run("/bin/cp", {"-r", GAVEL_DEPLOY_DIR, copy}), 0);
  const std::string sts = copy + "/kubernetes/statefulset.yaml";
  const std::string text = std::regex_replace(
      ReadFile(sts), std::regex("replicas: 1"), "replicas: 2");
  std::ofstream(sts) << text;
  const int code = Run(kPython, {GAVEL_CHECK_MANIFESTS, copy});
  if (code == kSkip) GTEST_SKIP() << ReadFile(log_);
  EXPECT_EQ(code, 1);
  EXPECT_THAT(ReadFile(log_), HasSubstr("one replica"));
}

TEST_F(DeployTest, SystemdUnitVerifiesWithoutWarnings) {
  if (!Executable(kSystemdAnalyze)) GTEST_SKIP() << "no " << kSystemdAnalyze;
  // The unit as installed, but running the binary just built.
  const std::string unit = dir_.Sub("gaveld.service");
  std::ofstream(unit) << std::regex_replace(
      ReadFile(absl::StrCat(GAVEL_DEPLOY_DIR, "/systemd/gaveld.service")),
      std::regex("/usr/local/bin/gaveld"), GAVELD_BINARY);
  EXPECT_EQ(Run(kSystemdAnalyze, {"verify", unit}), 0) << ReadFile(log_);
  EXPECT_EQ(ReadFile(log_), "");
  EXPECT_THAT(ReadFile(unit), HasSubstr("ProtectSystem=strict"));
  EXPECT_THAT(ReadFile(unit), HasSubstr("NoNewPrivileges=yes"));
}

}  // namespace
}  // namespace gavel
