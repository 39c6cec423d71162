// A file the generator writes: buffered plain output, or a libzstd stream.
// RAII: the destructor closes without throwing; Close() reports errors.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace ringscope::gen {

class OutputFile {
 public:
  // Creates (truncates) `path`. Throws std::runtime_error naming the path and
  // the system's reason when it cannot be opened.
  OutputFile(std::string path, bool zstd, int zstd_level = 3);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Throws std::runtime_error on a write error (disk full). O(bytes).
  void Write(std::string_view data);
  // Flushes, ends the zstd frame and closes; throws on failure. Idempotent.
  void Close();

  const std::string& path() const { return path_; }
  std::int64_t bytes_on_disk() const { return disk_bytes_; }

 private:
  void WriteRaw(const char* data, std::size_t size);
  std::string path_;
  std::FILE* file_ = nullptr;
  void* zstd_ = nullptr;  // ZSTD_CCtx*
  std::vector<char> zbuf_;
  std::int64_t disk_bytes_ = 0;
};

// Writes buffers to an OutputFile on a background thread, in submission order,
// so that formatting overlaps the write system calls (and zstd compression).
// The bytes on disk are exactly those of writing synchronously.
class BackgroundWriter {
 public:
  explicit BackgroundWriter(OutputFile& file);
  ~BackgroundWriter();  // joins; errors not collected by Finish() are dropped
  BackgroundWriter(const BackgroundWriter&) = delete;
  BackgroundWriter& operator=(const BackgroundWriter&) = delete;

  // Queues `buffer` (at most kDepth wait; the caller blocks beyond that) and
  // returns an empty buffer to refill. Rethrows an earlier write error.
  std::string Submit(std::string buffer);
  // Waits until every buffer is written; rethrows a write error.
  void Finish();

 private:
  static constexpr std::size_t kDepth = 4;
  void Run();
  OutputFile& file_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> pending_;
  std::vector<std::string> spare_;
  bool stopping_ = false;
  bool busy_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

}  // namespace ringscope::gen
