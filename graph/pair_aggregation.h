// Pair aggregation, the "aggregate" phase of the projection (projection.h):
// the sorted tuple streams of one pass and the precomputed links are merged
// per account pair into a link with its weight, distinct kinds and bounded
// evidence. Internal to graph/.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "graph/incidence.h"
#include "graph/pair_expansion.h"
#include "graph/projection.h"
#include "graph/projection_options.h"

namespace ringscope::graph_internal {

// Precomputed links of one kind between u < v; weight = strength * sum of
// the given weights.
struct LinkTuple {
  AccountId u = 0;
  AccountId v = 0;
  KindId kind = 0;
  double weight = 0.0;

  bool SameKey(const LinkTuple& o) const { return u == o.u && v == o.v && kind == o.kind; }
  friend bool operator<(const LinkTuple& a, const LinkTuple& b) {
    if (a.u != b.u) return a.u < b.u;
    if (a.v != b.v) return a.v < b.v;
    if (a.kind != b.kind) return a.kind < b.kind;
    return a.weight < b.weight;
  }
};

// Per account, its values that join links without pairing every account
// (ValueRole kSparsified and kJoinOnly), ascending: what completion
// intersects.
struct JoinLists {
  std::vector<std::uint64_t> offsets = {0};
  std::vector<ValueId> values;

  std::span<const ValueId> of(AccountId a) const {
    return {values.data() + offsets[a], values.data() + offsets[a + 1]};
  }
};

// The join lists of every account. O(A + E).
JoinLists BuildJoinLists(const Incidence& inc, std::span<const ValueRole> roles);

struct AggregationContext {
  const Incidence& inc;
  const KindTable& kinds;
  std::span<const double> weights;  // final per-pair weight per value
  const JoinLists& joins;
  const ProjectionOptions& o;
};

// Links in (min, max) order with their evidence CSR, as built so far.
struct Aggregated {
  std::vector<WeightedEdge> edges;
  std::vector<std::uint64_t> offsets = {0};
  std::vector<EvidenceEntry> evidence;
  std::vector<std::uint32_t> dropped_entries;
  std::vector<float> dropped_weight;
  std::vector<std::uint8_t> num_kinds;
  std::uint64_t pair_contributions = 0;
  std::uint64_t hub_evidence_added = 0;
  std::uint64_t evidence_dropped = 0;
  std::size_t below_min_weight = 0;

  // Moves `next` (links of larger pairs) to the end. O(size of next).
  void Append(Aggregated&& next);
};

// Aggregates every pair whose smaller account is in [lo, hi): the tuples of
// `streams` (each sorted, holding only such pairs) and the links of `links`
// (sorted), split over o.threads account sub-ranges; appends the links to
// `out` in (min, max) order and adds the counters to stats. O(T + L + m * h)
// for T tuples, L links, m pairs and h the shorter join list of a pair,
// plus the per-pair sorts of the evidence; O(V) memory per thread for the
// join-list marks.
void AggregatePass(const std::vector<std::vector<PairTuple>>& streams,
                   std::span<const LinkTuple> links, AccountId lo, AccountId hi,
                   const AggregationContext& c, Aggregated& out, ProjectionStats& stats);

}  // namespace ringscope::graph_internal
