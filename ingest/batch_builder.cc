#include "ingest/batch_builder.h"

#include <algorithm>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace ringscope {

std::size_t BatchBuilder::StringHash::operator()(std::string_view s) const noexcept {
  return static_cast<std::size_t>(XXH3_64bits(s.data(), s.size()));
}

BatchBuilder::BatchBuilder() {
  accounts_.reserve(1 << 12);
  values_.reserve(1 << 14);
  observations_.reserve(1 << 14);
}

std::uint32_t BatchBuilder::Account(std::string_view name) {
  if (auto it = accounts_.find(name); it != accounts_.end()) return it->second;
  auto index = static_cast<std::uint32_t>(batch_.accounts.size());
  batch_.accounts.push_back(AccountAggregate{.name = std::string(name)});
  accounts_.emplace(std::string(name), index);
  return index;
}

std::uint32_t BatchBuilder::Value(std::string_view kind, std::string_view value) {
  // Key: kind, a NUL separator (kinds never hold NUL), value.
  key_scratch_.assign(kind);
  key_scratch_ += '\0';
  key_scratch_.append(value);
  if (auto it = values_.find(key_scratch_); it != values_.end()) return it->second;
  auto index = static_cast<std::uint32_t>(batch_.values.size());
  batch_.values.push_back(Signal{std::string(kind), std::string(value)});
  example_counts_.push_back(0);
  values_.emplace(key_scratch_, index);
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
  std::uint64_t key = (static_cast<std::uint64_t>(account) << 32) | value;
  auto [it, inserted] =
      observations_.try_emplace(key, static_cast<std::uint32_t>(batch_.observations.size()));
  if (inserted) {
    batch_.observations.push_back(ObservationAggregate{.account = account, .value = value});
  }
  ObservationAggregate& observation = batch_.observations[it->second];
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
  std::uint64_t key = (static_cast<std::uint64_t>(account) << 32) | value;
  if (!example_keys_.insert(key).second) return;
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
