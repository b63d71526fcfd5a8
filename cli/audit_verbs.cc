#include "cli/audit_verbs.h"

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "cli/audit_export.h"
#include "cli/audit_verifier.h"
#include "cli/connection.h"
#include "cli/decision_replay.h"
#include "cli/output.h"
#include "gavel/v1/audit_service.grpc.pb.h"
#include "gavel/v1/portfolio_query_service.grpc.pb.h"
#include "transparency/rfc9162.h"

namespace gavel::cli {
namespace {

// A required non-negative count (--index, --size, ...); nullopt (after
// printing why) when it is missing.
std::optional<uint64_t> RequiredCount(std::optional<uint64_t> value,
                                      const char* name) {
  if (!value.has_value()) {
    std::fprintf(stderr, "error: --%s=N (N >= 0) is required\n", name);
  }
  return value;
}

// A required hash (--leaf_hash, --root, ...); nullopt (after printing why)
// if it is missing or malformed.
std::optional<std::string> RequiredHash(const std::string& text,
                                        const char* name) {
  absl::StatusOr<std::string> hash = ParseHash(text);
  if (!hash.ok()) {
    std::fprintf(stderr, "error: --%s: %s\n", name,
                 std::string(hash.status().message()).c_str());
    return std::nullopt;
  }
  return *std::move(hash);
}

// The hashes of --proof; nullopt (after printing why) if one is malformed.
std::optional<std::vector<std::string>> ProofHashes(const std::string& text) {
  absl::StatusOr<std::vector<std::string>> proof = ParseHashList(text);
  if (!proof.ok()) {
    std::fprintf(stderr, "error: --proof: %s\n",
                 std::string(proof.status().message()).c_str());
    return std::nullopt;
  }
  return *std::move(proof);
}

// What FetchAndReplay found.
struct FetchedRecords {
  // OK, or why the records were not all replayed; `rpc` is not OK when
  // the call itself failed.
  absl::Status status;
  grpc::Status rpc;
  // The replay's root after the first `mark` leaves.
  rfc9162::Hash root_at_mark{};
};

// Streams the records of leaves [0, size) into `replay`, checking each
// names its position, and hands each to `sink` (if set).
FetchedRecords FetchAndReplay(
    const Connection& server, gavel::v1::AuditService::Stub& stub,
    uint64_t size, uint64_t mark, TreeReplay& replay,
    const std::function<absl::Status(absl::string_view)>& sink) {
  FetchedRecords fetched;
  if (mark == 0) fetched.root_at_mark = replay.Root();
  if (size == 0) return fetched;
  gavel::v1::GetEntriesRequest request;
  request.set_start_index(0);
  request.set_end_index(size);
  std::unique_ptr<grpc::ClientContext> context = server.NewStreamContext();
  std::unique_ptr<grpc::ClientReader<gavel::v1::GetEntriesReply>> reader =
      stub.GetEntries(context.get(), request);
  gavel::v1::GetEntriesReply reply;
  while (reader->Read(&reply)) {
    for (const gavel::v1::Entry& entry : reply.entries()) {
      if (entry.leaf_index() != replay.size()) {
        context->TryCancel();
        fetched.status = absl::FailedPreconditionError(
            absl::StrCat("the server sent leaf ", entry.leaf_index(),
                         " where leaf ", replay.size(), " belongs"));
        return fetched;
      }
      if (absl::Status status = replay.Add(entry.record()); !status.ok()) {
        context->TryCancel();
        fetched.status = status;
        return fetched;
      }
      if (sink) {
        if (absl::Status status = sink(entry.record()); !status.ok()) {
          context->TryCancel();
          fetched.status = status;
          return fetched;
        }
      }
      if (replay.size() == mark) fetched.root_at_mark = replay.Root();
    }
  }
  fetched.rpc = reader->Finish();
  if (!fetched.rpc.ok()) {
    fetched.status = absl::UnavailableError("fetching the entries failed");
  } else if (replay.size() != size) {
    fetched.status = absl::FailedPreconditionError(absl::StrCat(
        "the server sent ", replay.size(), " records for a tree of ", size));
  }
  return fetched;
}

// Every decision the server's decision history serves once it has applied
// `position` (PortfolioQueryService.ListDecisions, page by page).
absl::StatusOr<std::vector<gavel::v1::DecisionRecord>> ServedDecisions(
    const Connection& server, uint64_t position) {
  auto stub = gavel::v1::PortfolioQueryService::NewStub(server.channel());
  std::vector<gavel::v1::DecisionRecord> decisions;
  gavel::v1::ListDecisionsRequest request;
  request.mutable_read()->set_min_position(position);
  request.set_page_size(500);
  do {
    gavel::v1::ListDecisionsReply reply;
    if (grpc::Status status =
            stub->ListDecisions(server.NewCallContext().get(), request, &reply);
        !status.ok()) {
      return absl::UnavailableError(absl::StrCat(
          "reading the server's decisions: ", status.error_message()));
    }
    decisions.insert(decisions.end(), reply.decisions().begin(),
                     reply.decisions().end());
    request.set_page_token(reply.next_page_token());
  } while (!request.page_token().empty());
  return decisions;
}

// The exit code of a failed FetchAndReplay.
int FailFetch(const FetchedRecords& fetched, const Connection& server) {
  return fetched.rpc.ok() ? FailLocal(fetched.status, 1)
                          : FailRpc(fetched.rpc, server.address());
}

}  // namespace

int AuditVerifyInclusion(const CliOptions& options,
                         absl::Span<const std::string>) {
  const AuditOptions& audit = options.audit;
  std::optional<uint64_t> index = RequiredCount(audit.index, "index");
  std::optional<uint64_t> size = RequiredCount(audit.size, "size");
  std::optional<std::string> leaf = RequiredHash(audit.leaf_hash, "leaf_hash");
  std::optional<std::string> root = RequiredHash(audit.root, "root");
  std::optional<std::vector<std::string>> proof = ProofHashes(audit.proof);
  if (!index || !size || !leaf || !root || !proof) return 2;
  if (absl::Status status =
          rfc9162::VerifyInclusionBytes(*index, *size, *leaf, *proof, *root);
      !status.ok()) {
    return FailLocal(status, 1);
  }
  std::printf("OK\n");
  return 0;
}

int AuditVerifyConsistency(const CliOptions& options,
                           absl::Span<const std::string>) {
  const AuditOptions& audit = options.audit;
  std::optional<uint64_t> size1 = RequiredCount(audit.size1, "size1");
  std::optional<uint64_t> size2 = RequiredCount(audit.size2, "size2");
  std::optional<std::string> root1 = RequiredHash(audit.root1, "root1");
  std::optional<std::string> root2 = RequiredHash(audit.root2, "root2");
  std::optional<std::vector<std::string>> proof = ProofHashes(audit.proof);
  if (!size1 || !size2 || !root1 || !root2 || !proof) return 2;
  if (absl::Status status = rfc9162::VerifyConsistencyBytes(
          *size1, *size2, *root1, *root2, *proof);
      !status.ok()) {
    return FailLocal(status, 1);
  }
  std::printf("OK\n");
  return 0;
}

int AuditCheckpoint(const CliOptions& options, absl::Span<const std::string>) {
  absl::StatusOr<std::optional<note::NoteVerifier>> verifier =
      ReadOptionalVerifierKeyFile(options.key_file);
  if (!verifier.ok()) return FailLocal(verifier.status(), 2);
  absl::StatusOr<std::unique_ptr<Connection>> connection =
      Connection::Create(options.connection);
  if (!connection.ok()) return FailLocal(connection.status(), 2);
  const auto [status, reply] = (*connection)->GetCheckpoint();
  if (!status.ok()) return FailRpc(status, (*connection)->address());
  if (options.json) {
    PrintJson(reply.checkpoint());
  } else {
    std::printf("%s", reply.checkpoint().note().c_str());
  }
  if (!verifier->has_value()) return 0;
  absl::StatusOr<note::TlogCheckpoint> checkpoint =
      VerifySignedCheckpoint(reply.checkpoint().note(), **verifier);
  if (!checkpoint.ok()) return FailLocal(checkpoint.status(), 1);
  std::fprintf(stderr, "signature OK: log \"%s\" size %llu\n",
               checkpoint->origin.c_str(),
               static_cast<unsigned long long>(checkpoint->tree_size));
  return 0;
}

int AuditExport(const CliOptions& options, absl::Span<const std::string>) {
  const std::string& out = options.audit.export_dir;
  if (out.empty()) {
    std::fprintf(stderr, "error: --out=DIR is required\n");
    return 2;
  }
  absl::StatusOr<std::optional<note::NoteVerifier>> verifier =
      ReadOptionalVerifierKeyFile(options.key_file);
  if (!verifier.ok()) return FailLocal(verifier.status(), 2);
  absl::StatusOr<std::unique_ptr<Connection>> connection =
      Connection::Create(options.connection);
  if (!connection.ok()) return FailLocal(connection.status(), 2);
  const Connection& server = **connection;
  auto stub = gavel::v1::AuditService::NewStub(server.channel());
  const auto [status, reply] = server.GetCheckpoint();
  if (!status.ok()) return FailRpc(status, server.address());
  const std::string& note_text = reply.checkpoint().note();
  absl::StatusOr<note::TlogCheckpoint> checkpoint;
  if (verifier->has_value()) {
    checkpoint = VerifySignedCheckpoint(note_text, **verifier);
  } else if (absl::StatusOr<note::SignedNote> parsed =
                 note::ParseNote(note_text);
             parsed.ok()) {
    checkpoint = note::ParseCheckpoint(parsed->text);
  } else {
    checkpoint = parsed.status();
  }
  if (!checkpoint.ok()) return FailLocal(checkpoint.status(), 1);

  absl::StatusOr<std::unique_ptr<ExportWriter>> writer =
      ExportWriter::Create(out);
  if (!writer.ok()) return FailLocal(writer.status(), 1);
  TreeReplay replay;
  if (FetchedRecords fetched =
          FetchAndReplay(server, *stub, checkpoint->tree_size, 0, replay,
                         [&writer](absl::string_view record) {
                           return (*writer)->Add(record);
                         });
      !fetched.status.ok()) {
    return FailFetch(fetched, server);
  }
  if (replay.Root() != checkpoint->root) {
    return FailLocal(absl::FailedPreconditionError(
                         "the records the server sent do not hash to its "
                         "signed root: not exported"),
                     1);
  }
  if (absl::Status status = (*writer)->Finish(note_text); !status.ok()) {
    return FailLocal(status, 1);
  }
  std::printf("exported %llu records of log \"%s\" (root %s) to %s\n",
              static_cast<unsigned long long>(replay.size()),
              checkpoint->origin.c_str(), RootBase64(checkpoint->root).c_str(),
              out.c_str());
  return 0;
}

int AuditVerifyExport(const CliOptions& options,
                      absl::Span<const std::string> args) {
  const std::string& key_file = options.key_file;
  if (args.size() != 1 || key_file.empty()) {
    std::fprintf(stderr,
                 "error: usage: gavel audit verify-export DIR "
                 "--key=FILE\n");
    return 2;
  }
  absl::StatusOr<note::NoteVerifier> verifier = ReadVerifierKeyFile(key_file);
  if (!verifier.ok()) return FailLocal(verifier.status(), 2);
  DecisionReplay decisions;
  absl::StatusOr<VerifiedExport> verified = VerifyExport(
      args[0], *verifier, [&decisions](const gavel::v1::EventRecord& record) {
        decisions.Add(record);
      });
  if (!verified.ok()) return FailLocal(verified.status(), 1);
  const bool json = options.json;
  for (const ReplayedDecision& decision : decisions.decisions()) {
    if (json) {
      std::printf("%s\n", DecisionJson(decision).c_str());
    } else {
      std::printf("%s\n", FormatDecision(decision).c_str());
    }
  }
  std::fprintf(json ? stderr : stdout,
               "verified: log \"%s\" size %llu root %s; %zu decisions\n",
               verified->checkpoint.origin.c_str(),
               static_cast<unsigned long long>(verified->records),
               RootBase64(verified->checkpoint.root).c_str(),
               decisions.decisions().size());
  return 0;
}

int AuditVerify(const CliOptions& options, absl::Span<const std::string>) {
  const std::string& state_file = options.audit.state_file;
  const std::string& key_file = options.key_file;
  if (state_file.empty() || key_file.empty()) {
    std::fprintf(stderr, "error: --state=FILE and --key=FILE are required\n");
    return 2;
  }
  absl::StatusOr<note::NoteVerifier> verifier = ReadVerifierKeyFile(key_file);
  if (!verifier.ok()) return FailLocal(verifier.status(), 1);
  absl::StatusOr<std::optional<note::TlogCheckpoint>> trusted =
      ReadTrustedCheckpoint(state_file, *verifier);
  if (!trusted.ok()) return FailLocal(trusted.status(), 1);
  if (!trusted->has_value() && !options.audit.trust_on_first_use) {
    return FailLocal(
        absl::FailedPreconditionError(absl::StrCat(
            state_file,
            " holds no trusted checkpoint: a first run must say "
            "--trust_on_first_use (and you should compare the checkpoint it "
            "prints with one obtained out of band)")),
        1);
  }

  absl::StatusOr<std::unique_ptr<Connection>> connection =
      Connection::Create(options.connection);
  if (!connection.ok()) return FailLocal(connection.status(), 2);
  const Connection& server = **connection;
  auto stub = gavel::v1::AuditService::NewStub(server.channel());
  const auto [status, reply] = server.GetCheckpoint();
  if (!status.ok()) return FailRpc(status, server.address());
  const std::string& note_text = reply.checkpoint().note();
  absl::StatusOr<note::TlogCheckpoint> latest =
      VerifySignedCheckpoint(note_text, *verifier);
  if (!latest.ok()) {
    return FailLocal(absl::Status(latest.status().code(),
                                  absl::StrCat("the server's checkpoint: ",
                                               latest.status().message())),
                     1);
  }
  if (absl::Status fresh = CheckFresh(*latest, options.audit.max_age);
      !fresh.ok()) {
    return FailLocal(fresh, 1);
  }
  std::string summary;
  if (trusted->has_value()) {
    const note::TlogCheckpoint& old = **trusted;
    std::vector<std::string> proof;
    if (old.tree_size > 0 && old.tree_size < latest->tree_size) {
      gavel::v1::GetConsistencyProofRequest request;
      request.set_first_size(old.tree_size);
      request.set_second_size(latest->tree_size);
      gavel::v1::GetConsistencyProofReply proof_reply;
      if (grpc::Status status = stub->GetConsistencyProof(
              server.NewCallContext().get(), request, &proof_reply);
          !status.ok()) {
        return FailRpc(status, server.address());
      }
      proof.assign(proof_reply.proof().begin(), proof_reply.proof().end());
    }
    if (absl::Status status = CheckConsistentAdvance(old, *latest, proof);
        !status.ok()) {
      return FailLocal(status, 1);
    }
    summary = absl::StrCat("consistent: log \"", latest->origin, "\" size ",
                           old.tree_size, " -> ", latest->tree_size, " root ",
                           RootBase64(latest->root));
  } else {
    summary =
        absl::StrCat("trusted on first use: log \"", latest->origin, "\" size ",
                     latest->tree_size, " root ", RootBase64(latest->root));
  }
  if (options.audit.replay) {
    // The proofs come from the server's stored tree nodes; the records
    // themselves must hash to the same roots.
    const uint64_t trusted_size =
        trusted->has_value() ? (*trusted)->tree_size : latest->tree_size;
    TreeReplay replay;
    DecisionReplay decisions;
    const FetchedRecords fetched = FetchAndReplay(
        server, *stub, latest->tree_size, trusted_size, replay,
        [&decisions](absl::string_view bytes) {
          gavel::v1::EventRecord record;
          if (record.ParseFromArray(bytes.data(),
                                    static_cast<int>(bytes.size()))) {
            decisions.Add(record);
          }
          return absl::OkStatus();
        });
    if (!fetched.status.ok()) return FailFetch(fetched, server);
    if (trusted->has_value() && fetched.root_at_mark != (*trusted)->root) {
      return FailLocal(
          absl::FailedPreconditionError(absl::StrCat(
              "the first ", trusted_size,
              " records no longer hash to the trusted root: the log was "
              "altered")),
          1);
    }
    if (replay.Root() != latest->root) {
      return FailLocal(absl::FailedPreconditionError(absl::StrCat(
                           "the ", latest->tree_size,
                           " records do not hash to the signed root")),
                       1);
    }
    absl::StrAppend(&summary, "; ", replay.size(),
                    " records re-hashed to both roots");
    // What the server's read models serve must be what the records say.
    absl::StatusOr<std::vector<gavel::v1::DecisionRecord>> served =
        ServedDecisions(server, latest->tree_size);
    if (!served.ok()) return FailLocal(served.status(), 1);
    if (absl::Status same = CheckServedDecisions(decisions.decisions(), *served,
                                                 latest->tree_size);
        !same.ok()) {
      return FailLocal(same, 1);
    }
    absl::StrAppend(&summary, "; the ", decisions.decisions().size(),
                    " decisions served match the log");
  }
  if (absl::Status status = WriteFileAtomically(state_file, note_text);
      !status.ok()) {
    return FailLocal(status, 1);
  }
  std::printf("%s\n", summary.c_str());
  return 0;
}

}  // namespace gavel::cli
