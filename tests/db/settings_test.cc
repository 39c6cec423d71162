#include "db/settings.h"

#include <gtest/gtest.h>

#include <array>
#include <algorithm>
#include <cstddef>

#include "db/store.h"
#include "test_util.h"

namespace ringscope {
namespace {

using testing::TempDir;  // tests/test_util.h

TEST(Settings, UnsetKeyReadsAsNothingAndWriteReplaces) {
  TempDir dir;
  Store store = Store::Open(dir.File("s.db"));
  EXPECT_FALSE(ReadSetting(store.db(), "prompt_sketch").has_value());
  WriteSetting(store.db(), "prompt_sketch", "{\"k\":64}");
  WriteSetting(store.db(), "prompt_sketch", "{\"k\":128}");
  EXPECT_EQ(ReadSetting(store.db(), "prompt_sketch"), "{\"k\":128}");
}

TEST(Settings, FirstBinderWinsAndSurvivesReopening) {
  TempDir dir;
  const std::string path = dir.File("s.db");
  {
    Store store = Store::Open(path);
    EXPECT_EQ(BindSetting(store.db(), "pii", "key-a"), "key-a");
    EXPECT_EQ(BindSetting(store.db(), "pii", "key-b"), "key-a");
  }
  Store reopened = Store::Open(path);
  EXPECT_EQ(ReadSetting(reopened.db(), "pii"), "key-a");
}

TEST(Statement, BlobsRoundTripIncludingEmptyAndZeroBytes) {
  TempDir dir;
  Store store = Store::Open(dir.File("b.db"));
  Database& db = store.db();
  db.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB)");
  const std::array<std::byte, 4> bytes{std::byte{0}, std::byte{0xFF}, std::byte{0}, std::byte{7}};
  Statement insert(db, "INSERT INTO t (id, b) VALUES (?1, ?2)");
  insert.Bind(1, 1).BindBlob(2, bytes).Run();
  insert.Reset();
  insert.Bind(1, 2).BindBlob(2, {}).Run();
  Statement read(db, "SELECT b, typeof(b) FROM t ORDER BY id");
  ASSERT_TRUE(read.Step());
  ASSERT_EQ(read.ColumnBlob(0).size(), bytes.size());
  EXPECT_TRUE(std::equal(bytes.begin(), bytes.end(), read.ColumnBlob(0).begin()));
  ASSERT_TRUE(read.Step());
  EXPECT_TRUE(read.ColumnBlob(0).empty());
  EXPECT_EQ(read.ColumnText(1), "blob");
}

}  // namespace
}  // namespace ringscope
