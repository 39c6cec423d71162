// Value expansion: pass planning, all-pairs and sparsified expansion, and
// the parallel generation of sorted tuple streams. See pair_expansion.h.
#include "graph/pair_expansion.h"

#include <algorithm>
#include <cmath>

#include "graph/parallel.h"

namespace ringscope::graph_internal {
namespace {

constexpr std::uint64_t kOrderSalt = 0x6f72646572;     // "order"
constexpr std::uint64_t kOffsetSalt = 0x6f6666736574;  // "offset"

bool Expands(ValueRole role) {
  return role == ValueRole::kAllPairs || role == ValueRole::kSparsified;
}

// Expected tuples per smaller account: in a pair drawn from the d accounts of
// a value, the account of rank r (by id) is the smaller with probability
// (d-1-r)/(d-1); all pairs make that exact. O(E).
std::vector<double> SmallerEndpointLoad(const Incidence& inc, std::span<const ValueRole> roles,
                                        const ProjectionOptions& o) {
  std::vector<double> load(inc.num_accounts(), 0.0);
  for (ValueId v = 0; v < inc.num_values(); ++v) {
    if (!Expands(roles[v])) continue;
    const auto accounts = inc.accounts(v);
    const double d = static_cast<double>(accounts.size());
    const double pairs_per_account =
        accounts.size() <= o.max_full_degree ? d - 1.0 : 2.0 * (o.fanout + 1.0);
    for (std::size_t r = 0; r < accounts.size(); ++r) {
      load[accounts[r]] += pairs_per_account * (d - 1.0 - static_cast<double>(r)) / (d - 1.0);
    }
  }
  return load;
}

// Cuts [0, n) into `passes` ranges of about equal load.
std::vector<AccountId> CutAccounts(const std::vector<double>& load, std::uint64_t passes) {
  double total = 0.0;
  for (double x : load) total += x;
  std::vector<AccountId> bounds = {0};
  double seen = 0.0;
  for (AccountId a = 0; a < load.size() && bounds.size() < passes; ++a) {
    seen += load[a];
    if (seen >= total * static_cast<double>(bounds.size()) / static_cast<double>(passes)) {
      bounds.push_back(a + 1);
    }
  }
  bounds.push_back(static_cast<AccountId>(load.size()));
  return bounds;
}

// The up to `fanout` distinct offsets in [2, d/2] of a sparsified value, plus
// offset 1 (the ring), from a seeded hash of the value.
std::vector<std::uint32_t> SparseOffsets(std::uint32_t d, ValueId v, const ProjectionOptions& o) {
  const std::uint32_t half = d / 2;
  std::vector<std::uint32_t> offsets = {1};
  const std::uint32_t available = half >= 2 ? half - 1 : 0;
  if (o.fanout >= available) {
    for (std::uint32_t x = 2; x <= half; ++x) offsets.push_back(x);
    return offsets;
  }
  for (std::uint64_t r = 0; offsets.size() < o.fanout + 1u; ++r) {
    const auto x =
        static_cast<std::uint32_t>(2 + SeededHash(o.seed ^ kOffsetSalt, v, r) % available);
    if (std::find(offsets.begin(), offsets.end(), x) == offsets.end()) offsets.push_back(x);
  }
  return offsets;
}

}  // namespace

std::vector<ValueRole> AssignRoles(const Incidence& inc, std::span<const double> weights,
                                   std::span<const double> factors, const ProjectionOptions& o) {
  std::vector<ValueRole> roles(inc.num_values(), ValueRole::kNone);
  for (ValueId v = 0; v < inc.num_values(); ++v) {
    if (!(weights[v] > 0.0) || inc.degree(v) < 2) continue;
    if (weights[v] < o.min_link_weight || factors[v] < o.hubs.link_min_factor) {
      roles[v] = ValueRole::kJoinOnly;
    } else {
      roles[v] = inc.degree(v) <= o.max_full_degree ? ValueRole::kAllPairs : ValueRole::kSparsified;
    }
  }
  return roles;
}

std::uint64_t ExpansionSize(std::uint32_t degree, const ProjectionOptions& o) {
  const std::uint64_t d = degree;
  if (d < 2) return 0;
  return d <= o.max_full_degree ? d * (d - 1) / 2 : d * (o.fanout + std::uint64_t{1});
}

PassPlan PlanPasses(const Incidence& inc, std::span<const ValueRole> roles,
                    const ProjectionOptions& o, ProjectionStats& stats) {
  std::vector<double> cost(inc.num_values(), 0.0);
  double total = 0.0;
  for (ValueId v = 0; v < inc.num_values(); ++v) {
    stats.values_join_only += roles[v] == ValueRole::kJoinOnly;
    if (!Expands(roles[v])) continue;
    const bool full = roles[v] == ValueRole::kAllPairs;
    stats.values_paired += full;
    stats.values_sparsified += !full;
    cost[v] = static_cast<double>(ExpansionSize(inc.degree(v), o));
    total += cost[v];
  }
  PassPlan plan;
  const auto passes = static_cast<std::uint64_t>(std::ceil(total / o.tuples_per_pass));
  plan.bounds = passes <= 1 ? std::vector<AccountId>{0, AccountId(inc.num_accounts())}
                            : CutAccounts(SmallerEndpointLoad(inc, roles, o), passes);
  const auto threads = static_cast<std::size_t>(o.threads);
  plan.value_starts = {0};
  double seen = 0.0;
  for (ValueId v = 0; v < inc.num_values() && plan.value_starts.size() < threads; ++v) {
    seen += cost[v];
    if (seen >= total * static_cast<double>(plan.value_starts.size()) / threads) {
      plan.value_starts.push_back(v + 1);
    }
  }
  while (plan.value_starts.size() <= threads) {
    plan.value_starts.push_back(static_cast<ValueId>(inc.num_values()));
  }
  return plan;
}

void ExpandAllPairs(std::span<const AccountId> accounts, ValueId v, AccountId lo, AccountId hi,
                    std::vector<PairTuple>& out) {
  const auto first = std::lower_bound(accounts.begin(), accounts.end(), lo);
  const auto last = std::lower_bound(first, accounts.end(), hi);
  for (auto i = first; i != last; ++i) {
    for (auto j = i + 1; j != accounts.end(); ++j) out.push_back({*i, *j, v});
  }
}

void ExpandSparse(std::span<const AccountId> accounts, ValueId v, const ProjectionOptions& o,
                  AccountId lo, AccountId hi,
                  std::vector<std::pair<std::uint64_t, AccountId>>& scratch,
                  std::vector<PairTuple>& out) {
  const auto d = static_cast<std::uint32_t>(accounts.size());
  scratch.clear();
  for (AccountId a : accounts) scratch.emplace_back(SeededHash(o.seed ^ kOrderSalt, v, a), a);
  std::sort(scratch.begin(), scratch.end());
  for (std::uint32_t offset : SparseOffsets(d, v, o)) {
    // Offset d/2 of an even d meets every pair twice: walk half the ring.
    const std::uint32_t count = (d % 2 == 0 && offset == d / 2) ? d / 2 : d;
    for (std::uint32_t i = 0; i < count; ++i) {
      const AccountId a = scratch[i].second;
      const AccountId b = scratch[(i + offset) % d].second;
      const AccountId u = std::min(a, b);
      if (u >= lo && u < hi) out.push_back({u, std::max(a, b), v});
    }
  }
}

std::vector<std::vector<PairTuple>> GenerateTuples(const Incidence& inc,
                                                   std::span<const ValueRole> roles,
                                                   const PassPlan& plan, AccountId lo, AccountId hi,
                                                   const ProjectionOptions& o,
                                                   ProjectionStats& stats) {
  const std::size_t ranges = plan.value_starts.size() - 1;
  std::vector<std::vector<PairTuple>> streams(ranges);
  OnEachThread(static_cast<int>(ranges), [&](int t) {
    std::vector<PairTuple>& out = streams[static_cast<std::size_t>(t)];
    std::vector<std::pair<std::uint64_t, AccountId>> scratch;
    for (ValueId v = plan.value_starts[t]; v < plan.value_starts[t + 1]; ++v) {
      if (!Expands(roles[v])) continue;
      if (roles[v] == ValueRole::kAllPairs) {
        ExpandAllPairs(inc.accounts(v), v, lo, hi, out);
      } else {
        ExpandSparse(inc.accounts(v), v, o, lo, hi, scratch, out);
      }
    }
    std::sort(out.begin(), out.end());
  });
  for (const auto& s : streams) stats.pairs_generated += s.size();
  return streams;
}

}  // namespace ringscope::graph_internal
