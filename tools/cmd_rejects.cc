#include "tools/cmd_rejects.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "db/rejects.h"
#include "db/settings.h"
#include "ingest/csv.h"
#include "ingest/input.h"
#include "ingest/normalize.h"
#include "ingest/text_util.h"
#include "tools/cli_pii.h"
#include "tools/cli_runs.h"

namespace ringscope {

namespace {

struct RejectsOptions {
  RejectFilter filter;
  std::string output;  // -o: the raw rows of one source, to fix and ingest again
  OutputFormat format = OutputFormat::kTable;
};

constexpr std::size_t kShownRawBytes = 60;


// Length of the valid UTF-8 sequence at s[i], or 0 (overlong forms,
// surrogates and code points above U+10FFFF are invalid).
std::size_t Utf8SequenceAt(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (n == 0 || c > 0xF4 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((b(k) & 0xC0) != 0x80) return 0;
  if ((c == 0xE0 && b(1) < 0xA0) || (c == 0xED && b(1) > 0x9F) || (c == 0xF0 && b(1) < 0x90) ||
      (c == 0xF4 && b(1) > 0x8F))
    return 0;
  return n;
}

// JSON text must be UTF-8: each invalid byte becomes U+FFFD (-o keeps the
// exact bytes). O(n).
std::string ValidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (std::size_t n = Utf8SequenceAt(s, i); n > 0) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

void WriteListing(const std::vector<RejectRow>& rows,
                  const std::map<std::int64_t, std::string>& paths, OutputFormat format) {
  Table table{{"source", "path", "line", "field", "reason", "truncated", "raw"},
              {},
              {true, false, true, false, false, false, false}};
  const bool aligned = format == OutputFormat::kTable;
  const bool json = format == OutputFormat::kJson;
  auto cell = [&](std::string_view text, std::size_t shown) {
    return aligned ? Printable(text, shown) : json ? ValidUtf8(text) : std::string(text);
  };
  for (const RejectRow& r : rows) {
    table.rows.push_back({std::to_string(r.source_id), cell(paths.at(r.source_id), 200),
                          std::to_string(r.line), cell(r.field, 40), cell(r.reason, 200),
                          r.truncated ? "yes" : "no", cell(r.raw, kShownRawBytes)});
  }
  WriteTable(table, format, std::cout);
}

// The header of a CSV format as ingest names its columns, cut to `fields`
// columns (at least the required ones); "" for a request log.
std::string FormatHeader(std::string_view format, std::size_t fields) {
  struct Known {
    std::string_view format;
    std::vector<std::string_view> columns;
    std::size_t required;
  };
  static const Known kKnown[] = {
      {"signals", {"account", "kind", "value", "ts"}, 3},
      {"accounts", {"account", "created_at", "country", "plan", "org"}, 1},
      {"links", {"src", "dst", "kind", "weight"}, 2},
      {"account-list", {"account", "note"}, 1},
      {"value-list", {"kind", "value", "note"}, 2},
  };
  for (const Known& k : kKnown) {
    if (k.format != format) continue;
    const std::size_t n = std::clamp(fields, k.required, k.columns.size());
    std::string header;
    for (std::size_t i = 0; i < n; ++i) header += (i ? "," : "") + std::string(k.columns[i]);
    return header;
  }
  return "";
}

// Longest row taken from an original file (a longer one is reported, not cut).
constexpr std::size_t kMaxRecoveredLineBytes = 4 << 20;

// What the file a source was read from still holds, when it is unchanged
// (same size and sha256): its header (CSV) and the whole text of the rows
// that start on the wanted lines, with ingest's line numbering.
struct OriginalFile {
  bool unchanged = false;
  std::string why_not;  // when !unchanged
  std::string header;   // CSV: the first line, without BOM and CR
  std::map<std::int64_t, std::string> rows;  // line -> row as read (CSV records may span lines)
};

// Reads the whole file once (to check the hash). O(file bytes); memory
// O(wanted rows).
OriginalFile ReadOriginal(const RejectSourceInfo& source, const std::set<std::int64_t>& wanted) {
  OriginalFile original;
  std::error_code ec;
  if (source.path == "-") {
    original.why_not = "it was read from standard input";
    return original;
  }
  if (!std::filesystem::is_regular_file(source.path, ec) ||
      static_cast<std::int64_t>(std::filesystem::file_size(source.path, ec)) != source.size) {
    original.why_not = "'" + source.path + "' is no longer there as it was ingested";
    return original;
  }
  const bool csv = source.format != "requests";
  try {
    std::unique_ptr<ByteSource> bytes = ByteSource::Open(source.path);
    LineReader lines(*bytes, kMaxRecoveredLineBytes);
    CsvRecordParser parser;
    Line line;
    while (lines.Next(line)) {
      if (csv && line.number == 1) {
        original.header = std::string(text::StripBom(line.text));
        if (!original.header.empty() && original.header.back() == '\r') original.header.pop_back();
        continue;
      }
      if (line.too_long) continue;  // reported as not recovered
      if (!csv) {
        if (wanted.count(line.number)) original.rows[line.number] = std::string(line.text);
        continue;
      }
      auto status = parser.Feed(line.text, line.number);
      if (status != CsvRecordParser::Status::kNeedMore && wanted.count(parser.record_line()))
        original.rows[parser.record_line()] = parser.raw();
    }
    if (csv && parser.Finish() == CsvRecordParser::Status::kError &&
        wanted.count(parser.record_line()))
      original.rows[parser.record_line()] = parser.raw();
    if (bytes->Sha256Hex() != source.sha256 || !bytes->error().empty()) {
      original = OriginalFile{};
      original.why_not = "'" + source.path + "' has changed since it was ingested";
      return original;
    }
    original.unchanged = true;
  } catch (const std::exception& e) {
    original.why_not = e.what();
  }
  return original;
}

// Fields of a raw CSV row, 0 when it does not parse as one record.
std::size_t CsvFieldCount(std::string_view raw) {
  CsvRecordParser parser;
  std::size_t start = 0;
  for (std::int64_t line = 1;; ++line) {
    const std::size_t end = raw.find('\n', start);
    const auto status = parser.Feed(raw.substr(start, end - start), line);
    if (status == CsvRecordParser::Status::kRecord) return parser.fields().size();
    if (status == CsvRecordParser::Status::kError || end == std::string_view::npos) return 0;
    start = end + 1;
  }
}

// The most common field count of the rows (0 if none parse).
std::size_t TypicalFieldCount(const std::vector<const RejectRow*>& rows) {
  std::map<std::size_t, std::size_t> counts;
  for (const RejectRow* r : rows)
    if (std::size_t n = CsvFieldCount(r->raw); n > 0) ++counts[n];
  std::size_t best = 0, best_count = 0;
  for (const auto& [n, count] : counts)
    if (count > best_count) best = n, best_count = count;
  return best;
}

// Why a stored raw row cannot be written back as it was read, or nullptr.
const char* UnwritableReason(const RejectRow& r) {
  if (r.raw.empty()) return "no raw row is kept";
  if (r.truncated) return "the stored row was cut at 4096 bytes";
  if (r.raw.find(kRedactedCard) != std::string::npos)
    return "a card number was removed from the stored row";
  return nullptr;
}

// Writes through a temporary file (mode 0600: rejected rows may hold personal
// data) renamed into place, so the file appears whole or not at all.
void WriteFileAtomically(const std::string& path, const std::string& content) {
  if (path == "-") {
    std::cout << content << std::flush;
    return;
  }
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) throw CommandFailure("cannot write '" + path + "': check the directory exists");
    std::filesystem::permissions(temp, std::filesystem::perms::owner_read |
                                           std::filesystem::perms::owner_write);
    out << content;
    out.close();
    if (!out) {
      std::filesystem::remove(temp);
      throw CommandFailure("writing '" + path + "' failed (disk full?)");
    }
  }
  std::filesystem::rename(temp, path);
}

void ExportRows(const std::vector<RejectRow>& rows, const std::vector<RejectSourceInfo>& sources,
                const std::string& output) {
  std::vector<std::int64_t> ids;
  for (const RejectRow& r : rows)
    if (ids.empty() || ids.back() != r.source_id) ids.push_back(r.source_id);
  if (ids.size() > 1) {
    std::string list;
    for (std::int64_t id : ids) {
      auto it = std::find_if(sources.begin(), sources.end(),
                             [id](const RejectSourceInfo& s) { return s.id == id; });
      list += "\n  --source " + std::to_string(id) + "   (" + it->path + ")";
    }
    throw UsageError("-o writes the rows of one source; these rejects come from " +
                     std::to_string(ids.size()) + " sources, pick one:" + list);
  }
  if (ids.empty()) throw CommandFailure("no rejected rows match: nothing to write");
  const RejectSourceInfo& source = *std::find_if(
      sources.begin(), sources.end(), [&](const RejectSourceInfo& s) { return s.id == ids[0]; });
  std::set<std::int64_t> lines;
  for (const RejectRow& r : rows) lines.insert(r.line);
  const OriginalFile original = ReadOriginal(source, lines);
  if (original.unchanged) {
    spdlog::info("rows and header taken from the original file '{}' (same sha256)", source.path);
  } else {
    spdlog::info("rows taken from the database ({}): rows cut or with a card removed are left out",
                 original.why_not);
  }
  std::vector<std::string_view> written;
  std::vector<std::pair<std::int64_t, const char*>> left_out;
  std::vector<const RejectRow*> stored;  // rows written from the database
  for (const RejectRow& r : rows) {
    if (auto it = original.rows.find(r.line); it != original.rows.end()) {
      written.push_back(it->second);
    } else if (const char* why = UnwritableReason(r)) {
      left_out.emplace_back(r.line, original.unchanged ? "not found whole in the original file"
                                                       : why);
    } else {
      written.push_back(r.raw);
      stored.push_back(&r);
    }
  }
  std::string content;
  if (source.format != "requests") {
    std::string header = original.header;
    if (!original.unchanged || header.empty()) {
      header = FormatHeader(source.format, TypicalFieldCount(stored));
      spdlog::warn("the database does not store CSV headers and {}: wrote the {} header '{}'; "
                   "check that it matches the columns of the rows",
                   original.why_not, source.format, header);
    }
    content += header + "\n";
  }
  for (std::string_view row : written) (content += row) += '\n';
  WriteFileAtomically(output, content);
  spdlog::info("wrote {} of {} rejected rows of source #{} ('{}') to {}", written.size(),
               rows.size(), source.id, source.path, output);
  for (std::size_t i = 0; i < left_out.size(); ++i) {
    if (i == 10) {
      spdlog::warn("... and {} more rows left out", left_out.size() - i);
      break;
    }
    spdlog::warn("left out line {}: {}", left_out[i].first, left_out[i].second);
  }
}

void RunRejects(const RejectsOptions& o, const GlobalOptions& global) {
  Store store = OpenExistingStore(global.ResolvedDbPath(), {.read_only = true});
  std::vector<RejectSourceInfo> sources = FindRejectSources(store.db(), o.filter);
  if (!o.filter.source.empty() && sources.empty())
    throw CommandFailure("no source '" + o.filter.source +
                         "': give a source id or a path as ingested (see the listing)");
  std::vector<RejectRow> rows = LoadRejects(store.db(), o.filter);
  if (ReadSetting(store.db(), kPiiKeySetting))
    spdlog::info("this database is bound to a PII key: raw rows of rejects are not kept");
  if (!o.output.empty()) {
    ExportRows(rows, sources, o.output);
    return;
  }
  std::map<std::int64_t, std::string> paths;
  for (const RejectSourceInfo& s : sources) paths[s.id] = s.path;
  WriteListing(rows, paths, o.format);
  const auto truncated = std::count_if(rows.begin(), rows.end(),
                                       [](const RejectRow& r) { return r.truncated; });
  if (truncated > 0)
    spdlog::info("{} row(s) marked truncated hold only their first 4096 bytes", truncated);
}

}  // namespace

void SetupRejectsCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry) {
  auto o = std::make_shared<RejectsOptions>();
  CLI::App* cmd = app.add_subcommand(
      "rejects",
      "List the rows ingest refused: source, path, line, field, reason, whether the stored row\n"
      "was cut (raw rows are kept up to 4096 bytes) and the raw row (in JSON, invalid UTF-8\n"
      "bytes show as U+FFFD). With -o FILE, write the rows of one source as a file to fix and\n"
      "ingest again (a CSV source's header first). While the original file is unchanged (same\n"
      "sha256) the header and whole rows are taken from it; otherwise the stored rows are\n"
      "written under the format's header (with a warning), and rows that were cut, had a card\n"
      "number removed or are not kept (PII key) are left out and reported. CSV listings\n"
      "neutralise formulas: a cell starting with = + - @ (not a number), tab, CR or ' gets a\n"
      "leading ' (remove one to recover the value).\n\n"
      "Examples:\n"
      "  ringscope rejects\n"
      "  ringscope rejects --reason 'IP address' --format csv\n"
      "  ringscope rejects --source 3 -o fix_me.jsonl   # fix it, then ingest fix_me.jsonl");
  cmd->add_option("--source", o->filter.source,
                  "A source id (see the listing) or path as ingested");
  cmd->add_option("--reason", o->filter.reason, "Only rejects whose reason or field contains this");
  cmd->add_option("-o,--output", o->output,
                  "Write the raw rows of one source to this file (to fix and ingest again)");
  AddFormatOption(cmd, &o->format);
  registry.Add(cmd, [o, &global] { RunRejects(*o, global); });
}

}  // namespace ringscope
