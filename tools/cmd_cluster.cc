#include "tools/cmd_cluster.h"

#include <algorithm>
#include <iostream>
#include <map>
#include <unordered_map>

#include "db/queries.h"
#include "tools/cli_explore.h"
#include "tools/cli_runs.h"

namespace ringscope {

namespace {

struct ClusterOptions {
  std::string cluster;
  std::int64_t run_id = 0;
  std::size_t members = 20;  // top members shown
  std::size_t values = 15;   // most shared values shown
  std::size_t bins = 12;     // timeline bins
  // Members whose values are read for the evidence sections: a cluster of
  // 5,000 accounts is measured on 150 of them (evenly spread by account id),
  // which keeps the query under 50 ms at p99 (docs/benchmarks.md) and the
  // shares within about 8 points (1.96 * sqrt(0.25 / 150)).
  std::size_t sample = 150;
  OutputFormat format = OutputFormat::kTable;
};

// How the sampled members share values: per value (prompt templates of one
// prompt cluster as one value), the sampled members holding it.
struct Sharing {
  std::size_t sampled = 0;
  bool prompt_clusters = false;  // prompt values are prompt clusters
  std::unordered_map<std::int64_t, std::uint32_t> members_with;  // value -> members
  std::unordered_map<std::int64_t, std::int64_t> kind_of;        // value -> kind id
  std::vector<std::vector<std::int64_t>> values_of;  // per sampled member (aligned)
  std::vector<std::size_t> sampled_index;            // member index of each sampled member
};

// A prompt cluster's accounts are counted over at most this many
// observations of its templates (a lower bound beyond: shown as N+).
constexpr std::size_t kClusterRows = 2000;

std::vector<std::size_t> SampleMembers(std::size_t n, std::size_t sample) {
  std::vector<std::size_t> out;
  if (n <= sample) {
    for (std::size_t i = 0; i < n; ++i) out.push_back(i);
    return out;
  }
  for (std::size_t i = 0; i < sample; ++i) out.push_back(i * n / sample);
  return out;
}

Sharing MeasureSharing(Database& db, const std::vector<ClusterMemberRecord>& members,
                       std::size_t sample, std::int64_t prompt_kind) {
  Sharing s;
  const bool clusters = prompt_kind >= 0 && HasPromptClusters(db);
  s.prompt_clusters = clusters;
  std::unordered_map<std::int64_t, std::int64_t> representative;
  s.sampled_index = SampleMembers(members.size(), sample);
  s.sampled = s.sampled_index.size();
  for (std::size_t i : s.sampled_index) {
    std::vector<std::int64_t> values;
    for (auto [value, kind] : LoadAccountValueKinds(db, members[i].account_id)) {
      if (clusters && kind == prompt_kind) {
        auto [it, fresh] = representative.try_emplace(value, 0);
        if (fresh) it->second = PromptClusterOf(db, value);
        value = it->second;
      }
      s.kind_of.emplace(value, kind);
      values.push_back(value);
    }
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    for (std::int64_t v : values) ++s.members_with[v];
    s.values_of.push_back(std::move(values));
  }
  return s;
}

Table SummaryTable(std::int64_t run, const ClusterRecord& c) {
  Table t{{"field", "value"}, {}, {false, false}};
  t.rows = {{"cluster", c.cluster_id},
            {"run", std::to_string(run)},
            {"size", std::to_string(c.size)},
            {"score", FormatDouble(c.score, 2)},
            {"evidence_classes", std::to_string(c.evidence_classes)},
            {"reasons", c.reasons}};
  return t;
}

// Per kind: sampled members holding a value of that kind another sampled
// member holds, the shared values, the largest sharing.
Table KindsTable(const Sharing& s, const std::map<std::int64_t, std::string>& kinds) {
  struct PerKind {
    std::size_t members = 0, values = 0;
    std::uint32_t widest = 0;
  };
  std::map<std::string, PerKind> per_kind;
  for (const auto& [value, count] : s.members_with) {
    if (count < 2) continue;
    PerKind& k = per_kind[kinds.at(s.kind_of.at(value))];
    ++k.values;
    k.widest = std::max(k.widest, count);
  }
  for (const auto& values : s.values_of) {
    std::map<std::string, bool> seen;
    for (std::int64_t v : values)
      if (s.members_with.at(v) >= 2) seen[kinds.at(s.kind_of.at(v))] = true;
    for (const auto& [kind, yes] : seen) ++per_kind[kind].members;
  }
  Table t{{"kind", "members_sharing", "shared_values", "widest_value_members"},
          {},
          {false, true, true, true}};
  std::vector<std::pair<std::string, PerKind>> rows(per_kind.begin(), per_kind.end());
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& x, const auto& y) { return x.second.members > y.second.members; });
  for (const auto& [kind, k] : rows)
    t.rows.push_back({kind, std::to_string(k.members), std::to_string(k.values),
                      std::to_string(k.widest)});
  return t;
}

Table ValuesTable(Database& db, const Sharing& s, const std::map<std::int64_t, std::string>& kinds,
                  std::size_t limit) {
  std::vector<std::pair<std::uint32_t, std::int64_t>> shared;
  for (const auto& [value, count] : s.members_with)
    if (count >= 2) shared.emplace_back(count, value);
  std::sort(shared.begin(), shared.end(), [](const auto& x, const auto& y) {
    return x.first != y.first ? x.first > y.first : x.second < y.second;
  });
  Table t{{"kind", "value", "members", "accounts", "templates"},
          {},
          {false, false, true, true, true}};
  for (std::size_t i = 0; i < shared.size() && i < limit; ++i) {
    const std::int64_t id = shared[i].second;
    const std::string& kind = kinds.at(s.kind_of.at(id));
    std::optional<ValueRecord> v = LoadValue(db, id);
    std::int64_t accounts = v ? v->degree : 0, templates = 0;
    if (s.prompt_clusters && kind == "prompt") {  // a prompt cluster: its accounts, its templates
      const PromptClusterSize size = LoadPromptClusterSize(db, id, kClusterRows);
      templates = size.templates;
      accounts = size.accounts;
    }
    const bool lower_bound = accounts > static_cast<std::int64_t>(kClusterRows);
    t.rows.push_back({kind, v ? v->value : "", std::to_string(shared[i].first),
                      std::to_string(accounts) + (lower_bound ? "+" : ""),
                      templates >= kMaxCountedTemplates ? std::to_string(templates) + "+"
                      : templates > 0                   ? std::to_string(templates)
                                                        : ""});
  }
  return t;
}

// Signups (created_at, else first seen) in `bins` equal bins over their range.
Table TimelineTable(const std::vector<ClusterMemberRecord>& members, std::size_t bins) {
  std::vector<Timestamp> times;
  for (const ClusterMemberRecord& m : members) {
    const Timestamp t = m.created_at != kNoTimestamp ? m.created_at : m.first_ts;
    if (t != kNoTimestamp) times.push_back(t);
  }
  Table t{{"from", "to", "accounts", "histogram"}, {}, {false, false, true, false}};
  if (times.empty() || bins == 0) return t;
  const auto [lo, hi] = std::minmax_element(times.begin(), times.end());
  const Timestamp start = *lo;
  const double width = std::max<double>(1.0, static_cast<double>(*hi - *lo + 1) / bins);
  std::vector<std::size_t> count(bins, 0);
  for (Timestamp x : times)
    ++count[std::min(bins - 1, static_cast<std::size_t>((x - start) / width))];
  const std::size_t peak = *std::max_element(count.begin(), count.end());
  for (std::size_t i = 0; i < bins; ++i) {
    const Timestamp from = start + static_cast<Timestamp>(i * width);
    const Timestamp to = start + static_cast<Timestamp>((i + 1) * width);
    const std::size_t bar = count[i] == 0 ? 0 : std::max<std::size_t>(1, count[i] * 40 / peak);
    t.rows.push_back({TimeText(from), TimeText(to), std::to_string(count[i]), std::string(bar, '#')});
    if (to > *hi) break;
  }
  return t;
}

// Members by values shared with other sampled members, then requests, then name.
Table MembersTable(const std::vector<ClusterMemberRecord>& members, const Sharing& s,
                   std::size_t limit) {
  std::vector<std::pair<std::size_t, std::size_t>> order;  // (shared values, member index)
  std::vector<std::size_t> shared(members.size(), 0);
  for (std::size_t k = 0; k < s.sampled; ++k)
    for (std::int64_t v : s.values_of[k]) shared[s.sampled_index[k]] += s.members_with.at(v) >= 2;
  for (std::size_t i = 0; i < members.size(); ++i) order.emplace_back(shared[i], i);
  std::sort(order.begin(), order.end(), [&](const auto& x, const auto& y) {
    if (x.first != y.first) return x.first > y.first;
    const auto& a = members[x.second];
    const auto& b = members[y.second];
    return a.requests != b.requests ? a.requests > b.requests : a.name < b.name;
  });
  Table t{{"account", "shared_values", "requests", "signup", "reasons"},
          {},
          {false, true, true, false, false}};
  for (std::size_t i = 0; i < order.size() && i < limit; ++i) {
    const ClusterMemberRecord& m = members[order[i].second];
    t.rows.push_back({m.name, std::to_string(order[i].first), std::to_string(m.requests),
                      TimeText(m.created_at != kNoTimestamp ? m.created_at : m.first_ts),
                      m.reasons});
  }
  return t;
}

void RunCluster(const ClusterOptions& o, const GlobalOptions& global) {
  if (o.sample == 0) throw UsageError("--sample must be at least 1");
  Store store = OpenForQuery(global);
  Database& db = store.db();
  const std::int64_t run = ResolveRun(db, o.run_id);
  std::optional<ClusterRecord> cluster = FindCluster(db, run, o.cluster);
  if (!cluster)
    throw CommandFailure("cluster '" + o.cluster + "' is not in run " + std::to_string(run) +
                         " (ringscope top lists the run's clusters)");
  std::vector<ClusterMemberRecord> members = LoadClusterMembers(db, run, o.cluster);
  std::map<std::int64_t, std::string> kinds;
  std::int64_t prompt_kind = -1;
  for (auto& [id, name] : LoadKinds(db)) {
    if (name == "prompt") prompt_kind = id;
    kinds.emplace(id, std::move(name));
  }
  Sharing sharing = MeasureSharing(db, members, o.sample, prompt_kind);
  std::string sample_note;
  if (sharing.sampled < members.size())
    sample_note = "(measured on " + std::to_string(sharing.sampled) + " of " +
                  std::to_string(members.size()) + " members, evenly spread; --sample N)";
  std::vector<Section> sections = {
      {"cluster", "cluster " + cluster->cluster_id, SummaryTable(run, *cluster), ""},
      {"kinds", "evidence by kind", KindsTable(sharing, kinds), sample_note},
      {"values", "most shared values", ValuesTable(db, sharing, kinds, o.values), sample_note},
      {"timeline", "signups (created_at, else first seen)", TimelineTable(members, o.bins), ""},
      {"members", "top members", MembersTable(members, sharing, o.members),
       members.size() > o.members
           ? "(" + std::to_string(members.size() - o.members) + " more; --members N shows more)"
           : ""}};
  if (o.format != OutputFormat::kJson) return WriteSections(sections, o.format, std::cout);
  JsonWriter json(std::cout);
  json.BeginObject().Key("cluster").String(cluster->cluster_id).Key("run").Int(run);
  json.Key("size").Int(cluster->size).Key("score").Double(cluster->score);
  json.Key("evidence_classes").Int(cluster->evidence_classes).Key("reasons").String(cluster->reasons);
  json.Key("sampled_members").Int(static_cast<long long>(sharing.sampled));
  for (std::size_t i = 1; i < sections.size(); ++i) {
    json.Key(sections[i].key);
    TableJson(json, sections[i].table);
  }
  json.EndObject();
  std::cout << '\n';
}

}  // namespace

void SetupClusterCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry) {
  auto o = std::make_shared<ClusterOptions>();
  CLI::App* cmd = app.add_subcommand(
      "cluster",
      "One cluster of a run: size, score, reasons and independent evidence classes; the\n"
      "evidence that ties its members by kind; its most shared values; a signup timeline\n"
      "(created_at, else first seen) as a text histogram; its top members (most values shared\n"
      "with other members). Large clusters are measured on a sample of members (--sample).\n\n"
      "Example: ringscope cluster c_0042 --members 50");
  cmd->add_option("ID", o->cluster, "Cluster id, e.g. c_0042")->required();
  cmd->add_option("--run", o->run_id, "Run to read (default: the latest)");
  cmd->add_option("--members", o->members, "Top members shown")->default_val(20);
  cmd->add_option("--values", o->values, "Most shared values shown")->default_val(15);
  cmd->add_option("--bins", o->bins, "Timeline bins")->default_val(12);
  cmd->add_option("--sample", o->sample, "Members whose values are read at most")
      ->default_val(150);
  AddFormatOption(cmd, &o->format);
  registry.Add(cmd, [o, &global] { RunCluster(*o, global); });
}

}  // namespace ringscope
