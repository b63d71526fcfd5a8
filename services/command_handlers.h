// Deciding one domain command: which aggregate it targets, what its
// decider's Context needs from other aggregates, and which events it writes
// to which streams. The only place that knows how commands map to
// aggregates; the writer calls it for every command.
#ifndef GAVEL_SERVICES_COMMAND_HANDLERS_H_
#define GAVEL_SERVICES_COMMAND_HANDLERS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gavel/v1/command.pb.h"
#include "services/aggregate_store.h"
#include "storage/append_request.h"

namespace gavel::services {

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
// does not change (see DecidedCommand::apply). Rejections
// are the domain's; VERSION_CONFLICT (ABORTED) when env.expected_version is
// set and differs from the target's version; INVALID_ARGUMENT
// (MISSING_FIELD) for an empty command.
absl::StatusOr<DecidedCommand> DecideCommand(const gavel::v1::Command& command,
                                             const CommandEnv& env,
                                             AggregateStore& store);

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_COMMAND_HANDLERS_H_
