// Equality of the protobuf parts of aggregate states, as every state's
// operator== compares them: field-wise with MessageDifferencer::Equals
// (never by serialized bytes, whose order protobuf does not promise).
#ifndef GAVEL_DOMAIN_PROTO_EQUALITY_H_
#define GAVEL_DOMAIN_PROTO_EQUALITY_H_

#include <algorithm>
#include <optional>
#include <vector>

#include "google/protobuf/util/message_differencer.h"

namespace gavel::domain {

template <typename Message>
bool ProtoEquals(const Message& a, const Message& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

// Both absent, or both present and equal.
template <typename Message>
bool ProtoEquals(const std::optional<Message>& a,
                 const std::optional<Message>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a.has_value() || ProtoEquals(*a, *b);
}

// Same length and pairwise equal, in order.
template <typename Message>
bool ProtoEquals(const std::vector<Message>& a, const std::vector<Message>& b) {
  return std::equal(
      a.begin(), a.end(), b.begin(), b.end(),
      [](const Message& x, const Message& y) { return ProtoEquals(x, y); });
}

}  // namespace gavel::domain

#endif  // GAVEL_DOMAIN_PROTO_EQUALITY_H_
