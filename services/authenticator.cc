#include "services/authenticator.h"

#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "storage/rfc9162.h"

namespace gavel::services {
namespace {

constexpr absl::string_view kBearer = "bearer ";
constexpr size_t kMaxPrincipalBytes = 128;

absl::StatusOr<std::vector<Role>> ParseRoles(absl::string_view text,
                                             int line_number) {
  std::vector<Role> roles;
  for (absl::string_view name : absl::StrSplit(text, ',')) {
    std::optional<Role> role = ParseRole(absl::StripAsciiWhitespace(name));
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
    absl::string_view path) {
  std::ifstream in{std::string(path)};
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read the tokens file ", path));
  }
  std::stringstream contents;
  contents << in.rdbuf();
  return FromTokens(contents.str());
}

absl::StatusOr<std::unique_ptr<Authenticator>> Authenticator::FromTokens(
    absl::string_view contents) {
  std::unique_ptr<Authenticator> auth(new Authenticator());
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(contents, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    const bool cert = !fields.empty() && fields[0] == "cert";
    if (fields.size() != (cert ? 4u : 3u)) {
      return absl::InvalidArgumentError(
          absl::StrCat("tokens file line ", line_number,
                       ": expected \"<sha256-hex> <principal> <roles>\" or "
                       "\"cert <common-name> <principal> <roles>\""));
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
    Principal principal{std::string(fields[fields.size() - 2]),
                        *std::move(roles)};
    if (cert) {
      if (!auth->by_certificate_
               .emplace(std::string(fields[1]), std::move(principal))
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
             .emplace(absl::AsciiStrToLower(fields[0]), std::move(principal))
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

absl::StatusOr<Principal> Authenticator::Authenticate(
    const grpc::ServerContextBase& context) const {
  if (dev_mode_) {
    return Principal{"local-admin",
                     {Role::kSubmitter, Role::kAnalyst, Role::kBoardMember,
                      Role::kAdmin, Role::kAuditor, Role::kService}};
  }
  const auto& metadata = context.client_metadata();
  if (auto it = metadata.find("authorization"); it != metadata.end()) {
    absl::string_view value(it->second.data(), it->second.size());
    if (value.size() <= kBearer.size() ||
        !absl::EqualsIgnoreCase(value.substr(0, kBearer.size()), kBearer)) {
      return absl::UnauthenticatedError(
          "the authorization header must be \"Bearer <token>\"");
    }
    value.remove_prefix(kBearer.size());
    const std::string hash = rfc9162::ToHex(rfc9162::Sha256({value}));
    if (auto found = by_token_hash_.find(hash); found != by_token_hash_.end()) {
      return found->second;
    }
    return absl::UnauthenticatedError("unknown bearer token");
  }
  if (std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
      auth != nullptr && auth->IsPeerAuthenticated()) {
    for (const grpc::string_ref& name :
         auth->FindPropertyValues("x509_common_name")) {
      auto found = by_certificate_.find(std::string(name.data(), name.size()));
      if (found != by_certificate_.end()) return found->second;
    }
    return absl::UnauthenticatedError(
        "the client certificate names no known principal");
  }
  return absl::UnauthenticatedError(
      "no credentials: send \"authorization: Bearer <token>\"");
}

}  // namespace gavel::services
