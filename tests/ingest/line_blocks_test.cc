#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "ingest/input.h"
#include "test_util.h"

namespace ringscope {
namespace {

using testing::TempDir;

// Lines as LineReader returns them: the slow reference.
std::vector<std::string> ReferenceLines(const std::string& path, std::size_t max_line) {
  auto source = ByteSource::Open(path);
  LineReader reader(*source, max_line);
  std::vector<std::string> lines;
  Line line;
  while (reader.Next(line)) lines.push_back(std::string(line.text) + (line.too_long ? "<long>" : ""));
  return lines;
}

// Splits blocks into lines the way a request-log worker does.
void AppendBlockLines(const LineBlock& block, std::size_t max_line,
                      std::vector<std::string>& lines) {
  const std::string_view bytes(block.data(), block.size());
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    std::size_t end = bytes.find('\n', pos);
    if (end == std::string_view::npos) end = bytes.size();
    std::string_view text = bytes.substr(pos, end - pos);
    if (block.truncated_line() || text.size() > max_line) {
      lines.push_back(std::string(text.substr(0, max_line)) + "<long>");
    } else {
      lines.push_back(std::string(text));
    }
    pos = end + 1;
  }
}

std::vector<std::string> BlockLines(const std::string& path, std::size_t max_line,
                                    std::size_t block_bytes, std::size_t skip_first_lines = 0) {
  auto source = ByteSource::Open(path);
  std::vector<std::string> lines;
  std::vector<char> pending;
  bool more = true;
  if (skip_first_lines > 0) {
    // As ReadSource does: a LineReader takes the first line(s), then hands over.
    LineReader reader(*source, max_line);
    Line line;
    for (std::size_t i = 0; i < skip_first_lines && reader.Next(line); ++i) {
      LineBlock single;
      LineBlockReader::SetLine(single, line, 0);
      AppendBlockLines(single, max_line, lines);
    }
    more = reader.DetachBuffered(pending);
  }
  LineBlockReader blocks(*source, max_line, block_bytes, std::move(pending), !more);
  LineBlock block;
  while (blocks.Next(block)) {
    EXPECT_GT(block.size(), 0u);
    for (std::size_t i = 0; i < kLineBlockPadding; ++i) EXPECT_EQ(block.data()[block.size() + i], 0);
    AppendBlockLines(block, max_line, lines);
  }
  return lines;
}

std::string RandomText(std::mt19937_64& rng, std::size_t lines, std::size_t long_every) {
  std::string text;
  for (std::size_t i = 0; i < lines; ++i) {
    const std::size_t length = (long_every > 0 && rng() % long_every == 0) ? 50 + rng() % 400
                                                                           : rng() % 40;
    for (std::size_t j = 0; j < length; ++j) text += static_cast<char>('a' + rng() % 26);
    if (rng() % 10 == 0) text += '\r';
    text += '\n';
  }
  return text;
}

TEST(LineBlockReader, YieldsLineReadersLinesForAnyBlockSize) {
  TempDir dir;
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 30; ++trial) {
    std::string text = RandomText(rng, 200, 15);
    if (trial % 3 == 0 && !text.empty()) text.pop_back();  // no newline at the end
    if (trial % 7 == 0) text = "\n\n" + text + "\n\n";
    const std::string path = dir.Write("t" + std::to_string(trial) + ".txt", text);
    for (std::size_t max_line : {std::size_t{64}, std::size_t{100}, std::size_t{1} << 20}) {
      const auto expected = ReferenceLines(path, max_line);
      for (std::size_t block : {std::size_t{1}, std::size_t{7}, std::size_t{64},
                                std::size_t{1000}, std::size_t{1} << 20}) {
        EXPECT_EQ(BlockLines(path, max_line, block), expected)
            << "trial " << trial << " max_line " << max_line << " block " << block;
      }
      EXPECT_EQ(BlockLines(path, max_line, 50, 1), expected) << "after the first line";
      EXPECT_EQ(BlockLines(path, max_line, 50, 3), expected) << "after three lines";
    }
  }
}

TEST(LineBlockReader, CutsOverLongLinesAndSkipsTheirTailsAcrossReads) {
  TempDir dir;
  const std::string huge(3 << 20, 'h');  // longer than every buffer involved
  const std::string path = dir.Write("long.txt", "a\n" + huge + "\nb\n" + huge);
  for (std::size_t max_line : {std::size_t{64}, std::size_t{1} << 20}) {
    const auto expected = ReferenceLines(path, max_line);
    ASSERT_EQ(expected.size(), 4u);
    EXPECT_EQ(BlockLines(path, max_line, 1 << 16), expected);
    EXPECT_EQ(BlockLines(path, max_line, 1 << 20), expected);
    EXPECT_EQ(BlockLines(path, max_line, 1 << 16, 2), expected) << "first lines taken ahead";
  }
}

TEST(LineBlockReader, EmptyInputHasNoBlocks) {
  TempDir dir;
  auto source = ByteSource::Open(dir.Write("empty.txt", ""));
  LineBlockReader blocks(*source, 100, 1000);
  LineBlock block;
  EXPECT_FALSE(blocks.Next(block));
  EXPECT_FALSE(blocks.Next(block));
}

TEST(LineBlockReader, BlocksRecordTheRawBytesReadSoFar) {
  TempDir dir;
  std::mt19937_64 rng(5);
  const std::string text = RandomText(rng, 5000, 0);
  auto source = ByteSource::Open(dir.Write("p.txt", text));
  LineBlockReader blocks(*source, 1000, 4096);
  LineBlock block;
  std::int64_t previous = 0;
  std::size_t total = 0;
  while (blocks.Next(block)) {
    EXPECT_GE(block.raw_bytes_read(), previous);
    EXPECT_LE(block.size(), 4096u + 1000u);
    previous = block.raw_bytes_read();
    total += block.size();
  }
  EXPECT_EQ(total, text.size());
  EXPECT_EQ(previous, static_cast<std::int64_t>(text.size()));
}

}  // namespace
}  // namespace ringscope
