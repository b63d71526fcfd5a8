#include "services/command_intake.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "domain/reasons.h"
#include "domain/rejection.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "storage/key_format.h"
#include "transparency/rfc9162.h"

namespace gavel::services {
namespace {

constexpr size_t kMaxCorrelationIdBytes = 128;

absl::Status ValidateOptions(const gavel::v1::CommandOptions& options) {
  if (options.command_id().empty()) {
    return domain::Reject(domain::kMissingField, "options.command_id",
                          "every command needs a client-chosen command_id");
  }
  if (options.command_id().size() > storage::kMaxCommandIdBytes ||
      options.command_id().find('\0') != std::string::npos) {
    return domain::Reject(
        domain::kValueOutOfRange, "options.command_id",
        absl::StrCat("command_id must be at most ", storage::kMaxCommandIdBytes,
                     " bytes, without NUL"));
  }
  if (options.correlation_id().size() > kMaxCorrelationIdBytes) {
    return domain::Reject(domain::kValueOutOfRange, "options.correlation_id",
                          absl::StrCat("correlation_id must be at most ",
                                       kMaxCorrelationIdBytes, " bytes"));
  }
  return absl::OkStatus();
}

void FillReply(const writer::CommandOutcome& outcome,
               gavel::v1::CommandReply& reply) {
  reply.set_first_position(outcome.first_position);
  reply.set_last_position(outcome.last_position);
  reply.set_stream_id(outcome.stream_id);
  reply.set_version(outcome.version);
  reply.set_deduplicated(outcome.deduplicated);
  for (const storage::StoredEvent& event : outcome.events) {
    // The stored bytes are an EventRecord (served re-encoded here; the
    // audit and stream APIs serve the stored bytes themselves).
    if (!reply.add_events()->ParseFromString(event.bytes)) {
      reply.mutable_events()->RemoveLast();
    }
  }
}

}  // namespace

std::string CommandIntake::Digest(absl::string_view method,
                                  absl::string_view actor,
                                  const gavel::v1::CommandOptions& options,
                                  const gavel::v1::Command& command) {
  std::string serialized;
  {
    google::protobuf::io::StringOutputStream stream(&serialized);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    command.SerializeToCodedStream(&coded);
  }
  std::string expected = "none";
  if (options.has_expected_version()) {
    expected = absl::StrCat(options.expected_version());
  }
  const rfc9162::Hash hash = rfc9162::Sha256(
      {method, absl::string_view("\0", 1), actor, absl::string_view("\0", 1),
       expected, absl::string_view("\0", 1), serialized});
  return std::string(rfc9162::AsBytes(hash));
}

void CommandIntake::Submit(
    const Principal& principal, absl::string_view method,
    const gavel::v1::CommandOptions& options, gavel::v1::Command command,
    std::function<void(absl::StatusOr<gavel::v1::CommandReply>)> done,
    absl::string_view retry_key) {
  if (absl::Status valid = ValidateOptions(options); !valid.ok()) {
    done(valid);
    return;
  }
  if (command.ByteSizeLong() > kMaxCommandBytes) {
    done(domain::Reject(
        domain::kValueOutOfRange, "command",
        absl::StrCat("a command is at most ", kMaxCommandBytes, " bytes")));
    return;
  }
  writer::PendingCommand pending;
  // The fingerprint names the RPC as "Service/Method", as releases before
  // the catalogue did, so that a retry across an upgrade still matches.
  const absl::string_view rpc = absl::StripPrefix(method, "/gavel.v1.");
  if (retry_key.empty()) {
    pending.digest = Digest(rpc, principal.name, options, command);
  } else {
    const rfc9162::Hash hash =
        rfc9162::Sha256({rpc, absl::string_view("\0", 1), principal.name,
                         absl::string_view("\0", 1), "request",
                         absl::string_view("\0", 1), retry_key});
    pending.digest = std::string(rfc9162::AsBytes(hash));
  }
  pending.command = std::move(command);
  pending.command_id = options.command_id();
  if (options.has_expected_version()) {
    pending.expected_version = options.expected_version();
  }
  pending.correlation_id = options.correlation_id();
  pending.actor = principal.name;
  processor_->Submit(
      std::move(pending),
      [done = std::move(done), metrics = metrics_,
       received = absl::Now()](absl::StatusOr<writer::CommandOutcome> outcome) {
        if (metrics != nullptr) {
          metrics->command_seconds.Observe(
              {absl::StatusCodeToString(outcome.status().code())},
              absl::ToDoubleSeconds(absl::Now() - received));
        }
        if (!outcome.ok()) {
          done(outcome.status());
          return;
        }
        gavel::v1::CommandReply reply;
        FillReply(*outcome, reply);
        done(std::move(reply));
      });
}

}  // namespace gavel::services
