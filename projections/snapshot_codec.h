// Serializing read models for snapshots: deterministic bytes, so that two
// equal models always have equal snapshots (and digests).
#ifndef GAVEL_PROJECTIONS_SNAPSHOT_CODEC_H_
#define GAVEL_PROJECTIONS_SNAPSHOT_CODEC_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/message_lite.h"

namespace gavel::projections {

// Writes a message's encoding field by field from parts that live in
// different objects, without assembling (copying) the message. The same
// parts in the same order give the same bytes. Sizes are computed once, as
// parts are added, and Finish() serializes into one buffer of the exact
// size (no growing and copying). Thread-compatible; the parts are
// borrowed and must not change until Finish().
class SnapshotWriter {
 public:
  // Appends field `field` (a message field, singular or one element of a
  // repeated one) holding `message`.
  void Add(int field, const google::protobuf::MessageLite& message) {
    parts_.push_back(Part{field, &message, message.ByteSizeLong(), {}});
  }

  // Appends `bytes`, the encoding of one or more whole fields (borrowed:
  // must live until Finish()).
  void AddEncoded(absl::string_view bytes) {
    parts_.push_back(Part{0, nullptr, bytes.size(), bytes});
  }

  // Appends field `field` holding the message whose encoding is `bytes`
  // (borrowed: must live until Finish()).
  void AddEncoded(int field, absl::string_view bytes) {
    parts_.push_back(Part{field, nullptr, bytes.size(), bytes});
  }

  // Appends every field of `message` as they are.
  void AddFields(const google::protobuf::MessageLite& message) {
    parts_.push_back(Part{0, &message, message.ByteSizeLong(), {}});
  }

  // The bytes of the parts, in order; call once.
  std::string Finish() {
    using google::protobuf::io::CodedOutputStream;
    size_t total = 0;
    for (const Part& part : parts_) {
      if (part.field > 0) {
        total += CodedOutputStream::VarintSize32(Tag(part.field)) +
                 CodedOutputStream::VarintSize64(part.size);
      }
      total += part.size;
    }
    std::string out(total, '\0');
    {
      google::protobuf::io::ArrayOutputStream array(out.data(),
                                                    static_cast<int>(total));
      CodedOutputStream coded(&array);
      coded.SetSerializationDeterministic(true);
      for (const Part& part : parts_) {
        if (part.field > 0) {
          coded.WriteTag(Tag(part.field));
          coded.WriteVarint64(part.size);
        }
        if (part.message == nullptr) {
          coded.WriteRaw(part.encoded.data(), static_cast<int>(part.size));
        } else {
          // Uses the sizes cached by ByteSizeLong() in Add().
          part.message->SerializeWithCachedSizes(&coded);
        }
      }
    }
    parts_.clear();
    return out;
  }

 private:
  struct Part {
    int field;  // 0: the message's own fields.
    const google::protobuf::MessageLite* message;  // Null: `encoded`.
    size_t size;
    absl::string_view encoded;
  };
  // Tag of a length-delimited field.
  static uint32_t Tag(int field) {
    return static_cast<uint32_t>(field) << 3 | 2;
  }

  std::vector<Part> parts_;
};

// `model` serialized deterministically.
inline std::string SerializeModel(const google::protobuf::MessageLite& model) {
  SnapshotWriter writer;
  writer.AddFields(model);
  return writer.Finish();
}

// Parses a snapshot of projection `name`; DATA_LOSS if it does not parse.
template <typename Model>
absl::StatusOr<Model> ParseModel(absl::string_view snapshot,
                                 absl::string_view name) {
  Model model;
  if (!model.ParseFromArray(snapshot.data(),
                            static_cast<int>(snapshot.size()))) {
    return absl::DataLossError(
        absl::StrCat("the snapshot of projection ", name, " does not parse"));
  }
  return model;
}

}  // namespace gavel::projections

#endif  // GAVEL_PROJECTIONS_SNAPSHOT_CODEC_H_
