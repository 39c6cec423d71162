// The store: ringscope's memory and its public interface (schema.sql).
//
// One Store per process and database file. Writers commit a whole source in
// one transaction; readers may run concurrently (WAL, busy timeout).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "algorithms/minhash.h"
#include "db/sqlite.h"
#include "ingest/batch.h"

namespace ringscope {

struct StoreOptions {
  bool read_only = false;
  int busy_timeout_ms = 30000;
  // The MinHash options a database is bound to by its first prompt sketches
  // (settings 'prompt_sketch'); a database already bound keeps its own.
  MinHashOptions prompt_sketch;
  // Threads sketching prompt templates during a commit, beside the thread
  // writing to SQLite; 0: one per core but one (at least one). The sketches do
  // not depend on it.
  int sketch_threads = 0;
};

struct KindCount {
  std::string kind;
  std::int64_t values = 0;        // signal_values rows of this kind
  std::int64_t observations = 0;  // observations rows (account x value pairs) of this kind
};

struct RejectReasonCount {
  std::string reason;
  std::int64_t count = 0;
};

struct StoreStats {
  int schema_version = 0;
  std::int64_t accounts = 0;
  std::int64_t values = 0;
  std::int64_t observations = 0;       // observations rows (distinct account x value pairs)
  std::int64_t observation_total = 0;  // sum of observations.count (times seen)
  std::int64_t requests = 0;           // sum of accounts.requests
  std::int64_t links = 0;
  std::int64_t sources = 0;
  std::int64_t rows_read = 0;
  std::int64_t rows_ingested = 0;
  std::int64_t rows_rejected = 0;
  std::int64_t rejects = 0;                                 // rows in the rejects table
  std::vector<KindCount> kinds;                             // sorted by kind name
  std::vector<RejectReasonCount> reject_reasons;            // most frequent first, then by reason
  std::vector<std::pair<std::string, std::int64_t>> lists;  // list name -> entries
};

enum class CommitStatus { kCommitted, kDuplicateSource };

struct CommitResult {
  CommitStatus status = CommitStatus::kCommitted;
  std::int64_t source_id = 0;  // the new source, or the earlier one with the same sha256
};

class Store {
 public:
  // Opens (creating when absent and not read-only) and migrates to the
  // current schema version. A new file is created with mode 0600.
  // Throws StoreError with the path and SQLite's message on failure.
  static Store Open(const std::string& path, const StoreOptions& options = {});

  // The id of an already ingested source with this sha256, if any.
  std::optional<std::int64_t> FindSourceBySha256(const std::string& sha256);

  // Writes the whole batch in one transaction: the source row, accounts
  // (upsert: requests and first/last seen add up), values, observations
  // (counts add, first/last widen), signal_values.account_count refreshed for
  // every touched value, prompt examples (bounded per value), links, list
  // entries, rejects and skipped fields, and the MinHash sketch of every
  // prompt template (batch.prompt_templates) whose value has none yet, made
  // with the options the database is bound to (binding it to
  // StoreOptions::prompt_sketch when it has none): a fingerprint is sketched
  // once per database, never again on later commits. A batch whose sha256 is
  // already in sources writes nothing and returns kDuplicateSource.
  // Throws std::invalid_argument (before writing anything) when the batch is
  // inconsistent: an index out of range, an empty account name or kind, a
  // negative count, no sha256, a template that is not its prompt value's;
  // StoreError when SQLite fails or the stored 'prompt_sketch' setting is
  // unreadable (rolled back: nothing of the source is written).
  // Complexity: O(rows in batch · log n) SQLite work.
  CommitResult CommitSource(const SourceBatch& batch);

  // Counts over the whole database, read in one transaction (consistent).
  // Per-kind observations are the sum of signal_values.account_count, which
  // CommitSource keeps equal to the value's observations rows.
  // Complexity: O(size of the database) (count(*) scans).
  StoreStats Stats();

  // The MinHash options of the stored prompt sketches (settings
  // 'prompt_sketch'), or std::nullopt before the first sketch. Throws
  // StoreError when the stored setting is unreadable. One lookup.
  std::optional<MinHashOptions> PromptSketchOptions();

  // PRAGMA user_version: LatestSchemaVersion() once Open has returned.
  int SchemaVersion();
  Database& db() { return *db_; }

 private:
  Store(std::unique_ptr<Database> db, const StoreOptions& options)
      : db_(std::move(db)), options_(options) {}
  std::unique_ptr<Database> db_;
  StoreOptions options_;
};

// Most prompt examples kept per prompt value (the first distinct accounts win).
inline constexpr int kMaxPromptExamplesPerValue = 8;

}  // namespace ringscope
