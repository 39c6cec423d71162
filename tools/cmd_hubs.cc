#include "tools/cmd_hubs.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "db/analysis.h"
#include "db/store.h"
#include "tools/cli_analysis.h"

namespace ringscope {

namespace {

struct HubsOptions {
  std::int64_t run_id = 0;
  std::string decision = "all";  // all, kept, demoted, dropped
  std::string kind;
  std::size_t top = 50;
  OutputFormat format = OutputFormat::kTable;
};

void RunHubs(const HubsOptions& o, const GlobalOptions& global) {
  if (o.decision != "all" && o.decision != "kept" && o.decision != "demoted" &&
      o.decision != "dropped")
    throw UsageError("--decision must be all, kept, demoted or dropped; got '" + o.decision + "'");
  std::string path = global.ResolvedDbPath();
  if (!std::filesystem::exists(path))
    throw CommandFailure("no database at '" + path + "'; run 'ringscope ingest FILE...' first");
  Store store = Store::Open(path, StoreOptions{.read_only = true});
  // The parameters of the requested (or latest) run; defaults before any run.
  AnalyzeParameters parameters;
  std::optional<std::int64_t> run = o.run_id ? std::optional(o.run_id) : LatestRunId(store.db());
  if (o.run_id && !RunExists(store.db(), o.run_id))
    throw CommandFailure("run " + std::to_string(o.run_id) + " does not exist");
  if (run) parameters = AnalyzeParameters::FromJson(LoadRunParameters(store.db(), *run));
  AnalysisOutcome g = BuildGraph(store.db(), parameters, {});
  std::vector<const HubReport*> hubs;
  for (const HubReport& h : g.projected.hubs) {
    if (o.decision != "all" && o.decision != HubDecisionName(h.decision)) continue;
    if (!o.kind.empty() && g.incidence.kind_name(h.kind) != o.kind) continue;
    hubs.push_back(&h);
  }
  std::stable_sort(hubs.begin(), hubs.end(), [](const HubReport* a, const HubReport* b) {
    return a->degree != b->degree ? a->degree > b->degree : a->value < b->value;
  });
  Table table{{"kind", "value", "accounts", "decision", "factor", "reason"}, {},
              {false, false, true, false, true, false}};
  for (std::size_t i = 0; i < hubs.size() && i < o.top; ++i) {
    const HubReport& h = *hubs[i];
    table.rows.push_back({g.incidence.kind_name(h.kind),
                          LoadValueText(store.db(), g.data.value_ids[h.value]),
                          std::to_string(h.degree), HubDecisionName(h.decision),
                          FormatDouble(h.factor, 3), h.reason});
  }
  WriteTable(table, o.format, std::cout);
  if (o.format == OutputFormat::kTable && hubs.size() > o.top)
    std::cout << "(" << hubs.size() - o.top << " more; --top N shows more)\n";
}

}  // namespace

void SetupHubsCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry) {
  auto o = std::make_shared<HubsOptions>();
  CLI::App* cmd = app.add_subcommand(
      "hubs",
      "Values shared by many accounts (an IP, a card, a prompt template...) and what the\n"
      "projection decided about each: kept (campaign evidence: its accounts are tied by other\n"
      "evidence, signed up in bursts, send heavy traffic), demoted or dropped (a benign hub:\n"
      "NAT, CGNAT, a framework's boilerplate prompt), with the measured reasons. Uses the\n"
      "parameters of the latest run (or --run ID), the defaults before any run.\n\n"
      "Example: ringscope hubs --decision demoted --kind ip");
  cmd->add_option("--run", o->run_id, "Use this run's parameters");
  cmd->add_option("--decision", o->decision, "all, kept, demoted or dropped")->default_str("all");
  cmd->add_option("--kind", o->kind, "Only values of this kind");
  cmd->add_option("--top", o->top, "Rows shown, most shared first")->default_val(50);
  AddFormatOption(cmd, &o->format);
  registry.Add(cmd, [o, &global] { RunHubs(*o, global); });
}

}  // namespace ringscope
