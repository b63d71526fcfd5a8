// Storage figures: the event log against plain RocksDB on the same disk in
// the same run. Prints one name=value line per figure (medians of --rounds
// rounds).
//
// clang-format off
//   storage_append_durable_events_per_s            1 event per synced Append
//   storage_append_durable_batch100_events_per_s   100 events per synced
//                                                  Append: 10 commands (each
//                                                  with its idempotency key)
//                                                  of 10 events, 10 streams
//   storage_append_durable_batch100_no_tree_events_per_s   the same, without
//                                                  the Merkle tree
//   storage_append_durable_100_commands_events_per_s  100 one-event commands
//                                                  per synced Append
//   rocksdb_raw_sync_batch100_puts_per_s           100 plain puts of the same
//                                                  size per synced WriteBatch
//   storage_append_batch100_vs_raw_pct             batch100 / raw, per round
//                                                  (the three batch shapes run
//                                                  back to back), median
//   storage_merkle_tree_cost_pct                   1 - batch100 / no_tree, per
//                                                  round, median
//   storage_read_all_events_per_s                  EventLog::Scan over
//                                                  --records
//   rocksdb_raw_readseq_per_s                      plain iteration over the
//                                                  same records
// clang-format on
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/append_workload.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"
#include "storage/event_log.h"
#include "storage/key_format.h"

ABSL_FLAG(int64_t, records, 1000000, "records for the read benchmarks");
ABSL_FLAG(int, rounds, 5, "rounds per figure (median)");
ABSL_FLAG(double, seconds, 1.5, "duration of one append round");
ABSL_FLAG(bool, sync, true,
          "sync appends (false shows the CPU cost alone; figures are then "
          "not durable)");
ABSL_FLAG(std::string, dir, "", "scratch directory (default: a temp dir)");
ABSL_FLAG(std::string, only, "",
          "profile one append shape alone for --seconds and print its rate: "
          "batch100, batch100_no_tree or raw_batch100");

namespace gavel::bench {
namespace {

namespace fs = std::filesystem;
using storage::AppendRequest;
using storage::EventLog;
using storage::EventLogOptions;

constexpr size_t kRawValueBytes = 500;

double AppendRate(EventLog& log, int commands_per_append, int events_each,
                  uint64_t& next) {
  return bench::AppendRate(log, commands_per_append, events_each, next,
                           absl::Seconds(absl::GetFlag(FLAGS_seconds)));
}

double RawSyncBatchRate(rocksdb::DB& db, uint64_t& next) {
  const absl::Duration budget = absl::Seconds(absl::GetFlag(FLAGS_seconds));
  const std::string value(kRawValueBytes, 'v');
  rocksdb::WriteOptions sync;
  sync.sync = absl::GetFlag(FLAGS_sync);
  int64_t puts = 0;
  const absl::Time start = absl::Now();
  absl::Duration elapsed;
  while ((elapsed = absl::Now() - start) < budget) {
    rocksdb::WriteBatch batch;
    for (int i = 0; i < 100; ++i) batch.Put(storage::EventKey(++next), value);
    if (rocksdb::Status s = db.Write(sync, &batch); !s.ok()) {
      std::fprintf(stderr, "raw write: %s\n", s.ToString().c_str());
      std::exit(1);
    }
    puts += 100;
  }
  return puts / absl::ToDoubleSeconds(elapsed);
}

std::unique_ptr<rocksdb::DB> OpenRaw(const std::string& dir) {
  fs::create_directories(dir);
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* db = nullptr;
  if (rocksdb::Status s = rocksdb::DB::Open(options, dir, &db); !s.ok()) {
    std::fprintf(stderr, "raw open: %s\n", s.ToString().c_str());
    std::exit(1);
  }
  return std::unique_ptr<rocksdb::DB>(db);
}

void AppendFigures(const fs::path& scratch) {
  const int rounds = absl::GetFlag(FLAGS_rounds);
  const bool sync = absl::GetFlag(FLAGS_sync);
  // The three compared logs get the same workload and nothing else (the
  // other shapes have a log of their own), so that none carries another
  // shape's data or pending flushes into its measurement.
  std::unique_ptr<EventLog> log =
      OpenLog((scratch / "append").string(), sync, true);
  std::unique_ptr<EventLog> no_tree =
      OpenLog((scratch / "append-no-tree").string(), sync, false);
  std::unique_ptr<rocksdb::DB> raw = OpenRaw((scratch / "raw-append").string());
  std::unique_ptr<EventLog> shapes =
      OpenLog((scratch / "append-shapes").string(), sync, true);
  std::vector<double> single, batch, batch_no_tree, commands, raw_batch;
  // Ratios within each round, between measurements taken back to back: the
  // machine's load drifts between rounds, less within one.
  std::vector<double> vs_raw, tree_cost;
  uint64_t next = 0, next_no_tree = 0, next_raw = 0, next_shapes = 0;
  // Past the first touch of every stream (then cached) before timing.
  WarmUp(*log, next);
  WarmUp(*no_tree, next_no_tree);
  WarmUp(*shapes, next_shapes);
  for (int r = 0; r < rounds; ++r) {
    single.push_back(AppendRate(*shapes, 1, 1, next_shapes));
    commands.push_back(AppendRate(*shapes, 100, 1, next_shapes));
    // The compared shapes side by side, in alternating order (ABC, CBA), so
    // that a drift within a round favours neither.
    double with_tree = 0, without_tree = 0, ceiling = 0;
    if (r % 2 == 0) {
      ceiling = RawSyncBatchRate(*raw, next_raw);
      with_tree = AppendRate(*log, 10, 10, next);
      without_tree = AppendRate(*no_tree, 10, 10, next_no_tree);
    } else {
      without_tree = AppendRate(*no_tree, 10, 10, next_no_tree);
      with_tree = AppendRate(*log, 10, 10, next);
      ceiling = RawSyncBatchRate(*raw, next_raw);
    }
    batch.push_back(with_tree);
    batch_no_tree.push_back(without_tree);
    raw_batch.push_back(ceiling);
    vs_raw.push_back(100.0 * with_tree / ceiling);
    tree_cost.push_back(100.0 * (1.0 - with_tree / without_tree));
  }
  Print("storage_append_durable_events_per_s", Median(single));
  Print("storage_append_durable_batch100_events_per_s", Median(batch));
  Print("storage_append_durable_batch100_no_tree_events_per_s",
        Median(batch_no_tree));
  Print("storage_append_durable_100_commands_events_per_s", Median(commands));
  Print("rocksdb_raw_sync_batch100_puts_per_s", Median(raw_batch));
  // Medians of the per-round ratios.
  std::printf("storage_append_batch100_vs_raw_pct=%.1f\n", Median(vs_raw));
  std::printf("storage_merkle_tree_cost_pct=%.1f\n", Median(tree_cost));
}

// One append shape alone, for profilers (perf record --only=...).
void ProfileOne(const fs::path& scratch, absl::string_view shape) {
  const bool sync = absl::GetFlag(FLAGS_sync);
  uint64_t next = 0;
  double rate = 0;
  timespec cpu_start, cpu_end;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu_start);
  if (shape == "raw_batch100") {
    std::unique_ptr<rocksdb::DB> raw = OpenRaw((scratch / "raw").string());
    rate = RawSyncBatchRate(*raw, next);
  } else if (shape == "batch100" || shape == "batch100_no_tree") {
    std::unique_ptr<EventLog> log = OpenLog(
        (scratch / std::string(shape)).string(), sync, shape == "batch100");
    rate = AppendRate(*log, 10, 10, next);
  } else {
    std::fprintf(stderr, "unknown --only shape: %s\n",
                 std::string(shape).c_str());
    std::exit(2);
  }
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu_end);
  const double cpu_s = (cpu_end.tv_sec - cpu_start.tv_sec) +
                       (cpu_end.tv_nsec - cpu_start.tv_nsec) * 1e-9;
  Print(absl::StrCat("profile_", shape, "_per_s"), rate);
  // CPU time of the appending thread per event: steadier than wall time on
  // a shared machine.
  std::printf("profile_%s_thread_cpu_ns_per_event=%.0f\n",
              std::string(shape).c_str(),
              1e9 * cpu_s / (rate * absl::GetFlag(FLAGS_seconds)));
}

void ReadFigures(const fs::path& scratch) {
  const int64_t records = absl::GetFlag(FLAGS_records);
  const int rounds = absl::GetFlag(FLAGS_rounds);
  const std::string dir = (scratch / "read").string();
  {
    std::unique_ptr<EventLog> log = OpenLog(dir, false, true);
    Fill(*log, records);
  }
  std::vector<double> ours, raw;
  for (int r = 0; r < rounds; ++r) {
    {
      std::unique_ptr<EventLog> log = OpenLog(dir, false, true);
      const absl::Time start = absl::Now();
      uint64_t count = 0;
      size_t bytes = 0;
      absl::Status status =
          log->Scan(1, log->Head(), [&](uint64_t, absl::string_view record) {
            bytes += record.size();
            ++count;
            return true;
          });
      if (!status.ok() || count != log->Head()) std::exit(1);
      ours.push_back(count / absl::ToDoubleSeconds(absl::Now() - start));
      if (bytes == 0) std::exit(1);
    }
    {
      // Plain RocksDB over the same records: open the same database and
      // iterate its "events" column family.
      std::vector<std::string> names;
      rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &names);
      std::vector<rocksdb::ColumnFamilyDescriptor> families;
      for (const std::string& name : names) {
        families.emplace_back(name, rocksdb::ColumnFamilyOptions());
      }
      std::vector<rocksdb::ColumnFamilyHandle*> handles;
      rocksdb::DB* db = nullptr;
      if (!rocksdb::DB::Open(rocksdb::DBOptions(), dir, families, &handles, &db)
               .ok()) {
        std::exit(1);
      }
      rocksdb::ColumnFamilyHandle* events = nullptr;
      for (size_t i = 0; i < names.size(); ++i) {
        if (names[i] == "events") events = handles[i];
      }
      const absl::Time start = absl::Now();
      std::unique_ptr<rocksdb::Iterator> it(
          db->NewIterator(rocksdb::ReadOptions(), events));
      int64_t count = 0;
      size_t bytes = 0;
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        bytes += it->value().size();
        ++count;
      }
      raw.push_back(count / absl::ToDoubleSeconds(absl::Now() - start));
      it.reset();
      for (rocksdb::ColumnFamilyHandle* h : handles) {
        db->DestroyColumnFamilyHandle(h);
      }
      delete db;
      if (bytes == 0) std::exit(1);
    }
  }
  Print("storage_read_all_events_per_s", Median(ours));
  Print("rocksdb_raw_readseq_per_s", Median(raw));
  std::printf("storage_read_all_vs_raw_pct=%.1f\n",
              100.0 * Median(ours) / Median(raw));
}

}  // namespace
}  // namespace gavel::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const gavel::bench::ScratchDir scratch(absl::GetFlag(FLAGS_dir));
  if (const std::string only = absl::GetFlag(FLAGS_only); !only.empty()) {
    gavel::bench::ProfileOne(scratch.path(), only);
    return 0;
  }
  gavel::bench::AppendFigures(scratch.path());
  gavel::bench::ReadFigures(scratch.path());
  return 0;
}
