// Deciding one domain command: which aggregate it targets, what its
// decider's Context needs from other aggregates, and which events it writes
// to which streams. Nothing here names a command: the target and the
// context come from the catalogue (the (command) and (context) options in
// the protos), and the decider is the domain::Decide overload that takes
// the command. Adding a command needs no change here.
#ifndef GAVEL_WRITER_COMMAND_ROUTER_H_
#define GAVEL_WRITER_COMMAND_ROUTER_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gavel/v1/command.pb.h"
#include "storage/append_request.h"
#include "writer/aggregate_store.h"

namespace gavel::writer {

// What the server knows about the command beyond its fields.
struct CommandEnv {
  absl::Time now;
  std::string actor;
  uint64_t head_position = 0;
  std::optional<uint64_t> expected_version;
};

// A decided command: events per stream, ready to append.
struct DecidedCommand {
  // The command's target aggregate stream and its version afterwards.
  std::string target_stream;
  uint64_t target_version = 0;
  // The target's events first, then other streams' (e.g. capacity pools
  // reserved by a gate decision). Each expects the stream's version before
  // the command exactly.
  std::vector<storage::StreamAppend> appends;
  // Folds the events into the store's aggregates. The writer calls it once
  // it has accepted the command into its batch (and then commits the batch
  // or stops the process); a command it drops is simply not applied.
  std::function<void()> apply;
};

// Decides `command` against the aggregates in `store`, which it loads but
// does not change (see DecidedCommand::apply). Rejections are the
// domain's; VALUE_OUT_OF_RANGE for an over-long id or one with a control
// character; VERSION_CONFLICT (ABORTED) when env.expected_version is set
// and differs from the target's version; MISSING_FIELD (INVALID_ARGUMENT)
// for an empty envelope; RESOURCE_EXHAUSTED for a dependency graph too large
// to check for cycles.
absl::StatusOr<DecidedCommand> DecideCommand(const gavel::v1::Command& command,
                                             const CommandEnv& env,
                                             AggregateStore& store);

}  // namespace gavel::writer

#endif  // GAVEL_WRITER_COMMAND_ROUTER_H_
