// Snapshots keep the encodings of unchanged elements between calls
// (projections/encoding_cache.h): a snapshot taken after changes must
// equal the one a projection with nothing cached gives, and protobuf's own
// deterministic serialization of the same model.
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "projections/decision_history_projection.h"
#include "projections/governance_metrics_projection.h"
#include "projections/portfolio_projection.h"
#include "projections/snapshot_codec.h"
#include "tests/projections/fixtures.h"

namespace gavel::projections {
namespace {

using ::gavel::test::Feed;

template <typename Model>
std::string Canonical(const std::string& snapshot) {
  Model model;
  EXPECT_TRUE(model.ParseFromString(snapshot));
  return SerializeModel(model);
}

TEST(SnapshotTest, CachedEncodingsEqualAFreshEncodingAfterChanges) {
  PortfolioProjection portfolio, cold_portfolio;
  DecisionHistoryProjection decisions, cold_decisions;
  GovernanceMetricsProjection metrics, cold_metrics;
  Feed feed({&portfolio, &decisions, &metrics, &cold_portfolio, &cold_decisions,
             &cold_metrics});
  test::GeneratePortfolio(feed, 12);
  // Warm the caches, then change initiatives and decisions seen before
  // (the same lives again: new reviews, decisions, satisfied conditions,
  // costs) and add new ones.
  for (int round = 0; round < 3; ++round) {
    (void)portfolio.Snapshot();
    (void)decisions.Snapshot();
    (void)metrics.Snapshot();
    test::GeneratePortfolio(feed, 12 + 3 * round);
  }
  EXPECT_EQ(portfolio.Snapshot(), cold_portfolio.Snapshot());
  EXPECT_EQ(decisions.Snapshot(), cold_decisions.Snapshot());
  EXPECT_EQ(metrics.Snapshot(), cold_metrics.Snapshot());
  EXPECT_EQ(portfolio.Snapshot(), SerializeModel(portfolio.state().model()));
  EXPECT_EQ(decisions.Snapshot(),
            Canonical<gavel::v1::DecisionHistoryModel>(decisions.Snapshot()));
  EXPECT_EQ(metrics.Snapshot(),
            Canonical<gavel::v1::GovernanceMetricsModel>(metrics.Snapshot()));

  // A restored projection (nothing cached) gives the same bytes, and goes
  // on giving them as it folds more.
  DecisionHistoryProjection restored;
  ASSERT_TRUE(restored.Restore(decisions.Snapshot()).ok());
  EXPECT_EQ(restored.Snapshot(), decisions.Snapshot());
  GovernanceMetricsProjection restored_metrics;
  ASSERT_TRUE(restored_metrics.Restore(metrics.Snapshot()).ok());
  EXPECT_EQ(restored_metrics.Snapshot(), metrics.Snapshot());
  Feed more({&decisions, &restored, &metrics, &restored_metrics});
  more.Initiative("I-3", test::Satisfied("c", test::Day(2026, 3, 1)));
  more.Initiative("I-4", test::Cost(5, test::Day(2026, 3, 1)));
  EXPECT_EQ(restored.Snapshot(), decisions.Snapshot());
  EXPECT_EQ(restored_metrics.Snapshot(), metrics.Snapshot());
}

// A pool's reservations are cached one by one: reserving, releasing part
// of one and releasing another whole (which removes it and moves the later
// ones down) between snapshots give the bytes of a fresh encoding.
TEST(SnapshotTest, CachedReservationsEqualAFreshEncodingAfterReleases) {
  PortfolioProjection portfolio, cold;
  Feed feed({&portfolio, &cold});
  const gavel::v1::Date jan = test::Day(2026, 1, 1);
  const gavel::v1::Date feb = test::Day(2026, 2, 1);
  feed.Pool("data", test::PoolDefined("data", {test::Amount(jan, 50),
                                               test::Amount(feb, 50)}));
  feed.Pool("ops", test::PoolDefined("ops", {test::Amount(jan, 9)}));
  auto reserve = [&](const std::string& pool, const std::string& initiative,
                     int64_t amount) {
    gavel::v1::CapacityPoolEvent e;
    e.mutable_demand_reserved()->set_initiative_id(initiative);
    *e.mutable_demand_reserved()->add_amounts() = test::Amount(jan, amount);
    *e.mutable_demand_reserved()->add_amounts() = test::Amount(feb, amount);
    e.mutable_demand_reserved()->set_firm(true);
    feed.Pool(pool, e);
  };
  auto release = [&](const std::string& initiative, int64_t amount) {
    gavel::v1::CapacityPoolEvent e;
    e.mutable_demand_released()->set_initiative_id(initiative);
    *e.mutable_demand_released()->add_amounts() = test::Amount(jan, amount);
    *e.mutable_demand_released()->add_amounts() = test::Amount(feb, amount);
    feed.Pool("data", e);
  };
  for (const char* id : {"A", "B", "C", "D"}) reserve("data", id, 5);
  reserve("ops", "A", 2);
  (void)portfolio.Snapshot();
  release("B", 2);  // B's reservation changes in place.
  (void)portfolio.Snapshot();
  release("A", 5);  // A's goes: B, C and D move down.
  ASSERT_EQ(portfolio.state().FindPool("data")->reservations_size(), 3);
  EXPECT_EQ(portfolio.Snapshot(), cold.Snapshot());
  release("C", 5);
  reserve("data", "E", 1);
  EXPECT_EQ(portfolio.Snapshot(), cold.Snapshot());
  EXPECT_EQ(portfolio.Snapshot(), SerializeModel(portfolio.state().model()));

  PortfolioProjection restored;
  ASSERT_TRUE(restored.Restore(portfolio.Snapshot()).ok());
  Feed more({&portfolio, &restored});
  (void)restored.Snapshot();
  more.Pool("data", [] {
    gavel::v1::CapacityPoolEvent e;
    e.mutable_demand_released()->set_initiative_id("D");
    *e.mutable_demand_released()->add_amounts() =
        test::Amount(test::Day(2026, 1, 1), 5);
    return e;
  }());
  EXPECT_EQ(restored.Snapshot(), portfolio.Snapshot());
  EXPECT_EQ(restored.Snapshot(), SerializeModel(restored.state().model()));
}

}  // namespace
}  // namespace gavel::projections
