// Writes the tables of docs/api.md that the catalogue holds (the streams
// of every aggregate, and every RPC with its roles and CLI verb), between
// the markers
//   <!-- catalogue:NAME:begin --> ... <!-- catalogue:NAME:end -->
//
//   api_tables --check docs/api.md   exit 1 when a table is stale
//   api_tables --write docs/api.md   rewrite the tables in place
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "proto/catalogue.h"

namespace {

using gavel::catalogue::Catalogue;

std::string Streams() {
  std::string out =
      "| aggregate | stream id | payload | events |\n|---|---|---|---|\n";
  for (const gavel::catalogue::Aggregate& aggregate :
       Catalogue::Get().aggregates()) {
    std::vector<std::string> events;
    const google::protobuf::OneofDescriptor* oneof =
        aggregate.wrapper->oneof_decl(0);
    for (int i = 0; i < oneof->field_count(); ++i) {
      events.push_back(oneof->field(i)->message_type()->name());
    }
    absl::StrAppend(&out, "| ", aggregate.name, " | `", aggregate.stream_prefix,
                    "<id>` | `", aggregate.wrapper->name(), "` (`",
                    aggregate.wrapper->file()->name(), "`) | ",
                    absl::StrJoin(events, ", "), " |\n");
  }
  return out;
}

std::string Rpcs() {
  std::string out =
      "| RPC | roles | command (aggregate) | CLI |\n|---|---|---|---|\n";
  for (const gavel::catalogue::Method& method : Catalogue::Get().methods()) {
    std::vector<std::string> roles;
    for (gavel::v1::Role role : method.roles) {
      roles.push_back(gavel::catalogue::RoleName(role));
    }
    std::string command = "";
    if (method.command != nullptr) {
      const gavel::catalogue::Aggregate* aggregate =
          Catalogue::Get().FindAggregate(method.command->aggregate);
      command = absl::StrCat(method.command->message->name(), " (",
                             aggregate->name, ")");
    }
    std::string cli;
    if (method.cli.has_value()) {
      cli = absl::StrCat("`gavel ", method.cli->group(), " ",
                         method.cli->verb(), "`");
    }
    absl::StrAppend(&out, "| `", absl::StripPrefix(method.path, "/gavel.v1."),
                    "` | ", roles.empty() ? "any" : absl::StrJoin(roles, ", "),
                    " | ", command, " | ", cli, " |\n");
  }
  return out;
}

// `doc` with the table between NAME's markers replaced by `table`; false
// when the markers are missing.
bool Replace(std::string& doc, const std::string& name,
             const std::string& table) {
  const std::string begin = absl::StrCat("<!-- catalogue:", name, ":begin -->");
  const std::string end = absl::StrCat("<!-- catalogue:", name, ":end -->");
  const size_t from = doc.find(begin);
  const size_t to = doc.find(end);
  if (from == std::string::npos || to == std::string::npos || to < from) {
    return false;
  }
  doc.replace(from + begin.size(), to - from - begin.size(),
              absl::StrCat("\n", table));
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || (std::string(argv[1]) != "--check" &&
                    std::string(argv[1]) != "--write")) {
    std::cerr << "usage: api_tables --check|--write docs/api.md\n";
    return 2;
  }
  std::ifstream in(argv[2]);
  std::stringstream text;
  text << in.rdbuf();
  const std::string old_doc = text.str();
  std::string doc = old_doc;
  for (const auto& [name, table] :
       std::vector<std::pair<std::string, std::string>>{{"streams", Streams()},
                                                        {"rpcs", Rpcs()}}) {
    if (!Replace(doc, name, table)) {
      std::cerr << argv[2] << ": no markers for the " << name << " table\n";
      return 1;
    }
  }
  if (std::string(argv[1]) == "--write") {
    std::ofstream(argv[2], std::ios::trunc) << doc;
    return 0;
  }
  if (doc != old_doc) {
    std::cerr << argv[2]
              << ": the catalogue's tables are stale; run "
                 "build/proto/api_tables --write docs/api.md\n";
    return 1;
  }
  return 0;
}
