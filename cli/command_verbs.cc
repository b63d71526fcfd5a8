#include "cli/command_verbs.h"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <vector>

#include "absl/random/random.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/audit_verifier.h"
#include "cli/connection.h"
#include "cli/event_json.h"
#include "cli/output.h"
#include "cli/yaml_json.h"
#include "gavel/v1/command.pb.h"

namespace gavel::cli {

std::string CommandIdOrRandom(absl::string_view given) {
  if (!given.empty()) return std::string(given);
  absl::BitGen bits;
  return absl::StrCat("cli-", absl::Hex(absl::Uniform<uint64_t>(bits)),
                      absl::Hex(absl::Uniform<uint64_t>(bits)));
}

int RunCommandVerb(const catalogue::Method& verb, const CliOptions& options,
                   absl::Span<const std::string> args) {
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> request =
      NewRequest(verb);
  if (!request.ok()) return FailLocal(request.status(), 1);
  google::protobuf::Message& message = **request;
  const google::protobuf::Reflection& reflection = *message.GetReflection();
  const google::protobuf::Descriptor& descriptor = *message.GetDescriptor();
  google::protobuf::Message& command = *reflection.MutableMessage(
      &message, descriptor.FindFieldByName("command"));
  gavel::v1::CommandOptions& command_options =
      *google::protobuf::DynamicCastToGenerated<gavel::v1::CommandOptions>(
          reflection.MutableMessage(&message,
                                    descriptor.FindFieldByName("options")));
  if (const std::string& file = options.command.file; !file.empty()) {
    absl::StatusOr<std::string> json = ReadWholeFile(file);
    if (json.ok() && IsYamlFile(file)) json = YamlToJson(*json);
    if (!json.ok()) return FailLocal(json.status(), 2);
    if (absl::Status status = MergeJson(*json, command); !status.ok()) {
      return FailLocal(status, 2);
    }
  }
  for (const std::string& arg : args) {
    const size_t eq = arg.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::fprintf(stderr,
                   "error: \"%s\" is not field=value (see gavel %s %s "
                   "--help)\n",
                   arg.c_str(), verb.cli->group().c_str(),
                   verb.cli->verb().c_str());
      return 2;
    }
    if (absl::Status status =
            SetField(command, arg.substr(0, eq), arg.substr(eq + 1));
        !status.ok()) {
      return FailLocal(status, 2);
    }
  }
  const std::string command_id = CommandIdOrRandom(options.command.command_id);
  command_options.set_command_id(command_id);
  if (options.command.expected_version.has_value()) {
    command_options.set_expected_version(*options.command.expected_version);
  }

  absl::StatusOr<std::unique_ptr<Connection>> connection =
      Connection::Create(options.connection);
  if (!connection.ok()) return FailLocal(connection.status(), 2);
  const UnaryReply call =
      (*connection)->CallUnary(verb.path, message.SerializeAsString());
  if (!call.status.ok()) return FailRpc(call.status, (*connection)->address());
  gavel::v1::CommandReply reply;
  if (!reply.ParseFromString(call.bytes)) {
    return FailLocal(absl::DataLossError("the reply does not parse"), 1);
  }
  if (options.json) {
    std::vector<std::string> events;
    for (const gavel::v1::EventRecord& event : reply.events()) {
      events.push_back(RecordJson(event));
    }
    std::printf(
        "{\"stream_id\":\"%s\",\"version\":%llu,\"first_position\":%llu,"
        "\"last_position\":%llu,\"deduplicated\":%s,\"command_id\":\"%s\","
        "\"events\":[%s]}\n",
        absl::CHexEscape(reply.stream_id()).c_str(),
        static_cast<unsigned long long>(reply.version()),
        static_cast<unsigned long long>(reply.first_position()),
        static_cast<unsigned long long>(reply.last_position()),
        reply.deduplicated() ? "true" : "false",
        absl::CHexEscape(command_id).c_str(),
        absl::StrJoin(events, ",").c_str());
    return 0;
  }
  std::vector<std::string> types;
  for (const gavel::v1::EventRecord& event : reply.events()) {
    types.push_back(event.event_type());
  }
  std::printf("OK %s version %llu, positions %llu..%llu: %s%s\n",
              reply.stream_id().c_str(),
              static_cast<unsigned long long>(reply.version()),
              static_cast<unsigned long long>(reply.first_position()),
              static_cast<unsigned long long>(reply.last_position()),
              absl::StrJoin(types, ", ").c_str(),
              reply.deduplicated() ? " (an earlier try's result)" : "");
  std::fprintf(stderr, "command_id %s\n", command_id.c_str());
  return 0;
}

}  // namespace gavel::cli
