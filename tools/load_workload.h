// The command mix gavel-loadgen sends: reference data created once through
// the public API (objectives, a board, an approved framework, a cycle, a
// capacity pool; initiatives use the built-in "default" lifecycle model),
// then thousands of initiatives each walking a scripted life (submission,
// objective link, benefit, scoring, gate reviews G0-G4 with votes and
// decisions, cost reports and benefit measurements). Which initiative
// moves next is drawn from a Zipf distribution, so a few are hot.
//
// Pure: builds gavel.v1.Command messages and says who sends them; it knows
// nothing of gRPC.
#ifndef GAVEL_TOOLS_LOAD_WORKLOAD_H_
#define GAVEL_TOOLS_LOAD_WORKLOAD_H_

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "gavel/v1/command.pb.h"

namespace gavel::tools {

struct WorkloadOptions {
  // Initiatives the load spreads over.
  int initiatives = 2000;
  // Zipf exponent of the initiative choice (0: uniform).
  double zipf_s = 1.0;
  // Prefix of initiative ids, so that several runs against one server do
  // not collide.
  std::string run_prefix = "run";
  // Principal names: index 0 sends intake, scoring and delivery commands
  // (it needs the admin role); `members` are the board's members, the
  // first one its chair. Empty `members`: actor 0 is the only member
  // (quorum 1), as in development mode.
  std::string admin;
  std::vector<std::string> members;
};

// One command to send, and as whom.
struct WorkloadStep {
  gavel::v1::Command command;
  // Index into the actors: 0 the admin, 1.. the members in order.
  int actor = 0;
  // The initiative it moves (-1 for reference data).
  int initiative = -1;
};

// A Zipf(s) distribution over [0, n): rank 0 is the most likely.
// Thread-compatible; deterministic for a given engine state.
class ZipfDistribution {
 public:
  // `n` >= 1; `s` >= 0.
  ZipfDistribution(int n, double s);
  // A rank in [0, n).
  int operator()(std::mt19937_64& rng) const;

 private:
  std::vector<double> cdf_;
};

// Thread-compatible: callers serialize Next() and Finish().
class LoadWorkload {
 public:
  explicit LoadWorkload(const WorkloadOptions& options);

  // The reference-data commands, in order. Sending them again with the
  // same command ids is harmless (the server deduplicates).
  std::vector<WorkloadStep> SetupSteps() const;

  // The next command: the next step of an initiative drawn from the Zipf
  // distribution among those with no command in flight (nullopt when every
  // initiative is busy). The initiative stays busy until Finish().
  std::optional<WorkloadStep> Next(std::mt19937_64& rng);

  enum class Outcome {
    kAccepted,
    // Rejected because it had already happened (ALREADY_EXISTS).
    kAlreadyDone,
    kRejected,
  };

  // Reports the outcome of a step Next() returned and frees its
  // initiative. Accepted or already done: the initiative moves on.
  // Rejected: the step is retried later; after three rejections in a row
  // the initiative skips it (so one bad state cannot absorb the load).
  void Finish(const WorkloadStep& step, Outcome outcome);

  // The number of actors (1 + members).
  int actors() const { return 1 + static_cast<int>(options_.members.size()); }

 private:
  struct Initiative {
    int stage = 0;
    int failures = 0;  // rejections of the current stage in a row
    bool busy = false;
  };

  WorkloadStep Build(int index, const Initiative& initiative) const;
  std::string InitiativeId(int index) const;
  int ChairActor() const;
  int VotesPerReview() const;

  WorkloadOptions options_;
  ZipfDistribution zipf_;
  // Ranks are shuffled onto initiatives so that the hot ones are spread.
  std::vector<int> rank_to_index_;
  std::vector<Initiative> initiatives_;
};

}  // namespace gavel::tools

#endif  // GAVEL_TOOLS_LOAD_WORKLOAD_H_
