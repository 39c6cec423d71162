#include "algorithms/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <stdexcept>
#include <utility>
#include <vector>

namespace ringscope {
namespace {

using Labels = std::vector<std::uint32_t>;

// Slow reference for ARI: counts every pair of items (O(n^2)) and applies
// ARI = 2(TP*TN - FN*FP) / ((TP+FN)(FN+TN) + (TP+FP)(FP+TN)) over the pair
// confusion matrix, a formula independent of the one under test.
double SlowAdjustedRandIndex(const Labels& a, const Labels& b) {
  double tp = 0, fp = 0, fn = 0, tn = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    for (std::size_t j = i + 1; j < a.size(); ++j) {
      bool same_a = a[i] == a[j], same_b = b[i] == b[j];
      if (same_a && same_b) ++tp;
      if (!same_a && same_b) ++fp;
      if (same_a && !same_b) ++fn;
      if (!same_a && !same_b) ++tn;
    }
  }
  if (fn == 0 && fp == 0) return 1.0;
  return 2 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
}

// Slow reference for NMI: joint and marginal distributions in maps.
double SlowNmi(const Labels& a, const Labels& b) {
  const double n = static_cast<double>(a.size());
  std::map<std::uint32_t, double> pa, pb;
  std::map<std::pair<std::uint32_t, std::uint32_t>, double> pab;
  for (std::size_t i = 0; i < a.size(); ++i) {
    pa[a[i]] += 1 / n;
    pb[b[i]] += 1 / n;
    pab[{a[i], b[i]}] += 1 / n;
  }
  double ha = 0, hb = 0, mi = 0;
  for (auto [label, p] : pa) ha -= p * std::log(p);
  for (auto [label, p] : pb) hb -= p * std::log(p);
  for (auto [labels, p] : pab) mi += p * std::log(p / (pa[labels.first] * pb[labels.second]));
  return mi / ((ha + hb) / 2);
}

TEST(BinaryScores, CountsConfusionAndRatios) {
  //                       items: 0     1      2     3      4      5
  std::vector<bool> truth = {true, true, true, false, false, false};
  std::vector<bool> banned = {true, true, false, true, false, false};
  BinaryScores s = ScoreBinary(truth, banned);
  EXPECT_EQ(s.true_positives, 2);
  EXPECT_EQ(s.false_positives, 1);
  EXPECT_EQ(s.false_negatives, 1);
  EXPECT_EQ(s.true_negatives, 2);
  EXPECT_DOUBLE_EQ(s.precision, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(s.recall, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(s.f1, 2.0 / 3.0);
}

TEST(BinaryScores, EmptyBanListHasPrecisionOneButRecallAndF1Zero) {
  BinaryScores s = ScoreBinary({true, true, false}, {false, false, false});
  EXPECT_EQ(s.true_positives + s.false_positives, 0);
  EXPECT_DOUBLE_EQ(s.precision, 1.0);
  EXPECT_DOUBLE_EQ(s.recall, 0.0);
  EXPECT_DOUBLE_EQ(s.f1, 0.0);
}

TEST(BinaryScores, BanningEveryoneHasFullRecallAndPrecisionOfTheBaseRate) {
  BinaryScores s = ScoreBinary({true, false, false, false}, {true, true, true, true});
  EXPECT_DOUBLE_EQ(s.precision, 0.25);
  EXPECT_DOUBLE_EQ(s.recall, 1.0);
  EXPECT_DOUBLE_EQ(s.f1, 0.4);  // 2*1 / (2*1 + 3 + 0)
  EXPECT_EQ(s.true_negatives, 0);
}

TEST(BinaryScores, NoFraudAndNoBansIsPerfect) {
  BinaryScores s = ScoreBinary({false, false}, {false, false});
  EXPECT_DOUBLE_EQ(s.precision, 1.0);
  EXPECT_DOUBLE_EQ(s.recall, 1.0);
  EXPECT_DOUBLE_EQ(s.f1, 1.0);
  BinaryScores none = ScoreBinary({}, {});
  EXPECT_DOUBLE_EQ(none.f1, 1.0);
}

TEST(BinaryScores, NoFraudButBansHasPrecisionAndF1Zero) {
  BinaryScores s = ScoreBinary({false, false}, {true, false});
  EXPECT_DOUBLE_EQ(s.precision, 0.0);
  EXPECT_DOUBLE_EQ(s.recall, 1.0);  // nothing to miss
  EXPECT_DOUBLE_EQ(s.f1, 0.0);
}

TEST(BinaryScores, RejectsMismatchedLengthsAndNegativeCounts) {
  EXPECT_THROW(ScoreBinary({true}, {true, false}), std::invalid_argument);
  EXPECT_THROW(ScoresFromCounts(1, -1, 0, 0), std::invalid_argument);
}

TEST(CoverageByGroup, CountsFlaggedItemsPerGroupAndIgnoresUngrouped) {
  Labels group = {0, 0, 0, 1, 1, kNoGroup, 2};
  std::vector<bool> flagged = {true, true, false, false, false, true, true};
  std::vector<GroupCoverage> c = CoverageByGroup(group, flagged, 4);
  ASSERT_EQ(c.size(), 4u);
  EXPECT_EQ(c[0].size, 3);
  EXPECT_EQ(c[0].flagged, 2);
  EXPECT_DOUBLE_EQ(c[0].share, 2.0 / 3.0);
  EXPECT_EQ(c[1].flagged, 0);
  EXPECT_DOUBLE_EQ(c[1].share, 0.0);
  EXPECT_DOUBLE_EQ(c[2].share, 1.0);
  EXPECT_EQ(c[3].size, 0);  // an empty group
  EXPECT_DOUBLE_EQ(c[3].share, 0.0);
}

TEST(CoverageByGroup, RejectsLabelsOutOfRange) {
  Labels group = {0, 5};
  EXPECT_THROW(CoverageByGroup(group, {true, true}, 2), std::invalid_argument);
  EXPECT_THROW(CoverageByGroup(group, {true}, 6), std::invalid_argument);
}

TEST(CountGroupsCovered, CountsNineOfTenAsNinetyPercent) {
  std::vector<GroupCoverage> groups = {
      {.size = 10, .flagged = 9, .share = 0.9},
      {.size = 10, .flagged = 8, .share = 0.8},
      {.size = 3, .flagged = 3, .share = 1.0},
      {.size = 0, .flagged = 0, .share = 0.0},  // empty groups never count
  };
  EXPECT_EQ(CountGroupsCovered(groups, 0.9), 2);
  EXPECT_EQ(CountGroupsCovered(groups, 0.0), 3);
}

// Reference values below come from a pure-Python implementation of the
// textbook formulas (math.comb and math.log over collections.Counter), run
// in the sandbox, since scikit-learn is not installed:
//   ari = (I - A*B/N) / ((A+B)/2 - A*B/N), with A, B, I the sums of C(size, 2)
//         over the classes of each side and over the contingency cells, N = C(n, 2)
//   nmi = MI / ((H(a) + H(b)) / 2)
TEST(AdjustedRandIndex, MatchesHandComputedValues) {
  // scikit-learn's documented example: ARI = 4/7, NMI = 0.8.
  EXPECT_NEAR(AdjustedRandIndex(Labels{0, 0, 1, 2}, Labels{0, 0, 1, 1}), 4.0 / 7.0, 1e-12);
  // A = 9, B = 10, I = 5, N = 36: (5 - 2.5) / (9.5 - 2.5) = 5/14.
  EXPECT_NEAR(AdjustedRandIndex(Labels{0, 0, 0, 1, 1, 1, 2, 2, 2}, Labels{0, 0, 1, 1, 1, 2, 2, 2, 2}),
              0.35714285714285715, 1e-12);
  EXPECT_NEAR(AdjustedRandIndex(Labels{0, 0, 0, 0, 0, 1, 1, 1, 2, 2},
                                Labels{0, 0, 0, 1, 1, 1, 1, 2, 2, 2}),
              0.2446043165467626, 1e-12);
  // Worse than chance: the minimum for four items.
  EXPECT_NEAR(AdjustedRandIndex(Labels{0, 0, 1, 1}, Labels{0, 1, 0, 1}), -0.5, 1e-12);
}

TEST(AdjustedRandIndex, IsOneForIdenticalPartitionsUpToRenaming) {
  EXPECT_DOUBLE_EQ(AdjustedRandIndex(Labels{0, 0, 1, 1, 2}, Labels{7, 7, 3, 3, kNoGroup}), 1.0);
  EXPECT_DOUBLE_EQ(AdjustedRandIndex(Labels{4, 4, 4}, Labels{1, 1, 1}), 1.0);  // one cluster
  EXPECT_DOUBLE_EQ(AdjustedRandIndex(Labels{0, 1, 2}, Labels{5, 4, 3}), 1.0);  // all singletons
  EXPECT_DOUBLE_EQ(AdjustedRandIndex(Labels{}, Labels{}), 1.0);
  EXPECT_DOUBLE_EQ(AdjustedRandIndex(Labels{3}, Labels{9}), 1.0);
}

TEST(AdjustedRandIndex, IsZeroForOneClusterOrAllSingletonsAgainstARealPartition) {
  Labels truth = {0, 0, 0, 1, 1, 1};
  EXPECT_DOUBLE_EQ(AdjustedRandIndex(truth, Labels{0, 0, 0, 0, 0, 0}), 0.0);
  EXPECT_DOUBLE_EQ(AdjustedRandIndex(truth, Labels{0, 1, 2, 3, 4, 5}), 0.0);
  EXPECT_DOUBLE_EQ(AdjustedRandIndex(Labels{0, 0, 0, 0}, Labels{0, 1, 2, 3}), 0.0);
}

TEST(AdjustedRandIndex, AgreesWithPairCountingOnRandomPartitions) {
  std::mt19937 rng(42);
  for (int trial = 0; trial < 200; ++trial) {
    std::size_t n = 2 + rng() % 40;
    std::uint32_t ka = 1 + rng() % 6, kb = 1 + rng() % 6;
    Labels a(n), b(n);
    for (std::size_t i = 0; i < n; ++i) {
      a[i] = rng() % ka;
      b[i] = rng() % 3 == 0 ? a[i] * 1000 : rng() % kb;  // some correlation
    }
    EXPECT_NEAR(AdjustedRandIndex(a, b), SlowAdjustedRandIndex(a, b), 1e-9) << "trial " << trial;
    EXPECT_NEAR(AdjustedRandIndex(a, b), AdjustedRandIndex(b, a), 1e-12);  // symmetric
  }
}

TEST(AdjustedRandIndex, HandlesManyItemsWithoutOverflow) {
  // 200,000 items: pairs_a * pairs_b is ~10^20, beyond int64.
  const std::size_t n = 200000;
  Labels a(n), b(n);
  for (std::size_t i = 0; i < n; ++i) {
    a[i] = static_cast<std::uint32_t>(i % 2);
    b[i] = static_cast<std::uint32_t>(i % 2 == 0 ? 0 : (i % 4 == 1 ? 1 : 2));
  }
  // b splits one of a's two halves in two. Exact value from Python's integer
  // math.comb: A = 2*C(1e5,2), B = I = C(1e5,2) + 2*C(5e4,2), N = C(2e5,2).
  EXPECT_NEAR(AdjustedRandIndex(a, b), 0.7499984374824217, 1e-12);
}

TEST(AdjustedRandIndex, RejectsMismatchedLengths) {
  EXPECT_THROW(AdjustedRandIndex(Labels{0, 1}, Labels{0}), std::invalid_argument);
}

TEST(NormalizedMutualInformation, MatchesHandComputedValues) {
  EXPECT_NEAR(NormalizedMutualInformation(Labels{0, 0, 1, 2}, Labels{0, 0, 1, 1}), 0.8, 1e-12);
  EXPECT_NEAR(NormalizedMutualInformation(Labels{0, 0, 0, 1, 1, 1, 2, 2, 2},
                                          Labels{0, 0, 1, 1, 1, 2, 2, 2, 2}),
              0.5895098274473048, 1e-12);
  EXPECT_NEAR(NormalizedMutualInformation(Labels{0, 0, 0, 0, 0, 1, 1, 1, 2, 2},
                                          Labels{0, 0, 0, 1, 1, 1, 1, 2, 2, 2}),
              0.5300220425532636, 1e-12);
  EXPECT_NEAR(NormalizedMutualInformation(Labels{0, 0, 1, 1}, Labels{0, 1, 0, 1}), 0.0, 1e-12);
}

TEST(NormalizedMutualInformation, DefinesTheDegenerateCases) {
  EXPECT_NEAR(NormalizedMutualInformation(Labels{0, 0, 1, 1}, Labels{1, 1, 0, 0}), 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(NormalizedMutualInformation(Labels{2, 2, 2}, Labels{5, 5, 5}), 1.0);
  EXPECT_DOUBLE_EQ(NormalizedMutualInformation(Labels{}, Labels{}), 1.0);
  EXPECT_DOUBLE_EQ(NormalizedMutualInformation(Labels{0, 0, 0, 0}, Labels{0, 1, 2, 3}), 0.0);
  EXPECT_DOUBLE_EQ(NormalizedMutualInformation(Labels{0, 0, 1, 1}, Labels{0, 0, 0, 0}), 0.0);
  // The documented bias: all singletons against 3 campaigns of 3 scores
  // 2 log 3 / (log 3 + log 9) = 2/3, while ARI gives 0.
  Labels truth = {0, 0, 0, 1, 1, 1, 2, 2, 2};
  Labels singletons = {0, 1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_NEAR(NormalizedMutualInformation(truth, singletons), 2.0 / 3.0, 1e-12);
  EXPECT_DOUBLE_EQ(AdjustedRandIndex(truth, singletons), 0.0);
}

TEST(NormalizedMutualInformation, AgreesWithReferenceOnRandomPartitions) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    std::size_t n = 2 + rng() % 40;
    std::uint32_t ka = 2 + rng() % 5, kb = 2 + rng() % 5;
    Labels a(n), b(n);
    for (std::size_t i = 0; i < n; ++i) {
      a[i] = rng() % ka;
      b[i] = rng() % 2 == 0 ? a[i] + 100 : rng() % kb;
    }
    double fast = NormalizedMutualInformation(a, b);
    std::map<std::uint32_t, int> classes_a, classes_b;
    for (std::size_t i = 0; i < n; ++i) ++classes_a[a[i]], ++classes_b[b[i]];
    if (classes_a.size() == 1 || classes_b.size() == 1) continue;  // defined separately
    EXPECT_NEAR(fast, SlowNmi(a, b), 1e-9) << "trial " << trial;
    EXPECT_GE(fast, 0.0);
    EXPECT_LE(fast, 1.0);
  }
}

TEST(CompareClustersToCampaigns, ScoresPerfectClusteringAsOne) {
  // Items 0-2 campaign 0, 3-4 campaign 1, 5-7 benign; clusters match exactly
  // and leave benign accounts unclustered.
  Labels campaign = {0, 0, 0, 1, 1, kNoGroup, kNoGroup, kNoGroup};
  Labels cluster = {9, 9, 9, 4, 4, kNoGroup, kNoGroup, kNoGroup};
  PartitionAgreement p = CompareClustersToCampaigns(campaign, cluster);
  EXPECT_EQ(p.items, 5u);  // benign and unclustered accounts are left out
  EXPECT_DOUBLE_EQ(p.adjusted_rand_index, 1.0);
  EXPECT_NEAR(p.normalized_mutual_information, 1.0, 1e-12);
}

TEST(CompareClustersToCampaigns, ScoresEverythingInOneClusterAsZero) {
  Labels campaign = {0, 0, 0, 1, 1, kNoGroup, kNoGroup, kNoGroup};
  Labels cluster = {0, 0, 0, 0, 0, 0, 0, 0};
  PartitionAgreement p = CompareClustersToCampaigns(campaign, cluster);
  EXPECT_EQ(p.items, 8u);
  EXPECT_DOUBLE_EQ(p.adjusted_rand_index, 0.0);
  EXPECT_DOUBLE_EQ(p.normalized_mutual_information, 0.0);
  // Even a single campaign plus one benign account in the cluster scores 0.
  PartitionAgreement one = CompareClustersToCampaigns(Labels{0, 0, 0, kNoGroup}, Labels{1, 1, 1, 1});
  EXPECT_DOUBLE_EQ(one.adjusted_rand_index, 0.0);
}

TEST(CompareClustersToCampaigns, ScoresClusteringNothingAsZeroAri) {
  Labels campaign = {0, 0, 0, 1, 1, kNoGroup};
  Labels cluster(6, kNoGroup);
  PartitionAgreement p = CompareClustersToCampaigns(campaign, cluster);
  EXPECT_EQ(p.items, 5u);
  EXPECT_DOUBLE_EQ(p.adjusted_rand_index, 0.0);
}

TEST(CompareClustersToCampaigns, TreatsBenignClusteredAccountsAsSingletonCampaigns) {
  // A cluster of two benign accounts (5, 6) is a mistake: truth puts them
  // apart. Equivalent to comparing {0,0,0,1,1,2,3} with {0,0,0,1,1,2,2}.
  Labels campaign = {0, 0, 0, 1, 1, kNoGroup, kNoGroup};
  Labels cluster = {3, 3, 3, 8, 8, 5, 5};
  PartitionAgreement p = CompareClustersToCampaigns(campaign, cluster);
  EXPECT_EQ(p.items, 7u);
  Labels truth = {0, 0, 0, 1, 1, 2, 3};
  Labels found = {0, 0, 0, 1, 1, 2, 2};
  EXPECT_DOUBLE_EQ(p.adjusted_rand_index, AdjustedRandIndex(truth, found));
  EXPECT_DOUBLE_EQ(p.normalized_mutual_information, NormalizedMutualInformation(truth, found));
  EXPECT_LT(p.adjusted_rand_index, 1.0);
}

TEST(CompareClustersToCampaigns, RejectsMismatchedLengths) {
  EXPECT_THROW(CompareClustersToCampaigns(Labels{0}, Labels{}), std::invalid_argument);
}

}  // namespace
}  // namespace ringscope
