#include "tools/gen/output.h"

#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace ringscope::gen {

namespace {

std::runtime_error IoError(const std::string& what, const std::string& path, int err) {
  return std::runtime_error(what + " " + path + ": " + std::strerror(err));
}

}  // namespace

OutputFile::OutputFile(std::string path, bool zstd, int zstd_level) : path_(std::move(path)) {
  file_ = std::fopen(path_.c_str(), "wb");
  if (file_ == nullptr) throw IoError("cannot create", path_, errno);
  std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
  if (zstd) {
    ZSTD_CCtx* cctx = ZSTD_createCCtx();
    if (cctx == nullptr) throw std::runtime_error("zstd: cannot create a compression context");
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, zstd_level);
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
    zstd_ = cctx;
    zbuf_.resize(ZSTD_CStreamOutSize());
  }
}

OutputFile::~OutputFile() {
  if (zstd_ != nullptr) ZSTD_freeCCtx(static_cast<ZSTD_CCtx*>(zstd_));
  if (file_ != nullptr) std::fclose(file_);
}

void OutputFile::WriteRaw(const char* data, std::size_t size) {
  if (size == 0) return;
  if (std::fwrite(data, 1, size, file_) != size) throw IoError("cannot write", path_, errno);
  disk_bytes_ += static_cast<std::int64_t>(size);
}

void OutputFile::Write(std::string_view data) {
  if (file_ == nullptr) throw std::logic_error("write to closed file " + path_);
  if (zstd_ == nullptr) {
    WriteRaw(data.data(), data.size());
    return;
  }
  auto* cctx = static_cast<ZSTD_CCtx*>(zstd_);
  ZSTD_inBuffer in{data.data(), data.size(), 0};
  while (in.pos < in.size) {
    ZSTD_outBuffer out{zbuf_.data(), zbuf_.size(), 0};
    std::size_t rc = ZSTD_compressStream2(cctx, &out, &in, ZSTD_e_continue);
    if (ZSTD_isError(rc)) throw std::runtime_error("zstd: " + std::string(ZSTD_getErrorName(rc)));
    WriteRaw(zbuf_.data(), out.pos);
  }
}

void OutputFile::Close() {
  if (file_ == nullptr) return;
  if (zstd_ != nullptr) {
    auto* cctx = static_cast<ZSTD_CCtx*>(zstd_);
    ZSTD_inBuffer in{nullptr, 0, 0};
    std::size_t remaining;
    do {
      ZSTD_outBuffer out{zbuf_.data(), zbuf_.size(), 0};
      remaining = ZSTD_compressStream2(cctx, &out, &in, ZSTD_e_end);
      if (ZSTD_isError(remaining))
        throw std::runtime_error("zstd: " + std::string(ZSTD_getErrorName(remaining)));
      WriteRaw(zbuf_.data(), out.pos);
    } while (remaining != 0);
  }
  std::FILE* f = file_;
  file_ = nullptr;
  if (std::fflush(f) != 0) {
    int err = errno;
    std::fclose(f);
    throw IoError("cannot write", path_, err);
  }
  if (std::fclose(f) != 0) throw IoError("cannot close", path_, errno);
}

BackgroundWriter::BackgroundWriter(OutputFile& file) : file_(file), thread_([this] { Run(); }) {}

BackgroundWriter::~BackgroundWriter() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void BackgroundWriter::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    changed_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
    if (pending_.empty()) return;  // stopping, and everything is written
    std::string buffer = std::move(pending_.front());
    pending_.pop_front();
    busy_ = true;
    lock.unlock();
    std::exception_ptr error;
    try {
      file_.Write(buffer);
    } catch (...) {
      error = std::current_exception();
    }
    buffer.clear();
    lock.lock();
    busy_ = false;
    if (error && !error_) error_ = error;
    if (error_) pending_.clear();  // nothing after a failed write
    spare_.push_back(std::move(buffer));
    changed_.notify_all();
  }
}

std::string BackgroundWriter::Submit(std::string buffer) {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return pending_.size() < kDepth || error_; });
  if (error_) std::rethrow_exception(error_);
  pending_.push_back(std::move(buffer));
  std::string empty;
  if (!spare_.empty()) {
    empty = std::move(spare_.back());
    spare_.pop_back();
  }
  lock.unlock();
  changed_.notify_all();
  return empty;
}

void BackgroundWriter::Finish() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return (pending_.empty() && !busy_) || error_; });
  if (error_) std::rethrow_exception(error_);
}

}  // namespace ringscope::gen
