// The presets: every size and rate of a world in one WorldOptions each, and
// the evidence mix of each campaign archetype in one function each.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "tools/gen/world.h"

namespace ringscope::gen {

namespace {

// Prepaid card pools, rotating residential proxies, signup bursts, volume.
CampaignSpec CardFarm(std::int64_t accounts, double requests_per_account) {
  CampaignSpec s;
  s.name = "card_farm";
  s.archetype = Archetype::kCardFarm;
  s.accounts = accounts;
  s.requests_per_account = requests_per_account;
  s.volume_sigma = 0.6;
  s.start_day = 1.5;
  s.end_day = 27;
  s.session_length = 15;
  s.intra_session_gap = 5;
  s.signup_waves = 8;
  s.wave_hours = 5;
  s.wave_share = 0.85;
  s.signup_lead_days = 25;
  s.paid_share = 0.9;
  s.straggler_share = 0.07;
  s.organic_prompt_share = 0.10;
  s.accounts_per_card = 25;
  s.pool_card_share = 0.85;
  s.own_payment_share = 0.6;
  s.raw_card_share = 0.7;
  s.ip_style = CampaignIpStyle::kResidentialProxy;
  s.accounts_per_ip = 3;
  s.ips_per_account = 6;
  s.own_phone_share = 0.3;
  s.user_agent_families = {"openai-python", "python-requests", "chrome-win"};
  s.prompt_families = 3;
  s.templates_per_family = 4;
  return s;
}

// Hosting /24s, shared and varied fingerprints, reused keys, gmail variants.
CampaignSpec DatacenterSwarm(std::int64_t accounts, double requests_per_account) {
  CampaignSpec s;
  s.name = "datacenter_swarm";
  s.archetype = Archetype::kDatacenterSwarm;
  s.accounts = accounts;
  s.requests_per_account = requests_per_account;
  s.volume_sigma = 0.5;
  s.start_day = 4;
  s.end_day = 27.5;
  s.session_length = 20;
  s.intra_session_gap = 3;
  s.signup_waves = 6;
  s.wave_hours = 3;
  s.wave_share = 0.9;
  s.signup_lead_days = 14;
  s.paid_share = 0.5;
  s.straggler_share = 0.06;
  s.organic_prompt_share = 0.08;
  s.own_payment_share = 0.3;
  s.raw_card_share = 0.2;
  s.ip_style = CampaignIpStyle::kDatacenter;
  s.accounts_per_ip = 8;
  s.ips_per_account = 2;
  s.datacenter_subnets = 6;
  s.accounts_per_device = 40;
  s.device_variation = 0.3;
  s.accounts_per_key = 6;
  s.pooled_key_share = 0.6;
  s.gmail_mailboxes = static_cast<int>(std::clamp<std::int64_t>(accounts / 1500, 2, 8));
  s.gmail_variant_share = 0.7;
  s.own_phone_share = 0.1;
  s.user_agent_families = {"python-httpx", "aiohttp", "chrome-win"};
  s.prompt_families = 3;
  s.templates_per_family = 3;
  return s;
}

// Organic one by one; tied by prompt templates and re-used devices.
CampaignSpec LowAndSlow(std::int64_t accounts, double requests_per_account) {
  CampaignSpec s;
  s.name = "low_and_slow";
  s.archetype = Archetype::kLowAndSlow;
  s.accounts = accounts;
  s.requests_per_account = requests_per_account;
  s.volume_sigma = 0.5;
  s.start_day = 0.5;
  s.end_day = 27.5;
  s.session_length = 4;
  s.intra_session_gap = 60;
  s.human_timing = true;
  s.signup_waves = 1;
  s.wave_share = 0;  // organic signups over months
  s.paid_share = 0.7;
  s.straggler_share = 0.10;
  s.organic_prompt_share = 0.25;
  s.own_payment_share = 0.9;
  s.raw_card_share = 0.4;
  s.ip_style = CampaignIpStyle::kOwnResidential;
  s.accounts_per_device = 6;
  s.device_variation = 0.1;
  s.own_phone_share = 0.4;
  s.user_agent_families = {"chrome-win", "chrome-mac", "safari-mac", "edge-win"};
  s.prompt_families = 2;
  s.templates_per_family = 3;
  return s;
}

// Shared SMS-verification numbers, residential proxies, mobile clients.
CampaignSpec PhoneFarm(std::int64_t accounts, double requests_per_account) {
  CampaignSpec s;
  s.name = "phone_farm";
  s.archetype = Archetype::kPhoneFarm;
  s.accounts = accounts;
  s.requests_per_account = requests_per_account;
  s.volume_sigma = 0.5;
  s.start_day = 8;
  s.end_day = 24;
  s.session_length = 10;
  s.intra_session_gap = 8;
  s.signup_waves = 3;
  s.wave_hours = 8;
  s.wave_share = 0.8;
  s.signup_lead_days = 10;
  s.paid_share = 0.6;
  s.straggler_share = 0.10;
  s.organic_prompt_share = 0.15;
  s.own_payment_share = 0.5;
  s.raw_card_share = 0.3;
  s.ip_style = CampaignIpStyle::kResidentialProxy;
  s.accounts_per_ip = 2;
  s.ips_per_account = 4;
  s.accounts_per_phone = 4;
  s.pooled_phone_share = 0.9;
  s.user_agent_families = {"chrome-android", "okhttp", "safari-ios"};
  s.prompt_families = 1;
  s.templates_per_family = 3;
  return s;
}

WorldOptions Tiny() {
  WorldOptions w;
  w.preset = "tiny";
  w.benign.accounts = 1850;
  w.benign.requests = 12000;
  w.hard_negatives = {.company_accounts = 120,
                      .company_nat_ips = 3,
                      .carrier_cgnat_accounts = 100,
                      .university_cgnat_accounts = 60,
                      .families = 12,
                      .agent_framework_accounts = 60,
                      .shared_device_teams = 3};
  w.campaigns = {CardFarm(60, 150), DatacenterSwarm(40, 150), LowAndSlow(24, 40),
                 PhoneFarm(16, 100)};
  return w;
}

WorldOptions Small() {
  WorldOptions w;
  w.preset = "small";
  w.benign.accounts = 48000;
  w.benign.requests = 560000;
  w.hard_negatives = {.company_accounts = 800,
                      .company_nat_ips = 4,
                      .carrier_cgnat_accounts = 1000,
                      .university_cgnat_accounts = 500,
                      .families = 300,
                      .agent_framework_accounts = 800,
                      .shared_device_teams = 20};
  w.campaigns = {CardFarm(1000, 250), DatacenterSwarm(600, 250), LowAndSlow(200, 60),
                 PhoneFarm(60, 200)};
  return w;
}

// The reported case: ~24,000 accounts sending ~16M requests in three
// campaigns, inside ~1M benign accounts sending ~8M.
WorldOptions Distill24k() {
  WorldOptions w;
  w.preset = "distill-24k";
  w.benign.accounts = 1000000;
  w.benign.requests = 8000000;
  w.hard_negatives = {.company_accounts = 2000,
                      .company_nat_ips = 4,
                      .carrier_cgnat_accounts = 3000,
                      .university_cgnat_accounts = 1500,
                      .families = 3000,
                      .agent_framework_accounts = 4000,
                      .shared_device_teams = 150};
  w.campaigns = {CardFarm(13000, 780), DatacenterSwarm(9000, 640), LowAndSlow(2000, 70)};
  return w;
}

std::int64_t Scaled(std::int64_t value, double factor, std::int64_t minimum) {
  if (value <= 0) return value;
  return std::max(minimum,
                  static_cast<std::int64_t>(std::llround(static_cast<double>(value) * factor)));
}

}  // namespace

const std::vector<std::string>& PresetNames() {
  static const std::vector<std::string> kNames = {"tiny", "small", "distill-24k"};
  return kNames;
}

WorldOptions PresetWorld(std::string_view name) {
  if (name == "tiny") return Tiny();
  if (name == "small") return Small();
  if (name == "distill-24k") return Distill24k();
  throw std::invalid_argument("unknown preset '" + std::string(name) +
                              "'; expected tiny, small or distill-24k");
}

WorldOptions ScaleWorld(const WorldOptions& world, std::int64_t benign_accounts) {
  constexpr std::int64_t kMinimumAccounts = 200;
  if (benign_accounts < kMinimumAccounts)
    throw std::invalid_argument(
        "the benign population must have at least " + std::to_string(kMinimumAccounts) +
        " accounts so that every planted structure fits; got " + std::to_string(benign_accounts));
  WorldOptions w = world;
  const double f =
      static_cast<double>(benign_accounts) / static_cast<double>(world.benign.accounts);
  w.benign.accounts = benign_accounts;
  w.benign.requests = world.benign.requests * f;
  HardNegativeOptions& h = w.hard_negatives;
  h.company_accounts = Scaled(h.company_accounts, f, 20);
  h.carrier_cgnat_accounts = Scaled(h.carrier_cgnat_accounts, f, 20);
  h.university_cgnat_accounts = Scaled(h.university_cgnat_accounts, f, 10);
  h.families = Scaled(h.families, f, 2);
  h.agent_framework_accounts = Scaled(h.agent_framework_accounts, f, 10);
  h.shared_device_teams = Scaled(h.shared_device_teams, f, 1);
  for (CampaignSpec& c : w.campaigns) c.accounts = Scaled(c.accounts, f, w.min_campaign_accounts);
  return w;
}

}  // namespace ringscope::gen
