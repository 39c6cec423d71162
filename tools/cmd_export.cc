#include "tools/cmd_export.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "db/analysis.h"
#include "db/store.h"
#include "ingest/csv.h"
#include "tools/cli_analysis.h"
#include "tools/cli_csv.h"
#include "tools/cli_output.h"
#include "tools/cli_runs.h"

namespace ringscope {

namespace {

struct ExportOptions {
  std::int64_t run_id = 0;  // 0: the latest run
  std::string output = "-";
  // banlist
  double min_score = ScoringOptions{}.ban_threshold;
  std::vector<std::string> allowlists;
  bool since_last = false;
  std::string banlist_format = "csv";
  // graphml
  std::string cluster;
};

Store OpenExisting(const GlobalOptions& global) {
  return OpenExistingStore(global.ResolvedDbPath());
}

void WarnUnknownAllowed(Database& db, const std::set<std::string>& allow) {
  Statement s(db, "SELECT 1 FROM accounts WHERE name = ?");
  std::size_t unknown = 0;
  std::string example;
  for (const std::string& name : allow) {
    s.Reset();
    s.Bind(1, name);
    if (s.Step()) continue;
    if (unknown++ == 0) example = name;
  }
  if (unknown > 0)
    spdlog::warn("{} allowlisted account(s) are not in the database (e.g. '{}'): check the ids",
                 unknown, example);
}

void WriteBanList(const std::vector<const RunMember*>& rows, const std::string& format,
                  std::ostream& out) {
  if (format == "jsonl") {
    for (const RunMember* m : rows) {
      JsonWriter json(out);
      json.BeginObject().Key("account").String(m->account).Key("cluster").String(m->cluster_id);
      json.Key("score").Double(std::round(m->score * 100) / 100).Key("reasons").String(m->reasons);
      json.EndObject();
      out << '\n';
    }
    return;
  }
  WriteCsvRow({"account", "cluster", "score", "reasons"}, out);
  for (const RunMember* m : rows)
    WriteSafeCsvRow({m->account, m->cluster_id, FormatDouble(m->score, 2), m->reasons}, out);
}

void ReportChanges(Database& db, std::int64_t export_id, const std::vector<const RunMember*>& rows,
                   bool to_stdout) {
  std::optional<std::int64_t> previous = PreviousExportId(db, "banlist", export_id);
  if (!previous) {
    spdlog::info("--since-last: no earlier ban list export to compare with");
    return;
  }
  std::vector<std::string> before = LoadExportAccounts(db, *previous), now;
  for (const RunMember* m : rows) now.push_back(m->account);
  std::vector<std::string> added, removed;
  std::set_difference(now.begin(), now.end(), before.begin(), before.end(), std::back_inserter(added));
  std::set_difference(before.begin(), before.end(), now.begin(), now.end(), std::back_inserter(removed));
  spdlog::info("since export {}: {} added, {} removed, {} unchanged", *previous, added.size(),
               removed.size(), now.size() - added.size());
  std::ostream& out = to_stdout ? std::cout : std::cerr;
  Table table{{"account", "change"}, {}, {false, false}};
  for (const std::string& a : added) table.rows.push_back({a, "added"});
  for (const std::string& a : removed) table.rows.push_back({a, "removed"});
  std::sort(table.rows.begin(), table.rows.end());
  WriteTable(table, OutputFormat::kCsv, out);
}

void RunBanList(const ExportOptions& o, const GlobalOptions& global) {
  if (o.banlist_format != "csv" && o.banlist_format != "jsonl")
    throw UsageError("--format must be csv or jsonl; got '" + o.banlist_format + "'");
  if (!(o.min_score >= 0 && o.min_score <= 1)) throw UsageError("--min-score must be in [0, 1]");
  Store store = OpenExisting(global);
  std::int64_t run_id = ResolveRun(store.db(), o.run_id);
  std::vector<RunMember> members = LoadRunMembers(store.db(), run_id);
  std::set<std::string> allow = LoadAllowlist(store.db(), o.allowlists);
  WarnUnknownAllowed(store.db(), allow);
  BanSelection selection = SelectBanned(members, o.min_score, allow);
  const std::vector<const RunMember*>& rows = selection.banned;
  const std::size_t allowed = selection.allowlisted;
  OutputFile out(o.output);
  WriteBanList(rows, o.banlist_format, out.stream());
  out.Commit();
  std::ostringstream parameters;
  JsonWriter(parameters).BeginObject().Key("format").String(o.banlist_format).Key("allowlisted")
      .Int(static_cast<long long>(allowed)).EndObject();
  std::int64_t export_id = SaveExport(
      store.db(),
      {.run_id = run_id, .kind = "banlist", .path = o.output, .min_score = o.min_score,
       .parameters_json = parameters.str()},
      rows);
  spdlog::info("ban list export {}: {} accounts from run {} (score >= {}), {} allowlisted left out",
               export_id, rows.size(), run_id, o.min_score, allowed);
  if (o.since_last) ReportChanges(store.db(), export_id, rows, o.output != "-");
}

void RunClusters(const ExportOptions& o, const GlobalOptions& global) {
  Store store = OpenExisting(global);
  std::int64_t run_id = ResolveRun(store.db(), o.run_id);
  std::vector<RunMember> members = LoadRunMembers(store.db(), run_id);
  OutputFile out(o.output);
  WriteCsvRow({"account", "cluster", "cluster_size", "score"}, out.stream());
  for (const RunMember& m : members)
    WriteSafeCsvRow(
        {m.account, m.cluster_id, std::to_string(m.cluster_size), FormatDouble(m.score, 2)},
        out.stream());
  out.Commit();
  spdlog::info("clusters of run {}: {} accounts", run_id, members.size());
}

// The graph of a run, rebuilt from the database with the run's parameters.
AnalysisOutcome RebuildGraph(Database& db, std::int64_t run_id) {
  AnalyzeParameters p = AnalyzeParameters::FromJson(LoadRunParameters(db, run_id));
  return BuildGraph(db, p, [](std::string_view stage) { spdlog::debug("{}...", stage); });
}

// The kind carrying most of a link's weight.
const std::string& DominantKind(const AnalysisOutcome& g, EdgeId e) {
  static const std::string kNone = "link";
  auto evidence = g.projected.Evidence(e);
  return evidence.empty() ? kNone : EvidenceKindName(g, evidence.front());
}

void RunEdges(const ExportOptions& o, const GlobalOptions& global) {
  Store store = OpenExisting(global);
  std::int64_t run_id = ResolveRun(store.db(), o.run_id);
  AnalysisOutcome g = RebuildGraph(store.db(), run_id);
  OutputFile out(o.output);
  WriteCsvRow({"src", "dst", "kind", "weight"}, out.stream());
  const LinkGraph& graph = g.projected.graph;
  for (VertexId v = 0; v < graph.num_vertices(); ++v) {
    auto n = graph.Neighbours(v);
    for (std::size_t i = 0; i < n.targets.size(); ++i) {
      if (n.targets[i] <= v) continue;  // each undirected link once
      char weight[32];
      std::snprintf(weight, sizeof weight, "%.6g", n.weights[i]);
      WriteSafeCsvRow({g.data.accounts[v].name, g.data.accounts[n.targets[i]].name,
                   DominantKind(g, n.edge_ids[i]), weight},
                  out.stream());
    }
  }
  out.Commit();
  spdlog::info("edges of run {}: {} links", run_id, graph.num_edges());
}

std::string EvidenceText(Database& db, const AnalysisOutcome& g, EdgeId e) {
  std::string text;
  for (const EvidenceEntry& entry : g.projected.Evidence(e)) {
    if (!text.empty()) text += "; ";
    text += EvidenceKindName(g, entry);
    if (!entry.is_link()) text += ":" + LoadValueText(db, g.data.value_ids[entry.value()]);
  }
  return text;
}

void RunGraphMl(const ExportOptions& o, const GlobalOptions& global) {
  Store store = OpenExisting(global);
  std::int64_t run_id = ResolveRun(store.db(), o.run_id);
  std::vector<RunMember> members = LoadRunMembers(store.db(), run_id);
  std::unordered_map<std::int64_t, const RunMember*> member_of;
  for (const RunMember& m : members) member_of[m.account_id] = &m;
  if (!o.cluster.empty() && std::none_of(members.begin(), members.end(), [&](const RunMember& m) {
        return m.cluster_id == o.cluster;
      }))
    throw CommandFailure("cluster '" + o.cluster + "' is not in run " + std::to_string(run_id));
  AnalysisOutcome g = RebuildGraph(store.db(), run_id);
  const LinkGraph& graph = g.projected.graph;
  auto included = [&](VertexId v) {
    auto it = member_of.find(g.data.accounts[v].id);
    if (o.cluster.empty()) return graph.Neighbours(v).targets.size() > 0;
    return it != member_of.end() && it->second->cluster_id == o.cluster;
  };
  OutputFile file(o.output);
  std::ostream& out = file.stream();
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
         "  <key id=\"name\" for=\"node\" attr.name=\"account\" attr.type=\"string\"/>\n"
         "  <key id=\"cluster\" for=\"node\" attr.name=\"cluster\" attr.type=\"string\"/>\n"
         "  <key id=\"score\" for=\"node\" attr.name=\"score\" attr.type=\"double\"/>\n"
         "  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n"
         "  <key id=\"kind\" for=\"edge\" attr.name=\"kind\" attr.type=\"string\"/>\n"
         "  <key id=\"evidence\" for=\"edge\" attr.name=\"evidence\" attr.type=\"string\"/>\n"
         "  <graph id=\"run" << run_id << "\" edgedefault=\"undirected\">\n";
  for (VertexId v = 0; v < graph.num_vertices(); ++v) {
    if (!included(v)) continue;
    auto it = member_of.find(g.data.accounts[v].id);
    out << "    <node id=\"n" << v << "\"><data key=\"name\">" << XmlEscape(g.data.accounts[v].name)
        << "</data>";
    if (it != member_of.end())
      out << "<data key=\"cluster\">" << XmlEscape(it->second->cluster_id)
          << "</data><data key=\"score\">" << FormatDouble(it->second->score, 4) << "</data>";
    out << "</node>\n";
  }
  for (VertexId v = 0; v < graph.num_vertices(); ++v) {
    if (!included(v)) continue;
    auto n = graph.Neighbours(v);
    for (std::size_t i = 0; i < n.targets.size(); ++i) {
      if (n.targets[i] <= v || !included(n.targets[i])) continue;
      out << "    <edge source=\"n" << v << "\" target=\"n" << n.targets[i]
          << "\"><data key=\"weight\">" << n.weights[i] << "</data><data key=\"kind\">"
          << XmlEscape(DominantKind(g, n.edge_ids[i])) << "</data><data key=\"evidence\">"
          << XmlEscape(EvidenceText(store.db(), g, n.edge_ids[i])) << "</data></edge>\n";
    }
  }
  out << "  </graph>\n</graphml>\n";
  file.Commit();
}

CLI::App* AddCommon(CLI::App* parent, const char* name, const char* help,
                    std::shared_ptr<ExportOptions> o) {
  CLI::App* cmd = parent->add_subcommand(name, help);
  cmd->add_option("--run", o->run_id, "Run to export (default: the latest)");
  cmd->add_option("-o,--output", o->output, "Output file ('-' = stdout, the default)");
  return cmd;
}

}  // namespace

void SetupExportCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry) {
  CLI::App* exp = app.add_subcommand("export", "Write what an analysis run found, as files");
  exp->require_subcommand(1);
  auto o = std::make_shared<ExportOptions>();

  CLI::App* ban = AddCommon(
      exp, "banlist",
      "The accounts of clusters scoring at least --min-score, one row per account sorted by\n"
      "account: account,cluster,score,reasons (CSV) or the same fields as JSON lines. The\n"
      "reasons name the kinds of evidence and how many cluster accounts share them.\n"
      "Accounts on the allowlist (ingested with --list allow, or --allowlist FILE) are left\n"
      "out. Each export is recorded; --since-last lists accounts added and removed since the\n"
      "previous ban list.\n\n"
      "CSV cells starting with = + - @ (not a number), tab, CR or ' get a leading ' so that a\n"
      "spreadsheet runs no formula: remove one leading ' to recover an id, or use --format\n"
      "jsonl, which keeps ids exact (docs/guarantees.md). Clusters and edges do the same.\n\n"
      "Example: ringscope export banlist -o banlist.csv --since-last",
      o);
  ban->add_option("--min-score", o->min_score, "Lowest cluster score banned")->default_val(0.5);
  ban->add_option("--allowlist", o->allowlists, "CSV account[,note] of accounts never banned");
  ban->add_flag("--since-last", o->since_last, "List accounts added/removed since the last export");
  ban->add_option("--format", o->banlist_format, "csv or jsonl")->default_str("csv");
  registry.Add(ban, [o, &global] { RunBanList(*o, global); });

  CLI::App* clusters = AddCommon(
      exp, "clusters",
      "Every account in a cluster of two or more: account,cluster,cluster_size,score.\n"
      "Formula-like cells get a leading ' (see export banlist --help).\n\n"
      "Example: ringscope export clusters -o clusters.csv",
      o);
  registry.Add(clusters, [o, &global] { RunClusters(*o, global); });

  CLI::App* edges = AddCommon(
      exp, "edges",
      "The whole link graph of a run as CSV src,dst,kind,weight (one row per link; kind is the\n"
      "evidence kind carrying most of its weight), readable by Neo4j's bulk import, Spark\n"
      "GraphFrames and NetworkX as it is.\n\n"
      "Example: ringscope export edges -o edges.csv",
      o);
  registry.Add(edges, [o, &global] { RunEdges(*o, global); });

  CLI::App* graphml = AddCommon(
      exp, "graphml",
      "The link graph (or one cluster with --cluster ID) as GraphML, with each link's weight,\n"
      "kind and evidence (the shared values).\n\n"
      "Example: ringscope export graphml --cluster c_0001 -o c_0001.graphml",
      o);
  graphml->add_option("--cluster", o->cluster, "Only this cluster's accounts and links");
  registry.Add(graphml, [o, &global] { RunGraphMl(*o, global); });
}

}  // namespace ringscope
