// Fuzzes `gavel audit verify-export` on an arbitrary records file under a
// valid signed checkpoint: it verifies or refuses, never crashes.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include "cli/audit_export.h"
#include "cli/audit_verifier.h"
#include "transparency/rfc9162.h"
#include "transparency/signed_note.h"
#include "transparency/tlog_checkpoint.h"

namespace {

struct Bundle {
  std::string dir;
  gavel::note::NoteSigner signer;
};

Bundle& Fixture() {
  static Bundle* bundle = [] {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "gavel-fuzz-XXXXXX").string();
    auto signer = gavel::note::NoteSigner::FromSeed("fuzz.gavel.example",
                                                    std::string(32, '\x07'));
    auto* made = new Bundle{mkdtemp(pattern.data()), *std::move(signer)};
    // A checkpoint of three leaves; the fuzzer supplies the records.
    gavel::note::TlogCheckpoint checkpoint;
    checkpoint.origin = "fuzz.gavel.example";
    checkpoint.tree_size = 3;
    checkpoint.root = gavel::rfc9162::EmptyRoot();
    const std::string note =
        *made->signer.SignNote(gavel::note::FormatCheckpoint(checkpoint));
    (void)gavel::cli::WriteFileAtomically(made->dir + "/checkpoint", note);
    return made;
  }();
  return *bundle;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Bundle& bundle = Fixture();
  const std::string records = bundle.dir + "/records";
  std::FILE* file = std::fopen(records.c_str(), "wb");
  if (file == nullptr) return 0;
  std::fwrite(data, 1, size, file);
  std::fclose(file);
  (void)gavel::cli::VerifyExport(bundle.dir, bundle.signer.verifier(),
                                 [](const gavel::v1::EventRecord&) {});
  return 0;
}
