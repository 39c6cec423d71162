// Small building blocks of the projection's parallel phases: a seeded 64-bit
// mix (deterministic pseudo-random choices without a generator's state) and
// a work loop over index chunks on a fixed number of threads. Internal to
// graph/.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace ringscope::graph_internal {

// SplitMix64's finaliser (Steele, Lea & Flood 2014): a bijection on 64 bits
// with full avalanche. O(1).
inline std::uint64_t Mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A hash of (seed, a, b), for seeded per-item choices. O(1).
inline std::uint64_t SeededHash(std::uint64_t seed, std::uint64_t a, std::uint64_t b) {
  return Mix64(Mix64(seed ^ Mix64(a)) + b);
}

// Runs fn(thread, begin, end) over [0, count) in chunks of `chunk` items,
// handed out in order to `threads` threads (the caller is thread 0). Results
// must be written to per-item or per-thread slots: the assignment of chunks
// to threads varies between runs. The first exception thrown by fn is
// rethrown after every thread has stopped. O(count / chunk) scheduling.
template <class Fn>
void ParallelChunks(int threads, std::size_t count, std::size_t chunk, Fn&& fn) {
  chunk = std::max<std::size_t>(chunk, 1);
  std::atomic<std::size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto worker = [&](int t) {
    try {
      for (;;) {
        const std::size_t begin = next.fetch_add(chunk);
        if (begin >= count) break;
        fn(t, begin, std::min(count, begin + chunk));
      }
    } catch (...) {
      const std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      next.store(count);
    }
  };
  const int used = static_cast<int>(std::min<std::size_t>(
      static_cast<std::size_t>(std::max(threads, 1)), (count + chunk - 1) / chunk));
  std::vector<std::thread> pool;
  for (int t = 1; t < used; ++t) pool.emplace_back(worker, t);
  worker(0);
  for (std::thread& th : pool) th.join();
  if (error) std::rethrow_exception(error);
}

// Runs fn(t) once on each of `threads` threads (the caller is thread 0).
template <class Fn>
void OnEachThread(int threads, Fn&& fn) {
  ParallelChunks(threads, static_cast<std::size_t>(std::max(threads, 1)), 1,
                 [&](int, std::size_t begin, std::size_t) { fn(static_cast<int>(begin)); });
}

// Adds the wall time of its scope to `seconds`.
class PhaseTimer {
 public:
  explicit PhaseTimer(double& seconds)
      : seconds_(seconds), start_(std::chrono::steady_clock::now()) {}
  ~PhaseTimer() {
    seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  PhaseTimer(const PhaseTimer&) = delete;
  PhaseTimer& operator=(const PhaseTimer&) = delete;

 private:
  double& seconds_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace ringscope::graph_internal
