// Modularity of a partition of the link graph (Newman & Girvan 2004, "Finding
// and evaluating community structure in networks", Phys. Rev. E 69:026113),
// with the resolution parameter gamma of Reichardt & Bornholdt 2006:
//
//   Q = 1/(2m) * sum_ij [A_ij - gamma * k_i * k_j / (2m)] * delta(c_i, c_j)
//     = sum_c [ L_c / m - gamma * (K_c / (2m))^2 ]
//
// where m = total_weight(), k_i = WeightedDegree(i), L_c the weight of the
// links inside community c and K_c the sum of its degrees. A self loop of
// weight w has A_ii = 2w: it counts once in L_c and m, twice in k_i (the
// LinkGraph convention), so collapsing each community to one vertex with its
// internal weight as a self loop (what Louvain/Leiden aggregation does)
// leaves Q unchanged.
//
// Also the result type shared by the community algorithms (Louvain, Leiden).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "graph/link_graph.h"

namespace ringscope {

// Wall-clock seconds spent in each phase of a community algorithm.
struct CommunityTimings {
  double moving_seconds = 0.0;       // local moving of vertices
  double refining_seconds = 0.0;     // Leiden's refinement (0 for Louvain)
  double aggregating_seconds = 0.0;  // building the aggregate graphs
  double total_seconds = 0.0;
};

struct CommunityResult {
  // community[v] in 0..num_communities-1, numbered in the order of each
  // community's smallest vertex.
  std::vector<std::uint32_t> community;
  std::size_t num_communities = 0;
  // Modularity(g, community, resolution) of the returned partition.
  double modularity = 0.0;
  // Aggregation levels (graphs on which local moving ran), over all iterations.
  int levels = 0;
  // Louvain: local-moving passes over all levels. Leiden: full iterations run.
  int iterations = 0;
  CommunityTimings timings;
};

// Q of the partition `community` (one id per vertex, each id < num_vertices)
// at resolution gamma >= 0. A graph without links (total weight 0) has Q = 0.
// Throws std::invalid_argument when the sizes differ, an id is out of range
// or the resolution is negative or not finite. O(n + m).
double Modularity(const LinkGraph& g, std::span<const std::uint32_t> community,
                  double resolution = 1.0);

}  // namespace ringscope
