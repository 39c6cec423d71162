#include "algorithms/minhash.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ringscope {
namespace {

std::vector<SketchValue> Sketch(std::string_view text, const MinHashOptions& o = {}) {
  std::vector<SketchValue> out(static_cast<std::size_t>(o.num_hashes));
  SketchTemplate(text, o, out);
  return out;
}

double Estimate(std::string_view a, std::string_view b, const MinHashOptions& o = {}) {
  return EstimateJaccard(Sketch(a, o), Sketch(b, o));
}

double Exact(std::string_view a, std::string_view b, const MinHashOptions& o = {}) {
  return ExactJaccard(ShingleHashes(a, o), ShingleHashes(b, o));
}

// Texts that exercise every path: ASCII, masked templates, CJK, emoji with
// modifiers and joiners, combining marks, invalid and truncated UTF-8, very
// short and empty texts, and a long one.
std::vector<std::string> VariedTexts() {
  std::vector<std::string> texts = {
      "",
      "a",
      "hi",
      "say this is a test",
      "you are an expert tutor. think step by step and show your reasoning before the final "
      "answer. problem: a train travels # km in # hours. what is its average speed?",
      "请一步一步地思考，并在给出最终答案之前展示你的推理过程。问题：火车在#小时内行驶#公里。",
      "量子計算について簡単に説明してください。",
      "great job 👍🏽 thanks ❤️ 👨‍👩‍👧 family",
      "cafe\xcc\x81 na\xc3\xafve re\xcc\x81sume\xcc\x81",
      "broken \xff\xfe bytes \xe4\xb8 truncated \xf0\x9f",
      "\xcc\x81 leading mark",
      "...!!! ??? ,,,",
      "snake_case and #-masked v# numbers",
  };
  std::string long_text;
  for (int i = 0; i < 2000; ++i) long_text += "sentence number # about topic " + std::to_string(i % 37) + ". ";
  texts.push_back(long_text);
  return texts;
}

std::vector<MinHashOptions> VariedOptions() {
  return {{},
          {.num_hashes = 8},
          {.num_hashes = 128, .seed = 42},
          {.num_hashes = 1024, .shingle_size = 1},
          {.num_hashes = 64, .shingle_size = 8},
          {.num_hashes = 64, .shingles = ShingleKind::kWords, .shingle_size = 1},
          {.num_hashes = 64, .shingles = ShingleKind::kWords, .shingle_size = 2, .seed = 7},
          {.num_hashes = 32, .shingles = ShingleKind::kWords, .shingle_size = 4}};
}

TEST(MinHash, FusedSketchMatchesTheSketchOfItsShingleHashes) {
  for (const MinHashOptions& o : VariedOptions()) {
    for (const std::string& text : VariedTexts()) {
      std::vector<SketchValue> fused(static_cast<std::size_t>(o.num_hashes));
      std::vector<SketchValue> slow(fused.size());
      const bool fused_nonempty = SketchTemplate(text, o, fused);
      const bool slow_nonempty = SketchFromShingleHashes(ShingleHashes(text, o), o, slow);
      EXPECT_EQ(fused_nonempty, slow_nonempty) << text;
      EXPECT_EQ(fused, slow) << "K=" << o.num_hashes << " size=" << o.shingle_size << " text=" << text;
    }
  }
}

TEST(MinHash, EveryBinOfANonEmptySketchHoldsAValue) {
  for (const MinHashOptions& o : VariedOptions()) {
    for (const std::string& text : VariedTexts()) {
      const std::vector<SketchValue> s = Sketch(text, o);
      if (IsEmptySketch(s)) continue;
      for (SketchValue v : s) EXPECT_NE(v, kEmptyBin) << text;
    }
  }
}

TEST(MinHash, EmptyTextHasAnEmptySketchSimilarToNothing) {
  const std::vector<SketchValue> empty = Sketch("");
  EXPECT_TRUE(IsEmptySketch(empty));
  for (SketchValue v : empty) EXPECT_EQ(v, kEmptyBin);
  EXPECT_EQ(EstimateJaccard(empty, empty), 0.0);
  EXPECT_EQ(EstimateJaccard(empty, Sketch("hello")), 0.0);
  std::vector<SketchValue> out(64);
  EXPECT_FALSE(SketchTemplate("", {}, out));
  // Word shingles of punctuation only: no tokens, so no shingles.
  const MinHashOptions words{.shingles = ShingleKind::kWords, .shingle_size = 2};
  EXPECT_TRUE(ShingleHashes("...!!! ???", words).empty());
  EXPECT_TRUE(IsEmptySketch(Sketch("...!!! ???", words)));
}

TEST(MinHash, ShortTextsAreOneShingle) {
  EXPECT_EQ(ShingleHashes("hi", {}).size(), 1u);  // 2 bytes < 7
  EXPECT_EQ(ShingleHashes("abcdefg", {}).size(), 1u);
  EXPECT_EQ(ShingleHashes("abcdefgh", {}).size(), 2u);
  EXPECT_EQ(ShingleHashes("abcdefghij", {.shingle_size = 3}).size(), 8u);
  const MinHashOptions bigrams{.shingles = ShingleKind::kWords, .shingle_size = 2};
  EXPECT_EQ(ShingleHashes("one", bigrams).size(), 1u);
  EXPECT_EQ(ShingleHashes("one two three", bigrams).size(), 2u);
  // A short text is not the same shingle as a longer one that starts with it.
  EXPECT_EQ(Estimate("hi", "hi"), 1.0);
  EXPECT_LT(Estimate("hi", "hi there"), 0.5);
}

TEST(MinHash, IdenticalTextsHaveSimilarityOne) {
  for (const std::string& text : VariedTexts()) {
    if (text.empty()) continue;
    EXPECT_EQ(Estimate(text, text), 1.0) << text;
  }
}

// Random texts over a small vocabulary with a planted overlap: the estimate
// must track the exact Jaccard within a few standard errors (K = 256).
TEST(MinHash, EstimateTracksExactJaccard) {
  std::mt19937_64 rng(12345);
  const MinHashOptions o{.num_hashes = 256};
  double total_error = 0;
  int pairs = 0;
  for (int trial = 0; trial < 200; ++trial) {
    std::string shared, a, b;
    const int shared_words = static_cast<int>(rng() % 60);
    auto add_word = [&](std::string& to, char prefix) {
      to += prefix;
      to += std::to_string(rng() % 100000);
      to += ' ';
    };
    for (int w = 0; w < shared_words; ++w) add_word(shared, 'w');
    a = shared;
    b = shared;
    for (int w = 0, extra = static_cast<int>(rng() % 40); w < extra; ++w) {
      add_word(a, 'a');
      add_word(b, 'b');
    }
    if (a.empty() || b.empty()) continue;
    const double exact = Exact(a, b, o);
    const double estimate = Estimate(a, b, o);
    const double sigma = std::sqrt(std::max(exact * (1 - exact), 0.01) / o.num_hashes);
    EXPECT_NEAR(estimate, exact, 5 * sigma) << "trial " << trial;
    total_error += std::fabs(estimate - exact);
    ++pairs;
  }
  EXPECT_LT(total_error / pairs, 0.03);
}

// The issue's example: a fixed chain-of-thought preamble, slots with varied
// topics, names and numbers (numbers are already '#' in templates).
std::vector<std::string> SlotVariedFamily() {
  const std::vector<std::string> names = {"alice", "bob", "chen wei", "fatima", "oluwaseun"};
  const std::vector<std::string> items = {"apples", "train tickets", "chemistry books", "stamps",
                                          "shares of a tech company"};
  std::vector<std::string> family;
  for (std::size_t i = 0; i < names.size(); ++i) {
    family.push_back(
        "you are an expert tutor. think step by step and show your reasoning before the final "
        "answer.\n\nproblem: " + names[i] + " has # " + items[i] + " and buys # more at $# each. "
        "how many " + items[i] + " does " + names[i] + " have now, and what was spent?\n\n"
        "end with a line of the form 'final answer: ...'.");
  }
  return family;
}

std::vector<std::string> UnrelatedPrompts() {
  return {"how do i reverse a linked list in python?",
          "write a polite email to my landlord about a broken heater",
          "plan a #-day trip to lisbon on a budget",
          "what are the main themes of pride and prejudice?",
          "explain photosynthesis to a ten year old",
          "give me a recipe for lasagna that uses spinach",
          "summarize the causes of the first world war in # bullet points",
          "what is the difference between a stock and a bond?",
          // Same topic as the family, different text.
          "can you help me with my math homework about buying apples?",
          "i bought # apples and ate #, how many are left"};
}

TEST(MinHash, SlotVariedTemplatesAreSimilar) {
  const auto family = SlotVariedFamily();
  for (std::size_t a = 0; a < family.size(); ++a) {
    for (std::size_t b = a + 1; b < family.size(); ++b) {
      EXPECT_GE(Exact(family[a], family[b]), 0.6) << a << " " << b;
      EXPECT_GE(Estimate(family[a], family[b]), 0.5) << a << " " << b;
    }
  }
}

TEST(MinHash, UnrelatedPromptsAreNotSimilar) {
  const auto family = SlotVariedFamily();
  const auto unrelated = UnrelatedPrompts();
  for (std::size_t a = 0; a < unrelated.size(); ++a) {
    for (std::size_t b = a + 1; b < unrelated.size(); ++b) {
      EXPECT_LT(Estimate(unrelated[a], unrelated[b]), 0.3) << unrelated[a] << " | " << unrelated[b];
    }
    for (const std::string& f : family) EXPECT_LT(Estimate(unrelated[a], f), 0.3) << unrelated[a];
  }
}

TEST(MinHash, CjkSlotVariantsAreSimilarAndOtherCjkTextIsNot) {
  const std::string preamble = "请一步一步地思考，并在给出最终答案之前展示你的推理过程。问题：";
  const std::string a = preamble + "火车在#小时内行驶#公里，它的平均速度是多少？";
  const std::string b = preamble + "汽车在#小时内行驶#公里，它的平均速度是多少？";
  const std::string other = "量子計算について簡単に説明してください。初心者向けにお願いします。";
  EXPECT_GE(Estimate(a, b), 0.6);
  EXPECT_LT(Estimate(a, other), 0.1);
  const MinHashOptions words{.shingles = ShingleKind::kWords, .shingle_size = 2};
  EXPECT_GE(Estimate(a, b, words), 0.6);
  EXPECT_LT(Estimate(a, other, words), 0.1);
}

TEST(MinHash, WordTokensFollowTheDocumentedRules) {
  const MinHashOptions unigrams{.shingles = ShingleKind::kWords, .shingle_size = 1};
  auto tokens = [&](std::string_view s) { return ShingleHashes(s, unigrams); };
  // ASCII punctuation and spaces separate and are dropped.
  EXPECT_EQ(tokens("hello, world!"), tokens("hello world"));
  // CJK ideographs and kana are one token each, with or without spaces.
  EXPECT_EQ(tokens("中文字"), tokens("中 文 字"));
  EXPECT_EQ(tokens("中文字").size(), 3u);
  // CJK punctuation separates.
  EXPECT_EQ(tokens("你好。世界"), tokens("你好 世界"));
  // An emoji is a token; a skin-tone modifier or variation selector stays with it.
  EXPECT_EQ(tokens("ok👍🏽go").size(), 3u);
  EXPECT_NE(tokens("👍🏽"), tokens("👍"));
  EXPECT_EQ(tokens("❤️").size(), 1u);
  // A combining mark stays in its word; no normalisation, so NFD != NFC.
  EXPECT_EQ(tokens("cafe\xcc\x81 bar").size(), 2u);
  EXPECT_NE(tokens("cafe\xcc\x81"), tokens("caf\xc3\xa9"));
  // Latin-1 punctuation separates; letters with diacritics are word content.
  EXPECT_EQ(tokens("\xc2\xbf" "donde"), tokens("donde"));
  EXPECT_EQ(tokens("na\xc3\xafve").size(), 1u);
  // Invalid bytes are word content, never an error.
  EXPECT_EQ(tokens("a\xff" "b c").size(), 2u);
  EXPECT_EQ(tokens("\xe4\xb8").size(), 1u);  // truncated sequence
}

TEST(MinHash, CombiningMarksAndEmojiAreHandledAsBytes) {
  const std::string a = "re\xcc\x81sume\xcc\x81 of a cafe\xcc\x81 owner 👩🏽‍🍳 with # years";
  const std::string b = "re\xcc\x81sume\xcc\x81 of a cafe\xcc\x81 owner 👨🏻‍🍳 with # years";
  EXPECT_GE(Estimate(a, b), 0.5);
  EXPECT_EQ(Estimate(a, a), 1.0);
}

TEST(MinHash, VeryLongPromptsSketchAndCompare) {
  std::string base;
  for (int i = 0; i < 20000; ++i) base += "paragraph " + std::to_string(i) + " of a pasted document. ";
  std::string edited = base;
  edited.replace(edited.size() / 2, 40, "an inserted sentence that was not there!!");
  EXPECT_GT(base.size(), 500000u);
  EXPECT_GE(Estimate(base, edited), 0.9);
  EXPECT_LT(Estimate(base, "paragraph # of a pasted document."), 0.05);
}

TEST(MinHash, SketchesAreDeterministicAndSeedDependent) {
  const std::string text = SlotVariedFamily()[0];
  EXPECT_EQ(Sketch(text), Sketch(text));
  EXPECT_NE(Sketch(text, {.seed = 1}), Sketch(text, {.seed = 2}));
  // Golden values: sketches are stored (as BLOBs) and compared across runs,
  // so a change of hashing must be a deliberate format change, not a drift.
  EXPECT_EQ(Sketch("say this is a test", {.num_hashes = 8}),
            (std::vector<SketchValue>{12759, 24888, 12759, 64464, 39037, 2173, 2173, 39037}));
  EXPECT_EQ(Sketch("say this is a test",
                   {.num_hashes = 8, .shingles = ShingleKind::kWords, .shingle_size = 2}),
            (std::vector<SketchValue>{8063, 8063, 8063, 406, 406, 8063, 8063, 406}));
}

TEST(MinHash, BatchSketchesDoNotDependOnThreads) {
  const std::vector<std::string> varied = VariedTexts();
  std::vector<std::string> texts;
  for (std::size_t i = 0; i < 5000; ++i) {
    texts.push_back(varied[i % varied.size()]);
    texts.back() += " #";
    texts.back() += std::to_string(i);
  }
  std::vector<std::string_view> views(texts.begin(), texts.end());
  const PromptSketches one = SketchTemplates(views, {}, {.threads = 1});
  const PromptSketches two = SketchTemplates(views, {}, {.threads = 2});
  const PromptSketches five = SketchTemplates(views, {}, {.threads = 5});
  ASSERT_EQ(one.size(), texts.size());
  EXPECT_EQ(one.values, two.values);
  EXPECT_EQ(one.values, five.values);
  for (std::size_t i = 0; i < texts.size(); i += 499) {
    const std::vector<SketchValue> row(one.row(i).begin(), one.row(i).end());
    EXPECT_EQ(row, Sketch(texts[i]));
  }
  EXPECT_EQ(SketchTemplates({}, {}).size(), 0u);
  EXPECT_THROW(SketchTemplates(views, {}, {.threads = 0}), std::invalid_argument);
}

TEST(MinHash, InvalidOptionsAreRejected) {
  std::vector<SketchValue> out(64);
  EXPECT_THROW(SketchTemplate("x", {.num_hashes = 48}, out), std::invalid_argument);
  EXPECT_THROW(SketchTemplate("x", {.num_hashes = 4}, out), std::invalid_argument);
  EXPECT_THROW(SketchTemplate("x", {.num_hashes = 2048}, out), std::invalid_argument);
  EXPECT_THROW(SketchTemplate("x", {.shingle_size = 0}, out), std::invalid_argument);
  EXPECT_THROW(SketchTemplate("x", {.shingle_size = 9}, out), std::invalid_argument);
  EXPECT_THROW(SketchTemplate("x", {.shingles = ShingleKind::kWords, .shingle_size = 5}, out),
               std::invalid_argument);
  EXPECT_THROW(SketchTemplate("x", {.shingles = static_cast<ShingleKind>(7)}, out),
               std::invalid_argument);
  EXPECT_THROW(SketchTemplate("x", {.num_hashes = 128}, out), std::invalid_argument);  // size
  try {
    ValidateMinHashOptions({.num_hashes = 48});
    FAIL() << "expected a throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("got 48"), std::string::npos) << e.what();
  }
  std::vector<SketchValue> small(8);
  EXPECT_THROW(EstimateJaccard(out, small), std::invalid_argument);
}

TEST(MinHash, SerialisedSketchRoundTripsWithADocumentedLayout) {
  const MinHashOptions o{.num_hashes = 8, .shingles = ShingleKind::kCharacters, .shingle_size = 7,
                         .seed = 0x0102030405060708ULL};
  const std::vector<SketchValue> s = Sketch("say this is a test", o);
  const std::vector<std::uint8_t> bytes = SerializeSketch(s, o);
  ASSERT_EQ(bytes.size(), 12u + 16u);
  EXPECT_EQ(bytes[0], 1);  // version
  EXPECT_EQ(bytes[1], 1);  // kCharacters
  EXPECT_EQ(bytes[2], 7);
  EXPECT_EQ(bytes[3], 3);  // log2(8)
  EXPECT_EQ(bytes[4], 0x08);  // seed, little-endian
  EXPECT_EQ(bytes[11], 0x01);
  EXPECT_EQ(bytes[12], s[0] & 0xFF);
  EXPECT_EQ(bytes[13], s[0] >> 8);
  const DeserializedSketch d = DeserializeSketch(bytes);
  EXPECT_EQ(d.values, s);
  EXPECT_EQ(d.options.num_hashes, 8);
  EXPECT_EQ(d.options.shingles, ShingleKind::kCharacters);
  EXPECT_EQ(d.options.shingle_size, 7);
  EXPECT_EQ(d.options.seed, o.seed);
  // The default options round-trip too, and an empty sketch stays empty.
  const std::vector<SketchValue> e = Sketch("");
  EXPECT_TRUE(IsEmptySketch(DeserializeSketch(SerializeSketch(e, {})).values));
}

TEST(MinHash, MalformedSketchBytesAreRejected) {
  const std::vector<std::uint8_t> good = SerializeSketch(Sketch("abc def ghi"), {});
  auto with = [&](std::size_t at, std::uint8_t value) {
    std::vector<std::uint8_t> b = good;
    b[at] = value;
    return b;
  };
  EXPECT_THROW(DeserializeSketch(std::vector<std::uint8_t>{}), std::invalid_argument);
  EXPECT_THROW(DeserializeSketch(std::vector<std::uint8_t>(good.begin(), good.end() - 1)),
               std::invalid_argument);
  std::vector<std::uint8_t> longer = good;
  longer.push_back(0);
  EXPECT_THROW(DeserializeSketch(longer), std::invalid_argument);
  EXPECT_THROW(DeserializeSketch(with(0, 2)), std::invalid_argument);   // version
  EXPECT_THROW(DeserializeSketch(with(1, 9)), std::invalid_argument);   // kind
  EXPECT_THROW(DeserializeSketch(with(2, 0)), std::invalid_argument);   // shingle size
  EXPECT_THROW(DeserializeSketch(with(3, 40)), std::invalid_argument);  // log2(K)
  EXPECT_THROW(DeserializeSketch(with(3, 7)), std::invalid_argument);   // K = 128: wrong length
  try {
    DeserializeSketch(with(0, 9));
    FAIL() << "expected a throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("version 9"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ringscope
