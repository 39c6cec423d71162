// LinkGraph builder and accessors. See link_graph.h for the layout.
#include "graph/link_graph.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

namespace ringscope {
namespace {

bool PairLess(const WeightedEdge& a, const WeightedEdge& b) {
  return a.u != b.u ? a.u < b.u : a.v < b.v;
}

// Copies the input with endpoints ordered (u <= v), checking every field;
// self loops are dropped unless kept.
std::vector<WeightedEdge> NormaliseEdges(std::size_t num_vertices,
                                         std::span<const WeightedEdge> edges,
                                         bool keep_self_loops) {
  std::vector<WeightedEdge> out;
  out.reserve(edges.size());
  for (std::size_t i = 0; i < edges.size(); ++i) {
    const WeightedEdge& e = edges[i];
    for (VertexId x : {e.u, e.v}) {
      if (x >= num_vertices) {
        throw std::invalid_argument("BuildLinkGraph: edge " + std::to_string(i) + " has vertex " +
                                    std::to_string(x) + ", expected < num_vertices " +
                                    std::to_string(num_vertices));
      }
    }
    if (!std::isfinite(e.weight) || e.weight < 0.0) {
      throw std::invalid_argument("BuildLinkGraph: edge " + std::to_string(i) + " (" +
                                  std::to_string(e.u) + "," + std::to_string(e.v) +
                                  ") has weight " + std::to_string(e.weight) +
                                  ", expected a finite weight >= 0");
    }
    if (e.u == e.v && !keep_self_loops) continue;
    out.push_back({std::min(e.u, e.v), std::max(e.u, e.v), e.weight});
  }
  return out;
}

// Sorts by (u, v) and sums the weights of equal pairs, in input order.
void SortAndMerge(std::vector<WeightedEdge>& edges) {
  if (!std::is_sorted(edges.begin(), edges.end(), PairLess)) {
    std::stable_sort(edges.begin(), edges.end(), PairLess);
  }
  std::size_t kept = 0;
  for (std::size_t i = 0; i < edges.size(); ++i) {
    if (kept > 0 && edges[kept - 1].u == edges[i].u && edges[kept - 1].v == edges[i].v) {
      edges[kept - 1].weight += edges[i].weight;
    } else {
      edges[kept++] = edges[i];
    }
  }
  edges.resize(kept);
}

}  // namespace

LinkGraph::LinkGraph() = default;  // Boost's default CSR has no vertex and offsets {0}

LinkGraph::Neighbourhood LinkGraph::Neighbours(VertexId v) const {
  const ArcIndex begin = csr_.m_forward.m_rowstart[v];
  const std::size_t count = csr_.m_forward.m_rowstart[v + 1] - begin;
  return {{csr_.m_forward.m_column.data() + begin, count},
          {arc_weights_.data() + begin, count},
          {arc_edge_ids_.data() + begin, count}};
}

std::optional<EdgeId> LinkGraph::FindEdge(VertexId u, VertexId v) const {
  if (u >= num_vertices() || v >= num_vertices()) return std::nullopt;
  if (Neighbours(v).targets.size() < Neighbours(u).targets.size()) std::swap(u, v);
  const Neighbourhood nb = Neighbours(u);
  const auto it = std::lower_bound(nb.targets.begin(), nb.targets.end(), v);
  if (it == nb.targets.end() || *it != v) return std::nullopt;
  return nb.edge_ids[static_cast<std::size_t>(it - nb.targets.begin())];
}

// Boost keeps the CSR arrays in public members of m_forward (rowstart and
// column); reading them is the documented way to get tight loops over a
// compressed_sparse_row_graph without copying it.
std::span<const ArcIndex> LinkGraph::arc_offsets() const { return csr_.m_forward.m_rowstart; }
std::span<const VertexId> LinkGraph::arc_targets() const { return csr_.m_forward.m_column; }

LinkGraph BuildLinkGraph(std::size_t num_vertices, std::span<const WeightedEdge> edges,
                         const BuildOptions& options) {
  constexpr std::size_t kMaxId = std::numeric_limits<VertexId>::max();
  if (num_vertices > kMaxId) {
    throw std::invalid_argument("BuildLinkGraph: num_vertices " + std::to_string(num_vertices) +
                                ", expected <= " + std::to_string(kMaxId));
  }
  std::vector<WeightedEdge> merged = NormaliseEdges(num_vertices, edges, options.keep_self_loops);
  SortAndMerge(merged);
  if (merged.size() > std::numeric_limits<EdgeId>::max()) {
    throw std::invalid_argument(
        "BuildLinkGraph: " + std::to_string(merged.size()) +
        " distinct links, expected <= " + std::to_string(std::numeric_limits<EdgeId>::max()));
  }

  // Arc counts per source, then offsets.
  std::vector<ArcIndex> next(num_vertices + 1, 0);
  for (const WeightedEdge& e : merged) {
    ++next[e.u + 1];
    if (e.u != e.v) ++next[e.v + 1];
  }
  for (std::size_t v = 0; v < num_vertices; ++v) next[v + 1] += next[v];
  const ArcIndex num_arcs = next[num_vertices];

  // Filling rows in edge order leaves every row sorted by target: the arcs
  // (v, u) with u < v come from edges (u, v) that precede all edges (v, *).
  LinkGraph g;
  std::vector<VertexId> sources(num_arcs);
  std::vector<VertexId> targets(num_arcs);
  g.arc_weights_.resize(num_arcs);
  g.arc_edge_ids_.resize(num_arcs);
  g.weighted_degrees_.assign(num_vertices, 0.0);
  auto place = [&](VertexId from, VertexId to, double w, EdgeId id) {
    const ArcIndex a = next[from]++;
    sources[a] = from;
    targets[a] = to;
    g.arc_weights_[a] = w;
    g.arc_edge_ids_[a] = id;
  };
  for (EdgeId id = 0; id < merged.size(); ++id) {
    const WeightedEdge& e = merged[id];
    place(e.u, e.v, e.weight, id);
    if (e.u != e.v) place(e.v, e.u, e.weight, id);
    g.weighted_degrees_[e.u] += e.weight;
    g.weighted_degrees_[e.v] += e.weight;  // a self loop counts twice
    g.total_weight_ += e.weight;
  }
  // The sources are already sorted, so Boost's in-place histogram sort keeps
  // this arc order and swaps `targets` into the graph without a copy.
  g.csr_ = LinkGraph::Csr(boost::construct_inplace_from_sources_and_targets, sources, targets,
                          static_cast<VertexId>(num_vertices));
  g.edges_ = std::move(merged);
  return g;
}

}  // namespace ringscope
