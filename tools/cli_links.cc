// LinksOfAccount reads as its phases: the account's values as link units
// (CollectUnits), their co-holders (ReadHolders), the capped values'
// completion (Complete), precomputed links (AddPrecomputedLinks), then the
// cut and the evidence (SelectLinks).
#include "tools/cli_links.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <stdexcept>
#include <tuple>
#include <unordered_set>

#include "db/analysis.h"
#include "db/queries.h"
#include "graph/projection_options.h"

namespace ringscope {

namespace {

// A value as the account holds it: one signal value, or the templates of one
// prompt cluster, with its per-pair weight.
struct Unit {
  NeighbourhoodValue view;
  bool prompt_cluster = false;  // view.value_id names a prompt cluster of templates
  double factor = 1.0;
};

// A prompt cluster's distinct accounts are counted over at most this many
// observations of its templates (index-only reads, ~30 us); a larger
// cluster gets 257 as a lower bound (degree_estimated). Such a cluster is an
// assessed hub anyway (degree >= 16, factor unknown, see the header), and
// popular prompts put hundreds of them in a heavy user's neighbourhood:
// counting them to 2,000 cost 100 ms for one explain.
constexpr std::size_t kClusterDegreeRows = 256;

struct Contribution {
  std::uint32_t unit = 0;  // index into units, or into link kinds when precomputed
  bool precomputed = false;
  double weight = 0.0;
};

struct Candidate {
  double strength = 0.0;
  bool makes_link = false;
  std::vector<Contribution> contributions;
};

using Candidates = std::unordered_map<std::int64_t, Candidate>;

// Kind strengths resolved by the projection's own table (ResolveKinds), once
// per kind name.
class KindStrengths {
 public:
  explicit KindStrengths(const ProjectionOptions& o) : o_(o) {}
  double operator()(const std::string& kind) {
    auto it = cache_.find(kind);
    if (it != cache_.end()) return it->second;
    const std::string names[] = {kind};
    const double strength = ResolveKinds(names, {}, o_).strengths[0];
    cache_.emplace(kind, strength);
    return strength;
  }

 private:
  const ProjectionOptions& o_;
  std::map<std::string, double, std::less<>> cache_;
};

// The hub factor of a value and whether it is known (see the header).
std::pair<double, bool> HubFactor(Database& db, const ProjectionOptions& p, const LinksOptions& o,
                                  std::int64_t value_id, std::int64_t degree) {
  if (degree < static_cast<std::int64_t>(p.hubs.assess_min_degree)) return {1.0, true};
  if (o.hub_factors != nullptr) {
    auto it = o.hub_factors->find(value_id);
    if (it != o.hub_factors->end()) return {it->second, true};
  } else if (o.hub_run != 0) {
    std::optional<double> f;
    if (o.cache == nullptr) {
      f = LoadRunHubFactor(db, o.hub_run, value_id);
    } else {
      auto [it, fresh] = o.cache->run_hub_factors.try_emplace(value_id);
      if (fresh) it->second = LoadRunHubFactor(db, o.hub_run, value_id);
      f = it->second;
    }
    if (f) return {*f, true};
  }
  return {1.0, false};
}

// Weight, factor and role of a unit, as the projection decides them
// (BaseWeights * hub factor; AssignRoles' join-only rule).
void WeighUnit(Database& db, const ProjectionOptions& p, const LinksOptions& o,
               KindStrengths& strengths, Unit& u) {
  auto [factor, known] = HubFactor(db, p, o, u.view.value_id, u.view.degree);
  const double base = strengths(u.view.kind) *
                      DegreeDecay(static_cast<std::uint32_t>(std::min<std::int64_t>(
                                      u.view.degree, UINT32_MAX)),
                                  p.decay_power);
  u.factor = factor;
  u.view.factor_known = known;
  u.view.pair_weight = base * factor;
  u.view.makes_links =
      u.view.pair_weight >= p.min_link_weight && factor >= p.hubs.link_min_factor;
}

// The representative of a template's prompt cluster, through the cache.
std::int64_t Representative(Database& db, std::int64_t value_id, LinksCache* cache) {
  if (cache == nullptr) return PromptClusterOf(db, value_id);
  auto [it, fresh] = cache->representative.try_emplace(value_id, 0);
  if (fresh) it->second = PromptClusterOf(db, value_id);
  return it->second;
}

// A prompt template replaced by its prompt cluster, named by the cluster's
// representative (a template in no cluster, or alone in its own, stays).
void MergePromptCluster(Database& db, std::int64_t representative, LinksCache* cache, Unit& u) {
  LinksCache::ClusterSize size;
  auto read = [&] {
    const PromptClusterSize s = LoadPromptClusterSize(db, representative, kClusterDegreeRows);
    return LinksCache::ClusterSize{s.templates, s.accounts, s.exact};
  };
  if (cache == nullptr) {
    size = read();
  } else {
    auto [it, fresh] = cache->cluster_sizes.try_emplace(representative);
    if (fresh) it->second = read();
    size = it->second;
  }
  if (size.templates <= 1 && representative == u.view.value_id) return;
  u.prompt_cluster = true;
  u.view.value_id = representative;
  u.view.templates = static_cast<std::uint32_t>(size.templates);
  u.view.degree = size.accounts;
  u.view.degree_estimated = !size.exact;
}

// The text of each unit's value (read for the units shown only).
void LoadUnitTexts(Database& db, std::vector<Unit>& units) {
  for (Unit& u : units)
    if (std::optional<ValueRecord> v = LoadValue(db, u.view.value_id)) u.view.value = v->value;
}

// Phase 1: the account's shared values (`refs`) as units, heaviest per pair
// first, at most max_values of them; texts not read.
std::vector<Unit> CollectUnits(Database& db, const ProjectionOptions& p,
                               const std::vector<AccountValueRef>& refs, const LinksOptions& o,
                               LinksResult& result) {
  KindStrengths strengths(p);
  const bool clusters = o.use_prompt_clusters && HasPromptClusters(db);
  std::vector<Unit> units;
  std::unordered_set<std::int64_t> seen_clusters;  // prompt cluster representatives
  std::unordered_map<std::int64_t, std::string> kind_names;
  for (auto& [id, name] : LoadKinds(db)) kind_names.emplace(id, std::move(name));
  for (const AccountValueRef& v : refs) {
    Unit u;
    u.view = {.kind = kind_names[v.kind_id], .value_id = v.value_id, .degree = v.degree};
    if (clusters && u.view.kind == "prompt") {
      const std::int64_t representative = Representative(db, v.value_id, o.cache);
      if (!seen_clusters.insert(representative).second) continue;  // a sibling template
      MergePromptCluster(db, representative, o.cache, u);
    }
    if (u.view.degree < 2) continue;  // nobody else holds it
    WeighUnit(db, p, o, strengths, u);
    if (!(u.view.pair_weight > 0.0)) continue;
    units.push_back(std::move(u));
  }
  std::sort(units.begin(), units.end(), [](const Unit& a, const Unit& b) {
    if (a.view.pair_weight != b.view.pair_weight) return a.view.pair_weight > b.view.pair_weight;
    if (a.view.kind != b.view.kind) return a.view.kind < b.view.kind;
    return a.view.value_id < b.view.value_id;
  });
  if (units.size() > o.max_values) {
    result.values_skipped = units.size() - o.max_values;
    units.resize(o.max_values);
  }
  return units;
}

void AddContribution(Candidate& c, Contribution contribution, bool makes_link) {
  c.strength += contribution.weight;
  c.makes_link = c.makes_link || makes_link;
  c.contributions.push_back(contribution);
}

// The co-holders of one unit, at most `limit` observation rows read; sets
// `truncated` when more may lie behind the limit.
std::vector<std::int64_t> UnitHolders(Database& db, std::int64_t account, const Unit& u,
                                      std::size_t limit, bool& truncated) {
  if (!u.prompt_cluster) {
    std::vector<std::int64_t> holders = LoadValueHolders(db, u.view.value_id, account, limit);
    truncated = holders.size() == limit;
    return holders;
  }
  std::size_t rows = 0;
  std::vector<std::int64_t> holders =
      LoadPromptClusterHolders(db, u.view.value_id, account, limit, &rows);
  truncated = rows == limit;
  return holders;
}

// Phase 2: the co-holders of every unit, at most max_value_degree per unit
// and max_holder_rows in all.
void ReadHolders(Database& db, std::int64_t account, const LinksOptions& o,
                 std::vector<Unit>& units, Candidates& candidates) {
  std::size_t budget = o.max_holder_rows;
  for (std::uint32_t i = 0; i < units.size(); ++i) {
    Unit& u = units[i];
    bool truncated = true;
    const std::size_t limit = std::min(o.max_value_degree, budget);
    std::vector<std::int64_t> holders;
    if (limit > 0) holders = UnitHolders(db, account, u, limit, truncated);
    budget -= std::min(budget, std::max<std::size_t>(holders.size(), 1));
    for (std::int64_t other : holders) {
      AddContribution(candidates[other], {i, false, u.view.pair_weight}, u.view.makes_links);
      ++u.view.holders_read;
    }
    // Capped when the unit has co-holders that were not read.
    u.view.capped = truncated && u.view.degree - 1 > static_cast<std::int64_t>(u.view.holders_read);
  }
}

// Phase 3: candidates found through other values also get the capped values
// they hold, within the lookup budget: the always_include accounts first
// (also those no value read has met yet: an account linked to them only
// through capped values is still found), then the strongest candidates.
void Complete(Database& db, std::int64_t account, const LinksOptions& o,
              const std::vector<Unit>& units, Candidates& candidates, LinksResult& result) {
  std::vector<std::uint32_t> capped;
  for (std::uint32_t i = 0; i < units.size(); ++i)
    if (units[i].view.capped) capped.push_back(i);
  result.values_capped = capped.size();
  if (capped.empty()) return;
  auto wanted = [&](std::int64_t id) {
    return o.always_include != nullptr && o.always_include->count(id) > 0;
  };
  if (o.always_include != nullptr)
    for (std::int64_t id : *o.always_include)
      if (id != account) candidates.try_emplace(id);
  // A cluster whose templates were counted only up to kMaxCountedTemplates
  // may hold millions (distill-24k's everyday prompts: 1.3M): probing each
  // template for a candidate then scanned them all (200 ms for one
  // `account`). For those the candidate's own values are read instead, once
  // per candidate, charged per value read.
  auto by_account = [](const Unit& u) {
    return u.prompt_cluster && static_cast<std::int64_t>(u.view.templates) >= kMaxCountedTemplates;
  };
  auto estimated_cost = [&](const Unit& u) -> std::size_t {
    if (!u.prompt_cluster || by_account(u)) return 1;
    return std::max<std::size_t>(u.view.templates, 1);  // one probe per template
  };
  std::size_t cheapest = SIZE_MAX;  // the lowest cost of one probe
  for (std::uint32_t unit : capped) cheapest = std::min(cheapest, estimated_cost(units[unit]));
  struct Ranked {
    bool not_wanted;
    double negative_strength;
    std::int64_t id;
    Candidate* candidate;
  };
  std::vector<Ranked> order;
  order.reserve(candidates.size());
  for (auto& [id, c] : candidates) order.push_back({!wanted(id), -c.strength, id, &c});
  std::sort(order.begin(), order.end(), [](const Ranked& a, const Ranked& b) {
    return std::tie(a.not_wanted, a.negative_strength, a.id) <
           std::tie(b.not_wanted, b.negative_strength, b.id);
  });
  std::size_t budget = o.completion_lookups;
  for (const auto& [not_wanted, negative_strength, id, candidate] : order) {
    // Once no probe fits, the rest of thousands of candidates is not scanned
    // (it cost a hub-heavy account more than its reads).
    if (budget < cheapest) {
      result.completion_truncated = true;
      break;
    }
    Candidate& c = *candidate;
    std::optional<std::vector<std::int64_t>> clusters_held;  // read at most once
    for (std::uint32_t unit : capped) {
      const bool has = std::any_of(c.contributions.begin(), c.contributions.end(),
                                   [&](const Contribution& x) {
                                     return !x.precomputed && x.unit == unit;
                                   });
      if (has) continue;
      const Unit& u = units[unit];
      const std::size_t cost = estimated_cost(u);
      if (cost > budget) {
        result.completion_truncated = true;
        continue;
      }
      bool holds = false;
      if (by_account(u)) {
        if (!clusters_held) {
          std::size_t values_read = 0;
          clusters_held = AccountPromptClusters(db, id, &values_read);
          budget -= std::min(budget, std::max<std::size_t>(values_read, 1));
        }
        holds = std::binary_search(clusters_held->begin(), clusters_held->end(), u.view.value_id);
      } else {
        budget -= cost;
        holds = u.prompt_cluster ? AccountTemplateInCluster(db, id, u.view.value_id).has_value()
                                 : AccountHasValue(db, id, u.view.value_id);
      }
      if (holds) AddContribution(c, {unit, false, u.view.pair_weight}, u.view.makes_links);
    }
  }
}

// Phase 4: precomputed links, strength(kind) * weight summed per kind.
std::vector<std::string> AddPrecomputedLinks(Database& db, const ProjectionOptions& p,
                                             std::int64_t account, Candidates& candidates) {
  KindStrengths strengths(p);
  std::vector<std::string> kinds;
  for (const AccountLink& link : LoadAccountLinks(db, account)) {
    auto it = std::find(kinds.begin(), kinds.end(), link.kind);
    const auto kind = static_cast<std::uint32_t>(it - kinds.begin());
    if (it == kinds.end()) kinds.push_back(link.kind);
    const double weight = strengths(link.kind) * link.weight;
    Candidate& c = candidates[link.other];
    auto same = std::find_if(c.contributions.begin(), c.contributions.end(),
                             [&](const Contribution& x) { return x.precomputed && x.unit == kind; });
    if (same != c.contributions.end()) {
      same->weight += weight;
      c.strength += weight;
    } else {
      AddContribution(c, {kind, true, weight}, true);
    }
  }
  return kinds;
}

LinkEvidence MakeEvidence(const Contribution& x, const std::vector<Unit>& units,
                          const std::vector<std::string>& link_kinds) {
  if (x.precomputed)
    return {.kind = link_kinds[x.unit], .degree = 2, .precomputed = true, .weight = x.weight};
  const Unit& u = units[x.unit];
  return {.kind = u.view.kind,
          .value_id = u.view.value_id,
          .value = u.view.value,
          .degree = u.view.degree,
          .degree_estimated = u.view.degree_estimated,
          .templates = u.view.templates,
          .factor = u.factor,
          .factor_known = u.view.factor_known,
          .capped = u.view.capped,
          .weight = x.weight};
}

// Phase 5: the links (a link-making contribution and min_link_weight), the
// strongest max_links of them, with names and sorted evidence.
void SelectLinks(Database& db, const ProjectionOptions& p, const LinksOptions& o,
                 const std::vector<Unit>& units, const std::vector<std::string>& link_kinds,
                 Candidates& candidates, LinksResult& result) {
  std::vector<std::pair<double, std::int64_t>> order;
  for (const auto& [id, c] : candidates)
    if (c.makes_link && c.strength >= p.min_link_weight) order.emplace_back(-c.strength, id);
  std::sort(order.begin(), order.end());
  result.linked_accounts = order.size();
  if (o.max_links > 0 && order.size() > o.max_links) {
    std::size_t kept = o.max_links;
    for (std::size_t i = o.max_links; i < order.size(); ++i)
      if (o.always_include != nullptr && o.always_include->count(order[i].second))
        order[kept++] = order[i];
    order.resize(kept);
  }
  for (const auto& [negative_strength, id] : order) {
    const Candidate& c = candidates[id];
    LinkedAccount linked{.account_id = id, .name = AccountName(db, id), .strength = c.strength};
    for (const Contribution& x : c.contributions)
      linked.evidence.push_back(MakeEvidence(x, units, link_kinds));
    std::sort(linked.evidence.begin(), linked.evidence.end(),
              [](const LinkEvidence& a, const LinkEvidence& b) {
                if (a.weight != b.weight) return a.weight > b.weight;
                if (a.kind != b.kind) return a.kind < b.kind;
                return a.value_id < b.value_id;
              });
    if (o.max_evidence > 0 && linked.evidence.size() > o.max_evidence) {
      linked.evidence_dropped = linked.evidence.size() - o.max_evidence;
      linked.evidence.resize(o.max_evidence);
    }
    result.links.push_back(std::move(linked));
  }
}

}  // namespace

LinksResult LinksOfAccount(Database& db, const AnalyzeParameters& parameters,
                           std::int64_t account_id, const LinksOptions& options) {
  if (options.max_value_degree == 0)
    throw std::invalid_argument("LinksOptions: max_value_degree 0, expected >= 1");
  const ProjectionOptions& p = parameters.projection;
  LinksResult result;
  result.account_id = account_id;
  std::vector<Unit> units =
      CollectUnits(db, p, LoadAccountValueRefs(db, account_id), options, result);
  LoadUnitTexts(db, units);
  Candidates candidates;
  ReadHolders(db, account_id, options, units, candidates);
  Complete(db, account_id, options, units, candidates, result);
  const std::vector<std::string> link_kinds = AddPrecomputedLinks(db, p, account_id, candidates);
  SelectLinks(db, p, options, units, link_kinds, candidates, result);
  for (Unit& u : units) result.values.push_back(std::move(u.view));
  return result;
}

std::optional<LinkedAccount> PairLink(Database& db, const AnalyzeParameters& parameters,
                                      std::int64_t a, std::int64_t b,
                                      const LinksOptions& options) {
  const ProjectionOptions& p = parameters.projection;
  // An account's reads, through the cache when there is one (expand asks
  // about many pairs with the same account).
  // a's values become units (its side is read whole, and cached); of b only
  // the value ids and, when a holds prompt clusters, their representatives.
  std::vector<AccountValueRef> uncached_refs;
  std::vector<std::int64_t> uncached_clusters;
  const std::vector<AccountValueRef>* refs_a = &uncached_refs;
  const std::vector<std::int64_t>* clusters_a = &uncached_clusters;
  const bool clusters = options.use_prompt_clusters && HasPromptClusters(db);
  if (options.cache == nullptr) {
    uncached_refs = LoadAccountValueRefs(db, a);
    if (clusters) uncached_clusters = AccountPromptClusters(db, a);
  } else {
    auto [refs, fresh_refs] = options.cache->value_refs.try_emplace(a);
    if (fresh_refs) refs->second = LoadAccountValueRefs(db, a);
    refs_a = &refs->second;
    auto [held_clusters, fresh] = options.cache->prompt_clusters_of.try_emplace(a);
    if (fresh && clusters) held_clusters->second = AccountPromptClusters(db, a);
    clusters_a = &held_clusters->second;
  }
  std::vector<std::int64_t> held;  // b's values, ascending
  for (const ValueCount& v : LoadAccountValueCounts(db, b)) held.push_back(v.value_id);
  // The prompt clusters both sides hold.
  std::vector<std::int64_t> shared_clusters;
  if (clusters) {
    const std::vector<std::int64_t>& mine = *clusters_a;
    if (!mine.empty()) {
      // b's clusters through the representatives' cache: the ranked
      // accounts of one expand share most of their values.
      std::vector<std::int64_t> theirs;
      for (std::int64_t w : held)
        if (const std::int64_t r = Representative(db, w, options.cache);
            std::binary_search(mine.begin(), mine.end(), r))
          theirs.push_back(r);
      std::sort(theirs.begin(), theirs.end());
      theirs.erase(std::unique(theirs.begin(), theirs.end()), theirs.end());
      shared_clusters = std::move(theirs);
    }
  }
  std::int64_t prompt_kind = -1;
  for (const auto& [id, name] : LoadKinds(db))
    if (name == "prompt") prompt_kind = id;
  // Only the shared values become units: a value b holds, or a template
  // whose prompt cluster b holds.
  std::vector<AccountValueRef> shared;
  for (const AccountValueRef& v : *refs_a) {
    const bool holds =
        std::binary_search(held.begin(), held.end(), v.value_id) ||
        (!shared_clusters.empty() && v.kind_id == prompt_kind &&
         std::binary_search(shared_clusters.begin(), shared_clusters.end(),
                            Representative(db, v.value_id, options.cache)));
    if (holds) shared.push_back(v);
  }
  LinksResult scratch;
  LinksOptions all = options;
  all.max_values = SIZE_MAX;  // a pair's shared values are few: none is skipped
  std::vector<Unit> units = CollectUnits(db, p, shared, all, scratch);
  Candidate pair;
  for (std::uint32_t i = 0; i < units.size(); ++i)
    AddContribution(pair, {i, false, units[i].view.pair_weight}, units[i].view.makes_links);
  Candidates candidates;
  candidates.emplace(b, std::move(pair));
  const std::vector<std::string> link_kinds = AddPrecomputedLinks(db, p, a, candidates);
  std::erase_if(candidates, [&](const auto& entry) { return entry.first != b; });
  Candidate& found = candidates.at(b);
  if (found.contributions.empty()) return std::nullopt;
  found.makes_link = true;  // a known link: its evidence is wanted whatever it weighs
  LoadUnitTexts(db, units);  // every unit is shared
  LinksResult result;
  AnalyzeParameters any_weight = parameters;
  any_weight.projection.min_link_weight = 0;
  LinksOptions one = options;
  one.max_links = 1;
  one.always_include = nullptr;
  SelectLinks(db, any_weight.projection, one, units, link_kinds, candidates, result);
  if (result.links.empty()) return std::nullopt;
  return std::move(result.links.front());
}

AnalyzeParameters ParametersForLinks(Database& db, std::int64_t run_id) {
  std::optional<std::int64_t> run = run_id != 0 ? std::optional(run_id) : LatestRunId(db);
  if (!run) return {};
  return AnalyzeParameters::FromJson(LoadRunParameters(db, *run));
}

}  // namespace ringscope
