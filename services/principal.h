// Who is calling: the authenticated principal and its roles. The roles
// themselves, their names and who may call which RPC are the catalogue's
// (gavel.v1.Role and the (rpc) options, proto/catalogue.h).
#ifndef GAVEL_SERVICES_PRINCIPAL_H_
#define GAVEL_SERVICES_PRINCIPAL_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "gavel/v1/options.pb.h"
#include "proto/catalogue.h"

namespace gavel::services {

using Role = gavel::v1::Role;

// An authenticated caller. Value type.
struct Principal {
  std::string name;
  std::vector<Role> roles;
  // When its credentials stop being valid (a token's expires=): what it
  // started then (a subscription) ends.
  absl::Time expires = absl::InfiniteFuture();

  // True when the principal has at least one of `allowed`.
  bool HasAnyRole(absl::Span<const Role> allowed) const;
};

// OK when `principal` may call `method` (it has one of the method's roles,
// or the method names none); otherwise PERMISSION_DENIED with reason
// ROLE_REQUIRED naming the method and its roles.
absl::Status CheckAccess(const Principal& principal,
                         const catalogue::Method& method);

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_PRINCIPAL_H_
