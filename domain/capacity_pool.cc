#include "domain/capacity_pool.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "domain/board.h"
#include "domain/calendar.h"
#include "domain/decider.h"
#include "domain/proto_equality.h"
#include "domain/rejection.h"
#include "domain/validation.h"

namespace gavel::domain {
namespace {

bool DateLess(const gavel::v1::Date& a, const gavel::v1::Date& b) {
  return CompareDates(a, b) < 0;
}

// The period starting on `start`, inserted in order (supply 0) if absent.
CapacityPeriodView& PeriodAt(std::vector<CapacityPeriodView>& periods,
                             const gavel::v1::Date& start) {
  auto it = std::lower_bound(
      periods.begin(), periods.end(), start,
      [](const CapacityPeriodView& p, const gavel::v1::Date& d) {
        return DateLess(p.period_start, d);
      });
  if (it == periods.end() || CompareDates(it->period_start, start) != 0) {
    CapacityPeriodView period;
    period.period_start = start;
    it = periods.insert(it, std::move(period));
  }
  return *it;
}

absl::Status ValidateSupply(const gavel::v1::DefineCapacityPool& cmd) {
  for (int i = 0; i < cmd.supply_size(); ++i) {
    const gavel::v1::PeriodAmount& entry = cmd.supply(i);
    const std::string start_field = FieldPath("supply", i, "period_start");
    if (absl::Status s = ValidateDate(entry.period_start(), start_field);
        !s.ok()) {
      return s;
    }
    if (!IsPeriodStart(entry.period_start(), cmd.granularity())) {
      return Reject(kInvalidPeriod, start_field,
                    "not the first day of a period of the pool");
    }
    if (entry.amount() < 0) {
      return Reject(kValueOutOfRange, FieldPath("supply", i, "amount"),
                    "supply must not be negative");
    }
    for (int j = 0; j < i; ++j) {
      if (CompareDates(cmd.supply(j).period_start(), entry.period_start()) ==
          0) {
        return Reject(kDuplicateEntry, start_field,
                      "the period's supply is given twice");
      }
    }
  }
  return absl::OkStatus();
}

// Gives back `released` from the initiative's reservations in force, oldest
// first, lowering firm_reserved by what was firm (never below 0); drops
// reservation entries and reservations with nothing left.
CapacityPoolState Release(CapacityPoolState state,
                          const gavel::v1::DemandReleased& released) {
  for (const gavel::v1::PeriodAmount& release : released.amounts()) {
    int64_t remaining = release.amount();
    for (gavel::v1::DemandReserved& reservation : state.reservations) {
      if (reservation.initiative_id() != released.initiative_id()) continue;
      for (gavel::v1::PeriodAmount& amount : *reservation.mutable_amounts()) {
        if (remaining <= 0) break;
        if (CompareDates(amount.period_start(), release.period_start()) != 0) {
          continue;
        }
        const int64_t taken = std::min(remaining, amount.amount());
        amount.set_amount(amount.amount() - taken);
        remaining -= taken;
        if (reservation.firm()) {
          CapacityPeriodView& period =
              PeriodAt(state.periods, release.period_start());
          period.firm_reserved =
              std::max<int64_t>(0, period.firm_reserved - taken);
        }
      }
    }
  }
  for (gavel::v1::DemandReserved& reservation : state.reservations) {
    auto* amounts = reservation.mutable_amounts();
    amounts->erase(std::remove_if(amounts->begin(), amounts->end(),
                                  [](const gavel::v1::PeriodAmount& a) {
                                    return a.amount() <= 0;
                                  }),
                   amounts->end());
  }
  state.reservations.erase(
      std::remove_if(state.reservations.begin(), state.reservations.end(),
                     [](const gavel::v1::DemandReserved& r) {
                       return r.amounts().empty();
                     }),
      state.reservations.end());
  return state;
}

bool SamePeriod(const CapacityPeriodView& a, const CapacityPeriodView& b) {
  return ProtoEquals(a.period_start, b.period_start) && a.supply == b.supply &&
         a.firm_reserved == b.firm_reserved;
}

}  // namespace

absl::StatusOr<CapacityPoolEvents> Decide(
    const CapacityPoolState& state, const gavel::v1::DefineCapacityPool& cmd,
    const Context& /*ctx*/) {
  if (absl::Status s = FirstError(
          {RequireField(cmd.pool_id(), "pool_id"),
           RequireField(cmd.name(), "name"),
           RequireEnum(cmd.kind(), gavel::v1::PoolKind_IsValid, "kind"),
           RequireField(cmd.skill_or_unit(), "skill_or_unit"),
           RequireField(cmd.unit_of_measure(), "unit_of_measure"),
           RequireEnum(cmd.granularity(), gavel::v1::PeriodGranularity_IsValid,
                       "granularity"),
           ValidateSupply(cmd),
           RequireNew(
               state, "pool_id",
               absl::StrCat("capacity pool ", cmd.pool_id(), " exists"))});
      !s.ok()) {
    return s;
  }
  gavel::v1::CapacityPoolEvent event;
  gavel::v1::CapacityPoolDefined* defined = event.mutable_defined();
  defined->set_pool_id(cmd.pool_id());
  defined->set_name(cmd.name());
  defined->set_kind(cmd.kind());
  defined->set_skill_or_unit(cmd.skill_or_unit());
  defined->set_unit_of_measure(cmd.unit_of_measure());
  defined->set_granularity(cmd.granularity());
  *defined->mutable_supply() = cmd.supply();
  std::sort(
      defined->mutable_supply()->begin(), defined->mutable_supply()->end(),
      [](const gavel::v1::PeriodAmount& a, const gavel::v1::PeriodAmount& b) {
        return DateLess(a.period_start(), b.period_start());
      });
  return CapacityPoolEvents{event};
}

absl::StatusOr<CapacityPoolEvents> Decide(const CapacityPoolState& state,
                                          const gavel::v1::AdjustCapacity& cmd,
                                          const Context& ctx) {
  if (absl::Status s = FirstError(
          {ValidateDate(cmd.period_start(), "period_start"),
           RejectIf(cmd.supply() < 0, kValueOutOfRange, "supply",
                    "supply must not be negative"),
           RequireReason(cmd.reason(), "reason"),
           RequireExisting(state, "pool_id", "no such capacity pool")});
      !s.ok()) {
    return s;
  }
  if (!IsPeriodStart(cmd.period_start(), state.definition.granularity())) {
    return Reject(kInvalidPeriod, "period_start",
                  absl::StrCat("not the first day of a period of pool ",
                               state.definition.pool_id()));
  }
  const CapacityPoolView pool = ViewOf(state);
  const CapacityPeriodView* period = pool.FindPeriod(cmd.period_start());
  const int64_t previous_supply = period == nullptr ? 0 : period->supply;
  const int64_t firm_reserved = period == nullptr ? 0 : period->firm_reserved;

  gavel::v1::CapacityPoolEvent event;
  gavel::v1::CapacityAdjusted* adjusted = event.mutable_adjusted();
  if (cmd.supply() < firm_reserved) {
    if (absl::StripAsciiWhitespace(cmd.override_reason()).empty()) {
      return Reject(
          kSupplyBelowReserved, "supply",
          absl::StrCat("supply ", cmd.supply(), " is below the ", firm_reserved,
                       " firmly reserved; the deciding board must "
                       "override with a reason"));
    }
    const std::string& board_id = cmd.override_decision().board_id();
    if (absl::Status s =
            FirstError({RequireField(board_id, "override_decision.board_id"),
                        RequireChairOrActiveDelegate(
                            ctx, board_id, "override_decision.board_id")});
        !s.ok()) {
      return s;
    }
    adjusted->set_override_reason(cmd.override_reason());
    *adjusted->mutable_override_decision() = cmd.override_decision();
  }
  *adjusted->mutable_period_start() = cmd.period_start();
  adjusted->set_supply(cmd.supply());
  adjusted->set_previous_supply(previous_supply);
  adjusted->set_reason(cmd.reason());
  return CapacityPoolEvents{event};
}

CapacityPoolState Evolve(CapacityPoolState state,
                         const gavel::v1::CapacityPoolEvent& event) {
  ++state.version;
  switch (event.event_case()) {
    case gavel::v1::CapacityPoolEvent::kDefined:
      state.definition = event.defined();
      for (const gavel::v1::PeriodAmount& supply : event.defined().supply()) {
        PeriodAt(state.periods, supply.period_start()).supply = supply.amount();
      }
      break;
    case gavel::v1::CapacityPoolEvent::kAdjusted:
      PeriodAt(state.periods, event.adjusted().period_start()).supply =
          event.adjusted().supply();
      break;
    case gavel::v1::CapacityPoolEvent::kDemandReserved: {
      const gavel::v1::DemandReserved& reserved = event.demand_reserved();
      if (reserved.firm()) {
        for (const gavel::v1::PeriodAmount& amount : reserved.amounts()) {
          PeriodAt(state.periods, amount.period_start()).firm_reserved +=
              amount.amount();
        }
      }
      state.reservations.push_back(reserved);
      break;
    }
    case gavel::v1::CapacityPoolEvent::kDemandReleased:
      state = Release(std::move(state), event.demand_released());
      break;
    case gavel::v1::CapacityPoolEvent::EVENT_NOT_SET:
      break;
  }
  return state;
}

CapacityPoolView ViewOf(const CapacityPoolState& state) {
  CapacityPoolView view;
  view.pool_id = state.definition.pool_id();
  view.granularity = state.definition.granularity();
  view.periods = state.periods;
  return view;
}

bool operator==(const CapacityPoolState& a, const CapacityPoolState& b) {
  return a.version == b.version && ProtoEquals(a.definition, b.definition) &&
         std::equal(a.periods.begin(), a.periods.end(), b.periods.begin(),
                    b.periods.end(), SamePeriod) &&
         ProtoEquals(a.reservations, b.reservations);
}

}  // namespace gavel::domain
