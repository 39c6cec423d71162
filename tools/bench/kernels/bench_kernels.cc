// bench_kernels: ringscope's graph kernels against igraph (issue 8), as a
// Google Benchmark program. Both libraries run on the same generated graph in
// the same process:
//   connected components  FindComponents      vs igraph_connected_components
//   Louvain               Louvain             vs igraph_community_multilevel
//                                               (weighted, resolution 1)
//   Leiden                Leiden              vs igraph_community_leiden
//                                               (modularity: node weights = strengths,
//                                                resolution 1/(2m), beta 0.01,
//                                                until stable)
//   MinHash/LSH           SketchTemplate, ClusterPrompts (ours only: igraph has none)
// The modularity of every partition is computed with OUR Modularity() on the
// same weighted LinkGraph, so the figures are comparable.
//
// The graph is LFR-like, deterministic by seed: community sizes follow a power
// law (exponent 1.5, 20..1000 vertices); each vertex emits a power-law number
// of links (exponent 2.5, 4..200, scaled to the requested link count), to a
// uniform member of its own community with probability 1 - mixing, else to a
// uniform vertex; intra-community links weigh 1..4, others 1..2 (integers).
// BuildLinkGraph merges duplicate pairs (summing weights); igraph gets the
// merged links (LinkGraph::edges()), so both see exactly one simple graph.
//
// igraph is optional at configure time (pkg-config `igraph`): without it the
// program runs our kernels alone and the summary says so.
//
// Usage (Google Benchmark flags work too, e.g. --benchmark_filter=Louvain):
//   bench_kernels [--scales=1m,10m] [--seed=1] [--mixing=0.3]
//                 [--graph_iterations=N] [--leiden_iterations=2,-1] [--prompts=1000000]
//                 [--max_gib=10] [--no_prompts]
//   leiden_iterations: iteration counts both libraries run, -1 = until stable
//   (igraph 0.10.2 stops after one iteration there; we iterate until the
//   partition no longer changes).
//   scales: 1m = 1M vertices / 10M links, 10m = 10M / 100M, or V:E (e.g. 200000:2000000).
//   max_gib: a scale whose estimated peak memory (about 170 bytes per link
//   with igraph, measured) exceeds it is skipped with a message; 10m needs
//   about 16 GiB.
// Per benchmark: wall time (UseRealTime) and process CPU time (all threads),
// counters Q (modularity), communities, load1 (the 1-minute load average at
// the start). After the runs a summary prints per scale and kernel: CPU and
// wall seconds of both libraries, the ratio igraph / ours, both Q, and whether
// the issue's targets are met.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "algorithms/community_internal.h"
#include "algorithms/components.h"
#include "algorithms/leiden.h"
#include "algorithms/louvain.h"
#include "algorithms/minhash.h"
#include "algorithms/modularity.h"
#include "algorithms/prompt_clusters.h"
#include "graph/link_graph.h"

#ifdef RINGSCOPE_HAVE_IGRAPH
#include <igraph.h>
#endif

namespace {

using ringscope::LinkGraph;
using ringscope::VertexId;
using ringscope::WeightedEdge;
using Rng = ringscope::community_internal::Rng;

// ---------------------------------------------------------------- settings

struct Scale {
  std::string name;
  std::uint32_t vertices = 0;
  std::uint64_t links = 0;
};

struct Settings {
  std::vector<Scale> scales;
  std::uint64_t seed = 1;
  double mixing = 0.3;
  int graph_iterations = 0;  // 0: 2 below 5M vertices, else 1
  std::size_t prompts = 1000000;
  bool run_prompts = true;
  // Leiden iterations, the same for both libraries: -1 until stable, else
  // that many. One benchmark pair per entry.
  std::vector<int> leiden_iterations = {2, -1};
  double max_gib = 10.0;  // scales whose estimated peak memory is larger are skipped
};

Settings& GlobalSettings() {
  static Settings settings;
  return settings;
}

Scale ParseScale(const std::string& s) {
  if (s == "1m") return {"1M/10M", 1000000, 10000000};
  if (s == "10m") return {"10M/100M", 10000000, 100000000};
  const auto colon = s.find(':');
  if (colon == std::string::npos)
    throw std::invalid_argument("scale '" + s + "', expected 1m, 10m or V:E");
  Scale scale;
  scale.vertices = static_cast<std::uint32_t>(std::stoul(s.substr(0, colon)));
  scale.links = std::stoull(s.substr(colon + 1));
  scale.name = s.substr(0, colon) + "/" + s.substr(colon + 1);
  if (scale.vertices < 1000)
    throw std::invalid_argument("scale '" + s + "': at least 1000 vertices");
  return scale;
}

// ------------------------------------------------------------- measurement

double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double WallSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double LoadAverage1() {
  double load = 0.0;
  std::ifstream in("/proc/loadavg");
  in >> load;
  return load;
}

double PeakRssGiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / (1024.0 * 1024.0);
}

// One library's run of one kernel at one scale, averaged over iterations.
struct Figure {
  double cpu_seconds = 0.0;
  double wall_seconds = 0.0;
  double modularity = std::nan("");
  std::size_t groups = 0;  // components or communities
  double load1 = 0.0;
  int iterations = 0;
};

// key: scale name, kernel, library
std::map<std::string, std::map<std::string, std::map<std::string, Figure>>>& Figures() {
  static std::map<std::string, std::map<std::string, std::map<std::string, Figure>>> figures;
  return figures;
}

// Times `body` per benchmark iteration (wall and process CPU), records the
// averages and sets the counters. `body` returns {groups, partition or empty}.
template <typename Body>
void Measure(benchmark::State& state, const Scale& scale, const std::string& kernel,
             const std::string& library, const LinkGraph* g, Body&& body) {
  Figure f;
  f.load1 = LoadAverage1();
  std::vector<std::uint32_t> last_partition;
  for (auto _ : state) {
    const double cpu0 = ProcessCpuSeconds();
    const double wall0 = WallSeconds();
    auto [groups, partition] = body();
    f.cpu_seconds += ProcessCpuSeconds() - cpu0;
    f.wall_seconds += WallSeconds() - wall0;
    f.groups = groups;
    last_partition = std::move(partition);
    ++f.iterations;
  }
  if (f.iterations == 0) return;
  f.cpu_seconds /= f.iterations;
  f.wall_seconds /= f.iterations;
  if (g != nullptr && !last_partition.empty()) {
    f.modularity = ringscope::Modularity(*g, last_partition, 1.0);
    state.counters["Q"] = f.modularity;
  }
  state.counters["groups"] = static_cast<double>(f.groups);
  state.counters["cpu_s"] = f.cpu_seconds;
  state.counters["load1"] = f.load1;
  state.counters["rss_GiB"] = PeakRssGiB();
  Figures()[scale.name][kernel][library] = f;
}

// --------------------------------------------------------------- the graph

// Discrete power law on [lo, hi] with density ~ x^-exponent (exponent != 1),
// by inverting the continuous CDF.
std::uint32_t PowerLaw(Rng& rng, double exponent, double lo, double hi) {
  const double a = 1.0 - exponent;
  const double l = std::pow(lo, a), h = std::pow(hi, a);
  const double x = std::pow(l + (h - l) * rng.Unit(), 1.0 / a);
  return static_cast<std::uint32_t>(std::min(hi, std::floor(x)));
}

// A uniform vertex of [start, start + size) other than v (v inside it).
VertexId OtherThan(Rng& rng, VertexId v, VertexId start, std::uint32_t size) {
  VertexId u = start + rng.Below(size - 1);
  if (u >= v) ++u;
  return u;
}

std::vector<WeightedEdge> GenerateLinks(const Scale& scale, double mixing, std::uint64_t seed) {
  Rng rng(seed);
  const std::uint32_t n = scale.vertices;
  std::vector<VertexId> community_start(n);
  std::vector<std::uint32_t> community_size(n);
  for (VertexId v = 0; v < n;) {
    std::uint32_t size = PowerLaw(rng, 1.5, 20, 1000);
    if (n - v < size + 20) size = n - v;  // the last community takes the rest
    for (std::uint32_t i = 0; i < size; ++i) {
      community_start[v + i] = v;
      community_size[v + i] = size;
    }
    v += size;
  }
  std::vector<std::uint32_t> emitted(n);
  double total = 0.0;
  for (std::uint32_t& e : emitted) total += e = PowerLaw(rng, 2.5, 4, 200);
  const double factor = static_cast<double>(scale.links) / total;
  std::vector<WeightedEdge> links;
  links.reserve(scale.links);
  double carry = 0.0;
  for (VertexId v = 0; v < n; ++v) {
    carry += emitted[v] * factor;
    auto count = static_cast<std::uint64_t>(carry);
    if (v + 1 == n) count = scale.links - links.size();
    carry -= static_cast<double>(count);
    for (std::uint64_t i = 0; i < count; ++i) {
      if (rng.Unit() >= mixing) {
        const VertexId u = OtherThan(rng, v, community_start[v], community_size[v]);
        links.push_back({v, u, 1.0 + rng.Below(4)});
      } else {
        links.push_back({v, OtherThan(rng, v, 0, n), 1.0 + rng.Below(2)});
      }
    }
  }
  return links;
}

#ifdef RINGSCOPE_HAVE_IGRAPH
// The merged links of g as an igraph graph with a weight vector; RAII.
class IgraphGraph {
 public:
  explicit IgraphGraph(const LinkGraph& g) {
    const auto links = g.edges();
    igraph_vector_int_t ends;
    igraph_vector_int_init(&ends, static_cast<igraph_integer_t>(2 * links.size()));
    igraph_vector_init(&weights_, static_cast<igraph_integer_t>(links.size()));
    for (std::size_t i = 0; i < links.size(); ++i) {
      VECTOR(ends)[2 * i] = links[i].u;
      VECTOR(ends)[2 * i + 1] = links[i].v;
      VECTOR(weights_)[i] = links[i].weight;
    }
    Check(igraph_create(&graph_, &ends, static_cast<igraph_integer_t>(g.num_vertices()),
                        IGRAPH_UNDIRECTED),
          "igraph_create");
    igraph_vector_int_destroy(&ends);
    igraph_vector_init(&strengths_, 0);
    Check(igraph_strength(&graph_, &strengths_, igraph_vss_all(), IGRAPH_ALL, IGRAPH_LOOPS,
                          &weights_),
          "igraph_strength");
  }
  ~IgraphGraph() {
    igraph_vector_destroy(&strengths_);
    igraph_vector_destroy(&weights_);
    igraph_destroy(&graph_);
  }
  IgraphGraph(const IgraphGraph&) = delete;
  IgraphGraph& operator=(const IgraphGraph&) = delete;

  static void Check(igraph_error_t code, const char* what) {
    if (code != IGRAPH_SUCCESS) {
      throw std::runtime_error(std::string(what) + " failed: " + igraph_strerror(code));
    }
  }

  const igraph_t* graph() const { return &graph_; }
  const igraph_vector_t* weights() const { return &weights_; }
  const igraph_vector_t* strengths() const { return &strengths_; }
  double total_weight() const { return igraph_vector_sum(&weights_); }

 private:
  igraph_t graph_;
  igraph_vector_t weights_;
  igraph_vector_t strengths_;
};

std::vector<std::uint32_t> ToPartition(const igraph_vector_int_t& membership) {
  std::vector<std::uint32_t> partition(
      static_cast<std::size_t>(igraph_vector_int_size(&membership)));
  for (std::size_t i = 0; i < partition.size(); ++i) {
    partition[i] = static_cast<std::uint32_t>(VECTOR(membership)[i]);
  }
  return partition;
}
#endif

// The graph of the scale being measured; the previous scale is freed first.
struct Instance {
  Scale scale;
  std::unique_ptr<LinkGraph> graph;
#ifdef RINGSCOPE_HAVE_IGRAPH
  std::unique_ptr<IgraphGraph> igraph;
#endif
};

Instance& CurrentInstance() {
  static Instance instance;
  return instance;
}

const LinkGraph& GraphFor(const Scale& scale) {
  Instance& in = CurrentInstance();
  if (in.graph && in.scale.name == scale.name) return *in.graph;
#ifdef RINGSCOPE_HAVE_IGRAPH
  in.igraph.reset();
#endif
  in.graph.reset();
  const Settings& s = GlobalSettings();
  const double t0 = WallSeconds();
  std::vector<WeightedEdge> links = GenerateLinks(scale, s.mixing, s.seed);
  const double t1 = WallSeconds();
  in.graph = std::make_unique<LinkGraph>(ringscope::BuildLinkGraph(scale.vertices, links));
  in.scale = scale;
  std::fprintf(stderr,
               "graph %s: %u vertices, %zu generated links, %zu merged links, total weight "
               "%.0f (generated in %.1f s, built in %.1f s), seed %llu, mixing %.2f\n",
               scale.name.c_str(), scale.vertices, links.size(), in.graph->num_edges(),
               in.graph->total_weight(), t1 - t0, WallSeconds() - t1,
               static_cast<unsigned long long>(s.seed), s.mixing);
  return *in.graph;
}

#ifdef RINGSCOPE_HAVE_IGRAPH
const IgraphGraph& IgraphFor(const Scale& scale) {
  const LinkGraph& g = GraphFor(scale);
  Instance& in = CurrentInstance();
  if (!in.igraph) in.igraph = std::make_unique<IgraphGraph>(g);
  return *in.igraph;
}
#endif

// ---------------------------------------------------------- graph kernels

// Peak resident memory of a run per generated link, measured: 1.58 GiB at
// 1M/10M and 4.70 GiB at 3M/30M with igraph (LinkGraph, igraph's graph and
// both algorithms' work memory); about 1.1 GiB at 1M/10M for ours alone.
#ifdef RINGSCOPE_HAVE_IGRAPH
constexpr double kBytesPerLink = 170.0;
#else
constexpr double kBytesPerLink = 115.0;
#endif

// Skips the benchmark (with a message in the output) when the scale's
// estimated peak exceeds --max_gib.
bool FitsInMemory(benchmark::State& state, const Scale& scale) {
  const double gib = kBytesPerLink * static_cast<double>(scale.links) / (1024.0 * 1024 * 1024);
  if (gib <= GlobalSettings().max_gib) return true;
  const std::string message = "skipped: estimated peak " + std::to_string(gib) +
                              " GiB > --max_gib=" + std::to_string(GlobalSettings().max_gib);
  state.SkipWithError(message.c_str());
  return false;
}

using Result = std::pair<std::size_t, std::vector<std::uint32_t>>;

void OursComponents(benchmark::State& state, Scale scale) {
  if (!FitsInMemory(state, scale)) return;
  const LinkGraph& g = GraphFor(scale);
  Measure(state, scale, "components", "ours", nullptr, [&]() -> Result {
    const auto r = ringscope::FindComponents(g);
    return {r.num_components, {}};
  });
}

// Our algorithms' phase times (last run) and level / iteration counts.
void SetPhaseCounters(benchmark::State& state, const ringscope::CommunityTimings& t, int levels,
                      int iterations) {
  state.counters["move_s"] = t.moving_seconds;
  state.counters["refine_s"] = t.refining_seconds;
  state.counters["aggregate_s"] = t.aggregating_seconds;
  state.counters["levels"] = levels;
  state.counters["iterations"] = iterations;
}

void OursLouvain(benchmark::State& state, Scale scale) {
  if (!FitsInMemory(state, scale)) return;
  const LinkGraph& g = GraphFor(scale);
  ringscope::CommunityTimings last;
  int levels = 0, iterations = 0;
  Measure(state, scale, "louvain", "ours", &g, [&]() -> Result {
    auto r = ringscope::Louvain(g, {.resolution = 1.0, .seed = GlobalSettings().seed});
    last = r.timings;
    levels = r.levels;
    iterations = r.iterations;
    return {r.num_communities, std::move(r.community)};
  });
  SetPhaseCounters(state, last, levels, iterations);
}

std::string LeidenKernel(int iterations) {
  return iterations < 0 ? "leiden-stable" : "leiden-" + std::to_string(iterations) + "it";
}

void OursLeiden(benchmark::State& state, Scale scale, int leiden_iterations) {
  if (!FitsInMemory(state, scale)) return;
  const LinkGraph& g = GraphFor(scale);
  ringscope::CommunityTimings last;
  int levels = 0, iterations = 0;
  Measure(state, scale, LeidenKernel(leiden_iterations), "ours", &g, [&]() -> Result {
    auto r = ringscope::Leiden(
        g, {.resolution = 1.0, .seed = GlobalSettings().seed, .max_iterations = leiden_iterations});
    last = r.timings;
    levels = r.levels;
    iterations = r.iterations;
    return {r.num_communities, std::move(r.community)};
  });
  SetPhaseCounters(state, last, levels, iterations);
}

#ifdef RINGSCOPE_HAVE_IGRAPH
void IgraphComponents(benchmark::State& state, Scale scale) {
  if (!FitsInMemory(state, scale)) return;
  const IgraphGraph& ig = IgraphFor(scale);
  Measure(state, scale, "components", "igraph", nullptr, [&]() -> Result {
    igraph_vector_int_t membership, sizes;
    igraph_vector_int_init(&membership, 0);
    igraph_vector_int_init(&sizes, 0);
    igraph_integer_t count = 0;
    IgraphGraph::Check(
        igraph_connected_components(ig.graph(), &membership, &sizes, &count, IGRAPH_WEAK),
        "igraph_connected_components");
    igraph_vector_int_destroy(&sizes);
    igraph_vector_int_destroy(&membership);
    return {static_cast<std::size_t>(count), {}};
  });
}

void IgraphLouvain(benchmark::State& state, Scale scale) {
  if (!FitsInMemory(state, scale)) return;
  const LinkGraph& g = GraphFor(scale);
  const IgraphGraph& ig = IgraphFor(scale);
  igraph_rng_seed(igraph_rng_default(), GlobalSettings().seed);
  Measure(state, scale, "louvain", "igraph", &g, [&]() -> Result {
    igraph_vector_int_t membership;
    igraph_vector_int_init(&membership, 0);
    IgraphGraph::Check(
        igraph_community_multilevel(ig.graph(), ig.weights(), 1.0, &membership, nullptr, nullptr),
        "igraph_community_multilevel");
    std::vector<std::uint32_t> partition = ToPartition(membership);
    igraph_vector_int_destroy(&membership);
    const std::size_t count =
        partition.empty() ? 0 : *std::max_element(partition.begin(), partition.end()) + 1;
    return {count, std::move(partition)};
  });
}

void IgraphLeiden(benchmark::State& state, Scale scale, int leiden_iterations) {
  if (!FitsInMemory(state, scale)) return;
  const LinkGraph& g = GraphFor(scale);
  const IgraphGraph& ig = IgraphFor(scale);
  igraph_rng_seed(igraph_rng_default(), GlobalSettings().seed);
  // Modularity in igraph's Leiden: node weights = strengths, resolution
  // gamma / (2m) with m the total link weight.
  const double resolution = 1.0 / (2.0 * ig.total_weight());
  Measure(state, scale, LeidenKernel(leiden_iterations), "igraph", &g, [&]() -> Result {
    igraph_vector_int_t membership;
    igraph_vector_int_init(&membership, 0);
    igraph_integer_t count = 0;
    igraph_real_t quality = 0.0;
    IgraphGraph::Check(igraph_community_leiden(ig.graph(), ig.weights(), ig.strengths(), resolution,
                                               /*beta=*/0.01, /*start=*/false, leiden_iterations,
                                               &membership, &count, &quality),
                       "igraph_community_leiden");
    std::vector<std::uint32_t> partition = ToPartition(membership);
    igraph_vector_int_destroy(&membership);
    return {static_cast<std::size_t>(count), std::move(partition)};
  });
}
#endif

// ---------------------------------------------------------- MinHash / LSH

// Prompt templates (lower case, digits masked as '#', as PromptTemplate
// makes them) of about 200 bytes: `bases` base prompts of words from a small
// vocabulary, each rendered with a few slot words changed.
struct PromptCorpus {
  std::string text;
  std::vector<std::string_view> templates;
  std::vector<std::uint64_t> fingerprints;
};

std::uint64_t Fnv1a(std::string_view s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

std::string Word(Rng& rng) {
  static constexpr std::string_view kSyllables[] = {
      "ka",  "lo",   "mi",  "ne",  "ru",  "ta",  "po", "si", "de",  "va",  "gu", "ze",
      "bri", "ston", "qua", "ter", "ing", "ion", "al", "ex", "pre", "con", "ly", "ment"};
  std::string w;
  const std::uint32_t parts = 1 + rng.Below(3);
  for (std::uint32_t i = 0; i < parts; ++i) w += kSyllables[rng.Below(std::size(kSyllables))];
  if (rng.Below(20) == 0) w = "#";
  return w;
}

const PromptCorpus& Prompts(std::size_t count) {
  static std::optional<PromptCorpus> corpus;
  if (corpus && corpus->templates.size() == count) return *corpus;
  corpus.emplace();
  Rng rng(GlobalSettings().seed ^ 0x5eedULL);
  const std::size_t bases = std::max<std::size_t>(1, count / 20);
  std::vector<std::vector<std::string>> base_words(bases);
  for (auto& words : base_words) {
    std::size_t length = 0;
    while (length < 200) {
      words.push_back(Word(rng));
      length += words.back().size() + 1;
    }
  }
  std::vector<std::size_t> ends;
  corpus->text.reserve(count * 205);
  for (std::size_t i = 0; i < count; ++i) {
    // Bases interleaved (7919 is prime): one base's variants are not adjacent.
    std::vector<std::string> words = base_words[(i * 7919) % bases];
    for (int slot = 0; slot < 3; ++slot) words[rng.Below(words.size())] = Word(rng);
    for (std::size_t w = 0; w < words.size(); ++w) {
      if (w) corpus->text.push_back(' ');
      corpus->text += words[w];
    }
    ends.push_back(corpus->text.size());
  }
  std::size_t begin = 0;
  for (std::size_t end : ends) {
    corpus->templates.emplace_back(corpus->text.data() + begin, end - begin);
    corpus->fingerprints.push_back(Fnv1a(corpus->templates.back()));
    begin = end;
  }
  return *corpus;
}

void OursSketch(benchmark::State& state) {
  const PromptCorpus& corpus = Prompts(200000);
  const ringscope::MinHashOptions options;
  std::vector<ringscope::SketchValue> sketch(static_cast<std::size_t>(options.num_hashes));
  std::size_t bytes = 0;
  for (const auto t : corpus.templates) bytes += t.size();
  const double load = LoadAverage1();
  double cpu = 0.0;
  for (auto _ : state) {
    const double cpu0 = ProcessCpuSeconds();
    for (const auto t : corpus.templates) {
      ringscope::SketchTemplate(t, options, sketch);
      benchmark::DoNotOptimize(sketch.data());
    }
    cpu += ProcessCpuSeconds() - cpu0;
  }
  const double prompts = static_cast<double>(corpus.templates.size() * state.iterations());
  state.SetItemsProcessed(static_cast<std::int64_t>(prompts));
  state.counters["prompts_per_cpu_s"] = prompts / cpu;
  state.counters["mean_bytes"] = static_cast<double>(bytes) / corpus.templates.size();
  state.counters["load1"] = load;
}

void OursClusterPrompts(benchmark::State& state) {
  const std::size_t count = GlobalSettings().prompts;
  const PromptCorpus& corpus = Prompts(count);
  const ringscope::PromptSketches sketches = ringscope::SketchTemplates(corpus.templates);
  ringscope::PromptClusterResult r;
  Figure f;
  f.load1 = LoadAverage1();
  for (auto _ : state) {
    const double cpu0 = ProcessCpuSeconds();
    const double wall0 = WallSeconds();
    r = ringscope::ClusterPrompts(corpus.fingerprints, sketches);
    f.cpu_seconds += ProcessCpuSeconds() - cpu0;
    f.wall_seconds += WallSeconds() - wall0;
    ++f.iterations;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(count * state.iterations()));
  state.counters["clusters"] = static_cast<double>(r.num_clusters);
  state.counters["largest"] = static_cast<double>(r.largest_cluster);
  state.counters["verified_pairs"] = static_cast<double>(r.verified_pairs);
  state.counters["cpu_s"] = f.cpu_seconds / f.iterations;
  state.counters["load1"] = f.load1;
}

// ------------------------------------------------------------------ summary

const char* Verdict(bool met) { return met ? "met" : "NOT met"; }

// Modularities closer than this count as equal: both libraries run seeded
// heuristics, and such differences change with the seed.
constexpr double kEqualQ = 1e-4;

void PrintSummary() {
  std::printf(
      "\nSummary (seconds per run; ratio = igraph / ours; Q by ringscope::Modularity; Q within "
      "%g counts as equal)\n",
      kEqualQ);
#ifndef RINGSCOPE_HAVE_IGRAPH
  std::printf("built without igraph: our kernels only\n");
#endif
  for (const auto& [scale, kernels] : Figures()) {
    for (const auto& [kernel, libraries] : kernels) {
      for (const auto& [library, f] : libraries) {
        std::printf("%-9s %-10s %-6s cpu %8.3f s  wall %8.3f s  Q %.4f  groups %8zu  load1 %.2f\n",
                    scale.c_str(), kernel.c_str(), library.c_str(), f.cpu_seconds, f.wall_seconds,
                    f.modularity, f.groups, f.load1);
      }
      const auto ours = libraries.find("ours");
      const auto theirs = libraries.find("igraph");
      if (ours == libraries.end() || theirs == libraries.end()) continue;
      const Figure& a = ours->second;
      const Figure& b = theirs->second;
      const double cpu_ratio = b.cpu_seconds / a.cpu_seconds;
      const double wall_ratio = b.wall_seconds / a.wall_seconds;
      const bool q_ok = kernel == "components" || a.modularity >= b.modularity - kEqualQ;
      const double needed = kernel == "louvain" ? 2.0 : 1.0;
      std::printf(
          "%-9s %-10s ratio cpu %.2fx wall %.2fx (target >= %.0fx%s): speed %s (cpu), %s (wall)",
          scale.c_str(), kernel.c_str(), cpu_ratio, wall_ratio, needed,
          kernel == "components" ? "" : " at >= Q", Verdict(cpu_ratio >= needed),
          Verdict(wall_ratio >= needed));
      if (kernel != "components") {
        std::printf(", Q ours - igraph %+.6f: %s", a.modularity - b.modularity, Verdict(q_ok));
      }
      std::printf("\n");
    }
  }
}

void RegisterAll() {
  const Settings& s = GlobalSettings();
  for (const Scale& scale : s.scales) {
    const int iterations =
        s.graph_iterations > 0 ? s.graph_iterations : (scale.vertices < 5000000 ? 2 : 1);
    auto add = [&](const std::string& name, void (*fn)(benchmark::State&, Scale), int its) {
      benchmark::RegisterBenchmark((name + "/" + scale.name).c_str(), fn, scale)
          ->Iterations(its)
          ->UseRealTime()
          ->MeasureProcessCPUTime()
          ->Unit(benchmark::kMillisecond);
    };
    add("Components/ours", OursComponents, iterations + 1);
#ifdef RINGSCOPE_HAVE_IGRAPH
    add("Components/igraph", IgraphComponents, iterations + 1);
#endif
    add("Louvain/ours", OursLouvain, iterations);
#ifdef RINGSCOPE_HAVE_IGRAPH
    add("Louvain/igraph", IgraphLouvain, iterations);
#endif
    for (int leiden_iterations : s.leiden_iterations) {
      const std::string suffix =
          leiden_iterations < 0 ? "stable" : std::to_string(leiden_iterations) + "it";
      auto add_leiden = [&](const std::string& name, void (*fn)(benchmark::State&, Scale, int)) {
        benchmark::RegisterBenchmark((name + "-" + suffix + "/" + scale.name).c_str(), fn, scale,
                                     leiden_iterations)
            ->Iterations(iterations)
            ->UseRealTime()
            ->MeasureProcessCPUTime()
            ->Unit(benchmark::kMillisecond);
      };
      add_leiden("Leiden/ours", OursLeiden);
#ifdef RINGSCOPE_HAVE_IGRAPH
      add_leiden("Leiden/igraph", IgraphLeiden);
#endif
    }
  }
  if (s.run_prompts) {
    benchmark::RegisterBenchmark("MinHash/SketchTemplate/200k_prompts_1_thread", OursSketch)
        ->Iterations(3)
        ->UseRealTime()
        ->MeasureProcessCPUTime()
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(
        ("LSH/ClusterPrompts/" + std::to_string(s.prompts) + "_templates").c_str(),
        OursClusterPrompts)
        ->Iterations(2)
        ->UseRealTime()
        ->MeasureProcessCPUTime()
        ->Unit(benchmark::kMillisecond);
  }
}

std::vector<std::string> SplitCommas(const std::string& list) {
  std::vector<std::string> items;
  std::size_t begin = 0;
  while (begin < list.size()) {
    const std::size_t comma = std::min(list.find(',', begin), list.size());
    items.push_back(list.substr(begin, comma - begin));
    begin = comma + 1;
  }
  return items;
}

// Our flags, after Google Benchmark has taken its own.
void ParseFlags(int argc, char** argv) {
  Settings& s = GlobalSettings();
  std::string scales = "1m";
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&](std::string_view flag) -> std::optional<std::string> {
      if (arg.substr(0, flag.size()) != flag) return std::nullopt;
      return std::string(arg.substr(flag.size()));
    };
    if (auto v = value("--scales=")) {
      scales = *v;
    } else if (auto v = value("--seed=")) {
      s.seed = std::stoull(*v);
    } else if (auto v = value("--mixing=")) {
      s.mixing = std::stod(*v);
    } else if (auto v = value("--graph_iterations=")) {
      s.graph_iterations = std::stoi(*v);
    } else if (auto v = value("--prompts=")) {
      s.prompts = std::stoull(*v);
    } else if (auto v = value("--leiden_iterations=")) {
      s.leiden_iterations.clear();
      for (const std::string& item : SplitCommas(*v)) {
        s.leiden_iterations.push_back(std::stoi(item));
        if (s.leiden_iterations.back() == 0 || s.leiden_iterations.back() < -1) {
          throw std::invalid_argument("--leiden_iterations: " + item + ", expected -1 or >= 1");
        }
      }
    } else if (auto v = value("--max_gib=")) {
      s.max_gib = std::stod(*v);
    } else if (arg == "--no_prompts") {
      s.run_prompts = false;
    } else {
      throw std::invalid_argument("unknown argument '" + std::string(arg) + "'");
    }
  }
  if (s.mixing < 0.0 || s.mixing > 1.0) throw std::invalid_argument("--mixing must be in [0, 1]");
  for (const std::string& item : SplitCommas(scales)) s.scales.push_back(ParseScale(item));
}

}  // namespace

int main(int argc, char** argv) {
  try {
    benchmark::Initialize(&argc, argv);
    ParseFlags(argc, argv);
#ifdef RINGSCOPE_HAVE_IGRAPH
    igraph_set_error_handler(igraph_error_handler_printignore);
#endif
    RegisterAll();
    benchmark::RunSpecifiedBenchmarks();
    PrintSummary();
    benchmark::Shutdown();
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_kernels: %s\n", e.what());
    return 1;
  }
}
