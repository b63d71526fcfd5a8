// docs/getting-started.md stays true: every shell block of its guided walk
// runs, in order, with bash -e against a real gaveld loaded with the demo
// portfolio (as ./deploy/quickstart.sh leaves it), through the gavel
// binary.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/gavel_cli_fixture.h"

namespace gavel::cli {
namespace {

using ::gavel::test::ReadFile;
using ::gavel::test::Spawn;
using ::gavel::test::WaitExit;
using ::testing::HasSubstr;

// The ```sh blocks of `markdown` after the line starting with `heading`.
std::string ShellBlocksAfter(const std::string& markdown,
                             const std::string& heading) {
  std::istringstream in(markdown);
  std::string script;
  bool after = false, inside = false;
  for (std::string line; std::getline(in, line);) {
    if (absl::StartsWith(line, heading)) after = true;
    if (!after) continue;
    if (!inside && line == "```sh") {
      inside = true;
    } else if (inside && line == "```") {
      inside = false;
    } else if (inside) {
      absl::StrAppend(&script, line, "\n");
    }
  }
  return script;
}

using GettingStartedTest = ::gavel::test::GavelCliTest;

TEST_F(GettingStartedTest, GuidedWalkRunsAgainstTheDemo) {
  ASSERT_EQ(Cli({"demo", "load"}), 0) << Output();

  const std::string walk =
      ShellBlocksAfter(ReadFile(GAVEL_GETTING_STARTED), "## A guided walk");
  ASSERT_THAT(walk, HasSubstr("gavel gate decide"));
  const std::string script = dir_.Sub("walk.sh");
  std::ofstream(script) << "set -euo pipefail\ncd " << dir_.path() << "\n"
                        << walk;
  const std::string bin =
      std::filesystem::path(GAVEL_BINARY).parent_path().string();
  setenv("PATH", absl::StrCat(bin, ":", getenv("PATH")).c_str(), 1);
  setenv("GAVEL_ADDR", Addr().c_str(), 1);
  setenv("GAVEL_DATA_DIR", DataDir().c_str(), 1);
  const std::string log = dir_.Sub("walk.log");
  EXPECT_EQ(WaitExit(Spawn("/bin/bash", {script}, log)), 0) << ReadFile(log);
  const std::string output = ReadFile(log);
  EXPECT_THAT(output, HasSubstr("InitiativeSubmitted"));
  EXPECT_THAT(output, HasSubstr("ScorecardLocked"));
  EXPECT_THAT(output, HasSubstr("ALREADY_VOTED"));
  EXPECT_THAT(output, HasSubstr("GateDecided"));
  EXPECT_THAT(output, HasSubstr("invoice-ai"));
  EXPECT_THAT(output, HasSubstr("invoice-ai/1: go at G0 by board delivery"));
  EXPECT_THAT(output, HasSubstr("what the board knew"));
  EXPECT_THAT(output, HasSubstr("TREND PER CYCLE"));
  EXPECT_THAT(output, HasSubstr("records re-hashed to both roots"));
  EXPECT_THAT(output, HasSubstr("evidence: every record above is included"));
}

}  // namespace
}  // namespace gavel::cli
