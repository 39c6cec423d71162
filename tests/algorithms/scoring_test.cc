#include "algorithms/scoring.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace ringscope {
namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kEpoch = 1700000000;

// `count` signups: `in_burst` of them within one hour, the rest one every
// `spread_days / rest` days after it (organic when the spread is months).
std::vector<std::int64_t> Signups(int count, int in_burst, double spread_days) {
  std::vector<std::int64_t> t;
  for (int i = 0; i < in_burst; ++i) t.push_back(kEpoch + i * 60);
  const int rest = count - in_burst;
  for (int i = 0; i < rest; ++i) {
    t.push_back(kEpoch + 2 * kDay + static_cast<std::int64_t>(spread_days * kDay * i / rest));
  }
  return t;
}

KindTies Ties(std::string kind, std::uint32_t tied, std::uint32_t values, std::uint32_t degree) {
  return KindTies{.kind = std::move(kind),
                  .tied_members = tied,
                  .shared_values = values,
                  .max_value_degree = degree};
}

KindTies HubTies(std::string kind, std::uint32_t tied, std::uint32_t values, std::uint32_t degree) {
  return KindTies{.kind = std::move(kind),
                  .hub_tied_members = tied,
                  .hub_values = values,
                  .max_hub_degree = degree};
}

// ---- archetypes (must be banned) ----

// A pool of prepaid cards, datacenter IPs, a signup wave, script volume.
ClusterFeatures CardPoolCampaign() {
  return {
      .size = 200,
      .kinds = {Ties("payment", 190, 20, 12), Ties("ip", 160, 30, 9), Ties("subnet", 180, 4, 60)},
      .signup_times = Signups(200, 170, 20),
      .median_requests = 500,
      .platform_median_requests = 40,
      .template_share = 0.6,
      .median_age_days = 12.0};
}

// Reused API keys and device fingerprints, every request a filled-in template.
ClusterFeatures KeyDeviceTemplateCampaign() {
  return {.size = 120,
          .kinds = {Ties("api_key", 110, 8, 20), Ties("device", 100, 15, 10),
                    Ties("prompt", 118, 5, 120)},
          .signup_times = Signups(120, 10, 10),
          .median_requests = 120,
          .platform_median_requests = 40,
          .template_share = 0.96,
          .median_age_days = 30.0};
}

// Low and slow: each account its own card and IP (no ties there), organic
// signups over most of a year, ordinary volume and long-lived accounts; only
// the prompt templates and some re-used device fingerprints give it away.
ClusterFeatures LowAndSlowCampaign() {
  return {.size = 60,
          .kinds = {Ties("prompt", 57, 4, 60), Ties("device", 24, 6, 5)},
          .signup_times = Signups(60, 0, 300),
          .median_requests = 44,
          .platform_median_requests = 40,
          .template_share = 0.85,
          .median_age_days = 150.0};
}

// ---- hard negatives (must not be banned) ----

// 500 strangers behind a carrier's CGNAT address (demoted by the projection),
// a few households sharing a card.
ClusterFeatures CgnatCluster() {
  return {.size = 500,
          .kinds = {HubTies("ip", 500, 1, 4213), HubTies("user_agent", 420, 3, 90000),
                    Ties("payment", 20, 10, 2)},
          .signup_times = Signups(480, 0, 700),
          .median_requests = 38,
          .platform_median_requests = 40,
          .template_share = 0.05,
          .median_age_days = 200.0};
}

// A company: one office NAT (kept: too small to be judged a hub), one
// internal client, a shared system prompt in most requests, one org,
// signups over months, ordinary volume.
ClusterFeatures Company() {
  return {
      .size = 40,
      .kinds = {Ties("ip", 40, 1, 40), Ties("user_agent", 40, 1, 40), Ties("prompt", 36, 1, 40)},
      .signup_times = Signups(40, 0, 150),
      .median_requests = 60,
      .platform_median_requests = 40,
      .template_share = 0.8,
      .median_age_days = 180.0,
      .org_share = 0.95,
      .org = "acme"};
}

// A family sharing one card and nothing else.
ClusterFeatures Family(std::uint32_t members) {
  return {.size = members,
          .kinds = {Ties("payment", members, 1, members)},
          .signup_times = Signups(static_cast<int>(members), 0, 400),
          .median_requests = 30,
          .platform_median_requests = 40,
          .median_age_days = 400.0};
}

// A small team sharing one device (and, harder, the office IP).
ClusterFeatures SmallTeam(bool with_office_ip) {
  ClusterFeatures f{.size = 5,
                    .kinds = {Ties("device", 5, 1, 5)},
                    .signup_times = Signups(5, 0, 120),
                    .median_requests = 50,
                    .platform_median_requests = 40,
                    .template_share = 0.1,
                    .median_age_days = 90.0};
  if (with_office_ip) f.kinds.push_back(Ties("ip", 5, 1, 5));
  return f;
}

struct Case {
  const char* name;
  ClusterFeatures features;
  bool bannable;
};

TEST(ScoreCluster, SeparatesCampaignArchetypesFromHardNegatives) {
  const std::vector<Case> cases = {
      {"card pool + datacenter ips + burst + volume", CardPoolCampaign(), true},
      {"api keys + devices + templates", KeyDeviceTemplateCampaign(), true},
      {"low and slow: templates + devices", LowAndSlowCampaign(), true},
      {"cgnat tied only by demoted hubs", CgnatCluster(), false},
      {"company: ip + user agent + system prompt, one org", Company(), false},
      {"family of 2 sharing a card", Family(2), false},
      {"family of 3 sharing a card", Family(3), false},
      {"family of 5 sharing a card", Family(5), false},
      {"small team sharing a device", SmallTeam(false), false},
      {"small team sharing a device and the office ip", SmallTeam(true), false},
  };
  for (const Case& c : cases) {
    const ClusterScore s = ScoreCluster(c.features);
    EXPECT_EQ(s.bannable, c.bannable)
        << c.name << ": score " << s.score << " points " << s.points << " classes "
        << s.independent_classes << " reasons " << FormatReasons(s);
    EXPECT_EQ(s.score >= 0.5 && s.independent_classes >= 2, c.bannable) << c.name;
  }
}

TEST(ScoreCluster, LowAndSlowCampaignIsBannedOnTemplatesAndDevicesAlone) {
  const ClusterScore s = ScoreCluster(LowAndSlowCampaign());
  EXPECT_TRUE(s.bannable);
  EXPECT_EQ(s.evidence_classes, (std::vector<std::string>{"content", "device"}));
  // No burst, no volume, no youth: the templated traffic carries it.
  ASSERT_FALSE(s.reasons.empty());
  EXPECT_EQ(s.reasons[0].token, "prompt:template(0.85)");
  EXPECT_EQ(FormatReasons(s).find("signup:"), std::string::npos);
  EXPECT_EQ(FormatReasons(s).find("volume:"), std::string::npos);
}

TEST(ScoreCluster, CompanyIsHeldBackByItsOrgAndWouldOtherwiseLookSuspicious) {
  ClusterFeatures f = Company();
  const ClusterScore with_org = ScoreCluster(f);
  EXPECT_FALSE(with_org.bannable);
  EXPECT_EQ(with_org.independent_classes, 2);  // network and content: not the gate
  EXPECT_NE(FormatReasons(with_org).find("org:same(0.95,acme)"), std::string::npos);
  f.org.clear();
  EXPECT_GT(ScoreCluster(f).score, with_org.score + 0.3);
}

TEST(ScoreCluster, HubTiesAddNoPointsAndAreOnlyNoted) {
  const ClusterScore s = ScoreCluster(CgnatCluster());
  EXPECT_EQ(s.independent_classes, 0);
  EXPECT_TRUE(s.gated);
  EXPECT_EQ(FormatReasons(s).find(":hub("), std::string::npos);
  EXPECT_NE(DescribeReasons(s).find("500 of 500 accounts share 1 IP address demoted as a benign "
                                    "hub (used by 4,213 accounts); they add no points"),
            std::string::npos)
      << DescribeReasons(s);
  ClusterFeatures more_hubs = CgnatCluster();
  more_hubs.kinds.push_back(HubTies("subnet", 500, 1, 20000));
  EXPECT_DOUBLE_EQ(ScoreCluster(more_hubs).score, s.score);
}

// ---- the gate ----

// One strong class with every behavioural signal at full strength.
ClusterFeatures OneClassWithEverything(std::vector<KindTies> kinds) {
  return {.size = 200,
          .kinds = std::move(kinds),
          .signup_times = Signups(200, 200, 0),
          .median_requests = 800,
          .platform_median_requests = 40,
          .template_share = 1.0,
          .median_age_days = 2.0};
}

TEST(ScoreCluster, GateHoldsOneIndependentClassBelowTheBanThreshold) {
  const ClusterScore s = ScoreCluster(
      OneClassWithEverything({Ties("payment", 200, 10, 20), Ties("subnet", 200, 1, 200),
                              Ties("user_agent", 200, 1, 200)}));
  EXPECT_GT(s.ungated_score, 0.85);  // 6 points: 0.875
  EXPECT_TRUE(s.gated);
  EXPECT_FALSE(s.bannable);
  EXPECT_LT(s.score, 0.5);
  EXPECT_DOUBLE_EQ(s.score, s.ungated_score * 0.9 * 0.5);
  ASSERT_FALSE(s.reasons.empty());
  EXPECT_EQ(s.reasons[0].role, ReasonRole::kGate);
  EXPECT_EQ(s.reasons[0].token, "gate:classes(1,payment)");
  EXPECT_EQ(s.reasons[0].text, "only one independent kind of evidence (payment); a ban needs 2");
  EXPECT_EQ(FormatReasons(s).rfind("gate:classes(1,payment);", 0), 0u);
}

// A family of four sharing a card, a device and the home IP, with every
// behaviour at full strength, is still held below the ban threshold by size.
TEST(ScoreCluster, SizeGateHoldsSmallGroupsBelowTheBanThreshold) {
  ClusterFeatures family = OneClassWithEverything(
      {Ties("payment", 4, 1, 4), Ties("device", 4, 1, 4), Ties("ip", 4, 1, 4)});
  family.size = 4;
  family.signup_times = Signups(4, 4, 0);
  const ClusterScore s = ScoreCluster(family);
  EXPECT_EQ(s.independent_classes, 3);
  EXPECT_GE(s.ungated_score, 0.5);
  EXPECT_TRUE(s.gated);
  EXPECT_FALSE(s.bannable);
  EXPECT_DOUBLE_EQ(s.score, s.ungated_score * 0.9 * 0.5);
  ASSERT_FALSE(s.reasons.empty());
  EXPECT_EQ(s.reasons[0].token, "gate:size(4)");
  EXPECT_NE(s.reasons[0].text.find("a ban needs 6"), std::string::npos) << s.reasons[0].text;

  family.size = 6;
  family.kinds = {Ties("payment", 6, 1, 6), Ties("device", 6, 1, 6), Ties("ip", 6, 1, 6)};
  family.signup_times = Signups(6, 6, 0);
  EXPECT_TRUE(ScoreCluster(family).bannable);
  family.size = 4;
  family.kinds = {Ties("payment", 4, 1, 4), Ties("device", 4, 1, 4), Ties("ip", 4, 1, 4)};
  family.signup_times = Signups(4, 4, 0);
  EXPECT_TRUE(ScoreCluster(family, {.min_ban_size = 1}).bannable);
}

TEST(ScoreCluster, IpAndSubnetAreOneNetworkClass) {
  const ClusterScore s =
      ScoreCluster(OneClassWithEverything({Ties("ip", 200, 5, 40), Ties("subnet", 200, 1, 200)}));
  EXPECT_EQ(s.evidence_classes, (std::vector<std::string>{"network"}));
  EXPECT_FALSE(s.bannable);
  EXPECT_EQ(s.reasons[0].text, "only one independent kind of evidence (network); a ban needs 2");
  // The subnet is counted once with the ip: a note without points.
  const auto subnet = std::find_if(s.reasons.begin(), s.reasons.end(),
                                   [](const Reason& r) { return r.subject == "subnet"; });
  ASSERT_NE(subnet, s.reasons.end());
  EXPECT_EQ(subnet->role, ReasonRole::kNote);
  EXPECT_EQ(subnet->points, 0.0);
  EXPECT_NE(subnet->text.find("counted once with ip as network"), std::string::npos);
}

TEST(ScoreCluster, EmailAndPhoneAreOneIdentityClass) {
  const ClusterScore s =
      ScoreCluster(OneClassWithEverything({Ties("email", 150, 30, 5), Ties("phone", 200, 20, 10)}));
  EXPECT_EQ(s.evidence_classes, (std::vector<std::string>{"identity"}));
  EXPECT_TRUE(s.gated);
}

TEST(ScoreCluster, SecondIndependentClassOpensTheGate) {
  const ClusterScore s =
      ScoreCluster(OneClassWithEverything({Ties("ip", 200, 5, 40), Ties("device", 80, 10, 8)}));
  EXPECT_EQ(s.evidence_classes, (std::vector<std::string>{"device", "network"}));
  EXPECT_FALSE(s.gated);
  EXPECT_TRUE(s.bannable);
  EXPECT_EQ(FormatReasons(s).find("gate:"), std::string::npos);
}

TEST(ScoreCluster, ClassCountsFromItsMinimumShareAndWeight) {
  auto classes_with_device = [](std::uint32_t tied) {
    ClusterFeatures f = OneClassWithEverything({Ties("payment", 20, 2, 10)});
    f.size = 20;
    f.signup_times.resize(20);
    f.kinds.push_back(Ties("device", tied, 1, tied));
    return ScoreCluster(f).independent_classes;
  };
  EXPECT_EQ(classes_with_device(6), 2);  // 6 of 20 = 0.3
  EXPECT_EQ(classes_with_device(5), 1);
  // A user agent ties everyone but is too weak to be a kind of evidence.
  const ClusterScore ua = ScoreCluster(
      OneClassWithEverything({Ties("payment", 200, 10, 20), Ties("user_agent", 200, 1, 200)}));
  EXPECT_EQ(ua.independent_classes, 1);
}

TEST(ScoreCluster, GateFollowsTheBanThresholdAndTheRequiredClasses) {
  const ClusterFeatures f = OneClassWithEverything({Ties("payment", 200, 10, 20)});
  const ClusterScore low = ScoreCluster(f, {.ban_threshold = 0.3});
  EXPECT_LT(low.score, 0.3);
  EXPECT_FALSE(low.bannable);
  ClusterFeatures two = CardPoolCampaign();
  const ClusterScore three_needed = ScoreCluster(two, {.min_independent_classes = 3});
  EXPECT_TRUE(three_needed.gated);
  EXPECT_FALSE(three_needed.bannable);
  EXPECT_EQ(three_needed.reasons[0].token, "gate:classes(2,network,payment)");
  EXPECT_EQ(three_needed.reasons[0].text,
            "only 2 independent kinds of evidence (network, payment); a ban needs 3");
  EXPECT_TRUE(ScoreCluster(two, {.min_independent_classes = 0}).bannable);
}

// ---- reasons ----

// 20 accounts: 14 share 3 cards, 16 share 2 IPs, 3 share a device; 16 signed
// up within an hour; 12.5x volume; 96% templated; one org (97%).
ClusterFeatures TwentyAccounts() {
  return {.size = 20,
          .kinds = {Ties("device", 3, 1, 3), Ties("payment", 14, 3, 14), Ties("ip", 16, 2, 16)},
          .signup_times = Signups(20, 16, 100),
          .median_requests = 500,
          .platform_median_requests = 40,
          .template_share = 0.96,
          .org_share = 0.97,
          .org = "acme"};
}

TEST(FormatReasons, WritesTheBanListTokensStrongestFirst) {
  const ClusterScore s = ScoreCluster(TwentyAccounts());
  // Points: template 1.25, payment 1.5 * 14/20 = 1.05, burst 1 and volume 1
  // (tied: by token), ip 0.5 * 16/20 = 0.4, device 1.0 * 3/20 = 0.15; then
  // the mitigations: org -2.5, size -1.5 + 2 ln(10) / ln(32) = -0.171.
  EXPECT_EQ(FormatReasons(s),
            "prompt:template(0.96);payment:shared(14);signup:burst(0.80);volume:high(12.5x);"
            "ip:shared(16);device:shared(3);org:same(0.97,acme);size:small(20)");
  const double size_points = -1.5 + 2.0 * std::log(10.0) / std::log(32.0);
  const double points = 1.25 + 1.05 + 1.0 + 1.0 + 0.4 + 0.15 - 2.5 + size_points;
  EXPECT_NEAR(s.points, points, 1e-12);
  EXPECT_NEAR(s.score, 1.0 - std::exp2(-points / 2.0), 1e-12);
  EXPECT_TRUE(s.bannable);  // 2.18 points: payment and network
}

TEST(FormatReasons, MatchesTheSpecExampleTokens) {
  ClusterFeatures f{.size = 16,
                    .kinds = {Ties("payment", 14, 3, 14), Ties("device", 3, 1, 3)},
                    .template_share = 0.96};
  ScoringOptions o{.class_min_share = 0.15, .size_small_points = 0.0, .size_large_points = 0.0};
  const ClusterScore s = ScoreCluster(f, o);
  EXPECT_EQ(FormatReasons(s), "payment:shared(14);prompt:template(0.96);device:shared(3)");
}

TEST(DescribeReasons, WritesOneSentencePerReasonForClusterViews) {
  const ClusterScore s = ScoreCluster(TwentyAccounts());
  EXPECT_EQ(DescribeReasons(s),
            "96% of requests in shared prompt templates; "
            "14 of 20 accounts share 3 payment cards (the most shared one used by 14 accounts); "
            "80% of 20 known signups within 24 h of each other; "
            "median volume 12.5x the platform median (500 requests per account); "
            "16 of 20 accounts share 2 IP addresses (the most shared one used by 16 accounts); "
            "3 of 20 accounts share 1 device fingerprint (used by 3 accounts); "
            "97% belong to org acme; 20 accounts, a small group");
}

TEST(FormatReasons, NeutralisesSeparatorsInOrgAndKindNames) {
  ClusterFeatures f = TwentyAccounts();
  f.org = "a;b(c),d\"e\n";
  f.kinds.push_back(Ties("x;y(z)", 20, 1, 20));
  const std::string r = FormatReasons(ScoreCluster(f));
  EXPECT_NE(r.find("org:same(0.97,a_b_c__d_e_)"), std::string::npos) << r;
  EXPECT_NE(r.find("x_y_z_:shared(20)"), std::string::npos) << r;
  const std::string long_org(100, 'o');
  f.org = long_org;
  EXPECT_NE(FormatReasons(ScoreCluster(f)).find("," + std::string(64, 'o') + ")"),
            std::string::npos);
}

TEST(FormatReasons, CustomKindsAreClassesOfTheirOwnWithTheDefaultWeight) {
  ClusterFeatures f{.size = 10, .kinds = {Ties("loyalty_id", 10, 1, 10), Ties("link", 10, 0, 0)}};
  const ClusterScore s = ScoreCluster(f);
  EXPECT_EQ(s.evidence_classes, (std::vector<std::string>{"link", "loyalty_id"}));
  // 0.5 each, size 10: -1.5 + 2 ln 5 / ln 32.
  EXPECT_NEAR(s.points, 1.0 - 1.5 + 2.0 * std::log(5.0) / std::log(32.0), 1e-12);
  EXPECT_NE(DescribeReasons(s).find("10 of 10 accounts are tied by precomputed links"),
            std::string::npos);
  EXPECT_NE(DescribeReasons(s).find("10 of 10 accounts share 1 loyalty_id value"),
            std::string::npos);
}

TEST(ScoreCluster, ReasonsAreOrderedAndTheirPointsAddUp) {
  for (const ClusterFeatures& f : {CardPoolCampaign(), KeyDeviceTemplateCampaign(), CgnatCluster(),
                                   Company(), TwentyAccounts()}) {
    const ClusterScore s = ScoreCluster(f);
    double sum = 0.0;
    for (std::size_t i = 0; i < s.reasons.size(); ++i) {
      const Reason& r = s.reasons[i];
      sum += r.points;
      EXPECT_EQ(r.role == ReasonRole::kEvidence, r.points > 0.0) << r.token;
      EXPECT_EQ(r.role == ReasonRole::kMitigation, r.points < 0.0) << r.token;
      if (i == 0) continue;
      const Reason& p = s.reasons[i - 1];
      EXPECT_LE(static_cast<int>(p.role), static_cast<int>(r.role));
      if (p.role == r.role) {
        EXPECT_GE(std::abs(p.points), std::abs(r.points)) << r.token;
      }
    }
    EXPECT_NEAR(sum, s.points, 1e-12);
  }
}

// ---- determinism and degenerate inputs ----

TEST(ScoreCluster, IsDeterministicAndIndependentOfKindOrder) {
  ClusterFeatures f = KeyDeviceTemplateCampaign();
  f.kinds.push_back(HubTies("ip", 90, 2, 5000));
  const ClusterScore a = ScoreCluster(f);
  std::mt19937 rng(11);
  for (int round = 0; round < 10; ++round) {
    std::shuffle(f.kinds.begin(), f.kinds.end(), rng);
    std::shuffle(f.signup_times.begin(), f.signup_times.end(), rng);
    const ClusterScore b = ScoreCluster(f);
    EXPECT_EQ(a.score, b.score);
    EXPECT_EQ(FormatReasons(a), FormatReasons(b));
    EXPECT_EQ(DescribeReasons(a), DescribeReasons(b));
  }
}

TEST(ScoreCluster, EmptyClusterScoresZeroWithoutReasons) {
  const ClusterScore s = ScoreCluster(ClusterFeatures{});
  EXPECT_EQ(s.score, 0.0);
  EXPECT_FALSE(s.bannable);
  EXPECT_TRUE(s.reasons.empty());
  EXPECT_EQ(FormatReasons(s), "");
}

TEST(ScoreCluster, DegenerateInputsGiveFiniteScores) {
  const std::vector<ClusterFeatures> inputs = {
      {.size = 1},
      {.size = 7, .kinds = {Ties("payment", 7, 1, 7), Ties("device", 7, 1, 7)}},
      {.size = 7, .median_requests = 30, .platform_median_requests = 0},
      {.size = 7, .median_requests = 0, .platform_median_requests = 30},
      {.size = 3, .signup_times = {kEpoch, kEpoch, kEpoch}, .median_age_days = 0.0},
      {.size = std::numeric_limits<std::uint32_t>::max(),
       .kinds = {Ties("payment", std::numeric_limits<std::uint32_t>::max(), 1, 1),
                 Ties("device", std::numeric_limits<std::uint32_t>::max(), 1, 1)},
       .median_requests = 1e300,
       .platform_median_requests = 1e-300},
  };
  for (const ClusterFeatures& f : inputs) {
    const ClusterScore s = ScoreCluster(f);
    EXPECT_TRUE(std::isfinite(s.score) && s.score >= 0.0 && s.score <= 1.0) << f.size;
    EXPECT_TRUE(std::isfinite(s.points));
    for (const Reason& r : s.reasons) EXPECT_TRUE(std::isfinite(r.points)) << r.token;
  }
  // No medians: no volume reason; too few signups: a note, not a burst.
  const ClusterScore s = ScoreCluster(inputs[2]);
  EXPECT_EQ(DescribeReasons(s).find("volume"), std::string::npos);
  EXPECT_NE(DescribeReasons(s).find("only 0 of 7 signup times known; burst not assessed"),
            std::string::npos);
  EXPECT_EQ(ScoreCluster(inputs[1]).score > 0.0, true);
  const ClusterScore huge = ScoreCluster(inputs[5]);  // full ties, absurd volume
  EXPECT_TRUE(huge.bannable);
  EXPECT_NE(FormatReasons(huge).find("volume:high(1000000000000.0x)"), std::string::npos)
      << FormatReasons(huge);
  EXPECT_NE(DescribeReasons(huge).find("(1.000e+300 requests per account)"), std::string::npos)
      << DescribeReasons(huge);
}

TEST(ScoreCluster, RejectsInvalidFeaturesWithExpectedValues) {
  auto rejects = [](ClusterFeatures f, const std::string& needle) {
    try {
      ScoreCluster(f);
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
      return;
    }
    ADD_FAILURE() << "accepted: " << needle;
  };
  rejects({.size = 3, .kinds = {Ties("payment", 4, 1, 4)}}, "expected <= size 3");
  rejects({.size = 3, .kinds = {HubTies("ip", 4, 1, 4)}}, "expected <= size 3");
  rejects({.size = 3, .kinds = {Ties("ip", 1, 1, 1), Ties("ip", 2, 1, 2)}}, "listed twice");
  rejects({.size = 3, .kinds = {Ties("", 1, 1, 1)}}, "empty name");
  rejects({.size = 1, .signup_times = {1, 2}}, "2 signup times, expected <= size 1");
  rejects({.size = 3, .template_share = std::nan("")}, "template_share");
  rejects({.size = 3, .template_share = 1.5}, "expected a value in [0, 1]");
  rejects({.size = 3, .median_requests = -1}, "median_requests -1");
  rejects({.size = 3, .platform_median_requests = INFINITY}, "platform_median_requests");
  rejects({.size = 3, .median_age_days = -2.0}, "median_age_days -2");
  rejects({.size = 3, .org_share = 2.0, .org = "acme"}, "org_share 2");
}

TEST(ScoreCluster, RejectsInvalidOptionsWithExpectedValues) {
  const std::vector<std::pair<ScoringOptions, std::string>> bad = {
      {{.kind_weights = {{"payment", -1.0}}}, "kind_weights['payment'] -1"},
      {{.kind_classes = {{"ip", ""}}}, "kind_classes['ip'] is empty"},
      {{.class_min_share = 1.5}, "class_min_share 1.5"},
      {{.min_independent_classes = -1}, "min_independent_classes -1"},
      {{.burst_window_seconds = 0}, "burst_window_seconds 0"},
      {{.burst_low = 0.8, .burst_high = 0.5}, "expected burst_low < burst_high"},
      {{.volume_low = 0.0}, "volume_low 0"},
      {{.template_weight = std::nan("")}, "template_weight"},
      {{.young_days = 60.0, .old_days = 7.0}, "expected young_days < old_days"},
      {{.size_small = 10, .size_large = 10}, "1 <= size_small < size_large"},
      {{.half_points = 0.0}, "half_points 0"},
      {{.ban_threshold = 0.0}, "ban_threshold 0"},
      {{.gate_fraction = 1.0}, "gate_fraction 1"},
  };
  for (const auto& [o, needle] : bad) {
    try {
      ValidateScoringOptions(o);
      ADD_FAILURE() << "accepted: " << needle;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  }
  EXPECT_NO_THROW(ValidateScoringOptions({}));
}

// ---- signup burst ----

// O(n^2) reference: for every signup, count those in [t, t + window).
double SlowBurst(const std::vector<std::int64_t>& t, std::int64_t window) {
  std::size_t best = 0;
  for (std::int64_t start : t) {
    const auto in = std::count_if(t.begin(), t.end(),
                                  [&](std::int64_t x) { return x >= start && x - start < window; });
    best = std::max(best, static_cast<std::size_t>(in));
  }
  return t.empty() ? 0.0 : static_cast<double>(best) / static_cast<double>(t.size());
}

TEST(SignupBurstShare, MatchesTheQuadraticReference) {
  std::mt19937_64 rng(5);
  for (int round = 0; round < 300; ++round) {
    std::vector<std::int64_t> t(rng() % 60);
    const std::int64_t span = 1 + static_cast<std::int64_t>(rng() % (30 * kDay));
    for (auto& x : t) x = kEpoch + static_cast<std::int64_t>(rng() % span);
    const std::int64_t window = 1 + static_cast<std::int64_t>(rng() % (2 * kDay));
    EXPECT_DOUBLE_EQ(SignupBurstShare(t, window), SlowBurst(t, window)) << round;
  }
}

TEST(SignupBurstShare, WindowIsHalfOpenAndExtremesDoNotOverflow) {
  EXPECT_EQ(SignupBurstShare(std::vector<std::int64_t>{0, kDay - 1}, kDay), 1.0);
  EXPECT_EQ(SignupBurstShare(std::vector<std::int64_t>{0, kDay}, kDay), 0.5);
  EXPECT_EQ(SignupBurstShare(std::vector<std::int64_t>{}, kDay), 0.0);
  const std::vector<std::int64_t> extremes = {std::numeric_limits<std::int64_t>::min(),
                                              std::numeric_limits<std::int64_t>::max()};
  EXPECT_EQ(SignupBurstShare(extremes, std::numeric_limits<std::int64_t>::max()), 0.5);
  EXPECT_EQ(SignupBurstShare(extremes, 1), 0.5);
  EXPECT_THROW(SignupBurstShare(extremes, 0), std::invalid_argument);
}

// ---- monotonicity ----

const std::vector<std::string> kKinds = {"payment", "api_key", "email",     "phone",
                                         "device",  "ip",      "subnet",    "user_agent",
                                         "prompt",  "link",    "loyalty_id"};

ClusterFeatures RandomFeatures(std::mt19937_64& rng) {
  auto uniform = [&rng] { return std::uniform_real_distribution<double>(0.0, 1.0)(rng); };
  ClusterFeatures f;
  f.size = 1 + static_cast<std::uint32_t>(rng() % 300);
  for (const std::string& kind : kKinds) {
    if (uniform() < 0.5) continue;
    KindTies k = Ties(kind, static_cast<std::uint32_t>(rng() % (f.size + 1)), 1 + rng() % 9, 50);
    if (uniform() < 0.3) k.hub_tied_members = static_cast<std::uint32_t>(rng() % (f.size + 1));
    f.kinds.push_back(k);
  }
  const std::int64_t spread = 3600 + static_cast<std::int64_t>(rng() % (400 * kDay));
  f.signup_times.resize(rng() % (f.size + 1));
  for (auto& t : f.signup_times) t = kEpoch + static_cast<std::int64_t>(rng() % spread);
  if (uniform() < 0.8) {
    f.platform_median_requests = 1 + uniform() * 100;
    f.median_requests = uniform() * 2000;
  }
  f.template_share = uniform();
  if (uniform() < 0.7) f.median_age_days = uniform() * 400;
  if (uniform() < 0.3) {
    f.org = "org";
    f.org_share = uniform();
  }
  return f;
}

void ExpectInvariants(const ClusterScore& s, std::uint32_t size) {
  EXPECT_TRUE(std::isfinite(s.score) && s.score >= 0.0 && s.score <= 1.0);
  EXPECT_EQ(s.gated, s.independent_classes < 2 || size < 6);
  if (s.gated) {
    EXPECT_LT(s.score, 0.5);
  }
  EXPECT_EQ(s.bannable, !s.gated && s.score >= 0.5);
  EXPECT_EQ(FormatReasons(s).find(":hub("), std::string::npos);
}

// More of any evidence never lowers the score (nor withdraws a ban); more
// hub ties change nothing; a larger org share never raises it.
TEST(ScoreCluster, IsMonotoneInEveryPieceOfEvidence) {
  std::mt19937_64 rng(42);
  for (int round = 0; round < 2000; ++round) {
    const ClusterFeatures f = RandomFeatures(rng);
    const ClusterScore base = ScoreCluster(f);
    ExpectInvariants(base, f.size);
    std::vector<ClusterFeatures> more(6, f);
    if (!f.kinds.empty()) {
      KindTies& k = more[0].kinds[rng() % f.kinds.size()];
      k.tied_members += static_cast<std::uint32_t>(rng() % (f.size - k.tied_members + 1));
    }
    more[1].kinds.push_back(
        Ties("extra_kind", static_cast<std::uint32_t>(rng() % (f.size + 1)), 1, 2));
    more[2].template_share += (1.0 - f.template_share) * 0.5;
    more[3].median_requests *= 3.0;
    if (f.median_age_days) more[4].median_age_days = *f.median_age_days * 0.5;
    for (auto& t : more[5].signup_times) t = kEpoch + (t - kEpoch) / 3;  // closer together
    for (std::size_t i = 0; i < more.size(); ++i) {
      const ClusterScore s = ScoreCluster(more[i]);
      ExpectInvariants(s, more[i].size);
      EXPECT_GE(s.score, base.score - 1e-12) << "round " << round << " change " << i;
      EXPECT_TRUE(!base.bannable || s.bannable) << "round " << round << " change " << i;
      EXPECT_GE(s.independent_classes, base.independent_classes);
    }
    ClusterFeatures hubs = f;
    for (KindTies& k : hubs.kinds) k.hub_tied_members = f.size;
    EXPECT_EQ(ScoreCluster(hubs).score, base.score);
    ClusterFeatures org = f;
    org.org = "org";
    org.org_share = std::max(f.org_share, 0.95);
    EXPECT_LE(ScoreCluster(org).score, base.score + 1e-12);
  }
}

}  // namespace
}  // namespace ringscope
