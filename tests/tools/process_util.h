// Helpers for tests that drive the real binary as separate processes, kill
// them, and look into the database they leave: spawning without a shell (so
// the pid is the binary's own), SIGKILL, and a read-only look through the
// SQLite C API (never through the store, which would migrate or repair).
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_util.h"

extern char** environ;

namespace ringscope::testing {

// A child process running `binary args...` with standard input from
// /dev/null and standard output and error written to the given files.
class Process {
 public:
  Process(const std::string& binary, const std::vector<std::string>& args,
          const std::string& stdout_path, const std::string& stderr_path) {
    std::vector<std::string> argv_text{binary};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, stdout_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int rc = posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("posix_spawn " + binary + " failed: " + std::to_string(rc));
  }
  ~Process() {
    if (!waited_) {
      ::kill(pid_, SIGKILL);
      Wait();
    }
  }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // Sends SIGKILL (the process may have finished already: then nothing happens).
  void Kill() { ::kill(pid_, SIGKILL); }
  // Waits for the end; returns the wait status (see WIFEXITED, WIFSIGNALED).
  int Wait() {
    if (!waited_) {
      while (::waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
      }
      waited_ = true;
    }
    return status_;
  }
  // True (without blocking) once the process has ended.
  bool Done() {
    if (waited_) return true;
    if (::waitpid(pid_, &status_, WNOHANG) == pid_) waited_ = true;
    return waited_;
  }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int status_ = 0;
  bool waited_ = false;
};

// Exit code of a wait status, or -signal when a signal ended the process.
inline int ExitCode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return -1000;
}

inline double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A plain SQLite connection for checking what a run of the binary left. Opens
// read-write so that a WAL left by a killed writer is recovered, exactly as
// the next ringscope process would.
class SqliteFile {
 public:
  explicit SqliteFile(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw std::runtime_error("cannot open " + path + ": " + message);
    }
    sqlite3_busy_timeout(db_, 10000);
  }
  ~SqliteFile() { sqlite3_close(db_); }
  SqliteFile(const SqliteFile&) = delete;
  SqliteFile& operator=(const SqliteFile&) = delete;

  // Every row of `sql`, each column as text ("" for NULL).
  std::vector<std::vector<std::string>> Rows(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
      throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_));
    std::vector<std::vector<std::string>> rows;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      auto& row = rows.emplace_back();
      for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
        row.emplace_back(text ? text : "");
      }
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_));
    return rows;
  }
  // The first column of the first row ("" when there is none).
  std::string Text(const std::string& sql) {
    auto rows = Rows(sql);
    return rows.empty() || rows[0].empty() ? std::string() : rows[0][0];
  }
  std::int64_t Int(const std::string& sql) {
    const std::string text = Text(sql);
    return text.empty() ? 0 : std::stoll(text);
  }
  // Row count and a 64-bit FNV-1a digest of every cell of `sql`'s rows, in order.
  std::pair<std::size_t, std::uint64_t> Digest(const std::string& sql) {
    std::uint64_t h = 1469598103934665603ULL;
    auto rows = Rows(sql);
    for (const auto& row : rows) {
      for (const std::string& cell : row) {
        for (unsigned char c : cell) h = (h ^ c) * 1099511628211ULL;
        h = (h ^ 0x1F) * 1099511628211ULL;
      }
      h = (h ^ 0x1E) * 1099511628211ULL;
    }
    return {rows.size(), h};
  }

 private:
  sqlite3* db_ = nullptr;
};

// A multi-file input in `dir`: `ringscope gen --preset tiny --seed SEED`, its
// request log cut into `request_files` files of `lines_per_file` lines (the
// second one ends with two bad rows), then signals.csv and accounts.csv.
// Returns the paths in ingest order; empty when gen fails.
inline std::vector<std::string> MakeMultiFileInput(const TempDir& dir, int seed,
                                                   int request_files = 4,
                                                   std::size_t lines_per_file = 2500) {
  const std::string world = dir.File("world");
  RunResult gen = RunCommand(RINGSCOPE_BINARY,
                             {"gen", "--preset", "tiny", "--seed", std::to_string(seed), "--out",
                              world},
                             dir);
  if (gen.exit_code != 0) return {};
  std::vector<std::string> files;
  std::ifstream requests(world + "/requests.jsonl");
  std::string line;
  for (int f = 0; f < request_files; ++f) {
    const std::string path = dir.File("requests_" + std::to_string(f) + ".jsonl");
    std::ofstream out(path);
    for (std::size_t i = 0; i < lines_per_file && std::getline(requests, line); ++i)
      out << line << '\n';
    if (f == 1) out << "{\"account\":\"acct_bad\",\"ip\":\"999.1.1.1\"}\nnot json\n";
    files.push_back(path);
  }
  files.push_back(world + "/signals.csv");
  files.push_back(world + "/accounts.csv");
  return files;
}

}  // namespace ringscope::testing
