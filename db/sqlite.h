// RAII over the SQLite C API, in the spirit of SQLiteCpp: a Database owns the
// connection, a Statement owns a prepared statement, a Transaction rolls back
// unless committed. Values are always bound, never spliced into SQL text.
// Every failure throws StoreError carrying SQLite's result code and message.
//
// A Database and its statements are used by one thread at a time (the
// connection is opened without SQLite's per-call mutex: one lock/unlock pair
// per bind/step/reset adds up over a million rows).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace ringscope {

// A failure reported by SQLite (or by opening the database file). what() names
// the operation, the database path where relevant, SQLite's message and the
// result code, e.g.
//   "cannot open database '/x/y.db': unable to open database file
//    (SQLITE_CANTOPEN, code 14)".
class StoreError : public std::runtime_error {
 public:
  // `code` is an (extended) SQLite result code; `sqlite_message` is what
  // SQLite said (sqlite3_errmsg, or strerror for file errors).
  StoreError(std::string_view what, int code, std::string sqlite_message, std::string path = {});

  int code() const { return code_ & 0xff; }  // primary result code (SQLITE_BUSY, ...)
  int extended_code() const { return code_; }
  const std::string& sqlite_message() const { return sqlite_message_; }
  const std::string& path() const { return path_; }

 private:
  int code_;
  std::string sqlite_message_;
  std::string path_;
};

// "SQLITE_BUSY" for 5 (primary code of any extended code); "SQLITE_ERROR"-style
// name, or "SQLITE_<n>" for codes this build does not know.
std::string ResultCodeName(int code);

enum class OpenMode { kReadOnly, kReadWriteCreate };

struct DatabaseOptions {
  OpenMode mode = OpenMode::kReadWriteCreate;
  int busy_timeout_ms = 30000;
  // Page cache per connection. Large batches upsert ~1M rows into two
  // B-trees; a cache that holds them avoids spilling mid-transaction.
  int cache_size_kib = 128 * 1024;
};

class Statement;

// One connection. On open: extended result codes, busy timeout, and for
// writable connections journal_mode=WAL and synchronous=NORMAL; always
// foreign_keys=ON. ":memory:" opens a private in-memory database.
class Database {
 public:
  // Throws StoreError (with the path) when the database cannot be opened.
  explicit Database(const std::string& path, const DatabaseOptions& options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more ;-separated statements that return no rows you need.
  void Exec(std::string_view sql);

  // A prepared statement kept for the life of the connection, returned reset
  // and with its bindings cleared. Do not hold two references to the same
  // cached SQL at once. Complexity: O(1) after the first call per SQL text.
  Statement& Cached(std::string_view sql);

  std::int64_t LastInsertRowId() const;
  // Rows changed by the most recent INSERT/UPDATE/DELETE.
  std::int64_t Changes() const;
  bool read_only() const { return read_only_; }
  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_; }

  // Throws StoreError for `what` with this connection's current error.
  [[noreturn]] void Fail(std::string_view what, int code) const;

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
  bool read_only_ = false;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

// A prepared statement. Parameter indexes are 1-based, column indexes 0-based.
class Statement {
 public:
  // Throws StoreError naming the SQL when it does not compile. `sql` must hold
  // exactly one statement (trailing whitespace or ';' allowed).
  Statement(Database& db, std::string_view sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Text is copied by SQLite (SQLITE_TRANSIENT): the argument may die after
  // the call. Throws StoreError for an index out of range.
  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<std::int64_t>(value)); }
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view value);
  Statement& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Statement& Bind(int index, const std::string& value) {
    return Bind(index, std::string_view(value));
  }
  Statement& Bind(int index, std::nullptr_t) { return BindNull(index); }
  Statement& BindNull(int index);
  // Bytes as a BLOB (copied, like text); an empty span binds a zero-length BLOB.
  Statement& BindBlob(int index, std::span<const std::byte> bytes);

  // Advances: true when a row is available, false when the statement is done.
  // Throws StoreError naming the SQL on any other outcome.
  bool Step();
  // Steps to completion, ignoring rows; returns the rows changed.
  std::int64_t Run();

  int ColumnCount() const;
  std::int64_t ColumnInt64(int column) const;
  double ColumnDouble(int column) const;
  // NULL reads as "". The view is valid until the next Step/Reset.
  std::string_view ColumnTextView(int column) const;
  std::string ColumnText(int column) const { return std::string(ColumnTextView(column)); }
  bool ColumnIsNull(int column) const;
  // A BLOB (or the bytes of any other value); NULL reads as empty. Valid
  // until the next Step/Reset.
  std::span<const std::byte> ColumnBlob(int column) const;

  // Makes the statement runnable again, keeping bindings. Never throws (an
  // earlier Step already reported any error).
  void Reset();
  void ClearBindings();

  const std::string& sql() const { return sql_; }

 private:
  void CheckBind(int rc, int index);

  Database* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;
};

// BEGIN on construction; ROLLBACK on destruction unless Commit() succeeded.
// IMMEDIATE (the default) takes the write lock at once, so a read-then-write
// sequence inside cannot fail with SQLITE_BUSY halfway.
class Transaction {
 public:
  enum class Behavior { kDeferred, kImmediate, kExclusive };

  explicit Transaction(Database& db, Behavior behavior = Behavior::kImmediate);
  // Rolls back if not committed; never throws.
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // Throws StoreError if COMMIT fails; the destructor then rolls back.
  void Commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace ringscope
