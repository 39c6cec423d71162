// The population of a world: every account with its identity (signup time,
// email, phone, payment instruments, signup device) and its behaviour (when
// and how much it sends, from which addresses and clients, with which keys and
// prompts). Built once, in memory O(accounts); requests are streamed from it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tools/gen/identity.h"
#include "tools/gen/prompts.h"
#include "tools/gen/world.h"

namespace ringscope::gen {

enum class PromptKind : std::uint8_t { kOrganic, kApp, kCampaign, kCompany, kAgent };
enum class EmailKind : std::uint8_t { kNone, kPersonal, kWork, kGmailVariant };
enum class Plan : std::uint8_t { kFree, kPro, kTeam, kEnterprise };
std::string_view PlanName(Plan plan);

// Where a session's requests come from: one address, or one of `count`
// consecutive entries of the AddressBook chosen per session.
struct IpSource {
  std::uint32_t first = kNone;
  std::uint32_t count = 0;
};

struct Client {
  std::uint16_t user_agent = 0;  // index into Population::user_agents
  std::uint64_t device = 0;      // 0: the client sends no fingerprint
};

struct Account {
  std::uint64_t public_id = 0;  // "acct_" + 10 hex digits
  std::uint64_t seed = 0;       // renders the names, formats and app prompt of the account
  // Identity.
  std::uint32_t created = 0;  // Unix seconds
  Plan plan = Plan::kFree;
  std::uint8_t country = 0;
  EmailKind email_kind = EmailKind::kPersonal;
  std::uint32_t email_arg = kNone;  // kWork: Population::email_domains; kGmailVariant: mailboxes
  std::uint32_t org = kNone;        // Population::orgs
  std::uint32_t payment[2] = {kNone, kNone};
  std::uint32_t second_payment_at = 0;
  std::uint32_t phone = kNone;
  std::uint64_t signup_device = 0;
  std::uint32_t campaign = kNone;       // Population::campaigns
  std::uint32_t hard_negative = kNone;  // Population::hard_negative_groups
  // Behaviour.
  std::uint32_t budget = 0;  // requests to send
  std::uint32_t active_begin = 0;
  std::uint32_t active_end = 0;
  float session_length = 4;  // mean requests per session
  float intra_gap = 45;      // mean seconds between requests of a session
  float session_gap = 3600;  // mean seconds between sessions
  bool diurnal = true;       // defers night sessions to the morning
  IpSource ip_a, ip_b;
  float p_ip_b = 0;  // share of sessions from ip_b
  Client client_a, client_b;
  float p_client_b = 0;
  std::uint64_t key_a = 0, key_b = 0;
  std::uint32_t key_rotate = 0xffffffffu;  // key_b from this time on
  PromptKind prompt_kind = PromptKind::kOrganic;
  float p_prompt = 0;              // share of prompts of prompt_kind; the rest organic
  std::uint32_t prompt_arg = 0;    // kCampaign: first template; kAgent: variant
  std::uint32_t prompt_count = 0;  // kCampaign: templates
  // Streaming state.
  std::uint32_t remaining = 0;
  std::uint32_t session = 0;
};

struct Org {
  std::string name;
  std::uint32_t email_domain = kNone;
};

struct CampaignInfo {
  CampaignSpec spec;
  std::int64_t accounts = 0;
  std::uint32_t first_template = 0;
  std::uint32_t templates = 0;
};

struct HardNegativeGroup {
  std::string name;  // hard_negatives.csv group
  std::string kind;  // company_nat, family, ...
  std::int64_t accounts = 0;
};

struct Population {
  Population(std::uint64_t seed, int residential_blocks)
      : addresses(seed, residential_blocks), instruments(seed), phones(seed) {}
  TimeOptions time;
  std::vector<Account> accounts;
  AddressBook addresses;
  InstrumentBook instruments;
  PhoneBook phones;
  std::vector<std::string> user_agents;
  std::vector<Org> orgs;
  std::vector<std::string> email_domains;
  EmailBook emails;                    // reserves mailboxes now, dedupes when writing
  std::vector<std::string> mailboxes;  // campaign gmail mailboxes (local parts)
  std::vector<CampaignInfo> campaigns;
  std::vector<HardNegativeGroup> hard_negative_groups;
  std::unique_ptr<PromptBook> prompts;
  std::int64_t benign_accounts = 0;
};

// Builds the whole population of `world`. O(accounts). Throws
// std::invalid_argument for inconsistent options.
std::unique_ptr<Population> BuildPopulation(const WorldOptions& world);

}  // namespace ringscope::gen
