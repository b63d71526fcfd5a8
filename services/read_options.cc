#include "services/read_options.h"

#include "absl/strings/str_cat.h"
#include "domain/calendar.h"
#include "domain/reasons.h"
#include "domain/rejection.h"

namespace gavel::services {

absl::StatusOr<std::optional<uint64_t>> ReadPosition(
    const projections::ProjectionHost& host,
    const gavel::v1::ReadOptions& read) {
  switch (read.as_of_case()) {
    case gavel::v1::ReadOptions::kAsOfPosition: {
      const uint64_t head = host.log().Head();
      if (read.as_of_position() > head) {
        return domain::Reject(
            domain::kAsOfBeyondHead, "read.as_of_position",
            absl::StrCat("as_of_position ", read.as_of_position(),
                         " is beyond the log's head ", head));
      }
      return read.as_of_position();
    }
    case gavel::v1::ReadOptions::kAsOfTime: {
      const google::protobuf::Timestamp& t = read.as_of_time();
      if (t.nanos() < 0 || t.nanos() > 999999999 || t.seconds() < 0) {
        return domain::Reject(domain::kCodeInvalidArgument, "read.as_of_time",
                              "as_of_time is not a valid timestamp");
      }
      const absl::Time at = domain::FromTimestamp(t);
      if (at > absl::Now()) {
        return domain::Reject(domain::kAsOfInFuture, "read.as_of_time",
                              absl::StrCat("as_of_time ", absl::FormatTime(at),
                                           " is in the future"));
      }
      absl::StatusOr<uint64_t> position = host.PositionAtTime(at);
      if (!position.ok()) return position.status();
      return *position;
    }
    default:
      return std::nullopt;
  }
}

absl::StatusOr<projections::DecisionQuery> DecisionQueryOf(
    const gavel::v1::DecisionFilter& f) {
  projections::DecisionQuery q;
  q.initiative_id = f.initiative_id();
  q.board_id = f.board_id();
  q.gate_id = f.gate_id();
  q.outcome = f.outcome();
  if (f.has_decided_from())
    q.decided_from = domain::FromTimestamp(f.decided_from());
  if (f.has_decided_to()) q.decided_to = domain::FromTimestamp(f.decided_to());
  if (q.decided_from > q.decided_to) {
    return domain::Reject(domain::kInvalidTimeRange, "filter.decided_from",
                          "decided_from is after decided_to");
  }
  return q;
}

}  // namespace gavel::services
