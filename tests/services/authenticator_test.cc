#include "services/authenticator.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "domain/rejection.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "transparency/rfc9162.h"

namespace gavel::services {
namespace {

using ::testing::HasSubstr;

std::string HashOf(absl::string_view token) {
  return rfc9162::ToHex(rfc9162::Sha256({token}));
}

absl::Time At(absl::string_view rfc3339) {
  absl::Time t;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &error))
      << error;
  return t;
}

TEST(AuthenticatorTest, TokenWorksUntilItsExpiryAndNotFromThen) {
  absl::Time now = At("2027-06-29T23:59:59Z");
  absl::StatusOr<std::unique_ptr<Authenticator>> auth =
      Authenticator::FromTokens(
          absl::StrCat(HashOf("t1"),
                       " alice admin expires=2027-06-30T00:00:00Z\n",
                       HashOf("t2"), " bob board_member\n"),
          [&now] { return now; });
  ASSERT_TRUE(auth.ok()) << auth.status();
  absl::StatusOr<Principal> before = (*auth)->AuthenticateToken("t1");
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(before->name, "alice");

  now = At("2027-06-30T00:00:00Z");
  absl::StatusOr<Principal> after = (*auth)->AuthenticateToken("t1");
  EXPECT_EQ(after.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(domain::ReasonOf(after.status()), "CREDENTIAL_EXPIRED");
  EXPECT_EQ(domain::FieldOf(after.status()), "authorization");
  EXPECT_THAT(after.status().message(), HasSubstr("2027-06-30T00:00:00Z"));
  // An entry without expiry never expires.
  now = At("2999-01-01T00:00:00Z");
  EXPECT_TRUE((*auth)->AuthenticateToken("t2").ok());
}

TEST(AuthenticatorTest, UnknownTokenIsRefusedWithoutEchoingIt) {
  absl::StatusOr<std::unique_ptr<Authenticator>> auth =
      Authenticator::FromTokens(absl::StrCat(HashOf("t1"), " alice admin\n"));
  ASSERT_TRUE(auth.ok());
  absl::StatusOr<Principal> other = (*auth)->AuthenticateToken("secret-guess");
  EXPECT_EQ(other.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(domain::ReasonOf(other.status()), "UNKNOWN_TOKEN");
  EXPECT_THAT(other.status().message(),
              ::testing::Not(HasSubstr("secret-guess")));
}

TEST(AuthenticatorTest, MalformedExpiryIsRefusedNamingTheLine) {
  for (const std::string& line :
       {absl::StrCat(HashOf("t1"), " alice admin expires=tomorrow"),
        absl::StrCat(HashOf("t1"), " alice admin expires="),
        absl::StrCat(HashOf("t1"), " alice expires=2027-06-30T00:00:00Z"),
        std::string("cert app.example.com app expires=2027-06-30")}) {
    absl::StatusOr<std::unique_ptr<Authenticator>> auth =
        Authenticator::FromTokens(absl::StrCat("# comment\n", line, "\n"));
    EXPECT_EQ(auth.status().code(), absl::StatusCode::kInvalidArgument) << line;
    EXPECT_THAT(auth.status().message(), HasSubstr("line 2")) << line;
  }
}

TEST(AuthenticatorTest, CertificateEntryAcceptsAnExpiry) {
  absl::StatusOr<std::unique_ptr<Authenticator>> auth =
      Authenticator::FromTokens(
          "cert app.example.com app service expires=2027-06-30T00:00:00Z\n");
  EXPECT_TRUE(auth.ok()) << auth.status();
}

}  // namespace
}  // namespace gavel::services
