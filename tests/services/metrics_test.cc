// The Prometheus instruments, the text format, and /metrics of a real
// server fetched over HTTP.
#include "services/metrics.h"

#include <regex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "tests/services/test_server.h"

namespace gavel::services {
namespace {

using ::gavel::test::As;
using ::gavel::test::TestServer;
using ::testing::HasSubstr;

TEST(HistogramTest, CountsEachValueInTheFirstBucketThatHoldsIt) {
  Histogram histogram({1, 2, 4});
  for (double value : {0.5, 1.0, 1.5, 4.0, 9.0}) histogram.Observe(value);
  const Histogram::Snapshot snapshot = histogram.Read();
  EXPECT_EQ(snapshot.cumulative, (std::vector<uint64_t>{2, 3, 4, 5}));
  EXPECT_EQ(snapshot.count, 5u);
  EXPECT_DOUBLE_EQ(snapshot.sum, 16.0);
}

TEST(CounterFamilyTest, FoldsSeriesBeyondTheBoundIntoOther) {
  CounterFamily family({"method"}, 3);
  family.Add({"a"});
  family.Add({"b"}, 2);
  family.Add({"c"});  // the family is full: counted as "other"
  family.Add({"d"});
  family.Add({"a"});  // known series still count as themselves
  const auto series = family.Read();
  ASSERT_EQ(series.size(), 3u);
  EXPECT_EQ(series[0].first, (MetricLabels{{"method", "a"}}));
  EXPECT_EQ(series[0].second, 2u);
  EXPECT_EQ(series[1].second, 2u);
  EXPECT_EQ(series[2].first, (MetricLabels{{"method", "other"}}));
  EXPECT_EQ(series[2].second, 2u);
}

TEST(MetricsTextTest, WritesFamiliesSamplesAndEscapedLabels) {
  MetricsText page;
  page.Family("x_total", "counter", "Things.\nMore");
  page.Sample("x_total", {{"name", "a\"b\\c\nd"}}, 3);
  page.Sample("y", {}, 0.25);
  EXPECT_EQ(page.Take(),
            "# HELP x_total Things.\\nMore\n# TYPE x_total counter\n"
            "x_total{name=\"a\\\"b\\\\c\\nd\"} 3\ny 0.25\n");
}

TEST(MetricsTextTest, WritesHistogramBucketsSumAndCount) {
  Histogram histogram({0.001, 0.01});
  histogram.Observe(0.005);
  MetricsText page;
  page.HistogramSeries("h_seconds", {{"m", "x"}}, histogram.Read());
  EXPECT_EQ(page.Take(),
            "h_seconds_bucket{m=\"x\",le=\"0.001\"} 0\n"
            "h_seconds_bucket{m=\"x\",le=\"0.01\"} 1\n"
            "h_seconds_bucket{m=\"x\",le=\"+Inf\"} 1\n"
            "h_seconds_sum{m=\"x\"} 0.0050000000000000001\n"
            "h_seconds_count{m=\"x\"} 1\n");
}

class MetricsEndpointTest : public ::testing::Test {
 protected:
  MetricsEndpointTest() {
    server_.Stop();
    server_.options().metrics_listen = "127.0.0.1:0";
    server_.Start();
  }

  // The page /metrics serves now.
  std::string Scrape() {
    httplib::Client client("127.0.0.1", server_.server().metrics_port());
    httplib::Result result = client.Get("/metrics");
    EXPECT_TRUE(result) << "no answer from /metrics";
    if (!result) return "";
    EXPECT_EQ(result->status, 200);
    EXPECT_THAT(result->get_header_value("Content-Type"),
                HasSubstr("text/plain; version=0.0.4"));
    return result->body;
  }

  // The value of the sample line that starts with `series` and a space; -1
  // when there is none.
  static double Value(const std::string& page, absl::string_view series) {
    for (absl::string_view line : absl::StrSplit(page, '\n')) {
      if (absl::StartsWith(line, absl::StrCat(series, " "))) {
        double value = 0;
        if (absl::SimpleAtod(line.substr(series.size() + 1), &value)) {
          return value;
        }
      }
    }
    return -1;
  }

  grpc::Status DefineObjective(absl::string_view id, absl::string_view who) {
    gavel::v1::DefineObjectiveRequest request;
    auto* command = request.mutable_command();
    command->set_objective_id(std::string(id));
    command->set_title("Grow recurring revenue");
    command->set_horizon(gavel::v1::HORIZON_THREE_YEARS);
    command->set_owner("alice");
    request.mutable_options()->set_command_id(
        absl::StrCat("cmd-", ++commands_sent_));
    gavel::v1::CommandReply reply;
    return server_.strategy().DefineObjective(As(who).get(), request, &reply);
  }

  TestServer server_;
  int commands_sent_ = 0;
};

TEST_F(MetricsEndpointTest, EveryLineIsValidExpositionFormat) {
  const grpc::Status defined = DefineObjective("growth", "alice");
  ASSERT_TRUE(defined.ok()) << defined.error_message();
  const std::string page = Scrape();
  const std::regex comment(R"(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+)");
  const std::regex sample(
      R"([a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*",?)*\})? (-?[0-9.e+-]+|[+-]Inf|NaN))");
  int samples = 0;
  for (absl::string_view line : absl::StrSplit(page, '\n', absl::SkipEmpty())) {
    const std::string text(line);
    if (line[0] == '#') {
      EXPECT_TRUE(std::regex_match(text, comment)) << text;
    } else {
      EXPECT_TRUE(std::regex_match(text, sample)) << text;
      ++samples;
    }
  }
  EXPECT_GT(samples, 50);
}

TEST_F(MetricsEndpointTest, CountsCallsByMethodAndCodeAndCommandsByOutcome) {
  ASSERT_TRUE(DefineObjective("growth", "alice").ok());
  ASSERT_TRUE(DefineObjective("margin", "alice").ok());
  // A board member may not define objectives; a retry of a defined one is
  // refused by the domain.
  EXPECT_EQ(DefineObjective("other", "bob").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_FALSE(DefineObjective("growth", "alice").ok());
  const std::string page = Scrape();
  const std::string method = "/gavel.v1.StrategyService/DefineObjective";
  EXPECT_EQ(Value(page, absl::StrCat("gavel_grpc_requests_total{method=\"",
                                     method, "\",code=\"OK\"}")),
            2);
  EXPECT_EQ(Value(page, absl::StrCat("gavel_grpc_requests_total{method=\"",
                                     method, "\",code=\"PERMISSION_DENIED\"}")),
            1);
  EXPECT_EQ(Value(page, absl::StrCat("gavel_grpc_request_duration_seconds_"
                                     "count{method=\"",
                                     method, "\"}")),
            4);
  // The writer saw three commands: two committed, one rejected.
  EXPECT_EQ(Value(page, "gavel_command_duration_seconds_count{outcome=\"OK\"}"),
            2);
  EXPECT_EQ(Value(page, "gavel_commands_total{result=\"accepted\"}"), 2);
  EXPECT_EQ(Value(page, "gavel_commands_total{result=\"rejected\"}"), 1);
  EXPECT_EQ(Value(page, "gavel_events_appended_total"), 2);
  EXPECT_EQ(Value(page, "gavel_log_head_position"), 2);
  EXPECT_EQ(Value(page, "gavel_log_append_duration_seconds_count"), 2);
  EXPECT_EQ(Value(page, "gavel_write_batch_commands_count"), 2);
  EXPECT_GT(Value(page, "gavel_rocksdb_memtable_bytes"), 0);
  EXPECT_GT(Value(page, "process_resident_memory_bytes"), 0);
}

TEST_F(MetricsEndpointTest, ReportsProjectionsAndCheckpoints) {
  ASSERT_TRUE(DefineObjective("growth", "alice").ok());
  // The checkpointer signs within its interval; the projections catch up.
  std::string page;
  for (int i = 0; i < 100; ++i) {
    page = Scrape();
    if (Value(page, "gavel_checkpoint_tree_size") == 1 &&
        Value(page, "gavel_projection_position{projection=\"portfolio\"}") ==
            1) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_EQ(Value(page, "gavel_checkpoint_tree_size"), 1);
  EXPECT_EQ(Value(page, "gavel_checkpoint_uncovered_records"), 0);
  EXPECT_EQ(Value(page, "gavel_checkpoint_age_seconds"), 0);
  EXPECT_EQ(Value(page, "gavel_projection_position{projection=\"portfolio\"}"),
            1);
  EXPECT_EQ(
      Value(page, "gavel_projection_lag_events{projection=\"portfolio\"}"), 0);
  EXPECT_EQ(Value(page, "gavel_subscribers"), 0);
}

TEST_F(MetricsEndpointTest, AnswersOtherPathsWithNotFound) {
  httplib::Client client("127.0.0.1", server_.server().metrics_port());
  httplib::Result result = client.Get("/secrets");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 404);
}

TEST(MetricsEndpointStartTest, RefusesABusyOrMalformedAddress) {
  TestServer first;
  first.Stop();
  first.options().metrics_listen = "127.0.0.1:0";
  first.Start();
  TestServer second;
  second.Stop();
  services::ServerOptions options = second.options();
  options.metrics_listen =
      absl::StrCat("127.0.0.1:", first.server().metrics_port());
  EXPECT_EQ(GavelServer::Start(options).status().code(),
            absl::StatusCode::kUnavailable);
  options.metrics_optional = true;
  absl::StatusOr<std::unique_ptr<GavelServer>> without =
      GavelServer::Start(options);
  ASSERT_TRUE(without.ok()) << without.status();
  EXPECT_EQ((*without)->metrics_port(), 0);
  without->reset();
  options.metrics_optional = false;
  options.metrics_listen = "no-port";
  EXPECT_EQ(GavelServer::Start(options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gavel::services
