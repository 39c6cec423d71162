// The knobs of the projection (incidence -> link graph) and the per-kind
// table they resolve to. Every default is justified next to it.
//
// Weight of one shared value v of kind K shared by d accounts (a pair of
// accounts sharing v gets this much from it):
//
//   w(v) = strength(K) * decay(d) * factor(v),  decay(d) = (ln 2 / ln d)^p
//
// decay is Adamic-Adar's 1/ln d scaled so that a value shared by exactly two
// accounts carries its kind's full strength (decay(2) = 1), and raised to
// decay_power p (p = 1: Adamic-Adar; larger p discounts popular values
// faster; p = 0: no discount). factor(v) in [0, 1] is the hub decision of
// hub_assessment.h (1 for values shared by fewer than assess_min_degree).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "graph/incidence.h"

namespace ringscope {

// How a value shared by many accounts is judged (hub_assessment.h explains
// the rule). Each threshold below is a documented default, not a fitted one.
struct HubRuleOptions {
  // Values shared by at least this many accounts are assessed (and get a
  // HubReport). 16: below it a value cannot merge many strangers, and the
  // signup/volume statistics of fewer accounts are noise.
  std::uint32_t assess_min_degree = 16;
  // Co-evidence: how many of the value's accounts are examined (seeded
  // sample), and how many accounts of a partner value are scanned at most.
  std::uint32_t sample_accounts = 64;
  std::uint32_t scan_limit = 256;
  // Partner values examined per sampled account, smallest first (the most
  // specific evidence: a shared card before a shared popular prompt).
  std::uint32_t max_partners = 32;
  // Only values of kinds at least this strong count as co-evidence: with the
  // default strengths, the identity instruments (device 2, phone 2.5,
  // payment, email, api_key 3), which a person holds one or two of whatever
  // their activity. Addresses and prompts follow activity: power users share
  // VPN exits and popular prompts, and would vouch for each other.
  double co_min_strength = 2.0;
  // Share of sampled accounts tied to the value's other accounts by an
  // identity value, beyond chance: <= co_low says nothing, >= co_high is a
  // full signal. Strangers behind a NAT are tied only through families (a
  // few percent); a campaign's accounts nearly all share a card, device or
  // key with peers.
  double co_low = 0.10;
  double co_high = 0.40;
  // Signup burst: share of the accounts with a known signup time that signed
  // up inside the densest window of this length. Organic signups spread over
  // months put 2-8% in any week; campaign waves put half or more.
  std::int64_t burst_window_seconds = 7 * 86400;
  std::uint32_t min_known_signups = 8;
  double burst_low = 0.25;
  double burst_high = 0.60;
  // Volume: median requests of the value's active accounts over the median
  // active account's. Distillation scripts send tens of times the median
  // account's requests; heavy human and app users, and the holders of any
  // popular value (who lean to heavy users), a few times. Up to 4x says
  // nothing, 16x and more is a full signal.
  std::uint32_t min_active_accounts = 8;
  double volume_low = 4.0;
  double volume_high = 16.0;
  // A value its accounts use less than this times their average value of
  // that kind (median; observations of the value x number of their values of
  // the kind / their observations of the kind) is incidental contact (a
  // one-off "Say this is a test", an airport wifi): its suspicion is halved.
  double incidental_use = 0.2;
  // factor = floor + (1 - floor) * suspicion^2. 0.02: a benign ip of degree
  // 5,000 then weighs 0.0016 per pair, below min_link_weight: it is not
  // expanded, yet still named in the evidence of links other values make.
  double floor_factor = 0.02;
  // A value whose final per-pair weight is below this is dropped: not
  // expanded at all (common user agents, generic prompts).
  double min_value_weight = 1e-3;
  // A value kept at less than this factor was judged benign (suspicion under
  // 0.7: at most one full signal and a little): it never makes a link on its
  // own, it only adds its reduced weight to links other evidence makes
  // between its accounts. This is what keeps a NAT, a CGNAT or a
  // boilerplate prompt from merging strangers, whatever its weight.
  double link_min_factor = 0.5;
};

struct ProjectionOptions {
  // Strength of a shared value by kind. Payment, api_key and email identify a
  // billing entity or a person: strangers almost never share them. Phone is a
  // little weaker (recycled numbers, family phones). Device fingerprints
  // collide across identical hardware and browser builds. IPs are shared by
  // households and NAT. Prompt templates are matched by similarity, with some
  // false positives. Subnets mostly say where; user agents which software.
  // `link` is the default kind of precomputed links (formats.md).
  std::map<std::string, double, std::less<>> kind_strengths = {
      {"payment", 3.0}, {"api_key", 3.0}, {"email", 3.0},  {"phone", 2.5},      {"device", 2.0},
      {"ip", 1.0},      {"prompt", 1.5},  {"subnet", 0.3}, {"user_agent", 0.2}, {"link", 1.0}};
  // Strength of kinds not listed above.
  double default_strength = 1.0;
  // Kinds that are one evidence family: subnet is derived from ip, so sharing
  // an ip implies sharing its subnet. They never count as co-evidence for
  // each other and count once among a link's distinct kinds.
  std::vector<std::pair<std::string, std::string>> related_kinds = {{"ip", "subnet"}};
  double decay_power = 1.0;  // p in decay(d), finite and >= 0

  // Values of degree <= max_full_degree expand to all d(d-1)/2 pairs; larger
  // ones to the sparsified expansion: a ring plus `fanout` seeded circulant
  // offsets, d * (fanout + 1) pairs. 128 keeps the largest full clique at
  // 8,128 pairs; fanout 8 keeps a hub's accounts connected through an
  // expander-like graph with 2 * (fanout + 1) links per account.
  std::uint32_t max_full_degree = 128;
  std::uint32_t fanout = 8;
  HubRuleOptions hubs;
  // Memory bound of the generate phase (12 bytes per tuple): more tuples are
  // produced in several passes over account ranges. 2^26 tuples = 768 MiB.
  std::uint64_t tuples_per_pass = std::uint64_t{1} << 26;

  std::uint64_t seed = 0;  // sampling and sparsified expansion
  int threads = 2;         // >= 1; the result does not depend on it
  // Links whose total weight is below this are not kept, and a value whose
  // per-pair weight is below it is never expanded: it only joins the links
  // other evidence makes (a pair sharing nothing but a demoted NAT address is
  // no link). 0.01: a twentieth of two accounts sharing a user agent. 0 keeps
  // every link and expands every value of positive weight.
  double min_link_weight = 0.01;
  // Evidence entries kept per link, largest first; the rest are counted.
  std::uint32_t max_evidence_per_link = 8;
};

// The kinds of a projection: the incidence's kinds (same ids) followed by the
// kinds that appear only in precomputed links.
struct KindTable {
  std::vector<std::string> names;
  std::vector<double> strengths;
  // family[k]: the smallest kind id related to k (itself when unrelated).
  std::vector<KindId> family;

  KindId Find(std::string_view name) const;  // names.size() when absent; O(K)
};

// Throws std::invalid_argument (expected vs actual) on a NaN, infinite or
// negative strength, decay_power, threshold, share, floor or weight, a
// max_full_degree < 2, fanout, tuples_per_pass, sample size or scan limit of
// 0, threads < 1, or max_evidence_per_link of 0. O(number of kinds).
void ValidateProjectionOptions(const ProjectionOptions& o);

// Resolves strengths and families for `value_kinds` then `link_kinds` (the
// latter deduplicated, those already present skipped). O(K^2) for K kinds.
KindTable ResolveKinds(std::span<const std::string> value_kinds,
                       std::span<const std::string> link_kinds, const ProjectionOptions& o);

// decay(d) = (ln 2 / ln d)^p for d >= 2; 1 for d < 2. O(1).
double DegreeDecay(std::uint32_t degree, double decay_power);

}  // namespace ringscope
