// Appends to an event log until killed, acknowledging each commit on stdout.
//
// Usage: event_log_crash_child DIR FIRST_COMMAND
// Command n writes (n % 3) + 1 events to stream "s-<n % 5>" and one event to
// stream "t", under command id "cmd-<n>"; after each durable Append the
// child prints "n first_position last_position" and flushes.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "storage/event_log.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s DIR FIRST_COMMAND\n", argv[0]);
    return 2;
  }
  absl::StatusOr<std::unique_ptr<gavel::storage::EventLog>> log =
      gavel::storage::EventLog::Open(argv[1], {});
  if (!log.ok()) {
    std::fprintf(stderr, "%s\n", log.status().ToString().c_str());
    return 1;
  }
  for (long n = std::atol(argv[2]);; ++n) {
    gavel::storage::AppendRequest request;
    request.command_id = absl::StrCat("cmd-", n);
    request.actor = "crash-child";
    gavel::storage::StreamAppend main{absl::StrCat("s-", n % 5), {}, {}};
    for (long e = 0; e <= n % 3; ++e) {
      main.events.push_back({"", "Counted", absl::StrCat(n, ":", e)});
    }
    request.streams.push_back(std::move(main));
    request.streams.push_back(
        gavel::storage::StreamAppend{"t", {}, {{"", "Tick", ""}}});
    absl::StatusOr<std::vector<gavel::storage::AppendResult>> results =
        (*log)->Append({request});
    if (!results.ok()) {
      std::fprintf(stderr, "%s\n", results.status().ToString().c_str());
      return 1;
    }
    std::printf("%ld %llu %llu\n", n,
                static_cast<unsigned long long>((*results)[0].first_position),
                static_cast<unsigned long long>((*results)[0].last_position));
    std::fflush(stdout);
  }
}
