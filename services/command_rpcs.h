// The command services (StrategyService, GovernanceService,
// InitiativeService): one RPC per domain command, each a thin adapter onto
// CommandDispatch. Generated: see proto/tools/generate_command_api.py.
#ifndef GAVEL_SERVICES_COMMAND_RPCS_H_
#define GAVEL_SERVICES_COMMAND_RPCS_H_

#include <memory>
#include <vector>

#include "grpcpp/impl/service_type.h"
#include "services/command_dispatch.h"

namespace gavel::services {

// The three command services over `dispatch`, which must outlive them.
std::vector<std::unique_ptr<grpc::Service>> MakeCommandServices(
    CommandDispatch* dispatch);

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_COMMAND_RPCS_H_
