// Reading the rows that ingest refused (schema table `rejects`), for listing
// them and for writing them back out as a file to fix and ingest again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/sqlite.h"

namespace ringscope {

struct RejectFilter {
  // A source id ("3" or "#3") or a path exactly as ingested; empty: every source.
  std::string source;
  // Part of the reason or the field (ASCII case-insensitive); empty: every reason.
  std::string reason;
};

struct RejectSourceInfo {
  std::int64_t id = 0;
  std::string path;    // as given to ingest ("-" for standard input)
  std::string format;  // sources.format: 'requests', 'signals', ...
  std::int64_t size = 0;
  std::string sha256;
};

struct RejectRow {
  std::int64_t source_id = 0;
  std::int64_t line = 0;  // 1-based line where the row starts
  std::string field;
  std::string reason;
  std::string raw;         // as stored: at most kMaxRejectRawBytes
  bool truncated = false;  // RawMayBeTruncated(raw)
};

// True when `raw` may be the cut first part of a longer row: ingest keeps at
// most 4096 bytes, cut on a UTF-8 boundary, so any raw of 4093 bytes or more
// may be cut (a row of exactly that length is reported too). O(1).
bool RawMayBeTruncated(std::string_view raw);

// The rejected rows matching `filter`, ordered by source id, then line.
// Values are bound, never spliced. O(rejects) with the source index.
std::vector<RejectRow> LoadRejects(Database& db, const RejectFilter& filter);

// The sources that `filter.source` names (several when one path was ingested
// with different contents), ordered by id; every source when it is empty.
std::vector<RejectSourceInfo> FindRejectSources(Database& db, const RejectFilter& filter);

}  // namespace ringscope
