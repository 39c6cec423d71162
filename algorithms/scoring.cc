// Cluster scoring: points from explainable features, a gate on independent
// evidence classes, reasons in a compact and a sentence form. See scoring.h.
#include "algorithms/scoring.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <utility>

namespace ringscope {
namespace {

// ---- validation -----------------------------------------------------------

[[noreturn]] void Fail(const char* where, const std::string& what) {
  throw std::invalid_argument(std::string(where) + ": " + what);
}

std::string Num(double x) {
  char buffer[32];
  const auto r = std::to_chars(buffer, buffer + sizeof buffer, x);
  return std::string(buffer, r.ptr);
}

void RequireWeight(const std::string& name, double x) {
  if (!std::isfinite(x) || x < 0.0) {
    Fail("ScoringOptions", name + " " + Num(x) + ", expected a finite value >= 0");
  }
}

void RequireShare(const char* where, const std::string& name, double x) {
  if (!std::isfinite(x) || x < 0.0 || x > 1.0) {
    Fail(where, name + " " + Num(x) + ", expected a value in [0, 1]");
  }
}

void RequireRamp(const char* low_name, double low, const char* high_name, double high) {
  RequireWeight(low_name, low);
  RequireWeight(high_name, high);
  if (!(low < high)) {
    Fail("ScoringOptions", std::string(low_name) + " " + Num(low) + " and " + high_name + " " +
                               Num(high) + ", expected " + low_name + " < " + high_name);
  }
}

// The per-feature ramps and weights.
void ValidateFeatureOptions(const ScoringOptions& o) {
  if (o.burst_window_seconds <= 0) {
    Fail("ScoringOptions",
         "burst_window_seconds " + std::to_string(o.burst_window_seconds) + ", expected > 0");
  }
  RequireShare("ScoringOptions", "burst_low", o.burst_low);
  RequireShare("ScoringOptions", "burst_high", o.burst_high);
  RequireRamp("burst_low", o.burst_low, "burst_high", o.burst_high);
  if (!(o.volume_low > 0.0)) {
    Fail("ScoringOptions", "volume_low " + Num(o.volume_low) + ", expected > 0");
  }
  RequireRamp("volume_low", o.volume_low, "volume_high", o.volume_high);
  RequireShare("ScoringOptions", "template_low", o.template_low);
  RequireShare("ScoringOptions", "template_high", o.template_high);
  RequireRamp("template_low", o.template_low, "template_high", o.template_high);
  RequireRamp("young_days", o.young_days, "old_days", o.old_days);
  RequireShare("ScoringOptions", "org_low", o.org_low);
  RequireShare("ScoringOptions", "org_high", o.org_high);
  RequireRamp("org_low", o.org_low, "org_high", o.org_high);
  for (const auto& [name, w] : {std::pair{"burst_weight", o.burst_weight},
                                {"volume_weight", o.volume_weight},
                                {"template_weight", o.template_weight},
                                {"young_weight", o.young_weight},
                                {"org_weight", o.org_weight}}) {
    RequireWeight(name, w);
  }
  if (o.size_small < 1 || o.size_large <= o.size_small) {
    Fail("ScoringOptions", "size_small " + std::to_string(o.size_small) + " and size_large " +
                               std::to_string(o.size_large) +
                               ", expected 1 <= size_small < size_large");
  }
  if (!std::isfinite(o.size_small_points) || !std::isfinite(o.size_large_points)) {
    Fail("ScoringOptions", "size points " + Num(o.size_small_points) + " and " +
                               Num(o.size_large_points) + ", expected finite values");
  }
}

// ---- number and text formatting -------------------------------------------

// Fixed-point, locale-independent. Magnitudes beyond 1e15 (absurd medians)
// are written in scientific notation so the text stays short.
std::string Fixed(double x, int decimals) {
  char buffer[64];
  const bool huge = !(std::abs(x) < 1e15);
  const auto r =
      huge ? std::to_chars(buffer, buffer + sizeof buffer, x, std::chars_format::scientific, 3)
           : std::to_chars(buffer, buffer + sizeof buffer, x, std::chars_format::fixed, decimals);
  return r.ec == std::errc() ? std::string(buffer, r.ptr) : std::string("?");
}

std::string Count(std::uint64_t n) {  // 4213 -> "4,213"
  const std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string Percent(double share) {
  return Fixed(share * 100.0, share > 0.0 && share < 0.1 ? 1 : 0) + "%";
}

// A name inside a token: the separators of the reasons cell ( ; ( ) , ) and
// quotes and control characters become '_', and it is cut to 64 bytes on a
// UTF-8 boundary, so a hostile org or kind name cannot forge reasons.
std::string TokenSafe(std::string_view s) {
  constexpr std::size_t kMaxBytes = 64;
  std::size_t end = std::min(s.size(), kMaxBytes);
  while (end < s.size() && end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  std::string out(s.substr(0, end));
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F || c == ';' || c == '(' || c == ')' || c == ',' || c == '"') {
      c = '_';
    }
  }
  return out;
}

// A name inside a sentence: control characters become spaces.
std::string TextSafe(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) c = ' ';
  }
  return out;
}

// "payment card"/"payment cards" for a built-in kind; "<kind> value(s)" else.
std::string KindNoun(std::string_view kind, std::uint64_t n) {
  static const std::map<std::string_view, std::pair<const char*, const char*>> kNouns = {
      {"payment", {"payment card", "payment cards"}},
      {"api_key", {"API key", "API keys"}},
      {"email", {"email address", "email addresses"}},
      {"phone", {"phone number", "phone numbers"}},
      {"device", {"device fingerprint", "device fingerprints"}},
      {"ip", {"IP address", "IP addresses"}},
      {"subnet", {"subnet", "subnets"}},
      {"user_agent", {"user agent", "user agents"}},
      {"prompt", {"prompt template", "prompt templates"}},
      {"link", {"precomputed link", "precomputed links"}}};
  const auto it = kNouns.find(kind);
  if (it != kNouns.end()) return n == 1 ? it->second.first : it->second.second;
  return TextSafe(kind) + (n == 1 ? " value" : " values");
}

std::string Token(std::string_view subject, std::string_view tag, const std::string& arg) {
  return TokenSafe(subject) + ":" + std::string(tag) + "(" + arg + ")";
}

std::string WindowText(std::int64_t seconds) {
  if (seconds % 3600 == 0) return std::to_string(seconds / 3600) + " h";
  return std::to_string(seconds) + " s";
}

// ---- feature helpers --------------------------------------------------------

// 0 below low, 1 above high, linear between.
double Ramp(double x, double low, double high) {
  if (!(x > low)) return 0.0;
  if (x >= high) return 1.0;
  return (x - low) / (high - low);
}

double Share(std::uint32_t part, std::uint32_t whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

Reason MakeReason(ReasonRole role, std::string subject, std::string tag, double value,
                  double points, std::string token, std::string text) {
  return Reason{.role = role,
                .subject = std::move(subject),
                .tag = std::move(tag),
                .value = value,
                .points = points,
                .token = std::move(token),
                .text = std::move(text)};
}

// What the kind phase found: the reasons and the independent classes.
struct KindOutcome {
  std::vector<Reason> reasons;
  std::vector<std::string> classes;  // sorted
};

struct KindScore {
  const KindTies* ties = nullptr;
  double weight = 0.0;
  double share = 0.0;
  double points = 0.0;
  std::string cls = {};
};

double LookupWeight(const ScoringOptions& o, std::string_view kind) {
  const auto it = o.kind_weights.find(kind);
  return it == o.kind_weights.end() ? o.default_kind_weight : it->second;
}

std::string LookupClass(const ScoringOptions& o, std::string_view kind) {
  const auto it = o.kind_classes.find(kind);
  return it == o.kind_classes.end() ? std::string(kind) : it->second;
}

// "14 of 20 accounts share 3 payment cards (the most shared one used by 30
// accounts)"; a kind without values (precomputed links) "ties" them.
std::string TiesText(const KindTies& k, std::uint32_t size, std::string_view suffix) {
  std::string s = Count(k.tied_members) + " of " + Count(size) + " accounts ";
  if (k.shared_values == 0) {
    s += "are tied by " + KindNoun(k.kind, 2);
  } else {
    s += "share " + Count(k.shared_values) + " " + KindNoun(k.kind, k.shared_values);
    if (k.max_value_degree > 0) {
      s += (k.shared_values == 1 ? " (used by " : " (the most shared one used by ") +
           Count(k.max_value_degree) + " accounts)";
    }
  }
  return s + std::string(suffix);
}

Reason HubNote(const KindTies& k, std::uint32_t size) {
  std::string text = Count(k.hub_tied_members) + " of " + Count(size) + " accounts share " +
                     Count(k.hub_values) + " " + KindNoun(k.kind, k.hub_values) +
                     (k.hub_values == 1 ? " demoted as a benign hub" : " demoted as benign hubs");
  if (k.max_hub_degree > 0) {
    text += (k.hub_values == 1 ? " (used by " : " (the most shared one used by ") +
            Count(k.max_hub_degree) + " accounts)";
  }
  return MakeReason(ReasonRole::kNote, k.kind, "hub", k.hub_tied_members, 0.0,
                    Token(k.kind, "hub", std::to_string(k.hub_tied_members)),
                    text + "; they add no points");
}

// ---- phases -----------------------------------------------------------------

// Ties: points per kind, the strongest kind of each class counted, the
// classes that are independent evidence. O(K log K).
KindOutcome ScoreTies(const ClusterFeatures& f, const ScoringOptions& o) {
  std::map<std::string, std::vector<KindScore>> by_class;
  KindOutcome out;
  for (const KindTies& k : f.kinds) {
    if (k.hub_tied_members > 0) out.reasons.push_back(HubNote(k, f.size));
    if (k.tied_members == 0) continue;
    KindScore s{.ties = &k, .weight = LookupWeight(o, k.kind)};
    s.share = Share(k.tied_members, f.size);
    s.points = s.weight * s.share;
    s.cls = LookupClass(o, k.kind);
    by_class[s.cls].push_back(std::move(s));
  }
  for (auto& [cls, kinds] : by_class) {
    std::sort(kinds.begin(), kinds.end(), [](const KindScore& a, const KindScore& b) {
      if (a.points != b.points) return a.points > b.points;
      return a.ties->kind < b.ties->kind;
    });
    const bool counts = std::any_of(kinds.begin(), kinds.end(), [&](const KindScore& s) {
      return s.share >= o.class_min_share && s.weight >= o.class_min_weight;
    });
    if (counts) out.classes.push_back(cls);
    for (std::size_t i = 0; i < kinds.size(); ++i) {
      const KindScore& s = kinds[i];
      const bool scored = i == 0 && s.points > 0.0;
      const std::string suffix =
          i == 0 ? "" : " (counted once with " + kinds[0].ties->kind + " as " + TextSafe(cls) + ")";
      out.reasons.push_back(
          MakeReason(scored ? ReasonRole::kEvidence : ReasonRole::kNote, s.ties->kind, "shared",
                     s.ties->tied_members, scored ? s.points : 0.0,
                     Token(s.ties->kind, "shared", std::to_string(s.ties->tied_members)),
                     TiesText(*s.ties, f.size, suffix)));
    }
  }
  return out;
}

// Signup burst within the densest window. O(S log S).
Reason ScoreBurst(const ClusterFeatures& f, const ScoringOptions& o) {
  const auto known = static_cast<std::uint32_t>(f.signup_times.size());
  if (known < o.min_known_signups) {
    return MakeReason(ReasonRole::kNote, "signup", "unknown", known, 0.0,
                      Token("signup", "unknown", std::to_string(known)),
                      "only " + Count(known) + " of " + Count(f.size) +
                          " signup times known; burst not assessed");
  }
  const double burst = SignupBurstShare(f.signup_times, o.burst_window_seconds);
  const double points = o.burst_weight * Ramp(burst, o.burst_low, o.burst_high);
  return MakeReason(points > 0.0 ? ReasonRole::kEvidence : ReasonRole::kNote, "signup", "burst",
                    burst, points, Token("signup", "burst", Fixed(burst, 2)),
                    Percent(burst) + " of " + Count(known) + " known signups within " +
                        WindowText(o.burst_window_seconds) + " of each other");
}

// Volume ratio on a log ramp; nothing when either median is unknown. O(1).
std::optional<Reason> ScoreVolume(const ClusterFeatures& f, const ScoringOptions& o) {
  if (!(f.platform_median_requests > 0.0) || !(f.median_requests > 0.0)) return std::nullopt;
  // Capped so that a near-zero platform median cannot make it infinite.
  const double ratio = std::min(f.median_requests / f.platform_median_requests, 1e12);
  const double points =
      ratio > o.volume_low
          ? o.volume_weight * Ramp(std::log(ratio), std::log(o.volume_low), std::log(o.volume_high))
          : 0.0;
  const bool high = points > 0.0;
  return MakeReason(high ? ReasonRole::kEvidence : ReasonRole::kNote, "volume",
                    high ? "high" : "normal", ratio, points,
                    Token("volume", high ? "high" : "normal", Fixed(ratio, 1) + "x"),
                    "median volume " + Fixed(ratio, 1) + "x the platform median (" +
                        Fixed(f.median_requests, 0) + " requests per account)");
}

// Share of traffic in shared prompt templates. O(1).
std::optional<Reason> ScoreTemplates(const ClusterFeatures& f, const ScoringOptions& o) {
  if (!(f.template_share > 0.0)) return std::nullopt;
  const double points = o.template_weight * Ramp(f.template_share, o.template_low, o.template_high);
  return MakeReason(points > 0.0 ? ReasonRole::kEvidence : ReasonRole::kNote, "prompt", "template",
                    f.template_share, points,
                    Token("prompt", "template", Fixed(f.template_share, 2)),
                    Percent(f.template_share) + " of requests in shared prompt templates");
}

// Median account life: young accounts are used and dropped. O(1).
std::optional<Reason> ScoreAge(const ClusterFeatures& f, const ScoringOptions& o) {
  if (!f.median_age_days) return std::nullopt;
  const double days = *f.median_age_days;
  const double points = o.young_weight * (1.0 - Ramp(days, o.young_days, o.old_days));
  const bool young = points > 0.0;
  return MakeReason(young ? ReasonRole::kEvidence : ReasonRole::kNote, "age",
                    young ? "young" : "median", days, points,
                    Token("age", young ? "young" : "median", Fixed(days, 1) + "d"),
                    "median account active for " + Fixed(days, 1) + " days");
}

// Size: linear in ln(size) from size_small_points to size_large_points. O(1).
std::optional<Reason> ScoreSize(const ClusterFeatures& f, const ScoringOptions& o) {
  const double t = f.size <= o.size_small ? 0.0
                   : f.size >= o.size_large
                       ? 1.0
                       : std::log(static_cast<double>(f.size) / o.size_small) /
                             std::log(static_cast<double>(o.size_large) / o.size_small);
  const double points = o.size_small_points + t * (o.size_large_points - o.size_small_points);
  if (points == 0.0) return std::nullopt;
  const bool large = points > 0.0;
  return MakeReason(
      large ? ReasonRole::kEvidence : ReasonRole::kMitigation, "size", large ? "large" : "small",
      f.size, points, Token("size", large ? "large" : "small", std::to_string(f.size)),
      Count(f.size) + (large ? " accounts, a large group" : " accounts, a small group"));
}

// Org mitigation: most members belong to one enterprise. O(1).
std::optional<Reason> ScoreOrg(const ClusterFeatures& f, const ScoringOptions& o) {
  if (f.org.empty() || !(f.org_share > 0.0)) return std::nullopt;
  const double points = -o.org_weight * Ramp(f.org_share, o.org_low, o.org_high);
  return MakeReason(points < 0.0 ? ReasonRole::kMitigation : ReasonRole::kNote, "org", "same",
                    f.org_share, points,
                    Token("org", "same", Fixed(f.org_share, 2) + "," + TokenSafe(f.org)),
                    Percent(f.org_share) + " belong to org " + TextSafe(f.org));
}

// The gate reason: why the score was held below the ban threshold.
Reason GateReason(const std::vector<std::string>& classes, const ScoringOptions& o) {
  std::string arg = std::to_string(classes.size());
  std::string names;
  for (const std::string& c : classes) {
    arg += "," + TokenSafe(c);
    names += (names.empty() ? "" : ", ") + TextSafe(c);
  }
  std::string text;
  if (classes.empty()) {
    text =
        "no independent kind of evidence ties " + Percent(o.class_min_share) + " of the accounts";
  } else {
    text = (classes.size() == 1
                ? "only one independent kind of evidence ("
                : "only " + std::to_string(classes.size()) + " independent kinds of evidence (") +
           names + ")";
  }
  text += "; a ban needs " + std::to_string(o.min_independent_classes);
  return MakeReason(ReasonRole::kGate, "gate", "classes", static_cast<double>(classes.size()), 0.0,
                    "gate:classes(" + arg + ")", text);
}

Reason SizeGateReason(std::uint32_t size, const ScoringOptions& o) {
  return MakeReason(ReasonRole::kGate, "gate", "size", static_cast<double>(size), 0.0,
                    "gate:size(" + std::to_string(size) + ")",
                    "only " + Count(size) + " accounts; a ban needs " + Count(o.min_ban_size) +
                        " (smaller groups are families and flatmates more often than campaigns: "
                        "review them by hand)");
}

int RoleRank(ReasonRole r) {
  switch (r) {
    case ReasonRole::kGate:
      return 0;
    case ReasonRole::kEvidence:
      return 1;
    case ReasonRole::kMitigation:
      return 2;
    case ReasonRole::kNote:
      return 3;
  }
  return 3;
}

// Gate, evidence by points, mitigations by |points|, notes; ties by token.
void SortReasons(std::vector<Reason>& reasons) {
  std::sort(reasons.begin(), reasons.end(), [](const Reason& a, const Reason& b) {
    if (RoleRank(a.role) != RoleRank(b.role)) return RoleRank(a.role) < RoleRank(b.role);
    if (std::abs(a.points) != std::abs(b.points)) return std::abs(a.points) > std::abs(b.points);
    return a.token < b.token;
  });
}

}  // namespace

void ValidateScoringOptions(const ScoringOptions& o) {
  for (const auto& [kind, w] : o.kind_weights) RequireWeight("kind_weights['" + kind + "']", w);
  RequireWeight("default_kind_weight", o.default_kind_weight);
  for (const auto& [kind, cls] : o.kind_classes) {
    if (cls.empty()) Fail("ScoringOptions", "kind_classes['" + kind + "'] is empty");
  }
  RequireShare("ScoringOptions", "class_min_share", o.class_min_share);
  RequireWeight("class_min_weight", o.class_min_weight);
  if (o.min_independent_classes < 0) {
    Fail("ScoringOptions", "min_independent_classes " + std::to_string(o.min_independent_classes) +
                               ", expected >= 0");
  }
  ValidateFeatureOptions(o);
  if (!std::isfinite(o.half_points) || !(o.half_points > 0.0)) {
    Fail("ScoringOptions", "half_points " + Num(o.half_points) + ", expected a finite value > 0");
  }
  if (!std::isfinite(o.ban_threshold) || !(o.ban_threshold > 0.0) || o.ban_threshold > 1.0) {
    Fail("ScoringOptions", "ban_threshold " + Num(o.ban_threshold) + ", expected (0, 1]");
  }
  if (!std::isfinite(o.gate_fraction) || o.gate_fraction < 0.0 || !(o.gate_fraction < 1.0)) {
    Fail("ScoringOptions", "gate_fraction " + Num(o.gate_fraction) + ", expected [0, 1)");
  }
}

void ValidateClusterFeatures(const ClusterFeatures& f) {
  constexpr const char* kWhere = "ClusterFeatures";
  std::set<std::string_view> seen;
  for (const KindTies& k : f.kinds) {
    if (k.kind.empty()) Fail(kWhere, "a kind with an empty name, expected a kind name");
    if (!seen.insert(k.kind).second) Fail(kWhere, "kind '" + k.kind + "' listed twice");
    if (k.tied_members > f.size || k.hub_tied_members > f.size) {
      Fail(kWhere, "kind '" + k.kind + "' ties " + std::to_string(k.tied_members) + " (hubs " +
                       std::to_string(k.hub_tied_members) + ") members, expected <= size " +
                       std::to_string(f.size));
    }
  }
  if (f.signup_times.size() > f.size) {
    Fail(kWhere, std::to_string(f.signup_times.size()) + " signup times, expected <= size " +
                     std::to_string(f.size));
  }
  for (const auto& [name, x] : {std::pair{"median_requests", f.median_requests},
                                {"platform_median_requests", f.platform_median_requests}}) {
    if (!std::isfinite(x) || x < 0.0) {
      Fail(kWhere, std::string(name) + " " + Num(x) + ", expected a finite value >= 0");
    }
  }
  if (f.median_age_days && (!std::isfinite(*f.median_age_days) || *f.median_age_days < 0.0)) {
    Fail(kWhere, "median_age_days " + Num(*f.median_age_days) + ", expected a finite value >= 0");
  }
  RequireShare(kWhere, "template_share", f.template_share);
  RequireShare(kWhere, "org_share", f.org_share);
}

double SignupBurstShare(std::span<const std::int64_t> times, std::int64_t window_seconds) {
  if (window_seconds <= 0) {
    throw std::invalid_argument("SignupBurstShare: window_seconds " +
                                std::to_string(window_seconds) + ", expected > 0");
  }
  if (times.empty()) return 0.0;
  std::vector<std::int64_t> sorted(times.begin(), times.end());
  std::sort(sorted.begin(), sorted.end());
  std::size_t best = 0;
  for (std::size_t i = 0, j = 0; j < sorted.size(); ++j) {
    // Differences as unsigned: no overflow across the whole int64 range.
    while (static_cast<std::uint64_t>(sorted[j]) - static_cast<std::uint64_t>(sorted[i]) >=
           static_cast<std::uint64_t>(window_seconds)) {
      ++i;
    }
    best = std::max(best, j - i + 1);
  }
  return static_cast<double>(best) / static_cast<double>(sorted.size());
}

ClusterScore ScoreCluster(const ClusterFeatures& f, const ScoringOptions& o) {
  ValidateScoringOptions(o);
  ValidateClusterFeatures(f);
  ClusterScore s;
  if (f.size == 0) return s;
  KindOutcome ties = ScoreTies(f, o);
  s.reasons = std::move(ties.reasons);
  s.reasons.push_back(ScoreBurst(f, o));
  for (auto r :
       {ScoreVolume(f, o), ScoreTemplates(f, o), ScoreAge(f, o), ScoreSize(f, o), ScoreOrg(f, o)}) {
    if (r) s.reasons.push_back(std::move(*r));
  }
  for (const Reason& r : s.reasons) s.points += r.points;
  s.independent_classes = static_cast<int>(ties.classes.size());
  s.evidence_classes = std::move(ties.classes);
  const double ungated = 1.0 - std::exp2(-std::max(s.points, 0.0) / o.half_points);
  s.ungated_score = std::clamp(std::isfinite(ungated) ? ungated : 0.0, 0.0, 1.0);
  const bool too_few_classes = s.independent_classes < o.min_independent_classes;
  const bool too_small = f.size < o.min_ban_size;
  s.gated = too_few_classes || too_small;
  s.score = s.gated ? s.ungated_score * o.gate_fraction * o.ban_threshold : s.ungated_score;
  s.bannable = !s.gated && s.score >= o.ban_threshold;
  if (too_few_classes) s.reasons.push_back(GateReason(s.evidence_classes, o));
  if (too_small) s.reasons.push_back(SizeGateReason(f.size, o));
  SortReasons(s.reasons);
  return s;
}

std::string FormatReasons(const ClusterScore& s) {
  std::string out;
  for (const Reason& r : s.reasons) {
    if (r.role == ReasonRole::kNote) continue;
    if (!out.empty()) out.push_back(';');
    out += r.token;
  }
  return out;
}

std::string DescribeReasons(const ClusterScore& s) {
  std::string out;
  for (const Reason& r : s.reasons) {
    if (!out.empty()) out += "; ";
    out += r.text;
  }
  return out;
}

}  // namespace ringscope
