// The crash harness: gaveld as a child process, several client threads
// committing commands and a subscriber following the log, SIGKILL at
// seeded random moments (some during a projection rebuild, some during a
// backup), restart, and after every restart:
//   - every acknowledged command is in the log exactly once, at the
//     positions its reply named (lost / duplicated otherwise);
//   - every command whose reply was lost in the kill is retried with the
//     same command id: the reply names positions holding exactly its
//     events (all of them, or none before the retry: never half);
//   - no record in the log belongs to a command nobody sent;
//   - `gavel audit verify` recomputes the root from every record and finds
//     it equal to the latest signed checkpoint, consistent with the one
//     trusted in the previous cycle (root_mismatch otherwise);
//   - every projection, caught up, answers exactly as after a rebuild from
//     position 0 (projection_mismatch otherwise);
//   - the subscriber, resuming from the last position it saw, received
//     every position once, in order;
//   - a backup the kill interrupted is either absent or complete and
//     restorable.
// GAVEL_CRASH_CYCLES sets the number of kill cycles (default 5;
// ./tests/run.sh --reliability runs 50), GAVEL_CRASH_SEED the seed. Prints
//   crash_cycles=N acknowledged=N lost=0 duplicated=0 root_mismatch=0
//   projection_mismatch=0
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gavel/v1/admin_service.grpc.pb.h"
#include "gavel/v1/event_stream_service.grpc.pb.h"
#include "gavel/v1/portfolio_query_service.grpc.pb.h"
#include "gavel/v1/strategy_service.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tests/testing/child_process.h"
#include "tests/testing/gaveld_child.h"
#include "tests/testing/temp_dir.h"

namespace gavel::reliability {
namespace {

using ::gavel::test::GaveldChild;
using ::gavel::test::In;
using ::gavel::test::ObjectiveRequest;
using ::gavel::test::ReadFile;
using ::gavel::test::Spawn;
using ::gavel::test::WaitExit;

constexpr int kClients = 3;

int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::atoi(value) : fallback;
}

// Commands sent and what became of them. Thread-safe.
class Ledger {
 public:
  void Acknowledged(const std::string& id, uint64_t first, uint64_t last) {
    absl::MutexLock lock(&mu_);
    acknowledged_[id] = {first, last};
    unknown_.erase(id);
  }
  // The reply was lost (the server died, or the call failed): outcome
  // unknown until retried.
  void Unknown(const std::string& id) {
    absl::MutexLock lock(&mu_);
    unknown_.insert(id);
  }
  std::map<std::string, std::pair<uint64_t, uint64_t>> acknowledged() {
    absl::MutexLock lock(&mu_);
    return acknowledged_;
  }
  std::set<std::string> unknown() {
    absl::MutexLock lock(&mu_);
    return unknown_;
  }

 private:
  absl::Mutex mu_;
  std::map<std::string, std::pair<uint64_t, uint64_t>> acknowledged_
      ABSL_GUARDED_BY(mu_);
  std::set<std::string> unknown_ ABSL_GUARDED_BY(mu_);
};

// Follows the log from the last position it saw, reconnecting after every
// server death; counts positions that arrive out of order. Thread-safe.
class Follower {
 public:
  explicit Follower(std::string address) : address_(std::move(address)) {
    thread_ = std::thread([this] { Run(); });
  }
  ~Follower() {
    stop_.store(true);
    {
      absl::MutexLock lock(&mu_);
      if (context_ != nullptr) context_->TryCancel();
    }
    thread_.join();
  }
  uint64_t position() const { return position_.load(); }
  int gaps() const { return gaps_.load(); }

 private:
  void Run() {
    auto channel =
        grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
    auto stub = gavel::v1::EventStreamService::NewStub(channel);
    while (!stop_.load()) {
      grpc::ClientContext context;
      {
        absl::MutexLock lock(&mu_);
        context_ = &context;
      }
      gavel::v1::SubscribeRequest request;
      request.set_after_position(position_.load());
      auto reader = stub->Subscribe(&context, request);
      gavel::v1::SubscribeReply reply;
      while (!stop_.load() && reader->Read(&reply)) {
        for (const gavel::v1::EventRecord& record : reply.events().records()) {
          if (record.position() != position_.load() + 1) gaps_.fetch_add(1);
          position_.store(record.position());
        }
      }
      reader->Finish();
      {
        absl::MutexLock lock(&mu_);
        context_ = nullptr;
      }
      absl::SleepFor(absl::Milliseconds(50));
    }
  }

  const std::string address_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> position_{0};
  std::atomic<int> gaps_{0};
  absl::Mutex mu_;
  grpc::ClientContext* context_ ABSL_GUARDED_BY(mu_) = nullptr;
  std::thread thread_;
};

struct Counts {
  int cycles = 0;
  size_t acknowledged = 0;
  int lost = 0;
  int duplicated = 0;
  int root_mismatch = 0;
  int projection_mismatch = 0;
};

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    address_ = server_.address();
    channel_ = server_.channel();
  }

  void Start() {
    ASSERT_TRUE(server_.Start()) << "gaveld did not serve: " << server_.Log();
  }

  void Kill() {
    server_.Kill();
    EXPECT_EQ(server_.exit_code(), 128 + SIGKILL);
  }

  // Client `client` commits objectives until `stop`.
  void Drive(int cycle, int client, const std::atomic<bool>& stop) {
    auto channel =
        grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
    auto stub = gavel::v1::StrategyService::NewStub(channel);
    for (int n = 0; !stop.load(); ++n) {
      const std::string id = absl::StrCat("c", cycle, "-", client, "-", n);
      grpc::ClientContext context;
      context.set_deadline(In(absl::Seconds(5)));
      gavel::v1::CommandReply reply;
      ledger_.Unknown(id);
      grpc::Status status =
          stub->DefineObjective(&context, ObjectiveRequest(id), &reply);
      if (status.ok()) {
        ledger_.Acknowledged(id, reply.first_position(), reply.last_position());
      } else {
        return;  // The server is gone: the outcome of `id` is unknown.
      }
    }
  }

  // Retries every command whose outcome is unknown, with its command id.
  void RetryUnknown() {
    auto stub = gavel::v1::StrategyService::NewStub(channel_);
    for (const std::string& id : ledger_.unknown()) {
      grpc::ClientContext context;
      context.set_deadline(In(absl::Seconds(10)));
      gavel::v1::CommandReply reply;
      grpc::Status status =
          stub->DefineObjective(&context, ObjectiveRequest(id), &reply);
      ASSERT_TRUE(status.ok()) << id << ": " << status.error_message();
      ledger_.Acknowledged(id, reply.first_position(), reply.last_position());
    }
  }

  uint64_t Head() { return test::HeadOf(channel_); }

  // Every acknowledged command exactly once at its positions; no record of
  // a command nobody sent.
  void CheckLog() {
    const std::map<std::string, std::vector<uint64_t>> positions =
        test::PositionsByCommand(channel_);
    const auto acknowledged = ledger_.acknowledged();
    counts_.acknowledged = acknowledged.size();
    for (const auto& [id, range] : acknowledged) {
      auto it = positions.find(id);
      std::vector<uint64_t> expected;
      for (uint64_t p = range.first; p <= range.second; ++p) {
        expected.push_back(p);
      }
      if (it == positions.end() || it->second.size() < expected.size()) {
        ++counts_.lost;
        ADD_FAILURE() << "acknowledged command " << id << " lost";
      } else if (it->second != expected) {
        ++counts_.duplicated;
        ADD_FAILURE() << "command " << id << " at unexpected positions";
      }
    }
    for (const auto& [id, at] : positions) {
      if (acknowledged.count(id) == 0) {
        ++counts_.duplicated;
        ADD_FAILURE() << "record(s) of a command never sent: " << id;
      }
    }
  }

  // `gavel audit verify`: rehashes every record, compares with the latest
  // signed checkpoint, and checks it extends the previously trusted one.
  void CheckRoot() {
    const int exit = WaitExit(
        Spawn(GAVEL_BINARY,
              {absl::StrCat("--addr=", address_), "audit", "verify",
               "--trust_on_first_use",
               absl::StrCat("--state=", dir_.Sub("trusted.checkpoint")),
               absl::StrCat("--key=", data_dir_, "/signing_key.pub")},
              cli_log_));
    if (exit != 0) {
      ++counts_.root_mismatch;
      ADD_FAILURE() << "audit verify failed: " << ReadFile(cli_log_);
    }
  }

  // The projections' answers, once they have applied `head`.
  std::string Answers(uint64_t head) {
    auto query = gavel::v1::PortfolioQueryService::NewStub(channel_);
    std::string answers;
    std::string token;
    do {
      grpc::ClientContext context;
      context.set_deadline(In(absl::Seconds(30)));
      gavel::v1::ListObjectivesRequest request;
      request.mutable_read()->set_min_position(head);
      request.set_page_token(token);
      request.set_page_size(500);
      gavel::v1::ListObjectivesReply reply;
      grpc::Status status = query->ListObjectives(&context, request, &reply);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) return "";
      for (const auto& objective : reply.objectives()) {
        absl::StrAppend(&answers, objective.SerializeAsString());
      }
      token = reply.next_page_token();
    } while (!token.empty());
    grpc::ClientContext context;
    context.set_deadline(In(absl::Seconds(30)));
    gavel::v1::GetGovernanceMetricsRequest metrics_request;
    metrics_request.mutable_read()->set_min_position(head);
    gavel::v1::GetGovernanceMetricsReply metrics;
    EXPECT_TRUE(
        query->GetGovernanceMetrics(&context, metrics_request, &metrics).ok());
    absl::StrAppend(&answers, metrics.metrics().SerializeAsString());
    return answers;
  }

  // Rebuilds every projection from 0 and waits until each has finished.
  void RebuildAll(uint64_t head) {
    auto admin = gavel::v1::AdminService::NewStub(channel_);
    std::map<std::string, uint64_t> before;
    {
      grpc::ClientContext context;
      gavel::v1::GetStatusReply status;
      ASSERT_TRUE(admin->GetStatus(&context, {}, &status).ok());
      for (const auto& p : status.projections())
        before[p.name()] = p.rebuilds();
    }
    grpc::ClientContext context;
    gavel::v1::RebuildProjectionReply ticket;
    ASSERT_TRUE(admin->RebuildProjection(&context, {}, &ticket).ok());
    const absl::Time deadline = absl::Now() + absl::Seconds(60);
    while (absl::Now() < deadline) {
      grpc::ClientContext poll;
      gavel::v1::GetStatusReply status;
      ASSERT_TRUE(admin->GetStatus(&poll, {}, &status).ok());
      bool done = true;
      for (const auto& p : status.projections()) {
        done = done && p.rebuilds() > before[p.name()] && !p.rebuilding() &&
               p.position() >= head;
      }
      if (done) return;
      absl::SleepFor(absl::Milliseconds(20));
    }
    FAIL() << "projections did not finish rebuilding";
  }

  void CheckProjections() {
    const uint64_t head = Head();
    const std::string caught_up = Answers(head);
    RebuildAll(head);
    if (Answers(head) != caught_up) {
      ++counts_.projection_mismatch;
      ADD_FAILURE() << "a projection differs from its rebuild from 0";
    }
  }

  // A backup left by a kill is either absent or complete and restorable.
  void CheckBackups() {
    const std::filesystem::path root = data_dir_ + "/backups";
    if (!std::filesystem::exists(root)) return;
    for (const auto& entry : std::filesystem::directory_iterator(root)) {
      const std::string name = entry.path().filename().string();
      if (name[0] == '.') continue;  // Unfinished: ignored by design.
      const std::string restored = dir_.Sub(absl::StrCat("restored-", name));
      EXPECT_EQ(WaitExit(Spawn(
                    GAVEL_BINARY,
                    {"admin", "restore",
                     absl::StrCat("--from=", entry.path().string()),
                     absl::StrCat("--data_dir=", restored),
                     absl::StrCat("--key=", data_dir_, "/signing_key.pub")},
                    cli_log_)),
                0)
          << ReadFile(cli_log_);
      std::filesystem::remove_all(restored);
    }
  }

  // What the kill interrupts this cycle, besides the commands.
  enum class Extra { kNone, kRebuild, kBackup };

  void RunCycle(int cycle, Extra extra, absl::Duration kill_after) {
    std::atomic<bool> stop{false};
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back([&, c] { Drive(cycle, c, stop); });
    }
    std::thread side;
    if (extra == Extra::kRebuild) {
      side = std::thread([&] {
        auto admin = gavel::v1::AdminService::NewStub(channel_);
        grpc::ClientContext context;
        gavel::v1::RebuildProjectionReply reply;
        (void)admin->RebuildProjection(&context, {}, &reply);
      });
    } else if (extra == Extra::kBackup) {
      side = std::thread([&] {
        auto admin = gavel::v1::AdminService::NewStub(channel_);
        grpc::ClientContext context;
        gavel::v1::BackupRequest request;
        request.set_name(absl::StrCat("cycle-", cycle));
        gavel::v1::BackupReply reply;
        (void)admin->Backup(&context, request, &reply);
      });
    }
    absl::SleepFor(kill_after);
    Kill();
    stop.store(true);
    for (std::thread& client : clients) client.join();
    if (side.joinable()) side.join();
  }

  test::TempDir dir_;
  const std::string data_dir_ = dir_.Sub("data");
  const std::string server_log_ = dir_.Sub("gaveld.log");
  const std::string cli_log_ = dir_.Sub("cli.log");
  GaveldChild server_{
      {absl::StrCat("--data_dir=", data_dir_), "--checkpoint_every_ms=20",
       "--checkpoint_every_records=50"},
      server_log_};
  std::string address_;
  std::shared_ptr<grpc::Channel> channel_;
  Ledger ledger_;
  Counts counts_;
};

TEST_F(CrashTest, KilledServerLosesNothingAcknowledgedAndHalfAppliesNothing) {
  const int cycles = std::max(1, EnvInt("GAVEL_CRASH_CYCLES", 5));
  const uint64_t seed = static_cast<uint64_t>(EnvInt("GAVEL_CRASH_SEED", 1));
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> kill_ms(30, 400);
  ASSERT_NO_FATAL_FAILURE(Start());
  Follower follower(address_);
  for (int cycle = 0; cycle < cycles; ++cycle) {
    const Extra extra = cycle % 5 == 3   ? Extra::kBackup
                        : cycle % 5 == 1 ? Extra::kRebuild
                                         : Extra::kNone;
    RunCycle(cycle, extra, absl::Milliseconds(kill_ms(rng)));
    ++counts_.cycles;
    ASSERT_NO_FATAL_FAILURE(Start());
    ASSERT_NO_FATAL_FAILURE(RetryUnknown());
    CheckLog();
    CheckRoot();
    CheckProjections();
    CheckBackups();
    if (HasFailure()) break;
  }
  // The subscriber catches up to the head with every position once.
  const uint64_t head = Head();
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (follower.position() < head && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_EQ(follower.position(), head);
  EXPECT_EQ(follower.gaps(), 0);
  std::printf(
      "crash_cycles=%d acknowledged=%zu lost=%d duplicated=%d "
      "root_mismatch=%d projection_mismatch=%d\n",
      counts_.cycles, counts_.acknowledged, counts_.lost, counts_.duplicated,
      counts_.root_mismatch, counts_.projection_mismatch);
  std::printf("subscriber_position=%llu subscriber_gaps=%d seed=%llu\n",
              static_cast<unsigned long long>(follower.position()),
              follower.gaps(), static_cast<unsigned long long>(seed));
  EXPECT_GE(counts_.acknowledged, static_cast<size_t>(cycles));
}

}  // namespace
}  // namespace gavel::reliability
