#include "ingest/ingest.h"

#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>

#include "ingest/batch_builder.h"
#include "ingest/csv.h"
#include "ingest/request_log.h"
#include "ingest/text_util.h"

namespace ringscope {

namespace {

Timestamp NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

using text::IsBlank;
using text::Shorten;
using text::StripBom;

// The set of kinds that are signals: the built-in ones plus declared ones.
class KindSet {
 public:
  explicit KindSet(const std::vector<std::string>& extra) {
    for (std::string_view kind : kBuiltinKinds) names_.emplace_back(kind);
    for (const std::string& kind : extra) {
      if (std::find(names_.begin(), names_.end(), kind) == names_.end()) names_.push_back(kind);
    }
  }
  bool Contains(std::string_view kind) const {
    return std::find(names_.begin(), names_.end(), kind) != names_.end();
  }

 private:
  std::vector<std::string> names_;
};

// Shared state of one file's reading: options, the aggregate, counters.
struct SourceReader {
  const std::string& path;
  const IngestOptions& options;
  KindSet kinds;
  BatchBuilder builder;
  std::vector<Signal> signals;  // scratch: the current row's normalised signals
  std::string error;            // scratch

  SourceReader(const std::string& p, const IngestOptions& o)
      : path(p), options(o), kinds(o.extra_kinds) {}

  SourceInfo& source() { return builder.batch().source; }

  void Ingested() {
    ++source().rows_read;
    ++source().rows_ingested;
  }
  // Records a bad row; under --strict, stops the file.
  void Reject(std::int64_t line, std::string field, std::string reason, std::string_view raw) {
    if (options.strict) throw StrictModeError(path, line, field, reason);
    ++source().rows_read;
    ++source().rows_rejected;
    builder.Reject(line, std::move(field), std::move(reason), raw);
  }
  // Normalises one raw value into `signals`; false (and `error`) if unusable.
  bool AddSignal(std::string_view kind, std::string_view raw) {
    if (kind != "prompt" && raw.size() > options.max_value_bytes) {
      error = "value longer than " + std::to_string(options.max_value_bytes) + " bytes";
      return false;
    }
    return NormalizeSignal(kind, raw, options.normalize, signals, error);
  }
  // Validates an account id; empty string_view result means `error` is set.
  bool CheckAccount(std::string_view account) {
    if (account.empty()) {
      error = "missing account";
      return false;
    }
    if (account.size() > options.max_account_bytes) {
      error = "account id longer than " + std::to_string(options.max_account_bytes) + " bytes";
      return false;
    }
    return true;
  }
  // Adds the current row's signals for `account` seen at `ts`; `prompt_text`
  // is the raw prompt when the row's signal is a prompt.
  void CommitSignals(std::uint32_t account, Timestamp ts, std::string_view prompt_text) {
    for (const Signal& signal : signals) {
      std::uint32_t value = builder.Value(signal.kind, signal.value);
      if (signal.kind == "prompt") {
        builder.ObservePrompt(account, value, ts, prompt_text);
        // Templated once per value, so the store can sketch it (never per row).
        if (!builder.HasPromptTemplate(value)) {
          builder.KeepPromptTemplate(value, PromptTemplate(prompt_text));
        }
      } else {
        builder.Observe(account, value, ts);
      }
    }
  }
};

// ---- CSV tables --------------------------------------------------------------

struct Header {
  std::vector<std::string> columns;  // lower-cased, trimmed
  int Index(std::string_view name) const {
    auto it = std::find(columns.begin(), columns.end(), name);
    return it == columns.end() ? -1 : static_cast<int>(it - columns.begin());
  }
};

// Handles one complete CSV record of a given table format.
class CsvRowHandler {
 public:
  CsvRowHandler(InputFormat format, const Header& header, SourceReader& reader)
      : format_(format), header_(header), reader_(reader) {}
  void Handle(const std::vector<std::string>& row, std::int64_t line, std::string_view raw);

 private:
  std::string_view Cell(const std::vector<std::string>& row, std::string_view column) const {
    int index = header_.Index(column);
    return index < 0 ? std::string_view() : TrimAscii(row[static_cast<std::size_t>(index)]);
  }
  bool Signals(const std::vector<std::string>&, std::int64_t, std::string_view);
  bool Accounts(const std::vector<std::string>&, std::int64_t, std::string_view);
  bool Links(const std::vector<std::string>&, std::int64_t, std::string_view);
  bool List(const std::vector<std::string>&, std::int64_t, std::string_view);
  InputFormat format_;
  const Header& header_;
  SourceReader& reader_;
};

void CsvRowHandler::Handle(const std::vector<std::string>& row, std::int64_t line,
                           std::string_view raw) {
  if (row.size() != header_.columns.size()) {
    reader_.Reject(line, "", "expected " + std::to_string(header_.columns.size()) +
                                 " fields, got " + std::to_string(row.size()),
                   raw);
    return;
  }
  if (!simdjson::validate_utf8(raw.data(), raw.size())) {
    reader_.Reject(line, "", "invalid UTF-8", raw);
    return;
  }
  bool ok = false;
  switch (format_) {
    case InputFormat::kSignalTable: ok = Signals(row, line, raw); break;
    case InputFormat::kAccountTable: ok = Accounts(row, line, raw); break;
    case InputFormat::kLinkTable: ok = Links(row, line, raw); break;
    case InputFormat::kAccountList:
    case InputFormat::kValueList: ok = List(row, line, raw); break;
    default: break;
  }
  if (ok) reader_.Ingested();
}

bool CsvRowHandler::Signals(const std::vector<std::string>& row, std::int64_t line,
                            std::string_view raw) {
  std::string_view account = Cell(row, "account");
  if (!reader_.CheckAccount(account)) {
    reader_.Reject(line, "account", reader_.error, raw);
    return false;
  }
  std::string kind = Lower(Cell(row, "kind"));
  Timestamp ts = kNoTimestamp;
  if (std::string_view text = Cell(row, "ts"); !text.empty()) {
    auto parsed = ParseTimestamp(text);
    if (!parsed) {
      reader_.Reject(line, "ts", "bad timestamp '" + Shorten(text) + "'", raw);
      return false;
    }
    ts = *parsed;
  }
  reader_.signals.clear();
  std::string_view value = Cell(row, "value");
  if (kind.empty() || !reader_.kinds.Contains(kind) || value.empty()) {
    // Not a signal (formats.md): the account is still known, the field counted.
    reader_.builder.SkipField(kind.empty() ? std::string_view("(empty kind)") : kind);
    reader_.builder.Account(account);
    return true;
  }
  if (!reader_.AddSignal(kind, value)) {
    reader_.Reject(line, kind, reader_.error, raw);
    return false;
  }
  std::uint32_t index = reader_.builder.Account(account);
  reader_.CommitSignals(index, ts, kind == "prompt" ? value : std::string_view());
  return true;
}

bool CsvRowHandler::Accounts(const std::vector<std::string>& row, std::int64_t line,
                             std::string_view raw) {
  std::string_view account = Cell(row, "account");
  if (!reader_.CheckAccount(account)) {
    reader_.Reject(line, "account", reader_.error, raw);
    return false;
  }
  Timestamp created_at = kNoTimestamp;
  if (std::string_view text = Cell(row, "created_at"); !text.empty()) {
    auto parsed = ParseTimestamp(text);
    if (!parsed) {
      reader_.Reject(line, "created_at", "bad timestamp '" + Shorten(text) + "'", raw);
      return false;
    }
    created_at = *parsed;
  }
  AccountAggregate& aggregate = reader_.builder.batch().accounts[reader_.builder.Account(account)];
  if (created_at != kNoTimestamp) aggregate.created_at = created_at;
  for (std::size_t c = 0; c < header_.columns.size(); ++c) {
    const std::string& column = header_.columns[c];
    if (column == "account" || column == "created_at") continue;
    std::string_view value = TrimAscii(row[c]);
    if (!value.empty()) aggregate.attributes.emplace_back(column, std::string(value));
  }
  return true;
}

bool CsvRowHandler::Links(const std::vector<std::string>& row, std::int64_t line,
                          std::string_view raw) {
  std::string_view src = Cell(row, "src"), dst = Cell(row, "dst");
  for (auto [name, id] : {std::pair{"src", src}, std::pair{"dst", dst}}) {
    if (!reader_.CheckAccount(id)) {
      reader_.Reject(line, name, reader_.error, raw);
      return false;
    }
  }
  if (src == dst) {
    reader_.Reject(line, "dst", "a link from an account to itself", raw);
    return false;
  }
  LinkRecord link;
  if (std::string_view kind = Cell(row, "kind"); !kind.empty()) link.kind = Lower(kind);
  if (std::string_view text = Cell(row, "weight"); !text.empty()) {
    char* end = nullptr;
    std::string copy(text);
    double weight = std::strtod(copy.c_str(), &end);
    if (end != copy.c_str() + copy.size() || !std::isfinite(weight) || weight <= 0) {
      reader_.Reject(line, "weight",
                     "weight must be a positive number, got '" + Shorten(text) + "'", raw);
      return false;
    }
    link.weight = weight;
  }
  link.src = reader_.builder.Account(src);
  link.dst = reader_.builder.Account(dst);
  reader_.builder.batch().links.push_back(std::move(link));
  return true;
}

bool CsvRowHandler::List(const std::vector<std::string>& row, std::int64_t line,
                         std::string_view raw) {
  ListEntry entry;
  entry.list = reader_.options.list_name;
  entry.note = std::string(Cell(row, "note"));
  if (format_ == InputFormat::kAccountList) {
    std::string_view account = Cell(row, "account");
    if (!reader_.CheckAccount(account)) {
      reader_.Reject(line, "account", reader_.error, raw);
      return false;
    }
    entry.account = std::string(account);
  } else {
    std::string kind = Lower(Cell(row, "kind"));
    reader_.signals.clear();
    if (!reader_.kinds.Contains(kind)) {
      reader_.Reject(line, "kind", "unknown kind '" + Shorten(kind) + "'", raw);
      return false;
    }
    if (!reader_.AddSignal(kind, Cell(row, "value")) || reader_.signals.empty()) {
      reader_.Reject(line, "value",
                     reader_.signals.empty() && reader_.error.empty() ? "empty value"
                                                                      : reader_.error,
                     raw);
      return false;
    }
    // The first signal is the value itself (ip also derives a subnet).
    entry.kind = reader_.signals.front().kind;
    entry.value = reader_.signals.front().value;
  }
  reader_.builder.batch().list_entries.push_back(std::move(entry));
  return true;
}

void ReadCsv(LineReader& lines, const Line& header_line, InputFormat format, SourceReader& reader) {
  CsvRecordParser parser;
  Header header;
  if (parser.Feed(StripBom(header_line.text), header_line.number) != CsvRecordParser::Status::kRecord)
    throw FormatError(reader.path + ":1: unreadable CSV header");
  for (const std::string& column : parser.fields()) header.columns.push_back(Lower(TrimAscii(column)));
  CsvRowHandler handler(format, header, reader);
  Line line;
  std::int64_t since_progress = 0;
  while (lines.Next(line)) {
    if (line.too_long) {
      reader.Reject(line.number, "", "line longer than " + std::to_string(reader.options.max_line_bytes) +
                                         " bytes (raise --max-line-bytes)", line.text);
      continue;
    }
    auto status = parser.Feed(line.text, line.number);
    if (status == CsvRecordParser::Status::kNeedMore) continue;
    if (status == CsvRecordParser::Status::kError) {
      reader.Reject(parser.record_line(), "", parser.error(), parser.raw());
      continue;
    }
    if (parser.fields().size() == 1 && IsBlank(parser.fields()[0])) continue;  // blank line
    handler.Handle(parser.fields(), parser.record_line(), parser.raw());
    if (reader.options.progress && ++since_progress == 65536) {
      since_progress = 0;
      reader.options.progress(0, 0);
    }
  }
  if (parser.Finish() == CsvRecordParser::Status::kError)
    reader.Reject(parser.record_line(), "", parser.error(), parser.raw());
}

}  // namespace

StrictModeError::StrictModeError(const std::string& path, std::int64_t line,
                                 const std::string& field, const std::string& reason)
    : std::runtime_error(path + ":" + std::to_string(line) + ": " +
                         (field.empty() ? "" : "field '" + field + "': ") + reason +
                         " (--strict: nothing from this file was written)"),
      line_(line) {}

InputFormat ParseFormatName(std::string_view name) {
  static const std::map<std::string_view, InputFormat> kNames = {
      {"requests", InputFormat::kRequestLog}, {"signals", InputFormat::kSignalTable},
      {"accounts", InputFormat::kAccountTable}, {"links", InputFormat::kLinkTable},
      {"list", InputFormat::kAccountList},
  };
  auto it = kNames.find(name);
  return it == kNames.end() ? InputFormat::kUnknown : it->second;
}

std::string_view InputFormatName(InputFormat format) {
  switch (format) {
    case InputFormat::kRequestLog: return "requests";
    case InputFormat::kSignalTable: return "signals";
    case InputFormat::kAccountTable: return "accounts";
    case InputFormat::kLinkTable: return "links";
    case InputFormat::kAccountList: return "account-list";
    case InputFormat::kValueList: return "value-list";
    case InputFormat::kTruth: return "truth";
    case InputFormat::kUnknown: break;
  }
  return "unknown";
}

InputFormat DetectFormat(std::string_view path, std::string_view first_line, bool is_list) {
  std::string_view name = StripCompressionExtension(path);
  std::string_view text = TrimAscii(StripBom(first_line));
  bool json_name = name.ends_with(".jsonl") || name.ends_with(".ndjson") || name.ends_with(".json");
  if (json_name || (!text.empty() && text.front() == '{')) return InputFormat::kRequestLog;

  CsvRecordParser parser;
  std::vector<std::string> columns;
  if (parser.Feed(text, 1) == CsvRecordParser::Status::kRecord)
    for (const std::string& c : parser.fields()) columns.push_back(Lower(TrimAscii(c)));
  auto has = [&](std::string_view c) { return std::find(columns.begin(), columns.end(), c) != columns.end(); };
  auto only = [&](std::initializer_list<std::string_view> allowed) {
    return std::all_of(columns.begin(), columns.end(), [&](const std::string& c) {
      return std::find(allowed.begin(), allowed.end(), c) != allowed.end();
    });
  };
  if (is_list) {
    if (has("account") && only({"account", "note"})) return InputFormat::kAccountList;
    if (has("kind") && has("value") && only({"kind", "value", "note"})) return InputFormat::kValueList;
    throw FormatError(std::string(path) + ":1: an analyst list needs the header 'account[,note]' or "
                      "'kind,value[,note]', got '" + Shorten(text) + "'");
  }
  if (has("account") && has("kind") && has("value") && only({"account", "kind", "value", "ts"}))
    return InputFormat::kSignalTable;
  if (has("src") && has("dst") && only({"src", "dst", "kind", "weight"})) return InputFormat::kLinkTable;
  if (has("account") && (has("campaign") || has("group")) && columns.size() == 2)
    throw FormatError(std::string(path) + ": this is ground truth (account,campaign) or a hard-negative "
                      "list (account,group), used only by 'ringscope eval'; it is not ingested");
  if (has("account") && std::count(columns.begin(), columns.end(), "account") == 1 &&
      std::none_of(columns.begin(), columns.end(), [](const std::string& c) { return c.empty(); }))
    return InputFormat::kAccountTable;
  throw FormatError(std::string(path) + ":1: unrecognised header '" + Shorten(text) +
                    "'. Expected a request log (.jsonl), or CSV with header 'account,kind,value[,ts]' "
                    "(signals), 'account[,created_at,country,plan,org,...]' (accounts), "
                    "'src,dst[,kind][,weight]' (links); analyst lists need --list NAME");
}

SourceBatch ReadSource(const std::string& path, const IngestOptions& options) {
  std::unique_ptr<ByteSource> bytes = ByteSource::Open(path);
  LineReader lines(*bytes, options.max_line_bytes);
  // Readers report progress without knowing about bytes: bind them here.
  IngestOptions local = options;
  if (options.progress) {
    local.progress = [&](std::int64_t, std::int64_t) {
      options.progress(bytes->raw_bytes_read(), bytes->raw_size());
    };
  }
  SourceReader reader(path, local);
  SourceInfo& info = reader.source();
  info.path = path;
  info.started_at = NowSeconds();
  info.list_name = options.list_name;

  Line first;
  bool has_first = lines.Next(first);
  bool is_list = !options.list_name.empty() || options.format == InputFormat::kAccountList;
  InputFormat format = options.format;
  if (has_first && (format == InputFormat::kUnknown || is_list)) {
    format = DetectFormat(path, first.text, is_list);  // lists come in two shapes
  }
  info.format = format;
  std::int64_t lines_read = 0;
  if (has_first) {
    if (format == InputFormat::kRequestLog) {
      // Detaching may refill the line buffer first.text points into.
      const std::string first_text(first.text);
      std::vector<char> pending;
      const bool more = lines.DetachBuffered(pending);
      lines_read = ReadRequestLog(path, options, *bytes,
                                  Line{first_text, first.number, first.too_long},
                                  std::move(pending), more, reader.builder);
    } else {
      // Later reads reuse the line buffer: keep the header text.
      std::string header(first.text);
      ReadCsv(lines, Line{header, first.number, first.too_long}, format, reader);
      lines_read = lines.line_number();
    }
  }
  if (!bytes->error().empty()) {
    // A truncated or corrupt compressed stream: the rows before the break are
    // kept, and the break is recorded as a rejected row where it happened.
    reader.Reject(lines_read + 1, "", bytes->error(), "");
  }
  info.size = bytes->raw_bytes_read();
  info.sha256 = bytes->Sha256Hex();
  info.finished_at = NowSeconds();
  if (options.progress) options.progress(bytes->raw_bytes_read(), bytes->raw_size());
  return reader.builder.Take();
}

}  // namespace ringscope
