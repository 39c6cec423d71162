// StrongestEvidencePath on the hand-made fixture (query_fixture.h).
#include "tools/cli_paths.h"

#include <gtest/gtest.h>

#include <cmath>

#include "db/store.h"
#include "tools/query_fixture.h"

namespace ringscope {
namespace {

class PathsTest : public ::testing::Test {
 protected:
  void Open(bool prompt_clusters) {
    store_ = std::make_unique<Store>(Store::Open(":memory:"));
    testing::FillQueryFixture(store_->db(), prompt_clusters);
  }
  EvidencePath Path(std::int64_t a, std::int64_t b, PathOptions o = {}) {
    return StrongestEvidencePath(store_->db(), AnalyzeParameters{}, a, b, o);
  }
  std::unique_ptr<Store> store_;
};

TEST_F(PathsTest, FindsTheSharedCardBetweenTwoAccounts) {
  Open(false);
  EvidencePath p = Path(1, 2);
  ASSERT_TRUE(p.linked);
  ASSERT_EQ(p.hops.size(), 1u);
  EXPECT_EQ(p.hops[0].from_name, "alice");
  EXPECT_EQ(p.hops[0].to_name, "bob");
  ASSERT_FALSE(p.hops[0].evidence.empty());
  EXPECT_EQ(p.hops[0].evidence[0].kind, "payment");
  EXPECT_EQ(p.hops[0].evidence[0].value, "card:A");
}

TEST_F(PathsTest, PrefersTwoStrongLinksToOneWeakOne) {
  Open(false);
  // alice -ua (0.13)- carol directly, or alice -card (3)- bob -device (2)- carol.
  EvidencePath p = Path(1, 3);
  ASSERT_TRUE(p.linked);
  ASSERT_EQ(p.hops.size(), 2u);
  EXPECT_EQ(p.hops[0].to_name, "bob");
  EXPECT_EQ(p.hops[1].from_name, "bob");
  EXPECT_EQ(p.hops[1].to_name, "carol");
  EXPECT_EQ(p.hops[1].evidence[0].kind, "device");
  EXPECT_NEAR(p.cost, -std::log(2.0 / 3.0), 1e-9);  // the card is the strongest link met
  EXPECT_DOUBLE_EQ(p.max_strength, 3.0);
}

TEST_F(PathsTest, OneHopExploresOnlyTheDirectLinks) {
  Open(false);
  EvidencePath p = Path(1, 3, {.max_hops = 1});
  ASSERT_TRUE(p.linked);
  ASSERT_EQ(p.hops.size(), 1u);
  EXPECT_EQ(p.hops[0].evidence[0].kind, "user_agent");
  EXPECT_EQ(p.expanded_accounts, 1u);
}

TEST_F(PathsTest, SaysNotLinkedWhenNoPathLiesWithinTheBounds) {
  Open(false);
  EvidencePath p = Path(1, 7);  // gina shares nothing without prompt clusters
  EXPECT_FALSE(p.linked);
  EXPECT_TRUE(p.hops.empty());
}

TEST_F(PathsTest, CrossesPromptClusters) {
  Open(true);
  EvidencePath p = Path(1, 7);
  ASSERT_TRUE(p.linked);
  ASSERT_EQ(p.hops.size(), 1u);
  EXPECT_EQ(p.hops[0].evidence[0].kind, "prompt");
  EXPECT_EQ(p.hops[0].evidence[0].templates, 2u);
}

TEST_F(PathsTest, FindsAWeakLinkBeyondTheStrongestLinks) {
  Open(false);
  // dave's only link is the user agent; alice has 40+ stronger links, yet
  // the search keeps the other end's accounts.
  EvidencePath p = Path(1, 4, {.links = {.max_links = 2}});
  ASSERT_TRUE(p.linked);
  ASSERT_EQ(p.hops.size(), 1u);
  EXPECT_EQ(p.hops[0].to_name, "dave");
}

TEST_F(PathsTest, SameAccountIsLinkedWithNoHops) {
  Open(false);
  EvidencePath p = Path(2, 2);
  EXPECT_TRUE(p.linked);
  EXPECT_TRUE(p.hops.empty());
}

TEST_F(PathsTest, RejectsBadBounds) {
  Open(false);
  EXPECT_THROW(Path(1, 2, {.max_hops = 0}), std::invalid_argument);
  EXPECT_THROW(Path(1, 2, {.max_expansions = 1}), std::invalid_argument);
}

TEST_F(PathsTest, IsDeterministic) {
  Open(false);
  EvidencePath p = Path(3, 5), q = Path(3, 5);
  ASSERT_TRUE(p.linked);
  ASSERT_EQ(p.hops.size(), q.hops.size());
  for (std::size_t i = 0; i < p.hops.size(); ++i) EXPECT_EQ(p.hops[i].to, q.hops[i].to);
  EXPECT_EQ(p.hops.back().to_name, "erin");
}

}  // namespace
}  // namespace ringscope
