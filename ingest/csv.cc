#include "ingest/csv.h"

#include <cctype>

namespace ringscope {

CsvRecordParser::Status CsvRecordParser::Feed(std::string_view line, std::int64_t line_number) {
  if (!pending_) {
    fields_.clear();
    current_.clear();
    raw_.clear();
    error_.clear();
    in_quotes_ = false;
    record_line_ = line_number;
    pending_ = true;
  } else {
    // Continuation of a quoted field across a newline.
    raw_ += '\n';
    current_ += '\n';
  }
  raw_.append(line);
  // A CRLF file leaves '\r' at the end of each physical line: not data.
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::size_t i = 0;
  while (i < line.size()) {
    char c = line[i];
    if (in_quotes_) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          current_ += '"';
          i += 2;
          continue;
        }
        in_quotes_ = false;
        ++i;
        // After a closing quote only a separator or the end may follow.
        if (i < line.size() && line[i] != ',') {
          error_ = "unexpected character after closing quote in field " +
                   std::to_string(fields_.size() + 1);
          pending_ = false;
          return Status::kError;
        }
        continue;
      }
      current_ += c;
      ++i;
      continue;
    }
    if (c == ',') {
      fields_.push_back(std::move(current_));
      current_.clear();
      ++i;
      continue;
    }
    if (c == '"') {
      if (!current_.empty()) {
        error_ = "quote inside an unquoted field " + std::to_string(fields_.size() + 1);
        pending_ = false;
        return Status::kError;
      }
      in_quotes_ = true;
      ++i;
      continue;
    }
    current_ += c;
    ++i;
  }
  if (in_quotes_) return Status::kNeedMore;
  fields_.push_back(std::move(current_));
  current_.clear();
  pending_ = false;
  return Status::kRecord;
}

CsvRecordParser::Status CsvRecordParser::Finish() {
  if (!pending_) return Status::kNeedMore;
  pending_ = false;
  error_ = "end of file inside a quoted field";
  return Status::kError;
}

std::string CsvQuote(std::string_view field) {
  bool needs_quotes = false;
  for (char c : field) {
    if (c == ',' || c == '"' || c == '\n' || c == '\r') {
      needs_quotes = true;
      break;
    }
  }
  if (!field.empty() && (field.front() == ' ' || field.back() == ' ')) needs_quotes = true;
  if (!needs_quotes) return std::string(field);
  std::string out;
  out.reserve(field.size() + 2);
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

namespace {

bool LooksLikeNumber(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  bool digit = false, dot = false;
  for (; i < s.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(s[i]))) {
      digit = true;
    } else if (s[i] == '.' && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  return digit;
}

}  // namespace

std::string NeutralizeFormula(std::string_view field) {
  if (field.empty()) return std::string();
  char c = field.front();
  bool risky = c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
  if (!risky || LooksLikeNumber(field)) return std::string(field);
  return "'" + std::string(field);
}

void WriteCsvRow(const std::vector<std::string>& fields, std::ostream& out) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out << ',';
    out << CsvQuote(fields[i]);
  }
  out << '\n';
}

}  // namespace ringscope
