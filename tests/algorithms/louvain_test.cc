#include "algorithms/louvain.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "algorithms/components.h"
#include "community_checks.h"
#include "test_graphs.h"

namespace ringscope {
namespace {

using test_graphs::ExpectWellFormed;
using test_graphs::LoadReferenceGraph;
using test_graphs::PlantedPartitionEdges;
using test_graphs::RandomEdges;
using test_graphs::TestRng;

std::vector<std::uint32_t> Iota(std::size_t n) {
  std::vector<std::uint32_t> v(n);
  std::iota(v.begin(), v.end(), 0u);
  return v;
}

TEST(Louvain, SplitsTwoTrianglesJoinedByOneLink) {
  const std::vector<WeightedEdge> edges = {{0, 1, 1.0}, {1, 2, 1.0}, {0, 2, 1.0}, {3, 4, 1.0},
                                           {4, 5, 1.0}, {3, 5, 1.0}, {2, 3, 1.0}};
  const LinkGraph g = BuildLinkGraph(6, edges);
  const CommunityResult r = Louvain(g);
  EXPECT_EQ(r.community, (std::vector<std::uint32_t>{0, 0, 0, 1, 1, 1}));
  EXPECT_NEAR(r.modularity, 6.0 / 7.0 - 0.5, 1e-12);
  ExpectWellFormed(g, r, 1.0);
}

TEST(Louvain, FollowsTheHeavierLinks) {
  // A 4-cycle whose heavy links are 0-1 and 2-3.
  const std::vector<WeightedEdge> edges = {{0, 1, 10.0}, {1, 2, 1.0}, {2, 3, 10.0}, {3, 0, 1.0}};
  const CommunityResult r = Louvain(BuildLinkGraph(4, edges));
  EXPECT_EQ(r.community, (std::vector<std::uint32_t>{0, 0, 1, 1}));
}

TEST(Louvain, SameSeedGivesIdenticalPartition) {
  TestRng rng(3);
  const LinkGraph g = BuildLinkGraph(300, RandomEdges(rng, 300, 900, /*weighted=*/true));
  for (std::uint64_t seed : {0u, 1u, 77u}) {
    const CommunityResult a = Louvain(g, {.seed = seed});
    const CommunityResult b = Louvain(g, {.seed = seed});
    EXPECT_EQ(a.community, b.community) << "seed " << seed;
    EXPECT_EQ(a.modularity, b.modularity);
    EXPECT_EQ(a.levels, b.levels);
    EXPECT_EQ(a.iterations, b.iterations);
  }
}

TEST(Louvain, InvariantsHoldOnRandomGraphs) {
  TestRng rng(17);
  for (int round = 0; round < 30; ++round) {
    const std::uint32_t n = 1 + rng.Below(150);
    const auto edges = RandomEdges(rng, n, rng.Below(3 * n), /*weighted=*/round % 2 == 0);
    const LinkGraph g = BuildLinkGraph(n, edges, {.keep_self_loops = round % 3 == 0});
    const double resolution = 0.5 * (1 + round % 4);
    const CommunityResult r = Louvain(g, {.resolution = resolution, .seed = std::uint64_t(round)});
    ExpectWellFormed(g, r, resolution);
    // Local moving never accepts a loss, so the result beats singletons.
    EXPECT_GE(r.modularity, Modularity(g, Iota(n), resolution) - 1e-12) << "round " << round;
  }
}

TEST(Louvain, DisconnectedComponentsNeverShareACommunity) {
  // Two 4-cliques with no link between them, and an isolated vertex.
  std::vector<WeightedEdge> edges;
  for (VertexId base : {0u, 4u}) {
    for (VertexId i = 0; i < 4; ++i) {
      for (VertexId j = i + 1; j < 4; ++j) edges.push_back({base + i, base + j, 1.0});
    }
  }
  const LinkGraph g = BuildLinkGraph(9, edges);
  const CommunityResult r = Louvain(g, {.resolution = 0.1});
  EXPECT_EQ(r.community, (std::vector<std::uint32_t>{0, 0, 0, 0, 1, 1, 1, 1, 2}));
  ExpectWellFormed(g, r, 0.1);
}

TEST(Louvain, EmptyGraphAndIsolatedVertices) {
  const CommunityResult empty = Louvain(LinkGraph());
  EXPECT_TRUE(empty.community.empty());
  EXPECT_EQ(empty.num_communities, 0u);
  EXPECT_EQ(empty.modularity, 0.0);
  const CommunityResult isolated = Louvain(BuildLinkGraph(4, {}));
  EXPECT_EQ(isolated.community, Iota(4));
  EXPECT_EQ(isolated.num_communities, 4u);
  EXPECT_EQ(isolated.modularity, 0.0);
}

TEST(Louvain, ResolutionZeroGivesOneCommunityPerComponent) {
  TestRng rng(23);
  for (int round = 0; round < 10; ++round) {
    const std::uint32_t n = 2 + rng.Below(100);
    const LinkGraph g = BuildLinkGraph(n, RandomEdges(rng, n, n, /*weighted=*/true));
    const CommunityResult r = Louvain(g, {.resolution = 0.0, .seed = std::uint64_t(round)});
    // Both are numbered by smallest vertex, so the vectors are equal.
    EXPECT_EQ(r.community, FindComponents(g).component) << "round " << round;
  }
}

TEST(Louvain, VeryHighResolutionGivesSingletons) {
  const auto ref = LoadReferenceGraph("karate");
  const CommunityResult r = Louvain(ref.graph, {.resolution = 1e6});
  EXPECT_EQ(r.community, Iota(34));
  ExpectWellFormed(ref.graph, r, 1e6);
}

TEST(Louvain, RecoversAPlantedPartition) {
  TestRng rng(8);
  const LinkGraph g = BuildLinkGraph(100, PlantedPartitionEdges(rng, 4, 25, 0.5, 0.02));
  std::vector<std::uint32_t> planted(100);
  for (VertexId v = 0; v < 100; ++v) planted[v] = v / 25;
  for (std::uint64_t seed = 0; seed < 3; ++seed) {
    EXPECT_EQ(Louvain(g, {.seed = seed}).community, planted) << "seed " << seed;
  }
}

TEST(Louvain, ComesCloseToTheOptimumOnReferenceGraphs) {
  // Exact optima (README of the data): karate 0.4198, football 0.6046,
  // dolphins 0.5285, polbooks 0.5272; igraph's best over seeds on
  // email-Eu-core 0.4168. Louvain may stop in a slightly worse local optimum.
  const struct {
    const char* name;
    double at_least;
  } bars[] = {{"karate", 0.41},
              {"football", 0.59},
              {"dolphins", 0.51},
              {"polbooks", 0.52},
              {"email-Eu-core", 0.40}};
  for (const auto& bar : bars) {
    const auto ref = LoadReferenceGraph(bar.name);
    for (std::uint64_t seed = 0; seed < 5; ++seed) {
      const CommunityResult r = Louvain(ref.graph, {.seed = seed});
      EXPECT_GE(r.modularity, bar.at_least) << bar.name << " seed " << seed;
      ExpectWellFormed(ref.graph, r, 1.0);
    }
  }
}

TEST(Louvain, MaxLevelsStopsAggregation) {
  const auto ref = LoadReferenceGraph("email-Eu-core");
  const CommunityResult one = Louvain(ref.graph, {.max_levels = 1});
  EXPECT_EQ(one.levels, 1);
  ExpectWellFormed(ref.graph, one, 1.0);
  const CommunityResult all = Louvain(ref.graph);
  EXPECT_GT(all.levels, 1);
  EXPECT_LT(all.num_communities, one.num_communities);
  EXPECT_GE(all.timings.total_seconds, all.timings.moving_seconds);
}

TEST(Louvain, RejectsInvalidOptions) {
  const LinkGraph g = BuildLinkGraph(2, {});
  EXPECT_THROW(Louvain(g, {.resolution = -1.0}), std::invalid_argument);
  EXPECT_THROW(Louvain(g, {.resolution = std::nan("")}), std::invalid_argument);
  EXPECT_THROW(Louvain(g, {.max_levels = 0}), std::invalid_argument);
  EXPECT_THROW(Louvain(g, {.tolerance = -1e-3}), std::invalid_argument);
}

}  // namespace
}  // namespace ringscope
