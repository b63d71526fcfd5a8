// gaveld as a child process on a fixed loopback port (kept across
// restarts, so clients reconnect by themselves), and what tests read back
// from it. The including target defines GAVELD_BINARY. For tests only.
#ifndef GAVEL_TESTS_TESTING_GAVELD_CHILD_H_
#define GAVEL_TESTS_TESTING_GAVELD_CHILD_H_

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gavel/v1/admin_service.grpc.pb.h"
#include "gavel/v1/errors.pb.h"
#include "gavel/v1/event_stream_service.grpc.pb.h"
#include "gavel/v1/strategy_service.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/support/channel_arguments.h"
#include "gtest/gtest.h"
#include "tests/testing/child_process.h"

namespace gavel::test {

inline std::chrono::system_clock::time_point In(absl::Duration d) {
  return absl::ToChronoTime(absl::Now() + d);
}

// A DefineObjective request for objective-<id> with command id `id`.
inline gavel::v1::DefineObjectiveRequest ObjectiveRequest(
    const std::string& id) {
  gavel::v1::DefineObjectiveRequest request;
  request.mutable_options()->set_command_id(id);
  request.mutable_command()->set_objective_id(absl::StrCat("objective-", id));
  request.mutable_command()->set_title("Grow recurring revenue");
  request.mutable_command()->set_horizon(gavel::v1::HORIZON_THREE_YEARS);
  request.mutable_command()->set_owner("alice");
  return request;
}

// A channel to `address` that retries a refused connection within 100 ms
// (gRPC's default backoff grows to seconds while a server restarts).
inline std::shared_ptr<grpc::Channel> FastReconnectChannel(
    const std::string& address) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 50);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 50);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 100);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(),
                                   args);
}

// Thread-compatible.
class GaveldChild {
 public:
  // `args` are gaveld flags besides --listen (and its output goes to
  // `log_file`).
  GaveldChild(std::vector<std::string> args, std::string log_file)
      : args_(std::move(args)),
        log_file_(std::move(log_file)),
        port_(FreePort()),
        address_(absl::StrCat("127.0.0.1:", port_)),
        channel_(FastReconnectChannel(address_)) {}
  GaveldChild(const GaveldChild&) = delete;
  GaveldChild& operator=(const GaveldChild&) = delete;
  ~GaveldChild() {
    if (pid_ != 0) Kill();
  }

  // Starts gaveld; true once it answers AdminService.Ping, false if it
  // exits first (its exit code in exit_code()) or does not serve in 60 s.
  bool Start() {
    std::vector<std::string> args = args_;
    args.push_back(absl::StrCat("--listen=", address_));
    pid_ = Spawn(GAVELD_BINARY, args, log_file_);
    auto admin = gavel::v1::AdminService::NewStub(channel_);
    const absl::Time deadline = absl::Now() + absl::Seconds(60);
    while (absl::Now() < deadline) {
      if (Exited()) return false;
      grpc::ClientContext context;
      context.set_deadline(In(absl::Milliseconds(500)));
      gavel::v1::PingReply reply;
      // Any answer but "not there" means it serves (without a token, a
      // server with a tokens file answers UNAUTHENTICATED).
      const grpc::StatusCode code =
          admin->Ping(&context, {}, &reply).error_code();
      if (code != grpc::StatusCode::UNAVAILABLE &&
          code != grpc::StatusCode::DEADLINE_EXCEEDED) {
        return true;
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
    return false;
  }

  // True (and the exit code kept) if the process has ended.
  bool Exited() {
    if (pid_ == 0) return true;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) != pid_) return false;
    exit_code_ =
        WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    pid_ = 0;
    return true;
  }

  // Waits up to `timeout` for the process to end by itself.
  bool WaitForExit(absl::Duration timeout) {
    const absl::Time deadline = absl::Now() + timeout;
    while (absl::Now() < deadline) {
      if (Exited()) return true;
      absl::SleepFor(absl::Milliseconds(20));
    }
    return false;
  }

  void Kill() {
    kill(pid_, SIGKILL);
    exit_code_ = WaitExit(pid_);
    pid_ = 0;
  }

  // SIGTERM: a graceful stop. Our idle connection is dropped first (the
  // channel is replaced): gaveld's graceful stop otherwise waits its full
  // grace period (10 s) while a client holds an idle connection open.
  void Stop() {
    channel_ = FastReconnectChannel(address_);
    kill(pid_, SIGTERM);
    exit_code_ = WaitExit(pid_);
    pid_ = 0;
  }

  pid_t pid() const { return pid_; }
  int exit_code() const { return exit_code_; }
  const std::string& address() const { return address_; }
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  std::string Log() const { return ReadFile(log_file_); }

 private:
  const std::vector<std::string> args_;
  const std::string log_file_;
  const int port_;
  const std::string address_;
  std::shared_ptr<grpc::Channel> channel_;
  pid_t pid_ = 0;
  int exit_code_ = -1;
};

// The machine-readable reason (ErrorInfo) of a failed call; "" if none.
inline std::string ErrorReasonOf(const grpc::Status& status) {
  gavel::v1::ErrorStatus details;
  if (!details.ParseFromString(status.error_details())) return "";
  for (const google::protobuf::Any& any : details.details()) {
    gavel::v1::ErrorInfo info;
    if (any.type_url() == "type.googleapis.com/google.rpc.ErrorInfo" &&
        info.ParseFromString(any.value())) {
      return info.reason();
    }
  }
  return "";
}

// The log's head (AdminService.GetStatus; 0 if the call fails).
inline uint64_t HeadOf(const std::shared_ptr<grpc::Channel>& channel) {
  auto admin = gavel::v1::AdminService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(In(absl::Seconds(10)));
  gavel::v1::GetStatusReply status;
  EXPECT_TRUE(admin->GetStatus(&context, {}, &status).ok());
  return status.head_position();
}

// The positions of every record in the log, by command id.
inline std::map<std::string, std::vector<uint64_t>> PositionsByCommand(
    const std::shared_ptr<grpc::Channel>& channel) {
  auto stream = gavel::v1::EventStreamService::NewStub(channel);
  std::map<std::string, std::vector<uint64_t>> positions;
  uint64_t after = 0;
  for (;;) {
    grpc::ClientContext context;
    context.set_deadline(In(absl::Seconds(30)));
    gavel::v1::ReadAllRequest request;
    request.set_after_position(after);
    request.set_limit(1000);
    gavel::v1::ReadAllReply reply;
    grpc::Status status = stream->ReadAll(&context, request, &reply);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok()) break;
    for (const gavel::v1::EventRecord& record : reply.events().records()) {
      positions[record.command_id()].push_back(record.position());
    }
    if (reply.position() == after) break;
    after = reply.position();
  }
  return positions;
}

}  // namespace gavel::test

#endif  // GAVEL_TESTS_TESTING_GAVELD_CHILD_H_
