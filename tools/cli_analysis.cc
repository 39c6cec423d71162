#include "tools/cli_analysis.h"

#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <sstream>
#include <unordered_map>

#include "algorithms/cluster_core.h"
#include "algorithms/cluster_ids.h"
#include "algorithms/components.h"
#include "algorithms/leiden.h"
#include "algorithms/louvain.h"
#include "tools/cli_common.h"

namespace ringscope {

namespace {

class StageClock {
 public:
  StageClock(AnalysisOutcome& outcome, const std::function<void(std::string_view)>& on_stage)
      : outcome_(outcome), on_stage_(on_stage) {}
  ~StageClock() { Stop(); }
  void Start(std::string stage) {
    Stop();
    if (on_stage_) on_stage_(stage);
    outcome_.timings.push_back({std::move(stage), 0});
    start_ = std::chrono::steady_clock::now();
    running_ = true;
  }
  void Stop() {
    if (!running_) return;
    outcome_.timings.back().seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    running_ = false;
  }

 private:
  AnalysisOutcome& outcome_;
  const std::function<void(std::string_view)>& on_stage_;
  std::chrono::steady_clock::time_point start_;
  bool running_ = false;
};

Incidence MakeIncidence(const AnalysisData& data) {
  std::vector<KindId> value_kinds(data.value_kind.begin(), data.value_kind.end());
  std::vector<Observation> observations;
  observations.reserve(data.observations.size());
  for (const AnalysisObservation& o : data.observations)
    observations.push_back({o.account, o.value, std::max<std::uint32_t>(o.count, 1)});
  return BuildIncidence(data.accounts.size(), data.kinds, std::move(value_kinds), observations);
}

AccountFeatures MakeFeatures(const AnalysisData& data) {
  AccountFeatures features;
  features.requests.reserve(data.accounts.size());
  features.created_at.reserve(data.accounts.size());
  for (const AnalysisAccount& a : data.accounts) {
    features.requests.push_back(static_cast<std::uint64_t>(std::max<std::int64_t>(a.requests, 0)));
    features.created_at.push_back(a.created_at == kNoTimestamp ? kUnknownTime : a.created_at);
  }
  return features;
}

std::vector<PrecomputedLink> MakeLinks(const AnalysisData& data) {
  std::vector<PrecomputedLink> links;
  links.reserve(data.links.size());
  for (const AnalysisLink& l : data.links) links.push_back({l.a, l.b, l.kind, l.weight});
  return links;
}

CommunityResult FindCommunities(const LinkGraph& graph, const AnalyzeParameters& p, bool& has_q) {
  has_q = p.algorithm != "components";
  if (p.algorithm == "louvain")
    return Louvain(graph, {.resolution = p.resolution, .seed = p.seed});
  if (p.algorithm == "leiden")
    return Leiden(graph, {.resolution = p.resolution,
                          .seed = p.seed,
                          .max_iterations = p.leiden_iterations});
  ComponentsResult components = FindComponents(graph, {.min_weight = p.min_weight});
  CommunityResult result;
  result.community = std::move(components.component);
  result.num_communities = components.num_components;
  result.modularity = Modularity(graph, result.community, 1.0);
  return result;
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  auto mid = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), mid, values.end());
  return *mid;
}

// Per value: 1 when the projection judged it a benign hub, i.e. kept less
// than half of its weight. A value nudged down a little (factor 0.9) is still
// evidence; one cut to a fraction ties nobody.
constexpr double kBenignHubFactor = 0.5;
std::vector<std::uint8_t> DemotedValues(const AnalysisOutcome& o) {
  std::vector<std::uint8_t> demoted(o.incidence.num_values(), 0);
  for (const HubReport& hub : o.projected.hubs)
    if (hub.factor < kBenignHubFactor) demoted[hub.value] = 1;
  return demoted;
}

}  // namespace

const std::string& EvidenceKindName(const AnalysisOutcome& outcome, const EvidenceEntry& entry) {
  return outcome.projected.kind_names[EvidenceKind(outcome.incidence, entry)];
}

namespace {

// How each kind ties the members of each cluster, from the intra-cluster
// links' evidence. `cluster_of` maps accounts to cluster indexes.
void CollectKindTies(const AnalysisOutcome& o, const std::vector<std::uint32_t>& cluster_of,
                     const std::vector<std::uint8_t>& demoted,
                     std::vector<AnalysisCluster>& clusters) {
  const std::size_t num_kinds = o.projected.kind_names.size();
  // Per account: bit k set when tied by kind k (kept / hub-demoted).
  std::vector<std::vector<bool>> kept(num_kinds), hub(num_kinds);
  struct Shared {
    std::uint32_t cluster, kind, value;
    bool demoted;
    auto operator<=>(const Shared&) const = default;
  };
  std::vector<Shared> shared;
  const LinkGraph& g = o.projected.graph;
  // Cluster by cluster, so that a value shared by many of a cluster's links
  // is listed once per cluster (the last cluster that listed it, by value).
  std::vector<std::uint32_t> listed_in(o.incidence.num_values(), kNoCluster);
  for (std::uint32_t c = 0; c < clusters.size(); ++c) {
    for (VertexId v : clusters[c].members) {
      auto neighbourhood = g.Neighbours(v);
      for (std::size_t i = 0; i < neighbourhood.targets.size(); ++i) {
        // Each intra-cluster link once (from its smaller end), marking both ends.
        const VertexId w = neighbourhood.targets[i];
        if (w < v || cluster_of[w] != c) continue;
        for (const EvidenceEntry& e : o.projected.Evidence(neighbourhood.edge_ids[i])) {
          KindId k = EvidenceKind(o.incidence, e);
          bool is_hub = !e.is_link() && demoted[e.value()];
          auto& marks = is_hub ? hub : kept;
          if (marks[k].empty()) marks[k].assign(g.num_vertices(), false);
          marks[k][v] = true;
          marks[k][w] = true;
          if (e.is_link() || listed_in[e.value()] == c) continue;
          listed_in[e.value()] = c;
          shared.push_back({c, k, e.value(), is_hub});
        }
      }
    }
  }
  std::sort(shared.begin(), shared.end());  // distinct already
  for (std::size_t c = 0; c < clusters.size(); ++c) {
    for (KindId k = 0; k < num_kinds; ++k) {
      KindTies ties{.kind = o.projected.kind_names[k]};
      for (std::uint32_t a : clusters[c].members) {
        if (!kept[k].empty() && kept[k][a]) ++ties.tied_members;
        if (!hub[k].empty() && hub[k][a]) ++ties.hub_tied_members;
      }
      if (ties.tied_members == 0 && ties.hub_tied_members == 0) continue;
      auto first = std::lower_bound(shared.begin(), shared.end(),
                                    Shared{static_cast<std::uint32_t>(c), k, 0, false});
      for (auto it = first; it != shared.end() && it->cluster == c && it->kind == k; ++it) {
        std::uint32_t degree = o.incidence.degree(it->value);
        if (it->demoted) {
          ++ties.hub_values;
          ties.max_hub_degree = std::max(ties.max_hub_degree, degree);
        } else {
          ++ties.shared_values;
          ties.max_value_degree = std::max(ties.max_value_degree, degree);
        }
      }
      clusters[c].features.kinds.push_back(std::move(ties));
    }
  }
}

// Behaviour features (signups, volume, templates, age, org) of one cluster,
// and each member's reasons cell. `members_with` counts, per value, the
// members of this cluster that have it (dense by value: all zero on entry,
// the caller resets the entries of the members' values after the cluster).
void CollectBehaviour(const AnalysisOutcome& o, double platform_median,
                      const std::vector<std::uint8_t>& demoted,
                      std::vector<std::uint32_t>& members_with,
                      AnalysisCluster& cluster) {
  const AnalysisData& data = o.data;
  ClusterFeatures& f = cluster.features;
  f.size = static_cast<std::uint32_t>(cluster.members.size());
  f.platform_median_requests = platform_median;
  std::vector<double> requests, ages;
  std::unordered_map<std::string, std::uint32_t> orgs;
  for (std::uint32_t a : cluster.members) {
    const AnalysisAccount& account = data.accounts[a];
    if (account.created_at != kNoTimestamp) f.signup_times.push_back(account.created_at);
    if (account.requests > 0) requests.push_back(static_cast<double>(account.requests));
    if (account.created_at != kNoTimestamp && account.last_ts != kNoTimestamp)
      ages.push_back(std::max<double>(0, static_cast<double>(account.last_ts - account.created_at) / 86400.0));
    if (!account.org.empty()) ++orgs[account.org];
    for (ValueId v : o.incidence.values(a)) ++members_with[v];
  }
  f.median_requests = Median(requests);
  if (!ages.empty()) f.median_age_days = Median(ages);
  for (const auto& [org, count] : orgs) {
    double share = static_cast<double>(count) / f.size;
    if (share > f.org_share || (share == f.org_share && org < f.org)) {
      f.org_share = share;
      f.org = org;
    }
  }
  // Templated traffic: prompt observations whose template (prompt cluster)
  // another member sends. A prompt value the projection judged a benign hub
  // (boilerplate, or the large cluster that everyday prompts chain into) is
  // not a template the cluster shares: it counts as untemplated traffic.
  double shared_prompts = 0, all_prompts = 0;
  for (std::uint32_t a : cluster.members) {
    auto values = o.incidence.values(a);
    auto counts = o.incidence.value_counts(a);
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (o.incidence.kind_name(o.incidence.kind(values[i])) != "prompt") continue;
      all_prompts += counts[i];
      if (!demoted[values[i]] && members_with[values[i]] >= 2) shared_prompts += counts[i];
    }
  }
  f.template_share = all_prompts > 0 ? shared_prompts / all_prompts : 0;
}

// The ban list's reasons cell of one member: per kind, how many members share
// its most shared kept value of that kind, then the cluster's behaviour
// tokens.
std::string MemberReasons(const AnalysisOutcome& o, const std::vector<std::uint8_t>& demoted,
                          const std::vector<std::uint32_t>& members_with,
                          const ScoringOptions& scoring, const ClusterScore& score,
                          std::uint32_t account) {
  std::map<std::string, std::uint32_t> most_shared;
  for (ValueId v : o.incidence.values(account)) {
    if (demoted[v] || members_with[v] < 2) continue;
    auto& best = most_shared[o.incidence.kind_name(o.incidence.kind(v))];
    best = std::max(best, members_with[v]);
  }
  auto weight = [&](const std::string& kind) {
    auto it = scoring.kind_weights.find(kind);
    return it == scoring.kind_weights.end() ? scoring.default_kind_weight : it->second;
  };
  std::vector<std::pair<std::string, std::uint32_t>> kinds(most_shared.begin(), most_shared.end());
  std::sort(kinds.begin(), kinds.end(), [&](const auto& x, const auto& y) {
    double wx = weight(x.first), wy = weight(y.first);
    return wx != wy ? wx > wy : x.first < y.first;
  });
  std::string cell;
  for (const auto& [kind, count] : kinds) {
    if (!cell.empty()) cell += ';';
    cell += kind + ":shared(" + std::to_string(count) + ")";
  }
  for (const Reason& r : score.reasons) {
    if (r.role == ReasonRole::kNote || r.token.empty()) continue;
    bool kind_reason = r.tag == "shared" || r.tag == "hub";
    if (kind_reason) continue;  // per-kind evidence is the member's own, above
    if (!cell.empty()) cell += ';';
    cell += r.token;
  }
  return cell;
}

// Clusters from the partition: the cores (cluster_core.h) of communities,
// kept when at least min_size accounts remain.
std::vector<AnalysisCluster> MakeClusters(const AnalysisOutcome& o, const AnalyzeParameters& p,
                                          const std::vector<std::uint8_t>& demoted,
                                          std::vector<std::uint32_t>& cluster_of) {
  const CommunityResult& partition = o.partition;
  std::vector<std::vector<std::uint32_t>> members(partition.num_communities);
  for (std::uint32_t a = 0; a < partition.community.size(); ++a)
    members[partition.community[a]].push_back(a);
  // Kinds too weak to tie a member on their own (subnet, user agent).
  std::vector<bool> counts_kind;
  for (const std::string& kind : o.incidence.kind_names()) {
    auto it = p.scoring.kind_weights.find(kind);
    double weight = it == p.scoring.kind_weights.end() ? p.scoring.default_kind_weight : it->second;
    counts_kind.push_back(weight >= p.scoring.class_min_weight);
  }
  std::vector<AnalysisCluster> clusters;
  cluster_of.assign(partition.community.size(), kNoCluster);
  const std::uint32_t min_size = std::max<std::uint32_t>(p.min_size, 2);
  for (auto& community : members) {
    if (community.size() < min_size) continue;
    ClusterCore core = FindClusterCore(
        o.incidence, community, [&](ValueId v) { return demoted[v] == 0; },
        [&](KindId k) { return counts_kind[k]; });
    if (core.core.size() < min_size) continue;
    for (std::uint32_t a : core.core) cluster_of[a] = static_cast<std::uint32_t>(clusters.size());
    clusters.push_back(AnalysisCluster{.members = std::move(core.core)});
  }
  return clusters;
}

double PlatformMedianRequests(const AnalysisData& data) {
  std::vector<double> requests;
  for (const AnalysisAccount& a : data.accounts)
    if (a.requests > 0) requests.push_back(static_cast<double>(a.requests));
  return Median(std::move(requests));
}

void ScoreClusters(AnalysisOutcome& o, const AnalyzeParameters& p,
                   const std::vector<std::uint8_t>& demoted,
                   const std::vector<std::uint32_t>& cluster_of) {
  CollectKindTies(o, cluster_of, demoted, o.clusters);
  double platform_median = PlatformMedianRequests(o.data);
  // Dense by value and reset through the members' values: a hash map
  // cleared per cluster costs O(its bucket count), once a large cluster has
  // grown it, for each of tens of thousands of small clusters.
  std::vector<std::uint32_t> members_with(o.incidence.num_values(), 0);
  for (AnalysisCluster& cluster : o.clusters) {
    CollectBehaviour(o, platform_median, demoted, members_with, cluster);
    cluster.score = ScoreCluster(cluster.features, p.scoring);
    cluster.member_reasons.reserve(cluster.members.size());
    for (std::uint32_t a : cluster.members)
      cluster.member_reasons.push_back(
          MemberReasons(o, demoted, members_with, p.scoring, cluster.score, a));
    for (std::uint32_t a : cluster.members)
      for (ValueId v : o.incidence.values(a)) members_with[v] = 0;
  }
  // Most suspicious first; ties by size, then by the smallest member.
  std::stable_sort(o.clusters.begin(), o.clusters.end(), [](const auto& x, const auto& y) {
    if (x.score.score != y.score.score) return x.score.score > y.score.score;
    if (x.members.size() != y.members.size()) return x.members.size() > y.members.size();
    return x.members.front() < y.members.front();
  });
}

void AssignIds(Database& db, AnalysisOutcome& o, std::optional<std::int64_t> previous_run) {
  std::vector<std::uint32_t> current(o.data.accounts.size(), kNoCluster);
  for (std::uint32_t c = 0; c < o.clusters.size(); ++c)
    for (std::uint32_t a : o.clusters[c].members) current[a] = c;
  RunAssignment previous;
  if (previous_run) {
    previous = LoadRunAssignment(db, *previous_run, o.data);
  } else {
    previous.cluster_of_account.assign(o.data.accounts.size(), kNoCluster);
  }
  ClusterIdResult ids = AssignStableClusterIds(current, o.clusters.size(),
                                               previous.cluster_of_account, previous.cluster_ids,
                                               NextClusterNumber(db));
  for (std::size_t c = 0; c < o.clusters.size(); ++c) o.clusters[c].id = ids.ids[c];
}

}  // namespace

AnalysisOutcome BuildGraph(Database& db, const AnalyzeParameters& p,
                           const std::function<void(std::string_view)>& on_stage) {
  AnalysisOutcome o;
  StageClock clock(o, on_stage);
  clock.Start("load");
  o.data = LoadAnalysisData(db);
  if (o.data.accounts.empty())
    throw CommandFailure("the database holds no accounts: run 'ringscope ingest FILE...' first");
  if (o.data.observations.empty() && o.data.links.empty())
    throw CommandFailure("the database holds accounts but no signals or links to connect them: "
                         "ingest request logs, signal tables or link tables first");
  clock.Start("prompt clusters");
  try {
    o.prompts = FoldPromptClusters(o.data, p.prompts, p.threads);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("prompt clustering: ") + e.what());
  }
  clock.Start("incidence");
  o.incidence = MakeIncidence(o.data);
  clock.Start("projection");
  ProjectionOptions projection = p.projection;
  projection.seed = p.seed;
  projection.threads = p.threads;
  o.projected = ProjectLinkGraph(o.incidence, MakeFeatures(o.data), MakeLinks(o.data), projection);
  return o;
}

AnalysisOutcome RunAnalysis(Database& db, const AnalyzeParameters& p,
                            std::optional<std::int64_t> previous_run,
                            const std::function<void(std::string_view)>& on_stage) {
  AnalysisOutcome o = BuildGraph(db, p, on_stage);
  StageClock clock(o, on_stage);
  clock.Start(p.algorithm == "components" ? "components" : "communities");
  o.partition = FindCommunities(o.projected.graph, p, o.has_modularity);
  clock.Start("scoring");
  std::vector<std::uint32_t> cluster_of;
  std::vector<std::uint8_t> demoted = DemotedValues(o);
  o.clusters = MakeClusters(o, p, demoted, cluster_of);
  ScoreClusters(o, p, demoted, cluster_of);
  clock.Start("cluster ids");
  AssignIds(db, o, previous_run);
  return o;
}

std::string AnalyzeParameters::ToJson() const {
  std::ostringstream out;
  JsonWriter json(out);
  json.BeginObject().Key("algorithm").String(algorithm).Key("resolution").Double(resolution);
  json.Key("leiden_iterations").Int(leiden_iterations);
  json.Key("min_weight").Double(min_weight).Key("min_size").Int(min_size);
  json.Key("seed").Int(static_cast<long long>(seed)).Key("threads").Int(threads);
  json.Key("kind_strengths").BeginObject();
  for (const auto& [kind, strength] : projection.kind_strengths) json.Key(kind).Double(strength);
  json.EndObject();
  json.Key("prompt_clusters").Bool(prompts.enabled);
  json.Key("prompt_threshold").Double(prompts.threshold);
  json.Key("prompt_bands").Int(prompts.bands);
  json.Key("max_full_degree").Int(projection.max_full_degree);
  json.Key("fanout").Int(projection.fanout);
  json.Key("min_link_weight").Double(projection.min_link_weight);
  json.Key("ban_threshold").Double(scoring.ban_threshold);
  json.Key("min_ban_size").Int(scoring.min_ban_size);
  json.EndObject();
  return out.str();
}

AnalyzeParameters AnalyzeParameters::FromJson(std::string_view text) {
  AnalyzeParameters p;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(text.data(), text.size()).get(doc))
    throw CommandFailure("the run's stored parameters are not valid JSON");
  auto number = [&](const char* key, auto& field) {
    double v;
    if (!doc[key].get_double().get(v)) field = static_cast<std::decay_t<decltype(field)>>(v);
  };
  std::string_view algorithm;
  if (!doc["algorithm"].get_string().get(algorithm)) p.algorithm = std::string(algorithm);
  number("resolution", p.resolution);
  number("leiden_iterations", p.leiden_iterations);
  number("min_weight", p.min_weight);
  number("min_size", p.min_size);
  number("threads", p.threads);
  number("prompt_threshold", p.prompts.threshold);
  number("prompt_bands", p.prompts.bands);
  bool prompt_clusters;
  if (!doc["prompt_clusters"].get_bool().get(prompt_clusters)) p.prompts.enabled = prompt_clusters;
  number("max_full_degree", p.projection.max_full_degree);
  number("fanout", p.projection.fanout);
  number("min_link_weight", p.projection.min_link_weight);
  number("ban_threshold", p.scoring.ban_threshold);
  number("min_ban_size", p.scoring.min_ban_size);
  std::int64_t seed;
  if (!doc["seed"].get_int64().get(seed)) p.seed = static_cast<std::uint64_t>(seed);
  simdjson::dom::object strengths;
  if (!doc["kind_strengths"].get_object().get(strengths)) {
    p.projection.kind_strengths.clear();
    for (auto field : strengths) {
      double v;
      if (!field.value.get_double().get(v)) p.projection.kind_strengths[std::string(field.key)] = v;
    }
  }
  return p;
}

}  // namespace ringscope
