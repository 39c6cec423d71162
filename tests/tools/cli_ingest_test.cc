// End-to-end tests of `ringscope ingest` and `ringscope stats`: the binary
// runs on the fixtures in tests/fixtures/ingest, and the numbers that
// `stats --format json` reports are checked against counts worked out by hand
// (see tests/fixtures/README.md).
#include <gtest/gtest.h>
#include <simdjson.h>
#include <sys/stat.h>
#include <zlib.h>

#include "test_util.h"

namespace ringscope {
namespace {

using testing::RunCommand;
using testing::RunResult;
using testing::TempDir;

std::string Fixture(const std::string& name) {
  return std::string(RINGSCOPE_FIXTURES_DIR) + "/ingest/" + name;
}

class IngestCli : public ::testing::Test {
 protected:
  RunResult Run(std::vector<std::string> args, const std::string& stdin_path = "") {
    args.insert(args.begin(), {"--db", db_});
    return RunCommand(RINGSCOPE_BINARY, args, dir_, stdin_path);
  }
  // `stats --format json`, parsed; fails the test if it is not JSON.
  simdjson::dom::element Stats() {
    RunResult r = Run({"stats", "--format", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    stats_text_ = r.out;
    simdjson::dom::element doc;
    EXPECT_FALSE(parser_.parse(stats_text_).get(doc)) << r.out;
    return doc;
  }
  static std::int64_t Int(simdjson::dom::element e) {
    std::int64_t v = -1;
    EXPECT_FALSE(e.get_int64().get(v));
    return v;
  }

  TempDir dir_;
  std::string db_ = dir_.File("test.db");
  simdjson::dom::parser parser_;
  std::string stats_text_;
};

TEST_F(IngestCli, FixturesGiveTheHandCountedStats) {
  RunResult r = Run({"ingest", "--no-progress", Fixture("requests.jsonl"), Fixture("signals.csv"),
                     Fixture("accounts.csv")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto s = Stats();
  EXPECT_EQ(Int(s["accounts"]), 4);
  EXPECT_EQ(Int(s["requests"]), 5);
  EXPECT_EQ(Int(s["values"]), 14);
  EXPECT_EQ(Int(s["observations"]), 20);
  EXPECT_EQ(Int(s["sources"]), 3);
  EXPECT_EQ(Int(s["rows_read"]), 14);
  EXPECT_EQ(Int(s["rows_ingested"]), 14);
  EXPECT_EQ(Int(s["rows_rejected"]), 0);
  EXPECT_EQ(Int(s["kinds"]["ip"]["values"]), 2);  // the IPv6 address written two ways is one
  EXPECT_EQ(Int(s["kinds"]["email"]["values"]), 1);  // gmail dots, +tag and googlemail fold
  EXPECT_EQ(Int(s["kinds"]["email"]["observations"]), 2);
  EXPECT_EQ(Int(s["kinds"]["prompt"]["values"]), 2);  // three "Solve ..." prompts, one template
  EXPECT_EQ(Int(s["kinds"]["payment"]["observations"]), 3);
  EXPECT_EQ(Int(s["kinds"]["subnet"]["values"]), 2);
  // The summary names the undeclared key it skipped.
  EXPECT_NE(r.out.find("session"), std::string::npos) << r.out;
}

TEST_F(IngestCli, ReingestingTheSameFileIsSkipped) {
  ASSERT_EQ(Run({"ingest", Fixture("requests.jsonl")}).exit_code, 0);
  RunResult again = Run({"ingest", "--summary", "json", Fixture("requests.jsonl")});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("\"status\":\"duplicate\""), std::string::npos) << again.out;
  auto s = Stats();
  EXPECT_EQ(Int(s["sources"]), 1);
  EXPECT_EQ(Int(s["requests"]), 5);
}

TEST_F(IngestCli, BadRowsAreRejectedCountedAndTheRestIngested) {
  RunResult r = Run({"ingest", Fixture("bad.jsonl")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("bad.jsonl:2"), std::string::npos) << r.err;
  auto s = Stats();
  EXPECT_EQ(Int(s["rows_read"]), 5);
  EXPECT_EQ(Int(s["rows_ingested"]), 1);
  EXPECT_EQ(Int(s["rows_rejected"]), 4);
  EXPECT_EQ(Int(s["rejects"]), 4);
  EXPECT_EQ(Int(s["rows_read"]), Int(s["rows_ingested"]) + Int(s["rows_rejected"]));
}

TEST_F(IngestCli, StrictStopsAtTheFirstBadRowAndWritesNothingOfThatFile) {
  ASSERT_EQ(Run({"ingest", Fixture("accounts.csv")}).exit_code, 0);
  RunResult r = Run({"ingest", "--strict", Fixture("bad.jsonl")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("bad.jsonl:2"), std::string::npos) << r.err;
  auto s = Stats();
  EXPECT_EQ(Int(s["sources"]), 1);
  EXPECT_EQ(Int(s["accounts"]), 4);
  EXPECT_EQ(Int(s["rejects"]), 0);
}

TEST_F(IngestCli, ReadsStandardInputAndGzip) {
  std::string text = testing::ReadFile(Fixture("requests.jsonl"));
  std::string gz_path = dir_.File("requests.jsonl.gz");
  gzFile gz = gzopen(gz_path.c_str(), "wb");
  gzwrite(gz, text.data(), static_cast<unsigned>(text.size()));
  gzclose(gz);
  ASSERT_EQ(Run({"ingest", "--format", "requests", "-"}, gz_path).exit_code, 0);
  auto s = Stats();
  EXPECT_EQ(Int(s["requests"]), 5);
  // The same bytes from a named .gz file are recognised as already ingested.
  RunResult again = Run({"ingest", "--summary", "json", gz_path});
  EXPECT_NE(again.out.find("duplicate"), std::string::npos) << again.out;
}

TEST_F(IngestCli, MissingFileAndUnknownHeaderFailWithExitOne) {
  std::string odd = dir_.Write("odd.csv", "user,thing\nx,y\n");
  RunResult r = Run({"ingest", "/nonexistent/file.jsonl", odd, Fixture("accounts.csv")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/nonexistent/file.jsonl"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("unrecognised header"), std::string::npos) << r.err;
  EXPECT_EQ(Int(Stats()["accounts"]), 4);  // the good file still went in
}

TEST_F(IngestCli, GroundTruthIsRefusedWithAPointerToEval) {
  std::string truth = dir_.Write("truth.csv", "account,campaign\na,c1\n");
  RunResult r = Run({"ingest", truth});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("eval"), std::string::npos) << r.err;
}

TEST_F(IngestCli, UsageMistakesExitWithTwo) {
  EXPECT_EQ(Run({"ingest"}).exit_code, 2);
  EXPECT_EQ(Run({"ingest", "--format", "xml", Fixture("accounts.csv")}).exit_code, 2);
  EXPECT_EQ(Run({"ingest", "--format", "list", Fixture("accounts.csv")}).exit_code, 2);
  EXPECT_EQ(Run({"ingest", "--kind", "Bad Kind", Fixture("accounts.csv")}).exit_code, 2);
  EXPECT_EQ(Run({"no-such-command"}).exit_code, 2);
}

TEST_F(IngestCli, HelpShowsAnExample) {
  RunResult r = Run({"ingest", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Examples:"), std::string::npos) << r.out;
}

TEST_F(IngestCli, DatabaseIsPrivateToItsOwner) {
  ASSERT_EQ(Run({"ingest", Fixture("accounts.csv")}).exit_code, 0);
  struct stat st {};
  ASSERT_EQ(::stat(db_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
}

TEST_F(IngestCli, StatsOnAMissingDatabaseSaysWhatToDo) {
  RunResult r = Run({"stats"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("ringscope ingest"), std::string::npos) << r.err;
}

TEST_F(IngestCli, AnalystListsAreCountedByName) {
  std::string allow = dir_.Write("allow.csv", "account,note\nacct_c4d1,paying customer\n");
  ASSERT_EQ(Run({"ingest", "--list", "allow", allow}).exit_code, 0);
  EXPECT_EQ(Int(Stats()["lists"]["allow"]), 1);
}

}  // namespace
}  // namespace ringscope
