#include "ingest/intern_tables.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace ringscope {
namespace {

TEST(ValueTable, GivesDenseIdsInOrderOfFirstInsertion) {
  ValueTable table;
  bool inserted = false;
  EXPECT_EQ(table.FindOrInsert(7, 0, "a", inserted), 0u);
  EXPECT_TRUE(inserted);
  EXPECT_EQ(table.FindOrInsert(9, 1, "b", inserted), 1u);
  EXPECT_TRUE(inserted);
  EXPECT_EQ(table.FindOrInsert(7, 0, "a", inserted), 0u);
  EXPECT_FALSE(inserted);
  EXPECT_EQ(table.size(), 2u);
  EXPECT_EQ(table.bytes(1), "b");
  EXPECT_EQ(table.kind(1), 1);
}

TEST(ValueTable, TellsApartValuesWhoseHashesCollide) {
  ValueTable table;
  bool inserted = false;
  // One hash for everything: only kind and bytes can tell the values apart.
  const std::uint32_t a = table.FindOrInsert(42, 0, "same", inserted);
  const std::uint32_t b = table.FindOrInsert(42, 1, "same", inserted);
  const std::uint32_t c = table.FindOrInsert(42, 0, "samf", inserted);
  const std::uint32_t d = table.FindOrInsert(42, 0, "sam", inserted);
  const std::uint32_t e = table.FindOrInsert(42, 0, "", inserted);
  EXPECT_EQ((std::vector<std::uint32_t>{a, b, c, d, e}),
            (std::vector<std::uint32_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(table.FindOrInsert(42, 0, "sam", inserted), 3u);
  EXPECT_FALSE(inserted);
  EXPECT_EQ(table.FindOrInsert(42, 0, "", inserted), 4u);
  EXPECT_FALSE(inserted);
}

TEST(ValueTable, MatchesAMapThroughGrowthAndLongValues) {
  ValueTable table;
  std::map<std::pair<std::uint16_t, std::string>, std::uint32_t> reference;
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200000; ++i) {
    const auto kind = static_cast<std::uint16_t>(rng() % 3);
    const std::uint64_t number = rng() % 60000;
    std::string bytes = "v" + std::to_string(number);
    if (i % 20000 == 0) bytes += std::string(2 << 20, 'x');  // larger than an arena chunk
    // Some values share one hash: only kind and bytes tell them apart.
    const std::uint64_t hash = number % 50 == 0 ? 12345 : std::hash<std::string>()(bytes) + kind;
    bool inserted = false;
    const std::uint32_t id = table.FindOrInsert(hash, kind, bytes, inserted);
    auto [it, is_new] = reference.try_emplace({kind, bytes}, static_cast<std::uint32_t>(reference.size()));
    ASSERT_EQ(inserted, is_new) << i;
    ASSERT_EQ(id, it->second) << i;
  }
  ASSERT_EQ(table.size(), reference.size());
  for (const auto& [key, id] : reference) {
    EXPECT_EQ(table.kind(id), key.first);
    EXPECT_EQ(table.bytes(id), key.second);
  }
}

TEST(PairCounter, CountsPairsAndKeepsTheirFirstInsertionOrder) {
  PairCounter pairs;
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::int64_t> reference;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> order;
  std::mt19937_64 rng(3);
  for (int i = 0; i < 300000; ++i) {
    const auto account = static_cast<std::uint32_t>(rng() % 3000);
    const auto value = static_cast<std::uint32_t>(rng() % 200);
    bool inserted = false;
    PairCounter::Counts& counts = pairs.FindOrInsert(account, value, inserted);
    ++counts.count;
    auto [it, is_new] = reference.try_emplace({account, value}, 0);
    ++it->second;
    ASSERT_EQ(inserted, is_new);
    if (is_new) order.emplace_back(account, value);
  }
  std::size_t i = 0;
  pairs.ForEachInOrder([&](std::uint32_t account, std::uint32_t value,
                           const PairCounter::Counts& counts) {
    ASSERT_LT(i, order.size());
    EXPECT_EQ(std::make_pair(account, value), order[i]);
    EXPECT_EQ(counts.count, (reference[{account, value}]));
    EXPECT_EQ(counts.first_ts, kNoTimestamp);
    ++i;
  });
  EXPECT_EQ(i, order.size());
  EXPECT_EQ(pairs.size(), order.size());
}

TEST(PairCounter, RefusesTheReservedKey) {
  PairCounter pairs;
  bool inserted = false;
  EXPECT_THROW(pairs.FindOrInsert(0xFFFFFFFFu, 0xFFFFFFFFu, inserted), std::length_error);
  pairs.FindOrInsert(0xFFFFFFFFu, 0, inserted);  // only the one key is reserved
  EXPECT_TRUE(inserted);
}

}  // namespace
}  // namespace ringscope
