// YAML input for the CLI's --file: a YAML document converted to the JSON
// text the proto3 JSON parser reads (MergeJson), so that a submission with
// its benefits, milestones and capacity demand can be written by hand in
// YAML. Plain scalars become booleans (true/false), null (null, ~) or
// numbers when they read as one, otherwise strings; quoted scalars stay
// strings.
#ifndef GAVEL_CLI_YAML_JSON_H_
#define GAVEL_CLI_YAML_JSON_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gavel::cli {

// INVALID_ARGUMENT with the parser's line and column for malformed YAML,
// or when the document is not a mapping.
absl::StatusOr<std::string> YamlToJson(absl::string_view yaml);

// True for a file name ending in .yaml or .yml.
bool IsYamlFile(absl::string_view path);

}  // namespace gavel::cli

#endif  // GAVEL_CLI_YAML_JSON_H_
