// What every subcommand shares: global options, the command registry that
// main() dispatches through, error types that map to exit codes, and output
// in table, CSV or JSON form.
#pragma once

#include <functional>
#include <map>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

namespace ringscope {

// Text from the input as it may be shown on a terminal: control bytes as
// \xNN, so that a key, value or raw row cannot move the cursor or recolour
// the screen; at most `max` bytes, cut on a UTF-8 boundary and marked "...".
// O(n). The same text as text::Printable (ingest/text_util.h).
std::string Printable(std::string_view s, std::size_t max = std::string_view::npos);

struct GlobalOptions {
  std::string db_path;  // --db; empty means $RINGSCOPE_DB, then ringscope.db
  bool verbose = false;
  bool quiet = false;
  // The database file this invocation uses.
  std::string ResolvedDbPath() const;
};

// main() runs the runner of the deepest subcommand that was parsed.
class CommandRegistry {
 public:
  void Add(CLI::App* command, std::function<void()> runner);
  // Returns false when no registered command was parsed.
  bool RunParsed(CLI::App& root) const;

 private:
  std::map<const CLI::App*, std::function<void()>> runners_;
};

// A mistake in how the command was called: exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The command could not do its job (bad data under --strict, unknown id,
// unreadable file): exit code 1. The message says what to fix.
class CommandFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class OutputFormat { kTable, kCsv, kJson };

// Adds `--format table|csv|json` to a command.
void AddFormatOption(CLI::App* command, OutputFormat* format);

// A result set: columns and rows of already formatted cells.
struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
  // Columns holding numbers are right-aligned in tables and left unquoted in
  // JSON.
  std::vector<bool> numeric;
};

// table: aligned columns; csv: RFC 4180 with a header; json: an array of
// objects keyed by column.
void WriteTable(const Table& table, OutputFormat format, std::ostream& out);

// Minimal streaming JSON writer for nested results (stats, eval reports).
class JsonWriter {
 public:
  explicit JsonWriter(std::ostream& out) : out_(out) {}
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(long long value);
  JsonWriter& Double(double value);
  // A number already formatted as JSON number text ("12", "0.97").
  JsonWriter& NumberText(std::string_view text);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();

 private:
  void BeforeValue();
  std::ostream& out_;
  std::vector<bool> first_in_scope_;
  bool after_key_ = false;
};

// JSON string literal with escapes (quotes included).
std::string JsonQuote(std::string_view s);

// Fixed-point text of a double with `digits` decimals ("0.97").
std::string FormatDouble(double value, int digits);

// "1,234,567"
std::string FormatCount(long long value);

}  // namespace ringscope
