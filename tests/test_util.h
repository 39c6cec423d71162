// Small helpers shared by tests: temporary directories and files.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>

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

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Whether `text` has the shape of `pattern`, character for character: '#' is
// any decimal digit, '%' any lower-case hex digit, anything else itself (for
// ids, hashes and timestamps).
inline bool MatchesShape(std::string_view text, std::string_view pattern) {
  if (text.size() != pattern.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool digit = c >= '0' && c <= '9';
    switch (pattern[i]) {
      case '#': if (!digit) return false; break;
      case '%': if (!digit && !(c >= 'a' && c <= 'f')) return false; break;
      default: if (c != pattern[i]) return false;
    }
  }
  return true;
}

inline std::string ShellQuote(const std::string& arg) {
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs `binary args...` through the shell with stdout and stderr captured in
// `dir`; `stdin_path` (if not empty) feeds standard input.
inline RunResult RunCommand(const std::string& binary, const std::vector<std::string>& args,
                            const TempDir& dir, const std::string& stdin_path = "") {
  std::string command = ShellQuote(binary);
  for (const std::string& a : args) command += " " + ShellQuote(a);
  std::string out = dir.File(".stdout"), err = dir.File(".stderr");
  command += " >" + ShellQuote(out) + " 2>" + ShellQuote(err);
  command += " <" + ShellQuote(stdin_path.empty() ? "/dev/null" : stdin_path);
  int status = std::system(command.c_str());
  RunResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = ReadFile(out);
  result.err = ReadFile(err);
  return result;
}

}  // namespace ringscope::testing
