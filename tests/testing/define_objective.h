// Commits one DefineObjective (one event) on a running server, for tests
// that need records in a log. For tests only.
#ifndef GAVEL_TESTS_TESTING_DEFINE_OBJECTIVE_H_
#define GAVEL_TESTS_TESTING_DEFINE_OBJECTIVE_H_

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gavel/v1/strategy_service.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"

namespace gavel::test {

// Defines objective "objective-<n>" with command id "cmd-<n>" on the
// server at `address` (insecure channel, no token: a dev-mode server).
// Fails the test if the command is not accepted.
inline void DefineObjective(const std::string& address, int n) {
  auto stub = gavel::v1::StrategyService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  gavel::v1::DefineObjectiveRequest request;
  request.mutable_options()->set_command_id(absl::StrCat("cmd-", n));
  auto* cmd = request.mutable_command();
  cmd->set_objective_id(absl::StrCat("objective-", n));
  cmd->set_title("Grow recurring revenue");
  cmd->set_horizon(gavel::v1::HORIZON_THREE_YEARS);
  cmd->set_owner("alice");
  grpc::ClientContext context;
  gavel::v1::CommandReply reply;
  grpc::Status status = stub->DefineObjective(&context, request, &reply);
  ASSERT_TRUE(status.ok()) << status.error_message();
}

}  // namespace gavel::test

#endif  // GAVEL_TESTS_TESTING_DEFINE_OBJECTIVE_H_
