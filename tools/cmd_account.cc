#include "tools/cmd_account.h"

#include <algorithm>
#include <iostream>
#include <map>

#include "db/analysis.h"
#include "db/queries.h"
#include "tools/cli_explore.h"
#include "tools/cli_links.h"

namespace ringscope {

namespace {

struct AccountOptions {
  std::string account;
  std::int64_t run_id = 0;
  std::size_t links = 10;
  std::size_t cap = LinksOptions{}.max_value_degree;
  OutputFormat format = OutputFormat::kTable;
};

struct KindSummary {
  std::int64_t values = 0, shared_values = 0, observations = 0;
  Timestamp first = kNoTimestamp, last = kNoTimestamp;
};

// Signals by kind: values, values shared with another account, observations,
// first and last seen.
std::map<std::string, KindSummary> SummariseKinds(const std::vector<AccountValue>& values) {
  std::map<std::string, KindSummary> kinds;
  for (const AccountValue& v : values) {
    KindSummary& k = kinds[v.kind];
    ++k.values;
    k.shared_values += v.degree >= 2;
    k.observations += v.count;
    if (v.first_ts != kNoTimestamp && (k.first == kNoTimestamp || v.first_ts < k.first))
      k.first = v.first_ts;
    if (v.last_ts != kNoTimestamp && (k.last == kNoTimestamp || v.last_ts > k.last))
      k.last = v.last_ts;
  }
  return kinds;
}

Table AttributesTable(const AccountRecord& a) {
  Table t{{"field", "value"}, {}, {false, false}};
  t.rows = {{"account", a.name},
            {"id", std::to_string(a.id)},
            {"created_at", TimeText(a.created_at)},
            {"first_seen", TimeText(a.first_ts)},
            {"last_seen", TimeText(a.last_ts)},
            {"requests", std::to_string(a.requests)}};
  for (const auto& [key, value] : a.attributes) t.rows.push_back({key, value});
  return t;
}

Table SignalsTable(const std::map<std::string, KindSummary>& kinds) {
  Table t{{"kind", "values", "shared_values", "observations", "first_seen", "last_seen"},
          {},
          {false, true, true, true, false, false}};
  for (const auto& [kind, k] : kinds)
    t.rows.push_back({kind, std::to_string(k.values), std::to_string(k.shared_values),
                      std::to_string(k.observations), TimeText(k.first), TimeText(k.last)});
  return t;
}

Table ClusterTable(std::optional<std::int64_t> run, const std::optional<ClusterRecord>& cluster,
                   const std::optional<MemberRecord>& member) {
  Table t{{"run", "cluster", "size", "score", "evidence_classes", "cluster_reasons",
           "member_reasons"},
          {},
          {true, false, true, true, true, false, false}};
  if (run && cluster && member)
    t.rows.push_back({std::to_string(*run), cluster->cluster_id, std::to_string(cluster->size),
                      FormatDouble(cluster->score, 2), std::to_string(cluster->evidence_classes),
                      cluster->reasons, member->reasons});
  return t;
}

std::string JoinEvidence(const LinkedAccount& l) {
  std::string text;
  for (const LinkEvidence& e : l.evidence) text += (text.empty() ? "" : "; ") + EvidenceText(e);
  if (l.evidence_dropped > 0) text += "; +" + std::to_string(l.evidence_dropped) + " more";
  return text;
}

Table LinksTable(const LinksResult& r, const std::vector<std::string>& clusters) {
  Table t{{"account", "strength", "cluster", "evidence"}, {}, {false, true, false, false}};
  for (std::size_t i = 0; i < r.links.size(); ++i)
    t.rows.push_back({r.links[i].name, FormatDouble(r.links[i].strength, 3), clusters[i],
                      JoinEvidence(r.links[i])});
  return t;
}

std::string LinksNote(const LinksResult& r) {
  std::string note;
  if (r.linked_accounts > r.links.size())
    note = "(" + std::to_string(r.linked_accounts - r.links.size()) +
           " more linked accounts; --links N shows more)";
  if (r.values_capped > 0)
    note += (note.empty() ? "" : "\n") + std::string("(") + std::to_string(r.values_capped) +
            " widely shared value(s) capped: only their first co-holders by id were read; "
            "--cap N reads more)";
  return note;
}

void WriteJson(const AccountRecord& a, std::optional<std::int64_t> run,
               const std::optional<ClusterRecord>& cluster,
               const std::optional<MemberRecord>& member, const Table& signals,
               const LinksResult& links, const std::vector<std::string>& clusters) {
  JsonWriter json(std::cout);
  json.BeginObject().Key("account").BeginObject().Key("name").String(a.name).Key("id").Int(a.id);
  json.Key("created_at").String(TimeText(a.created_at)).Key("first_seen").String(TimeText(a.first_ts));
  json.Key("last_seen").String(TimeText(a.last_ts)).Key("requests").Int(a.requests);
  json.Key("attributes").BeginObject();
  for (const auto& [key, value] : a.attributes) json.Key(key).String(value);
  json.EndObject().EndObject();
  json.Key("run");
  run ? json.Int(*run) : json.Null();
  json.Key("cluster");
  if (cluster && member) {
    json.BeginObject().Key("cluster").String(cluster->cluster_id).Key("size").Int(cluster->size);
    json.Key("score").Double(cluster->score).Key("evidence_classes").Int(cluster->evidence_classes);
    json.Key("reasons").String(cluster->reasons).Key("member_reasons").String(member->reasons);
    json.EndObject();
  } else {
    json.Null();
  }
  json.Key("signals");
  TableJson(json, signals);
  json.Key("linked_accounts").Int(static_cast<long long>(links.linked_accounts));
  json.Key("values_capped").Int(static_cast<long long>(links.values_capped));
  json.Key("links").BeginArray();
  for (std::size_t i = 0; i < links.links.size(); ++i) {
    const LinkedAccount& l = links.links[i];
    json.BeginObject().Key("account").String(l.name).Key("account_id").Int(l.account_id);
    json.Key("strength").Double(l.strength).Key("cluster").String(clusters[i]);
    json.Key("evidence");
    EvidenceJson(json, l.evidence);
    json.Key("evidence_dropped").Int(static_cast<long long>(l.evidence_dropped)).EndObject();
  }
  json.EndArray().EndObject();
  std::cout << '\n';
}

void RunAccount(const AccountOptions& o, const GlobalOptions& global) {
  if (o.cap == 0) throw UsageError("--cap must be at least 1");
  Store store = OpenForQuery(global);
  Database& db = store.db();
  std::optional<AccountRecord> account = FindAccount(db, o.account);
  if (!account) throw CommandFailure("account '" + o.account + "' is not in the database");
  std::optional<std::int64_t> run = QueryRun(db, o.run_id);
  std::optional<MemberRecord> member;
  std::optional<ClusterRecord> cluster;
  if (run) member = FindMembership(db, *run, account->id);
  if (member) cluster = FindCluster(db, *run, member->cluster_id);
  Table signals = SignalsTable(SummariseKinds(LoadAccountValues(db, account->id)));
  LinksResult links = LinksOfAccount(db, ParametersForLinks(db, run.value_or(0)), account->id,
                                     {.max_links = o.links,
                                      .max_value_degree = o.cap,
                                      .hub_run = run.value_or(0)});
  std::vector<std::string> clusters;
  for (const LinkedAccount& l : links.links) {
    std::optional<MemberRecord> m = run ? FindMembership(db, *run, l.account_id) : std::nullopt;
    clusters.push_back(m ? m->cluster_id : "");
  }
  if (o.format == OutputFormat::kJson)
    return WriteJson(*account, run, cluster, member, signals, links, clusters);
  std::vector<Section> sections;
  sections.push_back({"account", "account " + account->name, AttributesTable(*account), ""});
  sections.push_back({"signals", "signals by kind", std::move(signals), ""});
  std::string cluster_note =
      !run ? "(no analysis run yet: run 'ringscope analyze')"
           : !member ? "(not in a cluster of run " + std::to_string(*run) + ")" : "";
  sections.push_back({"cluster", run ? "cluster in run " + std::to_string(*run) : "cluster",
                      ClusterTable(run, cluster, member), cluster_note});
  sections.push_back({"links", "strongest linked accounts", LinksTable(links, clusters),
                      LinksNote(links)});
  WriteSections(sections, o.format, std::cout);
}

}  // namespace

void SetupAccountCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry) {
  auto o = std::make_shared<AccountOptions>();
  CLI::App* cmd = app.add_subcommand(
      "account",
      "One account: its attributes, its signals by kind (values, observations, first and last\n"
      "seen), its cluster in the run (score and reasons) and its strongest linked accounts,\n"
      "each with the evidence (shared values, link-table links) and what it weighs. Link\n"
      "strengths are the analysis' (the run's kind strengths, degree decay and stored hub\n"
      "factors; a hub of a run older than schema 3 is flagged 'hub factor unknown').\n\n"
      "Example: ringscope account acct_81f2 --links 20");
  cmd->add_option("ID", o->account, "Account name as in the inputs")->required();
  cmd->add_option("--run", o->run_id, "Run whose cluster and weights to use (default: latest)");
  cmd->add_option("--links", o->links, "Linked accounts shown, strongest first")->default_val(10);
  cmd->add_option("--cap", o->cap, "Co-holders read per widely shared value")
      ->default_val(LinksOptions{}.max_value_degree);
  AddFormatOption(cmd, &o->format);
  registry.Add(cmd, [o, &global] { RunAccount(*o, global); });
}

}  // namespace ringscope
