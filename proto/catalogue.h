// The catalogue: what proto/gavel/v1/options.proto says about Gavel's
// messages and RPCs, read from the generated descriptors once. Everything
// that needs to know which aggregate a command targets, which stream prefix
// and event wrapper an aggregate has, which roles may call an RPC or which
// CLI verb offers it asks here instead of keeping a table of its own.
//
// Links only the generated protos (no gRPC, no server code): the writer,
// the projections, the services, the CLI and the relay all use it.
#ifndef GAVEL_PROTO_CATALOGUE_H_
#define GAVEL_PROTO_CATALOGUE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "gavel/v1/options.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace gavel::catalogue {

// An aggregate kind as the log stores it.
struct Aggregate {
  gavel::v1::AggregateKind kind;
  // Stream id := stream_prefix + aggregate id ("initiative-").
  std::string stream_prefix;
  // The payload of each of its records, e.g. gavel.v1.InitiativeEvent.
  const google::protobuf::Descriptor* wrapper;
  // The wrapper's generated default instance: New() makes a fresh one.
  const google::protobuf::Message* prototype;
  // Its name in lower case without the enum's prefix ("initiative",
  // "governance_cycle").
  std::string name;
};

// A string field of a command (or of a message inside it) that names
// another aggregate the command's decider reads.
struct ContextField {
  // From the command message down to the string field; a message field on
  // the way may be repeated (each element is visited).
  std::vector<const google::protobuf::FieldDescriptor*> path;
  gavel::v1::ContextRef ref;
};

// A domain command.
struct Command {
  // The command message, e.g. gavel.v1.SubmitInitiative.
  const google::protobuf::Descriptor* message;
  // Its case in the gavel.v1.Command envelope.
  const google::protobuf::FieldDescriptor* envelope_field;
  gavel::v1::AggregateKind aggregate;
  // The string field naming the target aggregate's id.
  const google::protobuf::FieldDescriptor* id_field;
  std::vector<ContextField> context;
};

// An RPC of one of Gavel's services.
struct Method {
  const google::protobuf::MethodDescriptor* descriptor;
  // "/gavel.v1.InitiativeService/SubmitInitiative", as on the wire.
  std::string path;
  // Who may call it; empty: any authenticated principal.
  std::vector<gavel::v1::Role> roles;
  // The CLI verb that offers it, if any.
  std::optional<gavel::v1::CliVerb> cli;
  // Set when the RPC carries one domain command: its request is
  // { CommandOptions options = 1; <command> command = 2; }.
  const Command* command = nullptr;
};

// Read once from the generated descriptors; immutable, so thread-safe.
class Catalogue {
 public:
  // The catalogue of the protos linked into this program (all of Gavel's:
  // the library links every file that carries options).
  static const Catalogue& Get();

  Catalogue(const Catalogue&) = delete;
  Catalogue& operator=(const Catalogue&) = delete;

  absl::Span<const Aggregate> aggregates() const { return aggregates_; }
  // Every domain command, in the envelope's field order.
  absl::Span<const Command> commands() const { return commands_; }
  // Every RPC of every service, service by service in file order.
  absl::Span<const Method> methods() const { return methods_; }

  // The aggregate of `kind`; nullptr for an unknown kind.
  const Aggregate* FindAggregate(gavel::v1::AggregateKind kind) const;
  // The aggregate whose stream prefix `stream_id` starts with; nullptr for
  // a stream of no aggregate.
  const Aggregate* FindAggregateOfStream(absl::string_view stream_id) const;
  // The aggregate whose events `wrapper` carries; nullptr if none.
  const Aggregate* FindAggregateOfWrapper(
      const google::protobuf::Descriptor* wrapper) const;
  // The command whose message is `message`; nullptr if it is none.
  const Command* FindCommand(const google::protobuf::Descriptor* message) const;
  // The method at `path` ("/gavel.v1.AdminService/Ping"); nullptr if none.
  const Method* FindMethod(absl::string_view path) const;
  // The method the CLI offers as `group verb`; nullptr if none.
  const Method* FindCliVerb(absl::string_view group,
                            absl::string_view verb) const;
  // The RPC that carries `command`; nullptr when no RPC does (commands
  // the server derives itself, e.g. RecordScenarioOptimization).
  const Method* FindCommandRpc(const Command& command) const;

  // What does not hold together (a command without its option, an id
  // field that is not a string, two prefixes where one starts the other,
  // an unknown role...), one line each; empty when all is well. A test
  // keeps it empty.
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  Catalogue();
  void ReadAggregates(const google::protobuf::FileDescriptor& file);
  void ReadCommands();
  void ReadServices(const google::protobuf::FileDescriptor& file);

  std::vector<Aggregate> aggregates_;
  std::vector<Command> commands_;
  std::vector<Method> methods_;
  std::vector<std::string> problems_;
};

// "board_member" for ROLE_BOARD_MEMBER; "" for ROLE_UNSPECIFIED.
std::string RoleName(gavel::v1::Role role);

// The role named `name` ("board_member"), or nullopt.
std::optional<gavel::v1::Role> ParseRole(absl::string_view name);

// Every role a principal may hold, in enum order.
std::vector<gavel::v1::Role> AllRoles();

// The stream of aggregate `id` of `kind`: its prefix + id.
std::string StreamOf(gavel::v1::AggregateKind kind, absl::string_view id);

// The aggregate id in `stream_id` when the stream is of `kind` (its prefix
// stripped); nullopt for a stream of another kind.
std::optional<absl::string_view> AggregateIdOf(gavel::v1::AggregateKind kind,
                                               absl::string_view stream_id);

// The name of the event set in `wrapper`'s oneof (e.g. "GateDecided"), or
// nullopt when none is set.
std::optional<std::string> EventTypeOf(
    const google::protobuf::Message& wrapper);

// Decodes a record's `payload` as the event wrapper of `stream_id`'s
// aggregate; nullptr when the stream belongs to no aggregate or the payload
// does not parse.
std::unique_ptr<google::protobuf::Message> DecodePayload(
    absl::string_view stream_id, absl::string_view payload);

}  // namespace gavel::catalogue

#endif  // GAVEL_PROTO_CATALOGUE_H_
