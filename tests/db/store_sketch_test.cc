// Prompt sketches written by CommitSource: one per prompt fingerprint and
// database, made from the full template with the options the database is
// bound to (settings 'prompt_sketch').
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>
#include <string>
#include <vector>

#include "db/settings.h"
#include "db/store.h"
#include "ingest/ingest.h"
#include "ingest/prompt_sketch.h"
#include "test_util.h"

namespace ringscope {
namespace {

using testing::TempDir;

// prompt fingerprint -> stored sketch bytes.
std::map<std::string, std::vector<std::uint8_t>> StoredSketches(Store& store) {
  std::map<std::string, std::vector<std::uint8_t>> out;
  Statement select(store.db(),
                   "SELECT v.value, s.sketch FROM prompt_sketches s "
                   "JOIN signal_values v ON v.id = s.value_id");
  while (select.Step()) {
    const auto blob = select.ColumnBlob(1);
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(blob.data());
    out[select.ColumnText(0)] = std::vector<std::uint8_t>(bytes, bytes + blob.size());
  }
  return out;
}

std::int64_t Count(Store& store, const std::string& sql) {
  Statement count(store.db(), sql);
  return count.Step() ? count.ColumnInt64(0) : -1;
}

std::int64_t PromptValues(Store& store) {
  return Count(store,
               "SELECT count(*) FROM signal_values v JOIN kinds k ON k.id = v.kind_id "
               "WHERE k.name = 'prompt'");
}

std::vector<std::uint8_t> ExpectedBlob(std::string_view raw_prompt, const MinHashOptions& o = {}) {
  std::vector<SketchValue> sketch(static_cast<std::size_t>(o.num_hashes));
  SketchTemplate(PromptTemplate(raw_prompt), o, sketch);
  return SketchBlob(sketch);
}

std::string Line(const std::string& account, const std::string& prompt) {
  return "{\"account\":\"" + account + "\",\"ip\":\"10.0.0.1\",\"prompt\":\"" + prompt + "\"}\n";
}

// A log of `rows` rows over `templates` templates (numbers vary, so the raw
// prompts differ while the templates repeat).
std::string Log(int rows, int templates, const std::string& topic) {
  std::string text;
  for (int i = 0; i < rows; ++i) {
    text += Line("acct_" + std::to_string(i % 50),
                 "Explain " + topic + " number " + std::to_string(i) + " to a class of " +
                     std::to_string(i % 30) + " pupils, variant " +
                     std::string(static_cast<std::size_t>(i % templates + 1), 'v'));
  }
  return text;
}

void Ingest(Store& store, const std::string& path, int threads = 0) {
  IngestOptions options;
  options.threads = threads;
  store.CommitSource(ReadSource(path, options));
}

TEST(StoreSketches, EveryPromptValueGetsTheSketchOfItsFullTemplate) {
  TempDir dir;
  const std::string long_prompt = "Describe " + std::string(1500, 'w') + " in 12 words";  // > example size
  const std::string path = dir.Write("r.jsonl", Log(300, 7, "gravity") + Line("z", long_prompt));
  Store store = Store::Open(":memory:");
  EXPECT_FALSE(store.PromptSketchOptions().has_value());
  Ingest(store, path);
  const auto sketches = StoredSketches(store);
  EXPECT_EQ(static_cast<std::int64_t>(sketches.size()), PromptValues(store));
  EXPECT_EQ(sketches.size(), 8u);
  const std::string fingerprint = PromptFingerprint(PromptTemplate(long_prompt));
  ASSERT_TRUE(sketches.count(fingerprint));
  EXPECT_EQ(sketches.at(fingerprint), ExpectedBlob(long_prompt));
  EXPECT_EQ(sketches.at(fingerprint).size(), 128u);  // 64 bins of 16 bits
  const std::string first = "Explain gravity number 0 to a class of 0 pupils, variant v";
  EXPECT_EQ(sketches.at(PromptFingerprint(PromptTemplate(first))), ExpectedBlob(first));
  EXPECT_EQ(ReadSetting(store.db(), "prompt_sketch"),
            R"({"num_hashes":64,"shingles":"characters","shingle_size":7,"seed":0})");
  ASSERT_TRUE(store.PromptSketchOptions().has_value());
  EXPECT_EQ(store.PromptSketchOptions()->num_hashes, 64);
}

TEST(StoreSketches, AThousandRowsOfOneTemplateMakeOneSketch) {
  TempDir dir;
  const std::string path = dir.Write("r.jsonl", Log(1000, 1, "tides"));
  Store store = Store::Open(":memory:");
  IngestOptions options;
  const SourceBatch batch = ReadSource(path, options);
  EXPECT_EQ(batch.prompt_templates.size(), 1u);
  store.CommitSource(batch);
  EXPECT_EQ(Count(store, "SELECT count(*) FROM prompt_sketches"), 1);
  EXPECT_EQ(PromptValues(store), 1);
}

TEST(StoreSketches, KnownFingerprintsAreNotSketchedAgain) {
  TempDir dir;
  Store store = Store::Open(":memory:");
  Ingest(store, dir.Write("a.jsonl", Log(200, 5, "rain")));
  ASSERT_EQ(Count(store, "SELECT count(*) FROM prompt_sketches"), 5);
  // Mark the stored sketches: a sketch made again would overwrite or collide.
  store.db().Exec("UPDATE prompt_sketches SET sketch = x'00'");
  // Another file (other sha256) with the same templates and one new one.
  Ingest(store, dir.Write("b.jsonl", Log(150, 5, "rain") + Line("q", "A new prompt")));
  EXPECT_EQ(Count(store, "SELECT count(*) FROM sources"), 2);
  EXPECT_EQ(Count(store, "SELECT count(*) FROM prompt_sketches"), 6);
  EXPECT_EQ(Count(store, "SELECT count(*) FROM prompt_sketches WHERE sketch = x'00'"), 5);
  EXPECT_EQ(StoredSketches(store).at(PromptFingerprint("a new prompt")),
            ExpectedBlob("A new prompt"));
  EXPECT_EQ(static_cast<std::int64_t>(StoredSketches(store).size()), PromptValues(store));
}

TEST(StoreSketches, SignalTablePromptsAreSketchedToo) {
  TempDir dir;
  Store store = Store::Open(":memory:");
  Ingest(store, dir.Write("s.csv",
                          "account,kind,value\n"
                          "a1,prompt,Write 3 haikus about cats\n"
                          "a2,prompt,Write 4 haikus about cats\n"
                          "a3,email,a@b.org\n"));
  const auto sketches = StoredSketches(store);
  ASSERT_EQ(sketches.size(), 1u);
  EXPECT_EQ(sketches.begin()->second, ExpectedBlob("Write 3 haikus about cats"));
}

TEST(StoreSketches, TheOptionsOfTheFirstSketchesBindTheDatabase) {
  TempDir dir;
  const std::string db = dir.File("bound.db");
  const MinHashOptions custom{.num_hashes = 32, .shingle_size = 5, .seed = 9};
  {
    Store store = Store::Open(db, {.prompt_sketch = custom});
    Ingest(store, dir.Write("a.jsonl", Log(50, 2, "snow")));
  }
  // Reopened with the defaults: the stored options still rule.
  Store store = Store::Open(db);
  Ingest(store, dir.Write("b.jsonl", Line("n", "Brand new 7 prompt")));
  const auto sketches = StoredSketches(store);
  ASSERT_EQ(sketches.size(), 3u);
  EXPECT_EQ(sketches.at(PromptFingerprint("brand new # prompt")),
            ExpectedBlob("Brand new 7 prompt", custom));
  for (const auto& [fingerprint, blob] : sketches) EXPECT_EQ(blob.size(), 64u) << fingerprint;
  EXPECT_EQ(store.PromptSketchOptions()->seed, 9u);

  // A setting written by hand is honoured the same way.
  Store other = Store::Open(":memory:");
  WriteSetting(other.db(), "prompt_sketch",
               R"({"num_hashes":16,"shingles":"words","shingle_size":2,"seed":3})");
  Ingest(other, dir.Write("c.jsonl", Line("n", "Brand new 7 prompt")));
  EXPECT_EQ(StoredSketches(other).at(PromptFingerprint("brand new # prompt")),
            ExpectedBlob("Brand new 7 prompt", {.num_hashes = 16,
                                                .shingles = ShingleKind::kWords,
                                                .shingle_size = 2,
                                                .seed = 3}));
}

TEST(StoreSketches, AnUnreadableSettingRefusesTheWholeSource) {
  TempDir dir;
  Store store = Store::Open(":memory:");
  WriteSetting(store.db(), "prompt_sketch", R"({"num_hashes":64})");
  const SourceBatch batch = ReadSource(dir.Write("a.jsonl", Log(20, 2, "fog")), {});
  try {
    store.CommitSource(batch);
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("prompt_sketch"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("missing field 'shingles'"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(Count(store, "SELECT count(*) FROM sources"), 0);
  EXPECT_EQ(Count(store, "SELECT count(*) FROM signal_values"), 0);
  EXPECT_THROW(store.PromptSketchOptions(), StoreError);
}

TEST(StoreSketches, SameSketchesForAnyNumberOfThreads) {
  TempDir dir;
  std::string text = Log(4000, 300, "wind");
  // 2000 more templates, ~600 bytes each (digits are masked: spell i in letters).
  for (int i = 0; i < 2000; ++i) {
    std::string word;
    for (int n = i; n > 0 || word.empty(); n /= 26) word += static_cast<char>('a' + n % 26);
    text += Line("b" + std::to_string(i % 90), std::string(600, static_cast<char>('a' + i % 26)) +
                                                   " word " + word);
  }
  const std::string path = dir.Write("w.jsonl", text);
  std::map<std::string, std::vector<std::uint8_t>> reference;
  for (int threads : {1, 2, 3}) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    Store store = Store::Open(":memory:", {.sketch_threads = threads});
    Ingest(store, path, threads);
    const auto sketches = StoredSketches(store);
    EXPECT_EQ(static_cast<std::int64_t>(sketches.size()), PromptValues(store));
    if (threads == 1) {
      reference = sketches;
      EXPECT_GT(reference.size(), 2000u);
    } else {
      EXPECT_TRUE(sketches == reference);
    }
    EXPECT_EQ(Count(store, "SELECT count(*) FROM prompt_sketches s JOIN signal_values v ON "
                           "v.id = s.value_id JOIN kinds k ON k.id = v.kind_id WHERE k.name <> 'prompt'"),
              0);
  }
}

TEST(StoreSketches, ATemplateThatIsNotItsValuesIsRefused) {
  SourceBatch batch;
  batch.source.sha256 = "abc";
  batch.accounts.push_back({.name = "a"});
  batch.values.push_back({.kind = "prompt", .value = PromptFingerprint("one")});
  batch.values.push_back({.kind = "device", .value = "d"});
  batch.prompt_templates.Add(0, "two");
  Store store = Store::Open(":memory:");
  EXPECT_THROW(store.CommitSource(batch), std::invalid_argument);
  batch.prompt_templates.clear();
  batch.prompt_templates.Add(1, "d");
  EXPECT_THROW(store.CommitSource(batch), std::invalid_argument);
  batch.prompt_templates.clear();
  batch.prompt_templates.Add(0, "one");
  store.CommitSource(batch);
  EXPECT_EQ(Count(store, "SELECT count(*) FROM prompt_sketches"), 1);
}

}  // namespace
}  // namespace ringscope
