// Hub assessment: measure the evidence around each value of high degree
// (signups, volume, traffic share, co-evidence), then decide its factor. The
// rule and its thresholds are documented in hub_assessment.h and
// projection_options.h (HubRuleOptions).
#include "graph/hub_assessment.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "graph/hub_baselines.h"
#include "graph/parallel.h"

namespace ringscope {
namespace {

using graph_internal::BinomialTail;
using graph_internal::ChanceOfTie;
using graph_internal::HubBaselines;
using graph_internal::ParallelChunks;
using graph_internal::SeededHash;

// Round 2 counts an assessed identity value (card, device, ...) as
// co-evidence when round 1 gave it at least one full signal of suspicion (it
// was not judged benign), and an assessed value of any other kind (a prompt
// template, an address) when round 1 found it suspicious on at least one and
// a half signals: volume alone, which every power user's popular prompt
// has, does not let a value vouch.
constexpr double kVouchingSuspicion = 0.5;
constexpr double kStrongVouchingSuspicion = 0.75;
// A partner ties an account to the value's other accounts when chance would
// give as many shared holders in fewer than 1 in 1,000 draws.
constexpr double kTieSignificance = 1e-3;
constexpr std::uint64_t kSampleSalt = 0x5a3d1e0f;
// Signup times are clamped to +-2^60 s so that differences never overflow.
constexpr std::int64_t kTimeBound = std::int64_t{1} << 60;

struct Context {
  const Incidence& inc;
  const AccountFeatures& features;
  const KindTable& kinds;
  const ProjectionOptions& o;
  const HubBaselines& baselines;
  std::vector<ValueId> assessed;  // ascending
  std::vector<float> suspicion1;  // round 1, per value (0 for values not assessed)
};

// Per-thread buffers, reused from value to value.
struct Workspace {
  std::vector<std::uint32_t> mark;  // mark[a] == v + 1 iff a is an account of v
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keyed;
  std::vector<std::uint32_t> sample;  // positions into inc.accounts(v)
  std::vector<std::int64_t> times;
  std::vector<std::uint64_t> volumes;
  std::vector<double> shares;
  std::vector<double> uses;
};

double Ramp(double x, double low, double high) {
  return std::clamp((x - low) / (high - low), 0.0, 1.0);
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
    const std::int64_t t = c.features.created_at[a];
    if (t != kUnknownTime) ws.times.push_back(std::clamp(t, -kTimeBound, kTimeBound));
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

// Median requests of the value's active accounts over the median active
// account's. O(d).
void MeasureVolume(const Context& c, ValueId v, Workspace& ws, HubFeatures& f) {
  if (c.features.requests.empty()) return;
  ws.volumes.clear();
  for (AccountId a : c.inc.accounts(v)) {
    if (c.features.requests[a] > 0) ws.volumes.push_back(c.features.requests[a]);
  }
  f.active_accounts = static_cast<std::uint32_t>(ws.volumes.size());
  const double typical = c.baselines.median_requests;
  if (ws.volumes.empty() || typical <= 0.0) return;
  auto mid = ws.volumes.begin() + static_cast<std::ptrdiff_t>((ws.volumes.size() - 1) / 2);
  std::nth_element(ws.volumes.begin(), mid, ws.volumes.end());
  f.volume_ratio = static_cast<double>(*mid) / typical;
}

template <class T>
T Median(std::vector<T>& xs) {
  auto mid = xs.begin() + static_cast<std::ptrdiff_t>((xs.size() - 1) / 2);
  std::nth_element(xs.begin(), mid, xs.end());
  return *mid;
}

// Over the sample: the median share of an account's observations of v's kind
// that are of v, and the median use of v relative to the account's average
// value of that kind (share * number of its values of the kind). O(S).
void MeasureUse(const Context& c, ValueId v, Workspace& ws, HubFeatures& f) {
  const KindId kind = c.inc.kind(v);
  const auto accounts = c.inc.accounts(v);
  const auto counts = c.inc.account_counts(v);
  ws.shares.clear();
  ws.uses.clear();
  for (std::uint32_t pos : ws.sample) {
    const AccountId a = accounts[pos];
    const double total = c.baselines.observations_of(a, kind);
    const double share = total > 0.0 ? std::min(1.0, counts[pos] / total) : 0.0;
    ws.shares.push_back(share);
    ws.uses.push_back(share * c.baselines.values_of(a, kind));
  }
  if (ws.shares.empty()) return;
  f.traffic_share = Median(ws.shares);
  f.relative_use = Median(ws.uses);
}

// Whether partner value w (shared by account a of v) may tie a to a peer.
bool QualifiesAsPartner(const Context& c, KindId v_family, ValueId w, int round) {
  const std::uint32_t d = c.inc.degree(w);  // >= 2: see partners_of
  const KindId kind = c.inc.kind(w);
  if (c.kinds.family[kind] == v_family) return false;
  const bool identity = c.kinds.strengths[kind] >= c.o.hubs.co_min_strength;
  if (round == 1) return identity && d <= c.o.max_full_degree;
  if (d < c.o.hubs.assess_min_degree) return identity;
  return c.suspicion1[w] >= (identity ? kVouchingSuspicion : kStrongVouchingSuspicion);
}

// The overlap of v and a partner w seen from the smaller of the two (the
// side with the power to show it): of its accounts other than a (at most
// scan_limit, evenly spaced), how many hold the larger value, and the rate
// at which they would if the larger value's holders were drawn at random.
struct PartnerTest {
  double examined = 0.0;
  double hits = 0.0;
  double rate = 0.0;  // chance that one examined account holds the larger value
};

// O(min(d_v, d_w, L) log d_w).
PartnerTest TestPartner(const Context& c, ValueId v, ValueId w, AccountId a, std::uint32_t stamp,
                        const Workspace& ws) {
  const bool from_w = c.inc.degree(w) <= c.inc.degree(v);
  const auto members = c.inc.accounts(from_w ? w : v);
  const auto large_members = c.inc.accounts(from_w ? v : w);
  const double others = std::max(1.0, static_cast<double>(c.inc.num_accounts()) - 2.0);
  const std::size_t probes = std::min<std::size_t>(members.size(), c.o.hubs.scan_limit);
  PartnerTest t;
  t.rate = std::min(1.0, (large_members.size() - 1.0) / others);
  for (std::size_t i = 0; i < probes; ++i) {
    const AccountId b = members[i * members.size() / probes];
    if (b == a) continue;
    t.examined += 1.0;
    t.hits += from_w ? ws.mark[b] == stamp
                     : std::binary_search(large_members.begin(), large_members.end(), b);
  }
  return t;
}

// Co-evidence of v. A sampled account is tied when one of its qualifying
// partner values w overlaps v more than chance allows: P(X >= hits) <=
// kTieSignificance for X ~ Binomial(examined, rate), as if the larger
// value's holders were drawn at random. So a card whose 36 other holders all
// send a template of 0.4% of all accounts ties; a family card whose one
// other holder also uses a prompt of a quarter of all accounts does not.
// Only the max_partners smallest qualifying partners of each account are
// examined (the most specific evidence). The ties chance alone would produce
// are summed over the same partners.
void MeasureCoEvidence(const Context& c, ValueId v, int round, Workspace& ws, HubFeatures& f) {
  const std::uint32_t stamp = v + 1;
  const auto accounts = c.inc.accounts(v);
  for (AccountId a : accounts) ws.mark[a] = stamp;
  const KindId v_family = c.kinds.family[c.inc.kind(v)];
  std::uint32_t tied = 0;
  double expected = 0.0;
  for (std::uint32_t pos : ws.sample) {
    const AccountId a = accounts[pos];
    bool is_tied = false;
    double untouched = 1.0;  // probability that chance ties a through no partner
    std::uint32_t examined = 0;
    for (ValueId w : c.baselines.partners_of(a)) {
      if (w == v || !QualifiesAsPartner(c, v_family, w, round)) continue;
      if (++examined > c.o.hubs.max_partners) break;
      const PartnerTest t = TestPartner(c, v, w, a, stamp, ws);
      if (t.examined < 1.0) continue;
      untouched *= 1.0 - ChanceOfTie(t.examined, t.rate, kTieSignificance);
      is_tied = is_tied ||
                (t.hits >= 1.0 && BinomialTail(t.examined, t.hits, t.rate) <= kTieSignificance);
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
  if (f.sampled > 0 && f.relative_use < h.incidental_use) s *= 0.5;
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
  s += f.volume_ratio > 0.0
           ? "median volume " + Format("%.1f", f.volume_ratio) + "x the median account's; "
           : "volume unknown; ";
  s += "explains " + Percent(f.traffic_share) + " of their " + kind + " observations, " +
       Format("%.2g", f.relative_use) + "x their average " + kind;
  if (f.relative_use < c.o.hubs.incidental_use) s += " (incidental)";
  switch (r.decision) {
    case HubDecision::kKept:
      return s + " -> kept";
    case HubDecision::kDemoted:
      return s + " -> demoted x" + Format(r.factor < 0.1 ? "%.3g" : "%.2f", r.factor) +
             (r.factor < c.o.hubs.link_min_factor ? " (joins links only)" : "");
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
  MeasureUse(c, v, ws, r.features);
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
  const HubBaselines baselines = graph_internal::ComputeHubBaselines(inc, features, kinds, o);
  Context c{inc, features, kinds, o, baselines, {}, {}};
  for (ValueId v = 0; v < inc.num_values(); ++v) {
    if (inc.degree(v) >= o.hubs.assess_min_degree && inc.degree(v) >= 2) c.assessed.push_back(v);
  }
  HubAssessment result;
  result.reports.resize(c.assessed.size());
  std::vector<Workspace> spaces(static_cast<std::size_t>(o.threads));

  ForEachAssessed(c, spaces, [&](std::size_t i, Workspace& ws) {
    result.reports[i] = MeasureValue(c, c.assessed[i], ws);
  });
  c.suspicion1.assign(inc.num_values(), 0.0f);
  for (const HubReport& r : result.reports) c.suspicion1[r.value] = static_cast<float>(r.suspicion);
  ForEachAssessed(c, spaces, [&](std::size_t i, Workspace& ws) {
    ConcludeValue(c, base_weight[c.assessed[i]], ws, result.reports[i]);
  });

  result.factor.assign(inc.num_values(), 1.0);
  for (const HubReport& r : result.reports) result.factor[r.value] = r.factor;
  return result;
}

}  // namespace ringscope
