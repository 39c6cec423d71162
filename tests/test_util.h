// Small helpers shared by tests: temporary directories and files.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace ringscope::testing {

// A fresh directory under the system temp dir, removed with everything in it
// when the object goes out of scope.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;  // only names the directory; tests stay deterministic
    path_ = std::filesystem::temp_directory_path() /
            ("ringscope-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string File(const std::string& name) const { return (path_ / name).string(); }
  // Writes `content` to `name` and returns the full path.
  std::string Write(const std::string& name, const std::string& content) const {
    std::string path = File(name);
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace ringscope::testing
