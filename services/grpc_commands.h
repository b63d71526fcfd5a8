// Command RPCs over gRPC: authenticate the caller, check the RPC's roles
// (the catalogue's), and hand the command to the CommandIntake.
//
// The command services (every service whose RPCs each carry one domain
// command: StrategyService, GovernanceService, InitiativeService) are
// registered from their descriptors: one raw handler serves every RPC by
// parsing the request as the RPC's own message type, so adding a command
// needs no code here. The handlers use gRPC's code-generation API
// (grpc::Service::AddMethod, MarkMethodRawCallback and CallbackUnaryHandler
// on grpc::ByteBuffer), the same calls protoc's generated services make.
#ifndef GAVEL_SERVICES_GRPC_COMMANDS_H_
#define GAVEL_SERVICES_GRPC_COMMANDS_H_

#include <memory>
#include <vector>

#include "absl/strings/string_view.h"
#include "gavel/v1/command.pb.h"
#include "grpcpp/impl/service_type.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "services/authenticator.h"
#include "services/command_intake.h"

namespace gavel::services {

// The gRPC services that carry nothing but commands, one per service of
// the catalogue whose every RPC carries a command. Borrows `auth` and
// `intake`, which must outlive them. A request that does not parse as its
// RPC's message is INVALID_ARGUMENT (MALFORMED_REQUEST).
std::vector<std::unique_ptr<grpc::Service>> MakeCommandServices(
    const Authenticator* auth, CommandIntake* intake);

// Runs the command `request` carries ({ CommandOptions options = 1;
// <command> command = 2; }) for the RPC at `method_path` (e.g.
// "/gavel.v1.PortfolioPlanService/PublishPlan") if the caller may call it,
// and finishes the returned reactor with `reply` filled or with the mapped
// error. For hand-written services whose RPCs mix commands and reads.
grpc::ServerUnaryReactor* DispatchCommand(
    const Authenticator& auth, CommandIntake& intake,
    grpc::CallbackServerContext* context, absl::string_view method_path,
    const google::protobuf::Message& request, gavel::v1::CommandReply* reply);

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_GRPC_COMMANDS_H_
