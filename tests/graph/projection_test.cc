#include "graph/projection.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "test_worlds.h"

namespace ringscope {
namespace {

using test_worlds::Components;
using test_worlds::LargestComponent;
using test_worlds::Range;
using test_worlds::WorldBuilder;

double Decay(double d) { return std::log(2.0) / std::log(d); }

// Options that keep every pair and every entry and judge no hub: the plain
// formula, for comparisons with hand computations.
ProjectionOptions PlainOptions() {
  ProjectionOptions o;
  o.min_link_weight = 0.0;
  o.max_evidence_per_link = 1000;
  o.hubs.assess_min_degree = std::numeric_limits<std::uint32_t>::max();
  return o;
}

ProjectedGraph Project(const WorldBuilder& w, const ProjectionOptions& o = PlainOptions(),
                       const std::vector<PrecomputedLink>& links = {}) {
  return ProjectLinkGraph(w.Build(), w.features(), links, o);
}

template <class F>
void ExpectInvalid(F&& f, const std::string& part) {
  try {
    f();
    ADD_FAILURE() << "expected std::invalid_argument containing '" << part << "'";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

// Every arc has its reverse with the same weight and edge id.
void ExpectSymmetric(const LinkGraph& g) {
  for (VertexId u = 0; u < g.num_vertices(); ++u) {
    const auto nb = g.Neighbours(u);
    for (std::size_t i = 0; i < nb.targets.size(); ++i) {
      const auto id = g.FindEdge(nb.targets[i], u);
      ASSERT_TRUE(id.has_value()) << u << "-" << nb.targets[i];
      EXPECT_EQ(*id, nb.edge_ids[i]);
      EXPECT_EQ(g.edge(*id).weight, nb.weights[i]);
    }
  }
  EXPECT_EQ(g.num_arcs(), 2 * g.num_edges());
}

TEST(Projection, TwoAccountsSharingACardGetALinkNamingTheCard) {
  WorldBuilder w;
  w.AddAccounts(3);
  const ValueId card = w.AddValue("payment", {0, 1});
  w.AddValue("email", {2});
  const ProjectedGraph g = Project(w);
  ASSERT_EQ(g.graph.num_edges(), 1u);
  const auto e = g.graph.FindEdge(1, 0);
  ASSERT_TRUE(e.has_value());
  EXPECT_DOUBLE_EQ(g.graph.edge(*e).weight, 3.0);  // payment strength x decay(2) = 1
  ASSERT_EQ(g.Evidence(*e).size(), 1u);
  EXPECT_FALSE(g.Evidence(*e)[0].is_link());
  EXPECT_EQ(g.Evidence(*e)[0].value(), card);
  EXPECT_FLOAT_EQ(g.Evidence(*e)[0].weight, 3.0f);
  EXPECT_EQ(g.kind_names[EvidenceKind(w.Build(), g.Evidence(*e)[0])], "payment");
  EXPECT_EQ(g.num_kinds[*e], 1u);
  EXPECT_EQ(g.dropped_entries[*e], 0u);
}

TEST(Projection, WeightFollowsTheFormulaAndDecreasesWithDegree) {
  WorldBuilder w;
  std::vector<double> weights;
  for (std::size_t d : {2, 3, 5, 10, 40}) {
    const AccountId first = w.AddAccounts(d);
    w.AddValue("device", Range(first, d));
  }
  const ProjectedGraph g = Project(w);
  AccountId first = 0;
  for (std::size_t d : {2, 3, 5, 10, 40}) {
    const auto e = g.graph.FindEdge(first, first + 1);
    ASSERT_TRUE(e.has_value()) << "degree " << d;
    const double expected = 2.0 * Decay(static_cast<double>(d));  // device strength 2
    EXPECT_NEAR(g.graph.edge(*e).weight, expected, 1e-12) << "degree " << d;
    if (!weights.empty()) {
      EXPECT_LT(expected, weights.back());
    }
    weights.push_back(expected);
    first += static_cast<AccountId>(d);
  }
  EXPECT_EQ(g.graph.num_edges(), 1u + 3u + 10u + 45u + 780u);
}

TEST(Projection, DecayPowerAndStrengthsAreConfigurable) {
  WorldBuilder w;
  w.AddAccounts(4);
  w.AddValue("payment", {0, 1, 2, 3});
  ProjectionOptions o = PlainOptions();
  o.kind_strengths["payment"] = 5.0;
  o.decay_power = 2.0;
  const ProjectedGraph g = Project(w, o);
  EXPECT_NEAR(g.graph.edge(0).weight, 5.0 * Decay(4) * Decay(4), 1e-12);
  o.decay_power = 0.0;
  EXPECT_DOUBLE_EQ(Project(w, o).graph.edge(0).weight, 5.0);
}

TEST(Projection, PrecomputedLinksJoinWithTheirKind) {
  WorldBuilder w;
  w.AddAccounts(4);
  const ValueId card = w.AddValue("payment", {0, 1});
  const std::vector<PrecomputedLink> links = {
      {1, 0, "link", 2.0}, {0, 1, "link", 0.5}, {2, 3, "warehouse", 1.5}, {2, 2, "link", 9.0}};
  ProjectionOptions o = PlainOptions();
  o.kind_strengths["warehouse"] = 2.0;
  const ProjectedGraph g = Project(w, o, links);
  ASSERT_EQ(g.graph.num_edges(), 2u);
  EXPECT_EQ(g.stats.links_in, 4u);
  EXPECT_EQ(g.stats.links_self, 1u);

  const EdgeId e01 = *g.graph.FindEdge(0, 1);
  EXPECT_DOUBLE_EQ(g.graph.edge(e01).weight, 3.0 + 2.5);  // card + two link rows summed
  const auto ev = g.Evidence(e01);
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].value(), card);  // largest first
  EXPECT_TRUE(ev[1].is_link());
  EXPECT_EQ(g.kind_names[ev[1].link_kind()], "link");
  EXPECT_FLOAT_EQ(ev[1].weight, 2.5f);
  EXPECT_EQ(g.num_kinds[e01], 2u);

  const EdgeId e23 = *g.graph.FindEdge(2, 3);
  EXPECT_DOUBLE_EQ(g.graph.edge(e23).weight, 3.0);  // strength 2 x weight 1.5
  EXPECT_EQ(g.kind_names[g.Evidence(e23)[0].link_kind()], "warehouse");
}

TEST(Projection, LinkOfAValueKindCountsAsThatKind) {
  WorldBuilder w;
  w.AddAccounts(2);
  w.AddValue("payment", {0, 1});
  const ProjectedGraph g = Project(w, PlainOptions(), {{0, 1, "payment", 1.0}});
  EXPECT_EQ(g.kind_names.size(), 8u);  // no new kind
  EXPECT_DOUBLE_EQ(g.graph.edge(0).weight, 6.0);
  EXPECT_EQ(g.num_kinds[0], 1u);
}

TEST(Projection, RelatedKindsCountOnceAmongDistinctKinds) {
  WorldBuilder w;
  w.AddAccounts(4);
  w.AddValue("ip", {0, 1});
  w.AddValue("subnet", {0, 1});
  w.AddValue("ip", {2, 3});
  w.AddValue("device", {2, 3});
  const ProjectedGraph g = Project(w);
  EXPECT_EQ(g.num_kinds[*g.graph.FindEdge(0, 1)], 1u);
  EXPECT_EQ(g.num_kinds[*g.graph.FindEdge(2, 3)], 2u);
}

TEST(Projection, EvidenceKeepsTheLargestEntriesAndCountsTheRest) {
  WorldBuilder w;
  w.AddAccounts(2);
  double total = 0.0;
  for (int i = 0; i < 6; ++i) total += 3.0, w.AddValue("payment", {0, 1});
  for (int i = 0; i < 6; ++i) total += 0.2, w.AddValue("user_agent", {0, 1});
  ProjectionOptions o = PlainOptions();
  o.max_evidence_per_link = 8;
  const ProjectedGraph g = Project(w, o);
  ASSERT_EQ(g.graph.num_edges(), 1u);
  EXPECT_NEAR(g.graph.edge(0).weight, total, 1e-12);
  const auto ev = g.Evidence(0);
  ASSERT_EQ(ev.size(), 8u);
  for (std::size_t i = 0; i < 6; ++i) EXPECT_FLOAT_EQ(ev[i].weight, 3.0f);
  EXPECT_LT(ev[0].value(), ev[1].value());  // ties by value id
  EXPECT_EQ(g.dropped_entries[0], 4u);
  EXPECT_NEAR(g.dropped_weight[0], 0.8, 1e-6);
  EXPECT_EQ(g.stats.evidence_dropped, 4u);
  EXPECT_EQ(g.num_kinds[0], 2u);  // counted before truncation
}

TEST(Projection, EmptyIncidenceGivesAnEmptyGraph) {
  const ProjectedGraph g = ProjectLinkGraph(BuildIncidence(0, {}, {}, {}), {}, {});
  EXPECT_EQ(g.graph.num_vertices(), 0u);
  EXPECT_EQ(g.graph.num_edges(), 0u);
  EXPECT_EQ(g.evidence_offsets.size(), 1u);
  EXPECT_TRUE(g.hubs.empty());
}

TEST(Projection, AccountWithNoValueIsAnIsolatedVertex) {
  WorldBuilder w;
  w.AddAccounts(3);
  w.AddValue("email", {0, 2});
  const ProjectedGraph g = Project(w);
  EXPECT_EQ(g.graph.num_vertices(), 3u);
  EXPECT_TRUE(g.graph.Neighbours(1).targets.empty());
  EXPECT_EQ(g.graph.num_edges(), 1u);
}

TEST(Projection, WeakValuesOnlyJoinLinksMadeByOtherEvidence) {
  WorldBuilder w;
  w.AddAccounts(4);
  const ValueId ua = w.AddValue("user_agent", {0, 1, 2, 3});  // 0.2 * decay(4) = 0.1
  w.AddValue("payment", {2, 3});                              // 3
  ProjectionOptions o = PlainOptions();
  o.min_link_weight = 0.5;
  const ProjectedGraph g = Project(w, o, {{0, 1, "link", 0.1}});
  EXPECT_EQ(g.stats.values_join_only, 1u);
  EXPECT_EQ(g.stats.values_paired, 1u);
  ASSERT_EQ(g.graph.num_edges(), 1u);  // 0-1: link 0.1 + ua 0.1 < 0.5; 0-2 etc. never paired
  const EdgeId e = *g.graph.FindEdge(2, 3);
  EXPECT_NEAR(g.graph.edge(e).weight, 3.0 + 0.2 * Decay(4), 1e-12);
  ASSERT_EQ(g.Evidence(e).size(), 2u);
  EXPECT_EQ(g.Evidence(e)[1].value(), ua);  // joined by completion
  EXPECT_EQ(g.stats.edges_below_min_weight, 1u);
}

// A random world without hubs, checked against an all-pairs reference.
TEST(Projection, MatchesAllPairsReferenceAndIsSymmetric) {
  std::mt19937 rng(11);
  WorldBuilder w;
  w.AddAccounts(120);
  const char* kinds[] = {"ip", "device", "payment", "prompt", "user_agent", "custom"};
  std::map<std::pair<AccountId, AccountId>, std::map<std::uint32_t, double>> reference;
  for (int v = 0; v < 150; ++v) {
    std::set<AccountId> members;
    const std::size_t d = 1 + rng() % 12;
    while (members.size() < d) members.insert(rng() % 120);
    const char* kind = kinds[rng() % 6];
    const ValueId id = w.AddValue(kind, {members.begin(), members.end()});
    const std::string k = kind;
    const double strength = k == "custom" ? 1.0 : PlainOptions().kind_strengths.at(k);
    for (AccountId a : members) {
      for (AccountId b : members) {
        if (a < b) reference[{a, b}][id] = strength * (d < 2 ? 1.0 : Decay(double(d)));
      }
    }
  }
  const ProjectedGraph g = Project(w);
  ExpectSymmetric(g.graph);
  ASSERT_EQ(g.graph.num_edges(), reference.size());
  for (const auto& [pair, entries] : reference) {
    const auto e = g.graph.FindEdge(pair.first, pair.second);
    ASSERT_TRUE(e.has_value());
    double total = 0.0;
    for (const auto& [value, weight] : entries) total += weight;
    EXPECT_NEAR(g.graph.edge(*e).weight, total, 1e-9);
    std::map<std::uint32_t, double> got;
    for (const EvidenceEntry& x : g.Evidence(*e)) got[x.source] = x.weight;
    ASSERT_EQ(got.size(), entries.size());
    for (const auto& [value, weight] : entries) EXPECT_NEAR(got[value], weight, 1e-5);
  }
}

TEST(Projection, SparsifiedHubCostIsLinearInItsDegree) {
  const std::size_t d = 100000;
  WorldBuilder w;
  w.AddAccounts(d);
  w.AddValue("ip", Range(0, d));
  ProjectionOptions o = PlainOptions();
  const ProjectedGraph g = Project(w, o);
  EXPECT_EQ(g.stats.values_sparsified, 1u);
  EXPECT_LE(g.stats.pairs_generated, d * (o.fanout + 1));
  EXPECT_GE(g.stats.pairs_generated, d * o.fanout);
  EXPECT_EQ(g.graph.num_edges(), g.stats.pairs_generated);  // no pair twice
  EXPECT_EQ(LargestComponent(g.graph, 0.0), d);             // the ring connects them
  for (const WeightedEdge& e : g.graph.edges()) {
    ASSERT_NEAR(e.weight, Decay(double(d)), 1e-12);  // same per-pair weight as all pairs
  }
}

TEST(Projection, HubCompletionNamesEveryHubTwoLinkedAccountsShare) {
  WorldBuilder w;
  w.AddAccounts(600);
  const ValueId hub = w.AddValue("prompt", Range(0, 600));
  for (AccountId a = 0; a + 1 < 600; a += 2) w.AddValue("payment", {a, a + 1});
  const ProjectedGraph g = Project(w);
  for (AccountId a = 0; a + 1 < 600; a += 2) {
    const auto e = g.graph.FindEdge(a, a + 1);
    ASSERT_TRUE(e.has_value());
    const auto ev = g.Evidence(*e);
    ASSERT_EQ(ev.size(), 2u) << a;
    EXPECT_EQ(ev[1].value(), hub);
    EXPECT_NEAR(g.graph.edge(*e).weight, 3.0 + 1.5 * Decay(600), 1e-9);
  }
  EXPECT_GT(g.stats.hub_evidence_added, 0u);
}

// A world with hubs, small values, features and links, for invariants.
// A world with hubs, small values, features and links, for invariants.
// Accounts 0..599 signed up within three days and send 50x the requests:
// hubs drawn from them are kept, hubs drawn from everyone are demoted.
WorldBuilder RandomHubWorld(std::uint32_t seed) {
  std::mt19937 rng(seed);
  WorldBuilder w;
  for (int i = 0; i < 3000; ++i) {
    const bool burst = i < 600;
    const auto spread = static_cast<std::int64_t>(rng() % ((burst ? 3 : 400) * 86400));
    w.AddAccounts(1, 1700000000 + spread, burst ? 5000 : 1 + rng() % 200);
  }
  const char* kinds[] = {"ip", "subnet", "device", "payment", "prompt", "user_agent"};
  for (int v = 0; v < 1500; ++v) {
    const bool hub = v % 100 == 0;
    const bool campaign = hub && v % 200 == 0;
    const std::size_t d = hub ? 150 + rng() % (campaign ? 400 : 1500) : 1 + rng() % 8;
    std::set<AccountId> members;
    const AccountId base = hub ? 0 : AccountId(rng() % 2900);
    const std::uint32_t range = campaign ? 600 : hub ? 3000 : 100;
    while (members.size() < d) members.insert(base + rng() % range);
    w.AddValue(kinds[rng() % 6], {members.begin(), members.end()}, 1 + rng() % 4);
  }
  return w;
}

void ExpectSameProjection(const ProjectedGraph& a, const ProjectedGraph& b) {
  ASSERT_EQ(a.graph.num_edges(), b.graph.num_edges());
  for (EdgeId e = 0; e < a.graph.num_edges(); ++e) {
    ASSERT_EQ(a.graph.edge(e), b.graph.edge(e)) << "edge " << e;  // bitwise weights
  }
  EXPECT_EQ(a.evidence_offsets, b.evidence_offsets);
  EXPECT_EQ(a.evidence, b.evidence);
  EXPECT_EQ(a.dropped_entries, b.dropped_entries);
  EXPECT_EQ(a.dropped_weight, b.dropped_weight);
  EXPECT_EQ(a.num_kinds, b.num_kinds);
  EXPECT_EQ(a.value_weight, b.value_weight);
  ASSERT_EQ(a.hubs.size(), b.hubs.size());
  for (std::size_t i = 0; i < a.hubs.size(); ++i) {
    EXPECT_EQ(a.hubs[i].value, b.hubs[i].value);
    EXPECT_EQ(a.hubs[i].factor, b.hubs[i].factor);
    EXPECT_EQ(a.hubs[i].reason, b.hubs[i].reason);
  }
}

TEST(Projection, OutputIsIndependentOfThreadsAndPasses) {
  const WorldBuilder w = RandomHubWorld(3);
  const std::vector<PrecomputedLink> links = {{5, 9, "link", 1.0}, {9, 5, "x", 0.3}};
  for (ProjectionOptions o : {ProjectionOptions{}, PlainOptions()}) {
    o.threads = 1;
    const ProjectedGraph one = Project(w, o, links);
    ASSERT_GT(one.graph.num_edges(), 1000u);
    ASSERT_GT(one.stats.values_sparsified, 0u);
    for (int threads : {2, 3, 4}) {
      o.threads = threads;
      SCOPED_TRACE(threads);
      ExpectSameProjection(one, Project(w, o, links));
    }
    o.tuples_per_pass = 5000;  // many passes over account ranges
    ExpectSameProjection(one, Project(w, o, links));
    o.seed = 99;  // another seed samples other pairs of the hubs
    EXPECT_NE(Project(w, o, links).evidence, one.evidence);
  }
}

TEST(Projection, RandomWorldKeepsCampaignHubsAndDemotesTheOthers) {
  const WorldBuilder w = RandomHubWorld(3);
  const ProjectedGraph g = Project(w, ProjectionOptions{});
  std::size_t kept = 0, benign = 0;
  for (const HubReport& r : g.hubs) {
    if (r.degree < 150) continue;
    if (r.value % 200 == 0) {
      EXPECT_EQ(r.decision, HubDecision::kKept) << r.reason;
      ++kept;
    } else {
      EXPECT_NE(r.decision, HubDecision::kKept) << r.reason;  // demoted, or dropped if weak
      EXPECT_LE(r.factor, 0.02) << r.reason;
      ++benign;
    }
  }
  EXPECT_EQ(kept, 8u);
  EXPECT_EQ(benign, 7u);
}

TEST(Projection, RejectsBadInputsWithExpectedValues) {
  WorldBuilder w;
  w.AddAccounts(2);
  w.AddValue("payment", {0, 1});
  const Incidence inc = w.Build();
  ExpectInvalid(
      [&] {
        ProjectLinkGraph(inc, {}, std::vector<PrecomputedLink>{{0, 2, "link", 1}});
      },
      "link 0 has account 2, expected < 2");
  ExpectInvalid(
      [&] {
        ProjectLinkGraph(inc, {}, std::vector<PrecomputedLink>{{0, 1, "link", -1}});
      },
      "expected a finite weight >= 0");
  ExpectInvalid(
      [&] {
        ProjectLinkGraph(inc, {}, std::vector<PrecomputedLink>{{0, 1, "", 1}});
      },
      "empty kind");
  ExpectInvalid(
      [&] {
        ProjectLinkGraph(inc, {.requests = {1, 2, 3}, .created_at = {}}, {});
      },
      "features.requests has 3 entries, expected 0 or 2");
  ProjectionOptions o;
  o.kind_strengths["payment"] = std::nan("");
  ExpectInvalid([&] { ProjectLinkGraph(inc, {}, {}, o); }, "kind_strengths['payment']");
  o = {};
  o.threads = 0;
  ExpectInvalid([&] { ProjectLinkGraph(inc, {}, {}, o); }, "threads 0, expected >= 1");
  o = {};
  o.max_full_degree = 1;
  ExpectInvalid([&] { ProjectLinkGraph(inc, {}, {}, o); }, "max_full_degree 1, expected >= 2");
  o = {};
  o.hubs.co_low = 0.5;
  ExpectInvalid([&] { ProjectLinkGraph(inc, {}, {}, o); }, "expected hubs.co_low < hubs.co_high");
}

TEST(Projection, ReportsCountsAndPhaseTimes) {
  const WorldBuilder w = RandomHubWorld(8);
  const ProjectedGraph g = Project(w, ProjectionOptions{});
  const ProjectionStats& s = g.stats;
  EXPECT_EQ(s.edges, g.graph.num_edges());
  EXPECT_EQ(s.evidence_entries, g.evidence.size());
  EXPECT_EQ(s.values_assessed, g.hubs.size());
  EXPECT_GT(s.values_join_only, 0u);
  EXPECT_GT(s.values_sparsified, 0u);
  EXPECT_GT(s.values_paired, 0u);
  EXPECT_EQ(s.pair_contributions,
            s.pairs_generated + s.hub_evidence_added);  // no precomputed links here
  EXPECT_GE(s.seconds_generate, 0.0);
  EXPECT_GE(s.seconds_hubs, 0.0);
  EXPECT_EQ(g.evidence_offsets.size(), g.graph.num_edges() + 1);
  EXPECT_EQ(g.num_kinds.size(), g.graph.num_edges());
}

}  // namespace
}  // namespace ringscope
