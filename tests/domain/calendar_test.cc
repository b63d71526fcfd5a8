#include "domain/calendar.h"

#include "gtest/gtest.h"

namespace gavel::domain {
namespace {

TEST(CalendarTest, ValidatesDaysOfTheGregorianCalendar) {
  EXPECT_TRUE(IsValidDate(MakeDate(2024, 2, 29)));
  EXPECT_FALSE(IsValidDate(MakeDate(2023, 2, 29)));
  EXPECT_FALSE(IsValidDate(MakeDate(1900, 2, 29)));
  EXPECT_TRUE(IsValidDate(MakeDate(2000, 2, 29)));
  EXPECT_FALSE(IsValidDate(MakeDate(2024, 4, 31)));
  EXPECT_FALSE(IsValidDate(MakeDate(2024, 13, 1)));
  EXPECT_FALSE(IsValidDate(gavel::v1::Date()));
}

TEST(CalendarTest, ComparesDates) {
  EXPECT_LT(CompareDates(MakeDate(2024, 12, 31), MakeDate(2025, 1, 1)), 0);
  EXPECT_GT(CompareDates(MakeDate(2025, 2, 1), MakeDate(2025, 1, 31)), 0);
  EXPECT_EQ(CompareDates(MakeDate(2025, 3, 3), MakeDate(2025, 3, 3)), 0);
}

TEST(CalendarTest, PeriodStartsFollowGranularity) {
  EXPECT_TRUE(
      IsPeriodStart(MakeDate(2025, 5, 1), gavel::v1::PERIOD_GRANULARITY_MONTH));
  EXPECT_FALSE(
      IsPeriodStart(MakeDate(2025, 5, 2), gavel::v1::PERIOD_GRANULARITY_MONTH));
  EXPECT_TRUE(IsPeriodStart(MakeDate(2025, 4, 1),
                            gavel::v1::PERIOD_GRANULARITY_QUARTER));
  EXPECT_FALSE(IsPeriodStart(MakeDate(2025, 5, 1),
                             gavel::v1::PERIOD_GRANULARITY_QUARTER));
}

TEST(CalendarTest, TimestampsRoundTripAndDayIsUtc) {
  const absl::Time t =
      absl::FromUnixSeconds(1735689599) + absl::Nanoseconds(123);
  EXPECT_EQ(FromTimestamp(ToTimestamp(t)), t);
  gavel::v1::Date day = DateOf(t);  // 2024-12-31T23:59:59Z
  EXPECT_EQ(CompareDates(day, MakeDate(2024, 12, 31)), 0);
}

}  // namespace
}  // namespace gavel::domain
