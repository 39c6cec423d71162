// What analysis reads from the store and writes back: the account-value
// incidence in dense arrays (the graph is rebuilt in memory from it), and
// runs with their clusters, written in one transaction so that a killed
// analyze leaves no half-written run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/sqlite.h"
#include "ingest/types.h"

namespace ringscope {

struct AnalysisAccount {
  std::int64_t id = 0;  // accounts.id
  std::string name;
  Timestamp created_at = kNoTimestamp;
  std::int64_t requests = 0;
  Timestamp first_ts = kNoTimestamp;
  Timestamp last_ts = kNoTimestamp;
  std::string org;  // the `org` attribute, if any
};

struct AnalysisObservation {
  std::uint32_t account = 0;  // dense index into AnalysisData::accounts
  std::uint32_t value = 0;    // dense index into AnalysisData::value_ids
  std::uint32_t count = 0;    // saturated at 2^32-1
};

struct AnalysisLink {
  std::uint32_t a = 0;  // dense account indexes
  std::uint32_t b = 0;
  std::string kind;
  double weight = 1.0;
};

// Dense views: accounts, values and kinds are numbered 0..n-1 in id order.
struct AnalysisData {
  std::vector<AnalysisAccount> accounts;
  std::vector<std::string> kinds;              // kind index -> name
  std::vector<std::int64_t> value_ids;         // value index -> signal_values.id
  std::vector<std::uint16_t> value_kind;       // value index -> kind index
  std::vector<std::int64_t> value_account_count;
  std::vector<AnalysisObservation> observations;  // sorted by (value, account)
  std::vector<AnalysisLink> links;

  // Prompt similarity (schema v2): the MinHash sketches of prompt templates
  // (prompt_sketches), one row per sketched value in ascending value order,
  // each `sketch_size` bins; and each one's prompt cluster as stored by the
  // previous analyze (prompt_clusters.cluster_value_id, 0 when none).
  int sketch_size = 0;                               // K; 0 when nothing is sketched
  std::vector<std::uint32_t> sketched_values;        // dense value indexes, ascending
  std::vector<std::uint16_t> sketches;               // row-major, K per sketched value
  std::vector<std::int64_t> stored_prompt_cluster;   // per sketched value
};

// Reads the whole incidence, the prompt sketches and the stored prompt
// clusters in one read transaction (a consistent snapshot even while an
// ingest commits). Throws std::runtime_error when the stored sketches do not
// all have the same size. Complexity: O(accounts + values + observations +
// links + sketches) rows.
AnalysisData LoadAnalysisData(Database& db);

// The text of one signal value (for reasons and views).
std::string LoadValueText(Database& db, std::int64_t value_id);

struct ClusterToSave {
  std::string cluster_id;
  double score = 0;
  std::string reasons;
  int evidence_classes = 0;  // independent kinds of evidence behind the score
  std::vector<std::uint32_t> members;      // dense account indexes
  std::vector<std::string> member_reasons;  // per member, same order (may be empty)
};

// One template's prompt cluster (prompt_clusters row): value ids.
struct PromptClusterRow {
  std::int64_t value_id = 0;
  std::int64_t cluster_value_id = 0;
};

// One value the run's hub assessment judged (run_hubs row).
struct RunHub {
  std::uint32_t value = 0;  // dense value index
  double factor = 1.0;
  std::string decision;     // "kept", "demoted", "dropped"
};

// Links stored per account (run_neighbours), strongest first: as many as
// `expand` reads by default (--links 50), so that each entry's degree (the
// neighbour's stored weights summed) is the degree the walk sees. On
// distill-24k an account has 9 links on average; a hub-heavy account's row
// (800 bytes) stays well within one page.
inline constexpr std::size_t kRunNeighbourLimit = 50;

// One link end of an account's stored list (run_neighbours): the linked
// account and the link's weight in the run's graph.
struct RunNeighbour {
  std::uint32_t account = 0;  // dense account index
  float weight = 0.0F;
  float degree = 0.0F;  // the sum of the linked account's own stored weights
};

struct RunToSave {
  Timestamp started_at = kNoTimestamp;
  Timestamp finished_at = kNoTimestamp;
  std::string algorithm;
  std::string parameters_json = "{}";
  std::int64_t seed = 0;
  std::optional<double> modularity;
  std::string stats_json = "{}";
  std::vector<ClusterToSave> clusters;
  // Prompt cluster assignments that are new or changed since the stored ones
  // (written with the run, in the same transaction).
  std::vector<PromptClusterRow> prompt_clusters;
  std::vector<RunHub> hubs;  // every assessed value, for the local queries
  // Each account's strongest links (table run_neighbours, for `expand`), by
  // dense account index: entries neighbour_offsets[a] .. [a + 1] of
  // `neighbours`, strongest first. Empty offsets: no lists are stored.
  std::vector<std::uint64_t> neighbour_offsets;
  std::vector<RunNeighbour> neighbours;
};

// Writes the run, its clusters and members (and hubs, prompt clusters and
// neighbour lists) in ONE transaction with status 'complete'; returns the run
// id. The previous runs' neighbour lists are deleted in the same
// transaction: only the newest run keeps them (schema_005_run_neighbours.sql).
// Throws std::invalid_argument when neighbour_offsets is neither empty nor
// one longer than data.accounts. Complexity: O(members + hubs + accounts with
// links) inserts, plus the deleted lists.
std::int64_t SaveRun(Database& db, const AnalysisData& data, const RunToSave& run);

// One entry of a stored neighbour list.
struct StoredNeighbour {
  std::int64_t account_id = 0;  // accounts.id
  double weight = 0.0;          // the link's weight in the run's graph (stored as float)
  double degree = 0.0;          // the sum of account_id's own stored weights
};

// Whether `run_id` stored neighbour lists (the newest run analysed with schema
// 5 or later does). O(log n).
bool RunHasNeighbours(Database& db, std::int64_t run_id);

// The stored neighbour list of an account in a run, strongest first; empty
// when the account has no row (no links, or the run stored no lists). Throws
// StoreError when the row is not a whole number of 16-byte entries (a damaged
// file).
// O(log n + entries).
std::vector<StoredNeighbour> LoadRunNeighbours(Database& db, std::int64_t run_id,
                                               std::int64_t account_id);

// The newest complete run, if any.
std::optional<std::int64_t> LatestRunId(Database& db);
bool RunExists(Database& db, std::int64_t run_id);

// A run's clusters as a per-account assignment over `data`'s dense accounts
// (kNoCluster-style 0xFFFFFFFF for none) plus the cluster ids by index.
struct RunAssignment {
  std::vector<std::uint32_t> cluster_of_account;
  std::vector<std::string> cluster_ids;
};
RunAssignment LoadRunAssignment(Database& db, std::int64_t run_id, const AnalysisData& data);

// One more than the largest "c_NNNN" number ever used (1 for a new database).
std::uint32_t NextClusterNumber(Database& db);

}  // namespace ringscope

namespace ringscope {

// One member of a run, with its cluster. Sorted by account name.
struct RunMember {
  std::int64_t account_id = 0;
  std::string account;
  std::string cluster_id;
  std::int64_t cluster_size = 0;
  double score = 0;
  int evidence_classes = 0;  // of the cluster
  std::string reasons;  // the member's own reasons
};
std::vector<RunMember> LoadRunMembers(Database& db, std::int64_t run_id);

// The stored parameters (JSON) of a run.
std::string LoadRunParameters(Database& db, std::int64_t run_id);

// Records an export and the accounts it contained, in one transaction.
struct ExportRecord {
  std::int64_t run_id = 0;
  std::string kind;  // "banlist", ...
  std::string path;
  std::optional<double> min_score;
  std::string parameters_json = "{}";
};
std::int64_t SaveExport(Database& db, const ExportRecord& record,
                        const std::vector<const RunMember*>& members);

// The newest export of `kind` before `before_id` (any, when 0), if any.
std::optional<std::int64_t> PreviousExportId(Database& db, std::string_view kind,
                                             std::int64_t before_id = 0);
// The account names of an export, sorted.
std::vector<std::string> LoadExportAccounts(Database& db, std::int64_t export_id);

// Account names on an analyst list (list_entries with an account), sorted.
std::vector<std::string> LoadListAccounts(Database& db, std::string_view list);

}  // namespace ringscope
