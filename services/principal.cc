#include "services/principal.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "domain/reasons.h"
#include "domain/rejection.h"

namespace gavel::services {

bool Principal::HasAnyRole(absl::Span<const Role> allowed) const {
  return std::any_of(roles.begin(), roles.end(), [&](Role role) {
    return std::find(allowed.begin(), allowed.end(), role) != allowed.end();
  });
}

absl::Status CheckAccess(const Principal& principal,
                         const catalogue::Method& method) {
  if (method.roles.empty() || principal.HasAnyRole(method.roles)) {
    return absl::OkStatus();
  }
  std::string names;
  for (Role role : method.roles) {
    absl::StrAppend(&names, names.empty() ? "" : ", ",
                    catalogue::RoleName(role));
  }
  return domain::Reject(
      domain::kRoleRequired, "",
      absl::StrCat(absl::StripPrefix(method.path, "/gavel.v1."),
                   " needs one of the roles: ", names));
}

}  // namespace gavel::services
