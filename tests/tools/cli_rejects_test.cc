// End-to-end tests of `ringscope rejects`: listing the refused rows, and
// writing the raw rows of one source back out as a file that, once fixed,
// ingests.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "test_util.h"

namespace ringscope {
namespace {

using testing::RunCommand;
using testing::RunResult;
using testing::TempDir;

std::string Fixture(const std::string& name) {
  return std::string(RINGSCOPE_FIXTURES_DIR) + "/ingest/" + name;
}

class RejectsCli : public ::testing::Test {
 protected:
  RunResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_});
    return RunCommand(RINGSCOPE_BINARY, args, dir_);
  }
  // `rejects --format json ...`, parsed.
  simdjson::dom::array List(std::vector<std::string> args = {}) {
    args.insert(args.begin(), {"rejects", "--format", "json"});
    RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    text_ = r.out;
    simdjson::dom::array rows;
    EXPECT_FALSE(parser_.parse(text_).get(rows)) << r.out;
    return rows;
  }

  TempDir dir_;
  std::string db_ = dir_.File("test.db");
  simdjson::dom::parser parser_;
  std::string text_;
};

TEST_F(RejectsCli, ListsEveryRejectWithWhereAndWhy) {
  ASSERT_EQ(Run({"ingest", Fixture("bad.jsonl")}).exit_code, 0);
  simdjson::dom::array rows = List();
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(std::int64_t(rows.at(0)["line"]), 2);
  EXPECT_EQ(std::string_view(rows.at(0)["field"]), "ip");
  EXPECT_EQ(std::string_view(rows.at(0)["path"]), Fixture("bad.jsonl"));
  EXPECT_EQ(std::string_view(rows.at(0)["truncated"]), "no");
  EXPECT_EQ(std::string_view(rows.at(0)["raw"]), R"({"account":"acct_bad_ip","ip":"300.1.1.1"})");
  EXPECT_EQ(List({"--reason", "timestamp"}).size(), 1u);
  EXPECT_EQ(List({"--reason", "100%_"}).size(), 0u);  // LIKE wildcards are matched literally
  EXPECT_EQ(List({"--source", "1"}).size(), 4u);
  RunResult table = Run({"rejects"});
  EXPECT_NE(table.out.find("malformed JSON"), std::string::npos) << table.out;
  EXPECT_EQ(Run({"rejects", "--source", "9"}).exit_code, 1);
}

TEST_F(RejectsCli, ExportedJsonlRowsFixedIngestAgain) {
  ASSERT_EQ(Run({"ingest", Fixture("bad.jsonl")}).exit_code, 0);
  const std::string fix = dir_.File("fix.jsonl");
  RunResult r = Run({"rejects", "--source", Fixture("bad.jsonl"), "-o", fix});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string original = testing::ReadFile(Fixture("bad.jsonl"));
  const std::string exported = testing::ReadFile(fix);
  EXPECT_EQ(exported, original.substr(original.find('\n') + 1));  // lines 2-5, verbatim
  dir_.Write("fixed.jsonl",
             "{\"account\":\"acct_bad_ip\",\"ip\":\"30.1.1.1\"}\n"
             "{\"account\":\"acct_ok2\",\"ts\":\"2026-02-01T00:00:00Z\"}\n");
  RunResult again = Run({"ingest", "--summary", "json", dir_.File("fixed.jsonl")});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("\"rows_rejected\":0"), std::string::npos) << again.out;
}

TEST_F(RejectsCli, CsvExportStartsWithTheOriginalHeaderElseTheFormats) {
  const std::string csv = dir_.Write(
      "signals.csv", "kind,account,value\nip,a1,300.1.1.1\nip,a2,\"1.2.3.4\nip,a3,1.1.1.1\n");
  ASSERT_EQ(Run({"ingest", csv}).exit_code, 0);
  const std::string fix = dir_.File("fix.csv");
  ASSERT_EQ(Run({"rejects", "-o", fix}).exit_code, 0);
  // The second bad row is a quoted field running to the end of the file.
  EXPECT_EQ(testing::ReadFile(fix),
            "kind,account,value\nip,a1,300.1.1.1\nip,a2,\"1.2.3.4\nip,a3,1.1.1.1\n");
  std::filesystem::remove(csv);
  RunResult r = Run({"rejects", "-o", fix});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("does not store CSV headers"), std::string::npos) << r.err;
  EXPECT_EQ(testing::ReadFile(fix).substr(0, 18), "account,kind,value");
}

TEST_F(RejectsCli, TruncatedRowsAreMarkedAndLeftOutOfTheExport) {
  const std::string long_device(5000, 'd');
  const std::string log =
      dir_.Write("long.jsonl", "{\"account\":\"a\",\"device\":\"" + long_device +
                                   "\"}\n{\"ip\":\"1.2.3.4\"}\n");
  ASSERT_EQ(Run({"ingest", log}).exit_code, 0);
  simdjson::dom::array rows = List();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(std::string_view(rows.at(0)["truncated"]), "yes");
  EXPECT_EQ(std::string_view(rows.at(0)["raw"]).size(), 4096u);
  EXPECT_EQ(std::string_view(rows.at(1)["truncated"]), "no");
  // While the original file is unchanged, the whole row is taken from it.
  const std::string fix = dir_.File("fix.jsonl");
  RunResult whole = Run({"rejects", "-o", fix});
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  EXPECT_EQ(testing::ReadFile(fix), testing::ReadFile(log));
  // Once it is gone, the cut row is left out and reported, never written cut.
  std::filesystem::remove(log);
  RunResult r = Run({"rejects", "-o", fix});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(testing::ReadFile(fix), "{\"ip\":\"1.2.3.4\"}\n");
  EXPECT_NE(r.err.find("left out line 1"), std::string::npos) << r.err;
}

TEST_F(RejectsCli, ExportNeedsOneSourceWhenSeveralHaveRejects) {
  ASSERT_EQ(Run({"ingest", Fixture("bad.jsonl")}).exit_code, 0);
  ASSERT_EQ(Run({"ingest", dir_.Write("b.jsonl", "{\"ip\":\"1.2.3.4\"}\n")}).exit_code, 0);
  RunResult r = Run({"rejects", "-o", dir_.File("x.jsonl")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--source 2"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.File("x.jsonl")));
}

TEST_F(RejectsCli, CardNumbersNeverReachTheDatabase) {
  const std::string csv = dir_.Write(
      "signals.csv",
      "account,kind,value,ts\na1,payment,4111 1111 1111 1111,yesterday\n"
      "a2,prompt,charge 5555555555554444 now,\n");
  ASSERT_EQ(Run({"ingest", csv}).exit_code, 0);
  simdjson::dom::array rows = List();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(std::string_view(rows.at(0)["raw"]), "a1,payment,[card removed],yesterday");
  // The file to fix gets the row whole from the unchanged original only.
  ASSERT_EQ(Run({"rejects", "-o", dir_.File("fix.csv")}).exit_code, 0);
  EXPECT_EQ(testing::ReadFile(dir_.File("fix.csv")),
            "account,kind,value,ts\na1,payment,4111 1111 1111 1111,yesterday\n");
  std::filesystem::rename(csv, csv + ".moved");
  RunResult r = Run({"rejects", "-o", dir_.File("fix.csv")});
  EXPECT_NE(r.err.find("card number was removed"), std::string::npos) << r.err;
  std::filesystem::remove(dir_.File("fix.csv"));
  const std::string db = testing::ReadFile(db_) + testing::ReadFile(db_ + "-wal");
  EXPECT_EQ(db.find("4111 1111"), std::string::npos);
  EXPECT_EQ(db.find("5555555555554444"), std::string::npos);
}

TEST_F(RejectsCli, HelpShowsAnExample) {
  RunResult r = Run({"rejects", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Examples:"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace ringscope
