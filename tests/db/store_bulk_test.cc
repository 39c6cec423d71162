// CommitSource on batches large and messy enough to take every write path:
// the index rebuilt into an empty table, upserts next to existing rows, rows
// of one pair merged, values and accounts the batch lists twice.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <tuple>

#include "db/store.h"

namespace ringscope {
namespace {

struct Expected {
  std::int64_t count = 0;
  Timestamp first = kNoTimestamp;
  Timestamp last = kNoTimestamp;
};
using Key = std::tuple<std::string, std::string, std::string>;  // account, kind, value

Timestamp Earlier(Timestamp a, Timestamp b) {
  return a == kNoTimestamp ? b : b == kNoTimestamp ? a : std::min(a, b);
}
Timestamp Later(Timestamp a, Timestamp b) {
  return a == kNoTimestamp ? b : b == kNoTimestamp ? a : std::max(a, b);
}

// A random batch whose names repeat (two entries for one account or value),
// with repeated pairs; its observations are added to `expected`.
SourceBatch MessyBatch(const std::string& sha, std::uint64_t seed, std::map<Key, Expected>& expected) {
  std::mt19937_64 rng(seed);
  SourceBatch batch;
  batch.source.path = sha;
  batch.source.sha256 = sha;
  batch.source.format = InputFormat::kRequestLog;
  for (int i = 0; i < 400; ++i)
    batch.accounts.push_back({.name = "acct" + std::to_string(rng() % 350)});
  const char* kinds[] = {"ip", "device", "prompt"};
  for (int i = 0; i < 900; ++i)
    batch.values.push_back({.kind = kinds[rng() % 3], .value = "v" + std::to_string(rng() % 800)});
  for (int i = 0; i < 20000; ++i) {
    ObservationAggregate o;
    o.account = static_cast<std::uint32_t>(rng() % batch.accounts.size());
    o.value = static_cast<std::uint32_t>(rng() % batch.values.size());
    o.count = 1 + static_cast<std::int64_t>(rng() % 4);
    if (rng() % 3 != 0) {
      o.first_ts = 1700000000 + static_cast<Timestamp>(rng() % 1000);
      o.last_ts = o.first_ts + static_cast<Timestamp>(rng() % 1000);
    }
    batch.observations.push_back(o);
    Expected& e = expected[{batch.accounts[o.account].name, batch.values[o.value].kind,
                            batch.values[o.value].value}];
    e.count += o.count;
    e.first = Earlier(e.first, o.first_ts);
    e.last = Later(e.last, o.last_ts);
  }
  return batch;
}

void ExpectStoreHolds(Store& store, const std::map<Key, Expected>& expected) {
  Statement rows(store.db(),
                 "SELECT a.name, k.name, v.value, o.count, o.first_ts, o.last_ts "
                 "FROM observations o JOIN accounts a ON a.id = o.account_id "
                 "JOIN signal_values v ON v.id = o.value_id JOIN kinds k ON k.id = v.kind_id");
  std::size_t seen = 0;
  while (rows.Step()) {
    const Key key{rows.ColumnText(0), rows.ColumnText(1), rows.ColumnText(2)};
    auto it = expected.find(key);
    ASSERT_NE(it, expected.end());
    EXPECT_EQ(rows.ColumnInt64(3), it->second.count);
    EXPECT_EQ(rows.ColumnIsNull(4) ? kNoTimestamp : rows.ColumnInt64(4), it->second.first);
    EXPECT_EQ(rows.ColumnIsNull(5) ? kNoTimestamp : rows.ColumnInt64(5), it->second.last);
    ++seen;
  }
  EXPECT_EQ(seen, expected.size());
  Statement counts(store.db(),
                   "SELECT count(*) FROM signal_values v WHERE account_count <> "
                   "(SELECT count(*) FROM observations o WHERE o.value_id = v.id)");
  ASSERT_TRUE(counts.Step());
  EXPECT_EQ(counts.ColumnInt64(0), 0) << "account_count out of step with observations";
  Statement check(store.db(), "PRAGMA integrity_check");
  ASSERT_TRUE(check.Step());
  EXPECT_EQ(check.ColumnText(0), "ok");
}

std::string IndexSql(Store& store) {
  Statement sql(store.db(),
                "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = 'observations_by_value'");
  return sql.Step() ? sql.ColumnText(0) : "";
}

TEST(StoreBulk, LargeMessyBatchesAddUpThroughEveryWritePath) {
  Store store = Store::Open(":memory:");
  const std::string index_sql = IndexSql(store);
  ASSERT_FALSE(index_sql.empty());
  std::map<Key, Expected> expected;
  // Into empty tables (index rebuilt), then a batch half its size (upserts
  // beside the index), then a large one again (index rebuilt over old rows).
  store.CommitSource(MessyBatch("one", 1, expected));
  ExpectStoreHolds(store, expected);
  SourceBatch small = MessyBatch("two", 2, expected);
  store.CommitSource(small);
  ExpectStoreHolds(store, expected);
  store.CommitSource(MessyBatch("three", 3, expected));
  ExpectStoreHolds(store, expected);
  EXPECT_EQ(IndexSql(store), index_sql);
  // The rebuilt index is the one queries use.
  Statement plan(store.db(), "EXPLAIN QUERY PLAN SELECT account_id FROM observations WHERE value_id = 5");
  ASSERT_TRUE(plan.Step());
  EXPECT_NE(plan.ColumnText(3).find("observations_by_value"), std::string::npos) << plan.ColumnText(3);
}

TEST(StoreBulk, TheIndexBuildLeavesTheConnectionSettingsAsTheyWere) {
  Store store = Store::Open(":memory:");
  auto pragma = [&](const char* name) {
    Statement statement(store.db(), std::string("PRAGMA ") + name);
    return statement.Step() ? statement.ColumnInt64(0) : -1;
  };
  const std::int64_t temp_store = pragma("temp_store"), threads = pragma("threads");
  std::map<Key, Expected> expected;
  store.CommitSource(MessyBatch("settings", 4, expected));
  EXPECT_EQ(pragma("temp_store"), temp_store);
  EXPECT_EQ(pragma("threads"), threads);
  // With a temporary table open, its objects survive the commit.
  store.db().Exec("CREATE TEMP TABLE keep (x)");
  store.db().Exec("INSERT INTO keep VALUES (1)");
  store.db().Exec("DELETE FROM observations");
  store.CommitSource(MessyBatch("settings 2", 5, expected));
  EXPECT_EQ(pragma("temp_store"), temp_store);
  Statement kept(store.db(), "SELECT count(*) FROM temp.keep");
  ASSERT_TRUE(kept.Step());
  EXPECT_EQ(kept.ColumnInt64(0), 1);
}

TEST(StoreBulk, PromptExamplesOfNewAndOldValuesKeepTheBound) {
  Store store = Store::Open(":memory:");
  for (int round = 0; round < 3; ++round) {
    SourceBatch batch;
    batch.source.sha256 = "p" + std::to_string(round);
    batch.source.path = batch.source.sha256;
    for (int v = 0; v < 50; ++v) batch.values.push_back({.kind = "prompt", .value = "t" + std::to_string(v)});
    // Five accounts, the first listed twice (one database id).
    for (int a = 0; a < 6; ++a)
      batch.accounts.push_back({.name = "r" + std::to_string(round) + "a" + std::to_string(a % 5)});
    for (std::uint32_t v = 0; v < 50; ++v) {
      for (std::uint32_t a : {0u, 0u, 1u, 5u, 2u, 3u, 4u}) {
        batch.prompt_examples.push_back(
            {.value = v, .account = a, .text = "round " + std::to_string(round) + " account " + std::to_string(a)});
      }
    }
    store.CommitSource(batch);
  }
  // Round 0 gives five accounts per value, round 1 the three that fit, round 2 none.
  Statement per_round(store.db(),
                      "SELECT substr(a.name, 1, 2), count(*), min(p.text) FROM prompt_examples p "
                      "JOIN accounts a ON a.id = p.account_id GROUP BY 1 ORDER BY 1");
  std::vector<std::tuple<std::string, std::int64_t, std::string>> rounds;
  while (per_round.Step())
    rounds.emplace_back(per_round.ColumnText(0), per_round.ColumnInt64(1), per_round.ColumnText(2));
  ASSERT_EQ(rounds.size(), 2u);
  EXPECT_EQ(rounds[0], std::make_tuple(std::string("r0"), std::int64_t{50 * 5}, std::string("round 0 account 0")));
  EXPECT_EQ(std::get<1>(rounds[1]), 50 * (kMaxPromptExamplesPerValue - 5));
  Statement over(store.db(),
                 "SELECT count(*) FROM (SELECT value_id FROM prompt_examples GROUP BY value_id "
                 "HAVING count(*) <> ?1)");
  over.Bind(1, kMaxPromptExamplesPerValue);
  ASSERT_TRUE(over.Step());
  EXPECT_EQ(over.ColumnInt64(0), 0);
}

}  // namespace
}  // namespace ringscope
