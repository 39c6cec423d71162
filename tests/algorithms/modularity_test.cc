#include "algorithms/modularity.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_graphs.h"

namespace ringscope {
namespace {

using test_graphs::LoadReferenceGraph;
using test_graphs::RandomEdges;
using test_graphs::TestRng;

// Slow reference: the double sum over all vertex pairs of a dense adjacency
// matrix, with A_ii = 2w for a self loop of weight w.
double SlowModularity(std::size_t n, const std::vector<WeightedEdge>& edges,
                      const std::vector<std::uint32_t>& community, double gamma) {
  std::vector<std::vector<double>> a(n, std::vector<double>(n, 0.0));
  for (const WeightedEdge& e : edges) {
    a[e.u][e.v] += e.weight;
    a[e.v][e.u] += e.weight;  // adds 2w on the diagonal for a loop
  }
  std::vector<double> k(n, 0.0);
  double two_m = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) k[i] += a[i][j];
    two_m += k[i];
  }
  if (two_m == 0.0) return 0.0;
  double q = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      if (community[i] == community[j]) q += a[i][j] - gamma * k[i] * k[j] / two_m;
    }
  }
  return q / two_m;
}

const std::vector<WeightedEdge> kTwoTriangles = {{0, 1, 1.0}, {1, 2, 1.0}, {0, 2, 1.0}, {3, 4, 1.0},
                                                 {4, 5, 1.0}, {3, 5, 1.0}, {2, 3, 1.0}};

TEST(Modularity, TwoTrianglesJoinedByOneLink) {
  const LinkGraph g = BuildLinkGraph(6, kTwoTriangles);
  const std::vector<std::uint32_t> split = {0, 0, 0, 1, 1, 1};
  // 2 * (3/7 - (7/14)^2)
  EXPECT_NEAR(Modularity(g, split), 6.0 / 7.0 - 0.5, 1e-12);
  const std::vector<std::uint32_t> one = {0, 0, 0, 0, 0, 0};
  EXPECT_NEAR(Modularity(g, one), 0.0, 1e-12);
  EXPECT_NEAR(Modularity(g, one, 0.5), 0.5, 1e-12);  // 1 - gamma
  EXPECT_NEAR(Modularity(g, split, 0.0), 6.0 / 7.0, 1e-12);
}

TEST(Modularity, LabelsNeedNotBeDense) {
  const LinkGraph g = BuildLinkGraph(6, kTwoTriangles);
  const std::vector<std::uint32_t> a = {0, 0, 0, 1, 1, 1};
  const std::vector<std::uint32_t> b = {5, 5, 5, 2, 2, 2};
  EXPECT_DOUBLE_EQ(Modularity(g, a), Modularity(g, b));
}

TEST(Modularity, GraphWithoutLinksHasZeroModularity) {
  const LinkGraph g = BuildLinkGraph(3, {});
  const std::vector<std::uint32_t> singletons = {0, 1, 2};
  EXPECT_EQ(Modularity(g, singletons), 0.0);
  EXPECT_EQ(Modularity(LinkGraph(), {}), 0.0);
}

TEST(Modularity, MatchesSlowReferenceOnRandomGraphsWithLoops) {
  TestRng rng(99);
  for (int round = 0; round < 30; ++round) {
    const std::uint32_t n = 1 + rng.Below(40);
    const auto input = RandomEdges(rng, n, rng.Below(120), /*weighted=*/true);
    const LinkGraph g = BuildLinkGraph(n, input, {.keep_self_loops = true});
    const std::vector<WeightedEdge> edges(g.edges().begin(), g.edges().end());
    std::vector<std::uint32_t> community(n);
    const std::uint32_t k = 1 + rng.Below(n);
    for (auto& c : community) c = rng.Below(k);
    const double gamma = 0.25 * (round % 8);
    EXPECT_NEAR(Modularity(g, community, gamma), SlowModularity(n, edges, community, gamma), 1e-12)
        << "round " << round;
  }
}

TEST(Modularity, UnchangedWhenCommunitiesCollapseToSelfLoops) {
  TestRng rng(5);
  const std::uint32_t n = 30;
  const LinkGraph g = BuildLinkGraph(n, RandomEdges(rng, n, 90, true));
  std::vector<std::uint32_t> community(n);
  for (auto& c : community) c = rng.Below(6);
  std::vector<WeightedEdge> collapsed;
  for (const WeightedEdge& e : g.edges()) {
    collapsed.push_back({community[e.u], community[e.v], e.weight});
  }
  const LinkGraph h = BuildLinkGraph(6, collapsed, {.keep_self_loops = true});
  const std::vector<std::uint32_t> identity = {0, 1, 2, 3, 4, 5};
  for (double gamma : {0.5, 1.0, 2.0}) {
    EXPECT_NEAR(Modularity(h, identity, gamma), Modularity(g, community, gamma), 1e-12);
  }
}

TEST(Modularity, KarateClubSplitMatchesSlowReference) {
  const auto ref = LoadReferenceGraph("karate");
  const std::vector<WeightedEdge> edges(ref.graph.edges().begin(), ref.graph.edges().end());
  const double q = Modularity(ref.graph, ref.truth);
  EXPECT_NEAR(q, SlowModularity(34, edges, ref.truth, 1.0), 1e-12);
  EXPECT_GT(q, 0.35);  // the real split is a good (not optimal) partition
  EXPECT_LT(q, 0.4197896);
}

TEST(Modularity, RejectsBadInput) {
  const std::vector<WeightedEdge> edges = {{0, 1, 1.0}};
  const LinkGraph g = BuildLinkGraph(3, edges);
  const std::vector<std::uint32_t> short_labels = {0, 0};
  const std::vector<std::uint32_t> out_of_range = {0, 3, 0};
  const std::vector<std::uint32_t> fine = {0, 1, 2};
  EXPECT_THROW(Modularity(g, short_labels), std::invalid_argument);
  EXPECT_THROW(Modularity(g, out_of_range), std::invalid_argument);
  EXPECT_THROW(Modularity(g, fine, -1.0), std::invalid_argument);
  EXPECT_THROW(Modularity(g, fine, std::numeric_limits<double>::quiet_NaN()),
               std::invalid_argument);
  try {
    Modularity(g, out_of_range);
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("vertex 1 has community 3, expected < num_vertices 3"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace ringscope
