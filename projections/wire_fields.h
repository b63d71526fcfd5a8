// Reading protobuf's wire format field by field, without a message class
// (https://protobuf.dev/programming-guides/encoding/): for the parts of a
// record or a snapshot that are read without decoding the rest.
#ifndef GAVEL_PROJECTIONS_WIRE_FIELDS_H_
#define GAVEL_PROJECTIONS_WIRE_FIELDS_H_

#include <cstdint>

#include "absl/strings/string_view.h"

namespace gavel::projections {

// Reads a varint at p (< end) into *value and moves p past it; false when
// it runs past end or beyond 64 bits.
inline bool ReadVarint(const char*& p, const char* end, uint64_t* value) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64 && p < end; shift += 7) {
    const uint8_t byte = static_cast<uint8_t>(*p++);
    v |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *value = v;
      return true;
    }
  }
  return false;
}

// One field of a message, as NextField reads it.
struct WireField {
  int number = 0;
  int wire_type = 0;
  uint64_t varint = 0;      // Wire type 0.
  absl::string_view bytes;  // Wire type 2: borrows from the message.
};

// Reads the field at p (< end) into *field and moves p past it; false when
// it is malformed.
inline bool NextField(const char*& p, const char* end, WireField* field) {
  uint64_t tag = 0;
  if (!ReadVarint(p, end, &tag)) return false;
  field->number = static_cast<int>(tag >> 3);
  field->wire_type = static_cast<int>(tag & 7);
  field->varint = 0;
  field->bytes = absl::string_view();
  switch (field->wire_type) {
    case 0:
      return ReadVarint(p, end, &field->varint);
    case 1:
      if (end - p < 8) return false;
      p += 8;
      return true;
    case 2: {
      uint64_t length = 0;
      if (!ReadVarint(p, end, &length) ||
          length > static_cast<uint64_t>(end - p)) {
        return false;
      }
      field->bytes = absl::string_view(p, length);
      p += length;
      return true;
    }
    case 5:
      if (end - p < 4) return false;
      p += 4;
      return true;
    default:
      return false;
  }
}

// Calls field(number, wire_type, varint, bytes) for each field of the
// message in [p, end), in order (`bytes`, of a length-delimited field,
// borrows from the message); false when it is malformed.
template <typename Field>
bool ForEachField(const char* p, const char* end, Field field) {
  WireField f;
  while (p < end) {
    if (!NextField(p, end, &f)) return false;
    field(f.number, f.wire_type, f.varint, f.bytes);
  }
  return true;
}

}  // namespace gavel::projections

#endif  // GAVEL_PROJECTIONS_WIRE_FIELDS_H_
