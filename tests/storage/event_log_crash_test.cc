// Kills a child process mid-append (SIGKILL) again and again, and checks
// that every append it acknowledged survives, whole, and nothing else.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <random>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "storage/event_log.h"
#include "tests/testing/temp_dir.h"

extern char** environ;

namespace gavel::storage {
namespace {

struct Ack {
  uint64_t first_position;
  uint64_t last_position;
};

// Parses "n first last" into `acks`; ignores anything else.
void AddAck(absl::string_view line, std::map<long, Ack>& acks) {
  std::vector<absl::string_view> fields =
      absl::StrSplit(absl::StripTrailingAsciiWhitespace(line), ' ');
  long n = 0;
  Ack ack{};
  if (fields.size() == 3 && absl::SimpleAtoi(fields[0], &n) &&
      absl::SimpleAtoi(fields[1], &ack.first_position) &&
      absl::SimpleAtoi(fields[2], &ack.last_position)) {
    acks[n] = ack;
  }
}

// Runs the child until it has acknowledged `acks_before_kill` commands (or
// died), then kills it. Returns the acknowledgements it printed.
std::map<long, Ack> RunAndKill(const std::string& dir, long first_command,
                               int acks_before_kill) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  const std::string first = absl::StrCat(first_command);
  std::string binary = GAVEL_CRASH_CHILD;
  char* argv[] = {binary.data(), const_cast<char*>(dir.c_str()),
                  const_cast<char*>(first.c_str()), nullptr};
  pid_t pid = 0;
  EXPECT_EQ(posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv, environ),
            0);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);

  std::map<long, Ack> acks;
  FILE* out = fdopen(fds[0], "r");
  char line[256];
  while (static_cast<int>(acks.size()) < acks_before_kill &&
         std::fgets(line, sizeof(line), out) != nullptr) {
    AddAck(line, acks);
  }
  kill(pid, SIGKILL);
  // Whatever the child printed before it died was acknowledged too.
  while (std::fgets(line, sizeof(line), out) != nullptr) {
    AddAck(line, acks);
  }
  std::fclose(out);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status)) << "the child stopped on its own";
  return acks;
}

TEST(EventLogCrashTest, EveryAcknowledgedAppendSurvivesSigkill) {
  test::TempDir dir;
  std::mt19937 random(20261126);
  std::map<long, Ack> acknowledged;
  long next_command = 0;
  constexpr int kCycles = 8;
  for (int cycle = 0; cycle < kCycles; ++cycle) {
    const int acks_before_kill =
        std::uniform_int_distribution<int>(1, 60)(random);
    std::map<long, Ack> acks =
        RunAndKill(dir.path(), next_command, acks_before_kill);
    ASSERT_FALSE(acks.empty()) << "cycle " << cycle;
    acknowledged.insert(acks.begin(), acks.end());

    absl::StatusOr<std::unique_ptr<EventLog>> log =
        EventLog::Open(dir.path(), {});
    ASSERT_TRUE(log.ok()) << log.status();
    const uint64_t head = (*log)->Head();
    // Every acknowledged command is there, at the positions acknowledged,
    // with all of its events.
    for (const auto& [n, ack] : acknowledged) {
      absl::StatusOr<std::optional<CommittedCommand>> found =
          (*log)->FindCommand(absl::StrCat("cmd-", n));
      ASSERT_TRUE(found.ok() && found->has_value()) << "lost cmd-" << n;
      EXPECT_EQ((*found)->result.first_position, ack.first_position);
      EXPECT_EQ((*found)->result.last_position, ack.last_position);
      EXPECT_EQ(ack.last_position - ack.first_position + 1,
                static_cast<uint64_t>(n % 3 + 2));
      ASSERT_LE(ack.last_position, head);
    }
    // Nothing but whole commands: the log is dense and each command's
    // records are contiguous and complete.
    std::map<std::string, int> events_per_command;
    for (uint64_t from = 1; from <= head;) {
      absl::StatusOr<std::vector<StoredEvent>> page =
          (*log)->ReadAll(from, EventLog::kMaxReadLimit);
      ASSERT_TRUE(page.ok()) << page.status();
      for (const StoredEvent& event : *page) {
        absl::StatusOr<gavel::v1::EventRecord> record = event.Decode();
        ASSERT_TRUE(record.ok());
        ASSERT_EQ(record->position(), from);
        ++events_per_command[record->command_id()];
        ++from;
      }
    }
    long last_in_log = -1;
    for (const auto& [command_id, count] : events_per_command) {
      long n = 0;
      ASSERT_TRUE(absl::SimpleAtoi(command_id.substr(4), &n));
      EXPECT_EQ(count, n % 3 + 2) << command_id << " is partial";
      last_in_log = std::max(last_in_log, n);
    }
    EXPECT_TRUE((*log)->VerifyTree(head).ok());
    next_command = last_in_log + 1;
  }
  EXPECT_GE(acknowledged.size(), static_cast<size_t>(kCycles));
}

}  // namespace
}  // namespace gavel::storage
