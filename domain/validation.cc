#include "domain/validation.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "domain/calendar.h"
#include "domain/rejection.h"

namespace gavel::domain {

absl::Status FirstError(std::initializer_list<absl::Status> checks) {
  for (const absl::Status& check : checks) {
    if (!check.ok()) return check;
  }
  return absl::OkStatus();
}

absl::Status RejectIf(bool broken, const Reason& reason,
                      absl::string_view field, absl::string_view message) {
  if (broken) return Reject(reason, field, message);
  return absl::OkStatus();
}

absl::Status RequireField(absl::string_view value, absl::string_view field) {
  if (absl::StripAsciiWhitespace(value).empty()) {
    return Reject(kMissingField, field, absl::StrCat(field, " is required"));
  }
  return absl::OkStatus();
}

absl::Status RequireReason(absl::string_view reason, absl::string_view field) {
  if (absl::StripAsciiWhitespace(reason).empty()) {
    return Reject(kReasonRequired, field,
                  absl::StrCat("a reason is required in ", field));
  }
  return absl::OkStatus();
}

absl::Status RequireEnum(int value, bool (*is_valid)(int),
                         absl::string_view field) {
  if (value == 0 || !is_valid(value)) {
    return Reject(kInvalidEnum, field,
                  absl::StrCat(field, " has no valid value (", value, ")"));
  }
  return absl::OkStatus();
}

absl::Status ValidateMoney(const gavel::v1::Money& money,
                           absl::string_view field) {
  const std::string& currency = money.currency();
  bool currency_ok = currency.size() == 3;
  for (char c : currency) currency_ok = currency_ok && c >= 'A' && c <= 'Z';
  if (!currency_ok) {
    return Reject(kInvalidMoney, field,
                  absl::StrCat(field, ": currency must be an ISO 4217 code"));
  }
  if (money.minor_units() < 0) {
    return Reject(kInvalidMoney, field,
                  absl::StrCat(field, ": amount must not be negative"));
  }
  return absl::OkStatus();
}

absl::Status ValidateDate(const gavel::v1::Date& date,
                          absl::string_view field) {
  if (!IsValidDate(date)) {
    return Reject(kInvalidDate, field,
                  absl::StrCat(field, " is not a calendar date"));
  }
  return absl::OkStatus();
}

absl::Status RequireInRange(int64_t value, int64_t min, int64_t max,
                            absl::string_view field) {
  if (value < min || value > max) {
    return Reject(
        kValueOutOfRange, field,
        absl::StrCat(field, " must be in [", min, ", ", max, "], got ", value));
  }
  return absl::OkStatus();
}

absl::Status RequireNotSelf(absl::string_view reference, absl::string_view self,
                            absl::string_view field,
                            absl::string_view message) {
  if (!reference.empty() && reference == self) {
    return Reject(kSelfReference, field, message);
  }
  return absl::OkStatus();
}

absl::Status ValidateAggregateId(absl::string_view id,
                                 absl::string_view field) {
  if (id.size() > kMaxAggregateIdBytes) {
    return Reject(kValueOutOfRange, field,
                  absl::StrCat(field, " is longer than ", kMaxAggregateIdBytes,
                               " bytes"));
  }
  for (char c : id) {
    if (static_cast<unsigned char>(c) < 0x20) {
      return Reject(kValueOutOfRange, field,
                    absl::StrCat(field, " contains a control character"));
    }
  }
  return absl::OkStatus();
}

absl::Status UniqueIds::Add(absl::string_view id, absl::string_view field,
                            absl::string_view duplicate_message) {
  if (absl::Status s = RequireField(id, field); !s.ok()) return s;
  if (!ids_.emplace(id).second) {
    return Reject(kDuplicateEntry, field, duplicate_message);
  }
  return absl::OkStatus();
}

std::string FieldPath(absl::string_view list, int index,
                      absl::string_view member) {
  if (member.empty()) return absl::StrCat(list, "[", index, "]");
  return absl::StrCat(list, "[", index, "].", member);
}

}  // namespace gavel::domain
