#include "ingest/input.h"

#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

#include "test_util.h"

namespace ringscope {
namespace {

using testing::TempDir;

std::string Gzip(const std::string& text) {
  z_stream stream{};
  deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);  // +16: gzip wrapper
  std::string out(deflateBound(&stream, text.size()) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

std::string Zstd(const std::string& text) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 3));
  return out;
}

std::vector<std::string> ReadLines(const std::string& path, std::size_t max_line = 1 << 20,
                                   std::string* error = nullptr) {
  auto source = ByteSource::Open(path);
  LineReader reader(*source, max_line);
  std::vector<std::string> lines;
  Line line;
  while (reader.Next(line)) {
    lines.push_back(std::string(line.text) + (line.too_long ? "<too long>" : ""));
    EXPECT_EQ(line.number, static_cast<std::int64_t>(lines.size()));
  }
  if (error) *error = source->error();
  return lines;
}

TEST(ByteSource, HashesRawBytesWithSha256) {
  TempDir dir;
  auto source = ByteSource::Open(dir.Write("abc.txt", "abc"));
  char buffer[16];
  while (source->Read(buffer, sizeof buffer) > 0) {
  }
  EXPECT_EQ(source->Sha256Hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(source->raw_bytes_read(), 3);
  EXPECT_EQ(source->raw_size(), 3);
}

TEST(ByteSource, MissingFileThrowsInputErrorNamingThePath) {
  try {
    ByteSource::Open("/nonexistent/ringscope.jsonl");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/ringscope.jsonl"), std::string::npos);
  }
}

TEST(ByteSource, DirectoryIsRefused) {
  TempDir dir;
  EXPECT_THROW(ByteSource::Open(dir.path().string()), InputError);
}

TEST(LineReader, SplitsLinesAndKeepsALastLineWithoutNewline) {
  TempDir dir;
  auto lines = ReadLines(dir.Write("a.txt", "one\ntwo\r\n\nthree"));
  EXPECT_EQ(lines, (std::vector<std::string>{"one", "two\r", "", "three"}));
}

TEST(LineReader, EmptyFileHasNoLines) {
  TempDir dir;
  EXPECT_TRUE(ReadLines(dir.Write("empty.txt", "")).empty());
}

TEST(LineReader, TruncatesOverLongLinesAndGoesOn) {
  TempDir dir;
  std::string long_line(5000, 'x');
  auto lines = ReadLines(dir.Write("long.txt", "short\n" + long_line + "\nafter\n"), 100);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1], std::string(100, 'x') + "<too long>");
  EXPECT_EQ(lines[2], "after");
}

TEST(LineReader, HandlesLinesSpanningManyBuffers) {
  TempDir dir;
  std::string content;
  for (int i = 0; i < 200000; ++i) content += "line number " + std::to_string(i) + "\n";
  auto lines = ReadLines(dir.Write("many.txt", content));
  ASSERT_EQ(lines.size(), 200000u);
  EXPECT_EQ(lines.back(), "line number 199999");
}

TEST(ByteSource, ReadsGzipIncludingConcatenatedMembers) {
  TempDir dir;
  std::string path = dir.Write("a.jsonl.gz", Gzip("one\ntwo\n") + Gzip("three\n"));
  std::string error;
  EXPECT_EQ(ReadLines(path, 1 << 20, &error), (std::vector<std::string>{"one", "two", "three"}));
  EXPECT_EQ(error, "");
}

TEST(ByteSource, TruncatedGzipKeepsWhatWasReadAndSaysSo) {
  TempDir dir;
  std::string content;
  for (int i = 0; i < 5000; ++i) content += "{\"account\":\"a" + std::to_string(i) + "\"}\n";
  std::string gz = Gzip(content);
  std::string path = dir.Write("t.jsonl.gz", gz.substr(0, gz.size() / 2));
  std::string error;
  auto lines = ReadLines(path, 1 << 20, &error);
  EXPECT_GT(lines.size(), 0u);
  EXPECT_LT(lines.size(), 5001u);
  EXPECT_NE(error.find("truncated gzip"), std::string::npos) << error;
}

TEST(ByteSource, CorruptGzipIsReportedNotThrown) {
  TempDir dir;
  std::string gz = Gzip(std::string(10000, 'a'));
  for (std::size_t i = 20; i < gz.size() - 8; i += 7) gz[i] = static_cast<char>(gz[i] ^ 0x5a);
  std::string error;
  ReadLines(dir.Write("c.gz", gz), 1 << 20, &error);
  EXPECT_FALSE(error.empty());
}

TEST(ByteSource, ReadsZstd) {
  TempDir dir;
  std::string error;
  EXPECT_EQ(ReadLines(dir.Write("a.zst", Zstd("x\ny\n")), 1 << 20, &error),
            (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(error, "");
}

TEST(ByteSource, TruncatedZstdIsReported) {
  TempDir dir;
  std::string content;
  for (int i = 0; i < 5000; ++i) content += "row " + std::to_string(i * 7919) + "\n";
  std::string zst = Zstd(content);
  std::string error;
  ReadLines(dir.Write("t.zst", zst.substr(0, zst.size() - 10)), 1 << 20, &error);
  EXPECT_NE(error.find("truncated zstd"), std::string::npos) << error;
}

TEST(Compression, RecognisedByExtension) {
  EXPECT_EQ(CompressionFromPath("a.jsonl.gz"), Compression::kGzip);
  EXPECT_EQ(CompressionFromPath("a.csv.zst"), Compression::kZstd);
  EXPECT_EQ(CompressionFromPath("a.csv"), Compression::kNone);
  EXPECT_EQ(StripCompressionExtension("logs/a.jsonl.zst"), "logs/a.jsonl");
}

}  // namespace
}  // namespace ringscope
