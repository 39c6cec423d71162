// Tests for ingest/normalize.h: table-driven cases per kind, plus randomised
// comparisons against slow references (glibc inet_ntop for IPv6 text, a day
// counting loop for dates, a code-point tokenizer for prompt templates).
#include "ingest/normalize.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <cstdint>
#include <cstdio>
#include <iterator>
#include <limits>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ringscope {
namespace {

const std::optional<std::string> kReject = std::nullopt;

// ------------------------------------------------------------------ IP ---

struct IpCase {
  std::string_view raw;
  std::optional<std::string> canonical;
  std::string subnet;  // checked only when canonical is set
};

TEST(NormalizeIp, WritesCanonicalFormsAndSubnets) {
  const IpCase cases[] = {
      // IPv4
      {"203.0.113.7", "203.0.113.7", "203.0.113.0/24"},
      {"0.0.0.0", "0.0.0.0", "0.0.0.0/24"},
      {"255.255.255.255", "255.255.255.255", "255.255.255.0/24"},
      {"  10.1.2.3\t\r\n", "10.1.2.3", "10.1.2.0/24"},
      {"10.1.2.3:8080", "10.1.2.3", "10.1.2.0/24"},
      {"10.1.2.3:0", "10.1.2.3", "10.1.2.0/24"},
      {"10.1.2.3:65535", "10.1.2.3", "10.1.2.0/24"},
      // IPv6: special addresses, full form, case, compression
      {"::", "::", "::/64"},
      {"::1", "::1", "::/64"},
      {"1::", "1::", "1::/64"},
      {"2001:0db8:0000:0000:0000:ff00:0042:8329", "2001:db8::ff00:42:8329", "2001:db8::/64"},
      {"2001:DB8::AbCd", "2001:db8::abcd", "2001:db8::/64"},
      {"2001:db8:1:2:3:4:5:6", "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
      {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1", "2001:db8:0:1::/64"},  // one 0 kept
      {"1:0:0:2:0:0:3:4", "1::2:0:0:3:4", "1:0:0:2::/64"},                    // tie: first run
      {"1:0:0:2:0:0:0:3", "1:0:0:2::3", "1:0:0:2::/64"},                      // longest run
      {"1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0", "1:2:3:4::/64"},                 // :: for one group
      {"::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8", "0:2:3:4::/64"},
      {"fe80:0:0:0:0:0:0:0", "fe80::", "fe80::/64"},
      {"0000:0000:0000:0000:0000:0000:0000:0001", "::1", "::/64"},
      // IPv4-mapped folds to IPv4 (dotted or hex tail, any case)
      {"::ffff:1.2.3.4", "1.2.3.4", "1.2.3.0/24"},
      {"::FFFF:102:304", "1.2.3.4", "1.2.3.0/24"},
      {"0:0:0:0:0:ffff:c000:0280", "192.0.2.128", "192.0.2.0/24"},
      {"[::ffff:1.2.3.4]:443", "1.2.3.4", "1.2.3.0/24"},
      // IPv4-compatible and NAT64 are not mapped: pure hex, never dotted
      {"::1.2.3.4", "::102:304", "::/64"},
      {"::0.1.0.2", "::1:2", "::/64"},
      {"64:ff9b::192.0.2.33", "64:ff9b::c000:221", "64:ff9b::/64"},
      {"::ffff:0:1.2.3.4", "::ffff:0:102:304", "::/64"},
      // brackets, ports, zones
      {"[2001:db8::1]", "2001:db8::1", "2001:db8::/64"},
      {"[2001:db8::1]:443", "2001:db8::1", "2001:db8::/64"},
      {"fe80::1%eth0", "fe80::1", "fe80::/64"},
      {"[fe80::1%25eth0]:8080", "fe80::1", "fe80::/64"},
      {" [::1] ", "::1", "::/64"},
  };
  for (const IpCase& c : cases) {
    std::string subnet = "unchanged";
    EXPECT_EQ(NormalizeIp(c.raw, &subnet), c.canonical) << "raw: " << c.raw;
    if (c.canonical) {
      EXPECT_EQ(subnet, c.subnet) << "raw: " << c.raw;
    }
  }
}

TEST(NormalizeIp, RejectsWhatIsNotAnAddress) {
  const std::string_view cases[] = {
      "",
      "   ",
      "garbage",
      "999.1.1.1",
      "256.0.0.1",
      "1.2.3",
      "1.2.3.4.5",
      "1.2.3.4.",
      ".1.2.3.4",
      "1..2.3",
      "01.2.3.4",
      "1.2.3.04",
      "00.1.1.1",
      "0x1.2.3.4",
      "1.2.3.-4",
      "+1.2.3.4",
      "1.2.3.4 x",
      "1.2.3.4/24",
      "1.2.3.4:",
      "1.2.3.4:65536",
      "1.2.3.4:8a",
      "1.2.3.4:-1",
      "1.2.3.4%eth0",
      "1 .2.3.4",
      "１.2.3.4",  // full-width digit
      "1:2:3:4:5:6:7:8:9",
      "1::2::3",
      "12345::",
      ":1::",
      "1:",
      ":::",
      "g::",
      "1:2:3:4:5:6:7",
      "::ffff:1.2.3",
      "::ffff:1.2.3.4.5",
      "::ffff:256.1.1.1",
      "::ffff:01.2.3.4",
      "2001:db8::1/64",
      "fe80::1%",
      "[::1",
      "[::1]x",
      "[::1]:",
      "[::1]:70000",
      "[1.2.3.4]",
      "[]",
      "[::1%]",
      "::1 ::2",
      "1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa:bbbb:cccc:dddd",  // too long
  };
  for (std::string_view raw : cases) {
    std::string subnet = "unchanged";
    EXPECT_EQ(NormalizeIp(raw, &subnet), kReject) << "raw: " << raw;
    EXPECT_EQ(subnet, "unchanged") << "raw: " << raw;
  }
}

TEST(NormalizeIp, AcceptsNullSubnetPointer) {
  EXPECT_EQ(NormalizeIp("10.0.0.1", nullptr), "10.0.0.1");
}

TEST(NormalizeIp, HandlesShortPrefixesOfValidInputs) {
  // Every prefix of these must be handled without reading past its end (ASan).
  const std::string_view inputs[] = {"[fe80::1%eth0]:443", "255.255.255.255:65535",
                                     "::ffff:192.168.100.200"};
  for (std::string_view full : inputs) {
    for (std::size_t n = 0; n <= full.size(); ++n) {
      const std::string prefix(full.substr(0, n));  // own buffer: no readable tail
      std::string subnet;
      (void)NormalizeIp(prefix, &subnet);
    }
  }
  SUCCEED();
}

// Reference: glibc's inet_ntop follows RFC 5952 except that it writes a
// dotted IPv4 tail for addresses in ::/96 and ::ffff:0:0/96, so those are
// excluded here (they have their own table cases above).
TEST(NormalizeIp, MatchesInetNtopOnRandomIpv6) {
  std::mt19937_64 rng(42);
  for (int iter = 0; iter < 20000; ++iter) {
    std::uint16_t w[8];
    for (auto& x : w) x = (rng() % 3 == 0) ? static_cast<std::uint16_t>(rng()) : 0;
    if (w[0] == 0 && w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0 &&
        (w[5] == 0 || w[5] == 0xFFFF)) {
      continue;
    }
    char full[64];
    std::snprintf(full, sizeof full, "%04X:%04x:%04X:%04x:%04X:%04x:%04X:%04x", w[0], w[1], w[2],
                  w[3], w[4], w[5], w[6], w[7]);
    unsigned char bytes[16];
    ASSERT_EQ(inet_pton(AF_INET6, full, bytes), 1) << full;
    char expected[INET6_ADDRSTRLEN];
    ASSERT_NE(inet_ntop(AF_INET6, bytes, expected, sizeof expected), nullptr);
    const std::optional<std::string> got = NormalizeIp(full, nullptr);
    ASSERT_EQ(got, std::string(expected)) << full;
    ASSERT_EQ(NormalizeIp(*got, nullptr), got) << "not idempotent: " << *got;
  }
}

// --------------------------------------------------------------- email ---

TEST(NormalizeEmail, AppliesTheFoldingRules) {
  const std::pair<std::string_view, std::optional<std::string>> cases[] = {
      {"Alice@Example.COM", "alice@example.com"},
      {"  bob@example.org \n", "bob@example.org"},
      {"first.last@example.com", "first.last@example.com"},  // non-gmail keeps dots
      {"first.last+spam@example.com", "first.last@example.com"},
      {"a+b+c@example.com", "a@example.com"},
      {"F.i.R.s.T+news@Gmail.com", "first@gmail.com"},
      {"first.last@googlemail.com", "firstlast@gmail.com"},
      {"First.Last+x@GOOGLEMAIL.COM", "firstlast@gmail.com"},
      {"x@mail.gmail.com", "x@mail.gmail.com"},  // only the exact domains fold
      {"a.b@gmail.com.evil.org", "a.b@gmail.com.evil.org"},
      {"José@Exämple.org", "josé@exämple.org"},  // only ASCII letters lower-cased
      {"user@localhost", "user@localhost"},
      // rejected
      {"", kReject},
      {"   ", kReject},
      {"no-at-sign", kReject},
      {"two@@example.com", kReject},
      {"a@b@example.com", kReject},
      {"@example.com", kReject},
      {"user@", kReject},
      {"@", kReject},
      {"+tag@example.com", kReject},
      {"...@gmail.com", kReject},
      {".+x@googlemail.com", kReject},
      {"a b@example.com", kReject},
      {"a\tb@example.com", kReject},
      {std::string_view("a\0b@example.com", 15), kReject},
      // fuzz finding: dots removed from the local part exposed a leading
      // newline, so the result was not its own normal form
      {std::string_view(".\n\nD 8..J20\x0e\0\0+@GoogleMail.com ", 31), kReject},
  };
  for (const auto& [raw, expected] : cases) {
    EXPECT_EQ(NormalizeEmail(raw), expected) << "raw: " << raw;
  }
}

// --------------------------------------------------------------- phone ---

TEST(NormalizePhone, KeepsDigitsAndALeadingPlus) {
  const std::pair<std::string_view, std::optional<std::string>> cases[] = {
      {"+1 (555) 010-0000", "+15550100000"},
      {"  +44 20 7946 0958 ", "+442079460958"},
      {"(555) 010.0000", "5550100000"},
      {"555-0100", "5550100"},
      {"1+555", "1555"},     // '+' counts only in first position
      {"++1 555", "+1555"},  // only one leading '+' is kept
      {"tel:+1-555", "1555"},
      {"0044 20", "004420"},
      {"+", kReject},
      {"", kReject},
      {"  ", kReject},
      {"n/a", kReject},
      {"+()-", kReject},
      {"١٢٣", kReject},  // non-ASCII digits are not digits here
  };
  for (const auto& [raw, expected] : cases) {
    EXPECT_EQ(NormalizePhone(raw), expected) << "raw: " << raw;
  }
}

// ------------------------------------------------------------- payment ---

TEST(LooksLikeCardNumber, AcceptsLuhnValidNumbersOf13To19Digits) {
  const std::pair<std::string_view, bool> cases[] = {
      {"4111 1111 1111 1111", true},
      {"4111111111111111", true},
      {"4111-1111-1111-1111", true},
      {" 4111  1111 - 1111 1111 ", true},  // runs of separators between groups
      {"5555555555554444", true},
      {"378282246310005", true},  // 15 digits (Amex test number)
      {"4222222222222", true},    // 13 digits (Visa test number)
      {"6011111111111117", true},
      {"4111111111111111110", true},  // 19 digits, Luhn-valid
      {"4111111111111112", false},    // bad checksum
      {"5555555555554445", false},
      {"411111111117", false},          // 12 digits, Luhn-valid
      {"41111111111111111115", false},  // 20 digits, Luhn-valid
      {"4111 1111 1111 111a", false},
      {"4111x1111x1111x1111", false},
      {"-4111111111111111", false},  // separators only between digits
      {"4111111111111111-", false},
      {"4111.1111.1111.1111", false},
      {"", false},
      {"tok_4111111111111111", false},
  };
  for (const auto& [raw, expected] : cases) {
    EXPECT_EQ(LooksLikeCardNumber(raw), expected) << "raw: " << raw;
  }
}

TEST(NormalizePayment, HashesCardNumbersWithTheKey) {
  // Expected values from `printf DIGITS | openssl dgst -sha256 -hmac KEY`.
  const NormalizeOptions defaults;
  const std::string visa = "card:263f46f0660b7b34df1d6ceaa1b4454fb3d21ad1d8302063230e0b3e72c2564e";
  EXPECT_EQ(NormalizePayment("4111111111111111", defaults), visa);
  EXPECT_EQ(NormalizePayment(" 4111 1111 1111 1111 ", defaults), visa);
  EXPECT_EQ(NormalizePayment("4111-1111-1111-1111", defaults), visa);
  EXPECT_EQ(NormalizePayment("4111111111111111", {.payment_key = "other-key", .pii_key = {}}),
            "card:4a53e2e6009886f599db702cc8d0d9de66d786b9ae4a31070184ae2e2fe4e778");
  EXPECT_EQ(NormalizePayment("3782 822463 10005", {.payment_key = "k", .pii_key = {}}),
            "card:1fd4777a38f2fd584d3b3556f85f92c1adf2db1561b1d9a7a5544567630ac954");
}

TEST(NormalizePayment, NeverOutputsTheCardDigits) {
  const std::string_view cards[] = {"4111 1111 1111 1111", "5555555555554444", "378282246310005",
                                    "4222222222222", "4111111111111111110"};
  const std::string keys[] = {"", "a", "ringscope-default-payment-key", std::string(200, 'k')};
  for (std::string_view card : cards) {
    std::string digits;
    for (char c : card) {
      if (c >= '0' && c <= '9') digits += c;
    }
    std::vector<std::string> outputs;
    for (const std::string& key : keys) {
      const std::optional<std::string> out =
          NormalizePayment(card, {.payment_key = key, .pii_key = {}});
      ASSERT_TRUE(out.has_value()) << card;
      EXPECT_EQ(out->size(), 5u + 64u) << *out;
      EXPECT_EQ(out->rfind("card:", 0), 0u) << *out;
      EXPECT_EQ(out->find(digits), std::string::npos) << *out;
      EXPECT_EQ(out->find_first_not_of("0123456789abcdef", 5), std::string::npos) << *out;
      for (const std::string& previous : outputs) EXPECT_NE(*out, previous) << "key collision";
      outputs.push_back(*out);
    }
  }
}

TEST(NormalizePayment, KeepsOtherTokensAsTheyAre) {
  const NormalizeOptions options;
  const std::pair<std::string_view, std::optional<std::string>> cases[] = {
      {"  pm_1NfA2bC3 ", "pm_1NfA2bC3"},
      {"4111111111111112", "4111111111111112"},  // not Luhn-valid: an opaque token
      {"411111111116", "411111111116"},
      {"Card ending 1111", "Card ending 1111"},
      {"", kReject},
      {" \t ", kReject},
  };
  for (const auto& [raw, expected] : cases) {
    EXPECT_EQ(NormalizePayment(raw, options), expected) << "raw: " << raw;
  }
}

// -------------------------------------------------------------- opaque ---

TEST(NormalizeOpaque, TrimsAndKeepsCase) {
  EXPECT_EQ(NormalizeOpaque("  fp_9C1e\t"), "fp_9C1e");
  EXPECT_EQ(NormalizeOpaque("python-httpx/0.27 (Linux)"), "python-httpx/0.27 (Linux)");
  EXPECT_EQ(NormalizeOpaque("a  b"), "a  b");                            // inner whitespace kept
  EXPECT_EQ(NormalizeOpaque("\xC2\xA0x\xC2\xA0"), "\xC2\xA0x\xC2\xA0");  // only ASCII trimmed
  EXPECT_EQ(NormalizeOpaque(" \r\n"), kReject);
  EXPECT_EQ(NormalizeOpaque(""), kReject);
}

TEST(TrimAscii, TrimsAllAsciiWhitespaceOnly) {
  EXPECT_EQ(TrimAscii(" \t\n\r\v\fx y\f\v\r\n\t "), "x y");
  EXPECT_EQ(TrimAscii(""), "");
  EXPECT_EQ(TrimAscii("   "), "");
  EXPECT_EQ(TrimAscii("x"), "x");
  EXPECT_EQ(TrimAscii("\xE3\x80\x80x"), "\xE3\x80\x80x");
}

// -------------------------------------------------------------- prompt ---

TEST(PromptTemplate, MasksNumbersFoldsCaseAndCollapsesWhitespace) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"Solve 12 + 7 Step By Step", "solve # + # step by step"},
      {"pi is 3.14, e is 2.718", "pi is #, e is #"},
      {"Pay 1,000,000 now", "pay # now"},
      {"v1.2.3 build42x", "v# build#x"},
      {"1, 2, 3.", "#, #, #."},  // ',' or '.' not followed by a digit ends the run
      {"end with 5.", "end with #."},
      {".5 and 5,", ".# and #,"},
      {"-40 degrees", "-# degrees"},
      {"  \t leading and trailing \r\n ", "leading and trailing"},
      {"a\t\tb\r\n\r\nc", "a b c"},
      {"a\xC2\xA0\xC2\xA0"
       "b",
       "a b"},  // U+00A0
      {"a\xE3\x80\x80"
       "b\xE3\x80\x80",
       "a b"},                          // U+3000
      {"\xC2\xA0\xE3\x80\x80 \t", ""},  // only whitespace
      {"", ""},
      {"HÉLLO Wörld", "hÉllo wörld"},                          // only ASCII letters fold
      {"第3章 写100字", "第#章 写#字"},                        // CJK kept intact
      {"Hi 😀 x2 😀", "hi 😀 x# 😀"},                              // emoji kept intact
      {"Cafe\xCC\x81 NO\xCC\x88", "cafe\xCC\x81 no\xCC\x88"},  // combining marks kept
      {"１２３ Full", "１２３ full"},                          // full-width digits are not ASCII
      {"\xE3\x80\x81", "\xE3\x80\x81"},                        // U+3001 is not whitespace
      {"\xC2\xA1", "\xC2\xA1"},                                // U+00A1 is not whitespace
      {"trunc\xE3\x80", "trunc\xE3\x80"},                      // truncated sequence kept
      {"x\xC2", "x\xC2"},
  };
  for (const auto& [raw, expected] : cases) {
    EXPECT_EQ(PromptTemplate(raw), expected) << "raw: " << raw;
  }
}

TEST(PromptTemplate, HandlesVeryLongPrompts) {
  std::string raw;
  for (int i = 0; i < 20000; ++i) raw += "Line " + std::to_string(i) + " of THE text\n";
  const std::string tmpl = PromptTemplate(raw);
  std::string expected;
  for (int i = 0; i < 20000; ++i) expected += (i ? " " : "") + std::string("line # of the text");
  EXPECT_EQ(tmpl, expected);
  EXPECT_EQ(PromptTemplate(std::string(1 << 20, '7')), "#");
  EXPECT_EQ(PromptTemplate(std::string(1 << 20, ' ')), "");
}

// Slow reference: split into code points first, then apply the rules.
std::string ReferenceTemplate(std::string_view raw) {
  std::vector<std::string> units;  // one code point (or stray byte) each
  for (std::size_t i = 0; i < raw.size();) {
    const auto b = static_cast<unsigned char>(raw[i]);
    std::size_t n = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    for (std::size_t k = 1; k < n; ++k) {
      if (i + k >= raw.size() || (static_cast<unsigned char>(raw[i + k]) & 0xC0) != 0x80) n = k;
    }
    units.emplace_back(raw.substr(i, n));
    i += n;
  }
  const auto is_space = [](const std::string& u) {
    return u == " " || u == "\t" || u == "\n" || u == "\r" || u == "\v" || u == "\f" ||
           u == "\xC2\xA0" || u == "\xE3\x80\x80";
  };
  const auto is_digit = [&](std::size_t k) {
    return k < units.size() && units[k].size() == 1 && units[k][0] >= '0' && units[k][0] <= '9';
  };
  std::vector<std::string> tokens;
  for (std::size_t k = 0; k < units.size();) {
    if (is_space(units[k])) {
      if (tokens.empty() || tokens.back() != " ") tokens.push_back(" ");
      ++k;
    } else if (is_digit(k)) {
      tokens.push_back("#");
      while (is_digit(k) ||
             (k < units.size() && (units[k] == "." || units[k] == ",") && is_digit(k + 1))) {
        ++k;
      }
    } else {
      std::string u = units[k++];
      if (u.size() == 1 && u[0] >= 'A' && u[0] <= 'Z') u[0] = static_cast<char>(u[0] + 32);
      tokens.push_back(u);
    }
  }
  std::string out;
  for (const std::string& t : tokens) out += t;
  const std::size_t begin = out.find_first_not_of(' ');
  if (begin == std::string::npos) return "";
  return out.substr(begin, out.find_last_not_of(' ') + 1 - begin);
}

TEST(PromptTemplate, MatchesSlowReferenceOnRandomText) {
  const std::string_view pieces[] = {"a",
                                     "Z",
                                     "q",
                                     "7",
                                     "0",
                                     "12",
                                     ".",
                                     ",",
                                     " ",
                                     "\t",
                                     "\r\n",
                                     "\xC2\xA0",
                                     "\xE3\x80\x80",
                                     "字",
                                     "😀",
                                     "e\xCC\x81",
                                     "\xC2",
                                     "\x80",
                                     "\xE3\x80",
                                     "-",
                                     "#",
                                     "É"};
  std::mt19937_64 rng(7);
  for (int iter = 0; iter < 20000; ++iter) {
    std::string raw;
    const int len = static_cast<int>(rng() % 24);
    for (int i = 0; i < len; ++i) raw += pieces[rng() % std::size(pieces)];
    ASSERT_EQ(PromptTemplate(raw), ReferenceTemplate(raw)) << "raw: " << raw;
  }
}

TEST(PromptFingerprint, IsXxh3OfTheTemplateInHex) {
  EXPECT_EQ(PromptFingerprint(""), "t:2d06800538d394c2");  // XXH3_64bits("") known vector
  const std::string a = PromptFingerprint(PromptTemplate("Solve 12 + 7 step by step"));
  const std::string b = PromptFingerprint(PromptTemplate("  SOLVE 3 +  99 step\tby step"));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, PromptFingerprint(PromptTemplate("Solve 12 - 7 step by step")));
  ASSERT_EQ(a.size(), 18u);
  EXPECT_EQ(a.substr(0, 2), "t:");
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef", 2), std::string::npos) << a;
}

// ---------------------------------------------------------- timestamps ---

TEST(ParseTimestamp, AcceptsRfc3339AndUnixSeconds) {
  const std::pair<std::string_view, Timestamp> cases[] = {
      {"1970-01-01T00:00:00Z", 0},
      {"2026-02-01T12:00:03Z", 1769947203},
      {"2026-02-01t12:00:03z", 1769947203},
      {"2026-02-01 12:00:03Z", 1769947203},
      {"2026-02-01T12:00:03.999999Z", 1769947203},
      {"2026-02-01T12:00:03.5+00:00", 1769947203},
      {"2026-02-01T14:00:03+02:00", 1769947203},
      {"2026-02-01T07:30:03-04:30", 1769947203},
      {"2026-02-01T12:00:03-00:00", 1769947203},
      {"2026-02-02T00:00:03+12:00", 1769947203},
      {"  2026-02-01T12:00:03Z\n", 1769947203},
      {"2024-02-29T00:00:00Z", 1709164800},  // leap day
      {"2000-02-29T00:00:00Z", 951782400},   // divisible by 400: leap
      {"1969-12-31T23:59:59Z", -1},
      {"1900-01-01T00:00:00Z", -2208988800},
      {"0000-01-01T00:00:00Z", -62167219200},
      {"9999-12-31T23:59:59Z", 253402300799},
      {"2016-12-31T23:59:60Z", 1483228800},  // leap second folds into the next
      {"1769947203", 1769947203},
      {"0", 0},
      {"-1", -1},
      {"-0", 0},
      {"000123", 123},
      {" 42 ", 42},
      {"253402300799", 253402300799},
      {"-62167219200", -62167219200},
  };
  for (const auto& [raw, expected] : cases) {
    EXPECT_EQ(ParseTimestamp(raw), std::optional<Timestamp>(expected)) << "raw: " << raw;
  }
}

TEST(ParseTimestamp, RejectsEverythingElse) {
  const std::string_view cases[] = {
      "",
      " ",
      "now",
      "2026-02-01",
      "2026-02-01T12:00:03",
      "2026-02-01T12:00Z",
      "2026-02-01T12:00:03ZZ",
      "2026-02-01T12:00:03Z x",
      "2026-02-01X12:00:03Z",
      "2026-13-01T00:00:00Z",
      "2026-00-01T00:00:00Z",
      "2026-01-32T00:00:00Z",
      "2026-01-00T00:00:00Z",
      "2026-04-31T00:00:00Z",
      "2023-02-29T00:00:00Z",
      "1900-02-29T00:00:00Z",
      "2026-02-01T24:00:00Z",
      "2026-02-01T12:60:00Z",
      "2026-02-01T12:00:61Z",
      "2026-02-01T12:00:03.Z",
      "2026-02-01T12:00:03.",
      "2026-02-01T12:00:03+0200",
      "2026-02-01T12:00:03+02",
      "2026-02-01T12:00:03+24:00",
      "2026-02-01T12:00:03+02:60",
      "2026-02-01T12:00:03 +02:00",
      "2026-2-01T12:00:03Z",
      "26-02-01T12:00:03Z",
      "+2026-02-01T12:00:03Z",
      "2026-02-01T1:00:03Z",
      "２０２６-02-01T12:00:03Z",
      "1.5",
      "1e9",
      "+5",
      "--5",
      "-",
      "12 34",
      "0x10",
      "1769947203000",  // milliseconds
      "253402300800",
      "-62167219201",
      "99999999999999999999999",
  };
  for (std::string_view raw : cases) {
    EXPECT_EQ(ParseTimestamp(raw), std::nullopt) << "raw: " << raw;
  }
}

TEST(ParseTimestamp, HandlesShortPrefixesWithoutOverreading) {
  const std::string full = "2026-02-01T12:00:03.123+02:00";
  for (std::size_t n = 0; n < full.size(); ++n) {
    const std::string prefix = full.substr(0, n);
    const std::optional<Timestamp> ts = ParseTimestamp(prefix);
    // Only the "YYYY" prefix (a number) and nothing else may parse.
    if (n == 1 || n == 2 || n == 3 || n == 4) {
      EXPECT_TRUE(ts.has_value()) << prefix;
    } else {
      EXPECT_FALSE(ts.has_value()) << prefix;
    }
  }
}

TEST(FormatTimestamp, WritesUtcRfc3339) {
  const std::pair<Timestamp, std::string_view> cases[] = {
      {0, "1970-01-01T00:00:00Z"},
      {1769947203, "2026-02-01T12:00:03Z"},
      {-1, "1969-12-31T23:59:59Z"},
      {1709164800, "2024-02-29T00:00:00Z"},
      {-62167219200, "0000-01-01T00:00:00Z"},
      {253402300799, "9999-12-31T23:59:59Z"},
      {-62135596800, "0001-01-01T00:00:00Z"},
      {-62167219201, "-0001-12-31T23:59:59Z"},
      {253402300800, "10000-01-01T00:00:00Z"},
      {kNoTimestamp, ""},
  };
  for (const auto& [ts, expected] : cases) EXPECT_EQ(FormatTimestamp(ts), expected) << ts;
  EXPECT_FALSE(FormatTimestamp(kNoTimestamp + 1).empty());  // extreme value, no UB
  EXPECT_FALSE(FormatTimestamp(std::numeric_limits<Timestamp>::max()).empty());
}

// Slow reference: count days year by year and month by month from 1970.
Timestamp ReferenceSeconds(int year, int month, int day, int hour, int minute, int second) {
  const auto leap = [](int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; };
  const int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  Timestamp days = 0;
  for (int y = 1970; y < year; ++y) days += leap(y) ? 366 : 365;
  for (int y = year; y < 1970; ++y) days -= leap(y) ? 366 : 365;
  for (int m = 1; m < month; ++m) days += month_days[m - 1] + (m == 2 && leap(year));
  days += day - 1;
  return days * 86400 + hour * 3600 + minute * 60 + second;
}

TEST(ParseTimestamp, MatchesSlowReferenceAndRoundTrips) {
  std::mt19937 rng(1234);
  const int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  for (int iter = 0; iter < 5000; ++iter) {
    const int year = static_cast<int>(rng() % 10000);
    const int month = static_cast<int>(rng() % 12) + 1;
    int day = static_cast<int>(rng() % month_days[month - 1]) + 1;
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (month == 2 && day == 29 && !leap) day = 28;
    const int hour = static_cast<int>(rng() % 24), minute = static_cast<int>(rng() % 60),
              second = static_cast<int>(rng() % 60);
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day, hour,
                  minute, second);
    const Timestamp expected = ReferenceSeconds(year, month, day, hour, minute, second);
    ASSERT_EQ(ParseTimestamp(text), std::optional<Timestamp>(expected)) << text;
    ASSERT_EQ(FormatTimestamp(expected), text);
    ASSERT_EQ(ParseTimestamp(std::to_string(expected)), std::optional<Timestamp>(expected));
  }
}

// ------------------------------------------------------ NormalizeSignal ---

using KindValues = std::vector<std::pair<std::string, std::string>>;

// Signals as (kind, value) pairs, which GoogleTest compares and prints.
KindValues Pairs(const std::vector<Signal>& signals) {
  KindValues out;
  for (const Signal& s : signals) out.emplace_back(s.kind, s.value);
  return out;
}

struct SignalCase {
  std::string_view kind;
  std::string_view raw;
  KindValues expected;
};

TEST(NormalizeSignal, DispatchesByKind) {
  const std::string tmpl_fp = PromptFingerprint("solve # + # step by step");
  const SignalCase cases[] = {
      {"ip", " 203.0.113.7 ", {{"ip", "203.0.113.7"}, {"subnet", "203.0.113.0/24"}}},
      {"ip", "[2001:DB8::1]:443", {{"ip", "2001:db8::1"}, {"subnet", "2001:db8::/64"}}},
      {"email", "A.B+x@GoogleMail.com", {{"email", "ab@gmail.com"}}},
      {"phone", "+1 (555) 010-0000", {{"phone", "+15550100000"}}},
      {"payment", "pm_ABC", {{"payment", "pm_ABC"}}},
      {"payment",
       "4111 1111 1111 1111",
       {{"payment", "card:263f46f0660b7b34df1d6ceaa1b4454fb3d21ad1d8302063230e0b3e72c2564e"}}},
      {"prompt", "Solve 12 + 7 Step by step", {{"prompt", tmpl_fp}}},
      {"device", " fp_9C1e ", {{"device", "fp_9C1e"}}},
      {"user_agent", "Mozilla/5.0 (X11)", {{"user_agent", "Mozilla/5.0 (X11)"}}},
      {"api_key", "sk-AbC", {{"api_key", "sk-AbC"}}},
      {"org_domain", " Example.COM ", {{"org_domain", "Example.COM"}}},  // custom: opaque
      {"IP", "not an ip", {{"IP", "not an ip"}}},  // kind names are case-sensitive
      // empty values are not signals, whatever the kind
      {"ip", "", {}},
      {"ip", " \t", {}},
      {"email", "   ", {}},
      {"phone", "", {}},
      {"payment", "\n", {}},
      {"device", "", {}},
      {"prompt", "\xE3\x80\x80 \xC2\xA0", {}},
  };
  for (const SignalCase& c : cases) {
    std::vector<Signal> out;
    std::string error;
    EXPECT_TRUE(NormalizeSignal(c.kind, c.raw, {}, out, error)) << c.kind << " " << c.raw;
    EXPECT_EQ(Pairs(out), c.expected) << c.kind << " " << c.raw;
    EXPECT_EQ(error, "");
  }
}

TEST(NormalizeSignal, AppendsToExistingSignals) {
  std::vector<Signal> out = {{"device", "d1"}};
  std::string error;
  ASSERT_TRUE(NormalizeSignal("ip", "10.0.0.1", {}, out, error));
  ASSERT_TRUE(NormalizeSignal("email", "x@y.org", {}, out, error));
  const KindValues expected = {
      {"device", "d1"}, {"ip", "10.0.0.1"}, {"subnet", "10.0.0.0/24"}, {"email", "x@y.org"}};
  EXPECT_EQ(Pairs(out), expected);
}

TEST(NormalizeSignal, ExplainsRejectedValues) {
  const std::pair<std::string_view, std::string_view> cases[][2] = {
      {{"ip", "999.1.1.1"}, {"unparsable IP address '999.1.1.1'", "above 255"}},
      {{"ip", "01.2.3.4"}, {"unparsable IP address '01.2.3.4'", "leading zero"}},
      {{"ip", "1.2.3.4:99999"}, {"unparsable IP address '1.2.3.4:99999'", "port"}},
      {{"ip", "fe80::1%"}, {"unparsable IP address 'fe80::1%'", "zone"}},
      {{"ip", "nope"}, {"unparsable IP address 'nope'", "IPv6"}},
      {{"email", "a@b@c"}, {"invalid email address 'a@b@c'", "exactly one '@'"}},
      {{"email", "user@"}, {"invalid email address 'user@'", "both sides"}},
      {{"email", "+x@y.org"}, {"invalid email address '+x@y.org'", "local part is empty"}},
      {{"phone", " n/a "}, {"phone number 'n/a' has no digits", ""}},
      {{"ip", "a\nb"}, {"unparsable IP address 'a\\x0ab'", ""}},  // one line
  };
  for (const auto& c : cases) {
    std::vector<Signal> out = {{"device", "d1"}};
    std::string error;
    EXPECT_FALSE(NormalizeSignal(c[0].first, c[0].second, {}, out, error)) << c[0].second;
    EXPECT_EQ(out.size(), 1u) << "nothing appended on error";
    EXPECT_EQ(error.rfind(c[1].first, 0), 0u) << error;
    EXPECT_NE(error.find(c[1].second), std::string::npos) << error;
  }
}

TEST(NormalizeSignal, TruncatesLongValuesInErrors) {
  const std::string long_value = std::string(200, 'x') + "@@";
  std::vector<Signal> out;
  std::string error;
  ASSERT_FALSE(NormalizeSignal("email", long_value, {}, out, error));
  EXPECT_LT(error.size(), 160u) << error;
  EXPECT_NE(error.find(std::string(80, 'x') + "...'"), std::string::npos) << error;

  // A cut never splits a UTF-8 character: 79 ASCII bytes then 3-byte characters.
  const std::string utf8 = std::string(79, 'a') + "字字字字 not an ip";
  ASSERT_FALSE(NormalizeSignal("ip", utf8, {}, out, error));
  EXPECT_NE(error.find(std::string(79, 'a') + "...'"), std::string::npos) << error;
}

// ---------------------------------------------------------------- PII ---

constexpr std::string_view kTestPiiKey = "test-pii-key-0123456789";

TEST(PiiHash, IsHmacSha256OfTheValueUnderTheKey) {
  // openssl dgst -sha256 -mac HMAC -macopt key:test-pii-key-0123456789
  EXPECT_EQ(PiiHash("alice@example.org", kTestPiiKey),
            "h:9c2a7a946c20a8a72d1f1dc362a06c43f2e3549119f87379cc6f2c4d0579001d");
  EXPECT_NE(PiiHash("alice@example.org", "another-key-0123456789"),
            PiiHash("alice@example.org", kTestPiiKey));
  EXPECT_EQ(PiiKeyId(kTestPiiKey), "7a4799c28ca0f584");
  EXPECT_NE(PiiKeyId("another-key-0123456789"), PiiKeyId(kTestPiiKey));
}

TEST(NormalizeSignal, UnderAPiiKeyHashesEmailPhoneAndPaymentOnly) {
  const NormalizeOptions keyed{.pii_key = std::string(kTestPiiKey)};
  const std::string card = *NormalizePayment("4111 1111 1111 1111", {});
  const SignalCase cases[] = {
      {"email", "Alice+promo@Example.org", {{"email", *PiiHash("alice@example.org", kTestPiiKey)}}},
      {"phone", "+1 (555) 010-0000", {{"phone", *PiiHash("+15550100000", kTestPiiKey)}}},
      {"payment", " pm_ABC ", {{"payment", *PiiHash("pm_ABC", kTestPiiKey)}}},
      {"payment", "4111-1111-1111-1111", {{"payment", *PiiHash(card, kTestPiiKey)}}},
      {"ip", "203.0.113.7", {{"ip", "203.0.113.7"}, {"subnet", "203.0.113.0/24"}}},
      {"device", "fp_1", {{"device", "fp_1"}}},
      {"email", "  ", {}},
  };
  for (const SignalCase& c : cases) {
    std::vector<Signal> out;
    std::string error;
    EXPECT_TRUE(NormalizeSignal(c.kind, c.raw, keyed, out, error)) << c.kind << " " << c.raw;
    EXPECT_EQ(Pairs(out), c.expected) << c.kind << " " << c.raw;
  }
  // Two spellings of one address still meet after hashing.
  EXPECT_EQ(LookupValue("email", "a.b@googlemail.com", keyed),
            LookupValue("email", "AB+x@gmail.com", keyed));
}

TEST(NormalizeSignal, UnderAPiiKeyErrorsDoNotEchoTheValue) {
  const NormalizeOptions keyed{.pii_key = std::string(kTestPiiKey)};
  for (auto [kind, raw] :
       {std::pair{"email", "secret-name@@x"}, std::pair{"phone", "secret-name"}}) {
    std::vector<Signal> out;
    std::string error;
    EXPECT_FALSE(NormalizeSignal(kind, raw, keyed, out, error));
    EXPECT_EQ(error.find("secret"), std::string::npos) << error;
    EXPECT_FALSE(error.empty());
  }
}

TEST(LookupValue, GivesTheStoredFormOfAQuery) {
  EXPECT_EQ(LookupValue("ip", "[::ffff:10.0.0.1]:80", {}), "10.0.0.1");  // not the subnet
  EXPECT_EQ(LookupValue("email", "X@Y.org", {}), "x@y.org");
  EXPECT_EQ(LookupValue("prompt", "Solve 1 + 2", {}), PromptFingerprint("solve # + #"));
  std::string error = "unset";
  EXPECT_EQ(LookupValue("ip", " ", {}, &error), std::nullopt);
  EXPECT_EQ(error, "");
  EXPECT_EQ(LookupValue("ip", "300.1.1.1", {}, &error), std::nullopt);
  EXPECT_NE(error.find("above 255"), std::string::npos) << error;
}

TEST(RedactCardNumbers, ReplacesCardShapedRunsOnly) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {R"({"payment":"4111 1111 1111 1111","ip":"x"})", R"({"payment":"[card removed]","ip":"x"})"},
      {"a,payment,5555-5555-5555-4444,1", "a,payment,[card removed],1"},
      {"card 378282246310005.", "card [card removed]."},
      {"4111111111111112", "4111111111111112"},                  // fails Luhn
      {"ts 1700000000000 and 1700000000000123", "ts 1700000000000 and 1700000000000123"},
      {"41111111111111110000", "41111111111111110000"},          // 20 digits: no card
      {"x4111111111111111y", "x[card removed]y"},
      {"", ""},
      {"no digits", "no digits"},
  };
  for (auto [in, expected] : cases) {
    bool redacted = false;
    EXPECT_EQ(RedactCardNumbers(in, &redacted), expected) << in;
    EXPECT_EQ(redacted, in != expected) << in;
  }
  // Every card a payment value hashes is also caught in free text.
  for (std::string_view card : {"4111 1111 1111 1111", "5555555555554444", "378282246310005"})
    EXPECT_EQ(RedactCardNumbers(card), kRedactedCard) << card;
}

}  // namespace
}  // namespace ringscope
