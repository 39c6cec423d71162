// End-to-end tests of `ringscope analyze`, `export`, `hubs` and `eval` on the
// shared tiny world (tests/tools/tiny_world.h: generated, ingested and
// analysed once); each test works on its own copy of that database, so tests
// do not see each other's runs, exports or lists. They check structure,
// determinism and behaviour (stable ids, allowlists, error paths and exit
// codes), not detection quality: precision and recall thresholds are tested
// elsewhere.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "db/analysis.h"
#include "db/sqlite.h"
#include "db/store.h"
#include "ingest/csv.h"
#include "test_util.h"
#include "tiny_world.h"

namespace ringscope {
namespace {

using testing::RunCommand;
using testing::RunResult;
using testing::TempDir;

// ------------------------------------------------------------- helpers --

struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// Parses RFC 4180 text with ingest's record parser; fails the test on a
// malformed record or a row whose width differs from the header's.
Csv ParseCsv(const std::string& text) {
  Csv csv;
  CsvRecordParser parser;
  std::istringstream in(text);
  std::string line;
  std::int64_t number = 0;
  bool header = true;
  while (std::getline(in, line)) {
    ++number;
    CsvRecordParser::Status status = parser.Feed(line, number);
    if (status == CsvRecordParser::Status::kNeedMore) continue;
    EXPECT_NE(status, CsvRecordParser::Status::kError)
        << "line " << number << ": " << parser.error();
    if (status != CsvRecordParser::Status::kRecord) break;
    if (header) {
      csv.header = parser.fields();
      header = false;
      continue;
    }
    EXPECT_EQ(parser.fields().size(), csv.header.size()) << "line " << number << ": " << line;
    csv.rows.push_back(parser.fields());
  }
  EXPECT_NE(parser.Finish(), CsvRecordParser::Status::kError) << parser.error();
  return csv;
}

std::string Join(const std::vector<std::string>& fields) {
  std::string out;
  for (const std::string& f : fields) out += (out.empty() ? "" : ",") + f;
  return out;
}

std::optional<double> ParseDouble(std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::size_t CountOf(std::string_view text, std::string_view needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

std::int64_t Int(simdjson::dom::element e) {
  std::int64_t v = -1;
  EXPECT_FALSE(e.get_int64().get(v));
  return v;
}

double Number(simdjson::dom::element e) {
  double v = -1;
  EXPECT_FALSE(e.get_double().get(v));
  return v;
}

// A run's members and its stored statistics, read through the db API.
struct StoredRun {
  std::vector<RunMember> members;
  std::string algorithm;
  std::string stats_json;
};

std::optional<std::int64_t> LatestRun(const std::string& db_path) {
  Store store = Store::Open(db_path, StoreOptions{.read_only = true});
  return LatestRunId(store.db());
}

StoredRun LoadRun(const std::string& db_path, std::int64_t run_id) {
  Store store = Store::Open(db_path, StoreOptions{.read_only = true});
  StoredRun run{.members = LoadRunMembers(store.db(), run_id), .algorithm = {}, .stats_json = {}};
  Statement s(store.db(), "SELECT algorithm, stats FROM runs WHERE id = ?");
  s.Bind(1, run_id);
  if (s.Step()) {
    run.algorithm = s.ColumnText(0);
    run.stats_json = s.ColumnText(1);
  }
  return run;
}

std::map<std::string, std::string> ClusterOfAccount(const std::vector<RunMember>& members) {
  std::map<std::string, std::string> cluster_of;
  for (const RunMember& m : members) cluster_of[m.account] = m.cluster_id;
  return cluster_of;
}

// ------------------------------------------------------------- fixture --

class AnalyzeCli : public testing::TinyWorldSuite {
 protected:
  void SetUp() override {
    TinyWorldSuite::SetUp();
    if (HasFatalFailure()) return;
    world_->CopyDb(db_);
  }

  static std::vector<std::string> IngestArgs(const std::string& db, const std::string& files) {
    return {"--db",
            db,
            "ingest",
            "--no-progress",
            files + "/requests.jsonl",
            files + "/signals.csv",
            files + "/accounts.csv"};
  }

  // Runs the binary on this test's database copy.
  RunResult Run(std::vector<std::string> args) { return RunOn(db_, std::move(args)); }
  RunResult RunOn(const std::string& db, std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db});
    return RunCommand(RINGSCOPE_BINARY, args, dir_);
  }

  // A fresh database holding only the world's account table: accounts, but no
  // signal that could link them.
  std::string AccountsOnlyDatabase() {
    std::string db = dir_.File("accounts-only.db");
    RunResult r = RunOn(db, {"ingest", "--no-progress", world_->File("accounts.csv")});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return db;
  }

  // `export banlist` of the latest run, to stdout, parsed.
  Csv BanList(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"export", "banlist"};
    args.insert(args.end(), extra.begin(), extra.end());
    RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return ParseCsv(r.out);
  }

  // A parser per document: a simdjson element lives as long as its parser and
  // dies with its next parse.
  simdjson::dom::element ParseJson(const std::string& text) {
    parsers_.push_back(std::make_unique<simdjson::dom::parser>());
    simdjson::dom::element doc;
    EXPECT_FALSE(parsers_.back()->parse(text).get(doc)) << "not JSON: " << text;
    return doc;
  }

  TempDir dir_;
  std::string db_ = dir_.File("test.db");
  std::vector<std::unique_ptr<simdjson::dom::parser>> parsers_;
};

std::vector<std::string> Accounts(const Csv& csv) {
  std::vector<std::string> accounts;
  for (const auto& row : csv.rows) accounts.push_back(row[0]);
  return accounts;
}

// ------------------------------------------------------------- analyze --

TEST_F(AnalyzeCli, AnalyzeStoresACompleteRunWithConsistentClusters) {
  EXPECT_NE(world_->analyze_out.find("run 1:"), std::string::npos) << world_->analyze_out;
  ASSERT_EQ(LatestRun(db_), 1);
  StoredRun run = LoadRun(db_, 1);
  EXPECT_EQ(run.algorithm, "leiden");
  ASSERT_FALSE(run.members.empty());
  std::map<std::string, std::int64_t> rows_of_cluster;
  std::set<std::string> accounts;
  for (const RunMember& m : run.members) {
    EXPECT_TRUE(accounts.insert(m.account).second) << m.account << " is in two clusters";
    EXPECT_EQ(m.cluster_id.size(), 6u) << m.cluster_id;
    EXPECT_EQ(m.cluster_id.rfind("c_", 0), 0u) << m.cluster_id;
    EXPECT_GE(m.cluster_size, 2);
    EXPECT_GE(m.score, 0.0);
    EXPECT_LE(m.score, 1.0);
    ++rows_of_cluster[m.cluster_id];
  }
  for (const RunMember& m : run.members) EXPECT_EQ(rows_of_cluster[m.cluster_id], m.cluster_size);
  // The stored statistics agree with the stored clusters and the database.
  simdjson::dom::element stats = ParseJson(run.stats_json);
  EXPECT_EQ(Int(stats["clusters"]), static_cast<std::int64_t>(rows_of_cluster.size()));
  RunResult db_stats = Run({"stats", "--format", "json"});
  ASSERT_EQ(db_stats.exit_code, 0) << db_stats.err;
  EXPECT_EQ(Int(stats["accounts"]), Int(ParseJson(db_stats.out)["accounts"]));
  EXPECT_GT(Int(stats["links"]), 0);

  // A second analyze with a CSV summary: one row per stored cluster.
  RunResult csv = Run({"analyze", "--format", "csv", "--top", "1000"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  Csv summary = ParseCsv(csv.out);
  EXPECT_EQ(Join(summary.header), "cluster,size,score,ban,reasons");
  EXPECT_EQ(summary.rows.size(), rows_of_cluster.size());
  EXPECT_EQ(LatestRun(db_), 2);
}

TEST_F(AnalyzeCli, ComponentsAndLouvainRunAndAreRecorded) {
  for (const std::string algorithm : {"components", "louvain"}) {
    SCOPED_TRACE(algorithm);
    RunResult r = Run({"analyze", "--algorithm", algorithm});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::optional<std::int64_t> latest = LatestRun(db_);
    ASSERT_TRUE(latest);
    EXPECT_EQ(LoadRun(db_, *latest).algorithm, algorithm);
    Csv ban = BanList();
    EXPECT_EQ(Join(ban.header), "account,cluster,score,reasons");
  }
  EXPECT_EQ(LatestRun(db_), 3);
}

// ------------------------------------------------------------- ban list --

TEST_F(AnalyzeCli, BanListIsSortedUniqueAndExplained) {
  Csv ban = BanList();
  ASSERT_EQ(Join(ban.header), "account,cluster,score,reasons");
  ASSERT_FALSE(ban.rows.empty());
  std::map<std::string, const RunMember*> member;
  StoredRun run = LoadRun(db_, 1);
  for (const RunMember& m : run.members) member[m.account] = &m;
  for (std::size_t i = 0; i < ban.rows.size(); ++i) {
    const auto& row = ban.rows[i];
    SCOPED_TRACE(Join(row));
    if (i > 0) {
      EXPECT_LT(ban.rows[i - 1][0], row[0]) << "not sorted, or listed twice";
    }
    std::optional<double> score = ParseDouble(row[2]);
    ASSERT_TRUE(score);
    EXPECT_GE(*score, 0.5);
    EXPECT_LE(*score, 1.0);
    EXPECT_FALSE(row[3].empty());
    // The row is a stored member of a cluster that meets the ban rule.
    auto it = member.find(row[0]);
    ASSERT_NE(it, member.end());
    EXPECT_EQ(row[1], it->second->cluster_id);
    EXPECT_GE(it->second->evidence_classes, 2);
  }
  // Every member meeting the rule is listed (score >= 0.5, two kinds of evidence).
  std::size_t expected = 0;
  for (const RunMember& m : run.members) expected += m.score >= 0.5 && m.evidence_classes >= 2;
  EXPECT_EQ(ban.rows.size(), expected);

  // JSON lines: the same accounts in the same order.
  RunResult jsonl = Run({"export", "banlist", "--format", "jsonl"});
  ASSERT_EQ(jsonl.exit_code, 0) << jsonl.err;
  std::istringstream lines(jsonl.out);
  std::string line;
  std::vector<std::string> accounts;
  while (std::getline(lines, line)) {
    simdjson::dom::element doc = ParseJson(line);
    accounts.emplace_back(std::string_view(doc["account"]));
    EXPECT_GE(Number(doc["score"]), 0.5);
  }
  EXPECT_EQ(accounts, Accounts(ban));
}

TEST_F(AnalyzeCli, SameSeedGivesAByteIdenticalBanList) {
  // Two fresh databases: one from the suite's world, one from the world
  // generated again with the same seed.
  std::string again = dir_.File("again");
  ASSERT_EQ(
      RunCommand(RINGSCOPE_BINARY, {"gen", "--preset", "tiny", "--seed", "1", "--out", again}, dir_)
          .exit_code,
      0);
  std::vector<std::string> outputs;
  for (const auto& [db, files] :
       {std::pair{dir_.File("a.db"), world_->files}, std::pair{dir_.File("b.db"), again}}) {
    RunResult ingest = RunCommand(RINGSCOPE_BINARY, IngestArgs(db, files), dir_);
    ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
    RunResult analyze = RunOn(db, {"analyze", "--seed", "7"});
    ASSERT_EQ(analyze.exit_code, 0) << analyze.err;
    RunResult ban = RunOn(db, {"export", "banlist"});
    ASSERT_EQ(ban.exit_code, 0) << ban.err;
    RunResult clusters = RunOn(db, {"export", "clusters"});
    ASSERT_EQ(clusters.exit_code, 0) << clusters.err;
    outputs.push_back(ban.out + clusters.out);
  }
  EXPECT_GT(ParseCsv(outputs[0]).rows.size(), 0u);
  EXPECT_EQ(outputs[0], outputs[1]);
}

TEST_F(AnalyzeCli, SecondAnalyzeKeepsClusterIdsAndTheBanList) {
  RunResult first = Run({"export", "banlist", "-o", dir_.File("first.csv")});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  RunResult analyze = Run({"analyze"});
  ASSERT_EQ(analyze.exit_code, 0) << analyze.err;
  ASSERT_EQ(LatestRun(db_), 2);
  StoredRun one = LoadRun(db_, 1), two = LoadRun(db_, 2);
  ASSERT_FALSE(one.members.empty());
  EXPECT_EQ(ClusterOfAccount(one.members), ClusterOfAccount(two.members));

  RunResult second = Run({"export", "banlist", "--since-last", "-o", dir_.File("second.csv")});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.err.find("0 added, 0 removed"), std::string::npos) << second.err;
  EXPECT_EQ(second.out, "account,change\n");  // the changes, none
  EXPECT_EQ(testing::ReadFile(dir_.File("second.csv")), testing::ReadFile(dir_.File("first.csv")));
}

TEST_F(AnalyzeCli, AllowlistLeavesOutExactlyThoseAccounts) {
  Csv all = BanList();
  ASSERT_GE(all.rows.size(), 3u);
  const std::vector<std::string> spared = {all.rows.front()[0], all.rows[all.rows.size() / 2][0],
                                           all.rows.back()[0]};
  std::string allow = dir_.Write("allow.csv", "account,note\n" + spared[0] + ",customer\n" +
                                                  spared[1] + ",\n" + spared[2] + ",vip\n");
  Csv expected = all;
  std::erase_if(expected.rows, [&](const auto& row) {
    return std::find(spared.begin(), spared.end(), row[0]) != spared.end();
  });
  ASSERT_EQ(expected.rows.size(), all.rows.size() - 3);

  RunResult with_file = Run({"export", "banlist", "--allowlist", allow});
  ASSERT_EQ(with_file.exit_code, 0) << with_file.err;
  EXPECT_EQ(ParseCsv(with_file.out).rows, expected.rows);
  EXPECT_NE(with_file.err.find("3 allowlisted left out"), std::string::npos) << with_file.err;

  // The same list ingested as the stored allowlist has the same effect.
  RunResult ingest = Run({"ingest", "--no-progress", "--list", "allow", allow});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  EXPECT_EQ(BanList().rows, expected.rows);

  // eval on the run leaves out the stored allowlist too, as export does.
  RunResult eval = Run({"eval", "--truth", world_->File("truth.csv"), "--format", "json"});
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  simdjson::dom::element report = ParseJson(eval.out);
  EXPECT_EQ(Int(report["predictions"]["allowlisted"]), 3);
  EXPECT_EQ(Int(report["bans"]["banned"]), static_cast<std::int64_t>(expected.rows.size()));
}

TEST_F(AnalyzeCli, AllowlistNamingAnUnknownAccountWarnsButWorks) {
  Csv all = BanList();
  ASSERT_FALSE(all.rows.empty());
  std::string allow =
      dir_.Write("allow.csv", "account\nacct_not_in_the_db\n" + all.rows.front()[0] + "\n");
  RunResult r = Run({"export", "banlist", "--allowlist", allow});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("not in the database"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("acct_not_in_the_db"), std::string::npos) << r.err;
  all.rows.erase(all.rows.begin());
  EXPECT_EQ(ParseCsv(r.out).rows, all.rows);
}

// ------------------------------------------------------- other exports --

TEST_F(AnalyzeCli, ClustersExportMatchesItsClusterSizes) {
  RunResult r = Run({"export", "clusters"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Csv clusters = ParseCsv(r.out);
  ASSERT_EQ(Join(clusters.header), "account,cluster,cluster_size,score");
  ASSERT_FALSE(clusters.rows.empty());
  std::map<std::string, std::int64_t> rows_of;
  std::map<std::string, std::pair<std::string, std::string>> declared;  // size, score
  std::map<std::string, std::string> cluster_of;
  for (const auto& row : clusters.rows) {
    SCOPED_TRACE(Join(row));
    EXPECT_TRUE(cluster_of.emplace(row[0], row[1]).second) << "account listed twice";
    ++rows_of[row[1]];
    auto [it, first] = declared.try_emplace(row[1], row[2], row[3]);
    if (!first) {
      EXPECT_EQ(it->second, std::pair(row[2], row[3])) << "rows of one cluster differ";
    }
    std::optional<double> score = ParseDouble(row[3]);
    ASSERT_TRUE(score);
    EXPECT_GE(*score, 0.0);
    EXPECT_LE(*score, 1.0);
  }
  for (const auto& [cluster, rows] : rows_of) {
    EXPECT_GE(rows, 2) << cluster;
    EXPECT_EQ(std::to_string(rows), declared[cluster].first) << cluster;
  }
  // Every banned account is clustered, in the same cluster, with the same score.
  for (const auto& row : BanList().rows) {
    ASSERT_EQ(cluster_of.count(row[0]), 1u) << row[0];
    EXPECT_EQ(cluster_of[row[0]], row[1]);
    EXPECT_EQ(declared[row[1]].second, row[2]);
  }
}

TEST_F(AnalyzeCli, EdgesListEachLinkOnceWithAPositiveWeight) {
  RunResult r = Run({"export", "edges", "-o", dir_.File("edges.csv")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Csv edges = ParseCsv(testing::ReadFile(dir_.File("edges.csv")));
  ASSERT_EQ(Join(edges.header), "src,dst,kind,weight");
  ASSERT_FALSE(edges.rows.empty());
  std::set<std::pair<std::string, std::string>> links;
  std::set<std::string> linked;
  for (const auto& row : edges.rows) {
    SCOPED_TRACE(Join(row));
    EXPECT_NE(row[0], row[1]);
    EXPECT_TRUE(links.insert(std::minmax(row[0], row[1])).second) << "link listed twice";
    EXPECT_FALSE(row[2].empty());
    std::optional<double> weight = ParseDouble(row[3]);
    ASSERT_TRUE(weight);
    EXPECT_TRUE(std::isfinite(*weight));
    EXPECT_GT(*weight, 0.0);
    linked.insert(row[0]);
    linked.insert(row[1]);
  }
  // The run's statistics count the same links, and every clustered account
  // has at least one.
  StoredRun run = LoadRun(db_, 1);
  EXPECT_EQ(static_cast<std::int64_t>(edges.rows.size()), Int(ParseJson(run.stats_json)["links"]));
  for (const RunMember& m : run.members) EXPECT_EQ(linked.count(m.account), 1u) << m.account;
}

// A GraphML document parsed as XML, and its <node> and <edge> elements
// (pointing into the tree, so the struct stays where it was filled).
struct GraphMl {
  boost::property_tree::ptree tree;
  std::vector<const boost::property_tree::ptree*> nodes, edges;
  GraphMl() = default;
  GraphMl(const GraphMl&) = delete;
  GraphMl& operator=(const GraphMl&) = delete;
};

void ParseGraphMl(const std::string& text, GraphMl& graph) {
  namespace pt = boost::property_tree;
  std::istringstream in(text);
  try {
    pt::read_xml(in, graph.tree);
  } catch (const pt::xml_parser_error& e) {
    ADD_FAILURE() << "not well-formed XML: " << e.what();
    return;
  }
  auto graph_element = graph.tree.get_child_optional("graphml.graph");
  if (!graph_element) {
    ADD_FAILURE() << "no <graphml><graph> element";
    return;
  }
  for (const auto& [name, child] : *graph_element) {
    if (name == "node") graph.nodes.push_back(&child);
    if (name == "edge") graph.edges.push_back(&child);
  }
}

// The value of <data key="key"> inside a node or edge.
std::string DataOf(const boost::property_tree::ptree& element, const std::string& key) {
  for (const auto& [name, child] : element) {
    if (name == "data" && child.get("<xmlattr>.key", "") == key) return child.data();
  }
  return "";
}

TEST_F(AnalyzeCli, GraphMlIsWellFormedAndRestrictsToACluster) {
  RunResult whole = Run({"export", "graphml"});
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  EXPECT_EQ(whole.out.rfind("<?xml", 0), 0u);
  EXPECT_NE(whole.out.find("</graph>\n</graphml>\n"), std::string::npos);
  EXPECT_EQ(CountOf(whole.out, "<node "), CountOf(whole.out, "</node>"));
  EXPECT_EQ(CountOf(whole.out, "<edge "), CountOf(whole.out, "</edge>"));
  GraphMl graph;
  ParseGraphMl(whole.out, graph);
  EXPECT_EQ(graph.nodes.size(), CountOf(whole.out, "<node "));
  StoredRun run = LoadRun(db_, 1);
  EXPECT_EQ(static_cast<std::int64_t>(graph.edges.size()), Int(ParseJson(run.stats_json)["links"]));
  std::set<std::string> ids;
  for (const auto* node : graph.nodes) {
    EXPECT_TRUE(ids.insert(node->get("<xmlattr>.id", "")).second) << "node id repeated";
    EXPECT_FALSE(DataOf(*node, "name").empty());
  }
  for (const auto* edge : graph.edges) {
    EXPECT_EQ(ids.count(edge->get("<xmlattr>.source", "")), 1u);
    EXPECT_EQ(ids.count(edge->get("<xmlattr>.target", "")), 1u);
  }

  // One cluster: exactly its members, and links among them only.
  ASSERT_FALSE(run.members.empty());
  const RunMember& first = run.members.front();
  RunResult one = Run({"export", "graphml", "--cluster", first.cluster_id});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  GraphMl cluster;
  ParseGraphMl(one.out, cluster);
  EXPECT_EQ(static_cast<std::int64_t>(cluster.nodes.size()), first.cluster_size);
  std::set<std::string> names, members, cluster_ids;
  for (const auto* node : cluster.nodes) {
    EXPECT_EQ(DataOf(*node, "cluster"), first.cluster_id);
    names.insert(DataOf(*node, "name"));
    cluster_ids.insert(node->get("<xmlattr>.id", ""));
  }
  for (const RunMember& m : run.members) {
    if (m.cluster_id == first.cluster_id) members.insert(m.account);
  }
  EXPECT_EQ(names, members);
  EXPECT_FALSE(cluster.edges.empty());
  for (const auto* edge : cluster.edges) {
    EXPECT_EQ(cluster_ids.count(edge->get("<xmlattr>.source", "")), 1u);
    EXPECT_EQ(cluster_ids.count(edge->get("<xmlattr>.target", "")), 1u);
  }

  RunResult unknown = Run({"export", "graphml", "--cluster", "c_9999"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("c_9999"), std::string::npos) << unknown.err;
  EXPECT_EQ(unknown.out, "");
}

// ------------------------------------------------------------------ hubs --

TEST_F(AnalyzeCli, HubsReportADecisionForEachSharedValue) {
  RunResult r = Run({"hubs", "--format", "csv", "--top", "1000000"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Csv hubs = ParseCsv(r.out);
  ASSERT_EQ(Join(hubs.header), "kind,value,accounts,decision,factor,reason");
  ASSERT_FALSE(hubs.rows.empty());
  std::map<std::string, std::size_t> decisions;
  std::optional<double> previous;
  for (const auto& row : hubs.rows) {
    SCOPED_TRACE(Join(row));
    ++decisions[row[3]];
    std::optional<double> accounts = ParseDouble(row[2]);
    ASSERT_TRUE(accounts);
    if (previous) {
      EXPECT_LE(*accounts, *previous) << "not sorted by accounts, descending";
    }
    previous = accounts;
    std::optional<double> factor = ParseDouble(row[4]);
    ASSERT_TRUE(factor);
    EXPECT_GE(*factor, 0.0);
    EXPECT_FALSE(row[5].empty());
  }
  for (const auto& [decision, count] : decisions) {
    EXPECT_TRUE(decision == "kept" || decision == "demoted" || decision == "dropped") << decision;
  }
  // --decision filters to one decision and keeps all of them.
  RunResult demoted = Run({"hubs", "--format", "csv", "--top", "1000000", "--decision", "demoted"});
  ASSERT_EQ(demoted.exit_code, 0) << demoted.err;
  Csv only = ParseCsv(demoted.out);
  EXPECT_EQ(only.rows.size(), decisions["demoted"]);
  for (const auto& row : only.rows) EXPECT_EQ(row[3], "demoted");
}

// ------------------------------------------------------------------ eval --

TEST_F(AnalyzeCli, EvalScoresTheLatestRunLikeItsBanList) {
  const std::string truth = world_->File("truth.csv"), hard = world_->File("hard_negatives.csv");
  RunResult r = Run({"eval", "--truth", truth, "--hard", hard, "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::element run = ParseJson(r.out);
  EXPECT_EQ(std::string_view(run["predictions"]["source"]), "run");
  EXPECT_EQ(Int(run["predictions"]["run"]), 1);
  EXPECT_EQ(std::string_view(run["predictions"]["path"]), db_);
  EXPECT_GT(Number(run["bans"]["recall"]), 0.0);
  EXPECT_FALSE(run["hard_negatives"].is_null());
  const std::size_t members = LoadRun(db_, 1).members.size();
  EXPECT_EQ(Int(run["predictions"]["accounts"]), static_cast<std::int64_t>(members));
  EXPECT_EQ(Int(run["clusters"]["clustered_accounts"]), static_cast<std::int64_t>(members));

  // The ban list `export banlist` writes scores the same bans.
  ASSERT_EQ(Run({"export", "banlist", "-o", dir_.File("ban.csv")}).exit_code, 0);
  RunResult file = Run({"eval", "--truth", truth, "--hard", hard, "--banlist", dir_.File("ban.csv"),
                        "--format", "json"});
  ASSERT_EQ(file.exit_code, 0) << file.err;
  simdjson::dom::element listed = ParseJson(file.out);
  for (const char* key : {"banned", "true_positives", "false_positives", "false_negatives"}) {
    EXPECT_EQ(Int(run["bans"][key]), Int(listed["bans"][key])) << key;
  }
  EXPECT_EQ(Int(run["hard_negatives"]["banned"]), Int(listed["hard_negatives"]["banned"]));

  // $RINGSCOPE_DB names the database as --db does; --run picks a run.
  RunResult env = RunCommand("/usr/bin/env",
                             {"RINGSCOPE_DB=" + db_, RINGSCOPE_BINARY, "eval", "--truth", truth,
                              "--run", "1", "--format", "json"},
                             dir_);
  ASSERT_EQ(env.exit_code, 0) << env.err;
  EXPECT_EQ(Int(ParseJson(env.out)["bans"]["banned"]), Int(run["bans"]["banned"]));
  RunResult table = Run({"eval", "--truth", truth});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("Predictions: run 1 of " + db_), std::string::npos) << table.out;
}

TEST_F(AnalyzeCli, EvalWithoutADatabaseOrARunFails) {
  const std::string truth = world_->File("truth.csv");
  const std::string missing = dir_.File("missing.db");
  RunResult no_db = RunOn(missing, {"eval", "--truth", truth});
  EXPECT_EQ(no_db.exit_code, 1);
  EXPECT_NE(no_db.err.find("no database"), std::string::npos) << no_db.err;
  EXPECT_FALSE(std::filesystem::exists(missing));

  RunResult no_run = RunOn(AccountsOnlyDatabase(), {"eval", "--truth", truth});
  EXPECT_EQ(no_run.exit_code, 1);
  EXPECT_NE(no_run.err.find("ringscope analyze"), std::string::npos) << no_run.err;

  RunResult bad_run = Run({"eval", "--truth", truth, "--run", "999"});
  EXPECT_EQ(bad_run.exit_code, 1);
  EXPECT_NE(bad_run.err.find("the latest run is 1"), std::string::npos) << bad_run.err;
}

// ----------------------------------------------------------- error paths --

TEST_F(AnalyzeCli, AnalyzeWithoutSignalsSaysToIngestThem) {
  std::string db = AccountsOnlyDatabase();
  RunResult r = RunOn(db, {"analyze"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("ingest"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("signal"), std::string::npos) << r.err;
  EXPECT_FALSE(LatestRun(db).has_value());
}

TEST_F(AnalyzeCli, AnalyzeWithoutADatabaseFailsAndCreatesNone) {
  const std::string missing = dir_.File("missing.db");
  RunResult r = RunOn(missing, {"analyze"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("ringscope ingest"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(missing));
}

TEST_F(AnalyzeCli, ExportWithoutARunFails) {
  std::string db = AccountsOnlyDatabase();
  for (const char* what : {"banlist", "clusters", "edges", "graphml"}) {
    SCOPED_TRACE(what);
    RunResult r = RunOn(db, {"export", what});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("ringscope analyze"), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
  }
}

TEST_F(AnalyzeCli, AnUnknownRunIsRefusedNamingTheLatest) {
  for (const char* what : {"banlist", "clusters", "edges", "graphml"}) {
    SCOPED_TRACE(what);
    RunResult r = Run({"export", what, "--run", "999"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("run 999 does not exist (the latest run is 1)"), std::string::npos)
        << r.err;
  }
}

TEST_F(AnalyzeCli, UsageMistakesExitWithTwoAndStoreNothing) {
  RunResult algorithm = Run({"analyze", "--algorithm", "nope"});
  EXPECT_EQ(algorithm.exit_code, 2);
  EXPECT_NE(algorithm.err.find("nope"), std::string::npos) << algorithm.err;
  RunResult min_size = Run({"analyze", "--min-size", "1"});
  EXPECT_EQ(min_size.exit_code, 2);
  EXPECT_NE(min_size.err.find("--min-size"), std::string::npos) << min_size.err;
  RunResult format = Run({"export", "banlist", "--format", "xml"});
  EXPECT_EQ(format.exit_code, 2);
  EXPECT_NE(format.err.find("xml"), std::string::npos) << format.err;
  EXPECT_EQ(LatestRun(db_), 1);
  // The refused export recorded nothing: the next --since-last has no earlier export.
  RunResult next = Run({"export", "banlist", "--since-last"});
  ASSERT_EQ(next.exit_code, 0) << next.err;
  EXPECT_NE(next.err.find("no earlier ban list export"), std::string::npos) << next.err;
}

}  // namespace
}  // namespace ringscope
