#include "cli/cli_commands.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"

namespace gavel::cli {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

absl::Status Bad(absl::string_view path, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", why));
}

// The enum value named `text`, with or without the enum's prefix
// (GATE_VOTE_GO, go), case-insensitive.
const google::protobuf::EnumValueDescriptor* FindEnumValue(
    const google::protobuf::EnumDescriptor& type, absl::string_view text) {
  const std::string upper = absl::AsciiStrToUpper(text);
  for (int i = 0; i < type.value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* value = type.value(i);
    if (value->name() == upper || absl::EndsWith(value->name(), "_" + upper)) {
      return value;
    }
  }
  int number = 0;
  if (absl::SimpleAtoi(text, &number)) return type.FindValueByNumber(number);
  return nullptr;
}

absl::Status SetScalar(Message& message, const FieldDescriptor& field,
                       absl::string_view path, absl::string_view value) {
  const Reflection& r = *message.GetReflection();
  const bool repeated = field.is_repeated();
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string text(value);
      if (field.type() == FieldDescriptor::TYPE_BYTES &&
          absl::StartsWith(value, "hex:")) {
        text = absl::HexStringToBytes(value.substr(4));
      }
      repeated ? r.AddString(&message, &field, text)
               : r.SetString(&message, &field, text);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t v;
      if (!absl::SimpleAtoi(value, &v)) return Bad(path, "not an integer");
      repeated ? r.AddInt32(&message, &field, v)
               : r.SetInt32(&message, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t v;
      if (!absl::SimpleAtoi(value, &v)) return Bad(path, "not an integer");
      repeated ? r.AddInt64(&message, &field, v)
               : r.SetInt64(&message, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t v;
      if (!absl::SimpleAtoi(value, &v)) return Bad(path, "not an integer");
      repeated ? r.AddUInt32(&message, &field, v)
               : r.SetUInt32(&message, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t v;
      if (!absl::SimpleAtoi(value, &v)) return Bad(path, "not an integer");
      repeated ? r.AddUInt64(&message, &field, v)
               : r.SetUInt64(&message, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      double v;
      if (!absl::SimpleAtod(value, &v)) return Bad(path, "not a number");
      if (field.cpp_type() == FieldDescriptor::CPPTYPE_FLOAT) {
        repeated ? r.AddFloat(&message, &field, static_cast<float>(v))
                 : r.SetFloat(&message, &field, static_cast<float>(v));
      } else {
        repeated ? r.AddDouble(&message, &field, v)
                 : r.SetDouble(&message, &field, v);
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool v;
      if (!absl::SimpleAtob(value, &v)) return Bad(path, "not true/false");
      repeated ? r.AddBool(&message, &field, v)
               : r.SetBool(&message, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const google::protobuf::EnumValueDescriptor* v =
          FindEnumValue(*field.enum_type(), value);
      if (v == nullptr) {
        std::string names;
        for (int i = 0; i < field.enum_type()->value_count(); ++i) {
          absl::StrAppend(&names, i ? ", " : "",
                          field.enum_type()->value(i)->name());
        }
        return Bad(path, absl::StrCat("not one of ", names));
      }
      repeated ? r.AddEnum(&message, &field, v)
               : r.SetEnum(&message, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return Bad(path, "a message: give it in the JSON file (--file)");
}

}  // namespace

namespace {

std::vector<const catalogue::Method*> Verbs(bool commands) {
  std::vector<const catalogue::Method*> verbs;
  for (const catalogue::Method& method :
       catalogue::Catalogue::Get().methods()) {
    if (method.cli.has_value() && (method.command != nullptr) == commands) {
      verbs.push_back(&method);
    }
  }
  return verbs;
}

const catalogue::Method* FindVerb(bool commands, absl::string_view group,
                                  absl::string_view verb) {
  const catalogue::Method* method =
      catalogue::Catalogue::Get().FindCliVerb(group, verb);
  return method != nullptr && (method->command != nullptr) == commands
             ? method
             : nullptr;
}

absl::StatusOr<std::unique_ptr<Message>> NewOf(const Descriptor* type) {
  const Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type);
  if (prototype == nullptr) {
    return absl::InternalError(
        absl::StrCat("no generated type ", type->full_name()));
  }
  return std::unique_ptr<Message>(prototype->New());
}

}  // namespace

std::vector<const catalogue::Method*> CommandVerbs() { return Verbs(true); }

std::vector<const catalogue::Method*> QueryVerbs() { return Verbs(false); }

const catalogue::Method* FindCommandVerb(absl::string_view group,
                                         absl::string_view verb) {
  return FindVerb(true, group, verb);
}

const catalogue::Method* FindQueryVerb(absl::string_view group,
                                       absl::string_view verb) {
  return FindVerb(false, group, verb);
}

absl::StatusOr<std::unique_ptr<Message>> NewRequest(
    const catalogue::Method& method) {
  return NewOf(method.descriptor->input_type());
}

absl::StatusOr<std::unique_ptr<Message>> NewReply(
    const catalogue::Method& method) {
  return NewOf(method.descriptor->output_type());
}

absl::StatusOr<CommandRequest> BuildCommandRequest(
    const gavel::v1::Command& command, absl::string_view command_id) {
  const Reflection& reflection = *command.GetReflection();
  const google::protobuf::OneofDescriptor* oneof =
      command.GetDescriptor()->FindOneofByName("command");
  const FieldDescriptor* set =
      oneof == nullptr ? nullptr
                       : reflection.GetOneofFieldDescriptor(command, oneof);
  if (set == nullptr) return absl::InvalidArgumentError("no command is set");
  const catalogue::Catalogue& catalogue = catalogue::Catalogue::Get();
  const catalogue::Command* entry = catalogue.FindCommand(set->message_type());
  const catalogue::Method* method =
      entry == nullptr ? nullptr : catalogue.FindCommandRpc(*entry);
  if (method == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("no RPC carries ", set->message_type()->name()));
  }
  absl::StatusOr<std::unique_ptr<Message>> request = NewRequest(*method);
  if (!request.ok()) return request.status();
  const Descriptor& descriptor = *(*request)->GetDescriptor();
  const Reflection& r = *(*request)->GetReflection();
  r.MutableMessage(request->get(), descriptor.FindFieldByNumber(2))
      ->CopyFrom(reflection.GetMessage(command, set));
  auto* options =
      google::protobuf::DynamicCastToGenerated<gavel::v1::CommandOptions>(
          r.MutableMessage(request->get(), descriptor.FindFieldByNumber(1)));
  options->set_command_id(std::string(command_id));
  return CommandRequest{method, (*request)->SerializeAsString()};
}

absl::Status MergeJson(absl::string_view json, Message& command) {
  std::unique_ptr<Message> parsed(command.New());
  google::protobuf::util::JsonParseOptions options;
  if (const auto status = google::protobuf::util::JsonStringToMessage(
          std::string(json), parsed.get(), options);
      !status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the JSON is not a ", command.GetTypeName(), ": ", status.ToString()));
  }
  command.MergeFrom(*parsed);
  return absl::OkStatus();
}

absl::Status SetField(Message& message, absl::string_view path,
                      absl::string_view value) {
  Message* current = &message;
  const std::vector<absl::string_view> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* field =
        current->GetDescriptor()->FindFieldByName(std::string(parts[i]));
    if (field == nullptr) {
      return Bad(path, absl::StrCat(current->GetDescriptor()->name(),
                                    " has no field ", parts[i]));
    }
    if (i + 1 == parts.size()) return SetScalar(*current, *field, path, value);
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE ||
        field->is_repeated()) {
      return Bad(path,
                 absl::StrCat(parts[i], field->is_repeated()
                                            ? " is repeated: give it in --file"
                                            : " is not a message"));
    }
    current = current->GetReflection()->MutableMessage(current, field);
  }
  return Bad(path, "empty field path");
}

std::string DescribeFields(const Descriptor& descriptor) {
  std::string out;
  for (int i = 0; i < descriptor.field_count(); ++i) {
    const FieldDescriptor* field = descriptor.field(i);
    std::string type = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE
                           ? field->message_type()->name()
                       : field->cpp_type() == FieldDescriptor::CPPTYPE_ENUM
                           ? field->enum_type()->name()
                           : field->type_name();
    absl::StrAppend(
        &out, "  ", field->name(), "  ",
        field->is_repeated() ? "repeated " : "", type,
        field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE
            ? (field->is_repeated() ? " (--file)" : " (a.b=value or --file)")
            : "",
        "\n");
  }
  return out;
}

}  // namespace gavel::cli
