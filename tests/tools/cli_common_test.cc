#include "tools/cli_common.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <sstream>

namespace ringscope {
namespace {

TEST(WriteTable, JsonIsValidWithNumericColumns) {
  Table table{{"cluster", "size", "score", "count"}, {}, {false, true, true, true}};
  table.rows.push_back({"c_0001", "40", "0.90", "1,234"});
  table.rows.push_back({"c_\"2\"", "-3", "", "7"});
  std::ostringstream out;
  WriteTable(table, OutputFormat::kJson, out);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  std::string text = out.str();
  ASSERT_FALSE(parser.parse(text).get(doc)) << text;
  EXPECT_EQ(std::int64_t(doc.at(0)["size"]), 40);
  EXPECT_EQ(double(doc.at(0)["score"]), 0.9);
  EXPECT_EQ(std::string_view(doc.at(0)["count"]), "1,234");  // formatted: kept as text
  EXPECT_EQ(std::string_view(doc.at(1)["cluster"]), "c_\"2\"");
  EXPECT_EQ(std::string_view(doc.at(1)["score"]), "");
}

TEST(WriteTable, CsvQuotesAndTableAligns) {
  Table table{{"a", "n"}, {{"x,y", "1"}, {"z", "22"}}, {false, true}};
  std::ostringstream csv, aligned;
  WriteTable(table, OutputFormat::kCsv, csv);
  EXPECT_EQ(csv.str(), "a,n\n\"x,y\",1\nz,22\n");
  WriteTable(table, OutputFormat::kTable, aligned);
  EXPECT_EQ(aligned.str(), "a     n\n---  --\nx,y   1\nz    22\n");
}

TEST(JsonWriter, NestsAndEscapes) {
  std::ostringstream out;
  JsonWriter json(out);
  json.BeginObject().Key("a").BeginArray().Int(1).String("t\n\"").Null().EndArray();
  json.Key("b").Double(0.5).Key("c").Bool(true).EndObject();
  EXPECT_EQ(out.str(), R"({"a":[1,"t\n\"",null],"b":0.5,"c":true})");
}

TEST(Printable, ShowsControlBytesAndCutsOnlyWhenAsked) {
  const std::string row(200, 'x');
  EXPECT_EQ(Printable(row), row);  // no limit by default
  EXPECT_EQ(Printable("k\x1b[31m\n", 40), "k\\x1b[31m\\x0a");
  EXPECT_EQ(Printable("ab字", 3), "ab...");
}

TEST(FormatCount, GroupsThousands) {
  EXPECT_EQ(FormatCount(0), "0");
  EXPECT_EQ(FormatCount(1234567), "1,234,567");
  EXPECT_EQ(FormatCount(-1000), "-1,000");
}

}  // namespace
}  // namespace ringscope
