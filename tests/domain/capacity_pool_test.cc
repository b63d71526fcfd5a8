#include "domain/capacity_pool.h"

#include <string>
#include <vector>

#include "domain/calendar.h"
#include "domain/capacity_reservation.h"
#include "domain/decider.h"
#include "gtest/gtest.h"
#include "tests/domain/aggregate_testing.h"

namespace gavel::domain::test {
namespace {

// Data engineering, monthly: 100 person-days in April, 80 in May (given out
// of order).
gavel::v1::DefineCapacityPool DataEngineering() {
  gavel::v1::DefineCapacityPool cmd;
  cmd.set_pool_id("pool-data");
  cmd.set_name("Data engineering");
  cmd.set_kind(gavel::v1::POOL_KIND_SKILL);
  cmd.set_skill_or_unit("data engineering");
  cmd.set_unit_of_measure("person-days");
  cmd.set_granularity(gavel::v1::PERIOD_GRANULARITY_MONTH);
  *cmd.add_supply() = Amount(5, 80);
  *cmd.add_supply() = Amount(4, 100);
  return cmd;
}

gavel::v1::AdjustCapacity Adjust(int month, int64_t supply) {
  gavel::v1::AdjustCapacity cmd;
  cmd.set_pool_id("pool-data");
  *cmd.mutable_period_start() = MakeDate(2026, month, 1);
  cmd.set_supply(supply);
  cmd.set_reason("contractor ends");
  return cmd;
}

gavel::v1::DecisionRef GateDecision(const std::string& initiative_id) {
  gavel::v1::DecisionRef ref;
  ref.set_board_id("exec");
  ref.set_initiative_id(initiative_id);
  ref.set_review_number(3);
  return ref;
}

class CapacityPoolTest : public ::testing::Test {
 protected:
  CapacityPoolState Defined() const {
    return Accept(CapacityPoolState(), DataEngineering(), admin_);
  }
  // ini-crm firmly holds 60 in April and 50 in May.
  CapacityPoolState Reserved() const {
    CapacityPoolState state = Defined();
    gavel::v1::CapacityPoolEvent reserved = ValueOrFail(
        ReserveDemand(ViewOf(state), "ini-crm", GateDecision("ini-crm"),
                      {Amount(4, 60), Amount(5, 50)}, "", "capacity_demand"));
    return Evolve(state, reserved);
  }
  // The period of `month` in 2026, a copy (the view must outlive the
  // pointer FindPeriod returns into it); supply and firm_reserved -1 when
  // the pool has no such period.
  static CapacityPeriodView Period(const CapacityPoolState& state, int month) {
    const CapacityPoolView view = ViewOf(state);
    const CapacityPeriodView* period =
        view.FindPeriod(MakeDate(2026, month, 1));
    return period != nullptr ? *period : CapacityPeriodView{{}, -1, -1};
  }
  static int64_t FirmReserved(const CapacityPoolState& state, int month) {
    return Period(state, month).firm_reserved;
  }
  static int64_t Supply(const CapacityPoolState& state, int month) {
    return Period(state, month).supply;
  }

  Context admin_ = ContextAt(Now(), "admin");
};

TEST_F(CapacityPoolTest, DefinesAPoolWithSupplyInPeriodOrder) {
  absl::StatusOr<std::vector<gavel::v1::CapacityPoolEvent>> events =
      Decide(CapacityPoolState(), DataEngineering(), admin_);
  ASSERT_TRUE(events.ok()) << events.status();
  const gavel::v1::CapacityPoolDefined& defined = (*events)[0].defined();
  ASSERT_EQ(defined.supply_size(), 2);
  EXPECT_EQ(defined.supply(0).period_start().month(), 4);
  EXPECT_EQ(defined.supply(1).period_start().month(), 5);

  CapacityPoolView view = ViewOf(Defined());
  EXPECT_EQ(view.pool_id, "pool-data");
  EXPECT_EQ(view.granularity, gavel::v1::PERIOD_GRANULARITY_MONTH);
  ASSERT_EQ(view.periods.size(), 2u);
  EXPECT_EQ(view.periods[0].supply, 100);
  EXPECT_EQ(view.periods[1].supply, 80);
  EXPECT_EQ(view.periods[0].firm_reserved, 0);
}

TEST_F(CapacityPoolTest, DefineRejectsMissingFieldsAndEnums) {
  ExpectEachRejected(
      DataEngineering(), DecideOn(CapacityPoolState(), admin_),
      {{[](auto& c) { c.clear_pool_id(); }, kMissingField, "pool_id"},
       {[](auto& c) { c.clear_name(); }, kMissingField, "name"},
       {[](auto& c) { c.set_kind(gavel::v1::POOL_KIND_UNSPECIFIED); },
        kInvalidEnum, "kind"},
       {[](auto& c) { c.clear_skill_or_unit(); }, kMissingField,
        "skill_or_unit"},
       {[](auto& c) { c.clear_unit_of_measure(); }, kMissingField,
        "unit_of_measure"},
       {[](auto& c) {
          c.set_granularity(gavel::v1::PERIOD_GRANULARITY_UNSPECIFIED);
        },
        kInvalidEnum, "granularity"}});
}

TEST_F(CapacityPoolTest, DefineRejectsBadSupplyEntries) {
  ExpectEachRejected(
      DataEngineering(), DecideOn(CapacityPoolState(), admin_),
      {{[](auto& c) {
          c.mutable_supply(0)->mutable_period_start()->set_month(13);
        },
        kInvalidDate, "supply[0].period_start"},
       {[](auto& c) {
          c.mutable_supply(1)->mutable_period_start()->set_day(15);
        },
        kInvalidPeriod, "supply[1].period_start"},
       {[](auto& c) {  // May 1st starts no quarter.
          c.set_granularity(gavel::v1::PERIOD_GRANULARITY_QUARTER);
        },
        kInvalidPeriod, "supply[0].period_start"},
       {[](auto& c) { c.mutable_supply(1)->set_amount(-1); }, kValueOutOfRange,
        "supply[1].amount"},
       {[](auto& c) { *c.add_supply() = Amount(5, 10); }, kDuplicateEntry,
        "supply[2].period_start"}});
}

TEST_F(CapacityPoolTest, DefineRejectsAnExistingPool) {
  EXPECT_TRUE(Rejected(Decide(Defined(), DataEngineering(), admin_),
                       kAggregateAlreadyExists, "pool_id"));
}

TEST_F(CapacityPoolTest, AdjustsSupplyAndAddsPeriodsInOrder) {
  absl::StatusOr<std::vector<gavel::v1::CapacityPoolEvent>> events =
      Decide(Defined(), Adjust(4, 120), admin_);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ((*events)[0].adjusted().previous_supply(), 100);
  EXPECT_EQ((*events)[0].adjusted().supply(), 120);
  EXPECT_TRUE((*events)[0].adjusted().override_reason().empty());

  CapacityPoolState state = Accept(Defined(), Adjust(3, 40), admin_);
  state = Accept(state, Adjust(4, 120), admin_);
  CapacityPoolView view = ViewOf(state);
  ASSERT_EQ(view.periods.size(), 3u);
  EXPECT_EQ(view.periods[0].period_start.month(), 3);
  EXPECT_EQ(view.periods[0].supply, 40);
  EXPECT_EQ(Supply(state, 4), 120);
}

TEST_F(CapacityPoolTest, AdjustRejectsMalformedInput) {
  ExpectEachRejected(
      Adjust(4, 90), DecideOn(Defined(), admin_),
      {{[](auto& c) {  // April has 30 days.
          c.mutable_period_start()->set_day(31);
        },
        kInvalidDate, "period_start"},
       {[](auto& c) { c.set_supply(-5); }, kValueOutOfRange, "supply"},
       {[](auto& c) { c.clear_reason(); }, kReasonRequired, "reason"}});
}

TEST_F(CapacityPoolTest, AdjustRejectsAnUnknownPool) {
  EXPECT_TRUE(Rejected(Decide(CapacityPoolState(), Adjust(4, 90), admin_),
                       kAggregateNotFound, "pool_id"));
}

TEST_F(CapacityPoolTest, AdjustRejectsADayThatStartsNoPeriod) {
  gavel::v1::AdjustCapacity cmd = Adjust(4, 90);
  cmd.mutable_period_start()->set_day(2);
  EXPECT_TRUE(
      Rejected(Decide(Defined(), cmd, admin_), kInvalidPeriod, "period_start"));
}

TEST_F(CapacityPoolTest, SupplyBelowFirmReservationsNeedsAnOverride) {
  EXPECT_TRUE(Rejected(Decide(Reserved(), Adjust(4, 59), admin_),
                       kSupplyBelowReserved, "supply"));
  // Down to exactly what is reserved is fine.
  EXPECT_TRUE(Decide(Reserved(), Adjust(4, 60), admin_).ok());
}

TEST_F(CapacityPoolTest, AnOverrideNamesTheDecidingBoard) {
  gavel::v1::AdjustCapacity cmd = Adjust(4, 30);
  cmd.set_override_reason("team moved to the regulatory programme");
  EXPECT_TRUE(Rejected(Decide(Reserved(), cmd, admin_), kMissingField,
                       "override_decision.board_id"));
  cmd.mutable_override_decision()->set_board_id("exec");
  EXPECT_TRUE(Rejected(Decide(Reserved(), cmd, admin_), kBoardNotFound,
                       "override_decision.board_id"));
}

TEST_F(CapacityPoolTest, OnlyTheChairOverrides) {
  gavel::v1::AdjustCapacity cmd = Adjust(4, 30);
  cmd.set_override_reason("team moved to the regulatory programme");
  cmd.mutable_override_decision()->set_board_id("exec");
  Context member = ContextAt(Now(), "vera");
  member.board = ExecBoardView();
  EXPECT_TRUE(Rejected(Decide(Reserved(), cmd, member), kNotTheChair, ""));
}

TEST_F(CapacityPoolTest, TheChairOverridesWithAReason) {
  gavel::v1::AdjustCapacity cmd = Adjust(4, 30);
  cmd.set_override_reason("team moved to the regulatory programme");
  cmd.mutable_override_decision()->set_board_id("exec");
  cmd.mutable_override_decision()->set_cycle_id("cycle-03");
  Context chair = ContextAt(Now(), "chair");
  chair.board = ExecBoardView();
  absl::StatusOr<std::vector<gavel::v1::CapacityPoolEvent>> events =
      Decide(Reserved(), cmd, chair);
  ASSERT_TRUE(events.ok()) << events.status();
  const gavel::v1::CapacityAdjusted& adjusted = (*events)[0].adjusted();
  EXPECT_EQ(adjusted.override_reason(),
            "team moved to the regulatory programme");
  EXPECT_EQ(adjusted.override_decision().cycle_id(), "cycle-03");
  CapacityPoolState state = Fold(Reserved(), absl::MakeConstSpan(*events));
  EXPECT_EQ(Supply(state, 4), 30);
  EXPECT_EQ(FirmReserved(state, 4), 60);
}

TEST_F(CapacityPoolTest, AnUnneededOverrideIsNotRecorded) {
  gavel::v1::AdjustCapacity cmd = Adjust(4, 150);
  cmd.set_override_reason("just in case");
  cmd.mutable_override_decision()->set_board_id("exec");
  absl::StatusOr<std::vector<gavel::v1::CapacityPoolEvent>> events =
      Decide(Reserved(), cmd, admin_);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_TRUE((*events)[0].adjusted().override_reason().empty());
  EXPECT_FALSE((*events)[0].adjusted().has_override_decision());
}

TEST_F(CapacityPoolTest, FirmReservationsCountAgainstSupply) {
  CapacityPoolState state = Reserved();
  EXPECT_EQ(FirmReserved(state, 4), 60);
  EXPECT_EQ(FirmReserved(state, 5), 50);
  ASSERT_EQ(state.reservations.size(), 1u);
  EXPECT_EQ(state.reservations[0].initiative_id(), "ini-crm");
}

TEST_F(CapacityPoolTest, OverSupplyReservationIsRefusedUnlessOverridden) {
  const CapacityPoolState state = Reserved();  // April: 60 of 100 taken.
  EXPECT_TRUE(
      Rejected(ReserveDemand(ViewOf(state), "ini-erp", GateDecision("ini-erp"),
                             {Amount(4, 41)}, "", "capacity_override_reason"),
               kCapacityExceeded, "capacity_override_reason"));
  absl::StatusOr<gavel::v1::CapacityPoolEvent> reserved = ReserveDemand(
      ViewOf(state), "ini-erp", GateDecision("ini-erp"), {Amount(4, 41)},
      "regulatory deadline", "capacity_override_reason");
  ASSERT_TRUE(reserved.ok()) << reserved.status();
  EXPECT_EQ(reserved->demand_reserved().override_reason(),
            "regulatory deadline");
  const CapacityPoolState over = Evolve(state, *reserved);
  EXPECT_EQ(FirmReserved(over, 4), 101);
  EXPECT_EQ(Supply(over, 4), 100);
  // Over-committed: nothing more fits without another override.
  EXPECT_TRUE(Rejected(
      CheckCapacityAvailable(ViewOf(over), {Amount(4, 1)}, "capacity_demand"),
      kCapacityExceeded, "capacity_demand"));
}

TEST_F(CapacityPoolTest, AReservationInAPeriodWithoutSupplyIsTracked) {
  absl::StatusOr<gavel::v1::CapacityPoolEvent> reserved =
      ReserveDemand(ViewOf(Defined()), "ini-erp", GateDecision("ini-erp"),
                    {Amount(6, 10)}, "pilot needs it", "f");
  ASSERT_TRUE(reserved.ok()) << reserved.status();
  CapacityPoolState state = Evolve(Defined(), *reserved);
  EXPECT_EQ(Supply(state, 6), 0);
  EXPECT_EQ(FirmReserved(state, 6), 10);
}

TEST_F(CapacityPoolTest, ReleasingGivesBackWhatWasReserved) {
  CapacityPoolState state = Evolve(
      Reserved(), ReleaseDemand("ini-crm", GateDecision("ini-crm"),
                                {Amount(4, 60), Amount(5, 50)}, "killed"));
  EXPECT_EQ(FirmReserved(state, 4), 0);
  EXPECT_EQ(FirmReserved(state, 5), 0);
  EXPECT_TRUE(state.reservations.empty());
}

TEST_F(CapacityPoolTest, APartialReleaseKeepsTheRest) {
  CapacityPoolState state =
      Evolve(Reserved(), ReleaseDemand("ini-crm", gavel::v1::DecisionRef(),
                                       {Amount(4, 20)}, "scope cut"));
  EXPECT_EQ(FirmReserved(state, 4), 40);
  EXPECT_EQ(FirmReserved(state, 5), 50);
  ASSERT_EQ(state.reservations.size(), 1u);
  EXPECT_EQ(state.reservations[0].amounts(0).amount(), 40);
}

TEST_F(CapacityPoolTest, ReleasesTouchOnlyTheirInitiativeAndNeverGoNegative) {
  CapacityPoolState state = Reserved();
  state = Evolve(state, ReleaseDemand("ini-other", gavel::v1::DecisionRef(),
                                      {Amount(4, 60)}, "withdrawn"));
  EXPECT_EQ(FirmReserved(state, 4), 60);
  state = Evolve(state, ReleaseDemand("ini-crm", gavel::v1::DecisionRef(),
                                      {Amount(4, 500)}, "closed"));
  EXPECT_EQ(FirmReserved(state, 4), 0);
  EXPECT_EQ(FirmReserved(state, 5), 50);
}

TEST_F(CapacityPoolTest, TentativeReservationsDoNotCountAsFirm) {
  gavel::v1::CapacityPoolEvent tentative;
  tentative.mutable_demand_reserved()->set_initiative_id("ini-erp");
  *tentative.mutable_demand_reserved()->add_amounts() = Amount(4, 30);
  CapacityPoolState state = Evolve(Reserved(), tentative);
  EXPECT_EQ(FirmReserved(state, 4), 60);
  EXPECT_EQ(state.reservations.size(), 2u);
  state = Evolve(state, ReleaseDemand("ini-erp", gavel::v1::DecisionRef(),
                                      {Amount(4, 30)}, "dropped"));
  EXPECT_EQ(FirmReserved(state, 4), 60);
  EXPECT_EQ(state.reservations.size(), 1u);
}

TEST_F(CapacityPoolTest, FoldingTheSameEventsTwiceGivesEqualStates) {
  History<CapacityPoolState, gavel::v1::CapacityPoolEvent> history;
  history.Record(DataEngineering(), admin_);
  history.Record(Adjust(6, 70), admin_);
  history.Append(ValueOrFail(
      ReserveDemand(ViewOf(history.state()), "ini-crm", GateDecision("ini-crm"),
                    {Amount(4, 60), Amount(6, 70)}, "", "f")));
  history.Append(ValueOrFail(
      ReserveDemand(ViewOf(history.state()), "ini-erp", GateDecision("ini-erp"),
                    {Amount(4, 50)}, "board override", "f")));
  history.Append(ReleaseDemand("ini-crm", GateDecision("ini-crm"),
                               {Amount(4, 60)}, "killed"));

  const CapacityPoolState a = history.Replay();
  EXPECT_TRUE(ReplaysFaithfully(history));
  EXPECT_EQ(a.version, 5u);
  EXPECT_EQ(FirmReserved(a, 4), 50);
  EXPECT_EQ(FirmReserved(a, 6), 70);
}

}  // namespace
}  // namespace gavel::domain::test
