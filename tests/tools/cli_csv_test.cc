// Tests for tools/cli_csv.h: the formula rule of every exported CSV cell and
// its inverse.
#include "tools/cli_csv.h"

#include <gtest/gtest.h>

#include <sstream>

#include "ingest/csv.h"

namespace ringscope {
namespace {

TEST(SafeCsvCell, PrefixesFormulaStartsAndApostrophesButNotNumbers) {
  EXPECT_EQ(SafeCsvCell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
  EXPECT_EQ(SafeCsvCell("+acct"), "'+acct");
  EXPECT_EQ(SafeCsvCell("-cmd"), "'-cmd");
  EXPECT_EQ(SafeCsvCell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(SafeCsvCell("\tx"), "'\tx");
  EXPECT_EQ(SafeCsvCell("\rx"), "'\rx");
  EXPECT_EQ(SafeCsvCell("'quoted"), "''quoted");
  EXPECT_EQ(SafeCsvCell("-1.5"), "-1.5");
  EXPECT_EQ(SafeCsvCell("+15551234567"), "+15551234567");
  EXPECT_EQ(SafeCsvCell("acct_1"), "acct_1");
  EXPECT_EQ(SafeCsvCell(""), "");
}

TEST(SafeCsvCell, IsUndoneByRecoverCsvCell) {
  for (std::string_view v : {"=1+2", "+a", "-a", "@a", "'a", "''a", "\ta", "-1", "a'", "", "x"})
    EXPECT_EQ(RecoverCsvCell(SafeCsvCell(v)), v) << v;
}

TEST(WriteSafeCsvRow, QuotesNeutralisedCellsSoTheParserGivesThemBack) {
  const std::vector<std::string> row = {"=cmd|' /C calc'!A0", "a,\"b\"\nc", "'x", "-2"};
  std::ostringstream out;
  WriteSafeCsvRow(row, out);
  CsvRecordParser parser;
  std::string text = out.str();
  text.pop_back();  // the final '\n'
  const std::size_t newline = text.find('\n');
  ASSERT_EQ(parser.Feed(text.substr(0, newline), 1), CsvRecordParser::Status::kNeedMore);
  ASSERT_EQ(parser.Feed(text.substr(newline + 1), 2), CsvRecordParser::Status::kRecord);
  ASSERT_EQ(parser.fields().size(), row.size());
  EXPECT_EQ(parser.fields()[0], "'=cmd|' /C calc'!A0");
  for (std::size_t i = 0; i < row.size(); ++i)
    EXPECT_EQ(RecoverCsvCell(parser.fields()[i]), row[i]);
}

}  // namespace
}  // namespace ringscope
