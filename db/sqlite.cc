#include "db/sqlite.h"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <utility>

namespace ringscope {
namespace {

// SQL quoted in messages is cut so a huge statement does not flood the log.
std::string Abbreviate(std::string_view sql) {
  constexpr std::size_t kMax = 120;
  std::string out(sql.substr(0, kMax));
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (sql.size() > kMax) out += "...";
  return out;
}

std::string FormatMessage(std::string_view what, int code, const std::string& message,
                          const std::string& path) {
  std::string out(what);
  if (!path.empty()) out += " (database '" + path + "')";
  out += ": ";
  out += message.empty() ? std::string(sqlite3_errstr(code)) : message;
  out += " (" + ResultCodeName(code) + ", code " + std::to_string(code) + ")";
  return out;
}

}  // namespace

StoreError::StoreError(std::string_view what, int code, std::string sqlite_message,
                       std::string path)
    : std::runtime_error(FormatMessage(what, code, sqlite_message, path)),
      code_(code),
      sqlite_message_(std::move(sqlite_message)),
      path_(std::move(path)) {}

std::string ResultCodeName(int code) {
  switch (code & 0xff) {
    case SQLITE_OK:
      return "SQLITE_OK";
    case SQLITE_ERROR:
      return "SQLITE_ERROR";
    case SQLITE_INTERNAL:
      return "SQLITE_INTERNAL";
    case SQLITE_PERM:
      return "SQLITE_PERM";
    case SQLITE_ABORT:
      return "SQLITE_ABORT";
    case SQLITE_BUSY:
      return "SQLITE_BUSY";
    case SQLITE_LOCKED:
      return "SQLITE_LOCKED";
    case SQLITE_NOMEM:
      return "SQLITE_NOMEM";
    case SQLITE_READONLY:
      return "SQLITE_READONLY";
    case SQLITE_INTERRUPT:
      return "SQLITE_INTERRUPT";
    case SQLITE_IOERR:
      return "SQLITE_IOERR";
    case SQLITE_CORRUPT:
      return "SQLITE_CORRUPT";
    case SQLITE_NOTFOUND:
      return "SQLITE_NOTFOUND";
    case SQLITE_FULL:
      return "SQLITE_FULL";
    case SQLITE_CANTOPEN:
      return "SQLITE_CANTOPEN";
    case SQLITE_PROTOCOL:
      return "SQLITE_PROTOCOL";
    case SQLITE_EMPTY:
      return "SQLITE_EMPTY";
    case SQLITE_SCHEMA:
      return "SQLITE_SCHEMA";
    case SQLITE_TOOBIG:
      return "SQLITE_TOOBIG";
    case SQLITE_CONSTRAINT:
      return "SQLITE_CONSTRAINT";
    case SQLITE_MISMATCH:
      return "SQLITE_MISMATCH";
    case SQLITE_MISUSE:
      return "SQLITE_MISUSE";
    case SQLITE_NOLFS:
      return "SQLITE_NOLFS";
    case SQLITE_AUTH:
      return "SQLITE_AUTH";
    case SQLITE_FORMAT:
      return "SQLITE_FORMAT";
    case SQLITE_RANGE:
      return "SQLITE_RANGE";
    case SQLITE_NOTADB:
      return "SQLITE_NOTADB";
    case SQLITE_NOTICE:
      return "SQLITE_NOTICE";
    case SQLITE_WARNING:
      return "SQLITE_WARNING";
    case SQLITE_ROW:
      return "SQLITE_ROW";
    case SQLITE_DONE:
      return "SQLITE_DONE";
    default:
      return "SQLITE_" + std::to_string(code & 0xff);
  }
}

// ---------------------------------------------------------------- Database

Database::Database(const std::string& path, const DatabaseOptions& options)
    : path_(path), read_only_(options.mode == OpenMode::kReadOnly) {
  const int flags =
      (read_only_ ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
      SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    // On most failures SQLite still hands back a handle holding the message.
    std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw StoreError("cannot open database", rc, std::move(message), path_);
  }
  sqlite3_extended_result_codes(db_, 1);
  try {
    if (int busy = sqlite3_busy_timeout(db_, options.busy_timeout_ms); busy != SQLITE_OK) {
      Fail("cannot set busy_timeout", busy);
    }
    // A read-only connection cannot switch the journal mode; it reads WAL
    // databases as they are.
    if (!read_only_) {
      // Takes effect only while the file is empty (a new database).
      Exec("PRAGMA page_size=16384");
      Statement journal(*this, "PRAGMA journal_mode=WAL");
      const bool in_memory = path_.empty() || path_ == ":memory:";
      if (journal.Step() && journal.ColumnTextView(0) != "wal" && !in_memory) {
        spdlog::warn("database '{}' stays in journal mode '{}' (WAL unavailable)", path_,
                     journal.ColumnTextView(0));
      }
      Exec("PRAGMA synchronous=NORMAL");
    }
    Exec("PRAGMA foreign_keys=ON");
    Exec("PRAGMA cache_size=-" + std::to_string(options.cache_size_kib));
    Exec("PRAGMA temp_store=MEMORY");
    // Readers map the file: a page read is then a memory access, not a
    // pread and a copy (the query commands read thousands of scattered
    // pages). SQLite caps it at its compile-time maximum (2 GiB in Debian's).
    if (read_only_) Exec("PRAGMA mmap_size=" + std::to_string(std::int64_t{1} << 36));
  } catch (...) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw;
  }
}

Database::~Database() {
  cache_.clear();  // statements must be finalized before the connection closes
  sqlite3_close_v2(db_);
}

void Database::Fail(std::string_view what, int code) const {
  throw StoreError(what, code, db_ != nullptr ? sqlite3_errmsg(db_) : "", path_);
}

void Database::Exec(std::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string what = message != nullptr ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    throw StoreError("cannot execute '" + Abbreviate(sql) + "'", sqlite3_extended_errcode(db_),
                     std::move(what), path_);
  }
}

Statement& Database::Cached(std::string_view sql) {
  std::string key(sql);
  auto it = cache_.find(key);
  if (it == cache_.end()) {
    auto statement = std::make_unique<Statement>(*this, sql);
    it = cache_.emplace(std::move(key), std::move(statement)).first;
  } else {
    it->second->Reset();
    it->second->ClearBindings();
  }
  return *it->second;
}

std::int64_t Database::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

std::int64_t Database::Changes() const { return sqlite3_changes64(db_); }

// ---------------------------------------------------------------- Statement

Statement::Statement(Database& db, std::string_view sql) : db_(&db), sql_(sql) {
  const char* tail = nullptr;
  const int rc =
      sqlite3_prepare_v2(db.handle(), sql_.data(), static_cast<int>(sql_.size()), &stmt_, &tail);
  if (rc != SQLITE_OK) {
    db.Fail("cannot prepare '" + Abbreviate(sql_) + "'", rc);
  }
  if (stmt_ == nullptr) {
    throw StoreError("cannot prepare '" + Abbreviate(sql_) + "'", SQLITE_MISUSE,
                     "the text holds no SQL statement", db.path());
  }
  for (const char* p = tail; p != nullptr && p < sql_.data() + sql_.size(); ++p) {
    if (*p != ' ' && *p != '\n' && *p != '\r' && *p != '\t' && *p != ';') {
      sqlite3_finalize(stmt_);
      stmt_ = nullptr;
      throw StoreError("cannot prepare '" + Abbreviate(sql_) + "'", SQLITE_MISUSE,
                       "more than one statement given; use Database::Exec", db.path());
    }
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)), sql_(std::move(other.sql_)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = std::exchange(other.stmt_, nullptr);
    sql_ = std::move(other.sql_);
  }
  return *this;
}

void Statement::CheckBind(int rc, int index) {
  if (rc != SQLITE_OK) {
    throw StoreError(
        "cannot bind parameter " + std::to_string(index) + " of '" + Abbreviate(sql_) + "'", rc,
        sqlite3_errmsg(db_->handle()), db_->path());
  }
}

Statement& Statement::Bind(int index, std::int64_t value) {
  CheckBind(sqlite3_bind_int64(stmt_, index, value), index);
  return *this;
}

Statement& Statement::Bind(int index, double value) {
  CheckBind(sqlite3_bind_double(stmt_, index, value), index);
  return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
  // A null data pointer would bind NULL; an empty string must stay ''.
  CheckBind(sqlite3_bind_text64(stmt_, index, value.empty() ? "" : value.data(), value.size(),
                                SQLITE_TRANSIENT, SQLITE_UTF8),
            index);
  return *this;
}

Statement& Statement::BindBlob(int index, std::span<const std::byte> bytes) {
  // A null data pointer would bind NULL; an empty BLOB must stay a BLOB.
  static constexpr std::byte kNoBytes{};
  CheckBind(sqlite3_bind_blob64(stmt_, index, bytes.empty() ? &kNoBytes : bytes.data(),
                                bytes.size(), SQLITE_TRANSIENT),
            index);
  return *this;
}

Statement& Statement::BindNull(int index) {
  CheckBind(sqlite3_bind_null(stmt_, index), index);
  return *this;
}

bool Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_->Fail("cannot execute '" + Abbreviate(sql_) + "'", rc);
}

std::int64_t Statement::Run() {
  while (Step()) {
  }
  return sqlite3_changes64(db_->handle());
}

int Statement::ColumnCount() const { return sqlite3_column_count(stmt_); }

std::int64_t Statement::ColumnInt64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

double Statement::ColumnDouble(int column) const { return sqlite3_column_double(stmt_, column); }

std::string_view Statement::ColumnTextView(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (text == nullptr) return {};
  return {text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
}

std::span<const std::byte> Statement::ColumnBlob(int column) const {
  const auto* bytes = static_cast<const std::byte*>(sqlite3_column_blob(stmt_, column));
  if (bytes == nullptr) return {};
  return {bytes, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
}

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

void Statement::Reset() { sqlite3_reset(stmt_); }

void Statement::ClearBindings() { sqlite3_clear_bindings(stmt_); }

// ---------------------------------------------------------------- Transaction

Transaction::Transaction(Database& db, Behavior behavior) : db_(db) {
  switch (behavior) {
    case Behavior::kDeferred:
      db_.Exec("BEGIN DEFERRED");
      break;
    case Behavior::kImmediate:
      db_.Exec("BEGIN IMMEDIATE");
      break;
    case Behavior::kExclusive:
      db_.Exec("BEGIN EXCLUSIVE");
      break;
  }
}

Transaction::~Transaction() {
  if (done_) return;
  // SQLite may already have rolled back on its own (SQLITE_FULL, SQLITE_NOMEM).
  if (sqlite3_get_autocommit(db_.handle()) != 0) return;
  const int rc = sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    try {
      spdlog::error("rollback failed (database '{}'): {} ({})", db_.path(),
                    sqlite3_errmsg(db_.handle()), ResultCodeName(rc));
    } catch (...) {
      // Logging must not turn a rollback into a crash.
    }
  }
}

void Transaction::Commit() {
  db_.Exec("COMMIT");
  done_ = true;
}

}  // namespace ringscope
