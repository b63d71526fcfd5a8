#include "services/aggregate_kinds.h"

#include "google/protobuf/descriptor.h"

namespace gavel::services {

std::string EventTypeOf(const google::protobuf::Message& wrapper) {
  const google::protobuf::Descriptor* descriptor = wrapper.GetDescriptor();
  const google::protobuf::Reflection* reflection = wrapper.GetReflection();
  for (int i = 0; i < descriptor->oneof_decl_count(); ++i) {
    const google::protobuf::FieldDescriptor* field =
        reflection->GetOneofFieldDescriptor(wrapper, descriptor->oneof_decl(i));
    if (field != nullptr && field->message_type() != nullptr) {
      return field->message_type()->name();
    }
  }
  return "Unknown";
}

}  // namespace gavel::services
