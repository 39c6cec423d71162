#include "ingest/prompt_sketch.h"

#include <gtest/gtest.h>

#include <string>

#include "ingest/ingest.h"

namespace ringscope {
namespace {

TEST(PromptSketchSetting, WritesEveryFieldAndReadsItBack) {
  EXPECT_EQ(PromptSketchSettingJson(MinHashOptions{}),
            R"({"num_hashes":64,"shingles":"characters","shingle_size":7,"seed":0})");
  const MinHashOptions words{.num_hashes = 128,
                             .shingles = ShingleKind::kWords,
                             .shingle_size = 2,
                             .seed = 18446744073709551615ull};
  const MinHashOptions back = ParsePromptSketchSetting(PromptSketchSettingJson(words));
  EXPECT_EQ(back.num_hashes, 128);
  EXPECT_EQ(back.shingles, ShingleKind::kWords);
  EXPECT_EQ(back.shingle_size, 2);
  EXPECT_EQ(back.seed, 18446744073709551615ull);
  // Field order and spacing are free.
  const MinHashOptions spaced = ParsePromptSketchSetting(
      R"( { "seed" : 5, "shingle_size": 4, "shingles": "characters", "num_hashes": 32 } )");
  EXPECT_EQ(spaced.num_hashes, 32);
  EXPECT_EQ(spaced.shingle_size, 4);
  EXPECT_EQ(spaced.seed, 5u);
}

TEST(PromptSketchSetting, RefusesAnythingItCannotReadExactly) {
  const char* bad[] = {
      "",
      "not json",
      "[64]",
      R"({"num_hashes":64,"shingles":"characters","shingle_size":7})",             // no seed
      R"({"num_hashes":64,"shingles":"bytes","shingle_size":7,"seed":0})",         // kind
      R"({"num_hashes":63,"shingles":"characters","shingle_size":7,"seed":0})",    // not 2^n
      R"({"num_hashes":64,"shingles":"characters","shingle_size":9,"seed":0})",    // range
      R"({"num_hashes":"64","shingles":"characters","shingle_size":7,"seed":0})",  // type
      R"({"num_hashes":64,"shingles":"characters","shingle_size":7,"seed":-1})",   // sign
      R"({"num_hashes":64,"shingles":"characters","shingle_size":7,"seed":0,"k":1})",
      R"({"num_hashes":64,"shingles":"characters","shingle_size":7,"seed":0} x)",
      R"({"num_hashes":99999999999,"shingles":"characters","shingle_size":7,"seed":0})",
  };
  for (const char* json : bad) {
    SCOPED_TRACE(json);
    try {
      ParsePromptSketchSetting(json);
      ADD_FAILURE() << "expected FormatError";
    } catch (const FormatError& e) {
      EXPECT_NE(std::string(e.what()).find("prompt_sketch"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("unreadable"), std::string::npos) << e.what();
    }
  }
}

TEST(PromptSketchBlob, IsLittleEndianSixteenBitValues) {
  const std::vector<SketchValue> sketch = {0x0102, 0xFFFF, 0x0000, 0xA0B0};
  const std::vector<std::uint8_t> blob = SketchBlob(sketch);
  EXPECT_EQ(blob, (std::vector<std::uint8_t>{0x02, 0x01, 0xFF, 0xFF, 0x00, 0x00, 0xB0, 0xA0}));
  EXPECT_EQ(SketchFromBlob(blob), sketch);
  const std::vector<std::uint8_t> odd = {1, 2, 3};
  EXPECT_THROW(SketchFromBlob(odd), FormatError);
}

}  // namespace
}  // namespace ringscope
