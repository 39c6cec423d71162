#include "algorithms/local_ppr.h"

#include <algorithm>
#include <deque>
#include <stdexcept>
#include <string>
#include <unordered_map>

namespace ringscope {

namespace {

struct NodeState {
  double p = 0;
  double r = 0;
  bool queued = false;
  bool expanded = false;
  double degree = 0;  // weighted degree, once expanded
  std::vector<PprNeighbour> neighbours;
};

// Reads a node's neighbours once (links of weight <= 0 dropped).
void Expand(NodeState& s, std::int64_t node, const PprNeighbours& neighbours) {
  s.neighbours = neighbours(node);
  std::erase_if(s.neighbours, [](const PprNeighbour& n) { return !(n.weight > 0); });
  s.degree = 0;
  for (const PprNeighbour& n : s.neighbours) s.degree += n.weight;
  s.expanded = true;
}

void CheckOptions(const std::vector<std::int64_t>& seeds, const LocalPprOptions& o) {
  if (seeds.empty()) throw std::invalid_argument("LocalPushPpr: expected at least one seed, got 0");
  if (!(o.alpha > 0 && o.alpha <= 1))
    throw std::invalid_argument("LocalPushPpr: alpha must be in (0, 1], got " +
                                std::to_string(o.alpha));
  if (!(o.epsilon > 0))
    throw std::invalid_argument("LocalPushPpr: epsilon must be > 0, got " +
                                std::to_string(o.epsilon));
}

}  // namespace

LocalPprResult LocalPushPpr(const std::vector<std::int64_t>& seeds,
                            const PprNeighbours& neighbours, const LocalPprOptions& o) {
  CheckOptions(seeds, o);
  std::vector<std::int64_t> unique = seeds;
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  std::unordered_map<std::int64_t, NodeState> state;
  std::deque<std::int64_t> queue;
  for (std::int64_t s : unique) {
    state[s].r = 1.0 / static_cast<double>(unique.size());
    state[s].queued = true;
    queue.push_back(s);
  }
  LocalPprResult result;
  while (!queue.empty()) {
    const std::int64_t u = queue.front();
    queue.pop_front();
    NodeState* su = &state[u];
    su->queued = false;
    if (!su->expanded) {
      if (result.expanded >= o.max_expanded) {
        result.truncated = true;
        continue;
      }
      Expand(*su, u, neighbours);
      ++result.expanded;
    }
    if (su->degree == 0) {  // the lazy walk never leaves an isolated node
      su->p += su->r;
      su->r = 0;
      continue;
    }
    if (su->r < o.epsilon * su->degree) continue;
    if (result.pushes >= o.max_pushes) {
      result.truncated = true;
      break;
    }
    ++result.pushes;
    const double r = su->r;
    su->p += o.alpha * r;
    su->r = (1 - o.alpha) * r / 2;
    const double spread = (1 - o.alpha) * r / 2 / su->degree;
    const std::vector<PprNeighbour> targets = su->neighbours;  // `state` may rehash below
    for (const PprNeighbour& n : targets) {
      NodeState& sv = state[n.node];
      sv.r += spread * n.weight;
      // Unexpanded: the caller's hint, else its degree is at least this
      // link's weight, a cheap lower bound that keeps hopeless nodes out of
      // the queue.
      const double known_degree = sv.expanded       ? sv.degree
                                  : n.degree > 0.0 ? std::max(n.degree, n.weight)
                                                   : n.weight;
      if (!sv.queued && (sv.degree == 0 && sv.expanded ? sv.r > 0
                                                        : sv.r >= o.epsilon * known_degree)) {
        sv.queued = true;
        queue.push_back(n.node);
      }
    }
    su = &state[u];
    if (!su->queued && su->r >= o.epsilon * su->degree) {
      su->queued = true;
      queue.push_back(u);
    }
  }
  for (const auto& [node, s] : state) {
    result.residual += s.r;
    result.settled += s.p;
    const double score = s.p + o.alpha * s.r;
    if (score > 0) result.ranking.push_back({node, score});
  }
  std::sort(result.ranking.begin(), result.ranking.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  return result;
}

}  // namespace ringscope
