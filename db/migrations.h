// Schema migrations: PRAGMA user_version holds the schema version of a file;
// migration N takes a database from version N-1 to N. Version 1 is schema.sql, version N
// > 1 is db/schema_NNN_*.sql.
#pragma once

#include <span>
#include <string_view>

#include "db/sqlite.h"

namespace ringscope {

struct Migration {
  int version = 0;               // the version the database has after it
  std::string_view description;  // one line, for the log
  std::string_view sql;          // statements run inside the migration transaction
};

// The ordered list; versions are 1, 2, ... without gaps.
std::span<const Migration> Migrations();

// The schema version this binary writes (the last migration's).
int LatestSchemaVersion();

// PRAGMA user_version of the open database.
int ReadSchemaVersion(Database& db);

// Applies every pending migration in ONE immediate transaction (all or none).
// Throws StoreError when the database is newer than this binary (written by a
// later ringscope), or when it needs migrating but is open read-only.
// Returns the version the database has afterwards. Complexity: the cost of
// the pending migrations; O(1) when none are pending.
int MigrateToLatest(Database& db);

}  // namespace ringscope
