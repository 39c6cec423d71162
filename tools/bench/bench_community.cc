// Benchmark of the graph core: building a LinkGraph, connected components,
// Louvain and Leiden, on a synthetic graph with planted communities (sizes
// uniform in [min, max], each vertex linking degree/2 times, to its own
// community with probability 1 - mixing, else anywhere). Prints one table
// row per step; no test asserts these times.
//
//   bench_community [vertices=100000] [degree=20] [mixing=0.3] [seed=1]
//   e.g. build/bench/bench_community 1000000 20 0.3
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <exception>
#include <string>
#include <vector>

#include "algorithms/community_internal.h"
#include "algorithms/components.h"
#include "algorithms/leiden.h"
#include "algorithms/louvain.h"
#include "graph/link_graph.h"

namespace {

using ringscope::CommunityResult;
using ringscope::LinkGraph;
using ringscope::VertexId;
using ringscope::WeightedEdge;

struct Params {
  std::uint32_t vertices = 100000;
  std::uint32_t degree = 20;
  double mixing = 0.3;
  std::uint64_t seed = 1;
  std::uint32_t min_community = 20;
  std::uint32_t max_community = 500;
};

// Planted communities: consecutive vertex ranges.
std::vector<WeightedEdge> PlantedEdges(const Params& p, std::vector<std::uint32_t>& start_of) {
  ringscope::community_internal::Rng rng(p.seed);
  start_of.assign(p.vertices, 0);
  std::vector<std::uint32_t> size_of(p.vertices, 0);
  for (std::uint32_t v = 0; v < p.vertices;) {
    const std::uint32_t size = std::min(
        p.vertices - v, p.min_community + rng.Below(p.max_community - p.min_community + 1));
    for (std::uint32_t i = 0; i < size; ++i) {
      start_of[v + i] = v;
      size_of[v + i] = size;
    }
    v += size;
  }
  std::vector<WeightedEdge> edges;
  edges.reserve(static_cast<std::size_t>(p.vertices) * (p.degree / 2));
  for (VertexId v = 0; v < p.vertices; ++v) {
    for (std::uint32_t i = 0; i < p.degree / 2; ++i) {
      const VertexId u =
          rng.Unit() < p.mixing ? rng.Below(p.vertices) : start_of[v] + rng.Below(size_of[v]);
      edges.push_back({v, u, 1.0});
    }
  }
  return edges;
}

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Process CPU seconds since `start`: on a shared machine, wall time also
// counts the time other processes held the core.
double CpuSince(std::clock_t start) {
  return static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
}

// The share of vertex pairs in the same planted community that the result
// also puts together is costly to compute; instead report how many found
// communities lie entirely inside one planted community.
double PureShare(const CommunityResult& r, const std::vector<std::uint32_t>& planted) {
  std::vector<std::int64_t> first(r.num_communities, -1);
  std::vector<char> pure(r.num_communities, 1);
  for (std::size_t v = 0; v < planted.size(); ++v) {
    std::int64_t& f = first[r.community[v]];
    if (f < 0) f = planted[v];
    if (f != planted[v]) pure[r.community[v]] = 0;
  }
  std::size_t count = 0;
  for (char c : pure) count += c;
  return r.num_communities ? static_cast<double>(count) / r.num_communities : 1.0;
}

void PrintCommunities(const char* name, const CommunityResult& r, double seconds,
                      double cpu_seconds, const std::vector<std::uint32_t>& planted) {
  std::printf(
      "%-22s %8.3f s (cpu %7.3f s)  Q %.4f  communities %7zu  pure %.3f  levels %3d"
      "  iterations %3d  (move %.2f refine %.2f aggregate %.2f)\n",
      name, seconds, cpu_seconds, r.modularity, r.num_communities, PureShare(r, planted), r.levels,
      r.iterations, r.timings.moving_seconds, r.timings.refining_seconds,
      r.timings.aggregating_seconds);
}

int Run(const Params& p) {
  std::vector<std::uint32_t> planted;
  auto t = std::chrono::steady_clock::now();
  const std::vector<WeightedEdge> edges = PlantedEdges(p, planted);
  std::printf(
      "graph: %u vertices, %zu input links, degree %u, mixing %.2f, seed %llu "
      "(generated in %.3f s)\n",
      p.vertices, edges.size(), p.degree, p.mixing, static_cast<unsigned long long>(p.seed),
      Since(t));

  t = std::chrono::steady_clock::now();
  std::clock_t cpu = std::clock();
  const LinkGraph g = ringscope::BuildLinkGraph(p.vertices, edges);
  std::printf("%-22s %8.3f s (cpu %7.3f s)  %zu links, %zu arcs\n", "BuildLinkGraph", Since(t),
              CpuSince(cpu), g.num_edges(), g.num_arcs());

  t = std::chrono::steady_clock::now();
  cpu = std::clock();
  const auto components = ringscope::FindComponents(g);
  std::printf("%-22s %8.3f s (cpu %7.3f s)  %zu components\n", "FindComponents", Since(t),
              CpuSince(cpu), components.num_components);

  t = std::chrono::steady_clock::now();
  cpu = std::clock();
  const CommunityResult louvain = ringscope::Louvain(g, {.seed = p.seed});
  PrintCommunities("Louvain", louvain, Since(t), CpuSince(cpu), planted);

  for (int iterations : {1, 2, -1}) {
    t = std::chrono::steady_clock::now();
    cpu = std::clock();
    const CommunityResult leiden =
        ringscope::Leiden(g, {.seed = p.seed, .max_iterations = iterations});
    const std::string name = "Leiden max_iter " + std::to_string(iterations);
    PrintCommunities(name.c_str(), leiden, Since(t), CpuSince(cpu), planted);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    Params p;
    if (argc > 1) p.vertices = static_cast<std::uint32_t>(std::stoul(argv[1]));
    if (argc > 2) p.degree = static_cast<std::uint32_t>(std::stoul(argv[2]));
    if (argc > 3) p.mixing = std::stod(argv[3]);
    if (argc > 4) p.seed = std::stoull(argv[4]);
    if (argc > 5 || p.vertices == 0 || p.mixing < 0.0 || p.mixing > 1.0) {
      std::fprintf(stderr, "usage: bench_community [vertices>0] [degree] [mixing 0..1] [seed]\n");
      return 2;
    }
    return Run(p);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_community: %s\n", e.what());
    return 1;
  }
}
