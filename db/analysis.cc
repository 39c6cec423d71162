#include "db/analysis.h"

#include <sqlite3.h>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <limits>
#include <stdexcept>

namespace ringscope {

namespace {

constexpr std::uint32_t kNone = 0xFFFFFFFFu;

Timestamp OptionalTimestamp(const Statement& s, int column) {
  return s.ColumnIsNull(column) ? kNoTimestamp : s.ColumnInt64(column);
}

// Maps database ids to dense indexes; ids are rowids, mostly contiguous.
class DenseIds {
 public:
  void Add(std::int64_t id) {
    if (id < 0) throw std::runtime_error("negative id " + std::to_string(id) + " in the database");
    auto at = static_cast<std::size_t>(id);
    if (at >= index_.size()) index_.resize(at + 1, kNone);
    index_[at] = count_++;
  }
  std::uint32_t Find(std::int64_t id) const {
    auto at = static_cast<std::size_t>(id);
    return id >= 0 && at < index_.size() ? index_[at] : kNone;
  }

 private:
  std::vector<std::uint32_t> index_;
  std::uint32_t count_ = 0;
};

void LoadAccounts(Database& db, AnalysisData& data, DenseIds& ids) {
  Statement s(db,
              "SELECT id, name, created_at, requests, first_ts, last_ts FROM accounts ORDER BY id");
  while (s.Step()) {
    AnalysisAccount account;
    account.id = s.ColumnInt64(0);
    account.name = s.ColumnText(1);
    account.created_at = OptionalTimestamp(s, 2);
    account.requests = s.ColumnInt64(3);
    account.first_ts = OptionalTimestamp(s, 4);
    account.last_ts = OptionalTimestamp(s, 5);
    ids.Add(account.id);
    data.accounts.push_back(std::move(account));
  }
  // One scan of the attributes rather than a lookup per account.
  Statement org(db, "SELECT account_id, value FROM account_attributes WHERE key = 'org'");
  while (org.Step()) {
    const std::uint32_t account = ids.Find(org.ColumnInt64(0));
    if (account != kNone) data.accounts[account].org = org.ColumnText(1);
  }
}

void LoadValues(Database& db, AnalysisData& data, DenseIds& value_ids) {
  DenseIds kind_ids;
  Statement kinds(db, "SELECT id, name FROM kinds ORDER BY id");
  while (kinds.Step()) {
    kind_ids.Add(kinds.ColumnInt64(0));
    data.kinds.push_back(kinds.ColumnText(1));
  }
  if (data.kinds.size() > std::numeric_limits<std::uint16_t>::max())
    throw std::runtime_error("more than 65535 signal kinds in the database");
  Statement values(db, "SELECT id, kind_id, account_count FROM signal_values ORDER BY id");
  while (values.Step()) {
    value_ids.Add(values.ColumnInt64(0));
    data.value_ids.push_back(values.ColumnInt64(0));
    data.value_kind.push_back(static_cast<std::uint16_t>(kind_ids.Find(values.ColumnInt64(1))));
    data.value_account_count.push_back(values.ColumnInt64(2));
  }
}

// The table is read in its primary-key order (account, value), a sequential
// scan; reading it by value through observations_by_value would look up
// every row's count in the table, a random access per row. A counting sort by
// value then gives the (value, account) order (stable, so accounts stay
// ascending within a value). O(observations + values).
void LoadObservations(Database& db, AnalysisData& data, const DenseIds& accounts,
                      const DenseIds& values) {
  Statement s(db, "SELECT account_id, value_id, count FROM observations");
  std::vector<AnalysisObservation> by_account;
  std::vector<std::uint32_t> start(data.value_ids.size() + 1, 0);
  while (s.Step()) {
    std::uint32_t account = accounts.Find(s.ColumnInt64(0));
    std::uint32_t value = values.Find(s.ColumnInt64(1));
    if (value == kNone || account == kNone) continue;  // foreign keys make this unreachable
    std::int64_t count = std::clamp<std::int64_t>(s.ColumnInt64(2), 0, kNone - 1);
    by_account.push_back({account, value, static_cast<std::uint32_t>(count)});
    ++start[value + 1];
  }
  for (std::size_t v = 1; v < start.size(); ++v) start[v] += start[v - 1];
  data.observations.resize(by_account.size());
  for (const AnalysisObservation& o : by_account) data.observations[start[o.value]++] = o;
}

void LoadLinks(Database& db, AnalysisData& data, const DenseIds& accounts) {
  Statement s(db,
              "SELECT src_account_id, dst_account_id, kind, weight FROM links ORDER BY id");
  while (s.Step()) {
    std::uint32_t a = accounts.Find(s.ColumnInt64(0));
    std::uint32_t b = accounts.Find(s.ColumnInt64(1));
    if (a == kNone || b == kNone) continue;
    data.links.push_back({a, b, s.ColumnText(2), s.ColumnDouble(3)});
  }
}

// Sketches are K little-endian uint16 bins (algorithms/minhash.h), written
// by ingest once per template.
void LoadPromptSketches(Database& db, AnalysisData& data, const DenseIds& values) {
  Statement s(db,
              "SELECT s.value_id, s.sketch, c.cluster_value_id FROM prompt_sketches s "
              "LEFT JOIN prompt_clusters c ON c.value_id = s.value_id ORDER BY s.value_id");
  while (s.Step()) {
    std::uint32_t value = values.Find(s.ColumnInt64(0));
    if (value == kNone) continue;
    std::span<const std::byte> blob = s.ColumnBlob(1);
    const int size = static_cast<int>(blob.size() / 2);
    if (data.sketch_size == 0) data.sketch_size = size;
    if (size == 0 || blob.size() % 2 != 0 || size != data.sketch_size)
      throw std::runtime_error("prompt sketch of value " + std::to_string(s.ColumnInt64(0)) +
                               " has " + std::to_string(blob.size()) + " bytes, expected " +
                               std::to_string(2 * data.sketch_size) +
                               ": the database mixes sketch options");
    for (int i = 0; i < size; ++i) {
      data.sketches.push_back(static_cast<std::uint16_t>(
          std::to_integer<unsigned>(blob[2 * i]) | std::to_integer<unsigned>(blob[2 * i + 1]) << 8));
    }
    data.sketched_values.push_back(value);
    data.stored_prompt_cluster.push_back(s.ColumnIsNull(2) ? 0 : s.ColumnInt64(2));
  }
}

}  // namespace

AnalysisData LoadAnalysisData(Database& db) {
  // A deferred transaction is a read snapshot in WAL mode.
  Transaction snapshot(db, Transaction::Behavior::kDeferred);
  AnalysisData data;
  DenseIds account_ids, value_ids;
  LoadAccounts(db, data, account_ids);
  LoadValues(db, data, value_ids);
  LoadObservations(db, data, account_ids, value_ids);
  LoadLinks(db, data, account_ids);
  LoadPromptSketches(db, data, value_ids);
  snapshot.Commit();
  return data;
}

std::string LoadValueText(Database& db, std::int64_t value_id) {
  Statement& s = db.Cached("SELECT value FROM signal_values WHERE id = ?");
  s.Bind(1, value_id);
  return s.Step() ? s.ColumnText(0) : std::string();
}

namespace {

// run_neighbours entries: 8-byte account id, 4-byte float weight, 4-byte
// float degree, little-endian (schema_005_run_neighbours.sql).
constexpr std::size_t kNeighbourEntryBytes = 16;

void AppendLittleEndian(std::vector<std::byte>& out, std::uint64_t bits, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::byte>((bits >> (8 * i)) & 0xFF));
}

std::uint64_t ReadLittleEndian(const std::byte* in, int bytes) {
  std::uint64_t bits = 0;
  for (int i = 0; i < bytes; ++i) bits |= static_cast<std::uint64_t>(in[i]) << (8 * i);
  return bits;
}

// The run's lists replace the previous runs' (only the newest run keeps them).
void SaveNeighbours(Database& db, const AnalysisData& data, const RunToSave& run,
                    std::int64_t run_id) {
  Statement drop_old(db, "DELETE FROM run_neighbours WHERE run_id <> ?");
  drop_old.Bind(1, run_id).Run();
  if (run.neighbour_offsets.empty()) return;
  if (run.neighbour_offsets.size() != data.accounts.size() + 1 ||
      run.neighbour_offsets.back() != run.neighbours.size())
    throw std::invalid_argument("SaveRun: neighbour lists do not match the run's accounts");
  Statement insert(db,
                   "INSERT INTO run_neighbours (run_id, account_id, neighbours) VALUES (?, ?, ?)");
  std::vector<std::byte> blob;
  for (std::size_t a = 0; a < data.accounts.size(); ++a) {
    const std::uint64_t begin = run.neighbour_offsets[a], end = run.neighbour_offsets[a + 1];
    if (begin == end) continue;
    blob.clear();
    for (std::uint64_t i = begin; i < end; ++i) {
      const RunNeighbour& n = run.neighbours[i];
      AppendLittleEndian(blob, static_cast<std::uint64_t>(data.accounts.at(n.account).id), 8);
      AppendLittleEndian(blob, std::bit_cast<std::uint32_t>(n.weight), 4);
      AppendLittleEndian(blob, std::bit_cast<std::uint32_t>(n.degree), 4);
    }
    insert.Reset();
    insert.Bind(1, run_id).Bind(2, data.accounts[a].id).BindBlob(3, blob).Run();
  }
}

}  // namespace

bool RunHasNeighbours(Database& db, std::int64_t run_id) {
  Statement& s = db.Cached("SELECT 1 FROM run_neighbours WHERE run_id = ? LIMIT 1");
  s.Bind(1, run_id);
  return s.Step();
}

std::vector<StoredNeighbour> LoadRunNeighbours(Database& db, std::int64_t run_id,
                                               std::int64_t account_id) {
  Statement& s =
      db.Cached("SELECT neighbours FROM run_neighbours WHERE run_id = ? AND account_id = ?");
  s.Bind(1, run_id).Bind(2, account_id);
  std::vector<StoredNeighbour> out;
  if (!s.Step()) return out;
  const std::span<const std::byte> blob = s.ColumnBlob(0);
  if (blob.size() % kNeighbourEntryBytes != 0)
    throw StoreError("run " + std::to_string(run_id) + ": the neighbour list of account id " +
                         std::to_string(account_id) + " has " + std::to_string(blob.size()) +
                         " bytes, not a multiple of 16 (a damaged database)",
                     SQLITE_CORRUPT, "run_neighbours", db.path());
  out.reserve(blob.size() / kNeighbourEntryBytes);
  for (std::size_t i = 0; i < blob.size(); i += kNeighbourEntryBytes) {
    const auto id = static_cast<std::int64_t>(ReadLittleEndian(blob.data() + i, 8));
    auto float_at = [&](std::size_t offset) {
      return static_cast<double>(std::bit_cast<float>(
          static_cast<std::uint32_t>(ReadLittleEndian(blob.data() + i + offset, 4))));
    };
    out.push_back({id, float_at(8), float_at(12)});
  }
  return out;
}

std::int64_t SaveRun(Database& db, const AnalysisData& data, const RunToSave& run) {
  Transaction transaction(db);
  Statement insert_run(db,
                       "INSERT INTO runs (started_at, finished_at, status, algorithm, parameters, "
                       "seed, modularity, stats) VALUES (?, ?, 'complete', ?, ?, ?, ?, ?)");
  insert_run.Bind(1, run.started_at).Bind(2, run.finished_at).Bind(3, run.algorithm);
  insert_run.Bind(4, run.parameters_json).Bind(5, run.seed);
  if (run.modularity) {
    insert_run.Bind(6, *run.modularity);
  } else {
    insert_run.BindNull(6);
  }
  insert_run.Bind(7, run.stats_json);
  insert_run.Run();
  std::int64_t run_id = db.LastInsertRowId();

  Statement insert_cluster(
      db, "INSERT INTO clusters (run_id, cluster_id, size, score, reasons, evidence_classes) "
          "VALUES (?, ?, ?, ?, ?, ?)");
  Statement insert_member(db,
                          "INSERT INTO cluster_members (run_id, account_id, cluster_id, reasons) "
                          "VALUES (?, ?, ?, ?)");
  for (const ClusterToSave& cluster : run.clusters) {
    insert_cluster.Reset();
    insert_cluster.Bind(1, run_id).Bind(2, cluster.cluster_id);
    insert_cluster.Bind(3, static_cast<std::int64_t>(cluster.members.size()));
    insert_cluster.Bind(4, cluster.score).Bind(5, cluster.reasons);
    insert_cluster.Bind(6, cluster.evidence_classes);
    insert_cluster.Run();
    for (std::size_t i = 0; i < cluster.members.size(); ++i) {
      insert_member.Reset();
      insert_member.Bind(1, run_id).Bind(2, data.accounts.at(cluster.members[i]).id);
      insert_member.Bind(3, cluster.cluster_id);
      insert_member.Bind(4, i < cluster.member_reasons.size() ? cluster.member_reasons[i]
                                                              : std::string());
      insert_member.Run();
    }
  }
  Statement insert_hub(
      db, "INSERT INTO run_hubs (run_id, value_id, factor, decision) VALUES (?, ?, ?, ?)");
  for (const RunHub& hub : run.hubs) {
    insert_hub.Reset();
    insert_hub.Bind(1, run_id).Bind(2, data.value_ids.at(hub.value)).Bind(3, hub.factor);
    insert_hub.Bind(4, hub.decision).Run();
  }
  SaveNeighbours(db, data, run, run_id);
  Statement upsert_prompt_cluster(
      db, "INSERT OR REPLACE INTO prompt_clusters (value_id, cluster_value_id) VALUES (?, ?)");
  for (const PromptClusterRow& row : run.prompt_clusters) {
    upsert_prompt_cluster.Reset();
    upsert_prompt_cluster.Bind(1, row.value_id).Bind(2, row.cluster_value_id).Run();
  }
  transaction.Commit();
  return run_id;
}

std::optional<std::int64_t> LatestRunId(Database& db) {
  Statement s(db, "SELECT MAX(id) FROM runs WHERE status = 'complete'");
  if (s.Step() && !s.ColumnIsNull(0)) return s.ColumnInt64(0);
  return std::nullopt;
}

bool RunExists(Database& db, std::int64_t run_id) {
  Statement s(db, "SELECT 1 FROM runs WHERE id = ? AND status = 'complete'");
  s.Bind(1, run_id);
  return s.Step();
}

RunAssignment LoadRunAssignment(Database& db, std::int64_t run_id, const AnalysisData& data) {
  DenseIds accounts;
  for (const AnalysisAccount& account : data.accounts) accounts.Add(account.id);
  RunAssignment assignment;
  assignment.cluster_of_account.assign(data.accounts.size(), kNone);
  Statement clusters(db, "SELECT cluster_id FROM clusters WHERE run_id = ? ORDER BY cluster_id");
  clusters.Bind(1, run_id);
  std::vector<std::pair<std::string, std::uint32_t>> index;
  while (clusters.Step()) {
    index.emplace_back(clusters.ColumnText(0), static_cast<std::uint32_t>(index.size()));
    assignment.cluster_ids.push_back(index.back().first);
  }
  Statement members(db, "SELECT account_id, cluster_id FROM cluster_members WHERE run_id = ?");
  members.Bind(1, run_id);
  while (members.Step()) {
    std::uint32_t account = accounts.Find(members.ColumnInt64(0));
    if (account == kNone) continue;
    std::string_view id = members.ColumnTextView(1);
    auto it = std::lower_bound(index.begin(), index.end(), id,
                               [](const auto& entry, std::string_view key) { return entry.first < key; });
    if (it != index.end() && it->first == id) assignment.cluster_of_account[account] = it->second;
  }
  return assignment;
}

std::uint32_t NextClusterNumber(Database& db) {
  Statement s(db,
              "SELECT MAX(CAST(substr(cluster_id, 3) AS INTEGER)) FROM clusters "
              "WHERE cluster_id GLOB 'c_[0-9]*'");
  if (s.Step() && !s.ColumnIsNull(0)) return static_cast<std::uint32_t>(s.ColumnInt64(0) + 1);
  return 1;
}

}  // namespace ringscope

namespace ringscope {

std::vector<RunMember> LoadRunMembers(Database& db, std::int64_t run_id) {
  Statement s(db,
              "SELECT a.id, a.name, m.cluster_id, c.size, c.score, m.reasons, c.evidence_classes "
              "FROM cluster_members m JOIN accounts a ON a.id = m.account_id "
              "JOIN clusters c ON c.run_id = m.run_id AND c.cluster_id = m.cluster_id "
              "WHERE m.run_id = ? ORDER BY a.name");
  s.Bind(1, run_id);
  std::vector<RunMember> members;
  while (s.Step()) {
    members.push_back(RunMember{.account_id = s.ColumnInt64(0),
                                .account = s.ColumnText(1),
                                .cluster_id = s.ColumnText(2),
                                .cluster_size = s.ColumnInt64(3),
                                .score = s.ColumnDouble(4),
                                .evidence_classes = static_cast<int>(s.ColumnInt64(6)),
                                .reasons = s.ColumnText(5)});
  }
  return members;
}

std::string LoadRunParameters(Database& db, std::int64_t run_id) {
  Statement s(db, "SELECT parameters FROM runs WHERE id = ?");
  s.Bind(1, run_id);
  return s.Step() ? s.ColumnText(0) : std::string("{}");
}

std::int64_t SaveExport(Database& db, const ExportRecord& record,
                        const std::vector<const RunMember*>& members) {
  Transaction transaction(db);
  Statement insert(db,
                   "INSERT INTO exports (run_id, created_at, kind, path, min_score, rows, "
                   "parameters) VALUES (?, strftime('%s','now'), ?, ?, ?, ?, ?)");
  insert.Bind(1, record.run_id).Bind(2, record.kind).Bind(3, record.path);
  if (record.min_score) {
    insert.Bind(4, *record.min_score);
  } else {
    insert.BindNull(4);
  }
  insert.Bind(5, static_cast<std::int64_t>(members.size())).Bind(6, record.parameters_json);
  insert.Run();
  std::int64_t export_id = db.LastInsertRowId();
  Statement member(db,
                   "INSERT INTO export_members (export_id, account_id, cluster_id, score, "
                   "reasons) VALUES (?, ?, ?, ?, ?)");
  for (const RunMember* m : members) {
    member.Reset();
    member.Bind(1, export_id).Bind(2, m->account_id).Bind(3, m->cluster_id);
    member.Bind(4, m->score).Bind(5, m->reasons);
    member.Run();
  }
  transaction.Commit();
  return export_id;
}

std::optional<std::int64_t> PreviousExportId(Database& db, std::string_view kind,
                                             std::int64_t before_id) {
  Statement s(db, "SELECT MAX(id) FROM exports WHERE kind = ? AND (? = 0 OR id < ?)");
  s.Bind(1, kind).Bind(2, before_id).Bind(3, before_id);
  if (s.Step() && !s.ColumnIsNull(0)) return s.ColumnInt64(0);
  return std::nullopt;
}

std::vector<std::string> LoadExportAccounts(Database& db, std::int64_t export_id) {
  Statement s(db,
              "SELECT a.name FROM export_members e JOIN accounts a ON a.id = e.account_id "
              "WHERE e.export_id = ? ORDER BY a.name");
  s.Bind(1, export_id);
  std::vector<std::string> names;
  while (s.Step()) names.push_back(s.ColumnText(0));
  return names;
}

std::vector<std::string> LoadListAccounts(Database& db, std::string_view list) {
  Statement s(db,
              "SELECT DISTINCT account FROM list_entries WHERE list = ? AND account IS NOT NULL "
              "ORDER BY account");
  s.Bind(1, list);
  std::vector<std::string> names;
  while (s.Step()) names.push_back(s.ColumnText(0));
  return names;
}

}  // namespace ringscope
