#include "services/authenticator.h"

#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "domain/rejection.h"
#include "transparency/rfc9162.h"

namespace gavel::services {
namespace {

constexpr absl::string_view kBearer = "bearer ";
constexpr size_t kMaxPrincipalBytes = 128;
constexpr absl::string_view kExpiresPrefix = "expires=";

absl::Status Unauthenticated(const domain::Reason& reason,
                             absl::string_view message) {
  return domain::Reject(reason, "authorization", message);
}

absl::StatusOr<std::vector<Role>> ParseRoles(absl::string_view text,
                                             int line_number) {
  std::vector<Role> roles;
  for (absl::string_view name : absl::StrSplit(text, ',')) {
    std::optional<Role> role =
        catalogue::ParseRole(absl::StripAsciiWhitespace(name));
    if (!role.has_value()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "tokens file line ", line_number, ": unknown role \"", name, "\""));
    }
    roles.push_back(*role);
  }
  return roles;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Authenticator>> Authenticator::FromTokensFile(
    absl::string_view path, Clock clock) {
  std::ifstream in{std::string(path)};
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read the tokens file ", path));
  }
  std::stringstream contents;
  contents << in.rdbuf();
  return FromTokens(contents.str(), std::move(clock));
}

absl::StatusOr<std::unique_ptr<Authenticator>> Authenticator::FromTokens(
    absl::string_view contents, Clock clock) {
  std::unique_ptr<Authenticator> auth(new Authenticator());
  auth->clock_ = clock ? std::move(clock) : Clock(&absl::Now);
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(contents, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    absl::Time expires = absl::InfiniteFuture();
    if (!fields.empty() && absl::StartsWith(fields.back(), kExpiresPrefix)) {
      std::string error;
      if (!absl::ParseTime(absl::RFC3339_full,
                           fields.back().substr(kExpiresPrefix.size()),
                           &expires, &error)) {
        return absl::InvalidArgumentError(
            absl::StrCat("tokens file line ", line_number,
                         ": expires= needs an RFC 3339 time such as "
                         "2027-06-30T00:00:00Z (",
                         error, ")"));
      }
      fields.pop_back();
    }
    const bool cert = !fields.empty() && fields[0] == "cert";
    if (fields.size() != (cert ? 4u : 3u)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "tokens file line ", line_number,
          ": expected \"<sha256-hex> <principal> <roles> [expires=<time>]\" "
          "or \"cert <common-name> <principal> <roles> [expires=<time>]\""));
    }
    absl::StatusOr<std::vector<Role>> roles =
        ParseRoles(fields.back(), line_number);
    if (!roles.ok()) return roles.status();
    const absl::string_view name = fields[fields.size() - 2];
    if (name.size() > kMaxPrincipalBytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          "tokens file line ", line_number, ": a principal name is at most ",
          kMaxPrincipalBytes, " bytes"));
    }
    Entry entry{Principal{std::string(name), *std::move(roles)}, expires};
    if (cert) {
      if (!auth->by_certificate_
               .emplace(std::string(fields[1]), std::move(entry))
               .second) {
        return absl::InvalidArgumentError(absl::StrCat(
            "tokens file line ", line_number, ": duplicate certificate"));
      }
      continue;
    }
    if (!rfc9162::HashFromHex(fields[0]).ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("tokens file line ", line_number,
                       ": the first field must be the token's SHA-256 in hex"));
    }
    if (!auth->by_token_hash_
             .emplace(absl::AsciiStrToLower(fields[0]), std::move(entry))
             .second) {
      return absl::InvalidArgumentError(
          absl::StrCat("tokens file line ", line_number, ": duplicate token"));
    }
  }
  return auth;
}

std::unique_ptr<Authenticator> Authenticator::DevMode() {
  std::unique_ptr<Authenticator> auth(new Authenticator());
  auth->dev_mode_ = true;
  return auth;
}

absl::StatusOr<Principal> Authenticator::Unexpired(
    const Entry& entry, absl::string_view what) const {
  if (clock_() < entry.expires) {
    Principal principal = entry.principal;
    principal.expires = entry.expires;
    return principal;
  }
  return Unauthenticated(
      domain::kCredentialExpired,
      absl::StrCat(what, " expired at ",
                   absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", entry.expires,
                                    absl::UTCTimeZone())));
}

absl::StatusOr<Principal> Authenticator::AuthenticateToken(
    absl::string_view token) const {
  const std::string hash = rfc9162::ToHex(rfc9162::Sha256({token}));
  if (auto found = by_token_hash_.find(hash); found != by_token_hash_.end()) {
    return Unexpired(found->second, "this bearer token");
  }
  return Unauthenticated(domain::kUnknownToken, "unknown bearer token");
}

absl::StatusOr<Principal> Authenticator::Authorize(
    const grpc::ServerContextBase& context,
    absl::string_view method_path) const {
  const catalogue::Method* method =
      catalogue::Catalogue::Get().FindMethod(method_path);
  if (method == nullptr) {
    return absl::InternalError(
        absl::StrCat(method_path, " is not in the catalogue"));
  }
  absl::StatusOr<Principal> principal = Authenticate(context);
  if (!principal.ok()) return principal.status();
  if (absl::Status s = CheckAccess(*principal, *method); !s.ok()) return s;
  return principal;
}

absl::StatusOr<Principal> Authenticator::Authenticate(
    const grpc::ServerContextBase& context) const {
  if (dev_mode_) {
    return Principal{"local-admin", catalogue::AllRoles()};
  }
  const auto& metadata = context.client_metadata();
  if (auto it = metadata.find("authorization"); it != metadata.end()) {
    absl::string_view value(it->second.data(), it->second.size());
    if (value.size() <= kBearer.size() ||
        !absl::EqualsIgnoreCase(value.substr(0, kBearer.size()), kBearer)) {
      return Unauthenticated(
          domain::kMalformedAuthorization,
          "the authorization header must be \"Bearer <token>\"");
    }
    value.remove_prefix(kBearer.size());
    return AuthenticateToken(value);
  }
  if (std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
      auth != nullptr && auth->IsPeerAuthenticated()) {
    for (const grpc::string_ref& name :
         auth->FindPropertyValues("x509_common_name")) {
      auto found = by_certificate_.find(std::string(name.data(), name.size()));
      if (found != by_certificate_.end()) {
        return Unexpired(found->second, "the entry of this client certificate");
      }
    }
    return Unauthenticated(domain::kUnknownCertificate,
                           "the client certificate names no known principal");
  }
  return Unauthenticated(
      domain::kNoCredentials,
      "no credentials: send \"authorization: Bearer <token>\"");
}

}  // namespace gavel::services
