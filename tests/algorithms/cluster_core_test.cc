#include "algorithms/cluster_core.h"

#include <gtest/gtest.h>

namespace ringscope {
namespace {

// Kinds: 0 payment, 1 subnet. Values: 0 = card shared by accounts 0-5,
// 1 = card of accounts 6 and 0 (a coincidence), 2 = subnet of everyone.
Incidence MakeIncidence() {
  std::vector<Observation> observations;
  for (AccountId a = 0; a <= 5; ++a) observations.push_back({a, 0, 1});
  observations.push_back({6, 1, 1});
  observations.push_back({0, 1, 1});
  for (AccountId a = 0; a <= 6; ++a) observations.push_back({a, 2, 1});
  return BuildIncidence(7, {"payment", "subnet"}, {0, 0, 1}, observations);
}

TEST(ClusterCore, DropsMembersTiedByOneCoincidence) {
  Incidence inc = MakeIncidence();
  std::vector<AccountId> members = {0, 1, 2, 3, 4, 5, 6};
  auto core = FindClusterCore(
      inc, members, [](ValueId) { return true; }, [](KindId k) { return k == 0; });
  EXPECT_EQ(core.threshold, 3u);
  EXPECT_EQ(core.core, (std::vector<AccountId>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(core.periphery, (std::vector<AccountId>{6}));
}

TEST(ClusterCore, WeakKindsAndDemotedValuesDoNotTie) {
  Incidence inc = MakeIncidence();
  std::vector<AccountId> members = {0, 1, 2, 3, 4, 5, 6};
  // Only the subnet counts: nobody is core through a weak kind being excluded.
  auto none = FindClusterCore(
      inc, members, [](ValueId) { return true; }, [](KindId) { return false; });
  EXPECT_TRUE(none.core.empty());
  // The shared card demoted: nobody is core.
  auto demoted = FindClusterCore(
      inc, members, [](ValueId v) { return v != 0; }, [](KindId k) { return k == 0; });
  EXPECT_TRUE(demoted.core.empty());
}

// A popular prompt: sent by members 6-9 of the cluster and by 10 accounts
// outside it (purity 0.29). The campaign's template is sent by members 0-9
// only. Members 10 and 11 send only the popular prompt: not core.
TEST(ClusterCore, ValuesMostlyHeldOutsideTheClusterDoNotTie) {
  std::vector<Observation> observations;
  for (AccountId a = 0; a <= 9; ++a) observations.push_back({a, 0, 1});  // the template family
  for (AccountId a = 6; a <= 21; ++a) observations.push_back({a, 1, 1});  // the popular question
  Incidence inc = BuildIncidence(22, {"prompt"}, {0, 0}, observations);
  std::vector<AccountId> members = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  auto all = [](auto) { return true; };
  auto core = FindClusterCore(inc, members, all, all);
  EXPECT_EQ(core.core, (std::vector<AccountId>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(core.periphery, (std::vector<AccountId>{10, 11}));
  // With purity off, the popular question (6 members >= threshold 3) ties them.
  auto loose = FindClusterCore(inc, members, all, all, {.min_purity = 0.0});
  EXPECT_EQ(loose.core.size(), 12u);
}

TEST(ClusterCore, SmallClustersNeedOnlyOneSharedValue) {
  Incidence inc = MakeIncidence();
  std::vector<AccountId> pair = {0, 6};
  auto core = FindClusterCore(
      inc, pair, [](ValueId) { return true; }, [](KindId k) { return k == 0; });
  EXPECT_EQ(core.threshold, 2u);
  EXPECT_EQ(core.core, (std::vector<AccountId>{0, 6}));
}

TEST(ClusterCore, ThresholdGrowsWithTheCluster) {
  std::vector<Observation> observations;
  for (AccountId a = 0; a < 100; ++a) observations.push_back({a, a / 5, 1});  // 20 values of 5
  Incidence inc = BuildIncidence(100, {"device"}, std::vector<KindId>(20, 0), observations);
  std::vector<AccountId> members(100);
  for (AccountId a = 0; a < 100; ++a) members[a] = a;
  auto core = FindClusterCore(
      inc, members, [](ValueId) { return true; }, [](KindId) { return true; });
  EXPECT_EQ(core.threshold, 10u);  // 10% of 100
  EXPECT_TRUE(core.core.empty());  // groups of 5 are not a tenth of the cluster
}

}  // namespace
}  // namespace ringscope
