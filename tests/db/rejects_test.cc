// Tests for db/rejects.h: filters by source id or path and by reason (LIKE
// wildcards taken literally), ordering, and the truncation mark.
#include "db/rejects.h"

#include <gtest/gtest.h>

#include "db/store.h"
#include "test_util.h"

namespace ringscope {
namespace {

using testing::TempDir;

SourceBatch BatchWith(const std::string& path, const std::string& sha,
                      std::vector<RejectRecord> rejects) {
  SourceBatch batch;
  batch.source.path = path;
  batch.source.sha256 = sha;
  batch.source.format = InputFormat::kRequestLog;
  batch.source.rows_read = batch.source.rows_rejected = static_cast<std::int64_t>(rejects.size());
  batch.rejects = std::move(rejects);
  return batch;
}

class Rejects : public ::testing::Test {
 protected:
  void SetUp() override {
    store_.CommitSource(
        BatchWith("a.jsonl", std::string(64, 'a'),
                  {{.line = 9, .field = "ip", .reason = "unparsable IP", .raw = "r9"},
                   {.line = 2, .field = "", .reason = "100% bad_json", .raw = "r2"}}));
    store_.CommitSource(BatchWith("b.jsonl", std::string(64, 'b'),
                                  {{.line = 1, .field = "ts", .reason = "bad timestamp",
                                    .raw = std::string(kMaxRejectRawBytes, 'x')}}));
  }
  TempDir dir_;
  Store store_ = Store::Open(dir_.File("r.db"));
};

TEST_F(Rejects, FiltersBySourceIdOrPathAndOrdersByLine) {
  std::vector<RejectRow> all = LoadRejects(store_.db(), {});
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].line, 2);
  EXPECT_EQ(all[1].line, 9);
  EXPECT_EQ(all[2].source_id, 2);
  EXPECT_EQ(LoadRejects(store_.db(), {.source = "a.jsonl", .reason = ""}).size(), 2u);
  EXPECT_EQ(LoadRejects(store_.db(), {.source = "#2", .reason = ""}).size(), 1u);
  EXPECT_EQ(LoadRejects(store_.db(), {.source = "2", .reason = ""}).size(), 1u);
  EXPECT_EQ(LoadRejects(store_.db(), {.source = "c.jsonl", .reason = ""}).size(), 0u);
  EXPECT_EQ(FindRejectSources(store_.db(), {.source = "b.jsonl", .reason = ""}).at(0).id, 2);
  EXPECT_EQ(FindRejectSources(store_.db(), {}).size(), 2u);
}

TEST_F(Rejects, ReasonMatchesTextAndFieldWithWildcardsLiteral) {
  EXPECT_EQ(LoadRejects(store_.db(), {.source = "", .reason = "IP"}).size(), 1u);
  EXPECT_EQ(LoadRejects(store_.db(), {.source = "", .reason = "ts"}).size(), 1u);  // the field
  EXPECT_EQ(LoadRejects(store_.db(), {.source = "", .reason = "100%"}).size(), 1u);
  EXPECT_EQ(LoadRejects(store_.db(), {.source = "", .reason = "0% bad_j"}).size(), 1u);
  EXPECT_EQ(LoadRejects(store_.db(), {.source = "", .reason = "1_0"}).size(), 0u);
  EXPECT_EQ(LoadRejects(store_.db(), {.source = "", .reason = "'; DROP TABLE rejects; --"}).size(),
            0u);
  EXPECT_EQ(LoadRejects(store_.db(), {}).size(), 3u);
}

TEST_F(Rejects, MarksRowsThatMayHaveBeenCut) {
  std::vector<RejectRow> rows = LoadRejects(store_.db(), {});
  EXPECT_FALSE(rows[0].truncated);
  EXPECT_TRUE(rows[2].truncated);
  EXPECT_FALSE(RawMayBeTruncated(std::string(kMaxRejectRawBytes - 4, 'x')));
  EXPECT_TRUE(RawMayBeTruncated(std::string(kMaxRejectRawBytes - 3, 'x')));
}

}  // namespace
}  // namespace ringscope
