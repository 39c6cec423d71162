// Builds the picture from indexed lookups (db/queries.h, tools/cli_links.h),
// never from the whole graph: a cluster's members and the values at least two
// of them hold; an account's link neighbourhood to --depth. Then writes it in
// the format the output's extension (or --format) names.
#include "tools/cmd_render.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "db/queries.h"
#include "db/store.h"
#include "tools/cli_links.h"
#include "tools/cli_output.h"
#include "tools/cli_render.h"
#include "tools/cli_runs.h"

namespace ringscope {

namespace {

struct RenderOptions {
  std::string target;  // cluster id or account name
  std::int64_t run_id = 0;
  int depth = 1;
  std::size_t max_nodes = 150;
  std::size_t links_per_account = 25;
  std::string output = "-";
  std::string format;  // dot, svg, graphml, json; "" = from the output's extension
  std::string layout;  // Graphviz engine for svg; "" = by size
};

// Accumulates nodes and account-value edges without duplicates.
class GraphBuilder {
 public:
  std::size_t Account(const AccountRecord& a, const std::string& cluster, bool highlighted) {
    auto [it, added] = accounts_.emplace(a.id, graph_.nodes.size());
    if (added) {
      graph_.nodes.push_back({.type = RenderNode::Type::kAccount, .name = a.name, .kind = {},
                              .requests = a.requests, .degree = 0, .cluster = cluster,
                              .highlighted = highlighted});
      account_ids_.push_back(a.id);
    }
    return it->second;
  }
  std::size_t Value(std::int64_t value_id, const std::string& kind, const std::string& text,
                    std::int64_t degree) {
    auto [it, added] = values_.emplace(value_id, graph_.nodes.size());
    if (added)
      graph_.nodes.push_back({.type = RenderNode::Type::kValue, .name = text, .kind = kind,
                              .requests = 0, .degree = degree, .cluster = {},
                              .highlighted = false});
    return it->second;
  }
  void Edge(std::size_t account, std::size_t target, const std::string& kind, double weight) {
    if (!edges_.insert({std::min(account, target), std::max(account, target)}).second) return;
    graph_.edges.push_back({.source = account, .target = target, .kind = kind, .weight = weight});
  }
  bool HasValue(std::int64_t value_id) const { return values_.count(value_id) > 0; }
  std::size_t ValueNode(std::int64_t value_id) const { return values_.at(value_id); }
  bool HasAccount(std::int64_t id) const { return accounts_.count(id) > 0; }
  std::size_t AccountNode(std::int64_t id) const { return accounts_.at(id); }
  std::size_t size() const { return graph_.nodes.size(); }
  const std::vector<std::int64_t>& account_ids() const { return account_ids_; }
  RenderGraph& graph() { return graph_; }

  // Joins every drawn account to every drawn value it holds (observation count
  // as the weight). O(values of the drawn accounts) rows of one index range
  // each: no text or kind read per value (a heavy account holds thousands).
  void ConnectHeldValues(Database& db) {
    for (std::int64_t id : account_ids_) {
      std::size_t node = accounts_.at(id);
      for (const ValueCount& v : LoadAccountValueCounts(db, id)) {
        if (!HasValue(v.value_id)) continue;
        const std::size_t value = ValueNode(v.value_id);
        Edge(node, value, graph_.nodes[value].kind, static_cast<double>(v.count));
      }
    }
  }

 private:
  RenderGraph graph_;
  std::unordered_map<std::int64_t, std::size_t> accounts_, values_;
  std::vector<std::int64_t> account_ids_;
  std::set<std::pair<std::size_t, std::size_t>> edges_;
};

AccountRecord LoadAccountById(Database& db, std::int64_t id) {
  std::optional<AccountRecord> a = FindAccount(db, AccountName(db, id));
  if (!a) throw CommandFailure("account id " + std::to_string(id) + " vanished from the database");
  return *a;
}

std::string ClusterOf(Database& db, std::optional<std::int64_t> run, std::int64_t account_id) {
  if (!run) return {};
  std::optional<MemberRecord> m = FindMembership(db, *run, account_id);
  return m ? m->cluster_id : std::string();
}

// A shared value of a cluster: how many members hold it.
struct SharedValue {
  AccountValue value;
  std::size_t members = 0;
};

// Where a kind's values come in the picture: the strong identity kinds
// first, the weak network and client kinds last; other kinds in between.
int KindPriority(std::string_view kind) {
  static constexpr std::string_view kOrder[] = {"payment", "api_key", "email", "phone", "device",
                                                "prompt",  "ip",      "link",  "subnet", "user_agent"};
  for (int i = 0; i < static_cast<int>(std::size(kOrder)); ++i)
    if (kOrder[i] == kind) return i >= 7 ? i + 1 : i;
  return 7;
}

// The shared values in drawing order: round robin over the kinds (each
// kind's values by how many members hold them), so a cap keeps every kind of
// evidence in the picture rather than 100 prompt templates.
std::vector<const SharedValue*> ValuesByKindRoundRobin(
    const std::map<std::int64_t, SharedValue>& shared) {
  std::vector<const SharedValue*> values;
  for (const auto& [id, s] : shared) values.push_back(&s);
  std::stable_sort(values.begin(), values.end(), [](const SharedValue* a, const SharedValue* b) {
    return a->members > b->members;  // ties stay by value id
  });
  std::map<std::string, std::size_t> seen_of_kind;
  std::vector<std::pair<std::size_t, int>> key(values.size());
  for (std::size_t i = 0; i < values.size(); ++i)
    key[i] = {seen_of_kind[values[i]->value.kind]++, KindPriority(values[i]->value.kind)};
  std::vector<std::size_t> order(values.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return key[a] < key[b]; });
  std::vector<const SharedValue*> ordered;
  for (std::size_t i : order) ordered.push_back(values[i]);
  return ordered;
}

// The cluster's members and the values >= 2 of them hold. Over the node cap:
// at most half the nodes are members (those holding the most shared values),
// the rest the values most members share.
RenderGraph BuildClusterGraph(Database& db, const RenderOptions& o) {
  const std::int64_t run = ResolveRun(db, o.run_id);
  std::optional<ClusterRecord> cluster = FindCluster(db, run, o.target);
  if (!cluster)
    throw CommandFailure("cluster '" + o.target + "' is not in run " + std::to_string(run) +
                         " ('ringscope top' lists the clusters)");
  std::vector<std::int64_t> members = LoadClusterMemberIds(db, run, o.target);
  std::map<std::int64_t, SharedValue> shared;  // by value id
  std::map<std::int64_t, std::vector<std::int64_t>> values_of;
  for (std::int64_t id : members) {
    for (AccountValue& v : LoadAccountValues(db, id)) {
      values_of[id].push_back(v.value_id);
      SharedValue& s = shared[v.value_id];
      if (s.members++ == 0) s.value = std::move(v);
    }
  }
  std::erase_if(shared, [](const auto& entry) { return entry.second.members < 2; });
  // Members by how many shared values they hold (their part in the ring).
  std::vector<std::pair<std::size_t, std::int64_t>> ranked;
  for (std::int64_t id : members) {
    std::size_t held = 0;
    for (std::int64_t v : values_of[id]) held += shared.count(v);
    ranked.push_back({held, id});
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  const std::size_t member_cap = std::max<std::size_t>(1, o.max_nodes / 2);
  const std::size_t drawn_members =
      members.size() + shared.size() <= o.max_nodes ? members.size()
                                                    : std::min(members.size(), member_cap);
  GraphBuilder builder;
  for (std::size_t i = 0; i < drawn_members; ++i)
    builder.Account(LoadAccountById(db, ranked[i].second), o.target, true);
  std::vector<const SharedValue*> values = ValuesByKindRoundRobin(shared);
  const std::size_t value_room = o.max_nodes > drawn_members ? o.max_nodes - drawn_members : 0;
  const std::size_t drawn_values = std::min(values.size(), value_room);
  for (std::size_t i = 0; i < drawn_values; ++i)
    builder.Value(values[i]->value.value_id, values[i]->value.kind, values[i]->value.value,
                  values[i]->value.degree);
  builder.ConnectHeldValues(db);
  RenderGraph graph = std::move(builder.graph());
  graph.title = "cluster " + o.target + " (run " + std::to_string(run) + "): " +
                std::to_string(members.size()) + " accounts, score " +
                FormatDouble(cluster->score, 2);
  if (drawn_members < members.size() || drawn_values < values.size())
    graph.note = "showing " + std::to_string(drawn_members) + " of " +
                 std::to_string(members.size()) + " accounts and " +
                 std::to_string(drawn_values) + " of " + std::to_string(values.size()) +
                 " shared values (--max-nodes " + std::to_string(o.max_nodes) + ")";
  return graph;
}

// The account and its linked accounts, breadth first to --depth, strongest
// links first, with the values behind each link.
RenderGraph BuildAccountGraph(Database& db, const RenderOptions& o) {
  std::optional<AccountRecord> seed = FindAccount(db, o.target);
  if (!seed) throw CommandFailure("no account named '" + o.target + "' in the database");
  std::optional<std::int64_t> run =
      o.run_id != 0 ? std::optional(ResolveRun(db, o.run_id)) : LatestRunId(db);
  const AnalyzeParameters parameters = ParametersForLinks(db, run.value_or(0));
  LinksCache cache;  // prompt clusters shared by the ring are sized once
  const LinksOptions links_options{
      .max_links = o.links_per_account, .hub_run = run.value_or(0), .cache = &cache};
  GraphBuilder builder;
  builder.Account(*seed, ClusterOf(db, run, seed->id), true);
  std::vector<std::int64_t> frontier = {seed->id};
  std::size_t left_out = 0;
  for (int level = 0; level < o.depth && !frontier.empty(); ++level) {
    std::vector<std::int64_t> next;
    for (std::int64_t from : frontier) {
      LinksResult links = LinksOfAccount(db, parameters, from, links_options);
      left_out += links.linked_accounts - std::min(links.linked_accounts, links.links.size());
      for (const LinkedAccount& l : links.links) {
        bool known = builder.HasAccount(l.account_id);
        if (!known && builder.size() >= o.max_nodes) {
          ++left_out;
          continue;
        }
        std::size_t a = known ? builder.AccountNode(l.account_id)
                              : builder.Account(LoadAccountById(db, l.account_id),
                                                ClusterOf(db, run, l.account_id), false);
        if (!known) next.push_back(l.account_id);
        const std::size_t b = builder.AccountNode(from);
        for (const LinkEvidence& e : l.evidence) {
          if (e.precomputed) {
            builder.Edge(b, a, e.kind, e.weight);
            continue;
          }
          if (!builder.HasValue(e.value_id) && builder.size() >= o.max_nodes) continue;
          std::size_t v = builder.Value(e.value_id, e.kind, e.value, e.degree);
          builder.Edge(a, v, e.kind, 1);
          builder.Edge(b, v, e.kind, 1);
        }
      }
    }
    frontier = std::move(next);
  }
  builder.ConnectHeldValues(db);
  RenderGraph graph = std::move(builder.graph());
  graph.title = "account " + o.target + ": links to depth " + std::to_string(o.depth);
  if (left_out > 0)
    graph.note = std::to_string(left_out) + " links not followed (--max-nodes " +
                 std::to_string(o.max_nodes) + ", --links " + std::to_string(o.links_per_account) +
                 " per account)";
  return graph;
}

std::string FormatOf(const RenderOptions& o) {
  if (!o.format.empty()) return o.format;
  for (std::string_view ext : {".dot", ".gv", ".svg", ".graphml", ".json"})
    if (std::string_view(o.output).ends_with(ext)) return ext == ".gv" ? "dot" : std::string(ext.substr(1));
  if (o.output == "-") return "dot";
  throw UsageError("cannot tell the format of '" + o.output +
                   "': name it .dot, .svg, .graphml or .json, or give --format");
}

void Write(const RenderGraph& graph, const RenderOptions& o) {
  const std::string format = FormatOf(o);
  if (format != "dot" && format != "svg" && format != "graphml" && format != "json")
    throw UsageError("--format must be dot, svg, graphml or json; got '" + format + "'");
  std::string text;
  if (format == "dot" || format == "svg") text = WriteDot(graph);
  if (format == "svg") {
    try {
      text = RenderSvg(text, o.layout.empty() ? DefaultLayout(graph.nodes.size()) : o.layout);
    } catch (const std::runtime_error& e) {
      throw CommandFailure(e.what());
    }
  }
  OutputFile out(o.output);
  if (format == "graphml") {
    WriteRenderGraphMl(graph, out.stream());
  } else if (format == "json") {
    WriteRenderJson(graph, out.stream());
  } else {
    out.stream() << text;
  }
  out.Commit();
}

void RunRender(const RenderOptions& o, const GlobalOptions& global, bool cluster) {
  if (o.depth < 1 || o.depth > 4) throw UsageError("--depth must be 1 to 4");
  if (o.max_nodes < 2) throw UsageError("--max-nodes must be at least 2");
  FormatOf(o);  // a usage mistake before any work
  StoreOptions read_only;
  read_only.read_only = true;
  Store store = OpenExistingStore(global.ResolvedDbPath(), read_only);
  RenderGraph graph = cluster ? BuildClusterGraph(store.db(), o) : BuildAccountGraph(store.db(), o);
  if (!graph.note.empty()) spdlog::warn("{}", graph.note);
  Write(graph, o);
  spdlog::info("{}: {} nodes, {} edges written to {}", graph.title, graph.nodes.size(),
               graph.edges.size(), o.output == "-" ? "stdout" : o.output);
}

CLI::App* AddCommon(CLI::App* parent, const char* name, const char* help, const char* what,
                    RenderOptions* o) {
  CLI::App* cmd = parent->add_subcommand(name, help);
  cmd->add_option("id", o->target, what)->required();
  cmd->add_option("-o,--output", o->output,
                  "Output file: .dot, .svg, .graphml or .json ('-' = stdout, DOT by default)");
  cmd->add_option("--format", o->format, "dot, svg, graphml or json (default: from -o's name)");
  cmd->add_option("--max-nodes", o->max_nodes, "Draw at most this many nodes")->default_val(150);
  cmd->add_option("--layout", o->layout,
                  "Graphviz engine for svg: neato, sfdp, dot, fdp... (default: neato up to 200 "
                  "nodes, else sfdp)");
  cmd->add_option("--run", o->run_id, "Run whose clusters are shown (default: the latest)");
  return cmd;
}

}  // namespace

void SetupRenderCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry) {
  CLI::App* render = app.add_subcommand(
      "render", "Draw a cluster or an account's neighbourhood (DOT, SVG, GraphML, JSON)");
  render->require_subcommand(1);
  auto o = std::make_shared<RenderOptions>();
  CLI::App* cluster = AddCommon(
      render, "cluster",
      "A cluster's accounts and the values at least two of them share. Values are boxes\n"
      "coloured by kind, accounts ellipses sized by request volume, members filled. Over\n"
      "--max-nodes, half the nodes go to the members holding the most shared values, the\n"
      "rest to shared values taken kind by kind (strong kinds first; within a kind, those\n"
      "most members share); the picture says what it left out.\n\n"
      "Example: ringscope render cluster c_0001 -o c_0001.svg",
      "Cluster id (c_0042)", o.get());
  registry.Add(cluster, [o, &global] { RunRender(*o, global, true); });
  CLI::App* account = AddCommon(
      render, "account",
      "An account and the accounts linked to it, to --depth links away, with the shared\n"
      "values behind each link (the same weights as analyze; the strongest links first).\n\n"
      "Example: ringscope render account acct_81f2 --depth 2 -o acct_81f2.svg",
      "Account name", o.get());
  account->add_option("--depth", o->depth, "Links away from the account (1-4)")->default_val(1);
  account->add_option("--links", o->links_per_account, "Strongest links followed per account")
      ->default_val(25);
  registry.Add(account, [o, &global] { RunRender(*o, global, false); });
}

}  // namespace ringscope
