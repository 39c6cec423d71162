#include "db/migrations.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>

#include "db/store.h"
#include "test_util.h"

namespace ringscope {
namespace {

using testing::TempDir;  // tests/test_util.h

std::set<std::string> TableNames(Database& db) {
  std::set<std::string> names;
  Statement tables(db, "SELECT name FROM sqlite_schema WHERE type = 'table'");
  while (tables.Step()) names.insert(tables.ColumnText(0));
  return names;
}

TEST(Migrations, VersionsStartAtOneWithoutGaps) {
  int expected = 1;
  for (const Migration& migration : Migrations()) {
    EXPECT_EQ(migration.version, expected++);
    EXPECT_FALSE(migration.description.empty());
    EXPECT_FALSE(migration.sql.empty());
  }
  EXPECT_EQ(LatestSchemaVersion(), expected - 1);
}

TEST(Migrations, NewDatabaseGetsTheLatestSchema) {
  Store store = Store::Open(":memory:");
  EXPECT_EQ(store.SchemaVersion(), LatestSchemaVersion());
  const std::set<std::string> expected = {"accounts",       "account_attributes",
                                          "kinds",          "signal_values",
                                          "observations",   "prompt_examples",
                                          "sources",        "rejects",
                                          "skipped_fields", "links",
                                          "list_entries",   "runs",
                                          "clusters",       "cluster_members",
                                          "exports",        "export_members",
                                          "prompt_sketches", "prompt_clusters",
                                          "settings",       "run_hubs",
                                          "run_neighbours"};
  EXPECT_EQ(TableNames(store.db()), expected);
}

TEST(Migrations, ReopeningKeepsDataAndVersion) {
  TempDir dir;
  const std::string path = dir.File("r.db");
  {
    Store store = Store::Open(path);
    store.db().Exec("INSERT INTO kinds (name) VALUES ('ip')");
  }
  Store store = Store::Open(path);
  EXPECT_EQ(store.SchemaVersion(), LatestSchemaVersion());
  Statement count(store.db(), "SELECT count(*) FROM kinds");
  ASSERT_TRUE(count.Step());
  EXPECT_EQ(count.ColumnInt64(0), 1);
}

TEST(Migrations, DatabaseFromTheFutureIsRefused) {
  TempDir dir;
  const std::string path = dir.File("future.db");
  {
    Store::Open(path).db().Exec("PRAGMA user_version = " +
                                std::to_string(LatestSchemaVersion() + 1));
  }
  for (bool read_only : {false, true}) {
    try {
      Store::Open(path, {.read_only = read_only});
      FAIL() << "opened a database newer than the binary";
    } catch (const StoreError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("newer than this ringscope supports"), std::string::npos) << what;
      EXPECT_NE(what.find(std::to_string(LatestSchemaVersion() + 1)), std::string::npos) << what;
      EXPECT_EQ(e.path(), path);
    }
  }
  // Refusing changed nothing.
  Database db(path, {.mode = OpenMode::kReadOnly});
  EXPECT_EQ(ReadSchemaVersion(db), LatestSchemaVersion() + 1);
}

TEST(Migrations, ForeignDatabaseIsRefused) {
  TempDir dir;
  const std::string path = dir.File("other.db");
  { Database(path).Exec("CREATE TABLE notes (text TEXT)"); }
  try {
    Store::Open(path);
    FAIL() << "migrated someone else's database";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("not a ringscope database"), std::string::npos)
        << e.what();
  }
  Database db(path);
  EXPECT_EQ(TableNames(db), std::set<std::string>{"notes"});
}

TEST(Migrations, ReadOnlyDatabaseNeedingMigrationIsRefused) {
  TempDir dir;
  const std::string path = dir.File("empty.db");
  { Database db(path); }  // a valid, empty database at version 0
  try {
    Store::Open(path, {.read_only = true});
    FAIL() << "read-only open of an unmigrated database";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), SQLITE_READONLY);
    EXPECT_NE(std::string(e.what()).find("read-only"), std::string::npos) << e.what();
  }
}

// Analysts read schema.sql and the later migrations with sqlite3: every table
// has a comment above it and every column definition a comment on its line.
TEST(Schema, EveryTableAndColumnIsDocumented) {
  std::string all_sql;
  for (const Migration& migration : Migrations()) all_sql += std::string(migration.sql) + "\n";
  std::istringstream schema{all_sql};
  std::string line;
  std::string previous;
  bool in_table = false;
  int tables = 0;
  while (std::getline(schema, line)) {
    if (line.starts_with("CREATE TABLE")) {
      ++tables;
      in_table = true;
      EXPECT_TRUE(previous.starts_with("--")) << "no comment above: " << line;
    } else if (in_table && line.starts_with(")")) {
      in_table = false;
    } else if (in_table && line.starts_with("  ") && !line.starts_with("   ")) {
      const std::string body = line.substr(2);
      const bool constraint = body.starts_with("PRIMARY KEY") || body.starts_with("UNIQUE") ||
                              body.starts_with("FOREIGN KEY") || body.starts_with("--");
      if (!constraint) {
        EXPECT_NE(line.find("--"), std::string::npos) << "undocumented: " << line;
      }
    }
    previous = line;
  }
  EXPECT_EQ(tables, 21);
}

}  // namespace
}  // namespace ringscope
