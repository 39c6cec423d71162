#include "ingest/input.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace ringscope {

namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

constexpr std::size_t kRawChunkBytes = 1 << 20;

}  // namespace

Compression CompressionFromPath(std::string_view path) {
  if (EndsWith(path, ".gz")) return Compression::kGzip;
  if (EndsWith(path, ".zst")) return Compression::kZstd;
  return Compression::kNone;
}

std::string_view StripCompressionExtension(std::string_view path) {
  if (EndsWith(path, ".gz")) return path.substr(0, path.size() - 3);
  if (EndsWith(path, ".zst")) return path.substr(0, path.size() - 4);
  return path;
}

struct ByteSource::HashState {
  EVP_MD_CTX* ctx = nullptr;
  HashState() : ctx(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr); }
  ~HashState() { EVP_MD_CTX_free(ctx); }
};

ByteSource::ByteSource(int fd, bool owns_fd, std::int64_t raw_size)
    : fd_(fd), owns_fd_(owns_fd), raw_size_(raw_size), hash_(std::make_unique<HashState>()) {}

ByteSource::~ByteSource() {
  if (owns_fd_ && fd_ >= 0) ::close(fd_);
}

std::size_t ByteSource::ReadRaw(char* buffer, std::size_t capacity) {
  while (true) {
    ssize_t n = ::read(fd_, buffer, capacity);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error_ = std::string("read error: ") + std::strerror(errno);
      return 0;
    }
    AccountRaw(buffer, static_cast<std::size_t>(n));
    return static_cast<std::size_t>(n);
  }
}

std::size_t ByteSource::ReadInput(char* buffer, std::size_t capacity) {
  if (sniffed_.empty()) return ReadRaw(buffer, capacity);
  std::size_t n = std::min(capacity, sniffed_.size());
  std::memcpy(buffer, sniffed_.data(), n);
  sniffed_.erase(0, n);
  return n;
}

void ByteSource::AccountRaw(const char* bytes, std::size_t size) {
  raw_bytes_read_ += static_cast<std::int64_t>(size);
  EVP_DigestUpdate(hash_->ctx, bytes, size);
}

std::string ByteSource::Sha256Hex() const {
  // Finalise a copy so that hashing can go on if more is read later.
  EVP_MD_CTX* copy = EVP_MD_CTX_new();
  EVP_MD_CTX_copy_ex(copy, hash_->ctx);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(copy, digest, &length);
  EVP_MD_CTX_free(copy);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

namespace {

class PlainSource : public ByteSource {
 public:
  PlainSource(int fd, bool owns_fd, std::int64_t raw_size, std::string sniffed)
      : ByteSource(fd, owns_fd, raw_size) {
    sniffed_ = std::move(sniffed);
  }
  std::size_t Read(char* buffer, std::size_t capacity) override {
    return ReadInput(buffer, capacity);
  }
};

class GzipSource : public ByteSource {
 public:
  GzipSource(int fd, bool owns_fd, std::int64_t raw_size, std::string sniffed)
      : ByteSource(fd, owns_fd, raw_size), in_(kRawChunkBytes) {
    sniffed_ = std::move(sniffed);
    std::memset(&stream_, 0, sizeof stream_);
    inflateInit2(&stream_, 15 + 32);  // +32: accept gzip and zlib headers
  }
  ~GzipSource() override { inflateEnd(&stream_); }

  std::size_t Read(char* buffer, std::size_t capacity) override {
    if (done_) return 0;
    stream_.next_out = reinterpret_cast<Bytef*>(buffer);
    stream_.avail_out = static_cast<uInt>(capacity);
    while (stream_.avail_out == capacity) {
      if (stream_.avail_in == 0 && !FillInput()) return Finish(capacity);
      int rc = inflate(&stream_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        in_member_ = false;
        // Concatenated gzip members are one stream (as gzip -d treats them).
        if (stream_.avail_in == 0 && !FillInput()) return Finish(capacity);
        inflateReset(&stream_);
        continue;
      }
      in_member_ = true;
      if (rc != Z_OK && rc != Z_BUF_ERROR) {
        error_ = std::string("corrupt gzip data: ") + (stream_.msg ? stream_.msg : "inflate failed");
        done_ = true;
        return capacity - stream_.avail_out;
      }
    }
    return capacity - stream_.avail_out;
  }

 private:
  bool FillInput() {
    std::size_t n = ReadInput(in_.data(), in_.size());
    stream_.next_in = reinterpret_cast<Bytef*>(in_.data());
    stream_.avail_in = static_cast<uInt>(n);
    return n > 0;
  }
  std::size_t Finish(std::size_t capacity) {
    done_ = true;
    if (in_member_ && error_.empty()) error_ = "truncated gzip stream (unexpected end of file)";
    return capacity - stream_.avail_out;
  }
  z_stream stream_;
  std::vector<char> in_;
  bool in_member_ = false;
  bool done_ = false;
};

class ZstdSource : public ByteSource {
 public:
  ZstdSource(int fd, bool owns_fd, std::int64_t raw_size, std::string sniffed)
      : ByteSource(fd, owns_fd, raw_size), dctx_(ZSTD_createDCtx()), in_(ZSTD_DStreamInSize()) {
    sniffed_ = std::move(sniffed);
  }
  ~ZstdSource() override { ZSTD_freeDCtx(dctx_); }

  std::size_t Read(char* buffer, std::size_t capacity) override {
    if (done_) return 0;
    ZSTD_outBuffer out{buffer, capacity, 0};
    while (out.pos == 0) {
      if (input_.pos == input_.size) {
        std::size_t n = ReadInput(in_.data(), in_.size());
        if (n == 0) {
          done_ = true;
          if (last_hint_ != 0 && error_.empty())
            error_ = "truncated zstd stream (unexpected end of file)";
          return out.pos;
        }
        input_ = ZSTD_inBuffer{in_.data(), n, 0};
      }
      std::size_t hint = ZSTD_decompressStream(dctx_, &out, &input_);
      if (ZSTD_isError(hint)) {
        error_ = std::string("corrupt zstd data: ") + ZSTD_getErrorName(hint);
        done_ = true;
        return out.pos;
      }
      last_hint_ = hint;
    }
    return out.pos;
  }

 private:
  ZSTD_DCtx* dctx_;
  std::vector<char> in_;
  std::string pending_;
  ZSTD_inBuffer input_{nullptr, 0, 0};
  std::size_t last_hint_ = 0;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<ByteSource> ByteSource::Open(const std::string& path) {
  int fd;
  bool owns = true;
  std::int64_t size = 0;
  if (path == "-") {
    fd = STDIN_FILENO;
    owns = false;
  } else {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw InputError("cannot open '" + path + "': " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) == 0) {
      if (S_ISDIR(st.st_mode)) {
        ::close(fd);
        throw InputError("'" + path + "' is a directory, not a file");
      }
      if (S_ISREG(st.st_mode)) size = st.st_size;
    }
#ifdef POSIX_FADV_SEQUENTIAL
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  }
  Compression compression = CompressionFromPath(path);
  if (path != "-") {
    switch (compression) {
      case Compression::kGzip: return std::make_unique<GzipSource>(fd, owns, size, "");
      case Compression::kZstd: return std::make_unique<ZstdSource>(fd, owns, size, "");
      case Compression::kNone: return std::make_unique<PlainSource>(fd, owns, size, "");
    }
  }
  // Standard input has no extension: sniff the magic bytes. They are read
  // here, then handed to the chosen source to serve first and to hash.
  std::string head(4, '\0');
  std::size_t got = 0;
  while (got < head.size()) {
    ssize_t n = ::read(fd, head.data() + got, head.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  head.resize(got);
  auto magic = [&](std::string_view m) {
    return head.size() >= m.size() && std::string_view(head).substr(0, m.size()) == m;
  };
  std::unique_ptr<ByteSource> source;
  if (magic("\x1f\x8b")) {
    source = std::make_unique<GzipSource>(fd, owns, size, head);
  } else if (magic("\x28\xb5\x2f\xfd")) {
    source = std::make_unique<ZstdSource>(fd, owns, size, head);
  } else {
    source = std::make_unique<PlainSource>(fd, owns, size, head);
  }
  source->AccountRaw(head.data(), head.size());
  return source;
}

LineReader::LineReader(ByteSource& source, std::size_t max_line_bytes)
    : source_(source),
      max_line_bytes_(max_line_bytes),
      // Not zero-filled: reading a small file touches only the pages it fills.
      buffer_size_(std::max<std::size_t>(max_line_bytes + 1, 4 << 20)),
      buffer_(new char[buffer_size_]) {}

bool LineReader::Refill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buffer_size_) return true;  // full: caller handles the long line
  std::size_t n = source_.Read(buffer_.get() + end_, buffer_size_ - end_);
  if (n == 0) {
    eof_ = true;
    return false;
  }
  end_ += n;
  return true;
}

bool LineReader::SkipRestOfLine() {
  while (true) {
    const void* newline = std::memchr(buffer_.get() + begin_, '\n', end_ - begin_);
    if (newline != nullptr) {
      begin_ = static_cast<const char*>(newline) - buffer_.get() + 1;
      return true;
    }
    begin_ = end_;
    if (!Refill()) return false;
  }
}

bool LineReader::DetachBuffered(std::vector<char>& pending) {
  pending.clear();
  if (skipping_) {
    skipping_ = false;
    if (!SkipRestOfLine()) return false;
  }
  pending.assign(buffer_.get() + begin_, buffer_.get() + end_);
  begin_ = end_;
  return !eof_;
}

bool LineReader::Next(Line& line) {
  if (skipping_) {
    // The previous line was too long: its tail is not returned.
    skipping_ = false;
    if (!SkipRestOfLine()) return false;
  }
  while (true) {
    const char* start = buffer_.get() + begin_;
    std::size_t available = end_ - begin_;
    const void* newline = std::memchr(start, '\n', std::min(available, max_line_bytes_ + 1));
    if (newline != nullptr) {
      std::size_t length = static_cast<const char*>(newline) - start;
      line = Line{std::string_view(start, length), ++line_number_, false};
      begin_ += length + 1;
      return true;
    }
    if (available > max_line_bytes_) {
      // Over-long line: return its head, then skip to the next newline.
      line = Line{std::string_view(start, max_line_bytes_), ++line_number_, true};
      begin_ += max_line_bytes_;
      skipping_ = true;
      return true;
    }
    if (!Refill()) {
      if (end_ > begin_) {  // last line without a trailing newline
        line = Line{std::string_view(buffer_.get() + begin_, end_ - begin_), ++line_number_, false};
        begin_ = end_;
        return true;
      }
      return false;
    }
  }
}

}  // namespace ringscope

namespace ringscope {

void LineBlock::Reserve(std::size_t bytes) {
  if (bytes <= capacity_) return;
  const std::size_t capacity = std::max(bytes, capacity_ + capacity_ / 2);
  std::unique_ptr<char[]> grown(new char[capacity + kLineBlockPadding]);
  if (size_ > 0) std::memcpy(grown.get(), data_.get(), size_);
  data_ = std::move(grown);
  capacity_ = capacity;
}

LineBlockReader::LineBlockReader(ByteSource& source, std::size_t max_line_bytes,
                                 std::size_t block_bytes, std::vector<char> pending,
                                 bool source_done)
    : source_(source),
      max_line_bytes_(max_line_bytes),
      block_bytes_(std::max<std::size_t>(block_bytes, 1)),
      carry_(std::move(pending)),
      eof_(source_done) {}

bool LineBlockReader::ReadMore(LineBlock& block, std::size_t bytes) {
  block.Reserve(block.size_ + bytes);
  const std::size_t n = source_.Read(block.mutable_data() + block.size_, bytes);
  block.size_ += n;
  return n > 0;
}

void LineBlockReader::CarryFrom(LineBlock& block, std::size_t from) {
  carry_.assign(block.data() + from, block.data() + block.size_);
  block.size_ = from;
}

void LineBlockReader::SkipRestOfLine() {
  constexpr std::size_t kChunk = 1 << 16;
  while (true) {
    carry_.resize(kChunk);
    const std::size_t n = source_.Read(carry_.data(), kChunk);
    if (n == 0) {
      eof_ = true;
      carry_.clear();
      return;
    }
    const char* newline = static_cast<const char*>(std::memchr(carry_.data(), '\n', n));
    if (newline != nullptr) {
      const std::size_t next = static_cast<std::size_t>(newline - carry_.data()) + 1;
      carry_.erase(carry_.begin(), carry_.begin() + static_cast<std::ptrdiff_t>(next));
      carry_.resize(n - next);
      return;
    }
  }
}

void LineBlockReader::SetLine(LineBlock& block, const Line& line, std::int64_t raw_bytes_read) {
  block.size_ = 0;
  block.Reserve(line.text.size() + 1);
  if (!line.text.empty()) std::memcpy(block.mutable_data(), line.text.data(), line.text.size());
  block.size_ = line.text.size();
  block.truncated_line_ = line.too_long;
  if (!line.too_long) block.mutable_data()[block.size_++] = '\n';
  std::memset(block.mutable_data() + block.size_, 0, kLineBlockPadding);
  block.raw_bytes_read_ = raw_bytes_read;
}

bool LineBlockReader::Next(LineBlock& block) {
  block.size_ = 0;
  block.truncated_line_ = false;
  block.Reserve(std::max(block_bytes_, carry_.size()));
  if (!carry_.empty()) std::memcpy(block.mutable_data(), carry_.data(), carry_.size());
  block.size_ = carry_.size();
  carry_.clear();
  while (true) {
    if (block.size_ > 0 && (block.size_ >= block_bytes_ || eof_)) {
      // Cut after the last newline of the first block_bytes bytes; a longer
      // first line ends at its own newline.
      const char* data = block.data();
      const std::size_t limit = std::min(block.size_, block_bytes_);
      const void* last = memrchr(data, '\n', limit);
      if (last == nullptr && block.size_ > limit)
        last = std::memchr(data + limit, '\n', block.size_ - limit);
      if (last != nullptr) {
        CarryFrom(block, static_cast<std::size_t>(static_cast<const char*>(last) - data) + 1);
        break;
      }
      if (eof_) break;  // the last line, without a newline
      if (block.size_ > max_line_bytes_) {
        // One line longer than allowed and not ended yet: keep its head only.
        block.size_ = max_line_bytes_;
        block.truncated_line_ = true;
        SkipRestOfLine();
        break;
      }
    }
    if (eof_) return false;  // nothing left
    if (!ReadMore(block, block_bytes_)) eof_ = true;
  }
  std::memset(block.mutable_data() + block.size_, 0, kLineBlockPadding);
  block.raw_bytes_read_ = source_.raw_bytes_read();
  return true;
}

}  // namespace ringscope
