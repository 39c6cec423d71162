// Modularity in one pass over the links and one over the vertices.
#include "algorithms/modularity.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace ringscope {

double Modularity(const LinkGraph& g, std::span<const std::uint32_t> community, double resolution) {
  const std::size_t n = g.num_vertices();
  if (community.size() != n) {
    throw std::invalid_argument("Modularity: community has " + std::to_string(community.size()) +
                                " entries, expected num_vertices " + std::to_string(n));
  }
  if (!std::isfinite(resolution) || resolution < 0.0) {
    throw std::invalid_argument("Modularity: resolution " + std::to_string(resolution) +
                                ", expected a finite value >= 0");
  }
  for (std::size_t v = 0; v < n; ++v) {
    if (community[v] >= n) {
      throw std::invalid_argument("Modularity: vertex " + std::to_string(v) + " has community " +
                                  std::to_string(community[v]) + ", expected < num_vertices " +
                                  std::to_string(n));
    }
  }
  const double m = g.total_weight();
  if (m <= 0.0) return 0.0;

  std::vector<double> internal(n, 0.0);  // L_c
  std::vector<double> volume(n, 0.0);    // K_c
  for (const WeightedEdge& e : g.edges()) {
    if (community[e.u] == community[e.v]) internal[community[e.u]] += e.weight;
  }
  for (std::size_t v = 0; v < n; ++v) volume[community[v]] += g.WeightedDegree(v);
  double q = 0.0;
  for (std::size_t c = 0; c < n; ++c) {
    const double share = volume[c] / (2.0 * m);
    q += internal[c] / m - resolution * share * share;
  }
  return q;
}

}  // namespace ringscope
