// Tests of the world generator (tools/gen) on the tiny preset: determinism,
// file formats, and that every planted structure is present and shaped as the
// world model says.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <zstd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "test_util.h"
#include "tools/cmd_gen.h"
#include "tools/gen/identity.h"
#include "tools/gen/random.h"
#include "tools/gen/text.h"
#include "tools/gen/world.h"

namespace ringscope::gen {
namespace {

using ringscope::testing::ReadFile;
using ringscope::testing::TempDir;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Splits a CSV line; fields are quoted only when they hold a comma.
std::vector<std::string> Fields(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (char c : line) {
    if (c == '"')
      quoted = !quoted;
    else if (c == ',' && !quoted)
      fields.emplace_back();
    else
      fields.back() += c;
  }
  return fields;
}

std::vector<std::vector<std::string>> CsvRows(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  auto lines = Lines(ReadFile(path));
  for (std::size_t i = 1; i < lines.size(); ++i) rows.push_back(Fields(lines[i]));
  return rows;
}

struct Request {
  std::string account, ts, ip, device, user_agent, api_key, prompt;
};

std::vector<Request> ParseRequests(const std::string& path) {
  std::vector<Request> out;
  simdjson::dom::parser parser;
  for (const std::string& line : Lines(ReadFile(path))) {
    simdjson::dom::element doc;
    auto error = parser.parse(line).get(doc);
    EXPECT_FALSE(error) << "not JSON: " << line;
    if (error) continue;
    Request r;
    auto field = [&](const char* key, std::string& into) {
      std::string_view v;
      if (!doc[key].get(v)) into = std::string(v);
    };
    field("account", r.account);
    field("ts", r.ts);
    field("ip", r.ip);
    field("device", r.device);
    field("user_agent", r.user_agent);
    field("api_key", r.api_key);
    field("prompt", r.prompt);
    out.push_back(r);
  }
  return out;
}

// The tiny world, generated once per test process. Its requests are parsed
// on first use only: that takes most of the setup (2 s under ASan) and a
// third of the tests read them.
struct TinyWorld {
  TempDir dir;
  WorldOptions options = PresetWorld("tiny");
  GenResult result;
  std::map<std::string, std::string> campaign_of;  // truth.csv
  std::map<std::string, std::string> group_of;     // hard_negatives.csv
  std::string File(const std::string& name) const { return dir.File(name); }
  const std::vector<Request>& Requests() const {
    if (!requests_) requests_ = ParseRequests(File("requests.jsonl"));
    return *requests_;
  }

 private:
  mutable std::optional<std::vector<Request>> requests_;
};

const TinyWorld& Tiny() {
  static const std::unique_ptr<TinyWorld> world = [] {
    auto w = std::make_unique<TinyWorld>();
    w->result = GenerateWorld(w->options, {.directory = w->dir.path().string()});
    for (const auto& row : CsvRows(w->File("truth.csv"))) w->campaign_of[row[0]] = row[1];
    for (const auto& row : CsvRows(w->File("hard_negatives.csv"))) w->group_of[row[0]] = row[1];
    return w;
  }();
  return *world;
}

std::vector<std::string> Members(const std::map<std::string, std::string>& of,
                                 const std::string& group_prefix) {
  std::vector<std::string> out;
  for (const auto& [account, group] : of)
    if (group.rfind(group_prefix, 0) == 0) out.push_back(account);
  return out;
}

// A slow, obviously correct Luhn check.
bool ReferenceLuhn(const std::string& digits) {
  int sum = 0;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    int d = digits[digits.size() - 1 - i] - '0';
    if (i % 2 == 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 == 0;
}

std::string DigitsOnly(const std::string& s) {
  std::string d;
  for (char c : s)
    if (c >= '0' && c <= '9') d += c;
  return d;
}

TEST(GenWorld, SameSeedGivesIdenticalBytes) {
  const TinyWorld& first = Tiny();
  TempDir again;
  GenerateWorld(PresetWorld("tiny"), {.directory = again.path().string()});
  for (const char* name :
       {"requests.jsonl", "signals.csv", "accounts.csv", "truth.csv", "hard_negatives.csv"}) {
    EXPECT_EQ(ReadFile(first.File(name)), ReadFile(again.File(name))) << name;
  }
}

TEST(GenWorld, DifferentSeedGivesDifferentWorld) {
  const TinyWorld& first = Tiny();
  WorldOptions other = PresetWorld("tiny");
  other.seed = 43;
  TempDir dir;
  GenerateWorld(other, {.directory = dir.path().string()});
  EXPECT_NE(ReadFile(first.File("requests.jsonl")), ReadFile(dir.File("requests.jsonl")));
  EXPECT_NE(ReadFile(first.File("accounts.csv")), ReadFile(dir.File("accounts.csv")));
  EXPECT_NE(ReadFile(first.File("truth.csv")), ReadFile(dir.File("truth.csv")));
}

TEST(GenWorld, CsvHeadersAreExactlyThoseOfTheFormatsSpec) {
  const TinyWorld& w = Tiny();
  EXPECT_EQ(Lines(ReadFile(w.File("signals.csv")))[0], "account,kind,value,ts");
  EXPECT_EQ(Lines(ReadFile(w.File("accounts.csv")))[0], "account,created_at,country,plan,org");
  EXPECT_EQ(Lines(ReadFile(w.File("truth.csv")))[0], "account,campaign");
  EXPECT_EQ(Lines(ReadFile(w.File("hard_negatives.csv")))[0], "account,group");
  for (const auto& row : CsvRows(w.File("signals.csv"))) {
    ASSERT_EQ(row.size(), 4u);
    EXPECT_TRUE(row[1] == "email" || row[1] == "phone" || row[1] == "payment" || row[1] == "device")
        << row[1];
  }
  for (const auto& row : CsvRows(w.File("accounts.csv"))) ASSERT_EQ(row.size(), 5u);
}

TEST(GenWorld, RequestLinesAreJsonObjectsInTimeOrder) {
  const TinyWorld& w = Tiny();
  ASSERT_EQ(static_cast<std::int64_t>(w.Requests().size()), w.result.request_lines);
  ASSERT_GT(w.Requests().size(), 10000u);
  std::string previous;
  std::size_t with_device = 0;
  for (const Request& r : w.Requests()) {
    ASSERT_EQ(r.account.rfind("acct_", 0), 0u) << r.account;
    ASSERT_TRUE(ringscope::testing::MatchesShape(r.ts, "####-##-##T##:##:##Z")) << r.ts;
    ASSERT_GE(r.ts, previous);
    previous = r.ts;
    ASSERT_FALSE(r.ip.empty());
    ASSERT_FALSE(r.user_agent.empty());
    ASSERT_FALSE(r.api_key.empty());
    ASSERT_FALSE(r.prompt.empty());
    with_device += !r.device.empty();
  }
  EXPECT_GT(with_device, w.Requests().size() / 5);  // browsers send fingerprints
  EXPECT_LT(with_device, w.Requests().size());      // SDKs do not
  // All inside the window.
  EXPECT_GE(w.Requests().front().ts, "2026-02-01T00:00:00Z");
  EXPECT_LT(w.Requests().back().ts, "2026-03-01T00:00:00Z");
}

TEST(GenWorld, AccountIdsAreUniqueOpaqueAndListedInSignupOrder) {
  const TinyWorld& w = Tiny();
  std::set<std::string> seen;
  std::string previous_created;
  for (const auto& row : CsvRows(w.File("accounts.csv"))) {
    ASSERT_TRUE(ringscope::testing::MatchesShape(row[0], "acct_%%%%%%%%%%")) << row[0];
    EXPECT_TRUE(seen.insert(row[0]).second) << "duplicate " << row[0];
    EXPECT_GE(row[1], previous_created);
    previous_created = row[1];
  }
  EXPECT_EQ(static_cast<std::int64_t>(seen.size()), w.result.accounts);
  for (const auto& [account, campaign] : w.campaign_of) {
    EXPECT_TRUE(seen.count(account)) << account;
    EXPECT_EQ(account.find("fraud"), std::string::npos);
  }
}

TEST(GenWorld, PlantsCampaignsOfTheConfiguredSizes) {
  const TinyWorld& w = Tiny();
  std::map<std::string, std::int64_t> sizes;
  for (const auto& [account, campaign] : w.campaign_of) ++sizes[campaign];
  ASSERT_EQ(sizes.size(), w.options.campaigns.size());
  for (const CampaignSpec& spec : w.options.campaigns) EXPECT_EQ(sizes[spec.name], spec.accounts);
  // Every campaign account sends requests; campaigns send about what they should.
  std::map<std::string, std::int64_t> requests_by_account;
  for (const Request& r : w.Requests()) ++requests_by_account[r.account];
  for (const auto& [account, campaign] : w.campaign_of)
    EXPECT_GT(requests_by_account[account], 0) << account << " of " << campaign;
  for (const CampaignSummary& c : w.result.campaigns) {
    const CampaignSpec& spec =
        *std::find_if(w.options.campaigns.begin(), w.options.campaigns.end(),
                      [&](const CampaignSpec& s) { return s.name == c.name; });
    double expected = spec.accounts * spec.requests_per_account;
    EXPECT_GT(c.requests, 0.75 * expected) << c.name;
    EXPECT_LT(c.requests, 1.25 * expected) << c.name;
  }
  double benign_expected = w.options.benign.requests;
  EXPECT_GT(w.result.benign_requests, 0.8 * benign_expected);
  EXPECT_LT(w.result.benign_requests, 1.2 * benign_expected);
}

TEST(GenWorld, PlantsHardNegativeGroupsDisjointFromCampaigns) {
  const TinyWorld& w = Tiny();
  const HardNegativeOptions& h = w.options.hard_negatives;
  EXPECT_EQ(Members(w.group_of, "company_nat").size(),
            static_cast<std::size_t>(h.company_accounts));
  EXPECT_EQ(Members(w.group_of, "carrier_cgnat").size(),
            static_cast<std::size_t>(h.carrier_cgnat_accounts));
  EXPECT_EQ(Members(w.group_of, "university_cgnat").size(),
            static_cast<std::size_t>(h.university_cgnat_accounts));
  EXPECT_EQ(Members(w.group_of, "agent_framework").size(),
            static_cast<std::size_t>(h.agent_framework_accounts));
  std::map<std::string, int> families, teams;
  for (const auto& [account, group] : w.group_of) {
    if (group.rfind("family_", 0) == 0) ++families[group];
    if (group.rfind("shared_device_", 0) == 0) ++teams[group];
    EXPECT_EQ(w.campaign_of.count(account), 0u) << account << " is both benign and fraud";
  }
  EXPECT_EQ(static_cast<std::int64_t>(families.size()), h.families);
  for (const auto& [group, size] : families) {
    EXPECT_GE(size, 2) << group;
    EXPECT_LE(size, 5) << group;
  }
  EXPECT_EQ(static_cast<std::int64_t>(teams.size()), h.shared_device_teams);
  for (const auto& [group, size] : teams) {
    EXPECT_GE(size, h.team_min) << group;
    EXPECT_LE(size, h.team_max) << group;
  }
}

// Values of `kind` per account from signals.csv, normalised the simple way.
std::map<std::string, std::vector<std::string>> SignalValues(const TinyWorld& w,
                                                             const std::string& kind) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& row : CsvRows(w.File("signals.csv"))) {
    if (row[1] != kind) continue;
    std::string v = row[2];
    if (kind == "payment" && v.rfind("pm_", 0) != 0 && v.rfind("card_", 0) != 0) v = DigitsOnly(v);
    if (kind == "email") v = EmailKey(v);
    out[row[0]].push_back(v);
  }
  return out;
}

TEST(GenWorld, LowAndSlowMembersHaveOwnCardsAndAddressesButShareDevicesAndTemplates) {
  const TinyWorld& w = Tiny();
  std::vector<std::string> members = Members(w.campaign_of, "low_and_slow");
  ASSERT_GE(members.size(), 12u);
  std::set<std::string> member_set(members.begin(), members.end());
  // Own cards.
  auto payments = SignalValues(w, "payment");
  std::map<std::string, int> card_users;
  for (const std::string& m : members)
    for (const std::string& p : payments[m]) ++card_users[p];
  EXPECT_GT(card_users.size(), members.size() / 2);
  for (const auto& [card, users] : card_users) EXPECT_EQ(users, 1) << card;
  // Own addresses: no IP is used by two members.
  std::map<std::string, std::set<std::string>> ip_users;
  std::map<std::string, std::map<std::string, int>> prefixes;  // member -> prompt prefix counts
  for (const Request& r : w.Requests()) {
    if (!member_set.count(r.account)) continue;
    ip_users[r.ip].insert(r.account);
    ++prefixes[r.account][r.prompt.substr(0, 40)];
  }
  for (const auto& [ip, users] : ip_users) EXPECT_EQ(users.size(), 1u) << ip;
  // Shared devices: some signup fingerprint is used by at least three members.
  auto devices = SignalValues(w, "device");
  std::map<std::string, int> device_users;
  for (const std::string& m : members)
    for (const std::string& d : devices[m]) ++device_users[d];
  int most_shared_device = 0;
  for (const auto& [d, n] : device_users) most_shared_device = std::max(most_shared_device, n);
  EXPECT_GE(most_shared_device, 3);
  EXPECT_LT(device_users.size(), members.size() * 3 / 4);
  // Shared templates: one prompt opening is sent by at least a third of the members.
  std::map<std::string, int> prefix_senders;
  for (const auto& [m, counts] : prefixes)
    for (const auto& [prefix, n] : counts) ++prefix_senders[prefix];
  int most_shared_prefix = 0;
  for (const auto& [p, n] : prefix_senders) most_shared_prefix = std::max(most_shared_prefix, n);
  EXPECT_GE(most_shared_prefix, static_cast<int>(members.size()) / 3);
}

TEST(GenWorld, CardFarmSharesCardsAcrossTensOfAccounts) {
  const TinyWorld& w = Tiny();
  auto payments = SignalValues(w, "payment");
  std::map<std::string, int> users;
  for (const std::string& m : Members(w.campaign_of, "card_farm"))
    for (const std::string& p : payments[m]) ++users[p];
  int most = 0;
  for (const auto& [card, n] : users) most = std::max(most, n);
  EXPECT_GE(most, 10);
}

TEST(GenWorld, DatacenterSwarmEmailsAreVariantsOfAFewGmailMailboxes) {
  const TinyWorld& w = Tiny();
  std::vector<std::string> members = Members(w.campaign_of, "datacenter_swarm");
  std::map<std::string, int> mailbox_users;
  std::set<std::string> raw;
  std::size_t total = 0;
  for (const auto& row : CsvRows(w.File("signals.csv"))) {
    if (row[1] != "email" || !std::count(members.begin(), members.end(), row[0])) continue;
    ++total;
    EXPECT_TRUE(raw.insert(row[2]).second) << "raw email repeated: " << row[2];
    ++mailbox_users[EmailKey(row[2])];
  }
  int most = 0;
  for (const auto& [mailbox, n] : mailbox_users) most = std::max(most, n);
  EXPECT_GE(most, static_cast<int>(total) / 4);
}

TEST(GenWorld, BenignEmailsAreUniqueAfterNormalisation) {
  const TinyWorld& w = Tiny();
  std::map<std::string, int> users;
  std::size_t gmail_with_own_dots = 0;
  for (const auto& row : CsvRows(w.File("signals.csv"))) {
    if (row[1] != "email" || w.campaign_of.count(row[0])) continue;
    ++users[EmailKey(row[2])];
    if (row[2].find("@gmail.com") != std::string::npos && row[2].find('.') < row[2].find('@'))
      ++gmail_with_own_dots;
  }
  for (const auto& [email, n] : users) EXPECT_EQ(n, 1) << email;
  EXPECT_GT(gmail_with_own_dots, 50u);
}

TEST(GenWorld, CompanyBehindNatSharesAFewAddressesAndOneClient) {
  const TinyWorld& w = Tiny();
  std::vector<std::string> members = Members(w.group_of, "company_nat");
  std::set<std::string> member_set(members.begin(), members.end());
  std::map<std::string, std::set<std::string>> ip_users, agent_users;
  std::int64_t requests = 0;
  for (const Request& r : w.Requests()) {
    if (!member_set.count(r.account)) continue;
    ++requests;
    ip_users[r.ip].insert(r.account);
    agent_users[r.user_agent].insert(r.account);
  }
  ASSERT_GT(requests, 0);
  std::size_t nat_users = 0, nat_addresses = 0;
  for (const auto& [ip, users] : ip_users)
    if (users.size() >= 10) {
      ++nat_addresses;
      nat_users += users.size();
    }
  EXPECT_GE(nat_addresses, 1u);
  EXPECT_LE(nat_addresses, static_cast<std::size_t>(w.options.hard_negatives.company_nat_ips));
  EXPECT_GE(nat_users, members.size() / 2);
  std::size_t top_agent = 0;
  for (const auto& [agent, users] : agent_users) top_agent = std::max(top_agent, users.size());
  EXPECT_GE(top_agent, members.size() * 3 / 4);
  // The org column names the company for every member.
  std::set<std::string> orgs;
  for (const auto& row : CsvRows(w.File("accounts.csv")))
    if (member_set.count(row[0])) orgs.insert(row[4]);
  ASSERT_EQ(orgs.size(), 1u);
  EXPECT_FALSE(orgs.begin()->empty());
}

TEST(GenWorld, CgnatAddressIsSharedByHundredsOfUnrelatedAccounts) {
  const TinyWorld& w = Tiny();
  std::map<std::string, std::set<std::string>> ip_users;
  for (const Request& r : w.Requests())
    if (w.group_of.count(r.account) && w.group_of.at(r.account) == "carrier_cgnat")
      ip_users[r.ip].insert(r.account);
  std::size_t top = 0;
  for (const auto& [ip, users] : ip_users) top = std::max(top, users.size());
  EXPECT_GE(top, static_cast<std::size_t>(w.options.hard_negatives.carrier_cgnat_accounts) / 2);
}

// Signup time (RFC 3339) of every account.
std::map<std::string, std::string> CreatedAt(const TinyWorld& w) {
  std::map<std::string, std::string> out;
  for (const auto& row : CsvRows(w.File("accounts.csv"))) out[row[0]] = row[1];
  return out;
}

std::int64_t ToSeconds(const std::string& rfc3339) {
  int y, mo, d, h, mi, s;
  std::sscanf(rfc3339.c_str(), "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &s);
  return DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

// Share of `members` who signed up within `seconds` of another member.
double ShareSignedUpTogether(const TinyWorld& w, const std::vector<std::string>& members,
                             std::int64_t seconds) {
  auto created = CreatedAt(w);
  std::vector<std::int64_t> t;
  for (const std::string& m : members) t.push_back(ToSeconds(created.at(m)));
  std::sort(t.begin(), t.end());
  int together = 0;
  for (std::size_t i = 0; i < t.size(); ++i)
    together +=
        (i > 0 && t[i] - t[i - 1] <= seconds) || (i + 1 < t.size() && t[i + 1] - t[i] <= seconds);
  return t.empty() ? 0 : static_cast<double>(together) / static_cast<double>(t.size());
}

TEST(GenWorld, BurstCampaignsSignUpTogetherAndLowAndSlowDoesNot) {
  const TinyWorld& w = Tiny();
  const std::int64_t six_hours = 6 * 3600;
  EXPECT_GE(ShareSignedUpTogether(w, Members(w.campaign_of, "datacenter_swarm"), six_hours), 0.7);
  EXPECT_GE(ShareSignedUpTogether(w, Members(w.campaign_of, "card_farm"), six_hours), 0.7);
  EXPECT_LE(ShareSignedUpTogether(w, Members(w.campaign_of, "low_and_slow"), six_hours), 0.5);
}

TEST(GenWorld, BenignBackgroundSharesWhatCampaignsShare) {
  // The base rates that make naive linking fail: strangers behind one carrier
  // or VPN address, in one /24, on one family computer, sending one prompt.
  const TinyWorld& w = Tiny();
  std::map<std::string, std::set<std::string>> ip_users, subnet_users, device_users, prompt_users;
  std::int64_t switches = 0;
  bool previous_fraud = false;
  for (const Request& r : w.Requests()) {
    const bool fraud = w.campaign_of.count(r.account) > 0;
    switches += fraud != previous_fraud;
    previous_fraud = fraud;
    if (fraud || w.group_of.count(r.account)) continue;  // plain benign accounts only
    ip_users[r.ip].insert(r.account);
    if (r.ip.find(':') == std::string::npos)
      subnet_users[r.ip.substr(0, r.ip.rfind('.'))].insert(r.account);
    if (!r.device.empty()) device_users[r.device].insert(r.account);
    prompt_users[r.prompt].insert(r.account);
  }
  auto most = [](const std::map<std::string, std::set<std::string>>& m) {
    std::size_t best = 0;
    for (const auto& [value, users] : m) best = std::max(best, users.size());
    return best;
  };
  EXPECT_GE(most(ip_users), 5u);       // carrier NAT pools, VPN exits, offices
  EXPECT_GE(most(subnet_users), 6u);   // crowded residential /24s
  EXPECT_GE(most(device_users), 2u);   // family computers
  EXPECT_GE(most(prompt_users), 10u);  // "Say this is a test"
  EXPECT_GT(switches, 1000);           // fraud and benign lines interleave
}

TEST(GenWorld, RawCardNumbersPassLuhnAndTokensAreMixedIn) {
  const TinyWorld& w = Tiny();
  int raw = 0, tokens = 0, formatted = 0;
  for (const auto& row : CsvRows(w.File("signals.csv"))) {
    if (row[1] != "payment") continue;
    const std::string& v = row[2];
    if (v.rfind("pm_", 0) == 0 || v.rfind("card_", 0) == 0) {
      ++tokens;
      continue;
    }
    std::string digits = DigitsOnly(v);
    ASSERT_GE(digits.size(), 13u) << v;
    ASSERT_LE(digits.size(), 19u) << v;
    EXPECT_TRUE(ReferenceLuhn(digits)) << v;
    EXPECT_TRUE(LuhnValid(digits)) << v;
    formatted += digits != v;
    ++raw;
  }
  EXPECT_GT(raw, 50);
  EXPECT_GT(tokens, 50);
  EXPECT_GT(formatted, 5);  // spaced and dashed numbers exercise normalisation
}

TEST(GenWorld, ZstdRequestsDecompressToTheSameLines) {
  const TinyWorld& w = Tiny();
  TempDir dir;
  dir.Write("requests.jsonl", "left by an earlier plain run\n");
  GenerateWorld(PresetWorld("tiny"), {.directory = dir.path().string(), .zstd = true});
  EXPECT_FALSE(std::filesystem::exists(dir.File("requests.jsonl")));  // one world per directory
  std::string compressed = ReadFile(dir.File("requests.jsonl.zst"));
  ASSERT_FALSE(compressed.empty());
  ZSTD_DStream* stream = ZSTD_createDStream();
  ZSTD_initDStream(stream);
  std::string plain;
  std::vector<char> out(ZSTD_DStreamOutSize());
  ZSTD_inBuffer in{compressed.data(), compressed.size(), 0};
  while (in.pos < in.size) {
    ZSTD_outBuffer o{out.data(), out.size(), 0};
    std::size_t rc = ZSTD_decompressStream(stream, &o, &in);
    ASSERT_FALSE(ZSTD_isError(rc)) << ZSTD_getErrorName(rc);
    plain.append(out.data(), o.pos);
  }
  ZSTD_freeDStream(stream);
  EXPECT_EQ(plain, ReadFile(w.File("requests.jsonl")));
  EXPECT_LT(compressed.size(), plain.size() / 3);
}

TEST(GenWorld, OutputUnderAFileFailsWithThePath) {
  TempDir dir;
  std::string file = dir.Write("not-a-dir", "x");
  try {
    GenerateWorld(PresetWorld("tiny"), {.directory = file + "/out"});
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("not-a-dir"), std::string::npos) << e.what();
  }
}

TEST(GenPresets, NamesTheValidPresetsForAnUnknownOne) {
  for (const std::string& name : PresetNames()) EXPECT_EQ(PresetWorld(name).preset, name);
  try {
    PresetWorld("huge");
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("distill-24k"), std::string::npos) << e.what();
  }
}

TEST(GenPresets, Distill24kPlantsThreeCampaignsOfAbout24kAccountsAnd16MRequests) {
  WorldOptions w = PresetWorld("distill-24k");
  ASSERT_EQ(w.campaigns.size(), 3u);
  double accounts = 0, requests = 0;
  for (const CampaignSpec& c : w.campaigns) {
    accounts += c.accounts;
    requests += c.accounts * c.requests_per_account;
  }
  EXPECT_NEAR(accounts, 24000, 1000);
  EXPECT_NEAR(requests, 16e6, 1e6);
  EXPECT_EQ(w.benign.accounts, 1000000);
  EXPECT_NEAR(w.benign.requests, 8e6, 1e5);
  EXPECT_TRUE(std::any_of(w.campaigns.begin(), w.campaigns.end(), [](const CampaignSpec& c) {
    return c.archetype == Archetype::kLowAndSlow;
  }));
}

TEST(GenPresets, ScaleWorldScalesEverythingWithMinimums) {
  WorldOptions small = PresetWorld("small");
  WorldOptions half = ScaleWorld(small, small.benign.accounts / 2);
  EXPECT_EQ(half.benign.accounts, small.benign.accounts / 2);
  EXPECT_NEAR(half.benign.requests, small.benign.requests / 2, 1);
  EXPECT_EQ(half.campaigns[0].accounts, small.campaigns[0].accounts / 2);
  EXPECT_EQ(half.hard_negatives.families, small.hard_negatives.families / 2);
  WorldOptions little = ScaleWorld(PresetWorld("tiny"), 300);
  for (const CampaignSpec& c : little.campaigns)
    EXPECT_GE(c.accounts, little.min_campaign_accounts);
  EXPECT_GE(little.hard_negatives.families, 2);
  EXPECT_THROW(ScaleWorld(small, 0), std::invalid_argument);
  // A scaled world still generates every structure.
  TempDir dir;
  GenResult r = GenerateWorld(little, {.directory = dir.path().string()});
  EXPECT_EQ(r.benign_accounts, 300);
  EXPECT_EQ(r.campaigns.size(), little.campaigns.size());
  for (const CampaignSummary& c : r.campaigns) EXPECT_GT(c.requests, 0) << c.name;
}

TEST(GenCommand, RejectsBadOptionsWithUsageErrors) {
  TempDir dir;
  GenCommandOptions o;
  o.out_dir = dir.File("out");
  o.preset = "gigantic";
  EXPECT_THROW(RunGen(o), UsageError);
  o.preset = "tiny";
  o.accounts_given = true;
  o.accounts = 0;
  EXPECT_THROW(RunGen(o), UsageError);
  o.accounts = -5;
  EXPECT_THROW(RunGen(o), UsageError);
  o.accounts_given = false;
  o.out_dir = dir.Write("file", "x") + "/out";
  EXPECT_THROW(RunGen(o), CommandFailure);
}

TEST(GenRandom, PermutationIsABijection) {
  for (std::uint64_t domain : {2ull, 10ull, 1000ull, 4096ull, 99991ull}) {
    Permutation p(7, domain);
    std::vector<bool> hit(domain, false);
    for (std::uint64_t x = 0; x < domain; ++x) {
      std::uint64_t y = p(x);
      ASSERT_LT(y, domain);
      ASSERT_FALSE(hit[y]) << "domain " << domain << " repeats " << y;
      hit[y] = true;
    }
  }
}

TEST(GenRandom, SameSeedSameStream) {
  Rng a(5), b(5), c(6);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    std::uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    differs = differs || x != c.Next();
  }
  EXPECT_TRUE(differs);
}

TEST(GenText, TimestampsAreRfc3339Utc) {
  TimestampFormatter f;
  EXPECT_EQ(f.Format(1769904000), "2026-02-01T00:00:00Z");
  EXPECT_EQ(f.Format(1709251199), "2024-02-29T23:59:59Z");
  EXPECT_EQ(f.Format(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(DaysFromCivil(2026, 2, 1) * 86400, 1769904000);
}

TEST(GenText, TemplatesResolveChoicesOnceAndSlotsEveryRender) {
  SlotTable slots;
  slots.Add("color", {"red", "green"});
  Rng choices(1), render(2);
  TextTemplate t =
      TextTemplate::Compile("[Paint|Colour] it {color}, {n:3-3} times", slots, choices);
  std::string first = t.RenderToString(render);
  std::string verb = first.substr(0, first.find(' '));
  EXPECT_TRUE(verb == "Paint" || verb == "Colour") << first;
  EXPECT_EQ(t.FixedPrefix(), verb + " it ");
  std::set<std::string> renders;
  for (int i = 0; i < 50; ++i) {
    std::string s = t.RenderToString(render);
    EXPECT_EQ(s.substr(0, verb.size()), verb);
    EXPECT_NE(s.find(", 3 times"), std::string::npos) << s;
    renders.insert(s);
  }
  EXPECT_EQ(renders.size(), 2u);
  EXPECT_THROW(TextTemplate::Compile("{nope}", slots, choices), std::logic_error);
  EXPECT_THROW(TextTemplate::Compile("[open", slots, choices), std::logic_error);
}

}  // namespace
}  // namespace ringscope::gen

// The shape checks above are only as good as the helper behind them.
TEST(MatchesShape, AcceptsOnlyTheShape) {
  using ringscope::testing::MatchesShape;
  EXPECT_TRUE(MatchesShape("2026-02-01T00:04:50Z", "####-##-##T##:##:##Z"));
  EXPECT_FALSE(MatchesShape("2026-02-01 00:04:50Z", "####-##-##T##:##:##Z"));
  EXPECT_FALSE(MatchesShape("2026-2-01T00:04:50Z", "####-##-##T##:##:##Z"));
  EXPECT_TRUE(MatchesShape("acct_c6575bdc74", "acct_%%%%%%%%%%"));
  EXPECT_FALSE(MatchesShape("acct_C6575BDC74", "acct_%%%%%%%%%%"));  // lower-case hex only
  EXPECT_FALSE(MatchesShape("acct_c6575bdc7", "acct_%%%%%%%%%%"));
}
