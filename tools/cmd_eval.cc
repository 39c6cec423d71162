// `ringscope eval`: reads the ground truth, the predictions (a ban list,
// clusters, or a run of the database) and optional hard negatives, maps every
// account to a dense index, scores with algorithms/metrics.h and writes a
// report.
//
// Universes (also in the command's help):
// - Bans are scored over every account named in any input: truth (fraud or
//   benign) ∪ ban list, clusters or run members ∪ hard negatives. A banned
//   account missing from the truth is benign, so it is a false positive. The
//   universe only changes the true-negative count, never precision or recall.
// - Clusters are compared with campaigns over truth fraud accounts ∪ clustered
//   accounts, benign and unclustered accounts each as their own singleton
//   (CompareClustersToCampaigns), so one giant cluster scores 0.
#include "tools/cmd_eval.h"

#include <simdjson.h>
#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "algorithms/metrics.h"
#include "algorithms/scoring.h"
#include "db/analysis.h"
#include "ingest/csv.h"
#include "tools/cli_runs.h"

namespace ringscope {

namespace {

// A campaign counts as recovered when at least this share of it is banned.
constexpr double kRecoveredShare = 0.9;

constexpr std::string_view kTruthColumns[] = {"account", "campaign"};
constexpr std::string_view kHardColumns[] = {"account", "group"};
constexpr std::string_view kBanListColumns[] = {"account", "cluster", "score", "reasons"};
constexpr std::string_view kClusterColumns[] = {"account", "cluster", "cluster_size", "score"};

// ---------------------------------------------------------------- reading --

// Names (accounts, campaigns, groups, clusters) numbered densely in order of
// first appearance, so that every run over the same files numbers alike.
class NameIndex {
 public:
  std::uint32_t Intern(std::string_view name) {
    auto [it, inserted] =
        ids_.try_emplace(std::string(name), static_cast<std::uint32_t>(names_.size()));
    if (inserted) names_.emplace_back(name);
    return it->second;
  }
  std::size_t size() const { return names_.size(); }
  const std::string& Name(std::uint32_t id) const { return names_[id]; }

 private:
  std::unordered_map<std::string, std::uint32_t> ids_;
  std::vector<std::string> names_;
};

// One file's rows: which account carries which label (campaign, group,
// cluster; kNoGroup for none) and the line each row came from.
struct LabelledAccounts {
  NameIndex labels;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> rows;  // (account, label)
  std::vector<std::int64_t> lines;
  void Add(std::uint32_t account, std::uint32_t label, std::int64_t line) {
    rows.emplace_back(account, label);
    lines.push_back(line);
  }
};

[[noreturn]] void FailAt(const std::string& path, std::int64_t line, const std::string& what) {
  throw CommandFailure(fmt::format("{}:{}: {}", path, line, what));
}

std::string JoinColumns(std::span<const std::string_view> columns) {
  std::string out;
  for (std::string_view c : columns) out += (out.empty() ? "" : ",") + std::string(c);
  return out;
}

// Eval reads plain files: its inputs are small exports, not request logs.
std::ifstream OpenInput(const std::string& path, std::string_view what) {
  const std::string_view p = path;
  if (p.ends_with(".gz") || p.ends_with(".zst")) {
    throw CommandFailure(fmt::format(
        "{} file {} is compressed; eval reads plain files, so decompress it first", what, path));
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw CommandFailure(fmt::format("{} file {} is a directory; pass a file", what, path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw CommandFailure(
        fmt::format("cannot open {} file {}: {}", what, path, std::strerror(errno)));
  }
  return in;
}

// The header must start with `columns` (extra columns after them are
// ignored). A UTF-8 byte order mark before the first name is tolerated.
void CheckHeader(const std::string& path, std::int64_t line, std::vector<std::string> header,
                 std::span<const std::string_view> columns, std::string_view what) {
  if (!header.empty() && header[0].starts_with("\xEF\xBB\xBF")) header[0].erase(0, 3);
  bool ok = header.size() >= columns.size();
  for (std::size_t i = 0; ok && i < columns.size(); ++i) ok = header[i] == columns[i];
  if (ok) return;
  std::string got;
  for (const std::string& h : header) got += (got.empty() ? "" : ",") + h;
  FailAt(path, line,
         fmt::format("header is '{}', expected '{}' (the {} format, see formats.md)", got,
                     JoinColumns(columns), what));
}

using CsvRowHandler = std::function<void(const std::vector<std::string>&, std::int64_t line)>;

// Reads a CSV file whose header starts with `columns` and calls `on_row` for
// each data row, which has exactly as many fields as the header. Blank lines
// between records are skipped. Throws CommandFailure with path and line.
void ReadCsv(const std::string& path, std::string_view what,
             std::span<const std::string_view> columns, const CsvRowHandler& on_row) {
  std::ifstream in = OpenInput(path, what);
  CsvRecordParser parser;
  std::string line;
  std::int64_t line_number = 0;
  std::size_t header_size = 0;  // 0 until the header is read
  bool pending = false;         // inside a quoted field that spans lines
  while (std::getline(in, line)) {
    ++line_number;
    if (!pending && (line.empty() || line == "\r")) continue;
    const CsvRecordParser::Status status = parser.Feed(line, line_number);
    pending = status == CsvRecordParser::Status::kNeedMore;
    if (pending) continue;
    if (status == CsvRecordParser::Status::kError) {
      FailAt(path, parser.record_line(), parser.error() + "; quote the field as in RFC 4180");
    }
    if (header_size == 0) {
      CheckHeader(path, parser.record_line(), parser.fields(), columns, what);
      header_size = parser.fields().size();
    } else if (parser.fields().size() != header_size) {
      FailAt(path, parser.record_line(),
             fmt::format("{} fields, expected {} as in the header; quote fields that hold commas",
                         parser.fields().size(), header_size));
    } else {
      on_row(parser.fields(), parser.record_line());
    }
  }
  if (in.bad()) throw CommandFailure(fmt::format("error reading {} file {}", what, path));
  if (parser.Finish() == CsvRecordParser::Status::kError) {
    FailAt(path, parser.record_line(), parser.error() + "; close the quoted field");
  }
  if (header_size == 0) {
    throw CommandFailure(fmt::format("{} file {} is empty: expected a header line '{}'", what,
                                     path, JoinColumns(columns)));
  }
}

// Rejects a second row for the same account within one file.
class DuplicateGuard {
 public:
  DuplicateGuard(std::string path, std::string rule)
      : path_(std::move(path)), rule_(std::move(rule)) {}
  void Check(std::uint32_t account, std::string_view name, std::int64_t line) {
    auto [it, inserted] = first_line_.try_emplace(account, line);
    if (!inserted) {
      FailAt(path_, line,
             fmt::format("account '{}' is listed again (first on line {}); {}", name,
                         it->second, rule_));
    }
  }

 private:
  std::string path_;
  std::string rule_;
  std::unordered_map<std::uint32_t, std::int64_t> first_line_;
};

std::uint32_t InternAccount(const std::string& path, std::int64_t line, std::string_view name,
                            NameIndex& accounts) {
  if (name.empty()) FailAt(path, line, "empty account; every row needs an account id");
  return accounts.Intern(name);
}

// A score: a finite number (the ban list and clusters write them in [0, 1]).
std::optional<double> ParseNumber(std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

LabelledAccounts ReadTruth(const std::string& path, NameIndex& accounts) {
  LabelledAccounts truth;
  DuplicateGuard seen(path, "an account belongs to one campaign at most");
  ReadCsv(path, "ground-truth", kTruthColumns, [&](const auto& f, std::int64_t line) {
    const std::uint32_t account = InternAccount(path, line, f[0], accounts);
    seen.Check(account, f[0], line);
    truth.Add(account, f[1].empty() ? kNoGroup : truth.labels.Intern(f[1]), line);
  });
  return truth;
}

LabelledAccounts ReadHardNegatives(const std::string& path, NameIndex& accounts) {
  LabelledAccounts hard;
  DuplicateGuard seen(path, "an account belongs to one hard-negative group at most");
  ReadCsv(path, "hard-negatives", kHardColumns, [&](const auto& f, std::int64_t line) {
    const std::uint32_t account = InternAccount(path, line, f[0], accounts);
    if (f[1].empty()) FailAt(path, line, "empty group; name the group this account belongs to");
    seen.Check(account, f[0], line);
    hard.Add(account, hard.labels.Intern(f[1]), line);
  });
  return hard;
}

// What the ban list or the clusters file predicts: every listed account with
// its cluster, and which of them are banned.
struct Predictions {
  LabelledAccounts clusters;
  std::vector<std::uint32_t> banned;
};

bool IsJsonLines(const std::string& path) {
  const std::string_view p = path;
  if (p.ends_with(".jsonl") || p.ends_with(".ndjson") || p.ends_with(".json")) return true;
  if (p.ends_with(".csv")) return false;
  std::ifstream in(path, std::ios::binary);
  char c = 0;
  while (in.get(c)) {
    if (!std::isspace(static_cast<unsigned char>(c))) return c == '{';
  }
  return false;
}

// The ban list as CSV (account,cluster,score,reasons).
Predictions ReadBanListCsv(const std::string& path, NameIndex& accounts) {
  Predictions p;
  DuplicateGuard seen(path, "a ban list has one row per account");
  ReadCsv(path, "ban-list", kBanListColumns, [&](const auto& f, std::int64_t line) {
    const std::uint32_t account = InternAccount(path, line, f[0], accounts);
    seen.Check(account, f[0], line);
    if (!ParseNumber(f[2])) {
      FailAt(path, line, fmt::format("score '{}' is not a number; expected e.g. 0.97", f[2]));
    }
    p.clusters.Add(account, f[1].empty() ? kNoGroup : p.clusters.labels.Intern(f[1]), line);
    p.banned.push_back(account);
  });
  return p;
}

// A JSON value that names a cluster: a string or an integer.
std::optional<std::string> ClusterName(simdjson::dom::element value) {
  std::string_view s;
  if (!value.get_string().get(s)) return std::string(s);
  std::int64_t i = 0;
  if (!value.get_int64().get(i)) return std::to_string(i);
  return std::nullopt;
}

// One .jsonl ban-list line: an object with at least a string "account";
// "score", when present, must be a number and "cluster" a string or integer.
void ReadBanListObject(const std::string& path, std::int64_t line, simdjson::dom::element doc,
                       NameIndex& accounts, DuplicateGuard& seen, Predictions& p) {
  simdjson::dom::object object;
  if (doc.get_object().get(object)) FailAt(path, line, "expected a JSON object per line");
  std::string_view name;
  auto account_field = object["account"];
  if (account_field.error() || account_field.get_string().get(name)) {
    FailAt(path, line, "missing \"account\" string; each line needs {\"account\": \"...\", ...}");
  }
  const std::uint32_t account = InternAccount(path, line, name, accounts);
  seen.Check(account, name, line);
  simdjson::dom::element field;
  if (!object["score"].get(field)) {
    double value = 0;
    if (field.get_double().get(value) || !std::isfinite(value)) {
      FailAt(path, line, "\"score\" is not a number; expected e.g. 0.97");
    }
  }
  std::uint32_t cluster = kNoGroup;
  if (!object["cluster"].get(field) && !field.is_null()) {
    std::optional<std::string> cluster_name = ClusterName(field);
    if (!cluster_name) FailAt(path, line, "\"cluster\" must be a string or an integer");
    if (!cluster_name->empty()) cluster = p.clusters.labels.Intern(*cluster_name);
  }
  p.clusters.Add(account, cluster, line);
  p.banned.push_back(account);
}

// The ban list as JSON Lines with the CSV's fields; blank lines are skipped.
// Unlike CSV (which needs its header), an empty file is a valid empty list.
Predictions ReadBanListJsonl(const std::string& path, NameIndex& accounts) {
  std::ifstream in = OpenInput(path, "ban-list");
  Predictions p;
  DuplicateGuard seen(path, "a ban list has one row per account");
  simdjson::dom::parser parser;
  std::string line;
  std::int64_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (std::all_of(line.begin(), line.end(), [](unsigned char c) { return std::isspace(c); })) {
      continue;
    }
    simdjson::dom::element doc;
    if (auto error = parser.parse(line).get(doc); error) {
      FailAt(path, line_number,
             fmt::format("invalid JSON ({}); write one object per line",
                         simdjson::error_message(error)));
    }
    ReadBanListObject(path, line_number, doc, accounts, seen, p);
  }
  if (in.bad()) throw CommandFailure(fmt::format("error reading ban-list file {}", path));
  // JSON Lines has no header: an empty file is the empty ban list.
  if (p.banned.empty()) spdlog::warn("ban-list file {} lists no account", path);
  return p;
}

// Warns (once, with the first example) when clusters' rows disagree with
// their declared cluster_size: the file may be a subset, which still scores,
// but the reader should know.
void CheckClusterSizes(const std::string& path, const LabelledAccounts& clusters,
                       const std::vector<std::int64_t>& declared) {
  std::vector<std::int64_t> counted(clusters.labels.size(), 0);
  for (const auto& [account, label] : clusters.rows) ++counted[label];
  std::int64_t mismatched = 0;
  std::uint32_t first = 0;
  for (std::uint32_t c = 0; c < counted.size(); ++c) {
    if (counted[c] != declared[c] && mismatched++ == 0) first = c;
  }
  if (mismatched == 0) return;
  spdlog::warn("{}: {} of {} clusters disagree with their cluster_size column, e.g. cluster '{}' "
               "declares cluster_size {} but has {} rows",
               path, mismatched, counted.size(), clusters.labels.Name(first), declared[first],
               counted[first]);
}

// The clusters file (account,cluster,cluster_size,score). An account counts
// as banned when its row's score is at least min_score.
Predictions ReadClusters(const std::string& path, double min_score, NameIndex& accounts) {
  Predictions p;
  std::vector<std::int64_t> declared_size;  // by cluster label, from its first row
  DuplicateGuard seen(path, "each account is in one cluster at most");
  ReadCsv(path, "clusters", kClusterColumns, [&](const auto& f, std::int64_t line) {
    const std::uint32_t account = InternAccount(path, line, f[0], accounts);
    seen.Check(account, f[0], line);
    if (f[1].empty()) FailAt(path, line, "empty cluster id");
    std::int64_t size = 0;
    auto [end, ec] = std::from_chars(f[2].data(), f[2].data() + f[2].size(), size);
    if (ec != std::errc() || end != f[2].data() + f[2].size() || size < 1) {
      FailAt(path, line, fmt::format("cluster_size '{}' is not a positive integer", f[2]));
    }
    const std::optional<double> score = ParseNumber(f[3]);
    if (!score) FailAt(path, line, fmt::format("score '{}' is not a number", f[3]));
    const std::uint32_t cluster = p.clusters.labels.Intern(f[1]);
    if (cluster == declared_size.size()) declared_size.push_back(size);
    p.clusters.Add(account, cluster, line);
    if (*score >= min_score) p.banned.push_back(account);
  });
  CheckClusterSizes(path, p.clusters, declared_size);
  return p;
}

// Where the predictions came from, for the report.
struct PredictionSource {
  enum class Kind { kBanList, kClusters, kRun } kind = Kind::kBanList;
  std::string path;             // the file, or the database
  std::int64_t run_id = 0;      // kRun
  std::size_t allowlisted = 0;  // kRun: members the stored allowlist spared
};

// A run of the database: every member with its cluster, banned by the ban
// list's rule (SelectBanned with the stored allowlist), so the bans are those
// `export banlist --min-score S` writes. O(members log members).
Predictions ReadRun(const EvalOptions& o, NameIndex& accounts, PredictionSource& source) {
  Store store = OpenExistingStore(o.db_path, StoreOptions{.read_only = true});
  source.run_id = ResolveRun(store.db(), o.run_id);
  const std::vector<RunMember> members = LoadRunMembers(store.db(), source.run_id);
  const BanSelection ban = SelectBanned(members, o.min_score, LoadAllowlist(store.db(), {}));
  source.allowlisted = ban.allowlisted;
  Predictions p;
  std::vector<std::uint32_t> index(members.size());
  for (std::size_t i = 0; i < members.size(); ++i) {
    index[i] = accounts.Intern(members[i].account);
    p.clusters.Add(index[i], p.clusters.labels.Intern(members[i].cluster_id), 0);
  }
  for (const RunMember* m : ban.banned) p.banned.push_back(index[m - members.data()]);
  if (members.empty()) spdlog::warn("run {} in {} has no clusters", source.run_id, o.db_path);
  return p;
}

// The predictions the options name: a ban list, clusters, or else a run.
Predictions ReadPredictions(const EvalOptions& o, NameIndex& accounts, PredictionSource& source) {
  if (!o.clusters_path.empty()) {
    source = {.kind = PredictionSource::Kind::kClusters, .path = o.clusters_path};
    return ReadClusters(o.clusters_path, o.min_score, accounts);
  }
  if (!o.banlist_path.empty()) {
    source = {.kind = PredictionSource::Kind::kBanList, .path = o.banlist_path};
    return IsJsonLines(o.banlist_path) ? ReadBanListJsonl(o.banlist_path, accounts)
                                       : ReadBanListCsv(o.banlist_path, accounts);
  }
  source = {.kind = PredictionSource::Kind::kRun, .path = o.db_path};
  return ReadRun(o, accounts, source);
}

// ---------------------------------------------------------------- scoring --

struct NamedCoverage {
  std::string name;
  GroupCoverage coverage;
};

struct HardNegativeReport {
  GroupCoverage total;  // all hard negatives together
  std::vector<NamedCoverage> groups;
};

struct ClusterReport {
  std::int64_t clustered_accounts = 0;
  std::int64_t clusters = 0;
  PartitionAgreement agreement;
};

struct EvalReport {
  PredictionSource source;
  std::size_t universe = 0;
  std::int64_t fraud_accounts = 0;
  std::int64_t benign_listed = 0;  // truth rows with an empty campaign
  std::int64_t listed = 0;         // rows in the ban list or clusters file, or run members
  BinaryScores bans;
  std::vector<NamedCoverage> campaigns;  // sorted by name
  std::int64_t campaigns_recovered = 0;  // at least kRecoveredShare banned
  std::optional<HardNegativeReport> hard;
  std::optional<ClusterReport> clusters;
};

// The label of every account in the universe (kNoGroup when it has none).
std::vector<std::uint32_t> LabelsByAccount(const LabelledAccounts& file, std::size_t universe) {
  std::vector<std::uint32_t> labels(universe, kNoGroup);
  for (const auto& [account, label] : file.rows) labels[account] = label;
  return labels;
}

std::vector<NamedCoverage> NameCoverage(const std::vector<GroupCoverage>& coverage,
                                        const NameIndex& names) {
  std::vector<NamedCoverage> out;
  for (std::uint32_t g = 0; g < coverage.size(); ++g) out.push_back({names.Name(g), coverage[g]});
  std::sort(out.begin(), out.end(),
            [](const NamedCoverage& a, const NamedCoverage& b) { return a.name < b.name; });
  return out;
}

// A hard negative is benign by definition: one the truth puts in a campaign
// means the two files disagree, and any share computed from them would lie.
void CheckHardNegativesAreBenign(const std::string& hard_path, const LabelledAccounts& hard,
                                 const std::vector<std::uint32_t>& campaign_of,
                                 const LabelledAccounts& truth, const NameIndex& accounts,
                                 const std::string& truth_path) {
  for (std::size_t r = 0; r < hard.rows.size(); ++r) {
    const std::uint32_t account = hard.rows[r].first;
    if (campaign_of[account] == kNoGroup) continue;
    FailAt(hard_path, hard.lines[r],
           fmt::format("account '{}' is a hard negative but {} puts it in campaign '{}'; a hard "
                       "negative must be benign",
                       accounts.Name(account), truth_path,
                       truth.labels.Name(campaign_of[account])));
  }
}

HardNegativeReport ScoreHardNegatives(const LabelledAccounts& hard,
                                      const std::vector<bool>& banned) {
  const std::vector<std::uint32_t> group_of = LabelsByAccount(hard, banned.size());
  HardNegativeReport report{
      .total = {}, .groups = NameCoverage(CoverageByGroup(group_of, banned, hard.labels.size()),
                                          hard.labels)};
  for (const NamedCoverage& g : report.groups) {
    report.total.size += g.coverage.size;
    report.total.flagged += g.coverage.flagged;
  }
  if (report.total.size > 0) {
    report.total.share =
        static_cast<double>(report.total.flagged) / static_cast<double>(report.total.size);
  }
  return report;
}

EvalReport Score(const LabelledAccounts& truth, const Predictions& predictions,
                 const LabelledAccounts* hard, bool compare_clusters, std::size_t universe) {
  EvalReport report;
  report.universe = universe;
  report.listed = static_cast<std::int64_t>(predictions.clusters.rows.size());
  const std::vector<std::uint32_t> campaign_of = LabelsByAccount(truth, universe);
  std::vector<bool> fraud(universe, false), banned(universe, false);
  for (std::size_t a = 0; a < universe; ++a) fraud[a] = campaign_of[a] != kNoGroup;
  for (std::uint32_t a : predictions.banned) banned[a] = true;
  report.fraud_accounts = std::count(fraud.begin(), fraud.end(), true);
  report.benign_listed = static_cast<std::int64_t>(truth.rows.size()) - report.fraud_accounts;
  report.bans = ScoreBinary(fraud, banned);
  const std::vector<GroupCoverage> campaigns =
      CoverageByGroup(campaign_of, banned, truth.labels.size());
  report.campaigns_recovered = CountGroupsCovered(campaigns, kRecoveredShare);
  report.campaigns = NameCoverage(campaigns, truth.labels);
  if (hard != nullptr) report.hard = ScoreHardNegatives(*hard, banned);
  if (compare_clusters) {
    const std::vector<std::uint32_t> cluster_of = LabelsByAccount(predictions.clusters, universe);
    report.clusters = ClusterReport{
        .clustered_accounts = report.listed,
        .clusters = static_cast<std::int64_t>(predictions.clusters.labels.size()),
        .agreement = CompareClustersToCampaigns(campaign_of, cluster_of)};
  }
  return report;
}

// ---------------------------------------------------------------- writing --

// Shortest faithful text of a metric for CSV, as JsonWriter writes doubles.
std::string MetricText(double value) {
  if (!std::isfinite(value)) return "";
  return fmt::format("{:.6g}", value);
}

void WriteCoverageJson(JsonWriter& json, std::string_view name_key, std::string_view count_key,
                       std::string_view share_key, const std::vector<NamedCoverage>& groups) {
  json.BeginArray();
  for (const NamedCoverage& g : groups) {
    json.BeginObject();
    json.Key(name_key).String(g.name);
    json.Key("size").Int(g.coverage.size);
    json.Key(count_key).Int(g.coverage.flagged);
    json.Key(share_key).Double(g.coverage.share);
    json.EndObject();
  }
  json.EndArray();
}

std::string_view SourceName(PredictionSource::Kind kind) {
  switch (kind) {
    case PredictionSource::Kind::kBanList:
      return "banlist";
    case PredictionSource::Kind::kClusters:
      return "clusters";
    case PredictionSource::Kind::kRun:
      return "run";
  }
  return "";
}

void WriteJsonReport(const EvalOptions& o, const EvalReport& r, std::ostream& out) {
  JsonWriter json(out);
  json.BeginObject();
  json.Key("truth").BeginObject();
  json.Key("path").String(o.truth_path);
  json.Key("fraud_accounts").Int(r.fraud_accounts);
  json.Key("campaigns").Int(static_cast<long long>(r.campaigns.size()));
  json.Key("benign_listed").Int(r.benign_listed);
  json.EndObject();
  json.Key("predictions").BeginObject();
  json.Key("source").String(SourceName(r.source.kind));
  json.Key("path").String(r.source.path);
  if (r.source.kind == PredictionSource::Kind::kRun) json.Key("run").Int(r.source.run_id);
  json.Key("accounts").Int(r.listed);
  if (r.source.kind != PredictionSource::Kind::kBanList) json.Key("min_score").Double(o.min_score);
  if (r.source.kind == PredictionSource::Kind::kRun) {
    json.Key("allowlisted").Int(static_cast<long long>(r.source.allowlisted));
  }
  json.EndObject();
  json.Key("universe").Int(static_cast<long long>(r.universe));
  json.Key("bans").BeginObject();
  json.Key("banned").Int(r.bans.true_positives + r.bans.false_positives);
  json.Key("true_positives").Int(r.bans.true_positives);
  json.Key("false_positives").Int(r.bans.false_positives);
  json.Key("false_negatives").Int(r.bans.false_negatives);
  json.Key("true_negatives").Int(r.bans.true_negatives);
  json.Key("precision").Double(r.bans.precision);
  json.Key("recall").Double(r.bans.recall);
  json.Key("f1").Double(r.bans.f1);
  json.EndObject();
  json.Key("campaigns");
  WriteCoverageJson(json, "campaign", "recovered", "recall", r.campaigns);
  json.Key("campaigns_recovered_90pct").Int(r.campaigns_recovered);
  json.Key("hard_negatives");
  if (r.hard) {
    json.BeginObject();
    json.Key("path").String(o.hard_negatives_path);
    json.Key("accounts").Int(r.hard->total.size);
    json.Key("banned").Int(r.hard->total.flagged);
    json.Key("share").Double(r.hard->total.share);
    json.Key("groups");
    WriteCoverageJson(json, "group", "banned", "share", r.hard->groups);
    json.EndObject();
  } else {
    json.Null();
  }
  json.Key("clusters");
  if (r.clusters) {
    json.BeginObject();
    json.Key("clusters").Int(r.clusters->clusters);
    json.Key("clustered_accounts").Int(r.clusters->clustered_accounts);
    json.Key("universe").Int(static_cast<long long>(r.clusters->agreement.items));
    json.Key("adjusted_rand_index").Double(r.clusters->agreement.adjusted_rand_index);
    json.Key("normalized_mutual_information")
        .Double(r.clusters->agreement.normalized_mutual_information);
    json.EndObject();
  } else {
    json.Null();
  }
  json.EndObject();
  out << '\n';
}

// Long form, one number per row: section,name,metric,value. Spreadsheets and
// data frames pivot it as they like.
void WriteCsvReport(const EvalReport& r, std::ostream& out) {
  Table t{.columns = {"section", "name", "metric", "value"}, .rows = {}, .numeric = {}};
  auto add = [&](std::string section, std::string name, std::string metric, std::string value) {
    t.rows.push_back({std::move(section), std::move(name), std::move(metric), std::move(value)});
  };
  const BinaryScores& b = r.bans;
  add("bans", "", "universe", std::to_string(r.universe));
  add("bans", "", "banned", std::to_string(b.true_positives + b.false_positives));
  add("bans", "", "true_positives", std::to_string(b.true_positives));
  add("bans", "", "false_positives", std::to_string(b.false_positives));
  add("bans", "", "false_negatives", std::to_string(b.false_negatives));
  add("bans", "", "true_negatives", std::to_string(b.true_negatives));
  add("bans", "", "precision", MetricText(b.precision));
  add("bans", "", "recall", MetricText(b.recall));
  add("bans", "", "f1", MetricText(b.f1));
  add("campaigns", "", "recovered_90pct", std::to_string(r.campaigns_recovered));
  for (const NamedCoverage& c : r.campaigns) {
    add("campaign", c.name, "size", std::to_string(c.coverage.size));
    add("campaign", c.name, "recovered", std::to_string(c.coverage.flagged));
    add("campaign", c.name, "recall", MetricText(c.coverage.share));
  }
  if (r.hard) {
    for (const NamedCoverage& g : r.hard->groups) {
      add("hard_negative_group", g.name, "size", std::to_string(g.coverage.size));
      add("hard_negative_group", g.name, "banned", std::to_string(g.coverage.flagged));
      add("hard_negative_group", g.name, "share", MetricText(g.coverage.share));
    }
  }
  if (r.clusters) {
    const PartitionAgreement& a = r.clusters->agreement;
    add("clusters", "", "universe", std::to_string(a.items));
    add("clusters", "", "adjusted_rand_index", MetricText(a.adjusted_rand_index));
    add("clusters", "", "normalized_mutual_information",
        MetricText(a.normalized_mutual_information));
  }
  WriteTable(t, OutputFormat::kCsv, out);
}

Table CoverageTable(const std::vector<NamedCoverage>& groups, const std::string& name_column,
                    const std::string& count_column, const std::string& share_column) {
  Table t{.columns = {name_column, "size", count_column, share_column},
          .rows = {},
          .numeric = {false, true, true, true}};
  for (const NamedCoverage& g : groups) {
    t.rows.push_back({g.name, FormatCount(g.coverage.size), FormatCount(g.coverage.flagged),
                      FormatDouble(g.coverage.share, 4)});
  }
  return t;
}

void WriteTextReport(const EvalOptions& o, const EvalReport& r, std::ostream& out) {
  const BinaryScores& b = r.bans;
  const PredictionSource& source = r.source;
  switch (source.kind) {
    case PredictionSource::Kind::kBanList:
      out << "Predictions: " << source.path << " (" << FormatCount(r.listed) << " accounts)";
      break;
    case PredictionSource::Kind::kClusters:
      out << "Predictions: clusters " << source.path << " (" << FormatCount(r.listed)
          << " accounts; banned = score >= " << FormatDouble(o.min_score, 2) << ")";
      break;
    case PredictionSource::Kind::kRun:
      out << "Predictions: run " << source.run_id << " of " << source.path << " ("
          << FormatCount(r.listed)
          << " clustered accounts; banned as by 'export banlist': score >= "
          << FormatDouble(o.min_score, 2) << " and at least "
          << ScoringOptions{}.min_independent_classes << " kinds of evidence, "
          << FormatCount(static_cast<long long>(source.allowlisted)) << " allowlisted left out)";
      break;
  }
  out << "\nTruth: " << o.truth_path << " (" << FormatCount(r.fraud_accounts)
      << " fraud accounts in " << FormatCount(static_cast<long long>(r.campaigns.size()))
      << " campaigns, " << FormatCount(r.benign_listed) << " listed benign)\n"
      << "Universe: " << FormatCount(static_cast<long long>(r.universe))
      << " accounts (every account in the truth, predictions and hard negatives)\n\n";
  Table bans{.columns = {"bans", "value"}, .rows = {}, .numeric = {false, true}};
  bans.rows = {{"precision", FormatDouble(b.precision, 4)},
               {"recall", FormatDouble(b.recall, 4)},
               {"F1", FormatDouble(b.f1, 4)},
               {"banned", FormatCount(b.true_positives + b.false_positives)},
               {"true positives", FormatCount(b.true_positives)},
               {"false positives", FormatCount(b.false_positives)},
               {"false negatives", FormatCount(b.false_negatives)},
               {"true negatives", FormatCount(b.true_negatives)}};
  WriteTable(bans, OutputFormat::kTable, out);
  out << "\nRecall by campaign: " << r.campaigns_recovered << " of " << r.campaigns.size()
      << " campaigns at least 90% recovered\n";
  WriteTable(CoverageTable(r.campaigns, "campaign", "recovered", "recall"), OutputFormat::kTable,
             out);
  if (r.hard) {
    out << "\nFalse bans among hard negatives (" << o.hard_negatives_path
        << "): " << FormatCount(r.hard->total.flagged) << " of "
        << FormatCount(r.hard->total.size) << " banned (" << FormatDouble(r.hard->total.share, 4)
        << ")\n";
    WriteTable(CoverageTable(r.hard->groups, "group", "banned", "share"), OutputFormat::kTable,
               out);
  }
  if (r.clusters) {
    const PartitionAgreement& a = r.clusters->agreement;
    out << "\nClusters against campaigns (" << FormatCount(r.clusters->clusters)
        << " clusters; over " << FormatCount(static_cast<long long>(a.items))
        << " accounts: fraud or clustered, the rest of each side as singletons)\n";
    Table agreement{.columns = {"measure", "value"}, .rows = {}, .numeric = {false, true}};
    agreement.rows = {{"adjusted Rand index", FormatDouble(a.adjusted_rand_index, 4)},
                      {"NMI (arithmetic mean)", FormatDouble(a.normalized_mutual_information, 4)}};
    WriteTable(agreement, OutputFormat::kTable, out);
  }
}

constexpr const char* kEvalFooter = R"(
Scores predictions against ground truth (formats.md "Ground truth"):
  ringscope eval --truth truth.csv [--hard hard_negatives.csv]
                 (--banlist FILE | --clusters FILE | the database's latest run)
  truth:        CSV account,campaign; a non-empty campaign marks a fraud account,
                an empty one (or an account not listed) is benign.
  --hard:       CSV account,group; benign accounts that look like a campaign
                (a company NAT, a shared framework); reports false bans per group.
  --banlist:    the ban list, CSV account,cluster,score,reasons or .jsonl with
                the same fields (every listed account counts as banned).
  --clusters:   CSV account,cluster,cluster_size,score; accounts whose score is
                >= --min-score count as banned, as in the ban list.
  neither:      the latest analysis run of the database (--db, $RINGSCOPE_DB,
                else ringscope.db), or the run given by --run ID. Banned are the
                accounts 'export banlist --min-score S' would list: cluster score
                >= S, at least two independent kinds of evidence, not on the
                stored allowlist ('ingest --list allow'). Its clusters are
                compared with the campaigns as with --clusters.

Examples:
  ringscope analyze && ringscope eval --truth demo/truth.csv --hard demo/hard_negatives.csv
  ringscope eval --truth demo/truth.csv --banlist banlist.csv --format json

Bans (precision, recall, F1, TP/FP/FN/TN) are scored over every account named in
any input (for a run: its clustered accounts); a banned account missing from the
truth is a false positive.
Precision of an empty ban list is 1 (no ban was wrong); its recall and F1 are 0
when there is fraud to find.
A campaign is recovered when at least 90% of its accounts are banned.

With --clusters or a run, the clustering is compared with the campaigns by the adjusted
Rand index (0 = chance, 1 = identical) and NMI (arithmetic-mean normalisation,
as scikit-learn's default) over truth fraud accounts and clustered accounts
(all clusters, whatever their score). Inside that universe every benign account
is its own campaign and every unclustered account its own cluster, so putting
everything in one cluster scores 0. NMI favours many small clusters; ARI is the
figure to trust.

Exit codes: 0 ok, 1 unreadable or bad input (the message names file and line),
no database or no analysis run in it, 2 usage.
)";

}  // namespace

void RunEval(const EvalOptions& options, std::ostream& out) {
  const bool from_file = !options.banlist_path.empty() || !options.clusters_path.empty();
  if (!options.banlist_path.empty() && !options.clusters_path.empty()) {
    throw UsageError("pass only one of --banlist and --clusters");
  }
  if (from_file && options.run_id != 0) {
    throw UsageError("--run scores a run of the database; it cannot be combined with a file");
  }
  if (options.run_id < 0) {
    throw UsageError(fmt::format("--run must be a run id (1 or more), got {}", options.run_id));
  }
  if (!(options.min_score >= 0.0 && options.min_score <= 1.0)) {
    throw UsageError(fmt::format("--min-score must be in [0, 1], got {}", options.min_score));
  }
  NameIndex accounts;
  const LabelledAccounts truth = ReadTruth(options.truth_path, accounts);
  PredictionSource source;
  const Predictions predictions = ReadPredictions(options, accounts, source);
  std::optional<LabelledAccounts> hard;
  if (!options.hard_negatives_path.empty()) {
    hard = ReadHardNegatives(options.hard_negatives_path, accounts);
    CheckHardNegativesAreBenign(options.hard_negatives_path, *hard,
                                LabelsByAccount(truth, accounts.size()), truth, accounts,
                                options.truth_path);
  }
  // A ban list is not a clustering; clusters files and runs are.
  const bool compare_clusters = source.kind != PredictionSource::Kind::kBanList;
  EvalReport report =
      Score(truth, predictions, hard ? &*hard : nullptr, compare_clusters, accounts.size());
  report.source = std::move(source);
  switch (options.format) {
    case OutputFormat::kJson:
      WriteJsonReport(options, report, out);
      break;
    case OutputFormat::kCsv:
      WriteCsvReport(report, out);
      break;
    case OutputFormat::kTable:
      WriteTextReport(options, report, out);
      break;
  }
}

void SetupEvalCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry) {
  auto options = std::make_shared<EvalOptions>();
  CLI::App* cmd = app.add_subcommand(
      "eval",
      "Score a ban list, clusters or the database's latest run against ground truth\n"
      "(precision, recall, ARI, NMI)");
  cmd->add_option("--truth", options->truth_path, "Ground truth CSV: account,campaign")
      ->required()
      ->type_name("FILE");
  cmd->add_option("--hard", options->hard_negatives_path,
                  "Hard negatives CSV: account,group (benign look-alikes)")
      ->type_name("FILE");
  CLI::Option* banlist = cmd->add_option("--banlist", options->banlist_path,
                                         "Ban list to score: CSV or .jsonl (formats.md)")
                             ->type_name("FILE");
  CLI::Option* clusters =
      cmd->add_option("--clusters", options->clusters_path,
                      "Clusters CSV to score: account,cluster,cluster_size,score")
          ->type_name("FILE");
  banlist->excludes(clusters);
  CLI::Option* run =
      cmd->add_option("--run", options->run_id,
                      "Without a file: score this run of the database (default: the latest)")
          ->type_name("ID");
  run->excludes(banlist)->excludes(clusters);
  cmd->add_option("--min-score", options->min_score,
                  "With --clusters or a run: clusters scoring at least this count as banned")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str()
      ->excludes(banlist);
  AddFormatOption(cmd, &options->format);
  cmd->footer(kEvalFooter);
  registry.Add(cmd, [options, &global] {
    options->db_path = global.ResolvedDbPath();
    RunEval(*options, std::cout);
  });
}

}  // namespace ringscope
