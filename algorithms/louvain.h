// Louvain community detection: Blondel, Guillaume, Lambiotte & Lefebvre 2008,
// "Fast unfolding of communities in large networks", J. Stat. Mech. P10008.
//
// Maximises modularity (with resolution gamma, see modularity.h) by repeating
// two phases: local moving (each vertex, in a seeded random order, joins the
// neighbouring community with the largest modularity gain; passes repeat
// while a pass raises modularity by more than `tolerance`), then aggregation
// (each community becomes one vertex, its internal weight a self loop).
// Communities may be internally disconnected (a known Louvain defect, which
// Leiden fixes) but never span two connected components.
//
// Complexity: O(m) per local-moving pass, O(n + m) per aggregation; in
// practice near-linear. Memory O(n + m). Deterministic for a given seed.
#pragma once

#include <cstdint>

#include "algorithms/modularity.h"
#include "graph/link_graph.h"

namespace ringscope {

struct LouvainOptions {
  double resolution = 1.0;  // gamma >= 0; larger gives smaller communities
  std::uint64_t seed = 0;   // vertex order of the local-moving passes
  int max_levels = -1;      // -1: until a level moves nothing; else >= 1
  double tolerance = 1e-7;  // minimum modularity gain of a pass to run another
};

// Throws std::invalid_argument on a negative or non-finite resolution or
// tolerance, or max_levels other than -1 or >= 1.
CommunityResult Louvain(const LinkGraph& g, const LouvainOptions& o = {});

}  // namespace ringscope
