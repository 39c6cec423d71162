// Hub assessment: measure the evidence around each value of high degree
// (signups, volume, traffic share, co-evidence), then decide its factor. The
// rule and its thresholds are documented in hub_assessment.h and
// projection_options.h (HubRuleOptions).
#include "graph/hub_assessment.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "graph/parallel.h"

namespace ringscope {
namespace {

using graph_internal::ParallelChunks;
using graph_internal::SeededHash;

// Round 2 counts a hub partner as co-evidence when round 1 gave it at least
// this suspicion (one full signal): it was not judged benign.
constexpr double kVouchingSuspicion = 0.5;
// A partner ties an account to the value's other accounts when chance would
// give as many shared holders in fewer than 1 in 1,000 draws.
constexpr double kTieSignificance = 1e-3;
constexpr std::uint64_t kSampleSalt = 0x5a3d1e0f;

struct Context {
  const Incidence& inc;
  const AccountFeatures& features;
  const KindTable& kinds;
  const ProjectionOptions& o;
  std::span<const double> base_weight;
  double global_median_requests = 0.0;  // 0 when unknown
  std::vector<ValueId> assessed;        // ascending
  std::vector<double> suspicion1;       // round 1, aligned with `assessed`
};

// Per-thread buffers, reused from value to value.
struct Workspace {
  std::vector<std::uint32_t> mark;  // mark[a] == v + 1 iff a is an account of v
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keyed;
  std::vector<std::uint32_t> sample;  // positions into inc.accounts(v)
  std::vector<std::int64_t> times;
  std::vector<std::uint64_t> volumes;
  std::vector<double> shares;
  // ChanceOfTie by partner size for the value being measured (q is fixed
  // per value); NaN until computed. Small partners repeat a lot.
  std::vector<double> chance_by_size;
};

constexpr std::size_t kChanceCacheSize = 256;

double Ramp(double x, double low, double high) {
  return std::clamp((x - low) / (high - low), 0.0, 1.0);
}

double GlobalMedianRequests(const AccountFeatures& f) {
  std::vector<std::uint64_t> active;
  for (std::uint64_t r : f.requests) {
    if (r > 0) active.push_back(r);
  }
  if (active.empty()) return 0.0;
  auto mid = active.begin() + static_cast<std::ptrdiff_t>((active.size() - 1) / 2);
  std::nth_element(active.begin(), mid, active.end());
  return static_cast<double>(*mid);
}

// The co-evidence sample: all positions when d <= S, else the S positions
// of smallest seeded hash, ascending. O(d).
void SampleAccounts(const Context& c, ValueId v, Workspace& ws) {
  const auto accounts = c.inc.accounts(v);
  const std::uint32_t d = static_cast<std::uint32_t>(accounts.size());
  const std::uint32_t s = std::min(d, c.o.hubs.sample_accounts);
  ws.sample.clear();
  if (s == d) {
    for (std::uint32_t i = 0; i < d; ++i) ws.sample.push_back(i);
    return;
  }
  ws.keyed.clear();
  for (std::uint32_t i = 0; i < d; ++i) {
    ws.keyed.emplace_back(SeededHash(c.o.seed ^ kSampleSalt, v, accounts[i]), i);
  }
  std::nth_element(ws.keyed.begin(), ws.keyed.begin() + s, ws.keyed.end());
  for (std::uint32_t i = 0; i < s; ++i) ws.sample.push_back(ws.keyed[i].second);
  std::sort(ws.sample.begin(), ws.sample.end());
}

// Signup burst and spread of the value's accounts. O(d log d).
void MeasureSignups(const Context& c, ValueId v, Workspace& ws, HubFeatures& f) {
  if (c.features.created_at.empty()) return;
  ws.times.clear();
  for (AccountId a : c.inc.accounts(v)) {
    if (c.features.created_at[a] != kUnknownTime) ws.times.push_back(c.features.created_at[a]);
  }
  f.known_signups = static_cast<std::uint32_t>(ws.times.size());
  if (ws.times.empty()) return;
  std::sort(ws.times.begin(), ws.times.end());
  std::size_t best = 0;
  for (std::size_t i = 0, j = 0; j < ws.times.size(); ++j) {
    while (ws.times[j] - ws.times[i] >= c.o.hubs.burst_window_seconds) ++i;
    best = std::max(best, j - i + 1);
  }
  const std::size_t n = ws.times.size();
  f.burst = static_cast<double>(best) / static_cast<double>(n);
  const double p10 = static_cast<double>(ws.times[(n - 1) / 10]);
  const double p90 = static_cast<double>(ws.times[(n - 1) * 9 / 10]);
  f.signup_spread_days = (p90 - p10) / 86400.0;
}

// Median requests of the value's active accounts over the global median. O(d).
void MeasureVolume(const Context& c, ValueId v, Workspace& ws, HubFeatures& f) {
  if (c.features.requests.empty()) return;
  ws.volumes.clear();
  for (AccountId a : c.inc.accounts(v)) {
    if (c.features.requests[a] > 0) ws.volumes.push_back(c.features.requests[a]);
  }
  f.active_accounts = static_cast<std::uint32_t>(ws.volumes.size());
  if (ws.volumes.empty() || c.global_median_requests <= 0.0) return;
  auto mid = ws.volumes.begin() + static_cast<std::ptrdiff_t>((ws.volumes.size() - 1) / 2);
  std::nth_element(ws.volumes.begin(), mid, ws.volumes.end());
  f.volume_ratio = static_cast<double>(*mid) / c.global_median_requests;
}

// Median, over the sample, of the share of the account's observations of
// v's kind that are observations of v. O(S * D).
void MeasureTrafficShare(const Context& c, ValueId v, Workspace& ws, HubFeatures& f) {
  const KindId kind = c.inc.kind(v);
  const auto accounts = c.inc.accounts(v);
  const auto counts = c.inc.account_counts(v);
  ws.shares.clear();
  for (std::uint32_t pos : ws.sample) {
    const AccountId a = accounts[pos];
    const auto values = c.inc.values(a);
    const auto value_counts = c.inc.value_counts(a);
    double total = 0.0;
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (c.inc.kind(values[i]) == kind) total += value_counts[i];
    }
    ws.shares.push_back(total > 0.0 ? counts[pos] / total : 0.0);
  }
  if (ws.shares.empty()) return;
  auto mid = ws.shares.begin() + static_cast<std::ptrdiff_t>((ws.shares.size() - 1) / 2);
  std::nth_element(ws.shares.begin(), mid, ws.shares.end());
  f.traffic_share = *mid;
}

// Whether partner value w (shared by account a of v) may tie a to a peer.
bool QualifiesAsPartner(const Context& c, KindId v_family, ValueId w, int round) {
  const std::uint32_t d = c.inc.degree(w);
  const KindId kind = c.inc.kind(w);
  if (d < 2 || c.kinds.family[kind] == v_family) return false;
  if (c.kinds.strengths[kind] < c.o.hubs.co_min_strength) return false;
  if (round == 1) return d <= c.o.max_full_degree;
  if (d < c.o.hubs.assess_min_degree) return true;
  const auto it = std::lower_bound(c.assessed.begin(), c.assessed.end(), w);
  return c.suspicion1[static_cast<std::size_t>(it - c.assessed.begin())] >= kVouchingSuspicion;
}

// Of the other accounts of partner w examined, how many hold v (`stamp`
// marks v's accounts). Exact (all d_w - 1) when w or v has at most
// scan_limit accounts; otherwise scan_limit evenly spaced accounts of w.
struct PeerCount {
  double examined = 0.0;
  double hits = 0.0;
};
PeerCount CountPeers(const Context& c, ValueId v, ValueId w, AccountId a, std::uint32_t stamp,
                     const Workspace& ws, bool count) {
  const auto peers = c.inc.accounts(w);
  const std::size_t limit = c.o.hubs.scan_limit;
  const bool exact = peers.size() <= limit || c.inc.degree(v) <= limit;
  PeerCount r{exact ? peers.size() - 1.0 : static_cast<double>(limit), 0.0};
  if (!count) return r;
  if (peers.size() > limit && exact) {  // few accounts of v: look each up in w
    for (AccountId b : c.inc.accounts(v)) {
      r.hits += b != a && std::binary_search(peers.begin(), peers.end(), b);
    }
    return r;
  }
  const std::size_t probes = std::min(peers.size(), limit);
  for (std::size_t i = 0; i < probes; ++i) {
    const AccountId b = peers[i * peers.size() / probes];
    r.hits += b != a && ws.mark[b] == stamp;
  }
  return r;
}

// Chernoff bound on P(Binomial(n, q) >= k): exp(-n KL(k/n || q)) above the
// mean, 1 at or below it. Exact for n = 1. O(1).
double BinomialTail(double n, double k, double q) {
  if (k <= n * q) return 1.0;
  if (q <= 0.0) return 0.0;
  const double x = k / n;
  const double kl =
      x * std::log(x / q) + (x < 1.0 ? (1.0 - x) * std::log((1.0 - x) / (1.0 - q)) : 0.0);
  return std::exp(-n * kl);
}

// The chance that w ties an account by luck: the tail at the smallest
// significant hit count (0 when even all n hits would not be). O(log n).
double ChanceOfTie(double n, double q, double alpha) {
  if (n < 1.0 || BinomialTail(n, n, q) > alpha) return 0.0;
  double low = 1.0, high = n;  // smallest k with tail <= alpha
  while (low < high) {
    const double mid = std::floor((low + high) / 2.0);
    if (BinomialTail(n, mid, q) <= alpha)
      high = mid;
    else
      low = mid + 1.0;
  }
  return BinomialTail(n, low, q);
}

double CachedChanceOfTie(double n, double q, Workspace& ws) {
  if (n >= kChanceCacheSize) return ChanceOfTie(n, q, kTieSignificance);
  double& slot = ws.chance_by_size[static_cast<std::size_t>(n)];
  if (std::isnan(slot)) slot = ChanceOfTie(n, q, kTieSignificance);
  return slot;
}

// Co-evidence of v. A sampled account is tied when one of its qualifying
// partner values w shares more of its other accounts with v than chance
// allows: P(Binomial(n, q) >= hits) <= kTieSignificance for the n accounts
// examined and q = (d_v - 1) / (A - 1), the share of the other accounts that
// hold v. So a card whose 36 other holders all hold a template of 0.4% of
// all accounts ties, one NAT neighbour of 40 holding a value of a quarter of
// all accounts does not. The ties chance alone would produce are summed
// over the same partners.
void MeasureCoEvidence(const Context& c, ValueId v, int round, Workspace& ws, HubFeatures& f) {
  const std::uint32_t stamp = v + 1;
  const auto accounts = c.inc.accounts(v);
  for (AccountId a : accounts) ws.mark[a] = stamp;
  ws.chance_by_size.assign(kChanceCacheSize, std::numeric_limits<double>::quiet_NaN());
  const KindId v_family = c.kinds.family[c.inc.kind(v)];
  const double others = std::max<double>(1.0, static_cast<double>(c.inc.num_accounts()) - 1.0);
  const double q = std::min(1.0, (accounts.size() - 1.0) / others);
  std::uint32_t tied = 0;
  double expected = 0.0;
  for (std::uint32_t pos : ws.sample) {
    const AccountId a = accounts[pos];
    bool is_tied = false;
    double untouched = 1.0;  // probability that chance ties a through no partner
    for (ValueId w : c.inc.values(a)) {
      if (w == v || !QualifiesAsPartner(c, v_family, w, round)) continue;
      const PeerCount p = CountPeers(c, v, w, a, stamp, ws, !is_tied);
      untouched *= 1.0 - CachedChanceOfTie(p.examined, q, ws);
      is_tied =
          is_tied || (p.hits >= 1.0 && BinomialTail(p.examined, p.hits, q) <= kTieSignificance);
    }
    tied += is_tied;
    expected += 1.0 - untouched;
  }
  f.tied = tied;
  f.co_evidence = f.sampled > 0 ? static_cast<double>(tied) / f.sampled : 0.0;
  f.co_expected = f.sampled > 0 ? expected / f.sampled : 0.0;
}

// Co-evidence beyond chance, in [0, 1]: (observed - expected) / (1 - expected).
double CoEvidenceExcess(const HubFeatures& f) {
  if (f.co_expected >= 1.0) return 0.0;
  return std::max(0.0, (f.co_evidence - f.co_expected) / (1.0 - f.co_expected));
}

double Suspicion(const HubFeatures& f, const HubRuleOptions& h) {
  const double co = Ramp(CoEvidenceExcess(f), h.co_low, h.co_high);
  const double burst =
      f.known_signups >= h.min_known_signups ? Ramp(f.burst, h.burst_low, h.burst_high) : 0.0;
  const double volume =
      f.active_accounts >= h.min_active_accounts && f.volume_ratio > 0.0
          ? Ramp(std::log(f.volume_ratio), std::log(h.volume_low), std::log(h.volume_high))
          : 0.0;
  double s = std::min(1.0, (co + burst + volume) / 2.0);
  if (f.sampled > 0 && f.traffic_share < h.incidental_share) s *= 0.5;
  return s;
}

// Decides from the suspicion: factor, final weight, decision.
void Decide(double base_weight, const HubRuleOptions& h, HubReport& r) {
  r.factor = h.floor_factor + (1.0 - h.floor_factor) * r.suspicion * r.suspicion;
  r.weight = base_weight * r.factor;
  if (r.weight < h.min_value_weight) {
    r.decision = HubDecision::kDropped;
    r.factor = 0.0;
    r.weight = 0.0;
  } else {
    r.decision = r.factor >= 1.0 - 1e-12 ? HubDecision::kKept : HubDecision::kDemoted;
  }
}

std::string FormatCount(std::uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string Format(const char* format, double x) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, x);
  return buffer;
}

std::string Percent(double share) {
  return Format(share < 0.1 && share > 0.0 ? "%.1f%%" : "%.0f%%", share * 100.0);
}

// The one-line explanation of a report.
std::string Reason(const Context& c, const HubReport& r, double base_weight) {
  const HubFeatures& f = r.features;
  const std::string& kind = c.inc.kind_name(r.kind);
  std::string s = kind + " shared by " + FormatCount(r.degree) + " accounts; " +
                  Percent(f.co_evidence) + " of " + FormatCount(f.sampled) +
                  " sampled accounts tied to another by independent evidence (" +
                  Percent(f.co_expected) + " by chance); ";
  if (f.known_signups > 0) {
    s += Percent(f.burst) + " of " + FormatCount(f.known_signups) + " signups within " +
         Format("%.0f", c.o.hubs.burst_window_seconds / 86400.0) + " days (middle 80% over " +
         Format("%.0f", f.signup_spread_days) + " days); ";
  } else {
    s += "signup times unknown; ";
  }
  s += f.volume_ratio > 0.0 ? "median volume " + Format("%.1f", f.volume_ratio) + "x global; "
                            : "volume unknown; ";
  s += "explains " + Percent(f.traffic_share) + " of their " + kind + " observations";
  if (f.traffic_share < c.o.hubs.incidental_share) s += " (incidental)";
  switch (r.decision) {
    case HubDecision::kKept:
      return s + " -> kept";
    case HubDecision::kDemoted:
      return s + " -> demoted x" + Format(r.factor < 0.1 ? "%.3g" : "%.2f", r.factor);
    case HubDecision::kDropped:
      break;
  }
  return s + " -> dropped (weight " + Format("%.2g", base_weight) + " x" +
         Format("%.3g",
                c.o.hubs.floor_factor + (1.0 - c.o.hubs.floor_factor) * r.suspicion * r.suspicion) +
         " < " + Format("%.2g", c.o.hubs.min_value_weight) + ")";
}

// Round 1 for one value: every feature, and a preliminary suspicion.
HubReport MeasureValue(const Context& c, ValueId v, Workspace& ws) {
  HubReport r;
  r.value = v;
  r.kind = c.inc.kind(v);
  r.degree = c.inc.degree(v);
  r.sparsified = r.degree > c.o.max_full_degree;
  SampleAccounts(c, v, ws);
  MeasureSignups(c, v, ws, r.features);
  MeasureVolume(c, v, ws, r.features);
  MeasureTrafficShare(c, v, ws, r.features);
  r.features.sampled = static_cast<std::uint32_t>(ws.sample.size());
  MeasureCoEvidence(c, v, 1, ws, r.features);
  r.suspicion = Suspicion(r.features, c.o.hubs);
  return r;
}

// Round 2 for one value: co-evidence again with hub partners that round 1
// did not judge benign, then the decision and its reason.
void ConcludeValue(const Context& c, double base_weight, Workspace& ws, HubReport& r) {
  SampleAccounts(c, r.value, ws);
  MeasureCoEvidence(c, r.value, 2, ws, r.features);
  r.suspicion = Suspicion(r.features, c.o.hubs);
  Decide(base_weight, c.o.hubs, r);
  r.reason = Reason(c, r, base_weight);
}

// Runs fn(report index, workspace) over every assessed value on the threads.
template <class Fn>
void ForEachAssessed(const Context& c, std::vector<Workspace>& spaces, Fn&& fn) {
  ParallelChunks(c.o.threads, c.assessed.size(), 16,
                 [&](int t, std::size_t begin, std::size_t end) {
                   Workspace& ws = spaces[static_cast<std::size_t>(t)];
                   if (ws.mark.empty()) ws.mark.assign(c.inc.num_accounts(), 0);
                   for (std::size_t i = begin; i < end; ++i) fn(i, ws);
                 });
}

}  // namespace

const char* HubDecisionName(HubDecision d) {
  switch (d) {
    case HubDecision::kKept:
      return "kept";
    case HubDecision::kDemoted:
      return "demoted";
    case HubDecision::kDropped:
      return "dropped";
  }
  return "?";
}

HubAssessment AssessHubs(const Incidence& inc, const AccountFeatures& features,
                         const KindTable& kinds, std::span<const double> base_weight,
                         const ProjectionOptions& o) {
  Context c{inc, features, kinds, o, base_weight, 0.0, {}, {}};
  c.global_median_requests = GlobalMedianRequests(features);
  for (ValueId v = 0; v < inc.num_values(); ++v) {
    if (inc.degree(v) >= o.hubs.assess_min_degree && inc.degree(v) >= 2) c.assessed.push_back(v);
  }
  HubAssessment result;
  result.reports.resize(c.assessed.size());
  std::vector<Workspace> spaces(static_cast<std::size_t>(o.threads));

  ForEachAssessed(c, spaces, [&](std::size_t i, Workspace& ws) {
    result.reports[i] = MeasureValue(c, c.assessed[i], ws);
  });
  c.suspicion1.resize(c.assessed.size());
  for (std::size_t i = 0; i < c.assessed.size(); ++i) {
    c.suspicion1[i] = result.reports[i].suspicion;
  }
  ForEachAssessed(c, spaces, [&](std::size_t i, Workspace& ws) {
    ConcludeValue(c, base_weight[c.assessed[i]], ws, result.reports[i]);
  });

  result.factor.assign(inc.num_values(), 1.0);
  for (const HubReport& r : result.reports) result.factor[r.value] = r.factor;
  return result;
}

}  // namespace ringscope
