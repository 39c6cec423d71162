// Fuzzes the CSV record parser (ingest/csv.h) and the writer it must agree
// with. Part 1 feeds the input's physical lines to CsvRecordParser as the
// table readers do; every record is complete or an error, its raw text is what
// was fed, and it never crashes. Part 2 cuts the input into fields (at 0x1F),
// writes them with WriteCsvRow and parses the result back: the same fields
// come out (a '\r' is dropped from the fields first: the parser reads a
// trailing '\r' as a CRLF line end, by design). NeutralizeFormula and
// CsvQuote get every field too.
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_util.h"
#include "ingest/csv.h"

namespace ringscope {
namespace {

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    lines.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

void ParseLines(std::string_view text) {
  CsvRecordParser parser;
  std::int64_t number = 0, records = 0;
  std::string raw;  // the physical lines of the record in progress
  bool in_record = false;
  for (std::string_view line : SplitLines(text)) {
    ++number;
    if (in_record) raw += '\n';
    if (!in_record) raw.clear();
    raw.append(line);
    in_record = true;
    const auto status = parser.Feed(line, number);
    if (status == CsvRecordParser::Status::kNeedMore) continue;
    FUZZ_CHECK(parser.record_line() >= 1 && parser.record_line() <= number);
    FUZZ_CHECK(parser.raw() == raw);
    if (status == CsvRecordParser::Status::kRecord) {
      FUZZ_CHECK(!parser.fields().empty());
      ++records;
    } else {
      FUZZ_CHECK(!parser.error().empty());
    }
    in_record = false;
  }
  const auto end = parser.Finish();
  FUZZ_CHECK(end != CsvRecordParser::Status::kRecord);
  FUZZ_CHECK(records <= number);
}

void RoundTrip(std::string_view text) {
  std::vector<std::string> fields(1);
  for (char c : text) {
    if (c == '\x1f') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  for (const std::string& f : fields) {
    const std::string neutral = NeutralizeFormula(f);
    FUZZ_CHECK(neutral == f || neutral == "'" + f);
    const std::string quoted = CsvQuote(f);
    FUZZ_CHECK(quoted.size() >= f.size());
  }
  std::ostringstream out;
  WriteCsvRow(fields, out);
  const std::string written = out.str();
  FUZZ_CHECK(!written.empty() && written.back() == '\n');
  CsvRecordParser parser;
  std::int64_t number = 0;
  std::vector<std::string_view> lines = SplitLines(std::string_view(written).substr(0, written.size() - 1));
  if (lines.empty()) lines.push_back({});  // one empty field: an empty line
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto status = parser.Feed(lines[i], ++number);
    if (i + 1 < lines.size()) {
      FUZZ_CHECK(status == CsvRecordParser::Status::kNeedMore);
    } else {
      FUZZ_CHECK(status == CsvRecordParser::Status::kRecord);
      FUZZ_CHECK(parser.fields() == fields);
      FUZZ_CHECK(parser.record_line() == 1);
    }
  }
}

}  // namespace
}  // namespace ringscope

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  ringscope::ParseLines(text);
  ringscope::RoundTrip(text);
  return 0;
}
