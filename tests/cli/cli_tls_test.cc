// The CLI over TLS and mutual TLS against a real gaveld serving the test
// certificates of tests/testdata/tls: --ca_cert (or GAVEL_CA_CERT) turns
// TLS on, --client_cert/--client_key authenticate by certificate, and a
// plaintext client is refused.
#include <signal.h>
#include <stdlib.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/child_process.h"
#include "tests/testing/temp_dir.h"

namespace gavel::cli {
namespace {

using ::gavel::test::FreePort;
using ::gavel::test::ReadFile;
using ::gavel::test::Spawn;
using ::gavel::test::WaitExit;
using ::testing::HasSubstr;

std::string Testdata(const std::string& name) {
  return absl::StrCat(GAVEL_TESTDATA_DIR, "/tls/", name);
}

class CliTlsTest : public ::testing::Test {
 protected:
  // Starts gaveld with TLS; `mutual`: it requires client certificates.
  void StartServer(bool mutual) {
    // sha256("tls-token") for alice; the client certificate's CN board-app.
    std::ofstream(dir_.Sub("tokens"))
        << "cfbc53fcde794caa99ba415cf615f5699ea1e43b1768a9cd3825c6f3c8e28ffc "
           "alice admin\n"
           "cert board-app board-app admin\n";
    std::vector<std::string> flags = {
        absl::StrCat("--listen=127.0.0.1:", port_),
        absl::StrCat("--data_dir=", dir_.Sub("data")),
        absl::StrCat("--tokens_file=", dir_.Sub("tokens")),
        absl::StrCat("--tls_cert=", Testdata("server.pem")),
        absl::StrCat("--tls_key=", Testdata("server.key"))};
    if (mutual)
      flags.push_back(absl::StrCat("--client_ca=", Testdata("ca.pem")));
    server_ = Spawn(GAVELD_BINARY, flags, dir_.Sub("gaveld.log"));
    std::vector<std::string> health = {
        absl::StrCat("--ca_cert=", Testdata("ca.pem")), "health"};
    if (mutual) {
      health.insert(health.begin(),
                    {absl::StrCat("--client_cert=", Testdata("client.pem")),
                     absl::StrCat("--client_key=", Testdata("client.key"))});
    }
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (Cli(health) != 0) {
      ASSERT_LT(absl::Now(), deadline)
          << ReadFile(dir_.Sub("gaveld.log")) << Output();
      absl::SleepFor(absl::Milliseconds(100));
    }
  }
  void TearDown() override {
    if (server_ == 0) return;
    kill(server_, SIGTERM);
    EXPECT_EQ(WaitExit(server_), 0);
  }
  int Cli(std::vector<std::string> args) {
    std::remove(out_.c_str());
    args.insert(args.begin(),
                {absl::StrCat("--addr=localhost:", port_), "--timeout_s=5"});
    return WaitExit(Spawn(GAVEL_BINARY, std::move(args), out_));
  }
  std::string Output() const { return ReadFile(out_); }

  gavel::test::TempDir dir_;
  const int port_ = FreePort();
  const std::string out_ = dir_.Sub("cli.out");
  pid_t server_ = 0;
};

TEST_F(CliTlsTest, ClientCertificateAuthenticatesOverMutualTls) {
  StartServer(/*mutual=*/true);
  ASSERT_EQ(Cli({absl::StrCat("--ca_cert=", Testdata("ca.pem")),
                 absl::StrCat("--client_cert=", Testdata("client.pem")),
                 absl::StrCat("--client_key=", Testdata("client.key")), "admin",
                 "status"}),
            0)
      << Output();
  EXPECT_THAT(Output(), HasSubstr("principal    board-app"));
}

TEST_F(CliTlsTest, TokenOverTlsCaFromTheEnvironmentPlaintextRefused) {
  StartServer(/*mutual=*/false);
  setenv("GAVEL_CA_CERT", Testdata("ca.pem").c_str(), 1);
  EXPECT_EQ(Cli({"health"}), 0) << Output();
  EXPECT_THAT(Output(), HasSubstr("SERVING"));
  EXPECT_EQ(Cli({"--token=tls-token", "admin", "status"}), 0) << Output();
  EXPECT_THAT(Output(), HasSubstr("principal    alice"));
  unsetenv("GAVEL_CA_CERT");
  EXPECT_EQ(Cli({"health"}), 1);
  EXPECT_THAT(Output(), HasSubstr("error: 14"));
  EXPECT_EQ(Cli({"--ca_cert=/no/such/ca.pem", "health"}), 2);
  EXPECT_THAT(Output(), HasSubstr("/no/such/ca.pem"));
}

}  // namespace
}  // namespace gavel::cli
