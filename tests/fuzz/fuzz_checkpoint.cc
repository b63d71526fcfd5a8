// Fuzzes the signed-note and tlog-checkpoint parsers and the verification
// of a checkpoint note, as the auditor's CLI reads them from files and
// servers.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "cli/audit_verifier.h"
#include "transparency/signed_note.h"
#include "transparency/tlog_checkpoint.h"

namespace {

const gavel::note::NoteSigner& Signer() {
  static const gavel::note::NoteSigner* signer = [] {
    auto made = gavel::note::NoteSigner::FromSeed("fuzz.gavel.example",
                                                  std::string(32, '\x05'));
    return new gavel::note::NoteSigner(*std::move(made));
  }();
  return *signer;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  (void)gavel::note::ParseNote(text);
  (void)gavel::note::ParseCheckpoint(text);
  (void)gavel::note::VerifyCheckpoint(text, "fuzz.gavel.example",
                                      Signer().verifier());
  (void)gavel::note::NoteVerifier::FromKeyString(text);
  (void)gavel::cli::ParseHashList(text);
  // Whatever parses as a body signs and verifies again.
  if (absl::StatusOr<gavel::note::TlogCheckpoint> body =
          gavel::note::ParseCheckpoint(text);
      body.ok()) {
    body->origin = "fuzz.gavel.example";
    absl::StatusOr<std::string> note =
        Signer().SignNote(gavel::note::FormatCheckpoint(*body));
    if (note.ok() && !gavel::note::VerifyCheckpoint(*note, "fuzz.gavel.example",
                                                    Signer().verifier())
                          .ok()) {
      __builtin_trap();
    }
  }
  return 0;
}
