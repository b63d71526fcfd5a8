// The CLI's command verbs: every domain command RPC as `gavel GROUP VERB`,
// grouped the way a PMO thinks (objective, framework, lifecycle, pool,
// board, cycle, pmo, gate, initiative), and the request it sends, built by
// protobuf reflection from `field=value` arguments and an optional JSON
// file. Links only the generated protos.
//
//   argument   := path "=" value
//   path       := field ("." field)*     names as in commands.proto
//   value      := a scalar (numbers, true/false, enum names with or without
//                 their prefix, strings); a repeated scalar field takes one
//                 argument per element; messages and repeated messages come
//                 from the JSON file (proto3 JSON mapping)
#ifndef GAVEL_CLI_CLI_COMMANDS_H_
#define GAVEL_CLI_CLI_COMMANDS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gavel/v1/command.pb.h"
#include "google/protobuf/message.h"

namespace gavel::cli {

// One command verb and the RPC it calls.
struct CommandVerb {
  const char* group;    // "initiative"
  const char* verb;     // "submit"
  const char* service;  // "gavel.v1.InitiativeService"
  const char* method;   // "SubmitInitiative"
  const char* summary;  // One line for --help.
};

// One query verb: a PortfolioQueryService read, with the request field a
// positional argument fills (e.g. the initiative id of `initiative show`).
struct QueryVerb {
  const char* group;       // "decisions"
  const char* verb;        // "show"
  const char* method;      // "GetDecision"
  const char* positional;  // "decision_id"; "" if none
  const char* summary;
};

// Every query verb, in help order.
const std::vector<QueryVerb>& QueryVerbs();

// The query verb for "GROUP VERB"; nullptr if there is none.
const QueryVerb* FindQueryVerb(absl::string_view group, absl::string_view verb);

// A fresh request message of RPC `service`/`method`. INTERNAL if the
// generated protos do not have it.
absl::StatusOr<std::unique_ptr<google::protobuf::Message>> NewRpcRequest(
    absl::string_view service, absl::string_view method);

// A fresh reply message of RPC `service`/`method` (as NewRpcRequest).
absl::StatusOr<std::unique_ptr<google::protobuf::Message>> NewRpcReply(
    absl::string_view service, absl::string_view method);

// Every command verb, grouped, in help order.
const std::vector<CommandVerb>& CommandVerbs();

// The verb for "GROUP VERB"; nullptr if there is none.
const CommandVerb* FindCommandVerb(absl::string_view group,
                                   absl::string_view verb);

// A fresh request message of `verb`'s RPC ({options, command}).
// INTERNAL if the generated protos do not have it.
absl::StatusOr<std::unique_ptr<google::protobuf::Message>> NewRequest(
    const CommandVerb& verb);

// The verb whose RPC carries the domain command set in `command` (a
// gavel.v1.Command envelope, as tools' generators build them) and that
// RPC's serialized request with `command_id` as its idempotency key.
// INVALID_ARGUMENT if no command is set or no verb carries it.
struct CommandRequest {
  const CommandVerb* verb;
  std::string bytes;
};
absl::StatusOr<CommandRequest> BuildCommandRequest(
    const gavel::v1::Command& command, absl::string_view command_id);

// Merges `json` (proto3 JSON of the domain command, e.g. a submission with
// its benefits and milestones) into `command`. INVALID_ARGUMENT naming the
// problem.
absl::Status MergeJson(absl::string_view json,
                       google::protobuf::Message& command);

// Sets the field `path` of `message` from `value` (grammar above).
// INVALID_ARGUMENT naming the path if the field does not exist, is a
// message, or the value does not parse for its type.
absl::Status SetField(google::protobuf::Message& message,
                      absl::string_view path, absl::string_view value);

// The fields of `descriptor`'s message, one per line ("  name  type"),
// for --help.
std::string DescribeFields(const google::protobuf::Descriptor& descriptor);

}  // namespace gavel::cli

#endif  // GAVEL_CLI_CLI_COMMANDS_H_
