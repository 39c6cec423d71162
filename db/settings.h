// Settings a database is bound to once written (schema table `settings`):
// options that later ingests and analyses must reuse so that what is stored
// stays comparable, e.g. the MinHash options of the stored prompt sketches.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "db/sqlite.h"

namespace ringscope {

// The value of `key`, if set. One indexed lookup.
std::optional<std::string> ReadSetting(Database& db, std::string_view key);

// Sets `key` to `value` (insert or replace). Call inside the caller's write
// transaction when the setting must commit with the data it describes.
void WriteSetting(Database& db, std::string_view key, std::string_view value);

// The stored value of `key`, or `value` after storing it when the key is
// unset: the first writer binds the database. One or two statements.
std::string BindSetting(Database& db, std::string_view key, std::string_view value);

}  // namespace ringscope
