// Test-only helpers: the shared reference graphs (RINGSCOPE_SHARED_DIR/data/graphs,
// CSV `src,dst` with integer ids) and small random graphs. Not library code.
#pragma once

#include <gtest/gtest.h>

#include <charconv>
#include <cstdint>
#include <fstream>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "graph/link_graph.h"

namespace ringscope::test_graphs {

inline constexpr std::uint32_t kNoLabel = std::numeric_limits<std::uint32_t>::max();

struct ReferenceGraph {
  LinkGraph graph;
  std::vector<std::uint32_t> truth;  // ground-truth community per vertex, or kNoLabel
};

// Reads the integer pairs of a two-column CSV with a header line. Fails the
// current test (and returns what it read so far) on a malformed line.
inline std::vector<std::pair<std::uint32_t, std::uint32_t>> ReadIntPairs(const std::string& path) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> rows;
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::string line;
  std::getline(in, line);  // header
  for (int line_no = 2; std::getline(in, line); ++line_no) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const std::size_t comma = line.find(',');
    std::uint32_t a = 0, b = 0;
    const char* end = line.data() + line.size();
    const bool ok = comma != std::string::npos &&
                    std::from_chars(line.data(), line.data() + comma, a).ec == std::errc() &&
                    std::from_chars(line.data() + comma + 1, end, b).ec == std::errc();
    if (!ok) {
      ADD_FAILURE() << path << ":" << line_no << ": expected two integers, got '" << line << "'";
      break;
    }
    rows.emplace_back(a, b);
  }
  return rows;
}

// Loads data/graphs/<name>: every link with weight 1, vertices 0..max id (or
// the ids listed in nodes.csv when present), ground truth from communities.csv.
inline ReferenceGraph LoadReferenceGraph(const std::string& name) {
  const std::string dir = std::string(RINGSCOPE_SHARED_DIR) + "/data/graphs/" + name + "/";
  std::vector<WeightedEdge> edges;
  std::size_t n = 0;
  for (auto [u, v] : ReadIntPairs(dir + "edges.csv")) {
    edges.push_back({u, v, 1.0});
    n = std::max<std::size_t>(n, std::max(u, v) + std::size_t{1});
  }
  const auto labels = ReadIntPairs(dir + "communities.csv");
  for (auto [node, label] : labels) n = std::max<std::size_t>(n, node + std::size_t{1});
  if (std::ifstream nodes(dir + "nodes.csv"); nodes.good()) {
    std::string line;
    std::getline(nodes, line);
    while (std::getline(nodes, line)) {
      if (!line.empty()) n = std::max<std::size_t>(n, std::stoul(line) + 1);
    }
  }
  ReferenceGraph ref{BuildLinkGraph(n, edges), std::vector<std::uint32_t>(n, kNoLabel)};
  for (auto [node, label] : labels) ref.truth[node] = label;
  return ref;
}

// A small deterministic pseudo-random generator for test inputs (splitmix64).
class TestRng {
 public:
  explicit TestRng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint32_t Below(std::uint32_t bound) { return static_cast<std::uint32_t>(Next() % bound); }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_;
};

// `num_edges` random links on n vertices (duplicates and self loops
// possible), integer weights uniform in 1..max_weight.
inline std::vector<WeightedEdge> RandomWeightedEdges(TestRng& rng, std::uint32_t n,
                                                     std::size_t num_edges,
                                                     std::uint32_t max_weight) {
  std::vector<WeightedEdge> edges;
  for (std::size_t i = 0; i < num_edges; ++i) {
    const double w = 1.0 + rng.Below(max_weight);
    edges.push_back({rng.Below(n), rng.Below(n), w});
  }
  return edges;
}

// Random links with weights in {1, 2, 3} when `weighted`, else 1.
inline std::vector<WeightedEdge> RandomEdges(TestRng& rng, std::uint32_t n, std::size_t num_edges,
                                             bool weighted) {
  return RandomWeightedEdges(rng, n, num_edges, weighted ? 3 : 1);
}

// A planted partition: `groups` groups of `group_size` vertices, each pair
// inside a group linked with probability p_in, across groups with p_out.
inline std::vector<WeightedEdge> PlantedPartitionEdges(TestRng& rng, std::uint32_t groups,
                                                       std::uint32_t group_size, double p_in,
                                                       double p_out) {
  std::vector<WeightedEdge> edges;
  const std::uint32_t n = groups * group_size;
  for (std::uint32_t u = 0; u < n; ++u) {
    for (std::uint32_t v = u + 1; v < n; ++v) {
      const double p = (u / group_size == v / group_size) ? p_in : p_out;
      if (rng.Unit() < p) edges.push_back({u, v, 1.0});
    }
  }
  return edges;
}

}  // namespace ringscope::test_graphs
