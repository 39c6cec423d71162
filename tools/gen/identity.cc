#include "tools/gen/identity.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "tools/gen/text.h"

namespace ringscope::gen {

namespace {

// First octets of each address space, disjoint so spaces never overlap.
constexpr std::uint32_t kIspOctets[] = {24,  50,  67,  68,  69,  71,  73,  75,  76,  77,  78,
                                        79,  80,  81,  82,  83,  84,  85,  86,  87,  88,  89,
                                        90,  92,  93,  94,  95,  98,  99,  108, 109, 151, 173,
                                        178, 188, 189, 190, 201, 212, 213, 217, 2,   31,  46};
constexpr std::uint32_t kCarrierOctets[] = {107, 166, 174, 208, 39, 49, 110, 117};
constexpr std::uint32_t kCloudOctets[] = {3, 13, 18, 20, 34, 35, 40, 52, 54, 104, 137};
constexpr std::uint32_t kHostingOctets[] = {45, 185, 91, 193, 194, 195, 5, 37, 146, 198, 209};
constexpr std::uint32_t kCompanyOctet = 12;
constexpr std::uint32_t kUniversityOctet = 128;
// IPv6 /32s of residential ISPs.
constexpr std::uint64_t kIspV6[] = {0x2a028108, 0x2a010cb0, 0x26010600, 0x26001700,
                                    0x2a0023c7, 0x24056580, 0x2a0a4cc0, 0x28040d58};
constexpr int kMaxIspBlocks = 256;  // residential /16s: up to 2^24 addresses
constexpr int kCloudBlocks = 16;    // cloud /16s: 2^20 addresses
constexpr int kMaxCarriers = 8;

struct Bin {
  std::string_view prefix;
  int length;
};
// Card-network test ranges: numbers that pass Luhn but charge nothing.
constexpr Bin kTestBins[] = {{"424242", 16}, {"400005", 16}, {"411111", 16}, {"555555", 16},
                             {"222300", 16}, {"520082", 16}, {"378282", 15}, {"601111", 16},
                             {"353011", 16}, {"305693", 14}};

constexpr char kBase62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

std::uint64_t Pow10(int n) {
  std::uint64_t p = 1;
  while (n-- > 0) p *= 10;
  return p;
}

void AppendPadded(std::string& out, std::uint64_t value, int digits) {
  std::size_t old = out.size();
  out.resize(old + digits);
  for (int i = digits - 1; i >= 0; --i) {
    out[old + i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

char LuhnCheckDigit(std::string_view payload) {
  int sum = 0;
  bool twice = true;  // the digit next to the check digit is doubled
  for (auto it = payload.rbegin(); it != payload.rend(); ++it) {
    int d = *it - '0';
    if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
    twice = !twice;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

std::uint64_t Fnv1a(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

std::vector<std::uint32_t> DistinctBlocks(const std::uint32_t* octets, std::size_t n, int count,
                                          Rng& rng) {
  std::vector<std::uint32_t> blocks;
  std::unordered_set<std::uint32_t> seen;  // membership only
  while (static_cast<int>(blocks.size()) < count) {
    // One draw per statement: the order of draws inside one expression is
    // the compiler's choice, and the world must not depend on it.
    const std::uint32_t high = octets[rng.Below(n)] << 8;
    const std::uint32_t block = high | static_cast<std::uint32_t>(rng.Below(256));
    if (seen.insert(block).second) blocks.push_back(block);
  }
  return blocks;
}

std::string Capitalise(std::string s) {
  bool start = true;
  for (char& c : s) {
    if (c == '@') break;
    if (start && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    start = (c == '.' || c == '_');
  }
  return s;
}

}  // namespace

void AppendAccountId(std::string& out, std::uint64_t public_id) {
  out += "acct_";
  AppendHex(out, public_id, 10);
}

void AppendDevice(std::string& out, std::uint64_t device) {
  out += "fp_";
  AppendHex(out, device, 16);
}

void AppendApiKey(std::string& out, std::uint64_t key) {
  out += (key & 1) ? "sk-proj-" : "sk-";
  AppendHex(out, Mix64(key), 16);
  AppendHex(out, Mix64(key ^ 0x5bd1e9955bd1e995ULL), 16);
}

AddressBook::AddressBook(std::uint64_t seed, int residential_blocks)
    : seed_(seed),
      residential_(Hash2(seed, 101),
                   static_cast<std::uint64_t>(std::clamp(residential_blocks, 1, kMaxIspBlocks))
                       << 16),
      residential_v6_(Hash2(seed, 102), std::size(kIspV6) * (std::uint64_t{1} << 32)),
      cloud_(Hash2(seed, 103), std::uint64_t{kCloudBlocks} << 16) {
  Rng rng(Hash2(seed, 100));
  isp16_ = DistinctBlocks(kIspOctets, std::size(kIspOctets),
                          static_cast<int>(residential_.domain() >> 16), rng);
  carrier16_ = DistinctBlocks(kCarrierOctets, std::size(kCarrierOctets), kMaxCarriers, rng);
  cloud16_ = DistinctBlocks(kCloudOctets, std::size(kCloudOctets), kCloudBlocks, rng);
  for (int c = 0; c < kMaxCarriers; ++c) {
    carrier_.emplace_back(Hash2(seed, 200 + c), std::uint64_t{1} << 16);
    carrier_next_.push_back(0);
  }
}

std::uint32_t AddressBook::Add(IpEntry e) {
  entries_.push_back(e);
  return static_cast<std::uint32_t>(entries_.size() - 1);
}

std::uint32_t AddressBook::NewResidential() {
  while (true) {
    if (residential_next_ >= residential_.domain())
      throw std::runtime_error("residential IPv4 space exhausted");
    std::uint64_t p = residential_(residential_next_++);
    std::uint32_t host = p & 0xff;
    if (host == 0 || host == 255) continue;
    return Add({0, (std::uint64_t{isp16_[p >> 16]} << 16) | (p & 0xffff), false});
  }
}

std::uint32_t AddressBook::NewResidentialV6() {
  if (residential_v6_next_ >= residential_v6_.domain())
    throw std::runtime_error("residential IPv6 space exhausted");
  std::uint64_t p = residential_v6_(residential_v6_next_++);
  return Add({(kIspV6[p >> 32] << 32) | (p & 0xffffffffULL), 0, true});
}

std::uint32_t AddressBook::NewCloud() {
  while (true) {
    if (cloud_next_ >= cloud_.domain()) throw std::runtime_error("cloud IPv4 space exhausted");
    std::uint64_t p = cloud_(cloud_next_++);
    std::uint32_t host = p & 0xff;
    if (host == 0 || host == 255) continue;
    return Add({0, (std::uint64_t{cloud16_[p >> 16]} << 16) | (p & 0xffff), false});
  }
}

std::uint32_t AddressBook::NewCarrierPool(int carrier, std::uint32_t count) {
  carrier %= kMaxCarriers;
  std::uint32_t first = static_cast<std::uint32_t>(entries_.size());
  for (std::uint32_t i = 0; i < count;) {
    if (carrier_next_[carrier] >= carrier_[carrier].domain())
      throw std::runtime_error("carrier address pool exhausted");
    std::uint64_t p = carrier_[carrier](carrier_next_[carrier]++);
    if ((p & 0xff) == 0 || (p & 0xff) == 255) continue;
    Add({0, (std::uint64_t{carrier16_[carrier]} << 16) | p, false});
    ++i;
  }
  return first;
}

std::uint32_t AddressBook::NewCarrierHub(int carrier) { return NewCarrierPool(carrier, 1); }

std::uint32_t AddressBook::NewUniversityHub() {
  Rng rng(Hash2(seed_, 300));
  std::uint64_t address = (std::uint64_t{kUniversityOctet} << 24) | (rng.Below(1 << 16) << 8) |
                          static_cast<std::uint64_t>(rng.Between(1, 254));
  return Add({0, address, false});
}

std::uint32_t AddressBook::NewDatacenterPool(int subnets, std::uint32_t count, Rng& rng) {
  constexpr std::uint32_t kHostsPerSubnet = 240;
  if (subnets < 1) subnets = 1;
  if (count > static_cast<std::uint32_t>(subnets) * kHostsPerSubnet)
    throw std::invalid_argument("datacenter pool larger than its subnets");
  std::vector<std::uint64_t> nets;
  for (int s = 0; s < subnets; ++s) {
    std::uint64_t octet = kHostingOctets[rng.Below(std::size(kHostingOctets))];
    nets.push_back((octet << 24) | (rng.Below(1 << 16) << 8));
  }
  std::uint32_t first = static_cast<std::uint32_t>(entries_.size());
  std::uint32_t stride = 37, offset = static_cast<std::uint32_t>(rng.Below(kHostsPerSubnet));
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint32_t slot = i / static_cast<std::uint32_t>(subnets);         // < kHostsPerSubnet
    std::uint32_t host = 2 + (slot * stride + offset) % kHostsPerSubnet;  // 37 is coprime to 240
    Add({0, nets[i % subnets] | host, false});
  }
  return first;
}

std::uint32_t AddressBook::NewCompanyBlock(int count, Rng& rng) {
  std::uint64_t net = (std::uint64_t{kCompanyOctet} << 24) | (rng.Below(1 << 16) << 8);
  std::uint32_t first = static_cast<std::uint32_t>(entries_.size());
  for (int i = 0; i < count; ++i) Add({0, net | static_cast<std::uint64_t>(10 + i % 240), false});
  return first;
}

void AppendIp(std::string& out, const IpEntry& entry, std::uint64_t session_hash, bool mapped) {
  if (!entry.v6) {
    if (mapped) out += "::ffff:";
    AppendIpv4(out, static_cast<std::uint32_t>(entry.low));
    return;
  }
  // Privacy addresses: a random interface id with no all-zero group.
  std::uint64_t iid = Mix64(session_hash) | 0x0001000100010001ULL;
  AppendIpv6(out, entry.high, iid);
}

InstrumentBook::InstrumentBook(std::uint64_t seed) : seed_(seed) {
  for (std::size_t b = 0; b < std::size(kTestBins); ++b) {
    bin_perm_.emplace_back(Hash2(seed, 400 + b), Pow10(kTestBins[b].length - 7));
    bin_next_.push_back(0);
  }
}

std::uint32_t InstrumentBook::New(bool raw, Rng& rng) {
  Instrument ins;
  ins.raw = raw;
  if (raw) {
    ins.bin = static_cast<std::uint8_t>(rng.Below(std::size(kTestBins)));
    if (bin_next_[ins.bin] >= bin_perm_[ins.bin].domain())
      throw std::runtime_error("card number space of a test BIN exhausted");
    ins.token = bin_perm_[ins.bin](bin_next_[ins.bin]++);
  } else {
    ins.token = rng.Next();
  }
  instruments_.push_back(ins);
  return static_cast<std::uint32_t>(instruments_.size() - 1);
}

std::string InstrumentBook::Digits(std::uint32_t id) const {
  const Instrument& ins = instruments_[id];
  const Bin& bin = kTestBins[ins.bin];
  std::string digits(bin.prefix);
  AppendPadded(digits, ins.token, bin.length - 7);
  digits.push_back(LuhnCheckDigit(digits));
  return digits;
}

std::string InstrumentBook::Render(std::uint32_t id, std::uint64_t style_hash) const {
  const Instrument& ins = instruments_[id];
  if (!ins.raw) {  // a token looks the same wherever it appears
    std::string s = (ins.token % 5 == 0) ? "card_" : "pm_";
    std::uint64_t h = Hash2(seed_, ins.token);
    for (int i = 0; i < 24; ++i) {
      if (i % 10 == 0) h = Mix64(h + static_cast<std::uint64_t>(i));
      s.push_back(kBase62[h % 62]);
      h /= 62;
    }
    return s;
  }
  std::string digits = Digits(id);
  int style = static_cast<int>(style_hash % 10);
  if (style < 6) return digits;
  char sep = style < 9 ? ' ' : '-';
  std::vector<int> groups = digits.size() == 15   ? std::vector<int>{4, 6, 5}
                            : digits.size() == 14 ? std::vector<int>{4, 6, 4}
                                                  : std::vector<int>{4, 4, 4, 4};
  std::string s;
  std::size_t pos = 0;
  for (int g : groups) {
    if (pos > 0) s.push_back(sep);
    s.append(digits, pos, g);
    pos += g;
  }
  return s;
}

bool LuhnValid(std::string_view digits) {
  if (digits.size() < 2) return false;
  for (char c : digits)
    if (c < '0' || c > '9') return false;
  return LuhnCheckDigit(digits.substr(0, digits.size() - 1)) == digits.back();
}

PhoneBook::PhoneBook(std::uint64_t seed) {
  const auto& countries = Countries();
  for (std::size_t c = 0; c < countries.size(); ++c) {
    perm_.emplace_back(Hash2(seed, 500 + c), 8 * Pow10(countries[c].national_digits - 1));
    next_.push_back(0);
  }
}

std::uint32_t PhoneBook::New(std::uint8_t country) {
  if (next_[country] >= perm_[country].domain())
    throw std::runtime_error("phone number space exhausted");
  phones_.push_back({next_[country]++, country});
  return static_cast<std::uint32_t>(phones_.size() - 1);
}

std::string PhoneBook::Render(std::uint32_t id, std::uint64_t style_hash) const {
  const Phone& phone = phones_[id];
  const CountryInfo& country = Countries()[phone.country];
  const int n = country.national_digits;
  std::uint64_t v = perm_[phone.country](phone.serial);
  std::string national(1, static_cast<char>('2' + v / Pow10(n - 1)));
  AppendPadded(national, v % Pow10(n - 1), n - 1);
  std::string s = "+";
  s += country.phone_code;
  switch (style_hash % 3) {
    case 0:
      s += ' ';
      s.append(national, 0, 3);
      s += ' ';
      s.append(national, 3, 3);
      s += ' ';
      s.append(national, 6);
      break;
    case 1:
      s += national;
      break;
    default:
      s += ' ';
      s.append(national, 0, 5);
      s += '-';
      s.append(national, 5);
      break;
  }
  return s;
}

std::string EmailKey(std::string_view email) {
  std::string lower;
  lower.reserve(email.size());
  for (char c : email)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  std::size_t at = lower.rfind('@');
  if (at == std::string::npos) return lower;
  std::string local = lower.substr(0, at), domain = lower.substr(at + 1);
  if (auto plus = local.find('+'); plus != std::string::npos) local.resize(plus);
  if (domain == "gmail.com" || domain == "googlemail.com") {
    std::erase(local, '.');
    domain = "gmail.com";
  }
  return local + "@" + domain;
}

bool EmailBook::Claim(std::string_view email) {
  return taken_.insert(Fnv1a(EmailKey(email))).second;
}

std::string EmailBook::Personal(std::uint64_t seed, const CountryInfo& country,
                                double plus_tag_share, double capitalised_share) {
  static const WeightedChoice kDomainChoice = [] {
    std::vector<double> w;
    for (const auto& d : EmailDomains()) w.push_back(d.weight);
    return WeightedChoice(w);
  }();
  static const std::vector<std::string_view> kTags = {"ai",  "openai", "api",  "chat",
                                                      "dev", "signup", "work", "test"};
  std::string_view first = FirstNames()[Hash2(seed, 11) % FirstNames().size()];
  std::string_view last = LastNames()[Hash2(seed, 12) % LastNames().size()];
  std::string_view middle = FirstNames()[Hash2(seed, 13) % FirstNames().size()];
  std::string_view domain = EmailDomains()[kDomainChoice.PickByHash(Hash2(seed, 14))].domain;
  if (domain.empty()) domain = country.local_email_domain;
  const bool gmail = domain == "gmail.com" || domain == "googlemail.com";
  std::string year = std::to_string(1965 + Hash2(seed, 15) % 45);
  std::string two = std::to_string(10 + Hash2(seed, 16) % 90);
  std::string f(first), l(last);
  std::string local;
  switch (Hash2(seed, 17) % 10) {
    case 0:
    case 1:
      local = f + "." + l;
      break;
    case 2:
      local = f + l;
      break;
    case 3:
      local = f + "_" + l;
      break;
    case 4:
      local = f.substr(0, 1) + l;
      break;
    case 5:
      local = f + "." + l + two;
      break;
    case 6:
      local = f + year;
      break;
    case 7:
      local = l + "." + f;
      break;
    case 8:
      local = f + "." + std::string(middle.substr(0, 1)) + "." + l;
      break;  // dots of their own
    default:
      local = f + l + two;
      break;
  }
  if (gmail && Hash2(seed, 18) % 1000 < plus_tag_share * 1000)
    local += "+" + std::string(kTags[Hash2(seed, 19) % kTags.size()]);
  std::string email = local + "@" + std::string(domain);
  for (std::uint64_t attempt = 0; !Claim(email); ++attempt) {
    // Taken after normalisation: append digits, as people do.
    std::string base = local.substr(0, local.find('+'));
    std::uint64_t digits = attempt < 20
                               ? 10 + Hash2(seed, 20 + attempt) % (attempt < 8 ? 990 : 99990)
                               : Hash2(seed, 20 + attempt);
    email = base + std::to_string(digits) + local.substr(base.size()) + "@" + std::string(domain);
  }
  if (UnitFromHash(Hash2(seed, 22)) < capitalised_share) email = Capitalise(email);
  return email;
}

std::string EmailBook::Work(std::uint64_t seed, std::string_view domain) {
  std::string f(FirstNames()[Hash2(seed, 11) % FirstNames().size()]);
  std::string l(LastNames()[Hash2(seed, 12) % LastNames().size()]);
  std::string local = Hash2(seed, 21) % 3 == 0 ? f.substr(0, 1) + l : f + "." + l;
  std::string email = local + "@" + std::string(domain);
  for (std::uint64_t attempt = 0; !Claim(email); ++attempt)
    email = local + std::to_string(attempt < 50 ? attempt + 2 : Hash2(seed, attempt)) + "@" +
            std::string(domain);
  return email;
}

std::string EmailBook::NewMailbox(Rng& rng) {
  while (true) {
    // Draws in named steps (their order inside one expression is unspecified).
    const std::int64_t number = rng.Between(100, 9999);
    const std::string_view last = rng.Pick(LastNames());
    const std::string_view first = rng.Pick(FirstNames());
    std::string local = std::string(first) + std::string(last) + std::to_string(number);
    if (Claim(local + "@gmail.com")) return local;
  }
}

std::string EmailBook::GmailVariant(std::string_view mailbox, std::uint64_t seed) {
  static const std::vector<std::string_view> kTags = {"a",    "b",   "x", "acc", "ai",  "api",
                                                      "test", "bot", "w", "k",   "dev", "new"};
  for (std::uint64_t attempt = 0;; ++attempt) {
    Rng rng(Hash2(seed, attempt));
    std::string local;
    for (std::size_t i = 0; i < mailbox.size(); ++i) {
      if (i > 0 && rng.Chance(0.3)) local.push_back('.');
      local.push_back(mailbox[i]);
    }
    if (rng.Chance(0.5) || attempt > 30) {
      local += "+";
      local += rng.Pick(kTags);
      if (rng.Chance(0.6) || attempt > 30)
        local += std::to_string(rng.Below(attempt > 30 ? 1000000 : 1000));
    }
    std::string email = local + (rng.Chance(0.15) ? "@googlemail.com" : "@gmail.com");
    std::string lower = email;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!raw_taken_.insert(Fnv1a(lower)).second) continue;
    return rng.Chance(0.1) ? Capitalise(email) : email;
  }
}

std::string OrgName(std::uint64_t seed) {
  std::string name(OrgPrefixes()[Hash2(seed, 31) % OrgPrefixes().size()]);
  name += ' ';
  name += OrgNouns()[Hash2(seed, 32) % OrgNouns().size()];
  name += OrgSuffixes()[Hash2(seed, 33) % OrgSuffixes().size()];
  return name;
}

std::string OrgDomain(std::uint64_t seed) {
  std::string domain;
  for (std::string_view part : {OrgPrefixes()[Hash2(seed, 31) % OrgPrefixes().size()],
                                OrgNouns()[Hash2(seed, 32) % OrgNouns().size()]})
    for (char c : part)
      if (std::isalnum(static_cast<unsigned char>(c)))
        domain.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  static constexpr std::string_view kTlds[] = {".com", ".com", ".com", ".io", ".co"};
  domain += kTlds[Hash2(seed, 34) % std::size(kTlds)];
  return domain;
}

}  // namespace ringscope::gen
