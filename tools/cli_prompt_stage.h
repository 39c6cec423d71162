// The prompt-similarity stage of analyze (issue 5): near-duplicate prompt
// templates (algorithms/prompt_clusters.h, MinHash + LSH over the sketches
// ingest stored) are joined into prompt clusters, and each cluster becomes ONE
// prompt value: the observations of its templates are folded into the value of
// its representative template. From there the link graph, the hub assessment
// and scoring treat a template family like any other shared value: a
// campaign's slot-filled templates bind its accounts, while a framework's
// boilerplate prompt, sent by many unrelated accounts, becomes one large value
// that the projection's hub assessment weighs down.
//
// Ids: a prompt cluster is named by the value id of a template in it (the
// representative). Template value ids are the "fingerprints" given to
// ClusterPrompts, so with no stored assignment a cluster is named by its
// oldest template, and a stored assignment (prompt_clusters, from the last
// analyze) keeps its ids: clusters only grow and merge, and when two merge
// the older id survives.
#pragma once

#include <cstddef>
#include <vector>

#include "db/analysis.h"

namespace ringscope {

struct PromptStageParameters {
  bool enabled = true;
  double threshold = 0.5;  // estimated Jaccard joining two templates (prompt_clusters.h)
  int bands = 16;          // LSH bands; must divide the sketch size
};

struct PromptStageResult {
  std::size_t templates = 0;          // sketched templates in the data
  std::size_t clusters = 0;           // prompt clusters of two or more templates
  std::size_t folded_templates = 0;   // templates whose observations moved to a representative
  std::size_t largest_cluster = 0;    // templates in the largest cluster
  std::size_t kept_previous_ids = 0;  // clusters named by the stored assignment
  std::size_t merged_observations = 0;  // (account, cluster) rows that absorbed another row
  std::vector<PromptClusterRow> changed;  // assignments new or different from the stored ones
};

// Clusters the sketched templates of `data` and folds each cluster's
// observations into its representative's value: observations stay sorted by
// (value, account) with one row per pair (counts summed, saturating), and
// value_account_count follows. A no-op (empty result) when disabled or
// nothing is sketched. Throws std::invalid_argument for bad parameters.
// Complexity: ClusterPrompts' (about O(T log T + T K) for T templates with K
// bins) plus O(n + f log f) for n observations of which f are folded.
// Deterministic; does not depend on `threads`.
PromptStageResult FoldPromptClusters(AnalysisData& data, const PromptStageParameters& p,
                                     int threads);

}  // namespace ringscope
