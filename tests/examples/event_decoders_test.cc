// Every event of every aggregate, walked from the descriptors, decodes in
// each of Gavel's decoders: the CLI's JSON printer (cli/event_json.h), the
// projections' record decoder (projections/domain_event.h) and the Python
// example (docs/examples/python/subscriber.py). None keeps a table of
// stream prefixes of its own (proto/catalogue.h), so a new aggregate or
// event needs no change in them; this test shows it.
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cli/event_json.h"
#include "gavel/v1/event_record.pb.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "projections/domain_event.h"
#include "proto/catalogue.h"
#include "tests/testing/child_process.h"
#include "tests/testing/temp_dir.h"

namespace gavel::examples {
namespace {

// The aggregates no read model folds yet: the projections skip their
// records (kind UNSPECIFIED) instead of decoding them.
bool ProjectionsSkip(gavel::v1::AggregateKind kind) {
  return kind == gavel::v1::AGGREGATE_KIND_FRAMEWORK ||
         kind == gavel::v1::AGGREGATE_KIND_LIFECYCLE_MODEL;
}

struct Sample {
  gavel::v1::EventRecord record;
  const catalogue::Aggregate* aggregate;
  const google::protobuf::FieldDescriptor* event;  // Its case in the wrapper.
};

// One record per event of every wrapper, at positions 1, 2, ...
std::vector<Sample> EveryEvent() {
  std::vector<Sample> samples;
  for (const catalogue::Aggregate& aggregate :
       catalogue::Catalogue::Get().aggregates()) {
    const google::protobuf::OneofDescriptor* oneof =
        aggregate.wrapper->oneof_decl(0);
    for (int i = 0; i < oneof->field_count(); ++i) {
      std::unique_ptr<google::protobuf::Message> wrapper(
          aggregate.prototype->New());
      wrapper->GetReflection()->MutableMessage(wrapper.get(), oneof->field(i));
      Sample sample{{}, &aggregate, oneof->field(i)};
      sample.record.set_position(samples.size() + 1);
      sample.record.set_stream_id(aggregate.stream_prefix + "a-1");
      sample.record.set_stream_version(1);
      sample.record.set_event_type(oneof->field(i)->message_type()->name());
      sample.record.set_payload(wrapper->SerializeAsString());
      samples.push_back(std::move(sample));
    }
  }
  return samples;
}

TEST(EventDecodersTest, EveryEventOfEveryAggregateIsWalked) {
  int plan_events = 0;
  for (const Sample& sample : EveryEvent()) {
    if (sample.aggregate->kind == gavel::v1::AGGREGATE_KIND_PORTFOLIO_PLAN) {
      ++plan_events;
    }
  }
  EXPECT_GT(plan_events, 0);
  EXPECT_EQ(catalogue::Catalogue::Get().aggregates().size(), 9u);
}

TEST(EventDecodersTest, TheCliPrintsEveryEventDecoded) {
  for (const Sample& sample : EveryEvent()) {
    nlohmann::json json = nlohmann::json::parse(cli::RecordJson(sample.record));
    ASSERT_TRUE(json.contains("event")) << sample.event->full_name();
    EXPECT_TRUE(json["event"].contains(sample.event->name()))
        << sample.event->full_name() << ": " << json.dump();
    EXPECT_FALSE(json.contains("payload"));
  }
}

TEST(EventDecodersTest, TheProjectionsDecodeEveryEventTheyRead) {
  projections::EventBatch batch;
  const std::vector<Sample> samples = EveryEvent();
  for (const Sample& sample : samples) {
    ASSERT_TRUE(
        batch.Add(sample.record.position(), sample.record.SerializeAsString())
            .ok())
        << sample.event->full_name();
  }
  ASSERT_EQ(batch.size(), samples.size());
  for (size_t i = 0; i < samples.size(); ++i) {
    const projections::DomainEvent& event = batch.events()[i];
    const catalogue::Aggregate& aggregate = *samples[i].aggregate;
    if (ProjectionsSkip(aggregate.kind)) {
      EXPECT_EQ(event.kind, gavel::v1::AGGREGATE_KIND_UNSPECIFIED);
      continue;
    }
    EXPECT_EQ(event.kind, aggregate.kind) << samples[i].event->full_name();
    EXPECT_EQ(event.aggregate_id, "a-1");
  }
}

TEST(EventDecodersTest, ThePythonExampleDecodesEveryEvent) {
  test::TempDir dir;
  std::string input;
  const std::vector<Sample> samples = EveryEvent();
  for (const Sample& sample : samples) {
    absl::StrAppend(
        &input, absl::Base64Escape(sample.record.SerializeAsString()), "\n");
  }
  test::WriteFile(dir.Sub("records"), input);
  setenv("PYTHONPATH", PYTHON_STUBS_DIR, 1);
  setenv("GAVEL_SUBSCRIBER_DIR", SUBSCRIBER_DIR, 1);
  const std::string command =
      absl::StrCat(PYTHON_BINARY, " ", DECODE_SCRIPT, " < ", dir.Sub("records"),
                   " > ", dir.Sub("decoded"), " 2>&1");
  ASSERT_EQ(std::system(command.c_str()), 0)
      << test::ReadFile(dir.Sub("decoded"));
  std::vector<std::string> lines = absl::StrSplit(
      test::ReadFile(dir.Sub("decoded")), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), samples.size());
  for (size_t i = 0; i < samples.size(); ++i) {
    nlohmann::json json = nlohmann::json::parse(lines[i]);
    ASSERT_FALSE(json["event"].is_null()) << samples[i].event->full_name();
    EXPECT_TRUE(json["event"].contains(samples[i].event->json_name()))
        << samples[i].event->full_name() << ": " << lines[i];
  }
}

}  // namespace
}  // namespace gavel::examples
