// End-to-end tests of ingest under a PII key: email, phone and payment stored
// only as keyed hashes, the database bound to the key, mixing refused, and a
// lookup hashing its query the same way.
#include <gtest/gtest.h>


#include "db/settings.h"
#include "db/sqlite.h"
#include "ingest/normalize.h"
#include "test_util.h"
#include "tools/cli_pii.h"

namespace ringscope {
namespace {

using testing::RunCommand;
using testing::RunResult;
using testing::TempDir;

std::string Fixture(const std::string& name) {
  return std::string(RINGSCOPE_FIXTURES_DIR) + "/ingest/" + name;
}

constexpr const char* kKey = "correct-horse-battery-staple-42";

class PiiCli : public ::testing::Test {
 protected:
  RunResult Run(std::vector<std::string> args, const std::string& env = "") {
    args.insert(args.begin(), {"--db", db_});
    if (env.empty()) return RunCommand(RINGSCOPE_BINARY, args, dir_);
    // RunCommand goes through the shell: an assignment before the binary sets
    // the variable for that one command.
    return RunCommand("/usr/bin/env", [&] {
      std::vector<std::string> all = {env, RINGSCOPE_BINARY};
      all.insert(all.end(), args.begin(), args.end());
      return all;
    }(), dir_);
  }
  std::vector<std::string> PiiValues() {
    Database db(db_, {.mode = OpenMode::kReadOnly});
    Statement s(db,
                "SELECT v.value FROM signal_values v JOIN kinds k ON k.id = v.kind_id "
                "WHERE k.name IN ('email', 'phone', 'payment') ORDER BY 1");
    std::vector<std::string> values;
    while (s.Step()) values.push_back(s.ColumnText(0));
    return values;
  }

  TempDir dir_;
  std::string db_ = dir_.File("test.db");
  std::string key_ = dir_.Write("pii.key", std::string(kKey) + "\n");
  std::string other_key_ = dir_.Write("other.key", "another-key-of-enough-length\n");
};

TEST_F(PiiCli, StoresEmailPhoneAndPaymentOnlyAsKeyedHashes) {
  RunResult r = Run({"ingest", "--pii-key", key_, Fixture("signals.csv"),
                     Fixture("requests.jsonl"), Fixture("accounts.csv")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> values = PiiValues();
  ASSERT_FALSE(values.empty());
  for (const std::string& v : values)
    EXPECT_TRUE(ringscope::testing::MatchesShape(v, "h:" + std::string(64, '%'))) << v;
  // Jane's two gmail spellings are still one value.
  const std::optional<std::string> jane =
      LookupValue("email", "Jane.Doe+shop@gmail.com", {.pii_key = kKey});
  EXPECT_EQ(std::count(values.begin(), values.end(), *jane), 1);
  Database db(db_, {.mode = OpenMode::kReadOnly});
  EXPECT_EQ(ReadSetting(db, "pii_key_id"), PiiKeyId(kKey));
  // Neither the key nor a clear value is anywhere in the file.
  const std::string bytes = testing::ReadFile(db_) + testing::ReadFile(db_ + "-wal");
  EXPECT_EQ(bytes.find(kKey), std::string::npos);
  EXPECT_EQ(bytes.find("janedoe"), std::string::npos);
  EXPECT_EQ(bytes.find("pm_card_77"), std::string::npos);
  EXPECT_EQ(bytes.find("5550102000"), std::string::npos);
}

TEST_F(PiiCli, AnotherKeyOrNoKeyIsRefusedAndWritesNothing) {
  ASSERT_EQ(Run({"ingest", "--pii-key", key_, Fixture("signals.csv")}).exit_code, 0);
  RunResult other = Run({"ingest", "--pii-key", other_key_, Fixture("accounts.csv")});
  EXPECT_EQ(other.exit_code, 1);
  EXPECT_NE(other.err.find("not the key this database is bound to"), std::string::npos)
      << other.err;
  RunResult none = Run({"ingest", Fixture("accounts.csv")});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("--pii-key"), std::string::npos) << none.err;
  EXPECT_EQ(none.err.find(kKey), std::string::npos) << "the key is never printed";
  // The same key from the environment is accepted.
  RunResult env = Run({"ingest", Fixture("accounts.csv")}, "RINGSCOPE_PII_KEY_FILE=" + key_);
  EXPECT_EQ(env.exit_code, 0) << env.err;
}

TEST_F(PiiCli, AKeyIsRefusedForADatabaseHoldingValuesInClear) {
  ASSERT_EQ(Run({"ingest", Fixture("signals.csv")}).exit_code, 0);
  RunResult r = Run({"ingest", "--pii-key", key_, Fixture("requests.jsonl")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("stored in clear"), std::string::npos) << r.err;
  // A database without PII values yet can take a key.
  const std::string db2 = dir_.File("second.db");
  EXPECT_EQ(RunCommand(RINGSCOPE_BINARY, {"--db", db2, "ingest", Fixture("accounts.csv")}, dir_)
                .exit_code, 0);
  EXPECT_EQ(RunCommand(RINGSCOPE_BINARY,
                       {"--db", db2, "ingest", "--pii-key", key_, Fixture("signals.csv")}, dir_)
                .exit_code, 0);
}

TEST_F(PiiCli, ShortOrMissingKeyFileIsAUsageError) {
  EXPECT_EQ(Run({"ingest", "--pii-key", dir_.Write("short.key", "abc\n"), Fixture("signals.csv")})
                .exit_code, 2);
  EXPECT_EQ(Run({"ingest", "--pii-key", dir_.File("none.key"), Fixture("signals.csv")}).exit_code,
            2);
}

TEST_F(PiiCli, RejectsKeepNoRawRowsAndReasonsNoValues) {
  const std::string csv = dir_.Write(
      "signals.csv", "account,kind,value\na1,email,secret-person@@example.org\na2,ip,x\n");
  ASSERT_EQ(Run({"ingest", "--pii-key", key_, csv}).exit_code, 0);
  RunResult list = Run({"rejects", "--format", "csv"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(list.out.find("secret-person"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("invalid email address"), std::string::npos) << list.out;
  const std::string bytes = testing::ReadFile(db_) + testing::ReadFile(db_ + "-wal");
  EXPECT_EQ(bytes.find("secret-person"), std::string::npos);
  // The rows to fix come from the unchanged original file.
  ASSERT_EQ(Run({"rejects", "-o", dir_.File("fix.csv")}).exit_code, 0);
  EXPECT_EQ(testing::ReadFile(dir_.File("fix.csv")),
            "account,kind,value\na1,email,secret-person@@example.org\na2,ip,x\n");
}

TEST_F(PiiCli, AnotherPaymentKeyIsRefused) {
  ASSERT_EQ(Run({"ingest", Fixture("signals.csv")}).exit_code, 0);
  RunResult r = Run({"ingest", Fixture("requests.jsonl")}, "RINGSCOPE_PAYMENT_KEY=another-key");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("card hashes"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("another-key"), std::string::npos) << "the key is never printed";
  EXPECT_EQ(Run({"ingest", Fixture("requests.jsonl")}).exit_code, 0);
}

TEST_F(PiiCli, LookupsHashTheQueryLikeIngest) {
  ASSERT_EQ(Run({"ingest", "--pii-key", key_, Fixture("signals.csv")}).exit_code, 0);
  Database db(db_, {.mode = OpenMode::kReadOnly});
  const NormalizeOptions options = LookupNormalizeOptions(db, key_);
  const std::optional<std::string> phone = LookupValue("phone", "+1 555 010 2000", options);
  ASSERT_TRUE(phone.has_value());
  const std::vector<std::string> values = PiiValues();
  EXPECT_EQ(std::count(values.begin(), values.end(), *phone), 1);
  EXPECT_THROW(LookupNormalizeOptions(db, other_key_), std::exception);
  EXPECT_THROW(LookupNormalizeOptions(db, ""), std::exception);
}

}  // namespace
}  // namespace ringscope
