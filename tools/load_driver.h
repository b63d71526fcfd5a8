// Drives a running gaveld with N closed-loop clients over gRPC's callback
// API: each client has one call in flight and starts the next one from the
// completion callback, so 64 clients cost no 64 threads and the load
// generator stays off the critical path (DESIGN.md §2: the server's cost is
// the fsync; the client must not be the bottleneck). Calls go through a
// generic stub with request bytes built once per command, so every one of
// the 47 command RPCs is reached without a 47-way switch.
#ifndef GAVEL_TOOLS_LOAD_DRIVER_H_
#define GAVEL_TOOLS_LOAD_DRIVER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gavel/v1/admin_service.pb.h"
#include "gavel/v1/command.pb.h"
#include "grpcpp/channel.h"
#include "grpcpp/support/status.h"
#include "tools/load_workload.h"

namespace gavel::tools {

// Who sends a call.
struct LoadActor {
  std::string name;
  std::string token;  // empty: no authorization header (development mode)
};

struct LoadDriverOptions {
  std::string address = "127.0.0.1:50051";
  // Separate HTTP/2 connections the clients are spread over.
  int channels = 2;
  absl::Duration call_timeout = absl::Seconds(10);
};

struct LoadRunOptions {
  int concurrency = 1;
  // Stop after `duration`, or after `count` calls when count > 0.
  absl::Duration duration = absl::Seconds(10);
  int64_t count = 0;
  // AdminService.Ping instead of commands.
  bool ping = false;
  uint64_t seed = 1;
};

// What a run measured.
struct LoadRunResult {
  int64_t calls = 0;
  absl::Duration elapsed;
  // Latencies of every completed call, sorted.
  std::vector<absl::Duration> latencies;
  int64_t accepted = 0;
  // Domain rejections (and ALREADY_EXISTS), by ErrorInfo reason.
  std::map<std::string, int64_t> rejected;
  // Transport and server errors (UNAVAILABLE, DEADLINE_EXCEEDED, ...), by
  // code name.
  std::map<std::string, int64_t> errors;
  // Accepted commands by command name (e.g. "submit_initiative").
  std::map<std::string, int64_t> accepted_by_command;
};

// The `q` quantile (0..1) of sorted `latencies` (zero when empty).
absl::Duration Quantile(const std::vector<absl::Duration>& latencies, double q);

// The ErrorInfo reason of a failed call (Gavel's error details), or the
// status code's name when the call carries none.
std::string ReasonOf(const grpc::Status& status);

// Thread-compatible: one Run / Setup / Status at a time.
class LoadDriver {
 public:
  // Connects lazily to options.address; actors[0] is the admin.
  LoadDriver(const LoadDriverOptions& options, std::vector<LoadActor> actors);
  ~LoadDriver();
  LoadDriver(const LoadDriver&) = delete;
  LoadDriver& operator=(const LoadDriver&) = delete;

  // AdminService.GetStatus as actors[0]; the gRPC status on failure
  // (needs the admin, auditor or service role).
  absl::StatusOr<gavel::v1::GetStatusReply> Status();

  // Sends `steps` one after another, with command ids "<id_prefix>-<i>".
  // Returns the outcome of each (OK, or the failed call's status).
  std::vector<grpc::Status> Send(const std::vector<WorkloadStep>& steps,
                                 const std::string& id_prefix);

  // Runs the closed loop against `workload` (untouched when options.ping).
  // Command ids are "<id_prefix>-<client>-<n>".
  LoadRunResult Run(const LoadRunOptions& options, LoadWorkload& workload,
                    const std::string& id_prefix);

 private:
  class Client;
  struct Shared;

  // The request bytes of `step`'s RPC and the RPC's full method name
  // (pointing into a map that lives as long as the driver).
  std::string RequestBytes(const gavel::v1::Command& command,
                           const std::string& command_id) const;
  const std::string& MethodOf(const gavel::v1::Command& command) const;

  LoadDriverOptions options_;
  std::vector<LoadActor> actors_;
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  // Command message full name -> "/gavel.v1.<Service>/<Method>".
  std::map<std::string, std::string> methods_;
};

}  // namespace gavel::tools

#endif  // GAVEL_TOOLS_LOAD_DRIVER_H_
