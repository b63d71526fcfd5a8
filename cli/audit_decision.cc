#include "cli/audit_decision.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/audit_verifier.h"
#include "cli/connection.h"
#include "cli/decision_replay.h"
#include "cli/output.h"
#include "gavel/v1/audit_service.grpc.pb.h"
#include "gavel/v1/event_stream_service.grpc.pb.h"
#include "proto/catalogue.h"
#include "transparency/rfc9162.h"

namespace gavel::cli {
namespace {

// The positions of the records that make up one decision, or the failed
// call that was to find them.
struct DecisionPositions {
  grpc::Status status;
  // Empty if the initiative has no decided review with that number.
  std::vector<uint64_t> positions;
};

// The positions of the records that make up decision `review` of the
// initiative whose stream is `stream_id`: its review request, recusals,
// votes and the decision, read with EventStreamService.ReadStream.
DecisionPositions FindDecisionPositions(const Connection& server,
                                        const std::string& stream_id,
                                        int32_t review) {
  auto stub = gavel::v1::EventStreamService::NewStub(server.channel());
  DecisionPositions found;
  bool decided = false;
  uint64_t from_version = 1;
  while (true) {
    gavel::v1::ReadStreamRequest request;
    request.set_stream_id(stream_id);
    request.set_from_version(from_version);
    request.set_limit(1000);
    gavel::v1::ReadStreamReply reply;
    found.status =
        stub->ReadStream(server.NewCallContext().get(), request, &reply);
    if (!found.status.ok()) return found;
    if (reply.events().records().empty()) break;
    for (const gavel::v1::EventRecord& record : reply.events().records()) {
      gavel::v1::InitiativeEvent event;
      if (!event.ParseFromString(record.payload())) continue;
      int32_t number = 0;
      switch (event.event_case()) {
        case gavel::v1::InitiativeEvent::kGateReviewRequested:
          number = event.gate_review_requested().review_number();
          break;
        case gavel::v1::InitiativeEvent::kMemberRecused:
          number = event.member_recused().review_number();
          break;
        case gavel::v1::InitiativeEvent::kGateVoteCast:
          number = event.gate_vote_cast().review_number();
          break;
        case gavel::v1::InitiativeEvent::kGateDecided:
          number = event.gate_decided().review_number();
          decided = decided || number == review;
          break;
        default:
          break;
      }
      if (number == review) found.positions.push_back(record.position());
      from_version = record.stream_version() + 1;
    }
  }
  if (!decided) found.positions.clear();
  return found;
}

}  // namespace

int AuditDecision(const CliOptions& options,
                  absl::Span<const std::string> args) {
  const std::string& key_file = options.key_file;
  if (args.size() != 1 || key_file.empty()) {
    std::fprintf(stderr,
                 "error: usage: gavel audit decision INITIATIVE/REVIEW "
                 "--key=FILE [--state=FILE]\n");
    return 2;
  }
  const size_t slash = args[0].rfind('/');
  int32_t review = 0;
  if (slash == std::string::npos || slash == 0 ||
      !absl::SimpleAtoi(args[0].substr(slash + 1), &review) || review <= 0) {
    std::fprintf(stderr,
                 "error: a decision id is INITIATIVE/REVIEW, e.g. crm/2 "
                 "(got \"%s\")\n",
                 args[0].c_str());
    return 2;
  }
  const std::string initiative_id = args[0].substr(0, slash);
  absl::StatusOr<note::NoteVerifier> verifier = ReadVerifierKeyFile(key_file);
  if (!verifier.ok()) return FailLocal(verifier.status(), 2);
  std::optional<note::TlogCheckpoint> trusted;
  if (const std::string& state = options.audit.state_file; !state.empty()) {
    absl::StatusOr<std::optional<note::TlogCheckpoint>> read =
        ReadTrustedCheckpoint(state, *verifier);
    if (!read.ok()) return FailLocal(read.status(), 1);
    trusted = *read;
  }

  absl::StatusOr<std::unique_ptr<Connection>> connection =
      Connection::Create(options.connection);
  if (!connection.ok()) return FailLocal(connection.status(), 2);
  const Connection& server = **connection;
  const DecisionPositions found = FindDecisionPositions(
      server,
      catalogue::StreamOf(gavel::v1::AGGREGATE_KIND_INITIATIVE, initiative_id),
      review);
  if (!found.status.ok()) return FailRpc(found.status, server.address());
  const std::vector<uint64_t>& positions = found.positions;
  if (positions.empty()) {
    std::fprintf(stderr, "error: no decision %s in the log\n", args[0].c_str());
    return 1;
  }

  // Every record is fetched as stored, with its inclusion proof, against
  // one signed checkpoint; only proven records make up the printout.
  auto audit = gavel::v1::AuditService::NewStub(server.channel());
  // A decision just recorded may be newer than the latest periodic
  // checkpoint: ask for one of the durable head (the verifier still checks
  // its signature below).
  if (const auto [status, latest] = server.GetCheckpoint();
      status.ok() &&
      latest.checkpoint().tree_size() <
          *std::max_element(positions.begin(), positions.end())) {
    gavel::v1::SignCheckpointReply signed_now;
    (void)audit->SignCheckpoint(server.NewCallContext().get(), {}, &signed_now);
  }
  std::optional<note::TlogCheckpoint> checkpoint;
  DecisionReplay replay;
  std::vector<std::string> evidence;
  for (const uint64_t position : positions) {
    gavel::v1::GetEntryWithProofRequest request;
    request.set_leaf_index(position - 1);
    if (checkpoint) request.set_tree_size(checkpoint->tree_size);
    if (trusted && !checkpoint) request.set_trusted_size(trusted->tree_size);
    gavel::v1::GetEntryWithProofReply reply;
    if (grpc::Status status = audit->GetEntryWithProof(
            server.NewCallContext().get(), request, &reply);
        !status.ok()) {
      return FailRpc(status, server.address());
    }
    if (!checkpoint) {
      absl::StatusOr<note::TlogCheckpoint> signed_cp =
          VerifySignedCheckpoint(reply.checkpoint().note(), *verifier);
      if (!signed_cp.ok()) return FailLocal(signed_cp.status(), 1);
      if (trusted) {
        const std::vector<std::string> proof(reply.consistency_proof().begin(),
                                             reply.consistency_proof().end());
        if (absl::Status status =
                CheckConsistentAdvance(*trusted, *signed_cp, proof);
            !status.ok()) {
          return FailLocal(status, 1);
        }
      }
      checkpoint = *std::move(signed_cp);
    }
    const std::string& bytes = reply.entry().record();
    const std::vector<std::string> proof(reply.inclusion_proof().begin(),
                                         reply.inclusion_proof().end());
    const rfc9162::Hash leaf = rfc9162::HashLeaf(bytes);
    if (absl::Status status = rfc9162::VerifyInclusionBytes(
            position - 1, checkpoint->tree_size, rfc9162::AsBytes(leaf), proof,
            rfc9162::AsBytes(checkpoint->root));
        !status.ok()) {
      return FailLocal(status, 1);
    }
    gavel::v1::EventRecord record;
    if (!record.ParseFromString(bytes) || record.position() != position) {
      return FailLocal(absl::FailedPreconditionError(absl::StrCat(
                           "the entry at leaf ", position - 1,
                           " is not the record of position ", position)),
                       1);
    }
    replay.Add(record);
    std::vector<std::string> hex;
    for (const std::string& hash : proof) {
      hex.push_back(absl::BytesToHexString(hash));
    }
    evidence.push_back(absl::StrCat(
        "  ", record.event_type(), " at position ", position, ": leaf ",
        position - 1, " hash ", rfc9162::ToHex(leaf), "\n    proof ",
        hex.empty() ? "(none)" : absl::StrJoin(hex, ",")));
  }
  if (replay.decisions().size() != 1) {
    return FailLocal(absl::FailedPreconditionError(
                         "the proven records do not hold exactly one decision"),
                     1);
  }
  const ReplayedDecision& decision = replay.decisions()[0];
  const std::string signed_by = absl::StrCat(
      "log \"", checkpoint->origin, "\" size ", checkpoint->tree_size, " root ",
      RootBase64(checkpoint->root),
      trusted ? absl::StrCat(", consistent with the trusted size ",
                             trusted->tree_size)
              : "");
  if (options.json) {
    std::printf("%s\n", DecisionJson(decision).c_str());
    std::fprintf(stderr, "proven against %s\n", signed_by.c_str());
    return 0;
  }
  std::printf("%s", FormatDecision(decision).c_str());
  std::printf(
      "evidence: every record above is included in the signed "
      "checkpoint of %s\n%s\n",
      signed_by.c_str(), absl::StrJoin(evidence, "\n").c_str());
  return 0;
}

}  // namespace gavel::cli
