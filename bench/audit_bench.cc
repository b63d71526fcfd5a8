// Audit figures. Prints one name=value line per figure:
//
//   audit_inclusion_proof_us          median time to build one inclusion
//                                     proof (random leaf, whole tree) in a
//                                     log of --records records
//   audit_verify_export_events_per_s  `gavel audit verify-export`'s work on
//                                     an export of that log: read, parse,
//                                     re-hash every record, compare the
//                                     root, replay the decision history
//   storage_append_durable_batch100_events_per_s   100 events per synced
//   storage_append_durable_batch100_no_tree_events_per_s   Append (10
//                                     commands of 10), with and without the
//                                     Merkle tree, alternating rounds
//   audit_merkle_tree_cost_pct        1 - with / without per round, median
//                                     (target <= 15)
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/append_workload.h"
#include "cli/audit_export.h"
#include "cli/decision_replay.h"
#include "storage/event_log.h"
#include "transparency/signed_note.h"
#include "transparency/tlog_checkpoint.h"

ABSL_FLAG(int64_t, records, 1000000, "records in the audited log");
ABSL_FLAG(int, proofs, 2000, "inclusion proofs timed (median)");
ABSL_FLAG(int, rounds, 5, "alternating rounds per append figure (median)");
ABSL_FLAG(double, seconds, 1.5, "duration of one append round");
ABSL_FLAG(std::string, dir, "", "scratch directory (default: a temp dir)");

namespace gavel::bench {
namespace {

namespace fs = std::filesystem;

template <typename T>
T OrDie(absl::StatusOr<T> value, absl::string_view what) {
  if (!value.ok()) {
    std::fprintf(stderr, "%s: %s\n", std::string(what).c_str(),
                 value.status().ToString().c_str());
    std::exit(1);
  }
  return *std::move(value);
}

void OrDie(const absl::Status& status, absl::string_view what) {
  if (!status.ok()) {
    std::fprintf(stderr, "%s: %s\n", std::string(what).c_str(),
                 status.ToString().c_str());
    std::exit(1);
  }
}

void ProofAndExportFigures(const fs::path& scratch) {
  const int64_t records = absl::GetFlag(FLAGS_records);
  std::unique_ptr<storage::EventLog> log =
      OpenLog((scratch / "log").string(), false, true);
  Fill(*log, records);
  const uint64_t size = log->Head();

  absl::BitGen bits;
  std::vector<double> micros;
  for (int i = 0; i < absl::GetFlag(FLAGS_proofs); ++i) {
    const uint64_t index = absl::Uniform<uint64_t>(bits, 0, size);
    const absl::Time start = absl::Now();
    std::vector<rfc9162::Hash> proof =
        OrDie(log->InclusionProof(index, size), "inclusion proof");
    micros.push_back(absl::ToDoubleMicroseconds(absl::Now() - start));
    if (proof.empty() && size > 1) std::exit(1);
  }
  std::printf("audit_inclusion_proof_us=%.1f\n", Median(micros));
  std::fflush(stdout);

  // The bundle `gavel audit export` writes, signed by a fresh key.
  const note::NoteSigner signer =
      OrDie(note::NoteSigner::Generate("bench.gavel.example"), "key");
  note::TlogCheckpoint checkpoint;
  checkpoint.origin = "bench.gavel.example";
  checkpoint.tree_size = size;
  checkpoint.root = OrDie(log->RootAt(size), "root");
  const std::string note =
      OrDie(signer.SignNote(note::FormatCheckpoint(checkpoint)), "sign");
  const std::string bundle = (scratch / "bundle").string();
  {
    std::unique_ptr<cli::ExportWriter> writer =
        OrDie(cli::ExportWriter::Create(bundle), "export");
    absl::Status added;
    OrDie(log->Scan(1, size,
                    [&](uint64_t, absl::string_view record) {
                      added = writer->Add(record);
                      return added.ok();
                    }),
          "scan");
    OrDie(added, "export");
    OrDie(writer->Finish(note), "export");
  }
  log.reset();

  std::vector<double> rates;
  for (int r = 0; r < 3; ++r) {
    cli::DecisionReplay decisions;
    const absl::Time start = absl::Now();
    const cli::VerifiedExport verified = OrDie(
        cli::VerifyExport(bundle, signer.verifier(),
                          [&decisions](const gavel::v1::EventRecord& record) {
                            decisions.Add(record);
                          }),
        "verify export");
    rates.push_back(verified.records /
                    absl::ToDoubleSeconds(absl::Now() - start));
  }
  Print("audit_verify_export_events_per_s", Median(rates));
}

void TreeCostFigures(const fs::path& scratch) {
  const absl::Duration budget = absl::Seconds(absl::GetFlag(FLAGS_seconds));
  std::unique_ptr<storage::EventLog> tree =
      OpenLog((scratch / "tree").string(), true, true);
  std::unique_ptr<storage::EventLog> no_tree =
      OpenLog((scratch / "no-tree").string(), true, false);
  std::vector<double> with, without, cost;
  uint64_t next = 0, next_no_tree = 0;
  // Both logs past their first touch of every stream (a stream's version
  // is read from RocksDB once, then cached) before anything is timed.
  WarmUp(*tree, next);
  WarmUp(*no_tree, next_no_tree);
  for (int r = 0; r < absl::GetFlag(FLAGS_rounds); ++r) {
    // Back to back, in alternating order; the cost is taken per round.
    double a = 0, b = 0;
    if (r % 2 == 0) {
      a = AppendRate(*tree, 10, 10, next, budget);
      b = AppendRate(*no_tree, 10, 10, next_no_tree, budget);
    } else {
      b = AppendRate(*no_tree, 10, 10, next_no_tree, budget);
      a = AppendRate(*tree, 10, 10, next, budget);
    }
    with.push_back(a);
    without.push_back(b);
    cost.push_back(100.0 * (1.0 - a / b));
  }
  Print("storage_append_durable_batch100_events_per_s", Median(with));
  Print("storage_append_durable_batch100_no_tree_events_per_s",
        Median(without));
  std::printf("audit_merkle_tree_cost_pct=%.1f\n", Median(cost));
}

}  // namespace
}  // namespace gavel::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const gavel::bench::ScratchDir scratch(absl::GetFlag(FLAGS_dir));
  gavel::bench::TreeCostFigures(scratch.path());
  gavel::bench::ProofAndExportFigures(scratch.path());
  return 0;
}
