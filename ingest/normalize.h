// Normalisation: how two raw values come to match (shared/spec/formats.md).
//
// Every function is pure and allocation-light; none throws on bad data. A value
// that cannot be normalised yields an error reason instead of a value.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/types.h"

namespace ringscope {

struct NormalizeOptions {
  // Key for the keyed hash (HMAC-SHA256) that replaces raw card numbers. The
  // default key still hides the number; deployments set their own.
  std::string payment_key = "ringscope-default-payment-key";
  // Key of the PII hash. Empty: email, phone and payment values are stored
  // normalised, in clear (card numbers are hashed all the same). Set: every
  // value of a PII kind (IsPiiKind) is stored only as PiiHash(normalised
  // value, pii_key), and rejection reasons no longer echo such values. The key
  // itself is never stored or logged; the database keeps PiiKeyId(key).
  std::string pii_key;
};

// The kinds that hold personal data and are hashed under a PII key.
inline constexpr std::string_view kPiiKinds[] = {"email", "phone", "payment"};
bool IsPiiKind(std::string_view kind);

// "h:" + 64 lower-hex digits of HMAC-SHA256(key, value), e.g. the stored form
// of "alice@example.org" under a PII key. std::nullopt only if OpenSSL fails
// (never the value in clear). O(n).
std::optional<std::string> PiiHash(std::string_view value, std::string_view key);

// Names a PII key without revealing it: the first 16 lower-hex digits of
// HMAC-SHA256(key, "ringscope-pii-key-id"). The database stores it (settings
// 'pii_key_id') so that a later ingest or lookup with another key is refused.
std::string PiiKeyId(std::string_view key);

// The value that ingest stores for a raw value of `kind`, for looking it up:
// NormalizeSignal's first signal (for ip the address, not its subnet), hashed
// as ingest hashes it when options.pii_key is set. `options` must be those of
// the database's ingests (same payment_key and pii_key). std::nullopt when
// the value is no signal (blank) or is refused; then `error` (if not null)
// says why ("" for blank). O(n).
std::optional<std::string> LookupValue(std::string_view kind, std::string_view raw,
                                       const NormalizeOptions& options,
                                       std::string* error = nullptr);

// `text` with every card-number-shaped run replaced by "[card removed]": a
// maximal run of 13-19 ASCII digits (single spaces or dashes allowed between
// digits, not around them) whose first digit is 2-6 (the card networks' ranges,
// which keeps Unix timestamps in ms or us, starting with 1, intact) and which
// passes the Luhn check. Used on text that is stored as it came (raw rows of
// rejects, prompt examples) so that a card number never reaches the database.
// `redacted` (if not null) is set to whether anything was replaced. O(n).
std::string RedactCardNumbers(std::string_view text, bool* redacted = nullptr);
inline constexpr std::string_view kRedactedCard = "[card removed]";

// All functions below take O(n) time in the length of their input and trim
// ASCII whitespace (space, \t, \n, \r, \v, \f) from both ends first; a value
// that is empty after trimming yields std::nullopt (it is not a signal).

// IPv4 or IPv6 in canonical text form. IPv4: dotted quad, each part 0-255
// without leading zeros ("01.2.3.4" is rejected as ambiguous). IPv6: RFC 5952
// (lower-case hex, no leading zeros, the longest run of two or more zero
// groups written "::", the first one on ties; never the dotted tail), except
// that IPv4-mapped addresses (::ffff:1.2.3.4, in any spelling) are folded to
// the plain IPv4 address. Accepted wrappings, dropped from the result:
// "[v6]", "[v6]:port", "a.b.c.d:port" (port 0-65535) and an IPv6 zone id
// ("fe80::1%eth0"; an empty zone is rejected). IPv6 text is parsed by
// inet_pton(AF_INET6). `subnet` (may be null) receives the /24 (IPv4) or /64
// (IPv6) network in CIDR form: "203.0.113.0/24", "2001:db8:1:2::/64".
// Returns std::nullopt for anything that is not an address.
std::optional<std::string> NormalizeIp(std::string_view raw, std::string* subnet);

// ASCII letters lower-cased (other bytes kept); "+tag" (from the first '+')
// removed from the local part; gmail.com/googlemail.com: dots removed from the
// local part, domain folded to gmail.com. Returns std::nullopt when there is
// no single '@' with text on both sides, or when the local part is empty once
// the tag (and gmail dots) are removed ("+x@a.org").
std::optional<std::string> NormalizeEmail(std::string_view raw);

// ASCII digits only, with a '+' kept when it is the first character after
// trimming ("+1 (555) 010-0000" -> "+15550100000"). std::nullopt when no digit
// remains.
std::optional<std::string> NormalizePhone(std::string_view raw);

// True for 13-19 ASCII digits passing the Luhn check, where runs of spaces
// and dashes may separate digit groups (not lead or trail them).
bool LooksLikeCardNumber(std::string_view raw);

// Opaque token, trimmed, case kept; a raw card number (LooksLikeCardNumber) is
// replaced by "card:" + 64 lower-hex digits of HMAC-SHA256(options.payment_key,
// its digits without separators), so the number itself is never stored and
// spellings with or without separators match. std::nullopt for an empty value
// (or, should OpenSSL ever fail, rather than output the number).
std::optional<std::string> NormalizePayment(std::string_view raw, const NormalizeOptions& options);

// device, api_key, user_agent and declared custom kinds: trimmed, case kept.
std::optional<std::string> NormalizeOpaque(std::string_view raw);

// The template of a prompt, byte by byte over UTF-8 text: ASCII letters
// lower-cased (every other byte kept as it is, so multi-byte characters such
// as CJK, emoji and combining marks pass through intact and are never split);
// every run of ASCII digits masked as one '#', where '.' or ',' between digits
// stays inside the run ("3.14", "1,000" and "v1.2.3" -> "#", "v#"); runs of
// whitespace (ASCII whitespace, U+00A0, U+3000) collapsed to one space; no
// leading or trailing space. No trimming beyond that; "" for a blank prompt.
std::string PromptTemplate(std::string_view raw);

// The `prompt` signal value: "t:" + 16 lower-hex digits of XXH3_64bits of the
// template (seed 0), e.g. "t:0123456789abcdef". Similarity matching
// (templates joined into clusters) happens later, on top of these fingerprints.
std::string PromptFingerprint(std::string_view template_text);

// Normalises one raw value of `kind` (exact, case-sensitive kind name) and
// appends the resulting signals to `out`: "ip" appends {ip, canonical} and
// {subnet, network}; "email", "phone", "payment" follow the functions above;
// "prompt" appends {prompt, PromptFingerprint(PromptTemplate(raw))}; every
// other kind is opaque (trimmed, case kept). A value that is empty after
// trimming (or a prompt of whitespace only) is not a signal: nothing is
// appended and the result is true. Returns false, appends nothing and sets
// `error` to a reason a person can act on (the value echoed in quotes, cut to
// ~80 bytes, e.g. "unparsable IP address '999.1.1.1': an IPv4 part is above
// 255") when the rule of the kind rejects the value (ip, email, phone). A
// payment error never echoes the value, nor does an email or phone error when
// options.pii_key is set; with a PII key, email, phone and payment values are
// appended as PiiHash(normalised, pii_key). O(n); `error` untouched on success.
bool NormalizeSignal(std::string_view kind, std::string_view raw, const NormalizeOptions& options,
                     std::vector<Signal>& out, std::string& error);

// Trims ASCII whitespace (space, \t, \n, \r, \v, \f) from both ends. O(n).
std::string_view TrimAscii(std::string_view s);

// Parses, after trimming, either an RFC 3339 timestamp
//   YYYY-MM-DD('T'|'t'|' ')hh:mm:ss[.fraction]('Z'|'z'|+hh:mm|-hh:mm)
// (the offset is applied, the fraction dropped, fields are range-checked
// including days per month and leap years; second 60 is accepted as RFC 3339
// allows; a missing offset is rejected as ambiguous), or a decimal integer of
// Unix seconds with an optional leading '-', limited to the years 0000-9999
// (so a millisecond count is rejected, not misread). std::nullopt for anything
// else. Pure date arithmetic: no locale, no time zone database. O(n).
std::optional<Timestamp> ParseTimestamp(std::string_view raw);

// RFC 3339 UTC text ("2026-02-01T12:00:03Z") of a timestamp; "" for
// kNoTimestamp. Years are written with at least four digits; a year outside
// 0000-9999 (only reachable from ParseTimestamp through an offset at the very
// ends of its range) gets a '-' sign or more digits. O(1).
std::string FormatTimestamp(Timestamp ts);

}  // namespace ringscope
