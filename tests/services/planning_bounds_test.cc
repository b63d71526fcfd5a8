// The planning thread is shared: one principal may hold only so many of
// its jobs, and a job's wait ends with its caller's deadline (issue 21:
// GetFrontier could queue 50 solves x 60 s and jobs ran on after their
// callers went away).
#include <memory>
#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gavel/v1/portfolio_plan_service.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/services/test_server.h"

namespace gavel::services {
namespace {

// An asynchronous GetFrontier that waits for a position the log will not
// reach soon, so that its job holds the planning thread or waits behind it.
struct PendingFrontier {
  grpc::ClientContext context;
  gavel::v1::GetFrontierRequest request;
  gavel::v1::GetFrontierReply reply;
  grpc::Status status;
  absl::Notification done;
};

class PlanningBoundsTest : public ::testing::Test {
 protected:
  // Plan p1 exists, so that a job reads its inputs and waits for its
  // min_position (holding the planning thread) instead of failing at once.
  void SetUp() override {
    gavel::v1::CreateScenarioRequest request;
    request.mutable_options()->set_command_id("create-p1");
    gavel::v1::CreateScenario* c = request.mutable_command();
    c->set_plan_id("p1");
    c->set_name("P1");
    c->set_horizon(gavel::v1::HORIZON_ONE_YEAR);
    c->set_currency("EUR");
    gavel::v1::PeriodAmount* budget = c->add_budget();
    budget->mutable_period_start()->set_year(2027);
    budget->mutable_period_start()->set_month(1);
    budget->mutable_period_start()->set_day(1);
    budget->set_amount(1000000);
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer token-alice");
    gavel::v1::CommandReply reply;
    grpc::Status status = stub_->CreateScenario(&context, request, &reply);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  std::unique_ptr<PendingFrontier> Start(const std::string& token,
                                         absl::Duration deadline) {
    auto call = std::make_unique<PendingFrontier>();
    call->context.AddMetadata("authorization", "Bearer " + token);
    call->context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
    call->request.set_plan_id("p1");
    call->request.set_min_position(1000000);
    PendingFrontier* raw = call.get();
    stub_->async()->GetFrontier(&raw->context, &raw->request, &raw->reply,
                                [raw](grpc::Status status) {
                                  raw->status = std::move(status);
                                  raw->done.Notify();
                                });
    return call;
  }

  test::TestServer server_;
  std::unique_ptr<gavel::v1::PortfolioPlanService::Stub> stub_ =
      gavel::v1::PortfolioPlanService::NewStub(server_.channel());
};

TEST_F(PlanningBoundsTest, OnePrincipalHoldsAtMostTwoJobs) {
  std::vector<std::unique_ptr<PendingFrontier>> alice;
  for (int i = 0; i < 5; ++i) {
    alice.push_back(Start("token-alice", absl::Seconds(3)));
  }
  // Another principal still gets a place in the queue.
  std::unique_ptr<PendingFrontier> ann = Start("token-ann", absl::Seconds(3));
  int refused = 0;
  for (auto& call : alice) {
    call->done.WaitForNotification();
    if (call->status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
      ++refused;
    }
  }
  EXPECT_EQ(refused, 3);
  ann->done.WaitForNotification();
  EXPECT_NE(ann->status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << ann->status.error_message();
}

TEST_F(PlanningBoundsTest, AJobsWaitEndsWithItsCallersDeadline) {
  const absl::Time start = absl::Now();
  std::unique_ptr<PendingFrontier> first =
      Start("token-alice", absl::Milliseconds(500));
  first->done.WaitForNotification();
  // Without the deadline it would hold the thread for max_wait (10 s): a
  // second job behind it is answered long before that.
  std::unique_ptr<PendingFrontier> second =
      Start("token-alice", absl::Milliseconds(500));
  second->done.WaitForNotification();
  EXPECT_LT(absl::Now() - start, absl::Seconds(8));
}

}  // namespace
}  // namespace gavel::services
