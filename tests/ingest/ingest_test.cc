#include "ingest/ingest.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "test_util.h"

namespace ringscope {
namespace {

using testing::TempDir;

// The observation of (kind, value) by `account`, or nullptr.
const ObservationAggregate* FindObservation(const SourceBatch& batch, std::string_view account,
                                            std::string_view kind, std::string_view value) {
  for (const ObservationAggregate& o : batch.observations) {
    if (batch.accounts[o.account].name == account && batch.values[o.value].kind == kind &&
        batch.values[o.value].value == value)
      return &o;
  }
  return nullptr;
}

void ExpectReconciled(const SourceBatch& batch) {
  EXPECT_EQ(batch.source.rows_read, batch.source.rows_ingested + batch.source.rows_rejected);
  EXPECT_EQ(static_cast<std::size_t>(batch.source.rows_rejected), batch.rejects.size());
}

TEST(ReadSource, RequestLogAggregatesObservationsPerAccountAndValue) {
  TempDir dir;
  std::string path = dir.Write("r.jsonl",
      R"({"account":"acct_1","ts":"2026-02-01T12:00:03Z","ip":"203.0.113.7","device":"fp_9","user_agent":"python-httpx/0.27","prompt":"Solve 12 + 30 step by step"})" "\n"
      R"({"account":"acct_1","ts":1769947300,"ip":"203.0.113.7","prompt":"Solve 99 + 1 step by step"})" "\n"
      R"({"account":"acct_2","ip":["203.0.113.9","2001:db8::1"],"payment":"4111 1111 1111 1111"})" "\n");
  SourceBatch batch = ReadSource(path, {});
  ExpectReconciled(batch);
  EXPECT_EQ(batch.source.format, InputFormat::kRequestLog);
  EXPECT_EQ(batch.source.rows_read, 3);
  EXPECT_EQ(batch.source.rows_rejected, 0);
  ASSERT_EQ(batch.accounts.size(), 2u);
  EXPECT_EQ(batch.accounts[0].requests, 2);
  EXPECT_EQ(batch.accounts[0].first_ts, 1769947203);
  EXPECT_EQ(batch.accounts[0].last_ts, 1769947300);

  const ObservationAggregate* ip = FindObservation(batch, "acct_1", "ip", "203.0.113.7");
  ASSERT_NE(ip, nullptr);
  EXPECT_EQ(ip->count, 2);
  EXPECT_NE(FindObservation(batch, "acct_1", "subnet", "203.0.113.0/24"), nullptr);
  EXPECT_NE(FindObservation(batch, "acct_2", "subnet", "203.0.113.0/24"), nullptr);
  EXPECT_NE(FindObservation(batch, "acct_2", "ip", "2001:db8::1"), nullptr);

  // Both prompts share a template once numbers are masked: one value, count 2.
  std::string fingerprint = PromptFingerprint(PromptTemplate("Solve 1 + 1 step by step"));
  const ObservationAggregate* prompt = FindObservation(batch, "acct_1", "prompt", fingerprint);
  ASSERT_NE(prompt, nullptr);
  EXPECT_EQ(prompt->count, 2);
  ASSERT_EQ(batch.prompt_examples.size(), 1u);
  EXPECT_EQ(batch.prompt_examples[0].text, "Solve 12 + 30 step by step");

  // The raw card number never reaches the batch.
  for (const Signal& value : batch.values) EXPECT_EQ(value.value.find("4111"), std::string::npos);
  EXPECT_EQ(batch.source.sha256.size(), 64u);
}

TEST(ReadSource, BadRequestRowsAreRejectedWithLineFieldAndReason) {
  TempDir dir;
  std::string path = dir.Write("bad.jsonl",
      "{\"account\":\"ok_1\",\"ip\":\"10.0.0.1\"}\n"      // 1 ok
      "{\"account\":\"x\",\"ip\":\"10.0.0.1\"\n"         // 2 malformed
      "{\"ip\":\"10.0.0.2\"}\n"                            // 3 missing account
      "{\"account\":\"y\",\"ts\":\"yesterday\"}\n"         // 4 bad ts
      "{\"account\":\"z\",\"ip\":\"999.1.1.1\"}\n"         // 5 bad ip
      "[1,2,3]\n"                                          // 6 not an object
      "{\"account\":\"w\",\"ip\":{\"nested\":true}}\n"     // 7 wrong type
      "{\"account\":\"v\",\"device\":\"d\xff\xfe\"}\n"     // 8 invalid UTF-8
      "\n"                                                 // 9 blank: not a row
      "{\"account\":\"u\"} trailing\n"                     // 10 trailing garbage
      "{\"account\":42}\n"                                 // 11 account not a string
      "{\"account\":\"ok_2\",\"ip\":null,\"unknown_key\":\"x\",\"email\":\"\"}\n");  // 12 ok
  SourceBatch batch = ReadSource(path, {});
  ExpectReconciled(batch);
  EXPECT_EQ(batch.source.rows_read, 11);
  EXPECT_EQ(batch.source.rows_ingested, 2);
  ASSERT_EQ(batch.rejects.size(), 9u);
  std::vector<std::int64_t> lines;
  for (const RejectRecord& r : batch.rejects) lines.push_back(r.line);
  EXPECT_EQ(lines, (std::vector<std::int64_t>{2, 3, 4, 5, 6, 7, 8, 10, 11}));
  EXPECT_EQ(batch.rejects[1].reason, "missing account");
  EXPECT_EQ(batch.rejects[2].field, "ts");
  EXPECT_EQ(batch.rejects[3].field, "ip");
  EXPECT_NE(batch.rejects[3].reason.find("999.1.1.1"), std::string::npos);
  EXPECT_EQ(batch.rejects[4].reason, "not a JSON object");
  EXPECT_EQ(batch.rejects[6].reason, "invalid UTF-8");
  EXPECT_EQ(batch.skipped_fields.at("unknown_key"), 1);
  EXPECT_EQ(batch.skipped_fields.at("ip"), 1);     // null
  EXPECT_EQ(batch.skipped_fields.at("email"), 1);  // empty
}

TEST(ReadSource, StrictModeStopsAtTheFirstBadRow) {
  TempDir dir;
  std::string path = dir.Write("s.jsonl", "{\"account\":\"a\"}\n{\"account\":\"b\",\"ip\":\"nope\"}\n");
  IngestOptions options;
  options.strict = true;
  try {
    ReadSource(path, options);
    FAIL() << "expected StrictModeError";
  } catch (const StrictModeError& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_NE(std::string(e.what()).find("s.jsonl:2"), std::string::npos);
  }
}

TEST(ReadSource, OverLongLinesAreRejectedAndReadingGoesOn) {
  TempDir dir;
  std::string huge = "{\"account\":\"big\",\"prompt\":\"" + std::string(5000, 'p') + "\"}";
  std::string path = dir.Write("long.jsonl", huge + "\n{\"account\":\"small\"}\n");
  IngestOptions options;
  options.max_line_bytes = 1000;
  SourceBatch batch = ReadSource(path, options);
  ExpectReconciled(batch);
  ASSERT_EQ(batch.rejects.size(), 1u);
  EXPECT_NE(batch.rejects[0].reason.find("longer than 1000"), std::string::npos);
  EXPECT_EQ(batch.source.rows_ingested, 1);
}

TEST(ReadSource, DeclaredKindsBecomeSignalsOthersAreSkipped) {
  TempDir dir;
  std::string path = dir.Write("k.jsonl", "{\"account\":\"a\",\"org_id\":\"o1\",\"tier\":\"gold\"}\n");
  IngestOptions options;
  options.extra_kinds = {"org_id"};
  SourceBatch batch = ReadSource(path, options);
  EXPECT_NE(FindObservation(batch, "a", "org_id", "o1"), nullptr);
  EXPECT_EQ(batch.skipped_fields.at("tier"), 1);
  EXPECT_EQ(batch.skipped_fields.count("org_id"), 0u);
}

TEST(ReadSource, SignalTableNormalisesLikeTheRequestLog) {
  TempDir dir;
  std::string path = dir.Write("signals.csv",
      "account,kind,value,ts\n"
      "a1,email,John.Smith+promo@GoogleMail.com,2026-01-01T00:00:00Z\n"
      "a2,email,johnsmith@gmail.com,\n"
      "a3,phone,+1 (555) 010-9999,\n"
      "a4,ip,not-an-ip,\n"
      "a5,favourite_colour,blue,\n"
      "a6,email,\"quoted, with comma\"@x.com,\n"
      "a7,device,too,many,fields\n");
  SourceBatch batch = ReadSource(path, {});
  ExpectReconciled(batch);
  EXPECT_EQ(batch.source.format, InputFormat::kSignalTable);
  EXPECT_NE(FindObservation(batch, "a1", "email", "johnsmith@gmail.com"), nullptr);
  EXPECT_NE(FindObservation(batch, "a2", "email", "johnsmith@gmail.com"), nullptr);
  EXPECT_NE(FindObservation(batch, "a3", "phone", "+15550109999"), nullptr);
  EXPECT_EQ(batch.skipped_fields.at("favourite_colour"), 1);
  std::vector<std::int64_t> lines;
  for (const RejectRecord& r : batch.rejects) lines.push_back(r.line);
  // 5: unparsable IP; 7: text after a closing quote is not CSV; 8: field count.
  EXPECT_EQ(lines, (std::vector<std::int64_t>{5, 7, 8}));
  EXPECT_EQ(batch.accounts[0].requests, 0);  // tables are not requests
}

TEST(ReadSource, SignalTablePromptsKeepOneTemplatePerValue) {
  TempDir dir;
  std::string path = dir.Write("signals.csv",
      "account,kind,value\n"
      "a1,prompt,Write 3 Haikus about  cats\n"
      "a2,prompt,write 12 haikus about cats\n"
      "a3,prompt,\"Summarise: \"\"the report\"\"\"\n"
      "a4,device,fp_1\n");
  SourceBatch batch = ReadSource(path, {});
  ExpectReconciled(batch);
  ASSERT_EQ(batch.prompt_templates.size(), 2u);
  EXPECT_EQ(batch.prompt_templates.text(0), "write # haikus about cats");
  EXPECT_EQ(batch.prompt_templates.text(1), "summarise: \"the report\"");
  for (std::size_t i = 0; i < batch.prompt_templates.size(); ++i) {
    const Signal& value = batch.values.at(batch.prompt_templates.entry(i).value);
    EXPECT_EQ(value.kind, "prompt");
    EXPECT_EQ(value.value, PromptFingerprint(batch.prompt_templates.text(i)));
  }
}

TEST(ReadSource, AccountTableKeepsAttributes) {
  TempDir dir;
  std::string path = dir.Write("accounts.csv",
      "account,created_at,country,plan,org,referrer\n"
      "a1,2026-01-05T10:00:00Z,DE,pro,,ads\n"
      "a2,1767225600,US,free,acme,\n"
      "a3,not-a-date,US,free,,\n");
  SourceBatch batch = ReadSource(path, {});
  ExpectReconciled(batch);
  ASSERT_EQ(batch.source.rows_rejected, 1);
  EXPECT_EQ(batch.rejects[0].field, "created_at");
  ASSERT_GE(batch.accounts.size(), 2u);
  EXPECT_EQ(batch.accounts[1].created_at, 1767225600);
  auto has = [&](std::size_t a, std::string k, std::string v) {
    auto& attrs = batch.accounts[a].attributes;
    return std::find(attrs.begin(), attrs.end(), std::pair{k, v}) != attrs.end();
  };
  EXPECT_TRUE(has(0, "country", "DE"));
  EXPECT_TRUE(has(0, "referrer", "ads"));
  EXPECT_TRUE(has(1, "org", "acme"));
  EXPECT_EQ(batch.accounts[0].attributes.size(), 3u);  // empty org is not an attribute
}

TEST(ReadSource, LinkTableWithDefaultsAndBadRows) {
  TempDir dir;
  std::string path = dir.Write("links.csv",
      "src,dst,weight\n"
      "a,b,2.5\n"
      "b,c,\n"
      "c,c,1\n"
      "d,e,-3\n"
      "e,f,abc\n");
  SourceBatch batch = ReadSource(path, {});
  ExpectReconciled(batch);
  EXPECT_EQ(batch.source.format, InputFormat::kLinkTable);
  ASSERT_EQ(batch.links.size(), 2u);
  EXPECT_EQ(batch.links[0].weight, 2.5);
  EXPECT_EQ(batch.links[1].kind, "link");
  EXPECT_EQ(batch.links[1].weight, 1.0);
  EXPECT_EQ(batch.source.rows_rejected, 3);
}

TEST(ReadSource, AnalystListsComeInTwoShapes) {
  TempDir dir;
  IngestOptions options;
  options.list_name = "allow";
  SourceBatch accounts = ReadSource(dir.Write("allow.csv", "account,note\nacct_9,VIP customer\n"), options);
  ASSERT_EQ(accounts.list_entries.size(), 1u);
  EXPECT_EQ(accounts.list_entries[0].account, "acct_9");
  EXPECT_EQ(accounts.list_entries[0].list, "allow");
  EXPECT_EQ(accounts.list_entries[0].note, "VIP customer");

  options.list_name = "seed";
  SourceBatch values = ReadSource(dir.Write("seed.csv", "kind,value\nemail,A.B@gmail.com\nip,bad\n"), options);
  ExpectReconciled(values);
  ASSERT_EQ(values.list_entries.size(), 1u);
  EXPECT_EQ(values.list_entries[0].kind, "email");
  EXPECT_EQ(values.list_entries[0].value, "ab@gmail.com");
  EXPECT_EQ(values.source.rows_rejected, 1);
}

TEST(DetectFormat, RecognisesEveryInputAndExplainsFailures) {
  EXPECT_EQ(DetectFormat("x.jsonl.gz", "", false), InputFormat::kRequestLog);
  EXPECT_EQ(DetectFormat("-", "{\"account\":\"a\"}", false), InputFormat::kRequestLog);
  EXPECT_EQ(DetectFormat("s.csv", "account,kind,value", false), InputFormat::kSignalTable);
  EXPECT_EQ(DetectFormat("s.csv", "\xEF\xBB\xBF" "Account,Kind,Value,TS", false),
            InputFormat::kSignalTable);
  EXPECT_EQ(DetectFormat("a.csv", "account,created_at,country", false), InputFormat::kAccountTable);
  EXPECT_EQ(DetectFormat("l.csv", "src,dst,kind,weight", false), InputFormat::kLinkTable);
  EXPECT_EQ(DetectFormat("l.csv", "account", true), InputFormat::kAccountList);
  EXPECT_EQ(DetectFormat("l.csv", "kind,value,note", true), InputFormat::kValueList);
  EXPECT_THROW(DetectFormat("t.csv", "account,campaign", false), FormatError);
  EXPECT_THROW(DetectFormat("t.csv", "foo,bar", false), FormatError);
  EXPECT_THROW(DetectFormat("t.csv", "foo,bar", true), FormatError);
}

TEST(ReadSource, WrongHeaderFailsTheWholeFile) {
  TempDir dir;
  EXPECT_THROW(ReadSource(dir.Write("h.csv", "user,thing\nx,y\n"), {}), FormatError);
}

TEST(ReadSource, EmptyFileYieldsAnEmptySource) {
  TempDir dir;
  SourceBatch batch = ReadSource(dir.Write("empty.jsonl", ""), {});
  EXPECT_EQ(batch.source.rows_read, 0);
  EXPECT_EQ(batch.source.sha256,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(ReadSource, CsvWithOpenQuoteAtEndIsRejectedNotLost) {
  TempDir dir;
  SourceBatch batch = ReadSource(dir.Write("q.csv", "account,kind,value\na,device,\"open\n"), {});
  ExpectReconciled(batch);
  EXPECT_EQ(batch.source.rows_rejected, 1);
}

}  // namespace
}  // namespace ringscope
