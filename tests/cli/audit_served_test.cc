// The projection store is outside the Merkle tree: an insider who edits it
// could make the server serve decisions the log never recorded. Two lines
// of defence, each shown here against a real gaveld with the demo loaded:
// the server refuses an edited checkpoint at start (its seal fails) and
// rebuilds from the log; and `gavel audit verify` compares the decisions
// the server serves with those it replays from the verified records, which
// catches even an insider who holds the signing key and re-seals the edit.
#include <signal.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "projections/snapshot_seal.h"
#include "storage/event_log.h"
#include "storage/key_format.h"
#include "storage/kv_store.h"
#include "tests/testing/child_process.h"
#include "tests/testing/temp_dir.h"
#include "transparency/signed_note.h"

namespace gavel::cli {
namespace {

using ::gavel::test::FreePort;
using ::gavel::test::ReadFile;
using ::gavel::test::Spawn;
using ::gavel::test::WaitExit;
using ::testing::HasSubstr;

constexpr char kDecisions[] = "decisions";
constexpr char kRationale[] = "the case is clear and aligned";

class AuditServedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Start();
    ASSERT_EQ(Cli({"demo", "load"}), 0) << Output();
    Stop();
  }
  void TearDown() override {
    if (server_ != 0) Stop();
  }

  void Start() {
    server_ = Spawn(GAVELD_BINARY,
                    {absl::StrCat("--listen=", Addr()),
                     absl::StrCat("--data_dir=", Data())},
                    dir_.Sub("gaveld.log"));
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (Cli({"health"}) != 0) {
      ASSERT_LT(absl::Now(), deadline) << ReadFile(dir_.Sub("gaveld.log"));
      absl::SleepFor(absl::Milliseconds(100));
    }
  }
  void Stop() {
    kill(server_, SIGTERM);
    EXPECT_EQ(WaitExit(server_), 0);
    server_ = 0;
  }

  std::string Addr() const { return absl::StrCat("127.0.0.1:", port_); }
  std::string Data() const { return dir_.Sub("data"); }
  int Cli(std::vector<std::string> args) {
    args.insert(args.begin(), absl::StrCat("--addr=", Addr()));
    return WaitExit(Spawn(GAVEL_BINARY, std::move(args), dir_.Sub("cli.log")));
  }
  std::string Output() const { return ReadFile(dir_.Sub("cli.log")); }
  int Verify() {
    return Cli({"audit", "verify", "--trust_on_first_use",
                absl::StrCat("--state=", dir_.Sub("trusted")),
                absl::StrCat("--key=", Data(), "/signing_key.pub")});
  }

  // Changes one letter of a decision's rationale in the stored checkpoint
  // of the decision history; with `reseal`, also seals the edited bytes
  // with the server's own key, as an insider holding it could.
  void EditStoredDecision(bool reseal) {
    const std::string key = absl::StrCat("c/", kDecisions);
    std::string value;
    {
      std::unique_ptr<storage::KvStore> kv =
          *storage::KvStore::Open(Data() + "/projections");
      value = **kv->Get(key);
      const size_t at = value.find(kRationale);
      ASSERT_NE(at, std::string::npos);
      value[at + sizeof(kRationale) - 2] = 't';  // "aligned" -> "alignet"
      ASSERT_TRUE(kv->Write({storage::KvChange{key, value}}).ok());
    }
    if (!reseal) return;
    const uint64_t position = storage::DecodeFixed64BE(value);
    rfc9162::Hash root;
    {
      std::unique_ptr<storage::EventLog> log =
          *storage::EventLog::Open(Data(), {});
      root = *log->RootAt(position);
    }
    note::NoteSigner signer =
        *note::NoteSigner::FromPem("gavel", ReadFile(Data() + "/signing_key"));
    const std::string seal = *signer.SignNote(
        projections::SealText(kDecisions, position, root, value));
    std::unique_ptr<storage::KvStore> kv =
        *storage::KvStore::Open(Data() + "/projections");
    ASSERT_TRUE(
        kv->Write({storage::KvChange{absl::StrCat("s/", kDecisions), seal}})
            .ok());
  }

  test::TempDir dir_;
  const int port_ = FreePort();
  pid_t server_ = 0;
};

TEST_F(AuditServedTest, TheServerRefusesAnEditedCheckpointAndRebuilds) {
  EditStoredDecision(/*reseal=*/false);
  Start();
  EXPECT_THAT(ReadFile(dir_.Sub("gaveld.log")),
              HasSubstr("projection_checkpoint_refused"));
  EXPECT_EQ(Verify(), 0) << Output();
  EXPECT_THAT(Output(), HasSubstr("decisions served match the log"));
}

TEST_F(AuditServedTest, AuditVerifyCatchesAResealedEdit) {
  EditStoredDecision(/*reseal=*/true);
  Start();
  EXPECT_EQ(Verify(), 1) << Output();
  EXPECT_THAT(Output(), HasSubstr("does not record"));
}

}  // namespace
}  // namespace gavel::cli
