// Text for the world generator: hand-written formatting of the fields a
// request line is made of (the hot loop appends bytes, it never goes through
// iostreams or std::format), and a small template language for prompts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tools/gen/random.h"

namespace ringscope::gen {

// Decimal digits of `value`. O(digits).
void AppendUint(std::string& out, std::uint64_t value);
// `digits` lower-case hex digits of the low bits of `value`, most significant first.
void AppendHex(std::string& out, std::uint64_t value, int digits);
// Dotted quad of an address held in the low 32 bits (a.b.c.d, a most significant).
void AppendIpv4(std::string& out, std::uint32_t address);
// Eight colon-separated groups, lower-case hex, no leading zeros.
void AppendIpv6(std::string& out, std::uint64_t high, std::uint64_t low);

// RFC 3339 UTC ("2026-02-01T12:00:03Z") of Unix seconds. The date part is
// cached per day, so consecutive calls in time order cost a few byte copies.
class TimestampFormatter {
 public:
  void Append(std::string& out, std::int64_t unix_seconds);
  std::string Format(std::int64_t unix_seconds);

 private:
  std::int64_t cached_day_ = INT64_MIN;
  char date_[11] = {};  // "YYYY-MM-DDT"
};

// Days since 1970-01-01 of a civil date (proleptic Gregorian). O(1).
std::int64_t DaysFromCivil(int year, int month, int day);

// Named word lists that templates draw their slots from.
class SlotTable {
 public:
  // Adds or replaces list `name`. The strings must outlive the table (string
  // literals in vocab.cc).
  void Add(std::string_view name, std::vector<std::string_view> words);
  // Index of `name`, or -1.
  int Find(std::string_view name) const;
  const std::vector<std::string_view>& List(int index) const { return lists_[index]; }

 private:
  std::vector<std::string> names_;
  std::vector<std::vector<std::string_view>> lists_;
};

// A compiled text template. Pattern syntax:
//   [a|b|c]     a choice, resolved once when the template is compiled (so
//               templates compiled with different generators are paraphrases
//               of one another); choices may nest and may contain slots;
//   {name}      a word drawn from SlotTable list `name` at every render;
//   {n}         a number 2..99;  {n:LO-HI} a number in [LO, HI].
// Pattern text is stored as JSON string content: it is written into request
// lines byte for byte, so quotes and newlines appear pre-escaped (\" and \n)
// in the vocabulary. Render is O(output length).
class TextTemplate {
 public:
  TextTemplate() = default;
  // Throws std::logic_error (a vocabulary bug) on an unknown slot or unbalanced brackets.
  static TextTemplate Compile(std::string_view pattern, const SlotTable& slots, Rng& choices);

  void Render(Rng& rng, std::string& out) const;
  std::string RenderToString(Rng& rng) const;
  // The literal text before the first slot (what every render starts with).
  std::string_view FixedPrefix() const;

 private:
  struct Part {
    enum Kind : std::uint8_t { kLiteral, kSlot, kNumber } kind;
    std::uint32_t a;  // literal: offset; slot: list index; number: low
    std::uint32_t b;  // literal: length; number: high
  };
  std::string text_;
  std::vector<Part> parts_;
  const SlotTable* slots_ = nullptr;
};

// Resolves every [a|b|c] choice in `pattern` with `rng`. Throws
// std::logic_error on unbalanced brackets. O(length).
std::string ResolveChoices(std::string_view pattern, Rng& rng);

}  // namespace ringscope::gen
