// Benchmark of the projection (graph/projection.h) on a synthetic incidence
// shaped like the distill-24k world of tools/gen (world.h): ~1M benign
// accounts (households on residential /24s, carrier NAT pools, cloud VMs,
// office IPs, popular user agents, popular question patterns, a trivial
// prompt), the hard negatives (company NAT with onboarding wave, carrier and
// university CGNAT, families sharing a card, agent-framework boilerplate,
// teams sharing a device) and three campaigns (card farm, datacenter swarm,
// low and slow). It is built directly as observations, without files or a
// database, so it measures the projection alone.
//
// Prints the world's size, the time and counts of each phase, peak RSS, the
// hub decisions per kind of planted value, and how the links above a weight
// threshold group campaign and benign accounts. No test asserts these.
//
//   bench_projection [benign=1000000] [threads=2] [seed=1]
//
// With --db, the projection runs on a database written by `ringscope
// ingest` instead (loaded as `ringscope analyze` loads it); with the world
// directory of `ringscope gen`, hub decisions and components are tabulated
// against truth.csv and hard_negatives.csv:
//
//   bench_projection --db ringscope.db [threads=2] [world_dir]
#include <sys/resource.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <fstream>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "db/analysis.h"
#include "db/sqlite.h"
#include "graph/incidence.h"
#include "graph/projection.h"

namespace {

using namespace ringscope;  // NOLINT: a benchmark's single translation unit

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kWindowStart = 1769904000;  // 2026-02-01

class SplitMix {
 public:
  explicit SplitMix(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint32_t Below(std::uint64_t bound) { return static_cast<std::uint32_t>(Next() % bound); }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }
  double Normal() {  // Box-Muller
    const double u = std::max(Unit(), 1e-300);
    return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * M_PI * Unit());
  }

 private:
  std::uint64_t state_;
};

// Where a value comes from, to tabulate the hub decisions.
enum Origin : std::uint8_t {
  kOwn,
  kHouseholdIp,
  kResidentialSubnet,
  kCarrierIp,
  kCarrierSubnet,
  kCloudSubnet,
  kOfficeIp,
  kUserAgent,
  kPattern,
  kTrivialPrompt,
  kCompanyNat,
  kCompanyUa,
  kCompanyPrompt,
  kCgnat,
  kFamilyCard,
  kAgentPrompt,
  kTeamDevice,
  kCardPool,
  kProxyIp,
  kFarmTemplate,
  kDcSubnet,
  kDcIp,
  kDcDevice,
  kDcKey,
  kDcMailbox,
  kDcTemplate,
  kSlowDevice,
  kSlowTemplate,
  kOriginCount
};
const char* kOriginNames[] = {
    "own value",          "household ip",   "residential /24", "carrier NAT ip",
    "carrier /24",        "cloud /24",      "office ip",       "user agent",
    "question pattern",   "trivial prompt", "company NAT ip",  "company UA",
    "company sys prompt", "CGNAT ip",       "family card",     "agent boilerplate",
    "team device",        "farm card pool", "farm proxy ip",   "farm template",
    "swarm dc /24",       "swarm dc ip",    "swarm device",    "swarm api key",
    "swarm gmail box",    "swarm template", "slow device",     "slow template"};
bool IsCampaignOrigin(std::uint8_t o) { return o >= kCardPool; }

enum Kind : KindId { kIp, kSubnet, kDevice, kPayment, kEmail, kPhone, kUa, kKey, kPrompt };

// The synthetic world, as the CLI would hand it to the projection.
struct World {
  std::vector<std::string> kinds = {"ip",    "subnet",     "device",  "payment", "email",
                                    "phone", "user_agent", "api_key", "prompt"};
  std::vector<KindId> value_kinds;
  std::vector<std::uint8_t> origin;
  std::vector<Observation> obs;
  AccountFeatures features;
  std::vector<std::int8_t> campaign;  // -1 benign, else 0..2

  AccountId NewAccount(std::int64_t created, std::uint64_t requests, int campaign_id = -1) {
    features.created_at.push_back(created);
    features.requests.push_back(requests);
    campaign.push_back(static_cast<std::int8_t>(campaign_id));
    return static_cast<AccountId>(campaign.size() - 1);
  }
  ValueId NewValue(Kind kind, Origin from) {
    value_kinds.push_back(kind);
    origin.push_back(from);
    return static_cast<ValueId>(value_kinds.size() - 1);
  }
  void See(AccountId a, ValueId v, std::uint64_t count) {
    obs.push_back(
        {a, v, static_cast<std::uint32_t>(std::clamp<std::uint64_t>(count, 1, 1u << 30))});
  }
  void Own(AccountId a, Kind kind, std::uint64_t count) { See(a, NewValue(kind, kOwn), count); }
};

// A pool of shared values: value i of the pool, created on first use.
struct Pool {
  Kind kind;
  Origin origin;
  std::vector<ValueId> values;
  ValueId Get(World& w, std::size_t i) {
    while (values.size() <= i) values.push_back(w.NewValue(kind, origin));
    return values[i];
  }
};

// Zipf-like pick among n items (weight 1 / (rank + 1)).
std::uint32_t ZipfPick(SplitMix& rng, const std::vector<double>& cumulative) {
  const double x = rng.Unit() * cumulative.back();
  return static_cast<std::uint32_t>(std::upper_bound(cumulative.begin(), cumulative.end(), x) -
                                    cumulative.begin());
}
std::vector<double> ZipfTable(std::size_t n) {
  std::vector<double> c(n);
  double s = 0.0;
  for (std::size_t i = 0; i < n; ++i) c[i] = s += 1.0 / static_cast<double>(i + 1);
  return c;
}

struct BenignPools {
  Pool subnets{kSubnet, kResidentialSubnet, {}};
  Pool carrier_ips{kIp, kCarrierIp, {}};
  Pool carrier_subnets{kSubnet, kCarrierSubnet, {}};
  Pool cloud_subnets{kSubnet, kCloudSubnet, {}};
  Pool user_agents{kUa, kUserAgent, {}};
  Pool patterns{kPrompt, kPattern, {}};
  std::vector<double> ua_zipf = ZipfTable(30);
  std::vector<double> pattern_zipf = ZipfTable(60);
  ValueId trivial_prompt = 0;
  std::size_t carrier_ip_count = 1;
};

// One ordinary benign account's request-driven values: clients, prompts,
// mobile and cloud addresses. Household and identity values come apart.
void BenignActivity(World& w, BenignPools& p, SplitMix& rng, AccountId a) {
  const std::uint64_t r = w.features.requests[a];
  if (r == 0) return;
  w.See(a, p.user_agents.Get(w, ZipfPick(rng, p.ua_zipf)), r);
  if (rng.Chance(0.3)) w.See(a, p.user_agents.Get(w, ZipfPick(rng, p.ua_zipf)), r / 3 + 1);
  w.Own(a, kKey, r);
  const int patterns = 1 + static_cast<int>(rng.Below(3));
  for (int i = 0; i < patterns; ++i) {
    w.See(a, p.patterns.Get(w, ZipfPick(rng, p.pattern_zipf)), r / 4 + 1);
  }
  const int unique_prompts = 1 + static_cast<int>(std::min<std::uint64_t>(r / 4, 3));
  for (int i = 0; i < unique_prompts; ++i) w.Own(a, kPrompt, 1 + r / 8);
  if (rng.Chance(0.02)) w.See(a, p.trivial_prompt, 1);
  if (rng.Chance(0.35)) {  // mobile carrier NAT pool, ~40 strangers per address
    const std::uint32_t ip = rng.Below(p.carrier_ip_count);
    w.See(a, p.carrier_ips.Get(w, ip), r / 3 + 1);
    w.See(a, p.carrier_subnets.Get(w, ip / 256), r / 3 + 1);
  }
  if (rng.Chance(0.04)) {  // cloud VM
    w.Own(a, kIp, r / 2 + 1);
    w.See(a, p.cloud_subnets.Get(w, rng.Below(p.carrier_ip_count / 600 + 1)), r / 2 + 1);
  }
}

// Identity values from the signal table: email, phone, card, device.
void BenignIdentity(World& w, SplitMix& rng, AccountId a, ValueId family_card) {
  if (rng.Chance(0.97)) w.Own(a, kEmail, 1);
  if (rng.Chance(0.4)) w.Own(a, kPhone, 1);
  if (family_card != kMaxValues) {
    w.See(a, family_card, 1);
  } else if (rng.Chance(0.37)) {
    w.Own(a, kPayment, 1);
  }
  if (rng.Chance(0.6)) w.Own(a, kDevice, w.features.requests[a] / 2 + 1);
}

std::uint64_t LogNormalRequests(SplitMix& rng, double median, double sigma) {
  return static_cast<std::uint64_t>(
      std::min(20000.0, std::max(1.0, std::round(median * std::exp(sigma * rng.Normal())))));
}

// Households of 1-5 accounts on residential /24s (~24 households each), 3000
// of them families sharing a card, plus offices of 2-12 seats.
void AddBenignPopulation(World& w, BenignPools& p, SplitMix& rng, std::size_t accounts) {
  const double sizes[] = {0.58, 0.24, 0.11, 0.05, 0.02};
  p.carrier_ip_count = std::max<std::size_t>(1, accounts * 35 / 100 / 40);
  p.trivial_prompt = w.NewValue(kPrompt, kTrivialPrompt);
  std::size_t households = 0, families = 0;
  while (w.campaign.size() < accounts) {
    double x = rng.Unit();
    int size = 1;
    while (size < 5 && x >= sizes[size - 1]) x -= sizes[size - 1], ++size;
    const ValueId home = w.NewValue(kIp, kHouseholdIp);
    const ValueId subnet = p.subnets.Get(w, households++ / 24);
    ValueId card = static_cast<ValueId>(kMaxValues);
    if (size >= 2 && families < accounts * 3 / 1000)
      card = w.NewValue(kPayment, kFamilyCard), ++families;
    for (int i = 0; i < size; ++i) {
      const double age = 240.0 * (1.0 - std::sqrt(rng.Unit()));  // growing signups
      const std::uint64_t r = rng.Chance(0.3) ? 0 : LogNormalRequests(rng, 2.6, 1.7);
      const AccountId a = w.NewAccount(kWindowStart - static_cast<std::int64_t>(age * kDay), r);
      w.See(a, home, r / 2 + 1);
      w.See(a, subnet, r / 2 + 1);
      BenignIdentity(w, rng, a, card);
      BenignActivity(w, p, rng, a);
    }
  }
  for (AccountId a = 0; a + 12 < w.campaign.size(); a += 200) {  // offices, 5% of accounts
    const ValueId office = w.NewValue(kIp, kOfficeIp);
    const std::uint32_t seats = 2 + rng.Below(11);
    for (std::uint32_t i = 0; i < seats; ++i) w.See(a + i, office, 3);
  }
}

// A value shared by `count` accounts drawn from [first, first + range).
void ShareAmong(World& w, SplitMix& rng, ValueId v, AccountId first, std::size_t range,
                std::size_t count, std::uint64_t per_account) {
  for (std::size_t i = 0; i < count; ++i) w.See(first + rng.Below(range), v, per_account);
}

void AddHardNegatives(World& w, BenignPools& p, SplitMix& rng, std::size_t benign, double scale) {
  auto n = [scale](double x) { return static_cast<std::size_t>(std::max(10.0, x * scale)); };
  // Company: onboarding wave of 10 days, 4 NAT IPs, internal UA, system prompt.
  const ValueId nats[4] = {w.NewValue(kIp, kCompanyNat), w.NewValue(kIp, kCompanyNat),
                           w.NewValue(kIp, kCompanyNat), w.NewValue(kIp, kCompanyNat)};
  const ValueId ua = w.NewValue(kUa, kCompanyUa);
  const ValueId system_prompt = w.NewValue(kPrompt, kCompanyPrompt);
  const std::int64_t onboarding = kWindowStart - 90 * kDay;
  for (std::size_t i = 0; i < n(2000); ++i) {
    const std::uint64_t r = LogNormalRequests(rng, 5.2, 1.2);
    const AccountId a = w.NewAccount(onboarding + rng.Below(10 * kDay), r);
    w.See(a, nats[rng.Below(4)], r);
    w.See(a, ua, r);
    if (rng.Chance(0.85)) w.See(a, system_prompt, r);
    BenignIdentity(w, rng, a, static_cast<ValueId>(kMaxValues));
    BenignActivity(w, p, rng, a);
  }
  // CGNATs and agent-framework users: ordinary accounts that also share one value.
  ShareAmong(w, rng, w.NewValue(kIp, kCgnat), 0, benign, n(3000), 4);
  ShareAmong(w, rng, w.NewValue(kIp, kCgnat), 0, benign, n(1500), 4);
  ShareAmong(w, rng, w.NewValue(kPrompt, kAgentPrompt), 0, benign, n(4000), 6);
  for (std::size_t t = 0; t < n(150); ++t) {  // teams sharing a device and an office
    const AccountId first = rng.Below(benign - 8);
    const ValueId device = w.NewValue(kDevice, kTeamDevice);
    const ValueId office = w.NewValue(kIp, kOfficeIp);
    for (AccountId a = first; a < first + 3 + rng.Below(4); ++a) {
      w.See(a, device, 2);
      w.See(a, office, 2);
    }
  }
}

// Signup in one of `waves` waves of `hours` over `lead_days` before the
// window (share `in_wave`), else organic over the months before.
std::int64_t CampaignSignup(SplitMix& rng, int waves, double hours, double lead_days,
                            double in_wave, std::uint64_t campaign_seed) {
  if (!rng.Chance(in_wave))
    return kWindowStart - static_cast<std::int64_t>(rng.Unit() * 200 * kDay);
  SplitMix wave_rng(campaign_seed * 1000 + rng.Below(static_cast<std::uint64_t>(waves)));
  const double start_day = wave_rng.Unit() * lead_days;
  return kWindowStart - static_cast<std::int64_t>(start_day * kDay) +
         static_cast<std::int64_t>(rng.Unit() * hours * 3600);
}

void AddCardFarm(World& w, BenignPools& p, SplitMix& rng, std::size_t accounts) {
  Pool cards{kPayment, kCardPool, {}}, proxies{kIp, kProxyIp, {}},
      templates{kPrompt, kFarmTemplate, {}};
  for (std::size_t i = 0; i < accounts; ++i) {
    const std::uint64_t r = LogNormalRequests(rng, 780, 0.6);
    const AccountId a = w.NewAccount(CampaignSignup(rng, 8, 5, 25, 0.85, 1), r, 0);
    const bool straggler = rng.Chance(0.07);
    const std::uint32_t family = rng.Below(3);
    for (std::uint32_t t = 0; t < 4; ++t) w.See(a, templates.Get(w, family * 4 + t), r / 5 + 1);
    w.Own(a, kPrompt, r / 10 + 1);  // organic camouflage
    w.Own(a, kEmail, 1);
    if (straggler) continue;
    if (rng.Chance(0.85)) w.See(a, cards.Get(w, rng.Below(accounts / 25 + 1)), 1);
    for (int k = 0; k < 6; ++k) {  // residential proxies, in household /24s
      const std::uint32_t ip = rng.Below(accounts / 3 + 1);
      w.See(a, proxies.Get(w, ip), r / 6 + 1);
      w.See(a, p.subnets.values[(ip * 7919u) % p.subnets.values.size()], r / 6 + 1);
    }
  }
}

void AddDatacenterSwarm(World& w, SplitMix& rng, std::size_t accounts) {
  Pool subnets{kSubnet, kDcSubnet, {}}, ips{kIp, kDcIp, {}}, devices{kDevice, kDcDevice, {}};
  Pool keys{kKey, kDcKey, {}}, mailboxes{kEmail, kDcMailbox, {}},
      templates{kPrompt, kDcTemplate, {}};
  for (std::size_t i = 0; i < accounts; ++i) {
    const std::uint64_t r = LogNormalRequests(rng, 640, 0.5);
    const AccountId a = w.NewAccount(CampaignSignup(rng, 6, 3, 14, 0.9, 2), r, 1);
    const std::uint32_t family = rng.Below(3);
    for (std::uint32_t t = 0; t < 3; ++t) w.See(a, templates.Get(w, family * 3 + t), r / 4 + 1);
    if (rng.Chance(0.06)) continue;  // straggler
    for (int k = 0; k < 2; ++k) {
      const std::uint32_t ip = rng.Below(accounts / 4 + 1);
      w.See(a, ips.Get(w, ip), r / 2 + 1);
      w.See(a, subnets.Get(w, ip % 6), r / 2 + 1);
    }
    w.See(a, devices.Get(w, rng.Below(accounts / 40 + 1)), r);
    if (rng.Chance(0.6))
      w.See(a, keys.Get(w, rng.Below(accounts / 6 + 1)), r);
    else
      w.Own(a, kKey, r);
    if (rng.Chance(0.7))
      w.See(a, mailboxes.Get(w, rng.Below(6)), 1);
    else
      w.Own(a, kEmail, 1);
  }
}

void AddLowAndSlow(World& w, SplitMix& rng, std::size_t accounts) {
  Pool devices{kDevice, kSlowDevice, {}}, templates{kPrompt, kSlowTemplate, {}};
  for (std::size_t i = 0; i < accounts; ++i) {
    const std::uint64_t r = LogNormalRequests(rng, 70, 0.5);
    const AccountId a = w.NewAccount(CampaignSignup(rng, 1, 1, 1, 0.0, 3), r, 2);
    const std::uint32_t family = rng.Below(2);
    for (std::uint32_t t = 0; t < 3; ++t) w.See(a, templates.Get(w, family * 3 + t), r / 4 + 1);
    w.Own(a, kPrompt, r / 4 + 1);
    w.Own(a, kIp, r);
    w.Own(a, kEmail, 1);
    if (rng.Chance(0.9)) w.Own(a, kPayment, 1);
    if (!rng.Chance(0.1)) w.See(a, devices.Get(w, rng.Below(accounts / 6 + 1)), r / 2 + 1);
  }
}

World BuildWorld(std::size_t benign, std::uint64_t seed) {
  SplitMix rng(seed);
  World w;
  BenignPools pools;
  const double scale = static_cast<double>(benign) / 1e6;
  AddBenignPopulation(w, pools, rng, benign);
  AddHardNegatives(w, pools, rng, benign, scale);
  AddCardFarm(w, pools, rng, std::max<std::size_t>(50, 13000 * scale));
  AddDatacenterSwarm(w, rng, std::max<std::size_t>(50, 9000 * scale));
  AddLowAndSlow(w, rng, std::max<std::size_t>(20, 2000 * scale));
  return w;
}

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double PeakRssMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux: KiB
}

void PrintHubTable(const World& w, const ProjectedGraph& g) {
  struct Row {
    std::size_t n = 0, kept = 0, demoted = 0, dropped = 0;
    double factor = 0;
    std::uint64_t degree = 0;
  };
  std::map<std::uint8_t, Row> rows;
  for (const HubReport& r : g.hubs) {
    Row& row = rows[w.origin[r.value]];
    ++row.n;
    row.kept += r.decision == HubDecision::kKept;
    row.demoted += r.decision == HubDecision::kDemoted;
    row.dropped += r.decision == HubDecision::kDropped;
    row.factor += r.factor;
    row.degree = std::max<std::uint64_t>(row.degree, r.degree);
  }
  std::printf("\nhub decisions by planted origin (values of degree >= %u)\n", 16u);
  std::printf("%-20s %7s %7s %8s %8s %11s %10s\n", "origin", "values", "kept", "demoted", "dropped",
              "mean factor", "max degree");
  for (const auto& [origin, row] : rows) {
    std::printf("%-20s %7zu %7zu %8zu %8zu %11.3f %10lu%s\n", kOriginNames[origin], row.n, row.kept,
                row.demoted, row.dropped, row.factor / static_cast<double>(row.n),
                static_cast<unsigned long>(row.degree),
                IsCampaignOrigin(origin) ? "  (campaign)" : "");
  }
}

// Example reasons: the largest value of each origin.
void PrintReasons(const World& w, const ProjectedGraph& g) {
  std::map<std::uint8_t, const HubReport*> largest;
  for (const HubReport& r : g.hubs) {
    const HubReport*& best = largest[w.origin[r.value]];
    if (best == nullptr || r.degree > best->degree) best = &r;
  }
  std::printf("\nexample reasons (largest value of each origin)\n");
  for (const auto& [origin, r] : largest)
    std::printf("  [%s] %s\n", kOriginNames[origin], r->reason.c_str());
}

// Components of the links of weight >= threshold: campaign capture and
// benign accounts merged with them or into large benign groups.
void PrintComponents(const World& w, const ProjectedGraph& g, double threshold) {
  const std::size_t n = g.graph.num_vertices();
  std::vector<std::uint32_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0u);
  auto find = [&](std::uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (const WeightedEdge& e : g.graph.edges())
    if (e.weight >= threshold) parent[find(e.u)] = find(e.v);
  std::vector<std::uint32_t> size(n, 0), fraud(n, 0);
  for (std::uint32_t a = 0; a < n; ++a) ++size[find(a)], fraud[find(a)] += w.campaign[a] >= 0;
  std::size_t largest_benign = 0, benign_with_fraud = 0, fraud_total = 0, fraud_in_big = 0;
  for (std::uint32_t a = 0; a < n; ++a) {
    const std::uint32_t c = find(a);
    if (w.campaign[a] >= 0)
      fraud_total++, fraud_in_big += size[c] >= 10 && fraud[c] * 2 > size[c];
    else if (fraud[c] > 0)
      benign_with_fraud++;
    if (fraud[c] == 0) largest_benign = std::max<std::size_t>(largest_benign, size[c]);
  }
  std::printf(
      "links >= %.2f: campaign accounts in fraud-majority components of >= 10: %zu / %zu;"
      " benign accounts in components with campaign accounts: %zu; largest all-benign"
      " component: %zu\n",
      threshold, fraud_in_big, fraud_total, benign_with_fraud, largest_benign);
}

void PrintStats(const ProjectedGraph& g, const ProjectionOptions& o, double total) {
  const ProjectionStats& s = g.stats;
  std::printf("\nprojection (%d threads): %.2f s total\n", o.threads, total);
  std::printf(
      "  phase     weights %6.2f s  hubs %6.2f s  generate+sort %6.2f s  aggregate %6.2f s"
      "  build %6.2f s\n",
      s.seconds_weights, s.seconds_hubs, s.seconds_generate, s.seconds_aggregate, s.seconds_build);
  std::printf(
      "  values    paired %zu  sparsified %zu  join-only %zu  assessed %zu  demoted %zu"
      "  dropped %zu\n",
      s.values_paired, s.values_sparsified, s.values_join_only, s.values_assessed, s.values_demoted,
      s.values_dropped);
  std::printf("  pairs     generated %lu  contributions %lu  completions %lu\n",
              static_cast<unsigned long>(s.pairs_generated),
              static_cast<unsigned long>(s.pair_contributions),
              static_cast<unsigned long>(s.hub_evidence_added));
  std::printf(
      "  links     %zu kept, %zu below min weight %.2f; evidence entries %lu kept, %lu dropped\n",
      s.edges, s.edges_below_min_weight, o.min_link_weight,
      static_cast<unsigned long>(s.evidence_entries),
      static_cast<unsigned long>(s.evidence_dropped));
  std::printf("  peak RSS  %.0f MiB (process, input included)\n", PeakRssMiB());
}

int RunSynthetic(std::size_t benign, int threads, std::uint64_t seed) {
  auto start = std::chrono::steady_clock::now();
  World w = BuildWorld(benign, seed);
  std::printf("world: %zu accounts, %zu values, %zu observation rows (generated in %.2f s)\n",
              w.campaign.size(), w.value_kinds.size(), w.obs.size(), Since(start));
  start = std::chrono::steady_clock::now();
  const Incidence inc = BuildIncidence(w.campaign.size(), w.kinds, w.value_kinds, w.obs);
  std::printf("incidence: %zu merged observations in %.2f s; peak RSS %.0f MiB\n",
              inc.num_observations(), Since(start), PeakRssMiB());
  w.obs = {};
  w.obs.shrink_to_fit();

  ProjectionOptions o;
  o.threads = threads;
  start = std::chrono::steady_clock::now();
  const ProjectedGraph g = ProjectLinkGraph(inc, w.features, {}, o);
  PrintStats(g, o, Since(start));
  PrintHubTable(w, g);
  PrintReasons(w, g);
  std::printf("\n");
  for (double threshold : {0.05, 0.2, 0.5}) PrintComponents(w, g, threshold);
  return 0;
}

// ---- Database mode: a world made by `ringscope gen` and `ringscope ingest`.

// Account label per account name from a `name,label` CSV with a header;
// trailing "_NNNN" group numbers are cut (family_0012 -> family).
void ReadLabels(const std::string& path, const std::string& prefix,
                std::map<std::string, std::string>& out) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::size_t comma = line.find(',');
    if (comma == std::string::npos || comma + 1 == line.size()) continue;
    std::string label = line.substr(comma + 1);
    const std::size_t cut = label.find_last_of('_');
    if (cut != std::string::npos && cut + 1 < label.size() &&
        std::all_of(label.begin() + static_cast<std::ptrdiff_t>(cut) + 1, label.end(), ::isdigit)) {
      label.resize(cut);
    }
    out[line.substr(0, comma)] = prefix + label;
  }
}

struct DbWorld {
  Incidence inc;
  AccountFeatures features;
  std::vector<PrecomputedLink> links;
  std::vector<std::string> label;  // "campaign:x", "negative:y" or "" per account
};

DbWorld LoadDbWorld(const std::string& path, const std::string& world_dir) {
  Database db(path, {.mode = OpenMode::kReadOnly});
  const AnalysisData data = LoadAnalysisData(db);
  DbWorld w;
  std::vector<Observation> obs;
  obs.reserve(data.observations.size());
  for (const AnalysisObservation& x : data.observations)
    obs.push_back({x.account, x.value, x.count});
  w.inc = BuildIncidence(data.accounts.size(), data.kinds,
                         std::vector<KindId>(data.value_kind.begin(), data.value_kind.end()), obs);
  std::map<std::string, std::string> labels;
  if (!world_dir.empty()) {
    ReadLabels(world_dir + "/hard_negatives.csv", "negative:", labels);
    ReadLabels(world_dir + "/truth.csv", "campaign:", labels);
  }
  for (const AnalysisAccount& a : data.accounts) {
    w.features.requests.push_back(
        static_cast<std::uint64_t>(std::max<std::int64_t>(a.requests, 0)));
    w.features.created_at.push_back(a.created_at == kNoTimestamp ? kUnknownTime : a.created_at);
    const auto it = labels.find(a.name);
    w.label.push_back(it == labels.end() ? "" : it->second);
  }
  for (const AnalysisLink& l : data.links) w.links.push_back({l.a, l.b, l.kind, l.weight});
  return w;
}

// The label of a value: that of at least half of its accounts, else
// "benign" (or "mixed" when labelled accounts are a large minority).
std::string ValueLabel(const DbWorld& w, ValueId v) {
  std::map<std::string, std::size_t> count;
  for (AccountId a : w.inc.accounts(v)) ++count[w.label[a]];
  const std::size_t d = w.inc.degree(v);
  for (const auto& [label, n] : count) {
    if (!label.empty() && 2 * n >= d) return label;
  }
  return 5 * count[""] >= 4 * d ? "benign" : "mixed";
}

void PrintLabelledHubs(const DbWorld& w, const ProjectedGraph& g) {
  struct Row {
    std::size_t n = 0, kept = 0, demoted = 0, dropped = 0;
    double factor = 0;
    const HubReport* largest = nullptr;
  };
  std::map<std::string, Row> rows;
  for (const HubReport& r : g.hubs) {
    Row& row = rows[w.inc.kind_name(r.kind) + " / " + ValueLabel(w, r.value)];
    ++row.n;
    row.kept += r.decision == HubDecision::kKept;
    row.demoted += r.decision == HubDecision::kDemoted;
    row.dropped += r.decision == HubDecision::kDropped;
    row.factor += r.factor;
    if (row.largest == nullptr || r.degree > row.largest->degree) row.largest = &r;
  }
  std::printf("\nhub decisions by kind / majority of the accounts behind the value\n");
  std::printf("%-36s %7s %7s %8s %8s %11s %10s\n", "kind / accounts", "values", "kept", "demoted",
              "dropped", "mean factor", "max degree");
  for (const auto& [key, row] : rows) {
    std::printf("%-36s %7zu %7zu %8zu %8zu %11.3f %10u\n", key.c_str(), row.n, row.kept,
                row.demoted, row.dropped, row.factor / static_cast<double>(row.n),
                row.largest->degree);
  }
  std::printf("\nexample reasons (largest value of each row)\n");
  for (const auto& [key, row] : rows) {
    std::printf("  [%s] %s\n", key.c_str(), row.largest->reason.c_str());
  }
}

// Components of the links >= threshold against the labels.
void PrintLabelledComponents(const DbWorld& w, const ProjectedGraph& g, double threshold) {
  const std::size_t n = g.graph.num_vertices();
  std::vector<std::uint32_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0u);
  auto find = [&](std::uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (const WeightedEdge& e : g.graph.edges()) {
    if (e.weight >= threshold) parent[find(e.u)] = find(e.v);
  }
  auto is_campaign = [&](std::uint32_t a) { return w.label[a].rfind("campaign:", 0) == 0; };
  std::vector<std::uint32_t> size(n, 0), fraud(n, 0);
  for (std::uint32_t a = 0; a < n; ++a) ++size[find(a)], fraud[find(a)] += is_campaign(a);
  std::size_t fraud_total = 0, fraud_in_big = 0, benign_with_fraud = 0, largest_benign = 0;
  for (std::uint32_t a = 0; a < n; ++a) {
    const std::uint32_t c = find(a);
    if (is_campaign(a)) {
      ++fraud_total;
      fraud_in_big += size[c] >= 10 && fraud[c] * 2 > size[c];
    } else if (fraud[c] > 0) {
      ++benign_with_fraud;
    }
    if (fraud[c] == 0) largest_benign = std::max<std::size_t>(largest_benign, size[c]);
  }
  std::printf(
      "links >= %.2f: campaign accounts in campaign-majority components of >= 10: %zu / %zu;"
      " other accounts in components with campaign accounts: %zu; largest campaign-free"
      " component: %zu\n",
      threshold, fraud_in_big, fraud_total, benign_with_fraud, largest_benign);
}

int RunDatabase(const std::string& path, int threads, const std::string& world_dir) {
  auto start = std::chrono::steady_clock::now();
  const DbWorld w = LoadDbWorld(path, world_dir);
  std::printf("database %s: %zu accounts, %zu values, %zu observations, %zu links (%.2f s)\n",
              path.c_str(), w.inc.num_accounts(), w.inc.num_values(), w.inc.num_observations(),
              w.links.size(), Since(start));
  ProjectionOptions o;
  o.threads = threads;
  start = std::chrono::steady_clock::now();
  const ProjectedGraph g = ProjectLinkGraph(w.inc, w.features, w.links, o);
  PrintStats(g, o, Since(start));
  if (world_dir.empty()) return 0;
  PrintLabelledHubs(w, g);
  std::printf("\n");
  for (double threshold : {0.05, 0.2, 0.5}) PrintLabelledComponents(w, g, threshold);
  return 0;
}

}  // namespace

int main(int argc, char** argv) try {
  if (argc > 2 && std::string(argv[1]) == "--db") {
    return RunDatabase(argv[2], argc > 3 ? std::stoi(argv[3]) : 2, argc > 4 ? argv[4] : "");
  }
  return RunSynthetic(argc > 1 ? std::stoul(argv[1]) : 1000000, argc > 2 ? std::stoi(argv[2]) : 2,
                      argc > 3 ? std::stoull(argv[3]) : 1);
} catch (const std::exception& e) {
  std::fprintf(stderr, "bench_projection: %s\n", e.what());
  return 1;
}
