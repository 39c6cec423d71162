// `ringscope expand` on a tiny generated world: from one campaign member, the
// accounts ranked first belong to its campaign (gen's ground truth); the CSV
// is an analyst list that ingest and the seed list read back.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tiny_world.h"

namespace ringscope {
namespace {

using testing::RunResult;
using testing::TempDir;
using testing::TinyWorld;

// Rows of an `account,note` CSV (the header checked).
std::vector<std::vector<std::string>> ParseList(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  CsvRecordParser parser;
  std::istringstream in(text);
  std::string line;
  std::int64_t number = 0;
  while (std::getline(in, line)) {
    CsvRecordParser::Status status = parser.Feed(line, ++number);
    if (status == CsvRecordParser::Status::kNeedMore) continue;
    EXPECT_EQ(status, CsvRecordParser::Status::kRecord) << "line " << number << ": " << line;
    if (number == 1) {
      EXPECT_EQ(parser.fields(), (std::vector<std::string>{"account", "note"}));
      continue;
    }
    EXPECT_EQ(parser.fields().size(), 2u) << line;
    rows.push_back(parser.fields());
  }
  return rows;
}

class ExpandCli : public testing::TinyWorldSuite {
 protected:
  void SetUp() override {
    TinyWorldSuite::SetUp();
    if (HasFatalFailure()) return;
    // The largest campaign and its first member by name.
    std::map<std::string, std::vector<std::string>> members;
    for (const auto& [account, campaign] : world_->campaign_of) members[campaign].push_back(account);
    for (const auto& [campaign, accounts] : members)
      if (accounts.size() > campaign_members_.size()) {
        campaign_ = campaign;
        campaign_members_ = accounts;
      }
    seed_ = campaign_members_.front();
  }

  TempDir dir_;
  std::string campaign_, seed_;
  std::vector<std::string> campaign_members_;
};

TEST_F(ExpandCli, RanksTheSeedsCampaignFirst) {
  ASSERT_GE(campaign_members_.size(), 6u);
  const std::size_t k = std::min<std::size_t>(20, campaign_members_.size() - 1);
  RunResult r = world_->Run({"expand", "--seeds", seed_, "--top", std::to_string(k), "--format",
                             "csv", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto rows = ParseList(r.out);
  ASSERT_EQ(rows.size(), k) << r.out;
  std::size_t same = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_NE(rows[i][0], seed_) << "the seed is not ranked";
    auto it = world_->campaign_of.find(rows[i][0]);
    bool hit = it != world_->campaign_of.end() && it->second == campaign_;
    same += hit;
    if (i < 5) {
      EXPECT_TRUE(hit) << "rank " << i + 1 << ": " << rows[i][0] << " " << rows[i][1];
    }
    EXPECT_NE(rows[i][1].find("rank " + std::to_string(i + 1) + ";"), std::string::npos);
  }
  EXPECT_GE(same * 10, k * 8) << same << " of the top " << k << " are in " << campaign_;
}

// With the run's hub factors, a seed tied to its campaign mostly by prompt
// families other accounts also use (the phone farm of the tiny world) still
// finds its campaign: every campaign's first member, precision at k >= 0.8.
TEST_F(ExpandCli, ExactHubsRankEveryCampaignFirst) {
  std::map<std::string, std::vector<std::string>> members;
  for (const auto& [account, campaign] : world_->campaign_of) members[campaign].push_back(account);
  for (const auto& [campaign, accounts] : members) {
    if (accounts.size() < 6) continue;
    const std::size_t k = std::min<std::size_t>(20, accounts.size() - 1);
    RunResult r = world_->Run({"expand", "--seeds", accounts.front(), "--top", std::to_string(k),
                               "--format", "csv", "--exact-hubs", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::size_t same = 0;
    for (const auto& row : ParseList(r.out)) {
      auto it = world_->campaign_of.find(row[0]);
      same += it != world_->campaign_of.end() && it->second == campaign;
    }
    EXPECT_GE(same * 10, k * 8) << campaign << ": " << same << " of the top " << k;
  }
}

TEST_F(ExpandCli, ExplainsEachAccountAndIsDeterministic) {
  const std::vector<std::string> args = {"expand", "--seeds", seed_, "--top", "10",
                                         "--format", "json", "--max-accounts", "60", "-q"};
  RunResult a = world_->Run(args);
  RunResult b = world_->Run(args);
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_FALSE(parser.parse(a.out).get(doc)) << a.out;
  double previous = 2;
  for (simdjson::dom::element row : simdjson::dom::array(doc)) {
    double score = row["score"].get_double().value_unsafe();
    EXPECT_GT(score, 0);
    EXPECT_LE(score, previous);  // ranked by score
    previous = score;
    std::string_view reasons = row["reasons"].get_string().value_unsafe();
    EXPECT_TRUE(reasons.starts_with("seed " + seed_) || reasons.starts_with("via ")) << reasons;
    EXPECT_NE(reasons.find("accounts)"), std::string_view::npos) << reasons;
  }
}

TEST_F(ExpandCli, CsvFeedsTheSeedListAndSeedFilesAreRead) {
  // A seeds file in the analyst-list format.
  const std::string seeds = dir_.Write("seeds.csv", "account,note\n" + seed_ + ",reported\n");
  RunResult from_file = world_->Run(
      {"expand", "--seeds", seeds, "--top", "5", "--format", "csv", "--max-accounts", "60"});
  ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
  RunResult from_name = world_->Run(
      {"expand", "--seeds", seed_, "--top", "5", "--format", "csv", "--max-accounts", "60"});
  EXPECT_EQ(from_file.out, from_name.out);
  // The output is a list ingest reads as the seed list; expand then uses it.
  const std::string db = dir_.File("copy.db");
  std::filesystem::copy_file(world_->db, db);
  const std::string list = dir_.Write("more.csv", from_file.out);
  RunResult ingest = testing::RunCommand(
      RINGSCOPE_BINARY, {"--db", db, "ingest", "--list", "seed", "--no-progress", list}, dir_);
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  RunResult stored = testing::RunCommand(
      RINGSCOPE_BINARY,
      {"--db", db, "expand", "--top", "3", "--format", "csv", "--max-accounts", "60"}, dir_);
  ASSERT_EQ(stored.exit_code, 0) << stored.err;
  EXPECT_EQ(ParseList(stored.out).size(), 3u);
  // And export banlist takes it as an allowlist file.
  RunResult ban = testing::RunCommand(
      RINGSCOPE_BINARY, {"--db", db, "export", "banlist", "--allowlist", list}, dir_);
  EXPECT_EQ(ban.exit_code, 0) << ban.err;
  for (const auto& row : ParseList(from_file.out))
    EXPECT_EQ(ban.out.find("\n" + row[0] + ","), std::string::npos) << row[0] << " allowlisted";
}

// The number of the top k accounts of `csv` (an expand list) in `campaign`.
std::size_t InCampaign(const TinyWorld& world, const std::string& csv, const std::string& campaign) {
  std::size_t same = 0;
  for (const auto& row : ParseList(csv)) {
    auto it = world.campaign_of.find(row[0]);
    same += it != world.campaign_of.end() && it->second == campaign;
  }
  return same;
}

// The walk reads the newest run's stored lists; --from-observations, --links
// above the stored 50 and an older run rebuild links from the observations.
// Either way the seed's campaign ranks first, and each row has its evidence.
TEST_F(ExpandCli, StoredListsAndRebuiltLinksBothFindTheCampaign) {
  const std::size_t k = std::min<std::size_t>(20, campaign_members_.size() - 1);
  const std::vector<std::string> base = {"expand", "--seeds", seed_, "--top", std::to_string(k),
                                         "--format", "csv"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  RunResult stored = world_->Run(base);
  RunResult rebuilt = world_->Run(with({"--from-observations"}));
  RunResult wide = world_->Run(with({"--links", "51"}));
  ASSERT_EQ(stored.exit_code, 0) << stored.err;
  ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
  ASSERT_EQ(wide.exit_code, 0) << wide.err;
  EXPECT_NE(stored.err.find("stored links"), std::string::npos) << stored.err;
  EXPECT_NE(rebuilt.err.find("rebuilt from the observations"), std::string::npos) << rebuilt.err;
  EXPECT_NE(wide.err.find("rebuilt from the observations"), std::string::npos) << wide.err;
  for (const RunResult* r : {&stored, &rebuilt}) {
    EXPECT_GE(InCampaign(*world_, r->out, campaign_) * 10, k * 8) << r->out;
    for (const auto& row : ParseList(r->out))  // a shared value named, not only the link
      EXPECT_NE(row[1].find("accounts)"), std::string::npos) << row[1];
  }

  // A second analyze on a copy: run 1 lost its lists, run 2 has them.
  const std::string db = dir_.File("two-runs.db");
  std::filesystem::copy_file(world_->db, db);
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db});
    return testing::RunCommand(RINGSCOPE_BINARY, args, dir_);
  };
  ASSERT_EQ(run({"analyze", "-q"}).exit_code, 0);
  RunResult older = run(with({"--run", "1"}));
  RunResult newest = run(base);
  ASSERT_EQ(older.exit_code, 0) << older.err;
  ASSERT_EQ(newest.exit_code, 0) << newest.err;
  EXPECT_NE(older.err.find("rebuilt from the observations"), std::string::npos) << older.err;
  EXPECT_NE(newest.err.find("run 2's stored links"), std::string::npos) << newest.err;
  EXPECT_EQ(newest.out, stored.out);  // the same seed on the same data: the same ranking
}

TEST_F(ExpandCli, ReportsMissingAndUnknownSeeds) {
  RunResult none = world_->Run({"expand"});
  EXPECT_EQ(none.exit_code, 2) << none.err;
  RunResult unknown = world_->Run({"expand", "--seeds", "nobody-at-all"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("nobody-at-all"), std::string::npos) << unknown.err;
  const std::string bad = dir_.Write("bad.csv", "kind,value\nip,1.2.3.4\n");
  RunResult wrong_list = world_->Run({"expand", "--seeds", bad});
  EXPECT_EQ(wrong_list.exit_code, 1);
  EXPECT_NE(wrong_list.err.find("account[,note]"), std::string::npos) << wrong_list.err;
}

}  // namespace
}  // namespace ringscope
