#include "graph/link_graph.h"

#include <gtest/gtest.h>

#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "test_graphs.h"

namespace ringscope {
namespace {

using test_graphs::LoadReferenceGraph;
using test_graphs::RandomEdges;
using test_graphs::TestRng;

// Every arc u->v has exactly one reverse arc v->u with the same weight and
// edge id; a self loop is its own reverse. Rows are sorted by target.
void ExpectSymmetric(const LinkGraph& g) {
  std::size_t loops = 0;
  for (VertexId u = 0; u < g.num_vertices(); ++u) {
    const auto nb = g.Neighbours(u);
    EXPECT_TRUE(std::is_sorted(nb.targets.begin(), nb.targets.end())) << "row " << u;
    for (std::size_t i = 0; i < nb.targets.size(); ++i) {
      const VertexId v = nb.targets[i];
      if (v == u) {
        ++loops;
        continue;
      }
      const auto back = g.Neighbours(v);
      const auto it = std::lower_bound(back.targets.begin(), back.targets.end(), u);
      ASSERT_TRUE(it != back.targets.end() && *it == u) << "missing arc " << v << "->" << u;
      const std::size_t j = static_cast<std::size_t>(it - back.targets.begin());
      EXPECT_EQ(back.weights[j], nb.weights[i]) << u << "-" << v;
      EXPECT_EQ(back.edge_ids[j], nb.edge_ids[i]) << u << "-" << v;
    }
  }
  EXPECT_EQ(g.num_arcs(), 2 * g.num_edges() - loops);
}

TEST(LinkGraph, EmptyGraphHasNoVertexNoEdge) {
  const LinkGraph empty;
  EXPECT_EQ(empty.num_vertices(), 0u);
  EXPECT_EQ(empty.num_edges(), 0u);
  EXPECT_EQ(empty.arc_offsets().size(), 1u);
  const LinkGraph built = BuildLinkGraph(0, {});
  EXPECT_EQ(built.num_vertices(), 0u);
  EXPECT_EQ(built.total_weight(), 0.0);
}

TEST(LinkGraph, IsolatedVerticesHaveNoNeighbour) {
  const std::vector<WeightedEdge> edges = {{1, 2, 1.0}};
  const LinkGraph g = BuildLinkGraph(5, edges);
  EXPECT_EQ(g.num_vertices(), 5u);
  EXPECT_TRUE(g.Neighbours(0).targets.empty());
  EXPECT_TRUE(g.Neighbours(4).targets.empty());
  EXPECT_EQ(g.WeightedDegree(4), 0.0);
}

TEST(LinkGraph, MergesDuplicatePairsBySummingWeights) {
  const std::vector<WeightedEdge> edges = {{2, 1, 0.5}, {1, 0, 1.0}, {0, 1, 2.0}, {1, 2, 0.25}};
  const LinkGraph g = BuildLinkGraph(3, edges);
  ASSERT_EQ(g.num_edges(), 2u);
  EXPECT_EQ(g.edge(0), (WeightedEdge{0, 1, 3.0}));
  EXPECT_EQ(g.edge(1), (WeightedEdge{1, 2, 0.75}));
  EXPECT_DOUBLE_EQ(g.total_weight(), 3.75);
  EXPECT_DOUBLE_EQ(g.WeightedDegree(1), 3.75);
  ExpectSymmetric(g);
}

TEST(LinkGraph, EdgeIdsFollowSortedEndpointOrder) {
  const std::vector<WeightedEdge> edges = {{3, 2, 1.0}, {0, 3, 1.0}, {1, 0, 1.0}, {2, 0, 1.0}};
  const LinkGraph g = BuildLinkGraph(4, edges);
  std::vector<std::pair<VertexId, VertexId>> order;
  for (const WeightedEdge& e : g.edges()) order.emplace_back(e.u, e.v);
  EXPECT_EQ(order, (std::vector<std::pair<VertexId, VertexId>>{{0, 1}, {0, 2}, {0, 3}, {2, 3}}));
  EXPECT_EQ(g.FindEdge(3, 2), std::optional<EdgeId>(3));
  EXPECT_EQ(g.FindEdge(0, 2), std::optional<EdgeId>(1));
  EXPECT_EQ(g.FindEdge(1, 2), std::nullopt);
  EXPECT_EQ(g.FindEdge(1, 99), std::nullopt);
}

TEST(LinkGraph, DropsSelfLoopsUnlessAsked) {
  const std::vector<WeightedEdge> edges = {{0, 0, 2.0}, {0, 1, 1.0}};
  const LinkGraph dropped = BuildLinkGraph(2, edges);
  EXPECT_EQ(dropped.num_edges(), 1u);
  EXPECT_DOUBLE_EQ(dropped.WeightedDegree(0), 1.0);

  const LinkGraph kept = BuildLinkGraph(2, edges, {.keep_self_loops = true});
  ASSERT_EQ(kept.num_edges(), 2u);
  EXPECT_EQ(kept.num_arcs(), 3u);  // the loop is one arc
  EXPECT_DOUBLE_EQ(kept.total_weight(), 3.0);
  EXPECT_DOUBLE_EQ(kept.WeightedDegree(0), 5.0);  // loop counted twice
  EXPECT_DOUBLE_EQ(kept.WeightedDegree(1), 1.0);
  ExpectSymmetric(kept);
}

TEST(LinkGraph, RejectsVertexOutOfRange) {
  const std::vector<WeightedEdge> edges = {{0, 1, 1.0}, {1, 7, 1.0}};
  try {
    BuildLinkGraph(3, edges);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("edge 1 has vertex 7"), std::string::npos) << message;
    EXPECT_NE(message.find("expected < num_vertices 3"), std::string::npos) << message;
  }
}

TEST(LinkGraph, RejectsNegativeNanAndInfiniteWeights) {
  for (double bad : {-1.0, std::nan(""), std::numeric_limits<double>::infinity()}) {
    const std::vector<WeightedEdge> edges = {{0, 1, bad}};
    EXPECT_THROW(BuildLinkGraph(2, edges), std::invalid_argument) << bad;
  }
  const std::vector<WeightedEdge> zero = {{0, 1, 0.0}};
  EXPECT_EQ(BuildLinkGraph(2, zero).num_edges(), 1u);
}

TEST(LinkGraph, RandomGraphsAreSymmetricAndMatchAReferenceMerge) {
  TestRng rng(7);
  for (int round = 0; round < 20; ++round) {
    const std::uint32_t n = 1 + rng.Below(60);
    const auto edges = RandomEdges(rng, n, rng.Below(300), /*weighted=*/true);
    const bool keep = round % 2 == 0;
    const LinkGraph g = BuildLinkGraph(n, edges, {.keep_self_loops = keep});
    ExpectSymmetric(g);

    std::map<std::pair<VertexId, VertexId>, double> expected;
    std::vector<double> degree(n, 0.0);
    for (const WeightedEdge& e : edges) {
      if (e.u == e.v && !keep) continue;
      expected[{std::min(e.u, e.v), std::max(e.u, e.v)}] += e.weight;
      degree[e.u] += e.weight;
      degree[e.v] += e.weight;
    }
    ASSERT_EQ(g.num_edges(), expected.size());
    EdgeId id = 0;
    for (const auto& [pair, weight] : expected) {
      EXPECT_EQ(g.edge(id), (WeightedEdge{pair.first, pair.second, weight}));
      EXPECT_EQ(g.FindEdge(pair.second, pair.first), std::optional<EdgeId>(id));
      ++id;
    }
    for (VertexId v = 0; v < n; ++v) EXPECT_DOUBLE_EQ(g.WeightedDegree(v), degree[v]);
  }
}

TEST(LinkGraph, FlatArraysAgreeWithBoostOutEdges) {
  TestRng rng(11);
  const LinkGraph g =
      BuildLinkGraph(40, RandomEdges(rng, 40, 200, true), {.keep_self_loops = true});
  const auto& csr = g.csr();
  ASSERT_EQ(boost::num_vertices(csr), g.num_vertices());
  ASSERT_EQ(boost::num_edges(csr), g.num_arcs());
  const auto weights = g.weight_map();
  for (VertexId v = 0; v < g.num_vertices(); ++v) {
    ArcIndex a = g.arc_offsets()[v];
    for (auto [it, end] = boost::out_edges(v, csr); it != end; ++it, ++a) {
      EXPECT_EQ(boost::get(boost::edge_index, csr, *it), a);
      EXPECT_EQ(boost::target(*it, csr), g.arc_targets()[a]);
      EXPECT_EQ(boost::get(weights, *it), g.arc_weights()[a]);
    }
    EXPECT_EQ(a, g.arc_offsets()[v + 1]);
  }
}

TEST(LinkGraph, BoostDijkstraRunsOnTheCsrWithTheWeightMap) {
  // 0 -1- 1 -1- 2, and a direct 0 -5- 2: the shortest 0..2 path costs 2.
  const std::vector<WeightedEdge> edges = {{0, 1, 1.0}, {1, 2, 1.0}, {0, 2, 5.0}, {3, 4, 1.0}};
  const LinkGraph g = BuildLinkGraph(5, edges);
  std::vector<double> distance(g.num_vertices());
  boost::dijkstra_shortest_paths(
      g.csr(), VertexId{2},
      boost::weight_map(g.weight_map())
          .distance_map(boost::make_iterator_property_map(
              distance.begin(), boost::get(boost::vertex_index, g.csr()))));
  EXPECT_DOUBLE_EQ(distance[0], 2.0);
  EXPECT_DOUBLE_EQ(distance[1], 1.0);
  EXPECT_DOUBLE_EQ(distance[2], 0.0);
  EXPECT_EQ(distance[3], std::numeric_limits<double>::max());
}

TEST(LinkGraph, LoadsTheSharedReferenceGraphs) {
  const struct {
    const char* name;
    std::size_t vertices;
    std::size_t edges;
  } expected[] = {{"karate", 34, 78},
                  {"football", 115, 613},
                  {"dolphins", 62, 159},
                  {"polbooks", 105, 441},
                  {"email-Eu-core", 1005, 16064}};
  for (const auto& e : expected) {
    const auto ref = LoadReferenceGraph(e.name);
    EXPECT_EQ(ref.graph.num_vertices(), e.vertices) << e.name;
    EXPECT_EQ(ref.graph.num_edges(), e.edges) << e.name;
    EXPECT_DOUBLE_EQ(ref.graph.total_weight(), static_cast<double>(e.edges)) << e.name;
    ExpectSymmetric(ref.graph);
  }
}

}  // namespace
}  // namespace ringscope
