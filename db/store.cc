#include "db/store.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <cstdlib>
#include <functional>
#include <future>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "db/bulk_insert.h"
#include "db/migrations.h"
#include "db/settings.h"
#include "ingest/flat_index.h"
#include "ingest/ingest.h"
#include "ingest/normalize.h"
#include "ingest/prompt_sketch.h"

namespace ringscope {
namespace {

// ------------------------------------------------------------ helpers

bool IsFilePath(const std::string& path) {
  return !path.empty() && path != ":memory:" && !path.starts_with("file:");
}

// SQLite would create the file with the process umask (often 0644): create it
// first, 0600, so account data is never readable by other users. SQLite gives
// its -wal and -shm files the database file's mode.
void CreatePrivateFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int error = errno;
    throw StoreError("cannot create database file", SQLITE_CANTOPEN, std::strerror(error), path);
  }
  ::close(fd);
}

void BindTimestamp(Statement& statement, int index, Timestamp ts) {
  if (ts == kNoTimestamp) {
    statement.BindNull(index);
  } else {
    statement.Bind(index, static_cast<std::int64_t>(ts));
  }
}

// Empty text means "not given" in the batch and NULL in the database.
void BindTextOrNull(Statement& statement, int index, std::string_view text) {
  if (text.empty()) {
    statement.BindNull(index);
  } else {
    statement.Bind(index, text);
  }
}

// At most `max_bytes`, never splitting a UTF-8 sequence.
std::string_view TruncateUtf8(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

// Steps a statement expected to yield at most one integer; leaves it reset so
// that no read stays open.
std::optional<std::int64_t> StepInt64(Statement& statement) {
  std::optional<std::int64_t> result;
  if (statement.Step()) result = statement.ColumnInt64(0);
  statement.Reset();
  return result;
}

std::int64_t QueryInt64(Database& db, std::string_view sql) {
  return StepInt64(db.Cached(sql)).value_or(0);
}

std::string Position(std::string_view what, std::size_t index) {
  return std::string(what) + " " + std::to_string(index);
}

// ------------------------------------------------------------ validation

void CheckIndex(std::string_view what, std::size_t item, std::string_view field,
                std::uint32_t index, std::size_t size) {
  if (index >= size) {
    throw std::invalid_argument(Position(what, item) + ": " + std::string(field) + " index " +
                                std::to_string(index) + " is out of range (the batch has " +
                                std::to_string(size) + ")");
  }
}

// Everything CommitSource relies on, checked before the transaction starts.
void ValidateBatch(const SourceBatch& batch) {
  if (batch.source.sha256.empty()) {
    throw std::invalid_argument("source '" + batch.source.path + "' has no sha256");
  }
  for (std::size_t i = 0; i < batch.accounts.size(); ++i) {
    if (batch.accounts[i].name.empty()) {
      throw std::invalid_argument(Position("account", i) + " has an empty name");
    }
  }
  for (std::size_t i = 0; i < batch.values.size(); ++i) {
    if (batch.values[i].kind.empty()) {
      throw std::invalid_argument(Position("value", i) + " has an empty kind");
    }
  }
  const std::size_t accounts = batch.accounts.size();
  const std::size_t values = batch.values.size();
  for (std::size_t i = 0; i < batch.observations.size(); ++i) {
    const ObservationAggregate& o = batch.observations[i];
    CheckIndex("observation", i, "account", o.account, accounts);
    CheckIndex("observation", i, "value", o.value, values);
    if (o.count < 0) {
      throw std::invalid_argument(Position("observation", i) + ": count must be >= 0, got " +
                                  std::to_string(o.count));
    }
  }
  for (std::size_t i = 0; i < batch.prompt_examples.size(); ++i) {
    CheckIndex("prompt example", i, "account", batch.prompt_examples[i].account, accounts);
    CheckIndex("prompt example", i, "value", batch.prompt_examples[i].value, values);
  }
  for (std::size_t i = 0; i < batch.links.size(); ++i) {
    CheckIndex("link", i, "src", batch.links[i].src, accounts);
    CheckIndex("link", i, "dst", batch.links[i].dst, accounts);
  }
  for (std::size_t i = 0; i < batch.prompt_templates.size(); ++i) {
    const std::uint32_t value = batch.prompt_templates.entry(i).value;
    CheckIndex("prompt template", i, "value", value, values);
    // A sketch filed under another fingerprint would be silently wrong.
    if (batch.values[value].kind != "prompt" ||
        batch.values[value].value != PromptFingerprint(batch.prompt_templates.text(i))) {
      throw std::invalid_argument(Position("prompt template", i) + ": value " +
                                  std::to_string(value) + " (" + batch.values[value].kind + " '" +
                                  batch.values[value].value.substr(0, 40) +
                                  "') is not the prompt fingerprint of its template");
    }
  }
}

// ------------------------------------------------------------ commit phases

std::int64_t InsertSource(Database& db, const SourceInfo& source) {
  Statement& insert = db.Cached(
      "INSERT INTO sources (path, size, sha256, format, list_name, rows_read, rows_ingested, "
      "rows_rejected, started_at, finished_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
      "RETURNING id");
  insert.Bind(1, source.path).Bind(2, source.size).Bind(3, source.sha256);
  insert.Bind(4, InputFormatName(source.format));
  BindTextOrNull(insert, 5, source.list_name);
  insert.Bind(6, source.rows_read).Bind(7, source.rows_ingested).Bind(8, source.rows_rejected);
  BindTimestamp(insert, 9, source.started_at);
  BindTimestamp(insert, 10, source.finished_at);
  return StepInt64(insert).value();
}

// Batch positions ordered by `less` (ties in batch order). Accounts go in name
// order so that new names reach the unique index at neighbouring positions.
// (Values are left in batch order: their ids then follow first appearance,
// which keeps prompt examples, written in batch order, near-sequential.)
template <typename Less>
std::vector<std::uint32_t> SortedOrder(std::size_t size, Less less) {
  std::vector<std::uint32_t> order(size);
  for (std::uint32_t i = 0; i < size; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), less);
  return order;
}

// Upserts every account (requests add, first/last widen, created_at set when
// given) and its attributes; returns the database id of each batch account.
// A lookup then an INSERT or UPDATE by id: inside the write transaction this
// cannot race, and it costs half of an upsert with RETURNING.
std::vector<std::int64_t> UpsertAccounts(Database& db,
                                         const std::vector<AccountAggregate>& accounts) {
  Statement& find = db.Cached("SELECT id FROM accounts WHERE name = ?1");
  Statement& insert = db.Cached(
      "INSERT INTO accounts (name, created_at, requests, first_ts, last_ts) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  Statement& update = db.Cached(
      "UPDATE accounts SET created_at = coalesce(?2, created_at), requests = requests + ?3, "
      "first_ts = coalesce(min(first_ts, ?4), first_ts, ?4), "
      "last_ts = coalesce(max(last_ts, ?5), last_ts, ?5) WHERE id = ?1");
  Statement& attribute = db.Cached(
      "INSERT INTO account_attributes (account_id, key, value) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (account_id, key) DO UPDATE SET value = excluded.value");
  std::vector<std::int64_t> ids(accounts.size());
  const auto order = SortedOrder(accounts.size(), [&](std::uint32_t a, std::uint32_t b) {
    return accounts[a].name < accounts[b].name;
  });
  for (std::uint32_t i : order) {
    const AccountAggregate& account = accounts[i];
    find.Bind(1, account.name);
    const std::optional<std::int64_t> found = StepInt64(find);
    Statement& write = found ? update : insert;
    if (found) {
      write.Bind(1, *found);
    } else {
      write.Bind(1, account.name);
    }
    BindTimestamp(write, 2, account.created_at);
    write.Bind(3, account.requests);
    BindTimestamp(write, 4, account.first_ts);
    BindTimestamp(write, 5, account.last_ts);
    write.Run();
    write.Reset();
    ids[i] = found ? *found : db.LastInsertRowId();
    for (const auto& [key, value] : account.attributes) {
      attribute.Bind(1, ids[i]).Bind(2, key).Bind(3, value);
      attribute.Run();
      attribute.Reset();
    }
  }
  return ids;
}

// Upserts kinds by name; returns the kind id of each batch value.
std::vector<std::int64_t> UpsertKinds(Database& db, const std::vector<Signal>& values) {
  Statement& upsert = db.Cached(
      "INSERT INTO kinds (name) VALUES (?1) ON CONFLICT (name) DO UPDATE SET name = name "
      "RETURNING id");
  std::unordered_map<std::string, std::int64_t> kind_ids;
  std::vector<std::int64_t> ids;
  ids.reserve(values.size());
  for (const Signal& signal : values) {
    auto kind = kind_ids.find(signal.kind);
    if (kind == kind_ids.end()) {
      upsert.Bind(1, signal.kind);
      kind = kind_ids.emplace(signal.kind, StepInt64(upsert).value()).first;
    }
    ids.push_back(kind->second);
  }
  return ids;
}

// One observations row. Until the values are written, value_id holds the
// batch value index (database ids are not known yet).
struct ObservationRow {
  std::int64_t account_id;
  std::int64_t value_id;
  std::int64_t count;
  Timestamp first_ts;
  Timestamp last_ts;
};

bool PairLess(const ObservationRow& a, const ObservationRow& b) {
  return a.account_id != b.account_id ? a.account_id < b.account_id : a.value_id < b.value_id;
}

// min/max where kNoTimestamp means unknown, as coalesce(min(a, b), a, b) in SQL.
Timestamp Earlier(Timestamp a, Timestamp b) {
  return a == kNoTimestamp ? b : b == kNoTimestamp ? a : std::min(a, b);
}
Timestamp Later(Timestamp a, Timestamp b) {
  return a == kNoTimestamp ? b : b == kNoTimestamp ? a : std::max(a, b);
}

// Sorts rows by (account, value) and folds rows of the same pair into one
// (counts add, first/last widen): what upserting them one by one would store.
// Complexity: O(n log n).
void SortAndMerge(std::vector<ObservationRow>& rows) {
  std::sort(rows.begin(), rows.end(), PairLess);
  std::size_t out = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (out > 0 && rows[out - 1].account_id == rows[i].account_id &&
        rows[out - 1].value_id == rows[i].value_id) {
      ObservationRow& kept = rows[out - 1];
      kept.count += rows[i].count;
      kept.first_ts = Earlier(kept.first_ts, rows[i].first_ts);
      kept.last_ts = Later(kept.last_ts, rows[i].last_ts);
    } else {
      rows[out++] = rows[i];
    }
  }
  rows.resize(out);
}

// The batch's observations by database account id and batch value index,
// sorted and merged. A batch that names an account twice (two entries, one
// database id) or a pair twice yields one row per distinct pair.
std::vector<ObservationRow> BatchObservationRows(const SourceBatch& batch,
                                                 const std::vector<std::int64_t>& account_ids) {
  std::vector<ObservationRow> rows;
  rows.reserve(batch.observations.size());
  for (const ObservationAggregate& o : batch.observations) {
    rows.push_back({account_ids[o.account], o.value, o.count, o.first_ts, o.last_ts});
  }
  SortAndMerge(rows);
  return rows;
}

// Distinct accounts per batch value, from the merged rows. O(rows).
std::vector<std::int64_t> BatchAccountCounts(const std::vector<ObservationRow>& rows,
                                             std::size_t values) {
  std::vector<std::int64_t> counts(values, 0);
  for (const ObservationRow& row : rows) ++counts[static_cast<std::size_t>(row.value_id)];
  return counts;
}

struct ValueIds {
  std::vector<std::int64_t> ids;  // database id of each batch value
  std::vector<bool> created;      // per batch value: inserted by this commit
  // Values whose account_count must be recounted once the observations are
  // in: every value that was found rather than created (sorted, distinct).
  std::vector<std::int64_t> to_recount;
  // The ids of created values: [first_created, end_created).
  std::int64_t first_created = 0;
  std::int64_t end_created = 0;
};

bool TableIsEmpty(Database& db, std::string_view exists_sql) {
  return StepInt64(db.Cached(exists_sql)).value_or(0) == 0;
}

std::uint64_t MixPair(std::int64_t a, std::int64_t b) {
  // splitmix64's finaliser over both ids: spreads sequential ids over a table.
  std::uint64_t x = static_cast<std::uint64_t>(a) * 0x9E3779B97F4A7C15ull ^
                    static_cast<std::uint64_t>(b);
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// For each batch value, the batch index of the first value with its kind and
// text (itself, unless the batch lists the value twice). O(n) expected.
std::vector<std::uint32_t> FirstOccurrences(const std::vector<Signal>& values,
                                            const std::vector<std::int64_t>& kind_ids) {
  std::vector<std::uint32_t> first(values.size());
  FlatIndex index(values.size() + 16);
  for (std::uint32_t i = 0; i < values.size(); ++i) {
    const std::uint64_t hash = MixPair(kind_ids[i], 0) ^ std::hash<std::string_view>()(values[i].value);
    first[i] = index.FindOrInsert(hash, i, [&](std::uint32_t j) {
      return kind_ids[j] == kind_ids[i] && values[j].value == values[i].value;
    });
  }
  return first;
}

// Maps values to ids by (kind, value), inserting the missing ones. New values
// get the ids SQLite would give them inserted one by one in batch order
// (max(id) + 1, + 2, ...; ids follow first appearance), written in one bulk
// insert. A value created here has no observations but this batch's, so its
// account_count is the batch's distinct-account count, written with the row;
// values found (older ones, or one the batch lists twice) are recounted later.
// Nothing is looked up in an empty table.
ValueIds UpsertValues(Database& db, const SourceBatch& batch,
                      const std::vector<std::int64_t>& batch_counts) {
  const std::vector<Signal>& values = batch.values;
  const std::vector<std::int64_t> kind_ids = UpsertKinds(db, values);
  const std::vector<std::uint32_t> first = FirstOccurrences(values, kind_ids);
  ValueIds result;
  result.ids.resize(values.size());
  result.created.resize(values.size(), false);
  std::vector<bool> stored(values.size(), false);
  if (!TableIsEmpty(db, "SELECT EXISTS (SELECT 1 FROM signal_values)")) {
    Statement& find = db.Cached("SELECT id FROM signal_values WHERE kind_id = ?1 AND value = ?2");
    for (std::uint32_t i = 0; i < values.size(); ++i) {
      if (first[i] != i) continue;
      find.Bind(1, kind_ids[i]).Bind(2, values[i].value);
      if (const std::optional<std::int64_t> id = StepInt64(find)) {
        result.ids[i] = *id;
        stored[i] = true;
      }
    }
  }
  std::int64_t next_id = QueryInt64(db, "SELECT coalesce(max(id), 0) FROM signal_values") + 1;
  if (next_id > std::numeric_limits<std::int64_t>::max() - static_cast<std::int64_t>(values.size())) {
    throw StoreError("cannot number new values", SQLITE_FULL, "signal_values ids exhausted",
                     db.path());
  }
  std::vector<std::uint32_t> fresh;  // batch indexes to insert, in batch order
  result.first_created = next_id;
  for (std::uint32_t i = 0; i < values.size(); ++i) {
    if (first[i] != i || stored[i]) {
      result.ids[i] = result.ids[first[i]];
      result.to_recount.push_back(result.ids[i]);
    } else {
      result.ids[i] = next_id++;
      result.created[i] = true;
      fresh.push_back(i);
    }
  }
  result.end_created = next_id;
  const FunctionRows rows(fresh.size(), [&](std::size_t r, int column, BulkCell& cell) {
    const std::uint32_t i = fresh[r];
    switch (column) {
      case 0: cell.Int(result.ids[i]); break;
      case 1: cell.Int(kind_ids[i]); break;
      case 2: cell.Text(values[i].value); break;
      default: cell.Int(batch_counts[i]); break;
    }
  });
  BulkInsert(db, "INSERT INTO signal_values (id, kind_id, value, account_count)", 4, rows);
  std::sort(result.to_recount.begin(), result.to_recount.end());
  result.to_recount.erase(std::unique(result.to_recount.begin(), result.to_recount.end()),
                          result.to_recount.end());
  return result;
}

std::int64_t PragmaInt(Database& db, const std::string& pragma) {
  Statement statement(db, "PRAGMA " + pragma);
  return statement.Step() ? statement.ColumnInt64(0) : 0;
}

// SQLite sorts (CREATE INDEX) with worker threads only when its temporary
// files may go to disk, not under the connection's temp_store=MEMORY; its
// on-disk sorter is also cheaper per row. For its lifetime this sets
// temp_store=FILE and threads=2, then restores both. temp_store cannot change
// while a temporary database is open (that would drop its tables and
// triggers): then nothing is changed. The sort only holds ids.
class SorterOnWorkerThreads {
 public:
  explicit SorterOnWorkerThreads(Database& db) : db_(db) {
    Statement list(db_, "PRAGMA database_list");
    while (list.Step()) {
      if (list.ColumnTextView(1) == "temp") return;
    }
    temp_store_ = PragmaInt(db_, "temp_store");
    threads_ = PragmaInt(db_, "threads");
    db_.Exec("PRAGMA temp_store = FILE");
    db_.Exec("PRAGMA threads = 2");
    changed_ = true;
  }
  ~SorterOnWorkerThreads() {
    if (!changed_) return;
    try {
      db_.Exec("PRAGMA temp_store = " + std::to_string(temp_store_));
      db_.Exec("PRAGMA threads = " + std::to_string(threads_));
    } catch (const StoreError& e) {
      spdlog::error("cannot restore temp_store and threads: {}", e.what());
    }
  }
  SorterOnWorkerThreads(const SorterOnWorkerThreads&) = delete;
  SorterOnWorkerThreads& operator=(const SorterOnWorkerThreads&) = delete;

 private:
  Database& db_;
  bool changed_ = false;
  std::int64_t temp_store_ = 0;
  std::int64_t threads_ = 0;
};

// Rows at most this large are counted before deciding how to write the
// observations; the bounded count costs no more than the rows themselves.
std::int64_t CountUpTo(Database& db, std::int64_t limit) {
  Statement& count =
      db.Cached("SELECT count(*) FROM (SELECT 1 FROM observations LIMIT ?1)");
  count.Bind(1, limit);
  return StepInt64(count).value_or(0);
}

// Adds counts and widens first/last. Rows go in primary-key order, so the
// table's B-tree is appended to rather than written at random pages. The
// (value_id, account_id) index would still take random inserts: when the
// table holds fewer rows than half the batch, the index is dropped and built
// again afterwards from its own schema text (one sort, sequential writes;
// inside the transaction, so readers never see it missing). Into an empty
// table the rows are plain inserts: merged rows cannot conflict.
void WriteObservations(Database& db, std::vector<ObservationRow>& rows, const ValueIds& values) {
  for (ObservationRow& row : rows) row.value_id = values.ids[static_cast<std::size_t>(row.value_id)];
  // Created values have increasing ids in batch order, which kept the order;
  // found ones may not, and two batch values may share one id.
  if (!values.to_recount.empty()) SortAndMerge(rows);
  if (rows.empty()) return;
  const auto batch_rows = static_cast<std::int64_t>(rows.size());
  const std::int64_t existing = CountUpTo(db, batch_rows / 2 + 1);
  std::string index_sql;
  if (existing <= batch_rows / 2) {
    Statement& sql = db.Cached(
        "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = 'observations_by_value'");
    if (sql.Step()) index_sql = sql.ColumnText(0);
    sql.Reset();
    if (!index_sql.empty()) db.Exec("DROP INDEX observations_by_value");
  }
  const FunctionRows source(rows.size(), [&](std::size_t r, int column, BulkCell& cell) {
    const ObservationRow& row = rows[r];
    switch (column) {
      case 0: cell.Int(row.account_id); break;
      case 1: cell.Int(row.value_id); break;
      case 2: cell.Int(row.count); break;
      case 3: row.first_ts == kNoTimestamp ? cell.Null() : cell.Int(row.first_ts); break;
      default: row.last_ts == kNoTimestamp ? cell.Null() : cell.Int(row.last_ts); break;
    }
  });
  BulkInsert(db, "INSERT INTO observations (account_id, value_id, count, first_ts, last_ts)", 5,
             source,
             existing == 0
                 ? std::string_view()
                 : std::string_view(
                       "ON CONFLICT (account_id, value_id) DO UPDATE SET "
                       "count = count + excluded.count, "
                       "first_ts = coalesce(min(first_ts, excluded.first_ts), first_ts, "
                       "excluded.first_ts), "
                       "last_ts = coalesce(max(last_ts, excluded.last_ts), last_ts, "
                       "excluded.last_ts)"));
  if (!index_sql.empty()) {
    const SorterOnWorkerThreads sort(db);
    db.Exec(index_sql);
  }
}

// account_count is each value's number of observation rows, recounted over
// the (value_id, account_id) index for the given (sorted, distinct) values.
// Complexity: O(sum of their degrees).
void RefreshAccountCounts(Database& db, const std::vector<std::int64_t>& value_ids) {
  Statement& refresh = db.Cached(
      "UPDATE signal_values SET account_count = "
      "(SELECT count(*) FROM observations WHERE value_id = ?1) WHERE id = ?1");
  for (std::int64_t id : value_ids) {
    refresh.Bind(1, id);
    refresh.Run();
    refresh.Reset();
  }
}

// The first distinct accounts per value win (batch order); a value already
// holding kMaxPromptExamplesPerValue examples takes no more. A value created
// by this commit holds none yet, so its examples are chosen here in memory and
// written in key order without conflict checks; for the other values, how many
// they hold is read once and INSERT OR IGNORE skips accounts already there.
void InsertPromptExamples(Database& db, const std::vector<PromptExample>& examples,
                          const std::vector<std::int64_t>& account_ids, const ValueIds& values) {
  struct Fresh {
    std::int64_t value_id;
    std::int64_t account_id;
    const std::string* text;
  };
  std::vector<Fresh> fresh;
  FlatIndex fresh_pairs(examples.size() + 16);
  // Examples stored per value id: created values by position, others in a map.
  std::vector<std::uint8_t> fresh_held(
      static_cast<std::size_t>(values.end_created - values.first_created), 0);
  std::unordered_map<std::int64_t, std::int64_t> held;
  Statement& count = db.Cached("SELECT count(*) FROM prompt_examples WHERE value_id = ?1");
  Statement& insert_or_ignore = db.Cached(
      "INSERT OR IGNORE INTO prompt_examples (value_id, account_id, text) VALUES (?1, ?2, ?3)");
  for (const PromptExample& example : examples) {
    const std::int64_t value_id = values.ids[example.value];
    const std::int64_t account_id = account_ids[example.account];
    if (value_id >= values.first_created && value_id < values.end_created) {
      std::uint8_t& stored = fresh_held[static_cast<std::size_t>(value_id - values.first_created)];
      if (stored >= kMaxPromptExamplesPerValue) continue;
      const auto next = static_cast<std::uint32_t>(fresh.size());
      const std::uint32_t id =
          fresh_pairs.FindOrInsert(MixPair(value_id, account_id), next, [&](std::uint32_t k) {
            return fresh[k].value_id == value_id && fresh[k].account_id == account_id;
          });
      if (id != next) continue;  // this account already gave this value an example
      fresh.push_back({value_id, account_id, &example.text});
      ++stored;
      continue;
    }
    auto [it, first_time] = held.try_emplace(value_id, 0);
    if (first_time) {
      count.Bind(1, value_id);
      it->second = StepInt64(count).value_or(0);
    }
    if (it->second >= kMaxPromptExamplesPerValue) continue;
    insert_or_ignore.Bind(1, value_id).Bind(2, account_id);
    insert_or_ignore.Bind(3, TruncateUtf8(example.text, kMaxPromptExampleBytes));
    it->second += insert_or_ignore.Run();
    insert_or_ignore.Reset();
  }
  std::sort(fresh.begin(), fresh.end(), [](const Fresh& a, const Fresh& b) {
    return a.value_id != b.value_id ? a.value_id < b.value_id : a.account_id < b.account_id;
  });
  const FunctionRows rows(fresh.size(), [&](std::size_t r, int column, BulkCell& cell) {
    const Fresh& example = fresh[r];
    switch (column) {
      case 0: cell.Int(example.value_id); break;
      case 1: cell.Int(example.account_id); break;
      default: cell.Text(TruncateUtf8(*example.text, kMaxPromptExampleBytes)); break;
    }
  });
  BulkInsert(db, "INSERT INTO prompt_examples (value_id, account_id, text)", 3, rows);
}

// Sketching runs beside the thread writing to SQLite: by default on every
// other core (at least one thread).
int SketchThreads(int requested) {
  if (requested > 0) return requested;
  return static_cast<int>(std::max(2u, std::thread::hardware_concurrency()) - 1);
}

// The MinHash options of the stored sketches, if any; the setting's text is
// checked, never guessed.
std::optional<MinHashOptions> StoredSketchOptions(Database& db) {
  const std::optional<std::string> json = ReadSetting(db, kPromptSketchSetting);
  if (!json) return std::nullopt;
  try {
    return ParsePromptSketchSetting(*json);
  } catch (const FormatError& e) {
    throw StoreError("cannot sketch prompts with this database's options", SQLITE_MISMATCH,
                     std::string(e.what()) +
                         "; the stored sketches were made with other options: fix the setting "
                         "(sqlite3 DB \"SELECT value FROM settings\") or ingest into a new database",
                     db.path());
  }
}

// The prompt sketches a commit makes: computed on a thread of their own while
// the commit writes the observations and examples, then written.
class PromptSketchJob {
 public:
  // Picks every batch template whose value has no sketch yet (values this
  // commit created, and found ones -- from a database older than its
  // sketches -- missing from prompt_sketches), reads the database's options or
  // binds it to `defaults`, and starts sketching on `threads` threads.
  // Complexity: N lookups for found values; the sketching O(template bytes + N K).
  PromptSketchJob(Database& db, const PromptTemplates& templates, const ValueIds& values,
                  const MinHashOptions& defaults, int threads) {
    Statement& has_sketch = db.Cached("SELECT 1 FROM prompt_sketches WHERE value_id = ?1");
    for (std::size_t i = 0; i < templates.size(); ++i) {
      const std::uint32_t value = templates.entry(i).value;
      const std::int64_t id = values.ids[value];
      if (!values.created[value]) {
        has_sketch.Bind(1, id);
        if (StepInt64(has_sketch)) continue;
      }
      todo_.emplace_back(id, i);
    }
    if (todo_.empty()) return;
    std::sort(todo_.begin(), todo_.end());
    // A batch listing one value twice gives it two templates: the first wins.
    todo_.erase(std::unique(todo_.begin(), todo_.end(),
                            [](const auto& a, const auto& b) { return a.first == b.first; }),
                todo_.end());
    std::optional<MinHashOptions> options = StoredSketchOptions(db);
    if (!options) {
      WriteSetting(db, kPromptSketchSetting, PromptSketchSettingJson(defaults));
      options = defaults;
    }
    std::vector<std::string_view> texts;
    texts.reserve(todo_.size());
    for (const auto& [id, i] : todo_) texts.push_back(templates.text(i));
    sketches_ = std::async(std::launch::async, [texts = std::move(texts), o = *options, threads] {
      return SketchTemplates(texts, o, {.threads = threads});
    });
  }

  // Waits for the sketches and inserts them in value-id order. O(N) rows.
  void Write(Database& db) {
    if (todo_.empty()) return;
    const PromptSketches sketches = sketches_.get();
    const auto k = static_cast<std::size_t>(sketches.options.num_hashes);
    // Stored as 16-bit little-endian (SketchBlob): the values' own bytes on a
    // little-endian machine, else a converted copy.
    std::vector<std::uint8_t> converted;
    std::span<const std::byte> bytes = std::as_bytes(std::span(sketches.values));
    if constexpr (std::endian::native != std::endian::little) {
      converted = SketchBlob(sketches.values);
      bytes = std::as_bytes(std::span(converted));
    }
    const FunctionRows rows(todo_.size(), [&](std::size_t r, int column, BulkCell& cell) {
      if (column == 0) {
        cell.Int(todo_[r].first);
      } else {
        cell.Blob(bytes.subspan(r * 2 * k, 2 * k));
      }
    });
    BulkInsert(db, "INSERT INTO prompt_sketches (value_id, sketch)", 2, rows);
  }

 private:
  std::vector<std::pair<std::int64_t, std::size_t>> todo_;  // value id, template
  std::future<PromptSketches> sketches_;  // its destructor waits, should the commit fail
};

void InsertLinks(Database& db, std::int64_t source_id, const std::vector<LinkRecord>& links,
                 const std::vector<std::int64_t>& account_ids) {
  Statement& insert = db.Cached(
      "INSERT INTO links (src_account_id, dst_account_id, kind, weight, source_id) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  for (const LinkRecord& link : links) {
    insert.Bind(1, account_ids[link.src]).Bind(2, account_ids[link.dst]);
    insert.Bind(3, link.kind.empty() ? std::string_view("link") : std::string_view(link.kind));
    insert.Bind(4, link.weight).Bind(5, source_id);
    insert.Run();
    insert.Reset();
  }
}

void InsertListEntries(Database& db, std::int64_t source_id,
                       const std::vector<ListEntry>& entries) {
  Statement& insert = db.Cached(
      "INSERT INTO list_entries (list, account, kind, value, note, source_id) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  for (const ListEntry& entry : entries) {
    insert.Bind(1, entry.list);
    BindTextOrNull(insert, 2, entry.account);
    BindTextOrNull(insert, 3, entry.kind);
    BindTextOrNull(insert, 4, entry.value);
    BindTextOrNull(insert, 5, entry.note);
    insert.Bind(6, source_id);
    insert.Run();
    insert.Reset();
  }
}

void InsertRejects(Database& db, std::int64_t source_id, const std::vector<RejectRecord>& rejects) {
  Statement& insert = db.Cached(
      "INSERT INTO rejects (source_id, line, field, reason, raw) VALUES (?1, ?2, ?3, ?4, ?5)");
  for (const RejectRecord& reject : rejects) {
    insert.Bind(1, source_id).Bind(2, reject.line).Bind(3, reject.field).Bind(4, reject.reason);
    insert.Bind(5, TruncateUtf8(reject.raw, kMaxRejectRawBytes));
    insert.Run();
    insert.Reset();
  }
}

void InsertSkippedFields(Database& db, std::int64_t source_id,
                         const decltype(SourceBatch::skipped_fields)& skipped) {
  Statement& insert =
      db.Cached("INSERT INTO skipped_fields (source_id, key, count) VALUES (?1, ?2, ?3)");
  for (const auto& [key, count] : skipped) {
    insert.Bind(1, source_id).Bind(2, key).Bind(3, count);
    insert.Run();
    insert.Reset();
  }
}

// Turns foreign-key enforcement off for its scope and back on afterwards.
// PRAGMA foreign_keys is a no-op inside a transaction, so the guard must
// outlive the Transaction it wraps (declare it first).
class ForeignKeysOff {
 public:
  explicit ForeignKeysOff(Database& db) : db_(db) { db_.Exec("PRAGMA foreign_keys=OFF"); }
  ~ForeignKeysOff() {
    try {
      db_.Exec("PRAGMA foreign_keys=ON");
    } catch (const StoreError& e) {
      spdlog::error("cannot re-enable foreign keys: {}", e.what());
    }
  }
  ForeignKeysOff(const ForeignKeysOff&) = delete;
  ForeignKeysOff& operator=(const ForeignKeysOff&) = delete;

 private:
  Database& db_;
};

// Wall and CPU time per commit phase, logged at debug level (ringscope -v);
// CPU time stays meaningful on a loaded machine.
class PhaseClock {
 public:
  void Lap(const char* phase) {
    const auto now = std::chrono::steady_clock::now();
    const double cpu = CpuSeconds();
    laps_ += fmt::format(" {} {:.3f}s (cpu {:.3f}s)", phase,
                         std::chrono::duration<double>(now - last_).count(), cpu - last_cpu_);
    last_ = now;
    last_cpu_ = cpu;
  }
  double Total() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  const std::string& laps() const { return laps_; }

 private:
  static double CpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  }

  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_ = start_;
  double last_cpu_ = CpuSeconds();
  std::string laps_;
};

}  // namespace

// ------------------------------------------------------------ Store

Store Store::Open(const std::string& path, const StoreOptions& options) {
  // SQLite's memory statistics take a global mutex on every allocation (a few
  // per cent of a bulk commit); ringscope never reads them. This must precede
  // SQLite's initialisation: later calls fail harmlessly.
  static std::once_flag no_memstatus;
  std::call_once(no_memstatus, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  if (!options.read_only && IsFilePath(path)) CreatePrivateFile(path);
  auto db = std::make_unique<Database>(
      path,
      DatabaseOptions{.mode = options.read_only ? OpenMode::kReadOnly : OpenMode::kReadWriteCreate,
                      .busy_timeout_ms = options.busy_timeout_ms});
  MigrateToLatest(*db);
  return Store(std::move(db), options);
}

std::optional<std::int64_t> Store::FindSourceBySha256(const std::string& sha256) {
  Statement& find = db_->Cached("SELECT id FROM sources WHERE sha256 = ?1");
  find.Bind(1, sha256);
  return StepInt64(find);
}

CommitResult Store::CommitSource(const SourceBatch& batch) {
  if (db_->read_only()) {
    throw StoreError("cannot commit source '" + batch.source.path + "'", SQLITE_READONLY,
                     "the database is open read-only", db_->path());
  }
  ValidateBatch(batch);
  PhaseClock clock;
  // Every id written below comes from a RETURNING of this same transaction
  // (and batch indexes were validated), so references hold by construction;
  // checking two parents per observation row would cost ~25% of the commit.
  ForeignKeysOff unchecked(*db_);
  Transaction transaction(*db_);
  // Checked under the write lock: two processes ingesting the same file
  // cannot both pass.
  if (auto earlier = FindSourceBySha256(batch.source.sha256)) {
    return {.status = CommitStatus::kDuplicateSource, .source_id = *earlier};
  }
  const std::int64_t source_id = InsertSource(*db_, batch.source);
  const std::vector<std::int64_t> account_ids = UpsertAccounts(*db_, batch.accounts);
  clock.Lap("accounts");
  std::vector<ObservationRow> rows = BatchObservationRows(batch, account_ids);
  clock.Lap("rows");
  const ValueIds values =
      UpsertValues(*db_, batch, BatchAccountCounts(rows, batch.values.size()));
  clock.Lap("values");
  PromptSketchJob sketches(*db_, batch.prompt_templates, values, options_.prompt_sketch,
                           SketchThreads(options_.sketch_threads));
  WriteObservations(*db_, rows, values);
  clock.Lap("observations");
  RefreshAccountCounts(*db_, values.to_recount);
  clock.Lap("account_count");
  InsertPromptExamples(*db_, batch.prompt_examples, account_ids, values);
  clock.Lap("prompt_examples");
  sketches.Write(*db_);
  clock.Lap("prompt_sketches");
  InsertLinks(*db_, source_id, batch.links, account_ids);
  InsertListEntries(*db_, source_id, batch.list_entries);
  InsertRejects(*db_, source_id, batch.rejects);
  InsertSkippedFields(*db_, source_id, batch.skipped_fields);
  clock.Lap("rest");
  transaction.Commit();
  clock.Lap("commit");
  spdlog::debug("committed source {} '{}': {} accounts, {} values, {} observations in {:.3f} s:{}",
                source_id, batch.source.path, batch.accounts.size(), batch.values.size(),
                batch.observations.size(), clock.Total(), clock.laps());
  return {.status = CommitStatus::kCommitted, .source_id = source_id};
}

StoreStats Store::Stats() {
  Transaction read(*db_, Transaction::Behavior::kDeferred);
  StoreStats stats;
  stats.schema_version = SchemaVersion();
  stats.accounts = QueryInt64(*db_, "SELECT count(*) FROM accounts");
  stats.values = QueryInt64(*db_, "SELECT count(*) FROM signal_values");
  stats.observations = QueryInt64(*db_, "SELECT count(*) FROM observations");
  stats.observation_total = QueryInt64(*db_, "SELECT coalesce(sum(count), 0) FROM observations");
  stats.requests = QueryInt64(*db_, "SELECT coalesce(sum(requests), 0) FROM accounts");
  stats.links = QueryInt64(*db_, "SELECT count(*) FROM links");
  stats.rejects = QueryInt64(*db_, "SELECT count(*) FROM rejects");
  {
    Statement& sources = db_->Cached(
        "SELECT count(*), coalesce(sum(rows_read), 0), coalesce(sum(rows_ingested), 0), "
        "coalesce(sum(rows_rejected), 0) FROM sources");
    sources.Step();
    stats.sources = sources.ColumnInt64(0);
    stats.rows_read = sources.ColumnInt64(1);
    stats.rows_ingested = sources.ColumnInt64(2);
    stats.rows_rejected = sources.ColumnInt64(3);
    sources.Reset();
  }
  Statement& kinds = db_->Cached(
      "SELECT k.name, count(v.id), coalesce(sum(v.account_count), 0) FROM kinds k "
      "LEFT JOIN signal_values v ON v.kind_id = k.id GROUP BY k.id ORDER BY k.name");
  while (kinds.Step()) {
    stats.kinds.push_back({.kind = kinds.ColumnText(0),
                           .values = kinds.ColumnInt64(1),
                           .observations = kinds.ColumnInt64(2)});
  }
  Statement& reasons = db_->Cached(
      "SELECT reason, count(*) AS n FROM rejects GROUP BY reason ORDER BY n DESC, reason");
  while (reasons.Step()) {
    stats.reject_reasons.push_back(
        {.reason = reasons.ColumnText(0), .count = reasons.ColumnInt64(1)});
  }
  Statement& lists =
      db_->Cached("SELECT list, count(*) FROM list_entries GROUP BY list ORDER BY list");
  while (lists.Step()) stats.lists.emplace_back(lists.ColumnText(0), lists.ColumnInt64(1));
  read.Commit();
  return stats;
}

std::optional<MinHashOptions> Store::PromptSketchOptions() { return StoredSketchOptions(*db_); }

int Store::SchemaVersion() { return ReadSchemaVersion(*db_); }

}  // namespace ringscope
