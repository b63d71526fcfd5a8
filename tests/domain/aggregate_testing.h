// Helpers shared by the aggregate tests: a Context at a fixed instant, a
// chartered board's view, period amounts and AHP judgements, accepting
// commands into a state, recording a history to replay, and asserting
// rejections by code, reason and field, one at a time or as a table of
// ways to break a valid command. The aggregate tests live in this
// namespace.
#ifndef GAVEL_TESTS_DOMAIN_AGGREGATE_TESTING_H_
#define GAVEL_TESTS_DOMAIN_AGGREGATE_TESTING_H_

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "domain/calendar.h"
#include "domain/context.h"
#include "domain/decider.h"
#include "domain/reasons.h"
#include "domain/rejection.h"
#include "gavel/v1/commands.pb.h"
#include "gavel/v1/events.pb.h"
#include "gtest/gtest.h"

namespace gavel::domain::test {

// The server's clock in every test: 2026-03-02T09:00:00Z.
inline absl::Time Now() {
  return absl::FromCivil(absl::CivilSecond(2026, 3, 2, 9, 0, 0),
                         absl::UTCTimeZone());
}

inline Context ContextAt(absl::Time now, absl::string_view actor) {
  Context ctx;
  ctx.now = now;
  ctx.actor = std::string(actor);
  return ctx;
}

// A board with a chair, two voting members and an advisory one; quorum 2,
// majority; decides G0-G4 up to 1,000,000.00 EUR within 14 days.
inline BoardView FourMemberBoard(absl::string_view board_id,
                                 absl::string_view chair,
                                 absl::string_view voting_a,
                                 absl::string_view voting_b,
                                 absl::string_view advisory) {
  BoardView board;
  board.board_id = std::string(board_id);
  board.members = {{std::string(chair), gavel::v1::MEMBER_ROLE_CHAIR},
                   {std::string(voting_a), gavel::v1::MEMBER_ROLE_VOTING},
                   {std::string(voting_b), gavel::v1::MEMBER_ROLE_VOTING},
                   {std::string(advisory), gavel::v1::MEMBER_ROLE_ADVISORY}};
  board.quorum = 2;
  board.decision_rule = gavel::v1::DECISION_RULE_MAJORITY;
  for (const char* gate : {"G0", "G1", "G2", "G3", "G4"}) {
    board.mandate.add_gate_ids(gate);
  }
  board.mandate.mutable_budget_ceiling()->set_minor_units(100000000);
  board.mandate.mutable_budget_ceiling()->set_currency("EUR");
  board.decision_latency_sla = absl::Hours(24 * 14);
  return board;
}

// Board "exec": chair "chair", voting "vera" and "victor", advisory "ada";
// a FourMemberBoard that also approves frameworks.
inline BoardView ExecBoardView() {
  BoardView board = FourMemberBoard("exec", "chair", "vera", "victor", "ada");
  board.mandate.set_approves_frameworks(true);
  return board;
}

// `amount` in the month starting on year-month-01.
inline gavel::v1::PeriodAmount Amount(int year, int month, int64_t amount) {
  gavel::v1::PeriodAmount a;
  *a.mutable_period_start() = MakeDate(year, month, 1);
  a.set_amount(amount);
  return a;
}

// The same in 2026, the year of Now().
inline gavel::v1::PeriodAmount Amount(int month, int64_t amount) {
  return Amount(2026, month, amount);
}

// `more` is `intensity` times as important as `less` (Saaty's 1..9 scale).
inline gavel::v1::AhpJudgement Judge(absl::string_view more,
                                     absl::string_view less, int intensity) {
  gavel::v1::AhpJudgement j;
  j.set_more_important_criterion_id(std::string(more));
  j.set_less_important_criterion_id(std::string(less));
  j.set_intensity(intensity);
  return j;
}

// Matches any field in Rejected().
inline constexpr absl::string_view kAnyField = "*";

// Succeeds when `status` is the catalogue rejection `reason`: its canonical
// code, its name (ReasonOf) and the offending `field` (FieldOf), unless
// `field` is kAnyField.
inline ::testing::AssertionResult Rejected(
    const absl::Status& status, const Reason& reason,
    absl::string_view field = kAnyField) {
  if (status.ok()) {
    return ::testing::AssertionFailure()
           << "accepted; expected " << reason.name << " on '" << field << "'";
  }
  if (status.code() != reason.code || ReasonOf(status) != reason.name ||
      (field != kAnyField && FieldOf(status) != field)) {
    return ::testing::AssertionFailure()
           << "got " << absl::StatusCodeToString(status.code()) << " "
           << ReasonOf(status) << " on '" << FieldOf(status) << "' ("
           << status.message() << "); expected "
           << absl::StatusCodeToString(reason.code) << " " << reason.name
           << " on '" << field << "'";
  }
  return ::testing::AssertionSuccess();
}

template <typename T>
::testing::AssertionResult Rejected(const absl::StatusOr<T>& result,
                                    const Reason& reason,
                                    absl::string_view field = kAnyField) {
  return Rejected(result.status(), reason, field);
}

// One way to break a valid command, and the rejection it must get.
template <typename Command>
struct Breakage {
  std::function<void(Command&)> apply;
  const Reason& reason;
  std::string field;
};

// Applies each breakage to a copy of `valid`, decides the result with
// `decide` (a callable taking the command, returning a Status or StatusOr)
// and expects the breakage's rejection: a table-driven test of the checks
// of one command.
template <typename Command, typename DecideFn>
void ExpectEachRejected(const Command& valid, const DecideFn& decide,
                        std::initializer_list<Breakage<Command>> breakages) {
  int index = 0;
  for (const Breakage<Command>& breakage : breakages) {
    Command cmd = valid;
    breakage.apply(cmd);
    EXPECT_TRUE(Rejected(decide(cmd), breakage.reason, breakage.field))
        << "breakage #" << index << " of " << cmd.GetTypeName();
    ++index;
  }
}

// A callable deciding a command against `state` in `ctx`, for
// ExpectEachRejected.
template <typename State>
auto DecideOn(State state, Context ctx) {
  return [state = std::move(state), ctx = std::move(ctx)](const auto& cmd) {
    return Decide(state, cmd, ctx);
  };
}

// The value of `result`; a rejection fails the test and gives T().
template <typename T>
T ValueOrFail(absl::StatusOr<T> result) {
  if (!result.ok()) {
    ADD_FAILURE() << "rejected: " << result.status() << " ("
                  << ReasonOf(result.status()) << ")";
    return T();
  }
  return *std::move(result);
}

// Decides `cmd` against `state` and folds the events in. A rejection fails
// the test and leaves the state unchanged.
template <typename State, typename Command>
State Accept(State state, const Command& cmd, const Context& ctx) {
  auto events = Decide(state, cmd, ctx);
  if (!events.ok()) {
    ADD_FAILURE() << "rejected: " << events.status() << " ("
                  << ReasonOf(events.status()) << ")";
    return state;
  }
  return Fold(std::move(state), absl::MakeConstSpan(*events));
}

// The events a test's commands produced, in order, and the state they
// fold to, for replay tests.
template <typename State, typename Event>
class History {
 public:
  explicit History(State initial = State())
      : initial_(initial), state_(std::move(initial)) {}

  // Decides `cmd` against the current state and applies its events; a
  // rejection fails the test and records nothing.
  template <typename Command>
  void Record(const Command& cmd, const Context& ctx) {
    Append(ValueOrFail(Decide(state_, cmd, ctx)));
  }

  // Applies events decided elsewhere.
  void Append(absl::Span<const Event> events) {
    for (const Event& event : events) {
      events_.push_back(event);
      state_ = Evolve(std::move(state_), event);
    }
  }
  void Append(const Event& event) { Append(absl::MakeConstSpan(&event, 1)); }

  // The state the recorded events led to, one at a time.
  const State& state() const { return state_; }

  // Every event recorded, in order.
  absl::Span<const Event> events() const { return events_; }

  // The initial state with the first `count` events (all by default)
  // folded in again.
  State Replay(size_t count = std::numeric_limits<size_t>::max()) const {
    return Fold(initial_, absl::MakeConstSpan(events_).subspan(0, count));
  }

 private:
  State initial_;
  State state_;
  std::vector<Event> events_;
};

// Succeeds when replaying `history` gives the state it reached, twice
// alike, and replaying all but its last event gives another: Evolve is
// deterministic and no recorded event is lost.
template <typename State, typename Event>
::testing::AssertionResult ReplaysFaithfully(
    const History<State, Event>& history) {
  const State replayed = history.Replay();
  if (replayed != history.Replay()) {
    return ::testing::AssertionFailure() << "two replays differ";
  }
  if (replayed != history.state()) {
    return ::testing::AssertionFailure()
           << "the replay differs from the state reached event by event";
  }
  const size_t count = history.events().size();
  if (count > 0 && replayed == history.Replay(count - 1)) {
    return ::testing::AssertionFailure() << "the last event changed nothing";
  }
  return ::testing::AssertionSuccess();
}

}  // namespace gavel::domain::test

#endif  // GAVEL_TESTS_DOMAIN_AGGREGATE_TESTING_H_
