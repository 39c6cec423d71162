// Bulk inserts from C++ memory through an eponymous virtual table: one
// INSERT ... SELECT statement reads every row, where a prepared INSERT costs a
// bind, a step and a reset per row. For narrow rows appended in key order that
// halves SQLite's time. Text is handed over without a copy.
//
// Used inside a write transaction by the store; values are bound (as a
// pointer), never spliced into SQL.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>

#include "db/sqlite.h"

struct sqlite3_context;

namespace ringscope {

// Where a row's column value goes: exactly one setter per column.
class BulkCell {
 public:
  explicit BulkCell(sqlite3_context* context) : context_(context) {}
  void Int(std::int64_t value);
  void Null();
  // The bytes must stay valid until BulkInsert returns.
  void Text(std::string_view value);
  void Blob(std::span<const std::byte> value);  // likewise

 private:
  sqlite3_context* context_;
};

// Rows of up to kMaxBulkColumns columns, produced on demand, in order.
class BulkRows {
 public:
  virtual ~BulkRows() = default;
  virtual std::size_t size() const = 0;
  virtual void Column(std::size_t row, int column, BulkCell& cell) const = 0;
};

inline constexpr int kMaxBulkColumns = 8;

// Runs `insert` + " SELECT c0, ..., c<columns-1> FROM <rows> WHERE true" +
// " " + `tail`, e.g. insert = "INSERT INTO t (a, b)", tail = "ON CONFLICT DO
// NOTHING" (the WHERE keeps an upsert's ON from parsing as a join's). Returns
// the rows changed. Throws StoreError naming the SQL when SQLite fails.
// Complexity: O(rows) SQLite work, no per-row statement overhead.
std::int64_t BulkInsert(Database& db, std::string_view insert, int columns, const BulkRows& rows,
                        std::string_view tail = {});

// BulkRows over a function `column(row, column, cell)`.
template <typename ColumnFn>
class FunctionRows : public BulkRows {
 public:
  FunctionRows(std::size_t size, ColumnFn column) : size_(size), column_(std::move(column)) {}
  std::size_t size() const override { return size_; }
  void Column(std::size_t row, int column, BulkCell& cell) const override {
    column_(row, column, cell);
  }

 private:
  std::size_t size_;
  ColumnFn column_;
};

}  // namespace ringscope
