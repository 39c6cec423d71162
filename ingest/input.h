// Byte and line input for every reader: plain files, standard input, .gz and
// .zst (recognised by extension, and by magic bytes on standard input),
// with the sha256 of the raw bytes and progress counters.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ringscope {

// The file cannot be opened or read at all (as opposed to a bad row).
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class Compression { kNone, kGzip, kZstd };

// Compression named by the path's extension (.gz, .zst); kNone otherwise.
Compression CompressionFromPath(std::string_view path);
// The path without a trailing .gz/.zst, for format detection.
std::string_view StripCompressionExtension(std::string_view path);

// A stream of decompressed bytes. Errors in the compressed data (truncated or
// corrupt stream) do not throw: Read() returns 0 and error() says what broke,
// so the rows read until then are kept.
class ByteSource {
 public:
  // "-" is standard input. Throws InputError when the file cannot be opened.
  static std::unique_ptr<ByteSource> Open(const std::string& path);
  virtual ~ByteSource();
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  // Reads up to `capacity` decompressed bytes; 0 means end of input or error.
  virtual std::size_t Read(char* buffer, std::size_t capacity) = 0;

  // Raw (compressed) bytes consumed so far, and the file's size (0 if unknown,
  // e.g. a pipe).
  std::int64_t raw_bytes_read() const { return raw_bytes_read_; }
  std::int64_t raw_size() const { return raw_size_; }
  // Lower-hex sha256 of the raw bytes read so far; final once Read returned 0.
  std::string Sha256Hex() const;
  const std::string& error() const { return error_; }

 protected:
  ByteSource(int fd, bool owns_fd, std::int64_t raw_size);
  // Reads raw bytes from the file descriptor, updating the hash and counters.
  // Returns 0 at end of file; sets error_ and returns 0 on a read error.
  std::size_t ReadRaw(char* buffer, std::size_t capacity);
  // Counts and hashes raw bytes obtained outside ReadRaw (sniffed magic).
  void AccountRaw(const char* bytes, std::size_t size);
  std::string error_;


 private:
  struct HashState;
  int fd_ = -1;
  bool owns_fd_ = false;
  std::int64_t raw_bytes_read_ = 0;
  std::int64_t raw_size_ = 0;
  std::unique_ptr<HashState> hash_;
};

struct Line {
  std::string_view text;      // without the '\n' (a trailing '\r' is kept)
  std::int64_t number = 0;    // 1-based
  bool too_long = false;      // text holds only the first max_line_bytes
};

// Splits a ByteSource into lines. Lines longer than max_line_bytes are
// returned truncated with too_long set, and the rest of that line is skipped,
// so memory stays bounded whatever the input. Complexity: O(bytes).
class LineReader {
 public:
  LineReader(ByteSource& source, std::size_t max_line_bytes);
  // Returns false at end of input. `line` stays valid until the next call.
  bool Next(Line& line);
  std::int64_t line_number() const { return line_number_; }

 private:
  bool Refill();
  bool SkipRestOfLine();
  ByteSource& source_;
  bool skipping_ = false;
  std::size_t max_line_bytes_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // first unread byte
  std::size_t end_ = 0;    // one past the last valid byte
  bool eof_ = false;
  std::int64_t line_number_ = 0;
};

inline constexpr std::size_t kDefaultMaxLineBytes = 1 << 20;

}  // namespace ringscope
