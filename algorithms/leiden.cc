// Leiden: a driver over named phases, on one level graph at a time.
//   MoveNodesFast      queue-driven local moving (the paper's MoveNodesFast).
//   RefinePartition    per community, the paper's MergeNodesSubset (here
//                      MergeVertex per vertex), with well-connectedness checks.
//   SplitConnectedParts  fallback refinement when no merge happened (see
//                      RunIteration).
//   AggregateGraph     community_internal; AggregatePartition gives the
//                      aggregate graph its starting partition.
// Community ids of a level graph are < its vertex count; buffers live in a
// Workspace sized once for the input graph and reused by every level.
#include "algorithms/leiden.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "algorithms/community_internal.h"

namespace ringscope {
namespace {

using community_internal::AggregateGraph;
using community_internal::CommunityWeights;
using community_internal::CsrView;
using community_internal::kGainEpsilon;
using community_internal::LevelGraph;
using community_internal::RenumberDense;
using community_internal::Rng;
using community_internal::ScopedTimer;

struct Workspace {
  CommunityWeights neighbours;
  // MoveNodesFast, per community: sum of degrees, vertex count; the free ids.
  std::vector<double> volume;
  std::vector<std::uint32_t> size;
  std::vector<std::uint32_t> empty;
  std::vector<VertexId> queue;  // ring buffer, each vertex at most once
  std::vector<std::uint8_t> queued;
  // RefinePartition: vertices grouped by community.
  std::vector<std::size_t> member_start;
  std::vector<VertexId> members;
  // Per vertex: weight towards the rest of its community.
  std::vector<double> external;
  // Per refined sub-community (keyed by the vertex that founded it).
  std::vector<double> refined_volume;
  std::vector<double> refined_external;
  std::vector<std::uint8_t> joined;  // some vertex joined it: no longer a singleton
  // Candidates of one merge and their cumulative sampling weights.
  std::vector<std::uint32_t> candidates;
  std::vector<double> gains;
  // Aggregate levels alternate between two buffers.
  LevelGraph levels[2];
};

void ValidateOptions(const LeidenOptions& o) {
  if (!std::isfinite(o.resolution) || o.resolution < 0.0) {
    throw std::invalid_argument("Leiden: resolution " + std::to_string(o.resolution) +
                                ", expected a finite value >= 0");
  }
  if (!std::isfinite(o.theta) || o.theta < 0.0) {
    throw std::invalid_argument("Leiden: theta " + std::to_string(o.theta) +
                                ", expected a finite value >= 0");
  }
  if (o.max_iterations != -1 && o.max_iterations < 1) {
    throw std::invalid_argument("Leiden: max_iterations " + std::to_string(o.max_iterations) +
                                ", expected -1 (until stable) or >= 1");
  }
}

// Community volumes and sizes of `partition`, and the list of unused ids.
void InitCommunities(const CsrView& g, std::span<const std::uint32_t> partition, Workspace& ws) {
  const std::size_t n = g.num_vertices();
  ws.volume.assign(n, 0.0);
  ws.size.assign(n, 0);
  for (VertexId v = 0; v < n; ++v) {
    ws.volume[partition[v]] += g.degrees[v];
    ++ws.size[partition[v]];
  }
  ws.empty.clear();
  for (std::size_t c = n; c-- > 0;) {
    if (ws.size[c] == 0) ws.empty.push_back(static_cast<std::uint32_t>(c));
  }
  ws.neighbours.Reset(n);
}

// Takes v out of its community and puts it where the gain is best: a
// neighbouring community, an empty one (gain 0), or back. Returns the choice.
std::uint32_t PlaceVertex(const CsrView& g, VertexId v, double scale,
                          std::span<const std::uint32_t> partition, Workspace& ws) {
  const std::uint32_t from = partition[v];
  const double k = g.degrees[v];
  community_internal::CollectNeighbourCommunities(g, v, partition, ws.neighbours);
  ws.volume[from] -= k;
  --ws.size[from];
  std::uint32_t best = from;
  double best_gain = ws.neighbours.weight(from) - scale * ws.volume[from] * k;
  for (std::uint32_t c : ws.neighbours.touched()) {
    const double gain = ws.neighbours.weight(c) - scale * ws.volume[c] * k;
    if (gain > best_gain + kGainEpsilon * k) {
      best = c;
      best_gain = gain;
    }
  }
  ws.neighbours.Clear();
  if (ws.size[from] > 0 && !ws.empty.empty() && 0.0 > best_gain + kGainEpsilon * k) {
    best = ws.empty.back();
  }
  if (best != from && ws.size[best] == 0) ws.empty.pop_back();
  if (best != from && ws.size[from] == 0) ws.empty.push_back(from);
  ws.volume[best] += k;
  ++ws.size[best];
  return best;
}

// Prefetches the rows of the vertices queued a little after `head` in the
// ring buffer `queue` holding `pending` vertices.
void PrefetchQueued(const CsrView& g, std::span<const VertexId> queue, std::size_t head,
                    std::size_t pending) {
  const auto at = [&](std::size_t d) {
    const std::size_t i = head + d;
    return queue[i < queue.size() ? i : i - queue.size()];
  };
  if (community_internal::kPrefetchFar < pending) {
    community_internal::PrefetchRowStart(g, at(community_internal::kPrefetchFar));
  }
  if (community_internal::kPrefetchNear < pending) {
    community_internal::PrefetchRowArcs(g, at(community_internal::kPrefetchNear));
  }
}

// Local moving from `partition`: all vertices queued in random order; when a
// vertex moves, its neighbours outside its new community are queued again.
// Returns the number of moves.
std::size_t MoveNodesFast(const CsrView& g, double scale, Rng& rng,
                          std::vector<std::uint32_t>& partition, Workspace& ws) {
  const std::size_t n = g.num_vertices();
  InitCommunities(g, partition, ws);
  ws.queue.resize(n);
  std::iota(ws.queue.begin(), ws.queue.end(), 0u);
  rng.Shuffle(std::span<VertexId>(ws.queue));
  ws.queued.assign(n, 1);
  std::size_t head = 0, pending = n, moves = 0;
  while (pending > 0) {
    PrefetchQueued(g, ws.queue, head, pending);
    const VertexId v = ws.queue[head];
    head = head + 1 == n ? 0 : head + 1;
    --pending;
    ws.queued[v] = 0;
    const std::uint32_t to = PlaceVertex(g, v, scale, partition, ws);
    if (to == partition[v]) continue;
    partition[v] = to;
    ++moves;
    for (ArcIndex a = g.offsets[v]; a < g.offsets[v + 1]; ++a) {
      const VertexId u = g.targets[a];
      if (ws.queued[u] || partition[u] == to) continue;
      const std::size_t tail = head + pending;
      ws.queue[tail < n ? tail : tail - n] = u;
      ++pending;
      ws.queued[u] = 1;
    }
  }
  return moves;
}

// ws.members[ws.member_start[c] .. ws.member_start[c+1]) = vertices of c.
void GroupByCommunity(std::span<const std::uint32_t> partition, std::uint32_t count,
                      Workspace& ws) {
  ws.member_start.assign(count + 1, 0);
  for (std::uint32_t c : partition) ++ws.member_start[c + 1];
  for (std::uint32_t c = 0; c < count; ++c) ws.member_start[c + 1] += ws.member_start[c];
  ws.members.resize(partition.size());
  std::vector<std::size_t> next(ws.member_start.begin(), ws.member_start.end() - 1);
  for (VertexId v = 0; v < partition.size(); ++v) ws.members[next[partition[v]]++] = v;
}

// ws.external[v] = weight of v's links to the rest of its community.
void ComputeExternalWeights(const CsrView& g, std::span<const std::uint32_t> partition,
                            Workspace& ws) {
  ws.external.assign(g.num_vertices(), 0.0);
  for (VertexId v = 0; v < g.num_vertices(); ++v) {
    for (ArcIndex a = g.offsets[v]; a < g.offsets[v + 1]; ++a) {
      const VertexId u = g.targets[a];
      if (u != v && partition[u] == partition[v]) ws.external[v] += g.weights[a];
    }
  }
}

// Picks the sub-community singleton v joins: itself (gain 0) or a
// well-connected neighbouring sub-community with gain >= 0, at random with
// weight exp((gain - max gain) / theta), or the first best when theta = 0.
// ws.neighbours holds v's link weights per neighbouring sub-community.
std::uint32_t ChooseSubcommunity(VertexId v, double k, double community_volume, double scale,
                                 double theta, Rng& rng, Workspace& ws) {
  ws.candidates.assign(1, v);
  ws.gains.assign(1, 0.0);
  double max_gain = 0.0;
  for (std::uint32_t t : ws.neighbours.touched()) {
    const double volume = ws.refined_volume[t];
    if (ws.refined_external[t] < scale * volume * (community_volume - volume)) continue;
    const double gain = ws.neighbours.weight(t) - scale * k * volume;
    if (gain < 0.0) continue;
    ws.candidates.push_back(t);
    ws.gains.push_back(gain);
    max_gain = std::max(max_gain, gain);
  }
  if (ws.candidates.size() == 1) return v;
  if (theta == 0.0) {
    const auto best = std::find(ws.gains.begin(), ws.gains.end(), max_gain);
    return ws.candidates[static_cast<std::size_t>(best - ws.gains.begin())];
  }
  double total = 0.0;
  for (double& gain : ws.gains) gain = total += std::exp((gain - max_gain) / theta);
  const double r = rng.Unit() * total;
  const auto chosen = std::upper_bound(ws.gains.begin(), ws.gains.end(), r);
  return ws.candidates[std::min<std::size_t>(chosen - ws.gains.begin(), ws.candidates.size() - 1)];
}

// MergeNodesSubset for one vertex of community c: a singleton that is well
// connected to c (w(v, c - v) >= gamma k_v (K_c - k_v) / 2m) may join a
// sub-community of c; sub-communities that others joined stay put.
void MergeVertex(const CsrView& g, VertexId v, double community_volume, double scale, double theta,
                 std::span<const std::uint32_t> partition, std::vector<std::uint32_t>& refined,
                 Rng& rng, Workspace& ws) {
  const double k = g.degrees[v];
  if (ws.joined[v] || ws.external[v] < scale * k * (community_volume - k)) return;
  for (ArcIndex a = g.offsets[v]; a < g.offsets[v + 1]; ++a) {
    const VertexId u = g.targets[a];
    if (u != v && partition[u] == partition[v]) ws.neighbours.Add(refined[u], g.weights[a]);
  }
  const std::uint32_t target = ChooseSubcommunity(v, k, community_volume, scale, theta, rng, ws);
  if (target != v) {
    refined[v] = target;
    ws.refined_volume[target] += k;
    ws.refined_external[target] += ws.external[v] - 2.0 * ws.neighbours.weight(target);
    ws.joined[target] = 1;
    ws.refined_volume[v] = 0.0;
  }
  ws.neighbours.Clear();
}

// The refined partition: within each community, singletons merged by
// MergeVertex in random order. `refined` gets dense ids; returns their count.
std::uint32_t RefinePartition(const CsrView& g, double scale, double theta,
                              std::span<const std::uint32_t> partition, std::uint32_t count,
                              Rng& rng, std::vector<std::uint32_t>& refined, Workspace& ws) {
  const std::size_t n = g.num_vertices();
  GroupByCommunity(partition, count, ws);
  ComputeExternalWeights(g, partition, ws);
  refined.resize(n);
  std::iota(refined.begin(), refined.end(), 0u);
  ws.refined_volume.assign(g.degrees.begin(), g.degrees.end());
  ws.refined_external.assign(ws.external.begin(), ws.external.end());
  ws.joined.assign(n, 0);
  ws.neighbours.Reset(n);
  for (std::uint32_t c = 0; c < count; ++c) {
    const std::span<VertexId> members(ws.members.data() + ws.member_start[c],
                                      ws.member_start[c + 1] - ws.member_start[c]);
    double community_volume = 0.0;
    for (VertexId v : members) community_volume += g.degrees[v];
    rng.Shuffle(members);
    for (std::size_t i = 0; i < members.size(); ++i) {
      community_internal::PrefetchAhead(g, members, i);
      MergeVertex(g, members[i], community_volume, scale, theta, partition, refined, rng, ws);
    }
  }
  return RenumberDense(refined);
}

// The connected parts of each community (links inside the community only),
// with dense ids; returns their count. Breadth-first, O(n + m).
std::uint32_t SplitConnectedParts(const CsrView& g, std::span<const std::uint32_t> partition,
                                  std::vector<std::uint32_t>& parts, Workspace& ws) {
  constexpr std::uint32_t kUnset = ~std::uint32_t{0};
  parts.assign(g.num_vertices(), kUnset);
  std::uint32_t count = 0;
  for (VertexId s = 0; s < g.num_vertices(); ++s) {
    if (parts[s] != kUnset) continue;
    ws.queue.assign(1, s);
    parts[s] = count;
    for (std::size_t head = 0; head < ws.queue.size(); ++head) {
      const VertexId v = ws.queue[head];
      for (ArcIndex a = g.offsets[v]; a < g.offsets[v + 1]; ++a) {
        const VertexId u = g.targets[a];
        if (parts[u] != kUnset || partition[u] != partition[s]) continue;
        parts[u] = count;
        ws.queue.push_back(u);
      }
    }
    ++count;
  }
  return count;
}

// The starting partition of the aggregate graph: each refined sub-community
// keeps the community it lies in.
std::vector<std::uint32_t> AggregatePartition(std::span<const std::uint32_t> refined,
                                              std::uint32_t refined_count,
                                              std::span<const std::uint32_t> partition) {
  std::vector<std::uint32_t> next(refined_count, 0);
  for (std::size_t v = 0; v < refined.size(); ++v) next[refined[v]] = partition[v];
  return next;
}

// One Leiden iteration from `membership` (dense ids of the vertices of g),
// updated in place. If refinement merges nothing, the level is aggregated on
// the connected parts of its communities instead (igraph aggregates on the
// communities themselves, which could end with a disconnected community);
// if those are singletons too, the parts become the partition and the
// iteration ends.
void RunIteration(const LinkGraph& g, const LeidenOptions& o, Rng& rng, Workspace& ws,
                  std::vector<std::uint32_t>& membership, CommunityResult& result) {
  std::vector<std::uint32_t> node_of(g.num_vertices());  // vertex of g -> level vertex
  std::iota(node_of.begin(), node_of.end(), 0u);
  std::vector<std::uint32_t> partition = membership;
  std::vector<std::uint32_t> refined;
  CsrView level = community_internal::ViewOf(g);
  for (int next = 0;; next ^= 1) {
    const double scale = o.resolution / (2.0 * level.total_weight);
    {
      ScopedTimer timer(result.timings.moving_seconds);
      MoveNodesFast(level, scale, rng, partition, ws);
    }
    ++result.levels;
    const std::uint32_t count = RenumberDense(partition);
    if (count == level.num_vertices()) break;
    std::uint32_t refined_count = 0;
    {
      ScopedTimer timer(result.timings.refining_seconds);
      refined_count = RefinePartition(level, scale, o.theta, partition, count, rng, refined, ws);
      if (refined_count == level.num_vertices()) {
        refined_count = SplitConnectedParts(level, partition, refined, ws);
      }
    }
    if (refined_count == level.num_vertices()) {
      partition = refined;
      break;
    }
    ScopedTimer timer(result.timings.aggregating_seconds);
    for (std::uint32_t& x : node_of) x = refined[x];
    partition = AggregatePartition(refined, refined_count, partition);
    AggregateGraph(level, refined, refined_count, ws.levels[next]);
    level = ws.levels[next].View();
  }
  for (std::size_t v = 0; v < membership.size(); ++v) membership[v] = partition[node_of[v]];
}

}  // namespace

CommunityResult Leiden(const LinkGraph& g, const LeidenOptions& o) {
  ValidateOptions(o);
  const community_internal::Stopwatch total;
  CommunityResult result;
  result.community.resize(g.num_vertices());
  std::iota(result.community.begin(), result.community.end(), 0u);
  if (g.total_weight() > 0.0) {
    Rng rng(o.seed);
    Workspace ws;
    std::vector<std::uint32_t> previous;
    while (o.max_iterations < 0 || result.iterations < o.max_iterations) {
      previous = result.community;
      RunIteration(g, o, rng, ws, result.community, result);
      RenumberDense(result.community);
      ++result.iterations;
      if (result.community == previous) break;
    }
  }
  result.num_communities = RenumberDense(result.community);
  result.modularity = Modularity(g, result.community, o.resolution);
  result.timings.total_seconds = total.Seconds();
  return result;
}

}  // namespace ringscope
