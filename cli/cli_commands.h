// The CLI's verbs: the RPCs the catalogue offers as `gavel GROUP VERB`,
// and the request each sends, built by protobuf reflection from
// `field=value` arguments and an optional JSON file. Links only the
// generated protos and the catalogue.
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
#include "proto/catalogue.h"

namespace gavel::cli {

// The CLI's verbs are the RPCs whose (rpc) option names a CLI verb
// (proto/catalogue.h): a command verb carries a domain command, a query
// verb reads. Help lists them in the catalogue's order, service by service.
std::vector<const catalogue::Method*> CommandVerbs();
std::vector<const catalogue::Method*> QueryVerbs();

// The command / query verb "GROUP VERB"; nullptr if there is none.
const catalogue::Method* FindCommandVerb(absl::string_view group,
                                         absl::string_view verb);
const catalogue::Method* FindQueryVerb(absl::string_view group,
                                       absl::string_view verb);

// A fresh request / reply message of `method`. INTERNAL if the generated
// protos do not have its type.
absl::StatusOr<std::unique_ptr<google::protobuf::Message>> NewRequest(
    const catalogue::Method& method);
absl::StatusOr<std::unique_ptr<google::protobuf::Message>> NewReply(
    const catalogue::Method& method);

// The RPC that carries the domain command set in `command` (a
// gavel.v1.Command envelope, as tools' generators build them) and that
// RPC's serialized request with `command_id` as its idempotency key.
// INVALID_ARGUMENT if no command is set or no RPC carries it.
struct CommandRequest {
  const catalogue::Method* method;
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
