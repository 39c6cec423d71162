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
  // The bytes sniffed for magic numbers (already hashed) first, then ReadRaw.
  std::size_t ReadInput(char* buffer, std::size_t capacity);
  std::string sniffed_;
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
  // Ends line reading: skips the tail of an over-long line just returned,
  // then moves the bytes read but not yet returned as lines into `pending`, so
  // that the caller can go on reading the ByteSource itself. Returns false
  // when the source is already exhausted (do not read it again). Next() must
  // not be called afterwards. O(bytes buffered).
  bool DetachBuffered(std::vector<char>& pending);

 private:
  bool Refill();
  bool SkipRestOfLine();
  ByteSource& source_;
  bool skipping_ = false;
  std::size_t max_line_bytes_;
  std::size_t buffer_size_;
  std::unique_ptr<char[]> buffer_;
  std::size_t begin_ = 0;  // first unread byte
  std::size_t end_ = 0;    // one past the last valid byte
  bool eof_ = false;
  std::int64_t line_number_ = 0;
};

inline constexpr std::size_t kDefaultMaxLineBytes = 1 << 20;

// Bytes that may be read past the end of a LineBlock's lines (simdjson's
// SIMDJSON_PADDING is 64): every line of a block can be parsed in place.
inline constexpr std::size_t kLineBlockPadding = 64;

// A run of whole lines cut from a ByteSource, for parsing on another thread.
// Lines end with '\n', except the last line of the input when it has none.
class LineBlock {
 public:
  LineBlock() = default;
  LineBlock(LineBlock&&) = default;
  LineBlock& operator=(LineBlock&&) = default;

  // The lines; data() is followed by at least kLineBlockPadding bytes.
  const char* data() const { return data_.get(); }
  std::size_t size() const { return size_; }
  // True when the block is one line that is longer than the reader's
  // max_line_bytes: the block holds only its first max_line_bytes bytes.
  bool truncated_line() const { return truncated_line_; }
  // The source's raw bytes consumed when the block was cut (for progress).
  std::int64_t raw_bytes_read() const { return raw_bytes_read_; }

 private:
  friend class LineBlockReader;
  char* mutable_data() { return data_.get(); }
  // Room for `bytes` of lines plus the padding; keeps the first size_ bytes.
  void Reserve(std::size_t bytes);

  std::unique_ptr<char[]> data_;  // not zero-filled: every byte is written before use
  std::size_t capacity_ = 0;      // lines bytes that fit, padding excluded
  std::size_t size_ = 0;
  bool truncated_line_ = false;
  std::int64_t raw_bytes_read_ = 0;
};

// Cuts a ByteSource into LineBlocks of about `block_bytes` (more when one line
// is longer), with the line semantics of LineReader: a line longer than
// max_line_bytes is kept in its own block, cut to max_line_bytes, and the rest
// of it is skipped, so memory stays bounded whatever the input. Concatenating
// the blocks' lines yields LineReader's lines. Complexity: O(bytes).
class LineBlockReader {
 public:
  // `pending` are bytes already read from `source`, and `source_done` says
  // that nothing more is to be read from it (LineReader::DetachBuffered).
  LineBlockReader(ByteSource& source, std::size_t max_line_bytes, std::size_t block_bytes,
                  std::vector<char> pending = {}, bool source_done = false);
  // Fills `block` (reusing its memory) with the next lines; false at the end.
  bool Next(LineBlock& block);
  // Makes `block` hold `line` alone, as LineReader returned it (a line read
  // before the blocks were, such as the first one, used to detect the format).
  static void SetLine(LineBlock& block, const Line& line, std::int64_t raw_bytes_read);

 private:
  // Appends up to `bytes` read from the source to `block`; false at the end.
  bool ReadMore(LineBlock& block, std::size_t bytes);
  // Moves block bytes from `from` on to the carry and cuts the block there.
  void CarryFrom(LineBlock& block, std::size_t from);
  // Drops input up to and including the next newline (rest of a long line).
  void SkipRestOfLine();

  ByteSource& source_;
  std::size_t max_line_bytes_;
  std::size_t block_bytes_;
  std::vector<char> carry_;  // bytes read but not yet handed out in a block
  bool eof_ = false;
};

}  // namespace ringscope
