// Aggregates parsed rows of one source into a SourceBatch: accounts and values
// are interned once, and repeated (account, value) pairs become one counted
// observation, so the store writes each pair once per file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/batch.h"
#include "ingest/flat_index.h"

namespace ringscope {

class BatchBuilder {
 public:
  BatchBuilder();

  // Index of the account in batch().accounts, created on first use.
  std::uint32_t Account(std::string_view name);
  // Index of the (kind, value) pair in batch().values, created on first use.
  std::uint32_t Value(std::string_view kind, std::string_view value);
  // Counts one sighting of `value` by `account` at `ts` (may be kNoTimestamp).
  void Observe(std::uint32_t account, std::uint32_t value, Timestamp ts);
  // Counts one request-log row of `account`.
  void CountRequest(std::uint32_t account, Timestamp ts);
  // Keeps `text` as an example of a prompt value, while the value has fewer
  // than kMaxPromptExamplesPerBatchValue examples from distinct accounts.
  void AddPromptExample(std::uint32_t value, std::uint32_t account, std::string_view text);

  void Reject(std::int64_t line, std::string field, std::string reason, std::string_view raw);
  void SkipField(std::string_view key);

  SourceBatch& batch() { return batch_; }
  // Hands the batch over; the builder is empty afterwards.
  SourceBatch Take();

 private:
  SourceBatch batch_;
  FlatIndex accounts_;
  FlatIndex values_;
  FlatIndex observations_;
  std::vector<std::uint8_t> example_counts_;  // per value
  FlatIndex example_keys_;  // (account, value) pairs that have an example
  std::uint32_t example_pairs_ = 0;
};

inline constexpr int kMaxPromptExamplesPerBatchValue = 8;

}  // namespace ringscope
