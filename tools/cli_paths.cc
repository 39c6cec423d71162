// StrongestEvidencePath reads as its phases: explore both ends (Explore),
// build the local graph and run Dijkstra (FindPath), then the hops.
#include "tools/cli_paths.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "db/analysis.h"
#include "db/queries.h"

namespace ringscope {

namespace {

// One link met during the exploration (key: the two accounts, smaller first).
struct LocalLink {
  double strength = 0.0;
  std::vector<LinkEvidence> evidence;
  std::size_t evidence_dropped = 0;
};

struct LocalGraph {
  std::map<std::pair<std::int64_t, std::int64_t>, LocalLink> links;
  std::map<std::int64_t, std::string> names;
  LinksCache cache;  // prompt clusters read once for all expansions
};

// One end's exploration: accounts met with their level, and the queue of
// accounts to expand by (level, strongest discovering link, id).
struct Side {
  int depth = 0;  // accounts of level < depth are expanded
  std::unordered_map<std::int64_t, int> level;
  std::unordered_set<std::int64_t> met;  // same keys as level, for always_include
  std::set<std::tuple<int, double, std::int64_t>> queue;
  std::unordered_set<std::int64_t> expanded;

  void Meet(std::int64_t account, int at_level, double strength) {
    if (!level.emplace(account, at_level).second) return;
    met.insert(account);
    if (at_level < depth) queue.emplace(at_level, -strength, account);
  }
};

// Reads the stored row of `account` into the local graph (strengths only:
// the path's evidence is read afterwards, see AddStoredEvidence).
void ExpandStored(Database& db, const PathOptions& o, std::int64_t account, Side& side,
                  LocalGraph& graph) {
  side.expanded.insert(account);
  const int next_level = side.level.at(account) + 1;
  for (const StoredNeighbour& n : LoadRunNeighbours(db, o.stored_run, account)) {
    auto key = std::minmax(account, n.account_id);
    graph.links.try_emplace({key.first, key.second}, LocalLink{.strength = n.weight});
    side.Meet(n.account_id, next_level, n.weight);
  }
}

// Reads the links of `account` into the local graph and extends the side.
void Expand(Database& db, const AnalyzeParameters& p, const PathOptions& o, std::int64_t account,
            Side& side, const Side& other, LocalGraph& graph) {
  if (o.stored_run != 0) return ExpandStored(db, o, account, side, graph);
  side.expanded.insert(account);
  LinksOptions links = o.links;
  links.always_include = &other.met;
  links.cache = &graph.cache;
  LinksResult r = LinksOfAccount(db, p, account, links);
  const int next_level = side.level.at(account) + 1;
  for (LinkedAccount& l : r.links) {
    graph.names.emplace(l.account_id, l.name);
    auto key = std::minmax(account, l.account_id);
    auto [it, fresh] = graph.links.try_emplace({key.first, key.second});
    if (fresh) {  // the first reading wins: both ends' readings agree but for caps
      it->second.strength = l.strength;
      it->second.evidence = std::move(l.evidence);
      it->second.evidence_dropped = l.evidence_dropped;
    }
    side.Meet(l.account_id, next_level, l.strength);
  }
}

// Phase 1: alternate sides, each expanding its queue in order, within budget.
std::size_t Explore(Database& db, const AnalyzeParameters& p, const PathOptions& o,
                    std::int64_t a, std::int64_t b, LocalGraph& graph) {
  Side sides[2];
  sides[0].depth = (o.max_hops + 1) / 2;
  sides[1].depth = o.max_hops / 2;
  sides[0].Meet(a, 0, 0.0);
  sides[1].Meet(b, 0, 0.0);
  std::size_t expansions = 0;
  const std::size_t budget = o.stored_run != 0 ? o.stored_expansions : o.max_expansions;
  for (int turn = 0; expansions < budget; turn ^= 1) {
    Side& side = sides[turn];
    Side& other = sides[turn ^ 1];
    if (side.queue.empty()) {
      if (other.queue.empty()) break;
      continue;
    }
    const std::int64_t account = std::get<2>(*side.queue.begin());
    side.queue.erase(side.queue.begin());
    if (side.expanded.count(account)) continue;
    Expand(db, p, o, account, side, other, graph);
    ++expansions;
  }
  return expansions;
}

using BoostGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS,
                                         boost::no_property,
                                         boost::property<boost::edge_weight_t, double>>;

// Phase 2: Dijkstra from a on -ln(strength / max strength); the accounts of
// the path from a to b, empty when b is not reached.
std::vector<std::int64_t> FindPath(const LocalGraph& graph, std::int64_t a, std::int64_t b,
                                   EvidencePath& result) {
  std::vector<std::int64_t> ids = {a, b};
  for (const auto& [key, link] : graph.links) {
    ids.push_back(key.first);
    ids.push_back(key.second);
    result.max_strength = std::max(result.max_strength, link.strength);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  result.explored_accounts = ids.size();
  result.local_links = graph.links.size();
  auto index = [&](std::int64_t id) {
    return static_cast<std::size_t>(std::lower_bound(ids.begin(), ids.end(), id) - ids.begin());
  };
  BoostGraph g(ids.size());
  for (const auto& [key, link] : graph.links) {
    const double cost = -std::log(link.strength / result.max_strength);
    boost::add_edge(index(key.first), index(key.second), std::max(0.0, cost), g);
  }
  std::vector<std::size_t> predecessor(ids.size());
  std::vector<double> distance(ids.size());
  const std::size_t source = index(a), target = index(b);
  boost::dijkstra_shortest_paths(
      g, source,
      boost::predecessor_map(boost::make_iterator_property_map(
                                 predecessor.begin(), boost::get(boost::vertex_index, g)))
          .distance_map(boost::make_iterator_property_map(distance.begin(),
                                                          boost::get(boost::vertex_index, g))));
  if (target != source && predecessor[target] == target) return {};
  result.cost = distance[target];
  std::vector<std::int64_t> path;
  for (std::size_t v = target; v != source; v = predecessor[v]) path.push_back(ids[v]);
  path.push_back(a);
  std::reverse(path.begin(), path.end());
  return path;
}

// Phase 3 (stored lists): the evidence of each hop, what its two accounts
// share (PairLink: no cap can hide a shared value).
void AddStoredEvidence(Database& db, const AnalyzeParameters& p, const PathOptions& o,
                       LinksCache& cache, PathHop& hop) {
  LinksOptions links = o.links;
  links.cache = &cache;
  if (std::optional<LinkedAccount> l = PairLink(db, p, hop.from, hop.to, links)) {
    hop.evidence = std::move(l->evidence);
    hop.evidence_dropped = l->evidence_dropped;
  }
  hop.evidence_missing = hop.evidence.empty();
}

}  // namespace

EvidencePath StrongestEvidencePath(Database& db, const AnalyzeParameters& parameters,
                                   std::int64_t a, std::int64_t b, const PathOptions& options) {
  if (options.max_hops < 1)
    throw std::invalid_argument("PathOptions: max_hops " + std::to_string(options.max_hops) +
                                ", expected >= 1");
  if (options.max_expansions < 2 || (options.stored_run != 0 && options.stored_expansions < 2))
    throw std::invalid_argument("PathOptions: max_expansions " +
                                std::to_string(options.max_expansions) + " / stored_expansions " +
                                std::to_string(options.stored_expansions) + ", expected >= 2");
  EvidencePath result;
  if (a == b) {
    result.linked = true;
    result.explored_accounts = 1;
    return result;
  }
  LocalGraph graph;
  result.expanded_accounts = Explore(db, parameters, options, a, b, graph);
  if (graph.links.empty()) {
    result.explored_accounts = 2;
    return result;
  }
  std::vector<std::int64_t> path = FindPath(graph, a, b, result);
  if (path.empty()) return result;
  result.linked = true;
  for (std::int64_t account : path)
    if (!graph.names.count(account)) graph.names.emplace(account, AccountName(db, account));
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    const LocalLink& link = graph.links.at(std::minmax(path[i], path[i + 1]));
    result.hops.push_back({.from = path[i],
                           .to = path[i + 1],
                           .from_name = graph.names.at(path[i]),
                           .to_name = graph.names.at(path[i + 1]),
                           .strength = link.strength,
                           .evidence = link.evidence,
                           .evidence_dropped = link.evidence_dropped});
    if (options.stored_run != 0)
      AddStoredEvidence(db, parameters, options, graph.cache, result.hops.back());
  }
  return result;
}

}  // namespace ringscope
