// Tests for ingest/text_util.h: text::Printable, which both error echoes
// (normalize.cc's quoted values) and the CLI's terminal output use.
#include "ingest/text_util.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace ringscope::text {
namespace {

using namespace std::string_literals;

TEST(Printable, LeavesPlainTextAndUtf8Alone) {
  EXPECT_EQ(Printable("user@example.org"), "user@example.org");
  EXPECT_EQ(Printable("a b~字😀"), "a b~字😀");
  EXPECT_EQ(Printable("abc", 3), "abc");  // exactly at the limit: no mark
}

TEST(Printable, EscapesControlBytesAndDel) {
  EXPECT_EQ(Printable("a\nb\tc\r"), "a\\x0ab\\x09c\\x0d");
  EXPECT_EQ(Printable("\x1b[2J"), "\\x1b[2J");
  EXPECT_EQ(Printable("x\x1fy"), "x\\x1fy");
  EXPECT_EQ(Printable("a\0b"s), "a\\x00b");
  EXPECT_EQ(Printable("del\x7f"), "del\\x7f");
  EXPECT_EQ(Printable(" "), " ");  // 0x20 is not a control byte
}

TEST(Printable, CutsBackToACharacterBoundary) {
  const std::string s = "ab字";  // 'a' 'b' E5 AD 97
  EXPECT_EQ(Printable(s, 2), "ab...");
  EXPECT_EQ(Printable(s, 3), "ab...");  // inside 字: back to its first byte
  EXPECT_EQ(Printable(s, 4), "ab...");
  EXPECT_EQ(Printable(s, 5), "ab字");
  EXPECT_EQ(Printable("😀x", 3), "...");  // inside a 4-byte character at the start
  EXPECT_EQ(Printable("😀x", 4), "😀...");
}

TEST(Printable, LimitsInputBytesNotEscapedOutput) {
  // Two bytes of input kept, each shown as four characters.
  EXPECT_EQ(Printable("\n\n\n", 2), "\\x0a\\x0a...");
  EXPECT_EQ(Printable("a\x7f" "bc", 2), "a\\x7f...");
}

TEST(Printable, PassesInvalidUtf8ThroughAndNeverCutsBeforeTheStart) {
  EXPECT_EQ(Printable("\xff\xfe"), "\xff\xfe");
  EXPECT_EQ(Printable("ab\xe5"), "ab\xe5");       // a character cut short by the input
  EXPECT_EQ(Printable("ab\xe5" "cd", 2), "ab...");  // a lead byte at the cut: cut there
  // Continuation bytes only: the cut walks back to byte 0, not below.
  EXPECT_EQ(Printable("\x80\x80\x80\x80", 2), "...");
}

TEST(Printable, HandlesEmptyInputAndLimitZero) {
  EXPECT_EQ(Printable(""), "");
  EXPECT_EQ(Printable("", 0), "");  // nothing to cut: no mark
  EXPECT_EQ(Printable("abc", 0), "...");
  EXPECT_EQ(Printable("\n", 0), "...");
}

}  // namespace
}  // namespace ringscope::text
