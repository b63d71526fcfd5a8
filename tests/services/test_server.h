// A real Gavel server on an ephemeral loopback port with its data in a temp
// folder, and authenticated gRPC stubs to it. For tests only.
#ifndef GAVEL_TESTS_SERVICES_TEST_SERVER_H_
#define GAVEL_TESTS_SERVICES_TEST_SERVER_H_

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gavel/v1/admin_service.grpc.pb.h"
#include "gavel/v1/errors.pb.h"
#include "gavel/v1/governance_service.grpc.pb.h"
#include "gavel/v1/initiative_service.grpc.pb.h"
#include "gavel/v1/strategy_service.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "services/server.h"
#include "tests/testing/temp_dir.h"
#include "transparency/rfc9162.h"

namespace gavel::test {

// Principals of the test tokens file: token "token-<name>".
//   alice admin; bob, carol, dave board members; sam submitter;
//   ann analyst; eve auditor; olga admin whose token expired in 2020;
//   fred admin whose token expires in 2999.
inline std::string TestTokensFile() {
  std::string contents;
  for (const auto& [name, roles] :
       std::initializer_list<std::pair<const char*, const char*>>{
           {"alice", "admin"},
           {"bob", "board_member"},
           {"carol", "board_member"},
           {"dave", "board_member"},
           {"sam", "submitter"},
           {"ann", "analyst,submitter"},
           {"eve", "auditor"},
           {"olga", "admin expires=2020-01-01T00:00:00Z"},
           {"fred", "admin expires=2999-12-31T23:59:59Z"}}) {
    const std::string token = absl::StrCat("token-", name);
    absl::StrAppend(&contents, rfc9162::ToHex(rfc9162::Sha256({token})), " ",
                    name, " ", roles, "\n");
  }
  return contents;
}

class TestServer {
 public:
  // Starts a server in `dir` (a fresh temp dir when empty) with the test
  // tokens, or in development mode when `dev_mode`.
  explicit TestServer(std::string dir = "", bool dev_mode = false)
      : dir_(dir.empty() ? owned_dir_.Sub("data") : dir) {
    options_.listen = "127.0.0.1:0";
    options_.data_dir = dir_;
    if (!dev_mode) {
      const std::string tokens = owned_dir_.Sub("tokens");
      FILE* f = std::fopen(tokens.c_str(), "w");
      const std::string contents = TestTokensFile();
      std::fwrite(contents.data(), 1, contents.size(), f);
      std::fclose(f);
      options_.tokens_file = tokens;
    }
    Start();
  }

  void Start() {
    absl::StatusOr<std::unique_ptr<services::GavelServer>> server =
        services::GavelServer::Start(options_);
    if (!server.ok()) {
      std::fprintf(stderr, "server: %s\n", server.status().ToString().c_str());
      std::abort();
    }
    server_ = *std::move(server);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                   grpc::InsecureChannelCredentials());
    strategy_ = gavel::v1::StrategyService::NewStub(channel_);
    governance_ = gavel::v1::GovernanceService::NewStub(channel_);
    initiative_ = gavel::v1::InitiativeService::NewStub(channel_);
    admin_ = gavel::v1::AdminService::NewStub(channel_);
  }

  // Stops the server (as a restart would) and starts it again on the same
  // data directory.
  void Restart() {
    Stop();
    Start();
  }

  // Stops the server and drops the stubs; Start() starts it again.
  void Stop() {
    strategy_.reset();
    governance_.reset();
    initiative_.reset();
    admin_.reset();
    channel_.reset();
    server_.reset();
  }

  // The options Start() uses: change them between Stop() and Start().
  services::ServerOptions& options() { return options_; }

  services::GavelServer& server() { return *server_; }
  const std::string& data_dir() const { return dir_; }
  std::shared_ptr<grpc::Channel> channel() { return channel_; }
  gavel::v1::StrategyService::Stub& strategy() { return *strategy_; }
  gavel::v1::GovernanceService::Stub& governance() { return *governance_; }
  gavel::v1::InitiativeService::Stub& initiative() { return *initiative_; }
  gavel::v1::AdminService::Stub& admin() { return *admin_; }

 private:
  TempDir owned_dir_;
  std::string dir_;
  services::ServerOptions options_;
  std::unique_ptr<services::GavelServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<gavel::v1::StrategyService::Stub> strategy_;
  std::unique_ptr<gavel::v1::GovernanceService::Stub> governance_;
  std::unique_ptr<gavel::v1::InitiativeService::Stub> initiative_;
  std::unique_ptr<gavel::v1::AdminService::Stub> admin_;
};

// A client context carrying `principal`'s test token (none when empty).
inline std::unique_ptr<grpc::ClientContext> As(absl::string_view principal) {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!principal.empty()) {
    context->AddMetadata("authorization",
                         absl::StrCat("Bearer token-", principal));
  }
  return context;
}

// The machine-readable reason in a failed call's error details.
inline std::string ReasonOf(const grpc::Status& status) {
  gavel::v1::ErrorStatus details;
  if (!details.ParseFromString(status.error_details())) return "";
  for (const google::protobuf::Any& any : details.details()) {
    if (any.type_url() == "type.googleapis.com/google.rpc.ErrorInfo") {
      gavel::v1::ErrorInfo info;
      if (info.ParseFromString(any.value())) return info.reason();
    }
  }
  return "";
}

// The field named by a failed call's ErrorInfo ("" if none).
inline std::string FieldOf(const grpc::Status& status) {
  gavel::v1::ErrorStatus details;
  if (!details.ParseFromString(status.error_details())) return "";
  for (const google::protobuf::Any& any : details.details()) {
    if (any.type_url() == "type.googleapis.com/google.rpc.ErrorInfo") {
      gavel::v1::ErrorInfo info;
      if (info.ParseFromString(any.value())) {
        auto it = info.metadata().find("field");
        return it == info.metadata().end() ? "" : it->second;
      }
    }
  }
  return "";
}

}  // namespace gavel::test

#endif  // GAVEL_TESTS_SERVICES_TEST_SERVER_H_
