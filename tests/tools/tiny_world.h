// The tiny generated world shared by the end-to-end tests of the exploration
// and analysis commands (analyze/export/hubs/eval, account/cluster/top/value/
// explain, render, expand, shell): `gen --preset tiny --seed 1`, plus a few
// planted accounts with known answers, ingested and analysed.
//
// Planted accounts (planted.csv and planted.jsonl, ingested after the world):
//   planted_a, planted_b share a raw card number (written differently: only
//     ingest's normalisation makes them equal; kPlantedCard once normalised);
//   planted_b, planted_c share a device;
//   planted_d has a device of its own (linked to nobody);
//   planted_e, planted_f send prompts of one template (digits and case differ).
// They are in no campaign of truth.csv.
//
// The world is built once per build directory and ringscope binary, not once
// per test process (ctest runs every TEST as a process of its own): the first
// process builds it under a lock in RINGSCOPE_TEST_CACHE_DIR, the others reuse
// it. A rebuilt binary (another size, mtime or inode) or another recipe builds
// it again. Tests must only READ world.db; a test that writes (a run, an
// export, a list) works on its own copy (CopyDb). A shared database that
// changed after it was built fails the test that notices it, and is rebuilt.
#pragma once

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ingest/csv.h"
#include "test_util.h"

namespace ringscope::testing {

// The normalised card number planted_a and planted_b share.
inline constexpr const char* kPlantedCard = "6011561748338014";

struct TinyWorld {
  TempDir dir;        // this process's scratch directory (command outputs)
  std::string files;  // gen's output directory (requests.jsonl, truth.csv, ...)
  std::string db;     // the analysed database: read only, see CopyDb
  std::string planted_csv, planted_jsonl;  // the planted signals and prompts
  std::string analyze_out;                 // stdout of the world's `analyze`
  std::string error;                       // set when the setup failed
  std::map<std::string, std::string> campaign_of;  // truth.csv: account -> campaign

  std::string File(const std::string& name) const { return files + "/" + name; }
  RunResult Run(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--db", db});
    return RunCommand(RINGSCOPE_BINARY, args, dir);
  }
  // Copies the world's database to `path` (for a test that writes to it).
  void CopyDb(const std::string& path) const {
    std::filesystem::copy_file(db, path, std::filesystem::copy_options::overwrite_existing);
  }
};

// The accounts of each campaign, from truth.csv (read with ingest's parser).
inline std::map<std::string, std::string> ReadTruth(const std::string& path) {
  std::map<std::string, std::string> campaign_of;
  CsvRecordParser parser;
  std::istringstream in(ReadFile(path));
  std::string line;
  std::int64_t number = 0;
  while (std::getline(in, line)) {
    if (parser.Feed(line, ++number) != CsvRecordParser::Status::kRecord) continue;
    const std::vector<std::string>& f = parser.fields();
    if (number > 1 && f.size() == 2 && !f[1].empty()) campaign_of[f[0]] = f[1];
  }
  return campaign_of;
}

namespace tiny_world_internal {

inline constexpr const char* kPlantedCsv =
    "account,kind,value,ts\n"
    "planted_a,payment,6011 5617 4833 8014,2026-02-01T12:00:00Z\n"
    "planted_b,payment,6011-5617-4833-8014,2026-02-02T12:00:00Z\n"
    "planted_b,device,fp-planted-77,2026-02-02T12:00:00Z\n"
    "planted_c,device,fp-planted-77,2026-02-03T12:00:00Z\n"
    "planted_d,device,fp-planted-lonely,2026-02-03T12:00:00Z\n";
inline constexpr const char* kPlantedJsonl =
    "{\"account\":\"planted_e\",\"ts\":\"2026-02-01T12:00:03Z\","
    "\"prompt\":\"Summarise chapter 12 of the Zorblax manual in 3 lines\"}\n"
    "{\"account\":\"planted_f\",\"ts\":\"2026-02-01T13:00:03Z\","
    "\"prompt\":\"summarise chapter 7 of the zorblax manual in 5 lines\"}\n";

// Size, modification time and inode of `path` ("" when it does not exist):
// a rebuilt binary or a written database changes it.
inline std::string FileStamp(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "";
  return std::to_string(st.st_size) + " " + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec) + " " + std::to_string(st.st_ino);
}

// What a database that nobody wrote to looks like: its file as built and no
// uncheckpointed write-ahead log.
inline std::string DbStamp(const std::string& db) {
  std::error_code ec;
  const std::uintmax_t wal = std::filesystem::file_size(db + "-wal", ec);
  return FileStamp(db) + (!ec && wal > 0 ? " wal" : "");
}

// An exclusive flock on `path`, held for the object's lifetime.
class FileLock {
 public:
  explicit FileLock(const std::string& path)
      : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the lock
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_;
};

inline std::string CacheRoot() {
#ifdef RINGSCOPE_TEST_CACHE_DIR
  return RINGSCOPE_TEST_CACHE_DIR;
#else
  return (std::filesystem::temp_directory_path() / "ringscope-test-worlds").string();
#endif
}

// gen → ingest (with the planted files) → analyze into `root`; returns "" or
// which step failed. `scratch` receives the commands' captured output.
inline std::string BuildWorld(const std::string& root, const TempDir& scratch) {
  const std::string files = root + "/world", db = root + "/world.db";
  RunResult gen = RunCommand(RINGSCOPE_BINARY,
                             {"gen", "--preset", "tiny", "--seed", "1", "--out", files}, scratch);
  if (gen.exit_code != 0) return "gen failed: " + gen.err;
  std::ofstream(root + "/planted.csv", std::ios::binary) << kPlantedCsv;
  std::ofstream(root + "/planted.jsonl", std::ios::binary) << kPlantedJsonl;
  RunResult ingest = RunCommand(
      RINGSCOPE_BINARY,
      {"--db", db, "ingest", "--no-progress", files + "/requests.jsonl", files + "/signals.csv",
       files + "/accounts.csv", root + "/planted.csv", root + "/planted.jsonl"},
      scratch);
  if (ingest.exit_code != 0) return "ingest failed: " + ingest.err;
  RunResult analyze = RunCommand(RINGSCOPE_BINARY, {"--db", db, "analyze"}, scratch);
  if (analyze.exit_code != 0) return "analyze failed: " + analyze.err;
  std::ofstream(root + "/analyze.out", std::ios::binary) << analyze.out;
  return "";
}

}  // namespace tiny_world_internal

// The shared tiny world, built first if this build directory has no current
// one; on failure `error` says which step failed. The caller owns the result.
inline TinyWorld* MakeTinyWorld() {
  namespace fs = std::filesystem;
  namespace in = tiny_world_internal;
  auto* w = new TinyWorld;
  const std::string cache = in::CacheRoot(), root = cache + "/tiny";
  std::error_code ec;
  fs::create_directories(cache, ec);
  // The recipe's version (bump it when BuildWorld changes) and the binary.
  const std::string key = "tiny-1 " + in::FileStamp(RINGSCOPE_BINARY);
  {
    in::FileLock lock(cache + "/tiny.lock");
    std::istringstream ready(ReadFile(root + "/READY"));
    std::string built_key, built_db;
    std::getline(ready, built_key);
    std::getline(ready, built_db);
    const bool current = built_key == key;
    if (current && built_db != in::DbStamp(root + "/world.db")) {
      w->error = "the shared world " + root +
                 "/world.db changed after it was built: a test wrote to it instead of a copy "
                 "(TinyWorld::CopyDb); it is built again";
    }
    if (!current || !w->error.empty()) {
      const std::string building = root + ".building";
      fs::remove_all(building, ec);
      fs::create_directories(building, ec);
      const std::string failed = in::BuildWorld(building, w->dir);
      if (!failed.empty()) {
        w->error = failed;
        return w;
      }
      std::ofstream(building + "/READY", std::ios::binary)
          << key << "\n" << in::DbStamp(building + "/world.db") << "\n";
      fs::remove_all(root, ec);
      fs::rename(building, root, ec);
      if (ec) {
        w->error = "cannot move the built world to " + root + ": " + ec.message();
        return w;
      }
    }
  }
  w->files = root + "/world";
  w->db = root + "/world.db";
  w->planted_csv = root + "/planted.csv";
  w->planted_jsonl = root + "/planted.jsonl";
  w->analyze_out = ReadFile(root + "/analyze.out");
  w->campaign_of = ReadTruth(w->File("truth.csv"));
  if (w->error.empty() && w->campaign_of.empty()) w->error = "truth.csv has no campaign";
  return w;
}

// A test suite over the shared tiny world (MakeTinyWorld: built once per
// build directory, found again by every later test process); each test
// first checks that the world was made.
class TinyWorldSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { world_ = MakeTinyWorld(); }
  static void TearDownTestSuite() {
    delete world_;
    world_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(world_->error.empty()) << world_->error; }

  static inline TinyWorld* world_ = nullptr;
};

}  // namespace ringscope::testing
