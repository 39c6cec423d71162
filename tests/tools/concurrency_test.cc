// Readers while a writer works: several processes run `ringscope stats`,
// `ringscope export clusters`, `ringscope account` and `ringscope cluster` over
// and over while `ringscope ingest` of several files, then `ringscope analyze`
// runs, write the same database. No reader may
// fail (no "database is locked", no error at all), and each must see a
// consistent snapshot: counts that reconcile and never go back, and cluster
// listings that are exactly those of one complete run.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "process_util.h"
#include "test_util.h"

namespace ringscope {
namespace {

using testing::ExitCode;
using testing::Process;
using testing::ReadFile;
using testing::SqliteFile;
using testing::TempDir;

constexpr int kReaders = 3;
constexpr const char* kCounters[] = {"accounts", "values",   "observations", "requests",
                                     "sources",  "rows_read", "rejects"};

// What the readers saw, gathered for the checks at the end.
struct Observed {
  std::mutex mutex;
  std::vector<std::string> failures;  // command, exit code and stderr of every failed query
  std::vector<std::string> cluster_listings;
  int stats_queries = 0;
  int export_queries = 0;
  int explore_queries = 0;  // account and cluster
};

class ConcurrentReaders : public ::testing::Test {
 protected:
  // One reader: queries until `stop`, in its own process each time.
  void Reader(int id, bool export_clusters) {
    std::map<std::string, std::int64_t> last;  // counters seen last time
    simdjson::dom::parser parser;
    const std::string out = dir_.File("reader" + std::to_string(id) + ".out");
    const std::string err = dir_.File("reader" + std::to_string(id) + ".err");
    // At least one round of each query, however quick the writer is.
    for (int round = 0; !stop_.load() || round < 4; ++round) {
      std::vector<std::string> args{"--db", db_, "stats", "--format", "json"};
      // During analyze: stats, export clusters, account, cluster in turn.
      const int query = export_clusters ? round % 4 : 0;
      const bool is_export = query == 1;
      if (query == 1) args = {"--db", db_, "export", "clusters", "-o", out};
      if (query == 2) args = {"--db", db_, "account", account_};
      if (query == 3) args = {"--db", db_, "cluster", cluster_, "--run", "1"};
      Process p(RINGSCOPE_BINARY, args, is_export ? dir_.File("r" + std::to_string(id)) : out, err);
      const int code = ExitCode(p.Wait());
      const std::string text = ReadFile(out), errors = ReadFile(err);
      std::lock_guard lock(observed_.mutex);
      if (code != 0 || errors.find("locked") != std::string::npos ||
          errors.find("error") != std::string::npos) {
        observed_.failures.push_back(args[2] + " exit " + std::to_string(code) + ": " + errors);
        continue;
      }
      if (query >= 2) {
        ++observed_.explore_queries;
        continue;
      }
      if (is_export) {
        ++observed_.export_queries;
        observed_.cluster_listings.push_back(text);
        continue;
      }
      ++observed_.stats_queries;
      simdjson::dom::element stats;
      if (parser.parse(text).get(stats)) {
        observed_.failures.push_back("stats printed no JSON: " + text);
        continue;
      }
      std::map<std::string, std::int64_t> now;
      for (const char* counter : kCounters) {
        std::int64_t v = -1;
        if (stats[counter].get_int64().get(v)) observed_.failures.push_back(counter);
        now[counter] = v;
        if (last.count(counter) && v < last[counter])
          observed_.failures.push_back(std::string(counter) + " went back from " +
                                       std::to_string(last[counter]) + " to " +
                                       std::to_string(v));
      }
      std::int64_t ingested = -1, rejected = -1;
      if (stats["rows_ingested"].get_int64().get(ingested) ||
          stats["rows_rejected"].get_int64().get(rejected))
        observed_.failures.push_back("stats without rows_ingested/rows_rejected: " + text);
      if (now["rows_read"] != ingested + rejected || now["rejects"] != rejected)
        observed_.failures.push_back("rows do not reconcile: " + text);
      last = now;
    }
  }

  // Runs `writer` to its end while kReaders readers query; returns its exit code.
  int WhileReading(const std::vector<std::vector<std::string>>& writers, bool export_clusters) {
    stop_ = false;
    std::vector<std::thread> readers;
    for (int i = 0; i < kReaders; ++i)
      readers.emplace_back([this, i, export_clusters] { Reader(i, export_clusters); });
    int code = 0;
    for (const auto& args : writers) {
      Process writer(RINGSCOPE_BINARY, args, dir_.File("writer.out"), dir_.File("writer.err"));
      code = std::max(code, std::abs(ExitCode(writer.Wait())));
    }
    stop_ = true;
    for (std::thread& t : readers) t.join();
    return code;
  }

  TempDir dir_;
  std::string db_ = dir_.File("shared.db");
  std::string account_;  // an account and a cluster of run 1, for `account` and `cluster`
  std::string cluster_;
  std::atomic<bool> stop_{false};
  Observed observed_;
};

TEST_F(ConcurrentReaders, SeeConsistentSnapshotsAndNeverFailWhileIngestAndAnalyzeWrite) {
  const std::vector<std::string> files = testing::MakeMultiFileInput(dir_, 5);
  ASSERT_FALSE(files.empty());
  // The database exists (accounts first) before the readers start.
  ASSERT_EQ(testing::RunCommand(RINGSCOPE_BINARY,
                                {"--db", db_, "-q", "ingest", "--no-progress", files.back()}, dir_)
                .exit_code,
            0);
  std::vector<std::string> ingest{"--db", db_, "-q", "ingest", "--no-progress"};
  ingest.insert(ingest.end(), files.begin(), files.end() - 1);
  ASSERT_EQ(WhileReading({ingest}, false), 0) << ReadFile(dir_.File("writer.err"));

  // Analyze: one run first, so that a listing always exists; then three more
  // (other algorithms, other clusters) while the readers list clusters.
  const std::vector<std::string> analyze{"--db", db_, "-q", "analyze"};
  ASSERT_EQ(testing::RunCommand(RINGSCOPE_BINARY, analyze, dir_).exit_code, 0);
  {
    SqliteFile db(db_);
    auto member = db.Rows("SELECT a.name, m.cluster_id FROM cluster_members m JOIN accounts a "
                          "ON a.id = m.account_id WHERE m.run_id = 1 ORDER BY 1 LIMIT 1");
    ASSERT_EQ(member.size(), 1u);
    account_ = member[0][0];
    cluster_ = member[0][1];
  }
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = analyze;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  ASSERT_EQ(WhileReading({with({"--algorithm", "louvain", "--seed", "7"}),
                          with({"--algorithm", "components", "--min-weight", "1.0"}),
                          with({"--seed", "9"})},
                         true),
            0)
      << ReadFile(dir_.File("writer.err"));

  for (const std::string& failure : observed_.failures) ADD_FAILURE() << failure;
  EXPECT_GE(observed_.stats_queries, 2 * kReaders);
  EXPECT_GE(observed_.export_queries, kReaders);
  EXPECT_GE(observed_.explore_queries, kReaders);

  // Every listing is exactly the listing of one complete run.
  SqliteFile db(db_);
  std::set<std::string> run_listings;
  for (const auto& row : db.Rows("SELECT id FROM runs WHERE status = 'complete'")) {
    testing::RunResult r = testing::RunCommand(
        RINGSCOPE_BINARY, {"--db", db_, "export", "clusters", "--run", row[0]}, dir_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    run_listings.insert(r.out);
  }
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM runs WHERE status = 'complete'"), 4);
  EXPECT_GE(run_listings.size(), 2u);  // the runs differ, so a mixed listing would show
  for (const std::string& listing : observed_.cluster_listings)
    EXPECT_TRUE(run_listings.count(listing)) << "a listing of no single run:\n"
                                             << listing.substr(0, 500);
  std::printf("[ readers  ] %d stats, %d cluster listings, %d account/cluster views while "
              "writing; %zu failures\n",
              observed_.stats_queries, observed_.export_queries, observed_.explore_queries,
              observed_.failures.size());
}

}  // namespace
}  // namespace ringscope
