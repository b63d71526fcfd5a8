#include "cli/yaml_json.h"

#include <cstdint>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "yaml-cpp/yaml.h"

namespace gavel::cli {
namespace {

nlohmann::json Scalar(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (node.Tag() != "?") return text;  // quoted or explicitly tagged
  if (text == "true") return true;
  if (text == "false") return false;
  if (text == "null" || text == "~" || text.empty()) return nullptr;
  if (int64_t i = 0; absl::SimpleAtoi(text, &i)) return i;
  if (double d = 0; absl::SimpleAtod(text, &d) &&
                    text.find_first_of("0123456789") != std::string::npos) {
    return d;
  }
  return text;
}

// Converts YAML nodes to JSON within bounds: aliases are expanded (JSON
// has none), so a small document of nested aliases could otherwise expand
// without end ("billion laughs"), and deep nesting could exhaust the stack.
class Converter {
 public:
  absl::StatusOr<nlohmann::json> ToJson(const YAML::Node& node, int depth) {
    if (depth > kMaxYamlDepth) {
      return absl::InvalidArgumentError(
          absl::StrCat("the YAML nests deeper than ", kMaxYamlDepth));
    }
    if (++nodes_ > kMaxYamlNodes) {
      return absl::InvalidArgumentError(
          absl::StrCat("the YAML expands to more than ", kMaxYamlNodes,
                       " values (aliases count each time they are used)"));
    }
    switch (node.Type()) {
      case YAML::NodeType::Map: {
        nlohmann::json object = nlohmann::json::object();
        for (const auto& entry : node) {
          absl::StatusOr<nlohmann::json> value =
              ToJson(entry.second, depth + 1);
          if (!value.ok()) return value.status();
          object[entry.first.Scalar()] = *std::move(value);
        }
        return object;
      }
      case YAML::NodeType::Sequence: {
        nlohmann::json array = nlohmann::json::array();
        for (const auto& element : node) {
          absl::StatusOr<nlohmann::json> value = ToJson(element, depth + 1);
          if (!value.ok()) return value.status();
          array.push_back(*std::move(value));
        }
        return array;
      }
      case YAML::NodeType::Scalar:
        return Scalar(node);
      default:
        return nullptr;
    }
  }

 private:
  size_t nodes_ = 0;
};

}  // namespace

absl::StatusOr<std::string> YamlToJson(absl::string_view yaml) {
  if (yaml.size() > kMaxYamlBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("the YAML is longer than ", kMaxYamlBytes, " bytes"));
  }
  YAML::Node root;
  // yaml-cpp reports errors by exception; they stop here.
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("the YAML does not parse: ", e.what()));
  }
  if (!root.IsMap()) {
    return absl::InvalidArgumentError(
        "the YAML is not a mapping of the command's fields");
  }
  absl::StatusOr<nlohmann::json> json = Converter().ToJson(root, 0);
  if (!json.ok()) return json.status();
  return json->dump();
}

bool IsYamlFile(absl::string_view path) {
  return absl::EndsWith(path, ".yaml") || absl::EndsWith(path, ".yml");
}

}  // namespace gavel::cli
