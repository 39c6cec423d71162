// Leiden community detection: Traag, Waltman & van Eck 2019, "From Louvain to
// Leiden: guaranteeing well-connected communities", Sci. Rep. 9:5233.
//
// Maximises modularity (with resolution gamma, see modularity.h). One
// iteration repeats, on ever smaller aggregate graphs:
//   1. MoveNodesFast: local moving driven by a queue; only the neighbours of
//      a moved vertex are revisited; a vertex may also leave for an empty
//      community.
//   2. RefinePartition: inside each community, start from singletons and let
//      each well-connected singleton join a well-connected sub-community of
//      the same community with non-negative gain, chosen at random with
//      probability proportional to exp(gain / theta) (the paper's randomised
//      merge; theta = 0 gives the greedy variant, always the best gain).
//   3. AggregateGraph on the refined partition, with the unrefined partition
//      as the starting partition of the aggregate graph.
// until local moving leaves every aggregate vertex in a community of its own.
// Iterations repeat from the previous partition until one changes nothing
// (or max_iterations). Every returned community is connected.
//
// Gains are in link-weight units (w(v, C) - gamma * k_v * K_C / 2m), as in
// the paper and igraph, so theta is relative to the link weights: with the
// default 0.01 and unit weights the merges are practically greedy.
//
// Complexity: O(n + m) per local-moving sweep, per refinement and per
// aggregation; an iteration has a few levels and real graphs need a few
// iterations (3-5 on the reference graphs), but graphs without community
// structure can need dozens until stable: cap max_iterations there.
// Memory O(n + m). Deterministic for a given seed.
#pragma once

#include <cstdint>

#include "algorithms/modularity.h"
#include "graph/link_graph.h"

namespace ringscope {

struct LeidenOptions {
  double resolution = 1.0;  // gamma >= 0; larger gives smaller communities
  std::uint64_t seed = 0;   // vertex orders and refinement choices
  double theta = 0.01;      // randomness of refinement merges, >= 0; 0 = greedy
  int max_iterations = -1;  // -1: until an iteration changes nothing; else >= 1
};

// Throws std::invalid_argument on a negative or non-finite resolution or
// theta, or max_iterations other than -1 or >= 1.
CommunityResult Leiden(const LinkGraph& g, const LeidenOptions& o = {});

}  // namespace ringscope
