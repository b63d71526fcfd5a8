// Helpers shared by the aggregate tests: a Context at a fixed instant, a
// chartered board's view, accepting commands into a state, and asserting
// rejections by code, reason and field.
#ifndef GAVEL_TESTS_DOMAIN_AGGREGATE_TESTING_H_
#define GAVEL_TESTS_DOMAIN_AGGREGATE_TESTING_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "domain/context.h"
#include "domain/decider.h"
#include "domain/reasons.h"
#include "domain/rejection.h"
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

// Board "exec": chair "chair", voting "vera" and "victor", advisory "ada";
// quorum 2, majority; decides G0-G4 up to 1,000,000.00 EUR and approves
// frameworks.
inline BoardView ExecBoardView() {
  BoardView board;
  board.board_id = "exec";
  board.members = {{"chair", gavel::v1::MEMBER_ROLE_CHAIR},
                   {"vera", gavel::v1::MEMBER_ROLE_VOTING},
                   {"victor", gavel::v1::MEMBER_ROLE_VOTING},
                   {"ada", gavel::v1::MEMBER_ROLE_ADVISORY}};
  board.quorum = 2;
  board.decision_rule = gavel::v1::DECISION_RULE_MAJORITY;
  for (const char* gate : {"G0", "G1", "G2", "G3", "G4"}) {
    board.mandate.add_gate_ids(gate);
  }
  board.mandate.mutable_budget_ceiling()->set_minor_units(100000000);
  board.mandate.mutable_budget_ceiling()->set_currency("EUR");
  board.mandate.set_approves_frameworks(true);
  board.decision_latency_sla = absl::Hours(24 * 14);
  return board;
}

// Succeeds when `status` is the catalogue rejection `reason`: its canonical
// code, its name (ReasonOf) and the offending `field` (FieldOf).
inline ::testing::AssertionResult Rejected(const absl::Status& status,
                                           const Reason& reason,
                                           absl::string_view field) {
  if (status.ok()) {
    return ::testing::AssertionFailure()
           << "accepted; expected " << reason.name << " on '" << field << "'";
  }
  if (status.code() != reason.code || ReasonOf(status) != reason.name ||
      FieldOf(status) != field) {
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
                                    absl::string_view field) {
  return Rejected(result.status(), reason, field);
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

}  // namespace gavel::domain::test

#endif  // GAVEL_TESTS_DOMAIN_AGGREGATE_TESTING_H_
