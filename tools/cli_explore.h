// What the exploration commands (`account`, `cluster`, `top`, `value`,
// `explain`) share: opening the database read-only, the run whose clusters
// and weights a query uses, and writing a result made of several sections.
//
// Sections: in --format table each section is a title line and an aligned
// table; in csv a line "# title" then the section as CSV with its header,
// sections separated by a blank line; in json one object whose keys are the
// section names (each an array of row objects, see SectionsJson).
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "db/store.h"
#include "tools/cli_common.h"
#include "tools/cli_links.h"

namespace ringscope {

// Opens the database of `global` read-only; CommandFailure when it does not exist.
Store OpenForQuery(const GlobalOptions& global);

// The run a query reads: `requested` (CommandFailure naming the latest when it
// does not exist), else the latest complete run, else none (queries then use
// the default weights and show no clusters). O(1) queries.
std::optional<std::int64_t> QueryRun(Database& db, std::int64_t requested);

struct Section {
  std::string key;    // json key, e.g. "links"
  std::string title;  // table/csv heading, e.g. "strongest linked accounts"
  Table table;
  std::string note;   // a line after the table (table format only), e.g. "(12 more)"
};

// Writes sections in table or csv form (see the header comment).
void WriteSections(const std::vector<Section>& sections, OutputFormat format, std::ostream& out);

// Writes a table as a JSON array of row objects into an open writer (numeric
// columns as numbers, empty numeric cells as null).
void TableJson(JsonWriter& json, const Table& table);

// RFC 3339 UTC, or "" when unknown.
std::string TimeText(Timestamp ts);

// One evidence entry as text: "payment card:A (2 accounts)", "link x2.5",
// "ip 10.0.0.1 (41 accounts, capped, hub factor unknown)".
std::string EvidenceText(const LinkEvidence& e);

// Evidence entries as a JSON array into an open writer.
void EvidenceJson(JsonWriter& json, const std::vector<LinkEvidence>& evidence);

}  // namespace ringscope
