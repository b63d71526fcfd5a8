// The path every command takes into the writer, whatever the transport:
// validate the command options and the command's size, fingerprint the
// request for idempotent retries, hand it to the single writer, and turn
// its outcome into a CommandReply. The gRPC services (services/
// grpc_commands.h) and the HTTP gateway call it after authenticating the
// caller and checking its roles.
#ifndef GAVEL_SERVICES_COMMAND_INTAKE_H_
#define GAVEL_SERVICES_COMMAND_INTAKE_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gavel/v1/command.pb.h"
#include "services/principal.h"
#include "services/server_metrics.h"
#include "writer/command_processor.h"

namespace gavel::services {

// Largest serialized domain command accepted (a submission with its
// benefits, milestones and capacity demand is a few kilobytes).
inline constexpr size_t kMaxCommandBytes = 256 << 10;

// Thread-safe. Borrows `processor` and `metrics` (optional: null measures
// nothing), which must outlive it.
class CommandIntake {
 public:
  explicit CommandIntake(writer::CommandProcessor* processor,
                         ServerMetrics* metrics = nullptr)
      : processor_(processor), metrics_(metrics) {}

  // Validates `options` and the size of `command`, then hands it to the
  // writer as `principal` (whose right to call `method`, e.g.
  // "/gavel.v1.InitiativeService/SubmitInitiative", the caller checked);
  // calls `done` once with the reply or the error (INVALID_ARGUMENT for a
  // missing or over-long command_id or correlation_id or an oversized
  // command, whatever the writer reports), on this thread or the writer's.
  // `done` must be quick. `retry_key`, when not empty, replaces the command
  // in the idempotency fingerprint: for commands the server derives from a
  // request (a solved plan), a retry of the same request finds the first
  // result even though the derived command would differ.
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
  writer::CommandProcessor* const processor_;
  ServerMetrics* const metrics_;
};

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_COMMAND_INTAKE_H_
