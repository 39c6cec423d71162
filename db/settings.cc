#include "db/settings.h"

namespace ringscope {

std::optional<std::string> ReadSetting(Database& db, std::string_view key) {
  Statement& read = db.Cached("SELECT value FROM settings WHERE key = ?1");
  read.Bind(1, key);
  std::optional<std::string> value;
  if (read.Step()) value = read.ColumnText(0);
  read.Reset();  // no read lock is left behind
  return value;
}

void WriteSetting(Database& db, std::string_view key, std::string_view value) {
  Statement& write = db.Cached("INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)");
  write.Bind(1, key).Bind(2, value).Run();
}

std::string BindSetting(Database& db, std::string_view key, std::string_view value) {
  if (std::optional<std::string> stored = ReadSetting(db, key)) return *stored;
  WriteSetting(db, key, value);
  return std::string(value);
}

}  // namespace ringscope
