#include "domain/rejection.h"

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace gavel::domain {
namespace {

TEST(RejectionTest, RoundTripsReasonAndFieldWithCanonicalCode) {
  absl::Status status =
      Reject(kGateOutOfOrder, "gate_id", "G2 requested before G1 passed");
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(), "G2 requested before G1 passed");
  EXPECT_EQ(ReasonOf(status), "GATE_OUT_OF_ORDER");
  EXPECT_EQ(FieldOf(status), "gate_id");
  EXPECT_TRUE(IsRejection(status, kGateOutOfOrder));
  EXPECT_FALSE(IsRejection(status, kQuorumNotMet));
}

TEST(RejectionTest, PayloadIsASerializedRejectionUnderTheDocumentedUrl) {
  absl::Status status = Reject(kWeightsDoNotSum, "criteria[2].weight_bp", "x");
  absl::optional<absl::Cord> payload =
      status.GetPayload("type.googleapis.com/gavel.v1.Rejection");
  ASSERT_TRUE(payload.has_value());
  gavel::v1::Rejection rejection;
  ASSERT_TRUE(rejection.ParseFromString(std::string(*payload)));
  EXPECT_EQ(rejection.reason(), "WEIGHTS_DO_NOT_SUM");
  EXPECT_EQ(rejection.field(), "criteria[2].weight_bp");
}

TEST(RejectionTest, PlainStatusesHaveNoReason) {
  EXPECT_EQ(ReasonOf(absl::OkStatus()), "");
  EXPECT_EQ(ReasonOf(absl::NotFoundError("nope")), "");
  EXPECT_EQ(FieldOf(absl::InternalError("x")), "");
  EXPECT_FALSE(RejectionOf(absl::NotFoundError("nope")).has_value());
}

TEST(RejectionTest, CatalogueNamesAreUniqueUpperSnakeAndNeverOk) {
  std::set<std::string> names;
  const std::regex upper_snake("[A-Z][A-Z0-9_]*");
  for (const Reason& reason : kAllReasons) {
    const std::string name(reason.name);
    EXPECT_TRUE(names.insert(name).second) << name;
    EXPECT_TRUE(std::regex_match(name, upper_snake)) << name;
    EXPECT_NE(reason.code, absl::StatusCode::kOk) << name;
    EXPECT_EQ(FindReason(name), &reason);
  }
  EXPECT_EQ(FindReason("NO_SUCH_REASON"), nullptr);
}

TEST(RejectionTest, EveryReasonIsDocumentedWithItsCode) {
  std::ifstream file(std::string(GAVEL_SOURCE_DIR) +
                     "/docs/rejection-reasons.md");
  ASSERT_TRUE(file.good());
  std::stringstream text;
  text << file.rdbuf();
  const std::string doc = text.str();
  // Table rows: | `REASON` | CODE | ...
  std::set<std::string> documented;
  const std::regex row(R"(\|\s*`([A-Z0-9_]+)`\s*\|\s*([A-Z_]+)\s*\|)");
  for (std::sregex_iterator it(doc.begin(), doc.end(), row), end; it != end;
       ++it) {
    const std::string name = (*it)[1];
    const std::string code = (*it)[2];
    documented.insert(name);
    const Reason* reason = FindReason(name);
    ASSERT_NE(reason, nullptr) << "documented but not in reasons.h: " << name;
    EXPECT_EQ(absl::StatusCodeToString(reason->code), code) << name;
  }
  for (const Reason& reason : kAllReasons) {
    EXPECT_TRUE(documented.count(std::string(reason.name)))
        << "not documented: " << reason.name;
  }
}

}  // namespace
}  // namespace gavel::domain
