// Evaluation metrics: how well a ban list and a clustering match the ground
// truth of a generated (or labelled) world. Pure functions over dense item
// indexes; the caller maps account names to indexes and chooses the universe.
//
// - Binary scores (precision, recall, F1) of a ban list against the set of
//   fraudulent accounts.
// - Per-group coverage: the share of each group's items that were flagged
//   (recall per campaign; false bans per hard-negative group).
// - Partition agreement: the adjusted Rand index (Hubert & Arabie 1985,
//   "Comparing partitions", J. Classification 2:193-218) and normalised mutual
//   information with the arithmetic-mean normalisation (Strehl & Ghosh 2002;
//   scikit-learn's default, average_method="arithmetic").
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace ringscope {

// The label of an item that belongs to no group (a benign account, an
// unclustered account).
inline constexpr std::uint32_t kNoGroup = std::numeric_limits<std::uint32_t>::max();

// A binary prediction against the truth, over a fixed universe of items.
struct BinaryScores {
  std::int64_t true_positives = 0;   // predicted and truly positive
  std::int64_t false_positives = 0;  // predicted, truly negative (a false ban)
  std::int64_t false_negatives = 0;  // truly positive, not predicted (a miss)
  std::int64_t true_negatives = 0;
  // TP / (TP + FP). With no prediction at all this is 1.0: no ban was wrong.
  // (scikit-learn returns 0 with a warning; we choose 1 because precision
  // answers "how many bans were mistakes", and an empty list made none. Doing
  // nothing is still punished: its recall, and so its F1, is 0 whenever
  // there is fraud to find.)
  double precision = 1.0;
  // TP / (TP + FN). With no positive item at all this is 1.0: nothing missed.
  double recall = 1.0;
  // 2TP / (2TP + FP + FN), the harmonic mean of precision and recall. 1.0
  // when there is neither a positive nor a prediction (perfect agreement);
  // 0 whenever TP = 0 and something was predicted or missed.
  double f1 = 1.0;
};

// Scores a prediction given its confusion counts (all >= 0, else
// std::invalid_argument). O(1).
BinaryScores ScoresFromCounts(std::int64_t true_positives, std::int64_t false_positives,
                              std::int64_t false_negatives, std::int64_t true_negatives);

// Scores `predicted[i]` against `truth_positive[i]` over items 0..n-1. Both
// vectors must have the same length (else std::invalid_argument). O(n).
BinaryScores ScoreBinary(const std::vector<bool>& truth_positive,
                         const std::vector<bool>& predicted);

// How much of one group was flagged.
struct GroupCoverage {
  std::int64_t size = 0;     // items in the group
  std::int64_t flagged = 0;  // of which flagged
  // flagged / size: the recall of a campaign, or the false-ban share of a
  // hard-negative group. 0 for an empty group (nothing there to flag).
  double share = 0.0;
};

// For each group g in [0, num_groups), counts the items i with
// group_of[i] == g and how many of them have flagged[i]. Items labelled
// kNoGroup are ignored. Throws std::invalid_argument when the lengths differ
// or a label is neither kNoGroup nor below num_groups. O(n + num_groups).
std::vector<GroupCoverage> CoverageByGroup(std::span<const std::uint32_t> group_of,
                                           const std::vector<bool>& flagged,
                                           std::size_t num_groups);

// Groups whose share is at least `min_share` (e.g. campaigns at least 90%
// recovered). Compared exactly on the counts (flagged >= min_share * size
// with a 1e-12 tolerance), so 9 of 10 counts at 0.9. Empty groups never count.
// O(groups).
std::int64_t CountGroupsCovered(std::span<const GroupCoverage> groups, double min_share);

// Adjusted Rand index of two partitions of the same n items: the Rand index
// (share of item pairs the partitions agree on: together in both or apart in
// both) corrected for chance under the permutation model, so that random
// labellings score about 0 and identical partitions score 1. It can be
// negative (worse than chance; the minimum is -0.5 for n = 4, e.g.
// {0,0,1,1} vs {0,1,0,1}). Labels are arbitrary ids (any uint32, kNoGroup is
// an ordinary label here); only equality matters, so renaming labels changes
// nothing.
//
// Edge cases: fewer than two items, or two partitions that are both "one
// cluster" or both "all singletons", are identical and score 1.0 (the
// chance-corrected formula is 0/0 there, and only there). One cluster against
// any partition with at least two classes scores 0, as does all singletons
// against any partition with a class of two or more.
//
// Throws std::invalid_argument when the lengths differ. O(n log n) time
// (sorting label pairs), O(n) memory.
double AdjustedRandIndex(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b);

// Normalised mutual information of two partitions of the same n items,
// NMI = I(A;B) / ((H(A) + H(B)) / 2) (arithmetic-mean normalisation, natural
// logarithms; the base cancels). In [0, 1]; 1 for identical partitions up to
// renaming, 0 for independent ones.
//
// Edge cases: no items, or both partitions a single cluster (H(A) = H(B) = 0)
// -> 1.0; exactly one side a single cluster -> 0.0. Note NMI's known bias
// towards many small clusters: all singletons against a true partition scores
// 2H(A) / (H(A) + log n) > 0, which is why ARI is the headline figure.
//
// Throws std::invalid_argument when the lengths differ. O(n log n) time,
// O(n) memory.
double NormalizedMutualInformation(std::span<const std::uint32_t> a,
                                   std::span<const std::uint32_t> b);

// Agreement between found clusters and true campaigns.
struct PartitionAgreement {
  std::size_t items = 0;  // size of the universe compared (see below)
  double adjusted_rand_index = 1.0;
  double normalized_mutual_information = 1.0;
};

// Compares clusters with campaigns over the universe of items that are in a
// campaign or in a cluster (labels other than kNoGroup). Within that
// universe, an item with no campaign (benign) is its own singleton campaign
// and an item with no cluster is its own singleton cluster. Items in neither
// are left out: they are benign and unflagged, which is right, and counting
// them would let the number of benign accounts listed in the truth file move
// the score.
//
// This cannot be gamed by the trivial answers: putting every account into one
// cluster gives ARI = NMI = 0 as soon as there are two campaigns or a benign
// account in it; clustering nothing gives ARI = 0 (each fraud account alone)
// once some campaign has two or more accounts.
//
// `campaign_of` and `cluster_of` are indexed by item, same length (else
// std::invalid_argument). O(n log n).
PartitionAgreement CompareClustersToCampaigns(std::span<const std::uint32_t> campaign_of,
                                              std::span<const std::uint32_t> cluster_of);

}  // namespace ringscope
