#include "db/bulk_insert.h"

#include <sqlite3.h>

#include <cstring>
#include <memory>
#include <string>

namespace ringscope {

namespace {

// The eponymous virtual table ringscope_rows(pointer): columns c0..c7 of the
// BulkRows bound (sqlite3_bind_pointer) to its hidden argument.
constexpr const char* kModuleName = "ringscope_rows";
constexpr const char* kPointerType = "ringscope_bulk_rows";
constexpr int kSourceColumn = kMaxBulkColumns;  // the hidden argument

struct Cursor {
  sqlite3_vtab_cursor base;  // first: SQLite casts between the two
  const BulkRows* rows = nullptr;
  std::size_t row = 0;
};

int Connect(sqlite3* db, void*, int, const char* const*, sqlite3_vtab** vtab, char**) {
  const int rc = sqlite3_declare_vtab(
      db, "CREATE TABLE x(c0, c1, c2, c3, c4, c5, c6, c7, source HIDDEN)");
  if (rc != SQLITE_OK) return rc;
  *vtab = static_cast<sqlite3_vtab*>(sqlite3_malloc(sizeof(sqlite3_vtab)));
  if (*vtab == nullptr) return SQLITE_NOMEM;
  std::memset(*vtab, 0, sizeof(sqlite3_vtab));
  return SQLITE_OK;
}

int Disconnect(sqlite3_vtab* vtab) {
  sqlite3_free(vtab);
  return SQLITE_OK;
}

// Only a scan with the source given is possible.
int BestIndex(sqlite3_vtab*, sqlite3_index_info* info) {
  for (int i = 0; i < info->nConstraint; ++i) {
    const auto& constraint = info->aConstraint[i];
    if (constraint.iColumn != kSourceColumn || constraint.op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    if (!constraint.usable) return SQLITE_CONSTRAINT;
    info->aConstraintUsage[i].argvIndex = 1;
    info->aConstraintUsage[i].omit = 1;
    info->idxNum = 1;
    info->estimatedCost = 1;
    return SQLITE_OK;
  }
  return SQLITE_CONSTRAINT;
}

int Open(sqlite3_vtab*, sqlite3_vtab_cursor** cursor) {
  auto* c = new (std::nothrow) Cursor();
  if (c == nullptr) return SQLITE_NOMEM;
  *cursor = &c->base;
  return SQLITE_OK;
}

int Close(sqlite3_vtab_cursor* cursor) {
  delete reinterpret_cast<Cursor*>(cursor);
  return SQLITE_OK;
}

int Filter(sqlite3_vtab_cursor* cursor, int, const char*, int argc, sqlite3_value** argv) {
  auto* c = reinterpret_cast<Cursor*>(cursor);
  c->rows = argc > 0 ? static_cast<const BulkRows*>(sqlite3_value_pointer(argv[0], kPointerType))
                     : nullptr;
  c->row = 0;
  return SQLITE_OK;
}

int Next(sqlite3_vtab_cursor* cursor) {
  ++reinterpret_cast<Cursor*>(cursor)->row;
  return SQLITE_OK;
}

int Eof(sqlite3_vtab_cursor* cursor) {
  const auto* c = reinterpret_cast<const Cursor*>(cursor);
  return c->rows == nullptr || c->row >= c->rows->size();
}

int Column(sqlite3_vtab_cursor* cursor, sqlite3_context* context, int column) {
  const auto* c = reinterpret_cast<const Cursor*>(cursor);
  BulkCell cell(context);
  if (column < kMaxBulkColumns) {
    c->rows->Column(c->row, column, cell);
  } else {
    cell.Null();
  }
  return SQLITE_OK;
}

int Rowid(sqlite3_vtab_cursor* cursor, sqlite3_int64* rowid) {
  *rowid = static_cast<sqlite3_int64>(reinterpret_cast<const Cursor*>(cursor)->row);
  return SQLITE_OK;
}

sqlite3_module MakeModule() {
  sqlite3_module module{};
  module.iVersion = 0;
  module.xCreate = nullptr;  // eponymous only: never CREATE VIRTUAL TABLE, never in the schema
  module.xConnect = Connect;
  module.xBestIndex = BestIndex;
  module.xDisconnect = Disconnect;
  module.xDestroy = nullptr;
  module.xOpen = Open;
  module.xClose = Close;
  module.xFilter = Filter;
  module.xNext = Next;
  module.xEof = Eof;
  module.xColumn = Column;
  module.xRowid = Rowid;
  return module;
}

const sqlite3_module kModule = MakeModule();

using StatementHandle = std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)>;

StatementHandle Prepare(Database& db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db.handle(), sql.c_str(), static_cast<int>(sql.size()), &stmt,
                              nullptr);
  if (rc != SQLITE_OK) {
    // First use on this connection: register the module, then try again.
    sqlite3_finalize(stmt);
    stmt = nullptr;
    if (sqlite3_create_module_v2(db.handle(), kModuleName, &kModule, nullptr, nullptr) !=
        SQLITE_OK) {
      db.Fail("cannot register the bulk insert module", sqlite3_errcode(db.handle()));
    }
    rc = sqlite3_prepare_v2(db.handle(), sql.c_str(), static_cast<int>(sql.size()), &stmt,
                            nullptr);
  }
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    db.Fail("cannot prepare '" + sql + "'", rc);
  }
  return StatementHandle(stmt, sqlite3_finalize);
}

}  // namespace

void BulkCell::Int(std::int64_t value) { sqlite3_result_int64(context_, value); }
void BulkCell::Null() { sqlite3_result_null(context_); }
void BulkCell::Blob(std::span<const std::byte> value) {
  // A null data pointer would give NULL; an empty BLOB must stay a BLOB.
  static constexpr std::byte kNoBytes{};
  sqlite3_result_blob64(context_, value.empty() ? &kNoBytes : value.data(), value.size(),
                        SQLITE_STATIC);
}
void BulkCell::Text(std::string_view value) {
  sqlite3_result_text64(context_, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8);
}

std::int64_t BulkInsert(Database& db, std::string_view insert, int columns, const BulkRows& rows,
                        std::string_view tail) {
  if (columns < 1 || columns > kMaxBulkColumns) {
    throw StoreError("bulk insert of " + std::to_string(columns) + " columns", SQLITE_MISUSE,
                     "expected 1 to " + std::to_string(kMaxBulkColumns) + " columns", db.path());
  }
  if (rows.size() == 0) return 0;
  std::string sql(insert);
  sql += " SELECT ";
  for (int c = 0; c < columns; ++c) sql += (c > 0 ? ", c" : "c") + std::to_string(c);
  sql += " FROM ";
  sql += kModuleName;
  sql += "(?1) WHERE true";
  if (!tail.empty()) sql += " " + std::string(tail);
  StatementHandle statement = Prepare(db, sql);
  sqlite3_bind_pointer(statement.get(), 1, const_cast<BulkRows*>(&rows), kPointerType, nullptr);
  const int rc = sqlite3_step(statement.get());
  if (rc != SQLITE_DONE) db.Fail("cannot execute '" + sql + "'", rc);
  return sqlite3_changes64(db.handle());
}

}  // namespace ringscope
