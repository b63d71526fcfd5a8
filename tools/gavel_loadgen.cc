// gavel-loadgen: drives a running gaveld over gRPC and measures it.
//
//   gavel-loadgen --addr=127.0.0.1:50051 --token=$ADMIN
//     --members=chair:$T1,bo:$T2,cy:$T3 --concurrency=8 --duration_s=10
//   gavel-loadgen --ping --concurrency=64 --duration_s=5
//
// The token (default $GAVEL_TOKEN) must carry the admin role; --members
// (default $GAVEL_LOAD_MEMBERS) are board members' name:token pairs, the
// first one the board's chair. Without members (development mode) the
// admin is the board's only member. Reference data is created first
// (--setup, idempotent through fixed command ids); then N closed-loop
// clients send the command mix of tools/load_workload.h until --duration_s
// or --count. Prints name=value lines on stdout (each name prefixed by
// --metric_prefix) and a summary on stderr. Exit 1 when calls failed with
// transport or server errors, 2 for bad flags or a failed setup.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "tools/load_driver.h"
#include "tools/load_workload.h"

ABSL_FLAG(std::string, addr, "",
          "server address (default $GAVEL_ADDR, else 127.0.0.1:50051)");
ABSL_FLAG(std::string, token, "",
          "bearer token of an admin (default $GAVEL_TOKEN; empty in "
          "development mode)");
ABSL_FLAG(std::string, members, "",
          "board members as name:token,... the first is the chair (default "
          "$GAVEL_LOAD_MEMBERS; empty: the admin alone)");
ABSL_FLAG(int, concurrency, 8, "closed-loop clients, one call in flight each");
ABSL_FLAG(double, duration_s, 10, "seconds to run (unless --count)");
ABSL_FLAG(int64_t, count, 0, "stop after this many calls (0: --duration_s)");
ABSL_FLAG(bool, ping, false, "call AdminService.Ping instead of commands");
ABSL_FLAG(bool, setup, true, "create the reference data first");
ABSL_FLAG(bool, setup_only, false, "create the reference data and stop");
ABSL_FLAG(int, initiatives, 2000, "initiatives the commands spread over");
ABSL_FLAG(double, zipf_s, 1.0, "Zipf exponent of the initiative choice");
ABSL_FLAG(uint64_t, seed, 1, "random seed of the command mix");
ABSL_FLAG(std::string, run_id, "",
          "prefix of initiative and command ids (default s<seed>); use a new "
          "one for each run against the same server");
ABSL_FLAG(int, channels, 2, "HTTP/2 connections the clients share");
ABSL_FLAG(double, timeout_s, 10, "deadline of each call, in seconds");
ABSL_FLAG(std::string, metric_prefix, "",
          "prefix of every name=value line (e.g. load_commands_c8_)");

namespace {

using gavel::tools::LoadActor;
using gavel::tools::Quantile;

std::string FromEnv(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value == nullptr || *value == '\0' ? fallback : std::string(value);
}

double Ms(absl::Duration d) { return absl::ToDoubleMilliseconds(d); }

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Load generator for gaveld: gavel-loadgen --concurrency=8 "
      "--duration_s=10 [--ping]");
  absl::ParseCommandLine(argc, argv);
  std::string addr = absl::GetFlag(FLAGS_addr);
  if (addr.empty()) addr = FromEnv("GAVEL_ADDR", "127.0.0.1:50051");
  std::string token = absl::GetFlag(FLAGS_token);
  if (token.empty()) token = FromEnv("GAVEL_TOKEN", "");
  std::string members = absl::GetFlag(FLAGS_members);
  if (members.empty()) members = FromEnv("GAVEL_LOAD_MEMBERS", "");
  const int concurrency = absl::GetFlag(FLAGS_concurrency);
  const int initiatives = absl::GetFlag(FLAGS_initiatives);
  if (concurrency < 1 || initiatives < concurrency) {
    std::fprintf(stderr,
                 "--concurrency must be at least 1 and at most "
                 "--initiatives\n");
    return 2;
  }

  std::vector<LoadActor> actors = {{"", token}};
  for (absl::string_view entry :
       absl::StrSplit(members, ',', absl::SkipEmpty())) {
    std::vector<std::string> parts =
        absl::StrSplit(entry, absl::MaxSplits(':', 1));
    if (parts.size() != 2 || parts[0].empty()) {
      std::fprintf(stderr, "--members: expected name:token, got '%s'\n",
                   std::string(entry).c_str());
      return 2;
    }
    actors.push_back({parts[0], parts[1]});
  }

  gavel::tools::LoadDriverOptions driver_options;
  driver_options.address = addr;
  driver_options.channels = absl::GetFlag(FLAGS_channels);
  driver_options.call_timeout = absl::Seconds(absl::GetFlag(FLAGS_timeout_s));
  gavel::tools::LoadDriver driver(driver_options, actors);

  // The admin's principal name, from the server.
  absl::StatusOr<gavel::v1::GetStatusReply> before = driver.Status();
  if (!before.ok()) {
    std::fprintf(stderr, "cannot reach %s as the admin: %s\n", addr.c_str(),
                 before.status().ToString().c_str());
    return 2;
  }
  gavel::tools::WorkloadOptions workload_options;
  workload_options.initiatives = initiatives;
  workload_options.zipf_s = absl::GetFlag(FLAGS_zipf_s);
  const uint64_t seed = absl::GetFlag(FLAGS_seed);
  workload_options.run_prefix = absl::GetFlag(FLAGS_run_id);
  if (workload_options.run_prefix.empty()) {
    workload_options.run_prefix = absl::StrCat("s", seed);
  }
  workload_options.admin = before->principal();
  for (size_t i = 1; i < actors.size(); ++i) {
    workload_options.members.push_back(actors[i].name);
  }
  gavel::tools::LoadWorkload workload(workload_options);

  if (absl::GetFlag(FLAGS_setup) || absl::GetFlag(FLAGS_setup_only)) {
    const std::vector<gavel::tools::WorkloadStep> steps = workload.SetupSteps();
    const std::vector<grpc::Status> outcomes = driver.Send(steps, "load-setup");
    for (size_t i = 0; i < outcomes.size(); ++i) {
      const grpc::Status& s = outcomes[i];
      // ALREADY_EXISTS: set up by an earlier run.
      if (s.ok() || s.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
        continue;
      }
      std::fprintf(stderr, "setup step %zu failed: %s (%s)\n", i,
                   s.error_message().c_str(),
                   gavel::tools::ReasonOf(s).c_str());
      return 2;
    }
    std::fprintf(stderr, "setup: %zu reference commands sent\n",
                 outcomes.size());
    if (absl::GetFlag(FLAGS_setup_only)) return 0;
    before = driver.Status();
    if (!before.ok()) {
      std::fprintf(stderr, "%s\n", before.status().ToString().c_str());
      return 2;
    }
  }

  gavel::tools::LoadRunOptions run;
  run.concurrency = concurrency;
  run.duration = absl::Seconds(absl::GetFlag(FLAGS_duration_s));
  run.count = absl::GetFlag(FLAGS_count);
  run.ping = absl::GetFlag(FLAGS_ping);
  run.seed = seed;
  const gavel::tools::LoadRunResult result = driver.Run(
      run, workload, absl::StrCat(workload_options.run_prefix, "-c"));
  absl::StatusOr<gavel::v1::GetStatusReply> after = driver.Status();

  const std::string p = absl::GetFlag(FLAGS_metric_prefix);
  const double seconds = absl::ToDoubleSeconds(result.elapsed);
  const double per_s = seconds > 0 ? result.calls / seconds : 0;
  int64_t rejected = 0, errors = 0;
  for (const auto& [reason, n] : result.rejected) rejected += n;
  for (const auto& [code, n] : result.errors) errors += n;
  std::printf("%smode=%s\n", p.c_str(), run.ping ? "ping" : "commands");
  std::printf("%sconcurrency=%d\n", p.c_str(), concurrency);
  std::printf("%scalls=%lld\n", p.c_str(),
              static_cast<long long>(result.calls));
  std::printf("%sseconds=%.3f\n", p.c_str(), seconds);
  std::printf("%sper_s=%.0f\n", p.c_str(), per_s);
  std::printf("%sp50_ms=%.3f\n", p.c_str(),
              Ms(Quantile(result.latencies, 0.5)));
  std::printf("%sp90_ms=%.3f\n", p.c_str(),
              Ms(Quantile(result.latencies, 0.9)));
  std::printf("%sp99_ms=%.3f\n", p.c_str(),
              Ms(Quantile(result.latencies, 0.99)));
  std::printf("%sp999_ms=%.3f\n", p.c_str(),
              Ms(Quantile(result.latencies, 0.999)));
  std::printf("%saccepted=%lld\n", p.c_str(),
              static_cast<long long>(result.accepted));
  std::printf("%srejected=%lld\n", p.c_str(), static_cast<long long>(rejected));
  std::printf("%serrors=%lld\n", p.c_str(), static_cast<long long>(errors));
  for (const auto& [reason, n] : result.rejected) {
    std::printf("%srejected_%s=%lld\n", p.c_str(), reason.c_str(),
                static_cast<long long>(n));
  }
  for (const auto& [code, n] : result.errors) {
    std::printf("%serror_%s=%lld\n", p.c_str(), code.c_str(),
                static_cast<long long>(n));
  }
  double events_per_fsync = 0, commands_per_fsync = 0, append_ms = 0;
  if (after.ok()) {
    const gavel::v1::WriterStats& w0 = before->writer();
    const gavel::v1::WriterStats& w1 = after->writer();
    const uint64_t appends = w1.appends() - w0.appends();
    if (appends > 0) {
      events_per_fsync =
          static_cast<double>(w1.events_appended() - w0.events_appended()) /
          appends;
      commands_per_fsync =
          static_cast<double>(w1.commands_accepted() - w0.commands_accepted()) /
          appends;
      append_ms = (w1.append_micros() - w0.append_micros()) / 1000.0 / appends;
    }
    std::printf("%sfsyncs=%llu\n", p.c_str(),
                static_cast<unsigned long long>(appends));
    std::printf("%sevents_per_fsync=%.2f\n", p.c_str(), events_per_fsync);
    std::printf("%scommands_per_fsync=%.2f\n", p.c_str(), commands_per_fsync);
    std::printf("%sappend_ms_avg=%.3f\n", p.c_str(), append_ms);
    std::printf("%shead_position=%llu\n", p.c_str(),
                static_cast<unsigned long long>(after->head_position()));
  }

  std::fprintf(stderr,
               "%s: %d clients, %lld calls in %.2f s = %.0f/s; latency p50 "
               "%.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms\n",
               run.ping ? "ping" : "commands", concurrency,
               static_cast<long long>(result.calls), seconds, per_s,
               Ms(Quantile(result.latencies, 0.5)),
               Ms(Quantile(result.latencies, 0.9)),
               Ms(Quantile(result.latencies, 0.99)),
               Ms(Quantile(result.latencies, 0.999)));
  std::fprintf(stderr, "  accepted %lld, rejected %lld, errors %lld\n",
               static_cast<long long>(result.accepted),
               static_cast<long long>(rejected),
               static_cast<long long>(errors));
  for (const auto& [reason, n] : result.rejected) {
    std::fprintf(stderr, "  rejected %-28s %lld\n", reason.c_str(),
                 static_cast<long long>(n));
  }
  for (const auto& [code, n] : result.errors) {
    std::fprintf(stderr, "  error    %-28s %lld\n", code.c_str(),
                 static_cast<long long>(n));
  }
  for (const auto& [command, n] : result.accepted_by_command) {
    std::fprintf(stderr, "  accepted %-28s %lld\n", command.c_str(),
                 static_cast<long long>(n));
  }
  if (after.ok() && !run.ping) {
    std::fprintf(stderr,
                 "  writer: %.1f events and %.1f commands per fsync, %.2f ms "
                 "per synced append\n",
                 events_per_fsync, commands_per_fsync, append_ms);
  }
  return errors > 0 ? 1 : 0;
}
