#include "tools/cmd_ingest.h"

#include <spdlog/spdlog.h>

#include <sys/resource.h>

#include <chrono>
#include <iostream>
#include <map>

#include "db/store.h"
#include "ingest/ingest.h"
#include "tools/cli_pii.h"
#include "tools/progress.h"

namespace ringscope {

namespace {

struct IngestCommandOptions {
  std::vector<std::string> files;
  std::string format = "auto";
  std::string list_name;
  std::vector<std::string> kinds;
  bool strict = false;
  std::size_t max_line_bytes = kDefaultMaxLineBytes;
  bool no_progress = false;
  std::string pii_key_path;  // --pii-key; else $RINGSCOPE_PII_KEY_FILE
  OutputFormat summary_format = OutputFormat::kTable;
};

struct FileOutcome {
  SourceInfo source;
  std::string status;  // ingested, duplicate, failed
  std::string message;
  double seconds = 0;
};

// The process's peak resident set so far, in bytes.
std::int64_t PeakRssBytes() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::int64_t>(usage.ru_maxrss) * 1024;  // Linux reports kB
}

// CPU seconds (user + system) used so far by all threads of the process: on a
// loaded machine wall time says little, CPU time what the work costs.
double ProcessCpuSeconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

struct IngestSummary {
  std::vector<FileOutcome> files;
  std::map<std::string, std::int64_t> rejected_by_reason;
  std::map<std::string, std::int64_t> skipped_fields;
  double seconds = 0;
};

bool IsIdentifier(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  return true;
}

// Reasons name the offending value ("unparsable IP address '999.1.1.1'"); the
// summary groups them by the text before the value.
std::string ReasonCategory(const RejectRecord& reject) {
  std::string reason = reject.reason;
  if (auto quote = reason.find(" '"); quote != std::string::npos) reason.resize(quote);
  if (auto paren = reason.find(" ("); paren != std::string::npos) reason.resize(paren);
  return reject.field.empty() ? reason : reject.field + ": " + reason;
}

IngestOptions MakeIngestOptions(const IngestCommandOptions& o, const std::optional<PiiKey>& key) {
  IngestOptions options;
  options.normalize = NormalizeOptionsWithKey(key);
  options.strict = o.strict;
  options.max_line_bytes = o.max_line_bytes;
  options.extra_kinds = o.kinds;
  options.list_name = o.list_name;
  if (o.format != "auto") options.format = ParseFormatName(o.format);
  return options;
}

void Validate(const IngestCommandOptions& o) {
  if (o.format != "auto" && ParseFormatName(o.format) == InputFormat::kUnknown)
    throw UsageError("--format must be auto, requests, signals, accounts, links or list; got '" +
                     o.format + "'");
  if (o.format == "list" && o.list_name.empty())
    throw UsageError("--format list needs --list NAME (for example --list allow or --list seed)");
  if (!o.list_name.empty() && !IsIdentifier(o.list_name))
    throw UsageError("--list NAME takes lower-case letters, digits, '_' and '-'; got '" +
                     o.list_name + "'");
  for (const std::string& kind : o.kinds) {
    if (!IsIdentifier(kind) || kind == "account" || kind == "ts" || kind == "subnet")
      throw UsageError("--kind '" + kind +
                       "' is not usable: kinds are lower-case identifiers other than account, ts "
                       "and subnet");
  }
  if (std::count(o.files.begin(), o.files.end(), "-") > 1)
    throw UsageError("standard input ('-') can be read only once");
  if (o.max_line_bytes < 64) throw UsageError("--max-line-bytes must be at least 64");
}

// What the batch stores as it came (raw rows of rejects, prompt examples,
// account-table columns) made safe before it is written: card numbers are
// replaced everywhere (RedactCardNumbers); account-table columns named after a
// PII kind are normalised like signals of that kind (so hashed under a PII
// key); under a PII key, raw rows of rejects are not kept at all, since a bad
// row may hold any of the values the key protects. O(bytes of that text).
void ProtectStoredText(SourceBatch& batch, const NormalizeOptions& normalize) {
  const bool keyed = !normalize.pii_key.empty();
  for (RejectRecord& reject : batch.rejects) {
    reject.reason = RedactCardNumbers(reject.reason);
    reject.raw = keyed ? std::string() : RedactCardNumbers(reject.raw);
  }
  for (PromptExample& example : batch.prompt_examples)
    example.text = RedactCardNumbers(example.text);
  for (AccountAggregate& account : batch.accounts) {
    for (auto& [key, value] : account.attributes) {
      if (!IsPiiKind(key)) continue;
      std::optional<std::string> stored = LookupValue(key, value, normalize);
      if (!stored && keyed) stored = PiiHash(TrimAscii(value), normalize.pii_key);
      if (!stored) stored = keyed ? std::string() : RedactCardNumbers(value);
      value = std::move(*stored);
    }
  }
}


void LogRejects(const SourceBatch& batch) {
  constexpr std::size_t kShown = 5;
  for (std::size_t i = 0; i < batch.rejects.size() && i < kShown; ++i) {
    const RejectRecord& r = batch.rejects[i];
    spdlog::warn("{}:{}: {}{}", Printable(batch.source.path), r.line,
                 r.field.empty() ? "" : "field '" + Printable(r.field) + "': ",
                 Printable(r.reason));
  }
  if (batch.rejects.size() > kShown) {
    spdlog::warn("{}: {} more rejected rows; all are in the rejects table (ringscope rejects)",
                 Printable(batch.source.path), batch.rejects.size() - kShown);
  }
}

FileOutcome IngestOne(Store& store, const std::string& path, const IngestOptions& base,
                      bool show_progress, IngestSummary& summary) {
  auto start = std::chrono::steady_clock::now();
  const double cpu_start = ProcessCpuSeconds();
  FileOutcome outcome;
  outcome.source.path = path;
  ProgressBar bar(path, show_progress);
  IngestOptions options = base;
  options.progress = [&bar](std::int64_t done, std::int64_t total) { bar.Update(done, total); };
  try {
    SourceBatch batch = ReadSource(path, options);
    ProtectStoredText(batch, options.normalize);
    bar.Finish();
    auto read_done = std::chrono::steady_clock::now();
    const double cpu_read_done = ProcessCpuSeconds();
    if (batch.source.rows_read == 0) spdlog::warn("{}: no data rows", path);
    CommitResult result = store.CommitSource(batch);
    spdlog::debug(
        "{}: read {:.2f} s (cpu {:.2f} s), commit {:.2f} s (cpu {:.2f} s) ({} accounts, {} values, "
        "{} observations, {} prompt examples)",
        path, std::chrono::duration<double>(read_done - start).count(), cpu_read_done - cpu_start,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - read_done).count(),
        ProcessCpuSeconds() - cpu_read_done, batch.accounts.size(), batch.values.size(),
        batch.observations.size(), batch.prompt_examples.size());
    outcome.source = batch.source;
    if (result.status == CommitStatus::kDuplicateSource) {
      outcome.status = "duplicate";
      outcome.message = "already ingested as source #" + std::to_string(result.source_id);
      spdlog::info("{}: skipped, same content (sha256) as source #{} already ingested", path,
                   result.source_id);
    } else {
      outcome.status = "ingested";
      LogRejects(batch);
      for (const RejectRecord& r : batch.rejects) ++summary.rejected_by_reason[ReasonCategory(r)];
      for (const auto& [key, count] : batch.skipped_fields) summary.skipped_fields[key] += count;
    }
  } catch (const StrictModeError&) {
    throw;
  } catch (const std::exception& e) {  // unreadable file or unrecognised format
    bar.Finish();
    outcome.status = "failed";
    outcome.message = e.what();
    spdlog::error("{}", e.what());
  }
  outcome.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return outcome;
}

void PrintSummary(const IngestSummary& summary, OutputFormat format, std::ostream& out) {
  std::int64_t read = 0, ingested = 0, rejected = 0, bytes = 0;
  for (const FileOutcome& f : summary.files) {
    if (f.status != "ingested") continue;
    bytes += f.source.size;
    read += f.source.rows_read;
    ingested += f.source.rows_ingested;
    rejected += f.source.rows_rejected;
  }
  const double cpu = ProcessCpuSeconds();
  double rate = summary.seconds > 0 ? static_cast<double>(read) / summary.seconds : 0;
  double byte_rate = summary.seconds > 0 ? static_cast<double>(bytes) / summary.seconds : 0;
  std::int64_t peak_rss = PeakRssBytes();
  if (format == OutputFormat::kJson) {
    JsonWriter json(out);
    json.BeginObject().Key("files").BeginArray();
    for (const FileOutcome& f : summary.files) {
      json.BeginObject().Key("path").String(f.source.path).Key("status").String(f.status);
      json.Key("format").String(InputFormatName(f.source.format));
      json.Key("rows_read").Int(f.source.rows_read).Key("rows_ingested").Int(f.source.rows_ingested);
      json.Key("rows_rejected").Int(f.source.rows_rejected).Key("seconds").Double(f.seconds);
      json.Key("message").String(f.message).EndObject();
    }
    json.EndArray();
    json.Key("rows_read").Int(read).Key("rows_ingested").Int(ingested);
    json.Key("rows_rejected").Int(rejected);
    json.Key("rejected_by_reason").BeginObject();
    for (const auto& [reason, count] : summary.rejected_by_reason) json.Key(reason).Int(count);
    json.EndObject().Key("skipped_fields").BeginObject();
    for (const auto& [key, count] : summary.skipped_fields) json.Key(key).Int(count);
    json.EndObject();
    json.Key("seconds").Double(summary.seconds).Key("cpu_seconds").Double(cpu);
    json.Key("rows_per_second").Double(rate);
    json.Key("bytes").Int(bytes).Key("bytes_per_second").Double(byte_rate);
    json.Key("peak_rss_bytes").Int(peak_rss);
    json.EndObject();
    out << '\n';
    return;
  }
  Table files{{"file", "format", "status", "rows read", "ingested", "rejected", "seconds"}, {},
              {false, false, false, true, true, true, true}};
  for (const FileOutcome& f : summary.files) {
    files.rows.push_back({f.source.path, std::string(InputFormatName(f.source.format)), f.status,
                          FormatCount(f.source.rows_read), FormatCount(f.source.rows_ingested),
                          FormatCount(f.source.rows_rejected), FormatDouble(f.seconds, 2)});
  }
  WriteTable(files, OutputFormat::kTable, out);
  out << "\nrows read " << FormatCount(read) << " = ingested " << FormatCount(ingested)
      << " + rejected " << FormatCount(rejected) << "   in " << FormatDouble(summary.seconds, 2)
      << " s (" << FormatCount(static_cast<long long>(rate)) << " rows/s, "
      << FormatBytes(byte_rate) << "/s; cpu " << FormatDouble(cpu, 2) << " s; peak memory "
      << FormatBytes(static_cast<double>(peak_rss)) << ")\n";
  if (!summary.rejected_by_reason.empty()) {
    out << "\nrejected by reason:\n";
    for (const auto& [reason, count] : summary.rejected_by_reason)
      out << "  " << FormatCount(count) << "  " << Printable(reason) << '\n';
  }
  if (!summary.skipped_fields.empty()) {
    out << "\nfields skipped (null, empty or not a declared kind), by key:\n";
    for (const auto& [key, count] : summary.skipped_fields)
      out << "  " << FormatCount(count) << "  " << Printable(key) << '\n';
  }
}

void RunIngest(const IngestCommandOptions& o, const GlobalOptions& global) {
  Validate(o);
  const std::optional<PiiKey> key = LoadPiiKey(o.pii_key_path);
  IngestOptions options = MakeIngestOptions(o, key);
  Store store = Store::Open(global.ResolvedDbPath());
  BindPiiKey(store.db(), key, options.normalize);
  IngestSummary summary;
  auto start = std::chrono::steady_clock::now();
  bool show_progress = !o.no_progress && !global.quiet;
  for (const std::string& path : o.files) {
    try {
      summary.files.push_back(IngestOne(store, path, options, show_progress, summary));
    } catch (const StrictModeError& e) {
      throw CommandFailure(e.what());
    }
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  PrintSummary(summary, o.summary_format, std::cout);
  std::int64_t failed = std::count_if(summary.files.begin(), summary.files.end(),
                                      [](const FileOutcome& f) { return f.status == "failed"; });
  if (failed > 0) throw CommandFailure(std::to_string(failed) + " file(s) could not be ingested");
  if (!summary.rejected_by_reason.empty())
    spdlog::warn("some rows were rejected; fix them and ingest the fixed rows again");
}

}  // namespace

void SetupIngestCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry) {
  auto options = std::make_shared<IngestCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "ingest",
      "Read request logs (.jsonl), signal, account and link tables and analyst lists (.csv),\n"
      "optionally .gz or .zst, into the database. The format is detected from the name and\n"
      "header. Each file is written in one transaction; a file already ingested (same sha256)\n"
      "is skipped. Bad rows are rejected with file, line and reason into the rejects table.\n\n"
      "Examples:\n"
      "  ringscope ingest demo/requests.jsonl demo/signals.csv demo/accounts.csv\n"
      "  zcat logs.jsonl.gz | ringscope ingest --format requests -\n"
      "  ringscope ingest --list allow allowlist.csv\n"
      "  ringscope ingest --pii-key /etc/ringscope/pii.key signals.csv\n\n"
      "With a PII key (--pii-key FILE or $RINGSCOPE_PII_KEY_FILE) email, phone and payment\n"
      "values are stored only as keyed hashes (h: + HMAC-SHA256) and raw rows of rejects are\n"
      "not kept; the database is bound to that key, and an ingest with another key or none\n"
      "is refused. Card numbers are never stored, key or not. See docs/guarantees.md.");
  cmd->add_option("files", options->files, "Input files; '-' reads standard input")->required();
  cmd->add_option("--format", options->format,
                  "Input format: auto, requests, signals, accounts, links, list")
      ->default_str("auto");
  cmd->add_option("--list", options->list_name,
                  "The files are analyst lists of this name (allow, seed, ...), header "
                  "'account[,note]' or 'kind,value[,note]'");
  cmd->add_option("--kind", options->kinds,
                  "Declare a further signal kind (repeatable); undeclared keys are skipped");
  cmd->add_flag("--strict", options->strict,
                "Stop at the first bad row; that file is not written (exit 1)");
  cmd->add_option("--max-line-bytes", options->max_line_bytes,
                  "Longer lines are rejected (default 1 MiB)");
  cmd->add_flag("--no-progress", options->no_progress, "No progress bar");
  cmd->add_option("--pii-key", options->pii_key_path,
                  "File holding the PII key (>= 16 bytes; trailing newline ignored); default "
                  "$RINGSCOPE_PII_KEY_FILE. Email, phone and payment are then stored hashed");
  static const std::map<std::string, OutputFormat> kSummaryFormats = {
      {"table", OutputFormat::kTable}, {"json", OutputFormat::kJson}};
  cmd->add_option("--summary", options->summary_format, "Summary format: table or json")
      ->transform(CLI::CheckedTransformer(kSummaryFormats, CLI::ignore_case))
      ->default_str("table");
  registry.Add(cmd, [options, &global] { RunIngest(*options, global); });
}

}  // namespace ringscope
