// Hostile input at the edge of a real gaveld (child process, tokens file):
// oversized, truncated, deeply nested and non-UTF-8 protobufs sent as raw
// bytes through a generic stub, unknown fields, huge repeated fields,
// forged, expired and revoked tokens, more Subscribe streams than the server's
// bound, and idle half-open connections. Each gets its status; the server's
// resident memory (VmRSS of the child) stays bounded and other clients
// keep being served.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gavel/v1/errors.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/channel_arguments.h"
#include "gtest/gtest.h"
#include "tests/testing/gaveld_child.h"
#include "tests/testing/temp_dir.h"
#include "transparency/rfc9162.h"

namespace gavel::reliability {
namespace {

using ::gavel::test::ErrorReasonOf;
using ::gavel::test::GaveldChild;
using ::gavel::test::In;
using ::gavel::test::ObjectiveRequest;

// A request that is not valid protobuf (truncated, nested beyond the
// parser's limit, invalid UTF-8 in a string) is refused by the command
// services' raw handlers before anything is decided: INVALID_ARGUMENT with
// reason MALFORMED_REQUEST (services/grpc_commands.h). gRPC's typed
// handlers answered UNIMPLEMENTED with no message.
constexpr grpc::StatusCode kUnparsable = grpc::StatusCode::INVALID_ARGUMENT;

constexpr char kDefineObjective[] = "/gavel.v1.StrategyService/DefineObjective";
// The server's --max_subscriptions: GAVEL_HOSTILE_STREAMS (default 300,
// quick on a shared machine; 10000 is the server's default bound).
int MaxSubscriptions() {
  const char* value = std::getenv("GAVEL_HOSTILE_STREAMS");
  return value != nullptr && std::atoi(value) > 0 ? std::atoi(value) : 300;
}

// Resident memory of `pid` in KiB (VmRSS in /proc/<pid>/status).
long RssKib(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

// A varint, as protobuf encodes one.
std::string Varint(uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
  return out;
}

// A length-delimited field.
std::string Field(int number, const std::string& bytes) {
  return Varint(static_cast<uint64_t>(number) << 3 | 2) + Varint(bytes.size()) +
         bytes;
}

class HostileInputTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    const std::string tokens = dir_->Sub("tokens");
    std::ofstream(tokens) << rfc9162::ToHex(rfc9162::Sha256({"token-alice"}))
                          << " alice admin\n"
                          << rfc9162::ToHex(rfc9162::Sha256({"token-olga"}))
                          << " olga admin expires=2020-01-01T00:00:00Z\n";
    server_ = new GaveldChild(
        {absl::StrCat("--data_dir=", dir_->Sub("data")),
         absl::StrCat("--tokens_file=", tokens),
         absl::StrCat("--max_subscriptions=", MaxSubscriptions()),
         // One principal (development mode) holds them all here.
         absl::StrCat("--max_subscriptions_per_principal=", MaxSubscriptions()),
         "--handshake_timeout_ms=1000"},
        dir_->Sub("gaveld.log"));
    ASSERT_TRUE(server_->Start()) << server_->Log();
    rss_at_start_ = RssKib(server_->pid());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }

  void TearDown() override {
    // After every attack: still serving an honest client, memory bounded.
    ASSERT_FALSE(server_->Exited()) << server_->Log();
    EXPECT_TRUE(Honest().ok());
    const long rss = RssKib(server_->pid());
    std::printf("vmrss_kib=%ld (at start %ld)\n", rss, rss_at_start_);
    EXPECT_LT(rss, rss_at_start_ + (256 << 10)) << "RSS grew by > 256 MiB";
  }

  static std::unique_ptr<grpc::ClientContext> Context(
      const std::string& token = "token-alice") {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(In(absl::Seconds(20)));
    if (!token.empty()) {
      context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
    }
    return context;
  }

  // An honest command.
  grpc::Status Honest() {
    auto stub = gavel::v1::StrategyService::NewStub(server_->channel());
    gavel::v1::CommandReply reply;
    return stub->DefineObjective(
        Context().get(),
        ObjectiveRequest(absl::StrCat(
            "honest-",
            ::testing::UnitTest::GetInstance()->current_test_info()->name())),
        &reply);
  }

  // Calls `method` with raw request `bytes`.
  grpc::Status Raw(const std::string& method, const std::string& bytes,
                   const std::string& token = "token-alice") {
    grpc::GenericStub stub(server_->channel());
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    std::unique_ptr<grpc::ClientContext> context = Context(token);
    absl::Mutex mu;
    bool done = false;
    grpc::Status status;
    stub.UnaryCall(context.get(), method, grpc::StubOptions(), &request,
                   &response, [&](grpc::Status s) {
                     absl::MutexLock lock(&mu);
                     status = std::move(s);
                     done = true;
                   });
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(&done));
    return status;
  }

  static test::TempDir* dir_;
  static GaveldChild* server_;
  static long rss_at_start_;
};

test::TempDir* HostileInputTest::dir_ = nullptr;
GaveldChild* HostileInputTest::server_ = nullptr;
long HostileInputTest::rss_at_start_ = 0;

TEST_F(HostileInputTest, MessageOverTheTransportBoundIsResourceExhausted) {
  const std::string huge(5 << 20, 'x');  // > --max_message_bytes (4 MiB)
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Raw(kDefineObjective, Field(2, Field(2, huge))).error_code(),
              grpc::StatusCode::RESOURCE_EXHAUSTED);
  }
}

TEST_F(HostileInputTest, CommandOverTheCommandBoundIsInvalidArgument) {
  gavel::v1::DefineObjectiveRequest request = ObjectiveRequest("big");
  request.mutable_command()->set_title(std::string(1 << 20, 't'));
  grpc::Status status = Raw(kDefineObjective, request.SerializeAsString());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ErrorReasonOf(status), "VALUE_OUT_OF_RANGE");
}

TEST_F(HostileInputTest, TruncatedProtobufIsRefused) {
  const std::string whole = ObjectiveRequest("cut").SerializeAsString();
  for (size_t cut : {size_t{1}, whole.size() / 2, whole.size() - 1}) {
    grpc::Status status = Raw(kDefineObjective, whole.substr(0, cut));
    std::printf("truncated_at=%zu code=%d %s\n", cut, status.error_code(),
                status.error_message().c_str());
    EXPECT_EQ(status.error_code(), kUnparsable) << cut;
    EXPECT_EQ(ErrorReasonOf(status), "MALFORMED_REQUEST") << cut;
  }
}

TEST_F(HostileInputTest,
       DeeplyNestedProtobufIsRefusedWithoutExhaustingTheStack) {
  // 100,000 nested unknown groups: the parser's recursion limit stops it.
  std::string nested;
  const std::string start = Varint(999ull << 3 | 3);
  const std::string end = Varint(999ull << 3 | 4);
  for (int i = 0; i < 100000; ++i) nested += start;
  for (int i = 0; i < 100000; ++i) nested += end;
  grpc::Status status = Raw(kDefineObjective, nested);
  std::printf("nested code=%d %s\n", status.error_code(),
              status.error_message().c_str());
  EXPECT_EQ(status.error_code(), kUnparsable);
}

TEST_F(HostileInputTest, InvalidUtf8InAStringIsRefusedAndNothingIsStored) {
  gavel::v1::DefineObjectiveRequest request = ObjectiveRequest("utf8");
  request.mutable_command()->set_title("bad \xff\xfe title");
  grpc::Status status = Raw(kDefineObjective, request.SerializeAsString());
  std::printf("invalid_utf8 code=%d %s\n", status.error_code(),
              status.error_message().c_str());
  EXPECT_EQ(status.error_code(), kUnparsable);
  // Not committed: the same command id with valid text is a new command.
  auto stub = gavel::v1::StrategyService::NewStub(server_->channel());
  gavel::v1::CommandReply reply;
  ASSERT_TRUE(
      stub->DefineObjective(Context().get(), ObjectiveRequest("utf8"), &reply)
          .ok());
  EXPECT_FALSE(reply.deduplicated());
}

TEST_F(HostileInputTest, UnknownFieldsAreIgnored) {
  const std::string bytes = ObjectiveRequest("unknown").SerializeAsString() +
                            Field(999, "from a newer client") +
                            Varint(998ull << 3) + Varint(7);
  EXPECT_TRUE(Raw(kDefineObjective, bytes).ok());
}

TEST_F(HostileInputTest, HugeRepeatedFieldIsRefusedByItsBound) {
  gavel::v1::SubscribeRequest request;
  for (int i = 0; i < 100000; ++i) {
    request.mutable_filter()->add_event_types("ObjectiveDefined");
  }
  auto stub = gavel::v1::EventStreamService::NewStub(server_->channel());
  std::unique_ptr<grpc::ClientContext> context = Context();
  auto reader = stub->Subscribe(context.get(), request);
  gavel::v1::SubscribeReply reply;
  while (reader->Read(&reply)) {
  }
  grpc::Status status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ErrorReasonOf(status), "TOO_MANY_FILTER_VALUES");
}

TEST_F(HostileInputTest, ForgedOrMissingTokensAreUnauthenticated) {
  const std::string bytes = ObjectiveRequest("forged").SerializeAsString();
  for (const std::string& token :
       {std::string(""), std::string("token-alicf"), std::string("alice"),
        rfc9162::ToHex(rfc9162::Sha256({"token-alice"})),
        std::string(4000, 'A')}) {
    grpc::Status status = Raw(kDefineObjective, bytes, token);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
        << token.substr(0, 20);
    EXPECT_THAT(status.error_message(),
                ::testing::Not(::testing::HasSubstr("token-alic")));
  }
}

TEST_F(HostileInputTest, ExpiredTokenIsUnauthenticated) {
  const std::string bytes = ObjectiveRequest("expired").SerializeAsString();
  grpc::Status status = Raw(kDefineObjective, bytes, "token-olga");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ErrorReasonOf(status), "CREDENTIAL_EXPIRED");
  EXPECT_THAT(status.error_message(),
              ::testing::Not(::testing::HasSubstr("token-olga")));
}

// Holds a Subscribe stream open until cancelled; records how it ended.
class Subscriber : public grpc::ClientReadReactor<gavel::v1::SubscribeReply> {
 public:
  explicit Subscriber(gavel::v1::EventStreamService::Stub& stub) {
    context_.AddMetadata("authorization", "Bearer token-alice");
    stub.async()->Subscribe(&context_, &request_, this);
    StartRead(&reply_);
    StartCall();
  }
  void OnReadDone(bool ok) override {
    if (ok) {
      live_.store(true);
      StartRead(&reply_);
    }
  }
  void OnDone(const grpc::Status& status) override {
    absl::MutexLock lock(&mu_);
    status_ = status;
    done_ = true;
  }
  void Cancel() { context_.TryCancel(); }
  bool live() const { return live_.load(); }
  // Waits up to `timeout` for the end; nullopt if still running.
  std::optional<grpc::Status> Ended(absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    if (!mu_.AwaitWithTimeout(absl::Condition(&done_), timeout)) {
      return std::nullopt;
    }
    return status_;
  }

 private:
  grpc::ClientContext context_;
  gavel::v1::SubscribeRequest request_;
  gavel::v1::SubscribeReply reply_;
  std::atomic<bool> live_{false};
  absl::Mutex mu_;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
};

TEST_F(HostileInputTest, StreamsBeyondTheBoundAreResourceExhausted) {
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  std::vector<std::unique_ptr<gavel::v1::EventStreamService::Stub>> stubs;
  for (int i = 0; i < 4; ++i) {
    grpc::ChannelArguments args;
    args.SetInt("grpc.channel_id", i);  // separate connections
    channels.push_back(grpc::CreateCustomChannel(
        server_->address(), grpc::InsecureChannelCredentials(), args));
    stubs.push_back(gavel::v1::EventStreamService::NewStub(channels.back()));
  }
  std::vector<std::unique_ptr<Subscriber>> subscribers;
  const int extra = 50;
  for (int i = 0; i < MaxSubscriptions() + extra; ++i) {
    subscribers.push_back(std::make_unique<Subscriber>(*stubs[i % 4]));
  }
  auto count_refused = [&] {
    int refused = 0;
    for (auto& s : subscribers) {
      std::optional<grpc::Status> end = s->Ended(absl::ZeroDuration());
      if (!end.has_value()) continue;
      EXPECT_EQ(end->error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
          << end->error_message();
      ++refused;
    }
    return refused;
  };
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (count_refused() < extra && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  absl::SleepFor(absl::Milliseconds(300));
  const int refused = count_refused();
  EXPECT_EQ(refused, extra);
  // Other clients are served while the streams are held.
  EXPECT_TRUE(Honest().ok());
  std::printf("subscriptions_held=%d refused=%d vmrss_kib=%ld\n",
              MaxSubscriptions(), refused, RssKib(server_->pid()));
  for (auto& s : subscribers) s->Cancel();
  for (auto& s : subscribers) {
    EXPECT_TRUE(s->Ended(absl::Seconds(10)).has_value());
  }
}

// Opens up to `n` connections that send half an HTTP/2 preface and go
// quiet (slowloris); returns their sockets.
std::vector<int> HalfOpenConnections(const std::string& address, int n) {
  const int port = std::stoi(address.substr(address.rfind(':') + 1));
  std::vector<int> sockets;
  for (int i = 0; i < n; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      close(fd);
      continue;
    }
    (void)!write(fd, "PRI * HTTP/2.0\r\n", 16);
    sockets.push_back(fd);
  }
  return sockets;
}

TEST_F(HostileInputTest, IdleHalfOpenConnectionsDoNotStarveOthers) {
  std::vector<int> sockets = HalfOpenConnections(server_->address(), 500);
  EXPECT_GE(sockets.size(), 400u);
  const absl::Time start = absl::Now();
  EXPECT_TRUE(Honest().ok());
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  std::printf("idle_connections=%zu vmrss_kib=%ld\n", sockets.size(),
              RssKib(server_->pid()));
  for (int fd : sockets) close(fd);
}

TEST_F(HostileInputTest, HalfOpenConnectionsAreClosedAfterTheHandshakeTimeout) {
  // --handshake_timeout_ms=1000: the server hangs up on each of them.
  std::vector<int> sockets = HalfOpenConnections(server_->address(), 50);
  ASSERT_EQ(sockets.size(), 50u);
  int closed = 0;
  const absl::Time start = absl::Now();
  for (int fd : sockets) {
    timeval timeout{10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    char buffer[256];
    ssize_t n;
    while ((n = read(fd, buffer, sizeof(buffer))) > 0) {
    }
    if (n == 0) ++closed;  // EOF: the server closed it (not our timeout).
    close(fd);
  }
  EXPECT_EQ(closed, 50);
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  std::printf("half_open_closed=%d after %s\n", closed,
              absl::FormatDuration(absl::Now() - start).c_str());
}

}  // namespace
}  // namespace gavel::reliability
