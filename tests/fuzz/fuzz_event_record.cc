// Fuzzes the record decoder and the auditor's replay of records: any bytes
// either decode or are refused, never crash.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "cli/audit_export.h"
#include "cli/decision_replay.h"
#include "storage/event_log.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  gavel::storage::StoredEvent stored;
  stored.position = 1;
  stored.bytes = std::string(bytes);
  absl::StatusOr<gavel::v1::EventRecord> record = stored.Decode();
  gavel::cli::TreeReplay replay;
  gavel::v1::EventRecord decoded;
  if (replay.Add(bytes, &decoded).ok()) {
    gavel::cli::DecisionReplay decisions;
    decisions.Add(decoded);
    for (const auto& decision : decisions.decisions()) {
      (void)gavel::cli::FormatDecision(decision);
      (void)gavel::cli::DecisionJson(decision);
    }
  }
  return 0;
}
