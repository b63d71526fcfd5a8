// Serializing read models for snapshots: deterministic bytes, so that two
// equal models always have equal snapshots (and digests).
#ifndef GAVEL_PROJECTIONS_SNAPSHOT_CODEC_H_
#define GAVEL_PROJECTIONS_SNAPSHOT_CODEC_H_

#include <optional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/message_lite.h"

namespace gavel::projections {

// `model` serialized deterministically.
inline std::string SerializeModel(const google::protobuf::MessageLite& model) {
  std::string out;
  model
      .ByteSizeLong();  // Fills the cached sizes SerializeWithCachedSizes uses.
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    model.SerializeWithCachedSizes(&coded);
  }
  return out;
}

// Writes a message's encoding field by field from parts that live in
// different objects, without assembling (copying) the message. The same
// parts in the same order give the same bytes.
class SnapshotWriter {
 public:
  SnapshotWriter() {
    stream_.emplace(&out_);
    coded_.emplace(&*stream_);
    coded_->SetSerializationDeterministic(true);
  }

  // Appends field `field` (a message field, singular or one element of a
  // repeated one) holding `message`.
  void Add(int field, const google::protobuf::MessageLite& message) {
    const size_t size = message.ByteSizeLong();
    coded_->WriteTag(static_cast<uint32_t>(field) << 3 | 2);  // Length-delim.
    coded_->WriteVarint64(size);
    message.SerializeWithCachedSizes(&*coded_);
  }

  // Appends every field of `message` as they are.
  void AddFields(const google::protobuf::MessageLite& message) {
    message.ByteSizeLong();
    message.SerializeWithCachedSizes(&*coded_);
  }

  // The bytes written; call once.
  std::string Finish() {
    coded_.reset();  // Trims `out_` to what was written.
    stream_.reset();
    return std::move(out_);
  }

 private:
  std::string out_;
  std::optional<google::protobuf::io::StringOutputStream> stream_;
  std::optional<google::protobuf::io::CodedOutputStream> coded_;
};

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
