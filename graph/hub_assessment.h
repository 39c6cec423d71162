// Hub assessment: is a value shared by many accounts a benign hub (a
// carrier's CGNAT address, a company NAT, a framework's boilerplate prompt:
// strangers who happen to share it) or a campaign's own instrument (its card
// pool, its prompt templates: one operator behind many accounts)? The answer
// is a factor in [0, 1] on the value's weight, with a report a person can
// check.
//
// THE RULE. Three signals, each a ramp from 0 (says nothing) to 1 (full
// signal) between two documented thresholds (HubRuleOptions):
//   co     co-evidence beyond chance: the share of sampled accounts of the
//          value tied to its other accounts by an independent identity
//          value w (a card, device, phone, email or key: kind strength >=
//          co_min_strength, a different kind family, itself not judged
//          benign), corrected for the ties chance gives: (observed -
//          expected) / (1 - expected). An account is tied when w overlaps
//          the value more than random holders would (binomial tail < 1/1,000
//          from the smaller of the two): a card whose 36 other holders all
//          send a template held by 0.4% of all accounts ties; a family card
//          whose one other holder also uses a prompt of a quarter of all
//          accounts does not. Strangers behind a NAT share no instrument; a
//          campaign's accounts share cards, devices, keys with their peers.
//          Measured per account rather than per random pair: a pool of 200
//          cards over 2,000 accounts ties every account, while only 0.5% of
//          random pairs share a card.
//   burst  the share of the accounts' signups inside the densest window of
//          burst_window_seconds (organic signups spread over months).
//   volume the median requests of its active accounts over the median
//          active account's. Holders of popular values lean to heavy users,
//          so volume alone (one signal) never keeps a value.
// suspicion = min(1, (co + burst + volume) / 2): two full signals keep a
// value at full weight, one keeps it partly, none demotes it to the floor.
// No single signal suffices because each has a benign look-alike: a company
// onboards in a burst, API power users have volume, families share cards.
// Incidental contact (its accounts use the value less than incidental_use
// times their average value of that kind: a one-off prompt, an airport
// wifi) halves the suspicion.
// factor = floor + (1 - floor) * suspicion^2; a value whose final per-pair
// weight falls below min_value_weight is dropped (factor 0, not expanded).
//
// TWO ROUNDS. Whether a partner value counts as co-evidence depends on its
// own judgement. Round 1 counts only identity partners shared by at most
// max_full_degree accounts (no hub vouches for another). Round 2 counts the
// identity partners that round 1 did not judge benign (suspicion >= 0.5, or
// not assessed), and partners of any kind that round 1 found suspicious on
// one and a half signals or more (>= 0.75): a campaign's card (degree 30) is
// then tied through its template family (degree 2,000, suspicious on
// co-evidence and burst), while the popular prompt two power users share
// (suspicious on volume alone) ties nobody, nor does the boilerplate prompt
// of a CGNAT's strangers.
//
// COST. Per assessed value of degree d: O(d log d) for the signup window and
// the sample, plus O(S * (D + P * L log d)) for the co-evidence of S sampled
// accounts with at most D values each, at most P = max_partners of them
// examined, each for at most L = scan_limit accounts. Memory O(A * K) for
// the baselines and O(A) per thread (a marker per account). Values are
// independent: the result does not depend on threads.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "graph/incidence.h"
#include "graph/projection_options.h"

namespace ringscope {

inline constexpr std::int64_t kUnknownTime = std::numeric_limits<std::int64_t>::min();

// What the database knows about each account beyond its values. Each vector
// is either empty (unknown for every account) or has one entry per account.
struct AccountFeatures {
  std::vector<std::uint64_t> requests;   // request-log rows (volume)
  std::vector<std::int64_t> created_at;  // signup, unix seconds, or kUnknownTime
};

enum class HubDecision { kKept, kDemoted, kDropped };
const char* HubDecisionName(HubDecision d);  // "kept", "demoted", "dropped"

// The evidence around one value, as measured.
struct HubFeatures {
  std::uint32_t sampled = 0;  // accounts examined for co-evidence
  std::uint32_t tied = 0;     // of them, tied to the value's other accounts
  double co_evidence = 0.0;   // tied / sampled
  double co_expected = 0.0;   // share of sampled accounts chance alone would tie
  std::uint32_t known_signups = 0;
  double burst = 0.0;                 // share of known signups in the densest window
  double signup_spread_days = 0.0;    // days between the 10th and 90th percentile signup
  std::uint32_t active_accounts = 0;  // accounts with requests > 0
  // Median requests of the active accounts over the median active
  // account's; 0 when unknown.
  double volume_ratio = 0.0;
  // Over the sampled accounts, medians of: the share of the account's
  // observations of this kind that are of this value, and that share times
  // the number of the account's values of this kind (1 = an average value).
  double traffic_share = 0.0;
  double relative_use = 0.0;
};

struct HubReport {
  ValueId value = 0;
  KindId kind = 0;
  std::uint32_t degree = 0;
  bool sparsified = false;  // degree > max_full_degree
  HubFeatures features;
  double suspicion = 0.0;  // in [0, 1]
  double factor = 1.0;     // applied to the value's weight; 0 when dropped
  double weight = 0.0;     // final per-pair weight of the value
  HubDecision decision = HubDecision::kKept;
  // e.g. "ip shared by 4,213 accounts; 3.1% of 64 sampled accounts tied to
  // another by independent evidence (0.2% by chance); 3% of 4,213 signups
  // within 7 days (middle 80% over 210 days); median volume 1.0x the median
  // account's; ... -> demoted x0.02"
  std::string reason;
};

struct HubAssessment {
  std::vector<double> factor;      // per value; 1 when not assessed, 0 when dropped
  std::vector<HubReport> reports;  // the assessed values, by ascending value id
};

// Assesses every value of degree >= o.hubs.assess_min_degree. base_weight[v]
// is strength * decay of value v (projection_options.h). Inputs are trusted
// (ProjectLinkGraph validates them); features vectors are empty or sized to
// the accounts. O(sum over assessed values of the per-value cost above),
// spread over o.threads threads.
HubAssessment AssessHubs(const Incidence& inc, const AccountFeatures& features,
                         const KindTable& kinds, std::span<const double> base_weight,
                         const ProjectionOptions& o);

}  // namespace ringscope
