#include "tools/cli_explore.h"

#include <charconv>
#include <cstdio>

#include "db/analysis.h"
#include "db/queries.h"
#include "ingest/normalize.h"
#include "tools/cli_runs.h"

namespace ringscope {

namespace {

// A cell JSON can hold as a number: decimal text from_chars reads whole
// (numeric cells are written by this program: to_string, FormatDouble).
bool IsNumberText(const std::string& cell) {
  if (cell.empty() || cell.find_first_not_of("-0123456789.eE") != std::string::npos) return false;
  if (cell[0] == '.' || cell.back() == '.') return false;
  double v;
  auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
  return ec == std::errc() && end == cell.data() + cell.size();
}

std::string Number(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", x);
  return buffer;
}

}  // namespace

Store OpenForQuery(const GlobalOptions& global) {
  StoreOptions options;
  options.read_only = true;
  return OpenExistingStore(global.ResolvedDbPath(), options);
}

std::optional<std::int64_t> QueryRun(Database& db, std::int64_t requested) {
  if (requested != 0) return ResolveRun(db, requested);
  return LatestRunId(db);
}

void WriteSections(const std::vector<Section>& sections, OutputFormat format, std::ostream& out) {
  bool first = true;
  for (const Section& s : sections) {
    if (!first) out << '\n';
    first = false;
    if (format == OutputFormat::kCsv) {
      out << "# " << s.title << '\n';
      WriteTable(s.table, OutputFormat::kCsv, out);
      continue;
    }
    out << s.title << '\n';
    if (s.table.rows.empty()) {
      out << "  (none)\n";
    } else {
      WriteTable(s.table, OutputFormat::kTable, out);
    }
    if (!s.note.empty()) out << s.note << '\n';
  }
}

void TableJson(JsonWriter& json, const Table& table) {
  json.BeginArray();
  for (const auto& row : table.rows) {
    json.BeginObject();
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      json.Key(table.columns[c]);
      const std::string& cell = c < row.size() ? row[c] : std::string();
      const bool numeric = c < table.numeric.size() && table.numeric[c];
      if (numeric && IsNumberText(cell)) {
        json.NumberText(cell);
      } else if (numeric && cell.empty()) {
        json.Null();
      } else {
        json.String(cell);
      }
    }
    json.EndObject();
  }
  json.EndArray();
}

std::string TimeText(Timestamp ts) { return ts == kNoTimestamp ? std::string() : FormatTimestamp(ts); }

std::string EvidenceText(const LinkEvidence& e) {
  if (e.precomputed) return e.kind + " link (" + Number(e.weight) + ")";
  std::string text = e.kind + " " + e.value + " (" + std::to_string(e.degree) +
                     (e.degree_estimated ? "+" : "") + " accounts";
  if (e.templates > 1)
    text += ", " + std::to_string(e.templates) +
            (e.templates >= kMaxCountedTemplates ? "+" : "") + " templates";
  if (e.capped) text += ", capped";
  if (!e.factor_known) text += ", hub factor unknown";
  if (e.factor_known && e.factor < 1.0) text += ", hub x" + Number(e.factor);
  return text + ")";
}

void EvidenceJson(JsonWriter& json, const std::vector<LinkEvidence>& evidence) {
  json.BeginArray();
  for (const LinkEvidence& e : evidence) {
    json.BeginObject().Key("kind").String(e.kind);
    if (e.precomputed) {
      json.Key("precomputed").Bool(true);
    } else {
      json.Key("value_id").Int(e.value_id).Key("value").String(e.value);
      json.Key("degree").Int(e.degree).Key("degree_estimated").Bool(e.degree_estimated);
      json.Key("templates").Int(e.templates).Key("factor").Double(e.factor);
      json.Key("factor_known").Bool(e.factor_known).Key("capped").Bool(e.capped);
    }
    json.Key("weight").Double(e.weight).EndObject();
  }
  json.EndArray();
}

}  // namespace ringscope
