#include "tools/cmd_top.h"

#include <iostream>

#include "db/queries.h"
#include "tools/cli_explore.h"
#include "tools/cli_runs.h"

namespace ringscope {

namespace {

struct TopOptions {
  std::int64_t run_id = 0;
  std::size_t n = 20;
  OutputFormat format = OutputFormat::kTable;
};

void RunTop(const TopOptions& o, const GlobalOptions& global) {
  Store store = OpenForQuery(global);
  const std::int64_t run = ResolveRun(store.db(), o.run_id);
  Table table{{"cluster", "size", "score", "evidence_classes", "reasons"},
              {},
              {false, true, true, true, false}};
  for (const ClusterRecord& c : LoadTopClusters(store.db(), run, o.n))
    table.rows.push_back({c.cluster_id, std::to_string(c.size), FormatDouble(c.score, 2),
                          std::to_string(c.evidence_classes), c.reasons});
  if (o.format == OutputFormat::kTable)
    std::cout << "clusters of run " << run << ", by score\n";
  WriteTable(table, o.format, std::cout);
}

}  // namespace

void SetupTopCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry) {
  auto o = std::make_shared<TopOptions>();
  CLI::App* cmd = app.add_subcommand(
      "top",
      "The clusters of a run by score (then size), with their independent evidence classes\n"
      "(a ban needs 2) and reasons.\n\n"
      "Example: ringscope top --n 50 --format csv");
  cmd->add_option("--run", o->run_id, "Run to read (default: the latest)");
  cmd->add_option("--n", o->n, "Clusters shown")->default_val(20);
  AddFormatOption(cmd, &o->format);
  registry.Add(cmd, [o, &global] { RunTop(*o, global); });
}

}  // namespace ringscope
