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
};

// IPv4 or IPv6 in canonical text form (RFC 5952 for IPv6; IPv4-mapped IPv6
// such as ::ffff:1.2.3.4 is folded to the IPv4 address). `subnet` receives the
// /24 (IPv4) or /64 (IPv6) network in CIDR form, e.g. "203.0.113.0/24".
// Returns std::nullopt for anything that is not an address.
std::optional<std::string> NormalizeIp(std::string_view raw, std::string* subnet);

// Lower-cased; "+tag" removed from the local part; gmail.com/googlemail.com:
// dots removed from the local part, domain folded to gmail.com. Returns
// std::nullopt when there is no single '@' with text on both sides.
std::optional<std::string> NormalizeEmail(std::string_view raw);

// Digits only, a leading '+' kept. std::nullopt when no digit remains.
std::optional<std::string> NormalizePhone(std::string_view raw);

// True for 13-19 digits (spaces and dashes allowed between them) passing Luhn.
bool LooksLikeCardNumber(std::string_view raw);

// Opaque token, trimmed; a raw card number is replaced by "card:" + hex of
// HMAC-SHA256(key, digits) so the number itself is never stored.
std::optional<std::string> NormalizePayment(std::string_view raw, const NormalizeOptions& options);

// device, api_key, user_agent and declared custom kinds: trimmed, case kept.
std::optional<std::string> NormalizeOpaque(std::string_view raw);

// The template of a prompt: Unicode-aware lower-casing of ASCII letters, every
// run of digits masked as '#', whitespace runs collapsed to one space, trimmed.
std::string PromptTemplate(std::string_view raw);

// The `prompt` signal value: "t:" + 16 hex digits of XXH3-64 of the template.
// Similarity matching (templates joined into clusters) happens later, on top
// of these fingerprints.
std::string PromptFingerprint(std::string_view template_text);

// Normalises one raw value of `kind` and appends the resulting signals to
// `out` (ip yields ip and subnet). Returns false and fills `error` when the
// value is unusable for a kind whose rule rejects it (ip, email, phone);
// empty values are not signals: they append nothing and return true.
bool NormalizeSignal(std::string_view kind, std::string_view raw, const NormalizeOptions& options,
                     std::vector<Signal>& out, std::string& error);

// Trims ASCII whitespace from both ends.
std::string_view TrimAscii(std::string_view s);

// Parses an RFC 3339 timestamp ("2026-02-01T12:00:03Z", "+02:00" offsets,
// fractional seconds) or a decimal integer of Unix seconds.
std::optional<Timestamp> ParseTimestamp(std::string_view raw);

// RFC 3339 UTC text ("2026-02-01T12:00:03Z") of a timestamp; "" for kNoTimestamp.
std::string FormatTimestamp(Timestamp ts);

}  // namespace ringscope
