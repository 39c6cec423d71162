#include "tools/gen/text.h"

#include <cstring>
#include <stdexcept>

namespace ringscope::gen {

namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

// Civil date of a day count (Hinnant's algorithm).
void CivilFromDays(std::int64_t z, int& year, unsigned& month, unsigned& day) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  day = doy - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = static_cast<int>(y + (month <= 2));
}

inline void AppendTwoDigits(char* p, unsigned v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
}

// Index of the ']' or '|' that ends the choice alternative starting at `i`,
// skipping nested brackets.
std::size_t AlternativeEnd(std::string_view s, std::size_t i) {
  int depth = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '[')
      ++depth;
    else if (c == ']' && depth-- == 0)
      return i;
    else if (c == '|' && depth == 0)
      return i;
  }
  throw std::logic_error("template: unbalanced '[' in \"" + std::string(s) + "\"");
}

}  // namespace

void AppendUint(std::string& out, std::uint64_t value) {
  char buf[20];
  char* p = buf + sizeof buf;
  do {
    *--p = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  out.append(p, buf + sizeof buf);
}

void AppendHex(std::string& out, std::uint64_t value, int digits) {
  char buf[16];
  for (int i = digits - 1; i >= 0; --i) {
    buf[i] = kHexDigits[value & 0xf];
    value >>= 4;
  }
  out.append(buf, digits);
}

void AppendIpv4(std::string& out, std::uint32_t address) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    AppendUint(out, (address >> shift) & 0xff);
    if (shift != 0) out.push_back('.');
  }
}

void AppendIpv6(std::string& out, std::uint64_t high, std::uint64_t low) {
  for (int g = 0; g < 8; ++g) {
    std::uint64_t word = g < 4 ? high : low;
    unsigned group = static_cast<unsigned>((word >> (48 - 16 * (g % 4))) & 0xffff);
    int digits = group >= 0x1000 ? 4 : group >= 0x100 ? 3 : group >= 0x10 ? 2 : 1;
    AppendHex(out, group, digits);
    if (g != 7) out.push_back(':');
  }
}

std::int64_t DaysFromCivil(int year, int month, int day) {
  year -= month <= 2;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(year - era * 400);
  const unsigned mp = static_cast<unsigned>(month > 2 ? month - 3 : month + 9);
  const unsigned doy = (153 * mp + 2) / 5 + static_cast<unsigned>(day) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void TimestampFormatter::Append(std::string& out, std::int64_t unix_seconds) {
  std::int64_t day = unix_seconds >= 0 ? unix_seconds / 86400 : (unix_seconds - 86399) / 86400;
  unsigned second_of_day = static_cast<unsigned>(unix_seconds - day * 86400);
  if (day != cached_day_) {
    int year;
    unsigned month, d;
    CivilFromDays(day, year, month, d);
    AppendTwoDigits(date_, static_cast<unsigned>(year / 100 % 100));
    AppendTwoDigits(date_ + 2, static_cast<unsigned>(year % 100));
    date_[4] = '-';
    AppendTwoDigits(date_ + 5, month);
    date_[7] = '-';
    AppendTwoDigits(date_ + 8, d);
    date_[10] = 'T';
    cached_day_ = day;
  }
  char buf[20];
  std::memcpy(buf, date_, 11);
  AppendTwoDigits(buf + 11, second_of_day / 3600);
  buf[13] = ':';
  AppendTwoDigits(buf + 14, second_of_day / 60 % 60);
  buf[16] = ':';
  AppendTwoDigits(buf + 17, second_of_day % 60);
  buf[19] = 'Z';
  out.append(buf, 20);
}

std::string TimestampFormatter::Format(std::int64_t unix_seconds) {
  std::string s;
  Append(s, unix_seconds);
  return s;
}

void SlotTable::Add(std::string_view name, std::vector<std::string_view> words) {
  if (words.empty()) throw std::logic_error("slot list '" + std::string(name) + "' is empty");
  int index = Find(name);
  if (index >= 0) {
    lists_[index] = std::move(words);
    return;
  }
  names_.emplace_back(name);
  lists_.push_back(std::move(words));
}

int SlotTable::Find(std::string_view name) const {
  for (std::size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == name) return static_cast<int>(i);
  return -1;
}

std::string ResolveChoices(std::string_view pattern, Rng& rng) {
  std::string out;
  out.reserve(pattern.size());
  for (std::size_t i = 0; i < pattern.size();) {
    char c = pattern[i];
    if (c == ']' || c == '|') {
      throw std::logic_error("template: stray '" + std::string(1, c) + "' in \"" +
                             std::string(pattern) + "\"");
    }
    if (c != '[') {
      out.push_back(c);
      ++i;
      continue;
    }
    std::vector<std::string_view> alternatives;
    std::size_t start = i + 1;
    while (true) {
      std::size_t end = AlternativeEnd(pattern, start);
      alternatives.push_back(pattern.substr(start, end - start));
      start = end + 1;
      if (pattern[end] == ']') break;
    }
    out += ResolveChoices(alternatives[rng.Below(alternatives.size())], rng);
    i = start;
  }
  return out;
}

TextTemplate TextTemplate::Compile(std::string_view pattern, const SlotTable& slots, Rng& choices) {
  TextTemplate t;
  t.slots_ = &slots;
  std::string resolved = ResolveChoices(pattern, choices);
  std::size_t literal_start = 0;
  auto flush_literal = [&](std::size_t end) {
    if (end <= literal_start) return;
    t.parts_.push_back({Part::kLiteral, static_cast<std::uint32_t>(t.text_.size()),
                        static_cast<std::uint32_t>(end - literal_start)});
    t.text_.append(resolved, literal_start, end - literal_start);
  };
  for (std::size_t i = 0; i < resolved.size(); ++i) {
    if (resolved[i] != '{') continue;
    std::size_t close = resolved.find('}', i);
    if (close == std::string::npos)
      throw std::logic_error("template: unbalanced '{' in \"" + resolved + "\"");
    flush_literal(i);
    std::string_view name(resolved.data() + i + 1, close - i - 1);
    if (name == "n") {
      t.parts_.push_back({Part::kNumber, 2, 99});
    } else if (name.starts_with("n:")) {
      std::size_t dash = name.find('-', 2);
      if (dash == std::string_view::npos)
        throw std::logic_error("template: number slot needs {n:LO-HI}: " + std::string(name));
      std::uint32_t lo =
          static_cast<std::uint32_t>(std::stoul(std::string(name.substr(2, dash - 2))));
      std::uint32_t hi = static_cast<std::uint32_t>(std::stoul(std::string(name.substr(dash + 1))));
      if (hi < lo) throw std::logic_error("template: empty range " + std::string(name));
      t.parts_.push_back({Part::kNumber, lo, hi});
    } else {
      int list = slots.Find(name);
      if (list < 0) throw std::logic_error("template: unknown slot {" + std::string(name) + "}");
      t.parts_.push_back({Part::kSlot, static_cast<std::uint32_t>(list), 0});
    }
    literal_start = close + 1;
    i = close;
  }
  flush_literal(resolved.size());
  return t;
}

void TextTemplate::Render(Rng& rng, std::string& out) const {
  for (const Part& p : parts_) {
    switch (p.kind) {
      case Part::kLiteral:
        out.append(text_, p.a, p.b);
        break;
      case Part::kSlot: {
        const auto& list = slots_->List(static_cast<int>(p.a));
        out.append(list[rng.Below(list.size())]);
        break;
      }
      case Part::kNumber:
        AppendUint(out, p.a + rng.Below(static_cast<std::uint64_t>(p.b - p.a) + 1));
        break;
    }
  }
}

std::string TextTemplate::RenderToString(Rng& rng) const {
  std::string s;
  Render(rng, s);
  return s;
}

std::string_view TextTemplate::FixedPrefix() const {
  if (parts_.empty() || parts_.front().kind != Part::kLiteral) return {};
  return std::string_view(text_).substr(parts_.front().a, parts_.front().b);
}

}  // namespace ringscope::gen
