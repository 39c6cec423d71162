// The run's stored neighbour lists (run_neighbours, schema 5): what SaveRun
// writes, LoadRunNeighbours reads back exactly, only the newest run keeps
// them, and a damaged row is reported instead of misread.
#include "db/analysis.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "db/store.h"

namespace ringscope {
namespace {

class RunNeighbours : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"a", "b", "c", "d"}) {
      Statement insert(db(), "INSERT INTO accounts (name) VALUES (?)");
      insert.Bind(1, std::string(name)).Run();
      data_.accounts.push_back({.id = db().LastInsertRowId(), .name = name});
    }
  }
  Database& db() { return store_.db(); }

  // a: b (2.5), c (0.125); b: a (2.5); c: a (0.125); d: no link. Degrees:
  // a 2.625, b 2.5, c 0.125.
  RunToSave Lists() const {
    RunToSave run;
    run.algorithm = "leiden";
    run.neighbour_offsets = {0, 2, 3, 4, 4};
    run.neighbours = {{1, 2.5F, 2.5F}, {2, 0.125F, 0.125F}, {0, 2.5F, 2.625F}, {0, 0.125F, 2.625F}};
    return run;
  }

  Store store_ = Store::Open(":memory:");
  AnalysisData data_;
};

TEST_F(RunNeighbours, SavedListsReadBackInOrderWithTheirWeights) {
  const std::int64_t run = SaveRun(db(), data_, Lists());
  EXPECT_TRUE(RunHasNeighbours(db(), run));
  const std::vector<StoredNeighbour> a = LoadRunNeighbours(db(), run, data_.accounts[0].id);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].account_id, data_.accounts[1].id);
  EXPECT_EQ(a[0].weight, 2.5);
  EXPECT_EQ(a[0].degree, 2.5);
  EXPECT_EQ(a[1].account_id, data_.accounts[2].id);
  EXPECT_EQ(a[1].weight, 0.125);
  EXPECT_EQ(a[1].degree, 0.125);
  const std::vector<StoredNeighbour> c = LoadRunNeighbours(db(), run, data_.accounts[2].id);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].account_id, data_.accounts[0].id);
  EXPECT_EQ(c[0].degree, 2.625);
  EXPECT_TRUE(LoadRunNeighbours(db(), run, data_.accounts[3].id).empty());  // no link, no row
  EXPECT_TRUE(LoadRunNeighbours(db(), run, 999).empty());                   // no such account
  EXPECT_TRUE(LoadRunNeighbours(db(), run + 1, data_.accounts[0].id).empty());
}

TEST_F(RunNeighbours, OnlyTheNewestRunKeepsItsLists) {
  const std::int64_t first = SaveRun(db(), data_, Lists());
  RunToSave without = Lists();
  without.neighbour_offsets.clear();
  without.neighbours.clear();
  const std::int64_t second = SaveRun(db(), data_, without);
  EXPECT_FALSE(RunHasNeighbours(db(), first));  // replaced even by a run that stores none
  EXPECT_FALSE(RunHasNeighbours(db(), second));
  const std::int64_t third = SaveRun(db(), data_, Lists());
  EXPECT_TRUE(RunHasNeighbours(db(), third));
  Statement rows(db(), "SELECT count(*), min(run_id) FROM run_neighbours");
  ASSERT_TRUE(rows.Step());
  EXPECT_EQ(rows.ColumnInt64(0), 3);
  EXPECT_EQ(rows.ColumnInt64(1), third);
}

TEST_F(RunNeighbours, ListsThatDoNotMatchTheAccountsAreRefusedAndNothingIsSaved) {
  RunToSave short_offsets = Lists();
  short_offsets.neighbour_offsets.pop_back();
  EXPECT_THROW(SaveRun(db(), data_, short_offsets), std::invalid_argument);
  RunToSave missing_entries = Lists();
  missing_entries.neighbours.pop_back();
  EXPECT_THROW(SaveRun(db(), data_, missing_entries), std::invalid_argument);
  Statement runs(db(), "SELECT count(*) FROM runs");
  ASSERT_TRUE(runs.Step());
  EXPECT_EQ(runs.ColumnInt64(0), 0);  // the transaction was rolled back
}

TEST_F(RunNeighbours, ADamagedRowIsReportedNotMisread) {
  const std::int64_t run = SaveRun(db(), data_, Lists());
  Statement damage(db(),
                   "UPDATE run_neighbours SET neighbours = substr(neighbours, 1, 17) "
                   "WHERE account_id = ?");
  damage.Bind(1, data_.accounts[0].id).Run();
  try {
    LoadRunNeighbours(db(), run, data_.accounts[0].id);
    FAIL() << "read a 17-byte list";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("not a multiple of 16"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ringscope
