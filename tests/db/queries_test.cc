// The exploration lookups on the hand-made fixture (tests/tools/query_fixture.h).
#include "db/queries.h"

#include <gtest/gtest.h>

#include "db/store.h"
#include "tools/query_fixture.h"

namespace ringscope {
namespace {

class QueriesTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::FillQueryFixture(db(), false); }
  Database& db() { return store_.db(); }
  Store store_ = Store::Open(":memory:");
};

TEST_F(QueriesTest, FindsAnAccountWithItsAttributes) {
  std::optional<AccountRecord> a = FindAccount(db(), "alice");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->id, 1);
  EXPECT_EQ(a->created_at, 1700000000);
  EXPECT_EQ(a->requests, 10);
  ASSERT_EQ(a->attributes.size(), 2u);
  EXPECT_EQ(a->attributes[0], (std::pair<std::string, std::string>{"country", "FR"}));
  EXPECT_EQ(FindAccount(db(), "dave")->first_ts, kNoTimestamp);
  EXPECT_FALSE(FindAccount(db(), "nobody"));
  EXPECT_EQ(AccountName(db(), 2), "bob");
  EXPECT_EQ(AccountName(db(), 999), "");
}

TEST_F(QueriesTest, LoadsTheValuesOfAnAccount) {
  std::vector<AccountValue> values = LoadAccountValues(db(), 1);
  ASSERT_EQ(values.size(), 6u);  // card:A, ip, ua, card:solo, dev2, t:1111
  EXPECT_EQ(values[0].kind, "payment");
  EXPECT_EQ(values[0].value, "card:A");
  EXPECT_EQ(values[0].degree, 2);
  EXPECT_EQ(values[0].count, 4);
  EXPECT_EQ(values[0].first_ts, 1700000100);
  EXPECT_EQ(values[1].last_ts, kNoTimestamp);
  EXPECT_TRUE(LoadAccountValues(db(), 999).empty());
  std::vector<AccountValueRef> refs = LoadAccountValueRefs(db(), 1);
  ASSERT_EQ(refs.size(), values.size());
  for (std::size_t i = 0; i < refs.size(); ++i) {
    EXPECT_EQ(refs[i].value_id, values[i].value_id);
    EXPECT_EQ(refs[i].degree, values[i].degree);
  }
  EXPECT_EQ(refs[1].kind_id, 2);  // ip
}

TEST_F(QueriesTest, ReadsHoldersInIdOrderUpToTheLimit) {
  EXPECT_EQ(LoadValueHolders(db(), 1, 1, 10), (std::vector<std::int64_t>{2}));
  std::vector<std::int64_t> hub = LoadValueHolders(db(), 3, 1, 3);
  EXPECT_EQ(hub, (std::vector<std::int64_t>{101, 102, 103}));
  EXPECT_EQ(LoadValueHolders(db(), 3, 0, 100).size(), 41u);
  EXPECT_TRUE(AccountHasValue(db(), 139, 6));
  EXPECT_FALSE(AccountHasValue(db(), 138, 6));
}

TEST_F(QueriesTest, ListsObservationsMostFirst) {
  std::vector<ValueHolder> holders = LoadValueObservations(db(), 1, 10);
  ASSERT_EQ(holders.size(), 2u);
  EXPECT_EQ(holders[0].account, "alice");  // 4 observations before bob's 2
  EXPECT_EQ(holders[0].count, 4);
  EXPECT_EQ(holders[1].account, "bob");
  EXPECT_EQ(LoadValueObservations(db(), 3, 5).size(), 5u);
}

// The ranking of a value's holders reads the by-value index alone (schema 4
// put the count in it): a table lookup per holder made `value` on a
// 60,000-account user agent 10x slower. The plan is what keeps it fast.
TEST_F(QueriesTest, RanksAValuesHoldersFromTheIndexAlone) {
  Statement plan(db(),
                 "EXPLAIN QUERY PLAN SELECT account_id, count FROM observations "
                 "INDEXED BY observations_by_value WHERE value_id = 3 "
                 "ORDER BY count DESC, account_id LIMIT 5");
  std::string details;
  while (plan.Step()) details += plan.ColumnText(3) + "\n";
  EXPECT_NE(details.find("COVERING INDEX observations_by_value"), std::string::npos) << details;
  // The shown rows still carry their times, joined back by primary key.
  std::vector<ValueHolder> top = LoadValueObservations(db(), 1, 1);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].first_ts, LoadAccountValues(db(), 1)[0].first_ts);
}

TEST_F(QueriesTest, FindsValuesByKindAndText) {
  std::optional<ValueRecord> v = FindValue(db(), "payment", "card:A");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->id, 1);
  EXPECT_EQ(v->degree, 2);
  EXPECT_FALSE(FindValue(db(), "device", "card:A"));
  EXPECT_EQ(LoadValue(db(), 3)->value, "10.0.0.1");
  EXPECT_FALSE(LoadValue(db(), 999));
}

TEST_F(QueriesTest, LoadsLinksInBothDirectionsWithoutSelfLinks) {
  std::vector<AccountLink> links = LoadAccountLinks(db(), 1);
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0].other, 5);
  EXPECT_DOUBLE_EQ(links[0].weight + links[1].weight, 2.5);
  EXPECT_TRUE(LoadAccountLinks(db(), 4).empty());  // its self link only
}

TEST_F(QueriesTest, PromptClustersFallBackToTheTemplateAlone) {
  EXPECT_FALSE(HasPromptClusters(db()));
  EXPECT_EQ(PromptClusterOf(db(), 8), 8);
  EXPECT_EQ(PromptClusterTemplates(db(), 8), (std::vector<std::int64_t>{8}));
  PromptClusterSize size = LoadPromptClusterSize(db(), 7, 100);
  EXPECT_EQ(size.templates, 1);
  EXPECT_EQ(size.accounts, 2);
  db().Exec("INSERT INTO prompt_clusters VALUES (7, 7), (8, 7)");
  EXPECT_TRUE(HasPromptClusters(db()));
  EXPECT_EQ(PromptClusterOf(db(), 8), 7);
  EXPECT_EQ(PromptClusterTemplates(db(), 7), (std::vector<std::int64_t>{7, 8}));
  size = LoadPromptClusterSize(db(), 7, 100);
  EXPECT_EQ(size.templates, 2);
  EXPECT_EQ(size.accounts, 3);
  EXPECT_TRUE(size.exact);
  size = LoadPromptClusterSize(db(), 7, 2);  // 3 rows: only a lower bound
  EXPECT_FALSE(size.exact);
  EXPECT_EQ(size.accounts, 3);
  EXPECT_EQ(LoadPromptClusterHolders(db(), 7, 1, 10), (std::vector<std::int64_t>{6, 7}));
  std::size_t rows = 0;
  EXPECT_EQ(LoadPromptClusterHolders(db(), 7, 0, 1, &rows), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(rows, 1u);
  EXPECT_EQ(AccountTemplateInCluster(db(), 7, 7), 8);
  EXPECT_EQ(AccountTemplateInCluster(db(), 1, 7), 7);
  EXPECT_FALSE(AccountTemplateInCluster(db(), 2, 7));
  // The other way round: the clusters of an account's templates, and how many
  // of its values were read (alice holds 6, one of them t:1111).
  rows = 0;
  EXPECT_EQ(AccountPromptClusters(db(), 1, &rows), (std::vector<std::int64_t>{7}));
  EXPECT_EQ(rows, 6u);
  EXPECT_EQ(AccountPromptClusters(db(), 7), (std::vector<std::int64_t>{7}));  // gina, via t:2222
  EXPECT_TRUE(AccountPromptClusters(db(), 2).empty());
}

// AccountTemplateInCluster reads at most 1,000 of an account's values (as
// AccountPromptClusters reads them all), then probes the cluster's templates:
// both ways find the smallest template, on either side of that boundary.
TEST_F(QueriesTest, FindsAnAccountsTemplateBeforeAndAfterItsFirstThousandValues) {
  db().Exec(
      "INSERT INTO accounts (id, name) VALUES (500, 'heavy'), (501, 'edge'), (502, 'plain');"
      "WITH RECURSIVE n(i) AS (SELECT 1000 UNION ALL SELECT i + 1 FROM n WHERE i < 2199) "
      "INSERT INTO signal_values (id, kind_id, value) SELECT i, 1, 'card:' || i FROM n;"
      "INSERT INTO signal_values (id, kind_id, value) VALUES (5000, 3, 't:5000'), "
      "(5001, 3, 't:5001');"
      "INSERT INTO prompt_clusters VALUES (7, 7), (8, 7), (5000, 7), (5001, 7);"
      // heavy: 1,200 plain values, then two templates of cluster 7.
      "INSERT INTO observations (account_id, value_id, count) "
      "SELECT 500, id, 1 FROM signal_values WHERE id BETWEEN 1000 AND 2199;"
      "INSERT INTO observations (account_id, value_id, count) VALUES (500, 5001, 1), "
      "(500, 5000, 1);"
      // edge: 999 plain values, then a template as its 1,000th value.
      "INSERT INTO observations (account_id, value_id, count) "
      "SELECT 501, id, 1 FROM signal_values WHERE id BETWEEN 1000 AND 1998;"
      "INSERT INTO observations (account_id, value_id, count) VALUES (501, 5001, 1);"
      // plain: exactly 1,000 values, no template.
      "INSERT INTO observations (account_id, value_id, count) "
      "SELECT 502, id, 1 FROM signal_values WHERE id BETWEEN 1000 AND 1999;");
  EXPECT_EQ(AccountTemplateInCluster(db(), 500, 7), 5000);  // found by the probe
  EXPECT_EQ(AccountTemplateInCluster(db(), 501, 7), 5001);  // the 1,000th value read
  EXPECT_FALSE(AccountTemplateInCluster(db(), 502, 7));
  std::size_t rows = 0;
  EXPECT_EQ(AccountPromptClusters(db(), 500, &rows), (std::vector<std::int64_t>{7}));
  EXPECT_EQ(rows, 1202u);
  EXPECT_EQ(AccountPromptClusters(db(), 501, &rows), (std::vector<std::int64_t>{7}));
  EXPECT_EQ(rows, 1000u);
  EXPECT_TRUE(AccountPromptClusters(db(), 502, &rows).empty());
  EXPECT_EQ(rows, 1000u);
  // The statements they share stay usable after an early stop.
  EXPECT_EQ(AccountTemplateInCluster(db(), 1, 7), 7);
  EXPECT_EQ(AccountTemplateInCluster(db(), 7, 7), 8);
}

TEST_F(QueriesTest, PrefersTheAccountsOwnPromptExample) {
  EXPECT_EQ(LoadPromptExample(db(), 7, 6), "solve 4 + 4 step by step");
  EXPECT_EQ(LoadPromptExample(db(), 7, 1), "Solve 12 + 3 step by step");
  EXPECT_EQ(LoadPromptExample(db(), 7, 999), "Solve 12 + 3 step by step");  // smallest account
  EXPECT_FALSE(LoadPromptExample(db(), 1, 1));
}

TEST_F(QueriesTest, ReadsClustersAndMemberships) {
  std::optional<ClusterRecord> c = FindCluster(db(), 1, "c_0001");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->size, 3);
  EXPECT_DOUBLE_EQ(c->score, 0.9);
  EXPECT_EQ(c->evidence_classes, 2);
  EXPECT_FALSE(FindCluster(db(), 1, "c_0002"));
  EXPECT_FALSE(FindCluster(db(), 2, "c_0001"));
  EXPECT_EQ(LoadTopClusters(db(), 1, 10).size(), 1u);
  EXPECT_TRUE(LoadTopClusters(db(), 1, 0).empty());
  EXPECT_EQ(FindMembership(db(), 1, 2)->reasons, "payment:shared(2);device:shared(2)");
  EXPECT_FALSE(FindMembership(db(), 1, 4));
  EXPECT_EQ(LoadClusterMemberIds(db(), 1, "c_0001"), (std::vector<std::int64_t>{1, 2, 3}));
  std::vector<ClusterMemberRecord> members = LoadClusterMembers(db(), 1, "c_0001");
  ASSERT_EQ(members.size(), 3u);
  EXPECT_EQ(members[2].name, "carol");
  EXPECT_EQ(members[2].created_at, kNoTimestamp);
  EXPECT_EQ(members[2].first_ts, 1700100000);
}

TEST_F(QueriesTest, ReadsKindsAndValueKinds) {
  std::vector<std::pair<std::int64_t, std::string>> kinds = LoadKinds(db());
  ASSERT_EQ(kinds.size(), 5u);
  EXPECT_EQ(kinds[0].second, "payment");
  std::vector<std::pair<std::int64_t, std::int64_t>> values = LoadAccountValueKinds(db(), 2);
  EXPECT_EQ(values, (std::vector<std::pair<std::int64_t, std::int64_t>>{{1, 1}, {2, 4}}));
}

}  // namespace
}  // namespace ringscope
