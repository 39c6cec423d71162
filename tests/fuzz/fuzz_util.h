// Helpers shared by the libFuzzer targets: an in-memory ByteSource, a check
// that aborts with a message (libFuzzer then saves the input as a crash), and
// a reader of option bytes taken from the front of the input.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "ingest/input.h"

namespace ringscope::fuzz {

// An invariant the code under test promises; a violation is a finding.
#define FUZZ_CHECK(condition)                                                        \
  do {                                                                               \
    if (!(condition)) {                                                              \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                  \
    }                                                                                \
  } while (0)

// Serves `bytes` (not copied: they must outlive the source) in reads of at most
// `chunk` bytes, so that line and block boundaries fall everywhere. Counts and
// hashes them as raw bytes, like a plain file.
class MemorySource : public ByteSource {
 public:
  MemorySource(std::string_view bytes, std::size_t chunk)
      : ByteSource(-1, false, static_cast<std::int64_t>(bytes.size())),
        bytes_(bytes),
        chunk_(std::max<std::size_t>(chunk, 1)) {}
  std::size_t Read(char* buffer, std::size_t capacity) override {
    const std::size_t n = std::min({capacity, chunk_, bytes_.size() - offset_});
    if (n == 0) return 0;
    std::memcpy(buffer, bytes_.data() + offset_, n);
    AccountRaw(buffer, n);
    offset_ += n;
    return n;
  }

 private:
  std::string_view bytes_;
  std::size_t chunk_;
  std::size_t offset_ = 0;
};

// Takes option bytes from the front of the input; zero once it is exhausted.
class OptionBytes {
 public:
  OptionBytes(const std::uint8_t*& data, std::size_t& size) : data_(data), size_(size) {}
  std::uint8_t Next() {
    if (size_ == 0) return 0;
    --size_;
    return *data_++;
  }
  std::uint64_t Next64() {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | Next();
    return v;
  }

 private:
  const std::uint8_t*& data_;
  std::size_t& size_;
};

}  // namespace ringscope::fuzz
