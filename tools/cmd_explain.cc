#include "tools/cmd_explain.h"

#include <iostream>

#include "db/analysis.h"
#include "db/queries.h"
#include "tools/cli_explore.h"
#include "tools/cli_paths.h"

namespace ringscope {

namespace {

struct ExplainOptions {
  std::string a, b;
  std::int64_t run_id = 0;
  int max_hops = PathOptions{}.max_hops;
  std::size_t max_expansions = PathOptions{}.max_expansions;
  bool from_observations = false;
  OutputFormat format = OutputFormat::kTable;
};

// The template of a prompt value (a cluster's representative, or a template)
// that `account` sent: the value itself, else its smallest template in the
// value's prompt cluster.
std::int64_t TemplateOf(Database& db, std::int64_t value_id, std::int64_t account) {
  if (AccountHasValue(db, account, value_id)) return value_id;
  return AccountTemplateInCluster(db, account, value_id).value_or(value_id);
}

// One example prompt text of each end of a hop for a prompt evidence entry.
std::pair<std::string, std::string> PromptExamples(Database& db, const PathHop& hop,
                                                   const LinkEvidence& e) {
  if (e.kind != "prompt" || e.precomputed) return {};
  auto example = [&](std::int64_t account) {
    return LoadPromptExample(db, TemplateOf(db, e.value_id, account), account).value_or("");
  };
  return {example(hop.from), example(hop.to)};
}

struct HopRow {
  const PathHop* hop;
  const LinkEvidence* evidence;
  std::string example_from, example_to;
};

std::vector<HopRow> Rows(Database& db, const EvidencePath& path) {
  std::vector<HopRow> rows;
  for (const PathHop& hop : path.hops) {
    if (hop.evidence.empty()) rows.push_back({&hop, nullptr, "", ""});  // the hop still shows
    for (const LinkEvidence& e : hop.evidence) {
      auto [from, to] = PromptExamples(db, hop, e);
      rows.push_back({&hop, &e, std::move(from), std::move(to)});
    }
  }
  return rows;
}

void WriteJson(const ExplainOptions& o, const EvidencePath& path, const std::vector<HopRow>& rows) {
  JsonWriter json(std::cout);
  json.BeginObject().Key("a").String(o.a).Key("b").String(o.b).Key("linked").Bool(path.linked);
  json.Key("max_hops").Int(o.max_hops).Key("hops").Int(static_cast<long long>(path.hops.size()));
  json.Key("cost").Double(path.cost).Key("max_strength").Double(path.max_strength);
  json.Key("explored_accounts").Int(static_cast<long long>(path.explored_accounts));
  json.Key("expanded_accounts").Int(static_cast<long long>(path.expanded_accounts));
  json.Key("path").BeginArray();
  for (const PathHop& hop : path.hops) {
    json.BeginObject().Key("from").String(hop.from_name).Key("to").String(hop.to_name);
    json.Key("strength").Double(hop.strength).Key("evidence").BeginArray();
    for (const HopRow& r : rows) {
      if (r.hop != &hop || r.evidence == nullptr) continue;
      json.BeginObject().Key("text").String(EvidenceText(*r.evidence));
      json.Key("entry");
      EvidenceJson(json, {*r.evidence});
      if (!r.example_from.empty() || !r.example_to.empty())
        json.Key("example_from").String(r.example_from).Key("example_to").String(r.example_to);
      json.EndObject();
    }
    json.EndArray().Key("evidence_dropped").Int(static_cast<long long>(hop.evidence_dropped));
    json.Key("evidence_missing").Bool(hop.evidence_missing);
    json.EndObject();
  }
  json.EndArray().EndObject();
  std::cout << '\n';
}

void RunExplain(const ExplainOptions& o, const GlobalOptions& global) {
  if (o.max_hops < 1) throw UsageError("--max-hops must be at least 1");
  if (o.max_expansions < 2) throw UsageError("--max-expansions must be at least 2");
  Store store = OpenForQuery(global);
  Database& db = store.db();
  // One snapshot for every read: an analyze committing meanwhile replaces
  // the stored lists the search walks.
  Transaction snapshot(db, Transaction::Behavior::kDeferred);
  std::optional<AccountRecord> a = FindAccount(db, o.a), b = FindAccount(db, o.b);
  if (!a) throw CommandFailure("account '" + o.a + "' is not in the database");
  if (!b) throw CommandFailure("account '" + o.b + "' is not in the database");
  std::optional<std::int64_t> run = QueryRun(db, o.run_id);
  PathOptions options{.max_hops = o.max_hops, .max_expansions = o.max_expansions};
  options.links.hub_run = run.value_or(0);  // the run's stored hub factors
  if (run && !o.from_observations && RunHasNeighbours(db, *run)) options.stored_run = *run;
  EvidencePath path =
      StrongestEvidencePath(db, ParametersForLinks(db, run.value_or(0)), a->id, b->id, options);
  std::vector<HopRow> rows = Rows(db, path);
  if (o.format == OutputFormat::kJson) return WriteJson(o, path, rows);
  if (!path.linked) {
    std::string text = "not linked: no evidence path between " + o.a + " and " + o.b +
                       " within " + std::to_string(o.max_hops) + " hops (" +
                       std::to_string(path.explored_accounts) + " accounts explored)";
    if (o.format == OutputFormat::kCsv) text = "# " + text;
    std::cout << text << '\n';
    return;
  }
  Table table{{"hop", "from", "to", "strength", "kind", "value", "accounts", "weight",
               "example_from", "example_to"},
              {},
              {true, false, false, true, false, false, true, true, false, false}};
  for (const HopRow& r : rows) {
    const std::size_t hop = static_cast<std::size_t>(r.hop - path.hops.data()) + 1;
    if (r.evidence == nullptr) {  // a stored link whose accounts share nothing now
      table.rows.push_back({std::to_string(hop), r.hop->from_name, r.hop->to_name,
                            FormatDouble(r.hop->strength, 3), "graph",
                            "(linked in the run's graph; no shared value found now)", "", "", "",
                            ""});
      continue;
    }
    const LinkEvidence& e = *r.evidence;
    table.rows.push_back({std::to_string(hop), r.hop->from_name, r.hop->to_name,
                          FormatDouble(r.hop->strength, 3), e.kind,
                          e.precomputed ? "(link table)" : EvidenceText(e).substr(e.kind.size() + 1),
                          std::to_string(e.degree), FormatDouble(e.weight, 3), r.example_from,
                          r.example_to});
  }
  std::string title = o.a + " -> " + o.b + ": " + std::to_string(path.hops.size()) +
                      " hop(s), strongest evidence path (" +
                      std::to_string(path.explored_accounts) + " accounts explored)";
  WriteSections({{"path", title, std::move(table), ""}}, o.format, std::cout);
}

}  // namespace

void SetupExplainCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry) {
  auto o = std::make_shared<ExplainOptions>();
  CLI::App* cmd = app.add_subcommand(
      "explain",
      "The strongest evidence path between two accounts: each hop with what the two accounts\n"
      "share (value, how many accounts share it, what it weighs), and for shared prompts one\n"
      "example text of each. Searches the two accounts' link neighbourhoods (bounded depth and\n"
      "expansion) and runs Dijkstra on -ln(normalised link strength); says 'not linked' (exit\n"
      "0) when no path lies within the bounds. The search reads the newest run's stored\n"
      "links (each account's 50 strongest, up to 200 accounts) and then each hop's shared\n"
      "values; for an older run or with --from-observations it rebuilds links from the\n"
      "observations (up to --max-expansions accounts).\n\n"
      "Example: ringscope explain acct_81f2 acct_07aa --max-hops 4");
  cmd->add_option("A", o->a, "First account")->required();
  cmd->add_option("B", o->b, "Second account")->required();
  cmd->add_option("--run", o->run_id, "Run whose weights to use (default: the latest)");
  cmd->add_option("--max-hops", o->max_hops, "Exploration depth in links")
      ->default_val(PathOptions{}.max_hops);
  cmd->add_option("--max-expansions", o->max_expansions,
                  "Accounts whose links are rebuilt at most (when links are rebuilt)")
      ->default_val(PathOptions{}.max_expansions);
  cmd->add_flag("--from-observations", o->from_observations,
                "Rebuild links from the observations instead of the run's stored lists");
  AddFormatOption(cmd, &o->format);
  registry.Add(cmd, [o, &global] { RunExplain(*o, global); });
}

}  // namespace ringscope
