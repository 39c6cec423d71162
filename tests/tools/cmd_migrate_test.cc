// `ringscope migrate` on a database left at an older schema version: the
// query commands refuse it and name the command, migrate applies the pending
// migrations and lists them, and a second run has nothing to do.
#include <gtest/gtest.h>

#include <string>

#include "db/migrations.h"
#include "db/sqlite.h"
#include "test_util.h"

namespace ringscope {
namespace {

using testing::RunCommand;
using testing::RunResult;
using testing::TempDir;

class MigrateCli : public ::testing::Test {
 protected:
  RunResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_});
    return RunCommand(RINGSCOPE_BINARY, args, dir_);
  }
  TempDir dir_;
  std::string db_ = dir_.File("old.db");
};

TEST_F(MigrateCli, BringsAnOlderDatabaseUpToDateForTheQueries) {
  const std::string signals =
      dir_.Write("signals.csv", "account,kind,value\na,device,fp-1\nb,device,fp-1\n");
  ASSERT_EQ(Run({"ingest", "--no-progress", signals}).exit_code, 0);
  // Schema 4 only rebuilt an index and schema 5 added a table, so a
  // version-3 file is this one without that table and with the version
  // stepped back: migrations 4 and 5 then run on it for real.
  const int latest = LatestSchemaVersion();
  ASSERT_GE(latest, 5);
  Database(db_).Exec("DROP TABLE run_neighbours; PRAGMA user_version = 3");

  RunResult refused = Run({"value", "device", "fp-1"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("run `ringscope migrate`"), std::string::npos) << refused.err;

  RunResult migrated = Run({"migrate"});
  ASSERT_EQ(migrated.exit_code, 0) << migrated.err;
  EXPECT_NE(migrated.out.find("from schema version 3 to " + std::to_string(latest)),
            std::string::npos)
      << migrated.out;
  EXPECT_NE(migrated.out.find("4: the count of each observation"), std::string::npos)
      << migrated.out;
  EXPECT_NE(migrated.out.find("5: each account's strongest links"), std::string::npos)
      << migrated.out;
  {
    Database db(db_, {.mode = OpenMode::kReadOnly});
    EXPECT_EQ(ReadSchemaVersion(db), latest);
  }
  RunResult value = Run({"value", "device", "fp-1", "--format", "csv"});
  EXPECT_EQ(value.exit_code, 0) << value.err;
  EXPECT_NE(value.out.find("a,"), std::string::npos) << value.out;

  RunResult again = Run({"migrate"});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.out.find("nothing to do"), std::string::npos) << again.out;
}

TEST_F(MigrateCli, NoDatabaseExitsOne) {
  RunResult r = Run({"migrate"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no database at"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace ringscope
