// What one input file contributes to the store, aggregated in memory so the
// store writes it in one transaction: a source is either fully counted or
// absent, whatever happens to the process.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/types.h"

namespace ringscope {

enum class InputFormat {
  kUnknown,
  kRequestLog,    // JSON Lines, one request per line
  kSignalTable,   // CSV account,kind,value[,ts]
  kAccountTable,  // CSV account[,created_at,country,plan,org,...]
  kLinkTable,     // CSV src,dst[,kind][,weight]
  kAccountList,   // CSV account[,note]   (analyst list: allowlist, seeds)
  kValueList,     // CSV kind,value[,note] (analyst list)
  kTruth,         // CSV account,campaign (evaluation only; never ingested)
};
std::string_view InputFormatName(InputFormat format);

struct SourceInfo {
  std::string path;      // as given by the user ("-" for stdin)
  std::int64_t size = 0;  // bytes read from the file (compressed size)
  std::string sha256;    // hex of the raw bytes read
  InputFormat format = InputFormat::kUnknown;
  std::string list_name;  // for analyst lists: "allow", "seed", ...
  std::int64_t rows_read = 0;
  std::int64_t rows_ingested = 0;
  std::int64_t rows_rejected = 0;
  Timestamp started_at = kNoTimestamp;
  Timestamp finished_at = kNoTimestamp;
};

// Per-account totals over this source. Indexes into SourceBatch::accounts are
// local to the batch; the store maps them to database ids.
struct AccountAggregate {
  std::string name;
  std::int64_t requests = 0;  // request-log rows of this account
  Timestamp first_ts = kNoTimestamp;
  Timestamp last_ts = kNoTimestamp;
  Timestamp created_at = kNoTimestamp;  // from an account table
  // Account-table columns: created_at is parsed above; country, plan, org and
  // any other column are kept here as free-form attributes.
  std::vector<std::pair<std::string, std::string>> attributes;
};

struct ObservationAggregate {
  std::uint32_t account = 0;  // index into SourceBatch::accounts
  std::uint32_t value = 0;    // index into SourceBatch::values
  std::int64_t count = 0;
  Timestamp first_ts = kNoTimestamp;
  Timestamp last_ts = kNoTimestamp;
};

struct PromptExample {
  std::uint32_t value = 0;    // the prompt fingerprint's index in SourceBatch::values
  std::uint32_t account = 0;  // who sent it
  std::string text;           // truncated to kMaxPromptExampleBytes
};

// The full normalised template (ingest/normalize.h PromptTemplate) of each
// prompt value of a batch, kept once per value so that the store can sketch
// the ones it has not seen (algorithms/minhash.h). The texts are packed in
// chunks of about 1 MiB: few allocations, and no copy of them all as they grow.
class PromptTemplates {
 public:
  struct Entry {
    std::uint32_t value = 0;  // the prompt fingerprint's index in SourceBatch::values
    std::uint32_t chunk = 0;
    std::uint32_t offset = 0;  // in the chunk
    std::uint32_t size = 0;
  };

  // Keeps `text` as the template of batch value `value`. O(|text|) amortised.
  void Add(std::uint32_t value, std::string_view text) {
    constexpr std::size_t kChunkBytes = 1 << 20;
    if (chunks_.empty() || chunks_.back().size() + text.size() > chunks_.back().capacity()) {
      chunks_.emplace_back().reserve(std::max(kChunkBytes, text.size()));
    }
    std::string& chunk = chunks_.back();
    entries_.push_back(Entry{.value = value,
                             .chunk = static_cast<std::uint32_t>(chunks_.size() - 1),
                             .offset = static_cast<std::uint32_t>(chunk.size()),
                             .size = static_cast<std::uint32_t>(text.size())});
    chunk.append(text);
  }
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  const Entry& entry(std::size_t i) const { return entries_[i]; }
  std::string_view text(std::size_t i) const {
    const Entry& e = entries_[i];
    return std::string_view(chunks_[e.chunk]).substr(e.offset, e.size);
  }
  void clear() {
    entries_.clear();
    chunks_.clear();
  }

 private:
  std::vector<Entry> entries_;  // in order of first appearance of the value
  std::vector<std::string> chunks_;
};

struct LinkRecord {
  std::uint32_t src = 0;  // index into SourceBatch::accounts
  std::uint32_t dst = 0;
  std::string kind = "link";
  double weight = 1.0;
};

struct ListEntry {
  std::string list;      // "allow", "seed", ...
  std::string account;   // for account lists
  std::string kind;      // for value lists (normalised like ingest)
  std::string value;
  std::string note;
};

struct RejectRecord {
  std::int64_t line = 0;  // 1-based line where the row starts
  std::string field;
  std::string reason;
  std::string raw;  // the raw row, truncated to kMaxRejectRawBytes
};
inline constexpr std::size_t kMaxRejectRawBytes = 4096;

struct SourceBatch {
  SourceInfo source;
  std::vector<AccountAggregate> accounts;
  std::vector<Signal> values;
  std::vector<ObservationAggregate> observations;
  std::vector<PromptExample> prompt_examples;
  PromptTemplates prompt_templates;  // one per prompt value (readers fill it for every one)
  std::vector<LinkRecord> links;
  std::vector<ListEntry> list_entries;
  std::vector<RejectRecord> rejects;
  std::map<std::string, std::int64_t, std::less<>> skipped_fields;  // key -> times skipped
};

}  // namespace ringscope
