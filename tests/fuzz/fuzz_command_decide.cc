// Fuzzes every command message through validation and the domain deciders,
// as the writer runs them: the input is a sequence of serialized
// gavel.v1.Command messages, decided in order against aggregates that the
// earlier accepted commands changed. Each is accepted or rejected with a
// status, never a crash.
//
// Input: repeated (uint16 length, length bytes of a Command) via
// FuzzedDataProvider.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "fuzzer/FuzzedDataProvider.h"
#include "gavel/v1/command.pb.h"
#include "storage/event_log.h"
#include "writer/aggregate_store.h"
#include "writer/command_router.h"

namespace {

// An empty log: the aggregates of one input live in its store's cache only
// (nothing is appended), so every input starts from the same state.
gavel::storage::EventLog& EmptyLog() {
  static gavel::storage::EventLog* log = [] {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "gavel-fuzz-XXXXXX").string();
    gavel::storage::EventLogOptions options;
    options.sync = false;
    return gavel::storage::EventLog::Open(mkdtemp(pattern.data()), options)
        ->release();
  }();
  return *log;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider input(data, size);
  gavel::writer::AggregateStore store(&EmptyLog(), 256);
  gavel::writer::CommandEnv env;
  env.now = absl::FromUnixSeconds(1767225600);  // 2026-01-01
  env.actor = "alice";
  for (int i = 0; i < 64 && input.remaining_bytes() > 0; ++i) {
    const std::string bytes =
        input.ConsumeBytesAsString(input.ConsumeIntegral<uint16_t>());
    gavel::v1::Command command;
    if (!command.ParseFromString(bytes)) continue;
    absl::StatusOr<gavel::writer::DecidedCommand> decided =
        gavel::writer::DecideCommand(command, env, store);
    if (decided.ok()) decided->apply();
    env.now += absl::Hours(24);
  }
  store.EndBatch();
  return 0;
}
