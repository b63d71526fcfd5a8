#include "cli/demo_load.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cli/cli_commands.h"
#include "cli/connection.h"
#include "cli/output.h"
#include "cli/plan_verbs.h"
#include "gavel/v1/admin_service.grpc.pb.h"
#include "gavel/v1/portfolio_plan_service.pb.h"
#include "tools/demo_portfolio.h"

namespace gavel::cli {

int DemoLoad(const CliOptions& options, absl::Span<const std::string> args) {
  if (!args.empty()) {
    std::fprintf(stderr, "error: demo load takes no arguments (--seed=N)\n");
    return 2;
  }
  absl::StatusOr<std::unique_ptr<Connection>> connection =
      Connection::Create(options.connection);
  if (!connection.ok()) return FailLocal(connection.status(), 2);
  const Connection& server = **connection;
  const auto [status, status_reply] = server.GetStatus();
  if (!status.ok()) return FailRpc(status, server.address());
  tools::DemoOptions demo;
  demo.seed = options.demo_seed;
  demo.today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  demo.chair = status_reply.principal();
  const absl::Time start = absl::Now();
  uint64_t commands = 0, events = 0, deduplicated = 0, first = 0, last = 0;
  for (const tools::DemoPhase& phase : tools::DemoPortfolio(demo)) {
    for (size_t i = 0; i < phase.commands.size(); ++i) {
      absl::StatusOr<CommandRequest> request = BuildCommandRequest(
          phase.commands[i], tools::DemoCommandId(demo.seed, phase.name, i));
      if (!request.ok()) return FailLocal(request.status(), 1);
      const UnaryReply call =
          server.CallUnary(request->method->path, request->bytes);
      if (!call.status.ok() && commands == 0 &&
          call.status.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
        std::fprintf(stderr,
                     "error: objective \"%s\" already exists: this server "
                     "has the demo from another --seed, or a portfolio of "
                     "its own. Load the demo into an empty server (a new "
                     "--data_dir).\n",
                     tools::kDemoFirstObjectiveId);
        return 1;
      }
      if (!call.status.ok()) {
        std::fprintf(stderr, "demo load: %s step %zu (gavel %s %s) failed\n",
                     phase.name.c_str(), i,
                     request->method->cli->group().c_str(),
                     request->method->cli->verb().c_str());
        return FailRpc(call.status, server.address());
      }
      gavel::v1::CommandReply reply;
      if (!reply.ParseFromString(call.bytes)) {
        return FailLocal(absl::DataLossError("the reply does not parse"), 1);
      }
      ++commands;
      // A deduplicated reply carries the first run's positions: the plan's
      // optimization below waits for the same position either way (its
      // request, idempotency key included, must not change).
      last = std::max<uint64_t>(last, reply.last_position());
      if (reply.deduplicated()) {
        ++deduplicated;
        continue;
      }
      events += reply.events_size();
      if (first == 0) first = reply.first_position();
    }
    if (!phase.optimize_plan_id.empty()) {
      gavel::v1::OptimizeScenarioRequest optimize;
      optimize.set_plan_id(phase.optimize_plan_id);
      optimize.mutable_options()->set_command_id(
          tools::DemoCommandId(demo.seed, phase.name, phase.commands.size()));
      optimize.set_min_position(last);
      gavel::v1::OptimizeScenarioReply reply;
      if (int rc = CallPlan(server, "OptimizeScenario", optimize, reply);
          rc != 0) {
        std::fprintf(stderr, "demo load: optimizing plan %s failed\n",
                     phase.optimize_plan_id.c_str());
        return rc;
      }
      ++commands;
      if (reply.command().deduplicated()) {
        ++deduplicated;
      } else {
        events += reply.command().events_size();
        last = std::max<uint64_t>(last, reply.command().last_position());
      }
    }
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  if (options.json) {
    std::printf(
        "{\"seed\":%llu,\"commands\":%llu,\"deduplicated\":%llu,"
        "\"events\":%llu,\"first_position\":%llu,\"last_position\":%llu,"
        "\"seconds\":%.3f}\n",
        static_cast<unsigned long long>(demo.seed),
        static_cast<unsigned long long>(commands),
        static_cast<unsigned long long>(deduplicated),
        static_cast<unsigned long long>(events),
        static_cast<unsigned long long>(first),
        static_cast<unsigned long long>(last), seconds);
  } else if (deduplicated == commands) {
    std::printf(
        "The demo portfolio (seed %llu) is already loaded: all %llu commands "
        "were deduplicated, nothing changed.\n",
        static_cast<unsigned long long>(demo.seed),
        static_cast<unsigned long long>(commands));
  } else {
    std::printf(
        "Loaded the demo portfolio (seed %llu): %llu commands, %llu events "
        "at positions %llu..%llu in %.1f s%s.\n",
        static_cast<unsigned long long>(demo.seed),
        static_cast<unsigned long long>(commands - deduplicated),
        static_cast<unsigned long long>(events),
        static_cast<unsigned long long>(first),
        static_cast<unsigned long long>(last), seconds,
        deduplicated > 0
            ? absl::StrCat(" (", deduplicated, " were already there)").c_str()
            : "");
  }
  return 0;
}

}  // namespace gavel::cli
