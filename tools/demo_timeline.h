// Internal to the demo portfolio (demo_portfolio.cc, demo_initiatives.cc):
// the story's calendar, its boards, and a timeline that orders the
// commands of many aggregates by the business date they happen on.
#ifndef GAVEL_TOOLS_DEMO_TIMELINE_H_
#define GAVEL_TOOLS_DEMO_TIMELINE_H_

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "gavel/v1/command.pb.h"
#include "tools/demo_portfolio.h"

namespace gavel::tools::demo {

inline constexpr char kExecBoard[] = "exec";
inline constexpr char kDeliveryBoard[] = "delivery";
inline constexpr char kFramework[] = "strategic-value";
inline constexpr char kPmo[] = "pmo";
inline constexpr int kHistoryMonths = 24;

// Voting members besides the chair, who vote through the chair's proxy.
inline const std::vector<std::string>& ExecMembers() {
  static const auto* const kMembers = new std::vector<std::string>{
      "cfo.maria.keller", "cio.daniel.osei", "coo.priya.nair", "cco.tom.walsh"};
  return *kMembers;
}
inline const std::vector<std::string>& DeliveryMembers() {
  static const auto* const kMembers = new std::vector<std::string>{
      "eng.li.wei", "ops.omar.haddad", "fin.eva.novak"};
  return *kMembers;
}

// Within one day, commands run in this order.
enum class Stage {
  kPlan = 0,    // cycles scheduled
  kWork = 1,    // submissions, requests, agenda items, delivery facts
  kVote = 2,    // votes and recusals in the meeting
  kDecide = 3,  // decisions and priority changes in the meeting
  kClose = 4,   // cycles closed
  kAfter = 5,   // feedback on a held cycle
};

// Month m of the story is `first + m`: months 0..23 are history, 24 is
// the current month, 25 the next. Thread-compatible.
class Calendar {
 public:
  explicit Calendar(absl::CivilDay today);
  absl::CivilDay today() const { return today_; }
  // Day `day` (1..28) of story month `month`.
  absl::CivilDay Day(int month, int day) const;
  // The day board `board` meets in `month`: the executive board on the
  // 10th, the delivery board on the 20th.
  absl::CivilDay Meeting(const std::string& board, int month) const;
  // "exec-2025-01".
  std::string CycleId(const std::string& board, int month) const;
  // The day the cycle is held: its meeting, two days late every fifth
  // month (cadence adherence has something to show).
  absl::CivilDay HeldOn(const std::string& board, int month) const;
  // True when the cycle was held before today (and is closed).
  bool Held(const std::string& board, int month) const;

 private:
  absl::CivilMonth first_;
  absl::CivilDay today_;
};

// Commands keyed by when they happen. Commands added for one aggregate in
// non-decreasing (day, stage) keep their relative order. Thread-compatible.
class Timeline {
 public:
  gavel::v1::Command& At(absl::CivilDay day, Stage stage);
  // Every command, sorted by (day, stage), ties in the order added.
  std::vector<gavel::v1::Command> Sorted() const;

 private:
  struct Entry {
    absl::CivilDay day;
    Stage stage;
    size_t seq;
    gavel::v1::Command command;
  };
  std::vector<Entry> entries_;
};

// A value in [lo, hi] from `rng`, the same on every platform (unlike
// std::uniform_int_distribution).
int Pick(std::mt19937_64& rng, int lo, int hi);

gavel::v1::Date ToDate(absl::CivilDay day);
gavel::v1::Money Eur(int64_t euros);

// Adds the 40 initiatives' lives (demo_initiatives.cc).
void AddInitiatives(const DemoOptions& options, const Calendar& calendar,
                    std::mt19937_64& rng, Timeline& timeline);

}  // namespace gavel::tools::demo

#endif  // GAVEL_TOOLS_DEMO_TIMELINE_H_
