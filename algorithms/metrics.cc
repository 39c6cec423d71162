// Evaluation metrics (see metrics.h for contracts). The partition measures
// share one contingency table, built by sorting label pairs so that any
// uint32 labels work without a dense renumbering and the result does not
// depend on hash order.
#include "algorithms/metrics.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

namespace ringscope {

namespace {

void CheckSameLength(std::size_t a, std::size_t b, const char* what) {
  if (a != b) {
    throw std::invalid_argument(std::string(what) + ": inputs must have the same length, got " +
                                std::to_string(a) + " and " + std::to_string(b));
  }
}

// The contingency table of two labellings: class sizes on each side and the
// non-zero cells, each cell with the sizes of its row and column classes.
struct Contingency {
  struct Cell {
    std::int64_t count = 0;   // items labelled (a, b)
    std::int64_t a_size = 0;  // items labelled a
    std::int64_t b_size = 0;  // items labelled b
  };
  std::vector<std::int64_t> a_sizes;
  std::vector<std::int64_t> b_sizes;
  std::vector<Cell> cells;
};

// Sizes of the classes of a partition, in label order.
std::vector<std::int64_t> ClassSizes(std::span<const std::uint32_t> labels) {
  std::vector<std::uint32_t> sorted(labels.begin(), labels.end());
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::int64_t> sizes;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (i == 0 || sorted[i] != sorted[i - 1]) sizes.push_back(0);
    ++sizes.back();
  }
  return sizes;
}

// Sorting (a, b) pairs puts each cell in one run and each a-class in one
// block of runs; b-class sizes come from binary search in the sorted b labels.
Contingency BuildContingency(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) {
  const std::size_t n = a.size();
  std::vector<std::uint64_t> pairs(n);
  for (std::size_t i = 0; i < n; ++i) pairs[i] = (std::uint64_t{a[i]} << 32) | b[i];
  std::sort(pairs.begin(), pairs.end());
  std::vector<std::uint32_t> b_sorted(b.begin(), b.end());
  std::sort(b_sorted.begin(), b_sorted.end());
  Contingency table{.a_sizes = ClassSizes(a), .b_sizes = ClassSizes(b), .cells = {}};
  std::size_t row_begin = 0;
  while (row_begin < n) {
    const std::uint64_t row = pairs[row_begin] >> 32;
    std::size_t row_end = row_begin;
    while (row_end < n && pairs[row_end] >> 32 == row) ++row_end;
    for (std::size_t i = row_begin; i < row_end;) {
      std::size_t j = i;
      while (j < row_end && pairs[j] == pairs[i]) ++j;
      const auto b_label = static_cast<std::uint32_t>(pairs[i] & 0xffffffffu);
      const auto b_range = std::equal_range(b_sorted.begin(), b_sorted.end(), b_label);
      table.cells.push_back({.count = static_cast<std::int64_t>(j - i),
                             .a_size = static_cast<std::int64_t>(row_end - row_begin),
                             .b_size = b_range.second - b_range.first});
      i = j;
    }
    row_begin = row_end;
  }
  return table;
}

std::int64_t PairsWithin(std::int64_t size) { return size * (size - 1) / 2; }

std::int64_t SumPairsWithin(const std::vector<std::int64_t>& sizes) {
  std::int64_t total = 0;
  for (std::int64_t s : sizes) total += PairsWithin(s);
  return total;
}

// Shannon entropy (nats) of a partition given its class sizes over n items.
double Entropy(const std::vector<std::int64_t>& sizes, double n) {
  double h = 0.0;
  for (std::int64_t s : sizes) {
    double p = static_cast<double>(s) / n;
    h -= p * std::log(p);
  }
  return h;
}

// I(A;B) in nats: the sum over cells of n_ij/n * log(n * n_ij / (a_i * b_j)).
double MutualInformation(const Contingency& table, double n) {
  double mi = 0.0;
  for (const Contingency::Cell& c : table.cells) {
    const double count = static_cast<double>(c.count);
    mi += count / n *
          std::log(n * count / (static_cast<double>(c.a_size) * static_cast<double>(c.b_size)));
  }
  return std::max(0.0, mi);  // rounding can leave a tiny negative for independent labels
}

// Dense labels 0..k-1 for the k labels in use, then a fresh label for every
// kNoGroup item: unlabelled items become singletons. Renumbering first keeps
// the fresh labels from overflowing whatever ids the caller used.
std::vector<std::uint32_t> WithSingletons(const std::vector<std::uint32_t>& labels) {
  std::vector<std::uint32_t> used;
  for (std::uint32_t l : labels) {
    if (l != kNoGroup) used.push_back(l);
  }
  std::sort(used.begin(), used.end());
  used.erase(std::unique(used.begin(), used.end()), used.end());
  auto next = static_cast<std::uint32_t>(used.size());
  std::vector<std::uint32_t> out(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    out[i] = labels[i] == kNoGroup
                 ? next++
                 : static_cast<std::uint32_t>(
                       std::lower_bound(used.begin(), used.end(), labels[i]) - used.begin());
  }
  return out;
}

}  // namespace

BinaryScores ScoresFromCounts(std::int64_t true_positives, std::int64_t false_positives,
                              std::int64_t false_negatives, std::int64_t true_negatives) {
  if (true_positives < 0 || false_positives < 0 || false_negatives < 0 || true_negatives < 0) {
    throw std::invalid_argument("ScoresFromCounts: counts must be >= 0, got TP=" +
                                std::to_string(true_positives) +
                                " FP=" + std::to_string(false_positives) +
                                " FN=" + std::to_string(false_negatives) +
                                " TN=" + std::to_string(true_negatives));
  }
  BinaryScores s{.true_positives = true_positives,
                 .false_positives = false_positives,
                 .false_negatives = false_negatives,
                 .true_negatives = true_negatives};
  const double tp = static_cast<double>(true_positives);
  if (true_positives + false_positives > 0) {
    s.precision = tp / static_cast<double>(true_positives + false_positives);
  }
  if (true_positives + false_negatives > 0) {
    s.recall = tp / static_cast<double>(true_positives + false_negatives);
  }
  const std::int64_t f1_denominator = 2 * true_positives + false_positives + false_negatives;
  if (f1_denominator > 0) s.f1 = 2.0 * tp / static_cast<double>(f1_denominator);
  return s;
}

BinaryScores ScoreBinary(const std::vector<bool>& truth_positive,
                         const std::vector<bool>& predicted) {
  CheckSameLength(truth_positive.size(), predicted.size(), "ScoreBinary");
  std::int64_t tp = 0, fp = 0, fn = 0, tn = 0;
  for (std::size_t i = 0; i < predicted.size(); ++i) {
    if (predicted[i]) {
      ++(truth_positive[i] ? tp : fp);
    } else {
      ++(truth_positive[i] ? fn : tn);
    }
  }
  return ScoresFromCounts(tp, fp, fn, tn);
}

std::vector<GroupCoverage> CoverageByGroup(std::span<const std::uint32_t> group_of,
                                           const std::vector<bool>& flagged,
                                           std::size_t num_groups) {
  CheckSameLength(group_of.size(), flagged.size(), "CoverageByGroup");
  std::vector<GroupCoverage> groups(num_groups);
  for (std::size_t i = 0; i < group_of.size(); ++i) {
    const std::uint32_t g = group_of[i];
    if (g == kNoGroup) continue;
    if (g >= num_groups) {
      throw std::invalid_argument("CoverageByGroup: item " + std::to_string(i) + " has group " +
                                  std::to_string(g) + ", expected below " +
                                  std::to_string(num_groups) + " or kNoGroup");
    }
    ++groups[g].size;
    if (flagged[i]) ++groups[g].flagged;
  }
  for (GroupCoverage& g : groups) {
    if (g.size > 0) g.share = static_cast<double>(g.flagged) / static_cast<double>(g.size);
  }
  return groups;
}

std::int64_t CountGroupsCovered(std::span<const GroupCoverage> groups, double min_share) {
  std::int64_t count = 0;
  for (const GroupCoverage& g : groups) {
    if (g.size == 0) continue;
    const double needed = min_share * static_cast<double>(g.size);
    if (static_cast<double>(g.flagged) >= needed - 1e-12 * static_cast<double>(g.size)) ++count;
  }
  return count;
}

double AdjustedRandIndex(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) {
  CheckSameLength(a.size(), b.size(), "AdjustedRandIndex");
  const Contingency table = BuildContingency(a, b);
  const std::int64_t all_pairs = PairsWithin(static_cast<std::int64_t>(a.size()));
  const std::int64_t pairs_a = SumPairsWithin(table.a_sizes);
  const std::int64_t pairs_b = SumPairsWithin(table.b_sizes);
  // The chance-corrected formula is 0/0 exactly when both partitions are one
  // cluster or both are all singletons (or n < 2): identical, so 1.
  if (all_pairs == 0 || (pairs_a == pairs_b && (pairs_a == 0 || pairs_a == all_pairs))) {
    return 1.0;
  }
  std::int64_t pairs_both = 0;
  for (const Contingency::Cell& c : table.cells) pairs_both += PairsWithin(c.count);
  using Real = long double;  // pairs_a * pairs_b overflows int64 beyond ~10^5 items
  const Real expected = static_cast<Real>(pairs_a) * static_cast<Real>(pairs_b) /
                        static_cast<Real>(all_pairs);
  const Real maximum = (static_cast<Real>(pairs_a) + static_cast<Real>(pairs_b)) / 2;
  return static_cast<double>((static_cast<Real>(pairs_both) - expected) / (maximum - expected));
}

double NormalizedMutualInformation(std::span<const std::uint32_t> a,
                                   std::span<const std::uint32_t> b) {
  CheckSameLength(a.size(), b.size(), "NormalizedMutualInformation");
  if (a.empty()) return 1.0;
  const Contingency table = BuildContingency(a, b);
  const std::size_t classes_a = table.a_sizes.size(), classes_b = table.b_sizes.size();
  if (classes_a == 1 && classes_b == 1) return 1.0;
  if (classes_a == 1 || classes_b == 1) return 0.0;
  const double n = static_cast<double>(a.size());
  const double mean_entropy = (Entropy(table.a_sizes, n) + Entropy(table.b_sizes, n)) / 2;
  return std::clamp(MutualInformation(table, n) / mean_entropy, 0.0, 1.0);
}

PartitionAgreement CompareClustersToCampaigns(std::span<const std::uint32_t> campaign_of,
                                              std::span<const std::uint32_t> cluster_of) {
  CheckSameLength(campaign_of.size(), cluster_of.size(), "CompareClustersToCampaigns");
  std::vector<std::uint32_t> truth, found;
  for (std::size_t i = 0; i < campaign_of.size(); ++i) {
    if (campaign_of[i] == kNoGroup && cluster_of[i] == kNoGroup) continue;
    truth.push_back(campaign_of[i]);
    found.push_back(cluster_of[i]);
  }
  truth = WithSingletons(truth);
  found = WithSingletons(found);
  return {.items = truth.size(),
          .adjusted_rand_index = AdjustedRandIndex(truth, found),
          .normalized_mutual_information = NormalizedMutualInformation(truth, found)};
}

}  // namespace ringscope
