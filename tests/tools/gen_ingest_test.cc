// Generated worlds are valid input: every file `ringscope gen` writes ingests
// with zero rejects, and the counts in the database match what gen wrote.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>

#include "test_util.h"

namespace ringscope {
namespace {

using testing::RunCommand;
using testing::TempDir;

std::int64_t CountLines(const std::string& path) {
  std::string text = testing::ReadFile(path);
  return std::count(text.begin(), text.end(), '\n');
}

class GenIngest : public ::testing::TestWithParam<std::vector<std::string>> {};

TEST_P(GenIngest, EveryGeneratedRowIsIngestedWithoutRejects) {
  TempDir dir;
  std::string out = dir.File("world"), db = dir.File("w.db");
  std::vector<std::string> gen = {"gen", "--preset", "tiny", "--seed", "3", "--out", out};
  for (const std::string& extra : GetParam()) gen.push_back(extra);
  auto generated = RunCommand(RINGSCOPE_BINARY, gen, dir);
  ASSERT_EQ(generated.exit_code, 0) << generated.err;
  bool zstd = std::find(gen.begin(), gen.end(), "--zstd") != gen.end();
  std::string requests = out + (zstd ? "/requests.jsonl.zst" : "/requests.jsonl");
  auto ingested = RunCommand(RINGSCOPE_BINARY,
                             {"--db", db, "ingest", "--no-progress", "--summary", "json", requests,
                              out + "/signals.csv", out + "/accounts.csv"},
                             dir);
  ASSERT_EQ(ingested.exit_code, 0) << ingested.err;
  // Gen writes only declared kinds: ingest skips no field.
  EXPECT_NE(ingested.out.find("\"skipped_fields\":{}"), std::string::npos) << ingested.out;
  auto stats = RunCommand(RINGSCOPE_BINARY, {"--db", db, "stats", "--format", "json"}, dir);
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  simdjson::dom::parser parser;
  simdjson::dom::element s;
  ASSERT_FALSE(parser.parse(stats.out).get(s)) << stats.out;
  EXPECT_EQ(std::int64_t(s["rows_rejected"]), 0);
  EXPECT_EQ(std::int64_t(s["rows_read"]), std::int64_t(s["rows_ingested"]));
  // Every data line of the three files is a row (headers excluded).
  std::int64_t expected = CountLines(out + "/signals.csv") - 1 + CountLines(out + "/accounts.csv") - 1;
  if (!zstd) expected += CountLines(requests);
  if (!zstd) EXPECT_EQ(std::int64_t(s["rows_read"]), expected);
  // Every account of the account table is in the database.
  EXPECT_EQ(std::int64_t(s["accounts"]), CountLines(out + "/accounts.csv") - 1);
}

INSTANTIATE_TEST_SUITE_P(PlainAndZstd, GenIngest,
                         ::testing::Values(std::vector<std::string>{},
                                           std::vector<std::string>{"--zstd"}));

}  // namespace
}  // namespace ringscope
