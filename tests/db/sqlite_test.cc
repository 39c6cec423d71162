#include "db/sqlite.h"
#include "test_util.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>

namespace ringscope {
namespace {

// A fresh directory under $TMPDIR, removed with everything in it.
using testing::TempDir;  // tests/test_util.h

std::int64_t QueryInt(Database& db, const std::string& sql) {
  Statement statement(db, sql);
  EXPECT_TRUE(statement.Step()) << sql;
  return statement.ColumnInt64(0);
}

std::string QueryText(Database& db, const std::string& sql) {
  Statement statement(db, sql);
  EXPECT_TRUE(statement.Step()) << sql;
  return statement.ColumnText(0);
}

TEST(Database, OpensInMemoryWithForeignKeysOn) {
  Database db(":memory:");
  EXPECT_EQ(QueryInt(db, "PRAGMA foreign_keys"), 1);
  EXPECT_FALSE(db.read_only());
}

TEST(Database, FileDatabaseUsesWalAndNormalSync) {
  TempDir dir;
  Database db(dir.File("a.db"), {.busy_timeout_ms = 1234});
  EXPECT_EQ(QueryText(db, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(QueryInt(db, "PRAGMA synchronous"), 1);  // NORMAL
  EXPECT_EQ(QueryInt(db, "PRAGMA busy_timeout"), 1234);
}

TEST(Database, MissingFileOpenedReadOnlyThrowsWithPathAndCode) {
  TempDir dir;
  const std::string path = dir.File("missing.db");
  try {
    Database db(path, {.mode = OpenMode::kReadOnly});
    FAIL() << "opened a missing file read-only";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), SQLITE_CANTOPEN);
    EXPECT_EQ(e.path(), path);
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("SQLITE_CANTOPEN"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(Database, ReadOnlyConnectionRefusesWrites) {
  TempDir dir;
  const std::string path = dir.File("ro.db");
  {
    Database db(path);
    db.Exec("CREATE TABLE t (x INTEGER)");
  }
  Database db(path, {.mode = OpenMode::kReadOnly});
  EXPECT_TRUE(db.read_only());
  try {
    db.Exec("INSERT INTO t VALUES (1)");
    FAIL() << "wrote through a read-only connection";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), SQLITE_READONLY) << e.what();
  }
}

TEST(Database, ExecErrorCarriesSqliteMessageAndCode) {
  Database db(":memory:");
  try {
    db.Exec("CREATE TABLE t (x); CREATE TABLE t (y)");
    FAIL() << "created a table twice";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), SQLITE_ERROR);
    EXPECT_NE(e.sqlite_message().find("already exists"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("CREATE TABLE"), std::string::npos) << e.what();
  }
}

TEST(Database, CachedStatementIsReusedResetAndCleared) {
  Database db(":memory:");
  Statement& first = db.Cached("SELECT ?1");
  first.Bind(1, std::int64_t{7});
  ASSERT_TRUE(first.Step());  // left mid-way on purpose
  Statement& second = db.Cached("SELECT ?1");
  EXPECT_EQ(&first, &second);
  ASSERT_TRUE(second.Step());
  EXPECT_TRUE(second.ColumnIsNull(0));  // bindings were cleared
}

TEST(Statement, BindsAndReadsEveryType) {
  Database db(":memory:");
  db.Exec("CREATE TABLE t (i INTEGER, d REAL, s TEXT, n TEXT, e TEXT)");
  Statement insert(db, "INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5)");
  insert.Bind(1, std::int64_t{-9007199254740993})
      .Bind(2, 2.5)
      .Bind(3, std::string("it's \"x\"; DROP TABLE t; --\n"))
      .Bind(4, nullptr)
      .Bind(5, std::string_view());
  EXPECT_EQ(insert.Run(), 1);

  Statement select(db, "SELECT i, d, s, n, e FROM t");
  ASSERT_TRUE(select.Step());
  EXPECT_EQ(select.ColumnCount(), 5);
  EXPECT_EQ(select.ColumnInt64(0), -9007199254740993);
  EXPECT_DOUBLE_EQ(select.ColumnDouble(1), 2.5);
  EXPECT_EQ(select.ColumnText(2), "it's \"x\"; DROP TABLE t; --\n");
  EXPECT_TRUE(select.ColumnIsNull(3));
  EXPECT_EQ(select.ColumnText(3), "");
  EXPECT_FALSE(select.ColumnIsNull(4));  // '' is not NULL
  EXPECT_EQ(select.ColumnText(4), "");
  EXPECT_FALSE(select.Step());
  EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM t"), 1);  // nothing was spliced
}

TEST(Statement, TextWithEmbeddedNulIsKeptWhole) {
  Database db(":memory:");
  Statement select(db, "SELECT length(CAST(?1 AS BLOB)), ?1");
  select.Bind(1, std::string_view("a\0b", 3));
  ASSERT_TRUE(select.Step());
  EXPECT_EQ(select.ColumnInt64(0), 3);
  EXPECT_EQ(select.ColumnTextView(1), std::string_view("a\0b", 3));
}

TEST(Statement, ResetAllowsTheStatementToRunAgain) {
  Database db(":memory:");
  db.Exec("CREATE TABLE t (x INTEGER)");
  Statement insert(db, "INSERT INTO t VALUES (?1)");
  for (int i = 1; i <= 3; ++i) {
    insert.Bind(1, i);
    insert.Run();
    insert.Reset();
  }
  EXPECT_EQ(QueryInt(db, "SELECT sum(x) FROM t"), 6);
}

TEST(Statement, BindOutOfRangeThrowsRangeError) {
  Database db(":memory:");
  Statement statement(db, "SELECT ?1");
  try {
    statement.Bind(2, 1);
    FAIL() << "bound parameter 2 of a one-parameter statement";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), SQLITE_RANGE);
    EXPECT_NE(std::string(e.what()).find("parameter 2"), std::string::npos) << e.what();
  }
}

TEST(Statement, PrepareErrorNamesTheSqlAndCode) {
  Database db(":memory:");
  try {
    Statement statement(db, "SELEC 1");
    FAIL() << "prepared invalid SQL";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), SQLITE_ERROR);
    EXPECT_NE(std::string(e.what()).find("SELEC 1"), std::string::npos) << e.what();
    EXPECT_NE(e.sqlite_message().find("syntax error"), std::string::npos) << e.what();
  }
}

TEST(Statement, RefusesMoreThanOneStatement) {
  Database db(":memory:");
  EXPECT_THROW(Statement(db, "SELECT 1; SELECT 2"), StoreError);
  EXPECT_NO_THROW(Statement(db, "SELECT 1;  \n"));
}

TEST(Statement, ConstraintViolationCarriesExtendedCode) {
  Database db(":memory:");
  db.Exec("CREATE TABLE t (x TEXT UNIQUE)");
  Statement insert(db, "INSERT INTO t VALUES (?1)");
  insert.Bind(1, "a").Run();
  insert.Reset();
  try {
    insert.Run();
    FAIL() << "inserted a duplicate";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), SQLITE_CONSTRAINT);
    EXPECT_EQ(e.extended_code(), SQLITE_CONSTRAINT_UNIQUE);
    EXPECT_NE(e.sqlite_message().find("UNIQUE constraint failed: t.x"), std::string::npos);
  }
}

TEST(Statement, MovedStatementKeepsWorking) {
  Database db(":memory:");
  Statement a(db, "SELECT 41 + 1");
  Statement b = std::move(a);
  ASSERT_TRUE(b.Step());
  EXPECT_EQ(b.ColumnInt64(0), 42);
}

TEST(Transaction, RollsBackOnScopeExit) {
  Database db(":memory:");
  db.Exec("CREATE TABLE t (x INTEGER)");
  {
    Transaction transaction(db);
    db.Exec("INSERT INTO t VALUES (1)");
    EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM t"), 1);
  }
  EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM t"), 0);
  EXPECT_EQ(sqlite3_get_autocommit(db.handle()), 1);
}

TEST(Transaction, RollsBackWhenAnExceptionUnwinds) {
  Database db(":memory:");
  db.Exec("CREATE TABLE t (x INTEGER)");
  EXPECT_THROW(
      {
        Transaction transaction(db);
        db.Exec("INSERT INTO t VALUES (1)");
        throw std::runtime_error("boom");
      },
      std::runtime_error);
  EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM t"), 0);
}

TEST(Transaction, CommitPersists) {
  TempDir dir;
  const std::string path = dir.File("t.db");
  {
    Database db(path);
    db.Exec("CREATE TABLE t (x INTEGER)");
    Transaction transaction(db);
    db.Exec("INSERT INTO t VALUES (1), (2)");
    transaction.Commit();
  }
  Database db(path, {.mode = OpenMode::kReadOnly});
  EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM t"), 2);
}

TEST(Transaction, FailedCommitThrowsAndTheDestructorRollsBack) {
  Database db(":memory:");
  db.Exec(
      "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
      "CREATE TABLE child (p INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)");
  {
    Transaction transaction(db);
    db.Exec("INSERT INTO child VALUES (99)");  // violation only detected at COMMIT
    try {
      transaction.Commit();
      FAIL() << "committed a foreign key violation";
    } catch (const StoreError& e) {
      EXPECT_EQ(e.extended_code(), SQLITE_CONSTRAINT_FOREIGNKEY) << e.what();
    }
  }
  EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM child"), 0);
  EXPECT_EQ(sqlite3_get_autocommit(db.handle()), 1);
}

TEST(Transaction, ImmediateTakesTheWriteLockAtOnce) {
  TempDir dir;
  const std::string path = dir.File("lock.db");
  Database writer(path);
  writer.Exec("CREATE TABLE t (x INTEGER)");
  Database other(path, {.busy_timeout_ms = 0});
  Transaction held(writer);
  try {
    Transaction second(other);
    FAIL() << "two immediate transactions at once";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), SQLITE_BUSY) << e.what();
  }
  // A reader still reads (WAL).
  EXPECT_EQ(QueryInt(other, "SELECT count(*) FROM t"), 0);
}

TEST(ResultCodeName, NamesPrimaryAndExtendedCodes) {
  EXPECT_EQ(ResultCodeName(SQLITE_BUSY), "SQLITE_BUSY");
  EXPECT_EQ(ResultCodeName(SQLITE_CONSTRAINT_UNIQUE), "SQLITE_CONSTRAINT");
  EXPECT_EQ(ResultCodeName(250), "SQLITE_250");
}

}  // namespace
}  // namespace ringscope
