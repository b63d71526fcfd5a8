// Board: a governance board with its members, quorum, decision rule,
// mandate (gates it may decide, budget ceiling of one decision, framework
// approval) and time-bounded delegations. Stream: one per board_id.
// Decide/Evolve contracts follow domain/decider.h; rules:
//  - chartered once with at least one member, unique principals, exactly
//    one chair; 1 <= quorum <= number of chair + voting members; a mandate
//    listing gates needs a budget ceiling;
//  - at most one chair at a time; removing the chair is allowed (the board
//    then cannot decide: NO_CHAIR) until a new chair is appointed;
//  - a removal may not leave fewer chair + voting members than the quorum;
//    removing a member ends every delegation they gave or received;
//  - a delegation lets `delegate` vote for `delegator` (a current chair or
//    voting member) during [valid_from, valid_until); it is given by the
//    delegator or the chair; a delegator has at most one delegation in force
//    over any instant (no overlaps); delegations never form a cycle over
//    overlapping intervals (A->B and B->A, or longer); a delegate acts for
//    their delegator only, never re-delegates (votes resolve one hop);
//  - the chair or the delegator may revoke a delegation.
#ifndef GAVEL_DOMAIN_BOARD_H_
#define GAVEL_DOMAIN_BOARD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/context.h"
#include "gavel/v1/commands.pb.h"
#include "gavel/v1/events.pb.h"

namespace gavel::domain {

// Events of one board stream, in append order.
using BoardEvents = std::vector<gavel::v1::BoardEvent>;

struct BoardState {
  uint64_t version = 0;
  // As chartered; `members` below is authoritative for membership.
  gavel::v1::BoardChartered charter;
  std::vector<BoardMemberView> members;     // Current, in appointment order.
  std::vector<DelegationView> delegations;  // Not revoked, in grant order.
  // Every delegation id ever granted, revoked or not: ids are never reused.
  std::vector<std::string> delegation_ids;
};

// True when `principal` is the board's chair, or the chair's delegate with a
// delegation active at `t`: who records decisions, approves frameworks and
// overrides capacity for the board.
bool IsChairOrActiveDelegate(const BoardView& board,
                             absl::string_view principal, absl::Time t);

// BOARD_NOT_FOUND (field `field`, naming `board_id`) when ctx.board is
// absent, then NOT_THE_CHAIR unless IsChairOrActiveDelegate(*ctx.board,
// ctx.actor, ctx.now): the check of a board decision recorded on another
// aggregate (capacity overrides, framework approvals, plan publications).
absl::Status RequireChairOrActiveDelegate(const Context& ctx,
                                          absl::string_view board_id,
                                          absl::string_view field);

// CharterBoard -> [BoardChartered].
// Rejects: MISSING_FIELD (board_id, name, members, members[i].principal,
// mandate.budget_ceiling when mandate.gate_ids is non-empty), INVALID_ENUM
// (members[i].role, decision_rule, cadence), DUPLICATE_ENTRY
// (members[i].principal, mandate.gate_ids[i]), NO_CHAIR (no chair),
// CHAIR_ALREADY_APPOINTED (two chairs), INVALID_QUORUM, INVALID_MONEY
// (mandate.budget_ceiling), VALUE_OUT_OF_RANGE (negative
// decision_latency_sla), AGGREGATE_ALREADY_EXISTS.
absl::StatusOr<BoardEvents> Decide(const BoardState& state,
                                   const gavel::v1::CharterBoard& cmd,
                                   const Context& ctx);

// AppointMember -> [MemberAppointed].
// Rejects: MISSING_FIELD (principal), INVALID_ENUM (role),
// AGGREGATE_NOT_FOUND, ALREADY_A_MEMBER, CHAIR_ALREADY_APPOINTED.
absl::StatusOr<BoardEvents> Decide(const BoardState& state,
                                   const gavel::v1::AppointMember& cmd,
                                   const Context& ctx);

// RemoveMember -> [MemberRemoved].
// Rejects: MISSING_FIELD (principal), REASON_REQUIRED, AGGREGATE_NOT_FOUND,
// MEMBER_NOT_FOUND, QUORUM_UNREACHABLE.
absl::StatusOr<BoardEvents> Decide(const BoardState& state,
                                   const gavel::v1::RemoveMember& cmd,
                                   const Context& ctx);

// DelegateAuthority -> [AuthorityDelegated] (valid_from = ctx.now when
// absent).
// Rejects: MISSING_FIELD (delegation_id, delegator, delegate,
// valid_until), REASON_REQUIRED, INVALID_TIME_RANGE (valid_until <= valid_from,
// or valid_until <= ctx.now), SELF_REFERENCE (delegate == delegator),
// AGGREGATE_NOT_FOUND, DUPLICATE_ID (delegation_id, also of a revoked
// delegation), NOT_A_VOTING_MEMBER
// (field delegator), NOT_THE_CHAIR (actor is neither delegator nor chair),
// DELEGATION_OVERLAPS, DELEGATION_CIRCULAR.
absl::StatusOr<BoardEvents> Decide(const BoardState& state,
                                   const gavel::v1::DelegateAuthority& cmd,
                                   const Context& ctx);

// RevokeDelegation -> [DelegationRevoked].
// Rejects: MISSING_FIELD (delegation_id), REASON_REQUIRED,
// AGGREGATE_NOT_FOUND, DELEGATION_NOT_FOUND, NOT_THE_CHAIR (actor is
// neither the delegator nor the chair).
absl::StatusOr<BoardEvents> Decide(const BoardState& state,
                                   const gavel::v1::RevokeDelegation& cmd,
                                   const Context& ctx);

BoardState Evolve(BoardState state, const gavel::v1::BoardEvent& event);

// The view gate reviews, votes, approvals read (Context::board).
BoardView ViewOf(const BoardState& state);

bool operator==(const BoardState& a, const BoardState& b);
inline bool operator!=(const BoardState& a, const BoardState& b) {
  return !(a == b);
}

}  // namespace gavel::domain

#endif  // GAVEL_DOMAIN_BOARD_H_
