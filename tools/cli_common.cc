#include "tools/cli_common.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "ingest/csv.h"
#include "ingest/text_util.h"
#include "tools/cli_csv.h"

namespace ringscope {

std::string Printable(std::string_view s, std::size_t max) { return text::Printable(s, max); }

std::string GlobalOptions::ResolvedDbPath() const {
  if (!db_path.empty()) return db_path;
  if (const char* env = std::getenv("RINGSCOPE_DB"); env != nullptr && *env != '\0') return env;
  return "ringscope.db";
}

void CommandRegistry::Add(CLI::App* command, std::function<void()> runner) {
  runners_[command] = std::move(runner);
}

bool CommandRegistry::RunParsed(CLI::App& root) const {
  // Walk down the chain of parsed subcommands; the deepest registered wins.
  const CLI::App* node = &root;
  const std::function<void()>* runner = nullptr;
  while (true) {
    auto parsed = node->get_subcommands();
    if (parsed.empty()) break;
    node = parsed.front();
    if (auto it = runners_.find(node); it != runners_.end()) runner = &it->second;
  }
  if (runner == nullptr) return false;
  (*runner)();
  return true;
}

void AddFormatOption(CLI::App* command, OutputFormat* format) {
  static const std::map<std::string, OutputFormat> kNames = {
      {"table", OutputFormat::kTable}, {"csv", OutputFormat::kCsv}, {"json", OutputFormat::kJson}};
  command->add_option("--format", *format, "Output format: table, csv or json")
      ->transform(CLI::CheckedTransformer(kNames, CLI::ignore_case))
      ->default_str("table");
}

namespace {

bool IsNumeric(const Table& table, std::size_t column) {
  return column < table.numeric.size() && table.numeric[column];
}

// Cells of numeric columns are written as JSON numbers when they are plain
// numbers; "1,234" (formatted counts) and "" stay strings.
bool IsJsonNumber(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  bool digits = false, dot = false;
  for (; i < s.size(); ++i) {
    if (s[i] >= '0' && s[i] <= '9') {
      digits = true;
    } else if (s[i] == '.' && !dot && digits) {
      dot = true;
    } else {
      return false;
    }
  }
  return digits && s.back() != '.';
}

void WriteAligned(const Table& table, std::ostream& out) {
  std::vector<std::size_t> width(table.columns.size(), 0);
  for (std::size_t c = 0; c < table.columns.size(); ++c) width[c] = table.columns[c].size();
  for (const auto& row : table.rows)
    for (std::size_t c = 0; c < row.size() && c < width.size(); ++c)
      width[c] = std::max(width[c], row[c].size());
  auto write_row = [&](const std::vector<std::string>& row) {
    std::string line;
    for (std::size_t c = 0; c < width.size(); ++c) {
      const std::string& cell = c < row.size() ? row[c] : std::string();
      std::string pad(width[c] - std::min(width[c], cell.size()), ' ');
      if (c > 0) line += "  ";
      line += IsNumeric(table, c) ? pad + cell : cell + (c + 1 < width.size() ? pad : "");
    }
    out << line << '\n';
  };
  write_row(table.columns);
  std::vector<std::string> rule;
  for (std::size_t w : width) rule.emplace_back(w, '-');
  write_row(rule);
  for (const auto& row : table.rows) write_row(row);
}

}  // namespace

void WriteTable(const Table& table, OutputFormat format, std::ostream& out) {
  switch (format) {
    case OutputFormat::kTable:
      WriteAligned(table, out);
      return;
    case OutputFormat::kCsv:
      WriteCsvRow(table.columns, out);
      for (const auto& row : table.rows) WriteSafeCsvRow(row, out);  // formulas neutralised
      return;
    case OutputFormat::kJson: {
      JsonWriter json(out);
      json.BeginArray();
      for (const auto& row : table.rows) {
        json.BeginObject();
        for (std::size_t c = 0; c < table.columns.size(); ++c) {
          json.Key(table.columns[c]);
          const std::string& cell = c < row.size() ? row[c] : std::string();
          if (IsNumeric(table, c) && IsJsonNumber(cell)) {
            json.NumberText(cell);
          } else {
            json.String(cell);
          }
        }
        json.EndObject();
      }
      json.EndArray();
      out << '\n';
      return;
    }
  }
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_in_scope_.empty()) {
    if (!first_in_scope_.back()) out_ << ',';
    first_in_scope_.back() = false;
  }
}

JsonWriter& JsonWriter::BeginObject() {
  BeforeValue();
  out_ << '{';
  first_in_scope_.push_back(true);
  return *this;
}
JsonWriter& JsonWriter::EndObject() {
  out_ << '}';
  first_in_scope_.pop_back();
  return *this;
}
JsonWriter& JsonWriter::BeginArray() {
  BeforeValue();
  out_ << '[';
  first_in_scope_.push_back(true);
  return *this;
}
JsonWriter& JsonWriter::EndArray() {
  out_ << ']';
  first_in_scope_.pop_back();
  return *this;
}
JsonWriter& JsonWriter::Key(std::string_view key) {
  BeforeValue();
  out_ << JsonQuote(key) << ':';
  after_key_ = true;
  return *this;
}
JsonWriter& JsonWriter::String(std::string_view value) {
  BeforeValue();
  out_ << JsonQuote(value);
  return *this;
}
JsonWriter& JsonWriter::Int(long long value) {
  BeforeValue();
  out_ << value;
  return *this;
}
JsonWriter& JsonWriter::Double(double value) {
  BeforeValue();
  if (std::isfinite(value)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", value);
    out_ << buf;
  } else {
    out_ << "null";  // JSON has no NaN or infinity
  }
  return *this;
}
JsonWriter& JsonWriter::NumberText(std::string_view text) {
  BeforeValue();
  out_ << text;
  return *this;
}
JsonWriter& JsonWriter::Bool(bool value) {
  BeforeValue();
  out_ << (value ? "true" : "false");
  return *this;
}
JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_ << "null";
  return *this;
}

std::string JsonQuote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
  return out;
}

std::string FormatDouble(double value, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, value);
  return buf;
}

std::string FormatCount(long long value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

}  // namespace ringscope
