// The analysis pipeline, as the CLI runs it: load the incidence from the
// store, project it to the link graph (hub handling, evidence), find
// communities, turn them into clusters with features and scores, and give
// them stable ids. `analyze` persists the result as a run; `export edges` and
// `export graphml` rebuild the same graph from the run's stored parameters
// (the pipeline is deterministic).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "algorithms/modularity.h"
#include "algorithms/scoring.h"
#include "db/analysis.h"
#include "db/sqlite.h"
#include "graph/incidence.h"
#include "graph/projection.h"
#include "tools/cli_prompt_stage.h"

namespace ringscope {

struct AnalyzeParameters {
  std::string algorithm = "leiden";  // leiden, louvain or components
  // leiden/louvain. 1 measured best on the `small` worlds (docs/benchmarks.md);
  // 2 helps a small campaign out of a large benign community on `tiny` but
  // splits large campaigns below the cluster-core bar on `small`.
  double resolution = 1.0;
  // Leiden iterations: real account graphs settle in 3-5; running until no
  // change costs 3-5x more on large graphs for the same modularity.
  int leiden_iterations = 4;
  double min_weight = 0.5;           // components: links at least this strong
  std::uint32_t min_size = 2;        // smaller communities are not clusters
  std::uint64_t seed = 42;
  int threads = 2;
  PromptStageParameters prompts;  // prompt similarity: template families as one value
  ProjectionOptions projection;
  ScoringOptions scoring;
  // JSON object of every parameter (stored with the run, read back by export).
  std::string ToJson() const;
  // Reads what ToJson wrote; unknown keys are ignored. Throws on bad JSON.
  static AnalyzeParameters FromJson(std::string_view json);
};

struct AnalysisCluster {
  std::string id;                        // stable id, e.g. "c_0042"
  std::vector<std::uint32_t> members;    // dense account indexes, ascending
  ClusterFeatures features;
  ClusterScore score;
  std::vector<std::string> member_reasons;  // per member: the ban list's reasons cell
};

struct StageTiming {
  std::string stage;
  double seconds = 0;
};

struct AnalysisOutcome {
  AnalysisData data;
  PromptStageResult prompts;  // prompt clusters folded into the data
  Incidence incidence;
  ProjectedGraph projected;
  CommunityResult partition;
  bool has_modularity = false;
  std::vector<AnalysisCluster> clusters;  // by score, then size, descending
  std::vector<StageTiming> timings;
};

// Loads, folds prompt clusters and projects only (for exports that need the
// graph, not the clusters).
// `on_stage` is called as each stage starts. Throws CommandFailure when the
// database holds nothing to link.
AnalysisOutcome BuildGraph(Database& db, const AnalyzeParameters& p,
                           const std::function<void(std::string_view)>& on_stage);

// The whole analysis; cluster ids are matched to `previous_run` (if any).
AnalysisOutcome RunAnalysis(Database& db, const AnalyzeParameters& p,
                            std::optional<std::int64_t> previous_run,
                            const std::function<void(std::string_view)>& on_stage);

// The kind name of an evidence entry.
const std::string& EvidenceKindName(const AnalysisOutcome& outcome, const EvidenceEntry& entry);

}  // namespace ringscope
