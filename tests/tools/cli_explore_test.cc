// End-to-end tests of the exploration commands (`account`, `cluster`, `top`,
// `value`, `explain`) on the shared tiny world (tests/tools/tiny_world.h) and
// its planted accounts with known answers:
//   planted_a, planted_b share a raw card number (written differently: only
//     ingest's normalisation makes them equal);
//   planted_b, planted_c share a device;
//   planted_d has a device of its own (linked to nobody);
//   planted_e, planted_f send prompts of one template (digits and case differ).
// The world is built once and shared; these tests only read it.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "db/sqlite.h"
#include "test_util.h"
#include "tiny_world.h"

namespace ringscope {
namespace {

using testing::RunCommand;
using testing::RunResult;
using testing::TempDir;


constexpr const char* kCard = testing::kPlantedCard;

class ExploreCli : public testing::TinyWorldSuite {
 protected:
  RunResult Run(std::vector<std::string> args, const std::string& db = "") {
    args.insert(args.begin(), {"--db", db.empty() ? world_->db : db});
    return RunCommand(RINGSCOPE_BINARY, args, dir_);
  }
  simdjson::dom::element Json(const RunResult& r) {
    EXPECT_EQ(r.exit_code, 0) << r.err;
    parsers_.push_back(std::make_unique<simdjson::dom::parser>());
    simdjson::dom::element doc;
    EXPECT_FALSE(parsers_.back()->parse(r.out).get(doc)) << "not JSON: " << r.out;
    return doc;
  }
  // The member of the run's best cluster with the smallest account id.
  std::pair<std::string, std::string> ClusterMember() {
    Database db(world_->db, {.mode = OpenMode::kReadOnly});
    Statement s(db,
                "SELECT a.name, m.cluster_id FROM cluster_members m JOIN clusters c "
                "ON c.run_id = m.run_id AND c.cluster_id = m.cluster_id JOIN accounts a "
                "ON a.id = m.account_id ORDER BY c.score DESC, c.cluster_id, a.id LIMIT 1");
    EXPECT_TRUE(s.Step());
    return {s.ColumnText(0), s.ColumnText(1)};
  }

  TempDir dir_;
  std::vector<std::unique_ptr<simdjson::dom::parser>> parsers_;
};

std::string Str(simdjson::dom::element e) {
  std::string_view s;
  EXPECT_FALSE(e.get_string().get(s));
  return std::string(s);
}

std::set<std::string> Holders(simdjson::dom::element doc) {
  std::set<std::string> names;
  for (simdjson::dom::element h : doc["holders"].get_array()) names.insert(Str(h["account"]));
  return names;
}

// ---------------------------------------------------------------- value --

TEST_F(ExploreCli, ValueListsExactlyThePlantedAccounts) {
  simdjson::dom::element doc = Json(Run({"value", "payment", kCard, "--format", "json"}));
  EXPECT_EQ(Holders(doc), (std::set<std::string>{"planted_a", "planted_b"}));
  EXPECT_EQ(Str(doc["value"]).rfind("card:", 0), 0u);  // stored hashed, never the number
  EXPECT_EQ(doc["accounts"].get_int64().value(), 2);
  RunResult table = Run({"value", "payment", "6011-5617-4833-8014"});
  EXPECT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("planted_a"), std::string::npos);
  EXPECT_EQ(table.out.find(kCard), std::string::npos);
}

TEST_F(ExploreCli, ValueFingerprintsRawPromptText) {
  simdjson::dom::element doc = Json(Run(
      {"value", "prompt", "SUMMARISE chapter 99 of the Zorblax manual in 1 lines", "--format",
       "json"}));
  EXPECT_EQ(Holders(doc), (std::set<std::string>{"planted_e", "planted_f"}));
  EXPECT_EQ(Str(doc["value"]).rfind("t:", 0), 0u);
  EXPECT_NE(Str(doc["example"]).find("orblax"), std::string::npos);
}

TEST_F(ExploreCli, ValueUnknownOrUnparsableExitsOne) {
  RunResult missing = Run({"value", "payment", "tok_never_seen"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no account used payment 'tok_never_seen'"), std::string::npos)
      << missing.err;
  RunResult bad_ip = Run({"value", "ip", "999.1.1.1"});
  EXPECT_EQ(bad_ip.exit_code, 1);
  EXPECT_NE(bad_ip.err.find("cannot normalise"), std::string::npos) << bad_ip.err;
}

TEST_F(ExploreCli, ValueHashesWithThePiiKeyOfTheDatabase) {
  std::string db = dir_.File("pii.db");
  std::string key = dir_.Write("pii.key", "an-analyst-key-of-32-bytes-long!\n");
  std::filesystem::permissions(key, std::filesystem::perms::owner_read |
                                        std::filesystem::perms::owner_write);
  std::string signals = dir_.Write(
      "pii.csv", "account,kind,value\nx,email,Jane.Doe+promo@Example.org\ny,email,jane.doe@example.org\n");
  RunResult ingest = Run({"ingest", "--no-progress", "--pii-key", key, signals}, db);
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  simdjson::dom::element doc =
      Json(Run({"value", "email", "JANE.DOE@example.org", "--pii-key", key, "--format", "json"}, db));
  EXPECT_EQ(Holders(doc), (std::set<std::string>{"x", "y"}));
  EXPECT_EQ(Str(doc["value"]).rfind("h:", 0), 0u);  // never the address in clear
  RunResult no_key = Run({"value", "email", "jane.doe@example.org"}, db);
  EXPECT_EQ(no_key.exit_code, 1) << no_key.out;
}

// -------------------------------------------------------------- explain --

TEST_F(ExploreCli, ExplainFindsThePlantedSharedCard) {
  simdjson::dom::element doc = Json(Run({"explain", "planted_a", "planted_b", "--format", "json"}));
  EXPECT_TRUE(doc["linked"].get_bool().value());
  simdjson::dom::array path = doc["path"].get_array();
  ASSERT_EQ(path.size(), 1u);
  EXPECT_EQ(Str(path.at(0)["from"]), "planted_a");
  EXPECT_EQ(Str(path.at(0)["to"]), "planted_b");
  simdjson::dom::element first = path.at(0)["evidence"].at(0);
  EXPECT_EQ(Str(first["entry"].at(0)["kind"]), "payment");
  EXPECT_EQ(Str(first["entry"].at(0)["value"]).rfind("card:", 0), 0u);
}

TEST_F(ExploreCli, ExplainChainsTwoHops) {
  RunResult r = Run({"explain", "planted_a", "planted_c"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("2 hop(s)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("payment"), std::string::npos);
  EXPECT_NE(r.out.find("fp-planted-77"), std::string::npos);
}

TEST_F(ExploreCli, ExplainSaysNotLinked) {
  RunResult r = Run({"explain", "planted_a", "planted_d"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("not linked"), std::string::npos) << r.out;
  simdjson::dom::element doc = Json(Run({"explain", "planted_a", "planted_d", "--format", "json"}));
  EXPECT_FALSE(doc["linked"].get_bool().value());
  EXPECT_EQ(doc["path"].get_array().size(), 0u);
}

TEST_F(ExploreCli, ExplainShowsAPromptExampleOfEachAccount) {
  simdjson::dom::element doc = Json(Run({"explain", "planted_e", "planted_f", "--format", "json"}));
  simdjson::dom::element e = doc["path"].at(0)["evidence"].at(0);
  EXPECT_EQ(Str(e["entry"].at(0)["kind"]), "prompt");
  EXPECT_NE(Str(e["example_from"]).find("Zorblax"), std::string::npos);
  EXPECT_NE(Str(e["example_to"]).find("zorblax"), std::string::npos);
}

TEST_F(ExploreCli, ExplainUnknownAccountExitsOne) {
  RunResult r = Run({"explain", "planted_a", "nobody_here"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("account 'nobody_here' is not in the database"), std::string::npos)
      << r.err;
}

// -------------------------------------------------------------- account --

TEST_F(ExploreCli, AccountShowsItsClusterAndLinks) {
  auto [name, cluster] = ClusterMember();
  simdjson::dom::element doc = Json(Run({"account", name, "--format", "json"}));
  EXPECT_EQ(Str(doc["account"]["name"]), name);
  EXPECT_EQ(Str(doc["cluster"]["cluster"]), cluster);
  EXPECT_GT(doc["cluster"]["score"].get_double().value(), 0.0);
  simdjson::dom::array links = doc["links"].get_array();
  ASSERT_GT(links.size(), 0u);
  double previous = 1e300;
  for (simdjson::dom::element l : links) {
    double strength = l["strength"].get_double().value();
    EXPECT_LE(strength, previous);
    previous = strength;
    EXPECT_GT(l["evidence"].get_array().size(), 0u);
  }
  EXPECT_GT(doc["signals"].get_array().size(), 0u);
  RunResult table = Run({"account", name});
  EXPECT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find(cluster), std::string::npos);
  RunResult csv = Run({"account", name, "--format", "csv"});
  EXPECT_NE(csv.out.find("# strongest linked accounts\naccount,strength,cluster,evidence\n"),
            std::string::npos)
      << csv.out;
}

TEST_F(ExploreCli, AccountShowsPlantedEvidence) {
  simdjson::dom::element doc = Json(Run({"account", "planted_b", "--format", "json"}));
  std::set<std::string> linked;
  for (simdjson::dom::element l : doc["links"].get_array()) linked.insert(Str(l["account"]));
  EXPECT_EQ(linked, (std::set<std::string>{"planted_a", "planted_c"}));
}

TEST_F(ExploreCli, AccountUnknownExitsOne) {
  RunResult r = Run({"account", "nobody_here"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("account 'nobody_here' is not in the database"), std::string::npos);
  RunResult run = Run({"account", "planted_a", "--run", "99"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("run 99 does not exist"), std::string::npos) << run.err;
}

// ---------------------------------------------------------- top/cluster --

TEST_F(ExploreCli, TopListsClustersByScore) {
  simdjson::dom::element doc = Json(Run({"top", "--n", "5", "--format", "json"}));
  simdjson::dom::array rows = doc.get_array();
  ASSERT_GT(rows.size(), 0u);
  EXPECT_LE(rows.size(), 5u);
  double previous = 2.0;
  for (simdjson::dom::element row : rows) {
    double score = row["score"].get_double().value();
    EXPECT_LE(score, previous);
    previous = score;
    EXPECT_GE(row["size"].get_int64().value(), 2);
  }
  RunResult csv = Run({"top", "--format", "csv"});
  EXPECT_EQ(csv.out.rfind("cluster,size,score,evidence_classes,reasons\n", 0), 0u) << csv.out;
}

TEST_F(ExploreCli, ClusterShowsItsEvidenceTimelineAndMembers) {
  auto [name, cluster] = ClusterMember();
  simdjson::dom::element doc = Json(Run({"cluster", cluster, "--format", "json"}));
  EXPECT_EQ(Str(doc["cluster"]), cluster);
  const std::int64_t size = doc["size"].get_int64().value();
  EXPECT_GT(doc["kinds"].get_array().size(), 0u);
  EXPECT_GT(doc["values"].get_array().size(), 0u);
  std::int64_t in_timeline = 0;
  for (simdjson::dom::element bin : doc["timeline"].get_array())
    in_timeline += bin["accounts"].get_int64().value();
  EXPECT_GT(in_timeline, 0);
  EXPECT_LE(in_timeline, size);
  bool found = false;
  for (simdjson::dom::element m : doc["members"].get_array()) found |= Str(m["account"]) == name;
  EXPECT_TRUE(found || size > 20) << name;
  RunResult table = Run({"cluster", cluster});
  EXPECT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("#"), std::string::npos);  // the histogram
}

TEST_F(ExploreCli, ClusterUnknownExitsOne) {
  RunResult r = Run({"cluster", "c_9999"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cluster 'c_9999' is not in run"), std::string::npos) << r.err;
}

TEST_F(ExploreCli, TopWithoutARunPointsToAnalyze) {
  std::string db = dir_.File("fresh.db");
  std::string planted = dir_.Write("p.csv", "account,kind,value\nx,device,d1\ny,device,d1\n");
  ASSERT_EQ(Run({"ingest", "--no-progress", planted}, db).exit_code, 0);
  RunResult r = Run({"top"}, db);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("ringscope analyze"), std::string::npos) << r.err;
  // account and explain work before any run, with the default weights.
  EXPECT_EQ(Run({"explain", "x", "y"}, db).exit_code, 0);
  RunResult account = Run({"account", "x"}, db);
  EXPECT_EQ(account.exit_code, 0) << account.err;
  EXPECT_NE(account.out.find("no analysis run yet"), std::string::npos) << account.out;
}

}  // namespace
}  // namespace ringscope
