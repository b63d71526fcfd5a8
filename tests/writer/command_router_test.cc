// The writer's command routing (writer/command_router.h): every command of
// the catalogue reaches the decider of the aggregate its (command) option
// names, and the aggregates its (context) fields name are loaded.
#include "writer/command_router.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "domain/reasons.h"
#include "domain/rejection.h"
#include "gtest/gtest.h"
#include "proto/catalogue.h"
#include "storage/event_log.h"
#include "tests/testing/temp_dir.h"

namespace gavel::writer {
namespace {

class CommandRouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::EventLogOptions options;
    options.sync = false;
    log_ = *storage::EventLog::Open(dir_.path(), options);
    store_ = std::make_unique<AggregateStore>(log_.get(), 100);
  }

  absl::StatusOr<DecidedCommand> Decide(const gavel::v1::Command& command) {
    CommandEnv env{absl::Now(), "alice", log_->Head(), std::nullopt};
    return DecideCommand(command, env, *store_);
  }

  test::TempDir dir_;
  std::unique_ptr<storage::EventLog> log_;
  std::unique_ptr<AggregateStore> store_;
};

// An envelope carrying an empty `command` aimed at aggregate "a1".
gavel::v1::Command Envelope(const catalogue::Command& command) {
  gavel::v1::Command envelope;
  google::protobuf::Message* body = envelope.GetReflection()->MutableMessage(
      &envelope, command.envelope_field);
  body->GetReflection()->SetString(body, command.id_field, "a1");
  return envelope;
}

// A command routed to another aggregate's decider than the catalogue's is
// INTERNAL; every other answer (a domain rejection of the empty command, or
// events for the target's stream) shows it reached the right one.
TEST_F(CommandRouterTest, EveryCommandReachesItsAggregatesDecider) {
  for (const catalogue::Command& command :
       catalogue::Catalogue::Get().commands()) {
    absl::StatusOr<DecidedCommand> decided = Decide(Envelope(command));
    ASSERT_NE(decided.status().code(), absl::StatusCode::kInternal)
        << command.message->full_name() << ": " << decided.status();
    if (decided.ok()) {
      EXPECT_EQ(decided->target_stream,
                catalogue::StreamOf(command.aggregate, "a1"));
    }
  }
}

TEST_F(CommandRouterTest, AnEmptyEnvelopeIsMissingItsCommand) {
  absl::StatusOr<DecidedCommand> decided = Decide(gavel::v1::Command());
  EXPECT_TRUE(domain::IsRejection(decided.status(), domain::kMissingField))
      << decided.status();
}

TEST_F(CommandRouterTest, AnIdWithAControlCharacterIsRefused) {
  gavel::v1::Command command;
  command.mutable_define_objective()->set_objective_id("a\nb");
  absl::StatusOr<DecidedCommand> decided = Decide(command);
  EXPECT_TRUE(domain::IsRejection(decided.status(), domain::kValueOutOfRange));
  EXPECT_EQ(domain::FieldOf(decided.status()), "objective_id");
}

// A reference inside a nested message is validated like the target's id,
// under its full path.
TEST_F(CommandRouterTest, ANestedReferenceIsValidatedUnderItsPath) {
  gavel::v1::Command command;
  gavel::v1::ApproveFramework* approve = command.mutable_approve_framework();
  approve->set_framework_id("f1");
  approve->mutable_decision()->set_board_id(std::string(200, 'b'));
  absl::StatusOr<DecidedCommand> decided = Decide(command);
  EXPECT_TRUE(domain::IsRejection(decided.status(), domain::kValueOutOfRange));
  EXPECT_EQ(domain::FieldOf(decided.status()), "decision.board_id");
}

}  // namespace
}  // namespace gavel::writer
