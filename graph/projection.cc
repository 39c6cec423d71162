// ProjectLinkGraph: a driver over the phases of projection.h. Value
// expansion lives in pair_expansion.h, the per-pair merge in
// pair_aggregation.h.
#include "graph/projection.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include "graph/pair_aggregation.h"
#include "graph/pair_expansion.h"
#include "graph/parallel.h"

namespace ringscope {
namespace {

using graph_internal::Aggregated;
using graph_internal::AggregatePass;
using graph_internal::GenerateTuples;
using graph_internal::LinkTuple;
using graph_internal::PhaseTimer;
using graph_internal::PlanPasses;
using graph_internal::ValueRole;

void ValidateInputs(const Incidence& inc, const AccountFeatures& features,
                    std::span<const PrecomputedLink> links) {
  const std::size_t n = inc.num_accounts();
  auto check_size = [n](const char* name, std::size_t size) {
    if (size != 0 && size != n) {
      throw std::invalid_argument(std::string("ProjectLinkGraph: features.") + name + " has " +
                                  std::to_string(size) + " entries, expected 0 or " +
                                  std::to_string(n) + " (number of accounts)");
    }
  };
  check_size("requests", features.requests.size());
  check_size("created_at", features.created_at.size());
  for (std::size_t i = 0; i < links.size(); ++i) {
    const PrecomputedLink& l = links[i];
    const std::string where = "ProjectLinkGraph: link " + std::to_string(i);
    for (AccountId x : {l.a, l.b}) {
      if (x >= n) {
        throw std::invalid_argument(where + " has account " + std::to_string(x) + ", expected < " +
                                    std::to_string(n) + " (number of accounts)");
      }
    }
    if (l.kind.empty()) throw std::invalid_argument(where + " has an empty kind");
    if (!std::isfinite(l.weight) || l.weight < 0.0) {
      throw std::invalid_argument(where + " has weight " + std::to_string(l.weight) +
                                  ", expected a finite weight >= 0");
    }
  }
}

KindTable ResolveAllKinds(const Incidence& inc, std::span<const PrecomputedLink> links,
                          const ProjectionOptions& o) {
  std::vector<std::string> link_kinds;
  for (const PrecomputedLink& l : links) link_kinds.push_back(l.kind);
  std::sort(link_kinds.begin(), link_kinds.end());
  link_kinds.erase(std::unique(link_kinds.begin(), link_kinds.end()), link_kinds.end());
  return ResolveKinds(inc.kind_names(), link_kinds, o);
}

// strength * decay for every value. O(V).
std::vector<double> BaseWeights(const Incidence& inc, const KindTable& kinds,
                                const ProjectionOptions& o) {
  std::vector<double> w(inc.num_values());
  for (ValueId v = 0; v < inc.num_values(); ++v) {
    w[v] = kinds.strengths[inc.kind(v)] * DegreeDecay(inc.degree(v), o.decay_power);
  }
  return w;
}

// Applies the hub factors and counts the decisions.
std::vector<double> FinalWeights(std::vector<double> base, const HubAssessment& hubs,
                                 ProjectionStats& stats) {
  for (std::size_t v = 0; v < base.size(); ++v) base[v] *= hubs.factor[v];
  stats.values_assessed = hubs.reports.size();
  for (const HubReport& r : hubs.reports) {
    stats.values_demoted += r.decision == HubDecision::kDemoted;
    stats.values_dropped += r.decision == HubDecision::kDropped;
  }
  return base;
}

// Links with endpoints ordered, self links dropped, kinds resolved, sorted by
// (u, v, kind), equal triples merged; each carries strength * weight.
std::vector<LinkTuple> PrepareLinks(std::span<const PrecomputedLink> links, const KindTable& kinds,
                                    ProjectionStats& stats) {
  std::vector<LinkTuple> out;
  stats.links_in = links.size();
  for (const PrecomputedLink& l : links) {
    if (l.a == l.b) {
      ++stats.links_self;
      continue;
    }
    const KindId kind = kinds.Find(l.kind);
    out.push_back({std::min(l.a, l.b), std::max(l.a, l.b), kind, kinds.strengths[kind] * l.weight});
  }
  std::sort(out.begin(), out.end());
  std::size_t kept = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (kept > 0 && out[kept - 1].SameKey(out[i])) {
      out[kept - 1].weight += out[i].weight;
    } else {
      out[kept++] = out[i];
    }
  }
  out.resize(kept);
  return out;
}

// Concatenates the aggregated passes into the result's evidence arrays and
// builds the LinkGraph. Edge ids follow the (min, max) order of the passes.
void BuildResult(std::size_t num_accounts, Aggregated& agg, ProjectedGraph& g) {
  g.graph = BuildLinkGraph(num_accounts, agg.edges);
  if (g.graph.num_edges() != agg.edges.size()) {
    throw std::logic_error("ProjectLinkGraph: aggregated links are not distinct pairs");
  }
  g.evidence_offsets = std::move(agg.offsets);
  g.evidence = std::move(agg.evidence);
  g.dropped_entries = std::move(agg.dropped_entries);
  g.dropped_weight = std::move(agg.dropped_weight);
  g.num_kinds = std::move(agg.num_kinds);
  g.stats.edges = g.graph.num_edges();
  g.stats.evidence_entries = g.evidence.size();
}

// Phases 3 and 4 (generate, aggregate), pass by pass over account ranges.
Aggregated GenerateAndAggregate(const Incidence& inc, const KindTable& kinds,
                                std::span<const double> weights, std::span<const ValueRole> roles,
                                std::span<const LinkTuple> link_tuples, const ProjectionOptions& o,
                                ProjectionStats& stats) {
  const graph_internal::JoinLists join_lists = graph_internal::BuildJoinLists(inc, roles);
  const graph_internal::PassPlan plan = PlanPasses(inc, roles, o, stats);
  Aggregated all;
  for (std::size_t p = 0; p + 1 < plan.bounds.size(); ++p) {
    const AccountId lo = plan.bounds[p];
    const AccountId hi = plan.bounds[p + 1];
    std::vector<std::vector<graph_internal::PairTuple>> streams;
    {
      PhaseTimer timer(stats.seconds_generate);
      streams = GenerateTuples(inc, roles, plan, lo, hi, o, stats);
    }
    PhaseTimer timer(stats.seconds_aggregate);
    AggregatePass(streams, link_tuples, lo, hi, {inc, kinds, weights, join_lists, o}, all, stats);
  }
  return all;
}

}  // namespace

KindId EvidenceKind(const Incidence& inc, const EvidenceEntry& entry) {
  return entry.is_link() ? entry.link_kind() : inc.kind(entry.value());
}

ProjectedGraph ProjectLinkGraph(const Incidence& inc, const AccountFeatures& features,
                                std::span<const PrecomputedLink> links,
                                const ProjectionOptions& o) {
  ValidateProjectionOptions(o);
  ValidateInputs(inc, features, links);
  ProjectedGraph g;
  ProjectionStats& stats = g.stats;
  const KindTable kinds = ResolveAllKinds(inc, links, o);
  g.kind_names = kinds.names;

  std::vector<double> base;
  {
    PhaseTimer timer(stats.seconds_weights);
    base = BaseWeights(inc, kinds, o);
  }
  std::vector<ValueRole> roles;
  {
    PhaseTimer timer(stats.seconds_hubs);
    HubAssessment hubs = AssessHubs(inc, features, kinds, base, o);
    g.value_weight = FinalWeights(std::move(base), hubs, stats);
    roles = graph_internal::AssignRoles(inc, g.value_weight, hubs.factor, o);
    g.hubs = std::move(hubs.reports);
  }
  const std::vector<LinkTuple> link_tuples = PrepareLinks(links, kinds, stats);
  Aggregated all = GenerateAndAggregate(inc, kinds, g.value_weight, roles, link_tuples, o, stats);
  PhaseTimer timer(stats.seconds_build);
  BuildResult(inc.num_accounts(), all, g);
  return g;
}

}  // namespace ringscope
