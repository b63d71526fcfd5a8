// Calendar days and instants as the domain stores them: gavel.v1.Date for a
// day with no time zone, google.protobuf.Timestamp for an instant (UTC).
#ifndef GAVEL_DOMAIN_CALENDAR_H_
#define GAVEL_DOMAIN_CALENDAR_H_

#include "absl/time/time.h"
#include "gavel/v1/events.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace gavel::domain {

// True when `date` is a real day of the proleptic Gregorian calendar with
// year in 1..9999.
bool IsValidDate(const gavel::v1::Date& date);

// <0, 0 or >0 as `a` is before, equal to or after `b` (field-wise; both
// should be valid).
int CompareDates(const gavel::v1::Date& a, const gavel::v1::Date& b);

// True when `date` starts a period of `granularity`: the 1st of a month, or
// the 1st of January, April, July or October.
bool IsPeriodStart(const gavel::v1::Date& date,
                   gavel::v1::PeriodGranularity granularity);

// The UTC calendar day of `t`.
gavel::v1::Date DateOf(absl::Time t);
gavel::v1::Date MakeDate(int year, int month, int day);

absl::Time FromTimestamp(const google::protobuf::Timestamp& timestamp);
google::protobuf::Timestamp ToTimestamp(absl::Time t);
// Sets `*out` to `t` in place (no temporary message: for a hot path).
void SetTimestamp(absl::Time t, google::protobuf::Timestamp* out);

}  // namespace gavel::domain

#endif  // GAVEL_DOMAIN_CALENDAR_H_
