// A directory under the system temp folder, removed with its contents when
// the object goes away. For tests only.
#ifndef GAVEL_TESTS_TESTING_TEMP_DIR_H_
#define GAVEL_TESTS_TESTING_TEMP_DIR_H_

#include <cstdlib>
#include <filesystem>
#include <string>

namespace gavel::test {

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "gavel-test-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  // The directory's path.
  const std::string& path() const { return path_; }

  // A path inside the directory (not created).
  std::string Sub(const std::string& name) const {
    return (std::filesystem::path(path_) / name).string();
  }

 private:
  std::string path_;
};

}  // namespace gavel::test

#endif  // GAVEL_TESTS_TESTING_TEMP_DIR_H_
