// The derived-data store over a real RocksDB in a temp folder: writes,
// lookups, key listing and range deletions.
#include "storage/kv_store.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace gavel::storage {
namespace {

using ::testing::ElementsAre;

class KvStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<KvStore>> kv = KvStore::Open(dir_.path());
    ASSERT_TRUE(kv.ok()) << kv.status();
    kv_ = *std::move(kv);
  }

  void Put(const std::string& key, const std::string& value) {
    ASSERT_TRUE(kv_->Write({KvChange{key, value}}).ok());
  }

  std::vector<std::string> Keys(const std::string& prefix) {
    absl::StatusOr<std::vector<std::string>> keys = kv_->Keys(prefix);
    EXPECT_TRUE(keys.ok()) << keys.status();
    return keys.ok() ? *keys : std::vector<std::string>{};
  }

  test::TempDir dir_;
  std::unique_ptr<KvStore> kv_;
};

TEST_F(KvStoreTest, WritesPutsAndDeletesAndFindsTheEntryAtOrBefore) {
  Put("a/1", "one");
  Put("a/3", "three");
  Put("b/1", "other");
  ASSERT_TRUE(kv_->Write({KvChange{"a/1", std::nullopt}}).ok());
  EXPECT_EQ(kv_->Get("a/1").value(), std::nullopt);
  EXPECT_EQ(kv_->Get("a/3").value(), "three");
  auto found = kv_->FindAtOrBefore("a/", "a/2");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, std::nullopt);
  found = kv_->FindAtOrBefore("a/", "a/9");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->first, "a/3");
  EXPECT_EQ((*found)->second, "three");
  EXPECT_THAT(Keys("a/"), ElementsAre("a/3"));
}

TEST_F(KvStoreTest, DeleteRangesRemovesEveryKeyInEachRangeAndNothingElse) {
  for (const char* key : {"h/1", "h/2", "h/3", "h/4", "h/5", "i/1"}) {
    Put(key, std::string(100 << 10, 'x'));  // Large: kept in blob files.
  }
  const std::vector<std::pair<std::string, std::string>> ranges = {
      {"h/1", "h/3"}, {"h/4", "h/5"}, {"h/6", "h/\xff"}};
  ASSERT_TRUE(kv_->DeleteRanges(ranges).ok());
  EXPECT_THAT(Keys("h/"), ElementsAre("h/3", "h/5"));
  EXPECT_THAT(Keys("i/"), ElementsAre("i/1"));
  auto found = kv_->FindAtOrBefore("h/", "h/4");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->first, "h/3");
}

TEST_F(KvStoreTest, DeleteRangesRefusesABackwardRangeAndDeletesNothing) {
  Put("h/1", "one");
  Put("h/5", "five");
  const std::vector<std::pair<std::string, std::string>> ranges = {
      {"h/0", "h/2"}, {"h/9", "h/4"}};
  EXPECT_EQ(kv_->DeleteRanges(ranges).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Keys("h/"), ElementsAre("h/1", "h/5"));
}

}  // namespace
}  // namespace gavel::storage
