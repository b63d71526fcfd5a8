// The catalogue (proto/catalogue.h): the options in the protos hold
// together, and what the catalogue derives from them is what the rest of
// Gavel relies on.
#include "proto/catalogue.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "gavel/v1/command.pb.h"
#include "gavel/v1/events.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gavel::catalogue {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const Catalogue& C() { return Catalogue::Get(); }

TEST(CatalogueTest, OptionsHoldTogether) {
  EXPECT_THAT(C().problems(), IsEmpty());
}

TEST(CatalogueTest, EveryAggregateKindHasOneWrapperAndPrefix) {
  const google::protobuf::EnumDescriptor* kinds =
      gavel::v1::AggregateKind_descriptor();
  EXPECT_EQ(C().aggregates().size(), kinds->value_count() - 1u);
  std::set<std::string> prefixes;
  for (const Aggregate& aggregate : C().aggregates()) {
    EXPECT_NE(aggregate.prototype, nullptr) << aggregate.stream_prefix;
    EXPECT_TRUE(prefixes.insert(aggregate.stream_prefix).second);
    EXPECT_EQ(C().FindAggregateOfWrapper(aggregate.wrapper), &aggregate);
    EXPECT_EQ(C().FindAggregateOfStream(aggregate.stream_prefix + "x"),
              &aggregate);
  }
  EXPECT_EQ(C().FindAggregateOfStream("nothing-1"), nullptr);
  EXPECT_EQ(StreamOf(gavel::v1::AGGREGATE_KIND_PORTFOLIO_PLAN, "p1"),
            "plan-p1");
}

TEST(CatalogueTest, EveryCommandOfTheEnvelopeIsCatalogued) {
  const google::protobuf::OneofDescriptor* oneof =
      gavel::v1::Command::descriptor()->FindOneofByName("command");
  ASSERT_NE(oneof, nullptr);
  ASSERT_EQ(C().commands().size(), static_cast<size_t>(oneof->field_count()));
  for (const Command& command : C().commands()) {
    EXPECT_EQ(command.id_field->containing_type(), command.message);
    EXPECT_NE(C().FindAggregate(command.aggregate), nullptr);
  }
}

TEST(CatalogueTest, EveryCommandButTheDerivedOnesHasAnRpc) {
  std::set<std::string> without_rpc;
  for (const Command& command : C().commands()) {
    if (C().FindCommandRpc(command) == nullptr) {
      without_rpc.insert(command.message->name());
    }
  }
  // Recorded by OptimizeScenario after it solves, never sent as such.
  EXPECT_EQ(without_rpc, std::set<std::string>{"RecordScenarioOptimization"});
}

TEST(CatalogueTest, ContextReferencesFollowNestedMessages) {
  const Command* approve =
      C().FindCommand(gavel::v1::ApproveFramework::descriptor());
  ASSERT_NE(approve, nullptr);
  ASSERT_EQ(approve->context.size(), 1u);
  EXPECT_EQ(approve->context[0].ref, gavel::v1::CONTEXT_REF_BOARD);
  std::vector<std::string> path;
  for (const auto* field : approve->context[0].path) {
    path.push_back(field->name());
  }
  EXPECT_THAT(path, ElementsAre("decision", "board_id"));
}

TEST(CatalogueTest, RpcsCarryTheirRolesAndCliVerbs) {
  const Method* submit =
      C().FindMethod("/gavel.v1.InitiativeService/SubmitInitiative");
  ASSERT_NE(submit, nullptr);
  EXPECT_THAT(submit->roles,
              ElementsAre(gavel::v1::ROLE_ADMIN, gavel::v1::ROLE_SUBMITTER));
  ASSERT_NE(submit->command, nullptr);
  EXPECT_EQ(submit->command->message,
            gavel::v1::SubmitInitiative::descriptor());
  EXPECT_EQ(C().FindCliVerb("initiative", "submit"), submit);
  const Method* ping = C().FindMethod("/gavel.v1.AdminService/Ping");
  ASSERT_NE(ping, nullptr);
  EXPECT_THAT(ping->roles, IsEmpty());
  EXPECT_EQ(ping->command, nullptr);
}

TEST(CatalogueTest, RoleNamesRoundTrip) {
  for (gavel::v1::Role role : AllRoles()) {
    EXPECT_EQ(ParseRole(RoleName(role)), role);
  }
  EXPECT_EQ(RoleName(gavel::v1::ROLE_BOARD_MEMBER), "board_member");
  EXPECT_EQ(ParseRole("chair"), std::nullopt);
}

// Every event of every wrapper decodes from a record of its stream, and
// reads back its event type.
TEST(CatalogueTest, EveryEventDecodesFromItsStream) {
  int events = 0;
  for (const Aggregate& aggregate : C().aggregates()) {
    const google::protobuf::OneofDescriptor* oneof =
        aggregate.wrapper->oneof_decl(0);
    for (int i = 0; i < oneof->field_count(); ++i) {
      std::unique_ptr<google::protobuf::Message> wrapper(
          aggregate.prototype->New());
      wrapper->GetReflection()->MutableMessage(wrapper.get(), oneof->field(i));
      std::unique_ptr<google::protobuf::Message> decoded = DecodePayload(
          aggregate.stream_prefix + "a-1", wrapper->SerializeAsString());
      ASSERT_NE(decoded, nullptr) << oneof->field(i)->full_name();
      EXPECT_EQ(EventTypeOf(*decoded), oneof->field(i)->message_type()->name());
      ++events;
    }
  }
  EXPECT_GT(events, 40);
}

}  // namespace
}  // namespace gavel::catalogue
