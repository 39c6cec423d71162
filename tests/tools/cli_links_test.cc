// LinksOfAccount on the hand-made fixture (query_fixture.h) with known
// answers, and against the slow reference: the whole graph rebuilt by
// BuildGraph, given its hub factors.
#include "tools/cli_links.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "db/store.h"
#include "graph/projection_options.h"
#include "tools/query_fixture.h"

namespace ringscope {
namespace {

class LinksTest : public ::testing::Test {
 protected:
  void Open(bool prompt_clusters) {
    store_ = std::make_unique<Store>(Store::Open(":memory:"));
    testing::FillQueryFixture(store_->db(), prompt_clusters);
  }
  LinksResult Links(std::int64_t account, LinksOptions o = {}) {
    return LinksOfAccount(store_->db(), AnalyzeParameters{}, account, o);
  }
  std::unique_ptr<Store> store_;
};

double Strength(const std::string& kind) {
  return ProjectionOptions{}.kind_strengths.at(kind);
}

TEST_F(LinksTest, ListsLinkedAccountsStrongestFirstWithEvidence) {
  Open(false);
  LinksResult r = Links(1, {.max_links = 0});
  ASSERT_GE(r.links.size(), 5u);
  EXPECT_EQ(r.links[0].name, "bob");
  EXPECT_DOUBLE_EQ(r.links[0].strength, Strength("payment"));
  ASSERT_EQ(r.links[0].evidence.size(), 1u);
  EXPECT_EQ(r.links[0].evidence[0].kind, "payment");
  EXPECT_EQ(r.links[0].evidence[0].value, "card:A");
  EXPECT_EQ(r.links[0].evidence[0].value_id, 1);
  EXPECT_EQ(r.links[0].evidence[0].degree, 2);
  EXPECT_EQ(r.links[1].name, "erin");  // precomputed links 2 + 0.5, summed
  EXPECT_DOUBLE_EQ(r.links[1].strength, 2.5 * Strength("link"));
  EXPECT_TRUE(r.links[1].evidence[0].precomputed);
  EXPECT_EQ(r.links[2].name, "hub39");  // dev2 plus the hub ip
  EXPECT_EQ(r.links[2].evidence.size(), 2u);
  EXPECT_EQ(r.links[3].name, "frank");
  EXPECT_DOUBLE_EQ(r.links[3].strength, Strength("prompt"));
  // Hubs 101..140 (but 139) by id, then carol and dave on the user agent.
  EXPECT_EQ(r.links[4].name, "hub01");
  const LinkEvidence& ip = r.links[4].evidence[0];
  EXPECT_EQ(ip.kind, "ip");
  EXPECT_EQ(ip.degree, 41);
  EXPECT_FALSE(ip.factor_known);  // assessed hub, factor not given
  EXPECT_DOUBLE_EQ(ip.weight, Strength("ip") * DegreeDecay(41, 1.0));
  EXPECT_EQ(r.links.size(), 4u + 39u + 2u);
  EXPECT_EQ(r.links[43].name, "carol");
  EXPECT_EQ(r.links[44].name, "dave");
  EXPECT_DOUBLE_EQ(r.links[44].strength, Strength("user_agent") * DegreeDecay(3, 1.0));
  EXPECT_EQ(r.linked_accounts, r.links.size());
  for (std::size_t i = 1; i < r.links.size(); ++i) {
    EXPECT_GE(r.links[i - 1].strength, r.links[i].strength);
    if (r.links[i - 1].strength == r.links[i].strength) {
      EXPECT_LT(r.links[i - 1].account_id, r.links[i].account_id);
    }
  }
  // card:solo is held by alice alone: not a shared value.
  for (const NeighbourhoodValue& v : r.values) EXPECT_NE(v.value, "card:solo");
}

TEST_F(LinksTest, CutsToMaxLinksAndCountsTheRest) {
  Open(false);
  LinksResult r = Links(1, {.max_links = 3});
  ASSERT_EQ(r.links.size(), 3u);
  EXPECT_EQ(r.linked_accounts, 45u);
  EXPECT_EQ(r.links[2].name, "hub39");
}

TEST_F(LinksTest, CapsCoHoldersOfAHugeValueAndCompletesKnownCandidates) {
  Open(false);
  LinksResult r = Links(1, {.max_links = 0, .max_value_degree = 5});
  EXPECT_EQ(r.values_capped, 1u);
  const NeighbourhoodValue* ip = nullptr;
  for (const NeighbourhoodValue& v : r.values)
    if (v.kind == "ip") ip = &v;
  ASSERT_NE(ip, nullptr);
  EXPECT_TRUE(ip->capped);
  EXPECT_EQ(ip->holders_read, 5u);
  // bob, erin, hub39, frank, hub01..hub05, carol, dave.
  EXPECT_EQ(r.links.size(), 11u);
  // hub39 is beyond the cap but found through dev2: it still gets the ip.
  ASSERT_EQ(r.links[2].name, "hub39");
  ASSERT_EQ(r.links[2].evidence.size(), 2u);
  EXPECT_EQ(r.links[2].evidence[1].kind, "ip");
  EXPECT_TRUE(r.links[2].evidence[1].capped);
  EXPECT_FALSE(r.completion_truncated);
}

TEST_F(LinksTest, CompletionStopsAtItsBudget) {
  Open(false);
  LinksResult r = Links(1, {.max_links = 0, .max_value_degree = 5, .completion_lookups = 1});
  EXPECT_TRUE(r.completion_truncated);
}

TEST_F(LinksTest, AKnownBenignHubFactorOnlyJoinsLinks) {
  Open(false);
  const std::unordered_map<std::int64_t, double> factors = {{3, 0.02}};
  LinksResult r = Links(1, {.max_links = 0, .hub_factors = &factors});
  // The hub ip no longer links alice to hub01..hub40, but still adds to hub39.
  EXPECT_EQ(r.links.size(), 6u);
  ASSERT_EQ(r.links[2].name, "hub39");
  ASSERT_EQ(r.links[2].evidence.size(), 2u);
  EXPECT_TRUE(r.links[2].evidence[1].factor_known);
  EXPECT_DOUBLE_EQ(r.links[2].evidence[1].factor, 0.02);
  EXPECT_NEAR(r.links[2].strength,
              Strength("device") + Strength("ip") * DegreeDecay(41, 1.0) * 0.02, 1e-12);
}

TEST_F(LinksTest, ReadsTheHubFactorsTheRunStored) {
  Open(false);
  store_->db().Exec("INSERT INTO run_hubs VALUES (1, 3, 0.02, 'demoted')");
  LinksResult r = Links(1, {.max_links = 0, .hub_run = 1});
  EXPECT_EQ(r.links.size(), 6u);  // as with the factor given (above)
  ASSERT_EQ(r.links[2].name, "hub39");
  EXPECT_TRUE(r.links[2].evidence[1].factor_known);
  EXPECT_DOUBLE_EQ(r.links[2].evidence[1].factor, 0.02);
}

TEST_F(LinksTest, TemplatesOfOnePromptClusterAreOneValue) {
  Open(true);
  LinksResult r = Links(1, {.max_links = 0});
  std::map<std::string, const LinkedAccount*> by_name;
  for (const LinkedAccount& l : r.links) by_name[l.name] = &l;
  ASSERT_TRUE(by_name.count("gina"));  // sends only the other template
  const LinkEvidence& e = by_name["gina"]->evidence[0];
  EXPECT_EQ(e.kind, "prompt");
  EXPECT_EQ(e.value_id, 7);  // the cluster's representative
  EXPECT_EQ(e.templates, 2u);
  EXPECT_EQ(e.degree, 3);
  EXPECT_DOUBLE_EQ(e.weight, Strength("prompt") * DegreeDecay(3, 1.0));
  EXPECT_DOUBLE_EQ(by_name["frank"]->strength, e.weight);
}

TEST_F(LinksTest, ASharedCacheGivesTheSameLinks) {
  Open(true);
  LinksCache cache;
  for (std::int64_t account : {1, 6, 7, 1}) {
    LinksResult plain = Links(account, {.max_links = 0});
    LinksResult cached = Links(account, {.max_links = 0, .cache = &cache});
    ASSERT_EQ(plain.links.size(), cached.links.size());
    for (std::size_t i = 0; i < plain.links.size(); ++i) {
      EXPECT_EQ(plain.links[i].account_id, cached.links[i].account_id);
      EXPECT_EQ(plain.links[i].strength, cached.links[i].strength);
    }
  }
  EXPECT_EQ(cache.cluster_sizes.at(7).templates, 2);
}

// PairLink reads two accounts' values, not a value's co-holders, yet finds
// for every linked pair exactly the link LinksOfAccount finds (nothing is
// capped in the fixture), with and without prompt clusters and a cache.
TEST_F(LinksTest, PairLinkMatchesTheNeighbourhoodsLinkForEveryPair) {
  for (bool prompt_clusters : {false, true}) {
    Open(prompt_clusters);
    LinksCache cache;
    for (std::int64_t account : {1}) {
      LinksResult r = Links(account, {.max_links = 0, .max_evidence = 0});
      ASSERT_GE(r.links.size(), 40u);
      for (const LinkedAccount& l : r.links) {
        for (LinksCache* c : {static_cast<LinksCache*>(nullptr), &cache}) {
          std::optional<LinkedAccount> pair = PairLink(store_->db(), AnalyzeParameters{}, account,
                                                       l.account_id, {.max_evidence = 0, .cache = c});
          ASSERT_TRUE(pair.has_value()) << account << " - " << l.name;
          EXPECT_EQ(pair->account_id, l.account_id);
          EXPECT_EQ(pair->name, l.name);
          EXPECT_DOUBLE_EQ(pair->strength, l.strength) << account << " - " << l.name;
          ASSERT_EQ(pair->evidence.size(), l.evidence.size()) << account << " - " << l.name;
          for (std::size_t i = 0; i < l.evidence.size(); ++i) {
            EXPECT_EQ(pair->evidence[i].kind, l.evidence[i].kind);
            EXPECT_EQ(pair->evidence[i].value_id, l.evidence[i].value_id);
            EXPECT_EQ(pair->evidence[i].value, l.evidence[i].value);
            EXPECT_DOUBLE_EQ(pair->evidence[i].weight, l.evidence[i].weight);
          }
          // The other way round: the same strength.
          std::optional<LinkedAccount> back = PairLink(store_->db(), AnalyzeParameters{},
                                                       l.account_id, account, {.cache = c});
          ASSERT_TRUE(back.has_value());
          EXPECT_EQ(back->account_id, account);
          EXPECT_DOUBLE_EQ(back->strength, l.strength);
        }
      }
    }
    EXPECT_FALSE(PairLink(store_->db(), AnalyzeParameters{}, 1, 999).has_value());
  }
}

TEST_F(LinksTest, UnknownAccountHasNoLinks) {
  Open(false);
  LinksResult r = Links(999);
  EXPECT_TRUE(r.links.empty());
  EXPECT_TRUE(r.values.empty());
}

TEST_F(LinksTest, RejectsAZeroCap) {
  Open(false);
  EXPECT_THROW(Links(1, {.max_value_degree = 0}), std::invalid_argument);
}

TEST_F(LinksTest, ParametersForLinksReadsTheRunOrDefaults) {
  Open(false);
  store_->db().Exec(
      "UPDATE runs SET parameters = '{\"kind_strengths\": {\"payment\": 5}}' WHERE id = 1");
  AnalyzeParameters p = ParametersForLinks(store_->db(), 0);
  EXPECT_EQ(p.projection.kind_strengths.at("payment"), 5.0);
  LinksResult r = LinksOfAccount(store_->db(), p, 1, {});
  EXPECT_EQ(r.links[0].name, "bob");
  EXPECT_DOUBLE_EQ(r.links[0].strength, 5.0);
  // Kinds the run does not list take the default strength.
  EXPECT_DOUBLE_EQ(r.links[1].strength, 2.5 * p.projection.default_strength);
}

// The slow reference: the run's whole graph, rebuilt, given its hub factors.
TEST_F(LinksTest, MatchesTheRebuiltGraphGivenItsHubFactors) {
  Open(false);
  AnalyzeParameters p;
  AnalysisOutcome g = BuildGraph(store_->db(), p, {});
  std::unordered_map<std::int64_t, double> factors;
  for (const HubReport& h : g.projected.hubs) factors[g.data.value_ids[h.value]] = h.factor;
  ASSERT_EQ(factors.size(), 1u);  // the ip
  for (VertexId v = 0; v < g.data.accounts.size(); ++v) {
    const std::int64_t id = g.data.accounts[v].id;
    std::map<std::int64_t, double> expected;
    auto n = g.projected.graph.Neighbours(v);
    for (std::size_t i = 0; i < n.targets.size(); ++i)
      expected[g.data.accounts[n.targets[i]].id] = n.weights[i];
    LinksResult r = LinksOfAccount(store_->db(), p, id, {.max_links = 0, .hub_factors = &factors});
    std::map<std::int64_t, double> actual;
    for (const LinkedAccount& l : r.links) actual[l.account_id] = l.strength;
    ASSERT_EQ(actual.size(), expected.size()) << g.data.accounts[v].name;
    for (const auto& [other, weight] : expected) {
      ASSERT_TRUE(actual.count(other)) << g.data.accounts[v].name << " -> " << other;
      EXPECT_NEAR(actual[other], weight, 1e-5 * weight) << g.data.accounts[v].name;
    }
  }
}

}  // namespace
}  // namespace ringscope
