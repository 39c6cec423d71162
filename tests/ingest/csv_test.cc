#include "ingest/csv.h"

#include <gtest/gtest.h>

#include <sstream>

namespace ringscope {
namespace {

using Status = CsvRecordParser::Status;

TEST(CsvRecordParser, SplitsPlainFields) {
  CsvRecordParser parser;
  ASSERT_EQ(parser.Feed("a,b,,c", 1), Status::kRecord);
  EXPECT_EQ(parser.fields(), (std::vector<std::string>{"a", "b", "", "c"}));
  EXPECT_EQ(parser.record_line(), 1);
}

TEST(CsvRecordParser, HandlesQuotesAndDoubledQuotes) {
  CsvRecordParser parser;
  ASSERT_EQ(parser.Feed(R"(x,"a, ""b""",y)", 3), Status::kRecord);
  EXPECT_EQ(parser.fields(), (std::vector<std::string>{"x", "a, \"b\"", "y"}));
}

TEST(CsvRecordParser, JoinsQuotedNewlinesAndReportsStartLine) {
  CsvRecordParser parser;
  EXPECT_EQ(parser.Feed(R"(acct,"line one)", 7), Status::kNeedMore);
  ASSERT_EQ(parser.Feed(R"(line two",z)", 8), Status::kRecord);
  EXPECT_EQ(parser.fields(), (std::vector<std::string>{"acct", "line one\nline two", "z"}));
  EXPECT_EQ(parser.record_line(), 7);
}

TEST(CsvRecordParser, StripsCarriageReturnOfCrlfFiles) {
  CsvRecordParser parser;
  ASSERT_EQ(parser.Feed("a,b\r", 1), Status::kRecord);
  EXPECT_EQ(parser.fields(), (std::vector<std::string>{"a", "b"}));
}

TEST(CsvRecordParser, RejectsGarbageAfterClosingQuote) {
  CsvRecordParser parser;
  EXPECT_EQ(parser.Feed(R"("a"b,c)", 1), Status::kError);
  EXPECT_NE(parser.error().find("closing quote"), std::string::npos);
  // The parser recovers for the next record.
  EXPECT_EQ(parser.Feed("d,e", 2), Status::kRecord);
}

TEST(CsvRecordParser, RejectsQuoteInsideUnquotedField) {
  CsvRecordParser parser;
  EXPECT_EQ(parser.Feed(R"(ab"c,d)", 1), Status::kError);
}

TEST(CsvRecordParser, UnterminatedQuoteIsAnErrorAtEnd) {
  CsvRecordParser parser;
  EXPECT_EQ(parser.Feed(R"(a,"never closed)", 1), Status::kNeedMore);
  EXPECT_EQ(parser.Finish(), Status::kError);
  EXPECT_EQ(parser.record_line(), 1);
}

TEST(CsvQuote, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvQuote("plain"), "plain");
  EXPECT_EQ(CsvQuote("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvQuote("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvQuote("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvQuote(" padded"), "\" padded\"");
}

TEST(CsvQuote, RoundTripsThroughTheParser) {
  std::vector<std::string> fields = {"a,b", "\"q\"", "", "x y", "multi\nline"};
  std::ostringstream out;
  WriteCsvRow(fields, out);
  std::string text = out.str();
  text.pop_back();  // the final '\n'
  CsvRecordParser parser;
  std::istringstream in(text);
  std::string line;
  Status status = Status::kNeedMore;
  for (int n = 1; std::getline(in, line); ++n) status = parser.Feed(line, n);
  ASSERT_EQ(status, Status::kRecord);
  EXPECT_EQ(parser.fields(), fields);
}

TEST(NeutralizeFormula, PrefixesFormulaStartsButNotNumbers) {
  EXPECT_EQ(NeutralizeFormula("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
  EXPECT_EQ(NeutralizeFormula("+1+1"), "'+1+1");
  EXPECT_EQ(NeutralizeFormula("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(NeutralizeFormula("-cmd"), "'-cmd");
  EXPECT_EQ(NeutralizeFormula("-1.5"), "-1.5");
  EXPECT_EQ(NeutralizeFormula("+15551234567"), "+15551234567");
  EXPECT_EQ(NeutralizeFormula("acct_1"), "acct_1");
  EXPECT_EQ(NeutralizeFormula(""), "");
}

}  // namespace
}  // namespace ringscope
