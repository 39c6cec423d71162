// Per-account and per-kind counts the hub rule (hub_assessment.h) measures
// values against: how many values and observations of each kind each
// account has (for how much of its traffic a value explains), the median
// volume of an active account, and each account's candidate partner values
// for co-evidence, most specific first. Internal to graph/.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "graph/hub_assessment.h"
#include "graph/incidence.h"
#include "graph/projection_options.h"

namespace ringscope::graph_internal {

struct HubBaselines {
  std::size_t num_kinds = 0;
  // Per account and kind (row-major, A x K), saturating at 2^32-1: distinct
  // values of the kind held (n_k), and observations of the kind.
  std::vector<std::uint32_t> kind_values;
  std::vector<std::uint32_t> kind_observations;
  // Median requests of the accounts with requests > 0; 0 when unknown.
  double median_requests = 0.0;
  // Per account: its values that may serve as co-evidence (shared with
  // another account; of kind strength >= co_min_strength, or assessed and so
  // able to vouch in round 2), by (degree, id).
  std::vector<std::uint64_t> partner_offsets;
  std::vector<ValueId> partners;

  std::uint32_t values_of(AccountId a, KindId k) const { return kind_values[a * num_kinds + k]; }
  std::uint32_t observations_of(AccountId a, KindId k) const {
    return kind_observations[a * num_kinds + k];
  }
  std::span<const ValueId> partners_of(AccountId a) const {
    return {partners.data() + partner_offsets[a], partners.data() + partner_offsets[a + 1]};
  }
};

// O(A * K + E log D) time for D the largest account degree, O(A * K + E)
// memory.
HubBaselines ComputeHubBaselines(const Incidence& inc, const AccountFeatures& features,
                                 const KindTable& kinds, const ProjectionOptions& o);

// Chernoff-Hoeffding bound on P(X >= k) for X a sum of n independent
// Bernoulli variables of mean p: exp(-n KL(k/n || p)) above the mean, 1 at or
// below it. Exact for n = 1. O(1).
double BinomialTail(double n, double k, double p);

// The probability that chance alone reaches the smallest hit count whose
// tail is <= alpha (so the chance that a partner of n examined accounts ties
// by luck); 0 when even n hits would not be significant. O(log n), usually
// one or two evaluations.
double ChanceOfTie(double n, double p, double alpha);

}  // namespace ringscope::graph_internal
