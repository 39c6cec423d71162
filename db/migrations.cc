#include "db/migrations.h"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <string>

#include "db/schema_002_prompts_sql.h"
#include "db/schema_003_run_hubs_sql.h"
#include "db/schema_004_value_counts_sql.h"
#include "db/schema_005_run_neighbours_sql.h"
#include "db/schema_sql.h"

namespace ringscope {
namespace {

// Append only: a released migration never changes, a new one gets the next
// version. Never renumber.
constexpr Migration kMigrations[] = {
    {.version = 1, .description = "initial schema (schema.sql)", .sql = embedded::k_schema},
    {.version = 2,
     .description = "prompt sketches, prompt clusters and settings (schema_002_prompts.sql)",
     .sql = embedded::k_schema_002_prompts},
    {.version = 3,
     .description = "the hub decisions of each run (schema_003_run_hubs.sql)",
     .sql = embedded::k_schema_003_run_hubs},
    {.version = 4,
     .description = "the count of each observation in the by-value index "
                    "(schema_004_value_counts.sql)",
     .sql = embedded::k_schema_004_value_counts},
    {.version = 5,
     .description = "each account's strongest links in the newest run "
                    "(schema_005_run_neighbours.sql)",
     .sql = embedded::k_schema_005_run_neighbours},
};

void WriteSchemaVersion(Database& db, int version) {
  // PRAGMA takes no bound parameters; the value is an int, not user text.
  db.Exec("PRAGMA user_version = " + std::to_string(version));
}

// The version check runs again inside the write transaction: another process
// may have migrated the file between our first read and taking the lock.
void RefuseNewer(Database& db, int version) {
  if (version > LatestSchemaVersion()) {
    throw StoreError("database schema version " + std::to_string(version) +
                         " is newer than this ringscope supports (" +
                         std::to_string(LatestSchemaVersion()) +
                         "); it was written by a later release: upgrade ringscope",
                     SQLITE_ERROR, "schema version too new", db.path());
  }
}

// A file at version 0 that already holds tables is some other application's
// database: creating ours beside them would mix two schemas.
void RefuseForeign(Database& db, int version) {
  if (version != 0) return;
  Statement tables(db, "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'");
  tables.Step();
  if (tables.ColumnInt64(0) > 0) {
    throw StoreError("not a ringscope database: it holds " + std::to_string(tables.ColumnInt64(0)) +
                         " tables but no schema version; use a new file",
                     SQLITE_ERROR, "unexpected schema", db.path());
  }
}

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

int LatestSchemaVersion() { return Migrations().back().version; }

int ReadSchemaVersion(Database& db) {
  Statement statement(db, "PRAGMA user_version");
  statement.Step();
  return static_cast<int>(statement.ColumnInt64(0));
}

int MigrateToLatest(Database& db) {
  const int found = ReadSchemaVersion(db);
  RefuseNewer(db, found);
  if (found == LatestSchemaVersion()) return found;
  if (db.read_only()) {
    throw StoreError("database schema version " + std::to_string(found) + " is older than " +
                         std::to_string(LatestSchemaVersion()) +
                         " and this command opens it read-only: run `ringscope migrate` "
                         "once to bring it up to date",
                     SQLITE_READONLY, "migration needed", db.path());
  }
  Transaction transaction(db);
  int version = ReadSchemaVersion(db);
  RefuseNewer(db, version);
  RefuseForeign(db, version);
  for (const Migration& migration : Migrations()) {
    if (migration.version <= version) continue;
    // Creating a new file is routine; upgrading an existing one is news.
    spdlog::log(version == 0 ? spdlog::level::debug : spdlog::level::info,
                "migrating database '{}' to schema version {}: {}", db.path(), migration.version,
                migration.description);
    db.Exec(migration.sql);
    WriteSchemaVersion(db, migration.version);
    version = migration.version;
  }
  transaction.Commit();
  return version;
}

}  // namespace ringscope
