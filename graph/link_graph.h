// LinkGraph: the one graph type of ringscope. An undirected weighted graph in
// compressed sparse row (CSR) form, held in a Boost.Graph
// compressed_sparse_row_graph (directed) that stores every undirected link as
// two arcs, u->v and v->u, so BGL algorithms (connected_components,
// dijkstra_shortest_paths, ...) run on csr() directly.
//
// Layout, for the hot loops of the community algorithms:
// - vertices are 0..n-1 (VertexId, 32 bits);
// - each undirected link has a stable edge id 0..m-1 (EdgeId), in the order
//   of (min endpoint, max endpoint); callers keep per-link evidence in a
//   vector indexed by edge id;
// - arcs 0..num_arcs()-1 are grouped by source; the arcs of v are
//   arc_offsets()[v] .. arc_offsets()[v+1], sorted by target, with parallel
//   plain arrays arc_targets(), arc_weights() and arc_edge_ids(). The arc
//   index is Boost's edge_index of the same arc.
//
// Self loops (kept only when BuildOptions::keep_self_loops is set; the
// aggregated graphs of Louvain/Leiden need them) follow the convention of
// networkx and igraph: a loop (v, v, w) is one edge and one arc of weight w,
// counts w once in total_weight() and 2w in WeightedDegree(v). With it the
// modularity of a partition is unchanged when each community is collapsed to
// one vertex carrying its internal weight as a self loop.
#pragma once

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/property_map/property_map.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace ringscope {

using VertexId = std::uint32_t;
using EdgeId = std::uint32_t;
using ArcIndex = std::uint64_t;

// One undirected link as given to the builder. Endpoint order does not matter.
struct WeightedEdge {
  VertexId u = 0;
  VertexId v = 0;
  double weight = 1.0;

  friend bool operator==(const WeightedEdge&, const WeightedEdge&) = default;
};

struct BuildOptions {
  // Account graphs drop self loops (an account trivially shares its own
  // values); aggregated community graphs keep them.
  bool keep_self_loops = false;
};

class LinkGraph {
 public:
  // The Boost graph: directed CSR, two arcs per undirected link.
  using Csr =
      boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                         boost::no_property, VertexId, ArcIndex>;
  using ArcIndexMap = boost::property_map<Csr, boost::edge_index_t>::const_type;
  // Arc weights as a BGL property map keyed by Csr edge descriptors.
  using WeightMap = boost::iterator_property_map<const double*, ArcIndexMap>;

  // The arcs leaving one vertex, as parallel spans sorted by target.
  struct Neighbourhood {
    std::span<const VertexId> targets;
    std::span<const double> weights;
    std::span<const EdgeId> edge_ids;
  };

  // The empty graph (no vertex).
  LinkGraph();

  std::size_t num_vertices() const { return weighted_degrees_.size(); }
  // Undirected links, self loops included.
  std::size_t num_edges() const { return edges_.size(); }
  // 2 * num_edges() - number of self loops.
  std::size_t num_arcs() const { return arc_weights_.size(); }

  // O(1). v must be < num_vertices() (not checked: hot path).
  Neighbourhood Neighbours(VertexId v) const;
  // Sum of the weights of v's links, self loops counted twice. O(1).
  double WeightedDegree(VertexId v) const { return weighted_degrees_[v]; }
  // Sum of all link weights, each link (and self loop) once. O(1).
  double total_weight() const { return total_weight_; }

  // The merged links, indexed by edge id, each with u <= v. O(1).
  std::span<const WeightedEdge> edges() const { return edges_; }
  const WeightedEdge& edge(EdgeId e) const { return edges_[e]; }
  // The id of the link between u and v, if any (either order).
  // O(log deg(min-degree endpoint)).
  std::optional<EdgeId> FindEdge(VertexId u, VertexId v) const;

  // The flat CSR arrays, for tight loops.
  std::span<const ArcIndex> arc_offsets() const;  // num_vertices() + 1 entries
  std::span<const VertexId> arc_targets() const;
  std::span<const double> arc_weights() const { return arc_weights_; }
  std::span<const EdgeId> arc_edge_ids() const { return arc_edge_ids_; }
  std::span<const double> weighted_degrees() const { return weighted_degrees_; }

  // For BGL algorithms: the graph, and arc weights / arc indexes as property maps.
  const Csr& csr() const { return csr_; }
  ArcIndexMap arc_index_map() const { return boost::get(boost::edge_index, csr_); }
  WeightMap weight_map() const { return WeightMap(arc_weights_.data(), arc_index_map()); }

 private:
  friend LinkGraph BuildLinkGraph(std::size_t, std::span<const WeightedEdge>, const BuildOptions&);

  Csr csr_;
  std::vector<double> arc_weights_;
  std::vector<EdgeId> arc_edge_ids_;
  std::vector<WeightedEdge> edges_;
  std::vector<double> weighted_degrees_;
  double total_weight_ = 0.0;
};

// Builds the graph on vertices 0..num_vertices-1 from `edges`: endpoints are
// normalised to (min, max), duplicate pairs are merged by summing their
// weights (in input order), self loops are dropped unless
// options.keep_self_loops, and edge ids follow the sorted (min, max) order.
// Throws std::invalid_argument when an endpoint is >= num_vertices, a weight is
// negative, NaN or infinite, or the graph is too large for 32-bit ids.
// O(m log m) for m input edges (O(n + m) when the input is already sorted by
// (min, max)), O(n + m) memory.
LinkGraph BuildLinkGraph(std::size_t num_vertices, std::span<const WeightedEdge> edges,
                         const BuildOptions& options = {});

}  // namespace ringscope
