// Fuzzes every normaliser of ingest/normalize.h with the same bytes: ip, email,
// phone, payment, opaque values, prompt templates and fingerprints, timestamp
// parsing and formatting, and NormalizeSignal for every built-in kind and a
// declared one. Besides "never crashes, never reads out of bounds, no UB", it
// checks what the contracts promise: a normalised value normalises to itself
// (two spellings that match once keep matching), phones are digits with an
// optional leading '+', a card number never survives, fingerprints are
// "t:" + 16 hex digits, and a timestamp in 0000-9999 survives formatting.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_util.h"
#include "ingest/normalize.h"

namespace ringscope {
namespace {

constexpr Timestamp kMinUnixSeconds = -62167219200;  // 0000-01-01T00:00:00Z
constexpr Timestamp kMaxUnixSeconds = 253402300799;  // 9999-12-31T23:59:59Z

bool IsTrimmed(std::string_view s) { return TrimAscii(s).size() == s.size(); }

void CheckIp(std::string_view raw) {
  std::string subnet;
  const auto ip = NormalizeIp(raw, &subnet);
  if (!ip) return;
  FUZZ_CHECK(!ip->empty() && !subnet.empty());
  std::string subnet_again;
  FUZZ_CHECK(NormalizeIp(*ip, &subnet_again) == ip);
  FUZZ_CHECK(subnet_again == subnet);
  FUZZ_CHECK(NormalizeIp(raw, nullptr) == ip);
}

void CheckEmail(std::string_view raw) {
  const auto email = NormalizeEmail(raw);
  if (!email) return;
  FUZZ_CHECK(email->find('@') != std::string::npos && IsTrimmed(*email));
  FUZZ_CHECK(NormalizeEmail(*email) == email);
}

void CheckPhone(std::string_view raw) {
  const auto phone = NormalizePhone(raw);
  if (!phone) return;
  std::string_view digits = *phone;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  FUZZ_CHECK(!digits.empty());
  for (char c : digits) FUZZ_CHECK(c >= '0' && c <= '9');
  FUZZ_CHECK(NormalizePhone(*phone) == phone);
}

void CheckPayment(std::string_view raw) {
  const NormalizeOptions options;
  const auto payment = NormalizePayment(raw, options);
  if (LooksLikeCardNumber(TrimAscii(raw))) {
    FUZZ_CHECK(payment && payment->size() == 5 + 64 && payment->starts_with("card:"));
  }
  if (!payment) return;
  FUZZ_CHECK(!payment->empty() && IsTrimmed(*payment));
  FUZZ_CHECK(!LooksLikeCardNumber(*payment));
  FUZZ_CHECK(NormalizePayment(*payment, options) == payment);
}

void CheckOpaque(std::string_view raw) {
  const auto value = NormalizeOpaque(raw);
  const std::string_view trimmed = TrimAscii(raw);
  FUZZ_CHECK(value ? *value == trimmed : trimmed.empty());
}

void CheckPrompt(std::string_view raw) {
  const std::string t = PromptTemplate(raw);
  FUZZ_CHECK(t.size() <= raw.size());
  FUZZ_CHECK(t.empty() || (t.front() != ' ' && t.back() != ' '));
  FUZZ_CHECK(PromptTemplate(t) == t);
  const std::string fingerprint = PromptFingerprint(t);
  FUZZ_CHECK(fingerprint.size() == 18 && fingerprint.starts_with("t:"));
  for (char c : std::string_view(fingerprint).substr(2)) {
    FUZZ_CHECK((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  }
}

void CheckTimestamp(std::string_view raw) {
  const auto ts = ParseTimestamp(raw);
  if (!ts) return;
  FUZZ_CHECK(*ts != kNoTimestamp);
  const std::string text = FormatTimestamp(*ts);
  FUZZ_CHECK(!text.empty());
  if (*ts >= kMinUnixSeconds && *ts <= kMaxUnixSeconds) {
    FUZZ_CHECK(ParseTimestamp(text) == ts);
    FUZZ_CHECK(ParseTimestamp(std::to_string(*ts)) == ts);
  }
}

void CheckSignals(std::string_view raw) {
  const NormalizeOptions options;
  std::vector<std::string_view> kinds(std::begin(kBuiltinKinds), std::end(kBuiltinKinds));
  kinds.push_back("org_id");
  for (std::string_view kind : kinds) {
    std::vector<Signal> out;
    std::string error = "untouched";
    if (NormalizeSignal(kind, raw, options, out, error)) {
      FUZZ_CHECK(error == "untouched");
      for (const Signal& s : out) FUZZ_CHECK(!s.kind.empty() && !s.value.empty());
    } else {
      FUZZ_CHECK(out.empty() && !error.empty() && error != "untouched");
      // Errors echo at most ~80 bytes of the value (escaped: up to 4 characters
      // a byte), so they stay short whatever the input.
      FUZZ_CHECK(error.size() < 600);
    }
  }
}

}  // namespace
}  // namespace ringscope

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ringscope;
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  CheckIp(raw);
  CheckEmail(raw);
  CheckPhone(raw);
  CheckPayment(raw);
  CheckOpaque(raw);
  CheckPrompt(raw);
  CheckTimestamp(raw);
  CheckSignals(raw);
  // Any time ParseTimestamp can return (years 0000-9999, give or take a day
  // of offset) formats and parses back.
  const std::uint64_t span = static_cast<std::uint64_t>(kMaxUnixSeconds - kMinUnixSeconds);
  const Timestamp ts = kMinUnixSeconds + static_cast<Timestamp>(fuzz::OptionBytes(data, size).Next64() % span);
  FUZZ_CHECK(ParseTimestamp(FormatTimestamp(ts)) == ts);
  return 0;
}
