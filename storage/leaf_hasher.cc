#include "storage/leaf_hasher.h"

#include <algorithm>

namespace gavel::storage {
namespace {

// Records one thread claims at a time: few lock round trips, and still
// fine-grained enough that the writer rarely waits for the helper's tail.
constexpr size_t kChunk = 8;

}  // namespace

LeafHasher::LeafHasher() : helper_([this] { Run(); }) {}

LeafHasher::~LeafHasher() {
  {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](size_t* in_flight) { return *in_flight == 0; }, &in_flight_));
    stopping_ = true;
  }
  helper_.join();
}

void LeafHasher::Begin(const std::vector<std::string>* records,
                       std::vector<rfc9162::Hash>* leaves) {
  leaves->resize(records->size());
  absl::MutexLock lock(&mu_);
  records_ = records;
  leaves_ = leaves;
  published_ = 0;
  claimed_ = 0;
}

void LeafHasher::Publish(size_t count) {
  absl::MutexLock lock(&mu_);
  published_ = count;
}

bool LeafHasher::Claim(size_t& index) {
  if (records_ == nullptr || claimed_ >= published_) return false;
  index = claimed_;
  claimed_ = std::min(published_, claimed_ + kChunk);
  return true;
}

void LeafHasher::Finish() {
  mu_.Lock();
  size_t begin;
  while (Claim(begin)) {
    const size_t end = claimed_;
    const std::vector<std::string>& records = *records_;
    std::vector<rfc9162::Hash>& leaves = *leaves_;
    mu_.Unlock();
    for (size_t i = begin; i < end; ++i) {
      leaves[i] = rfc9162::HashLeaf(records[i]);
    }
    mu_.Lock();
  }
  mu_.Await(absl::Condition(
      +[](size_t* in_flight) { return *in_flight == 0; }, &in_flight_));
  records_ = nullptr;
  leaves_ = nullptr;
  mu_.Unlock();
}

void LeafHasher::Run() {
  mu_.Lock();
  const auto has_work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stopping_ || (records_ != nullptr && claimed_ < published_);
  };
  while (true) {
    mu_.Await(absl::Condition(&has_work));
    if (stopping_) break;
    size_t begin = 0;
    Claim(begin);
    const size_t end = claimed_;
    in_flight_ += end - begin;
    const std::vector<std::string>& records = *records_;
    std::vector<rfc9162::Hash>& leaves = *leaves_;
    mu_.Unlock();
    for (size_t i = begin; i < end; ++i) {
      leaves[i] = rfc9162::HashLeaf(records[i]);
    }
    mu_.Lock();
    in_flight_ -= end - begin;
  }
  mu_.Unlock();
}

}  // namespace gavel::storage
