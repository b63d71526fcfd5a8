// Phase 1 ships the aggregates' contracts as headers; this test keeps them
// compiling together and checks the plain-value pieces already built.
#include "domain/board.h"
#include "domain/calendar.h"
#include "domain/capacity_pool.h"
#include "domain/capacity_reservation.h"
#include "domain/context.h"
#include "domain/framework.h"
#include "domain/governance_cycle.h"
#include "domain/initiative.h"
#include "domain/lifecycle_model.h"
#include "domain/objective.h"
#include "domain/pmo_service.h"
#include "domain/rejection.h"
#include "gtest/gtest.h"
#include "tests/domain/aggregate_testing.h"

namespace gavel::domain::test {
namespace {

TEST(AggregateStateTest, DefaultStatesDoNotExist) {
  EXPECT_EQ(ObjectiveState().version, 0u);
  EXPECT_EQ(FrameworkState().active_version, 0);
  EXPECT_EQ(InitiativeState().status, InitiativeStatus::kNone);
  EXPECT_EQ(BoardState().version, 0u);
  EXPECT_EQ(CapacityPoolState().version, 0u);
  EXPECT_EQ(GovernanceCycleState().version, 0u);
  EXPECT_EQ(LifecycleModelState().version, 0u);
  EXPECT_EQ(PmoServiceState().version, 0u);
}

BoardView TestBoard() {
  BoardView board;
  board.board_id = "investment";
  board.members = {{"ana", gavel::v1::MEMBER_ROLE_CHAIR},
                   {"bo", gavel::v1::MEMBER_ROLE_VOTING},
                   {"cy", gavel::v1::MEMBER_ROLE_ADVISORY}};
  board.mandate.add_gate_ids("G2");
  board.delegations.push_back({"d1", "bo", "dee", absl::FromUnixSeconds(100),
                               absl::FromUnixSeconds(200)});
  return board;
}

TEST(BoardViewTest, MembershipChairMandateAndDelegation) {
  BoardView board = TestBoard();
  EXPECT_TRUE(board.IsVotingMember("ana"));
  EXPECT_TRUE(board.IsVotingMember("bo"));
  EXPECT_FALSE(board.IsVotingMember("cy"));
  EXPECT_FALSE(board.IsVotingMember("zed"));
  EXPECT_EQ(board.Chair(), "ana");
  EXPECT_TRUE(board.MandateCovers("G2"));
  EXPECT_FALSE(board.MandateCovers("G3"));
  EXPECT_NE(board.ActiveDelegation("bo", "dee", absl::FromUnixSeconds(100)),
            nullptr);
  EXPECT_EQ(board.ActiveDelegation("bo", "dee", absl::FromUnixSeconds(200)),
            nullptr);  // valid_until is exclusive.
  EXPECT_EQ(board.ActiveDelegation("ana", "dee", absl::FromUnixSeconds(150)),
            nullptr);
}

CapacityPoolView TestPool() {
  CapacityPoolView pool;
  pool.pool_id = "data-eng";
  pool.granularity = gavel::v1::PERIOD_GRANULARITY_MONTH;
  pool.periods.push_back({MakeDate(2025, 1, 1), 100, 70});
  pool.periods.push_back({MakeDate(2025, 2, 1), 100, 0});
  return pool;
}

TEST(CapacityReservationTest, ReservesWithinSupply) {
  std::vector<gavel::v1::PeriodAmount> amounts = {Amount(2025, 1, 30),
                                                  Amount(2025, 2, 99)};
  EXPECT_TRUE(CheckCapacityAvailable(TestPool(), amounts, "f").ok());
  absl::StatusOr<gavel::v1::CapacityPoolEvent> event = ReserveDemand(
      TestPool(), "ini-1", gavel::v1::DecisionRef(), amounts, "", "f");
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_TRUE(event->demand_reserved().firm());
  EXPECT_EQ(event->demand_reserved().amounts_size(), 2);
  EXPECT_TRUE(event->demand_reserved().override_reason().empty());
}

TEST(CapacityReservationTest, ExceedingSupplyNeedsAnOverrideReason) {
  std::vector<gavel::v1::PeriodAmount> amounts = {Amount(2025, 1, 31)};
  absl::Status status = CheckCapacityAvailable(TestPool(), amounts, "f");
  EXPECT_TRUE(IsRejection(status, kCapacityExceeded));
  EXPECT_TRUE(IsRejection(ReserveDemand(TestPool(), "ini-1", {}, amounts, "  ",
                                        "capacity_override_reason")
                              .status(),
                          kCapacityExceeded));
  absl::StatusOr<gavel::v1::CapacityPoolEvent> event = ReserveDemand(
      TestPool(), "ini-1", {}, amounts, "regulatory deadline", "f");
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(event->demand_reserved().override_reason(), "regulatory deadline");
  // A period the pool does not define has no supply.
  EXPECT_TRUE(
      IsRejection(CheckCapacityAvailable(TestPool(), {Amount(2025, 3, 1)}, "f"),
                  kCapacityExceeded));
}

TEST(CapacityReservationTest, RejectsPeriodsOffTheGranularity) {
  gavel::v1::PeriodAmount mid_month = Amount(2025, 1, 1);
  mid_month.mutable_period_start()->set_day(15);
  EXPECT_TRUE(IsRejection(
      ReserveDemand(TestPool(), "ini-1", {}, {mid_month}, "", "f").status(),
      kInvalidPeriod));
}

}  // namespace
}  // namespace gavel::domain::test
