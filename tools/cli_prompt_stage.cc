#include "tools/cli_prompt_stage.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

#include "algorithms/prompt_clusters.h"

namespace ringscope {

namespace {

// value id -> dense value index (value_ids is ascending).
std::uint32_t DenseValue(const AnalysisData& data, std::int64_t value_id) {
  auto it = std::lower_bound(data.value_ids.begin(), data.value_ids.end(), value_id);
  if (it == data.value_ids.end() || *it != value_id) return std::numeric_limits<std::uint32_t>::max();
  return static_cast<std::uint32_t>(it - data.value_ids.begin());
}

// Moves the observations of folded values to their targets, then restores the
// (value, account) order and merges the pairs that now coincide.
std::size_t FoldObservations(AnalysisData& data, const std::vector<std::uint32_t>& target) {
  auto& obs = data.observations;
  auto moved = std::stable_partition(obs.begin(), obs.end(), [&](const AnalysisObservation& o) {
    return target[o.value] == o.value;
  });
  if (moved == obs.end()) return 0;
  for (auto it = moved; it != obs.end(); ++it) it->value = target[it->value];
  auto by_value_account = [](const AnalysisObservation& x, const AnalysisObservation& y) {
    return x.value != y.value ? x.value < y.value : x.account < y.account;
  };
  std::sort(moved, obs.end(), by_value_account);
  std::inplace_merge(obs.begin(), moved, obs.end(), by_value_account);
  std::size_t merged = 0;
  std::size_t out = 0;
  for (std::size_t i = 0; i < obs.size(); ++i) {
    if (out > 0 && obs[out - 1].value == obs[i].value && obs[out - 1].account == obs[i].account) {
      const std::uint64_t sum = std::uint64_t{obs[out - 1].count} + obs[i].count;
      obs[out - 1].count =
          static_cast<std::uint32_t>(std::min<std::uint64_t>(sum, 0xFFFFFFFEu));
      ++merged;
    } else {
      obs[out++] = obs[i];
    }
  }
  obs.resize(out);
  std::fill(data.value_account_count.begin(), data.value_account_count.end(), 0);
  for (const AnalysisObservation& o : obs) ++data.value_account_count[o.value];
  return merged;
}

}  // namespace

PromptStageResult FoldPromptClusters(AnalysisData& data, const PromptStageParameters& p,
                                     int threads) {
  PromptStageResult result;
  if (!p.enabled || data.sketched_values.empty()) return result;
  const std::size_t n = data.sketched_values.size();
  result.templates = n;

  PromptSketches sketches;
  sketches.options.num_hashes = data.sketch_size;
  sketches.values.assign(data.sketches.begin(), data.sketches.end());
  std::vector<std::uint64_t> fingerprints(n);
  std::vector<PreviousPromptCluster> previous;
  for (std::size_t i = 0; i < n; ++i) {
    fingerprints[i] = static_cast<std::uint64_t>(data.value_ids[data.sketched_values[i]]);
    if (data.stored_prompt_cluster[i] > 0)
      previous.push_back({fingerprints[i], static_cast<std::uint64_t>(data.stored_prompt_cluster[i])});
  }
  const PromptClusterResult clusters =
      ClusterPrompts(fingerprints, sketches, previous,
                     {.bands = p.bands, .threshold = p.threshold, .threads = std::max(threads, 1)});
  result.largest_cluster = clusters.largest_cluster;
  result.kept_previous_ids = clusters.kept_previous_ids;

  // Each cluster folds into its representative's value; a representative that
  // is no longer a value here (cannot happen while ids come from templates,
  // kept for safety) gives way to the cluster's smallest template.
  std::vector<std::uint32_t> target(data.value_ids.size());
  for (std::uint32_t v = 0; v < target.size(); ++v) target[v] = v;
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    return clusters.cluster[x] != clusters.cluster[y] ? clusters.cluster[x] < clusters.cluster[y]
                                                      : x < y;
  });
  for (std::size_t begin = 0; begin < n;) {
    std::size_t end = begin;
    const std::uint64_t id = clusters.cluster[order[begin]];
    while (end < n && clusters.cluster[order[end]] == id) ++end;
    std::uint32_t representative = DenseValue(data, static_cast<std::int64_t>(id));
    if (representative == std::numeric_limits<std::uint32_t>::max())
      representative = data.sketched_values[order[begin]];
    if (end - begin >= 2) ++result.clusters;
    for (std::size_t k = begin; k < end; ++k) {
      const std::size_t i = order[k];
      const std::uint32_t value = data.sketched_values[i];
      if (value != representative) {
        target[value] = representative;
        ++result.folded_templates;
      }
      const auto cluster_value_id = static_cast<std::int64_t>(id);
      if (data.stored_prompt_cluster[i] != cluster_value_id) {
        result.changed.push_back({data.value_ids[value], cluster_value_id});
        data.stored_prompt_cluster[i] = cluster_value_id;
      }
    }
    begin = end;
  }
  std::sort(result.changed.begin(), result.changed.end(),
            [](const PromptClusterRow& x, const PromptClusterRow& y) { return x.value_id < y.value_id; });
  result.merged_observations = FoldObservations(data, target);
  return result;
}

}  // namespace ringscope
