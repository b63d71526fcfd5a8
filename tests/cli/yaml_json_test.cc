// YAML input of the CLI's --file (cli/yaml_json.h), including what a
// hostile file may try: aliases that expand without end, nesting that
// exhausts the stack, a huge document.
#include "cli/yaml_json.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gavel::cli {
namespace {

using ::testing::HasSubstr;

TEST(YamlJsonTest, ScalarsKeepTheirTypes) {
  absl::StatusOr<std::string> json =
      YamlToJson("id: I-1\ncount: 3\nok: true\nname: \"007\"\nnone: ~\n");
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_EQ(*json,
            R"({"count":3,"id":"I-1","name":"007","none":null,"ok":true})");
}

// "Billion laughs": ten levels of ten aliases each would expand to 10^10
// values.
TEST(YamlJsonTest, AliasesThatExpandWithoutEndAreRefused) {
  std::string yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 10; ++i) {
    absl::StrAppend(&yaml, "a", i, ": &a", i, " [");
    for (int k = 0; k < 10; ++k) {
      absl::StrAppend(&yaml, k ? ", " : "", "*a", i - 1);
    }
    absl::StrAppend(&yaml, "]\n");
  }
  absl::StatusOr<std::string> json = YamlToJson(yaml);
  EXPECT_EQ(json.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(json.status().message(), HasSubstr("expands"));
}

TEST(YamlJsonTest, DeepNestingIsRefused) {
  std::string yaml = "a: ";
  for (int i = 0; i < 200; ++i) yaml += "[";
  for (int i = 0; i < 200; ++i) yaml += "]";
  absl::StatusOr<std::string> json = YamlToJson(yaml + "\n");
  EXPECT_EQ(json.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(YamlJsonTest, AnOversizeDocumentIsRefused) {
  absl::StatusOr<std::string> json =
      YamlToJson("a: " + std::string(kMaxYamlBytes, 'x') + "\n");
  EXPECT_EQ(json.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gavel::cli
