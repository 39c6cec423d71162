#include "algorithms/components.h"

#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <limits>
#include <map>
#include <stdexcept>
#include <vector>

#include "test_graphs.h"

namespace ringscope {
namespace {

using test_graphs::LoadReferenceGraph;
using test_graphs::RandomEdges;
using test_graphs::TestRng;

// Slow reference: BFS from each unvisited vertex in increasing order, over the
// input edge list (not the CSR), following links with weight >= min_weight.
std::vector<std::uint32_t> BfsComponents(std::size_t n, const std::vector<WeightedEdge>& edges,
                                         double min_weight) {
  std::vector<std::vector<VertexId>> adjacency(n);
  std::map<std::pair<VertexId, VertexId>, double> merged;
  for (const WeightedEdge& e : edges) {
    if (e.u != e.v) merged[{std::min(e.u, e.v), std::max(e.u, e.v)}] += e.weight;
  }
  for (const auto& [pair, weight] : merged) {
    if (weight < min_weight) continue;
    adjacency[pair.first].push_back(pair.second);
    adjacency[pair.second].push_back(pair.first);
  }
  constexpr std::uint32_t kUnseen = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> component(n, kUnseen);
  std::uint32_t next = 0;
  for (VertexId s = 0; s < n; ++s) {
    if (component[s] != kUnseen) continue;
    std::deque<VertexId> queue = {s};
    component[s] = next;
    while (!queue.empty()) {
      const VertexId u = queue.front();
      queue.pop_front();
      for (VertexId v : adjacency[u]) {
        if (component[v] == kUnseen) {
          component[v] = next;
          queue.push_back(v);
        }
      }
    }
    ++next;
  }
  return component;
}

void ExpectSizesConsistent(const ComponentsResult& r) {
  ASSERT_EQ(r.sizes.size(), r.num_components);
  std::vector<std::uint32_t> counted(r.num_components, 0);
  for (std::uint32_t c : r.component) {
    ASSERT_LT(c, r.num_components);
    ++counted[c];
  }
  EXPECT_EQ(counted, r.sizes);
}

TEST(Components, MergesAccountsSharingADevice) {
  // Accounts 0, 1, 2 share a device (a triangle of links); 3 and 4 share a card.
  const std::vector<WeightedEdge> edges = {{0, 1, 1.0}, {1, 2, 1.0}, {0, 2, 1.0}, {3, 4, 2.0}};
  const ComponentsResult r = FindComponents(BuildLinkGraph(6, edges));
  EXPECT_EQ(r.component, (std::vector<std::uint32_t>{0, 0, 0, 1, 1, 2}));
  EXPECT_EQ(r.num_components, 3u);
  EXPECT_EQ(r.sizes, (std::vector<std::uint32_t>{3, 2, 1}));
}

TEST(Components, NumbersComponentsBySmallestVertex) {
  const std::vector<WeightedEdge> edges = {{4, 0, 1.0}, {3, 1, 1.0}, {2, 5, 1.0}};
  const ComponentsResult r = FindComponents(BuildLinkGraph(6, edges));
  EXPECT_EQ(r.component, (std::vector<std::uint32_t>{0, 1, 2, 1, 0, 2}));
}

TEST(Components, EmptyAndEdgelessGraphs) {
  const ComponentsResult empty = FindComponents(LinkGraph());
  EXPECT_EQ(empty.num_components, 0u);
  EXPECT_TRUE(empty.component.empty());
  const ComponentsResult isolated = FindComponents(BuildLinkGraph(3, {}));
  EXPECT_EQ(isolated.component, (std::vector<std::uint32_t>{0, 1, 2}));
  EXPECT_EQ(isolated.sizes, (std::vector<std::uint32_t>{1, 1, 1}));
}

TEST(Components, MinWeightDropsWeakLinks) {
  const std::vector<WeightedEdge> edges = {{0, 1, 0.2}, {1, 2, 3.0}, {2, 3, 0.5}, {3, 3, 9.0}};
  const LinkGraph g = BuildLinkGraph(4, edges, {.keep_self_loops = true});
  EXPECT_EQ(FindComponents(g).num_components, 1u);
  const ComponentsResult r = FindComponents(g, {.min_weight = 0.5});
  EXPECT_EQ(r.component, (std::vector<std::uint32_t>{0, 1, 1, 1}));
  EXPECT_EQ(FindComponents(g, {.min_weight = 100.0}).num_components, 4u);
}

TEST(Components, ThresholdsAtOrBelowZeroKeepEveryLinkEvenWeightlessOnes) {
  // Weights are >= 0, so any threshold <= 0 keeps every link; a link of
  // weight 0 still reaches a threshold of 0, never one above it.
  const std::vector<WeightedEdge> edges = {{0, 1, 0.0}, {2, 3, 1.0}};
  const LinkGraph g = BuildLinkGraph(5, edges);
  for (double min_weight : {-std::numeric_limits<double>::infinity(), -1.0, 0.0}) {
    const ComponentsResult r = FindComponents(g, {.min_weight = min_weight});
    EXPECT_EQ(r.component, (std::vector<std::uint32_t>{0, 0, 1, 1, 2})) << min_weight;
    EXPECT_EQ(r.sizes, (std::vector<std::uint32_t>{2, 2, 1})) << min_weight;
  }
  EXPECT_EQ(FindComponents(g, {.min_weight = 1e-300}).component,
            (std::vector<std::uint32_t>{0, 1, 2, 2, 3}));
}

TEST(Components, RejectsNanMinWeight) {
  EXPECT_THROW(FindComponents(BuildLinkGraph(2, {}), {.min_weight = std::nan("")}),
               std::invalid_argument);
}

TEST(Components, MatchesBfsReferenceOnRandomGraphs) {
  TestRng rng(2024);
  for (int round = 0; round < 40; ++round) {
    const std::uint32_t n = 1 + rng.Below(200);
    const auto edges = RandomEdges(rng, n, rng.Below(n + n / 2 + 1), /*weighted=*/true);
    const double min_weight = (round % 4) * 1.0;  // 0, 1, 2, 3 over weights in {1, 2, 3}
    const ComponentsResult r = FindComponents(BuildLinkGraph(n, edges), {.min_weight = min_weight});
    EXPECT_EQ(r.component, BfsComponents(n, edges, min_weight)) << "round " << round;
    ExpectSizesConsistent(r);
  }
}

TEST(Components, ReferenceGraphsMatchBfs) {
  for (const char* name : {"karate", "email-Eu-core"}) {
    const auto ref = LoadReferenceGraph(name);
    const std::vector<WeightedEdge> edges(ref.graph.edges().begin(), ref.graph.edges().end());
    const ComponentsResult r = FindComponents(ref.graph);
    EXPECT_EQ(r.component, BfsComponents(ref.graph.num_vertices(), edges, 0.0)) << name;
    ExpectSizesConsistent(r);
  }
  EXPECT_EQ(FindComponents(LoadReferenceGraph("karate").graph).num_components, 1u);
}

}  // namespace
}  // namespace ringscope
