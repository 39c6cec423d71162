// The identities of the world and how they are written: account ids,
// addresses, devices, API keys, payment instruments, phones and emails.
// Uniqueness comes from keyed permutations of counters (no collisions, no
// tables); emails are made unique after normalisation with a membership set.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "tools/gen/random.h"
#include "tools/gen/vocab.h"

namespace ringscope::gen {

inline constexpr std::uint32_t kNone = 0xffffffffu;

// "acct_" + 10 hex digits.
void AppendAccountId(std::string& out, std::uint64_t public_id);
// "fp_" + 16 hex digits.
void AppendDevice(std::string& out, std::uint64_t device);
// "sk-" or "sk-proj-" + 32 hex digits.
void AppendApiKey(std::string& out, std::uint64_t key);

// One address, or an IPv6 /64 whose interface id changes per session.
struct IpEntry {
  std::uint64_t high = 0;  // IPv6: the /64 prefix
  std::uint64_t low = 0;   // IPv4: the address; IPv6: unused (privacy address)
  bool v6 = false;
};

// Address spaces that look like the Internet: residential ISP /16s (dense
// with unrelated households), mobile carriers, big clouds, small hosting
// providers, and single addresses. Disjoint first octets keep the spaces
// apart; permutations keep every allocated address unique. O(1) per address.
class AddressBook {
 public:
  // `residential_blocks` /16s (1..256) hold the residential addresses; sized
  // to the population, they keep /24s about as crowded as real ones.
  AddressBook(std::uint64_t seed, int residential_blocks);

  std::uint32_t NewResidential();    // IPv4 household, office or residential proxy
  std::uint32_t NewResidentialV6();  // IPv6 household /64
  std::uint32_t NewCloud();          // a VM at a big cloud
  // `count` addresses of one carrier's NAT pool; returns the first index.
  std::uint32_t NewCarrierPool(int carrier, std::uint32_t count);
  // A carrier (or university) address that thousands share.
  std::uint32_t NewCarrierHub(int carrier);
  std::uint32_t NewUniversityHub();
  // `count` addresses spread over `subnets` hosting /24s; returns the first index.
  std::uint32_t NewDatacenterPool(int subnets, std::uint32_t count, Rng& rng);
  // `count` consecutive addresses in a company's own /24.
  std::uint32_t NewCompanyBlock(int count, Rng& rng);

  const IpEntry& operator[](std::uint32_t index) const { return entries_[index]; }
  std::size_t size() const { return entries_.size(); }

 private:
  std::uint32_t Add(IpEntry e);
  std::uint64_t seed_;
  std::vector<IpEntry> entries_;
  std::vector<std::uint32_t> isp16_, carrier16_, cloud16_;
  std::vector<std::uint64_t> isp_v6_32_;
  Permutation residential_, residential_v6_, cloud_;
  std::vector<Permutation> carrier_;
  std::vector<std::uint64_t> carrier_next_;
  std::uint64_t residential_next_ = 0, residential_v6_next_ = 0, cloud_next_ = 0;
};

// Appends the address an account uses in a given session (IPv6 privacy
// addresses derive their interface id from `session_hash`); `mapped` writes an
// IPv4 address as ::ffff:a.b.c.d, as some gateways log it.
void AppendIp(std::string& out, const IpEntry& entry, std::uint64_t session_hash, bool mapped);

// A payment instrument: a raw card number from a test BIN, or a token.
struct Instrument {
  std::uint64_t token = 0;  // tokens: the token's randomness; raw: the digits' serial
  std::uint8_t bin = 0;
  bool raw = false;
};

class InstrumentBook {
 public:
  explicit InstrumentBook(std::uint64_t seed);
  std::uint32_t New(bool raw, Rng& rng);
  const Instrument& operator[](std::uint32_t id) const { return instruments_[id]; }
  // The instrument as one account wrote it: raw numbers plain, spaced or
  // dashed depending on `style_hash`, so normalisation is what links them.
  std::string Render(std::uint32_t id, std::uint64_t style_hash) const;
  // Digits only (tests and Luhn checks).
  std::string Digits(std::uint32_t id) const;
  std::size_t size() const { return instruments_.size(); }

 private:
  std::uint64_t seed_;
  std::vector<Instrument> instruments_;
  std::vector<Permutation> bin_perm_;
  std::vector<std::uint64_t> bin_next_;
};

// True when `digits` passes the Luhn check.
bool LuhnValid(std::string_view digits);

struct Phone {
  std::uint32_t serial = 0;
  std::uint8_t country = 0;
};

class PhoneBook {
 public:
  explicit PhoneBook(std::uint64_t seed);
  std::uint32_t New(std::uint8_t country);
  // "+CC NNN NNN NNNN", "+CCNNNNNNNNNN" or "+CC NNNNN-NNNNN" by `style_hash`.
  std::string Render(std::uint32_t id, std::uint64_t style_hash) const;
  std::size_t size() const { return phones_.size(); }

 private:
  std::vector<Phone> phones_;
  std::vector<Permutation> perm_;
  std::vector<std::uint32_t> next_;
};

// Emails unique after normalisation (lower case, +tag dropped, gmail dots
// dropped), except campaign mailbox variants, which are meant to collide.
class EmailBook {
 public:
  // A person's address from their name; gmail dots, +tags and capitals included.
  std::string Personal(std::uint64_t seed, const CountryInfo& country, double plus_tag_share,
                       double capitalised_share);
  // first.last@domain style.
  std::string Work(std::uint64_t seed, std::string_view domain);
  // A campaign's gmail mailbox (local part without dots), reserved.
  std::string NewMailbox(Rng& rng);
  // A distinct raw variant of `mailbox`: dots, +tag, googlemail, capitals.
  std::string GmailVariant(std::string_view mailbox, std::uint64_t seed);

 private:
  bool Claim(std::string_view email);            // false when its normalised form is taken
  std::unordered_set<std::uint64_t> taken_;      // membership only, never iterated
  std::unordered_set<std::uint64_t> raw_taken_;  // lower-cased raw variants
};

// Normalised form of an email for uniqueness (formats.md's rule).
std::string EmailKey(std::string_view email);

// "Copper Labs, Inc." and its mail domain "copperlabs.com".
std::string OrgName(std::uint64_t seed);
std::string OrgDomain(std::uint64_t seed);

}  // namespace ringscope::gen
