#include "db/rejects.h"

#include "ingest/batch.h"

namespace ringscope {

namespace {

// The id that `source` names ("3" or "#3"), or -1 when it is not a number.
std::int64_t SourceIdOf(std::string_view source) {
  if (!source.empty() && source.front() == '#') source.remove_prefix(1);
  if (source.empty() || source.size() > 18) return -1;
  std::int64_t id = 0;
  for (char c : source) {
    if (c < '0' || c > '9') return -1;
    id = id * 10 + (c - '0');
  }
  return id;
}

// LIKE pattern matching `text` anywhere, with %, _ and \ escaped.
std::string ContainsPattern(std::string_view text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  return pattern + "%";
}

}  // namespace

bool RawMayBeTruncated(std::string_view raw) { return raw.size() + 3 >= kMaxRejectRawBytes; }

std::vector<RejectRow> LoadRejects(Database& db, const RejectFilter& filter) {
  Statement select(db,
                   "SELECT r.source_id, r.line, r.field, r.reason, r.raw FROM rejects r "
                   "JOIN sources s ON s.id = r.source_id "
                   "WHERE (?1 = '' OR s.path = ?1 OR s.id = ?2) "
                   "AND (?3 = '' OR r.reason LIKE ?4 ESCAPE '\\' OR r.field LIKE ?4 ESCAPE '\\') "
                   "ORDER BY r.source_id, r.line, r.id");
  select.Bind(1, filter.source).Bind(2, SourceIdOf(filter.source));
  select.Bind(3, filter.reason).Bind(4, ContainsPattern(filter.reason));
  std::vector<RejectRow> rows;
  while (select.Step()) {
    RejectRow row;
    row.source_id = select.ColumnInt64(0);
    row.line = select.ColumnInt64(1);
    row.field = select.ColumnText(2);
    row.reason = select.ColumnText(3);
    row.raw = select.ColumnText(4);
    row.truncated = RawMayBeTruncated(row.raw);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<RejectSourceInfo> FindRejectSources(Database& db, const RejectFilter& filter) {
  Statement select(db,
                   "SELECT id, path, format, size, sha256 FROM sources "
                   "WHERE ?1 = '' OR path = ?1 OR id = ?2 ORDER BY id");
  select.Bind(1, filter.source).Bind(2, SourceIdOf(filter.source));
  std::vector<RejectSourceInfo> sources;
  while (select.Step()) {
    sources.push_back({.id = select.ColumnInt64(0),
                       .path = select.ColumnText(1),
                       .format = select.ColumnText(2),
                       .size = select.ColumnInt64(3),
                       .sha256 = select.ColumnText(4)});
  }
  return sources;
}

}  // namespace ringscope
