// The demo portfolio `gavel demo load` sends: a strategic PMO with five
// objectives and their success measures, an approved weighted framework
// (strategic alignment, financial benefit, risk reduction, regulatory
// compliance, operational efficiency), the built-in default lifecycle
// (G0-G4), an executive board and a delivery board, capacity pools, PMO
// service levels, and 40 initiatives across eight business units whose
// lives span the 24 months before `today`: monthly governance cycles with
// agenda items, deferrals, votes (as proxies: see below), recusals, gate
// decisions of every outcome, conditions, priority changes, cost reports,
// milestones, re-forecasts, risks, dependencies, benefit measurements,
// hand-overs into BAU and stakeholder feedback. Then a portfolio plan:
// the best selection under the budget, computed by the server's solver and
// published as the plan of record.
//
// Dates: the server stamps submitted_at, requested_at and decided_at with
// its clock, so decision latencies are those of the load itself. Business
// dates come from the commands (cycle scheduled_on / held_on, milestone
// achieved_on, condition satisfied_on, benefit periods, cost periods) and
// the domain requires them to be no later than the server's today, and a
// condition's due date to be no earlier: the generator takes `today` and
// keeps to both. So a condition can be open or met on time, never late:
// the public API cannot record a condition satisfied after a due date that
// lay in the past when it was imposed.
//
// Who acts: every command is sent as one principal (`chair`: the caller,
// "local-admin" in development mode). It chairs both boards; each other
// voting member grants it a standing proxy (DelegateAuthority), and their
// votes are cast on their behalf, as a board secretary records a meeting.
//
// Pure: builds gavel.v1.Command messages in the order they must be sent;
// knows nothing of gRPC. Deterministic for a given (seed, today, chair).
#ifndef GAVEL_TOOLS_DEMO_PORTFOLIO_H_
#define GAVEL_TOOLS_DEMO_PORTFOLIO_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "gavel/v1/command.pb.h"

namespace gavel::tools {

struct DemoOptions {
  // Varies costs, scores, votes, dates within months and which initiative
  // lives which story; the stories themselves do not change.
  uint64_t seed = 1;
  // The server's date (UTC). The history covers the 24 whole months
  // before this month; open reviews sit on next month's cycles.
  absl::CivilDay today;
  // The principal that sends every command (chairs both boards).
  std::string chair = "local-admin";
};

// A named group of commands, sent in order. Later phases may depend on
// earlier ones; a new phase (e.g. a published portfolio plan) is appended
// without renumbering the ones before it.
struct DemoPhase {
  std::string name;  // "reference", "history", "plan", "publish"
  std::vector<gavel::v1::Command> commands;
  // When set, the phase ends by optimizing this portfolio plan
  // (PortfolioPlanService.OptimizeScenario: the server solves and records
  // the result, so it is no plain command), after its commands, with the
  // idempotency key DemoCommandId(seed, name, commands.size()).
  std::string optimize_plan_id;
};

// The plan of record the demo creates, optimizes and publishes: the next
// twelve months' portfolio under a budget of 45 % of what every initiative
// is estimated to cost, adopted by the executive board.
inline constexpr char kDemoPlanId[] = "next-12-months";

// The objective the first command defines: a server that already has it
// has the demo (or a portfolio of its own using the same id).
inline constexpr char kDemoFirstObjectiveId[] = "growth";

// Every phase of the demo, in order.
std::vector<DemoPhase> DemoPortfolio(const DemoOptions& options);

// The idempotency key of command `index` of phase `phase_name`: the same
// for the same seed, so a re-sent command is deduplicated by the server.
std::string DemoCommandId(uint64_t seed, const std::string& phase_name,
                          size_t index);

}  // namespace gavel::tools

#endif  // GAVEL_TOOLS_DEMO_PORTFOLIO_H_
