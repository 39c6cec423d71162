// Fuzzes the request-log (JSON Lines) reader the way ReadSource drives it: the
// first line taken by a LineReader, the rest cut into blocks and parsed,
// validated and normalised line by line, then aggregated into a batch. The
// first input byte picks the options (strict mode, line limit, read size,
// declared kinds), the rest is the file. Checks the reader's promises: it
// never crashes, every line is counted, every data row is ingested or
// rejected (rows_read = rows_ingested + rows_rejected), --strict throws only
// StrictModeError, and the batch's indexes are in range.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_util.h"
#include "ingest/batch_builder.h"
#include "ingest/ingest.h"
#include "ingest/request_log.h"

namespace ringscope {
namespace {

constexpr std::size_t kLineLimits[] = {kDefaultMaxLineBytes, 64, 200, 4096};
constexpr std::size_t kChunks[] = {1 << 16, 1, 3, 7, 64, 333, 4096, 1 << 20};

// Lines as LineReader counts them: one per '\n', plus an unterminated last one.
std::int64_t CountLines(std::string_view text) {
  std::int64_t lines = 0;
  for (char c : text) lines += c == '\n';
  if (!text.empty() && text.back() != '\n') ++lines;
  return lines;
}

void CheckBatch(const SourceBatch& batch, std::int64_t lines, const IngestOptions& options) {
  const SourceInfo& s = batch.source;
  FUZZ_CHECK(s.rows_read == s.rows_ingested + s.rows_rejected);
  FUZZ_CHECK(s.rows_read <= lines);
  FUZZ_CHECK(static_cast<std::int64_t>(batch.rejects.size()) == s.rows_rejected);
  for (const RejectRecord& r : batch.rejects) {
    FUZZ_CHECK(r.line >= 1 && r.line <= lines);
    FUZZ_CHECK(r.raw.size() <= kMaxRejectRawBytes);
    FUZZ_CHECK(!r.reason.empty());
  }
  std::int64_t requests = 0;
  for (const AccountAggregate& a : batch.accounts) {
    FUZZ_CHECK(!a.name.empty() && a.name.size() <= options.max_account_bytes);
    requests += a.requests;
  }
  FUZZ_CHECK(requests == s.rows_ingested);
  for (const Signal& v : batch.values) FUZZ_CHECK(!v.kind.empty() && !v.value.empty());
  for (const ObservationAggregate& o : batch.observations) {
    FUZZ_CHECK(o.account < batch.accounts.size() && o.value < batch.values.size());
    FUZZ_CHECK(o.count >= 1);
  }
  for (const PromptExample& e : batch.prompt_examples) {
    FUZZ_CHECK(e.value < batch.values.size() && e.account < batch.accounts.size());
    FUZZ_CHECK(e.text.size() <= kMaxPromptExampleBytes);
  }
}

}  // namespace
}  // namespace ringscope

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ringscope;
  fuzz::OptionBytes option_bytes(data, size);
  const std::uint8_t config = option_bytes.Next();
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  IngestOptions options;
  options.strict = config & 1;
  options.max_line_bytes = kLineLimits[(config >> 1) & 3];
  if (config & 0x40) options.extra_kinds = {"org_id", "session"};
  if (config & 0x80) options.max_value_bytes = 16;
  options.threads = 1;
  fuzz::MemorySource source(text, kChunks[(config >> 3) & 7]);

  LineReader lines(source, options.max_line_bytes);
  Line first;
  if (!lines.Next(first)) {
    FUZZ_CHECK(text.empty());
    return 0;
  }
  const std::string first_text(first.text);
  std::vector<char> pending;
  const bool more = lines.DetachBuffered(pending);
  BatchBuilder builder;
  std::int64_t lines_read = 0;
  try {
    lines_read = ReadRequestLog("fuzz.jsonl", options, source,
                                Line{first_text, first.number, first.too_long},
                                std::move(pending), more, builder);
  } catch (const StrictModeError&) {
    FUZZ_CHECK(options.strict);
    return 0;
  }
  FUZZ_CHECK(lines_read == CountLines(text));
  CheckBatch(builder.Take(), lines_read, options);
  return 0;
}
