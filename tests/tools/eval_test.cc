// Black-box tests of `ringscope eval`: the binary runs on small files written
// into a temporary directory, and the JSON numbers are checked against values
// worked out by hand in the comments.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace {

using ringscope::testing::RunCommand;
using ringscope::testing::RunResult;
using ringscope::testing::TempDir;

// The truth used by most tests: campaign c1 = a1..a4, c2 = a5..a6, two
// accounts listed benign (b1, b2).
constexpr const char* kTruth =
    "account,campaign\n"
    "a1,c1\na2,c1\na3,c1\na4,c1\n"
    "a5,c2\na6,c2\n"
    "b1,\nb2,\n";

class EvalCommand : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& content) {
    return dir_.Write(name, content);
  }

  RunResult Run(const std::vector<std::string>& args) {
    return RunCommand(RINGSCOPE_BINARY, args, dir_);
  }

  // Runs eval with --format json, expects success and parses the report.
  simdjson::dom::element RunJson(std::vector<std::string> args) {
    args.insert(args.begin(), "eval");
    args.insert(args.end(), {"--format", "json"});
    RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    json_text_ = r.out;
    simdjson::dom::element doc;
    auto error = parser_.parse(json_text_).get(doc);
    EXPECT_FALSE(error) << "not JSON: " << r.out;
    return doc;
  }

  TempDir dir_;
  simdjson::dom::parser parser_;
  std::string json_text_;
};

double Number(simdjson::dom::element e) {
  double v = -1;
  EXPECT_FALSE(e.get_double().get(v));
  return v;
}

std::int64_t Int(simdjson::dom::element e) {
  std::int64_t v = -1;
  EXPECT_FALSE(e.get_int64().get(v));
  return v;
}

TEST_F(EvalCommand, ScoresBanListAgainstTruthAndHardNegatives) {
  std::string truth = Write("truth.csv", kTruth);
  // Bans a1-a3 (c1), a5 (c2), b1 (benign) and z9 (not in the truth: benign).
  std::string ban = Write("ban.csv",
                          "account,cluster,score,reasons\n"
                          "a1,k1,0.9,\"payment:shared(4);device:shared(2)\"\n"
                          "a2,k1,0.9,x\na3,k1,0.9,x\na5,k2,0.8,x\nb1,k2,0.8,x\nz9,k3,0.7,x\n");
  std::string hard = Write("hard.csv", "account,group\nb1,nat\nb2,nat\nh3,nat\nh4,fw\n");
  auto doc = RunJson({"--truth", truth, "--banlist", ban, "--hard", hard});
  // Universe: a1-a6, b1, b2, z9, h3, h4 = 11 accounts.
  EXPECT_EQ(Int(doc["universe"]), 11);
  EXPECT_EQ(Int(doc["truth"]["fraud_accounts"]), 6);
  EXPECT_EQ(Int(doc["truth"]["benign_listed"]), 2);
  auto bans = doc["bans"];
  EXPECT_EQ(Int(bans["banned"]), 6);
  EXPECT_EQ(Int(bans["true_positives"]), 4);   // a1 a2 a3 a5
  EXPECT_EQ(Int(bans["false_positives"]), 2);  // b1 z9
  EXPECT_EQ(Int(bans["false_negatives"]), 2);  // a4 a6
  EXPECT_EQ(Int(bans["true_negatives"]), 3);   // b2 h3 h4
  EXPECT_NEAR(Number(bans["precision"]), 4.0 / 6.0, 1e-6);
  EXPECT_NEAR(Number(bans["recall"]), 4.0 / 6.0, 1e-6);
  EXPECT_NEAR(Number(bans["f1"]), 4.0 / 6.0, 1e-6);
  // Campaigns sorted by name: c1 3 of 4, c2 1 of 2; neither reaches 90%.
  simdjson::dom::array campaigns;
  ASSERT_FALSE(doc["campaigns"].get_array().get(campaigns));
  ASSERT_EQ(campaigns.size(), 2u);
  EXPECT_EQ(std::string_view(campaigns.at(0)["campaign"]), "c1");
  EXPECT_EQ(Int(campaigns.at(0)["size"]), 4);
  EXPECT_EQ(Int(campaigns.at(0)["recovered"]), 3);
  EXPECT_NEAR(Number(campaigns.at(0)["recall"]), 0.75, 1e-9);
  EXPECT_NEAR(Number(campaigns.at(1)["recall"]), 0.5, 1e-9);
  EXPECT_EQ(Int(doc["campaigns_recovered_90pct"]), 0);
  // Hard negatives: nat = b1 b2 h3 with b1 banned; fw = h4, untouched.
  auto hn = doc["hard_negatives"];
  EXPECT_EQ(Int(hn["accounts"]), 4);
  EXPECT_EQ(Int(hn["banned"]), 1);
  simdjson::dom::array groups;
  ASSERT_FALSE(hn["groups"].get_array().get(groups));
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(std::string_view(groups.at(1)["group"]), "nat");
  EXPECT_EQ(Int(groups.at(1)["size"]), 3);
  EXPECT_EQ(Int(groups.at(1)["banned"]), 1);
  EXPECT_NEAR(Number(groups.at(1)["share"]), 1.0 / 3.0, 1e-6);
  EXPECT_EQ(Int(groups.at(0)["banned"]), 0);
  EXPECT_TRUE(doc["clusters"].is_null());  // a ban list is not a clustering
}

TEST_F(EvalCommand, ReadsTheJsonlBanListLikeTheCsv) {
  std::string truth = Write("truth.csv", kTruth);
  std::string ban = Write("ban.jsonl",
                          "{\"account\":\"a1\",\"cluster\":\"k1\",\"score\":0.9,\"reasons\":\"x\"}\n"
                          "\n"
                          "{\"account\":\"a5\",\"cluster\":7,\"score\":1,\"reasons\":\"y\"}\n"
                          "{\"account\":\"b2\",\"cluster\":\"k2\",\"score\":0.6,\"reasons\":\"z\"}\n");
  auto doc = RunJson({"--truth", truth, "--banlist", ban});
  EXPECT_EQ(Int(doc["bans"]["true_positives"]), 2);
  EXPECT_EQ(Int(doc["bans"]["false_positives"]), 1);
  EXPECT_NEAR(Number(doc["bans"]["precision"]), 2.0 / 3.0, 1e-6);
  EXPECT_NEAR(Number(doc["bans"]["recall"]), 2.0 / 6.0, 1e-6);
  EXPECT_EQ(std::string_view(doc["predictions"]["source"]), "banlist");
}

TEST_F(EvalCommand, AcceptsQuotedReasonsSpanningLines) {
  std::string truth = Write("truth.csv", kTruth);
  std::string ban = Write("ban.csv",
                          "account,cluster,score,reasons\n"
                          "a1,k1,0.9,\"payment:shared(4),\nsecond line \"\"quoted\"\"\"\n"
                          "a2,k1,0.9,x\n");
  auto doc = RunJson({"--truth", truth, "--banlist", ban});
  EXPECT_EQ(Int(doc["bans"]["true_positives"]), 2);
  EXPECT_EQ(Int(doc["bans"]["false_positives"]), 0);
}

TEST_F(EvalCommand, EmptyBanListHasPrecisionOneAndRecallZero) {
  std::string truth = Write("truth.csv", kTruth);
  std::string ban = Write("ban.csv", "account,cluster,score,reasons\n");
  auto doc = RunJson({"--truth", truth, "--banlist", ban});
  EXPECT_EQ(Int(doc["bans"]["banned"]), 0);
  EXPECT_NEAR(Number(doc["bans"]["precision"]), 1.0, 1e-12);
  EXPECT_NEAR(Number(doc["bans"]["recall"]), 0.0, 1e-12);
  EXPECT_NEAR(Number(doc["bans"]["f1"]), 0.0, 1e-12);
}

// Clusters: k1 = a1-a4 (score 0.9), k2 = a5 a6 b1 (score 0.3).
constexpr const char* kClusters =
    "account,cluster,cluster_size,score\n"
    "a1,k1,4,0.9\na2,k1,4,0.9\na3,k1,4,0.9\na4,k1,4,0.9\n"
    "a5,k2,3,0.3\na6,k2,3,0.3\nb1,k2,3,0.3\n";

TEST_F(EvalCommand, ScoresClustersWithAriNmiAndTheMinScoreBanRule) {
  std::string truth = Write("truth.csv", kTruth);
  std::string clusters = Write("clusters.csv", kClusters);
  auto doc = RunJson({"--truth", truth, "--clusters", clusters});
  // Universe for the partition: a1-a6 and b1 (fraud or clustered) = 7.
  // truth {c1 x4, c2 x2, b1 alone} vs found {k1 x4, k2 x3}: A = 6+1 = 7,
  // B = 6+3 = 9, I = 6+1 = 7, N = 21 -> ARI = (7-3)/(8-3) = 0.8. NMI from the
  // pure-Python reference in tests/algorithms/metrics_test.cc: 0.8335222413724916.
  auto c = doc["clusters"];
  EXPECT_EQ(Int(c["universe"]), 7);
  EXPECT_EQ(Int(c["clusters"]), 2);
  EXPECT_EQ(Int(c["clustered_accounts"]), 7);
  EXPECT_NEAR(Number(c["adjusted_rand_index"]), 0.8, 1e-6);
  EXPECT_NEAR(Number(c["normalized_mutual_information"]), 0.8335222413724916, 1e-6);
  // Default --min-score 0.5: only k1 is banned.
  EXPECT_EQ(Int(doc["bans"]["true_positives"]), 4);
  EXPECT_EQ(Int(doc["bans"]["false_positives"]), 0);
  EXPECT_EQ(Int(doc["bans"]["false_negatives"]), 2);
  EXPECT_EQ(Int(doc["campaigns_recovered_90pct"]), 1);
  EXPECT_NEAR(Number(doc["predictions"]["min_score"]), 0.5, 1e-12);

  auto low = RunJson({"--truth", truth, "--clusters", clusters, "--min-score", "0.2"});
  EXPECT_EQ(Int(low["bans"]["true_positives"]), 6);
  EXPECT_EQ(Int(low["bans"]["false_positives"]), 1);  // b1
  EXPECT_EQ(Int(low["campaigns_recovered_90pct"]), 2);
  EXPECT_NEAR(Number(low["clusters"]["adjusted_rand_index"]), 0.8, 1e-6);  // score-independent
}

TEST_F(EvalCommand, OneGiantClusterScoresZero) {
  std::string truth = Write("truth.csv", kTruth);
  std::string clusters = Write("clusters.csv",
                               "account,cluster,cluster_size,score\n"
                               "a1,all,8,1\na2,all,8,1\na3,all,8,1\na4,all,8,1\n"
                               "a5,all,8,1\na6,all,8,1\nb1,all,8,1\nb2,all,8,1\n");
  auto doc = RunJson({"--truth", truth, "--clusters", clusters});
  EXPECT_NEAR(Number(doc["clusters"]["adjusted_rand_index"]), 0.0, 1e-9);
  EXPECT_NEAR(Number(doc["clusters"]["normalized_mutual_information"]), 0.0, 1e-9);
  EXPECT_NEAR(Number(doc["bans"]["recall"]), 1.0, 1e-12);
  EXPECT_NEAR(Number(doc["bans"]["precision"]), 0.75, 1e-6);
}

TEST_F(EvalCommand, WritesAReadableTableAndALongFormCsv) {
  std::string truth = Write("truth.csv", kTruth);
  std::string clusters = Write("clusters.csv", kClusters);
  RunResult table = Run({"eval", "--truth", truth, "--clusters", clusters});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("precision        1.0000"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("1 of 2 campaigns at least 90% recovered"), std::string::npos);
  EXPECT_NE(table.out.find("adjusted Rand index    0.8000"), std::string::npos) << table.out;

  RunResult csv = Run({"eval", "--truth", truth, "--clusters", clusters, "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("section,name,metric,value\n", 0), 0u) << csv.out;
  EXPECT_NE(csv.out.find("\nbans,,precision,1\n"), std::string::npos) << csv.out;
  EXPECT_NE(csv.out.find("\ncampaign,c2,recall,0\n"), std::string::npos) << csv.out;
  EXPECT_NE(csv.out.find("\nclusters,,adjusted_rand_index,0.8\n"), std::string::npos);
}

TEST_F(EvalCommand, UsageErrorsExitWithTwo) {
  std::string truth = Write("truth.csv", kTruth);
  std::string ban = Write("ban.csv", "account,cluster,score,reasons\na1,k1,0.9,x\n");
  std::string clusters = Write("clusters.csv", kClusters);
  EXPECT_EQ(Run({"eval", "--truth", truth, "--banlist", ban, "--clusters", clusters}).exit_code,
            2);
  // --min-score and --run do not apply to a ban list (it already says who is banned).
  EXPECT_EQ(Run({"eval", "--truth", truth, "--banlist", ban, "--min-score", "0.7"}).exit_code, 2);
  EXPECT_EQ(Run({"eval", "--truth", truth, "--banlist", ban, "--run", "1"}).exit_code, 2);
  EXPECT_EQ(Run({"eval", "--truth", truth, "--clusters", clusters, "--run", "1"}).exit_code, 2);
  EXPECT_EQ(Run({"eval", "--banlist", ban}).exit_code, 2);  // --truth is required
  EXPECT_EQ(Run({"eval", "--truth", truth, "--clusters", clusters, "--min-score", "1.5"}).exit_code,
            2);
  EXPECT_EQ(Run({"eval", "--truth", truth, "--banlist", ban, "--format", "xml"}).exit_code, 2);
}

struct BadInput {
  const char* what;
  const char* truth;
  const char* predictions;  // a ban list unless `clusters`
  const char* predictions_name;
  bool clusters;
  const char* message;  // expected in stderr, after the file name
};

TEST_F(EvalCommand, BadDataExitsWithOneNamingFileAndLine) {
  const char* kBan = "account,cluster,score,reasons\na1,k1,0.9,x\n";
  const BadInput cases[] = {
      {"empty truth", "", kBan, "ban.csv", false, "truth.csv is empty"},
      {"wrong truth header", "acct,campaign\na1,c1\n", kBan, "ban.csv", false,
       "truth.csv:1: header is 'acct,campaign', expected 'account,campaign'"},
      {"extra field", "account,campaign\na1,c1\na2,c1,oops\n", kBan, "ban.csv", false,
       "truth.csv:3: 3 fields, expected 2"},
      {"duplicate truth account", "account,campaign\na1,c1\na2,c1\na1,c2\n", kBan, "ban.csv",
       false, "truth.csv:4: account 'a1' is listed again (first on line 2)"},
      {"empty account", "account,campaign\n,c1\n", kBan, "ban.csv", false,
       "truth.csv:2: empty account"},
      {"unclosed quote", "account,campaign\n\"a1,c1\n", kBan, "ban.csv", false,
       "truth.csv:2: end of file inside a quoted field"},
      {"duplicate banned account", kTruth, "account,cluster,score,reasons\na1,k,1,x\na1,k,1,x\n",
       "ban.csv", false, "ban.csv:3: account 'a1' is listed again"},
      {"ban list header", kTruth, "account,score\na1,1\n", "ban.csv", false,
       "ban.csv:1: header is 'account,score', expected 'account,cluster,score,reasons'"},
      {"empty ban list file", kTruth, "", "ban.csv", false, "ban.csv is empty"},
      {"non-numeric score", kTruth, "account,cluster,score,reasons\na1,k,high,x\n", "ban.csv",
       false, "ban.csv:2: score 'high' is not a number"},
      {"invalid JSON line", kTruth, "{\"account\":\"a1\"}\n{\"account\":\n", "ban.jsonl", false,
       "ban.jsonl:2: invalid JSON"},
      {"JSON line without account", kTruth, "{\"acct\":\"a1\"}\n", "ban.jsonl", false,
       "ban.jsonl:1: missing \"account\""},
      {"cluster size", kTruth, "account,cluster,cluster_size,score\na1,k,two,1\n", "cl.csv",
       true, "cl.csv:2: cluster_size 'two' is not a positive integer"},
      {"duplicate clustered account", kTruth,
       "account,cluster,cluster_size,score\na1,k,2,1\na1,j,2,1\n", "cl.csv", true,
       "cl.csv:3: account 'a1' is listed again"},
  };
  for (const BadInput& c : cases) {
    SCOPED_TRACE(c.what);
    std::string truth = Write("truth.csv", c.truth);
    std::string predictions = Write(c.predictions_name, c.predictions);
    RunResult r = Run({"eval", "--truth", truth, c.clusters ? "--clusters" : "--banlist",
                       predictions});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
  }
}

TEST_F(EvalCommand, RejectsAHardNegativeThatTheTruthCallsFraud) {
  std::string truth = Write("truth.csv", kTruth);
  std::string ban = Write("ban.csv", "account,cluster,score,reasons\na1,k1,0.9,x\n");
  std::string hard = Write("hard.csv", "account,group\nb1,nat\na5,nat\n");
  RunResult r = Run({"eval", "--truth", truth, "--banlist", ban, "--hard", hard});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("hard.csv:3: account 'a5' is a hard negative but"), std::string::npos)
      << r.err;
}

TEST_F(EvalCommand, WarnsWhenAClusterDisagreesWithItsDeclaredSize) {
  std::string truth = Write("truth.csv", kTruth);
  std::string clusters = Write("clusters.csv",
                               "account,cluster,cluster_size,score\n"
                               "a1,k1,3,0.9\na2,k1,3,0.9\n");
  RunResult r = Run({"eval", "--truth", truth, "--clusters", clusters, "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;  // a subset of clusters still scores
  EXPECT_NE(r.err.find("1 of 1 clusters disagree"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("cluster 'k1' declares cluster_size 3 but has 2 rows"), std::string::npos)
      << r.err;
}

TEST_F(EvalCommand, WithoutFilesScoresTheDatabaseAndFailsWhenThereIsNone) {
  std::string truth = Write("truth.csv", kTruth);
  const std::string db = dir_.File("absent.db");
  RunResult r = Run({"--db", db, "eval", "--truth", truth});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no database at '" + db + "'"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
  // The help names the third source of predictions.
  RunResult help = Run({"eval", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("the database's latest run"), std::string::npos) << help.out;
}

TEST_F(EvalCommand, MissingOrCompressedFileExitsWithOne) {
  std::string gz = Write("ban.csv.gz", "\x1f\x8b");
  RunResult compressed = Run({"eval", "--truth", Write("truth.csv", kTruth), "--banlist", gz});
  EXPECT_EQ(compressed.exit_code, 1);
  EXPECT_NE(compressed.err.find("is compressed"), std::string::npos) << compressed.err;

  std::string ban = Write("ban.csv", "account,cluster,score,reasons\n");
  RunResult r = Run({"eval", "--truth", dir_.File("absent.csv"), "--banlist", ban});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot open ground-truth file"), std::string::npos) << r.err;
}

}  // namespace
