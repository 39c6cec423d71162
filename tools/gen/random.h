// Seeded randomness for the world generator: a fast generator (xoshiro256**
// seeded through splitmix64), stateless hashes for values that must not depend
// on the order in which they are drawn, keyed bijections that make ids unique
// without a lookup table, and weighted choice.
//
// Nothing here reads the clock or std::random_device: the same seed gives the
// same world on every machine (no platform <random> distributions either, whose
// output differs between standard libraries).
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace ringscope::gen {

// splitmix64's finaliser: a bijective 64-bit mix. O(1).
inline std::uint64_t Mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A hash of two values (order matters). O(1).
inline std::uint64_t Hash2(std::uint64_t a, std::uint64_t b) {
  return Mix64(a ^ Mix64(b ^ 0x632be59bd9b4e019ULL));
}

// A uniform double in [0, 1) from a hash value.
inline double UnitFromHash(std::uint64_t h) { return static_cast<double>(h >> 11) * 0x1.0p-53; }

// xoshiro256** (Blackman & Vigna 2018), seeded by splitmix64 as its authors
// recommend. Every draw is O(1).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    std::uint64_t s = seed;
    for (auto& word : state_) {
      s += 0x9e3779b97f4a7c15ULL;
      word = Mix64(s);
    }
  }

  std::uint64_t Next() {
    const std::uint64_t result = std::rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = std::rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, n); n > 0. Lemire's multiply-shift (bias below 2^-32 for
  // the n used here).
  std::uint64_t Below(std::uint64_t n) {
    __extension__ using Wide =
        unsigned __int128;  // GCC/Clang; __extension__ keeps -Wpedantic quiet
    return static_cast<std::uint64_t>((static_cast<Wide>(Next()) * n) >> 64);
  }
  // Uniform integer in [lo, hi].
  std::int64_t Between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(Below(static_cast<std::uint64_t>(hi - lo) + 1));
  }
  double Uniform() { return UnitFromHash(Next()); }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  bool Chance(double p) { return Uniform() < p; }
  // Exponential with the given mean.
  double Exponential(double mean) { return -mean * std::log1p(-Uniform()); }
  // Standard normal (Box–Muller; one value per call keeps the stream simple).
  double Normal() {
    double u1 = 1.0 - Uniform();  // (0, 1]
    double u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  // Log-normal whose mean (not median) is `mean`.
  double LogNormalWithMean(double mean, double sigma) {
    return mean * std::exp(sigma * Normal() - 0.5 * sigma * sigma);
  }
  // Pareto with scale x_min and shape alpha.
  double Pareto(double x_min, double alpha) {
    return x_min / std::pow(1.0 - Uniform(), 1.0 / alpha);
  }
  // A fresh generator whose stream is independent of this one's.
  Rng Fork() { return Rng(Next()); }

  template <typename T>
  void Shuffle(std::vector<T>& v) {  // Fisher–Yates, O(n)
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[Below(i)]);
  }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Below(v.size())];
  }

 private:
  std::uint64_t state_[4];
};

// A keyed bijection of [0, domain): a 4-round Feistel network on the smallest
// even number of bits covering the domain, with cycle walking for the rest.
// Turns a counter into a unique, random-looking number (account ids, card
// digits, phone numbers, addresses) with no table and no collision check.
// O(1) expected per call (fewer than 4 walks on average).
class Permutation {
 public:
  Permutation(std::uint64_t key, std::uint64_t domain) : domain_(domain) {
    if (domain < 2) throw std::invalid_argument("Permutation: domain must be at least 2");
    int bits = std::bit_width(domain - 1);
    half_bits_ = (bits + 1) / 2;
    mask_ = (std::uint64_t{1} << half_bits_) - 1;
    for (int r = 0; r < kRounds; ++r) keys_[r] = Hash2(key, static_cast<std::uint64_t>(r) + 1);
  }

  std::uint64_t operator()(std::uint64_t x) const {
    do x = Round(x);
    while (x >= domain_);
    return x;
  }
  std::uint64_t domain() const { return domain_; }

 private:
  static constexpr int kRounds = 4;
  std::uint64_t Round(std::uint64_t x) const {
    std::uint64_t left = x >> half_bits_, right = x & mask_;
    for (int r = 0; r < kRounds; ++r) {
      std::uint64_t next = left ^ (Hash2(keys_[r], right) & mask_);
      left = right;
      right = next;
    }
    return (left << half_bits_) | right;
  }
  std::uint64_t domain_;
  int half_bits_ = 0;
  std::uint64_t mask_ = 0;
  std::uint64_t keys_[kRounds];
};

// Weighted choice among a fixed list. Build O(n), Pick O(log n).
class WeightedChoice {
 public:
  WeightedChoice() = default;
  explicit WeightedChoice(const std::vector<double>& weights) {
    double total = 0;
    for (double w : weights) {
      if (!(w >= 0)) throw std::invalid_argument("WeightedChoice: negative or NaN weight");
      total += w;
      cumulative_.push_back(total);
    }
    if (!(total > 0)) throw std::invalid_argument("WeightedChoice: weights sum to zero");
  }
  std::size_t Pick(Rng& rng) const { return Find(rng.Uniform() * cumulative_.back()); }
  // The same choice from a hash value instead of a generator.
  std::size_t PickByHash(std::uint64_t h) const {
    return Find(UnitFromHash(h) * cumulative_.back());
  }
  std::size_t size() const { return cumulative_.size(); }

 private:
  std::size_t Find(double x) const {
    auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), x);
    return std::min<std::size_t>(it - cumulative_.begin(), cumulative_.size() - 1);
  }
  std::vector<double> cumulative_;
};

}  // namespace ringscope::gen
