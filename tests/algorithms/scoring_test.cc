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

KindTies HubTies(std::string kind, std::uint32_t tied, std::uint32_t values,
                 std::uint32_t degree) {
  return KindTies{.kind = std::move(kind),
                  .hub_tied_members = tied,
                  .hub_values = values,
                  .max_hub_degree = degree};
}

// ---- archetypes (must be banned) ----

// A pool of prepaid cards, datacenter IPs, a signup wave, script volume.
ClusterFeatures CardPoolCampaign() {
  return {.size = 200,
          .kinds = {Ties("payment", 190, 20, 12), Ties("ip", 160, 30, 9),
                    Ties("subnet", 180, 4, 60)},
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
  return {.size = 40,
          .kinds = {Ties("ip", 40, 1, 40), Ties("user_agent", 40, 1, 40),
                    Ties("prompt", 36, 1, 40)},
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

}  // namespace
}  // namespace ringscope
