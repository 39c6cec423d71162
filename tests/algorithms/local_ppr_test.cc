// LocalPushPpr against a slow reference: the lazy-walk PPR by power
// iteration over the whole (small) graph; the push result must satisfy
// 0 <= pr(u) - p(u) <= epsilon d(u) everywhere (Andersen, Chung, Lang 2006).
#include "algorithms/local_ppr.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <stdexcept>
#include <vector>

namespace ringscope {
namespace {

using Graph = std::map<std::int64_t, std::vector<PprNeighbour>>;

void Link(Graph& g, std::int64_t a, std::int64_t b, double w) {
  g[a].push_back({b, w});
  g[b].push_back({a, w});
}

PprNeighbours NeighboursOf(const Graph& g, std::map<std::int64_t, int>* calls = nullptr) {
  return [&g, calls](std::int64_t node) {
    if (calls != nullptr) ++(*calls)[node];
    auto it = g.find(node);
    return it == g.end() ? std::vector<PprNeighbour>{} : it->second;
  };
}

double Degree(const Graph& g, std::int64_t u) {
  double d = 0;
  auto it = g.find(u);
  if (it != g.end())
    for (const PprNeighbour& n : it->second) d += n.weight;
  return d;
}

// pr = alpha s + (1 - alpha) pr W, W = (I + D^-1 A) / 2, iterated to a fixed point.
std::map<std::int64_t, double> ReferencePpr(const Graph& g, const std::vector<std::int64_t>& seeds,
                                            double alpha) {
  std::map<std::int64_t, double> s, pr;
  for (std::int64_t seed : seeds) s[seed] += 1.0 / seeds.size();
  for (const auto& [u, _] : g) pr[u] = 0;
  pr.insert(s.begin(), s.end());
  for (int iteration = 0; iteration < 5000; ++iteration) {
    std::map<std::int64_t, double> next;
    for (const auto& [u, x] : s) next[u] += alpha * x;
    for (const auto& [u, x] : pr) {
      double d = Degree(g, u);
      if (d == 0) {
        next[u] += (1 - alpha) * x;
        continue;
      }
      next[u] += (1 - alpha) * x / 2;
      for (const PprNeighbour& n : g.at(u)) next[n.node] += (1 - alpha) * x / 2 * n.weight / d;
    }
    pr = std::move(next);
  }
  return pr;
}

void ExpectWithinBound(const Graph& g, const std::vector<std::int64_t>& seeds,
                       const LocalPprOptions& o) {
  LocalPprResult result = LocalPushPpr(seeds, NeighboursOf(g), o);
  EXPECT_FALSE(result.truncated);
  std::map<std::int64_t, double> p(result.ranking.begin(), result.ranking.end());
  for (const auto& [u, exact] : ReferencePpr(g, seeds, o.alpha)) {
    double approx = p.count(u) ? p[u] : 0.0;
    EXPECT_GE(exact - approx, -1e-9) << "node " << u;
    EXPECT_LE(exact - approx, o.epsilon * Degree(g, u) + 1e-9) << "node " << u;
  }
}

TEST(LocalPpr, MatchesPowerIterationWithinEpsilonDegreeOnTwoTriangles) {
  Graph g;
  Link(g, 1, 2, 3);
  Link(g, 2, 3, 3);
  Link(g, 1, 3, 3);
  Link(g, 3, 4, 0.2);  // a weak bridge
  Link(g, 4, 5, 3);
  Link(g, 5, 6, 3);
  Link(g, 4, 6, 3);
  ExpectWithinBound(g, {1}, {.alpha = 0.15, .epsilon = 1e-4});
  ExpectWithinBound(g, {1, 5}, {.alpha = 0.3, .epsilon = 1e-3});
}

// `tries` random links (weights 0.1-3) among `nodes` nodes, self loops skipped.
Graph RandomGraph(unsigned seed, int nodes, int tries) {
  Graph g;
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> node(0, nodes - 1);
  std::uniform_real_distribution<double> weight(0.1, 3.0);
  for (int i = 0; i < tries; ++i) {
    int a = node(rng), b = node(rng);
    if (a != b) Link(g, a, b, weight(rng));
  }
  return g;
}

TEST(LocalPpr, MatchesPowerIterationOnARandomWeightedGraph) {
  const Graph g = RandomGraph(7, 40, 120);
  ExpectWithinBound(g, {0, 3, 9}, {.alpha = 0.15, .epsilon = 1e-5});
}

TEST(LocalPpr, RanksTheSeedsOwnCommunityFirst) {
  Graph g;
  for (int a = 0; a < 5; ++a)
    for (int b = a + 1; b < 5; ++b) Link(g, a, b, 2);
  for (int a = 10; a < 15; ++a)
    for (int b = a + 1; b < 15; ++b) Link(g, a, b, 2);
  Link(g, 4, 10, 0.1);
  LocalPprResult result = LocalPushPpr({0}, NeighboursOf(g), {.alpha = 0.15, .epsilon = 1e-6});
  ASSERT_GE(result.ranking.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) EXPECT_LT(result.ranking[i].first, 5) << "rank " << i;
}

TEST(LocalPpr, ReadsEachNodesNeighboursAtMostOnceAndOnlyNearTheSeed) {
  Graph g;
  for (int i = 0; i < 1000; ++i) Link(g, i, i + 1, 1);  // a long path
  std::map<std::int64_t, int> calls;
  LocalPprResult result =
      LocalPushPpr({0}, NeighboursOf(g, &calls), {.alpha = 0.5, .epsilon = 1e-3});
  EXPECT_EQ(result.expanded, calls.size());
  for (const auto& [node, count] : calls) EXPECT_EQ(count, 1) << "node " << node;
  EXPECT_LT(calls.size(), 40u);  // local: far from the 1,001 nodes
}

// The graph with every neighbour entry carrying that neighbour's degree,
// scaled by `scale` (1: exact; above 1: an upper bound).
Graph WithDegreeHints(const Graph& g, double scale) {
  Graph hinted = g;
  for (auto& [u, neighbours] : hinted)
    for (PprNeighbour& n : neighbours) n.degree = scale * Degree(g, n.node);
  return hinted;
}

TEST(LocalPpr, DegreeHintsReadOnlyTheNodesItPushesAndKeepTheBound) {
  const Graph g = RandomGraph(11, 200, 800);
  const LocalPprOptions o{.alpha = 0.15, .epsilon = 1e-3};
  const Graph hinted = WithDegreeHints(g, 1.0);
  LocalPprResult plain = LocalPushPpr({5}, NeighboursOf(g), o);
  LocalPprResult with_hints = LocalPushPpr({5}, NeighboursOf(hinted), o);
  // Every node read was pushed (so no more reads than pushes), far fewer
  // than without hints, and the result keeps the bound.
  EXPECT_LE(with_hints.expanded, with_hints.pushes);
  EXPECT_LT(with_hints.expanded * 2, plain.expanded);
  ExpectWithinBound(hinted, {5}, o);

  // Hints above the degree: fewer pushes, and pr - p stays within epsilon hint.
  const Graph doubled = WithDegreeHints(g, 2.0);
  LocalPprResult loose = LocalPushPpr({5}, NeighboursOf(doubled), o);
  EXPECT_LE(loose.pushes, plain.pushes);
  std::map<std::int64_t, double> p(loose.ranking.begin(), loose.ranking.end());
  for (const auto& [u, exact] : ReferencePpr(g, {5}, o.alpha)) {
    const double approx = p.count(u) ? p[u] : 0.0;
    EXPECT_GE(exact - approx, -1e-9) << "node " << u;
    EXPECT_LE(exact - approx, o.epsilon * 2 * Degree(g, u) + 1e-9) << "node " << u;
  }
}

TEST(LocalPpr, StopsAtTheBudgetsAndSaysSo) {
  Graph g;
  for (int i = 0; i < 50; ++i) Link(g, i, i + 1, 1);
  LocalPprResult pushes = LocalPushPpr({0}, NeighboursOf(g), {.max_pushes = 3});
  EXPECT_TRUE(pushes.truncated);
  EXPECT_EQ(pushes.pushes, 3u);
  LocalPprResult expanded = LocalPushPpr({0}, NeighboursOf(g), {.max_expanded = 2});
  EXPECT_TRUE(expanded.truncated);
  EXPECT_EQ(expanded.expanded, 2u);
  EXPECT_NEAR(expanded.settled + expanded.residual, 1.0, 1e-9);  // no probability is lost
  EXPECT_GT(expanded.residual, 0.0);
  // Node 2, reached only through residual (never expanded), is ranked too.
  EXPECT_TRUE(std::any_of(expanded.ranking.begin(), expanded.ranking.end(),
                          [](const auto& entry) { return entry.first == 2 && entry.second > 0; }));
}

TEST(LocalPpr, IsolatedSeedKeepsAllItsMass) {
  Graph g;
  LocalPprResult result = LocalPushPpr({42}, NeighboursOf(g));
  ASSERT_EQ(result.ranking.size(), 1u);
  EXPECT_EQ(result.ranking[0].first, 42);
  EXPECT_DOUBLE_EQ(result.ranking[0].second, 1.0);
  EXPECT_DOUBLE_EQ(result.settled, 1.0);
}

TEST(LocalPpr, RejectsNoSeedsAndBadParameters) {
  Graph g;
  EXPECT_THROW(LocalPushPpr({}, NeighboursOf(g)), std::invalid_argument);
  EXPECT_THROW(LocalPushPpr({1}, NeighboursOf(g), {.alpha = 0}), std::invalid_argument);
  EXPECT_THROW(LocalPushPpr({1}, NeighboursOf(g), {.alpha = 1.5}), std::invalid_argument);
  EXPECT_THROW(LocalPushPpr({1}, NeighboursOf(g), {.epsilon = 0}), std::invalid_argument);
  EXPECT_THROW(LocalPushPpr({1}, NeighboursOf(g), {.epsilon = NAN}), std::invalid_argument);
}

}  // namespace
}  // namespace ringscope
