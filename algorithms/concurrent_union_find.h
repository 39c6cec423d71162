// Union-find that several threads use at once (the prompt stage's band
// threads share one).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace ringscope {

// A root is linked under the smaller of the two roots by compare-and-swap, so
// every link points to a smaller index and no cycle can form; finds compress
// paths with benign races (Anderson & Woll 1991). Whatever the interleaving,
// the sets are the connected components of the unions made, so the partition
// is deterministic.
class ConcurrentUnionFind {
 public:
  explicit ConcurrentUnionFind(std::size_t n) : parent_(n) {
    for (std::size_t i = 0; i < n; ++i) parent_[i].store(static_cast<std::uint32_t>(i));
  }

  // Full path compression: the nodes of x's path above the root found are
  // pointed at it. Another thread may meanwhile link that root under a newer,
  // smaller one and compress part of the path past it; the walk re-reads
  // parents, so it stops at the first node at or below the root found (index
  // <= root) and never writes there. Writing a root's slot would undo a union
  // and, pointing a smaller index at a larger one, could close a cycle that
  // every later find spins in (seen: 640 -> 647 -> 640).
  std::uint32_t Find(std::uint32_t x) {
    std::uint32_t root = x;
    for (std::uint32_t p; (p = parent_[root].load(std::memory_order_acquire)) != root;) root = p;
    while (x > root) {
      const std::uint32_t p = parent_[x].load(std::memory_order_acquire);
      if (p <= root) break;
      parent_[x].store(root, std::memory_order_release);
      x = p;
    }
    return root;
  }

  // True when a and b were in different sets.
  bool Union(std::uint32_t a, std::uint32_t b) {
    while (true) {
      a = Find(a);
      b = Find(b);
      if (a == b) return false;
      if (a < b) std::swap(a, b);
      std::uint32_t expected = a;  // a must still be a root
      if (parent_[a].compare_exchange_strong(expected, b, std::memory_order_acq_rel)) return true;
    }
  }

  std::size_t size() const { return parent_.size(); }

 private:
  std::vector<std::atomic<std::uint32_t>> parent_;
};

}  // namespace ringscope
