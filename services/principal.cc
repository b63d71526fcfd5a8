#include "services/principal.h"

#include <algorithm>

namespace gavel::services {
namespace {

constexpr struct {
  Role role;
  absl::string_view name;
} kRoleNames[] = {
    {Role::kSubmitter, "submitter"},      {Role::kAnalyst, "analyst"},
    {Role::kBoardMember, "board_member"}, {Role::kAdmin, "admin"},
    {Role::kAuditor, "auditor"},          {Role::kService, "service"},
};

}  // namespace

absl::string_view RoleName(Role role) {
  for (const auto& entry : kRoleNames) {
    if (entry.role == role) return entry.name;
  }
  return "unknown";
}

std::optional<Role> ParseRole(absl::string_view name) {
  for (const auto& entry : kRoleNames) {
    if (entry.name == name) return entry.role;
  }
  return std::nullopt;
}

bool Principal::HasAnyRole(absl::Span<const Role> allowed) const {
  return std::any_of(roles.begin(), roles.end(), [&](Role role) {
    return std::find(allowed.begin(), allowed.end(), role) != allowed.end();
  });
}

}  // namespace gavel::services
