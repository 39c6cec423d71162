// Value expansion, the "generate" phase of the projection (projection.h):
// each shared value becomes (account, account, value) tuples, all pairs for
// small values, a seeded sparsified expander for hubs. Internal to graph/.
//
// Memory is bounded by passes: when the tuples would exceed
// ProjectionOptions::tuples_per_pass, accounts are cut into ranges and each
// pass expands only the pairs whose smaller account falls in its range (the
// sparsified order of a hub is recomputed per pass, O(d log d)).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "graph/incidence.h"
#include "graph/projection.h"

namespace ringscope::graph_internal {

// One contribution of value `source` to the pair (u, v), u < v.
struct PairTuple {
  AccountId u = 0;
  AccountId v = 0;
  std::uint32_t source = 0;

  friend bool operator==(const PairTuple&, const PairTuple&) = default;
  friend bool operator<(const PairTuple& a, const PairTuple& b) {
    if (a.u != b.u) return a.u < b.u;
    if (a.v != b.v) return a.v < b.v;
    return a.source < b.source;
  }
};

struct PassPlan {
  // Pass p expands the pairs whose smaller account is in
  // [bounds[p], bounds[p+1]); bounds.front() == 0, bounds.back() == n.
  std::vector<AccountId> bounds;
  // Generation thread t expands values [value_starts[t], value_starts[t+1]),
  // ranges balanced by their number of tuples.
  std::vector<ValueId> value_starts;
};

// What the projection does with a value:
// - kNone: weight 0 (dropped, or a kind of strength 0) or fewer than 2 accounts;
// - kJoinOnly: it may not make a link on its own, because its weight is below
//   min_link_weight or the hub assessment judged it benign (factor below
//   hubs.link_min_factor); it is not expanded but joins the links other
//   evidence makes between its accounts (as sparsified hubs do), e.g. a NAT
//   address or a framework's boilerplate prompt;
// - kAllPairs: degree <= max_full_degree; kSparsified: above.
enum class ValueRole : std::uint8_t { kNone, kJoinOnly, kAllPairs, kSparsified };

// The role of every value from its final weight and hub factor (1 when not
// assessed). O(V).
std::vector<ValueRole> AssignRoles(const Incidence& inc, std::span<const double> weights,
                                   std::span<const double> factors, const ProjectionOptions& o);

// Tuples value v of degree d yields: d(d-1)/2 up to max_full_degree, else at
// most d * (fanout + 1). O(1).
std::uint64_t ExpansionSize(std::uint32_t degree, const ProjectionOptions& o);

// Plans the passes and the per-thread value ranges over the expanded values
// and counts values_paired / values_sparsified / values_join_only in stats.
// O(A + E + V).
PassPlan PlanPasses(const Incidence& inc, std::span<const ValueRole> roles,
                    const ProjectionOptions& o, ProjectionStats& stats);

// All pairs of `accounts` (ascending) whose smaller account is in [lo, hi).
// O(d log d + tuples).
void ExpandAllPairs(std::span<const AccountId> accounts, ValueId v, AccountId lo, AccountId hi,
                    std::vector<PairTuple>& out);

// The sparsified expansion of a hub: its accounts in the order of a seeded
// hash, each joined to its successor (offset 1) and to the accounts at up to
// `fanout` further distinct seeded offsets in [2, d/2]; only pairs whose
// smaller account is in [lo, hi) are emitted. At most d * (fanout + 1)
// tuples, none repeated. O(d log d + d * fanout).
void ExpandSparse(std::span<const AccountId> accounts, ValueId v, const ProjectionOptions& o,
                  AccountId lo, AccountId hi,
                  std::vector<std::pair<std::uint64_t, AccountId>>& scratch,
                  std::vector<PairTuple>& out);

// One sorted, duplicate-free tuple stream per value range of `plan`,
// restricted to pairs whose smaller account is in [lo, hi); generated and
// sorted in parallel. Adds to stats.pairs_generated. O(T log T) for T tuples.
std::vector<std::vector<PairTuple>> GenerateTuples(const Incidence& inc,
                                                   std::span<const ValueRole> roles,
                                                   const PassPlan& plan, AccountId lo, AccountId hi,
                                                   const ProjectionOptions& o,
                                                   ProjectionStats& stats);

}  // namespace ringscope::graph_internal
