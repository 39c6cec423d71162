// Connected components by breadth-first search over the flat CSR arrays.
// Starting each search at the smallest unlabelled vertex numbers the
// components in order of their smallest vertex with no renumbering pass.
// (Boost's connected_components on a filtered_graph, used before, took about
// 1.2x igraph's time through its property maps, colour map and filter
// iterators; this loop reads each arc once, sequentially.)
#include "algorithms/components.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace ringscope {
namespace {

constexpr std::uint32_t kUnlabelled = std::numeric_limits<std::uint32_t>::max();

// Labels every vertex reachable from `source` (unlabelled) with `label`
// through arcs that `keep` accepts; `queue` has room for n vertices. Returns
// the number of vertices labelled.
template <typename KeepArc>
std::uint32_t LabelFrom(const LinkGraph& g, VertexId source, std::uint32_t label, KeepArc keep,
                        std::vector<std::uint32_t>& component, std::vector<VertexId>& queue) {
  const auto offsets = g.arc_offsets();
  const auto targets = g.arc_targets();
  std::size_t head = 0, tail = 0;
  queue[tail++] = source;
  component[source] = label;
  while (head < tail) {
    const VertexId v = queue[head++];
    for (ArcIndex a = offsets[v]; a < offsets[v + 1]; ++a) {
      const VertexId u = targets[a];
      if (component[u] != kUnlabelled || !keep(a)) continue;
      component[u] = label;
      queue[tail++] = u;
    }
  }
  return static_cast<std::uint32_t>(tail);
}

template <typename KeepArc>
ComponentsResult LabelAll(const LinkGraph& g, KeepArc keep) {
  const std::size_t n = g.num_vertices();
  ComponentsResult result;
  result.component.assign(n, kUnlabelled);
  std::vector<VertexId> queue(n);
  for (VertexId s = 0; s < n; ++s) {
    if (result.component[s] != kUnlabelled) continue;
    const auto label = static_cast<std::uint32_t>(result.sizes.size());
    result.sizes.push_back(LabelFrom(g, s, label, keep, result.component, queue));
  }
  result.num_components = result.sizes.size();
  return result;
}

}  // namespace

ComponentsResult FindComponents(const LinkGraph& g, const ComponentsOptions& o) {
  if (std::isnan(o.min_weight)) {
    throw std::invalid_argument("FindComponents: min_weight is NaN, expected a number");
  }
  // Weights are >= 0 (BuildLinkGraph checks), so a threshold <= 0 keeps
  // every arc and the weights need not be read.
  if (o.min_weight <= 0.0) return LabelAll(g, [](ArcIndex) { return true; });
  const double* weights = g.arc_weights().data();
  const double min_weight = o.min_weight;
  return LabelAll(g, [weights, min_weight](ArcIndex a) { return weights[a] >= min_weight; });
}

}  // namespace ringscope
