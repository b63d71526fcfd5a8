// Writes the seed corpora of the fuzz targets into the directory given as
// the only argument (run by tests/run.sh --fuzz before the targets; the
// seeds are also committed under tests/fuzz/corpus/).
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "gavel/v1/command.pb.h"
#include "gavel/v1/event_record.pb.h"
#include "gavel/v1/events.pb.h"

namespace {

namespace fs = std::filesystem;

void Write(const fs::path& file, const std::string& bytes) {
  fs::create_directories(file.parent_path());
  std::FILE* out = std::fopen(file.c_str(), "wb");
  std::fwrite(bytes.data(), 1, bytes.size(), out);
  std::fclose(out);
}

// FuzzedDataProvider takes integrals from the end of the input: the
// lengths go last, in reverse order of use.
std::string Sequence(const std::vector<gavel::v1::Command>& commands) {
  std::string body, lengths;
  for (auto it = commands.rbegin(); it != commands.rend(); ++it) {
    const std::string bytes = it->SerializeAsString();
    lengths.push_back(static_cast<char>(bytes.size() & 0xff));
    lengths.push_back(static_cast<char>(bytes.size() >> 8));
  }
  for (const auto& command : commands) body += command.SerializeAsString();
  return body + lengths;
}

gavel::v1::Command DefineObjective(const std::string& id) {
  gavel::v1::Command command;
  auto* define = command.mutable_define_objective();
  define->set_objective_id(id);
  define->set_title("Grow recurring revenue");
  define->set_horizon(gavel::v1::HORIZON_THREE_YEARS);
  define->set_owner("alice");
  return command;
}

gavel::v1::Command AddMeasure(const std::string& objective) {
  gavel::v1::Command command;
  auto* add = command.mutable_add_success_measure();
  add->set_objective_id(objective);
  add->set_measure_id("arr");
  add->set_name("Annual recurring revenue");
  add->set_unit("EUR");
  add->set_direction(gavel::v1::DIRECTION_INCREASE);
  add->set_baseline(1000000);
  add->mutable_baseline_date()->set_year(2026);
  add->mutable_baseline_date()->set_month(1);
  add->mutable_baseline_date()->set_day(1);
  add->set_source("finance");
  return command;
}

gavel::v1::Command SubmitInitiative(const std::string& id) {
  gavel::v1::Command command;
  auto* submit = command.mutable_submit_initiative();
  submit->set_initiative_id(id);
  submit->set_title("Self-service onboarding");
  submit->set_problem_statement("Onboarding takes three weeks");
  submit->set_business_unit("sales");
  submit->set_sponsor("carol");
  submit->mutable_cost_estimate()->set_currency("EUR");
  submit->mutable_cost_estimate()->set_minor_units(25000000);
  return command;
}

gavel::v1::EventRecord Record(uint64_t position) {
  gavel::v1::EventRecord record;
  record.set_position(position);
  record.set_stream_id("initiative-crm");
  record.set_stream_version(position);
  record.set_event_id("0123456789abcdef0123456789abcdef");
  record.set_event_type("GateDecided");
  record.set_actor("alice");
  gavel::v1::InitiativeEvent event;
  event.mutable_gate_decided()->set_review_number(1);
  event.mutable_gate_decided()->set_outcome(gavel::v1::GATE_OUTCOME_GO);
  event.mutable_gate_decided()->set_rationale("Aligned");
  record.set_payload(event.SerializeAsString());
  return record;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 2;
  }
  const fs::path root = argv[1];
  Write(root / "fuzz_command_decide" / "objective",
        Sequence({DefineObjective("growth")}));
  Write(root / "fuzz_command_decide" / "objective_measure",
        Sequence({DefineObjective("growth"), AddMeasure("growth")}));
  Write(root / "fuzz_command_decide" / "submit",
        Sequence({DefineObjective("growth"), SubmitInitiative("crm")}));
  Write(root / "fuzz_event_record" / "gate_decided",
        Record(1).SerializeAsString());
  std::string records;
  for (uint64_t p = 1; p <= 3; ++p) {
    const std::string bytes = Record(p).SerializeAsString();
    records.push_back(static_cast<char>(bytes.size() >> 24));
    records.push_back(static_cast<char>(bytes.size() >> 16));
    records.push_back(static_cast<char>(bytes.size() >> 8));
    records.push_back(static_cast<char>(bytes.size()));
    records += bytes;
  }
  Write(root / "fuzz_export_bundle" / "three_records", records);
  Write(
      root / "fuzz_checkpoint" / "checkpoint",
      "fuzz.gavel.example\n3\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n");
  Write(root / "fuzz_checkpoint" / "key",
        "fuzz.gavel.example+12345678+"
        "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=");
  std::string proof(3 * 8, '\0');
  proof[7] = 2;   // index
  proof[15] = 8;  // size1
  proof[23] = 8;  // size2
  proof += std::string(32 * 3, '\x11');
  Write(root / "fuzz_rfc9162_proofs" / "small", proof);
  return 0;
}
