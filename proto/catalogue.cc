#include "proto/catalogue.h"

#include <set>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gavel/v1/command.pb.h"
#include "proto/catalogue_files.h"

namespace gavel::catalogue {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;

// How deep ReadContext looks into a command's nested messages.
constexpr int kMaxContextDepth = 4;

// The enum value's name without `prefix`, in lower case.
std::string ShortName(absl::string_view name, absl::string_view prefix) {
  return absl::AsciiStrToLower(absl::StripPrefix(name, prefix));
}

// Appends to `out` every string field under `message` (to `depth` levels of
// nested messages) that carries a (context) option, with its path.
void ReadContext(const Descriptor& message,
                 std::vector<const FieldDescriptor*>& path, int depth,
                 std::vector<ContextField>& out,
                 std::vector<std::string>& problems) {
  for (int i = 0; i < message.field_count(); ++i) {
    const FieldDescriptor* field = message.field(i);
    path.push_back(field);
    const gavel::v1::ContextRef ref =
        field->options().GetExtension(gavel::v1::context);
    if (ref != gavel::v1::CONTEXT_REF_UNSPECIFIED) {
      if (field->type() != FieldDescriptor::TYPE_STRING ||
          field->is_repeated()) {
        problems.push_back(absl::StrCat(field->full_name(),
                                        ": (context) on a field that is not "
                                        "a single string"));
      } else {
        out.push_back(ContextField{path, ref});
      }
    } else if (field->type() == FieldDescriptor::TYPE_MESSAGE &&
               depth < kMaxContextDepth &&
               field->message_type()->file()->package() == "gavel.v1") {
      ReadContext(*field->message_type(), path, depth + 1, out, problems);
    }
    path.pop_back();
  }
}

}  // namespace

const Catalogue& Catalogue::Get() {
  static const Catalogue* const catalogue = new Catalogue();
  return *catalogue;
}

Catalogue::Catalogue() {
  const google::protobuf::DescriptorPool& pool =
      *google::protobuf::DescriptorPool::generated_pool();
  std::vector<const FileDescriptor*> files;
  for (absl::string_view name : LinkedProtoFiles()) {
    const FileDescriptor* file = pool.FindFileByName(std::string(name));
    if (file == nullptr) {
      problems_.push_back(absl::StrCat(name, ": not in the generated pool"));
      continue;
    }
    files.push_back(file);
  }
  for (const FileDescriptor* file : files) ReadAggregates(*file);
  ReadCommands();
  for (const FileDescriptor* file : files) ReadServices(*file);

  const google::protobuf::EnumDescriptor* kinds =
      gavel::v1::AggregateKind_descriptor();
  for (int i = 0; i < kinds->value_count(); ++i) {
    const auto kind =
        static_cast<gavel::v1::AggregateKind>(kinds->value(i)->number());
    if (kind != gavel::v1::AGGREGATE_KIND_UNSPECIFIED &&
        FindAggregate(kind) == nullptr) {
      problems_.push_back(
          absl::StrCat(kinds->value(i)->name(), ": no event wrapper names it"));
    }
  }
  for (const Aggregate& a : aggregates_) {
    for (const Aggregate& b : aggregates_) {
      if (&a != &b && absl::StartsWith(a.stream_prefix, b.stream_prefix)) {
        problems_.push_back(absl::StrCat("stream prefix ", a.stream_prefix,
                                         " starts with ", b.stream_prefix));
      }
    }
  }
}

void Catalogue::ReadAggregates(const FileDescriptor& file) {
  for (int i = 0; i < file.message_type_count(); ++i) {
    const Descriptor* wrapper = file.message_type(i);
    if (!wrapper->options().HasExtension(gavel::v1::aggregate)) continue;
    const gavel::v1::AggregateSpec& spec =
        wrapper->options().GetExtension(gavel::v1::aggregate);
    const std::string where = wrapper->full_name();
    if (spec.kind() == gavel::v1::AGGREGATE_KIND_UNSPECIFIED ||
        FindAggregate(spec.kind()) != nullptr) {
      problems_.push_back(absl::StrCat(where, ": no kind, or a kind taken"));
      continue;
    }
    if (spec.stream_prefix().empty() ||
        !absl::EndsWith(spec.stream_prefix(), "-")) {
      problems_.push_back(absl::StrCat(where, ": stream_prefix must end '-'"));
    }
    if (wrapper->oneof_decl_count() != 1) {
      problems_.push_back(absl::StrCat(where, ": a wrapper has one oneof"));
    }
    aggregates_.push_back(Aggregate{
        spec.kind(), spec.stream_prefix(), wrapper,
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(
            wrapper),
        ShortName(gavel::v1::AggregateKind_Name(spec.kind()),
                  "AGGREGATE_KIND_")});
  }
}

void Catalogue::ReadCommands() {
  const google::protobuf::OneofDescriptor* oneof =
      gavel::v1::Command::descriptor()->FindOneofByName("command");
  absl::flat_hash_set<const Descriptor*> seen;
  for (int i = 0; oneof != nullptr && i < oneof->field_count(); ++i) {
    const FieldDescriptor* envelope_field = oneof->field(i);
    const Descriptor* message = envelope_field->message_type();
    if (message == nullptr ||
        !message->options().HasExtension(gavel::v1::command)) {
      problems_.push_back(absl::StrCat("gavel.v1.Command.",
                                       envelope_field->name(),
                                       ": its message has no (command)"));
      continue;
    }
    seen.insert(message);
    const gavel::v1::CommandSpec& spec =
        message->options().GetExtension(gavel::v1::command);
    const FieldDescriptor* id_field = message->FindFieldByName(spec.id_field());
    if (FindAggregate(spec.aggregate()) == nullptr || id_field == nullptr ||
        id_field->type() != FieldDescriptor::TYPE_STRING ||
        id_field->is_repeated()) {
      problems_.push_back(absl::StrCat(message->full_name(),
                                       ": (command) names no aggregate or "
                                       "no string id field"));
      continue;
    }
    Command command{message, envelope_field, spec.aggregate(), id_field, {}};
    std::vector<const FieldDescriptor*> path;
    ReadContext(*message, path, 0, command.context, problems_);
    commands_.push_back(std::move(command));
  }
  // Every command of the files the envelope's file imports (publicly or
  // not) is a case of the envelope.
  std::vector<const FileDescriptor*> files;
  const FileDescriptor* envelope = gavel::v1::Command::descriptor()->file();
  for (int d = 0; d < envelope->dependency_count(); ++d) {
    const FileDescriptor* dependency = envelope->dependency(d);
    files.push_back(dependency);
    for (int p = 0; p < dependency->public_dependency_count(); ++p) {
      files.push_back(dependency->public_dependency(p));
    }
  }
  for (const FileDescriptor* file : files) {
    for (int i = 0; i < file->message_type_count(); ++i) {
      const Descriptor* message = file->message_type(i);
      if (message->options().HasExtension(gavel::v1::command) &&
          !seen.contains(message)) {
        problems_.push_back(absl::StrCat(message->full_name(),
                                         ": not a case of gavel.v1.Command"));
      }
    }
  }
}

void Catalogue::ReadServices(const FileDescriptor& file) {
  absl::flat_hash_set<std::pair<std::string, std::string>> verbs;
  for (const Method& method : methods_) {
    if (method.cli.has_value()) {
      verbs.insert({method.cli->group(), method.cli->verb()});
    }
  }
  for (int s = 0; s < file.service_count(); ++s) {
    const google::protobuf::ServiceDescriptor* service = file.service(s);
    for (int m = 0; m < service->method_count(); ++m) {
      const google::protobuf::MethodDescriptor* descriptor = service->method(m);
      Method method;
      method.descriptor = descriptor;
      method.path =
          absl::StrCat("/", service->full_name(), "/", descriptor->name());
      if (!descriptor->options().HasExtension(gavel::v1::rpc)) {
        problems_.push_back(absl::StrCat(method.path, ": no (rpc) option"));
      }
      const gavel::v1::RpcSpec& spec =
          descriptor->options().GetExtension(gavel::v1::rpc);
      for (int role : spec.roles()) {
        if (role == gavel::v1::ROLE_UNSPECIFIED) {
          problems_.push_back(absl::StrCat(method.path, ": ROLE_UNSPECIFIED"));
        }
        method.roles.push_back(static_cast<gavel::v1::Role>(role));
      }
      if (spec.has_cli()) {
        method.cli = spec.cli();
        if (!verbs.insert({spec.cli().group(), spec.cli().verb()}).second) {
          problems_.push_back(absl::StrCat(method.path, ": CLI verb ",
                                           spec.cli().group(), " ",
                                           spec.cli().verb(), " is taken"));
        }
        if (!spec.cli().positional().empty() &&
            descriptor->input_type()->FindFieldByName(
                spec.cli().positional()) == nullptr) {
          problems_.push_back(absl::StrCat(method.path, ": no field ",
                                           spec.cli().positional()));
        }
      }
      const Descriptor* input = descriptor->input_type();
      const FieldDescriptor* options = input->FindFieldByNumber(1);
      const FieldDescriptor* command = input->FindFieldByNumber(2);
      if (options != nullptr && command != nullptr &&
          options->message_type() == gavel::v1::CommandOptions::descriptor() &&
          command->name() == "command" && command->message_type() != nullptr) {
        method.command = FindCommand(command->message_type());
      }
      methods_.push_back(std::move(method));
    }
  }
}

const Aggregate* Catalogue::FindAggregate(gavel::v1::AggregateKind kind) const {
  for (const Aggregate& aggregate : aggregates_) {
    if (aggregate.kind == kind) return &aggregate;
  }
  return nullptr;
}

const Aggregate* Catalogue::FindAggregateOfStream(
    absl::string_view stream_id) const {
  for (const Aggregate& aggregate : aggregates_) {
    if (absl::StartsWith(stream_id, aggregate.stream_prefix)) {
      return &aggregate;
    }
  }
  return nullptr;
}

const Aggregate* Catalogue::FindAggregateOfWrapper(
    const Descriptor* wrapper) const {
  for (const Aggregate& aggregate : aggregates_) {
    if (aggregate.wrapper == wrapper) return &aggregate;
  }
  return nullptr;
}

const Command* Catalogue::FindCommand(const Descriptor* message) const {
  for (const Command& command : commands_) {
    if (command.message == message) return &command;
  }
  return nullptr;
}

const Method* Catalogue::FindMethod(absl::string_view path) const {
  for (const Method& method : methods_) {
    if (method.path == path) return &method;
  }
  return nullptr;
}

const Method* Catalogue::FindCliVerb(absl::string_view group,
                                     absl::string_view verb) const {
  for (const Method& method : methods_) {
    if (method.cli.has_value() && method.cli->group() == group &&
        method.cli->verb() == verb) {
      return &method;
    }
  }
  return nullptr;
}

const Method* Catalogue::FindCommandRpc(const Command& command) const {
  for (const Method& method : methods_) {
    if (method.command == &command) return &method;
  }
  return nullptr;
}

std::string RoleName(gavel::v1::Role role) {
  if (role == gavel::v1::ROLE_UNSPECIFIED) return "";
  return ShortName(gavel::v1::Role_Name(role), "ROLE_");
}

std::optional<gavel::v1::Role> ParseRole(absl::string_view name) {
  for (gavel::v1::Role role : AllRoles()) {
    if (RoleName(role) == name) return role;
  }
  return std::nullopt;
}

std::vector<gavel::v1::Role> AllRoles() {
  std::vector<gavel::v1::Role> roles;
  const google::protobuf::EnumDescriptor* type = gavel::v1::Role_descriptor();
  for (int i = 0; i < type->value_count(); ++i) {
    if (type->value(i)->number() != gavel::v1::ROLE_UNSPECIFIED) {
      roles.push_back(static_cast<gavel::v1::Role>(type->value(i)->number()));
    }
  }
  return roles;
}

std::string StreamOf(gavel::v1::AggregateKind kind, absl::string_view id) {
  const Aggregate* aggregate = Catalogue::Get().FindAggregate(kind);
  return absl::StrCat(aggregate == nullptr ? "" : aggregate->stream_prefix, id);
}

std::optional<absl::string_view> AggregateIdOf(gavel::v1::AggregateKind kind,
                                               absl::string_view stream_id) {
  const Aggregate* aggregate = Catalogue::Get().FindAggregate(kind);
  if (aggregate == nullptr ||
      !absl::StartsWith(stream_id, aggregate->stream_prefix)) {
    return std::nullopt;
  }
  return stream_id.substr(aggregate->stream_prefix.size());
}

std::optional<std::string> EventTypeOf(
    const google::protobuf::Message& wrapper) {
  const Descriptor* descriptor = wrapper.GetDescriptor();
  const google::protobuf::Reflection* reflection = wrapper.GetReflection();
  for (int i = 0; i < descriptor->oneof_decl_count(); ++i) {
    const FieldDescriptor* field =
        reflection->GetOneofFieldDescriptor(wrapper, descriptor->oneof_decl(i));
    if (field != nullptr && field->message_type() != nullptr) {
      return field->message_type()->name();
    }
  }
  return std::nullopt;
}

std::unique_ptr<google::protobuf::Message> DecodePayload(
    absl::string_view stream_id, absl::string_view payload) {
  const Aggregate* aggregate =
      Catalogue::Get().FindAggregateOfStream(stream_id);
  if (aggregate == nullptr || aggregate->prototype == nullptr) return nullptr;
  std::unique_ptr<google::protobuf::Message> event(aggregate->prototype->New());
  if (!event->ParseFromArray(payload.data(),
                             static_cast<int>(payload.size()))) {
    return nullptr;
  }
  return event;
}

}  // namespace gavel::catalogue
