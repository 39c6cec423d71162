// Projection: from the account-value incidence to the weighted account-account
// link graph, with evidence on every link ("Links carry evidence",
// design.md).
//
// Two accounts are linked by every value they share and by every precomputed
// link between them. A shared value v contributes w(v) = strength(kind) *
// decay(degree) * factor(v) (projection_options.h); a precomputed link of
// kind K and weight x contributes strength(K) * x. A link's weight is the sum
// of its contributions; its evidence lists them (value id or link kind, and
// contribution), largest first, at most max_evidence_per_link of them, with
// the count and weight of the rest.
//
// PHASES (ProjectLinkGraph reads as this list):
//  1. weights    base weight of every value (strength * decay);
//  2. hubs       hub assessment of values of degree >= assess_min_degree
//                (hub_assessment.h): a factor per value and a HubReport;
//  3. generate   (account, account, value) tuples, per thread over balanced
//                value ranges: all pairs for degree <= max_full_degree; for
//                larger values a sparsified expansion: the accounts in a
//                seeded pseudo-random order, each joined to its successor
//                (a ring: the value's accounts stay connected) and to the
//                accounts at `fanout` seeded circulant offsets (an expander
//                with high probability), d * (fanout + 1) tuples. A
//                sparsified pair gets the same per-pair weight w(v), so a hub
//                contributes at most d * (fanout + 1) * w(v) in total, linear
//                in d. A value whose w(v) is below min_link_weight (a demoted
//                NAT address) cannot make a link alone and is not expanded
//                at all ("join-only"). Each thread sorts its own tuples;
//  4. aggregate  per account pair, a merge of the sorted thread streams and
//                the precomputed links, split by account range over the
//                threads. Completion: every sparsified or join-only value
//                both accounts share is added to the pair's contributions if
//                the expansion did not pair them through it, so every link
//                names every value its accounts share, at the cost of
//                intersecting the two accounts' short join lists;
//  5. build      the LinkGraph (edge ids in (min, max) order) and the
//                evidence CSR aligned with its edge ids.
//
// COST. Tuples: O(sum_v min(d_v^2, d_v * (fanout + 1))), never quadratic in a
// hub's degree. Time O(T log T) for T tuples plus O(m * h) for m account
// pairs met and h the shorter join list of the two (looked up in the
// other's marks), plus the hub assessment; memory 12 bytes per tuple plus O(A + V + m * evidence).
// DETERMINISM. Same input and options (seed included), same graph, evidence
// and reports, whatever the number of threads: tuples are totally ordered
// and every sum runs in a fixed order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "graph/hub_assessment.h"
#include "graph/incidence.h"
#include "graph/link_graph.h"
#include "graph/projection_options.h"

namespace ringscope {

// A link computed elsewhere (formats.md "Link table"). Undirected.
struct PrecomputedLink {
  AccountId a = 0;
  AccountId b = 0;
  std::string kind = "link";
  double weight = 1.0;  // finite, >= 0
};

// One reason for a link. `source` is a value id, or kLinkEvidence | kind id
// for the precomputed links of that kind (summed).
struct EvidenceEntry {
  std::uint32_t source = 0;
  float weight = 0.0f;  // this contribution to the link's weight

  bool is_link() const { return (source & kLinkEvidence) != 0; }
  ValueId value() const { return source; }                      // when !is_link()
  KindId link_kind() const { return source & ~kLinkEvidence; }  // when is_link()

  static constexpr std::uint32_t kLinkEvidence = 0x80000000u;
  friend bool operator==(const EvidenceEntry&, const EvidenceEntry&) = default;
};

struct ProjectionStats {
  std::size_t values_paired = 0;      // values of degree 2..max_full_degree expanded
  std::size_t values_sparsified = 0;  // values above max_full_degree expanded
  std::size_t values_join_only = 0;   // weight below min_link_weight: joined, not expanded
  std::size_t values_assessed = 0;
  std::size_t values_demoted = 0;
  std::size_t values_dropped = 0;
  std::uint64_t pairs_generated = 0;     // tuples from value expansion, duplicates included
  std::uint64_t pair_contributions = 0;  // distinct (pair, value) contributions
  std::uint64_t hub_evidence_added = 0;  // contributions added by completion
  std::size_t links_in = 0;              // precomputed links given
  std::size_t links_self = 0;            // of them a == b, ignored
  std::size_t edges_below_min_weight = 0;
  std::size_t edges = 0;
  std::uint64_t evidence_entries = 0;  // kept
  std::uint64_t evidence_dropped = 0;  // beyond max_evidence_per_link
  // Wall seconds per phase.
  double seconds_weights = 0.0;
  double seconds_hubs = 0.0;
  double seconds_generate = 0.0;  // includes the per-thread sorts
  double seconds_aggregate = 0.0;
  double seconds_build = 0.0;
};

struct ProjectedGraph {
  LinkGraph graph;
  // Kinds of the evidence: the incidence's kinds (same ids), then kinds seen
  // only in precomputed links.
  std::vector<std::string> kind_names;
  // Per value: the per-pair weight used (0 for values not expanded).
  std::vector<double> value_weight;
  // Evidence CSR by edge id: entries evidence_offsets[e] .. [e+1], largest
  // weight first (ties by source).
  std::vector<std::uint64_t> evidence_offsets = {0};
  std::vector<EvidenceEntry> evidence;
  // Per edge id: entries not kept, their total weight, and the number of
  // distinct evidence kinds (related kinds such as ip/subnet count once).
  std::vector<std::uint32_t> dropped_entries;
  std::vector<float> dropped_weight;
  std::vector<std::uint8_t> num_kinds;
  std::vector<HubReport> hubs;  // by ascending value id
  ProjectionStats stats;

  std::span<const EvidenceEntry> Evidence(EdgeId e) const {
    return {evidence.data() + evidence_offsets[e], evidence.data() + evidence_offsets[e + 1]};
  }
};

// The kind of one evidence entry (an id into ProjectedGraph::kind_names).
// O(1).
KindId EvidenceKind(const Incidence& inc, const EvidenceEntry& entry);

// Projects `inc` (with account features and precomputed links) to the link
// graph on accounts 0..inc.num_accounts()-1. Throws std::invalid_argument,
// with expected and actual values, on invalid options
// (ValidateProjectionOptions), a features vector neither empty nor of
// num_accounts entries, or a precomputed link with an account out of range,
// an empty kind, or a NaN, infinite or negative weight. Complexity: see
// COST above.
ProjectedGraph ProjectLinkGraph(const Incidence& inc, const AccountFeatures& features,
                                std::span<const PrecomputedLink> links,
                                const ProjectionOptions& o = {});

}  // namespace ringscope
