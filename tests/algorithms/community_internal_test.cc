#include "algorithms/community_internal.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <vector>

#include "algorithms/modularity.h"
#include "test_graphs.h"

namespace ringscope::community_internal {
namespace {

using test_graphs::RandomEdges;
using test_graphs::TestRng;

TEST(CommunityRng, SameSeedSameStreamOtherSeedOtherStream) {
  Rng a(42), b(42), c(43);
  std::vector<std::uint64_t> from_a, from_b, from_c;
  for (int i = 0; i < 100; ++i) {
    from_a.push_back(a.Next());
    from_b.push_back(b.Next());
    from_c.push_back(c.Next());
  }
  EXPECT_EQ(from_a, from_b);
  EXPECT_NE(from_a, from_c);
}

TEST(CommunityRng, BelowAndUnitStayInRangeAndSpreadEvenly) {
  Rng rng(7);
  std::vector<int> buckets(10, 0);
  for (int i = 0; i < 100000; ++i) {
    const std::uint32_t x = rng.Below(10);
    ASSERT_LT(x, 10u);
    ++buckets[x];
    const double u = rng.Unit();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
  }
  for (int count : buckets) EXPECT_NEAR(count, 10000, 500);
  EXPECT_EQ(rng.Below(1), 0u);
}

TEST(CommunityRng, ShuffleIsADeterministicPermutation) {
  std::vector<std::uint32_t> a(50), b(50);
  std::iota(a.begin(), a.end(), 0u);
  std::iota(b.begin(), b.end(), 0u);
  Rng r1(3), r2(3);
  r1.Shuffle(std::span<std::uint32_t>(a));
  r2.Shuffle(std::span<std::uint32_t>(b));
  EXPECT_EQ(a, b);
  std::vector<std::uint32_t> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::uint32_t> identity(50);
  std::iota(identity.begin(), identity.end(), 0u);
  EXPECT_EQ(sorted, identity);
  EXPECT_NE(a, identity);
}

TEST(CommunityWeights, SumsPerCommunityInFirstTouchOrderAndClears) {
  CommunityWeights w;
  w.Reset(6);
  w.Add(4, 1.5);
  w.Add(1, 2.0);
  w.Add(4, 0.5);
  w.Add(3, 0.0);  // a zero-weight link still touches its community, once
  w.Add(3, 0.0);
  EXPECT_EQ(std::vector<std::uint32_t>(w.touched().begin(), w.touched().end()),
            (std::vector<std::uint32_t>{4, 1, 3}));
  EXPECT_DOUBLE_EQ(w.weight(4), 2.0);
  EXPECT_DOUBLE_EQ(w.weight(1), 2.0);
  EXPECT_DOUBLE_EQ(w.weight(3), 0.0);
  EXPECT_DOUBLE_EQ(w.weight(0), 0.0);
  w.Clear();
  EXPECT_TRUE(w.touched().empty());
  for (std::uint32_t c = 0; c < 6; ++c) EXPECT_DOUBLE_EQ(w.weight(c), 0.0) << c;
  // After a Clear (and a Reset to a larger size) every community starts afresh.
  w.Add(4, 1.0);
  w.Reset(8);
  EXPECT_TRUE(w.touched().empty());
  w.Add(7, 3.0);
  w.Add(4, 1.0);
  EXPECT_EQ(std::vector<std::uint32_t>(w.touched().begin(), w.touched().end()),
            (std::vector<std::uint32_t>{7, 4}));
  EXPECT_DOUBLE_EQ(w.weight(4), 1.0);
  EXPECT_DOUBLE_EQ(w.weight(7), 3.0);
}

TEST(RenumberDense, NumbersLabelsByFirstAppearance) {
  std::vector<std::uint32_t> labels = {4, 4, 2, 0, 2, 1};
  EXPECT_EQ(RenumberDense(labels), 4u);
  EXPECT_EQ(labels, (std::vector<std::uint32_t>{0, 0, 1, 2, 1, 3}));
  std::vector<std::uint32_t> empty;
  EXPECT_EQ(RenumberDense(empty), 0u);
}

// The aggregate as a LinkGraph: every arc c->d with c <= d is one link.
LinkGraph AsLinkGraph(const LevelGraph& level) {
  std::vector<WeightedEdge> edges;
  for (VertexId c = 0; c + 1 < level.offsets.size(); ++c) {
    for (ArcIndex a = level.offsets[c]; a < level.offsets[c + 1]; ++a) {
      if (c <= level.targets[a]) edges.push_back({c, level.targets[a], level.weights[a]});
    }
  }
  return BuildLinkGraph(level.degrees.size(), edges, {.keep_self_loops = true});
}

TEST(AggregateGraph, PreservesModularityDegreesAndSymmetry) {
  TestRng rng(13);
  for (int round = 0; round < 20; ++round) {
    const std::uint32_t n = 1 + rng.Below(80);
    const LinkGraph g = BuildLinkGraph(n, RandomEdges(rng, n, rng.Below(4 * n), true),
                                       {.keep_self_loops = round % 2 == 0});
    const std::uint32_t k = 1 + rng.Below(n);
    std::vector<std::uint32_t> community(n);
    for (auto& c : community) c = rng.Below(k);
    LevelGraph level;
    AggregateGraph(ViewOf(g), community, k, level);

    ASSERT_EQ(level.degrees.size(), k);
    EXPECT_DOUBLE_EQ(level.total_weight, g.total_weight());
    std::vector<double> degree(k, 0.0);
    for (VertexId v = 0; v < n; ++v) degree[community[v]] += g.WeightedDegree(v);
    std::map<std::pair<VertexId, VertexId>, double> arcs;
    for (VertexId c = 0; c < k; ++c) {
      EXPECT_NEAR(level.degrees[c], degree[c], 1e-9);
      for (ArcIndex a = level.offsets[c]; a < level.offsets[c + 1]; ++a) {
        EXPECT_TRUE(arcs.emplace(std::make_pair(c, level.targets[a]), level.weights[a]).second)
            << "duplicate arc";
      }
    }
    for (const auto& [arc, weight] : arcs) {
      EXPECT_EQ(arcs.at({arc.second, arc.first}), weight);
    }
    const LinkGraph h = AsLinkGraph(level);
    std::vector<std::uint32_t> identity(k);
    std::iota(identity.begin(), identity.end(), 0u);
    for (VertexId c = 0; c < k; ++c) EXPECT_NEAR(h.WeightedDegree(c), level.degrees[c], 1e-9);
    for (double gamma : {0.5, 1.0, 3.0}) {
      EXPECT_NEAR(Modularity(h, identity, gamma), Modularity(g, community, gamma), 1e-12)
          << "round " << round;
    }
  }
}

}  // namespace
}  // namespace ringscope::community_internal
