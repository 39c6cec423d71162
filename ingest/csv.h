// CSV (RFC 4180): a streaming record parser that reports the line each record
// starts on and never throws on bad data, and the quoting used by every CSV
// ringscope writes.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace ringscope {

// Splits CSV text into records. Quoted fields may hold commas, doubled quotes
// and newlines; a record therefore may span several physical lines.
//
// Feed it physical lines (without their '\n'); it returns true when a record
// is complete. Complexity: O(bytes).
class CsvRecordParser {
 public:
  enum class Status { kNeedMore, kRecord, kError };

  // `line` is one physical line; `line_number` is its 1-based number.
  Status Feed(std::string_view line, std::int64_t line_number);
  // Call at end of input: an open quoted field is an error.
  Status Finish();

  const std::vector<std::string>& fields() const { return fields_; }
  std::int64_t record_line() const { return record_line_; }  // where it began
  const std::string& error() const { return error_; }
  const std::string& raw() const { return raw_; }  // the record's text as read

 private:
  std::vector<std::string> fields_;
  std::string current_;
  std::string raw_;
  std::string error_;
  bool in_quotes_ = false;
  bool pending_ = false;  // a record has started but is not complete
  std::int64_t record_line_ = 0;
};

// One field as it must appear in CSV: quoted when it holds a comma, quote,
// CR or LF, or starts/ends with a space.
std::string CsvQuote(std::string_view field);

// A cell that would start a spreadsheet formula (=, +, -, @, tab, CR) gets a
// leading apostrophe so that opening an export in a spreadsheet runs nothing.
// Numbers such as "-1.5" are left alone.
std::string NeutralizeFormula(std::string_view field);

// Writes fields, quoted as needed, comma-separated, with '\n'.
void WriteCsvRow(const std::vector<std::string>& fields, std::ostream& out);

}  // namespace ringscope
