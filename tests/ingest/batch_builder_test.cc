#include "ingest/batch_builder.h"

#include <gtest/gtest.h>

#include <string>

namespace ringscope {
namespace {

TEST(BatchBuilder, InternsInOrderOfFirstUseWithOrWithoutHashesGiven) {
  BatchBuilder builder;
  const std::uint16_t ip = builder.Kind("ip");
  EXPECT_EQ(builder.Kind("ip"), ip);
  const std::uint64_t seed = BatchBuilder::KindSeed("ip");
  EXPECT_EQ(builder.Value("ip", "1.1.1.1"), 0u);
  EXPECT_EQ(builder.Value(ip, "1.1.1.1", BatchBuilder::ValueHash(seed, "1.1.1.1")), 0u);
  EXPECT_EQ(builder.Value("device", "1.1.1.1"), 1u);  // same bytes, other kind
  EXPECT_EQ(builder.Value(ip, "2.2.2.2", BatchBuilder::ValueHash(seed, "2.2.2.2")), 2u);
  EXPECT_EQ(builder.Account("b"), 0u);
  EXPECT_EQ(builder.Account("a", BatchBuilder::AccountHash("a")), 1u);
  EXPECT_EQ(builder.Account("b", BatchBuilder::AccountHash("b")), 0u);
  const SourceBatch batch = builder.Take();
  ASSERT_EQ(batch.values.size(), 3u);
  EXPECT_EQ(batch.values[1].kind, "device");
  EXPECT_EQ(batch.values[2].value, "2.2.2.2");
  ASSERT_EQ(batch.accounts.size(), 2u);
  EXPECT_EQ(batch.accounts[1].name, "a");
}

TEST(BatchBuilder, ObservationsCountAndWidenInOrderOfFirstSighting) {
  BatchBuilder builder;
  const std::uint32_t a = builder.Account("a"), b = builder.Account("b");
  const std::uint32_t v = builder.Value("ip", "1.1.1.1"), w = builder.Value("ip", "2.2.2.2");
  EXPECT_TRUE(builder.Observe(b, w, 50));
  EXPECT_TRUE(builder.Observe(a, v, kNoTimestamp));
  EXPECT_FALSE(builder.Observe(b, w, 10));
  EXPECT_FALSE(builder.Observe(a, v, 30));
  EXPECT_FALSE(builder.Observe(b, w, kNoTimestamp));
  const SourceBatch batch = builder.Take();
  ASSERT_EQ(batch.observations.size(), 2u);
  const ObservationAggregate& first = batch.observations[0];
  EXPECT_EQ(std::tie(first.account, first.value, first.count, first.first_ts, first.last_ts),
            std::make_tuple(b, w, std::int64_t{3}, Timestamp{10}, Timestamp{50}));
  const ObservationAggregate& second = batch.observations[1];
  EXPECT_EQ(std::tie(second.account, second.value, second.count, second.first_ts, second.last_ts),
            std::make_tuple(a, v, std::int64_t{2}, Timestamp{30}, Timestamp{30}));
}

TEST(BatchBuilder, PromptExamplesComeFromTheFirstDistinctAccountsWithTheirFirstText) {
  BatchBuilder builder;
  const std::uint32_t prompt = builder.Value("prompt", "t:1");
  std::vector<std::uint32_t> accounts;
  for (int i = 0; i < 12; ++i) accounts.push_back(builder.Account("a" + std::to_string(i)));
  // Account 0 repeats: its later texts neither replace its example nor use up the bound.
  for (int k = 0; k < 5; ++k) builder.ObservePrompt(accounts[0], prompt, k, "text " + std::to_string(k));
  for (std::uint32_t a : accounts) builder.ObservePrompt(a, prompt, 9, "from " + std::to_string(a));
  const std::string long_text = std::string(kMaxPromptExampleBytes - 1, 'x') + "\xC3\xA9";
  const std::uint32_t other = builder.Value("prompt", "t:2");
  builder.ObservePrompt(accounts[3], other, 1, long_text);
  const SourceBatch batch = builder.Take();
  ASSERT_EQ(batch.prompt_examples.size(), static_cast<std::size_t>(kMaxPromptExamplesPerBatchValue) + 1);
  EXPECT_EQ(batch.prompt_examples[0].text, "text 0");
  for (int i = 1; i < kMaxPromptExamplesPerBatchValue; ++i) {
    EXPECT_EQ(batch.prompt_examples[i].account, accounts[i]);
    EXPECT_EQ(batch.prompt_examples[i].text, "from " + std::to_string(accounts[i]));
  }
  // Cut on a character boundary, not inside the two-byte é.
  EXPECT_EQ(batch.prompt_examples.back().text, std::string(kMaxPromptExampleBytes - 1, 'x'));
  ASSERT_EQ(batch.observations.size(), 13u);
  EXPECT_EQ(batch.observations[0].count, 6);
}

TEST(BatchBuilder, TakeLeavesAnEmptyBuilder) {
  BatchBuilder builder;
  builder.Observe(builder.Account("a"), builder.Value("ip", "1.1.1.1"), 1);
  builder.SkipField("x", 3);
  builder.SkipField("x");
  const SourceBatch batch = builder.Take();
  EXPECT_EQ(batch.skipped_fields.at("x"), 4);
  const SourceBatch empty = builder.Take();
  EXPECT_TRUE(empty.accounts.empty());
  EXPECT_TRUE(empty.values.empty());
  EXPECT_TRUE(empty.observations.empty());
  EXPECT_TRUE(empty.skipped_fields.empty());
}

}  // namespace
}  // namespace ringscope
