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

using ::gavel::testing::Feed;

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
  testing::GeneratePortfolio(feed, 12);
  // Warm the caches, then change initiatives and decisions seen before
  // (the same lives again: new reviews, decisions, satisfied conditions,
  // costs) and add new ones.
  for (int round = 0; round < 3; ++round) {
    (void)portfolio.Snapshot();
    (void)decisions.Snapshot();
    (void)metrics.Snapshot();
    testing::GeneratePortfolio(feed, 12 + 3 * round);
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
  more.Initiative("I-3", testing::Satisfied("c", testing::Day(2026, 3, 1)));
  more.Initiative("I-4", testing::Cost(5, testing::Day(2026, 3, 1)));
  EXPECT_EQ(restored.Snapshot(), decisions.Snapshot());
  EXPECT_EQ(restored_metrics.Snapshot(), metrics.Snapshot());
}

}  // namespace
}  // namespace gavel::projections
