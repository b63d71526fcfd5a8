// A Gavel event log's RocksDB opened raw, with every column family, to
// edit it the way an insider with disk access would. For tests only; the
// server must not run on the directory.
#ifndef GAVEL_TESTS_TESTING_RAW_LOG_H_
#define GAVEL_TESTS_TESTING_RAW_LOG_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rocksdb/db.h"

namespace gavel::test {

// Thread-compatible.
class RawLog {
 public:
  explicit RawLog(const std::string& dir) {
    std::vector<std::string> names;
    EXPECT_TRUE(
        rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &names)
            .ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const std::string& name : names) {
      families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    }
    rocksdb::DB* db = nullptr;
    rocksdb::Status s =
        rocksdb::DB::Open(rocksdb::DBOptions(), dir, families, &handles_, &db);
    EXPECT_TRUE(s.ok()) << s.ToString();
    db_.reset(db);
    for (size_t i = 0; i < names.size(); ++i) by_name_[names[i]] = handles_[i];
  }

  ~RawLog() {
    for (rocksdb::ColumnFamilyHandle* handle : handles_) {
      EXPECT_TRUE(db_->DestroyColumnFamilyHandle(handle).ok());
    }
  }

  std::string Get(const std::string& family, const std::string& key) {
    std::string value;
    EXPECT_TRUE(db_->Get({}, by_name_.at(family), key, &value).ok());
    return value;
  }
  void Put(const std::string& family, const std::string& key,
           const std::string& value) {
    EXPECT_TRUE(db_->Put(Sync(), by_name_.at(family), key, value).ok());
  }
  void Delete(const std::string& family, const std::string& key) {
    EXPECT_TRUE(db_->Delete(Sync(), by_name_.at(family), key).ok());
  }
  // Writes every column family's memtable to SST files.
  void FlushAll() {
    rocksdb::FlushOptions options;
    options.wait = true;
    EXPECT_TRUE(db_->Flush(options, handles_).ok());
  }
  // Deletes every key of `family` at or after `from`.
  void DeleteFrom(const std::string& family, const std::string& from) {
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator({}, by_name_.at(family)));
    std::vector<std::string> keys;
    for (it->Seek(from); it->Valid(); it->Next()) {
      keys.push_back(it->key().ToString());
    }
    for (const std::string& key : keys) Delete(family, key);
  }

 private:
  static rocksdb::WriteOptions Sync() {
    rocksdb::WriteOptions options;
    options.sync = true;
    return options;
  }

  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::map<std::string, rocksdb::ColumnFamilyHandle*> by_name_;
};

}  // namespace gavel::test

#endif  // GAVEL_TESTS_TESTING_RAW_LOG_H_
