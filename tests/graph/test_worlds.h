// Test-only helpers for the projection tests: tiny incidences built inline,
// and union-find components over the links above a weight. Not library code.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <string>
#include <string_view>
#include <vector>

#include "graph/incidence.h"
#include "graph/projection.h"

namespace ringscope::test_worlds {

// Accounts, values and observations added one by one.
class WorldBuilder {
 public:
  WorldBuilder()
      : kinds_{"ip", "subnet", "device", "payment", "email", "prompt", "user_agent", "phone"} {}

  // Adds n accounts with the given signup time and requests; returns the first id.
  AccountId AddAccounts(std::size_t n, std::int64_t created_at = kUnknownTime,
                        std::uint64_t requests = 0) {
    const auto first = static_cast<AccountId>(features_.requests.size());
    for (std::size_t i = 0; i < n; ++i) {
      features_.requests.push_back(requests);
      features_.created_at.push_back(created_at);
    }
    return first;
  }
  AccountFeatures& features() { return features_; }
  const AccountFeatures& features() const { return features_; }
  std::size_t num_accounts() const { return features_.requests.size(); }

  // A value of `kind` observed `count` times by each of `members`.
  ValueId AddValue(std::string_view kind, const std::vector<AccountId>& members,
                   std::uint32_t count = 1) {
    const auto v = static_cast<ValueId>(value_kinds_.size());
    value_kinds_.push_back(KindOf(kind));
    for (AccountId a : members) observations_.push_back({a, v, count});
    return v;
  }

  Incidence Build() const {
    return BuildIncidence(num_accounts(), kinds_, value_kinds_, observations_);
  }

 private:
  KindId KindOf(std::string_view kind) {
    const auto it = std::find(kinds_.begin(), kinds_.end(), kind);
    if (it != kinds_.end()) return static_cast<KindId>(it - kinds_.begin());
    kinds_.emplace_back(kind);
    return static_cast<KindId>(kinds_.size() - 1);
  }

  std::vector<std::string> kinds_;
  std::vector<KindId> value_kinds_;
  std::vector<Observation> observations_;
  AccountFeatures features_;
};

inline std::vector<AccountId> Range(AccountId first, std::size_t n) {
  std::vector<AccountId> out(n);
  std::iota(out.begin(), out.end(), first);
  return out;
}

// Component id per vertex over the links of weight >= min_weight.
inline std::vector<std::uint32_t> Components(const LinkGraph& g, double min_weight) {
  std::vector<std::uint32_t> parent(g.num_vertices());
  std::iota(parent.begin(), parent.end(), 0u);
  auto find = [&](std::uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (const WeightedEdge& e : g.edges()) {
    if (e.weight >= min_weight) parent[find(e.u)] = find(e.v);
  }
  std::vector<std::uint32_t> out(g.num_vertices());
  for (std::uint32_t v = 0; v < out.size(); ++v) out[v] = find(v);
  return out;
}

// Size of the largest component over the links of weight >= min_weight.
inline std::size_t LargestComponent(const LinkGraph& g, double min_weight) {
  std::vector<std::size_t> size(g.num_vertices(), 0);
  std::size_t best = 0;
  for (std::uint32_t c : Components(g, min_weight)) best = std::max(best, ++size[c]);
  return best;
}

inline const HubReport* FindReport(const ProjectedGraph& g, ValueId v) {
  for (const HubReport& r : g.hubs) {
    if (r.value == v) return &r;
  }
  return nullptr;
}

}  // namespace ringscope::test_worlds
