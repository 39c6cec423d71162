// Normalisers (shared/spec/formats.md, "Normalisation"): how two raw values
// come to match. Everything here runs on every field of every input line, so
// the code is byte loops over string_views: no regex, no iostreams, no
// exceptions, one allocation per produced value at most.
#include "ingest/normalize.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <charconv>
#include <cstdint>
#include <cstring>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "ingest/text_util.h"

namespace ringscope {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr std::size_t kMaxEchoBytes = 80;

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// The value as echoed in an error: quoted, at most ~80 bytes (cut on a UTF-8
// boundary, "..." inside the quotes), control bytes shown as \xNN so a
// reason stays on one line.
std::string Quoted(std::string_view value) {
  return "'" + text::Printable(value, kMaxEchoBytes) + "'";
}

// ---------------------------------------------------------------- IP ------

struct IpResult {
  std::string canonical;
  std::string subnet;
};

// Strict dotted quad: exactly four decimal parts 0-255, no leading zeros (so
// "01.2.3.4" is rejected instead of guessing octal or decimal).
const char* ParseIpv4(std::string_view s, std::array<std::uint8_t, 4>& out) {
  std::size_t pos = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (pos >= s.size() || s[pos] != '.') return "expected an IPv4 a.b.c.d or an IPv6 address";
      ++pos;
    }
    const std::size_t start = pos;
    unsigned value = 0;
    while (pos < s.size() && IsDigit(s[pos]) && pos - start < 4) {
      value = value * 10 + static_cast<unsigned>(s[pos] - '0');
      ++pos;
    }
    const std::size_t len = pos - start;
    if (len == 0) return "expected an IPv4 a.b.c.d or an IPv6 address";
    if (len > 1 && s[start] == '0') return "an IPv4 part with a leading zero is ambiguous";
    if (value > 255) return "an IPv4 part is above 255";
    out[part] = static_cast<std::uint8_t>(value);
  }
  if (pos != s.size()) return "expected an IPv4 a.b.c.d or an IPv6 address";
  return nullptr;
}

bool IsPort(std::string_view s) {
  if (s.empty() || s.size() > 5) return false;
  unsigned value = 0;
  for (char c : s) {
    if (!IsDigit(c)) return false;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value <= 65535;
}

// Writes 0-255 in decimal without leading zeros; returns the end.
char* WriteOctet(char* p, std::uint8_t v) {
  if (v >= 100) *p++ = static_cast<char>('0' + v / 100);
  if (v >= 10) *p++ = static_cast<char>('0' + v / 10 % 10);
  *p++ = static_cast<char>('0' + v % 10);
  return p;
}

// "a.b.c.d" and "a.b.c.0/24".
void FormatIpv4(const std::array<std::uint8_t, 4>& a, IpResult& r) {
  char buf[20];  // "255.255.255.255" is 15 bytes, "255.255.255.0/24" 16
  char* p = buf;
  for (int i = 0; i < 3; ++i) {
    p = WriteOctet(p, a[i]);
    *p++ = '.';
  }
  char* const network_end = p;
  p = WriteOctet(p, a[3]);
  r.canonical.assign(buf, p);
  std::memcpy(network_end, "0/24", 4);
  r.subnet.assign(buf, network_end + 4);
}

// RFC 5952 text of eight 16-bit words: lower-case hex without leading zeros,
// the longest run (>= 2) of zero words replaced by "::", the first on ties.
// Never uses the dotted IPv4 tail (mapped addresses are folded before this).
std::string FormatIpv6(const std::array<std::uint16_t, 8>& w) {
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (w[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && w[j] == 0) ++j;
    if (j - i > best_len) best = i, best_len = j - i;
    i = j;
  }
  if (best_len < 2) best = -1;
  char buf[48];
  char* p = buf;
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      *p++ = ':';
      *p++ = ':';
      i += best_len - 1;
      continue;
    }
    if (i > 0 && i != best + best_len) *p++ = ':';
    p = std::to_chars(p, buf + sizeof buf, w[i], 16).ptr;
  }
  return std::string(buf, p);
}

// An IPv6 literal (no brackets), optionally with a %zone that is dropped.
const char* ParseIpv6(std::string_view s, IpResult& r) {
  if (const std::size_t pct = s.find('%'); pct != std::string_view::npos) {
    if (pct + 1 == s.size()) return "empty zone id after '%'";
    s = s.substr(0, pct);
  }
  char text[INET6_ADDRSTRLEN];
  if (s.size() >= sizeof text) return "too long for an IPv6 address";
  std::memcpy(text, s.data(), s.size());
  text[s.size()] = '\0';
  unsigned char bytes[16];
  if (inet_pton(AF_INET6, text, bytes) != 1) return "expected an IPv4 a.b.c.d or an IPv6 address";
  std::array<std::uint16_t, 8> w;
  for (int i = 0; i < 8; ++i)
    w[i] = static_cast<std::uint16_t>(bytes[2 * i] << 8 | bytes[2 * i + 1]);
  if (w[0] == 0 && w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0 && w[5] == 0xFFFF) {
    FormatIpv4({bytes[12], bytes[13], bytes[14], bytes[15]}, r);  // IPv4-mapped
    return nullptr;
  }
  r.canonical = FormatIpv6(w);
  w[4] = w[5] = w[6] = w[7] = 0;
  r.subnet = FormatIpv6(w);
  r.subnet += "/64";
  return nullptr;
}

// Returns nullptr on success, else what is wrong (for the error reason).
const char* ParseIp(std::string_view raw, IpResult& r) {
  std::string_view s = TrimAscii(raw);
  if (s.empty()) return "empty";
  if (s.front() == '[') {  // [v6] or [v6]:port
    const std::size_t close = s.find(']');
    if (close == std::string_view::npos) return "missing ']'";
    const std::string_view rest = s.substr(close + 1);
    if (!rest.empty() && (rest.front() != ':' || !IsPort(rest.substr(1)))) {
      return "expected a port 0-65535 after ']:'";
    }
    return ParseIpv6(s.substr(1, close - 1), r);
  }
  const std::size_t colon = s.find(':');
  if (colon == std::string_view::npos || s.find(':', colon + 1) == std::string_view::npos) {
    // IPv4, or IPv4:port (an IPv6 literal always has at least two colons).
    std::array<std::uint8_t, 4> a;
    if (const char* why = ParseIpv4(s.substr(0, colon), a)) return why;
    if (colon != std::string_view::npos && !IsPort(s.substr(colon + 1))) {
      return "expected a port 0-65535 after ':'";
    }
    FormatIpv4(a, r);
    return nullptr;
  }
  return ParseIpv6(s, r);
}

// -------------------------------------------------------------- email -----

// Returns nullptr on success, else what is wrong.
const char* ParseEmail(std::string_view raw, std::string& out) {
  const std::string_view s = TrimAscii(raw);
  const std::size_t at = s.find('@');
  if (at == std::string_view::npos || s.find('@', at + 1) != std::string_view::npos) {
    return "expected exactly one '@'";
  }
  if (at == 0 || at + 1 == s.size()) return "expected text on both sides of '@'";
  // No address holds an unquoted space or control byte; allowing them would
  // also let removing gmail dots expose a leading space (".\nx@gmail.com").
  for (const char c : s) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '\x7f') {
      return "an email holds no spaces or control characters";
    }
  }
  std::string_view local = s.substr(0, at);
  const std::string_view domain = s.substr(at + 1);
  if (const std::size_t plus = local.find('+'); plus != std::string_view::npos) {
    local = local.substr(0, plus);
  }
  out.clear();
  out.reserve(s.size());
  for (char c : domain) out += LowerAscii(c);
  const bool gmail = out == "gmail.com" || out == "googlemail.com";
  out.clear();
  for (char c : local) {
    if (gmail && c == '.') continue;
    out += LowerAscii(c);
  }
  if (out.empty()) return "the local part is empty once the '+tag' (and gmail dots) are removed";
  out += '@';
  if (gmail) {
    out += "gmail.com";
  } else {
    for (char c : domain) out += LowerAscii(c);
  }
  return nullptr;
}

// ------------------------------------------------------------ payment -----

// Collects the digits of a card-number-shaped value: digits, with runs of
// spaces or dashes only between digits. Returns the digit count (0 if the
// shape does not fit or there are more than 19 digits).
std::size_t CardDigits(std::string_view s, char (&digits)[19]) {
  std::size_t n = 0;
  bool after_separator = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (IsDigit(c)) {
      if (n == sizeof digits) return 0;
      digits[n++] = c;
      after_separator = false;
    } else if ((c == ' ' || c == '-') && n > 0) {
      after_separator = true;
    } else {
      return 0;
    }
  }
  return after_separator ? 0 : n;
}

bool PassesLuhn(const char* digits, std::size_t n) {
  unsigned sum = 0;
  bool twice = false;
  for (std::size_t i = n; i-- > 0;) {
    unsigned d = static_cast<unsigned>(digits[i] - '0');
    if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

// prefix + hex HMAC-SHA256(key, data). HMAC() is the one-shot form that
// OpenSSL 3.0 keeps (the HMAC_CTX_* functions are the deprecated ones).
std::optional<std::string> HmacHex(std::string_view prefix, std::string_view key, const void* data,
                                   std::size_t size) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  const unsigned char* ok =
      HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           static_cast<const unsigned char*>(data), size, mac, &mac_len);
  if (ok == nullptr || mac_len == 0) return std::nullopt;
  std::string out;
  out.reserve(prefix.size() + 2 * mac_len);
  out += prefix;
  for (unsigned int i = 0; i < mac_len; ++i) {
    out += kHexDigits[mac[i] >> 4];
    out += kHexDigits[mac[i] & 0xF];
  }
  OPENSSL_cleanse(mac, sizeof mac);
  return out;
}

// "card:" + hex HMAC-SHA256(key, digits).
std::optional<std::string> HashCard(const char* digits, std::size_t n, const std::string& key) {
  return HmacHex("card:", key, digits, n);
}

// End of the card-number-shaped run starting at the digit text[i] (digits,
// single ' ' or '-' between digits), its digits collected while they fit.
std::size_t CardRunEnd(std::string_view text, std::size_t i, char (&digits)[19], std::size_t& n) {
  n = 0;
  std::size_t end = i;
  while (i < text.size()) {
    if (IsDigit(text[i])) {
      if (n < sizeof digits) digits[n] = text[i];
      ++n;
      end = ++i;
    } else if ((text[i] == ' ' || text[i] == '-') && i + 1 < text.size() && IsDigit(text[i + 1])) {
      ++i;
    } else {
      break;
    }
  }
  return end;
}

// ------------------------------------------------------------- prompt -----

// Byte classes for the template loop, one table lookup per byte.
enum ByteClass : std::uint8_t { kKeep, kUpper, kDigit, kSpace, kMaybeSpace };

constexpr std::array<std::uint8_t, 256> MakeByteClasses() {
  std::array<std::uint8_t, 256> classes{};  // kKeep
  for (int c = 'A'; c <= 'Z'; ++c) classes[c] = kUpper;
  for (int c = '0'; c <= '9'; ++c) classes[c] = kDigit;
  for (char c : {' ', '\t', '\n', '\r', '\v', '\f'})
    classes[static_cast<unsigned char>(c)] = kSpace;
  classes[0xC2] = kMaybeSpace;  // U+00A0 is C2 A0
  classes[0xE3] = kMaybeSpace;  // U+3000 is E3 80 80
  return classes;
}
constexpr std::array<std::uint8_t, 256> kByteClasses = MakeByteClasses();

ByteClass ClassAt(std::string_view s, std::size_t i) {
  return static_cast<ByteClass>(kByteClasses[static_cast<unsigned char>(s[i])]);
}

// Length in bytes of the U+00A0 or U+3000 starting at the C2/E3 byte s[i], or
// 0. C2 and E3 are lead bytes, so a match never starts inside another
// character's sequence.
std::size_t UnicodeSpaceAt(std::string_view s, std::size_t i) {
  if (s[i] == '\xC2') return i + 1 < s.size() && s[i + 1] == '\xA0' ? 2 : 0;
  return i + 2 < s.size() && s[i + 1] == '\x80' && s[i + 2] == '\x80' ? 3 : 0;
}

// End of the number run starting at the digit s[i]: digits, plus '.' or ','
// when a digit follows them ("3.14", "1,000").
std::size_t NumberRunEnd(std::string_view s, std::size_t i) {
  while (i < s.size()) {
    if (IsDigit(s[i])) {
      ++i;
    } else if ((s[i] == '.' || s[i] == ',') && i + 1 < s.size() && IsDigit(s[i + 1])) {
      i += 2;
    } else {
      break;
    }
  }
  return i;
}

}  // namespace

std::string_view TrimAscii(std::string_view s) {
  std::size_t begin = 0, end = s.size();
  while (begin < end && IsAsciiSpace(s[begin])) ++begin;
  while (end > begin && IsAsciiSpace(s[end - 1])) --end;
  return s.substr(begin, end - begin);
}

std::optional<std::string> NormalizeIp(std::string_view raw, std::string* subnet) {
  IpResult r;
  if (ParseIp(raw, r) != nullptr) return std::nullopt;
  if (subnet != nullptr) *subnet = std::move(r.subnet);
  return std::move(r.canonical);
}

std::optional<std::string> NormalizeEmail(std::string_view raw) {
  std::string out;
  if (ParseEmail(raw, out) != nullptr) return std::nullopt;
  return out;
}

std::optional<std::string> NormalizePhone(std::string_view raw) {
  const std::string_view s = TrimAscii(raw);
  std::string out;
  out.reserve(s.size());
  if (!s.empty() && s.front() == '+') out += '+';
  bool any_digit = false;
  for (char c : s) {
    if (IsDigit(c)) {
      out += c;
      any_digit = true;
    }
  }
  if (!any_digit) return std::nullopt;
  return out;
}

bool LooksLikeCardNumber(std::string_view raw) {
  char digits[19];
  const std::size_t n = CardDigits(TrimAscii(raw), digits);
  const bool card = n >= 13 && PassesLuhn(digits, n);
  OPENSSL_cleanse(digits, sizeof digits);
  return card;
}

std::optional<std::string> NormalizePayment(std::string_view raw, const NormalizeOptions& options) {
  const std::string_view s = TrimAscii(raw);
  if (s.empty()) return std::nullopt;
  char digits[19];
  const std::size_t n = CardDigits(s, digits);
  std::optional<std::string> out;
  if (n >= 13 && PassesLuhn(digits, n)) {
    out = HashCard(digits, n, options.payment_key);  // nullopt if OpenSSL fails
  } else {
    out.emplace(s);
  }
  OPENSSL_cleanse(digits, sizeof digits);
  return out;
}

std::optional<std::string> NormalizeOpaque(std::string_view raw) {
  const std::string_view s = TrimAscii(raw);
  if (s.empty()) return std::nullopt;
  return std::string(s);
}

bool IsPiiKind(std::string_view kind) {
  return std::find(std::begin(kPiiKinds), std::end(kPiiKinds), kind) != std::end(kPiiKinds);
}

std::optional<std::string> PiiHash(std::string_view value, std::string_view key) {
  return HmacHex("h:", key, value.data(), value.size());
}

std::string PiiKeyId(std::string_view key) {
  constexpr std::string_view kLabel = "ringscope-pii-key-id";
  std::optional<std::string> mac = HmacHex("", key, kLabel.data(), kLabel.size());
  return mac ? mac->substr(0, 16) : std::string();
}

std::string RedactCardNumbers(std::string_view text, bool* redacted) {
  std::string out;
  out.reserve(text.size());
  bool any = false;
  char digits[19];
  for (std::size_t i = 0; i < text.size();) {
    if (!IsDigit(text[i]) || (i > 0 && IsDigit(text[i - 1]))) {
      out += text[i++];
      continue;
    }
    std::size_t n = 0;
    const std::size_t end = CardRunEnd(text, i, digits, n);
    if (n >= 13 && n <= 19 && digits[0] >= '2' && digits[0] <= '6' && PassesLuhn(digits, n)) {
      out += kRedactedCard;
      any = true;
    } else {
      out.append(text.substr(i, end - i));
    }
    i = end;
  }
  OPENSSL_cleanse(digits, sizeof digits);
  if (redacted != nullptr) *redacted = any;
  return out;
}

std::optional<std::string> LookupValue(std::string_view kind, std::string_view raw,
                                       const NormalizeOptions& options, std::string* error) {
  std::vector<Signal> signals;
  std::string why;
  const bool ok = NormalizeSignal(kind, raw, options, signals, why);
  if (error != nullptr) *error = why;
  if (!ok || signals.empty()) return std::nullopt;
  return std::move(signals.front().value);
}

std::string PromptTemplate(std::string_view raw) {
  // The template is never longer than the input: write into a buffer of that
  // size and shrink once at the end (no per-byte capacity checks).
  std::string out(raw.size(), '\0');
  char* const begin = out.data();
  char* p = begin;
  bool pending_space = false;
  for (std::size_t i = 0; i < raw.size();) {
    const ByteClass cls = ClassAt(raw, i);
    std::size_t space = cls == kSpace ? 1 : 0;
    if (cls == kMaybeSpace) space = UnicodeSpaceAt(raw, i);
    if (space != 0) {
      pending_space = p != begin;
      i += space;
      continue;
    }
    if (pending_space) {
      *p++ = ' ';
      pending_space = false;
    }
    if (cls == kDigit) {
      *p++ = '#';
      i = NumberRunEnd(raw, i);
      continue;
    }
    do {  // the common case: a run of bytes that are copied, ASCII lower-cased
      const char c = raw[i];
      *p++ = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
      ++i;
    } while (i < raw.size() && ClassAt(raw, i) <= kUpper);
  }
  out.resize(static_cast<std::size_t>(p - begin));
  return out;
}

std::string PromptFingerprint(std::string_view template_text) {
  std::uint64_t h = XXH3_64bits(template_text.data(), template_text.size());
  std::string out(18, '0');
  out[0] = 't';
  out[1] = ':';
  for (int i = 17; i >= 2; --i, h >>= 4) out[i] = kHexDigits[h & 0xF];
  return out;
}

bool NormalizeSignal(std::string_view kind, std::string_view raw, const NormalizeOptions& options,
                     std::vector<Signal>& out, std::string& error) {
  const std::string_view value = TrimAscii(raw);
  if (value.empty()) return true;
  const bool hashed = !options.pii_key.empty() && IsPiiKind(kind);
  std::string normalized;
  if (kind == "ip") {
    IpResult r;
    if (const char* why = ParseIp(value, r)) {
      error = "unparsable IP address " + Quoted(value) + ": " + why;
      return false;
    }
    out.push_back({std::string(kind), std::move(r.canonical)});
    out.push_back({std::string(kDerivedSubnetKind), std::move(r.subnet)});
    return true;
  } else if (kind == "email") {
    if (const char* why = ParseEmail(value, normalized)) {
      error = "invalid email address " + (hashed ? std::string() : Quoted(value) + ": ") + why;
      return false;
    }
  } else if (kind == "phone") {
    std::optional<std::string> phone = NormalizePhone(value);
    if (!phone) {
      error = hashed ? "phone number has no digits"
                     : "phone number " + Quoted(value) + " has no digits";
      return false;
    }
    normalized = std::move(*phone);
  } else if (kind == "payment") {
    std::optional<std::string> payment = NormalizePayment(value, options);
    if (!payment) {  // never echo the value: it is a card number
      error = "could not hash a card number (OpenSSL HMAC-SHA256 failed)";
      return false;
    }
    normalized = std::move(*payment);
  } else if (kind == "prompt") {
    const std::string tmpl = PromptTemplate(value);
    if (tmpl.empty()) return true;  // only whitespace such as U+3000: not a signal
    normalized = PromptFingerprint(tmpl);
  } else {
    normalized.assign(value);  // device, api_key, user_agent, custom kinds
  }
  if (hashed) {
    std::optional<std::string> hash = PiiHash(normalized, options.pii_key);
    OPENSSL_cleanse(normalized.data(), normalized.size());
    if (!hash) {  // never fall back to the value in clear
      error = "could not hash a " + std::string(kind) + " value (OpenSSL HMAC-SHA256 failed)";
      return false;
    }
    normalized = std::move(*hash);
  }
  out.push_back({std::string(kind), std::move(normalized)});
  return true;
}

// ---------------------------------------------------------- timestamps -----

namespace {

constexpr Timestamp kSecondsPerDay = 86400;
// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the years RFC 3339 can write.
constexpr Timestamp kMinUnixSeconds = -62167219200;
constexpr Timestamp kMaxUnixSeconds = 253402300799;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
// days_from_civil, http://howardhinnant.github.io/date_algorithms.html). O(1).
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct CivilDate {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

// Inverse of DaysFromCivil (civil_from_days). O(1).
CivilDate CivilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

bool IsLeapYear(std::int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

unsigned DaysInMonth(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

// Reads `n` decimal digits at s[pos]; false if any is not a digit.
bool ReadDigits(std::string_view s, std::size_t pos, std::size_t n, unsigned& value) {
  if (pos + n > s.size()) return false;
  value = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!IsDigit(s[i])) return false;
    value = value * 10 + static_cast<unsigned>(s[i] - '0');
  }
  return true;
}

// [+-]hh:mm, Z or z at s[pos..], to the end; offset in seconds east of UTC.
bool ParseZone(std::string_view s, std::size_t pos, Timestamp& offset) {
  if (pos + 1 == s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    offset = 0;
    return true;
  }
  unsigned hh = 0, mm = 0;
  if (pos + 6 != s.size() || (s[pos] != '+' && s[pos] != '-') || s[pos + 3] != ':' ||
      !ReadDigits(s, pos + 1, 2, hh) || !ReadDigits(s, pos + 4, 2, mm) || hh > 23 || mm > 59) {
    return false;
  }
  offset = (s[pos] == '-' ? -1 : 1) * static_cast<Timestamp>(hh * 3600 + mm * 60);
  return true;
}

// YYYY-MM-DD[Tt ]hh:mm:ss[.frac](Z|z|+hh:mm|-hh:mm). Fields are range-checked
// (second 60, a leap second, is accepted as RFC 3339 allows).
std::optional<Timestamp> ParseRfc3339(std::string_view s) {
  unsigned year, month, day, hour, minute, second;
  if (s.size() < 20 || !ReadDigits(s, 0, 4, year) || s[4] != '-' || !ReadDigits(s, 5, 2, month) ||
      s[7] != '-' || !ReadDigits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !ReadDigits(s, 11, 2, hour) || s[13] != ':' || !ReadDigits(s, 14, 2, minute) ||
      s[16] != ':' || !ReadDigits(s, 17, 2, second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 ||
      minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::size_t pos = 19;
  if (s[pos] == '.') {  // fractional seconds: at least one digit, dropped
    const std::size_t first = ++pos;
    while (pos < s.size() && IsDigit(s[pos])) ++pos;
    if (pos == first || pos == s.size()) return std::nullopt;
  }
  Timestamp offset = 0;
  if (!ParseZone(s, pos, offset)) return std::nullopt;
  return DaysFromCivil(year, month, day) * kSecondsPerDay + hour * 3600 + minute * 60 + second -
         offset;
}

// -?digits within [kMinUnixSeconds, kMaxUnixSeconds].
std::optional<Timestamp> ParseUnixSeconds(std::string_view s) {
  const bool negative = !s.empty() && s.front() == '-';
  const std::string_view digits = negative ? s.substr(1) : s;
  if (digits.empty() || digits.size() > 12) return std::nullopt;  // 12 digits > range
  Timestamp value = 0;
  for (char c : digits) {
    if (!IsDigit(c)) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (negative) value = -value;
  if (value < kMinUnixSeconds || value > kMaxUnixSeconds) return std::nullopt;
  return value;
}

}  // namespace

std::optional<Timestamp> ParseTimestamp(std::string_view raw) {
  const std::string_view s = TrimAscii(raw);
  if (s.size() >= 5 && IsDigit(s[0]) && s[4] == '-') return ParseRfc3339(s);
  return ParseUnixSeconds(s);
}

std::string FormatTimestamp(Timestamp ts) {
  if (ts == kNoTimestamp) return {};
  std::int64_t days = ts / kSecondsPerDay;
  std::int64_t secs = ts % kSecondsPerDay;
  if (secs < 0) secs += kSecondsPerDay, --days;
  const CivilDate date = CivilFromDays(days);
  char buf[48];
  char* p = buf;
  std::int64_t year = date.year;
  if (year < 0) *p++ = '-', year = -year;
  for (std::int64_t scale = 1000; scale > 1 && year < scale; scale /= 10) *p++ = '0';
  p = std::to_chars(p, buf + sizeof buf, year).ptr;
  const auto two = [&p](unsigned v, char before) {
    *p++ = before;
    *p++ = static_cast<char>('0' + v / 10);
    *p++ = static_cast<char>('0' + v % 10);
  };
  two(date.month, '-');
  two(date.day, '-');
  two(static_cast<unsigned>(secs / 3600), 'T');
  two(static_cast<unsigned>(secs / 60 % 60), ':');
  two(static_cast<unsigned>(secs % 60), ':');
  *p++ = 'Z';
  return std::string(buf, p);
}

}  // namespace ringscope
