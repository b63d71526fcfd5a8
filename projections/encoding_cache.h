// The encodings of the elements of a large repeated message field, kept
// from one snapshot to the next: a snapshot encodes only the elements that
// were added or changed since the last one and copies the rest. Most of a
// read model's elements (closed initiatives, past decisions) never change
// again, and encoding scattered small messages costs far more than
// copying their bytes.
#ifndef GAVEL_PROJECTIONS_ENCODING_CACHE_H_
#define GAVEL_PROJECTIONS_ENCODING_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace gavel::projections {

// Thread-compatible like the model it serves: AppendTo() may run from
// several threads at once (a model's readers), Changed(), Erased() and
// Clear() (its writer) never while anything else runs. The owner calls
// Changed() for every element it adds or modifies, Erased() for every one
// it removes and Clear() when it replaces the whole field.
class EncodingCache {
 public:
  // Element `index` was added or modified. Called once per event that
  // changes an element: no lock (the writer runs alone, see above).
  void Changed(size_t index) ABSL_NO_THREAD_SAFETY_ANALYSIS {
    if (index >= encoded_.size()) encoded_.resize(index + 1);
    encoded_[index].clear();
  }

  // Element `index` was removed: the elements after it moved down by one.
  void Erased(size_t index) ABSL_NO_THREAD_SAFETY_ANALYSIS {
    if (index < encoded_.size()) {
      encoded_.erase(encoded_.begin() + static_cast<ptrdiff_t>(index));
    }
  }

  // Every element changed (the field was replaced).
  void Clear() ABSL_NO_THREAD_SAFETY_ANALYSIS { encoded_.clear(); }

  // Appends `elements` to `out` as repeated field `field` of a message,
  // deterministically: the bytes SerializeModel gives for that field.
  template <typename Message>
  void AppendTo(int field,
                const google::protobuf::RepeatedPtrField<Message>& elements,
                std::string& out) const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    encoded_.resize(elements.size());
    size_t total = 0;
    for (int i = 0; i < elements.size(); ++i) {
      std::string& bytes = encoded_[i];
      if (bytes.empty()) bytes = Encode(field, elements.Get(i));
      total += bytes.size();
    }
    out.reserve(out.size() + total);
    for (const std::string& bytes : encoded_) out.append(bytes);
  }

 private:
  // Tag, length and body of `message` as field `field`.
  static std::string Encode(int field,
                            const google::protobuf::MessageLite& message) {
    using google::protobuf::io::CodedOutputStream;
    const uint32_t tag = static_cast<uint32_t>(field) << 3 | 2;
    const size_t size = message.ByteSizeLong();
    std::string out(CodedOutputStream::VarintSize32(tag) +
                        CodedOutputStream::VarintSize64(size) + size,
                    '\0');
    google::protobuf::io::ArrayOutputStream array(out.data(),
                                                  static_cast<int>(out.size()));
    CodedOutputStream coded(&array);
    coded.SetSerializationDeterministic(true);
    coded.WriteTag(tag);
    coded.WriteVarint64(size);
    message.SerializeWithCachedSizes(&coded);
    return out;
  }

  // Serializes concurrent AppendTo() calls, which fill encoded_.
  mutable absl::Mutex mu_;
  // By element index; empty: not encoded since it last changed.
  mutable std::vector<std::string> encoded_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gavel::projections

#endif  // GAVEL_PROJECTIONS_ENCODING_CACHE_H_
