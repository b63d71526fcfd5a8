// YAML input for the CLI's --file: a YAML document converted to the JSON
// text the proto3 JSON parser reads (MergeJson), so that a submission with
// its benefits, milestones and capacity demand can be written by hand in
// YAML. Plain scalars become booleans (true/false), null (null, ~) or
// numbers when they read as one, otherwise strings; quoted scalars stay
// strings.
#ifndef GAVEL_CLI_YAML_JSON_H_
#define GAVEL_CLI_YAML_JSON_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gavel::cli {

// Bounds of the input: its size, the nesting of its values, and the values
// it expands to (each use of an alias counts: a few lines of nested aliases
// must not expand to gigabytes).
inline constexpr size_t kMaxYamlBytes = 1 << 20;
inline constexpr int kMaxYamlDepth = 64;
inline constexpr size_t kMaxYamlNodes = 100000;

// INVALID_ARGUMENT with the parser's line and column for malformed YAML,
// when the document is not a mapping, or when it passes a bound above.
absl::StatusOr<std::string> YamlToJson(absl::string_view yaml);

// True for a file name ending in .yaml or .yml.
bool IsYamlFile(absl::string_view path);

}  // namespace gavel::cli

#endif  // GAVEL_CLI_YAML_JSON_H_
