// ringscope gen: synthetic API platforms with planted distillation campaigns.
//
// Every later piece of ringscope measures itself on these worlds, so they are
// built to defeat naive methods: whatever a campaign shares, some benign
// population shares too, and no single kind of evidence separates them.
//
// WORLD MODEL
//
// Time. Accounts sign up organically over `signup_history_days` before a
// `window_days` request window (signups grow exponentially, at local daytime
// hours). Every request falls in the window; requests are written in time
// order, all accounts interleaved.
//
// Benign background (the base rates every detector must live with):
//   * activity: log-normal requests per account (a heavy tail of API power
//     users, many dormant accounts), sessions of a few requests with pauses,
//     night-time sessions mostly deferred to the morning (per country);
//   * addresses: households of 1-5 accounts share a residential IP (IPv4, or an
//     IPv6 /64 with a fresh privacy address per session); residential /24s are
//     dense with unrelated households; a third also use a mobile carrier whose
//     NAT pool is shared by dozens of strangers; developers run scripts from
//     cloud VMs and hosting providers' VPSs; VPN users share exits in hosting
//     /24s (so a datacenter address alone proves nothing); team seats of small
//     organisations share an office IP;
//   * clients: a realistic user-agent mix (browsers with device fingerprints,
//     SDKs such as openai-python, python-requests, curl and langchain
//     without), some accounts with a second client, family computers shared
//     within households; per-account API keys, sometimes rotated;
//   * prompts: opener + one of ~60 question patterns + closer, with slots
//     drawn from topic vocabularies, so exact repeats are rare; pasted text,
//     other languages, some "explain your reasoning" requests; trivial prompts
//     ("Say this is a test") that thousands send verbatim; app developers
//     whose product sends one private system prompt at high volume;
//   * identity: name-based emails (gmail addresses with dots of their own,
//     +tags, capitals; unique after normalisation), phones in varied
//     formats, payment instruments that are Stripe-like tokens or raw card
//     numbers from test BINs (Luhn-valid, written plain, spaced or dashed);
//     some accounts without email, phone or payment.
//
// Hard negatives (benign groups a careless tool bans; hard_negatives.csv):
//   * company_nat: a company of thousands behind a few NAT IPs, one internal
//     user agent, one shared system prompt, signed up in an onboarding wave
//     (org column set);
//   * carrier_cgnat, university_cgnat: one address shared by thousands of
//     unrelated users;
//   * family_NNNN: households of 2-5 whose members share a card (and an IP);
//   * agent_framework: unrelated users of an open-source agent framework
//     sending the same ReAct boilerplate (with their own questions);
//   * shared_device_NN: small teams sharing one device and an office IP.
//
// Campaigns (truth.csv), each a mix of evidence with camouflage (organic
// prompts mixed in, popular user agents, stragglers with little shared
// evidence beyond their prompts):
//   * card_farm: prepaid card pools (tens of accounts per card), rotating
//     residential proxies from the same /24s as real households, signup
//     bursts, high volume, templated chain-of-thought prompt families;
//   * datacenter_swarm: a few hosting /24s behind many accounts, shared or
//     slightly varied device fingerprints, reused API keys, dot/+tag variants
//     of a few gmail mailboxes (only normalisation links them), an uncommon
//     client mixed with a popular one, signup bursts, high volume;
//   * low_and_slow: one by one organic (own card, own residential IP,
//     signups spread over months, normal volume, browsers, daytime hours),
//     tied mostly by prompt templates and re-used device fingerprints;
//   * phone_farm: SMS-verification numbers shared by a few accounts each,
//     residential proxies, mobile clients.
// Campaign prompts: a fixed persona and goal preamble, a chain-of-thought
// elicitation ("think step by step and show your reasoning"), a task with
// slots (topics, names, numbers) and an output format; several templates per
// family, each a slight paraphrase of the others.
//
// Ids reveal nothing: "acct_" + 10 hex digits from a keyed permutation of a
// shuffled index (unique, no order), benign and fraud alike; files that list
// accounts are sorted by signup time or id, never by role.
//
// Determinism: one seeded generator drawn in a fixed order; no clock, no
// std::random_device, no unordered iteration; same options, same bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ringscope::gen {

struct TimeOptions {
  std::int64_t window_start = 1769904000;  // 2026-02-01T00:00:00Z, the first request
  int window_days = 28;                    // requests fall in [start, start + days)
  int signup_history_days = 240;           // organic signups begin this long before
  double signup_growth = 4.0;  // daily signups at the window's end / at the history's start
};

struct BenignOptions {
  std::int64_t accounts = 1850;  // includes the hard negatives
  double requests = 12000;       // expected request lines of all benign accounts
  double dormant_share = 0.30;   // accounts with no request in the window
  double volume_sigma = 1.7;     // log-normal spread of per-account activity
  std::int64_t max_requests_per_account = 20000;
  std::vector<double> household_sizes = {0.58, 0.24, 0.11, 0.05, 0.02};  // P(size = 1..5)
  double ipv6_household_share = 0.15;
  double mapped_ipv4_share = 0.01;  // requests whose gateway logged ::ffff:a.b.c.d
  double mobile_share = 0.35;       // accounts that also use a mobile carrier
  double mobile_session_share = 0.35;
  int mobile_carriers = 4;
  double accounts_per_carrier_ip = 40;  // carrier NAT pool = mobile users / this
  double cloud_share = 0.04;            // developers running scripts from cloud VMs
  double cloud_session_share = 0.6;
  double vps_share = 0.3;   // of those, on small hosting providers' /24s
  double vpn_share = 0.03;  // accounts behind a commercial VPN now and then
  double vpn_session_share = 0.5;
  double accounts_per_vpn_exit = 15;  // VPN exits (hosting /24s) shared by strangers
  double org_share = 0.05;            // team seats in small organisations sharing an office IP
  int org_min = 2;
  int org_max = 12;
  double office_session_share = 0.5;
  double no_email_share = 0.03;
  double phone_share = 0.40;
  double paid_share = 0.25;  // "pro" accounts, all with a payment instrument
  double free_payment_share = 0.12;
  double second_payment_share = 0.10;
  double raw_card_share = 0.35;  // raw card numbers rather than tokens
  double gmail_plus_tag_share = 0.05;
  double email_capitalised_share = 0.04;
  double shared_computer_share = 0.15;  // households whose members share a computer
  double shared_computer_session_share = 0.4;
  double second_client_share = 0.30;
  double second_client_session_share = 0.30;
  double key_rotation_share = 0.15;
  double app_developer_share = 0.04;  // their product sends one private system prompt
  double app_prompt_share = 0.9;
  double app_volume_factor = 8;
  double trivial_prompt_share = 0.02;
  double foreign_prompt_share = 0.05;
  double paste_prompt_share = 0.10;
  double opener_share = 0.30;
  double closer_share = 0.30;
  double session_length = 4;      // mean requests per session
  double intra_session_gap = 45;  // mean seconds between requests of a session
  double night_deferral = 0.8;    // night sessions moved to the morning
};

struct HardNegativeOptions {
  std::int64_t company_accounts = 120;
  int company_nat_ips = 4;
  double company_nat_session_share = 0.9;
  double company_system_prompt_share = 0.85;
  double company_volume_factor = 2.0;
  int company_onboarding_days = 10;
  std::int64_t carrier_cgnat_accounts = 100;
  double carrier_cgnat_session_share = 0.6;
  std::int64_t university_cgnat_accounts = 60;
  double university_session_share = 0.7;
  std::int64_t families = 12;  // households of 2-5 sharing one card
  std::int64_t agent_framework_accounts = 60;
  double agent_prompt_share = 0.7;
  double agent_volume_factor = 3.0;
  std::int64_t shared_device_teams = 3;
  int team_min = 3;
  int team_max = 6;
  double team_office_session_share = 0.6;
};

enum class Archetype { kCardFarm, kDatacenterSwarm, kLowAndSlow, kPhoneFarm };
std::string_view ArchetypeName(Archetype archetype);

enum class CampaignIpStyle { kOwnResidential, kResidentialProxy, kDatacenter };

struct CampaignSpec {
  std::string name;  // the truth.csv campaign id
  Archetype archetype = Archetype::kCardFarm;
  std::int64_t accounts = 50;
  double requests_per_account = 100;
  double volume_sigma = 0.5;
  // Activity, in days from the window start.
  double start_day = 2;
  double end_day = 27;
  double session_length = 12;    // scripts send batches
  double intra_session_gap = 6;  // seconds
  bool human_timing = false;     // daytime sessions, like people
  // Signups: waves of `wave_hours` (the rest spread organically before start).
  int signup_waves = 5;
  double wave_hours = 6;
  double wave_share = 0.85;
  double signup_lead_days = 21;
  double paid_share = 0.8;
  // Camouflage.
  double straggler_share = 0.08;  // members sharing little beyond their prompts
  double organic_prompt_share = 0.10;
  // Payment: a pool of cards shared by `accounts_per_card` members each.
  double accounts_per_card = 0;  // 0: no pool
  double pool_card_share = 0;
  double own_payment_share = 0.5;  // of members without a pool card
  double raw_card_share = 0.6;
  // Addresses.
  CampaignIpStyle ip_style = CampaignIpStyle::kResidentialProxy;
  double accounts_per_ip = 3;  // pool size = accounts / this
  int ips_per_account = 6;     // the slice of the pool a member rotates through
  int datacenter_subnets = 0;
  // Devices: a pool shared by `accounts_per_device` members each.
  double accounts_per_device = 0;  // 0: own devices
  double device_variation = 0;     // members whose fingerprint is a slight variant
  // API keys reused across members.
  double accounts_per_key = 0;
  double pooled_key_share = 0;
  // Emails: dot/+tag variants of a few gmail mailboxes.
  int gmail_mailboxes = 0;
  double gmail_variant_share = 0;
  // Phones: SMS numbers shared by `accounts_per_phone` members each.
  double accounts_per_phone = 0;
  double pooled_phone_share = 0;
  double own_phone_share = 0.3;
  std::vector<std::string> user_agent_families;  // keys of vocab.h's UserAgents()
  int prompt_families = 2;
  int templates_per_family = 3;
};

struct WorldOptions {
  std::string preset;
  std::uint64_t seed = 42;
  TimeOptions time;
  BenignOptions benign;
  HardNegativeOptions hard_negatives;
  std::vector<CampaignSpec> campaigns;
  std::int64_t min_campaign_accounts = 12;  // floor when scaling down
};

// The presets: "tiny" (~2k accounts, for tests), "small" (~50k accounts, ~1M
// requests), "distill-24k" (three campaigns of ~24k accounts sending ~16M
// requests inside ~1M benign accounts sending ~8M). Throws
// std::invalid_argument naming the presets for any other name.
WorldOptions PresetWorld(std::string_view name);
const std::vector<std::string>& PresetNames();

// Rescales a world to `benign_accounts` benign accounts: benign requests,
// hard-negative groups and campaign sizes scale proportionally (with minimums
// that keep every planted structure present); per-account rates are kept.
// Throws std::invalid_argument when benign_accounts <= 0.
WorldOptions ScaleWorld(const WorldOptions& world, std::int64_t benign_accounts);

struct GenOutputOptions {
  std::string directory;
  bool zstd = false;   // requests.jsonl.zst instead of requests.jsonl
  int zstd_level = 1;  // fast: about 13x on request logs (level 3: 16x at half the speed)
};

struct FileSummary {
  std::string path;
  std::int64_t rows = 0;   // data rows (lines without the header)
  std::int64_t bytes = 0;  // bytes written to disk
};

struct CampaignSummary {
  std::string name;
  Archetype archetype = Archetype::kCardFarm;
  std::int64_t accounts = 0;
  std::int64_t requests = 0;
};

struct HardNegativeSummary {
  std::string kind;  // company_nat, carrier_cgnat, family, ...
  std::int64_t groups = 0;
  std::int64_t accounts = 0;
  std::int64_t min_size = 0;
  std::int64_t max_size = 0;
};

struct GenResult {
  std::vector<FileSummary> files;
  std::int64_t accounts = 0;
  std::int64_t benign_accounts = 0;
  std::int64_t request_lines = 0;
  std::int64_t benign_requests = 0;
  std::vector<CampaignSummary> campaigns;
  std::vector<HardNegativeSummary> hard_negatives;
  double seconds = 0;          // whole run
  double request_seconds = 0;  // writing requests
  double LinesPerSecond() const {
    return request_seconds > 0 ? static_cast<double>(request_lines) / request_seconds : 0;
  }
};

// Writes requests.jsonl (or .jsonl.zst), signals.csv, accounts.csv, truth.csv
// and hard_negatives.csv into output.directory (created if missing), exactly
// in the formats of shared/spec/formats.md; a request log of the other
// compression left there by an earlier run is removed. Memory is O(accounts), not
// O(requests); time O(requests · log accounts). Throws std::invalid_argument
// for inconsistent options and std::runtime_error (naming the path) when a
// file cannot be created or written.
GenResult GenerateWorld(const WorldOptions& world, const GenOutputOptions& output);

}  // namespace ringscope::gen
