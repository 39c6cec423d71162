// LSH banding over MinHash sketches, verified pairs joined by union-find,
// stable cluster ids. Phases: identities, bands (per thread), merge, ids.
#include "algorithms/prompt_clusters.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include "algorithms/concurrent_union_find.h"

namespace ringscope {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

using UnionFind = ConcurrentUnionFind;

void Validate(std::span<const std::uint64_t> fingerprints, const PromptSketches& sketches,
              const PromptClusterOptions& o) {
  ValidateMinHashOptions(sketches.options);
  const auto k = static_cast<std::size_t>(sketches.options.num_hashes);
  if (sketches.values.size() != fingerprints.size() * k) {
    throw std::invalid_argument("ClusterPrompts: " + std::to_string(fingerprints.size()) +
                                " fingerprints need " + std::to_string(fingerprints.size() * k) +
                                " sketch values, got " + std::to_string(sketches.values.size()));
  }
  if (fingerprints.size() >= 0xFFFFFFFFu) {
    throw std::invalid_argument("ClusterPrompts: at most 2^32 - 2 templates, got " +
                                std::to_string(fingerprints.size()));
  }
  if (o.bands < 1 || sketches.options.num_hashes % o.bands != 0) {
    throw std::invalid_argument("PromptClusterOptions.bands: expected a divisor of num_hashes = " +
                                std::to_string(sketches.options.num_hashes) + ", got " +
                                std::to_string(o.bands));
  }
  if (!(o.threshold >= 0.0 && o.threshold <= 1.0)) {
    throw std::invalid_argument("PromptClusterOptions.threshold: expected a number in [0, 1], got " +
                                std::to_string(o.threshold));
  }
  if (o.all_pairs_bucket < 1 || o.bucket_window < 1) {
    throw std::invalid_argument(
        "PromptClusterOptions: all_pairs_bucket and bucket_window must be >= 1, got " +
        std::to_string(o.all_pairs_bucket) + " and " + std::to_string(o.bucket_window));
  }
  if (o.threads < 1) {
    throw std::invalid_argument("PromptClusterOptions.threads: expected >= 1, got " +
                                std::to_string(o.threads));
  }
}

// The fewest equal bins whose estimate reaches the threshold.
int MinEqualBins(int k, double threshold) {
  for (int m = 0; m <= k; ++m) {
    if (EstimateFromEqualBins(m, k) >= threshold) return m;
  }
  return k;
}

// Previous cluster of each template (when it had one).
struct PreviousIds {
  std::vector<std::uint64_t> id;
  std::vector<std::uint8_t> known;
};

// Phase 1: equal fingerprints, and templates of one previous cluster, join.
PreviousIds JoinIdentities(std::span<const std::uint64_t> fingerprints,
                           std::span<const PreviousPromptCluster> previous, UnionFind& uf) {
  const std::size_t n = fingerprints.size();
  std::vector<std::pair<std::uint64_t, std::uint32_t>> by_fp(n);
  for (std::size_t i = 0; i < n; ++i) by_fp[i] = {fingerprints[i], static_cast<std::uint32_t>(i)};
  std::sort(by_fp.begin(), by_fp.end());
  for (std::size_t i = 1; i < n; ++i) {
    if (by_fp[i].first == by_fp[i - 1].first) uf.Union(by_fp[i].second, by_fp[i - 1].second);
  }
  std::vector<PreviousPromptCluster> prev(previous.begin(), previous.end());
  std::sort(prev.begin(), prev.end(), [](const auto& a, const auto& b) {
    return a.fingerprint != b.fingerprint ? a.fingerprint < b.fingerprint : a.cluster < b.cluster;
  });
  for (std::size_t i = 1; i < prev.size(); ++i) {
    if (prev[i].fingerprint == prev[i - 1].fingerprint && prev[i].cluster != prev[i - 1].cluster) {
      throw std::invalid_argument("ClusterPrompts: previous assignment gives template " +
                                  std::to_string(prev[i].fingerprint) + " two clusters, " +
                                  std::to_string(prev[i - 1].cluster) + " and " +
                                  std::to_string(prev[i].cluster) + "; expected one");
    }
  }
  PreviousIds ids{std::vector<std::uint64_t>(n, 0), std::vector<std::uint8_t>(n, 0)};
  std::vector<std::pair<std::uint64_t, std::uint32_t>> by_cluster;
  std::size_t p = 0;
  for (const auto& [fp, index] : by_fp) {  // merge join on fingerprint
    while (p < prev.size() && prev[p].fingerprint < fp) ++p;
    if (p < prev.size() && prev[p].fingerprint == fp) {
      ids.id[index] = prev[p].cluster;
      ids.known[index] = 1;
      by_cluster.emplace_back(prev[p].cluster, index);
    }
  }
  std::sort(by_cluster.begin(), by_cluster.end());
  for (std::size_t i = 1; i < by_cluster.size(); ++i) {
    if (by_cluster[i].first == by_cluster[i - 1].first) {
      uf.Union(by_cluster[i].second, by_cluster[i - 1].second);
    }
  }
  return ids;
}

constexpr int kBandsPerPass = 4;

struct BandEntry {
  std::uint64_t key;
  std::uint32_t index;
};

struct BandStats {
  std::uint64_t verified = 0, joined = 0, capped = 0;
  std::size_t largest_group = 0;
};

// Verifies candidate pairs of one thread's bands against its own union-find.
class BandWorker {
 public:
  BandWorker(const PromptSketches& sketches, const PromptClusterOptions& o, UnionFind& uf)
      : sketches_(sketches), o_(o), uf_(uf),
        k_(sketches.options.num_hashes), rows_(k_ / o.bands),
        min_equal_(MinEqualBins(k_, o.threshold)) {}

  // Bands [first, last), kBandsPerPass at a time: one strided pass over the
  // sketches reads the keys of a whole batch (neighbouring bands share cache
  // lines), then each band is sorted and its groups verified.
  void RunBands(int first, int last) {
    for (int batch = first; batch < last; batch += kBandsPerPass) {
      const int count = std::min(kBandsPerPass, last - batch);
      ReadKeys(batch, count);
      for (int j = 0; j < count; ++j) {
        SortBand(j);
        std::size_t g0 = 0;
        while (g0 < entries_.size()) {
          std::size_t g1 = g0 + 1;
          while (g1 < entries_.size() && entries_[g1].key == entries_[g0].key) ++g1;
          VerifyGroup(g0, g1);
          g0 = g1;
        }
      }
    }
  }
  const BandStats& stats() const { return stats_; }

 private:
  // The band's r values as one key, the first value in the top 16 bits.
  std::uint64_t Key(std::size_t i, int band) const {
    const SketchValue* v = sketches_.values.data() + i * static_cast<std::size_t>(k_) +
                           static_cast<std::size_t>(band * rows_);
    std::uint64_t key = 0;
    if (rows_ <= 4) {
      for (int r = 0; r < rows_; ++r) key |= static_cast<std::uint64_t>(v[r]) << (48 - 16 * r);
      return key;
    }
    // More rows than fit: the first value stays exact (it picks the part of
    // the counting sort), the rest are hashed; a hash collision only adds a
    // candidate pair, which verification rejects.
    std::uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (int r = 1; r < rows_; ++r) {
      h = (h ^ v[r]) * 0xff51afd7ed558ccdULL;
      h ^= h >> 29;
    }
    return (static_cast<std::uint64_t>(v[0]) << 48) | (h >> 16);
  }

  // keys_[j * n + i] = key of template i in band `batch + j`; starts_[j]
  // counts each band's parts (the first value) for the counting sort.
  void ReadKeys(int batch, int count) {
    const std::size_t n = sketches_.size();
    keys_.resize(static_cast<std::size_t>(count) * n);
    starts_.assign(static_cast<std::size_t>(count), std::vector<std::uint32_t>(65537, 0));
    for (std::size_t i = 0; i < n; ++i) {
      for (int j = 0; j < count; ++j) {
        const std::uint64_t key = keys_[static_cast<std::size_t>(j) * n + i] = Key(i, batch + j);
        ++starts_[static_cast<std::size_t>(j)][(key >> 48) + 1];
      }
    }
  }

  // Counting sort of band j of the batch on the first value, then (key,
  // index) order inside each part. Empty sketches (kEmptyBin in every bin,
  // never in a non-empty one) fall in the last part and are left out.
  void SortBand(int j) {
    const std::size_t n = sketches_.size();
    constexpr std::uint64_t kEmptyPart = kEmptyBin;
    std::vector<std::uint32_t>& starts = starts_[static_cast<std::size_t>(j)];
    std::partial_sum(starts.begin(), starts.end(), starts.begin());
    entries_.resize(starts[kEmptyPart]);
    std::vector<std::uint32_t> next(starts.begin(), starts.end() - 1);
    const std::uint64_t* keys = keys_.data() + static_cast<std::size_t>(j) * n;
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t key = keys[i];
      if ((key >> 48) == kEmptyPart) continue;
      entries_[next[key >> 48]++] = {key, static_cast<std::uint32_t>(i)};
    }
    for (std::size_t part = 0; part < kEmptyPart; ++part) {
      if (starts[part + 1] - starts[part] < 2) continue;
      std::sort(entries_.begin() + starts[part], entries_.begin() + starts[part + 1],
                [](const BandEntry& a, const BandEntry& b) {
                  return a.key != b.key ? a.key < b.key : a.index < b.index;
                });
    }
  }

  void VerifyGroup(std::size_t g0, std::size_t g1) {
    const std::size_t size = g1 - g0;
    if (size < 2) return;
    stats_.largest_group = std::max(stats_.largest_group, size);
    const bool capped = size > o_.all_pairs_bucket;
    stats_.capped += capped ? 1 : 0;
    for (std::size_t a = g0; a < g1; ++a) {
      const std::size_t end = capped ? std::min(g1, a + 1 + o_.bucket_window) : g1;
      for (std::size_t b = a + 1; b < end; ++b) Verify(entries_[a].index, entries_[b].index);
    }
  }

  void Verify(std::uint32_t a, std::uint32_t b) {
    if (uf_.Find(a) == uf_.Find(b)) return;
    ++stats_.verified;
    if (CountEqualBins(sketches_.row(a), sketches_.row(b)) >= min_equal_) {
      stats_.joined += uf_.Union(a, b) ? 1 : 0;
    }
  }

  const PromptSketches& sketches_;
  const PromptClusterOptions& o_;
  UnionFind& uf_;
  int k_, rows_, min_equal_;
  std::vector<std::uint64_t> keys_;
  std::vector<std::vector<std::uint32_t>> starts_;
  std::vector<BandEntry> entries_;
  BandStats stats_;
};

// Phase 4: ids by the rules of PromptClusterResult::cluster.
void AssignIds(std::span<const std::uint64_t> fingerprints, const PreviousIds& previous,
               UnionFind& uf, PromptClusterResult& r) {
  const std::size_t n = fingerprints.size();
  constexpr std::uint64_t kMax = ~0ULL;
  std::vector<std::uint64_t> min_fp(n, kMax), min_prev(n, kMax);
  std::vector<std::uint8_t> has_prev(n, 0);
  std::vector<std::uint32_t> size(n, 0);
  std::vector<std::uint32_t> root(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t c = root[i] = uf.Find(static_cast<std::uint32_t>(i));
    min_fp[c] = std::min(min_fp[c], fingerprints[i]);
    if (previous.known[i]) {
      min_prev[c] = has_prev[c] ? std::min(min_prev[c], previous.id[i]) : previous.id[i];
      has_prev[c] = 1;
    }
    ++size[c];
  }
  r.cluster.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t c = root[i];
    r.cluster[i] = has_prev[c] ? min_prev[c] : min_fp[c];
    if (c == i) {
      ++r.num_clusters;
      r.largest_cluster = std::max<std::size_t>(r.largest_cluster, size[c]);
      r.kept_previous_ids += has_prev[c];
    }
  }
}

}  // namespace

PromptClusterResult ClusterPrompts(std::span<const std::uint64_t> fingerprints,
                                   const PromptSketches& sketches,
                                   std::span<const PreviousPromptCluster> previous,
                                   const PromptClusterOptions& o) {
  Validate(fingerprints, sketches, o);
  PromptClusterResult result;
  auto t0 = Clock::now();
  UnionFind uf(fingerprints.size());
  const PreviousIds previous_ids = JoinIdentities(fingerprints, previous, uf);
  result.seconds_identities = SecondsSince(t0);

  t0 = Clock::now();
  const int threads = std::min(o.threads, o.bands);
  std::vector<BandWorker> workers;
  workers.reserve(static_cast<std::size_t>(threads));
  for (int t = 0; t < threads; ++t) workers.emplace_back(sketches, o, uf);
  {
    // Thread t takes a contiguous block of bands (neighbouring bands share
    // cache lines of the sketches). Declared before the pool, which joins the
    // threads using it when it goes out of scope.
    auto first_band = [&](int t) { return t * o.bands / threads; };
    std::vector<std::jthread> pool;
    for (int t = 1; t < threads; ++t) {
      pool.emplace_back([&, t] { workers[t].RunBands(first_band(t), first_band(t + 1)); });
    }
    workers[0].RunBands(first_band(0), first_band(1));
  }
  for (const BandWorker& w : workers) {
    result.verified_pairs += w.stats().verified;
    result.joined_pairs += w.stats().joined;
    result.capped_groups += w.stats().capped;
    result.largest_group = std::max(result.largest_group, w.stats().largest_group);
  }
  result.seconds_bands = SecondsSince(t0);

  t0 = Clock::now();
  AssignIds(fingerprints, previous_ids, uf, result);
  result.seconds_ids = SecondsSince(t0);
  return result;
}

PromptClusterResult ClusterPromptsAllPairs(std::span<const std::uint64_t> fingerprints,
                                           const PromptSketches& sketches,
                                           std::span<const PreviousPromptCluster> previous,
                                           const PromptClusterOptions& o) {
  Validate(fingerprints, sketches, o);
  PromptClusterResult result;
  UnionFind uf(fingerprints.size());
  const PreviousIds previous_ids = JoinIdentities(fingerprints, previous, uf);
  const int k = sketches.options.num_hashes;
  const int min_equal = MinEqualBins(k, o.threshold);
  for (std::size_t a = 0; a < fingerprints.size(); ++a) {
    if (IsEmptySketch(sketches.row(a))) continue;
    for (std::size_t b = a + 1; b < fingerprints.size(); ++b) {
      if (IsEmptySketch(sketches.row(b))) continue;
      ++result.verified_pairs;
      if (CountEqualBins(sketches.row(a), sketches.row(b)) >= min_equal &&
          uf.Union(static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(b))) {
        ++result.joined_pairs;
      }
    }
  }
  AssignIds(fingerprints, previous_ids, uf, result);
  return result;
}

}  // namespace ringscope
