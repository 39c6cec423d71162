#include "db/store.h"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "db/migrations.h"
#include "test_util.h"

namespace ringscope {
namespace {

using testing::TempDir;  // tests/test_util.h

// ------------------------------------------------------------ batch helpers

SourceBatch NewBatch(const std::string& sha256, InputFormat format = InputFormat::kRequestLog) {
  SourceBatch batch;
  batch.source.path = "/logs/" + sha256 + ".jsonl";
  batch.source.size = 1000;
  batch.source.sha256 = sha256;
  batch.source.format = format;
  batch.source.started_at = 1700000000;
  batch.source.finished_at = 1700000005;
  return batch;
}

std::uint32_t AddAccount(SourceBatch& batch, const std::string& name, std::int64_t requests = 0,
                         Timestamp first = kNoTimestamp, Timestamp last = kNoTimestamp) {
  AccountAggregate account;
  account.name = name;
  account.requests = requests;
  account.first_ts = first;
  account.last_ts = last;
  batch.accounts.push_back(std::move(account));
  return static_cast<std::uint32_t>(batch.accounts.size() - 1);
}

std::uint32_t AddValue(SourceBatch& batch, const std::string& kind, const std::string& value) {
  batch.values.push_back({.kind = kind, .value = value});
  return static_cast<std::uint32_t>(batch.values.size() - 1);
}

void Observe(SourceBatch& batch, std::uint32_t account, std::uint32_t value, std::int64_t count,
             Timestamp first = kNoTimestamp, Timestamp last = kNoTimestamp) {
  batch.observations.push_back(
      {.account = account, .value = value, .count = count, .first_ts = first, .last_ts = last});
}

RejectRecord Reject(std::int64_t line, std::string field, std::string reason,
                    std::string raw = "") {
  return {
      .line = line, .field = std::move(field), .reason = std::move(reason), .raw = std::move(raw)};
}

ListEntry AccountEntry(std::string list, std::string account, std::string note = "") {
  return {.list = std::move(list),
          .account = std::move(account),
          .kind = "",
          .value = "",
          .note = std::move(note)};
}

ListEntry ValueEntry(std::string list, std::string kind, std::string value) {
  return {.list = std::move(list),
          .account = "",
          .kind = std::move(kind),
          .value = std::move(value),
          .note = ""};
}

// Sets the row counters so that read = ingested + rejected.
void SetRows(SourceBatch& batch, std::int64_t ingested) {
  batch.source.rows_ingested = ingested;
  batch.source.rows_rejected = static_cast<std::int64_t>(batch.rejects.size());
  batch.source.rows_read = ingested + batch.source.rows_rejected;
}

// ------------------------------------------------------------ query helpers

std::int64_t QueryInt(Store& store, const std::string& sql, const std::string& arg = {}) {
  Statement statement(store.db(), sql);
  if (sql.find("?1") != std::string::npos) statement.Bind(1, arg);
  if (!statement.Step()) throw std::runtime_error("no row: " + sql);
  return statement.ColumnIsNull(0) ? -1 : statement.ColumnInt64(0);
}

bool IsNull(Store& store, const std::string& sql, const std::string& arg) {
  Statement statement(store.db(), sql);
  statement.Bind(1, arg);
  if (!statement.Step()) throw std::runtime_error("no row: " + sql);
  return statement.ColumnIsNull(0);
}

// Every row of every table, rendered; equal dumps mean equal databases.
std::string Dump(Store& store) {
  std::string out;
  Statement tables(store.db(), "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
  std::vector<std::string> names;
  while (tables.Step()) names.push_back(tables.ColumnText(0));
  for (const std::string& name : names) {
    out += "## " + name + "\n";
    Statement rows(store.db(), "SELECT * FROM \"" + name + "\" ORDER BY 1, 2");
    while (rows.Step()) {
      for (int c = 0; c < rows.ColumnCount(); ++c) {
        out += rows.ColumnIsNull(c) ? "NULL" : "'" + rows.ColumnText(c) + "'";
        out += '|';
      }
      out += '\n';
    }
  }
  return out;
}

struct ObservationRowView {
  std::int64_t count;
  std::int64_t first_ts;  // -1 for NULL
  std::int64_t last_ts;
};

ObservationRowView ReadObservation(Store& store, const std::string& account,
                                   const std::string& kind, const std::string& value) {
  Statement select(store.db(),
                   "SELECT o.count, o.first_ts, o.last_ts FROM observations o "
                   "JOIN accounts a ON a.id = o.account_id "
                   "JOIN signal_values v ON v.id = o.value_id JOIN kinds k ON k.id = v.kind_id "
                   "WHERE a.name = ?1 AND k.name = ?2 AND v.value = ?3");
  select.Bind(1, account).Bind(2, kind).Bind(3, value);
  if (!select.Step()) throw std::runtime_error("no observation " + account + " " + value);
  return {select.ColumnInt64(0), select.ColumnIsNull(1) ? -1 : select.ColumnInt64(1),
          select.ColumnIsNull(2) ? -1 : select.ColumnInt64(2)};
}

std::int64_t AccountCount(Store& store, const std::string& kind, const std::string& value) {
  Statement select(store.db(),
                   "SELECT v.account_count FROM signal_values v JOIN kinds k ON k.id = v.kind_id "
                   "WHERE k.name = ?1 AND v.value = ?2");
  select.Bind(1, kind).Bind(2, value);
  if (!select.Step()) throw std::runtime_error("no value " + value);
  return select.ColumnInt64(0);
}

// ------------------------------------------------------------ opening

TEST(Store, OpenCreatesTheFileWithMode0600) {
  TempDir dir;
  const std::string path = dir.File("new.db");
  const mode_t old_umask = umask(0);  // even a permissive umask must not widen it
  {
    Store store = Store::Open(path);
    store.db().Exec("INSERT INTO kinds (name) VALUES ('ip')");  // creates the -wal file
    struct stat info {};
    ASSERT_EQ(stat(path.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600);
    ASSERT_EQ(stat((path + "-wal").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600);
  }
  umask(old_umask);
}

TEST(Store, OpenInAMissingDirectoryNamesThePath) {
  TempDir dir;
  const std::string path = dir.File("no/such/dir/x.db");
  try {
    Store::Open(path);
    FAIL() << "created a database in a missing directory";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.path(), path);
    EXPECT_EQ(e.code(), SQLITE_CANTOPEN);
    EXPECT_NE(std::string(e.what()).find("No such file or directory"), std::string::npos)
        << e.what();
  }
}

TEST(Store, AFileThatIsNotADatabaseIsRefused) {
  TempDir dir;
  const std::string path = dir.File("notes.txt");
  {
    std::FILE* file = std::fopen(path.c_str(), "w");
    ASSERT_NE(file, nullptr);
    std::fputs("account,kind,value\nthis is not SQLite, but it is long enough to have a header\n",
               file);
    std::fclose(file);
  }
  try {
    Store::Open(path);
    FAIL() << "opened a text file as a database";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), SQLITE_NOTADB) << e.what();
    EXPECT_EQ(e.path(), path);
  }
}

TEST(Store, ReadOnlyOpenOfAMissingFileCreatesNothing) {
  TempDir dir;
  const std::string path = dir.File("absent.db");
  EXPECT_THROW(Store::Open(path, {.read_only = true}), StoreError);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(Store, ReadOnlyStoreReadsButRefusesCommits) {
  TempDir dir;
  const std::string path = dir.File("ro.db");
  {
    Store store = Store::Open(path);
    SourceBatch batch = NewBatch("aa");
    AddAccount(batch, "a", 1);
    ASSERT_EQ(store.CommitSource(batch).status, CommitStatus::kCommitted);
  }
  Store store = Store::Open(path, {.read_only = true});
  EXPECT_EQ(store.Stats().accounts, 1);
  EXPECT_TRUE(store.FindSourceBySha256("aa").has_value());
  try {
    store.CommitSource(NewBatch("bb"));
    FAIL() << "committed through a read-only store";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), SQLITE_READONLY);
  }
}

// ------------------------------------------------------------ commits

TEST(Store, CommitWritesTheSourceRow) {
  Store store = Store::Open(":memory:");
  SourceBatch batch = NewBatch("abc123", InputFormat::kAccountList);
  batch.source.list_name = "seed";
  batch.rejects.push_back(Reject(3, "account", "empty", ","));
  SetRows(batch, 7);
  const CommitResult result = store.CommitSource(batch);
  EXPECT_EQ(result.status, CommitStatus::kCommitted);
  EXPECT_EQ(store.FindSourceBySha256("abc123"), result.source_id);
  EXPECT_EQ(store.FindSourceBySha256("other"), std::nullopt);

  Statement row(store.db(),
                "SELECT path, size, format, list_name, rows_read, rows_ingested, rows_rejected, "
                "started_at, finished_at FROM sources WHERE id = ?1");
  row.Bind(1, result.source_id);
  ASSERT_TRUE(row.Step());
  EXPECT_EQ(row.ColumnText(0), "/logs/abc123.jsonl");
  EXPECT_EQ(row.ColumnInt64(1), 1000);
  EXPECT_EQ(row.ColumnText(2), InputFormatName(InputFormat::kAccountList));
  EXPECT_EQ(row.ColumnText(3), "seed");
  EXPECT_EQ(row.ColumnInt64(4), 8);
  EXPECT_EQ(row.ColumnInt64(5), 7);
  EXPECT_EQ(row.ColumnInt64(6), 1);
  EXPECT_EQ(row.ColumnInt64(7), 1700000000);
  EXPECT_EQ(row.ColumnInt64(8), 1700000005);
}

TEST(Store, UpsertsAddUpAcrossTwoSources) {
  Store store = Store::Open(":memory:");
  {
    SourceBatch batch = NewBatch("s1");
    auto a = AddAccount(batch, "a", 3, 100, 200);
    auto b = AddAccount(batch, "b", 1);
    auto ip = AddValue(batch, "ip", "10.0.0.1");
    auto card = AddValue(batch, "payment", "tok_1");
    Observe(batch, a, ip, 2, 100, 150);
    Observe(batch, b, ip, 1);
    Observe(batch, a, card, 1, 200, 200);
    SetRows(batch, 4);
    ASSERT_EQ(store.CommitSource(batch).status, CommitStatus::kCommitted);
  }
  EXPECT_EQ(AccountCount(store, "ip", "10.0.0.1"), 2);
  {
    SourceBatch batch = NewBatch("s2");
    auto c = AddAccount(batch, "c", 4, 500, 600);
    auto a = AddAccount(batch, "a", 2, 50, 300);
    batch.accounts[a].created_at = 10;
    auto ip = AddValue(batch, "ip", "10.0.0.1");
    auto card = AddValue(batch, "payment", "tok_1");
    Observe(batch, a, ip, 5, 120, 400);
    Observe(batch, c, ip, 1, 500, 500);
    auto b = AddAccount(batch, "b");
    Observe(batch, b, card, 1);
    SetRows(batch, 6);
    ASSERT_EQ(store.CommitSource(batch).status, CommitStatus::kCommitted);
  }
  // Observation counts add, first/last widen.
  const ObservationRowView a_ip = ReadObservation(store, "a", "ip", "10.0.0.1");
  EXPECT_EQ(a_ip.count, 7);
  EXPECT_EQ(a_ip.first_ts, 100);
  EXPECT_EQ(a_ip.last_ts, 400);
  const ObservationRowView b_ip = ReadObservation(store, "b", "ip", "10.0.0.1");
  EXPECT_EQ(b_ip.count, 1);
  EXPECT_EQ(b_ip.first_ts, -1);
  // account_count counts distinct accounts, not observations.
  EXPECT_EQ(AccountCount(store, "ip", "10.0.0.1"), 3);
  EXPECT_EQ(AccountCount(store, "payment", "tok_1"), 2);
  // Accounts: requests add, first/last widen, created_at set when given.
  EXPECT_EQ(QueryInt(store, "SELECT requests FROM accounts WHERE name = ?1", "a"), 5);
  EXPECT_EQ(QueryInt(store, "SELECT first_ts FROM accounts WHERE name = ?1", "a"), 50);
  EXPECT_EQ(QueryInt(store, "SELECT last_ts FROM accounts WHERE name = ?1", "a"), 300);
  EXPECT_EQ(QueryInt(store, "SELECT created_at FROM accounts WHERE name = ?1", "a"), 10);
  EXPECT_TRUE(IsNull(store, "SELECT created_at FROM accounts WHERE name = ?1", "b"));
  EXPECT_EQ(QueryInt(store, "SELECT count(*) FROM accounts WHERE name <> ?1", ""), 3);
  EXPECT_EQ(QueryInt(store, "SELECT count(*) FROM kinds WHERE name <> ?1", ""), 2);
  EXPECT_EQ(QueryInt(store, "SELECT count(*) FROM signal_values WHERE value <> ?1", ""), 2);
}

TEST(Store, MissingTimestampsNeverEraseKnownOnes) {
  Store store = Store::Open(":memory:");
  for (const char* sha : {"t1", "t2", "t3"}) {
    SourceBatch batch = NewBatch(sha);
    const std::string name(sha);
    Timestamp ts = name == "t2" ? 1000 : kNoTimestamp;  // NULL, then 1000, then NULL
    auto a = AddAccount(batch, "a", 1, ts, ts);
    batch.accounts[a].created_at = ts;  // known only in the second source
    Observe(batch, a, AddValue(batch, "device", "d1"), 1, ts, ts);
    ASSERT_EQ(store.CommitSource(batch).status, CommitStatus::kCommitted);
  }
  const ObservationRowView row = ReadObservation(store, "a", "device", "d1");
  EXPECT_EQ(row.count, 3);
  EXPECT_EQ(row.first_ts, 1000);
  EXPECT_EQ(row.last_ts, 1000);
  EXPECT_EQ(QueryInt(store, "SELECT first_ts FROM accounts WHERE name = ?1", "a"), 1000);
  EXPECT_EQ(QueryInt(store, "SELECT last_ts FROM accounts WHERE name = ?1", "a"), 1000);
  EXPECT_EQ(QueryInt(store, "SELECT created_at FROM accounts WHERE name = ?1", "a"), 1000);
}

TEST(Store, DuplicateObservationsInOneBatchAddUp) {
  Store store = Store::Open(":memory:");
  SourceBatch batch = NewBatch("dup");
  auto a = AddAccount(batch, "a");
  auto v = AddValue(batch, "ip", "1.1.1.1");
  Observe(batch, a, v, 2, 10, 20);
  Observe(batch, a, v, 3, 5, 15);
  store.CommitSource(batch);
  const ObservationRowView row = ReadObservation(store, "a", "ip", "1.1.1.1");
  EXPECT_EQ(row.count, 5);
  EXPECT_EQ(row.first_ts, 5);
  EXPECT_EQ(row.last_ts, 20);
  EXPECT_EQ(AccountCount(store, "ip", "1.1.1.1"), 1);
}

TEST(Store, AValueListedTwiceInOneBatchCountsAllItsAccounts) {
  Store store = Store::Open(":memory:");
  {
    SourceBatch batch = NewBatch("old");
    Observe(batch, AddAccount(batch, "a"), AddValue(batch, "ip", "old"), 1);
    store.CommitSource(batch);
  }
  SourceBatch batch = NewBatch("twice");
  auto a = AddAccount(batch, "a");
  auto b = AddAccount(batch, "b");
  auto c = AddAccount(batch, "c");
  auto first = AddValue(batch, "ip", "new");
  auto second = AddValue(batch, "ip", "new");  // the same value again
  auto old_first = AddValue(batch, "ip", "old");
  auto old_second = AddValue(batch, "ip", "old");
  Observe(batch, a, first, 1);
  Observe(batch, b, second, 1);
  Observe(batch, c, second, 1);
  Observe(batch, b, old_first, 1);
  Observe(batch, a, old_second, 1);  // already counted for "old"
  store.CommitSource(batch);
  EXPECT_EQ(AccountCount(store, "ip", "new"), 3);
  EXPECT_EQ(AccountCount(store, "ip", "old"), 2);
  EXPECT_EQ(store.Stats().values, 2);
}

TEST(Store, AnAccountListedTwiceInOneBatchCountsOnce) {
  Store store = Store::Open(":memory:");
  SourceBatch batch = NewBatch("acct-twice");
  auto first = AddAccount(batch, "a", 1, 10, 20);
  auto second = AddAccount(batch, "a", 2, 5, 15);
  auto v = AddValue(batch, "email", "a@b.c");
  Observe(batch, first, v, 1);
  Observe(batch, second, v, 1);
  store.CommitSource(batch);
  EXPECT_EQ(AccountCount(store, "email", "a@b.c"), 1);
  EXPECT_EQ(ReadObservation(store, "a", "email", "a@b.c").count, 2);
  EXPECT_EQ(QueryInt(store, "SELECT requests FROM accounts WHERE name = ?1", "a"), 3);
  EXPECT_EQ(QueryInt(store, "SELECT first_ts FROM accounts WHERE name = ?1", "a"), 5);
  EXPECT_EQ(QueryInt(store, "SELECT last_ts FROM accounts WHERE name = ?1", "a"), 20);
}

TEST(Store, ValuesWithoutObservationsKeepAZeroCount) {
  Store store = Store::Open(":memory:");
  SourceBatch batch = NewBatch("lonely");
  AddValue(batch, "device", "unused");
  store.CommitSource(batch);
  EXPECT_EQ(AccountCount(store, "device", "unused"), 0);
}

TEST(Store, AttributesAreUpsertedLaterValuesWin) {
  Store store = Store::Open(":memory:");
  SourceBatch first = NewBatch("acc1", InputFormat::kAccountTable);
  AddAccount(first, "a");
  first.accounts[0].attributes = {{"country", "FR"}, {"plan", "free"}};
  store.CommitSource(first);
  SourceBatch second = NewBatch("acc2", InputFormat::kAccountTable);
  AddAccount(second, "a");
  second.accounts[0].attributes = {{"plan", "pro"}, {"org", "acme"}};
  store.CommitSource(second);
  Statement select(store.db(), "SELECT key, value FROM account_attributes ORDER BY key");
  std::vector<std::string> rows;
  while (select.Step()) rows.push_back(select.ColumnText(0) + "=" + select.ColumnText(1));
  EXPECT_EQ(rows, (std::vector<std::string>{"country=FR", "org=acme", "plan=pro"}));
}

TEST(Store, DuplicateSha256WritesNothing) {
  Store store = Store::Open(":memory:");
  SourceBatch batch = NewBatch("same");
  auto a = AddAccount(batch, "a", 1);
  Observe(batch, a, AddValue(batch, "ip", "1.2.3.4"), 1);
  const CommitResult first = store.CommitSource(batch);
  ASSERT_EQ(first.status, CommitStatus::kCommitted);
  const std::string before = Dump(store);

  // Same bytes (sha256) under another name and with other content: skipped.
  SourceBatch again = NewBatch("same");
  again.source.path = "/elsewhere/copy.jsonl";
  auto b = AddAccount(again, "b", 9);
  Observe(again, b, AddValue(again, "payment", "tok"), 4);
  again.rejects.push_back(Reject(1, "", "x"));
  again.skipped_fields["foo"] = 1;
  const CommitResult second = store.CommitSource(again);
  EXPECT_EQ(second.status, CommitStatus::kDuplicateSource);
  EXPECT_EQ(second.source_id, first.source_id);
  EXPECT_EQ(Dump(store), before);
}

TEST(Store, PromptExamplesAreBoundedPerValue) {
  Store store = Store::Open(":memory:");
  SourceBatch batch = NewBatch("p1");
  auto prompt = AddValue(batch, "prompt", "fp_1");
  auto other = AddValue(batch, "prompt", "fp_2");
  for (int i = 0; i < 12; ++i) {
    auto a = AddAccount(batch, "acct" + std::to_string(i));
    Observe(batch, a, prompt, 1);
    batch.prompt_examples.push_back(
        {.value = prompt, .account = a, .text = "text " + std::to_string(i)});
  }
  // The same account twice keeps its first text.
  batch.prompt_examples.push_back({.value = other, .account = 0, .text = "first"});
  batch.prompt_examples.push_back({.value = other, .account = 0, .text = "second"});
  store.CommitSource(batch);

  Statement select(store.db(),
                   "SELECT a.name FROM prompt_examples p JOIN accounts a ON a.id = p.account_id "
                   "JOIN signal_values v ON v.id = p.value_id WHERE v.value = 'fp_1' "
                   "ORDER BY a.id");
  std::vector<std::string> names;
  while (select.Step()) names.push_back(select.ColumnText(0));
  ASSERT_EQ(names.size(), static_cast<std::size_t>(kMaxPromptExamplesPerValue));
  EXPECT_EQ(names.front(), "acct0");  // the first accounts win
  EXPECT_EQ(names.back(), "acct" + std::to_string(kMaxPromptExamplesPerValue - 1));
  EXPECT_EQ(QueryInt(store, "SELECT count(*) FROM prompt_examples WHERE text = ?1", "first"), 1);
  EXPECT_EQ(QueryInt(store, "SELECT count(*) FROM prompt_examples WHERE text = ?1", "second"), 0);

  // A later source cannot push a full value past the bound.
  SourceBatch more = NewBatch("p2");
  auto late = AddAccount(more, "late");
  auto again = AddValue(more, "prompt", "fp_1");
  more.prompt_examples.push_back({.value = again, .account = late, .text = "late text"});
  store.CommitSource(more);
  EXPECT_EQ(QueryInt(store,
                     "SELECT count(*) FROM prompt_examples p JOIN signal_values v "
                     "ON v.id = p.value_id WHERE v.value = ?1",
                     "fp_1"),
            kMaxPromptExamplesPerValue);
  EXPECT_EQ(QueryInt(store,
                     "SELECT count(*) FROM prompt_examples p JOIN signal_values v "
                     "ON v.id = p.value_id WHERE v.value = ?1",
                     "fp_2"),
            1);
}

TEST(Store, RepeatedPromptExamplesDoNotUseUpTheBound) {
  Store store = Store::Open(":memory:");
  SourceBatch batch = NewBatch("rep");
  auto prompt = AddValue(batch, "prompt", "fp");
  std::vector<std::uint32_t> accounts;
  for (int i = 0; i < 10; ++i) accounts.push_back(AddAccount(batch, "a" + std::to_string(i)));
  for (int i = 0; i < 10; ++i) {
    batch.prompt_examples.push_back({.value = prompt, .account = accounts[0], .text = "same"});
  }
  for (std::uint32_t a : accounts) {
    batch.prompt_examples.push_back({.value = prompt, .account = a, .text = "t"});
  }
  store.CommitSource(batch);
  EXPECT_EQ(QueryInt(store, "SELECT count(*) FROM prompt_examples WHERE text <> ?1", ""),
            kMaxPromptExamplesPerValue);
  EXPECT_EQ(QueryInt(store, "SELECT count(*) FROM prompt_examples WHERE text = ?1", "same"), 1);
}

TEST(Store, RejectsAndSkippedFieldsAreStoredWithTheSource) {
  Store store = Store::Open(":memory:");
  SourceBatch batch = NewBatch("rej");
  batch.rejects.push_back(Reject(4, "ip", "unparsable ip", "{\"ip\":1}"));
  batch.rejects.push_back(Reject(9, "", "not JSON", std::string(5000, 'x')));
  // 4095 ASCII bytes then a 2-byte character: cut before it, not through it.
  batch.rejects.push_back(Reject(11, "", "too long", std::string(4095, 'y') + "\xC3\xA9"));
  batch.skipped_fields["referrer"] = 12;
  batch.skipped_fields["sesion"] = 3;
  SetRows(batch, 10);
  const std::int64_t id = store.CommitSource(batch).source_id;

  Statement rejects(
      store.db(), "SELECT source_id, line, field, reason, length(raw) FROM rejects ORDER BY line");
  ASSERT_TRUE(rejects.Step());
  EXPECT_EQ(rejects.ColumnInt64(0), id);
  EXPECT_EQ(rejects.ColumnInt64(1), 4);
  EXPECT_EQ(rejects.ColumnText(2), "ip");
  EXPECT_EQ(rejects.ColumnText(3), "unparsable ip");
  ASSERT_TRUE(rejects.Step());
  EXPECT_EQ(rejects.ColumnText(2), "");
  EXPECT_EQ(rejects.ColumnInt64(4), static_cast<std::int64_t>(kMaxRejectRawBytes));
  ASSERT_TRUE(rejects.Step());
  EXPECT_EQ(rejects.ColumnInt64(4), 4095);
  EXPECT_FALSE(rejects.Step());

  Statement skipped(store.db(), "SELECT source_id, key, count FROM skipped_fields ORDER BY key");
  std::vector<std::string> rows;
  while (skipped.Step()) {
    EXPECT_EQ(skipped.ColumnInt64(0), id);
    rows.push_back(skipped.ColumnText(1) + ":" + std::to_string(skipped.ColumnInt64(2)));
  }
  EXPECT_EQ(rows, (std::vector<std::string>{"referrer:12", "sesion:3"}));
}

TEST(Store, LinksMapBatchIndicesToAccountIds) {
  Store store = Store::Open(":memory:");
  {
    SourceBatch batch = NewBatch("pre");
    AddAccount(batch, "zed");  // takes id 1, so batch index != database id below
    store.CommitSource(batch);
  }
  SourceBatch batch = NewBatch("links", InputFormat::kLinkTable);
  auto x = AddAccount(batch, "x");
  auto y = AddAccount(batch, "y");
  auto zed = AddAccount(batch, "zed");
  batch.links.push_back({.src = x, .dst = y, .kind = "warehouse", .weight = 0.5});
  batch.links.push_back({.src = zed, .dst = x});  // default kind and weight
  const std::int64_t source = store.CommitSource(batch).source_id;

  Statement select(store.db(),
                   "SELECT s.name, d.name, l.kind, l.weight, l.source_id FROM links l "
                   "JOIN accounts s ON s.id = l.src_account_id "
                   "JOIN accounts d ON d.id = l.dst_account_id ORDER BY l.id");
  ASSERT_TRUE(select.Step());
  EXPECT_EQ(select.ColumnText(0), "x");
  EXPECT_EQ(select.ColumnText(1), "y");
  EXPECT_EQ(select.ColumnText(2), "warehouse");
  EXPECT_DOUBLE_EQ(select.ColumnDouble(3), 0.5);
  EXPECT_EQ(select.ColumnInt64(4), source);
  ASSERT_TRUE(select.Step());
  EXPECT_EQ(select.ColumnText(0), "zed");
  EXPECT_EQ(select.ColumnText(1), "x");
  EXPECT_EQ(select.ColumnText(2), "link");
  EXPECT_DOUBLE_EQ(select.ColumnDouble(3), 1.0);
  EXPECT_FALSE(select.Step());
  EXPECT_EQ(store.Stats().accounts, 3);  // "zed" was not duplicated
}

TEST(Store, ListEntriesKeepUnknownAccountsAndNulls) {
  Store store = Store::Open(":memory:");
  SourceBatch accounts = NewBatch("allow", InputFormat::kAccountList);
  accounts.source.list_name = "allow";
  accounts.list_entries.push_back(AccountEntry("allow", "never-seen", "VIP"));
  accounts.list_entries.push_back(AccountEntry("allow", "other"));
  store.CommitSource(accounts);
  SourceBatch values = NewBatch("seedv", InputFormat::kValueList);
  values.source.list_name = "seed";
  values.list_entries.push_back(ValueEntry("seed", "payment", "tok_bad"));
  store.CommitSource(values);

  Statement select(store.db(),
                   "SELECT list, account, kind, value, note FROM list_entries ORDER BY id");
  ASSERT_TRUE(select.Step());
  EXPECT_EQ(select.ColumnText(0), "allow");
  EXPECT_EQ(select.ColumnText(1), "never-seen");
  EXPECT_TRUE(select.ColumnIsNull(2));
  EXPECT_TRUE(select.ColumnIsNull(3));
  EXPECT_EQ(select.ColumnText(4), "VIP");
  ASSERT_TRUE(select.Step());
  EXPECT_TRUE(select.ColumnIsNull(4));
  ASSERT_TRUE(select.Step());
  EXPECT_EQ(select.ColumnText(0), "seed");
  EXPECT_TRUE(select.ColumnIsNull(1));
  EXPECT_EQ(select.ColumnText(2), "payment");
  EXPECT_EQ(select.ColumnText(3), "tok_bad");
  EXPECT_EQ(store.Stats().accounts, 0);  // list entries create no accounts

  const StoreStats stats = store.Stats();
  using Entry = std::pair<std::string, std::int64_t>;
  EXPECT_EQ(stats.lists, (std::vector<Entry>{{"allow", 2}, {"seed", 1}}));
}

TEST(Store, TextIsStoredVerbatim) {
  const std::vector<std::string> nasty = {
      "o'brien",
      "\"; DROP TABLE accounts; --",
      "'); DELETE FROM observations; --",
      "line1\nline2\r\n",
      "tab\there",
      "100%_like",
      "unicod\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x98\x80",
      " padded ",
      "?1 :name @x $y",
  };
  Store store = Store::Open(":memory:");
  SourceBatch batch = NewBatch("nasty'sha\n");
  for (const std::string& text : nasty) {
    auto a = AddAccount(batch, text);
    auto v = AddValue(batch, text, text);
    Observe(batch, a, v, 1);
    batch.list_entries.push_back(AccountEntry(text, text, text));
    batch.rejects.push_back(Reject(1, text, text, text));
  }
  store.CommitSource(batch);
  EXPECT_TRUE(store.FindSourceBySha256("nasty'sha\n").has_value());
  for (const std::string& text : nasty) {
    EXPECT_EQ(QueryInt(store, "SELECT count(*) FROM accounts WHERE name = ?1", text), 1) << text;
    EXPECT_EQ(QueryInt(store, "SELECT count(*) FROM kinds WHERE name = ?1", text), 1) << text;
    EXPECT_EQ(QueryInt(store, "SELECT count(*) FROM signal_values WHERE value = ?1", text), 1);
    EXPECT_EQ(ReadObservation(store, text, text, text).count, 1) << text;
    EXPECT_EQ(QueryInt(store, "SELECT count(*) FROM list_entries WHERE note = ?1", text), 1);
    EXPECT_EQ(QueryInt(store, "SELECT count(*) FROM rejects WHERE raw = ?1", text), 1);
  }
  EXPECT_EQ(store.Stats().accounts, static_cast<std::int64_t>(nasty.size()));
}

TEST(Store, InvalidBatchIsRefusedBeforeAnythingIsWritten) {
  Store store = Store::Open(":memory:");
  const std::string before = Dump(store);
  SourceBatch batch = NewBatch("bad");
  auto a = AddAccount(batch, "a");
  Observe(batch, a, 5, 1);  // no value 5
  try {
    store.CommitSource(batch);
    FAIL() << "accepted an observation of a missing value";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("observation 0: value index 5 is out of range"),
              std::string::npos)
        << e.what();
  }
  SourceBatch no_sha = NewBatch("");
  EXPECT_THROW(store.CommitSource(no_sha), std::invalid_argument);
  SourceBatch bad_link = NewBatch("l");
  bad_link.links.push_back({.src = 0, .dst = 0});
  EXPECT_THROW(store.CommitSource(bad_link), std::invalid_argument);
  SourceBatch unnamed = NewBatch("u");
  AddAccount(unnamed, "");
  EXPECT_THROW(store.CommitSource(unnamed), std::invalid_argument);
  EXPECT_EQ(Dump(store), before);
}

TEST(Store, FailureMidCommitRollsBackTheWholeSource) {
  Store store = Store::Open(":memory:");
  // Make the last phase fail after accounts, values and observations are in.
  store.db().Exec(
      "CREATE TEMP TRIGGER fail_skipped BEFORE INSERT ON skipped_fields "
      "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  const std::string before = Dump(store);
  SourceBatch batch = NewBatch("boom");
  auto a = AddAccount(batch, "a", 3);
  Observe(batch, a, AddValue(batch, "ip", "9.9.9.9"), 1);
  batch.skipped_fields["x"] = 1;
  try {
    store.CommitSource(batch);
    FAIL() << "the injected failure did not surface";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("injected failure"), std::string::npos) << e.what();
  }
  EXPECT_EQ(Dump(store), before);
  EXPECT_FALSE(store.FindSourceBySha256("boom").has_value());
  EXPECT_EQ(QueryInt(store, "PRAGMA foreign_keys"), 1);
  // The store stays usable.
  store.db().Exec("DROP TRIGGER fail_skipped");
  EXPECT_EQ(store.CommitSource(batch).status, CommitStatus::kCommitted);
  EXPECT_EQ(store.Stats().accounts, 1);
}

TEST(Store, CommitsKeepForeignKeysValidAndEnforcementOn) {
  Store store = Store::Open(":memory:");
  SourceBatch batch = NewBatch("fk", InputFormat::kLinkTable);
  auto a = AddAccount(batch, "a");
  auto b = AddAccount(batch, "b");
  auto v = AddValue(batch, "prompt", "fp");
  Observe(batch, a, v, 1);
  batch.prompt_examples.push_back({.value = v, .account = b, .text = "hi"});
  batch.links.push_back({.src = a, .dst = b, .kind = "x", .weight = 2.0});
  batch.rejects.push_back(Reject(2, "dst", "empty"));
  batch.skipped_fields["extra"] = 1;
  batch.list_entries.push_back(AccountEntry("seed", "a"));
  batch.accounts[a].attributes = {{"country", "DE"}};
  store.CommitSource(batch);
  Statement check(store.db(), "PRAGMA foreign_key_check");
  EXPECT_FALSE(check.Step()) << "violation in table " << check.ColumnText(0);
  EXPECT_EQ(QueryInt(store, "PRAGMA foreign_keys"), 1);
  // Enforcement is on again for everyone else's writes.
  EXPECT_THROW(store.db().Exec("INSERT INTO observations VALUES (999, 999, 1, NULL, NULL)"),
               StoreError);
}

// ------------------------------------------------------------ stats

TEST(Store, StatsReconcileWithTheTables) {
  Store store = Store::Open(":memory:");
  {
    SourceBatch batch = NewBatch("one");
    auto a = AddAccount(batch, "a", 5);
    auto b = AddAccount(batch, "b", 2);
    auto ip = AddValue(batch, "ip", "1.1.1.1");
    auto dev = AddValue(batch, "device", "d");
    Observe(batch, a, ip, 3);
    Observe(batch, b, ip, 1);
    Observe(batch, a, dev, 2);
    batch.rejects.push_back(Reject(2, "ip", "unparsable ip"));
    batch.rejects.push_back(Reject(3, "ts", "bad timestamp"));
    batch.rejects.push_back(Reject(5, "ip", "unparsable ip"));
    SetRows(batch, 7);
    store.CommitSource(batch);
  }
  {
    SourceBatch batch = NewBatch("two");
    auto c = AddAccount(batch, "c", 1);
    auto a = AddAccount(batch, "a", 1);
    auto ip = AddValue(batch, "ip", "1.1.1.1");
    Observe(batch, c, ip, 1);
    Observe(batch, a, ip, 1);
    Observe(batch, a, AddValue(batch, "email", "x@y.z"), 1);
    batch.links.push_back({.src = c, .dst = a});
    batch.rejects.push_back(Reject(8, "", "account missing"));
    batch.rejects.push_back(Reject(9, "", "bad timestamp"));
    batch.list_entries.push_back(AccountEntry("seed", "c"));
    SetRows(batch, 2);
    store.CommitSource(batch);
  }
  const StoreStats stats = store.Stats();
  EXPECT_EQ(stats.schema_version, LatestSchemaVersion());
  EXPECT_EQ(stats.accounts, 3);
  EXPECT_EQ(stats.values, 3);
  EXPECT_EQ(stats.observations, 5);       // (a,ip) (b,ip) (a,dev) (c,ip) (a,email)
  EXPECT_EQ(stats.observation_total, 9);  // 4+1+2+1+1
  EXPECT_EQ(stats.requests, 9);
  EXPECT_EQ(stats.links, 1);
  EXPECT_EQ(stats.sources, 2);
  EXPECT_EQ(stats.rows_read, 14);
  EXPECT_EQ(stats.rows_read, stats.rows_ingested + stats.rows_rejected);
  EXPECT_EQ(stats.rows_rejected, stats.rejects);
  EXPECT_EQ(stats.rejects, 5);

  ASSERT_EQ(stats.kinds.size(), 3u);
  EXPECT_EQ(stats.kinds[0].kind, "device");
  EXPECT_EQ(stats.kinds[1].kind, "email");
  EXPECT_EQ(stats.kinds[2].kind, "ip");
  EXPECT_EQ(stats.kinds[2].values, 1);
  EXPECT_EQ(stats.kinds[2].observations, 3);
  std::int64_t per_kind = 0;
  for (const KindCount& kind : stats.kinds) {
    per_kind += kind.observations;
    // Per-kind counts come from account_count: check them against the rows.
    EXPECT_EQ(kind.observations,
              QueryInt(store,
                       "SELECT count(*) FROM observations o JOIN signal_values v "
                       "ON v.id = o.value_id JOIN kinds k ON k.id = v.kind_id WHERE k.name = ?1",
                       kind.kind));
  }
  EXPECT_EQ(per_kind, stats.observations);

  ASSERT_EQ(stats.reject_reasons.size(), 3u);
  EXPECT_EQ(stats.reject_reasons[0].reason, "bad timestamp");  // 2, ties broken by name
  EXPECT_EQ(stats.reject_reasons[0].count, 2);
  EXPECT_EQ(stats.reject_reasons[1].reason, "unparsable ip");
  EXPECT_EQ(stats.reject_reasons[1].count, 2);
  EXPECT_EQ(stats.reject_reasons[2].reason, "account missing");
  using Entry = std::pair<std::string, std::int64_t>;
  EXPECT_EQ(stats.lists, (std::vector<Entry>{{"seed", 1}}));
}

TEST(Store, StatsOfAnEmptyDatabaseAreZero) {
  Store store = Store::Open(":memory:");
  const StoreStats stats = store.Stats();
  EXPECT_EQ(stats.schema_version, LatestSchemaVersion());
  EXPECT_EQ(stats.accounts + stats.values + stats.observations + stats.observation_total +
                stats.requests + stats.links + stats.sources + stats.rows_read + stats.rejects,
            0);
  EXPECT_TRUE(stats.kinds.empty());
  EXPECT_TRUE(stats.reject_reasons.empty());
  EXPECT_TRUE(stats.lists.empty());
}

// ------------------------------------------------------------ timing

// A measurement, not a test: run with --gtest_also_run_disabled_tests
// --gtest_filter='*CommitTiming*' to print how long a large commit takes.
TEST(StoreCommitTiming, DISABLED_FiftyThousandAccountsOneMillionObservations) {
  constexpr int kAccounts = 50000;
  constexpr int kValues = 20000;
  constexpr int kPerAccount = 20;  // 1M observations
  const char* kinds[] = {"ip", "device", "payment", "email", "phone", "user_agent", "prompt"};
  SourceBatch batch = NewBatch("timing");
  std::mt19937_64 rng(42);
  for (int i = 0; i < kAccounts; ++i) {
    AddAccount(batch, "acct_" + std::to_string(i), 20, 1700000000 + i, 1700086400 + i);
  }
  for (int v = 0; v < kValues; ++v) {
    AddValue(batch, kinds[v % 7], "value_" + std::to_string(rng()));
  }
  std::uniform_int_distribution<std::uint32_t> pick(0, kValues - 1);
  for (std::uint32_t a = 0; a < kAccounts; ++a) {
    std::vector<std::uint32_t> chosen;
    while (chosen.size() < kPerAccount) {
      const std::uint32_t v = pick(rng);
      if (std::find(chosen.begin(), chosen.end(), v) == chosen.end()) chosen.push_back(v);
    }
    for (std::uint32_t v : chosen) Observe(batch, a, v, 1 + v % 3, 1700000000, 1700086400);
  }
  TempDir dir;
  Store store = Store::Open(dir.File("timing.db"));
  spdlog::set_level(spdlog::level::debug);  // per-phase times
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  store.CommitSource(batch);
  const double first_cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  const double first =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  batch.source.sha256 = "timing2";  // the same rows again: every upsert hits a conflict
  const auto again = std::chrono::steady_clock::now();
  const std::clock_t cpu_again = std::clock();
  store.CommitSource(batch);
  const double second_cpu = static_cast<double>(std::clock() - cpu_again) / CLOCKS_PER_SEC;
  const double second =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - again).count();
  const StoreStats stats = store.Stats();
  std::printf(
      "CommitSource %zu accounts, %zu values, %zu observations: %.3f s (cpu %.3f s) into an "
      "empty file, %.3f s (cpu %.3f s) as upserts of existing rows\n",
      batch.accounts.size(), batch.values.size(), batch.observations.size(), first, first_cpu,
      second, second_cpu);
  EXPECT_EQ(stats.observations, static_cast<std::int64_t>(batch.observations.size()));
}

}  // namespace
}  // namespace ringscope
