// Authenticates gRPC callers: bearer tokens from a tokens file (stored as
// SHA-256 hashes, never in clear) or TLS client certificates; or, in local
// development mode, everyone as one "local-admin" principal.
//
// Tokens file grammar (one entry per line; '#' starts a comment):
//   line   := token_entry | cert_entry
//   token_entry := sha256_hex WS principal WS roles [WS expiry]
//   cert_entry  := "cert" WS subject_common_name WS principal WS roles
//                  [WS expiry]
//   roles  := role ("," role)*       role names: gavel.v1.Role in lower case
//                                    without ROLE_ (options.proto)
//   expiry := "expires=" RFC 3339 time, e.g. expires=2027-06-30T00:00:00Z
//             (from then on the entry authenticates nobody)
// Hash a token with:  printf %s "$TOKEN" | sha256sum
//
// Failures are UNAUTHENTICATED with a machine-readable reason (a
// gavel.v1.Rejection, domain/rejection.h; field "authorization"):
// NO_CREDENTIALS, MALFORMED_AUTHORIZATION, UNKNOWN_TOKEN,
// UNKNOWN_CERTIFICATE, CREDENTIAL_EXPIRED. Messages never echo a token.
#ifndef GAVEL_SERVICES_AUTHENTICATOR_H_
#define GAVEL_SERVICES_AUTHENTICATOR_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/server_context.h"
#include "services/principal.h"

namespace gavel::services {

// Thread-safe (immutable after creation).
class Authenticator {
 public:
  // The time expiries are compared with (absl::Now by default).
  using Clock = std::function<absl::Time()>;

  // Loads the tokens file at `path`. INVALID_ARGUMENT naming the line for a
  // malformed entry; NOT_FOUND if the file cannot be read.
  static absl::StatusOr<std::unique_ptr<Authenticator>> FromTokensFile(
      absl::string_view path, Clock clock = nullptr);

  // Parses tokens-file `contents` (same grammar).
  static absl::StatusOr<std::unique_ptr<Authenticator>> FromTokens(
      absl::string_view contents, Clock clock = nullptr);

  // Development mode: every caller is "local-admin" with every role.
  static std::unique_ptr<Authenticator> DevMode();

  // The principal of the call: from "authorization: Bearer <token>", else
  // from the TLS client certificate's subject common name. UNAUTHENTICATED
  // (with one of the reasons above) when neither identifies a known,
  // unexpired entry.
  absl::StatusOr<Principal> Authenticate(
      const grpc::ServerContextBase& context) const;

  // The caller of `context` if it may call the RPC at `method_path`
  // ("/gavel.v1.AuditService/GetCheckpoint"; its roles are the
  // catalogue's): UNAUTHENTICATED, PERMISSION_DENIED (ROLE_REQUIRED), or
  // INTERNAL for a path the catalogue does not know.
  absl::StatusOr<Principal> Authorize(const grpc::ServerContextBase& context,
                                      absl::string_view method_path) const;

  // The same for a bearer token's value (what follows "Bearer ").
  absl::StatusOr<Principal> AuthenticateToken(absl::string_view token) const;

  bool dev_mode() const { return dev_mode_; }

 private:
  struct Entry {
    Principal principal;
    absl::Time expires = absl::InfiniteFuture();
  };

  Authenticator() = default;
  // `entry`'s principal, or CREDENTIAL_EXPIRED naming `what`.
  absl::StatusOr<Principal> Unexpired(const Entry& entry,
                                      absl::string_view what) const;

  bool dev_mode_ = false;
  Clock clock_;
  // Lower-case hex SHA-256 of the token -> entry.
  absl::flat_hash_map<std::string, Entry> by_token_hash_;
  // Certificate subject CN -> entry.
  absl::flat_hash_map<std::string, Entry> by_certificate_;
};

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_AUTHENTICATOR_H_
