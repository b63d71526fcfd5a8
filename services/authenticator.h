// Authenticates gRPC callers: bearer tokens from a tokens file (stored as
// SHA-256 hashes, never in clear) or TLS client certificates; or, in local
// development mode, everyone as one "local-admin" principal.
//
// Tokens file grammar (one entry per line; '#' starts a comment):
//   line   := token_entry | cert_entry
//   token_entry := sha256_hex WS principal WS roles
//   cert_entry  := "cert" WS subject_common_name WS principal WS roles
//   roles  := role ("," role)*       role names: see principal.h
// Hash a token with:  printf %s "$TOKEN" | sha256sum
#ifndef GAVEL_SERVICES_AUTHENTICATOR_H_
#define GAVEL_SERVICES_AUTHENTICATOR_H_

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/server_context.h"
#include "services/principal.h"

namespace gavel::services {

// Thread-safe (immutable after creation).
class Authenticator {
 public:
  // Loads the tokens file at `path`. INVALID_ARGUMENT naming the line for a
  // malformed entry; NOT_FOUND if the file cannot be read.
  static absl::StatusOr<std::unique_ptr<Authenticator>> FromTokensFile(
      absl::string_view path);

  // Parses tokens-file `contents` (same grammar).
  static absl::StatusOr<std::unique_ptr<Authenticator>> FromTokens(
      absl::string_view contents);

  // Development mode: every caller is "local-admin" with every role.
  static std::unique_ptr<Authenticator> DevMode();

  // The principal of the call: from "authorization: Bearer <token>", else
  // from the TLS client certificate's subject common name. UNAUTHENTICATED
  // when neither identifies a known principal (the message never echoes
  // the token).
  absl::StatusOr<Principal> Authenticate(
      const grpc::ServerContextBase& context) const;

  bool dev_mode() const { return dev_mode_; }

 private:
  Authenticator() = default;

  bool dev_mode_ = false;
  // Lower-case hex SHA-256 of the token -> principal.
  absl::flat_hash_map<std::string, Principal> by_token_hash_;
  // Certificate subject CN -> principal.
  absl::flat_hash_map<std::string, Principal> by_certificate_;
};

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_AUTHENTICATOR_H_
