// Prompt clusters: near-duplicate prompt templates joined by MinHash/LSH, so
// that the cluster id, not the exact template fingerprint, is the `prompt`
// value that links accounts (design.md: "everything is an observation").
//
// References: Indyk & Motwani 1998 and Broder 1997 (locality-sensitive
// hashing, MinHash); the banding scheme of Leskovec, Rajaraman & Ullman,
// "Mining of Massive Datasets", ch. 3.4: K sketch values cut into b bands of
// r rows; two templates are candidates when all rows of some band agree,
// with probability 1 - (1 - J^r)^b (the S-curve; its midpoint is near
// (1/b)^(1/r)). Union-find: Tarjan 1975.
//
// Phases:
//   1. identities: templates with the same fingerprint, and templates that
//      the previous assignment put in one cluster, are joined up front, so a
//      cluster never splits across runs (clusters only grow and merge);
//   2. banding: per band, templates are grouped by the band's r values
//      (counting sort on the first value, then a sort within each part);
//   3. verification: in each group of equal band key, pairs whose estimated
//      Jaccard (minhash.h EstimateJaccard) is >= threshold are joined. Groups
//      of up to `all_pairs_bucket` members check all pairs; a larger group
//      (a hub: boilerplate sent with many different questions, a template
//      sent with many slot fillings) checks each member against the next
//      `bucket_window` members in template order only, so no group goes
//      quadratic. Pairs already joined are not verified again;
//   4. ids: see PromptClusterResult::cluster.
//
// What happens to boilerplate: a long shared system prompt (an agent
// framework's ReAct preamble) followed by varied user questions has a high
// Jaccard between any two of its prompts (0.7-0.9 on generator data), so all
// of them become one large cluster. That is intended: the cluster is a hub
// value, and the graph projection, which sees how many unrelated accounts
// send it, weighs it down. Telling boilerplate from a campaign is the
// projection's job, not this one's.
//
// Defaults (threshold 0.5, 16 bands x 4 rows over K = 64) were chosen by
// measurement (tools/bench/bench_minhash.cc quality, generator prompts: 24
// campaign families of 4 templates rendered 40 times each, 4,000 organic,
// app, agent and company prompts; 6,172 distinct templates). Exact Jaccard
// of slot variants of one template is >= 0.55 (1st percentile), of different
// families <= 0.32 (99th), of unrelated benign prompts <= 0.20 (99th): 0.5
// sits in the gap, leaving room for the estimate's error (0.06). Pairwise on
// that corpus, at 0.5 every same-template pair of a campaign ends in one
// cluster (recall 1.00 at thresholds 0.3 to 0.6, 0.99 at 0.7), two thirds of
// same-family pairs do (0.66; 0.46 at 0.6, 0.36 at 0.7), and no campaign
// cluster holds a benign prompt at any threshold from 0.3 to 0.7; the pairs
// that join different families (precision 0.60 at 0.5, 0.80 at 0.6) are
// families of one task domain whose templates are near-copies. 16 x 4 puts the
// S-curve's midpoint at 0.5: its campaign recall equals the all-pairs
// reference at 0.5; 8 x 8 misses same-template pairs (0.965) and a third of
// the family pairs; 32 x 2 doubles the banding work for no campaign gain. Single linkage chains: at 1M
// templates the benign app and organic prompts (slot variants of shared
// patterns, openers and closers) form one cluster of about 450k templates,
// a hub, while the campaign clusters stay free of benign templates.
//
// Complexity: O(N log N) for the identities; per band O(N) for the counting
// sort plus O(g log g) per group of size g; verification O(K) per checked
// pair, at most sum over groups of min(g^2 / 2, g * window) per band. Memory:
// the sketches (2 N K bytes), 4 N bytes for the union-find (shared by the
// threads), 48 N bytes of band keys and entries per thread, and about 40 N bytes in
// the identity and id phases. Deterministic: the partition and the ids do not
// depend on `threads` (the work counters do).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "algorithms/minhash.h"

namespace ringscope {

struct PromptClusterOptions {
  int bands = 16;                  // b; must divide num_hashes (rows r = K / b)
  double threshold = 0.5;          // estimated Jaccard at or above which templates join
  std::size_t all_pairs_bucket = 32;  // groups up to this size check all their pairs
  std::size_t bucket_window = 8;   // larger groups: each member vs the next `window`
  int threads = 2;                 // >= 1; results do not depend on it
};

// One row of a previous run's assignment: template fingerprint -> cluster id.
struct PreviousPromptCluster {
  std::uint64_t fingerprint = 0;
  std::uint64_t cluster = 0;
};

struct PromptClusterResult {
  // cluster[i] is the id of template i's cluster. Ids are template
  // fingerprints and stable across runs: a cluster containing templates that
  // the previous assignment placed keeps the smallest previous cluster id
  // among them (when two old clusters merge, the smaller id survives and the
  // other retires); a cluster with no previously assigned template takes the
  // smallest fingerprint among its members. So a template that joins nothing
  // is its own cluster, with its own fingerprint as id.
  std::vector<std::uint64_t> cluster;
  std::size_t num_clusters = 0;
  std::size_t largest_cluster = 0;   // templates in the largest cluster
  std::size_t kept_previous_ids = 0; // clusters whose id came from the previous assignment

  // Work done, for benchmarks and logs.
  std::uint64_t verified_pairs = 0;  // estimated Jaccard computed
  std::uint64_t joined_pairs = 0;    // verified at/above threshold and merged two clusters
  std::uint64_t capped_groups = 0;   // band groups larger than all_pairs_bucket
  std::size_t largest_group = 0;     // largest band group seen
  double seconds_identities = 0;
  double seconds_bands = 0;  // banding and verification
  double seconds_ids = 0;
};

// Clusters the templates whose fingerprints and sketches are given (row i of
// `sketches` is the sketch of fingerprints[i]; duplicates of a fingerprint are
// allowed and always share a cluster). `previous` is the assignment of an
// earlier run, in any order; rows for fingerprints not in the input are
// ignored. Empty sketches join only through the identities.
// Throws std::invalid_argument (expected vs actual) when the sizes differ,
// bands does not divide num_hashes, threshold is not in [0, 1], bucket sizes
// or threads are < 1, or a fingerprint has two different previous clusters.
// Complexity: see the file comment.
PromptClusterResult ClusterPrompts(std::span<const std::uint64_t> fingerprints,
                                   const PromptSketches& sketches,
                                   std::span<const PreviousPromptCluster> previous = {},
                                   const PromptClusterOptions& o = {});

// The slow reference: checks every pair of templates (estimated Jaccard >=
// threshold joins), with the same identities and the same id rules, single
// threaded. For tests and measurements. O(N^2 K).
PromptClusterResult ClusterPromptsAllPairs(std::span<const std::uint64_t> fingerprints,
                                           const PromptSketches& sketches,
                                           std::span<const PreviousPromptCluster> previous = {},
                                           const PromptClusterOptions& o = {});

}  // namespace ringscope
