#include "algorithms/cluster_ids.h"

#include <gtest/gtest.h>

namespace ringscope {
namespace {

constexpr std::uint32_t N = kNoCluster;

TEST(StableClusterIds, FirstRunNumbersClustersInOrder) {
  std::vector<std::uint32_t> current = {0, 0, 1, N, 2};
  std::vector<std::uint32_t> previous(5, N);
  auto result = AssignStableClusterIds(current, 3, previous, {}, 1);
  EXPECT_EQ(result.ids, (std::vector<std::string>{"c_0001", "c_0002", "c_0003"}));
  EXPECT_EQ(result.fresh, 3u);
  EXPECT_EQ(result.next_number, 4u);
}

TEST(StableClusterIds, AGrowingClusterKeepsItsId) {
  // Previous: c_0007 = {0,1,2}. Now the campaign is {0,1,2,3,4,5} and a new
  // cluster {6,7} appeared.
  std::vector<std::uint32_t> previous = {0, 0, 0, N, N, N, N, N};
  std::vector<std::uint32_t> current = {1, 1, 1, 1, 1, 1, 0, 0};
  std::vector<std::string> previous_ids = {"c_0007"};
  auto result = AssignStableClusterIds(current, 2, previous, previous_ids, 8);
  EXPECT_EQ(result.ids[1], "c_0007");
  EXPECT_EQ(result.ids[0], "c_0008");
  EXPECT_EQ(result.inherited, 1u);
}

TEST(StableClusterIds, ASplitGivesTheIdToTheLargerPart) {
  std::vector<std::uint32_t> previous = {0, 0, 0, 0, 0, 0};
  std::vector<std::uint32_t> current = {0, 0, 1, 1, 1, 1};
  std::vector<std::string> previous_ids = {"c_0003"};
  auto result = AssignStableClusterIds(current, 2, previous, previous_ids, 4);
  EXPECT_EQ(result.ids[1], "c_0003");
  EXPECT_EQ(result.ids[0], "c_0004");
}

TEST(StableClusterIds, SmallOverlapDoesNotInherit) {
  // One shared account out of five is not the same cluster.
  std::vector<std::uint32_t> previous = {0, 0, 0, 0, 0, N, N, N, N};
  std::vector<std::uint32_t> current = {0, N, N, N, N, 0, 0, 0, 0};
  std::vector<std::string> previous_ids = {"c_0001"};
  auto result = AssignStableClusterIds(current, 1, previous, previous_ids, 2);
  EXPECT_EQ(result.ids[0], "c_0002");
}

TEST(StableClusterIds, SameInputSameIds) {
  std::vector<std::uint32_t> previous = {0, 1, 0, 1, 2, 2};
  std::vector<std::uint32_t> current = {1, 0, 1, 0, 2, 2};
  std::vector<std::string> previous_ids = {"c_0001", "c_0002", "c_0003"};
  auto a = AssignStableClusterIds(current, 3, previous, previous_ids, 4);
  auto b = AssignStableClusterIds(current, 3, previous, previous_ids, 4);
  EXPECT_EQ(a.ids, b.ids);
  EXPECT_EQ(a.ids, (std::vector<std::string>{"c_0002", "c_0001", "c_0003"}));
}

TEST(StableClusterIds, RejectsMismatchedInputs) {
  std::vector<std::uint32_t> three(3, N), two(2, N);
  EXPECT_THROW(AssignStableClusterIds(three, 0, two, {}, 1), std::invalid_argument);
  std::vector<std::uint32_t> bad = {5, N, N};
  EXPECT_THROW(AssignStableClusterIds(bad, 2, three, {}, 1), std::invalid_argument);
}

TEST(ClusterNumber, FormatsAndParses) {
  EXPECT_EQ(FormatClusterId(42), "c_0042");
  EXPECT_EQ(FormatClusterId(123456), "c_123456");
  EXPECT_EQ(ParseClusterNumber("c_0042"), 42);
  EXPECT_EQ(ParseClusterNumber("x_0042"), -1);
  EXPECT_EQ(ParseClusterNumber("c_"), -1);
  EXPECT_EQ(ParseClusterNumber("c_12a"), -1);
}

}  // namespace
}  // namespace ringscope
