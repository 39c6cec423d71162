// bench_gen: figures for the world generator (tools/gen/world.h): wall time,
// CPU time, request lines per second (per wall second and per CPU second) and
// peak RSS, for plain and zstd request logs.
//
// Usage: bench_gen [PRESET (default small)] [DIR (default: a fresh directory
// under the system temp dir)] [--keep]. The output is deleted afterwards
// unless --keep. Prints figures; asserts nothing.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "tools/gen/world.h"

namespace {

using namespace ringscope;
using Clock = std::chrono::steady_clock;

// CPU seconds of the whole process (all threads): on a shared machine work /
// CPU time is disturbed far less by other processes than work / wall time.
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

double PeakRssMegabytes() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // Linux reports kB
}

void Run(const gen::WorldOptions& world, const std::filesystem::path& dir, bool zstd, bool keep) {
  const double cpu0 = CpuSeconds();
  const auto t0 = Clock::now();
  gen::GenResult r = gen::GenerateWorld(world, {.directory = dir.string(), .zstd = zstd});
  const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
  const double cpu = CpuSeconds() - cpu0;
  std::int64_t bytes = 0;
  for (const gen::FileSummary& f : r.files) bytes += f.bytes;
  std::printf(
      "%-12s %-5s accounts %9lld  lines %11lld  wall %7.2f s  cpu %7.2f s  "
      "requests phase %7.2f s = %10.0f lines/s  whole run %10.0f lines/wall-s %10.0f "
      "lines/cpu-s  disk %8.1f MB  peak RSS %7.1f MB\n",
      world.preset.c_str(), zstd ? "zstd" : "plain", static_cast<long long>(r.accounts),
      static_cast<long long>(r.request_lines), wall, cpu, r.request_seconds, r.LinesPerSecond(),
      static_cast<double>(r.request_lines) / wall, static_cast<double>(r.request_lines) / cpu,
      static_cast<double>(bytes) / 1e6, PeakRssMegabytes());
  std::fflush(stdout);
  if (!keep) std::filesystem::remove_all(dir);
}

}  // namespace

int main(int argc, char** argv) {
  std::string preset = "small";
  std::filesystem::path dir;
  bool keep = false;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--keep")
      keep = true;
    else
      positional.push_back(arg);
  }
  if (!positional.empty()) preset = positional[0];
  dir = positional.size() > 1
            ? std::filesystem::path(positional[1])
            : std::filesystem::temp_directory_path() / ("ringscope-bench-gen-" + preset);
  try {
    gen::WorldOptions world = gen::PresetWorld(preset);
    Run(world, dir / "plain", false, keep);
    Run(world, dir / "zstd", true, keep);
    if (!keep) std::filesystem::remove_all(dir);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_gen: %s\n", e.what());
    return 1;
  }
  return 0;
}
