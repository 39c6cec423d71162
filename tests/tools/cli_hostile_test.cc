// Hostile input, end to end: ids and values built to inject SQL, break CSV or
// run spreadsheet formulas; control characters, invalid UTF-8, megabyte
// fields, 10,000-level nesting and decompression bombs. Whatever comes in,
// ingest never crashes, keeps memory bounded, stores ids verbatim or rejects
// the row with a reason, and every CSV export quotes and neutralises cells so
// that ingest's own CSV parser gives the ids back (tests/fixtures/hostile).
#include <gtest/gtest.h>
#include <simdjson.h>
#include <zlib.h>
#include <zstd.h>

#include <set>

#include "db/sqlite.h"
#include "ingest/csv.h"
#include "test_util.h"
#include "tools/cli_csv.h"

namespace ringscope {
namespace {

using testing::RunCommand;
using testing::RunResult;
using testing::TempDir;

std::string Hostile(const std::string& name) {
  return std::string(RINGSCOPE_FIXTURES_DIR) + "/hostile/" + name;
}

// The account ids of tests/fixtures/hostile/requests.jsonl, decoded.
const std::vector<std::string>& RequestLogIds() {
  static const std::vector<std::string> ids = {
      "acct'; DROP TABLE accounts; --",
      "q\"uote,comma",
      "=HYPERLINK(\"http://evil.example\",\"x\")",
      "-cmd|' /C calc'!A0",
      "@SUM(1+1)",
      "+acct",
      "'quoted",
      "line\nbreak\r\tand\abell\x1b[31m",
      std::string("nul\0inside", 10),
      "acct_unicode_\xE5\xAD\x97_\xF0\x9F\x99\x82",
  };
  return ids;
}

class HostileCli : public ::testing::Test {
 protected:
  RunResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_});
    return RunCommand(RINGSCOPE_BINARY, args, dir_);
  }
  simdjson::dom::element Json(const std::string& text) {
    texts_.push_back(text);
    simdjson::dom::element doc;
    EXPECT_FALSE(parser_.parse(texts_.back()).get(doc)) << text.substr(0, 500);
    return doc;
  }
  // Parses a CSV file with ingest's parser; each record's cells recovered.
  static std::vector<std::vector<std::string>> ReadExportedCsv(const std::string& path) {
    const std::string text = testing::ReadFile(path);
    std::vector<std::vector<std::string>> records;
    CsvRecordParser parser;
    std::size_t start = 0;
    for (std::int64_t line = 1; start < text.size(); ++line) {
      std::size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      auto status = parser.Feed(std::string_view(text).substr(start, end - start), line);
      EXPECT_NE(status, CsvRecordParser::Status::kError) << parser.error();
      if (status == CsvRecordParser::Status::kRecord) {
        records.emplace_back();
        for (const std::string& cell : parser.fields()) {
          const char c = cell.empty() ? 'x' : cell.front();
          EXPECT_TRUE(c != '=' && c != '@' && c != '\t' && c != '\r' &&
                      ((c != '+' && c != '-') || cell.find_first_not_of("+-.0123456789") ==
                                                     std::string::npos))
              << "formula start in exported cell: " << cell;
          records.back().push_back(RecoverCsvCell(cell));
        }
      }
      start = end + 1;
    }
    return records;
  }

  TempDir dir_;
  std::string db_ = dir_.File("test.db");
  simdjson::dom::parser parser_;
  std::vector<std::string> texts_;
};

TEST_F(HostileCli, IdsAreStoredVerbatimAndNothingIsInjected) {
  RunResult r = Run({"ingest", "--summary", "json", Hostile("requests.jsonl"),
                     Hostile("signals.csv")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(std::int64_t(Json(r.out)["rows_rejected"]), 0) << r.out;
  Database db(db_, {.mode = OpenMode::kReadOnly});
  Statement tables(db, "SELECT count(*) FROM sqlite_master WHERE name IN "
                       "('accounts', 'observations', 'prompt_examples')");
  ASSERT_TRUE(tables.Step());
  EXPECT_EQ(tables.ColumnInt64(0), 3);
  Statement count(db, "SELECT count(*) FROM accounts");
  ASSERT_TRUE(count.Step());
  EXPECT_EQ(count.ColumnInt64(0), 11);  // ten from the log, "=1+2" from the table
  Statement find(db, "SELECT id FROM accounts WHERE name = ?1");
  for (const std::string& id : RequestLogIds()) {
    find.Reset();
    find.Bind(1, id);
    EXPECT_TRUE(find.Step()) << "not stored verbatim: " << id;
  }
  Statement value(db, "SELECT count(*) FROM signal_values WHERE value = ?1");
  value.Bind(1, "'); DELETE FROM observations; --");
  ASSERT_TRUE(value.Step());
  EXPECT_EQ(value.ColumnInt64(0), 1);
}

TEST_F(HostileCli, CsvExportsNeutraliseFormulasAndRoundTripThroughTheParser) {
  ASSERT_EQ(Run({"ingest", Hostile("requests.jsonl")}).exit_code, 0);
  ASSERT_EQ(Run({"analyze", "--algorithm", "components"}).exit_code, 0);
  const std::string clusters = dir_.File("clusters.csv"), edges = dir_.File("edges.csv");
  ASSERT_EQ(Run({"export", "clusters", "-o", clusters}).exit_code, 0);
  ASSERT_EQ(Run({"export", "edges", "-o", edges}).exit_code, 0);
  std::set<std::string> exported;
  auto records = ReadExportedCsv(clusters);
  ASSERT_FALSE(records.empty());
  EXPECT_EQ(records[0], (std::vector<std::string>{"account", "cluster", "cluster_size", "score"}));
  for (std::size_t i = 1; i < records.size(); ++i) exported.insert(records[i][0]);
  EXPECT_EQ(exported, std::set<std::string>(RequestLogIds().begin(), RequestLogIds().end()));
  std::set<std::string> linked;
  for (const auto& row : ReadExportedCsv(edges)) linked.insert(row.begin(), row.begin() + 2);
  for (const std::string& id : RequestLogIds()) EXPECT_TRUE(linked.count(id)) << id;
  // Listings in CSV follow the same rule.
  RunResult listing = Run({"rejects", "--format", "csv"});
  EXPECT_EQ(listing.exit_code, 0) << listing.err;
}

TEST_F(HostileCli, MalformedAndHugeRowsAreRejectedOrIngestedNeverFatal) {
  const std::string nested = std::string(10000, '[') + std::string(10000, ']');
  const std::string lines[] = {
      R"({"account":"ok1","device":"d"})",
      "{\"account\":\"bad\xff\xfe utf8\",\"device\":\"d\"}",
      "{\"account\":\"deep\",\"device\":" + nested + "}",
      "{\"account\":\"deep_unknown\",\"x\":" + nested + "}",
      nested,
      "{\"account\":\"big_prompt\",\"prompt\":\"" + std::string(1000000, 'a') + "\"}",
      "{\"account\":\"big_device\",\"device\":\"" + std::string(1000000, 'd') + "\"}",
      "{\"account\":\"huge\",\"device\":\"" + std::string(2 << 20, 'd') + "\"}",
      "{\"account\":\"ctl\\u0001\\u001f\",\"device\":\"a\\tb\\u2028\"}",
      std::string("{\"account\":\"raw") + '\0' + "nul\",\"device\":\"d\"}",
      R"({"account":"surrogate\ud800","device":"d"})",
      R"({"account":"")" + std::string(300, 'x') + R"(","device":"d"})",
      "{\"account\":\"trunc",
  };
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  const std::string path = dir_.Write("hostile.jsonl", text);
  RunResult r = Run({"ingest", "--summary", "json", path});
  ASSERT_EQ(r.exit_code, 0) << r.err.substr(0, 2000);
  simdjson::dom::element summary = Json(r.out);
  const std::int64_t rows = std::size(lines);
  EXPECT_EQ(std::int64_t(summary["rows_read"]), rows);
  EXPECT_EQ(std::int64_t(summary["rows_ingested"]) + std::int64_t(summary["rows_rejected"]), rows);
  EXPECT_LT(std::int64_t(summary["peak_rss_bytes"]), std::int64_t{512} << 20);
  // Every reject says why; the ones whose fate is certain are checked.
  RunResult list = Run({"rejects", "--format", "json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  std::map<std::int64_t, std::string> reason_of;
  for (simdjson::dom::element row : Json(list.out).get_array()) {
    EXPECT_FALSE(std::string_view(row["reason"]).empty());
    reason_of[std::int64_t(row["line"])] = std::string(std::string_view(row["reason"]));
  }
  EXPECT_EQ(reason_of.count(1), 0u);
  EXPECT_NE(reason_of[2].find("UTF-8"), std::string::npos) << reason_of[2];
  EXPECT_TRUE(reason_of.count(5)) << "a top-level array is no request";
  EXPECT_EQ(reason_of.count(6), 0u) << "a 1 MB prompt fits the line limit";
  EXPECT_NE(reason_of[7].find("longer than 4096"), std::string::npos) << reason_of[7];
  EXPECT_NE(reason_of[8].find("line longer than"), std::string::npos) << reason_of[8];
  EXPECT_EQ(reason_of.count(9), 0u) << "escaped control characters are text";
  EXPECT_TRUE(reason_of.count(12)) << "account ids are bounded";
  EXPECT_TRUE(reason_of.count(13));
  Database db(db_, {.mode = OpenMode::kReadOnly});
  Statement ctl(db, "SELECT count(*) FROM accounts WHERE name = ?1");
  ctl.Bind(1, "ctl\x01\x1f");
  ASSERT_TRUE(ctl.Step());
  EXPECT_EQ(ctl.ColumnInt64(0), 1);
  Statement examples(db, "SELECT max(length(text)) FROM prompt_examples");
  ASSERT_TRUE(examples.Step());
  EXPECT_LE(examples.ColumnInt64(0), 1000);
}

// 1 GiB of zeros as .zst (about 32 KiB) and 256 MiB as .gz: one endless line,
// read in bounded memory and rejected as over-long.
TEST_F(HostileCli, DecompressionBombsAreReadInBoundedMemoryAndRejected) {
  const std::string zeros(1 << 20, '\0');
  const std::string zst_path = dir_.File("bomb.jsonl.zst");
  {
    ZSTD_CCtx* cctx = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 1);
    std::string out, buffer(ZSTD_CStreamOutSize(), '\0');
    for (int i = 0; i <= 1024; ++i) {
      const bool last = i == 1024;
      ZSTD_inBuffer in{zeros.data(), last ? 0 : zeros.size(), 0};
      bool done = false;
      while (!done) {
        ZSTD_outBuffer o{buffer.data(), buffer.size(), 0};
        const std::size_t left =
            ZSTD_compressStream2(cctx, &o, &in, last ? ZSTD_e_end : ZSTD_e_continue);
        ASSERT_FALSE(ZSTD_isError(left));
        out.append(buffer.data(), o.pos);
        done = last ? left == 0 : in.pos == in.size;
      }
    }
    ZSTD_freeCCtx(cctx);
    ASSERT_LT(out.size(), 1u << 20);
    dir_.Write("bomb.jsonl.zst", out);
  }
  const std::string gz_path = dir_.File("bomb.jsonl.gz");
  gzFile gz = gzopen(gz_path.c_str(), "wb1");
  for (int i = 0; i < 256; ++i) gzwrite(gz, zeros.data(), static_cast<unsigned>(zeros.size()));
  gzclose(gz);
  // Far below the bomb's 1 GiB; AddressSanitizer's shadow memory and
  // quarantine add about 300 MB to the same ingest.
#if defined(__SANITIZE_ADDRESS__)
  constexpr std::int64_t kBombPeakBound = std::int64_t{640} << 20;
#else
  constexpr std::int64_t kBombPeakBound = std::int64_t{256} << 20;
#endif
  for (const std::string& path : {zst_path, gz_path}) {
    RunResult r = Run({"ingest", "--summary", "json", path});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    simdjson::dom::element summary = Json(r.out);
    EXPECT_EQ(std::int64_t(summary["rows_read"]), 1) << path;
    EXPECT_EQ(std::int64_t(summary["rows_rejected"]), 1) << path;
    EXPECT_LT(std::int64_t(summary["peak_rss_bytes"]), kBombPeakBound) << path;
  }
  RunResult list = Run({"rejects", "--format", "json"});
  EXPECT_NE(list.out.find("line longer than"), std::string::npos) << list.out.substr(0, 500);
}

TEST_F(HostileCli, TerminalEscapesInKeysAndValuesAreNeverPrinted) {
  const std::string path = dir_.Write(
      "esc.jsonl",
      "{\"account\":\"a\",\"\\u001b[2J\":\"x\"}\n"
      "{\"account\":\"b\",\"ts\":\"\\u001b]0;pwned\\u0007\"}\n");
  RunResult r = Run({"ingest", path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << r.out;
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("\\x1b[2J"), std::string::npos) << r.out;
  RunResult table = Run({"rejects"});
  EXPECT_EQ(table.out.find('\x1b'), std::string::npos) << table.out;
}

}  // namespace
}  // namespace ringscope
