// gavel: the command-line client of a Gavel server.
//
//   gavel [--addr=HOST:PORT] [--token=TOKEN] [--json] GROUP COMMAND
//
//   gavel health          the server's grpc.health.v1 status
//   gavel admin ping      one no-op call through the whole server path
//   gavel admin status    head position, uptime, writer statistics
//
// The address and token also come from GAVEL_ADDR and GAVEL_TOKEN. Errors
// print the reason code and a hint, and exit non-zero.
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gavel/v1/admin_service.grpc.pb.h"
#include "gavel/v1/errors.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"

ABSL_FLAG(std::string, addr, "",
          "server address (default $GAVEL_ADDR, else 127.0.0.1:50051)");
ABSL_FLAG(std::string, token, "", "bearer token (default $GAVEL_TOKEN)");
ABSL_FLAG(bool, json, false, "print JSON instead of tables");
ABSL_FLAG(double, timeout_s, 10, "deadline of each call, in seconds");

namespace gavel::cli {
namespace {

constexpr char kUsage[] =
    "usage: gavel [--addr=HOST:PORT] [--token=TOKEN] [--json] GROUP COMMAND\n"
    "\n"
    "  health          the server's grpc.health.v1 status\n"
    "  admin ping      one no-op call through the whole server path\n"
    "  admin status    head position, uptime and writer statistics\n"
    "\n"
    "The address and token also come from GAVEL_ADDR and GAVEL_TOKEN.\n";

std::string FromEnv(const char* name, std::string fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

std::string Address() {
  std::string addr = absl::GetFlag(FLAGS_addr);
  return addr.empty() ? FromEnv("GAVEL_ADDR", "127.0.0.1:50051") : addr;
}

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::milliseconds(static_cast<int64_t>(
                            absl::GetFlag(FLAGS_timeout_s) * 1000)));
  std::string token = absl::GetFlag(FLAGS_token);
  if (token.empty()) token = FromEnv("GAVEL_TOKEN", "");
  if (!token.empty()) {
    context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  }
  return context;
}

std::shared_ptr<grpc::Channel> Channel() {
  return grpc::CreateChannel(Address(), grpc::InsecureChannelCredentials());
}

// Prints a failed call as "error: CODE REASON: message" plus a hint, and
// returns the exit code.
int Fail(const grpc::Status& status) {
  std::string reason;
  gavel::v1::ErrorStatus details;
  if (details.ParseFromString(status.error_details())) {
    for (const google::protobuf::Any& any : details.details()) {
      gavel::v1::ErrorInfo info;
      if (any.type_url() == "type.googleapis.com/google.rpc.ErrorInfo" &&
          info.ParseFromString(any.value())) {
        reason = info.reason();
      }
    }
  }
  std::fprintf(stderr, "error: %d%s%s: %s\n", status.error_code(),
               reason.empty() ? "" : " ", reason.c_str(),
               status.error_message().c_str());
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      std::fprintf(stderr,
                   "hint: is gaveld running at %s? (--addr or "
                   "GAVEL_ADDR)\n",
                   Address().c_str());
      break;
    case grpc::StatusCode::UNAUTHENTICATED:
      std::fprintf(stderr, "hint: pass a valid --token or set GAVEL_TOKEN\n");
      break;
    case grpc::StatusCode::PERMISSION_DENIED:
      std::fprintf(stderr, "hint: your principal lacks the role this needs\n");
      break;
    default:
      if (!reason.empty()) {
        std::fprintf(stderr, "hint: see docs/rejection-reasons.md#%s\n",
                     reason.c_str());
      }
  }
  return 1;
}

void PrintJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  std::printf("%s\n", json.c_str());
}

int Health(const std::vector<std::string>&) {
  // grpc.health.v1.Health/Check with an empty HealthCheckRequest (all
  // services); the reply's field 1 is the ServingStatus (1 = SERVING).
  grpc::GenericStub stub(Channel());
  grpc::Slice empty(static_cast<const void*>(""), 0);
  grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer response;
  std::unique_ptr<grpc::ClientContext> context = Context();
  grpc::Status status;
  bool done = false;
  std::mutex mu;
  std::condition_variable cv;
  stub.UnaryCall(context.get(), "/grpc.health.v1.Health/Check",
                 grpc::StubOptions(), &request, &response, [&](grpc::Status s) {
                   std::lock_guard<std::mutex> lock(mu);
                   status = std::move(s);
                   done = true;
                   cv.notify_one();
                 });
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return done; });
  }
  if (!status.ok()) return Fail(status);
  std::vector<grpc::Slice> slices;
  (void)response.Dump(&slices);
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  const bool serving = bytes.size() >= 2 && bytes[0] == 0x08 && bytes[1] == 1;
  if (absl::GetFlag(FLAGS_json)) {
    std::printf("{\"status\":\"%s\"}\n", serving ? "SERVING" : "NOT_SERVING");
  } else {
    std::printf("%s\n", serving ? "SERVING" : "NOT_SERVING");
  }
  return serving ? 0 : 1;
}

int AdminPing(const std::vector<std::string>&) {
  auto stub = gavel::v1::AdminService::NewStub(Channel());
  gavel::v1::PingReply reply;
  grpc::Status status = stub->Ping(Context().get(), {}, &reply);
  if (!status.ok()) return Fail(status);
  if (absl::GetFlag(FLAGS_json)) {
    std::printf("{}\n");
  } else {
    std::printf("pong\n");
  }
  return 0;
}

int AdminStatus(const std::vector<std::string>&) {
  auto stub = gavel::v1::AdminService::NewStub(Channel());
  gavel::v1::GetStatusReply reply;
  grpc::Status status = stub->GetStatus(Context().get(), {}, &reply);
  if (!status.ok()) return Fail(status);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(reply);
    return 0;
  }
  const gavel::v1::WriterStats& writer = reply.writer();
  std::printf("server       gaveld %s at %s\n", reply.version().c_str(),
              Address().c_str());
  std::printf("principal    %s%s\n", reply.principal().c_str(),
              reply.dev_mode() ? " (development mode: no authentication)" : "");
  std::printf("uptime       %llds\n",
              static_cast<long long>(reply.uptime().seconds()));
  std::printf("head         %llu\n",
              static_cast<unsigned long long>(reply.head_position()));
  std::printf("commands     %llu accepted, %llu rejected, %llu retried\n",
              static_cast<unsigned long long>(writer.commands_accepted()),
              static_cast<unsigned long long>(writer.commands_rejected()),
              static_cast<unsigned long long>(writer.commands_deduplicated()));
  std::printf(
      "writes       %llu synced appends of %llu events (largest "
      "batch %llu commands)\n",
      static_cast<unsigned long long>(writer.appends()),
      static_cast<unsigned long long>(writer.events_appended()),
      static_cast<unsigned long long>(writer.largest_batch()));
  std::vector<std::string> buckets;
  for (const gavel::v1::BatchSizeBucket& bucket : writer.batch_sizes()) {
    if (bucket.batches() == 0) continue;
    buckets.push_back(absl::StrCat(
        bucket.max_commands() == 0 ? "more"
                                   : absl::StrCat("<=", bucket.max_commands()),
        ":", bucket.batches()));
  }
  std::printf("batch sizes  %s\n",
              buckets.empty() ? "-" : absl::StrJoin(buckets, " ").c_str());
  return 0;
}

using Command = int (*)(const std::vector<std::string>&);

int Run(const std::vector<std::string>& args) {
  static const std::map<std::string, Command> kCommands = {
      {"health", Health},
      {"admin ping", AdminPing},
      {"admin status", AdminStatus},
  };
  for (size_t n = std::min<size_t>(2, args.size()); n > 0; --n) {
    const std::string name = absl::StrJoin(args.begin(), args.begin() + n, " ");
    if (auto it = kCommands.find(name); it != kCommands.end()) {
      return it->second(std::vector<std::string>(args.begin() + n, args.end()));
    }
  }
  std::fprintf(stderr, "%s", kUsage);
  if (args.empty() || args[0] == "help") return args.empty() ? 2 : 0;
  std::fprintf(stderr, "\nerror: unknown command \"%s\"\n",
               absl::StrJoin(args, " ").c_str());
  return 2;
}

}  // namespace
}  // namespace gavel::cli

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(gavel::cli::kUsage);
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  std::vector<std::string> args(positional.begin() + 1, positional.end());
  return gavel::cli::Run(args);
}
