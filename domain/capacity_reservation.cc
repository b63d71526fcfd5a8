#include "domain/capacity_reservation.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "domain/calendar.h"
#include "domain/rejection.h"

namespace gavel::domain {
namespace {

std::string DateText(const gavel::v1::Date& d) {
  return absl::StrCat(d.year(), "-", d.month(), "-", d.day());
}

}  // namespace

absl::Status CheckCapacityAvailable(
    const CapacityPoolView& pool,
    absl::Span<const gavel::v1::PeriodAmount> amounts,
    absl::string_view field) {
  for (const gavel::v1::PeriodAmount& amount : amounts) {
    const CapacityPeriodView* period = pool.FindPeriod(amount.period_start());
    const int64_t supply = period == nullptr ? 0 : period->supply;
    const int64_t reserved = period == nullptr ? 0 : period->firm_reserved;
    if (reserved + amount.amount() > supply) {
      return Reject(kCapacityExceeded, field,
                    absl::StrCat("pool ", pool.pool_id, " period ",
                                 DateText(amount.period_start()), ": ",
                                 reserved, " reserved + ", amount.amount(),
                                 " requested > supply ", supply));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<gavel::v1::CapacityPoolEvent> ReserveDemand(
    const CapacityPoolView& pool, absl::string_view initiative_id,
    const gavel::v1::DecisionRef& decision,
    absl::Span<const gavel::v1::PeriodAmount> amounts,
    absl::string_view override_reason, absl::string_view field) {
  for (const gavel::v1::PeriodAmount& amount : amounts) {
    if (!IsPeriodStart(amount.period_start(), pool.granularity)) {
      return Reject(
          kInvalidPeriod, field,
          absl::StrCat(DateText(amount.period_start()),
                       " does not start a period of pool ", pool.pool_id));
    }
  }
  const absl::Status available = CheckCapacityAvailable(pool, amounts, field);
  if (!available.ok() && absl::StripAsciiWhitespace(override_reason).empty()) {
    return available;
  }
  gavel::v1::CapacityPoolEvent event;
  gavel::v1::DemandReserved* reserved = event.mutable_demand_reserved();
  reserved->set_initiative_id(std::string(initiative_id));
  *reserved->mutable_decision() = decision;
  for (const gavel::v1::PeriodAmount& amount : amounts) {
    *reserved->add_amounts() = amount;
  }
  reserved->set_firm(true);
  if (!available.ok()) {
    reserved->set_override_reason(std::string(override_reason));
  }
  return event;
}

gavel::v1::CapacityPoolEvent ReleaseDemand(
    absl::string_view initiative_id, const gavel::v1::DecisionRef& decision,
    absl::Span<const gavel::v1::PeriodAmount> amounts,
    absl::string_view reason) {
  gavel::v1::CapacityPoolEvent event;
  gavel::v1::DemandReleased* released = event.mutable_demand_released();
  released->set_initiative_id(std::string(initiative_id));
  *released->mutable_decision() = decision;
  for (const gavel::v1::PeriodAmount& amount : amounts) {
    *released->add_amounts() = amount;
  }
  released->set_reason(std::string(reason));
  return event;
}

}  // namespace gavel::domain
