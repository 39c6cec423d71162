// Checks shared by the Louvain and Leiden tests: the invariants every
// community result must satisfy, whatever the seed.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "algorithms/components.h"
#include "algorithms/modularity.h"
#include "graph/link_graph.h"

namespace ringscope::test_graphs {

// Every vertex assigned; ids 0..k-1 numbered by smallest vertex; the reported
// modularity is Modularity() of the partition; communities never span two
// connected components.
inline void ExpectWellFormed(const LinkGraph& g, const CommunityResult& r, double resolution) {
  ASSERT_EQ(r.community.size(), g.num_vertices());
  std::uint32_t next = 0;
  for (std::uint32_t c : r.community) {
    ASSERT_LE(c, next) << "ids must appear in order of their smallest vertex";
    if (c == next) ++next;
  }
  EXPECT_EQ(r.num_communities, next);
  EXPECT_NEAR(r.modularity, Modularity(g, r.community, resolution), 1e-12);

  const ComponentsResult components = FindComponents(g);
  std::vector<std::uint32_t> component_of(r.num_communities, ~std::uint32_t{0});
  for (VertexId v = 0; v < g.num_vertices(); ++v) {
    std::uint32_t& seen = component_of[r.community[v]];
    if (seen == ~std::uint32_t{0}) seen = components.component[v];
    EXPECT_EQ(seen, components.component[v])
        << "community " << r.community[v] << " spans two components";
  }
}

// The number of connected pieces the communities fall into, counting only
// links inside communities: equal to num_communities iff each is connected.
inline std::size_t CountConnectedPieces(const LinkGraph& g,
                                        const std::vector<std::uint32_t>& community) {
  std::vector<WeightedEdge> inside;
  for (const WeightedEdge& e : g.edges()) {
    if (community[e.u] == community[e.v]) inside.push_back(e);
  }
  return FindComponents(BuildLinkGraph(g.num_vertices(), inside)).num_components;
}

}  // namespace ringscope::test_graphs
