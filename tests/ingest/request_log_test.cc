// The parallel request-log reader against a slow reference: every line read
// as a file of its own, the one-row batches merged in file order.
#include "ingest/request_log.h"

#include <gtest/gtest.h>
#include <zstd.h>

#include <random>
#include <string>
#include <thread>
#include <vector>

#include "ingest/normalize.h"
#include "test_util.h"

namespace ringscope {
namespace {

using testing::TempDir;

// A log of `lines` lines over a few blocks: shared IPs, devices and prompt
// templates, arrays, nulls, unknown keys, blank lines, bad rows of every kind
// and an over-long line.
std::vector<std::string> MakeLog(std::size_t lines, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto pick = [&](std::size_t n) { return static_cast<int>(rng() % n); };
  std::vector<std::string> out;
  for (std::size_t i = 0; i < lines; ++i) {
    const int shape = pick(100);
    if (shape == 0) {
      out.push_back(pick(2) ? "" : "  \t");
      continue;
    }
    if (shape == 1) {
      const char* bad[] = {"{\"account\":\"x\"", "[1,2]", "{\"ip\":\"1.2.3.4\"}",
                           "{\"account\":\"a1\",\"ts\":\"yesterday\"}",
                           "{\"account\":\"a2\",\"ip\":\"999.1.1.1\"}",
                           "{\"account\":\"a3\",\"ip\":{\"x\":1}}", "{\"account\":\"a4\"} junk",
                           "{\"account\":\"a5\",\"device\":\"\xff\"}"};
      out.push_back(bad[pick(8)]);
      continue;
    }
    std::string line = "{\"account\":\"acct_" + std::to_string(pick(60)) + "\"";
    if (pick(10) > 0) line += ",\"ts\":" + std::to_string(1769900000 + pick(100000));
    line += ",\"ip\":\"10.0." + std::to_string(pick(4)) + "." + std::to_string(pick(50)) + "\"";
    if (pick(4) == 0) line += ",\"ip\":[\"10.0.9.1\",\"2001:db8::" + std::to_string(pick(9)) + "\"]";
    if (pick(3) > 0) line += ",\"device\":\"fp_" + std::to_string(pick(40)) + "\"";
    if (pick(5) == 0) line += ",\"email\":null,\"tier\":\"gold\"";
    const char* templates[] = {"Solve %d + %d step by step", "Translate %d words into Dutch",
                               "Write a poem about the number %d and %d"};
    std::string prompt = templates[pick(3)];
    prompt.replace(prompt.find("%d"), 2, std::to_string(pick(1000)));
    if (auto at = prompt.find("%d"); at != std::string::npos) prompt.replace(at, 2, "7");
    prompt += std::string(static_cast<std::size_t>(pick(2000)), pick(2) ? 'x' : ' ');
    line += ",\"prompt\":\"" + prompt + "\"";
    if (pick(7) == 0) line += ",\"prompt\":[\"Other prompt " + std::to_string(pick(5)) + "\"]";
    line += "}";
    if (pick(20) == 0) line += "\r";
    out.push_back(line);
  }
  out[5] = "{\"account\":\"big\",\"prompt\":\"" + std::string(6000, 'p') + "\"}";  // too long
  return out;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

// The reference: one file per line, each read alone, merged in file order.
SourceBatch ReferenceBatch(const std::vector<std::string>& lines, IngestOptions options,
                           const TempDir& dir) {
  options.threads = 1;
  BatchBuilder merged;
  SourceInfo& info = merged.batch().source;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const SourceBatch one = ReadSource(dir.Write("line.jsonl", lines[i] + "\n"), options);
    const auto line = static_cast<std::int64_t>(i) + 1;
    for (const RejectRecord& r : one.rejects) merged.Reject(line, r.field, r.reason, r.raw);
    for (const auto& [key, times] : one.skipped_fields) merged.SkipField(key, times);
    info.rows_read += one.source.rows_read;
    info.rows_ingested += one.source.rows_ingested;
    info.rows_rejected += one.source.rows_rejected;
    if (one.source.rows_ingested == 0) continue;
    const AccountAggregate& row = one.accounts.at(0);
    const std::uint32_t account = merged.Account(row.name);
    merged.CountRequest(account, row.first_ts);
    for (const ObservationAggregate& o : one.observations) {
      const Signal& signal = one.values[o.value];
      const std::uint32_t value = merged.Value(signal.kind, signal.value);
      for (std::size_t t = 0; t < one.prompt_templates.size(); ++t) {
        if (one.prompt_templates.entry(t).value == o.value) {
          merged.KeepPromptTemplate(value, one.prompt_templates.text(t));
        }
      }
      for (std::int64_t k = 0; k < o.count; ++k) {
        if (signal.kind == "prompt" && k == 0) {
          std::string text;
          for (const PromptExample& e : one.prompt_examples) text = e.text;  // one text per row
          merged.ObservePrompt(account, value, row.first_ts, text);
        } else {
          merged.Observe(account, value, row.first_ts);
        }
      }
    }
  }
  return merged.Take();
}

void ExpectSameBatch(const SourceBatch& a, const SourceBatch& b) {
  EXPECT_EQ(a.source.rows_read, b.source.rows_read);
  EXPECT_EQ(a.source.rows_ingested, b.source.rows_ingested);
  EXPECT_EQ(a.source.rows_rejected, b.source.rows_rejected);
  ASSERT_EQ(a.accounts.size(), b.accounts.size());
  for (std::size_t i = 0; i < a.accounts.size(); ++i) {
    EXPECT_EQ(a.accounts[i].name, b.accounts[i].name) << i;
    EXPECT_EQ(a.accounts[i].requests, b.accounts[i].requests) << i;
    EXPECT_EQ(a.accounts[i].first_ts, b.accounts[i].first_ts) << i;
    EXPECT_EQ(a.accounts[i].last_ts, b.accounts[i].last_ts) << i;
  }
  ASSERT_EQ(a.values.size(), b.values.size());
  for (std::size_t i = 0; i < a.values.size(); ++i) {
    EXPECT_EQ(a.values[i].kind, b.values[i].kind) << i;
    EXPECT_EQ(a.values[i].value, b.values[i].value) << i;
  }
  ASSERT_EQ(a.observations.size(), b.observations.size());
  for (std::size_t i = 0; i < a.observations.size(); ++i) {
    const ObservationAggregate& x = a.observations[i];
    const ObservationAggregate& y = b.observations[i];
    EXPECT_EQ(std::tie(x.account, x.value, x.count, x.first_ts, x.last_ts),
              std::tie(y.account, y.value, y.count, y.first_ts, y.last_ts))
        << i;
  }
  ASSERT_EQ(a.prompt_examples.size(), b.prompt_examples.size());
  for (std::size_t i = 0; i < a.prompt_examples.size(); ++i) {
    const PromptExample& x = a.prompt_examples[i];
    const PromptExample& y = b.prompt_examples[i];
    EXPECT_EQ(std::tie(x.value, x.account, x.text), std::tie(y.value, y.account, y.text)) << i;
  }
  ASSERT_EQ(a.rejects.size(), b.rejects.size());
  for (std::size_t i = 0; i < a.rejects.size(); ++i) {
    const RejectRecord& x = a.rejects[i];
    const RejectRecord& y = b.rejects[i];
    EXPECT_EQ(std::tie(x.line, x.field, x.reason, x.raw), std::tie(y.line, y.field, y.reason, y.raw))
        << i;
  }
  EXPECT_EQ(a.skipped_fields, b.skipped_fields);
  ASSERT_EQ(a.prompt_templates.size(), b.prompt_templates.size());
  for (std::size_t i = 0; i < a.prompt_templates.size(); ++i) {
    EXPECT_EQ(a.prompt_templates.entry(i).value, b.prompt_templates.entry(i).value) << i;
    EXPECT_EQ(a.prompt_templates.text(i), b.prompt_templates.text(i)) << i;
  }
}

// Every prompt value of `batch` has exactly one template, the one its
// fingerprint was made from.
void ExpectOneTemplatePerPromptValue(const SourceBatch& batch) {
  std::vector<int> templates(batch.values.size(), 0);
  for (std::size_t i = 0; i < batch.prompt_templates.size(); ++i) {
    const std::uint32_t value = batch.prompt_templates.entry(i).value;
    ASSERT_LT(value, batch.values.size());
    ++templates[value];
    EXPECT_EQ(batch.values[value].kind, "prompt");
    EXPECT_EQ(batch.values[value].value, PromptFingerprint(batch.prompt_templates.text(i)));
  }
  for (std::size_t v = 0; v < batch.values.size(); ++v) {
    EXPECT_EQ(templates[v], batch.values[v].kind == "prompt" ? 1 : 0) << batch.values[v].value;
  }
}

TEST(ReadRequestLog, ParallelReadingEqualsReadingLineByLine) {
  TempDir dir;
  const std::vector<std::string> lines = MakeLog(3300, 1);
  const std::string text = Join(lines);
  ASSERT_GT(text.size(), 3u << 20) << "the log must span several blocks";
  const std::string path = dir.Write("log.jsonl", text);
  IngestOptions options;
  options.max_line_bytes = 4000;
  const SourceBatch expected = ReferenceBatch(lines, options, dir);
  ASSERT_GT(expected.rejects.size(), 20u);
  ASSERT_GT(expected.prompt_examples.size(), 100u);
  for (int threads : {1, 2, 3, 8}) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    options.threads = threads;
    const SourceBatch batch = ReadSource(path, options);
    ExpectSameBatch(batch, expected);
    ExpectOneTemplatePerPromptValue(batch);
    EXPECT_EQ(batch.source.size, static_cast<std::int64_t>(text.size()));
  }
}

TEST(ReadRequestLog, EachPromptTemplateIsKeptOnceWhateverTheThreads) {
  TempDir dir;
  // 1000 rows share one prompt template (numbers and spacing vary), across
  // blocks, with a few other templates between them.
  std::vector<std::string> lines;
  for (int i = 0; i < 1000; ++i) {
    lines.push_back("{\"account\":\"a" + std::to_string(i % 37) + "\",\"prompt\":\"Solve " +
                    std::to_string(i) + " +  7 Step By Step " + std::string(3000, 'x') + "\"}");
    if (i % 100 == 0) {
      lines.push_back("{\"account\":\"b\",\"prompt\":[\"Other " + std::string(1, 'a' + i / 100) +
                      "\",\"\\u3000\"]}");
    }
  }
  const std::string path = dir.Write("shared.jsonl", Join(lines));
  for (int threads : {1, 2, 3}) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    IngestOptions options;
    options.threads = threads;
    const SourceBatch batch = ReadSource(path, options);
    ExpectOneTemplatePerPromptValue(batch);
    ASSERT_EQ(batch.prompt_templates.size(), 11u);
    EXPECT_EQ(batch.prompt_templates.text(0), "solve # + # step by step " + std::string(3000, 'x'));
    EXPECT_EQ(batch.prompt_templates.text(1), "other a");
  }
}

TEST(ReadRequestLog, CompressedInputGivesTheSameBatch) {
  TempDir dir;
  const std::string text = Join(MakeLog(3000, 2));
  std::string packed(ZSTD_compressBound(text.size()), '\0');
  packed.resize(ZSTD_compress(packed.data(), packed.size(), text.data(), text.size(), 1));
  const SourceBatch plain = ReadSource(dir.Write("log.jsonl", text), {});
  const SourceBatch zstd = ReadSource(dir.Write("log.jsonl.zst", packed), {});
  ExpectSameBatch(zstd, plain);
  EXPECT_EQ(zstd.source.size, static_cast<std::int64_t>(packed.size()));
}

TEST(ReadRequestLog, StrictModeStopsAtTheFilesFirstBadRowWhateverTheBlock) {
  TempDir dir;
  std::vector<std::string> lines(9000, "{\"account\":\"a\",\"prompt\":\"" + std::string(400, 'q') + "\"}");
  lines[6000] = "{\"account\":\"b\",\"ip\":\"nope\"}";
  lines[8500] = "not json";
  const std::string path = dir.Write("strict.jsonl", Join(lines));
  IngestOptions options;
  options.strict = true;
  for (int threads : {1, 2, 4}) {
    options.threads = threads;
    try {
      ReadSource(path, options);
      FAIL() << "expected StrictModeError";
    } catch (const StrictModeError& e) {
      EXPECT_EQ(e.line(), 6001);
      EXPECT_NE(std::string(e.what()).find("field 'ip'"), std::string::npos) << e.what();
    }
  }
}

TEST(ReadRequestLog, ReportsProgressOnTheCallingThreadUpToTheFileSize) {
  TempDir dir;
  const std::string text = Join(MakeLog(4000, 3));
  const std::string path = dir.Write("p.jsonl", text);
  IngestOptions options;
  const auto caller = std::this_thread::get_id();
  std::vector<std::int64_t> done;
  options.progress = [&](std::int64_t bytes, std::int64_t total) {
    EXPECT_EQ(std::this_thread::get_id(), caller);
    EXPECT_EQ(total, static_cast<std::int64_t>(text.size()));
    done.push_back(bytes);
  };
  ReadSource(path, options);
  ASSERT_GE(done.size(), 2u);
  EXPECT_TRUE(std::is_sorted(done.begin(), done.end()));
  EXPECT_EQ(done.back(), static_cast<std::int64_t>(text.size()));
}

TEST(ReadRequestLog, AByteOrderMarkIsDroppedOnTheFirstLineOnly) {
  TempDir dir;
  const std::string path =
      dir.Write("bom.jsonl", "\xEF\xBB\xBF{\"account\":\"a\"}\n\xEF\xBB\xBF{\"account\":\"b\"}\n");
  const SourceBatch batch = ReadSource(path, {});
  EXPECT_EQ(batch.source.rows_ingested, 1);
  ASSERT_EQ(batch.rejects.size(), 1u);
  EXPECT_EQ(batch.rejects[0].line, 2);
}

}  // namespace
}  // namespace ringscope
