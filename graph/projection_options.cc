// Validation of ProjectionOptions, the kind table and the degree decay.
#include "graph/projection_options.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ringscope {
namespace {

[[noreturn]] void Fail(const std::string& what) {
  throw std::invalid_argument("ProjectionOptions: " + what);
}

void RequireNonNegative(const char* name, double x) {
  if (!std::isfinite(x) || x < 0.0) {
    Fail(std::string(name) + " " + std::to_string(x) + ", expected a finite value >= 0");
  }
}

void RequireShare(const char* name, double x) {
  if (!std::isfinite(x) || x < 0.0 || x > 1.0) {
    Fail(std::string(name) + " " + std::to_string(x) + ", expected a value in [0, 1]");
  }
}

void RequirePositive(const char* name, std::uint64_t x) {
  if (x == 0) Fail(std::string(name) + " 0, expected >= 1");
}

void RequireOrdered(const char* low_name, double low, const char* high_name, double high) {
  if (!(low < high)) {
    Fail(std::string(low_name) + " " + std::to_string(low) + " and " + high_name + " " +
         std::to_string(high) + ", expected " + low_name + " < " + high_name);
  }
}

void ValidateHubRule(const HubRuleOptions& h) {
  RequirePositive("hubs.assess_min_degree", h.assess_min_degree);
  RequirePositive("hubs.sample_accounts", h.sample_accounts);
  RequirePositive("hubs.scan_limit", h.scan_limit);
  RequirePositive("hubs.max_partners", h.max_partners);
  RequireNonNegative("hubs.co_min_strength", h.co_min_strength);
  RequireShare("hubs.co_low", h.co_low);
  RequireShare("hubs.co_high", h.co_high);
  RequireOrdered("hubs.co_low", h.co_low, "hubs.co_high", h.co_high);
  if (h.burst_window_seconds <= 0) {
    Fail("hubs.burst_window_seconds " + std::to_string(h.burst_window_seconds) + ", expected > 0");
  }
  RequireShare("hubs.burst_low", h.burst_low);
  RequireShare("hubs.burst_high", h.burst_high);
  RequireOrdered("hubs.burst_low", h.burst_low, "hubs.burst_high", h.burst_high);
  RequireNonNegative("hubs.volume_low", h.volume_low);
  RequireNonNegative("hubs.volume_high", h.volume_high);
  if (!(h.volume_low > 0.0)) Fail("hubs.volume_low 0, expected > 0");
  RequireOrdered("hubs.volume_low", h.volume_low, "hubs.volume_high", h.volume_high);
  RequireNonNegative("hubs.incidental_use", h.incidental_use);
  RequireShare("hubs.floor_factor", h.floor_factor);
  RequireNonNegative("hubs.min_value_weight", h.min_value_weight);
  RequireShare("hubs.link_min_factor", h.link_min_factor);
}

}  // namespace

void ValidateProjectionOptions(const ProjectionOptions& o) {
  for (const auto& [kind, strength] : o.kind_strengths) {
    if (!std::isfinite(strength) || strength < 0.0) {
      Fail("kind_strengths['" + kind + "'] " + std::to_string(strength) +
           ", expected a finite value >= 0");
    }
  }
  RequireNonNegative("default_strength", o.default_strength);
  RequireNonNegative("decay_power", o.decay_power);
  if (o.max_full_degree < 2) {
    Fail("max_full_degree " + std::to_string(o.max_full_degree) + ", expected >= 2");
  }
  RequirePositive("fanout", o.fanout);
  RequirePositive("tuples_per_pass", o.tuples_per_pass);
  if (o.threads < 1) Fail("threads " + std::to_string(o.threads) + ", expected >= 1");
  RequireNonNegative("min_link_weight", o.min_link_weight);
  RequirePositive("max_evidence_per_link", o.max_evidence_per_link);
  ValidateHubRule(o.hubs);
}

KindId KindTable::Find(std::string_view name) const {
  const auto it = std::find(names.begin(), names.end(), name);
  return static_cast<KindId>(it - names.begin());
}

KindTable ResolveKinds(std::span<const std::string> value_kinds,
                       std::span<const std::string> link_kinds, const ProjectionOptions& o) {
  KindTable t;
  t.names.assign(value_kinds.begin(), value_kinds.end());
  for (const std::string& name : link_kinds) {
    if (t.Find(name) == t.names.size()) t.names.push_back(name);
  }
  for (std::size_t k = 0; k < t.names.size(); ++k) {
    const auto it = o.kind_strengths.find(t.names[k]);
    t.strengths.push_back(it == o.kind_strengths.end() ? o.default_strength : it->second);
    t.family.push_back(static_cast<KindId>(k));
  }
  // Merge related kinds into the smallest id; repeat until stable so that
  // chains (a~b, b~c) end in one family.
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& [first, second] : o.related_kinds) {
      const KindId a = t.Find(first);
      const KindId b = t.Find(second);
      if (a == t.names.size() || b == t.names.size()) continue;
      const KindId fa = t.family[a];
      const KindId fb = t.family[b];
      if (fa == fb) continue;
      const KindId root = std::min(fa, fb);
      for (KindId& f : t.family) {
        if (f == fa || f == fb) f = root;
      }
      changed = true;
    }
  }
  return t;
}

double DegreeDecay(std::uint32_t degree, double decay_power) {
  if (degree < 2) return 1.0;
  return std::pow(std::log(2.0) / std::log(static_cast<double>(degree)), decay_power);
}

}  // namespace ringscope
