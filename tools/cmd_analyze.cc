#include "tools/cmd_analyze.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "db/analysis.h"
#include "db/store.h"
#include "tools/cli_analysis.h"

namespace ringscope {

namespace {

struct AnalyzeCommandOptions {
  AnalyzeParameters parameters;
  std::size_t top = 20;
  OutputFormat format = OutputFormat::kTable;
  std::vector<std::string> strengths;  // kind=strength overrides
};

Timestamp Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void ApplyStrengths(const std::vector<std::string>& overrides, ProjectionOptions& projection) {
  for (const std::string& item : overrides) {
    auto eq = item.find('=');
    char* end = nullptr;
    double value = eq == std::string::npos ? -1 : std::strtod(item.c_str() + eq + 1, &end);
    if (eq == std::string::npos || eq == 0 || end == nullptr || *end != '\0' || !(value >= 0))
      throw UsageError("--strength takes KIND=NUMBER with a number >= 0, e.g. payment=3; got '" +
                       item + "'");
    projection.kind_strengths[item.substr(0, eq)] = value;
  }
}

void Validate(const AnalyzeCommandOptions& o) {
  const AnalyzeParameters& p = o.parameters;
  if (p.algorithm != "leiden" && p.algorithm != "louvain" && p.algorithm != "components")
    throw UsageError("--algorithm must be leiden, louvain or components; got '" + p.algorithm + "'");
  if (!(p.resolution >= 0) || p.resolution > 1e6)
    throw UsageError("--resolution must be a number >= 0");
  if (p.min_size < 2) throw UsageError("--min-size must be at least 2 (a cluster links accounts)");
  if (p.scoring.min_ban_size < 1) throw UsageError("--min-ban-size must be at least 1");
  if (p.threads < 1 || p.threads > 256) throw UsageError("--threads must be between 1 and 256");
  if (!(p.prompts.threshold >= 0 && p.prompts.threshold <= 1))
    throw UsageError("--prompt-threshold must be between 0 and 1");
  if (p.prompts.bands < 1) throw UsageError("--prompt-bands must be at least 1");
  if (!(p.min_weight >= 0)) throw UsageError("--min-weight must be >= 0");
}

std::string StatsJson(const AnalysisOutcome& o) {
  std::ostringstream out;
  JsonWriter json(out);
  const ProjectionStats& s = o.projected.stats;
  json.BeginObject().Key("accounts").Int(static_cast<long long>(o.data.accounts.size()));
  json.Key("values").Int(static_cast<long long>(o.data.value_ids.size()));
  json.Key("observations").Int(static_cast<long long>(o.data.observations.size()));
  json.Key("links").Int(static_cast<long long>(s.edges));
  json.Key("prompt_templates").Int(static_cast<long long>(o.prompts.templates));
  json.Key("prompt_clusters").Int(static_cast<long long>(o.prompts.clusters));
  json.Key("prompt_templates_folded").Int(static_cast<long long>(o.prompts.folded_templates));
  json.Key("largest_prompt_cluster").Int(static_cast<long long>(o.prompts.largest_cluster));
  json.Key("values_sparsified").Int(static_cast<long long>(s.values_sparsified));
  json.Key("hubs_demoted").Int(static_cast<long long>(s.values_demoted));
  json.Key("hubs_dropped").Int(static_cast<long long>(s.values_dropped));
  json.Key("communities").Int(static_cast<long long>(o.partition.num_communities));
  json.Key("clusters").Int(static_cast<long long>(o.clusters.size()));
  std::size_t bannable = 0, bannable_accounts = 0;
  for (const AnalysisCluster& c : o.clusters) {
    if (!c.score.bannable) continue;
    ++bannable;
    bannable_accounts += c.members.size();
  }
  json.Key("bannable_clusters").Int(static_cast<long long>(bannable));
  json.Key("bannable_accounts").Int(static_cast<long long>(bannable_accounts));
  json.Key("seconds").BeginObject();
  for (const StageTiming& t : o.timings) json.Key(t.stage).Double(t.seconds);
  json.EndObject().EndObject();
  return out.str();
}

// Each account's strongest kRunNeighbourLimit links, strongest first, ties
// by account (dense index order is accounts.id order), each with the linked
// account's degree over its own list. O(arcs log degree).
void AddNeighbourLists(const LinkGraph& graph, RunToSave& run) {
  run.neighbour_offsets.assign(1, 0);
  run.neighbour_offsets.reserve(graph.num_vertices() + 1);
  std::vector<float> degree(graph.num_vertices(), 0.0F);
  std::vector<RunNeighbour> list;
  for (VertexId v = 0; v < graph.num_vertices(); ++v) {
    const LinkGraph::Neighbourhood n = graph.Neighbours(v);
    list.clear();
    for (std::size_t i = 0; i < n.targets.size(); ++i)
      if (n.targets[i] != v) list.push_back({n.targets[i], static_cast<float>(n.weights[i])});
    auto stronger = [](const RunNeighbour& a, const RunNeighbour& b) {
      return a.weight != b.weight ? a.weight > b.weight : a.account < b.account;
    };
    const std::size_t kept = std::min(list.size(), kRunNeighbourLimit);
    std::partial_sort(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(kept), list.end(),
                      stronger);
    // Summed in stored order, as the walk sums what it reads.
    for (std::size_t i = 0; i < kept; ++i) degree[v] += list[i].weight;
    run.neighbours.insert(run.neighbours.end(), list.begin(),
                          list.begin() + static_cast<std::ptrdiff_t>(kept));
    run.neighbour_offsets.push_back(run.neighbours.size());
  }
  for (RunNeighbour& n : run.neighbours) n.degree = degree[n.account];
}

RunToSave MakeRun(const AnalysisOutcome& o, const AnalyzeParameters& p, Timestamp started) {
  RunToSave run;
  run.started_at = started;
  run.finished_at = Now();
  run.algorithm = p.algorithm;
  run.parameters_json = p.ToJson();
  run.seed = static_cast<std::int64_t>(p.seed);
  if (o.has_modularity) run.modularity = o.partition.modularity;
  run.stats_json = StatsJson(o);
  run.prompt_clusters = o.prompts.changed;
  AddNeighbourLists(o.projected.graph, run);
  for (const HubReport& hub : o.projected.hubs)
    run.hubs.push_back({hub.value, hub.factor, HubDecisionName(hub.decision)});
  for (const AnalysisCluster& c : o.clusters) {
    run.clusters.push_back(ClusterToSave{.cluster_id = c.id,
                                         .score = c.score.score,
                                         .reasons = FormatReasons(c.score),
                                         .evidence_classes = c.score.independent_classes,
                                         .members = c.members,
                                         .member_reasons = c.member_reasons});
  }
  return run;
}

void PrintTop(const AnalysisOutcome& o, std::int64_t run_id, const AnalyzeCommandOptions& opts) {
  Table table{{"cluster", "size", "score", "ban", "reasons"}, {}, {false, true, true, false, false}};
  for (std::size_t i = 0; i < o.clusters.size() && i < opts.top; ++i) {
    const AnalysisCluster& c = o.clusters[i];
    table.rows.push_back({c.id, std::to_string(c.members.size()), FormatDouble(c.score.score, 2),
                          c.score.bannable ? "yes" : "no", FormatReasons(c.score)});
  }
  if (opts.format != OutputFormat::kTable) {
    WriteTable(table, opts.format, std::cout);
    return;
  }
  std::size_t bannable = 0, accounts = 0;
  for (const AnalysisCluster& c : o.clusters)
    if (c.score.bannable) ++bannable, accounts += c.members.size();
  std::cout << "run " << run_id << ": " << FormatCount(static_cast<long long>(o.data.accounts.size()))
            << " accounts, " << FormatCount(static_cast<long long>(o.projected.stats.edges))
            << " links, " << FormatCount(static_cast<long long>(o.clusters.size()))
            << " clusters of 2 or more; " << bannable << " bannable clusters with "
            << FormatCount(static_cast<long long>(accounts)) << " accounts";
  if (o.has_modularity) std::cout << "; modularity " << FormatDouble(o.partition.modularity, 4);
  std::cout << "\n\n";
  WriteTable(table, OutputFormat::kTable, std::cout);
  if (o.clusters.size() > opts.top)
    std::cout << "(" << o.clusters.size() - opts.top << " more clusters; --top N shows more)\n";
}

void RunAnalyze(AnalyzeCommandOptions o, const GlobalOptions& global) {
  ApplyStrengths(o.strengths, o.parameters.projection);
  Validate(o);
  std::string path = global.ResolvedDbPath();
  if (!std::filesystem::exists(path))
    throw CommandFailure("no database at '" + path + "'; run 'ringscope ingest FILE...' first");
  Store store = Store::Open(path);
  Timestamp started = Now();
  std::optional<std::int64_t> previous = LatestRunId(store.db());
  AnalysisOutcome outcome = RunAnalysis(store.db(), o.parameters, previous,
                                        [](std::string_view stage) { spdlog::info("{}...", stage); });
  for (const StageTiming& t : outcome.timings) spdlog::debug("{}: {:.3f} s", t.stage, t.seconds);
  auto save_start = std::chrono::steady_clock::now();
  std::int64_t run_id = SaveRun(store.db(), outcome.data, MakeRun(outcome, o.parameters, started));
  spdlog::info("saved run {} in {:.2f} s", run_id,
               std::chrono::duration<double>(std::chrono::steady_clock::now() - save_start).count());
  PrintTop(outcome, run_id, o);
}

}  // namespace

void SetupAnalyzeCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry) {
  auto options = std::make_shared<AnalyzeCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "analyze",
      "Build the account link graph from the database (shared values weighted by kind and by\n"
      "how many accounts share them; benign hubs such as NAT/CGNAT addresses and boilerplate\n"
      "prompts demoted), find communities, score each cluster as a campaign with reasons,\n"
      "and store the result as a run. Cluster ids stay stable across runs.\n\n"
      "Examples:\n"
      "  ringscope analyze\n"
      "  ringscope analyze --algorithm louvain --resolution 2 --seed 7 --top 50");
  AnalyzeParameters& p = options->parameters;
  cmd->add_option("--algorithm", p.algorithm, "leiden (default), louvain or components");
  cmd->add_option("--resolution", p.resolution,
                  "Modularity resolution (leiden/louvain); larger gives smaller clusters")
      ->default_val(1.0);
  cmd->add_option("--min-weight", p.min_weight,
                  "components: only links at least this strong join accounts")
      ->default_val(0.5);
  cmd->add_option("--min-size", p.min_size, "Smallest cluster kept")->default_val(2);
  cmd->add_option("--min-ban-size", p.scoring.min_ban_size,
                  "Smallest cluster that can be banned; smaller ones are kept, scored and gated "
                  "for review (families and flatmates share cards and devices too)")
      ->default_val(6);
  cmd->add_option("--seed", p.seed, "Random seed (same seed, same clusters)")->default_val(42);
  cmd->add_option("--threads", p.threads, "Threads for the projection")->default_val(2);
  cmd->add_option("--prompt-threshold", p.prompts.threshold,
                  "Estimated Jaccard similarity at which two prompt templates join one prompt "
                  "cluster (MinHash/LSH over byte 7-grams)")
      ->default_val(0.5);
  cmd->add_option("--prompt-bands", p.prompts.bands,
                  "LSH bands over the 64-bin sketches (must divide 64)")
      ->default_val(16);
  cmd->add_flag_function("--no-prompt-clusters", [&p](std::int64_t) { p.prompts.enabled = false; },
                "Link accounts by exact prompt templates only (no similarity clustering)");
  cmd->add_option("--strength", options->strengths,
                  "Override a kind's strength, KIND=NUMBER (repeatable), e.g. --strength ip=0.5");
  cmd->add_option("--top", options->top, "Clusters shown")->default_val(20);
  AddFormatOption(cmd, &options->format);
  registry.Add(cmd, [options, &global] { RunAnalyze(*options, global); });
}

}  // namespace ringscope
