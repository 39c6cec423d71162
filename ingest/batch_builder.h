// Aggregates parsed rows of one source into a SourceBatch: accounts and values
// are interned once, and repeated (account, value) pairs become one counted
// observation, so the store writes each pair once per file.
//
// Accounts, values and observations get batch indexes in order of first use,
// so the same calls in the same order give the same batch. Hashes can be
// computed ahead (on other threads) with the static functions; passing them in
// gives exactly the result of the overloads that hash themselves.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/batch.h"
#include "ingest/flat_index.h"
#include "ingest/intern_tables.h"

namespace ringscope {

class BatchBuilder {
 public:
  BatchBuilder();

  // The hash Account() files `name` under.
  static std::uint64_t AccountHash(std::string_view name);
  // The seed of a kind's value hashes, and the hash Value() files a value of
  // that kind under.
  static std::uint64_t KindSeed(std::string_view kind);
  static std::uint64_t ValueHash(std::uint64_t kind_seed, std::string_view value);

  // Index of the account in batch().accounts, created on first use. O(1) amortised.
  std::uint32_t Account(std::string_view name);
  std::uint32_t Account(std::string_view name, std::uint64_t hash);  // hash = AccountHash(name)
  // A small id for a kind name (interned on first use; kinds are few). O(kinds).
  std::uint16_t Kind(std::string_view kind);
  // Index of the (kind, value) pair in the batch's values, created on first
  // use. O(1) amortised.
  std::uint32_t Value(std::string_view kind, std::string_view value);
  // hash = ValueHash(KindSeed(name of kind), value).
  std::uint32_t Value(std::uint16_t kind, std::string_view value, std::uint64_t hash);
  // Counts one sighting of `value` by `account` at `ts` (may be kNoTimestamp).
  // True when it is the pair's first.
  bool Observe(std::uint32_t account, std::uint32_t value, Timestamp ts);
  // Observe() for a prompt value, keeping `text` as an example of the value
  // when this is the account's first sighting of it and the value has fewer
  // than kMaxPromptExamplesPerBatchValue examples: the first distinct accounts
  // win, each with its first text.
  void ObservePrompt(std::uint32_t account, std::uint32_t value, Timestamp ts,
                     std::string_view text);
  // Keeps `text`, the full normalised template of prompt value `value`
  // (PromptTemplate of the raw prompt), unless the value already has one: the
  // first template given wins. O(|text|) when kept, O(1) otherwise.
  void KeepPromptTemplate(std::uint32_t value, std::string_view text);
  // True when KeepPromptTemplate has kept a template for `value`. O(1).
  bool HasPromptTemplate(std::uint32_t value) const { return has_template_[value] != 0; }
  // Counts one request-log row of `account`.
  void CountRequest(std::uint32_t account, Timestamp ts);

  // Cache hints that Value(…, hash), Account(…, hash) or Observe(account,
  // value, …) come soon; no effect on the result. For a value, fetch the slot
  // (PrefetchValue) some calls before its entry (PrefetchValueEntry).
  void PrefetchAccount(std::uint64_t hash) const { accounts_.Prefetch(hash); }
  void PrefetchValue(std::uint64_t hash) const { values_.PrefetchSlot(hash); }
  void PrefetchValueEntry(std::uint64_t hash) const { values_.PrefetchEntry(hash); }
  void PrefetchObservation(std::uint32_t account, std::uint32_t value) const {
    observations_.Prefetch(account, value);
  }

  void Reject(std::int64_t line, std::string field, std::string reason, std::string_view raw);
  void SkipField(std::string_view key, std::int64_t times = 1);

  // The batch being built. Its values and observations are filled in by
  // Take(); everything else is current.
  SourceBatch& batch() { return batch_; }
  // Hands the batch over; the builder is empty afterwards. O(values + pairs).
  SourceBatch Take();

 private:
  SourceBatch batch_;
  FlatIndex accounts_;
  ValueTable values_;
  PairCounter observations_;
  std::vector<std::string> kind_names_;
  std::vector<std::uint64_t> kind_seeds_;
  std::vector<std::uint8_t> example_counts_;  // per value
  std::vector<std::uint8_t> has_template_;    // per value: 1 once its template is kept
};

inline constexpr int kMaxPromptExamplesPerBatchValue = 8;

}  // namespace ringscope
