// docs/examples/python/subscriber.py, with Debian's python3-grpcio, against
// a real gaveld: it prints the events as JSON, saves its position, and a
// second run resumes after it without repeating an event.
#include <signal.h>
#include <stdlib.h>

#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gavel/v1/strategy_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/testing/child_process.h"
#include "tests/testing/temp_dir.h"

namespace gavel::examples {
namespace {

using ::gavel::test::FreePort;
using ::gavel::test::ReadFile;
using ::gavel::test::Spawn;
using ::gavel::test::WaitExit;
using ::testing::ElementsAre;

class PythonSubscriberTest : public ::testing::Test {
 protected:
  PythonSubscriberTest() {
    // Development mode (no tokens file): every caller is local-admin.
    server_ = Spawn(GAVELD_BINARY,
                    {absl::StrCat("--listen=", Addr()),
                     absl::StrCat("--data_dir=", dir_.Sub("data"))},
                    dir_.Sub("gaveld.log"));
    channel_ = grpc::CreateChannel(Addr(), grpc::InsecureChannelCredentials());
    strategy_ = gavel::v1::StrategyService::NewStub(channel_);
    setenv("PYTHONPATH", PYTHON_STUBS_DIR, 1);
  }

  ~PythonSubscriberTest() override {
    kill(server_, SIGTERM);
    WaitExit(server_);
  }

  std::string Addr() const { return absl::StrCat("127.0.0.1:", port_); }

  void DefineObjective(const std::string& id, const std::string& title) {
    gavel::v1::DefineObjectiveRequest request;
    request.mutable_options()->set_command_id(absl::StrCat("cmd-", id));
    auto* cmd = request.mutable_command();
    cmd->set_objective_id(id);
    cmd->set_title(title);
    cmd->set_horizon(gavel::v1::HORIZON_THREE_YEARS);
    cmd->set_owner("alice");
    grpc::ClientContext context;
    context.set_wait_for_ready(true);
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    gavel::v1::CommandReply reply;
    grpc::Status status = strategy_->DefineObjective(&context, request, &reply);
    ASSERT_TRUE(status.ok()) << status.error_message() << "\n"
                             << ReadFile(dir_.Sub("gaveld.log"));
  }

  // Runs the subscriber to the head of the log; its JSON lines, parsed.
  std::vector<nlohmann::json> Subscribe() {
    const std::string log = dir_.Sub(absl::StrCat("run-", ++runs_, ".log"));
    const int exit_code = WaitExit(
        Spawn(PYTHON_BINARY,
              {SUBSCRIBER_SCRIPT, absl::StrCat("--addr=", Addr()),
               absl::StrCat("--position-file=", dir_.Sub("consumer.pos")),
               "--until-caught-up"},
              log));
    const std::string output = ReadFile(log);
    EXPECT_EQ(exit_code, 0) << output;
    std::vector<nlohmann::json> events;
    std::istringstream lines(output);
    for (std::string line; std::getline(lines, line);) {
      if (line.empty() || line[0] != '{') continue;
      events.push_back(nlohmann::json::parse(line));
    }
    return events;
  }

  static std::vector<uint64_t> Positions(
      const std::vector<nlohmann::json>& events) {
    std::vector<uint64_t> out;
    for (const nlohmann::json& e : events) {
      out.push_back(e["position"].get<uint64_t>());
    }
    return out;
  }

  test::TempDir dir_;
  int port_ = FreePort();
  pid_t server_ = 0;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<gavel::v1::StrategyService::Stub> strategy_;
  int runs_ = 0;
};

TEST_F(PythonSubscriberTest, PrintsEventsAsJsonAndResumesWithoutRepeats) {
  DefineObjective("O-1", "Grow recurring revenue");
  DefineObjective("O-2", "Cut cycle time");
  DefineObjective("O-3", "Retire the mainframe");

  std::vector<nlohmann::json> first = Subscribe();
  EXPECT_THAT(Positions(first), ElementsAre(1, 2, 3));
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0]["stream_id"], "objective-O-1");
  EXPECT_EQ(first[0]["event_type"], "ObjectiveDefined");
  EXPECT_EQ(first[0]["record"]["actor"], "local-admin");
  EXPECT_EQ(first[0]["event"]["defined"]["title"], "Grow recurring revenue");
  EXPECT_EQ(ReadFile(dir_.Sub("consumer.pos")), "3\n");

  DefineObjective("O-4", "Open the Lisbon office");
  DefineObjective("O-5", "Halve supplier count");
  std::vector<nlohmann::json> second = Subscribe();
  EXPECT_THAT(Positions(second), ElementsAre(4, 5));
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[1]["event"]["defined"]["title"], "Halve supplier count");

  // Nothing new: nothing printed.
  EXPECT_TRUE(Subscribe().empty());
  EXPECT_EQ(ReadFile(dir_.Sub("consumer.pos")), "5\n");
}

}  // namespace
}  // namespace gavel::examples
