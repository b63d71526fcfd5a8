// Who is calling: the authenticated principal and its roles.
#ifndef GAVEL_SERVICES_PRINCIPAL_H_
#define GAVEL_SERVICES_PRINCIPAL_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace gavel::services {

// What a principal may do (DESIGN.md §8). Board membership itself is a
// domain rule; a role only opens the door to the RPCs.
enum class Role {
  kSubmitter,    // business units, sponsors
  kAnalyst,      // PMO analysts
  kBoardMember,  // governance boards
  kAdmin,        // portfolio admins: every command and admin RPC
  kAuditor,      // audit and read access
  kService,      // other services: subscriptions, cost and benefit feeds
};

// "submitter", "analyst", "board_member", "admin", "auditor", "service".
absl::string_view RoleName(Role role);

// The role named `name`, or nullopt.
std::optional<Role> ParseRole(absl::string_view name);

// An authenticated caller. Value type.
struct Principal {
  std::string name;
  std::vector<Role> roles;

  // True when the principal has at least one of `allowed`.
  bool HasAnyRole(absl::Span<const Role> allowed) const;
};

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_PRINCIPAL_H_
