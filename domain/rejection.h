// How a decider says "no": an absl::Status whose code is the reason's
// canonical code, whose message is for humans, and which carries a payload
// naming the machine-readable reason and the offending field.
//
// Payload format:
//   type URL := "type.googleapis.com/gavel.v1.Rejection"
//   value    := proto3 binary encoding of gavel.v1.Rejection
//               { string reason = 1; string field = 2; }
// so services/ can copy it verbatim into a google.rpc.Status detail (as an
// Any with the same type URL) and any client can decode it.
//
// `field` is a path into the command as written in commands.proto, e.g.
// "criteria[2].weight_bp", "conditions[0].due_date"; empty when the whole
// command or the aggregate's state is at fault.
#ifndef GAVEL_DOMAIN_REJECTION_H_
#define GAVEL_DOMAIN_REJECTION_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "domain/reasons.h"
#include "gavel/v1/commands.pb.h"

namespace gavel::domain {

inline constexpr absl::string_view kRejectionTypeUrl =
    "type.googleapis.com/gavel.v1.Rejection";

// Returns a rejection with `reason`'s canonical code. Every rejection has a
// reason of the catalogue (domain/reasons.h): there is no other way to make
// one.
absl::Status Reject(const Reason& reason, absl::string_view field,
                    absl::string_view message);

// The payload of `status`, or nullopt when it has none or it does not parse.
std::optional<gavel::v1::Rejection> RejectionOf(const absl::Status& status);

// The reason / field of a rejection; empty when `status` carries none.
std::string ReasonOf(const absl::Status& status);
std::string FieldOf(const absl::Status& status);

// True when `status` is a rejection for `reason` with its canonical code.
bool IsRejection(const absl::Status& status, const Reason& reason);

// The catalogue entry named `name`, or nullptr.
const Reason* FindReason(absl::string_view name);

}  // namespace gavel::domain

#endif  // GAVEL_DOMAIN_REJECTION_H_
