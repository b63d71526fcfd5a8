#include "domain/calendar.h"

namespace gavel::domain {
namespace {

bool IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

}  // namespace

bool IsValidDate(const gavel::v1::Date& date) {
  if (date.year() < 1 || date.year() > 9999) return false;
  if (date.month() < 1 || date.month() > 12) return false;
  return date.day() >= 1 &&
         date.day() <= DaysInMonth(date.year(), date.month());
}

int CompareDates(const gavel::v1::Date& a, const gavel::v1::Date& b) {
  if (a.year() != b.year()) return a.year() < b.year() ? -1 : 1;
  if (a.month() != b.month()) return a.month() < b.month() ? -1 : 1;
  if (a.day() != b.day()) return a.day() < b.day() ? -1 : 1;
  return 0;
}

bool IsPeriodStart(const gavel::v1::Date& date,
                   gavel::v1::PeriodGranularity granularity) {
  if (!IsValidDate(date) || date.day() != 1) return false;
  switch (granularity) {
    case gavel::v1::PERIOD_GRANULARITY_MONTH:
      return true;
    case gavel::v1::PERIOD_GRANULARITY_QUARTER:
      return (date.month() - 1) % 3 == 0;
    default:
      return false;
  }
}

gavel::v1::Date DateOf(absl::Time t) {
  absl::CivilDay day = absl::ToCivilDay(t, absl::UTCTimeZone());
  return MakeDate(static_cast<int>(day.year()), day.month(), day.day());
}

gavel::v1::Date MakeDate(int year, int month, int day) {
  gavel::v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) +
         absl::Nanoseconds(timestamp.nanos());
}

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  google::protobuf::Timestamp timestamp;
  SetTimestamp(t, &timestamp);
  return timestamp;
}

void SetTimestamp(absl::Time t, google::protobuf::Timestamp* out) {
  const int64_t seconds = absl::ToUnixSeconds(t);
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(seconds))));
}

}  // namespace gavel::domain
