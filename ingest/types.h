// Types shared by the readers, the normalisers and the store.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace ringscope {

// Unix seconds. Inputs give RFC 3339 strings or integers; both end up here.
using Timestamp = std::int64_t;
inline constexpr Timestamp kNoTimestamp = std::numeric_limits<Timestamp>::min();

// Built-in signal kinds (formats.md). `subnet` is derived from `ip`, never read.
inline constexpr std::string_view kBuiltinKinds[] = {
    "ip", "device", "payment", "email", "phone", "user_agent", "api_key", "prompt"};
inline constexpr std::string_view kDerivedSubnetKind = "subnet";

// One normalised signal value: (kind, value) is what accounts share.
struct Signal {
  std::string kind;
  std::string value;
};

// A prompt as it arrives: the text is kept only as a bounded example.
struct PromptSample {
  std::string fingerprint;  // the `prompt` signal value this text produced
  std::string text;         // raw text, truncated to kMaxPromptExampleBytes
};
inline constexpr std::size_t kMaxPromptExampleBytes = 1000;

// Why a row was rejected: the field it concerns (may be empty) and a reason a
// person can act on.
struct RowError {
  std::string field;
  std::string reason;
};

}  // namespace ringscope
