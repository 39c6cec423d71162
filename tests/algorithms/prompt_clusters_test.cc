#include "algorithms/prompt_clusters.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "algorithms/minhash.h"

namespace ringscope {
namespace {

// FNV-1a: a stand-in for the XXH3 fingerprint ingest computes.
std::uint64_t Fingerprint(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

struct Templates {
  std::vector<std::string> texts;
  std::vector<int> family;  // planted group; -1 for unrelated prompts

  void Add(std::string text, int f) {
    texts.push_back(std::move(text));
    family.push_back(f);
  }
  std::vector<std::uint64_t> Fingerprints() const {
    std::vector<std::uint64_t> out;
    for (const auto& t : texts) out.push_back(Fingerprint(t));
    return out;
  }
  PromptSketches Sketches(const MinHashOptions& o = {}) const {
    std::vector<std::string_view> views(texts.begin(), texts.end());
    return SketchTemplates(views, o, {.threads = 1});
  }
};

const std::vector<std::string> kNames = {"alice", "bob", "chen wei", "fatima", "oluwaseun",
                                         "dmitri", "priya", "mateo", "yuki", "amara"};
const std::vector<std::string> kItems = {"apples", "train tickets", "chemistry books", "stamps",
                                         "shares", "bicycles", "concert seats", "lanterns"};
const std::vector<std::string> kTopics = {
    "photosynthesis", "the french revolution", "binary search trees", "supply and demand",
    "plate tectonics", "the krebs cycle", "bayesian inference", "the cold war",
    "neural networks", "the water cycle"};

// Three campaign-like families (preamble + slots, a paraphrased variant each)
// and unrelated prompts on the same topics.
Templates PlantedTemplates() {
  Templates t;
  for (std::size_t i = 0; i < 12; ++i) {
    const std::string& name = kNames[i % kNames.size()];
    const std::string& item = kItems[(i * 3) % kItems.size()];
    const std::string lead = i % 4 == 3 ? "act as a meticulous math tutor." : "you are an expert tutor.";
    t.Add(lead + " think step by step and show your reasoning before the final answer.\n\nproblem: " +
              name + " has # " + item + " and buys # more at $# each. how many " + item +
              " does " + name + " have now, and how much was spent?\n\nend with 'final answer: ...'.",
          0);
  }
  for (std::size_t i = 0; i < 10; ++i) {
    const std::string& topic = kTopics[i];
    t.Add("you are a world-class science communicator. your answer will be used as a reference "
          "solution. question: explain " + topic + " from first principles, then predict what a "
          "student would get wrong about " + topic + ". write out your complete chain of thought "
          "first, then the answer.",
          1);
  }
  for (std::size_t i = 0; i < 8; ++i) {
    t.Add("classify the sentiment of this review as positive, negative or mixed and justify every "
          "part of your decision: \"the " + kItems[i] + " arrived " +
              (i % 2 ? "late and damaged" : "early and well packed") + ", and the seller " +
              (i % 3 ? "never replied" : "was very kind") + ".\" respond in json with keys "
              "\"reasoning\" and \"answer\".",
          2);
  }
  // Unrelated prompts, several on the families' topics, each worded its own
  // way. (Short prompts of one pattern, "can you explain X in simple terms?"
  // for many X, are slot variants themselves and do cluster.)
  for (const char* text : {
           "how do i reverse a linked list in python?",
           "plan a #-day trip to lisbon on a budget",
           "what are the main themes of pride and prejudice?",
           "can you explain photosynthesis in simple terms?",
           "write a short poem about the water cycle",
           "my kid asked why leaves are green, what do i tell her",
           "bayesian inference vs frequentist statistics: which should a beginner learn first?",
           "summarize the causes of the cold war in # bullet points",
           "is it worth buying a used bicycle or should i get a new one",
           "i have # apples and eat #. how many are left? just the number please",
           "draft a polite email to my landlord about the broken heater",
           "review my cover letter for a junior data analyst position",
           "what's a good vegetarian lasagna recipe with spinach",
           "translate 'where is the train station' into german",
           "give me # name ideas for a bakery that sells lanterns too",
           "the krebs cycle confuses me. walk me through it slowly",
           "why do earthquakes happen near plate boundaries?",
           "recommend a sci-fi novel similar to the left hand of darkness",
           "fix this sql: select * form users where id = #",
           "how long should i boil an egg for a runny yolk",
           "what is the difference between a stock and a bond?",
           "write unit tests for a function that parses dates",
           "explain neural networks like i'm five",
       }) {
    t.Add(text, -1);
  }
  return t;
}

TEST(PromptClusters, SlotVariedTemplatesClusterTogether) {
  const Templates t = PlantedTemplates();
  const auto fps = t.Fingerprints();
  const PromptClusterResult r = ClusterPrompts(fps, t.Sketches());
  ASSERT_EQ(r.cluster.size(), t.texts.size());
  for (int f = 0; f < 3; ++f) {
    std::set<std::uint64_t> ids;
    for (std::size_t i = 0; i < t.texts.size(); ++i) {
      if (t.family[i] == f) ids.insert(r.cluster[i]);
    }
    EXPECT_EQ(ids.size(), 1u) << "family " << f << " split";
  }
}

TEST(PromptClusters, UnrelatedPromptsDoNotCluster) {
  const Templates t = PlantedTemplates();
  const auto fps = t.Fingerprints();
  const PromptClusterResult r = ClusterPrompts(fps, t.Sketches());
  std::map<std::uint64_t, std::set<int>> families_of_cluster;
  std::map<std::uint64_t, int> size;
  for (std::size_t i = 0; i < t.texts.size(); ++i) {
    families_of_cluster[r.cluster[i]].insert(t.family[i]);
    ++size[r.cluster[i]];
  }
  for (std::size_t i = 0; i < t.texts.size(); ++i) {
    if (t.family[i] != -1) {
      EXPECT_EQ(families_of_cluster[r.cluster[i]].size(), 1u) << t.texts[i];
    } else {
      EXPECT_EQ(size[r.cluster[i]], 1) << "unrelated prompt joined something: " << t.texts[i];
      EXPECT_EQ(r.cluster[i], fps[i]) << "a singleton's id is its own fingerprint";
    }
  }
  EXPECT_EQ(r.num_clusters, 3u + 23u);
  EXPECT_EQ(r.largest_cluster, 12u);
}

TEST(PromptClusters, LshMatchesTheAllPairsReferenceOnPlantedData) {
  const Templates t = PlantedTemplates();
  const auto fps = t.Fingerprints();
  const PromptSketches sk = t.Sketches();
  for (double threshold : {0.5, 0.6, 0.7}) {
    const PromptClusterOptions o{.threshold = threshold};
    const PromptClusterResult lsh = ClusterPrompts(fps, sk, {}, o);
    const PromptClusterResult reference = ClusterPromptsAllPairs(fps, sk, {}, o);
    EXPECT_EQ(lsh.cluster, reference.cluster) << "threshold " << threshold;
    EXPECT_LE(lsh.verified_pairs, reference.verified_pairs);
  }
}

// On random data LSH may miss pairs the reference joins, but never joins
// anything the reference does not: each LSH cluster lies inside one
// reference cluster.
TEST(PromptClusters, LshClustersRefineTheReference) {
  std::mt19937_64 rng(2024);
  Templates t;
  for (int i = 0; i < 400; ++i) {
    std::string s = "base";
    s += std::to_string(rng() % 6);
    for (int w = 0; w < 12; ++w) {
      s += " w";
      s += std::to_string(rng() % 30);
    }
    t.Add(s, -1);
  }
  const auto fps = t.Fingerprints();
  const PromptSketches sk = t.Sketches({.num_hashes = 32});
  for (double threshold : {0.2, 0.4, 0.6}) {
    const PromptClusterOptions o{.bands = 8, .threshold = threshold};
    const PromptClusterResult lsh = ClusterPrompts(fps, sk, {}, o);
    const PromptClusterResult reference = ClusterPromptsAllPairs(fps, sk, {}, o);
    std::map<std::uint64_t, std::uint64_t> reference_of_lsh;
    for (std::size_t i = 0; i < fps.size(); ++i) {
      auto [it, inserted] = reference_of_lsh.emplace(lsh.cluster[i], reference.cluster[i]);
      EXPECT_EQ(it->second, reference.cluster[i]) << "LSH joined what the reference keeps apart";
    }
    EXPECT_GE(lsh.num_clusters, reference.num_clusters);
    // Many near-threshold pairs and concurrent unions: still one partition.
    for (int threads : {2, 4}) {
      PromptClusterOptions parallel = o;
      parallel.threads = threads;
      EXPECT_EQ(ClusterPrompts(fps, sk, {}, parallel).cluster, lsh.cluster) << threads;
    }
  }
}

TEST(PromptClusters, IdIsTheSmallestFingerprintOfTheCluster) {
  const Templates t = PlantedTemplates();
  const auto fps = t.Fingerprints();
  const PromptClusterResult r = ClusterPrompts(fps, t.Sketches());
  std::map<std::uint64_t, std::uint64_t> smallest;
  for (std::size_t i = 0; i < fps.size(); ++i) {
    auto [it, inserted] = smallest.emplace(r.cluster[i], fps[i]);
    if (!inserted) it->second = std::min(it->second, fps[i]);
  }
  for (const auto& [id, min_fp] : smallest) EXPECT_EQ(id, min_fp);
}

TEST(PromptClusters, ResultsDoNotDependOnThreadsOrInputOrder) {
  const Templates t = PlantedTemplates();
  const auto fps = t.Fingerprints();
  const PromptSketches sk = t.Sketches();
  const PromptClusterResult one = ClusterPrompts(fps, sk, {}, {.threads = 1});
  for (int threads : {2, 3, 16}) {
    EXPECT_EQ(ClusterPrompts(fps, sk, {}, {.threads = threads}).cluster, one.cluster) << threads;
  }
  // Reversed input: the same id for every fingerprint (no group is capped here).
  Templates reversed;
  for (std::size_t i = t.texts.size(); i-- > 0;) reversed.Add(t.texts[i], t.family[i]);
  const PromptClusterResult back = ClusterPrompts(reversed.Fingerprints(), reversed.Sketches());
  for (std::size_t i = 0; i < t.texts.size(); ++i) {
    EXPECT_EQ(back.cluster[t.texts.size() - 1 - i], one.cluster[i]);
  }
}

TEST(PromptClusters, LaterTemplatesJoinExistingClustersAndIdsStayStable) {
  const Templates all = PlantedTemplates();
  // Run 1 sees every other template of family 0 and none of family 2.
  Templates first;
  for (std::size_t i = 0; i < all.texts.size(); ++i) {
    if ((all.family[i] == 0 && i % 2 == 1) || all.family[i] == 2) continue;
    first.Add(all.texts[i], all.family[i]);
  }
  const auto first_fps = first.Fingerprints();
  const PromptClusterResult r1 = ClusterPrompts(first_fps, first.Sketches());
  std::vector<PreviousPromptCluster> previous;
  std::map<std::string, std::uint64_t> id_of_text;
  for (std::size_t i = 0; i < first_fps.size(); ++i) {
    previous.push_back({first_fps[i], r1.cluster[i]});
    id_of_text[first.texts[i]] = r1.cluster[i];
  }
  // Run 2 sees everything. The new family-0 members have smaller
  // fingerprints than some old ones, but the old id must survive.
  const auto fps = all.Fingerprints();
  const PromptClusterResult r2 = ClusterPrompts(fps, all.Sketches(), previous);
  std::uint64_t family0_id = 0;
  for (std::size_t i = 0; i < all.texts.size(); ++i) {
    auto old = id_of_text.find(all.texts[i]);
    if (old != id_of_text.end()) {
      EXPECT_EQ(r2.cluster[i], old->second) << all.texts[i];
    }
    if (all.family[i] == 0) family0_id = r2.cluster[i];
  }
  for (std::size_t i = 0; i < all.texts.size(); ++i) {
    if (all.family[i] == 0) {
      EXPECT_EQ(r2.cluster[i], family0_id);
    }
  }
  // Family 2 is new: its id is its smallest fingerprint.
  std::uint64_t smallest = std::numeric_limits<std::uint64_t>::max();
  for (std::size_t i = 0; i < all.texts.size(); ++i) {
    if (all.family[i] == 2) smallest = std::min(smallest, fps[i]);
  }
  for (std::size_t i = 0; i < all.texts.size(); ++i) {
    if (all.family[i] == 2) {
      EXPECT_EQ(r2.cluster[i], smallest);
    }
  }
  EXPECT_EQ(r2.kept_previous_ids, r1.num_clusters);
}

TEST(PromptClusters, MergedOldClustersKeepTheSmallerIdAndNeverSplit) {
  const Templates t = PlantedTemplates();
  const auto fps = t.Fingerprints();
  // A previous run (say, at another threshold) put a family-0 template and an
  // unrelated prompt together, and had family 1 as two clusters.
  const std::size_t a = 0, unrelated = t.texts.size() - 1;
  std::vector<PreviousPromptCluster> previous = {{fps[a], 500}, {fps[unrelated], 500}};
  std::vector<std::size_t> family1;
  for (std::size_t i = 0; i < fps.size(); ++i) {
    if (t.family[i] == 1) family1.push_back(i);
  }
  previous.push_back({fps[family1[0]], 900});
  previous.push_back({fps[family1[1]], 700});
  previous.push_back({fps[family1[1]], 700});  // a repeated row is harmless
  const PromptClusterResult r = ClusterPrompts(fps, t.Sketches(), previous);
  EXPECT_EQ(r.cluster[a], 500u);
  EXPECT_EQ(r.cluster[unrelated], 500u) << "an old cluster never splits";
  for (std::size_t i : family1) EXPECT_EQ(r.cluster[i], 700u) << "900 and 700 merged";
  for (std::size_t i = 0; i < fps.size(); ++i) {
    if (t.family[i] == 0) {
      EXPECT_EQ(r.cluster[i], 500u);
    }
  }
  // Rows for fingerprints that are not in the input are ignored.
  previous.push_back({12345, 1});
  EXPECT_EQ(ClusterPrompts(fps, t.Sketches(), previous).cluster, r.cluster);
  // The reference applies the same rules.
  EXPECT_EQ(ClusterPromptsAllPairs(fps, t.Sketches(), previous).cluster, r.cluster);
}

TEST(PromptClusters, DuplicateFingerprintsAndEmptySketchesAreHandled) {
  Templates t;
  t.Add("", -1);
  t.Add("", -1);
  t.Add("hello there, general kenobi", -1);
  t.Add("hello there, general kenobi", -1);
  t.Add("completely different words here", -1);
  const auto fps = t.Fingerprints();
  const PromptSketches sk = t.Sketches();
  EXPECT_TRUE(IsEmptySketch(sk.row(0)));
  const PromptClusterResult r = ClusterPrompts(fps, sk, {}, {.threshold = 0.0});
  EXPECT_EQ(r.cluster[0], r.cluster[1]);  // equal fingerprints
  EXPECT_EQ(r.cluster[2], r.cluster[3]);
  EXPECT_NE(r.cluster[0], r.cluster[2]) << "empty sketches join nothing, even at threshold 0";
  EXPECT_EQ(r.cluster[0], fps[0]);
  // An empty input is fine.
  const PromptClusterResult none = ClusterPrompts({}, PromptSketches{.options = {}, .values = {}});
  EXPECT_TRUE(none.cluster.empty());
  EXPECT_EQ(none.num_clusters, 0u);
}

// A boilerplate preamble sent with many different questions: every pair is
// similar, the band groups are huge, and the capped groups keep the work
// linear while still producing one cluster.
TEST(PromptClusters, BoilerplateWithVariedQuestionsIsOneClusterAtBoundedCost) {
  const std::string preamble =
      "answer the following questions as best you can. you have access to the following tools:"
      "\n\nsearch: useful for when you need to answer questions about current events\ncalculator: "
      "useful for when you need to answer questions about math\n\nuse the following format:\n\n"
      "question: the input question you must answer\nthought: you should always think about what "
      "to do\naction: the action to take, should be one of [search, calculator]\naction input: "
      "the input to the action\nobservation: the result of the action\n... (this thought/action/"
      "action input/observation can repeat n times)\nthought: i now know the final answer\nfinal "
      "answer: the final answer to the original input question\n\nbegin!\n\nquestion: ";
  Templates t;
  for (int i = 0; i < 3000; ++i) {
    t.Add(preamble + "what is " + kTopics[static_cast<std::size_t>(i) % kTopics.size()] +
              " and why does it matter for " + kItems[static_cast<std::size_t>(i / 10) % kItems.size()] +
              " (case " + std::to_string(i) + ")?\nthought:",
          0);
  }
  const auto fps = t.Fingerprints();
  const PromptClusterOptions o{};
  const PromptClusterResult r = ClusterPrompts(fps, t.Sketches(), {}, o);
  EXPECT_EQ(r.num_clusters, 1u);
  EXPECT_GT(r.capped_groups, 0u);
  EXPECT_GT(r.largest_group, o.all_pairs_bucket);
  // Never more than window checks per member per band, far below n^2 / 2.
  EXPECT_LE(r.verified_pairs, fps.size() * static_cast<std::size_t>(o.bands) * o.bucket_window);
  EXPECT_LT(r.verified_pairs, fps.size() * 4);
  EXPECT_EQ(ClusterPrompts(fps, t.Sketches(), {}, {.threads = 1}).cluster, r.cluster);
}

TEST(PromptClusters, InvalidInputsAreRejected) {
  const Templates t = PlantedTemplates();
  const auto fps = t.Fingerprints();
  const PromptSketches sk = t.Sketches();
  const std::vector<std::uint64_t> fewer(fps.begin(), fps.end() - 1);
  EXPECT_THROW(ClusterPrompts(fewer, sk), std::invalid_argument);
  EXPECT_THROW(ClusterPrompts(fps, sk, {}, {.bands = 5}), std::invalid_argument);
  EXPECT_THROW(ClusterPrompts(fps, sk, {}, {.bands = 0}), std::invalid_argument);
  EXPECT_THROW(ClusterPrompts(fps, sk, {}, {.threshold = 1.5}), std::invalid_argument);
  EXPECT_THROW(ClusterPrompts(fps, sk, {}, {.threshold = -0.1}), std::invalid_argument);
  EXPECT_THROW(ClusterPrompts(fps, sk, {}, {.threshold = std::nan("")}), std::invalid_argument);
  EXPECT_THROW(ClusterPrompts(fps, sk, {}, {.all_pairs_bucket = 0}), std::invalid_argument);
  EXPECT_THROW(ClusterPrompts(fps, sk, {}, {.bucket_window = 0}), std::invalid_argument);
  EXPECT_THROW(ClusterPrompts(fps, sk, {}, {.threads = 0}), std::invalid_argument);
  const std::vector<PreviousPromptCluster> conflicting = {{fps[0], 1}, {fps[0], 2}};
  try {
    ClusterPrompts(fps, sk, conflicting);
    FAIL() << "expected a throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("two clusters"), std::string::npos) << e.what();
  }
  // bands = K and bands = 1 are both valid (rows 1 and 64, the latter hashed).
  EXPECT_NO_THROW(ClusterPrompts(fps, sk, {}, {.bands = 64}));
  EXPECT_NO_THROW(ClusterPrompts(fps, sk, {}, {.bands = 1}));
}

TEST(PromptClusters, BandsOfManyRowsStillFindIdenticalSketches) {
  Templates t;
  for (int i = 0; i < 20; ++i) t.Add("identical text but distinct fingerprints", -1);
  std::vector<std::uint64_t> fps;
  for (std::uint64_t i = 0; i < 20; ++i) fps.push_back(1000 - i);
  const PromptClusterResult r = ClusterPrompts(fps, t.Sketches(), {}, {.bands = 2});  // 32 rows
  EXPECT_EQ(r.num_clusters, 1u);
  EXPECT_EQ(r.cluster[0], 981u);
}

}  // namespace
}  // namespace ringscope
