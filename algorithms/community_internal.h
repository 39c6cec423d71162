// Pieces shared by the Louvain and Leiden implementations; not a public API.
// - Rng: xoshiro256** (Blackman & Vigna 2018) seeded through splitmix64, so a
//   seed gives the same stream on every platform (no std::random_device, no
//   implementation-defined std::*_distribution).
// - CommunityWeights: a dense accumulator of link weight per community with a
//   list of the touched entries, cleared in O(touched).
// - CsrView / LevelGraph: the flat arrays of one level; AggregateGraph builds
//   the next level row by row, without an edge list or a sort of all links.
// - RenumberDense: relabelling by smallest vertex.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "graph/link_graph.h"

namespace ringscope::community_internal {

class Rng {
 public:
  explicit Rng(std::uint64_t seed);
  std::uint64_t Next();
  // Uniform in [0, bound), bound > 0 (Lemire's multiply-and-reject method).
  std::uint32_t Below(std::uint32_t bound);
  // Uniform in [0, 1), 53 random bits.
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Fisher-Yates.
  template <typename T>
  void Shuffle(std::span<T> items) {
    for (std::size_t i = items.size(); i > 1; --i) {
      const std::size_t j = Below(static_cast<std::uint32_t>(i));
      std::swap(items[i - 1], items[j]);
    }
  }

 private:
  std::uint64_t s_[4];
};

// The weight and the touched flag of a community share one 16-byte entry, so
// an Add costs one cache miss, not two.
class CommunityWeights {
 public:
  // Makes room for communities 0..num_communities-1; keeps the buffers.
  void Reset(std::size_t num_communities);
  void Add(std::uint32_t community, double weight) {
    Entry& e = entries_[community];
    if (!e.touched) {
      e.touched = 1;
      touched_.push_back(community);
    }
    e.weight += weight;
  }
  double weight(std::uint32_t community) const { return entries_[community].weight; }
  std::span<const std::uint32_t> touched() const { return touched_; }
  void Clear();

 private:
  struct Entry {
    double weight = 0.0;
    std::uint64_t touched = 0;
  };
  std::vector<Entry> entries_;
  std::vector<std::uint32_t> touched_;
};

// The flat CSR arrays one level of Louvain/Leiden runs on: the input
// LinkGraph (level 0, viewed without copying) or an aggregate LevelGraph.
// Same conventions as LinkGraph (a self loop is one arc, degrees count it
// twice), except that aggregate rows are not sorted by target.
struct CsrView {
  std::span<const ArcIndex> offsets;  // num_vertices + 1
  std::span<const VertexId> targets;
  std::span<const double> weights;
  std::span<const double> degrees;
  double total_weight = 0.0;

  std::size_t num_vertices() const { return degrees.size(); }
};

CsrView ViewOf(const LinkGraph& g);

// Owned storage of an aggregate level; kept across levels to reuse memory.
struct LevelGraph {
  std::vector<ArcIndex> offsets;
  std::vector<VertexId> targets;
  std::vector<double> weights;
  std::vector<double> degrees;
  double total_weight = 0.0;

  CsrView View() const { return {offsets, targets, weights, degrees, total_weight}; }
};

// Asks the cache for the rows of vertices a loop will reach soon, in two
// stages: `far` ahead, the row's offset and degree; `near` ahead (offset now
// cached), the row's first targets and weights. Level graphs are visited in
// random order, so without this each row costs several serial cache misses.
// No effect on results.
inline void PrefetchRowStart(const CsrView& g, VertexId far) {
  __builtin_prefetch(&g.offsets[far]);
  __builtin_prefetch(&g.degrees[far]);
}
inline void PrefetchRowArcs(const CsrView& g, VertexId near) {
  const ArcIndex a = g.offsets[near];
  __builtin_prefetch(g.targets.data() + a);
  __builtin_prefetch(g.weights.data() + a);
}
inline constexpr std::size_t kPrefetchFar = 16;
inline constexpr std::size_t kPrefetchNear = 4;

// Prefetches for position i of `order` (a list of vertices visited in turn).
inline void PrefetchAhead(const CsrView& g, std::span<const VertexId> order, std::size_t i) {
  if (i + kPrefetchFar < order.size()) PrefetchRowStart(g, order[i + kPrefetchFar]);
  if (i + kPrefetchNear < order.size()) PrefetchRowArcs(g, order[i + kPrefetchNear]);
}

// Adds the weight of each link from v to another vertex, keyed by that
// vertex's community. Self loops are skipped: they move with v.
inline void CollectNeighbourCommunities(const CsrView& g, VertexId v,
                                        std::span<const std::uint32_t> community,
                                        CommunityWeights& out) {
  for (ArcIndex a = g.offsets[v]; a < g.offsets[v + 1]; ++a) {
    const VertexId u = g.targets[a];
    if (u != v) out.Add(community[u], g.weights[a]);
  }
}

// Relabels `labels` (each < labels.size()) to 0..k-1 in order of first
// appearance, i.e. by smallest index; returns k. O(n).
std::uint32_t RenumberDense(std::span<std::uint32_t> labels);

// Writes into `out` the community graph of g: vertex c for each community
// 0..num_communities-1, link (c, d) with the total weight between them, and
// a self loop on c with the weight inside c, so modularity is preserved.
// community[v] must be < num_communities; `out` must not be g's storage.
// Rows are written in order, without an edge list or a sort: O(n + m).
void AggregateGraph(const CsrView& g, std::span<const std::uint32_t> community,
                    std::uint32_t num_communities, LevelGraph& out);

// Wall-clock seconds since construction.
class Stopwatch {
 public:
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// Accumulates wall-clock seconds into a timing field on destruction.
class ScopedTimer {
 public:
  explicit ScopedTimer(double& seconds)
      : seconds_(seconds), start_(std::chrono::steady_clock::now()) {}
  ~ScopedTimer() {
    seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  ScopedTimer(const ScopedTimer&) = delete;
  ScopedTimer& operator=(const ScopedTimer&) = delete;

 private:
  double& seconds_;
  std::chrono::steady_clock::time_point start_;
};

// A move must beat the current choice by more than this times the vertex
// degree: floating-point noise must not make vertices oscillate forever.
inline constexpr double kGainEpsilon = 1e-12;

}  // namespace ringscope::community_internal
