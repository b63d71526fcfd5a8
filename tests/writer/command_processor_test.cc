// The writer on its own: a real event log in a temp folder, commands
// submitted directly.
#include "writer/command_processor.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace gavel::writer {
namespace {

PendingCommand Objective(const std::string& id, const std::string& title) {
  PendingCommand pending;
  pending.command_id = "cmd-" + id;
  pending.digest = "digest-" + id + title;
  pending.actor = "alice";
  auto* cmd = pending.command.mutable_define_objective();
  cmd->set_objective_id(id);
  cmd->set_title(title);
  cmd->set_horizon(gavel::v1::HORIZON_ONE_YEAR);
  cmd->set_owner("alice");
  return pending;
}

class CommandProcessorTest : public ::testing::Test {
 protected:
  void Open(storage::EventLogOptions log_options,
            CommandProcessorOptions options) {
    log_ = *storage::EventLog::Open(dir_.path(), log_options);
    options.on_write_failure = [this](const absl::Status&) {
      write_failed_ = true;
    };
    processor_ = CommandProcessor::Start(log_.get(), options);
  }

  // Submits `commands` while the writer is busy, so they share a batch.
  std::vector<absl::StatusOr<CommandOutcome>> SubmitAll(
      std::vector<PendingCommand> commands) {
    std::vector<absl::StatusOr<CommandOutcome>> outcomes(commands.size());
    std::vector<absl::Notification> done(commands.size());
    for (size_t i = 0; i < commands.size(); ++i) {
      processor_->Submit(std::move(commands[i]),
                         [&, i](absl::StatusOr<CommandOutcome> outcome) {
                           outcomes[i] = std::move(outcome);
                           done[i].Notify();
                         });
    }
    for (absl::Notification& n : done) n.WaitForNotification();
    return outcomes;
  }

  test::TempDir dir_;
  std::unique_ptr<storage::EventLog> log_;
  std::unique_ptr<CommandProcessor> processor_;
  bool write_failed_ = false;
};

TEST_F(CommandProcessorTest, ACommandTheLogWouldRefuseFailsAloneNotItsBatch) {
  storage::EventLogOptions log_options;
  log_options.max_event_bytes = 2000;
  Open(log_options, {});
  std::vector<absl::StatusOr<CommandOutcome>> outcomes =
      SubmitAll({Objective("a", "fine"), Objective("b", std::string(5000, 'x')),
                 Objective("c", "also fine")});
  EXPECT_TRUE(outcomes[0].ok()) << outcomes[0].status();
  EXPECT_EQ(outcomes[1].status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(outcomes[2].ok()) << outcomes[2].status();
  EXPECT_FALSE(write_failed_);
  EXPECT_EQ(log_->Head(), 2u);
  // The refused command left no state behind: "b" can still be defined.
  std::vector<absl::StatusOr<CommandOutcome>> again =
      SubmitAll({Objective("b", "short")});
  EXPECT_TRUE(again[0].ok()) << again[0].status();
}

TEST_F(CommandProcessorTest, FullQueueRefusesWithResourceExhausted) {
  CommandProcessorOptions options;
  options.max_queued_commands = 0;
  Open({}, options);
  std::vector<absl::StatusOr<CommandOutcome>> outcomes =
      SubmitAll({Objective("a", "t")});
  EXPECT_EQ(outcomes[0].status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(log_->Head(), 0u);
}

TEST_F(CommandProcessorTest, RetryWithinOneBatchIsDeduplicated) {
  Open({}, {});
  std::vector<absl::StatusOr<CommandOutcome>> outcomes =
      SubmitAll({Objective("a", "t"), Objective("a", "t")});
  ASSERT_TRUE(outcomes[0].ok() && outcomes[1].ok());
  EXPECT_EQ(outcomes[0]->first_position, outcomes[1]->first_position);
  EXPECT_EQ(log_->Head(), 1u);
}

TEST_F(CommandProcessorTest, AReplySeesItsOwnCommandCounted) {
  Open({}, {});
  ASSERT_TRUE(SubmitAll({Objective("a", "t")})[0].ok());
  // A retry of a committed command, its id with other content, and a new
  // command the domain refuses (the objective exists). Each reply reads
  // the writer's statistics the moment it arrives (on the writer's own
  // thread, before the writer moves on).
  PendingCommand retry = Objective("a", "t");
  PendingCommand reused_id = Objective("a", "another title");
  PendingCommand refused = Objective("a", "t");
  refused.command_id = "cmd-a-again";
  std::vector<PendingCommand> commands;
  commands.push_back(std::move(retry));
  commands.push_back(std::move(reused_id));
  commands.push_back(std::move(refused));
  std::vector<gavel::v1::WriterStats> seen(commands.size());
  std::vector<absl::Status> statuses(commands.size());
  std::vector<absl::Notification> done(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    processor_->Submit(std::move(commands[i]),
                       [&, i](absl::StatusOr<CommandOutcome> outcome) {
                         seen[i] = processor_->Stats();
                         statuses[i] = outcome.status();
                         done[i].Notify();
                       });
  }
  for (absl::Notification& n : done) n.WaitForNotification();
  EXPECT_TRUE(statuses[0].ok()) << statuses[0];
  EXPECT_FALSE(statuses[1].ok());
  EXPECT_FALSE(statuses[2].ok());
  EXPECT_GE(seen[0].commands_deduplicated(), 1u);
  EXPECT_GE(seen[1].commands_rejected(), 1u);
  EXPECT_GE(seen[2].commands_rejected(), seen[1].commands_rejected() + 1);
  const gavel::v1::WriterStats after = processor_->Stats();
  EXPECT_EQ(after.commands_accepted(), 1u);
  EXPECT_EQ(after.commands_deduplicated(), 1u);
  EXPECT_EQ(after.commands_rejected(), 2u);
}

TEST_F(CommandProcessorTest, ShutdownCommitsWhatIsQueuedThenRefuses) {
  Open({}, {});
  std::vector<absl::StatusOr<CommandOutcome>> outcomes =
      SubmitAll({Objective("a", "t")});
  ASSERT_TRUE(outcomes[0].ok());
  processor_->Shutdown();
  absl::Notification done;
  absl::Status status;
  processor_->Submit(Objective("b", "t"),
                     [&](absl::StatusOr<CommandOutcome> outcome) {
                       status = outcome.status();
                       done.Notify();
                     });
  done.WaitForNotification();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace gavel::writer
