#include "domain/governance_cycle.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "domain/calendar.h"
#include "domain/decider.h"
#include "domain/proto_equality.h"
#include "domain/rejection.h"
#include "domain/validation.h"

namespace gavel::domain {
namespace {

// AGGREGATE_NOT_FOUND, then CYCLE_CLOSED.
absl::Status RequireOpenCycle(const GovernanceCycleState& state) {
  if (absl::Status s =
          RequireExisting(state, "cycle_id", "no such governance cycle");
      !s.ok()) {
    return s;
  }
  if (state.closure.has_value()) {
    return Reject(
        kCycleClosed, "",
        absl::StrCat("cycle ", state.schedule.cycle_id(), " is closed"));
  }
  return absl::OkStatus();
}

const AgendaItem* FindItem(const GovernanceCycleState& state,
                           absl::string_view item_id) {
  for (const AgendaItem& item : state.agenda) {
    if (item.item.item_id() == item_id) return &item;
  }
  return nullptr;
}

absl::Status ValidateItem(const gavel::v1::AddAgendaItem& cmd) {
  if (absl::Status s = FirstError(
          {RequireField(cmd.item_id(), "item_id"),
           RequireEnum(cmd.kind(), gavel::v1::AgendaItemKind_IsValid, "kind"),
           RequireField(cmd.title(), "title")});
      !s.ok()) {
    return s;
  }
  switch (cmd.kind()) {
    case gavel::v1::AGENDA_ITEM_KIND_GATE_REVIEW:
      return FirstError({RequireField(cmd.initiative_id(), "initiative_id"),
                         RequireField(cmd.gate_id(), "gate_id")});
    case gavel::v1::AGENDA_ITEM_KIND_FRAMEWORK_APPROVAL:
      return RequireField(cmd.framework_id(), "framework_id");
    default:
      return absl::OkStatus();
  }
}

bool SameItem(const AgendaItem& a, const AgendaItem& b) {
  return ProtoEquals(a.item, b.item) && ProtoEquals(a.deferral, b.deferral);
}

}  // namespace

absl::StatusOr<GovernanceCycleEvents> Decide(
    const GovernanceCycleState& state, const gavel::v1::ScheduleCycle& cmd,
    const Context& ctx) {
  if (absl::Status s = FirstError(
          {RequireField(cmd.cycle_id(), "cycle_id"),
           RequireField(cmd.board_id(), "board_id"),
           RequireEnum(cmd.kind(), gavel::v1::CycleKind_IsValid, "kind"),
           ValidateDate(cmd.scheduled_on(), "scheduled_on"),
           RequireNew(state, "cycle_id",
                      absl::StrCat("cycle ", cmd.cycle_id(), " exists"))});
      !s.ok()) {
    return s;
  }
  if (!ctx.board.has_value()) {
    return Reject(kBoardNotFound, "board_id",
                  absl::StrCat("no board ", cmd.board_id()));
  }
  gavel::v1::GovernanceCycleEvent event;
  gavel::v1::CycleScheduled* scheduled = event.mutable_scheduled();
  scheduled->set_cycle_id(cmd.cycle_id());
  scheduled->set_board_id(cmd.board_id());
  scheduled->set_kind(cmd.kind());
  *scheduled->mutable_scheduled_on() = cmd.scheduled_on();
  scheduled->set_title(cmd.title());
  return GovernanceCycleEvents{event};
}

absl::StatusOr<GovernanceCycleEvents> Decide(
    const GovernanceCycleState& state, const gavel::v1::AddAgendaItem& cmd,
    const Context& /*ctx*/) {
  if (absl::Status s = FirstError({ValidateItem(cmd), RequireOpenCycle(state)});
      !s.ok()) {
    return s;
  }
  if (FindItem(state, cmd.item_id()) != nullptr) {
    return Reject(kDuplicateId, "item_id",
                  absl::StrCat("agenda item ", cmd.item_id(), " exists"));
  }
  gavel::v1::GovernanceCycleEvent event;
  gavel::v1::AgendaItemAdded* added = event.mutable_agenda_item_added();
  added->set_item_id(cmd.item_id());
  added->set_kind(cmd.kind());
  added->set_title(cmd.title());
  added->set_initiative_id(cmd.initiative_id());
  added->set_gate_id(cmd.gate_id());
  added->set_framework_id(cmd.framework_id());
  added->set_deferred_from_cycle_id(cmd.deferred_from_cycle_id());
  return GovernanceCycleEvents{event};
}

absl::StatusOr<AgendaDeferral> Decide(const GovernanceCycleState& state,
                                      const gavel::v1::DeferAgendaItem& cmd,
                                      const Context& ctx) {
  if (absl::Status s = FirstError(
          {RequireField(cmd.item_id(), "item_id"),
           RequireReason(cmd.reason(), "reason"),
           RequireNotSelf(cmd.to_cycle_id(), cmd.cycle_id(), "to_cycle_id",
                          "an item cannot be deferred to its own cycle"),
           RequireOpenCycle(state)});
      !s.ok()) {
    return s;
  }
  const AgendaItem* item = FindItem(state, cmd.item_id());
  if (item == nullptr) {
    return Reject(kAgendaItemNotFound, "item_id",
                  absl::StrCat("no agenda item ", cmd.item_id()));
  }
  if (item->deferral.has_value()) {
    return Reject(
        kAgendaItemAlreadyDeferred, "item_id",
        absl::StrCat("agenda item ", cmd.item_id(), " was already deferred"));
  }

  AgendaDeferral deferral;
  gavel::v1::GovernanceCycleEvent event;
  gavel::v1::AgendaItemDeferred* deferred =
      event.mutable_agenda_item_deferred();
  deferred->set_item_id(cmd.item_id());
  deferred->set_to_cycle_id(cmd.to_cycle_id());
  deferred->set_reason(cmd.reason());
  deferral.events.push_back(std::move(event));
  if (cmd.to_cycle_id().empty()) return deferral;

  if (!ctx.cycle.has_value()) {
    return Reject(kCycleNotFound, "to_cycle_id",
                  absl::StrCat("no cycle ", cmd.to_cycle_id()));
  }
  const GovernanceCycleView& target = *ctx.cycle;
  if (target.closed) {
    return Reject(kCycleClosed, "to_cycle_id",
                  absl::StrCat("cycle ", target.cycle_id, " is closed"));
  }
  if (target.board_id != state.schedule.board_id()) {
    return Reject(
        kCycleBoardMismatch, "to_cycle_id",
        absl::StrCat("cycle ", target.cycle_id, " belongs to board ",
                     target.board_id, ", not ", state.schedule.board_id()));
  }
  if (std::find(target.item_ids.begin(), target.item_ids.end(),
                cmd.item_id()) != target.item_ids.end()) {
    return Reject(kDuplicateId, "item_id",
                  absl::StrCat("cycle ", target.cycle_id,
                               " already has agenda item ", cmd.item_id()));
  }
  gavel::v1::GovernanceCycleEvent carried;
  gavel::v1::AgendaItemAdded* added = carried.mutable_agenda_item_added();
  *added = item->item;
  added->set_deferred_from_cycle_id(state.schedule.cycle_id());
  deferral.target.emplace();
  deferral.target->aggregate_id = target.cycle_id;
  deferral.target->events.push_back(std::move(carried));
  return deferral;
}

absl::StatusOr<GovernanceCycleEvents> Decide(const GovernanceCycleState& state,
                                             const gavel::v1::CloseCycle& cmd,
                                             const Context& ctx) {
  if (absl::Status s =
          FirstError({ValidateDate(cmd.held_on(), "held_on"),
                      RejectIf(CompareDates(cmd.held_on(), DateOf(ctx.now)) > 0,
                               kInvalidTimeRange, "held_on",
                               "a cycle is closed once held, not before"),
                      RequireOpenCycle(state)});
      !s.ok()) {
    return s;
  }
  gavel::v1::GovernanceCycleEvent event;
  gavel::v1::CycleClosed* closed = event.mutable_closed();
  *closed->mutable_held_on() = cmd.held_on();
  closed->set_summary(cmd.summary());
  return GovernanceCycleEvents{event};
}

GovernanceCycleState Evolve(GovernanceCycleState state,
                            const gavel::v1::GovernanceCycleEvent& event) {
  ++state.version;
  switch (event.event_case()) {
    case gavel::v1::GovernanceCycleEvent::kScheduled:
      state.schedule = event.scheduled();
      break;
    case gavel::v1::GovernanceCycleEvent::kAgendaItemAdded:
      state.agenda.push_back({event.agenda_item_added(), std::nullopt});
      break;
    case gavel::v1::GovernanceCycleEvent::kAgendaItemDeferred:
      for (AgendaItem& item : state.agenda) {
        if (item.item.item_id() == event.agenda_item_deferred().item_id()) {
          item.deferral = event.agenda_item_deferred();
        }
      }
      break;
    case gavel::v1::GovernanceCycleEvent::kClosed:
      state.closure = event.closed();
      break;
    case gavel::v1::GovernanceCycleEvent::EVENT_NOT_SET:
      break;
  }
  return state;
}

GovernanceCycleView ViewOf(const GovernanceCycleState& state) {
  GovernanceCycleView view;
  view.cycle_id = state.schedule.cycle_id();
  view.board_id = state.schedule.board_id();
  view.closed = state.closure.has_value();
  view.scheduled_on = state.schedule.scheduled_on();
  for (const AgendaItem& item : state.agenda) {
    view.item_ids.push_back(item.item.item_id());
  }
  return view;
}

bool operator==(const GovernanceCycleState& a, const GovernanceCycleState& b) {
  return a.version == b.version && ProtoEquals(a.schedule, b.schedule) &&
         std::equal(a.agenda.begin(), a.agenda.end(), b.agenda.begin(),
                    b.agenda.end(), SameItem) &&
         ProtoEquals(a.closure, b.closure);
}

}  // namespace gavel::domain
