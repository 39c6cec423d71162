#include "algorithms/community_internal.h"

#include <algorithm>
#include <limits>

namespace ringscope::community_internal {
namespace {

std::uint64_t SplitMix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t RotateLeft(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

Rng::Rng(std::uint64_t seed) {
  for (std::uint64_t& word : s_) word = SplitMix64(seed);
}

std::uint64_t Rng::Next() {
  const std::uint64_t result = RotateLeft(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = RotateLeft(s_[3], 45);
  return result;
}

std::uint32_t Rng::Below(std::uint32_t bound) {
  std::uint64_t product =
      static_cast<std::uint64_t>(static_cast<std::uint32_t>(Next() >> 32)) * bound;
  std::uint32_t low = static_cast<std::uint32_t>(product);
  if (low < bound) {
    const std::uint32_t threshold = static_cast<std::uint32_t>(-bound) % bound;
    while (low < threshold) {
      product = static_cast<std::uint64_t>(static_cast<std::uint32_t>(Next() >> 32)) * bound;
      low = static_cast<std::uint32_t>(product);
    }
  }
  return static_cast<std::uint32_t>(product >> 32);
}

void CommunityWeights::Reset(std::size_t num_communities) {
  Clear();
  entries_.resize(num_communities);
}

void CommunityWeights::Clear() {
  for (std::uint32_t c : touched_) entries_[c] = Entry{};
  touched_.clear();
}

std::uint32_t RenumberDense(std::span<std::uint32_t> labels) {
  constexpr std::uint32_t kUnset = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> new_label(labels.size(), kUnset);
  std::uint32_t next = 0;
  for (std::uint32_t& label : labels) {
    if (new_label[label] == kUnset) new_label[label] = next++;
    label = new_label[label];
  }
  return next;
}

CsrView ViewOf(const LinkGraph& g) {
  return {g.arc_offsets(), g.arc_targets(), g.arc_weights(), g.weighted_degrees(),
          g.total_weight()};
}

void AggregateGraph(const CsrView& g, std::span<const std::uint32_t> community,
                    std::uint32_t num_communities, LevelGraph& out) {
  // Vertices grouped by community (counting sort).
  std::vector<std::size_t> start(num_communities + 1, 0);
  for (std::uint32_t c : community) ++start[c + 1];
  for (std::uint32_t c = 0; c < num_communities; ++c) start[c + 1] += start[c];
  std::vector<VertexId> members(community.size());
  {
    std::vector<std::size_t> next(start.begin(), start.end() - 1);
    for (VertexId v = 0; v < community.size(); ++v) members[next[community[v]]++] = v;
  }
  out.offsets.assign(num_communities + 1, 0);
  out.targets.clear();
  out.weights.clear();
  out.degrees.assign(num_communities, 0.0);
  out.total_weight = g.total_weight;
  // Row c: the weight from c to every community, in order of first encounter
  // (deterministic; no sort needed). Inside c every non-loop link is seen
  // from both ends and a loop once, so loops add twice their weight and the
  // self-loop total is halved.
  CommunityWeights towards;
  towards.Reset(num_communities);
  for (std::uint32_t c = 0; c < num_communities; ++c) {
    for (std::size_t i = start[c]; i < start[c + 1]; ++i) {
      PrefetchAhead(g, members, i);
      const VertexId v = members[i];
      out.degrees[c] += g.degrees[v];
      for (ArcIndex a = g.offsets[v]; a < g.offsets[v + 1]; ++a) {
        const VertexId u = g.targets[a];
        towards.Add(community[u], u == v ? 2.0 * g.weights[a] : g.weights[a]);
      }
    }
    for (std::uint32_t d : towards.touched()) {
      out.targets.push_back(d);
      out.weights.push_back(d == c ? towards.weight(d) / 2.0 : towards.weight(d));
    }
    out.offsets[c + 1] = out.targets.size();
    towards.Clear();
  }
}

}  // namespace ringscope::community_internal
