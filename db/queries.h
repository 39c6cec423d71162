// Point lookups for the exploration queries (`account`, `cluster`, `top`,
// `value`, `explain`, link neighbourhoods): each one reads an index range
// (accounts by name, observations by account or by value, cluster members by
// cluster, links by endpoint) so that a query costs what it returns, never a
// scan of the database. Every value is bound; statements are cached on the
// connection (Database::Cached), so a function must not be re-entered while
// it is stepping (none calls another lookup mid-step).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/sqlite.h"
#include "ingest/types.h"

namespace ringscope {

struct AccountRecord {
  std::int64_t id = 0;
  std::string name;
  Timestamp created_at = kNoTimestamp;
  std::int64_t requests = 0;
  Timestamp first_ts = kNoTimestamp;
  Timestamp last_ts = kNoTimestamp;
  std::vector<std::pair<std::string, std::string>> attributes;  // (key, value), by key
};

// The account named `name`, with its attributes; nullopt when unknown.
// O(log A + attributes).
std::optional<AccountRecord> FindAccount(Database& db, std::string_view name);
// The name of account `id` ("" when unknown). O(log A).
std::string AccountName(Database& db, std::int64_t id);

// One value an account was seen with (an observations row joined with its value).
struct AccountValue {
  std::int64_t value_id = 0;
  std::string kind;
  std::string value;        // normalised text
  std::int64_t degree = 0;  // signal_values.account_count: accounts seen with it
  std::int64_t count = 0;   // times this account was seen with it
  Timestamp first_ts = kNoTimestamp;
  Timestamp last_ts = kNoTimestamp;
};
// Every value of an account, by value id. O(values of the account · log V).
std::vector<AccountValue> LoadAccountValues(Database& db, std::int64_t account_id);

// The same without texts (kind by kinds.id): one B-tree seek per value
// instead of three, for callers that read the text of a few values only.
struct AccountValueRef {
  std::int64_t value_id = 0;
  std::int64_t kind_id = 0;
  std::int64_t degree = 0;
};
std::vector<AccountValueRef> LoadAccountValueRefs(Database& db, std::int64_t account_id);
// The account's value ids with their observation counts, ascending by value
// id: one range of the observations table, no lookup per value (no kind, no
// text). O(values of the account + log n).
struct ValueCount {
  std::int64_t value_id = 0;
  std::int64_t count = 0;
};
std::vector<ValueCount> LoadAccountValueCounts(Database& db, std::int64_t account_id);

// The accounts seen with `value_id`, ascending account id, at most `limit`
// (the first ones by id: deterministic), `exclude` left out. One index range
// of observations_by_value: O(log n + limit).
std::vector<std::int64_t> LoadValueHolders(Database& db, std::int64_t value_id,
                                           std::int64_t exclude, std::size_t limit);
// Whether account `account_id` was seen with `value_id`. O(log n).
bool AccountHasValue(Database& db, std::int64_t account_id, std::int64_t value_id);

// One observation of a value, for `ringscope value`.
struct ValueHolder {
  std::int64_t account_id = 0;
  std::string account;
  std::int64_t count = 0;
  Timestamp first_ts = kNoTimestamp;
  Timestamp last_ts = kNoTimestamp;
};
// The holders of a value, most observations first (ties by account id), at
// most `limit`. O(holders · log A) (all holders are read to sort them).
std::vector<ValueHolder> LoadValueObservations(Database& db, std::int64_t value_id,
                                               std::size_t limit);

struct ValueRecord {
  std::int64_t id = 0;
  std::string kind;
  std::string value;
  std::int64_t degree = 0;
};
// The value of `kind` with normalised text `value`; nullopt when absent. O(log V).
std::optional<ValueRecord> FindValue(Database& db, std::string_view kind, std::string_view value);
// The value with id `value_id`; nullopt when absent. O(log V).
std::optional<ValueRecord> LoadValue(Database& db, std::int64_t value_id);

// A precomputed link (table links) at one account, seen from that account.
struct AccountLink {
  std::int64_t other = 0;  // the other end
  std::string kind;
  double weight = 0;
};
// The links of an account, in either direction, self links left out, by
// (other, kind, link id). O(links of the account · log L).
std::vector<AccountLink> LoadAccountLinks(Database& db, std::int64_t account_id);

// Prompt clusters (schema_002_prompts.sql): whether the table has rows (O(1)),
// the representative of a template's cluster (the template itself when it is
// in no cluster; O(log V)) and the templates of a cluster, ascending (the
// representative alone when the cluster is unknown; O(templates)).
bool HasPromptClusters(Database& db);
std::int64_t PromptClusterOf(Database& db, std::int64_t value_id);
std::vector<std::int64_t> PromptClusterTemplates(Database& db, std::int64_t cluster_value_id);
// The size of a prompt cluster: its templates (counted up to
// kMaxCountedTemplates, then that bound), and its distinct accounts counted
// over at most `max_rows` observation rows of its templates: exact when they
// hold no more, else `max_rows` + 1 (a lower bound, exact = false). A
// template in no cluster counts alone. Index-only reads:
// O(min(templates, kMaxCountedTemplates) + min(observations, max_rows)).
inline constexpr std::int64_t kMaxCountedTemplates = 1000;
struct PromptClusterSize {
  std::int64_t templates = 0;
  std::int64_t accounts = 0;
  bool exact = true;
};
PromptClusterSize LoadPromptClusterSize(Database& db, std::int64_t cluster_value_id,
                                        std::size_t max_rows);
// The holders of the templates of a prompt cluster, `exclude` left out, in
// (template, account) order, each once; at most `limit` observation rows are
// read (`rows_read` receives how many: `limit` means there may be more). One
// statement, index-only: O(templates · log n + limit).
std::vector<std::int64_t> LoadPromptClusterHolders(Database& db, std::int64_t cluster_value_id,
                                                   std::int64_t exclude, std::size_t limit,
                                                   std::size_t* rows_read = nullptr);
// The smallest template of prompt cluster `cluster_value_id` that `account_id`
// sent, if any. The account's values are read as AccountPromptClusters reads
// them, in value id order up to the first template of the cluster:
// O(values of the account · log n); when the account has 1,000 values or
// more and its first 1,000 hold none, one probe per template of the cluster
// after those: O(1,000 · log n + templates · log n).
std::optional<std::int64_t> AccountTemplateInCluster(Database& db, std::int64_t account_id,
                                                     std::int64_t cluster_value_id);
// The prompt clusters (representative value ids, sorted, distinct) of the
// templates `account_id` sent that belong to a stored cluster. The other way
// round from AccountTemplateInCluster, with the same read of the account's
// values but whole: O(values of the account · log n), whatever the clusters'
// sizes; `values_read` gets the account's values read.
std::vector<std::int64_t> AccountPromptClusters(Database& db, std::int64_t account_id,
                                                std::size_t* values_read = nullptr);

// An example prompt text of `value_id` sent by `account_id`, else any example
// of the value (smallest account id); nullopt when there is none. O(log n).
std::optional<std::string> LoadPromptExample(Database& db, std::int64_t value_id,
                                         std::int64_t account_id);

// The hub factor run `run_id` applied to value `value_id` (table run_hubs),
// if the run assessed it. O(log H).
std::optional<double> LoadRunHubFactor(Database& db, std::int64_t run_id, std::int64_t value_id);

// A cluster of a run (table clusters).
struct ClusterRecord {
  std::string cluster_id;
  std::int64_t size = 0;
  double score = 0;
  std::string reasons;
  int evidence_classes = 0;
};
// The cluster `cluster_id` of run `run_id`; nullopt when absent. O(log C).
std::optional<ClusterRecord> FindCluster(Database& db, std::int64_t run_id,
                                         std::string_view cluster_id);
// The clusters of a run by score, then size, descending, then id; at most
// `limit`. O(C log C) for the run's C clusters.
std::vector<ClusterRecord> LoadTopClusters(Database& db, std::int64_t run_id, std::size_t limit);

struct MemberRecord {
  std::int64_t account_id = 0;
  std::string cluster_id;
  std::string reasons;  // the member's own reasons
};
// The cluster of an account in a run; nullopt when it is in none. O(log M).
std::optional<MemberRecord> FindMembership(Database& db, std::int64_t run_id,
                                           std::int64_t account_id);
// A member of a cluster with what the cluster view needs.
struct ClusterMemberRecord {
  std::int64_t account_id = 0;
  std::string name;
  Timestamp created_at = kNoTimestamp;
  Timestamp first_ts = kNoTimestamp;
  std::int64_t requests = 0;
  std::string reasons;
};
// The members of a cluster, ascending account id. O(members · log A).
std::vector<ClusterMemberRecord> LoadClusterMembers(Database& db, std::int64_t run_id,
                                                    std::string_view cluster_id);

// Kind names by kinds.id. O(kinds).
std::vector<std::pair<std::int64_t, std::string>> LoadKinds(Database& db);
// The (value id, kind id) of every value of an account, by value id.
// O(values of the account · log V).
std::vector<std::pair<std::int64_t, std::int64_t>> LoadAccountValueKinds(Database& db,
                                                                          std::int64_t account_id);

// The member account ids of a cluster, ascending. O(members).
std::vector<std::int64_t> LoadClusterMemberIds(Database& db, std::int64_t run_id,
                                               std::string_view cluster_id);

}  // namespace ringscope
