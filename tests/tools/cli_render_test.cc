// `ringscope render`: the writers on a hand-made picture with hostile names
// (read back with Graphviz's own parser, an XML parser and simdjson), and the
// command on a tiny generated world.
#include "tools/cli_render.h"

#include <graphviz/cgraph.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <memory>
#include <set>
#include <sstream>
#include <string>

#include "tiny_world.h"

namespace ringscope {
namespace {

using testing::RunResult;
using testing::TempDir;

struct GraphCloser {
  void operator()(Agraph_t* g) const { agclose(g); }
};
using GraphPtr = std::unique_ptr<Agraph_t, GraphCloser>;

GraphPtr ReadDot(const std::string& dot) { return GraphPtr(agmemread(dot.c_str())); }

// A label as Graphviz will draw it: the DOT lexer keeps "\\" and "\n" as two
// characters each; labels read them as escapes.
std::string DrawnLabel(const char* attribute) {
  std::string out;
  for (const char* c = attribute; *c != '\0'; ++c) {
    if (*c == '\\' && c[1] == '\\') {
      out += '\\';
      ++c;
    } else if (*c == '\\' && c[1] == 'n') {
      out += '\n';
      ++c;
    } else {
      out += *c;
    }
  }
  return out;
}

RenderGraph HostileGraph() {
  RenderGraph g;
  g.title = "cluster \"c_1\"";
  g.note = "capped\\";
  g.nodes.push_back({.type = RenderNode::Type::kAccount, .name = "a\"b\\c", .kind = {},
                     .requests = 100, .degree = 0, .cluster = "c_1", .highlighted = true});
  g.nodes.push_back({.type = RenderNode::Type::kAccount, .name = "x -- y; z [ ] { } <b>&",
                     .kind = {}, .requests = 0, .degree = 0, .cluster = {}, .highlighted = false});
  g.nodes.push_back({.type = RenderNode::Type::kValue, .name = "line1\nline2\x01\\", .kind = "ip",
                     .requests = 0, .degree = 7, .cluster = {}, .highlighted = false});
  g.nodes.push_back({.type = RenderNode::Type::kValue, .name = "тест ✓", .kind = "payment",
                     .requests = 0, .degree = 2, .cluster = {}, .highlighted = false});
  g.edges = {{0, 2, "ip", 3}, {1, 2, "ip", 1}, {0, 3, "payment", 1}, {1, 3, "payment", 2},
             {0, 1, "link", 1}};
  return g;
}

TEST(RenderWriters, DotQuoteEscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(DotQuote("plain"), "\"plain\"");
  EXPECT_EQ(DotQuote("a\"b"), "\"a\\\"b\"");
  EXPECT_EQ(DotQuote("a\\"), "\"a\\\\\"");  // a trailing backslash cannot eat the quote
  EXPECT_EQ(DotQuote("a\nb"), "\"a\\nb\"");
  EXPECT_EQ(DotQuote(std::string("a\x01", 2)), "\"a\xEF\xBF\xBD\"");
}

TEST(RenderWriters, DotIsReadBackByGraphvizWithEveryNodeAndName) {
  const RenderGraph g = HostileGraph();
  const std::string dot = WriteDot(g);
  GraphPtr parsed = ReadDot(dot);
  ASSERT_TRUE(parsed) << dot;
  EXPECT_EQ(agnnodes(parsed.get()), 4);
  EXPECT_EQ(agnedges(parsed.get()), 5);
  Agnode_t* first = agnode(parsed.get(), const_cast<char*>("n0"), 0);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(DrawnLabel(agget(first, const_cast<char*>("label"))), "a\"b\\c");
  Agnode_t* second = agnode(parsed.get(), const_cast<char*>("n1"), 0);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(DrawnLabel(agget(second, const_cast<char*>("tooltip"))),
            "x -- y; z [ ] { } <b>&\n0 requests");
  Agnode_t* value = agnode(parsed.get(), const_cast<char*>("n2"), 0);
  ASSERT_NE(value, nullptr);
  EXPECT_EQ(std::string(agget(value, const_cast<char*>("fillcolor"))), KindColour("ip"));
}

TEST(RenderWriters, SvgIsLaidOutInProcess) {
  const std::string svg = RenderSvg(WriteDot(HostileGraph()), "dot");
  EXPECT_TRUE(svg.rfind("<?xml", 0) == 0 || svg.rfind("<svg", 0) == 0) << svg.substr(0, 80);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_NE(svg.find("&quot;"), std::string::npos);  // names are escaped by Graphviz
  EXPECT_FALSE(RenderSvg(WriteDot(HostileGraph()), "neato").empty());
  EXPECT_THROW(RenderSvg("graph { a -- ", "dot"), std::runtime_error);
  EXPECT_THROW(RenderSvg(WriteDot(HostileGraph()), "no-such-engine"), std::runtime_error);
}

TEST(RenderWriters, GraphMlAndJsonParseWithTheNodesAndEdges) {
  const RenderGraph g = HostileGraph();
  std::ostringstream xml;
  WriteRenderGraphMl(g, xml);
  boost::property_tree::ptree tree;
  std::istringstream in(xml.str());
  ASSERT_NO_THROW(boost::property_tree::read_xml(in, tree)) << xml.str();
  std::set<std::string> names;
  int edges = 0;
  for (const auto& [tag, child] : tree.get_child("graphml.graph")) {
    if (tag == "edge") ++edges;
    if (tag != "node") continue;
    for (const auto& [data_tag, data] : child)
      if (data_tag == "data" && data.get<std::string>("<xmlattr>.key") == "name")
        names.insert(data.get_value<std::string>());
  }
  EXPECT_EQ(edges, 5);
  EXPECT_EQ(names.size(), 4u);
  EXPECT_TRUE(names.count("x -- y; z [ ] { } <b>&")) << xml.str();
  std::ostringstream json;
  WriteRenderJson(g, json);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_FALSE(parser.parse(json.str()).get(doc)) << json.str();
  EXPECT_EQ(simdjson::dom::array(doc["nodes"]).size(), 4u);
  EXPECT_EQ(simdjson::dom::array(doc["edges"]).size(), 5u);
  EXPECT_EQ(std::string_view(doc["nodes"].at(0)["name"]), "a\"b\\c");
}

// ------------------------------------------------------- on a tiny world --

class RenderCli : public testing::TinyWorldSuite {
 protected:
  // The best-scoring cluster of the latest run (first row of `export clusters`
  // sorted by score is overkill: the ban list's first account's cluster).
  std::string SomeCluster() {
    RunResult r = world_->Run({"export", "clusters", "-q"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::istringstream in(r.out);
    std::string header, row;
    std::getline(in, header);
    std::getline(in, row);
    std::size_t a = row.find(','), b = row.find(',', a + 1);
    return row.substr(a + 1, b - a - 1);
  }

  TempDir dir_;
};

TEST_F(RenderCli, ClusterRendersToEveryFormat) {
  const std::string cluster = SomeCluster();
  ASSERT_EQ(cluster.rfind("c_", 0), 0u) << cluster;
  for (const char* ext : {"dot", "svg", "graphml", "json"}) {
    const std::string path = dir_.File(cluster + "." + ext);
    RunResult r = world_->Run({"render", "cluster", cluster, "-o", path});
    ASSERT_EQ(r.exit_code, 0) << ext << ": " << r.err;
    EXPECT_FALSE(testing::ReadFile(path).empty()) << ext;
  }
  GraphPtr dot = ReadDot(testing::ReadFile(dir_.File(cluster + ".dot")));
  ASSERT_TRUE(dot);
  EXPECT_GE(agnnodes(dot.get()), 3);  // two members and a value they share, at least
  EXPECT_GE(agnedges(dot.get()), 2);
  std::string svg = testing::ReadFile(dir_.File(cluster + ".svg"));
  EXPECT_TRUE(svg.rfind("<?xml", 0) == 0 || svg.rfind("<svg", 0) == 0);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  boost::property_tree::ptree tree;
  ASSERT_NO_THROW(boost::property_tree::read_xml(dir_.File(cluster + ".graphml"), tree));
  EXPECT_EQ(tree.get_child("graphml.graph").count("node"),
            static_cast<std::size_t>(agnnodes(dot.get())));
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_FALSE(parser.load(dir_.File(cluster + ".json")).get(doc));
  EXPECT_EQ(simdjson::dom::array(doc["nodes"]).size(),
            static_cast<std::size_t>(agnnodes(dot.get())));
  // Every member drawn is highlighted and in the cluster; every value is held
  // by two drawn accounts at least.
  std::map<std::string, int> holders;
  for (simdjson::dom::element e : simdjson::dom::array(doc["edges"]))
    ++holders[std::string(std::string_view(e["target"]))];
  for (simdjson::dom::element n : simdjson::dom::array(doc["nodes"])) {
    if (std::string_view(n["type"]) == "account") {
      EXPECT_TRUE(bool(n["highlighted"]));
      EXPECT_EQ(std::string_view(n["cluster"]), cluster);
    } else {
      EXPECT_GE(holders[std::string(std::string_view(n["id"]))], 2);
    }
  }
}

TEST_F(RenderCli, MaxNodesCapsThePictureAndSaysSo) {
  const std::string cluster = SomeCluster();
  RunResult r = world_->Run({"render", "cluster", cluster, "--max-nodes", "4", "--format",
                             "json", "-o", "-"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_FALSE(parser.parse(r.out).get(doc)) << r.out;
  EXPECT_LE(simdjson::dom::array(doc["nodes"]).size(), 4u);
  EXPECT_NE(std::string_view(doc["note"]).find("--max-nodes 4"), std::string_view::npos);
}

TEST_F(RenderCli, AccountNeighbourhoodReachesItsCampaign) {
  const auto& [account, campaign] = *world_->campaign_of.begin();
  const std::string path = dir_.File("account.json");
  RunResult r = world_->Run({"render", "account", account, "--depth", "2", "-o", path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_FALSE(parser.load(path).get(doc));
  int same_campaign = 0, highlighted = 0;
  for (simdjson::dom::element n : simdjson::dom::array(doc["nodes"])) {
    if (std::string_view(n["type"]) != "account") continue;
    const std::string name{std::string_view(n["name"])};
    if (bool(n["highlighted"])) {
      ++highlighted;
      EXPECT_EQ(name, account);
    } else if (world_->campaign_of.count(name) && world_->campaign_of.at(name) == campaign) {
      ++same_campaign;
    }
  }
  EXPECT_EQ(highlighted, 1);
  EXPECT_GE(same_campaign, 1) << "no other account of " << campaign << " near " << account;
  RunResult svg = world_->Run({"render", "account", account, "-o", dir_.File("a.svg")});
  EXPECT_EQ(svg.exit_code, 0) << svg.err;
}

TEST_F(RenderCli, UnknownIdsAndBadOutputsAreReported) {
  RunResult cluster = world_->Run({"render", "cluster", "c_9999", "-o", dir_.File("x.dot")});
  EXPECT_EQ(cluster.exit_code, 1);
  EXPECT_NE(cluster.err.find("c_9999"), std::string::npos) << cluster.err;
  RunResult account = world_->Run({"render", "account", "nobody", "-o", dir_.File("x.dot")});
  EXPECT_EQ(account.exit_code, 1);
  EXPECT_NE(account.err.find("nobody"), std::string::npos) << account.err;
  RunResult format = world_->Run({"render", "cluster", "c_0001", "-o", dir_.File("x.png")});
  EXPECT_EQ(format.exit_code, 2) << format.err;
  RunResult depth = world_->Run({"render", "account", "nobody", "--depth", "9"});
  EXPECT_EQ(depth.exit_code, 2) << depth.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.File("x.dot")));
}

}  // namespace
}  // namespace ringscope
