#include "storage/leaf_hasher.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "transparency/rfc9162.h"

namespace gavel::storage {
namespace {

std::vector<std::string> Records(int count) {
  std::vector<std::string> records;
  for (int i = 0; i < count; ++i) {
    records.push_back(absl::StrCat("record ", i, std::string(i % 300, 'x')));
  }
  return records;
}

TEST(LeafHasherTest, HashesEveryPublishedRecordWhicheverWayItIsPublished) {
  LeafHasher hasher;
  for (int count : {0, 1, 7, 8, 9, 100, 1000}) {
    for (int step : {1, 3, 8, 1000}) {
      const std::vector<std::string> records = Records(count);
      std::vector<rfc9162::Hash> leaves;
      hasher.Begin(&records, &leaves);
      for (int published = step; published < count; published += step) {
        hasher.Publish(published);
      }
      hasher.Publish(count);
      hasher.Finish();
      ASSERT_EQ(leaves.size(), records.size());
      for (int i = 0; i < count; ++i) {
        EXPECT_EQ(leaves[i], rfc9162::HashLeaf(records[i]))
            << "count " << count << " step " << step << " record " << i;
      }
    }
  }
}

TEST(LeafHasherTest, FinishHashesOnlyWhatWasPublished) {
  LeafHasher hasher;
  const std::vector<std::string> records = Records(50);
  std::vector<rfc9162::Hash> leaves;
  hasher.Begin(&records, &leaves);
  hasher.Publish(20);
  hasher.Finish();
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(leaves[i], rfc9162::HashLeaf(records[i]));
  }
  for (int i = 20; i < 50; ++i) EXPECT_EQ(leaves[i], rfc9162::Hash{});
}

TEST(LeafHasherTest, JobsRunOneAfterAnotherOnOneHasher) {
  LeafHasher hasher;
  for (int job = 0; job < 200; ++job) {
    const std::vector<std::string> records = Records(job % 64 + 1);
    std::vector<rfc9162::Hash> leaves;
    hasher.Begin(&records, &leaves);
    hasher.Publish(records.size());
    hasher.Finish();
    EXPECT_EQ(leaves.back(), rfc9162::HashLeaf(records.back()));
  }
}

}  // namespace
}  // namespace gavel::storage
