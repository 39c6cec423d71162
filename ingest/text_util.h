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

// Drops a UTF-8 byte order mark at the start of a file's first line.
inline std::string_view StripBom(std::string_view s) {
  if (s.size() >= 3 && s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  return s;
}

}  // namespace ringscope::text
