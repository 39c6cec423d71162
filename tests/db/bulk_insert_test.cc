#include "db/bulk_insert.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <functional>

#include <string>
#include <vector>

namespace ringscope {
namespace {

struct Row {
  std::int64_t id;
  std::string text;
  bool null_text;
};

FunctionRows<std::function<void(std::size_t, int, BulkCell&)>> Rows(const std::vector<Row>& rows) {
  return {rows.size(), [&rows](std::size_t r, int column, BulkCell& cell) {
            if (column == 0) {
              cell.Int(rows[r].id);
            } else if (rows[r].null_text) {
              cell.Null();
            } else {
              cell.Text(rows[r].text);
            }
          }};
}

TEST(BulkInsert, InsertsEveryRowWithIntsTextAndNulls) {
  Database db(":memory:");
  db.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT)");
  std::vector<Row> rows;
  for (int i = 1; i <= 1000; ++i) rows.push_back({i, "row " + std::to_string(i), i % 7 == 0});
  rows.push_back({5000, std::string("nul\0inside", 10), false});
  EXPECT_EQ(BulkInsert(db, "INSERT INTO t (id, text)", 2, Rows(rows)), 1001);
  Statement count(db, "SELECT count(*), count(text), sum(id) FROM t");
  ASSERT_TRUE(count.Step());
  EXPECT_EQ(count.ColumnInt64(0), 1001);
  EXPECT_EQ(count.ColumnInt64(1), 1001 - 142);
  EXPECT_EQ(count.ColumnInt64(2), 500500 + 5000);
  Statement text(db, "SELECT text FROM t WHERE id = 5000");
  ASSERT_TRUE(text.Step());
  EXPECT_EQ(text.ColumnTextView(0), std::string_view("nul\0inside", 10));
  // The module is registered per connection, never written to the schema.
  Statement schema(db, "SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%ringscope_rows%'");
  ASSERT_TRUE(schema.Step());
  EXPECT_EQ(schema.ColumnInt64(0), 0);
}

TEST(BulkInsert, TakesAnUpsertTailAndReportsConflicts) {
  Database db(":memory:");
  db.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT NOT NULL)");
  const std::vector<Row> first = {{1, "a", false}, {2, "b", false}};
  BulkInsert(db, "INSERT INTO t (id, text)", 2, Rows(first));
  const std::vector<Row> again = {{2, "B", false}, {3, "c", false}};
  EXPECT_EQ(BulkInsert(db, "INSERT INTO t (id, text)", 2, Rows(again),
                       "ON CONFLICT (id) DO UPDATE SET text = text || excluded.text"),
            2);
  Statement text(db, "SELECT group_concat(text, ',') FROM (SELECT text FROM t ORDER BY id)");
  ASSERT_TRUE(text.Step());
  EXPECT_EQ(text.ColumnText(0), "a,bB,c");
  // Without the tail, the duplicate key fails the statement with SQLite's code.
  try {
    BulkInsert(db, "INSERT INTO t (id, text)", 2, Rows(first));
    FAIL() << "expected a constraint failure";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), SQLITE_CONSTRAINT_PRIMARYKEY & 0xff);
  }
  const std::vector<Row> null_text = {{9, "", true}};
  EXPECT_THROW(BulkInsert(db, "INSERT INTO t (id, text)", 2, Rows(null_text)), StoreError);
}

TEST(BulkInsert, NoRowsAndBadColumnCounts) {
  Database db(":memory:");
  db.Exec("CREATE TABLE t (id INTEGER)");
  const std::vector<Row> none;
  EXPECT_EQ(BulkInsert(db, "INSERT INTO t (id)", 1, Rows(none)), 0);
  const std::vector<Row> one = {{1, "", true}};
  EXPECT_THROW(BulkInsert(db, "INSERT INTO t (id)", 0, Rows(one)), StoreError);
  EXPECT_THROW(BulkInsert(db, "INSERT INTO t (id)", kMaxBulkColumns + 1, Rows(one)), StoreError);
  EXPECT_THROW(BulkInsert(db, "INSERT INTO missing (id)", 1, Rows(one)), StoreError);
}

}  // namespace
}  // namespace ringscope
