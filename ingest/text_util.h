// Small text helpers the input readers share.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace ringscope::text {

// Echoes a value in a message without flooding it: at most 80 bytes, then "...".
inline std::string Shorten(std::string_view s) {
  constexpr std::size_t kMax = 80;
  if (s.size() <= kMax) return std::string(s);
  return std::string(s.substr(0, kMax)) + "...";
}

// Only spaces, tabs and carriage returns (a blank line is not a row).
inline bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

// Input text made safe to echo on one terminal line: control bytes (below
// 0x20, and DEL) as \xNN, so a value cannot break a line, move the cursor or
// recolour the screen; at most `max` bytes of the input, cut back to a UTF-8
// character boundary (never before byte 0) and then marked "...". Bytes of
// 0x80 and above pass through unchanged, valid UTF-8 or not. O(n).
inline std::string Printable(std::string_view s, std::size_t max = std::string_view::npos) {
  constexpr char kHex[] = "0123456789abcdef";
  const bool cut = s.size() > max;
  if (cut) {
    std::size_t end = max;
    while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
    s = s.substr(0, end);
  }
  std::string out;
  out.reserve(s.size() + (cut ? 3 : 0));
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    } else {
      out += c;
    }
  }
  if (cut) out += "...";
  return out;
}

// Drops a UTF-8 byte order mark at the start of a file's first line.
inline std::string_view StripBom(std::string_view s) {
  if (s.size() >= 3 && s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  return s;
}

}  // namespace ringscope::text
