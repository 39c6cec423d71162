#include "tools/cli_prompt_stage.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "algorithms/minhash.h"

namespace ringscope {
namespace {

// A world of 5 accounts and 5 values: values 0-2 are prompt templates (0 and 1
// slot variants of one template, 2 unrelated), 3 is an ip, 4 an unsketched
// prompt. Value ids are 10, 20, ... so dense indexes and ids differ.
AnalysisData MakeWorld(const std::vector<std::string>& templates) {
  AnalysisData data;
  data.kinds = {"prompt", "ip"};
  for (int v = 0; v < 5; ++v) {
    data.value_ids.push_back(10 * (v + 1));
    data.value_kind.push_back(v == 3 ? 1 : 0);
  }
  for (int a = 0; a < 5; ++a) data.accounts.push_back({.id = a + 1, .name = "a" + std::to_string(a)});
  // (account, value, count), sorted by (value, account) as the store loads them.
  data.observations = {{0, 0, 3}, {1, 0, 1}, {1, 1, 2}, {2, 1, 5}, {3, 2, 1},
                       {0, 3, 1}, {4, 3, 1}, {4, 4, 9}};
  data.value_account_count = {2, 2, 1, 2, 1};
  MinHashOptions options;
  data.sketch_size = options.num_hashes;
  for (std::uint32_t v = 0; v < templates.size(); ++v) {
    std::vector<SketchValue> sketch(static_cast<std::size_t>(options.num_hashes));
    SketchTemplate(templates[v], options, sketch);
    data.sketches.insert(data.sketches.end(), sketch.begin(), sketch.end());
    data.sketched_values.push_back(v);
    data.stored_prompt_cluster.push_back(0);
  }
  return data;
}

const std::vector<std::string> kTemplates = {
    "you are a world-class expert. explain step by step, showing all reasoning, how "
    "photosynthesis works. then list # key facts as json with fields name and detail.",
    "you are a world-class expert. explain step by step, showing all reasoning, how "
    "tidal locking works. then list # key facts as json with fields name and detail.",
    "what is a good name for a golden retriever puppy?"};

TEST(FoldPromptClusters, SlotVariantsBecomeOneValueWithMergedObservations) {
  AnalysisData data = MakeWorld(kTemplates);
  PromptStageResult r = FoldPromptClusters(data, {}, 2);
  EXPECT_EQ(r.templates, 3u);
  EXPECT_EQ(r.clusters, 1u);
  EXPECT_EQ(r.folded_templates, 1u);
  EXPECT_EQ(r.merged_observations, 1u);  // account 1 had both variants
  // Value 1 (id 20) folded into value 0 (id 10, the older template).
  std::vector<AnalysisObservation> expected = {{0, 0, 3}, {1, 0, 3}, {2, 0, 5}, {3, 2, 1},
                                               {0, 3, 1}, {4, 3, 1}, {4, 4, 9}};
  ASSERT_EQ(data.observations.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(data.observations[i].account, expected[i].account) << i;
    EXPECT_EQ(data.observations[i].value, expected[i].value) << i;
    EXPECT_EQ(data.observations[i].count, expected[i].count) << i;
  }
  EXPECT_EQ(data.value_account_count, (std::vector<std::int64_t>{3, 0, 1, 2, 1}));
  // Every sketched template's assignment is new, named by value ids.
  ASSERT_EQ(r.changed.size(), 3u);
  EXPECT_EQ(r.changed[0].value_id, 10);
  EXPECT_EQ(r.changed[0].cluster_value_id, 10);
  EXPECT_EQ(r.changed[1].value_id, 20);
  EXPECT_EQ(r.changed[1].cluster_value_id, 10);
  EXPECT_EQ(r.changed[2].value_id, 30);
  EXPECT_EQ(r.changed[2].cluster_value_id, 30);
}

TEST(FoldPromptClusters, StoredAssignmentKeepsIdsAndOnlyChangesAreReported) {
  AnalysisData data = MakeWorld(kTemplates);
  // The last analyze named the family by template 20 (say 10 arrived later).
  data.stored_prompt_cluster = {20, 20, 30};
  PromptStageResult r = FoldPromptClusters(data, {}, 1);
  EXPECT_EQ(r.kept_previous_ids, 2u);
  EXPECT_TRUE(r.changed.empty());
  // The family folds into value 1 (id 20), not the smaller id 10.
  EXPECT_EQ(data.value_account_count[1], 3);
  EXPECT_EQ(data.value_account_count[0], 0);
}

TEST(FoldPromptClusters, UnrelatedTemplatesStayApartAndDisabledIsANoOp) {
  AnalysisData data = MakeWorld({kTemplates[0], kTemplates[2], "summarise this contract."});
  const auto before = data.observations.size();
  PromptStageResult r = FoldPromptClusters(data, {}, 2);
  EXPECT_EQ(r.clusters, 0u);
  EXPECT_EQ(r.folded_templates, 0u);
  EXPECT_EQ(data.observations.size(), before);

  AnalysisData off = MakeWorld(kTemplates);
  PromptStageResult none = FoldPromptClusters(off, {.enabled = false}, 2);
  EXPECT_EQ(none.templates, 0u);
  EXPECT_EQ(off.observations.size(), before);
}

TEST(FoldPromptClusters, SameResultForAnyThreadCount) {
  AnalysisData one = MakeWorld(kTemplates), two = MakeWorld(kTemplates);
  FoldPromptClusters(one, {}, 1);
  FoldPromptClusters(two, {}, 2);
  ASSERT_EQ(one.observations.size(), two.observations.size());
  for (std::size_t i = 0; i < one.observations.size(); ++i) {
    EXPECT_EQ(one.observations[i].value, two.observations[i].value);
    EXPECT_EQ(one.observations[i].account, two.observations[i].account);
  }
}

TEST(FoldPromptClusters, BadBandsAreRefused) {
  AnalysisData data = MakeWorld(kTemplates);
  EXPECT_THROW(FoldPromptClusters(data, {.bands = 7}, 1), std::invalid_argument);
}

}  // namespace
}  // namespace ringscope
