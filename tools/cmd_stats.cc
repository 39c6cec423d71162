#include "tools/cmd_stats.h"

#include <filesystem>
#include <iostream>

#include "db/store.h"

namespace ringscope {

namespace {

struct StatsCommandOptions {
  OutputFormat format = OutputFormat::kTable;
};

void WriteStatsJson(const std::string& path, const StoreStats& s, std::ostream& out) {
  JsonWriter json(out);
  json.BeginObject().Key("database").String(path).Key("schema_version").Int(s.schema_version);
  json.Key("accounts").Int(s.accounts).Key("values").Int(s.values);
  json.Key("observations").Int(s.observations).Key("requests").Int(s.requests);
  json.Key("links").Int(s.links).Key("sources").Int(s.sources);
  json.Key("rows_read").Int(s.rows_read).Key("rows_ingested").Int(s.rows_ingested);
  json.Key("rows_rejected").Int(s.rows_rejected).Key("rejects").Int(s.rejects);
  json.Key("kinds").BeginObject();
  for (const KindCount& k : s.kinds) {
    json.Key(k.kind).BeginObject().Key("values").Int(k.values);
    json.Key("observations").Int(k.observations).EndObject();
  }
  json.EndObject().Key("reject_reasons").BeginObject();
  for (const RejectReasonCount& r : s.reject_reasons) json.Key(r.reason).Int(r.count);
  json.EndObject().Key("lists").BeginObject();
  for (const auto& [name, count] : s.lists) json.Key(name).Int(count);
  json.EndObject().EndObject();
  out << '\n';
}

Table StatsTable(const StoreStats& s) {
  Table table{{"what", "count"}, {}, {false, true}};
  auto row = [&](std::string what, std::int64_t n) {
    table.rows.push_back({std::move(what), FormatCount(n)});
  };
  row("accounts", s.accounts);
  row("requests", s.requests);
  row("values", s.values);
  for (const KindCount& k : s.kinds) row("  " + k.kind + " values", k.values);
  row("observations", s.observations);
  for (const KindCount& k : s.kinds) row("  " + k.kind + " observations", k.observations);
  row("links (from link tables)", s.links);
  row("sources", s.sources);
  row("rows read", s.rows_read);
  row("rows ingested", s.rows_ingested);
  row("rows rejected", s.rows_rejected);
  for (const RejectReasonCount& r : s.reject_reasons) row("  rejected: " + r.reason, r.count);
  for (const auto& [name, count] : s.lists) row("list " + name, count);
  return table;
}

void RunStats(const StatsCommandOptions& o, const GlobalOptions& global) {
  std::string path = global.ResolvedDbPath();
  if (!std::filesystem::exists(path))
    throw CommandFailure("no database at '" + path + "'; run 'ringscope ingest FILE...' first");
  Store store = Store::Open(path, StoreOptions{.read_only = true});
  StoreStats stats = store.Stats();
  if (o.format == OutputFormat::kJson) {
    WriteStatsJson(path, stats, std::cout);
    return;
  }
  if (o.format == OutputFormat::kTable)
    std::cout << "database " << path << " (schema version " << stats.schema_version << ")\n\n";
  WriteTable(StatsTable(stats), o.format, std::cout);
}

}  // namespace

void SetupStatsCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry) {
  auto options = std::make_shared<StatsCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "stats",
      "Show what the database holds: accounts, values per kind, observations, sources,\n"
      "rows read/ingested/rejected and reject reasons.\n\n"
      "Example: ringscope stats --format json");
  AddFormatOption(cmd, &options->format);
  registry.Add(cmd, [options, &global] { RunStats(*options, global); });
}

}  // namespace ringscope
