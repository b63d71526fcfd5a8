#include "domain/board.h"

#include <algorithm>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "domain/calendar.h"
#include "domain/decider.h"
#include "domain/proto_equality.h"
#include "domain/rejection.h"
#include "domain/validation.h"

namespace gavel::domain {
namespace {

constexpr absl::string_view kNoSuchBoard = "no such board";

bool IsVotingRole(gavel::v1::MemberRole role) {
  return role == gavel::v1::MEMBER_ROLE_CHAIR ||
         role == gavel::v1::MEMBER_ROLE_VOTING;
}

const BoardMemberView* FindMember(const BoardState& state,
                                  absl::string_view principal) {
  for (const BoardMemberView& member : state.members) {
    if (member.principal == principal) return &member;
  }
  return nullptr;
}

const BoardMemberView* FindChair(const BoardState& state) {
  for (const BoardMemberView& member : state.members) {
    if (member.role == gavel::v1::MEMBER_ROLE_CHAIR) return &member;
  }
  return nullptr;
}

int VotingMemberCount(const BoardState& state) {
  return static_cast<int>(std::count_if(
      state.members.begin(), state.members.end(),
      [](const BoardMemberView& m) { return IsVotingRole(m.role); }));
}

// The actor may manage `delegator`'s delegations: they are the delegator or
// the chair.
absl::Status RequireDelegatorOrChair(const BoardState& state,
                                     absl::string_view delegator,
                                     absl::string_view actor) {
  const BoardMemberView* chair = FindChair(state);
  if (actor != delegator && (chair == nullptr || chair->principal != actor)) {
    return Reject(kNotTheChair, "",
                  absl::StrCat(actor, " is neither ", delegator,
                               " nor the chair of the board"));
  }
  return absl::OkStatus();
}

// True when delegations lead from `from` to `target` along a chain of
// delegations (none of them in `used`) whose intervals all overlap
// [lo, hi).
bool ChainReaches(const std::vector<DelegationView>& delegations,
                  absl::string_view from, absl::string_view target,
                  absl::Time lo, absl::Time hi, std::vector<bool> used) {
  for (size_t i = 0; i < delegations.size(); ++i) {
    const DelegationView& d = delegations[i];
    if (used[i] || d.delegator != from) continue;
    const absl::Time chain_lo = std::max(lo, d.valid_from);
    const absl::Time chain_hi = std::min(hi, d.valid_until);
    if (chain_lo >= chain_hi) continue;
    if (d.delegate == target) return true;
    used[i] = true;
    if (ChainReaches(delegations, d.delegate, target, chain_lo, chain_hi,
                     used)) {
      return true;
    }
    used[i] = false;
  }
  return false;
}

absl::Status ValidateCharterMembers(const gavel::v1::CharterBoard& cmd) {
  if (cmd.members().empty()) {
    return Reject(kMissingField, "members", "a board needs members");
  }
  std::set<std::string> principals;
  int chairs = 0;
  for (int i = 0; i < cmd.members_size(); ++i) {
    const gavel::v1::BoardMember& member = cmd.members(i);
    if (absl::Status s = FirstError(
            {RequireField(member.principal(),
                          FieldPath("members", i, "principal")),
             RequireEnum(member.role(), gavel::v1::MemberRole_IsValid,
                         FieldPath("members", i, "role"))});
        !s.ok()) {
      return s;
    }
    if (!principals.insert(member.principal()).second) {
      return Reject(kDuplicateEntry, FieldPath("members", i, "principal"),
                    absl::StrCat(member.principal(), " listed twice"));
    }
    if (member.role() == gavel::v1::MEMBER_ROLE_CHAIR && ++chairs > 1) {
      return Reject(kChairAlreadyAppointed, FieldPath("members", i, "role"),
                    "a board has exactly one chair");
    }
  }
  if (chairs == 0) {
    return Reject(kNoChair, "members", "a board needs a chair");
  }
  return absl::OkStatus();
}

absl::Status ValidateQuorum(const gavel::v1::CharterBoard& cmd) {
  const int voting = static_cast<int>(std::count_if(
      cmd.members().begin(), cmd.members().end(),
      [](const gavel::v1::BoardMember& m) { return IsVotingRole(m.role()); }));
  if (cmd.quorum() < 1 || cmd.quorum() > voting) {
    return Reject(
        kInvalidQuorum, "quorum",
        absl::StrCat("quorum must be in [1, ", voting,
                     "] (chair and voting members), got ", cmd.quorum()));
  }
  return absl::OkStatus();
}

absl::Status ValidateMandate(const gavel::v1::BoardMandate& mandate) {
  UniqueIds gate_ids;
  for (int i = 0; i < mandate.gate_ids_size(); ++i) {
    if (absl::Status s = gate_ids.Add(
            mandate.gate_ids(i), FieldPath("mandate.gate_ids", i),
            absl::StrCat("gate ", mandate.gate_ids(i), " repeated"));
        !s.ok()) {
      return s;
    }
  }
  if (!mandate.has_budget_ceiling()) {
    if (!mandate.gate_ids().empty()) {
      return Reject(kMissingField, "mandate.budget_ceiling",
                    "a mandate to decide gates needs a budget ceiling");
    }
    return absl::OkStatus();
  }
  return ValidateMoney(mandate.budget_ceiling(), "mandate.budget_ceiling");
}

absl::Status ValidateLatencySla(const google::protobuf::Duration& sla) {
  if (sla.seconds() < 0 || sla.nanos() < 0 || sla.nanos() >= 1000000000) {
    return Reject(kValueOutOfRange, "decision_latency_sla",
                  "the decision latency SLA must not be negative");
  }
  return absl::OkStatus();
}

// MISSING_FIELD (valid_until), then INVALID_TIME_RANGE unless [from, until)
// ends after it starts and after `now`.
absl::Status ValidateWindow(const gavel::v1::DelegateAuthority& cmd,
                            absl::Time from, absl::Time until, absl::Time now) {
  if (!cmd.has_valid_until()) {
    return Reject(kMissingField, "valid_until",
                  "a delegation is time-bounded: valid_until is required");
  }
  if (until <= from) {
    return Reject(kInvalidTimeRange, "valid_until",
                  "a delegation must end after it starts");
  }
  if (until <= now) {
    return Reject(kInvalidTimeRange, "valid_until",
                  "the delegation would already have expired");
  }
  return absl::OkStatus();
}

}  // namespace

bool IsChairOrActiveDelegate(const BoardView& board,
                             absl::string_view principal, absl::Time t) {
  const std::optional<std::string> chair = board.Chair();
  if (!chair.has_value()) return false;
  return *chair == principal ||
         board.ActiveDelegation(*chair, principal, t) != nullptr;
}

absl::Status RequireChairOrActiveDelegate(const Context& ctx,
                                          absl::string_view board_id,
                                          absl::string_view field) {
  if (!ctx.board.has_value()) {
    return Reject(kBoardNotFound, field, absl::StrCat("no board ", board_id));
  }
  if (!IsChairOrActiveDelegate(*ctx.board, ctx.actor, ctx.now)) {
    return Reject(
        kNotTheChair, "",
        absl::StrCat(ctx.actor, " is neither the chair of board ",
                     ctx.board->board_id, " nor the chair's active delegate"));
  }
  return absl::OkStatus();
}

absl::StatusOr<BoardEvents> Decide(const BoardState& state,
                                   const gavel::v1::CharterBoard& cmd,
                                   const Context& /*ctx*/) {
  if (absl::Status s = FirstError(
          {RequireField(cmd.board_id(), "board_id"),
           RequireField(cmd.name(), "name"), ValidateCharterMembers(cmd),
           ValidateQuorum(cmd),
           RequireEnum(cmd.decision_rule(), gavel::v1::DecisionRule_IsValid,
                       "decision_rule"),
           ValidateMandate(cmd.mandate()),
           ValidateLatencySla(cmd.decision_latency_sla()),
           RequireEnum(cmd.cadence(), gavel::v1::Cadence_IsValid, "cadence"),
           RequireNew(state, "board_id",
                      absl::StrCat("board ", cmd.board_id(), " exists"))});
      !s.ok()) {
    return s;
  }
  gavel::v1::BoardEvent event;
  gavel::v1::BoardChartered* chartered = event.mutable_chartered();
  chartered->set_board_id(cmd.board_id());
  chartered->set_name(cmd.name());
  *chartered->mutable_members() = cmd.members();
  chartered->set_quorum(cmd.quorum());
  chartered->set_decision_rule(cmd.decision_rule());
  *chartered->mutable_mandate() = cmd.mandate();
  *chartered->mutable_decision_latency_sla() = cmd.decision_latency_sla();
  chartered->set_cadence(cmd.cadence());
  return BoardEvents{event};
}

absl::StatusOr<BoardEvents> Decide(const BoardState& state,
                                   const gavel::v1::AppointMember& cmd,
                                   const Context& /*ctx*/) {
  if (absl::Status s = FirstError(
          {RequireField(cmd.principal(), "principal"),
           RequireEnum(cmd.role(), gavel::v1::MemberRole_IsValid, "role"),
           RequireExisting(state, "board_id", kNoSuchBoard)});
      !s.ok()) {
    return s;
  }
  if (FindMember(state, cmd.principal()) != nullptr) {
    return Reject(kAlreadyAMember, "principal",
                  absl::StrCat(cmd.principal(), " is already a member"));
  }
  if (cmd.role() == gavel::v1::MEMBER_ROLE_CHAIR) {
    if (const BoardMemberView* chair = FindChair(state)) {
      return Reject(kChairAlreadyAppointed, "role",
                    absl::StrCat(chair->principal, " chairs the board"));
    }
  }
  gavel::v1::BoardEvent event;
  gavel::v1::MemberAppointed* appointed = event.mutable_member_appointed();
  appointed->set_principal(cmd.principal());
  appointed->set_role(cmd.role());
  appointed->set_reason(cmd.reason());
  return BoardEvents{event};
}

absl::StatusOr<BoardEvents> Decide(const BoardState& state,
                                   const gavel::v1::RemoveMember& cmd,
                                   const Context& /*ctx*/) {
  if (absl::Status s =
          FirstError({RequireField(cmd.principal(), "principal"),
                      RequireReason(cmd.reason(), "reason"),
                      RequireExisting(state, "board_id", kNoSuchBoard)});
      !s.ok()) {
    return s;
  }
  const BoardMemberView* member = FindMember(state, cmd.principal());
  if (member == nullptr) {
    return Reject(kMemberNotFound, "principal",
                  absl::StrCat(cmd.principal(), " is not a member"));
  }
  if (IsVotingRole(member->role) &&
      VotingMemberCount(state) - 1 < state.charter.quorum()) {
    return Reject(kQuorumUnreachable, "principal",
                  absl::StrCat("removing ", cmd.principal(), " leaves ",
                               VotingMemberCount(state) - 1,
                               " chair and voting members, below the quorum ",
                               state.charter.quorum()));
  }
  gavel::v1::BoardEvent event;
  gavel::v1::MemberRemoved* removed = event.mutable_member_removed();
  removed->set_principal(cmd.principal());
  removed->set_reason(cmd.reason());
  return BoardEvents{event};
}

absl::StatusOr<BoardEvents> Decide(const BoardState& state,
                                   const gavel::v1::DelegateAuthority& cmd,
                                   const Context& ctx) {
  const absl::Time from =
      cmd.has_valid_from() ? FromTimestamp(cmd.valid_from()) : ctx.now;
  const absl::Time until = FromTimestamp(cmd.valid_until());
  if (absl::Status s = FirstError(
          {RequireField(cmd.delegation_id(), "delegation_id"),
           RequireField(cmd.delegator(), "delegator"),
           RequireField(cmd.delegate(), "delegate"),
           RequireReason(cmd.reason(), "reason"),
           ValidateWindow(cmd, from, until, ctx.now),
           RequireNotSelf(cmd.delegate(), cmd.delegator(), "delegate",
                          "a member cannot delegate to themselves"),
           RequireExisting(state, "board_id", kNoSuchBoard)});
      !s.ok()) {
    return s;
  }
  if (std::find(state.delegation_ids.begin(), state.delegation_ids.end(),
                cmd.delegation_id()) != state.delegation_ids.end()) {
    return Reject(kDuplicateId, "delegation_id",
                  absl::StrCat("delegation ", cmd.delegation_id(),
                               " was already granted"));
  }
  const BoardMemberView* delegator = FindMember(state, cmd.delegator());
  if (delegator == nullptr || !IsVotingRole(delegator->role)) {
    return Reject(
        kNotAVotingMember, "delegator",
        absl::StrCat(cmd.delegator(), " is not a chair or voting member"));
  }
  if (absl::Status s =
          RequireDelegatorOrChair(state, cmd.delegator(), ctx.actor);
      !s.ok()) {
    return s;
  }
  for (const DelegationView& d : state.delegations) {
    if (d.delegator == cmd.delegator() && d.valid_from < until &&
        from < d.valid_until) {
      return Reject(
          kDelegationOverlaps, "valid_from",
          absl::StrCat(cmd.delegator(), " already delegated to ", d.delegate,
                       " (", d.delegation_id, ") during part of that time"));
    }
  }
  if (ChainReaches(state.delegations, cmd.delegate(), cmd.delegator(), from,
                   until, std::vector<bool>(state.delegations.size()))) {
    return Reject(kDelegationCircular, "delegate",
                  absl::StrCat("delegations from ", cmd.delegate(),
                               " already lead back to ", cmd.delegator(),
                               " during that time"));
  }
  gavel::v1::BoardEvent event;
  gavel::v1::AuthorityDelegated* delegated =
      event.mutable_authority_delegated();
  delegated->set_delegation_id(cmd.delegation_id());
  delegated->set_delegator(cmd.delegator());
  delegated->set_delegate(cmd.delegate());
  *delegated->mutable_valid_from() = ToTimestamp(from);
  *delegated->mutable_valid_until() = cmd.valid_until();
  delegated->set_reason(cmd.reason());
  return BoardEvents{event};
}

absl::StatusOr<BoardEvents> Decide(const BoardState& state,
                                   const gavel::v1::RevokeDelegation& cmd,
                                   const Context& ctx) {
  if (absl::Status s =
          FirstError({RequireField(cmd.delegation_id(), "delegation_id"),
                      RequireReason(cmd.reason(), "reason"),
                      RequireExisting(state, "board_id", kNoSuchBoard)});
      !s.ok()) {
    return s;
  }
  auto delegation =
      std::find_if(state.delegations.begin(), state.delegations.end(),
                   [&](const DelegationView& d) {
                     return d.delegation_id == cmd.delegation_id();
                   });
  if (delegation == state.delegations.end()) {
    return Reject(
        kDelegationNotFound, "delegation_id",
        absl::StrCat("no delegation ", cmd.delegation_id(), " in force"));
  }
  if (absl::Status s =
          RequireDelegatorOrChair(state, delegation->delegator, ctx.actor);
      !s.ok()) {
    return s;
  }
  gavel::v1::BoardEvent event;
  gavel::v1::DelegationRevoked* revoked = event.mutable_delegation_revoked();
  revoked->set_delegation_id(cmd.delegation_id());
  revoked->set_reason(cmd.reason());
  return BoardEvents{event};
}

BoardState Evolve(BoardState state, const gavel::v1::BoardEvent& event) {
  ++state.version;
  switch (event.event_case()) {
    case gavel::v1::BoardEvent::kChartered:
      state.charter = event.chartered();
      state.members.clear();
      for (const gavel::v1::BoardMember& member : event.chartered().members()) {
        state.members.push_back({member.principal(), member.role()});
      }
      break;
    case gavel::v1::BoardEvent::kMemberAppointed:
      state.members.push_back({event.member_appointed().principal(),
                               event.member_appointed().role()});
      break;
    case gavel::v1::BoardEvent::kMemberRemoved: {
      const std::string& principal = event.member_removed().principal();
      state.members.erase(
          std::remove_if(state.members.begin(), state.members.end(),
                         [&](const BoardMemberView& m) {
                           return m.principal == principal;
                         }),
          state.members.end());
      state.delegations.erase(
          std::remove_if(state.delegations.begin(), state.delegations.end(),
                         [&](const DelegationView& d) {
                           return d.delegator == principal ||
                                  d.delegate == principal;
                         }),
          state.delegations.end());
      break;
    }
    case gavel::v1::BoardEvent::kAuthorityDelegated: {
      const gavel::v1::AuthorityDelegated& d = event.authority_delegated();
      state.delegations.push_back({d.delegation_id(), d.delegator(),
                                   d.delegate(), FromTimestamp(d.valid_from()),
                                   FromTimestamp(d.valid_until())});
      state.delegation_ids.push_back(d.delegation_id());
      break;
    }
    case gavel::v1::BoardEvent::kDelegationRevoked: {
      const std::string& id = event.delegation_revoked().delegation_id();
      state.delegations.erase(
          std::remove_if(
              state.delegations.begin(), state.delegations.end(),
              [&](const DelegationView& d) { return d.delegation_id == id; }),
          state.delegations.end());
      break;
    }
    case gavel::v1::BoardEvent::EVENT_NOT_SET:
      break;
  }
  return state;
}

BoardView ViewOf(const BoardState& state) {
  BoardView view;
  view.board_id = state.charter.board_id();
  view.members = state.members;
  view.quorum = state.charter.quorum();
  view.decision_rule = state.charter.decision_rule();
  view.mandate = state.charter.mandate();
  view.decision_latency_sla =
      absl::Seconds(state.charter.decision_latency_sla().seconds()) +
      absl::Nanoseconds(state.charter.decision_latency_sla().nanos());
  view.delegations = state.delegations;
  return view;
}

bool operator==(const BoardState& a, const BoardState& b) {
  auto same_member = [](const BoardMemberView& x, const BoardMemberView& y) {
    return x.principal == y.principal && x.role == y.role;
  };
  auto same_delegation = [](const DelegationView& x, const DelegationView& y) {
    return x.delegation_id == y.delegation_id && x.delegator == y.delegator &&
           x.delegate == y.delegate && x.valid_from == y.valid_from &&
           x.valid_until == y.valid_until;
  };
  return a.version == b.version && ProtoEquals(a.charter, b.charter) &&
         std::equal(a.members.begin(), a.members.end(), b.members.begin(),
                    b.members.end(), same_member) &&
         std::equal(a.delegations.begin(), a.delegations.end(),
                    b.delegations.begin(), b.delegations.end(),
                    same_delegation) &&
         a.delegation_ids == b.delegation_ids;
}

}  // namespace gavel::domain
