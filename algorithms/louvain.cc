// Louvain: a driver over the phases MoveNodes (local moving on one level
// graph) and AggregateGraph (community_internal), with the membership of the
// original vertices carried from level to level.
#include "algorithms/louvain.h"

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

// Buffers reused across levels (each level graph is smaller than the first).
struct Workspace {
  std::vector<std::uint32_t> community;  // per level vertex
  std::vector<double> volume;            // per community: sum of degrees
  std::vector<VertexId> order;
  CommunityWeights neighbours;
};

void ValidateOptions(const LouvainOptions& o) {
  if (!std::isfinite(o.resolution) || o.resolution < 0.0) {
    throw std::invalid_argument("Louvain: resolution " + std::to_string(o.resolution) +
                                ", expected a finite value >= 0");
  }
  if (!std::isfinite(o.tolerance) || o.tolerance < 0.0) {
    throw std::invalid_argument("Louvain: tolerance " + std::to_string(o.tolerance) +
                                ", expected a finite value >= 0");
  }
  if (o.max_levels != -1 && o.max_levels < 1) {
    throw std::invalid_argument("Louvain: max_levels " + std::to_string(o.max_levels) +
                                ", expected -1 (no limit) or >= 1");
  }
}

// Moves v to the neighbouring community with the best gain; returns the gain
// over staying (0 when v stays). Gains are in link-weight units:
// w(v, c) - gamma * K_c * k_v / 2m, with v taken out of its community.
double MoveVertex(const CsrView& g, VertexId v, double scale, Workspace& ws) {
  const std::uint32_t from = ws.community[v];
  const double k = g.degrees[v];
  community_internal::CollectNeighbourCommunities(g, v, ws.community, ws.neighbours);
  ws.volume[from] -= k;
  const double stay = ws.neighbours.weight(from) - scale * ws.volume[from] * k;
  std::uint32_t best = from;
  double best_gain = stay;
  for (std::uint32_t c : ws.neighbours.touched()) {
    const double gain = ws.neighbours.weight(c) - scale * ws.volume[c] * k;
    if (gain > best_gain + kGainEpsilon * k) {
      best = c;
      best_gain = gain;
    }
  }
  ws.volume[best] += k;
  ws.neighbours.Clear();
  ws.community[v] = best;
  return best == from ? 0.0 : best_gain - stay;
}

// Local moving on one level graph from the singleton partition. Returns the
// number of passes and of moves.
std::pair<int, std::size_t> MoveNodes(const CsrView& g, const LouvainOptions& o, Rng& rng,
                                      Workspace& ws) {
  const std::size_t n = g.num_vertices();
  const double m = g.total_weight;
  const double scale = o.resolution / (2.0 * m);
  ws.community.resize(n);
  std::iota(ws.community.begin(), ws.community.end(), 0u);
  ws.volume.assign(g.degrees.begin(), g.degrees.end());
  ws.order.resize(n);
  std::iota(ws.order.begin(), ws.order.end(), 0u);
  rng.Shuffle(std::span<VertexId>(ws.order));
  ws.neighbours.Reset(n);

  int passes = 0;
  std::size_t moves = 0;
  while (true) {
    double pass_gain = 0.0;
    std::size_t pass_moves = 0;
    for (std::size_t i = 0; i < n; ++i) {
      community_internal::PrefetchAhead(g, ws.order, i);
      const double gain = MoveVertex(g, ws.order[i], scale, ws);
      if (gain > 0.0) {
        pass_gain += gain;
        ++pass_moves;
      }
    }
    ++passes;
    moves += pass_moves;
    // A gain in weight units is a modularity gain times m.
    if (pass_moves == 0 || pass_gain / m <= o.tolerance) break;
  }
  return {passes, moves};
}

}  // namespace

CommunityResult Louvain(const LinkGraph& g, const LouvainOptions& o) {
  ValidateOptions(o);
  CommunityResult result;
  const community_internal::Stopwatch total;
  const std::size_t n = g.num_vertices();
  result.community.resize(n);
  std::iota(result.community.begin(), result.community.end(), 0u);

  Rng rng(o.seed);
  Workspace ws;
  LevelGraph buffers[2];  // aggregate levels alternate between two buffers
  CsrView level = community_internal::ViewOf(g);
  for (int next = 0; g.total_weight() > 0.0 && (o.max_levels < 0 || result.levels < o.max_levels);
       next ^= 1) {
    std::pair<int, std::size_t> moved;
    {
      ScopedTimer timer(result.timings.moving_seconds);
      moved = MoveNodes(level, o, rng, ws);
    }
    ++result.levels;
    result.iterations += moved.first;
    if (moved.second == 0) break;
    const std::uint32_t count = RenumberDense(ws.community);
    for (std::uint32_t& c : result.community) c = ws.community[c];
    if (count == level.num_vertices()) break;
    ScopedTimer timer(result.timings.aggregating_seconds);
    AggregateGraph(level, ws.community, count, buffers[next]);
    level = buffers[next].View();
  }
  result.num_communities = RenumberDense(result.community);
  result.modularity = Modularity(g, result.community, o.resolution);
  result.timings.total_seconds = total.Seconds();
  return result;
}

}  // namespace ringscope
