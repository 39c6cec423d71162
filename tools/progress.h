// A one-line progress bar on a terminal (bytes done of total, rate, ETA);
// silent when stderr is not a terminal, so pipes and logs stay clean.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace ringscope {

class ProgressBar {
 public:
  // `enabled` is further restricted to stderr being a terminal.
  ProgressBar(std::string label, bool enabled);
  ~ProgressBar();
  // Redraws at most ten times a second. total == 0: size unknown (a pipe).
  void Update(std::int64_t done, std::int64_t total);
  // Clears the line.
  void Finish();

 private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

// "12.3 MB"
std::string FormatBytes(double bytes);
// "1m05s"
std::string FormatDuration(double seconds);

}  // namespace ringscope
