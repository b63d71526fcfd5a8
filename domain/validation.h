// Checks of malformed input shared by every decider, each returning OK or a
// rejection (domain/rejection.h) naming `field`. Deciders validate the whole
// command with these before looking at state, so a malformed command is
// INVALID_ARGUMENT whatever the state, usually as one FirstError({...}) in
// the order of checks.
#ifndef GAVEL_DOMAIN_VALIDATION_H_
#define GAVEL_DOMAIN_VALIDATION_H_

#include <functional>
#include <initializer_list>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "domain/reasons.h"
#include "gavel/v1/events.pb.h"

namespace gavel::domain {

// The first non-OK status of `checks`, in order, or OK. Every check is
// evaluated before the call, so each must be pure and cheap (the Require*
// and Validate* functions are) and must not depend on an earlier check
// having passed; the first failure in order wins, as with a chain of early
// returns.
absl::Status FirstError(std::initializer_list<absl::Status> checks);

// Reject(reason, field, message) when `broken`, else OK: a rule written in
// place in a FirstError list.
absl::Status RejectIf(bool broken, const Reason& reason,
                      absl::string_view field, absl::string_view message);

// MISSING_FIELD when `value` is empty or only whitespace.
absl::Status RequireField(absl::string_view value, absl::string_view field);

// REASON_REQUIRED when `reason` is empty or only whitespace.
absl::Status RequireReason(absl::string_view reason, absl::string_view field);

// INVALID_ENUM when `value` is 0 (UNSPECIFIED) or not a value of the enum.
// `is_valid` is the generated <Enum>_IsValid function.
absl::Status RequireEnum(int value, bool (*is_valid)(int),
                         absl::string_view field);

// INVALID_MONEY unless the currency is three upper-case ASCII letters and
// minor_units >= 0.
absl::Status ValidateMoney(const gavel::v1::Money& money,
                           absl::string_view field);

// INVALID_DATE unless IsValidDate(date).
absl::Status ValidateDate(const gavel::v1::Date& date, absl::string_view field);

// VALUE_OUT_OF_RANGE unless min <= value <= max.
absl::Status RequireInRange(int64_t value, int64_t min, int64_t max,
                            absl::string_view field);

// SELF_REFERENCE (field `field`, `message`) when the non-empty id
// `reference` is `self`, the id of the command's own aggregate.
absl::Status RequireNotSelf(absl::string_view reference, absl::string_view self,
                            absl::string_view field, absl::string_view message);

// Longest aggregate id: ids end up in stream ids (storage/key_format.h
// bounds those).
inline constexpr size_t kMaxAggregateIdBytes = 128;

// VALUE_OUT_OF_RANGE when the aggregate id `id` is longer than
// kMaxAggregateIdBytes or contains a control character (below 0x20).
// Empty ids pass: whether one is required is the decider's rule.
absl::Status ValidateAggregateId(absl::string_view id, absl::string_view field);

// The ids of one list in a command (gate ids, pool ids, scorers, ...), each
// required and listed once. Thread-compatible.
class UniqueIds {
 public:
  // MISSING_FIELD (`field`) when `id` is blank, DUPLICATE_ENTRY (`field`,
  // `duplicate_message`) when an earlier Add() had it; OK and remembers
  // `id` otherwise.
  absl::Status Add(absl::string_view id, absl::string_view field,
                   absl::string_view duplicate_message);

 private:
  std::set<std::string, std::less<>> ids_;
};

// "<list>[<index>].<member>", the field path convention of rejections.
std::string FieldPath(absl::string_view list, int index,
                      absl::string_view member = "");

}  // namespace gavel::domain

#endif  // GAVEL_DOMAIN_VALIDATION_H_
