// Serializing read models for snapshots: deterministic bytes, so that two
// equal models always have equal snapshots (and digests).
#ifndef GAVEL_PROJECTIONS_SNAPSHOT_CODEC_H_
#define GAVEL_PROJECTIONS_SNAPSHOT_CODEC_H_

#include <string>

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
