#include "cli/admin_verbs.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cli/audit_verifier.h"
#include "cli/backup_restore.h"
#include "cli/connection.h"
#include "cli/output.h"
#include "gavel/v1/admin_service.grpc.pb.h"
#include "nlohmann/json.hpp"

namespace gavel::cli {

int Health(const CliOptions& options, absl::Span<const std::string>) {
  absl::StatusOr<std::unique_ptr<Connection>> connection =
      Connection::Create(options.connection);
  if (!connection.ok()) return FailLocal(connection.status(), 2);
  // grpc.health.v1.Health/Check with an empty HealthCheckRequest (all
  // services); the reply's field 1 is the ServingStatus (1 = SERVING).
  const UnaryReply reply =
      (*connection)->CallUnary("/grpc.health.v1.Health/Check", std::string());
  if (!reply.status.ok()) {
    return FailRpc(reply.status, (*connection)->address());
  }
  const std::string& bytes = reply.bytes;
  const bool serving = bytes.size() >= 2 && bytes[0] == 0x08 && bytes[1] == 1;
  if (options.json) {
    std::printf("{\"status\":\"%s\"}\n", serving ? "SERVING" : "NOT_SERVING");
  } else {
    std::printf("%s\n", serving ? "SERVING" : "NOT_SERVING");
  }
  return serving ? 0 : 1;
}

int AdminPing(const CliOptions& options, absl::Span<const std::string>) {
  absl::StatusOr<std::unique_ptr<Connection>> connection =
      Connection::Create(options.connection);
  if (!connection.ok()) return FailLocal(connection.status(), 2);
  auto stub = gavel::v1::AdminService::NewStub((*connection)->channel());
  gavel::v1::PingReply reply;
  grpc::Status status =
      stub->Ping((*connection)->NewCallContext().get(), {}, &reply);
  if (!status.ok()) return FailRpc(status, (*connection)->address());
  if (options.json) {
    std::printf("{}\n");
  } else {
    std::printf("pong\n");
  }
  return 0;
}

int AdminStatus(const CliOptions& options, absl::Span<const std::string>) {
  absl::StatusOr<std::unique_ptr<Connection>> connection =
      Connection::Create(options.connection);
  if (!connection.ok()) return FailLocal(connection.status(), 2);
  const auto [status, reply] = (*connection)->GetStatus();
  if (!status.ok()) return FailRpc(status, (*connection)->address());
  if (options.json) {
    PrintJson(reply);
    return 0;
  }
  const gavel::v1::WriterStats& writer = reply.writer();
  std::printf("server       gaveld %s at %s\n", reply.version().c_str(),
              (*connection)->address().c_str());
  std::printf("principal    %s%s\n", reply.principal().c_str(),
              reply.dev_mode() ? " (development mode: no authentication)" : "");
  std::printf("uptime       %llds\n",
              static_cast<long long>(reply.uptime().seconds()));
  std::printf("head         %llu\n",
              static_cast<unsigned long long>(reply.head_position()));
  std::printf("commands     %llu accepted, %llu rejected, %llu retried\n",
              static_cast<unsigned long long>(writer.commands_accepted()),
              static_cast<unsigned long long>(writer.commands_rejected()),
              static_cast<unsigned long long>(writer.commands_deduplicated()));
  std::printf(
      "writes       %llu synced appends of %llu events (largest "
      "batch %llu commands)\n",
      static_cast<unsigned long long>(writer.appends()),
      static_cast<unsigned long long>(writer.events_appended()),
      static_cast<unsigned long long>(writer.largest_batch()));
  std::vector<std::string> buckets;
  for (const gavel::v1::BatchSizeBucket& bucket : writer.batch_sizes()) {
    if (bucket.batches() == 0) continue;
    buckets.push_back(absl::StrCat(
        bucket.max_commands() == 0 ? "more"
                                   : absl::StrCat("<=", bucket.max_commands()),
        ":", bucket.batches()));
  }
  std::printf("batch sizes  %s\n",
              buckets.empty() ? "-" : absl::StrJoin(buckets, " ").c_str());
  for (const gavel::v1::ProjectionStatus& p : reply.projections()) {
    std::printf("projection   %-20s position %llu, lag %llu events%s%s%s\n",
                p.name().c_str(), static_cast<unsigned long long>(p.position()),
                static_cast<unsigned long long>(p.lag_events()),
                p.rebuilding() ? ", rebuilding" : "",
                p.rebuilds() > 0
                    ? absl::StrCat(", ", p.rebuilds(), " rebuilds").c_str()
                    : "",
                p.error().empty() ? "" : (", error: " + p.error()).c_str());
  }
  return 0;
}

// AdminService.RebuildProjection, then (with --wait) GetStatus until every
// projection rebuilt has completed one more rebuild, within --timeout_s.
int AdminRebuild(const CliOptions& options,
                 absl::Span<const std::string> args) {
  if (args.size() > 1) {
    std::fprintf(stderr, "error: admin rebuild takes one projection name\n");
    return 2;
  }
  absl::StatusOr<std::unique_ptr<Connection>> connection =
      Connection::Create(options.connection);
  if (!connection.ok()) return FailLocal(connection.status(), 2);
  const Connection& server = **connection;
  auto stub = gavel::v1::AdminService::NewStub(server.channel());
  const auto [status_before, before] = server.GetStatus();
  if (!status_before.ok()) return FailRpc(status_before, server.address());
  gavel::v1::RebuildProjectionRequest request;
  if (!args.empty()) request.set_name(args[0]);
  gavel::v1::RebuildProjectionReply reply;
  const absl::Time start = absl::Now();
  if (grpc::Status status = stub->RebuildProjection(
          server.NewCallContext().get(), request, &reply);
      !status.ok()) {
    return FailRpc(status, server.address());
  }
  std::map<std::string, uint64_t> rebuilds;  // name -> count before
  for (const gavel::v1::ProjectionStatus& p : before.projections()) {
    if (request.name().empty() || p.name() == request.name()) {
      rebuilds[p.name()] = p.rebuilds();
    }
  }
  const bool wait = options.admin.wait_for_rebuild;
  const double timeout_s = options.connection.timeout_s;
  const absl::Time deadline = start + absl::Seconds(timeout_s);
  bool done = !wait;
  while (!done) {
    const auto [status, after] = server.GetStatus();
    if (!status.ok()) return FailRpc(status, server.address());
    done = true;
    for (const gavel::v1::ProjectionStatus& p : after.projections()) {
      auto it = rebuilds.find(p.name());
      if (it != rebuilds.end() &&
          (p.rebuilding() || p.rebuilds() <= it->second)) {
        done = false;
      }
    }
    if (!done && absl::Now() > deadline) {
      std::fprintf(stderr,
                   "error: the rebuild (ticket %llu) is still running after "
                   "%.0f s; see gavel admin status\n",
                   static_cast<unsigned long long>(reply.ticket()), timeout_s);
      return 1;
    }
    if (!done) absl::SleepFor(absl::Milliseconds(50));
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  if (options.json) {
    std::printf("{\"ticket\":%llu,\"waited\":%s,\"seconds\":%.3f}\n",
                static_cast<unsigned long long>(reply.ticket()),
                wait ? "true" : "false", seconds);
    return 0;
  }
  std::vector<std::string> names;
  for (const auto& [name, count] : rebuilds) names.push_back(name);
  if (wait) {
    std::printf("rebuilt %s from position 0 in %.2f s (ticket %llu)\n",
                absl::StrJoin(names, ", ").c_str(), seconds,
                static_cast<unsigned long long>(reply.ticket()));
  } else {
    std::printf("rebuilding %s (ticket %llu); gavel admin status shows it\n",
                absl::StrJoin(names, ", ").c_str(),
                static_cast<unsigned long long>(reply.ticket()));
  }
  return 0;
}

int AdminBackup(const CliOptions& options, absl::Span<const std::string>) {
  const std::string& name = options.admin.backup_name;
  if (name.empty()) {
    std::fprintf(stderr,
                 "usage: gavel admin backup --out=NAME [--with_signing_key]\n");
    return 2;
  }
  absl::StatusOr<std::unique_ptr<Connection>> connection =
      Connection::Create(options.connection);
  if (!connection.ok()) return FailLocal(connection.status(), 2);
  auto stub = gavel::v1::AdminService::NewStub((*connection)->channel());
  gavel::v1::BackupRequest request;
  request.set_name(name);
  request.set_include_signing_key(options.admin.backup_signing_key);
  gavel::v1::BackupReply reply;
  // A backup takes as long as the copy: no default deadline.
  std::unique_ptr<grpc::ClientContext> context =
      (*connection)->NewCallContext();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::hours(24));
  grpc::Status status = stub->Backup(context.get(), request, &reply);
  if (!status.ok()) return FailRpc(status, (*connection)->address());
  if (options.json) {
    PrintJson(reply);
    return 0;
  }
  std::printf("backup      %s\n", reply.path().c_str());
  std::printf("records     %llu\n",
              static_cast<unsigned long long>(reply.head_position()));
  std::printf("checkpoint  tree size %llu\n%s",
              static_cast<unsigned long long>(reply.checkpoint_size()),
              reply.checkpoint().c_str());
  return 0;
}

int AdminRestore(const CliOptions& options, absl::Span<const std::string>) {
  const std::string& from = options.admin.restore_from;
  const std::string& data_dir = options.admin.restore_data_dir;
  if (from.empty() || data_dir.empty() || options.key_file.empty()) {
    std::fprintf(stderr,
                 "usage: gavel admin restore --from=BACKUP_DIR "
                 "--data_dir=DIR --key=FILE\n"
                 "  --key is the verifier key you trust (signing_key.pub "
                 "kept apart from the backup): a backup's own key proves "
                 "nothing about it\n");
    return 2;
  }
  absl::StatusOr<note::NoteVerifier> verifier =
      ReadVerifierKeyFile(options.key_file);
  if (!verifier.ok()) return FailLocal(verifier.status(), 2);
  absl::StatusOr<RestoredBackup> restored =
      RestoreBackup(from, data_dir, *verifier);
  if (!restored.ok()) return FailLocal(restored.status(), 1);
  if (options.json) {
    std::printf(
        "%s\n",
        nlohmann::json{{"data_dir", data_dir},
                       {"head_position", restored->head_position},
                       {"checkpoint_size", restored->checkpoint.tree_size}}
            .dump()
            .c_str());
    return 0;
  }
  std::printf(
      "restored %llu records into %s; checkpoint of tree size %llu "
      "verified and pinned (gaveld refuses to serve a log that does not "
      "match it)\n",
      static_cast<unsigned long long>(restored->head_position),
      data_dir.c_str(),
      static_cast<unsigned long long>(restored->checkpoint.tree_size));
  return 0;
}

}  // namespace gavel::cli
