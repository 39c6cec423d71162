#include "db/queries.h"

#include <algorithm>
#include <unordered_set>

namespace ringscope {

namespace {

Timestamp OptionalTime(const Statement& s, int column) {
  return s.ColumnIsNull(column) ? kNoTimestamp : s.ColumnInt64(column);
}

ClusterRecord ReadCluster(const Statement& s) {
  return {.cluster_id = s.ColumnText(0),
          .size = s.ColumnInt64(1),
          .score = s.ColumnDouble(2),
          .reasons = s.ColumnText(3),
          .evidence_classes = static_cast<int>(s.ColumnInt64(4))};
}

}  // namespace

std::optional<AccountRecord> FindAccount(Database& db, std::string_view name) {
  AccountRecord a;
  {
    Statement& s = db.Cached(
        "SELECT id, name, created_at, requests, first_ts, last_ts FROM accounts WHERE name = ?");
    s.Bind(1, name);
    if (!s.Step()) return std::nullopt;
    a.id = s.ColumnInt64(0);
    a.name = s.ColumnText(1);
    a.created_at = OptionalTime(s, 2);
    a.requests = s.ColumnInt64(3);
    a.first_ts = OptionalTime(s, 4);
    a.last_ts = OptionalTime(s, 5);
  }
  Statement& s =
      db.Cached("SELECT key, value FROM account_attributes WHERE account_id = ? ORDER BY key");
  s.Bind(1, a.id);
  while (s.Step()) a.attributes.emplace_back(s.ColumnText(0), s.ColumnText(1));
  return a;
}

std::string AccountName(Database& db, std::int64_t id) {
  Statement& s = db.Cached("SELECT name FROM accounts WHERE id = ?");
  s.Bind(1, id);
  return s.Step() ? s.ColumnText(0) : std::string();
}

std::vector<AccountValue> LoadAccountValues(Database& db, std::int64_t account_id) {
  Statement& s = db.Cached(
      "SELECT o.value_id, k.name, v.value, v.account_count, o.count, o.first_ts, o.last_ts "
      "FROM observations o JOIN signal_values v ON v.id = o.value_id "
      "JOIN kinds k ON k.id = v.kind_id WHERE o.account_id = ? ORDER BY o.value_id");
  s.Bind(1, account_id);
  std::vector<AccountValue> out;
  while (s.Step()) {
    out.push_back({.value_id = s.ColumnInt64(0),
                   .kind = s.ColumnText(1),
                   .value = s.ColumnText(2),
                   .degree = s.ColumnInt64(3),
                   .count = s.ColumnInt64(4),
                   .first_ts = OptionalTime(s, 5),
                   .last_ts = OptionalTime(s, 6)});
  }
  return out;
}

std::vector<AccountValueRef> LoadAccountValueRefs(Database& db, std::int64_t account_id) {
  Statement& s = db.Cached(
      "SELECT o.value_id, v.kind_id, v.account_count FROM observations o "
      "JOIN signal_values v ON v.id = o.value_id WHERE o.account_id = ? ORDER BY o.value_id");
  s.Bind(1, account_id);
  std::vector<AccountValueRef> out;
  while (s.Step()) out.push_back({s.ColumnInt64(0), s.ColumnInt64(1), s.ColumnInt64(2)});
  return out;
}

std::vector<ValueCount> LoadAccountValueCounts(Database& db, std::int64_t account_id) {
  Statement& s = db.Cached(
      "SELECT value_id, count FROM observations WHERE account_id = ? ORDER BY value_id");
  s.Bind(1, account_id);
  std::vector<ValueCount> out;
  while (s.Step()) out.push_back({s.ColumnInt64(0), s.ColumnInt64(1)});
  return out;
}

std::vector<std::int64_t> LoadValueHolders(Database& db, std::int64_t value_id,
                                           std::int64_t exclude, std::size_t limit) {
  Statement& s = db.Cached(
      "SELECT account_id FROM observations INDEXED BY observations_by_value "
      "WHERE value_id = ? AND account_id <> ? ORDER BY account_id LIMIT ?");
  s.Bind(1, value_id).Bind(2, exclude).Bind(3, static_cast<std::int64_t>(limit));
  std::vector<std::int64_t> out;
  while (s.Step()) out.push_back(s.ColumnInt64(0));
  return out;
}

bool AccountHasValue(Database& db, std::int64_t account_id, std::int64_t value_id) {
  Statement& s = db.Cached("SELECT 1 FROM observations WHERE account_id = ? AND value_id = ?");
  s.Bind(1, account_id).Bind(2, value_id);
  return s.Step();
}

std::vector<ValueHolder> LoadValueObservations(Database& db, std::int64_t value_id,
                                               std::size_t limit) {
  Statement& s = db.Cached(
      // The top rows are ranked from the index alone (it holds the counts,
      // schema 4), then names and times are joined for the rows shown: a
      // value shared by 60,000 accounts costs one index range, not 60,000
      // table lookups.
      "SELECT t.account_id, a.name, t.count, o.first_ts, o.last_ts FROM ("
      " SELECT account_id, count FROM observations "
      " INDEXED BY observations_by_value WHERE value_id = ?1 "
      " ORDER BY count DESC, account_id LIMIT ?2) t "
      "JOIN observations o ON o.account_id = t.account_id AND o.value_id = ?1 "
      "JOIN accounts a ON a.id = t.account_id ORDER BY t.count DESC, t.account_id");
  s.Bind(1, value_id).Bind(2, static_cast<std::int64_t>(limit));
  std::vector<ValueHolder> out;
  while (s.Step()) {
    out.push_back({.account_id = s.ColumnInt64(0),
                   .account = s.ColumnText(1),
                   .count = s.ColumnInt64(2),
                   .first_ts = OptionalTime(s, 3),
                   .last_ts = OptionalTime(s, 4)});
  }
  return out;
}

std::optional<ValueRecord> FindValue(Database& db, std::string_view kind, std::string_view value) {
  Statement& s = db.Cached(
      "SELECT v.id, k.name, v.value, v.account_count FROM signal_values v "
      "JOIN kinds k ON k.id = v.kind_id WHERE k.name = ? AND v.value = ?");
  s.Bind(1, kind).Bind(2, value);
  if (!s.Step()) return std::nullopt;
  return ValueRecord{s.ColumnInt64(0), s.ColumnText(1), s.ColumnText(2), s.ColumnInt64(3)};
}

std::optional<ValueRecord> LoadValue(Database& db, std::int64_t value_id) {
  Statement& s = db.Cached(
      "SELECT v.id, k.name, v.value, v.account_count FROM signal_values v "
      "JOIN kinds k ON k.id = v.kind_id WHERE v.id = ?");
  s.Bind(1, value_id);
  if (!s.Step()) return std::nullopt;
  return ValueRecord{s.ColumnInt64(0), s.ColumnText(1), s.ColumnText(2), s.ColumnInt64(3)};
}

std::vector<AccountLink> LoadAccountLinks(Database& db, std::int64_t account_id) {
  Statement& s = db.Cached(
      "SELECT other, kind, weight FROM ("
      " SELECT id, dst_account_id AS other, kind, weight FROM links WHERE src_account_id = ?1"
      " UNION ALL"
      " SELECT id, src_account_id AS other, kind, weight FROM links WHERE dst_account_id = ?1"
      ") WHERE other <> ?1 ORDER BY other, kind, id");
  s.Bind(1, account_id);
  std::vector<AccountLink> out;
  while (s.Step()) out.push_back({s.ColumnInt64(0), s.ColumnText(1), s.ColumnDouble(2)});
  return out;
}

bool HasPromptClusters(Database& db) {
  Statement& probe =
      db.Cached("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'prompt_clusters'");
  if (!probe.Step()) return false;
  probe.Reset();
  Statement& s = db.Cached("SELECT 1 FROM prompt_clusters LIMIT 1");
  return s.Step();
}

std::int64_t PromptClusterOf(Database& db, std::int64_t value_id) {
  Statement& s = db.Cached("SELECT cluster_value_id FROM prompt_clusters WHERE value_id = ?");
  s.Bind(1, value_id);
  return s.Step() ? s.ColumnInt64(0) : value_id;
}

std::vector<std::int64_t> PromptClusterTemplates(Database& db, std::int64_t cluster_value_id) {
  Statement& s = db.Cached(
      "SELECT value_id FROM prompt_clusters WHERE cluster_value_id = ? ORDER BY value_id");
  s.Bind(1, cluster_value_id);
  std::vector<std::int64_t> out;
  while (s.Step()) out.push_back(s.ColumnInt64(0));
  if (out.empty()) out.push_back(cluster_value_id);
  return out;
}

PromptClusterSize LoadPromptClusterSize(Database& db, std::int64_t cluster_value_id,
                                        std::size_t max_rows) {
  PromptClusterSize size;
  {
    Statement& s = db.Cached(
        "SELECT count(*) FROM (SELECT 1 FROM prompt_clusters WHERE cluster_value_id = ? LIMIT ?)");
    s.Bind(1, cluster_value_id).Bind(2, kMaxCountedTemplates);
    if (s.Step()) size.templates = s.ColumnInt64(0);
  }
  if (size.templates == 0) {  // in no cluster: the template alone
    std::optional<ValueRecord> alone = LoadValue(db, cluster_value_id);
    return {1, alone ? alone->degree : 0, true};
  }
  Statement& s = db.Cached(
      "SELECT o.account_id FROM prompt_clusters c JOIN observations o "
      "INDEXED BY observations_by_value ON o.value_id = c.value_id "
      "WHERE c.cluster_value_id = ? LIMIT ?");
  s.Bind(1, cluster_value_id).Bind(2, static_cast<std::int64_t>(max_rows) + 1);
  std::unordered_set<std::int64_t> accounts;
  std::size_t rows = 0;
  while (s.Step()) {
    ++rows;
    accounts.insert(s.ColumnInt64(0));
  }
  size.exact = rows <= max_rows;
  size.accounts = size.exact ? static_cast<std::int64_t>(accounts.size())
                             : static_cast<std::int64_t>(max_rows) + 1;
  return size;
}

std::vector<std::int64_t> LoadPromptClusterHolders(Database& db, std::int64_t cluster_value_id,
                                                   std::int64_t exclude, std::size_t limit,
                                                   std::size_t* rows_read) {
  Statement& s = db.Cached(
      "SELECT o.account_id FROM prompt_clusters c JOIN observations o "
      "INDEXED BY observations_by_value ON o.value_id = c.value_id "
      "WHERE c.cluster_value_id = ? AND o.account_id <> ? "
      "ORDER BY c.value_id, o.account_id LIMIT ?");
  s.Bind(1, cluster_value_id).Bind(2, exclude).Bind(3, static_cast<std::int64_t>(limit));
  std::vector<std::int64_t> out;
  std::unordered_set<std::int64_t> seen;
  std::size_t rows = 0;
  while (s.Step()) {
    ++rows;
    if (seen.insert(s.ColumnInt64(0)).second) out.push_back(s.ColumnInt64(0));
  }
  if (rows_read != nullptr) *rows_read = rows;
  return out;
}

namespace {

// The values of an account in id order, each with its prompt cluster
// (nullopt when in none), handed to `visit(value_id, cluster)` until it
// returns false or `max_values` were read; returns how many were read. The
// one account-side read of the two functions below: the account's
// primary-key range (already in value id order, no sort) and one
// prompt_clusters lookup per value, O(values read · log n).
template <typename Visit>
std::size_t ReadAccountValueClusters(Database& db, std::int64_t account_id,
                                     std::size_t max_values, Visit visit) {
  Statement& s = db.Cached(
      "SELECT o.value_id, c.cluster_value_id FROM observations o LEFT JOIN prompt_clusters c "
      "ON c.value_id = o.value_id WHERE o.account_id = ? ORDER BY o.value_id");
  s.Bind(1, account_id);
  std::size_t read = 0;
  while (read < max_values && s.Step()) {
    ++read;
    std::optional<std::int64_t> cluster;
    if (!s.ColumnIsNull(1)) cluster = s.ColumnInt64(1);
    if (!visit(s.ColumnInt64(0), cluster)) break;
  }
  s.Reset();
  return read;
}

}  // namespace

std::optional<std::int64_t> AccountTemplateInCluster(Database& db, std::int64_t account_id,
                                                     std::int64_t cluster_value_id) {
  // From the account's side first (AccountPromptClusters' read, stopped at
  // the first, so smallest, template of the cluster). Probing the cluster's
  // templates instead scans all of a cluster the account is not in (1.3M
  // templates on distill-24k: 200 ms); that is left for the rare account
  // with more than kAccountSideValues values.
  constexpr std::size_t kAccountSideValues = 1000;
  std::optional<std::int64_t> found;
  const std::size_t read = ReadAccountValueClusters(
      db, account_id, kAccountSideValues,
      [&](std::int64_t value_id, std::optional<std::int64_t> cluster) {
        if (cluster == cluster_value_id) found = value_id;
        return !found;
      });
  if (found || read < kAccountSideValues) return found;
  Statement& s = db.Cached(
      "SELECT c.value_id FROM prompt_clusters c INDEXED BY prompt_clusters_by_cluster "
      "CROSS JOIN observations o WHERE c.cluster_value_id = ?2 AND o.account_id = ?1 "
      "AND o.value_id = c.value_id ORDER BY c.value_id LIMIT 1");
  s.Bind(1, account_id).Bind(2, cluster_value_id);
  if (!s.Step()) return std::nullopt;
  return s.ColumnInt64(0);
}

std::vector<std::int64_t> AccountPromptClusters(Database& db, std::int64_t account_id,
                                                std::size_t* values_read) {
  // Every value of the account: the count read is what the read cost.
  std::vector<std::int64_t> out;
  const std::size_t read = ReadAccountValueClusters(
      db, account_id, SIZE_MAX, [&](std::int64_t, std::optional<std::int64_t> cluster) {
        if (cluster) out.push_back(*cluster);
        return true;
      });
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  if (values_read != nullptr) *values_read = read;
  return out;
}

std::optional<std::string> LoadPromptExample(Database& db, std::int64_t value_id,
                                         std::int64_t account_id) {
  Statement& s = db.Cached(
      "SELECT text FROM prompt_examples WHERE value_id = ?1 "
      "ORDER BY account_id <> ?2, account_id LIMIT 1");
  s.Bind(1, value_id).Bind(2, account_id);
  if (!s.Step()) return std::nullopt;
  return s.ColumnText(0);
}

std::optional<double> LoadRunHubFactor(Database& db, std::int64_t run_id, std::int64_t value_id) {
  Statement& s = db.Cached("SELECT factor FROM run_hubs WHERE run_id = ? AND value_id = ?");
  s.Bind(1, run_id).Bind(2, value_id);
  if (!s.Step()) return std::nullopt;
  return s.ColumnDouble(0);
}

std::optional<ClusterRecord> FindCluster(Database& db, std::int64_t run_id,
                                         std::string_view cluster_id) {
  Statement& s = db.Cached(
      "SELECT cluster_id, size, score, reasons, evidence_classes FROM clusters "
      "WHERE run_id = ? AND cluster_id = ?");
  s.Bind(1, run_id).Bind(2, cluster_id);
  if (!s.Step()) return std::nullopt;
  return ReadCluster(s);
}

std::vector<ClusterRecord> LoadTopClusters(Database& db, std::int64_t run_id, std::size_t limit) {
  Statement& s = db.Cached(
      "SELECT cluster_id, size, score, reasons, evidence_classes FROM clusters WHERE run_id = ? "
      "ORDER BY score DESC, size DESC, cluster_id LIMIT ?");
  s.Bind(1, run_id).Bind(2, static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX)));
  std::vector<ClusterRecord> out;
  while (s.Step()) out.push_back(ReadCluster(s));
  return out;
}

std::optional<MemberRecord> FindMembership(Database& db, std::int64_t run_id,
                                           std::int64_t account_id) {
  Statement& s = db.Cached(
      "SELECT cluster_id, reasons FROM cluster_members WHERE run_id = ? AND account_id = ?");
  s.Bind(1, run_id).Bind(2, account_id);
  if (!s.Step()) return std::nullopt;
  return MemberRecord{account_id, s.ColumnText(0), s.ColumnText(1)};
}

std::vector<ClusterMemberRecord> LoadClusterMembers(Database& db, std::int64_t run_id,
                                                    std::string_view cluster_id) {
  Statement& s = db.Cached(
      "SELECT a.id, a.name, a.created_at, a.first_ts, a.requests, m.reasons "
      "FROM cluster_members m JOIN accounts a ON a.id = m.account_id "
      "WHERE m.run_id = ? AND m.cluster_id = ? ORDER BY a.id");
  s.Bind(1, run_id).Bind(2, cluster_id);
  std::vector<ClusterMemberRecord> out;
  while (s.Step()) {
    out.push_back({.account_id = s.ColumnInt64(0),
                   .name = s.ColumnText(1),
                   .created_at = OptionalTime(s, 2),
                   .first_ts = OptionalTime(s, 3),
                   .requests = s.ColumnInt64(4),
                   .reasons = s.ColumnText(5)});
  }
  return out;
}

std::vector<std::pair<std::int64_t, std::string>> LoadKinds(Database& db) {
  Statement& s = db.Cached("SELECT id, name FROM kinds ORDER BY id");
  std::vector<std::pair<std::int64_t, std::string>> out;
  while (s.Step()) out.emplace_back(s.ColumnInt64(0), s.ColumnText(1));
  return out;
}

std::vector<std::pair<std::int64_t, std::int64_t>> LoadAccountValueKinds(Database& db,
                                                                          std::int64_t account_id) {
  Statement& s = db.Cached(
      "SELECT o.value_id, v.kind_id FROM observations o JOIN signal_values v ON v.id = o.value_id "
      "WHERE o.account_id = ? ORDER BY o.value_id");
  s.Bind(1, account_id);
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  while (s.Step()) out.emplace_back(s.ColumnInt64(0), s.ColumnInt64(1));
  return out;
}

std::vector<std::int64_t> LoadClusterMemberIds(Database& db, std::int64_t run_id,
                                               std::string_view cluster_id) {
  Statement& s = db.Cached(
      "SELECT account_id FROM cluster_members WHERE run_id = ? AND cluster_id = ? "
      "ORDER BY account_id");
  s.Bind(1, run_id).Bind(2, cluster_id);
  std::vector<std::int64_t> out;
  while (s.Step()) out.push_back(s.ColumnInt64(0));
  return out;
}

}  // namespace ringscope
