#include "ingest/batch_builder.h"

#include <algorithm>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace ringscope {

namespace {

std::uint64_t HashPair(std::uint32_t a, std::uint32_t b) {
  std::uint64_t key = (static_cast<std::uint64_t>(a) << 32) | b;
  return XXH3_64bits(&key, sizeof key);
}

}  // namespace

BatchBuilder::BatchBuilder() : accounts_(1 << 12), values_(1 << 14), observations_(1 << 14) {}

std::uint32_t BatchBuilder::Account(std::string_view name) {
  auto next = static_cast<std::uint32_t>(batch_.accounts.size());
  std::uint32_t index =
      accounts_.FindOrInsert(XXH3_64bits(name.data(), name.size()), next,
                             [&](std::uint32_t id) { return batch_.accounts[id].name == name; });
  if (index == next) batch_.accounts.push_back(AccountAggregate{.name = std::string(name)});
  return index;
}

std::uint32_t BatchBuilder::Value(std::string_view kind, std::string_view value) {
  // Kinds are few and short: mixing the kind's hash in keeps one table.
  std::uint64_t hash = XXH3_64bits_withSeed(value.data(), value.size(),
                                            XXH3_64bits(kind.data(), kind.size()));
  auto next = static_cast<std::uint32_t>(batch_.values.size());
  std::uint32_t index = values_.FindOrInsert(hash, next, [&](std::uint32_t id) {
    return batch_.values[id].value == value && batch_.values[id].kind == kind;
  });
  if (index == next) {
    batch_.values.push_back(Signal{std::string(kind), std::string(value)});
    example_counts_.push_back(0);
  }
  return index;
}

namespace {

void Widen(Timestamp ts, Timestamp& first, Timestamp& last) {
  if (ts == kNoTimestamp) return;
  if (first == kNoTimestamp || ts < first) first = ts;
  if (last == kNoTimestamp || ts > last) last = ts;
}

}  // namespace

void BatchBuilder::Observe(std::uint32_t account, std::uint32_t value, Timestamp ts) {
  auto next = static_cast<std::uint32_t>(batch_.observations.size());
  std::uint32_t index =
      observations_.FindOrInsert(HashPair(account, value), next, [&](std::uint32_t id) {
        return batch_.observations[id].account == account && batch_.observations[id].value == value;
      });
  if (index == next) {
    batch_.observations.push_back(ObservationAggregate{.account = account, .value = value});
  }
  ObservationAggregate& observation = batch_.observations[index];
  ++observation.count;
  Widen(ts, observation.first_ts, observation.last_ts);
}

void BatchBuilder::CountRequest(std::uint32_t account, Timestamp ts) {
  AccountAggregate& aggregate = batch_.accounts[account];
  ++aggregate.requests;
  Widen(ts, aggregate.first_ts, aggregate.last_ts);
}

void BatchBuilder::AddPromptExample(std::uint32_t value, std::uint32_t account,
                                    std::string_view text) {
  if (example_counts_[value] >= kMaxPromptExamplesPerBatchValue) return;
  // One example per (value, account): the first one seen.
  // Pairs with an example are few (bounded per value): compare through them.
  bool is_new = example_keys_.FindOrInsert(HashPair(account, value), example_pairs_,
                                           [&](std::uint32_t id) {
                                             const PromptExample& e = batch_.prompt_examples[id];
                                             return e.account == account && e.value == value;
                                           }) == example_pairs_;
  if (!is_new) return;
  ++example_pairs_;
  ++example_counts_[value];
  // Truncate on a UTF-8 boundary so the stored example stays valid text.
  std::size_t size = std::min(text.size(), kMaxPromptExampleBytes);
  while (size < text.size() && size > 0 && (static_cast<unsigned char>(text[size]) & 0xC0) == 0x80)
    --size;
  batch_.prompt_examples.push_back(
      PromptExample{.value = value, .account = account, .text = std::string(text.substr(0, size))});
}

void BatchBuilder::Reject(std::int64_t line, std::string field, std::string reason,
                          std::string_view raw) {
  batch_.rejects.push_back(RejectRecord{.line = line,
                                        .field = std::move(field),
                                        .reason = std::move(reason),
                                        .raw = std::string(raw.substr(0, kMaxRejectRawBytes))});
}

void BatchBuilder::SkipField(std::string_view key) {
  auto it = batch_.skipped_fields.find(key);
  if (it == batch_.skipped_fields.end()) {
    batch_.skipped_fields.emplace(std::string(key), 1);
  } else {
    ++it->second;
  }
}

SourceBatch BatchBuilder::Take() {
  SourceBatch out = std::move(batch_);
  *this = BatchBuilder();
  return out;
}

}  // namespace ringscope
