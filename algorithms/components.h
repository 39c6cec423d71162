// Connected components of the link graph, over the links whose weight reaches
// a threshold: the coarsest grouping of accounts that share anything.
//
// Reference: breadth-first search, Cormen et al., "Introduction to
// Algorithms", section 22.2, over the flat CSR arrays of LinkGraph (each arc
// read once, sequentially). Tested against a BFS over the input edge list.
// Complexity: O(n + m) time, O(n) extra memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "graph/link_graph.h"

namespace ringscope {

struct ComponentsOptions {
  // Only links with weight >= min_weight join their endpoints. The default
  // keeps every link (weights are >= 0).
  double min_weight = 0.0;
};

struct ComponentsResult {
  // component[v] in 0..num_components-1; components are numbered in the order
  // of their smallest vertex (vertex 0 is always in component 0).
  std::vector<std::uint32_t> component;
  std::size_t num_components = 0;
  // sizes[c] = number of vertices in component c.
  std::vector<std::uint32_t> sizes;
};

// Finds the connected components of `g` restricted to the links with weight
// >= o.min_weight; an isolated vertex is a component of its own. Throws
// std::invalid_argument when min_weight is NaN. O(n + m).
ComponentsResult FindComponents(const LinkGraph& g, const ComponentsOptions& o = {});

}  // namespace ringscope
