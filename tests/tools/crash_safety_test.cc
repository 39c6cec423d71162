// Crash safety of the real binary. `ringscope ingest` of several files and
// `ringscope analyze` are killed with SIGKILL at seeded moments spread over
// their uninterrupted duration; after each kill the database must pass
// PRAGMA integrity_check, hold every source either fully counted or not at
// all, show no clusters of an unfinished run, and a rerun must end with
// exactly what an uninterrupted run gives.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "process_util.h"
#include "test_util.h"

namespace ringscope {
namespace {

using testing::ExitCode;
using testing::Process;
using testing::RunCommand;
using testing::SecondsSince;
using testing::SqliteFile;
using testing::TempDir;

constexpr int kIngestKills = 20;
constexpr int kAnalyzeKills = 10;
constexpr int kRequestFiles = 4;
constexpr std::size_t kLinesPerRequestFile = 1500;

// What the database holds, as row counts and digests of its contents in an
// order that does not depend on internal ids.
struct Contents {
  std::map<std::string, std::pair<std::size_t, std::uint64_t>> tables;
  bool operator==(const Contents&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Contents& c) {
  for (const auto& [name, digest] : c.tables)
    out << name << ": " << digest.first << " rows, digest " << digest.second << "; ";
  return out;
}

Contents ReadContents(const std::string& db_path) {
  SqliteFile db(db_path);
  Contents c;
  c.tables["accounts"] = db.Digest(
      "SELECT name, requests, created_at, first_ts, last_ts FROM accounts ORDER BY name");
  c.tables["values"] = db.Digest(
      "SELECT k.name, v.value, v.account_count FROM signal_values v JOIN kinds k "
      "ON k.id = v.kind_id ORDER BY 1, 2");
  c.tables["observations"] = db.Digest(
      "SELECT a.name, k.name, v.value, o.count, o.first_ts, o.last_ts FROM observations o "
      "JOIN accounts a ON a.id = o.account_id JOIN signal_values v ON v.id = o.value_id "
      "JOIN kinds k ON k.id = v.kind_id ORDER BY 1, 2, 3");
  c.tables["sources"] = db.Digest(
      "SELECT path, sha256, size, format, rows_read, rows_ingested, rows_rejected FROM sources "
      "ORDER BY path");
  c.tables["rejects"] = db.Digest(
      "SELECT s.path, r.line, r.field, r.reason FROM rejects r JOIN sources s "
      "ON s.id = r.source_id ORDER BY 1, 2");
  c.tables["attributes"] = db.Digest(
      "SELECT a.name, t.key, t.value FROM account_attributes t JOIN accounts a "
      "ON a.id = t.account_id ORDER BY 1, 2");
  return c;
}

// What one file contributes on its own, from an ingest of it alone.
struct FileShare {
  std::string sources_row;  // path, sha256, format, rows read/ingested/rejected
  std::int64_t requests = 0;
  std::int64_t observation_count = 0;  // sum of observations.count
  std::int64_t rejects = 0;
};

constexpr const char* kSourceRowSql =
    "SELECT path || '|' || sha256 || '|' || format || '|' || rows_read || '|' || "
    "rows_ingested || '|' || rows_rejected FROM sources";

class CrashSafety : public ::testing::Test {
 protected:
  void SetUp() override {
    files_ = testing::MakeMultiFileInput(dir_, 3, kRequestFiles, kLinesPerRequestFile);
    ASSERT_FALSE(files_.empty()) << "ringscope gen failed";
  }

  std::vector<std::string> IngestArgs(const std::string& db) const {
    std::vector<std::string> args{"--db", db, "-q", "ingest", "--no-progress"};
    args.insert(args.end(), files_.begin(), files_.end());
    return args;
  }
  int RunToEnd(const std::vector<std::string>& args) {
    Process p(RINGSCOPE_BINARY, args, dir_.File("out.txt"), dir_.File("err.txt"));
    return ExitCode(p.Wait());
  }
  std::string Errors() { return testing::ReadFile(dir_.File("err.txt")); }
  static void RemoveDatabase(const std::string& db) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
      std::filesystem::remove(db + suffix);
  }
  // Delays spread evenly over [0, duration), one random point per stratum.
  static std::vector<double> KillSchedule(int kills, double duration, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<double> delays;
    for (int i = 0; i < kills; ++i) delays.push_back(duration * (i + u(rng)) / kills);
    std::shuffle(delays.begin(), delays.end(), rng);
    return delays;
  }
  // Starts `args`, kills it after `delay` seconds; true when it was still running.
  bool KillAfter(const std::vector<std::string>& args, double delay) {
    Process p(RINGSCOPE_BINARY, args, dir_.File("out.txt"), dir_.File("err.txt"));
    std::this_thread::sleep_for(std::chrono::duration<double>(delay));
    const bool running = !p.Done();
    p.Kill();
    const int status = p.Wait();
    if (running) return ExitCode(status) == -SIGKILL;
    EXPECT_EQ(ExitCode(status), 0) << Errors();
    return false;
  }

  TempDir dir_;
  std::vector<std::string> files_;
};

// Every source present is counted in full and as it counts alone; the
// database's totals are the sum of the present sources' shares.
void ExpectWholeSources(const std::string& db_path, const std::map<std::string, FileShare>& shares) {
  SqliteFile db(db_path);
  ASSERT_EQ(db.Text("PRAGMA integrity_check"), "ok");
  // Killed before the schema was committed: an empty database, every source absent.
  if (db.Int("SELECT COUNT(*) FROM sqlite_master") == 0) return;
  ASSERT_EQ(db.Int("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sources'"), 1)
      << "a schema without its sources table";
  FileShare total;
  for (const auto& row : db.Rows(kSourceRowSql)) {
    const std::string& source = row[0];
    const std::string path = source.substr(0, source.find('|'));
    ASSERT_TRUE(shares.count(path)) << "unknown source " << source;
    const FileShare& share = shares.at(path);
    EXPECT_EQ(source, share.sources_row);
    total.requests += share.requests;
    total.observation_count += share.observation_count;
    total.rejects += share.rejects;
  }
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM sources WHERE rows_read != rows_ingested + rows_rejected"), 0);
  EXPECT_EQ(db.Int("SELECT TOTAL(requests) FROM accounts"), total.requests);
  EXPECT_EQ(db.Int("SELECT TOTAL(count) FROM observations"), total.observation_count);
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM rejects"), total.rejects);
  // A value's degree is its number of observations.
  EXPECT_EQ(db.Int("SELECT TOTAL(account_count) FROM signal_values"),
            db.Int("SELECT COUNT(*) FROM observations"));
}

TEST_F(CrashSafety, KilledIngestLeavesWholeSourcesAndARerunCompletesIt) {
  const auto test_start = std::chrono::steady_clock::now();
  // Each file's share, from an ingest of it alone.
  std::map<std::string, FileShare> shares;
  for (const std::string& file : files_) {
    const std::string db_path = dir_.File("alone.db");
    RemoveDatabase(db_path);
    ASSERT_EQ(RunToEnd({"--db", db_path, "-q", "ingest", "--no-progress", file}), 0) << Errors();
    SqliteFile db(db_path);
    FileShare& share = shares[file];
    share.sources_row = db.Text(kSourceRowSql);
    share.requests = db.Int("SELECT TOTAL(requests) FROM accounts");
    share.observation_count = db.Int("SELECT TOTAL(count) FROM observations");
    share.rejects = db.Int("SELECT COUNT(*) FROM rejects");
  }
  EXPECT_EQ(shares.at(files_[1]).rejects, 2);

  // The uninterrupted reference, and how long it takes: the shorter of two
  // runs, as other tests may be loading the machine.
  const std::string reference_db = dir_.File("reference.db");
  double duration = 1e9;
  for (int run = 0; run < 2; ++run) {
    RemoveDatabase(reference_db);
    const auto start = std::chrono::steady_clock::now();
    ASSERT_EQ(RunToEnd(IngestArgs(reference_db)), 0) << Errors();
    duration = std::min(duration, SecondsSince(start));
  }
  const Contents reference = ReadContents(reference_db);
  ASSERT_EQ(reference.tables.at("sources").first, files_.size());
  ExpectWholeSources(reference_db, shares);

  const std::string db_path = dir_.File("crash.db");
  int interrupted = 0;
  for (double delay : KillSchedule(kIngestKills, duration, 20260201)) {
    SCOPED_TRACE("killed after " + std::to_string(delay) + " s of " + std::to_string(duration));
    RemoveDatabase(db_path);
    interrupted += KillAfter(IngestArgs(db_path), delay);
    if (std::filesystem::exists(db_path)) ExpectWholeSources(db_path, shares);
    ASSERT_EQ(RunToEnd(IngestArgs(db_path)), 0) << Errors();
    EXPECT_EQ(ReadContents(db_path), reference);
  }
  // The schedule must actually interrupt ingests, not only watch them finish
  // (loose: the load of a shared machine changes how long an ingest takes).
  EXPECT_GE(interrupted, kIngestKills / 4) << "ingest took " << duration << " s";
  std::printf("[ crash    ] %d of %d ingests interrupted (uninterrupted: %.2f s); test %.1f s\n",
              interrupted, kIngestKills, duration, SecondsSince(test_start));
}

// The clusters of the latest complete run as sorted member lists (ids aside).
std::vector<std::vector<std::string>> LatestPartition(SqliteFile& db) {
  std::map<std::string, std::vector<std::string>> clusters;
  for (const auto& row : db.Rows(
           "SELECT m.cluster_id, a.name FROM cluster_members m JOIN accounts a "
           "ON a.id = m.account_id WHERE m.run_id = (SELECT MAX(id) FROM runs WHERE status = "
           "'complete') ORDER BY 1, 2"))
    clusters[row[0]].push_back(row[1]);
  std::vector<std::vector<std::string>> partition;
  for (auto& [id, members] : clusters) partition.push_back(std::move(members));
  std::sort(partition.begin(), partition.end());
  return partition;
}

void ExpectOnlyCompleteRunsHaveClusters(const std::string& db_path) {
  SqliteFile db(db_path);
  ASSERT_EQ(db.Text("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM clusters c LEFT JOIN runs r ON r.id = c.run_id "
                   "WHERE r.id IS NULL OR r.status != 'complete'"),
            0);
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM cluster_members m LEFT JOIN runs r ON r.id = m.run_id "
                   "WHERE r.id IS NULL OR r.status != 'complete'"),
            0);
  // Every run's clusters hold exactly its members.
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM runs r WHERE (SELECT TOTAL(size) FROM clusters "
                   "WHERE run_id = r.id) != (SELECT COUNT(*) FROM cluster_members "
                   "WHERE run_id = r.id)"),
            0);
  EXPECT_TRUE(db.Rows("PRAGMA foreign_key_check").empty());
}

TEST_F(CrashSafety, KilledAnalyzeLeavesOnlyCompleteRunsAndARerunWorks) {
  const auto test_start = std::chrono::steady_clock::now();
  const std::string db_path = dir_.File("analyze.db");
  ASSERT_EQ(RunToEnd(IngestArgs(db_path)), 0) << Errors();
  const std::vector<std::string> analyze{"--db", db_path, "-q", "analyze"};
  double duration = 1e9;  // the shorter of two runs
  for (int run = 0; run < 2; ++run) {
    const auto start = std::chrono::steady_clock::now();
    ASSERT_EQ(RunToEnd(analyze), 0) << Errors();
    duration = std::min(duration, SecondsSince(start));
  }
  std::vector<std::vector<std::string>> reference;
  {
    SqliteFile db(db_path);
    reference = LatestPartition(db);
  }
  ASSERT_FALSE(reference.empty());

  int interrupted = 0;
  for (double delay : KillSchedule(kAnalyzeKills, duration, 42)) {
    SCOPED_TRACE("killed after " + std::to_string(delay) + " s of " + std::to_string(duration));
    interrupted += KillAfter(analyze, delay);
    ExpectOnlyCompleteRunsHaveClusters(db_path);
    ASSERT_EQ(RunToEnd({"--db", db_path, "-q", "export", "clusters", "-o", dir_.File("c.csv")}), 0)
        << Errors();
    ASSERT_EQ(RunToEnd(analyze), 0) << Errors();
    SqliteFile db(db_path);
    EXPECT_EQ(LatestPartition(db), reference);
  }
  ExpectOnlyCompleteRunsHaveClusters(db_path);
  EXPECT_GE(interrupted, kAnalyzeKills / 4) << "analyze took " << duration << " s";
  std::printf("[ crash    ] %d of %d analyze runs interrupted (uninterrupted: %.2f s); test %.1f s\n",
              interrupted, kAnalyzeKills, duration, SecondsSince(test_start));
}

}  // namespace
}  // namespace ringscope
