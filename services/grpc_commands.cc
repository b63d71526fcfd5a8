#include "services/grpc_commands.h"

#include <functional>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "domain/reasons.h"
#include "domain/rejection.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "grpcpp/impl/codegen/server_callback_handlers.h"
#include "grpcpp/impl/rpc_service_method.h"
#include "grpcpp/support/byte_buffer.h"
#include "proto/catalogue.h"
#include "services/grpc_status.h"

namespace gavel::services {
namespace {

using google::protobuf::Message;

// Submits the command `request` carries (a {options, command} request of
// `method`) as the caller of `context`, if it may call `method`; `done`
// gets the writer's reply or the error.
void Submit(const Authenticator& auth, CommandIntake& intake,
            const catalogue::Method& method,
            const grpc::CallbackServerContext& context, const Message& request,
            std::function<void(absl::StatusOr<gavel::v1::CommandReply>)> done) {
  absl::StatusOr<Principal> principal = auth.Authorize(context, method.path);
  if (!principal.ok()) {
    done(principal.status());
    return;
  }
  const google::protobuf::Reflection& r = *request.GetReflection();
  const google::protobuf::Descriptor& type = *request.GetDescriptor();
  const auto& options =
      *google::protobuf::DynamicCastToGenerated<gavel::v1::CommandOptions>(
          &r.GetMessage(request, type.FindFieldByNumber(1)));
  gavel::v1::Command command;
  command.GetReflection()
      ->MutableMessage(&command, method.command->envelope_field)
      ->CopyFrom(r.GetMessage(request, type.FindFieldByNumber(2)));
  intake.Submit(*principal, method.path, options, std::move(command),
                std::move(done));
}

// One command RPC of a command service: parses the request as the
// method's own message.
grpc::ServerUnaryReactor* ServeRaw(const Authenticator& auth,
                                   CommandIntake& intake,
                                   const catalogue::Method& method,
                                   grpc::CallbackServerContext* context,
                                   const grpc::ByteBuffer* request,
                                   grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(
          method.descriptor->input_type());
  std::unique_ptr<Message> parsed(prototype->New());
  grpc::ByteBuffer bytes(*request);
  if (!grpc::SerializationTraits<Message>::Deserialize(&bytes, parsed.get())
           .ok()) {
    reactor->Finish(ToGrpcStatus(domain::Reject(
        domain::kMalformedRequest, "",
        absl::StrCat("the request is not a valid ",
                     method.descriptor->input_type()->full_name()))));
    return reactor;
  }
  Submit(auth, intake, method, *context, *parsed,
         [reactor, response](absl::StatusOr<gavel::v1::CommandReply> reply) {
           if (!reply.ok()) {
             reactor->Finish(ToGrpcStatus(reply.status()));
             return;
           }
           bool own_buffer = false;
           reactor->Finish(grpc::SerializationTraits<Message>::Serialize(
               *reply, response, &own_buffer));
         });
  return reactor;
}

// A service whose RPCs are the command RPCs of one service descriptor.
class CommandService final : public grpc::Service {
 public:
  CommandService(const Authenticator* auth, CommandIntake* intake,
                 std::vector<const catalogue::Method*> methods) {
    for (size_t i = 0; i < methods.size(); ++i) {
      const catalogue::Method* method = methods[i];
      AddMethod(new grpc::internal::RpcServiceMethod(
          method->path.c_str(), grpc::internal::RpcMethod::NORMAL_RPC,
          nullptr));
      MarkMethodRawCallback(
          static_cast<int>(i),
          new grpc::internal::CallbackUnaryHandler<grpc::ByteBuffer,
                                                   grpc::ByteBuffer>(
              [auth, intake, method](grpc::CallbackServerContext* context,
                                     const grpc::ByteBuffer* request,
                                     grpc::ByteBuffer* response) {
                return ServeRaw(*auth, *intake, *method, context, request,
                                response);
              }));
    }
  }
};

}  // namespace

std::vector<std::unique_ptr<grpc::Service>> MakeCommandServices(
    const Authenticator* auth, CommandIntake* intake) {
  // Methods per service, in the catalogue's order; a service qualifies when
  // every one of its RPCs carries a command.
  std::vector<const google::protobuf::ServiceDescriptor*> order;
  absl::flat_hash_map<const google::protobuf::ServiceDescriptor*,
                      std::vector<const catalogue::Method*>>
      methods;
  for (const catalogue::Method& method :
       catalogue::Catalogue::Get().methods()) {
    const google::protobuf::ServiceDescriptor* service =
        method.descriptor->service();
    if (!methods.contains(service)) order.push_back(service);
    methods[service].push_back(&method);
  }
  std::vector<std::unique_ptr<grpc::Service>> services;
  for (const google::protobuf::ServiceDescriptor* service : order) {
    const std::vector<const catalogue::Method*>& rpcs = methods[service];
    bool all_commands = true;
    for (const catalogue::Method* method : rpcs) {
      all_commands = all_commands && method->command != nullptr &&
                     !method->descriptor->client_streaming() &&
                     !method->descriptor->server_streaming();
    }
    if (all_commands) {
      services.push_back(std::make_unique<CommandService>(auth, intake, rpcs));
    }
  }
  return services;
}

grpc::ServerUnaryReactor* DispatchCommand(
    const Authenticator& auth, CommandIntake& intake,
    grpc::CallbackServerContext* context, absl::string_view method_path,
    const google::protobuf::Message& request, gavel::v1::CommandReply* reply) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const catalogue::Method* method =
      catalogue::Catalogue::Get().FindMethod(method_path);
  if (method == nullptr || method->command == nullptr) {
    reactor->Finish(ToGrpcStatus(absl::InternalError(
        absl::StrCat(method_path, " carries no command in the catalogue"))));
    return reactor;
  }
  Submit(auth, intake, *method, *context, request,
         [reactor, reply](absl::StatusOr<gavel::v1::CommandReply> out) {
           if (out.ok()) *reply = *std::move(out);
           reactor->Finish(ToGrpcStatus(out.status()));
         });
  return reactor;
}

}  // namespace gavel::services
