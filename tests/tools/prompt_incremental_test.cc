// Prompt clusters end to end (issue 5): slot-varied templates sent by
// different accounts become one prompt cluster in `analyze`; templates
// ingested later join the existing cluster, whose id (its representative
// template) stays the same; an unrelated prompt stays alone.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "db/sqlite.h"
#include "test_util.h"

namespace ringscope {
namespace {

using testing::RunCommand;
using testing::TempDir;

const std::vector<std::string> kTopics = {
    "photosynthesis", "tidal locking",   "the krebs cycle", "plate tectonics",
    "the doppler effect", "public key cryptography", "gradient descent", "the immune response"};

std::string Family(const std::string& topic) {
  return "You are a world-class expert tutor. Explain step by step, showing all of your "
         "reasoning, how " + topic + " works. Then list 5 key facts as JSON with the fields "
         "name and detail, and finish with one exam question.";
}

// One request per (account, prompt), same second: only the prompts matter here.
void WriteLog(const std::string& path, int first_account, int accounts, std::size_t first_topic,
              std::size_t topics, const std::string& extra_prompt) {
  std::ofstream out(path);
  for (int a = first_account; a < first_account + accounts; ++a) {
    for (std::size_t t = first_topic; t < first_topic + topics; ++t) {
      out << R"({"account":"acct_)" << a << R"(","ts":"2026-02-01T00:00:00Z","prompt":")"
          << Family(kTopics[t % kTopics.size()]) << "\"}\n";
    }
  }
  if (!extra_prompt.empty())
    out << R"({"account":"acct_loner","ts":"2026-02-01T00:00:00Z","prompt":")" << extra_prompt
        << "\"}\n";
}

// signal value text -> its prompt cluster's representative text.
std::map<std::string, std::string> PromptClusters(const std::string& db_path) {
  Database db(db_path);
  Statement s(db,
              "SELECT v.value, r.value FROM prompt_clusters c "
              "JOIN signal_values v ON v.id = c.value_id "
              "JOIN signal_values r ON r.id = c.cluster_value_id");
  std::map<std::string, std::string> clusters;
  while (s.Step()) clusters[s.ColumnText(0)] = s.ColumnText(1);
  return clusters;
}

TEST(PromptClustersEndToEnd, LaterTemplatesJoinTheExistingClusterWithItsId) {
  TempDir dir;
  const std::string db = dir.File("p.db");
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db, "-q"});
    return RunCommand(RINGSCOPE_BINARY, args, dir);
  };
  WriteLog(dir.File("a.jsonl"), 0, 6, 0, 4, "what is a good name for a golden retriever puppy?");
  ASSERT_EQ(run({"ingest", "--no-progress", dir.File("a.jsonl")}).exit_code, 0);
  ASSERT_EQ(run({"analyze"}).exit_code, 0);
  const std::map<std::string, std::string> first = PromptClusters(db);
  ASSERT_EQ(first.size(), 5u);  // 4 slot variants + the loner
  std::string family_id;
  std::size_t alone = 0;
  for (const auto& [value, cluster] : first) {
    if (value == cluster) ++alone;
  }
  // The family is one cluster (named by one of its templates), the loner its own.
  std::map<std::string, int> sizes;
  for (const auto& [value, cluster] : first) ++sizes[cluster];
  ASSERT_EQ(sizes.size(), 2u);
  for (const auto& [cluster, size] : sizes)
    if (size == 4) family_id = cluster;
  ASSERT_FALSE(family_id.empty());
  EXPECT_EQ(alone, 2u);  // the representative and the loner

  // Later: new accounts with new slot fillings of the same family.
  WriteLog(dir.File("b.jsonl"), 100, 3, 4, 4, "");
  ASSERT_EQ(run({"ingest", "--no-progress", dir.File("b.jsonl")}).exit_code, 0);
  ASSERT_EQ(run({"analyze"}).exit_code, 0);
  const std::map<std::string, std::string> second = PromptClusters(db);
  ASSERT_EQ(second.size(), 9u);
  for (const auto& [value, cluster] : first)
    EXPECT_EQ(second.at(value), cluster) << value << " changed cluster";
  int family = 0;
  for (const auto& [value, cluster] : second) family += cluster == family_id;
  EXPECT_EQ(family, 8);  // the 4 new templates joined the old cluster under its id
}

}  // namespace
}  // namespace ringscope
