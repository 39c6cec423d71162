#include "graph/hub_assessment.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "graph/projection.h"
#include "test_worlds.h"

namespace ringscope {
namespace {

using test_worlds::Components;
using test_worlds::FindReport;
using test_worlds::Range;
using test_worlds::WorldBuilder;

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kEpoch = 1700000000;

struct MixedWorld {
  WorldBuilder builder;
  ValueId cgnat = 0;
  std::vector<ValueId> templates;
  ValueId first_card = 0;
  AccountId campaign_first = 0;
  std::size_t campaign_size = 2000;
};

// 5,000 unrelated accounts behind one CGNAT address (each with its own home
// IP, device, email and prompts, organic signups over two years, 50 families
// sharing a card), and a 2,000-account campaign: three prompt templates sent by all
// of them, a pool of 100 cards of 20 accounts each, signups within three
// days, ordinary volume.
MixedWorld BuildMixedWorld() {
  std::mt19937 rng(2024);
  MixedWorld m;
  WorldBuilder& w = m.builder;
  for (int i = 0; i < 5000; ++i) {
    w.AddAccounts(1, kEpoch + std::int64_t(rng() % (700 * kDay)), 5 + rng() % 40);
  }
  m.cgnat = w.AddValue("ip", Range(0, 5000), 3);
  for (AccountId a = 0; a < 5000; ++a) {
    w.AddValue("ip", {a}, 2);
    w.AddValue("device", {a});
    w.AddValue("email", {a});
    for (int p = 0; p < 4; ++p) w.AddValue("prompt", {a}, 2);  // their own prompts
  }
  for (AccountId a = 0; a < 100; a += 2) w.AddValue("payment", {a, a + 1});

  m.campaign_first = w.num_accounts();
  for (std::size_t i = 0; i < m.campaign_size; ++i) {
    w.AddAccounts(1, kEpoch + 600 * kDay + std::int64_t(rng() % (3 * kDay)), 5 + rng() % 40);
  }
  const auto campaign = Range(m.campaign_first, m.campaign_size);
  for (int t = 0; t < 3; ++t) m.templates.push_back(w.AddValue("prompt", campaign, 10));
  for (AccountId a : campaign) w.AddValue("prompt", {a}, 3);  // organic prompts
  for (std::size_t c = 0; c < 100; ++c) {
    const ValueId card = w.AddValue("payment", Range(m.campaign_first + AccountId(c * 20), 20));
    if (c == 0) m.first_card = card;
  }
  for (AccountId a : campaign) w.AddValue("email", {a});
  return m;
}

class MixedWorldTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    world_ = new MixedWorld(BuildMixedWorld());
    graph_ = new ProjectedGraph(
        ProjectLinkGraph(world_->builder.Build(), world_->builder.features(), {}));
  }
  static void TearDownTestSuite() {
    delete graph_;
    delete world_;
  }
  static MixedWorld* world_;
  static ProjectedGraph* graph_;
};
MixedWorld* MixedWorldTest::world_ = nullptr;
ProjectedGraph* MixedWorldTest::graph_ = nullptr;

TEST_F(MixedWorldTest, BenignHubOfUnrelatedAccountsIsDemoted) {
  const HubReport* r = FindReport(*graph_, world_->cgnat);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->decision, HubDecision::kDemoted);
  EXPECT_TRUE(r->sparsified);
  EXPECT_LT(r->features.co_evidence, 0.1);
  EXPECT_LT(r->features.burst, 0.1);
  EXPECT_GT(r->features.signup_spread_days, 400.0);
  EXPECT_NEAR(r->features.volume_ratio, 1.0, 0.5);
  EXPECT_DOUBLE_EQ(r->factor, 0.02);
  EXPECT_EQ(r->reason.rfind("ip shared by 5,000 accounts;", 0), 0u) << r->reason;
  EXPECT_NE(r->reason.find("-> demoted x0.02"), std::string::npos) << r->reason;
}

TEST_F(MixedWorldTest, BenignHubDoesNotMergeItsAccounts) {
  const auto component = Components(graph_->graph, 0.05);
  std::vector<std::size_t> size(component.size(), 0);
  for (std::uint32_t c : component) ++size[c];
  for (AccountId a = 0; a < 5000; ++a) {
    ASSERT_LE(size[component[a]], 2u) << "benign account " << a;  // at most its family
  }
}

TEST_F(MixedWorldTest, CampaignSharingTemplatesAndCardPoolStaysBound) {
  for (ValueId t : world_->templates) {
    const HubReport* r = FindReport(*graph_, t);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->decision, HubDecision::kKept) << r->reason;
    EXPECT_GT(r->features.co_evidence, 0.9);
    EXPECT_GT(r->features.burst, 0.9);
  }
  const auto component = Components(graph_->graph, 0.05);
  const std::uint32_t campaign = component[world_->campaign_first];
  std::size_t members = 0;
  for (std::uint32_t c : component) members += c == campaign;
  EXPECT_EQ(members, world_->campaign_size);  // all of them, and nobody else
}

TEST_F(MixedWorldTest, CardIsVouchedForByTemplatesInRoundTwo) {
  const HubReport* r = FindReport(*graph_, world_->first_card);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->degree, 20u);
  EXPECT_FALSE(r->sparsified);
  // Round 1 ignores the templates (hubs): burst alone. Round 2 counts them.
  EXPECT_DOUBLE_EQ(r->features.co_evidence, 1.0);
  EXPECT_EQ(r->decision, HubDecision::kKept) << r->reason;
}

TEST_F(MixedWorldTest, AssessmentIsReportedInStats) {
  EXPECT_EQ(graph_->stats.values_assessed, graph_->hubs.size());
  EXPECT_GE(graph_->stats.values_demoted, 1u);
  for (std::size_t i = 1; i < graph_->hubs.size(); ++i) {
    EXPECT_LT(graph_->hubs[i - 1].value, graph_->hubs[i].value);
  }
}

// A company: 300 accounts behind one NAT, onboarded within five days, no
// other shared evidence, ordinary volume.
WorldBuilder OnboardingWorld(std::uint64_t requests, std::uint32_t hub_count,
                             std::uint32_t other_count) {
  std::mt19937 rng(77);
  WorldBuilder w;
  for (int i = 0; i < 300; ++i) {
    w.AddAccounts(1, kEpoch + std::int64_t(rng() % (5 * kDay)), requests);
  }
  for (int i = 0; i < 3000; ++i) {
    w.AddAccounts(1, kEpoch - std::int64_t(rng() % (500 * kDay)), 10 + rng() % 20);
  }
  w.AddValue("ip", Range(0, 300), hub_count);
  for (AccountId a = 0; a < 3300; ++a) w.AddValue("ip", {a}, other_count);
  return w;
}

TEST(HubAssessment, OneSignalAloneDemotesPartly) {
  const WorldBuilder w = OnboardingWorld(20, 9, 1);
  const ProjectedGraph g = ProjectLinkGraph(w.Build(), w.features(), {});
  const HubReport* r = FindReport(g, 0);
  ASSERT_NE(r, nullptr);
  EXPECT_DOUBLE_EQ(r->suspicion, 0.5);
  EXPECT_NEAR(r->factor, 0.02 + 0.98 * 0.25, 1e-12);
  EXPECT_EQ(r->decision, HubDecision::kDemoted);
  EXPECT_NE(r->reason.find("100% of 300 signups within 7 days"), std::string::npos) << r->reason;
}

TEST(HubAssessment, ValueJudgedBenignOnlyJoinsLinksOtherEvidenceMakes) {
  WorldBuilder w = OnboardingWorld(20, 9, 1);
  const ValueId device = w.AddValue("device", {0, 1});
  const ProjectedGraph g = ProjectLinkGraph(w.Build(), w.features(), {});
  const HubReport* r = FindReport(g, 0);
  ASSERT_NE(r, nullptr);
  ASSERT_LT(r->factor, 0.5);
  ASSERT_GT(g.value_weight[0], 0.01);  // heavy enough to link, but judged benign
  EXPECT_NE(r->reason.find("(joins links only)"), std::string::npos) << r->reason;
  EXPECT_FALSE(g.graph.FindEdge(2, 3).has_value());  // the NAT alone links nobody
  const auto e = g.graph.FindEdge(0, 1);
  ASSERT_TRUE(e.has_value());
  ASSERT_EQ(g.Evidence(*e).size(), 2u);
  EXPECT_EQ(g.Evidence(*e)[0].value(), device);
  EXPECT_EQ(g.Evidence(*e)[1].value(), 0u);  // the NAT joins the device's link
  EXPECT_NEAR(g.graph.edge(*e).weight, 2.0 + g.value_weight[0], 1e-12);
  EXPECT_EQ(g.graph.num_edges(), 1u);
}

TEST(HubAssessment, BurstAndVolumeTogetherKeepAValue) {
  const WorldBuilder w = OnboardingWorld(2000, 9, 1);
  const ProjectedGraph g = ProjectLinkGraph(w.Build(), w.features(), {});
  const HubReport* r = FindReport(g, 0);
  ASSERT_NE(r, nullptr);
  EXPECT_GT(r->features.volume_ratio, 8.0);
  EXPECT_EQ(r->decision, HubDecision::kKept) << r->reason;
  EXPECT_DOUBLE_EQ(r->factor, 1.0);
}

TEST(HubAssessment, IncidentalContactHalvesTheSuspicion) {
  const WorldBuilder w = OnboardingWorld(20, 1, 100);
  const ProjectedGraph g = ProjectLinkGraph(w.Build(), w.features(), {});
  const HubReport* r = FindReport(g, 0);
  ASSERT_NE(r, nullptr);
  EXPECT_LT(r->features.traffic_share, 0.02);
  EXPECT_DOUBLE_EQ(r->suspicion, 0.25);
  EXPECT_NE(r->reason.find("(incidental)"), std::string::npos) << r->reason;
}

TEST(HubAssessment, NegligibleBenignHubIsDroppedAndNotExpanded) {
  WorldBuilder w;
  std::mt19937 rng(3);
  for (int i = 0; i < 20000; ++i) w.AddAccounts(1, kEpoch + std::int64_t(rng() % (900 * kDay)), 10);
  const ValueId ua = w.AddValue("user_agent", Range(0, 20000));
  const ProjectedGraph g = ProjectLinkGraph(w.Build(), w.features(), {});
  const HubReport* r = FindReport(g, ua);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->decision, HubDecision::kDropped);
  EXPECT_EQ(r->factor, 0.0);
  EXPECT_EQ(g.value_weight[ua], 0.0);
  EXPECT_EQ(g.stats.values_dropped, 1u);
  EXPECT_EQ(g.stats.pairs_generated, 0u);
  EXPECT_EQ(g.graph.num_edges(), 0u);
  EXPECT_NE(r->reason.find("-> dropped"), std::string::npos) << r->reason;
}

// 440 accounts with an ip of their own each; the first 40 also share `hub`;
// devices are shared by groups of `group` consecutive accounts.
WorldBuilder DeviceGroupsWorld(AccountId group, ValueId& hub) {
  WorldBuilder w;
  w.AddAccounts(440);
  hub = w.AddValue("ip", Range(0, 40));
  for (AccountId a = 0; a < 440; ++a) w.AddValue("ip", {a});
  for (AccountId a = 0; a < 440; a += group)
    w.AddValue("device", Range(a, std::min(group, 440 - a)));
  return w;
}

TEST(HubAssessment, UnknownFeaturesLeaveOnlyCoEvidence) {
  ValueId hub = 0;
  const WorldBuilder w = DeviceGroupsWorld(5, hub);
  const ProjectedGraph g = ProjectLinkGraph(w.Build(), AccountFeatures{}, {});
  const HubReport* r = FindReport(g, hub);
  ASSERT_NE(r, nullptr);
  // Every account's device is shared by 4 others, all behind the hub ip. By
  // chance each of them would be one of its 39 other holders with
  // q = 39 / 438 (the other accounts), all four with q^4 < 1/1,000.
  EXPECT_DOUBLE_EQ(r->features.co_evidence, 1.0);
  const double q = 39.0 / 438.0;
  EXPECT_NEAR(r->features.co_expected, std::pow(q, 4), 1e-12);
  EXPECT_EQ(r->features.known_signups, 0u);
  EXPECT_DOUBLE_EQ(r->suspicion, 0.5);
  EXPECT_NE(r->reason.find("signup times unknown; volume unknown"), std::string::npos) << r->reason;
}

TEST(HubAssessment, SmallGroupsAreNotSignificantForACommonValue) {
  ValueId hub = 0;
  const WorldBuilder w = DeviceGroupsWorld(3, hub);  // q^2 = 0.008: chance
  const ProjectedGraph g = ProjectLinkGraph(w.Build(), AccountFeatures{}, {});
  const HubReport* r = FindReport(g, hub);
  ASSERT_NE(r, nullptr);
  EXPECT_DOUBLE_EQ(r->features.co_evidence, 0.0);
  EXPECT_DOUBLE_EQ(r->suspicion, 0.0);
}

TEST(HubAssessment, ValueHeldByEveryAccountCannotBeTied) {
  WorldBuilder w;
  w.AddAccounts(40);
  const ValueId hub = w.AddValue("ip", Range(0, 40));
  for (AccountId a = 0; a < 40; a += 4) w.AddValue("device", Range(a, 4));
  const ProjectedGraph g = ProjectLinkGraph(w.Build(), AccountFeatures{}, {});
  const HubReport* r = FindReport(g, hub);
  ASSERT_NE(r, nullptr);
  EXPECT_DOUBLE_EQ(r->features.co_evidence, 0.0);
  EXPECT_DOUBLE_EQ(r->suspicion, 0.0);
}

TEST(HubAssessment, DecisionNamesAreStable) {
  EXPECT_STREQ(HubDecisionName(HubDecision::kKept), "kept");
  EXPECT_STREQ(HubDecisionName(HubDecision::kDemoted), "demoted");
  EXPECT_STREQ(HubDecisionName(HubDecision::kDropped), "dropped");
}

}  // namespace
}  // namespace ringscope
