// gavel-loadgen's command mix and driver against a real server on an
// ephemeral port: the reference data sets up (twice, harmlessly), and a
// counted run of the mix is accepted by the domain without a rejection.
#include "tools/load_workload.h"

#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/test_server.h"
#include "tools/load_driver.h"

namespace gavel::tools {
namespace {

using ::gavel::test::TestServer;
using ::testing::Contains;
using ::testing::Key;

class LoadWorkloadTest : public ::testing::Test {
 protected:
  LoadWorkloadTest() {
    LoadDriverOptions options;
    options.address = absl::StrCat("127.0.0.1:", server_.server().port());
    options.channels = 2;
    // Tokens of tests/services/test_server.h: alice is an admin; bob,
    // carol and dave are board members.
    driver_ = std::make_unique<LoadDriver>(
        options, std::vector<LoadActor>{{"alice", "token-alice"},
                                        {"bob", "token-bob"},
                                        {"carol", "token-carol"},
                                        {"dave", "token-dave"}});
    WorkloadOptions workload;
    workload.initiatives = 20;
    workload.zipf_s = 1.0;
    workload.run_prefix = "t";
    workload.admin = "alice";
    workload.members = {"bob", "carol", "dave"};
    workload_ = std::make_unique<LoadWorkload>(workload);
  }

  void SetUp() override {
    for (const grpc::Status& status :
         driver_->Send(workload_->SetupSteps(), "setup")) {
      ASSERT_TRUE(status.ok())
          << status.error_message() << " " << ReasonOf(status);
    }
  }

  TestServer server_;
  std::unique_ptr<LoadDriver> driver_;
  std::unique_ptr<LoadWorkload> workload_;
};

TEST_F(LoadWorkloadTest, SetupSentAgainIsDeduplicated) {
  for (const grpc::Status& status :
       driver_->Send(workload_->SetupSteps(), "setup")) {
    EXPECT_TRUE(status.ok()) << status.error_message();
  }
}

TEST_F(LoadWorkloadTest, TheMixIsAcceptedThroughEveryGate) {
  LoadRunOptions run;
  run.concurrency = 4;
  run.count = 700;
  run.seed = 7;
  const LoadRunResult result = driver_->Run(run, *workload_, "mix");
  EXPECT_EQ(result.calls, 700);
  EXPECT_EQ(result.accepted, 700);
  EXPECT_THAT(result.rejected, ::testing::IsEmpty());
  EXPECT_THAT(result.errors, ::testing::IsEmpty());
  EXPECT_EQ(result.latencies.size(), 700u);
  for (const char* command :
       {"submit_initiative", "link_objective", "register_benefit",
        "assign_scorers", "score_criterion", "lock_scorecard",
        "request_gate_review", "cast_gate_vote", "record_gate_decision",
        "report_cost", "assess_bau_impact", "measure_benefit"}) {
    EXPECT_THAT(result.accepted_by_command, Contains(Key(command)));
  }
  absl::StatusOr<gavel::v1::GetStatusReply> status = driver_->Status();
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_GE(status->writer().commands_accepted(), 700u);
  EXPECT_GT(status->writer().append_micros(), 0u);
}

TEST_F(LoadWorkloadTest, PingsAreCounted) {
  LoadRunOptions run;
  run.concurrency = 2;
  run.count = 50;
  run.ping = true;
  const LoadRunResult result = driver_->Run(run, *workload_, "ping");
  EXPECT_EQ(result.calls, 50);
  EXPECT_EQ(result.accepted, 50);
}

TEST(ZipfDistributionTest, LowRanksAreDrawnMoreOftenAndSameSeedSameDraws) {
  ZipfDistribution zipf(100, 1.0);
  std::mt19937_64 rng(42), again(42);
  std::map<int, int> counts;
  for (int i = 0; i < 20000; ++i) {
    const int rank = zipf(rng);
    ASSERT_GE(rank, 0);
    ASSERT_LT(rank, 100);
    ++counts[rank];
    EXPECT_EQ(zipf(again), rank);
  }
  EXPECT_GT(counts[0], 5 * counts[50]);
  EXPECT_GT(counts[0], counts[1]);
}

TEST(ZipfDistributionTest, ExponentZeroIsUniform) {
  ZipfDistribution zipf(4, 0.0);
  std::mt19937_64 rng(1);
  std::map<int, int> counts;
  for (int i = 0; i < 40000; ++i) ++counts[zipf(rng)];
  for (int rank = 0; rank < 4; ++rank) {
    EXPECT_NEAR(counts[rank], 10000, 600) << rank;
  }
}

}  // namespace
}  // namespace gavel::tools
