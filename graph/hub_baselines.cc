// Per-kind baselines of the hub rule and the binomial tail. See
// hub_baselines.h.
#include "graph/hub_baselines.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace ringscope::graph_internal {
namespace {

constexpr std::uint64_t kMaxCount = std::numeric_limits<std::uint32_t>::max();

void AddSaturating(std::uint32_t& slot, std::uint64_t x) {
  slot = static_cast<std::uint32_t>(std::min(kMaxCount, slot + x));
}

// Values and observations per account and kind. O(A * K + E).
void CountKinds(const Incidence& inc, HubBaselines& b) {
  const std::size_t k = b.num_kinds;
  b.kind_values.assign(inc.num_accounts() * k, 0);
  b.kind_observations.assign(inc.num_accounts() * k, 0);
  for (AccountId a = 0; a < inc.num_accounts(); ++a) {
    const auto values = inc.values(a);
    const auto counts = inc.value_counts(a);
    for (std::size_t i = 0; i < values.size(); ++i) {
      const KindId kind = inc.kind(values[i]);
      AddSaturating(b.kind_values[a * k + kind], 1);
      AddSaturating(b.kind_observations[a * k + kind], counts[i]);
    }
  }
}

double MedianRequests(const AccountFeatures& f) {
  std::vector<std::uint64_t> active;
  for (std::uint64_t r : f.requests) {
    if (r > 0) active.push_back(r);
  }
  if (active.empty()) return 0.0;
  auto mid = active.begin() + static_cast<std::ptrdiff_t>((active.size() - 1) / 2);
  std::nth_element(active.begin(), mid, active.end());
  return static_cast<double>(*mid);
}

// Per account, the values that may serve as co-evidence, by (degree, id).
void CollectPartners(const Incidence& inc, const KindTable& kinds, const ProjectionOptions& o,
                     HubBaselines& b) {
  auto usable = [&](ValueId w) {  // identity values, and any value that may vouch in round 2
    return inc.degree(w) >= 2 && (kinds.strengths[inc.kind(w)] >= o.hubs.co_min_strength ||
                                  inc.degree(w) >= o.hubs.assess_min_degree);
  };
  b.partner_offsets.assign(inc.num_accounts() + 1, 0);
  for (AccountId a = 0; a < inc.num_accounts(); ++a) {
    std::uint64_t n = 0;
    for (ValueId w : inc.values(a)) n += usable(w);
    b.partner_offsets[a + 1] = b.partner_offsets[a] + n;
  }
  b.partners.resize(b.partner_offsets.back());
  for (AccountId a = 0; a < inc.num_accounts(); ++a) {
    auto out = b.partners.begin() + static_cast<std::ptrdiff_t>(b.partner_offsets[a]);
    const auto begin = out;
    for (ValueId w : inc.values(a)) {
      if (usable(w)) *out++ = w;
    }
    std::sort(begin, out, [&](ValueId x, ValueId y) {
      return inc.degree(x) != inc.degree(y) ? inc.degree(x) < inc.degree(y) : x < y;
    });
  }
}

}  // namespace

HubBaselines ComputeHubBaselines(const Incidence& inc, const AccountFeatures& features,
                                 const KindTable& kinds, const ProjectionOptions& o) {
  HubBaselines b;
  b.num_kinds = inc.num_kinds();
  CountKinds(inc, b);
  b.median_requests = MedianRequests(features);
  CollectPartners(inc, kinds, o, b);
  return b;
}

double BinomialTail(double n, double k, double p) {
  if (k <= n * p) return 1.0;
  if (p <= 0.0) return 0.0;
  const double x = k / n;
  double kl = x * std::log(x / p);
  if (x < 1.0) kl += (1.0 - x) * std::log((1.0 - x) / (1.0 - p));
  return std::exp(-n * kl);
}

double ChanceOfTie(double n, double p, double alpha) {
  if (n < 1.0) return 0.0;
  // Gallop from the first count above the mean, then bisect.
  double low = std::max(1.0, std::floor(n * p) + 1.0);
  if (low > n) return 0.0;
  double step = 1.0, high = low;
  while (BinomialTail(n, high, p) > alpha) {
    if (high >= n) return 0.0;
    low = high + 1.0;
    high = std::min(n, high + step);
    step *= 2.0;
  }
  while (low < high) {  // smallest k in [low, high] with tail <= alpha
    const double mid = std::floor((low + high) / 2.0);
    if (BinomialTail(n, mid, p) <= alpha) {
      high = mid;
    } else {
      low = mid + 1.0;
    }
  }
  return BinomialTail(n, low, p);
}

}  // namespace ringscope::graph_internal
