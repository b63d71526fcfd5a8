// The path every command RPC takes: authenticate the caller, check its
// role, validate the command options, and hand the command to the writer;
// the RPC finishes when the writer has committed (or rejected) it.
#ifndef GAVEL_SERVICES_COMMAND_DISPATCH_H_
#define GAVEL_SERVICES_COMMAND_DISPATCH_H_

#include <functional>
#include <initializer_list>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gavel/v1/command.pb.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "services/authenticator.h"
#include "services/command_processor.h"
#include "services/principal.h"
#include "services/server_metrics.h"

namespace gavel::services {

// Largest serialized domain command accepted (a submission with its
// benefits, milestones and capacity demand is a few kilobytes).
inline constexpr size_t kMaxCommandBytes = 256 << 10;

// Thread-safe. Borrows `auth`, `processor` and `metrics` (optional: null
// measures nothing), which must outlive it.
class CommandDispatch {
 public:
  CommandDispatch(const Authenticator* auth, CommandProcessor* processor,
                  ServerMetrics* metrics = nullptr)
      : auth_(auth), processor_(processor), metrics_(metrics) {}

  // Runs `command` for the RPC `method` (e.g. "InitiativeService/
  // SubmitInitiative") if the caller has one of `roles`, and finishes the
  // returned reactor with `reply` filled or with the mapped error:
  // UNAUTHENTICATED, PERMISSION_DENIED (ROLE_REQUIRED), INVALID_ARGUMENT
  // for a missing or over-long command_id or an oversized command, and
  // whatever the writer reports.
  grpc::ServerUnaryReactor* Dispatch(grpc::CallbackServerContext* context,
                                     absl::string_view method,
                                     std::initializer_list<Role> roles,
                                     const gavel::v1::CommandOptions& options,
                                     gavel::v1::Command command,
                                     gavel::v1::CommandReply* reply);

  // The caller of `context` if it has one of `roles`: UNAUTHENTICATED, or
  // PERMISSION_DENIED (ROLE_REQUIRED) naming `method`.
  absl::StatusOr<Principal> Authorize(grpc::CallbackServerContext* context,
                                      absl::string_view method,
                                      std::initializer_list<Role> roles) const;

  // Validates `options` and the size of `command`, then hands it to the
  // writer as `principal`; calls `done` once with the reply or the error
  // (INVALID_ARGUMENT for bad options, whatever the writer reports), on
  // this thread or the writer's. `done` must be quick. For services that
  // finish their reactor themselves (e.g. after solving a plan).
  // `retry_key`, when not empty, replaces the command in the idempotency
  // fingerprint: for commands the server derives from a request (a solved
  // plan), a retry of the same request finds the first result even though
  // the derived command would differ.
  void Submit(const Principal& principal, absl::string_view method,
              const gavel::v1::CommandOptions& options,
              gavel::v1::Command command,
              std::function<void(absl::StatusOr<gavel::v1::CommandReply>)> done,
              absl::string_view retry_key = "");

  // The fingerprint a retry of (method, options, command) by `actor` must
  // repeat: another principal reusing the command_id is refused.
  static std::string Digest(absl::string_view method, absl::string_view actor,
                            const gavel::v1::CommandOptions& options,
                            const gavel::v1::Command& command);

 private:
  const Authenticator* const auth_;
  CommandProcessor* const processor_;
  ServerMetrics* const metrics_;
};

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_COMMAND_DISPATCH_H_
