// Reading one input file into a SourceBatch: format detection, parsing,
// validation, normalisation and aggregation. Every data row ends up either
// ingested or rejected (with line, field and reason); rows_read always equals
// rows_ingested + rows_rejected.
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/batch.h"
#include "ingest/input.h"
#include "ingest/normalize.h"

namespace ringscope {

struct IngestOptions {
  InputFormat format = InputFormat::kUnknown;  // kUnknown: detect from name and header
  std::string list_name;                       // set: the file is an analyst list of this name
  std::vector<std::string> extra_kinds;        // declared kinds beyond the built-in ones
  bool strict = false;                         // stop at the first bad row
  std::size_t max_line_bytes = kDefaultMaxLineBytes;
  std::size_t max_value_bytes = 4096;  // longest non-prompt value; prompts are bounded by the line
  std::size_t max_account_bytes = 256;
  NormalizeOptions normalize;
  // Threads parsing a request log (besides the one reading and the caller,
  // which aggregates); 0: one per core. The result does not depend on it.
  int threads = 0;
  // Called now and then with raw bytes read and the file's size (0 if unknown).
  std::function<void(std::int64_t done, std::int64_t total)> progress;
};

// The file as a whole cannot be ingested (unrecognised format or header,
// ground truth given to ingest): nothing of it is written.
class FormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Under --strict: the first bad row, with where it is and why.
class StrictModeError : public std::runtime_error {
 public:
  StrictModeError(const std::string& path, std::int64_t line, const std::string& field,
                  const std::string& reason);
  std::int64_t line() const { return line_; }

 private:
  std::int64_t line_;
};

// "requests", "signals", "accounts", "links", "list" (either list form) or
// "auto"; kUnknown for anything else.
InputFormat ParseFormatName(std::string_view name);

// The format of a file from its name (without .gz/.zst) and its first line.
// Throws FormatError with the expected headers when nothing matches.
InputFormat DetectFormat(std::string_view path, std::string_view first_line, bool is_list);

// Reads, validates, normalises and aggregates one file ("-" = stdin).
// Request logs are parsed on options.threads threads (ingest/request_log.h)
// with the same result as reading line by line; tables are read line by line.
// Throws InputError (cannot open/read), FormatError, or StrictModeError.
// Complexity: O(bytes) time; memory O(distinct accounts, values and pairs).
SourceBatch ReadSource(const std::string& path, const IngestOptions& options);

}  // namespace ringscope
