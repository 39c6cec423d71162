// Cluster scoring: is a cluster of linked accounts a campaign? A score in
// [0, 1] from explainable features, with the reasons that produced it
// ("Clusters are campaigns only when the evidence says so", design.md).
//
// THE MODEL. Every feature adds (or, for mitigations, subtracts) POINTS, each
// a documented ramp times a weight (ScoringOptions), and each point source is
// one Reason:
//   ties       per evidence kind, weight(kind) * tied share (members tied by
//              a kept value of that kind / members). Kinds of one
//              independence class (ip and subnet: "network"; email and
//              phone: "identity") count once: the class scores its
//              strongest kind. Ties through demoted hubs add nothing.
//   burst      share of known signups within the densest 24 h window.
//   volume     median requests per member over the platform median (log ramp).
//   templates  share of the members' requests in shared prompt templates.
//   young      short median account life (created_at to last activity).
//   size       linear in ln(size): negative for tiny clusters (a family, a
//              small team), positive for large ones.
//   org        mitigation: most members share one `org` (an enterprise).
// score = 1 - 2^(-max(points, 0) / half_points): half_points points (2 by
// default) score 0.5, each further half_points halves the remaining doubt.
//
// THE GATE. A class is independent evidence when one of its kinds, of weight
// >= class_min_weight, ties >= class_min_share of the members. With fewer
// than min_independent_classes (2) such classes, or fewer than min_ban_size
// (6) members, the score is multiplied by gate_fraction * ban_threshold, so
// it stays below the ban threshold whatever the evidence, and keeps its order
// among gated clusters; a "gate" reason says which rule held it.
// bannable = not gated and score >= ban_threshold.
//
// MONOTONE. Each point source is non-decreasing in its evidence (tied
// members, burst, volume, template share, youth) and the gate only opens as
// ties grow, so more tied evidence never lowers the score. Only the org
// share lowers it.
//
// COMPLEXITY. ScoreCluster is O(K log K + S log S) for K kinds and S signup
// times (plus O(K log M) option lookups for M configured kinds).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ringscope {

// How one evidence kind ties a cluster's members (filled by the caller from
// the intra-cluster links of the projected graph and its hub reports).
struct KindTies {
  // "payment", "api_key", "email", "phone", "device", "ip", "subnet",
  // "user_agent", "prompt", "link" or a custom kind. Non-empty, unique within
  // a cluster.
  std::string kind = {};
  // Members with at least one intra-cluster link whose evidence includes a
  // value (or precomputed link) of this kind that the projection kept, i.e.
  // did not demote as a benign hub. <= size. Read as `kind:shared(N)`.
  std::uint32_t tied_members = 0;
  // Distinct kept values of this kind behind those ties (0 for precomputed
  // links, which have no value), and the largest platform-wide account count
  // (degree) among them. Used in the explanation only.
  std::uint32_t shared_values = 0;
  std::uint32_t max_value_degree = 0;
  // Members with at least one intra-cluster link through a value of this kind
  // that the projection demoted as a benign hub (CGNAT, NAT, boilerplate
  // prompt), the number of such values and their largest degree. These add no
  // points; they are reported as a note. <= size.
  std::uint32_t hub_tied_members = 0;
  std::uint32_t hub_values = 0;
  std::uint32_t max_hub_degree = 0;
};

// Everything the score looks at, for one cluster. Plain data: zero means
// "none" for every count and share, and unknown for the medians.
struct ClusterFeatures {
  std::uint32_t size = 0;  // members
  // Kinds that tie members, any order (kinds that tie nobody may be omitted).
  std::vector<KindTies> kinds = {};
  // Signup times (created_at, unix seconds) of the members whose signup is
  // known, any order; members with an unknown signup are left out.
  // signup_times.size() <= size.
  std::vector<std::int64_t> signup_times = {};
  // Median request count of the members with at least one request, and the
  // same median over all active accounts of the platform. 0 = unknown: no
  // volume reason. Finite, >= 0.
  double median_requests = 0.0;
  double platform_median_requests = 0.0;
  // Share of the members' requests whose prompt template is shared with
  // another member, in [0, 1].
  double template_share = 0.0;
  // Median over members of the days between created_at and the last activity;
  // nullopt when unknown. Finite, >= 0.
  std::optional<double> median_age_days = std::nullopt;
  // Largest share of members with one same non-empty `org` attribute, in
  // [0, 1], and that org (a legitimate enterprise signal). Ignored when `org`
  // is empty.
  double org_share = 0.0;
  std::string org = {};
};

// The knobs of the score. Defaults are documented choices, not fitted values;
// the tests pin the archetypes and hard negatives they must separate.
struct ScoringOptions {
  // Points a kind adds when it ties every member (scaled by the tied share).
  // Half the projection's kind strengths (graph/projection_options.h), so the
  // two stay in proportion: cards, keys and emails identify a payer or a
  // person; devices collide across identical builds; IPs are shared by
  // households and NATs; prompt ties come from similarity matching; subnets
  // and user agents say little.
  std::map<std::string, double, std::less<>> kind_weights = {
      {"payment", 1.5}, {"api_key", 1.5}, {"email", 1.5},   {"phone", 1.25},     {"device", 1.0},
      {"ip", 0.5},      {"prompt", 0.75}, {"subnet", 0.15}, {"user_agent", 0.1}, {"link", 0.5}};
  double default_kind_weight = 0.5;  // kinds not listed above
  // Independence classes: kinds of one class are one kind of evidence (a
  // subnet is derived from the ip; an email and a phone both name a person).
  // A kind not listed is a class of its own, named after it.
  std::map<std::string, std::string, std::less<>> kind_classes = {
      {"ip", "network"},         {"subnet", "network"},    {"email", "identity"},
      {"phone", "identity"},     {"payment", "payment"},   {"device", "device"},
      {"api_key", "credential"}, {"user_agent", "client"}, {"prompt", "content"},
      {"link", "link"}};
  // A class is independent evidence when one of its kinds with weight >=
  // class_min_weight ties >= class_min_share of the members. 0.3: a campaign
  // ties most members, a coincidence a few. 0.25 keeps subnet and user agent
  // (0.15, 0.1) from opening a class on their own: they say where and which
  // software, not who.
  double class_min_share = 0.3;
  double class_min_weight = 0.25;
  int min_independent_classes = 2;  // "a ban needs more than one kind"
  // A ban needs at least this many accounts. Groups of two to five sharing a
  // card, a device and a home address are families and flatmates far more
  // often than campaigns (distillation needs many accounts); they stay
  // visible with their score, gated, for a person to review. 1 turns it off.
  std::uint32_t min_ban_size = 6;

  // Signup burst: share of known signups within the densest window (signups
  // less than burst_window_seconds apart), assessed with >= min_known_signups
  // known. Organic signups put a few percent in any day; waves half or more.
  std::int64_t burst_window_seconds = 86400;
  std::uint32_t min_known_signups = 5;
  double burst_low = 0.25, burst_high = 0.75, burst_weight = 1.0;
  // Volume ratio (median requests / platform median), ramped on its log: up
  // to 2x is ordinary variation, 10x the volume of a distillation script.
  double volume_low = 2.0, volume_high = 10.0, volume_weight = 1.0;
  // Templated traffic: a share of requests in shared templates from
  // template_low (people who share a snippet) to template_high (every request
  // a filled-in template), the hallmark of distillation. The largest weight
  // among the behaviours: a low-and-slow campaign shows little else.
  double template_low = 0.3, template_high = 0.9, template_weight = 1.25;
  // Young accounts: full points at a median life <= young_days, none at >=
  // old_days. Campaign accounts are used and dropped; customers stay.
  double young_days = 7.0, old_days = 60.0, young_weight = 0.5;
  // Size: size_small_points at <= size_small members, size_large_points at
  // >= size_large, linear in ln(size) between. Tiny groups (families, small
  // teams) need much more evidence; distillation needs many accounts.
  std::uint32_t size_small = 2, size_large = 64;
  double size_small_points = -1.5, size_large_points = 0.5;
  // Org mitigation: minus org_weight * ramp(org share, org_low, org_high).
  // Large enough to outweigh what an ordinary company shares (an office IP,
  // one client, a system prompt), not a card pool with bursts and volume.
  // Only as trustworthy as the org attribute's source.
  double org_low = 0.5, org_high = 0.9, org_weight = 2.5;

  // score = 1 - 2^(-points / half_points).
  double half_points = 2.0;
  // Default of `export banlist --min-score`.
  double ban_threshold = 0.5;
  // A gated cluster's score is ungated * gate_fraction * ban_threshold.
  double gate_fraction = 0.9;
};

// What a reason does to the score.
enum class ReasonRole {
  kGate,        // the gate held the score below the ban threshold
  kEvidence,    // adds points
  kMitigation,  // subtracts points
  kNote,        // no points: context for a person (hubs, normal volume, ...)
};

struct Reason {
  ReasonRole role = ReasonRole::kNote;
  std::string subject;  // a kind, or "signup", "volume", "prompt", "age", "size", "org", "gate"
  std::string tag;      // "shared", "hub", "burst", "high", "template", "young", "large", ...
  double value = 0.0;   // the number in the token (members, share, ratio, days, classes)
  double points = 0.0;  // signed contribution to ClusterScore::points; 0 for gate and notes
  std::string token;    // compact form, e.g. "payment:shared(14)", "org:same(0.97,acme)"
  std::string text;     // sentence form, e.g. "14 of 20 accounts share 3 payment cards"
};

struct ClusterScore {
  double score = 0.0;          // in [0, 1], never NaN
  double ungated_score = 0.0;  // the score before the gate
  double points = 0.0;         // sum of the reasons' points (may be < 0)
  int independent_classes = 0;
  std::vector<std::string> evidence_classes;  // those classes, by name
  bool gated = false;  // fewer than min_independent_classes, or smaller than min_ban_size
  bool bannable = false;                      // !gated && score >= ban_threshold
  // Gate first, then evidence by points (largest first), mitigations by
  // |points| (largest first), notes; ties by token.
  std::vector<Reason> reasons;
};

// Throws std::invalid_argument (expected vs actual) on a NaN, infinite or
// negative weight, a share outside [0, 1], a ramp with low >= high, a window
// <= 0, size_small < 1 or size_large <= size_small, non-finite size points,
// half_points <= 0, ban_threshold outside (0, 1], gate_fraction outside
// [0, 1), min_independent_classes < 0 or an empty class name. O(M).
void ValidateScoringOptions(const ScoringOptions& o);

// Throws std::invalid_argument (expected vs actual) on an empty or duplicate
// kind, tied or hub-tied members above size, more signup times than members,
// a share outside [0, 1] or a negative or non-finite median or age.
// O(K log K).
void ValidateClusterFeatures(const ClusterFeatures& f);

// Scores one cluster. Validates both inputs (above). A cluster of size 0
// scores 0 with no reasons. O(K log K + S log S) (see COMPLEXITY).
ClusterScore ScoreCluster(const ClusterFeatures& f, const ScoringOptions& o = {});

// The largest share of `times` within one window: max over i of
// #{j : times[i] <= times[j] < times[i] + window_seconds} / |times|. 0 for no
// times. window_seconds > 0 (else std::invalid_argument). O(S log S).
double SignupBurstShare(std::span<const std::int64_t> times, std::int64_t window_seconds);

// The ban list's `reasons` cell (formats.md): the tokens of every reason but
// the notes, in order, joined by ';', e.g.
// "payment:shared(14);device:shared(3);prompt:template(0.96)". O(R).
std::string FormatReasons(const ClusterScore& s);

// The sentence form for cluster views: every reason's text, in order, joined
// by "; ", e.g. "14 of 20 accounts share 3 payment cards (the most shared one
// used by 14 accounts); 80% of 20 known signups within 24 h of each other". O(R).
std::string DescribeReasons(const ClusterScore& s);

}  // namespace ringscope
