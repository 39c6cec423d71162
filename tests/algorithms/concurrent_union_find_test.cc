// ConcurrentUnionFind under contention: threads union random pairs of a small
// universe (so their finds and compressions race on the same paths), and the
// result must be the partition a sequential union-find gives, every parent
// pointing to a smaller index or to itself. Before the fix, a compressing find
// could write a root's slot and close a cycle (an endless find in analyze).
#include "algorithms/concurrent_union_find.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>
#include <random>
#include <thread>
#include <utility>
#include <vector>

namespace ringscope {
namespace {

using Pairs = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

Pairs RandomPairs(std::uint32_t n, std::size_t count, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::uint32_t> node(0, n - 1);
  Pairs pairs(count);
  for (auto& [a, b] : pairs) a = node(rng), b = node(rng);
  return pairs;
}

// Sequential reference: plain union-find, each set named by its smallest member.
std::vector<std::uint32_t> ReferenceSmallest(std::uint32_t n, const Pairs& pairs) {
  std::vector<std::uint32_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0u);
  auto find = [&](std::uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (auto [a, b] : pairs) {
    a = find(a), b = find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
  std::vector<std::uint32_t> smallest(n);
  for (std::uint32_t i = 0; i < n; ++i) smallest[i] = find(i);
  return smallest;
}

TEST(ConcurrentUnionFind, ThreadsRacingOnSharedPathsGiveTheSequentialPartition) {
  constexpr std::uint32_t kNodes = 2000;
  constexpr int kThreads = 4;
  for (std::uint64_t seed = 1; seed <= 1000; ++seed) {
    const Pairs pairs = RandomPairs(kNodes, 1500, seed);
    ConcurrentUnionFind uf(kNodes);
    std::vector<std::size_t> joined(kThreads, 0);
    {
      std::vector<std::jthread> pool;
      for (int t = 0; t < kThreads; ++t) {
        pool.emplace_back([&, t] {
          // Every thread unions its share and finds everywhere, so
          // compressions race with links made by the others.
          for (std::size_t i = static_cast<std::size_t>(t); i < pairs.size(); i += kThreads) {
            joined[static_cast<std::size_t>(t)] += uf.Union(pairs[i].first, pairs[i].second);
            uf.Find(pairs[(i * 7919) % pairs.size()].second);
          }
        });
      }
    }
    const std::vector<std::uint32_t> expected = ReferenceSmallest(kNodes, pairs);
    std::size_t sets = 0;
    for (std::uint32_t i = 0; i < kNodes; ++i) {
      // Links point down, so each set's root is its smallest member.
      ASSERT_EQ(uf.Find(i), expected[i]) << "seed " << seed << ", node " << i;
      sets += expected[i] == i;
    }
    // Each successful union merged two sets: exactly n - sets of them.
    EXPECT_EQ(std::accumulate(joined.begin(), joined.end(), std::size_t{0}), kNodes - sets)
        << "seed " << seed;
  }
}

}  // namespace
}  // namespace ringscope
