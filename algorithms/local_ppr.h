// Personalized PageRank around a few seed nodes, computed locally: only the
// nodes the walk reaches with enough probability are ever looked at, so the
// graph can be read on demand (one neighbour query per node expanded) instead
// of being built whole.
//
// Reference: R. Andersen, F. Chung, K. Lang, "Local graph partitioning using
// PageRank vectors", FOCS 2006 (the "push" algorithm, weighted form). With the
// lazy walk W = (I + D^-1 A) / 2 and teleport probability alpha, the PPR
// vector pr = alpha s + (1 - alpha) pr W of the seed distribution s is
// approximated by p with a residual r, keeping p + pr(r) = pr(s): a push at
// u moves alpha r(u) to p(u), keeps (1 - alpha) r(u) / 2 at u and spreads
// (1 - alpha) r(u) / 2 over u's neighbours in proportion to the link weights.
// Pushing every u with r(u) >= epsilon d(u) (d: weighted degree) until none
// is left gives 0 <= pr(u) - p(u) <= epsilon d(u) for every u (and the same
// for the score p(u) + alpha r(u) the ranking uses).
//
// Complexity: at most 1 / (epsilon alpha) pushes when run to the end, each
// O(deg u), independent of the graph's size; `max_pushes` and
// `max_expanded` bound the work further (the result then says so and the
// bound above does not hold).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace ringscope {

struct PprNeighbour {
  std::int64_t node = 0;
  double weight = 0;  // > 0; links of weight <= 0 are ignored
  // The neighbour's own weighted degree when the caller knows it (0:
  // unknown). A node is read only when its residual reaches epsilon times
  // its degree, so with the hint a node that cannot be pushed is never read
  // (without it, its degree is bounded below by this link's weight, and
  // every node that bound lets through is read). A hint above the degree the
  // node's read gives is safe: the bound then holds with the hint, 0 <= pr(u)
  // - p(u) <= epsilon max(d(u), hint(u)).
  double degree = 0;
};

struct LocalPprOptions {
  double alpha = 0.15;      // teleport (restart) probability, in (0, 1]
  double epsilon = 1e-4;    // residual per unit of degree left unpushed
  std::size_t max_pushes = 100000;
  std::size_t max_expanded = 2000;  // distinct nodes whose neighbours are read
};

struct LocalPprResult {
  // Every node reached, scored p(u) + alpha r(u) (a lower bound of pr(u):
  // the residual still owes at least alpha r(u) to u, so nodes only reached
  // through residual rank too), by score descending, ties by node ascending.
  std::vector<std::pair<std::int64_t, double>> ranking;
  double settled = 0;        // total mass moved to p
  std::size_t pushes = 0;
  std::size_t expanded = 0;  // neighbour queries made
  bool truncated = false;    // a budget stopped the pushes early
  double residual = 0;       // total residual mass left (sum of r)
};

// The neighbours of a node. Called at most once per node, for nodes the
// push reaches; must be deterministic for a deterministic result.
using PprNeighbours = std::function<std::vector<PprNeighbour>(std::int64_t node)>;

// Approximate PPR of the uniform distribution over `seeds` (duplicates count
// once). Throws std::invalid_argument for no seeds, alpha outside (0, 1] or
// epsilon <= 0. Deterministic: nodes are pushed in first-in first-out order.
LocalPprResult LocalPushPpr(const std::vector<std::int64_t>& seeds,
                            const PprNeighbours& neighbours, const LocalPprOptions& o = {});

}  // namespace ringscope
