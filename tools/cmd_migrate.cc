// The query commands open the database read-only and so cannot migrate it;
// this command opens it for writing, which applies the pending migrations
// (db/migrations.h) in one transaction, and says what it did.
#include "tools/cmd_migrate.h"

#include <filesystem>
#include <iostream>
#include <string>

#include "db/migrations.h"
#include "db/sqlite.h"
#include "db/store.h"
#include "tools/cli_runs.h"

namespace ringscope {

namespace {

void RunMigrate(const GlobalOptions& global) {
  const std::string path = global.ResolvedDbPath();
  int before = 0;
  {
    // Read-only first: the version found, before anything is written.
    if (!std::filesystem::exists(path))
      throw CommandFailure("no database at '" + path + "'; run 'ringscope ingest FILE...' first");
    Database db(path, {.mode = OpenMode::kReadOnly});
    before = ReadSchemaVersion(db);
  }
  Store store = OpenExistingStore(path);  // migrates
  const int after = store.SchemaVersion();
  if (before == after) {
    std::cout << "database " << path << " is at schema version " << after
              << ", the latest: nothing to do\n";
    return;
  }
  std::cout << "database " << path << " migrated from schema version " << before << " to "
            << after << ":\n";
  for (const Migration& m : Migrations())
    if (m.version > before && m.version <= after)
      std::cout << "  " << m.version << ": " << m.description << '\n';
}

}  // namespace

void SetupMigrateCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry) {
  CLI::App* cmd = app.add_subcommand(
      "migrate",
      "Bring a database written by an earlier release to this release's schema (PRAGMA\n"
      "user_version). ingest and analyze do it when they open the file; the query commands\n"
      "open it read-only and ask for this. One transaction: an interrupted migration\n"
      "leaves the file as it was. A schema newer than this release is refused.\n\n"
      "Example: ringscope --db old.db migrate");
  registry.Add(cmd, [&global] { RunMigrate(global); });
}

}  // namespace ringscope
