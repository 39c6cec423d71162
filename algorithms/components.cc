// Connected components via Boost.Graph on a weight-filtered view of the CSR.
#include "algorithms/components.h"

#include <boost/graph/connected_components.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace ringscope {
namespace {

// Keeps the arcs whose weight reaches the threshold. Default-constructible,
// as filtered_graph requires.
struct WeightAtLeast {
  const double* arc_weights = nullptr;
  LinkGraph::ArcIndexMap arc_index;
  double min_weight = 0.0;

  bool operator()(const LinkGraph::Csr::edge_descriptor& e) const {
    return arc_weights[get(arc_index, e)] >= min_weight;  // get() found by ADL
  }
};

// BGL numbers components in the order its search starts them (by vertex),
// but the contract should not hang on that: renumber by smallest vertex.
ComponentsResult RenumberBySmallestVertex(std::vector<std::uint32_t> raw) {
  constexpr std::uint32_t kUnset = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> new_id(raw.size(), kUnset);
  ComponentsResult result;
  result.component = std::move(raw);
  for (std::uint32_t& c : result.component) {
    if (new_id[c] == kUnset) {
      new_id[c] = static_cast<std::uint32_t>(result.sizes.size());
      result.sizes.push_back(0);
    }
    c = new_id[c];
    ++result.sizes[c];
  }
  result.num_components = result.sizes.size();
  return result;
}

}  // namespace

ComponentsResult FindComponents(const LinkGraph& g, const ComponentsOptions& o) {
  if (std::isnan(o.min_weight)) {
    throw std::invalid_argument("FindComponents: min_weight is NaN, expected a number");
  }
  std::vector<std::uint32_t> raw(g.num_vertices(), 0);
  if (g.num_vertices() == 0) return {};
  const auto& csr = g.csr();
  const auto component_map =
      boost::make_iterator_property_map(raw.begin(), boost::get(boost::vertex_index, csr));
  // The two-argument connected_components: it accepts the directed CSR type,
  // whose arcs come in symmetric pairs (LinkGraph's invariant).
  const WeightAtLeast keep{g.arc_weights().data(), g.arc_index_map(), o.min_weight};
  boost::filtered_graph<LinkGraph::Csr, WeightAtLeast> view(csr, keep);
  boost::connected_components(view, component_map);
  return RenumberBySmallestVertex(std::move(raw));
}

}  // namespace ringscope
