#include "tools/gen/population.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "tools/gen/vocab.h"

namespace ringscope::gen {

namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kHour = 3600;

// Relative human activity by local hour (signups and daytime sessions).
const std::vector<double> kHourWeights = {1.0, 0.6, 0.4, 0.3, 0.3, 0.4, 0.8, 1.5,
                                          2.5, 3.5, 4.0, 4.0, 3.8, 4.0, 4.0, 3.8,
                                          3.5, 3.2, 3.0, 3.2, 3.4, 3.0, 2.4, 1.6};

struct Household {
  std::uint32_t first;
  std::uint32_t size;
};

// Everything the build phases share. Phases run in a fixed order and draw
// from one generator, so the population is a pure function of the options.
struct Builder {
  Builder(const WorldOptions& w, Population& p)
      : world(w),
        benign(w.benign),
        pop(p),
        rng(Hash2(w.seed, 1)),
        w0(w.time.window_start),
        w1(w.time.window_start + w.time.window_days * kDay),
        h0(w.time.window_start - w.time.signup_history_days * kDay),
        hours(kHourWeights) {}

  const WorldOptions& world;
  const BenignOptions& benign;
  Population& pop;
  Rng rng;
  std::int64_t w0, w1, h0;
  WeightedChoice hours, countries, benign_agents, household_sizes;
  std::vector<double> weights;  // benign activity weights, by account
  std::vector<bool> special;    // benign accounts already given a special role
  std::vector<Household> households;
  std::vector<IpSource> carrier_pools;
  IpSource vpn_exits;
  std::vector<std::uint32_t> candidates;  // shuffled benign accounts free for special roles
  std::size_t next_candidate = 0;
  std::uint64_t devices = 0;

  std::uint64_t NewDevice() {  // never 0, which means "no fingerprint"
    std::uint64_t d = Mix64(Hash2(world.seed, 0xde71ce) + ++devices);
    return d != 0 ? d : 1;
  }
  std::uint64_t NewKey() { return rng.Next(); }
};

int UtcOffset(const Account& a) { return Countries()[a.country].utc_offset_hours; }

// A signup time in [lo, hi]: exponential growth over the world's history,
// then moved to a daytime hour of the account's country.
std::uint32_t OrganicSignup(Builder& b, std::int64_t lo, std::int64_t hi, int utc_offset) {
  const double total = static_cast<double>(b.w1 - b.h0);
  const double g = std::log(std::max(1.0001, b.world.time.signup_growth)) / total;
  auto cdf = [&](std::int64_t t) { return std::expm1(g * static_cast<double>(t - b.h0)); };
  double u = cdf(lo) + b.rng.Uniform() * (cdf(hi) - cdf(lo));
  auto t = static_cast<std::int64_t>(b.h0 + std::log1p(u) / g);
  std::int64_t local = t + utc_offset * kHour;
  std::int64_t day_start = local - ((local % kDay) + kDay) % kDay;
  t = day_start + static_cast<std::int64_t>(b.hours.Pick(b.rng)) * kHour +
      b.rng.Between(0, kHour - 1) - utc_offset * kHour;
  return static_cast<std::uint32_t>(std::clamp(t, lo, hi));
}

std::vector<std::uint16_t> AgentIndices(const std::vector<std::string>& families) {
  std::vector<std::uint16_t> out;
  const auto& agents = UserAgents();
  for (const std::string& f : families)
    for (std::size_t i = 0; i < agents.size(); ++i)
      if (agents[i].family == f) out.push_back(static_cast<std::uint16_t>(i));
  if (out.empty()) throw std::invalid_argument("no user agent in the families given");
  return out;
}

// Browsers and apps send a device fingerprint; SDKs and internal gateways do not.
Client MakeClient(std::uint16_t agent, std::uint64_t device) {
  bool has_device = agent < UserAgents().size() && UserAgents()[agent].has_device;
  return {agent, has_device ? device : 0};
}

void AddBenignAccount(Builder& b, std::uint8_t country, std::uint32_t home) {
  const BenignOptions& o = b.benign;
  Rng& rng = b.rng;
  Account a;
  a.seed = rng.Next();
  a.country = country;
  a.created = OrganicSignup(b, b.h0, b.w1 - 2 * kHour, UtcOffset(a));
  a.plan = rng.Chance(o.paid_share) ? Plan::kPro : Plan::kFree;
  a.email_kind = rng.Chance(o.no_email_share) ? EmailKind::kNone : EmailKind::kPersonal;
  if (rng.Chance(o.phone_share)) a.phone = b.pop.phones.New(country);
  if (a.plan == Plan::kPro || rng.Chance(o.free_payment_share)) {
    a.payment[0] = b.pop.instruments.New(rng.Chance(o.raw_card_share), rng);
    if (rng.Chance(o.second_payment_share)) {
      a.payment[1] = b.pop.instruments.New(rng.Chance(o.raw_card_share), rng);
      a.second_payment_at = static_cast<std::uint32_t>(rng.Between(a.created, b.w1 - 1));
    }
  }
  auto agent = static_cast<std::uint16_t>(b.benign_agents.Pick(rng));
  a.client_a = MakeClient(agent, b.NewDevice());
  if (rng.Chance(o.second_client_share)) {
    a.client_b = MakeClient(static_cast<std::uint16_t>(b.benign_agents.Pick(rng)), b.NewDevice());
    a.p_client_b = static_cast<float>(o.second_client_session_share);
  }
  a.signup_device = a.client_a.device   ? a.client_a.device
                    : a.client_b.device ? a.client_b.device
                                        : b.NewDevice();
  a.ip_a = {home, 1};
  if (rng.Chance(o.mobile_share)) {
    a.ip_b = b.carrier_pools[rng.Below(b.carrier_pools.size())];
    a.p_ip_b = static_cast<float>(o.mobile_session_share);
  } else if (rng.Chance(o.cloud_share)) {
    a.ip_b = {rng.Chance(o.vps_share) ? b.pop.addresses.NewDatacenterPool(1, 1, rng)
                                      : b.pop.addresses.NewCloud(),
              1};
    a.p_ip_b = static_cast<float>(o.cloud_session_share);
  } else if (rng.Chance(o.vpn_share)) {
    a.ip_b = b.vpn_exits;
    a.p_ip_b = static_cast<float>(o.vpn_session_share);
  }
  a.key_a = a.key_b = b.NewKey();
  if (rng.Chance(o.key_rotation_share)) {
    a.key_b = b.NewKey();
    a.key_rotate =
        static_cast<std::uint32_t>(rng.Between(std::max<std::int64_t>(a.created, b.w0), b.w1));
  }
  double factor = 1;
  if (rng.Chance(o.app_developer_share)) {
    a.prompt_kind = PromptKind::kApp;
    a.p_prompt = static_cast<float>(o.app_prompt_share);
    factor = o.app_volume_factor;
  }
  a.session_length = static_cast<float>(o.session_length);
  a.intra_gap = static_cast<float>(o.intra_session_gap);
  a.diurnal = true;
  b.weights.push_back(
      rng.Chance(o.dormant_share) ? 0.0 : factor * rng.LogNormalWithMean(1.0, o.volume_sigma));
  b.pop.accounts.push_back(a);
}

// A household computer that several members use now and then.
void ShareFamilyComputer(Builder& b, std::uint32_t first, std::uint32_t size) {
  static const std::vector<std::uint16_t> kBrowsers =
      AgentIndices({"chrome-win", "chrome-mac", "safari-mac", "edge-win"});
  Client computer = MakeClient(b.rng.Pick(kBrowsers), b.NewDevice());
  for (std::uint32_t i = first; i < first + size; ++i) {
    if (!b.rng.Chance(0.7)) continue;
    Account& a = b.pop.accounts[i];
    a.client_b = computer;
    a.p_client_b = static_cast<float>(b.benign.shared_computer_session_share);
    if (b.rng.Chance(0.3)) a.signup_device = computer.device;
  }
}

// Households of 1-5 accounts behind one residential address.
void PlanBenign(Builder& b) {
  const BenignOptions& o = b.benign;
  const int carriers = std::clamp(o.mobile_carriers, 1, 8);
  const auto pool = static_cast<std::uint32_t>(
      std::max(16.0, std::ceil(static_cast<double>(o.accounts) * o.mobile_share / carriers /
                               std::max(1.0, o.accounts_per_carrier_ip))));
  for (int c = 0; c < carriers; ++c)
    b.carrier_pools.push_back({b.pop.addresses.NewCarrierPool(c, pool), pool});
  const auto exits = static_cast<std::uint32_t>(
      std::max(8.0, std::ceil(static_cast<double>(o.accounts) * o.vpn_share /
                              std::max(1.0, o.accounts_per_vpn_exit))));
  b.vpn_exits = {b.pop.addresses.NewDatacenterPool(static_cast<int>(exits / 24 + 1), exits, b.rng),
                 exits};
  while (static_cast<std::int64_t>(b.pop.accounts.size()) < o.accounts) {
    auto size = static_cast<std::uint32_t>(b.household_sizes.Pick(b.rng) + 1);
    size = static_cast<std::uint32_t>(std::min<std::int64_t>(
        size, o.accounts - static_cast<std::int64_t>(b.pop.accounts.size())));
    auto country = static_cast<std::uint8_t>(b.countries.Pick(b.rng));
    std::uint32_t home = b.rng.Chance(o.ipv6_household_share) ? b.pop.addresses.NewResidentialV6()
                                                              : b.pop.addresses.NewResidential();
    const auto first = static_cast<std::uint32_t>(b.pop.accounts.size());
    b.households.push_back({first, size});
    for (std::uint32_t i = 0; i < size; ++i) AddBenignAccount(b, country, home);
    if (size >= 2 && b.rng.Chance(o.shared_computer_share)) ShareFamilyComputer(b, first, size);
  }
  b.special.assign(b.pop.accounts.size(), false);
}

std::uint32_t AddEmailDomain(Population& pop, std::string domain) {
  pop.email_domains.push_back(std::move(domain));
  return static_cast<std::uint32_t>(pop.email_domains.size() - 1);
}

// Team seats of small organisations: an org name, work emails, an office IP.
void PlanOrgs(Builder& b) {
  const BenignOptions& o = b.benign;
  std::vector<std::uint32_t> order(b.pop.accounts.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  b.rng.Shuffle(order);
  auto seats = static_cast<std::size_t>(o.org_share * static_cast<double>(order.size()));
  for (std::size_t next = 0; next < seats;) {
    std::uint64_t org_seed = b.rng.Next();
    b.pop.orgs.push_back({OrgName(org_seed), AddEmailDomain(b.pop, OrgDomain(org_seed))});
    auto org = static_cast<std::uint32_t>(b.pop.orgs.size() - 1);
    IpSource office{b.pop.addresses.NewResidential(), 1};
    bool enterprise = b.rng.Chance(0.2);
    auto size = static_cast<std::size_t>(b.rng.Between(o.org_min, std::max(o.org_min, o.org_max)));
    for (std::size_t k = 0; k < size && next < seats; ++k, ++next) {
      Account& a = b.pop.accounts[order[next]];
      a.org = org;
      a.plan = enterprise ? Plan::kEnterprise : Plan::kTeam;
      if (a.email_kind != EmailKind::kNone && b.rng.Chance(0.7)) {
        a.email_kind = EmailKind::kWork;
        a.email_arg = b.pop.orgs[org].email_domain;
      }
      a.ip_b = office;
      a.p_ip_b = static_cast<float>(o.office_session_share);
      b.special[order[next]] = true;
    }
  }
}

void PrepareCandidates(Builder& b) {
  for (std::uint32_t i = 0; i < b.pop.accounts.size(); ++i)
    if (!b.special[i] && b.pop.accounts[i].prompt_kind == PromptKind::kOrganic)
      b.candidates.push_back(i);
  b.rng.Shuffle(b.candidates);
}

// The next free benign account for a special role; active in the window.
Account* TakeCandidate(Builder& b, std::uint32_t group, double volume_factor) {
  while (b.next_candidate < b.candidates.size()) {
    std::uint32_t i = b.candidates[b.next_candidate++];
    if (b.special[i]) continue;
    b.special[i] = true;
    Account& a = b.pop.accounts[i];
    a.hard_negative = group;
    ++b.pop.hard_negative_groups[group].accounts;
    // Created early enough to be seen, and never dormant.
    a.created = std::min<std::uint32_t>(a.created, static_cast<std::uint32_t>(b.w1 - 3 * kDay));
    double w =
        b.weights[i] > 0 ? b.weights[i] : b.rng.LogNormalWithMean(1.0, b.benign.volume_sigma);
    b.weights[i] = std::max(w, 0.5) * volume_factor;
    return &a;
  }
  throw std::invalid_argument(
      "the hard-negative groups need more benign accounts than the world has; raise "
      "benign.accounts or shrink the groups");
}

std::uint32_t AddGroup(Population& pop, std::string name, std::string kind) {
  pop.hard_negative_groups.push_back({std::move(name), std::move(kind), 0});
  return static_cast<std::uint32_t>(pop.hard_negative_groups.size() - 1);
}

std::string Numbered(std::string_view prefix, std::size_t n, int width) {
  std::string digits = std::to_string(n);
  return std::string(prefix) +
         std::string(std::max<int>(0, width - static_cast<int>(digits.size())), '0') + digits;
}

// Households whose members share one card (and their home address).
void PlanFamilies(Builder& b) {
  std::vector<std::uint32_t> order;
  for (std::uint32_t h = 0; h < b.households.size(); ++h)
    if (b.households[h].size >= 2) order.push_back(h);
  b.rng.Shuffle(order);
  const auto families = static_cast<std::size_t>(b.world.hard_negatives.families);
  std::size_t made = 0;
  for (std::size_t k = 0; k < order.size() && made < families; ++k) {
    const Household& h = b.households[order[k]];
    bool free = true;
    for (std::uint32_t i = h.first; i < h.first + h.size; ++i) free = free && !b.special[i];
    if (!free) continue;
    std::uint32_t group = AddGroup(b.pop, Numbered("family_", ++made, 4), "family");
    std::uint32_t card = b.pop.instruments.New(b.rng.Chance(0.5), b.rng);
    for (std::uint32_t i = h.first; i < h.first + h.size; ++i) {
      Account& a = b.pop.accounts[i];
      b.special[i] = true;
      a.hard_negative = group;
      ++b.pop.hard_negative_groups[group].accounts;
      a.payment[0] = card;
      if (a.plan == Plan::kFree && b.rng.Chance(0.5)) a.plan = Plan::kPro;
      a.created = std::min<std::uint32_t>(a.created, static_cast<std::uint32_t>(b.w1 - 3 * kDay));
      b.weights[i] = std::max(b.weights[i], 0.5);
    }
  }
  if (made < families)
    throw std::invalid_argument("not enough multi-person households for " +
                                std::to_string(families) + " families");
}

// A company of thousands: NAT addresses, an internal client, a shared system
// prompt, an onboarding wave, work emails and the org column.
void PlanCompany(Builder& b, std::uint64_t company_seed, const std::string& company_name) {
  const HardNegativeOptions& o = b.world.hard_negatives;
  if (o.company_accounts <= 0) return;
  std::uint32_t group = AddGroup(b.pop, "company_nat", "company_nat");
  std::string domain = OrgDomain(company_seed);
  b.pop.orgs.push_back({company_name, AddEmailDomain(b.pop, domain)});
  auto org = static_cast<std::uint32_t>(b.pop.orgs.size() - 1);
  IpSource nat{b.pop.addresses.NewCompanyBlock(o.company_nat_ips, b.rng),
               static_cast<std::uint32_t>(o.company_nat_ips)};
  std::string slug = domain.substr(0, domain.find('.'));
  b.pop.user_agents.push_back(slug + "-llm-gateway/3.2.1 (internal; python-httpx/0.26.0)");
  auto internal_agent = static_cast<std::uint16_t>(b.pop.user_agents.size() - 1);
  auto browser = AgentIndices({"chrome-win", "chrome-mac", "edge-win"});
  std::int64_t onboard = b.rng.Between(b.h0 + 30 * kDay, b.w0 - 30 * kDay);
  for (std::int64_t k = 0; k < o.company_accounts; ++k) {
    Account& a = *TakeCandidate(b, group, o.company_volume_factor);
    a.country = 0;  // one country, one office
    a.org = org;
    a.plan = Plan::kEnterprise;
    a.email_kind = EmailKind::kWork;
    a.email_arg = b.pop.orgs[org].email_domain;
    a.payment[0] = a.payment[1] = kNone;  // seats are invoiced to the company
    a.created = b.rng.Chance(0.8)
                    ? static_cast<std::uint32_t>(onboard +
                                                 b.rng.Between(0, o.company_onboarding_days * kDay))
                    : OrganicSignup(b, onboard, b.w1 - 3 * kDay, UtcOffset(a));
    a.ip_b = a.ip_a;  // working from home now and then
    a.ip_a = nat;
    a.p_ip_b = static_cast<float>(1.0 - o.company_nat_session_share);
    a.client_a = {internal_agent, 0};
    a.client_b = MakeClient(b.rng.Pick(browser), b.NewDevice());
    a.p_client_b = 0.15f;
    a.signup_device = a.client_b.device;
    a.prompt_kind = PromptKind::kCompany;
    a.p_prompt = static_cast<float>(o.company_system_prompt_share);
  }
}

// One carrier or campus address shared by thousands of strangers.
void PlanSharedAddress(Builder& b, std::string name, std::int64_t count, std::uint32_t hub,
                       double share, bool campus) {
  if (count <= 0) return;
  std::uint32_t group = AddGroup(b.pop, name, name);
  std::uint32_t campus_domain = campus ? AddEmailDomain(b.pop, "mail.lakeside.edu") : kNone;
  for (std::int64_t k = 0; k < count; ++k) {
    Account& a = *TakeCandidate(b, group, 1.0);
    a.country = 0;
    a.ip_b = {hub, 1};
    a.p_ip_b = static_cast<float>(share);
    if (campus && a.email_kind != EmailKind::kNone && b.rng.Chance(0.5)) {
      a.email_kind = EmailKind::kWork;
      a.email_arg = campus_domain;
    }
  }
}

// Unrelated users of an agent framework: its boilerplate and their own questions.
void PlanAgentUsers(Builder& b) {
  const HardNegativeOptions& o = b.world.hard_negatives;
  if (o.agent_framework_accounts <= 0) return;
  std::uint32_t group = AddGroup(b.pop, "agent_framework", "agent_framework");
  auto agents = AgentIndices({"python-httpx", "openai-python", "langchain", "python-requests"});
  for (std::int64_t k = 0; k < o.agent_framework_accounts; ++k) {
    Account& a = *TakeCandidate(b, group, o.agent_volume_factor);
    a.client_a = MakeClient(b.rng.Pick(agents), 0);
    a.prompt_kind = PromptKind::kAgent;
    a.prompt_arg = static_cast<std::uint32_t>(b.rng.Below(b.pop.prompts->agent_variants()));
    a.p_prompt = static_cast<float>(o.agent_prompt_share);
  }
}

// Small teams on one shared machine in one office.
void PlanSharedDeviceTeams(Builder& b) {
  const HardNegativeOptions& o = b.world.hard_negatives;
  auto browser = AgentIndices({"chrome-win", "chrome-mac", "firefox-linux", "safari-mac"});
  for (std::int64_t t = 0; t < o.shared_device_teams; ++t) {
    std::uint32_t group = AddGroup(b.pop, Numbered("shared_device_", t + 1, 2), "shared_device");
    std::uint64_t device = b.NewDevice();
    IpSource office{b.pop.addresses.NewResidential(), 1};
    std::uint16_t agent = b.rng.Pick(browser);
    auto size = b.rng.Between(o.team_min, std::max(o.team_min, o.team_max));
    for (std::int64_t k = 0; k < size; ++k) {
      Account& a = *TakeCandidate(b, group, 1.0);
      a.signup_device = device;
      a.client_a = {agent, device};
      a.ip_b = office;
      a.p_ip_b = static_cast<float>(o.team_office_session_share);
    }
  }
}

// Signup wave centres spread from `lead` days before the campaign starts to
// halfway through it.
std::vector<std::int64_t> WaveCentres(Builder& b, const CampaignSpec& s, std::int64_t start) {
  std::int64_t lo = std::max(b.h0, start - static_cast<std::int64_t>(s.signup_lead_days * kDay));
  std::int64_t hi = start + static_cast<std::int64_t>((s.end_day - s.start_day) * 0.5 * kDay);
  hi = std::min(hi, b.w1 - 2 * kDay);
  std::vector<std::int64_t> centres;
  int waves = std::max(1, s.signup_waves);
  for (int i = 0; i < waves; ++i)
    centres.push_back(lo + static_cast<std::int64_t>((i + b.rng.Uniform(0.1, 0.9)) *
                                                     static_cast<double>(hi - lo) / waves));
  return centres;
}

// The same fingerprint with one hex digit changed (an anti-detect browser's noise).
std::uint64_t VaryDevice(std::uint64_t device, Rng& rng) {
  int nibble = static_cast<int>(rng.Below(16));
  std::uint64_t varied = device ^ ((rng.Below(15) + 1) << (4 * nibble));
  return varied != 0 ? varied : device;
}

// Items in a pool shared by `per_item` of `members` each (0 when per_item is 0).
std::size_t PoolSize(double members, double per_item) {
  if (per_item <= 0 || members <= 0) return 0;
  return static_cast<std::size_t>(std::max(1.0, std::ceil(members / per_item)));
}

struct CampaignPools {
  std::vector<std::uint32_t> cards, phones, mailboxes;
  std::vector<std::uint64_t> devices, keys;
  std::uint32_t ip_first = kNone, ip_count = 0;
  std::vector<std::uint16_t> agents;
  std::vector<std::int64_t> waves;
};

// What the members of one campaign share: cards, numbers, devices, keys,
// mailboxes, an address pool, clients and signup waves.
CampaignPools MakeCampaignPools(Builder& b, const CampaignSpec& s, std::int64_t start) {
  CampaignPools p;
  const auto m = static_cast<double>(s.accounts);
  for (std::size_t i = PoolSize(m * s.pool_card_share, s.accounts_per_card); i > 0; --i)
    p.cards.push_back(b.pop.instruments.New(b.rng.Chance(s.raw_card_share), b.rng));
  for (std::size_t i = PoolSize(m * s.pooled_phone_share, s.accounts_per_phone); i > 0; --i)
    p.phones.push_back(b.pop.phones.New(static_cast<std::uint8_t>(b.countries.Pick(b.rng))));
  for (std::size_t i = PoolSize(m, s.accounts_per_device); i > 0; --i)
    p.devices.push_back(b.NewDevice());
  for (std::size_t i = PoolSize(m * s.pooled_key_share, s.accounts_per_key); i > 0; --i)
    p.keys.push_back(b.NewKey());
  for (int i = 0; i < s.gmail_mailboxes; ++i) {
    b.pop.mailboxes.push_back(b.pop.emails.NewMailbox(b.rng));
    p.mailboxes.push_back(static_cast<std::uint32_t>(b.pop.mailboxes.size() - 1));
  }
  if (s.ip_style != CampaignIpStyle::kOwnResidential) {
    auto n = static_cast<std::uint32_t>(
        std::max<std::size_t>(std::max(1, s.ips_per_account), PoolSize(m, s.accounts_per_ip)));
    p.ip_count = n;
    if (s.ip_style == CampaignIpStyle::kDatacenter) {
      int subnets = std::max<int>(s.datacenter_subnets, static_cast<int>((n + 239) / 240));
      p.ip_first = b.pop.addresses.NewDatacenterPool(subnets, n, b.rng);
    } else {  // residential proxies: real households' addresses, amid real households
      p.ip_first = b.pop.addresses.NewResidential();
      for (std::uint32_t i = 1; i < n; ++i) b.pop.addresses.NewResidential();
    }
  }
  p.agents = AgentIndices(s.user_agent_families);
  p.waves = WaveCentres(b, s, start);
  return p;
}

// Signup in a burst, or organically long before the campaign starts.
std::uint32_t MemberSignup(Builder& b, const CampaignSpec& s, const CampaignPools& p,
                           const Account& a, std::int64_t start) {
  std::int64_t t;
  if (b.rng.Chance(s.wave_share)) {
    const std::int64_t wave = b.rng.Pick(p.waves);  // drawn before the offset, whatever the compiler
    t = wave + b.rng.Between(0, static_cast<std::int64_t>(s.wave_hours * kHour));
  } else {
    t = OrganicSignup(b, b.h0, std::max(b.h0 + kDay, start - kDay), UtcOffset(a));
  }
  return static_cast<std::uint32_t>(std::min<std::int64_t>(t, b.w1 - 3 * kHour));
}

// Payment, address, device, clients, key, email and phone: from the pools,
// except for stragglers, who bring their own.
void MemberEvidence(Builder& b, const CampaignSpec& s, const CampaignPools& p, bool straggler,
                    Account& a) {
  Rng& rng = b.rng;
  if (!straggler && !p.cards.empty() && rng.Chance(s.pool_card_share)) {
    a.payment[0] = rng.Pick(p.cards);
  } else if (a.plan == Plan::kPro || rng.Chance(s.own_payment_share)) {
    a.payment[0] = b.pop.instruments.New(rng.Chance(s.raw_card_share), rng);
  }
  if (straggler || p.ip_count == 0) {
    a.ip_a = {rng.Chance(b.benign.ipv6_household_share) ? b.pop.addresses.NewResidentialV6()
                                                        : b.pop.addresses.NewResidential(),
              1};
  } else {  // a slice of the pool to rotate through
    auto slice = std::min<std::uint32_t>(std::max(1, s.ips_per_account), p.ip_count);
    a.ip_a = {p.ip_first + static_cast<std::uint32_t>(rng.Below(p.ip_count - slice + 1)), slice};
  }
  std::uint64_t device = b.NewDevice();
  if (!straggler && !p.devices.empty()) {
    device = rng.Pick(p.devices);
    if (rng.Chance(s.device_variation)) device = VaryDevice(device, rng);
  }
  a.signup_device = device;
  a.client_a = MakeClient(rng.Pick(p.agents), device);
  if (rng.Chance(0.3)) {
    a.client_b = MakeClient(rng.Pick(p.agents), device);
    a.p_client_b = 0.3f;
  }
  const bool pooled_key = !straggler && !p.keys.empty() && rng.Chance(s.pooled_key_share);
  a.key_a = a.key_b = pooled_key ? rng.Pick(p.keys) : b.NewKey();
  if (!straggler && !p.mailboxes.empty() && rng.Chance(s.gmail_variant_share)) {
    a.email_kind = EmailKind::kGmailVariant;
    a.email_arg = rng.Pick(p.mailboxes);
  }
  if (!straggler && !p.phones.empty() && rng.Chance(s.pooled_phone_share)) {
    a.phone = rng.Pick(p.phones);
  } else if (rng.Chance(s.own_phone_share)) {
    a.phone = b.pop.phones.New(a.country);
  }
}

// Active from shortly after signup (or the campaign start) to the campaign's
// end; prompts from the campaign's templates, some organic.
void MemberBehaviour(Builder& b, const CampaignSpec& s, const CampaignInfo& info,
                     std::int64_t start, std::int64_t end, Account& a) {
  Rng& rng = b.rng;
  a.prompt_kind = PromptKind::kCampaign;
  a.prompt_arg = info.first_template;
  a.prompt_count = info.templates;
  a.p_prompt = static_cast<float>(1.0 - s.organic_prompt_share);
  a.session_length = static_cast<float>(std::max(1.0, s.session_length));
  a.intra_gap = static_cast<float>(s.intra_session_gap);
  a.diurnal = s.human_timing;
  // Draws in named steps: argument evaluation order is the compiler's choice.
  const std::int64_t campaign_delay = rng.Between(0, kDay);
  const std::int64_t account_delay = rng.Between(600, 2 * kDay);
  std::int64_t begin = std::max<std::int64_t>(a.created + account_delay, start + campaign_delay);
  begin = std::min(begin, b.w1 - 2 * kHour);
  std::int64_t stop = std::clamp<std::int64_t>(end - rng.Between(0, kDay), begin + kHour, b.w1 - 1);
  a.active_begin = static_cast<std::uint32_t>(std::max(begin, b.w0));
  a.active_end = static_cast<std::uint32_t>(stop);
  a.budget = static_cast<std::uint32_t>(
      std::max(1.0, std::round(rng.LogNormalWithMean(s.requests_per_account, s.volume_sigma))));
}

void PlanCampaignMember(Builder& b, const CampaignSpec& s, const CampaignPools& p,
                        std::uint32_t campaign, std::int64_t start, std::int64_t end) {
  Account a;
  a.seed = b.rng.Next();
  a.campaign = campaign;
  a.country = static_cast<std::uint8_t>(b.countries.Pick(b.rng));
  a.plan = b.rng.Chance(s.paid_share) ? Plan::kPro : Plan::kFree;
  a.created = MemberSignup(b, s, p, a, start);
  MemberEvidence(b, s, p, b.rng.Chance(s.straggler_share), a);
  MemberBehaviour(b, s, b.pop.campaigns[campaign], start, end, a);
  b.pop.accounts.push_back(a);
}

void PlantCampaign(Builder& b, const CampaignSpec& s) {
  if (s.accounts <= 0) throw std::invalid_argument("campaign '" + s.name + "' has no accounts");
  if (!(s.end_day > s.start_day))
    throw std::invalid_argument("campaign '" + s.name + "': end_day must follow start_day");
  CampaignInfo info;
  info.spec = s;
  info.accounts = s.accounts;
  info.first_template = b.pop.prompts->AddCampaignFamilies(
      std::max(1, s.prompt_families), std::max(1, s.templates_per_family), b.rng);
  info.templates = static_cast<std::uint32_t>(std::max(1, s.prompt_families) *
                                              std::max(1, s.templates_per_family));
  b.pop.campaigns.push_back(info);
  auto campaign = static_cast<std::uint32_t>(b.pop.campaigns.size() - 1);
  std::int64_t start = b.w0 + static_cast<std::int64_t>(s.start_day * kDay);
  std::int64_t end = std::min(b.w1 - 1, b.w0 + static_cast<std::int64_t>(s.end_day * kDay));
  CampaignPools pools = MakeCampaignPools(b, s, start);
  for (std::int64_t k = 0; k < s.accounts; ++k)
    PlanCampaignMember(b, s, pools, campaign, start, end);
}

// Benign budgets: activity weights scaled to the expected request total,
// rounded stochastically so small accounts still add up.
void AssignBenignBudgets(Builder& b) {
  double total = 0;
  for (std::size_t i = 0; i < b.weights.size(); ++i) total += b.weights[i];
  const double scale = total > 0 ? b.benign.requests / total : 0;
  for (std::size_t i = 0; i < b.weights.size(); ++i) {
    Account& a = b.pop.accounts[i];
    a.active_begin = static_cast<std::uint32_t>(std::max<std::int64_t>(a.created + 60, b.w0));
    a.active_end = static_cast<std::uint32_t>(b.w1 - 1);
    double expected = b.weights[i] * scale;
    double whole = std::floor(expected);
    auto budget = static_cast<std::int64_t>(whole) + (b.rng.Chance(expected - whole) ? 1 : 0);
    if (a.hard_negative != kNone) budget = std::max<std::int64_t>(budget, 1);
    if (a.active_end <= a.active_begin + 600) budget = 0;
    a.budget = static_cast<std::uint32_t>(
        std::min<std::int64_t>(budget, b.benign.max_requests_per_account));
  }
}

// Mean pause between sessions so that `budget` requests fill the active window.
void SetSessionGaps(Population& pop) {
  for (Account& a : pop.accounts) {
    // Aim at 95% of the window so few accounts run out of time before budget.
    double span = 0.95 * static_cast<double>(a.active_end - a.active_begin);
    double n = std::max<double>(1, a.budget);
    double length = std::max(1.0f, a.session_length);
    double busy = n * (1 - 1 / length) * a.intra_gap;
    if (busy > 0.5 * span) {  // too busy for sessions: a steady stream
      a.session_length = 1;
      a.session_gap = static_cast<float>(span / n);
    } else {
      a.session_gap = static_cast<float>(std::max(60.0, (span - busy) / std::max(1.0, n / length)));
    }
  }
}

// Ids: a keyed permutation of a shuffled position; nothing about an account's
// role survives in its id or its place in the vector.
void ShuffleAndName(Builder& b) {
  b.rng.Shuffle(b.pop.accounts);
  Permutation ids(Hash2(b.world.seed, 7), std::uint64_t{1} << 40);
  for (std::size_t i = 0; i < b.pop.accounts.size(); ++i) b.pop.accounts[i].public_id = ids(i);
}

void ValidateWorld(const WorldOptions& w) {
  if (w.benign.accounts <= 0) throw std::invalid_argument("benign.accounts must be positive");
  if (w.benign.requests < 0) throw std::invalid_argument("benign.requests must not be negative");
  if (w.time.window_days <= 0 || w.time.signup_history_days < 60)
    throw std::invalid_argument("time: window_days must be positive and signup_history_days >= 60");
  if (w.benign.household_sizes.empty())
    throw std::invalid_argument("benign.household_sizes is empty");
  for (const CampaignSpec& s : w.campaigns)
    if (s.end_day > w.time.window_days)
      throw std::invalid_argument("campaign '" + s.name + "' ends after the window");
}

}  // namespace

std::string_view PlanName(Plan plan) {
  switch (plan) {
    case Plan::kFree:
      return "free";
    case Plan::kPro:
      return "pro";
    case Plan::kTeam:
      return "team";
    case Plan::kEnterprise:
      return "enterprise";
  }
  return "free";
}

std::unique_ptr<Population> BuildPopulation(const WorldOptions& world) {
  ValidateWorld(world);
  // About 6,000 residential addresses per /16: a /24 holds a dozen or so
  // unrelated households, as with real ISPs.
  double addresses = static_cast<double>(world.benign.accounts);
  for (const CampaignSpec& s : world.campaigns) addresses += static_cast<double>(s.accounts);
  auto pop = std::make_unique<Population>(
      world.seed, static_cast<int>(std::clamp(std::ceil(addresses / 6000), 1.0, 256.0)));
  pop->time = world.time;
  for (const auto& agent : UserAgents()) pop->user_agents.emplace_back(agent.text);
  Builder b(world, *pop);
  {
    std::vector<double> w;
    for (const auto& c : Countries()) w.push_back(c.weight);
    b.countries = WeightedChoice(w);
    w.clear();
    for (const auto& agent : UserAgents())
      w.push_back(agent.family == "langchain" ? 0.1 : agent.weight);
    b.benign_agents = WeightedChoice(w);
    b.household_sizes = WeightedChoice(world.benign.household_sizes);
  }
  std::uint64_t company_seed = Hash2(world.seed, 0xc0);
  std::string company_name =
      std::string(OrgPrefixes()[Hash2(company_seed, 31) % OrgPrefixes().size()]) + " " +
      std::string(OrgNouns()[Hash2(company_seed, 32) % OrgNouns().size()]) + " Group";
  pop->prompts = std::make_unique<PromptBook>(world.benign, company_name);

  PlanBenign(b);
  PlanOrgs(b);
  PrepareCandidates(b);
  PlanFamilies(b);
  PlanCompany(b, company_seed, company_name);
  const HardNegativeOptions& hn = world.hard_negatives;
  PlanSharedAddress(b, "carrier_cgnat", hn.carrier_cgnat_accounts, pop->addresses.NewCarrierHub(0),
                    hn.carrier_cgnat_session_share, false);
  PlanSharedAddress(b, "university_cgnat", hn.university_cgnat_accounts,
                    pop->addresses.NewUniversityHub(), hn.university_session_share, true);
  PlanAgentUsers(b);
  PlanSharedDeviceTeams(b);
  AssignBenignBudgets(b);
  pop->benign_accounts = static_cast<std::int64_t>(pop->accounts.size());
  for (const CampaignSpec& s : world.campaigns) PlantCampaign(b, s);
  SetSessionGaps(*pop);
  ShuffleAndName(b);
  return pop;
}

}  // namespace ringscope::gen
