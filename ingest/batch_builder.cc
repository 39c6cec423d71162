#include "ingest/batch_builder.h"

#include <algorithm>
#include <stdexcept>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace ringscope {

BatchBuilder::BatchBuilder() : accounts_(256) {}

std::uint64_t BatchBuilder::AccountHash(std::string_view name) {
  return XXH3_64bits(name.data(), name.size());
}

// Kinds are few and short: seeding the value's hash with the kind's keeps one
// table for all of them.
std::uint64_t BatchBuilder::KindSeed(std::string_view kind) {
  return XXH3_64bits(kind.data(), kind.size());
}

std::uint64_t BatchBuilder::ValueHash(std::uint64_t kind_seed, std::string_view value) {
  return XXH3_64bits_withSeed(value.data(), value.size(), kind_seed);
}

std::uint32_t BatchBuilder::Account(std::string_view name) {
  return Account(name, AccountHash(name));
}

std::uint32_t BatchBuilder::Account(std::string_view name, std::uint64_t hash) {
  auto next = static_cast<std::uint32_t>(batch_.accounts.size());
  std::uint32_t index = accounts_.FindOrInsert(
      hash, next, [&](std::uint32_t id) { return batch_.accounts[id].name == name; });
  if (index == next) batch_.accounts.push_back(AccountAggregate{.name = std::string(name)});
  return index;
}

std::uint16_t BatchBuilder::Kind(std::string_view kind) {
  for (std::size_t i = 0; i < kind_names_.size(); ++i) {
    if (kind_names_[i] == kind) return static_cast<std::uint16_t>(i);
  }
  if (kind_names_.size() > 0xFFFF) throw std::length_error("more than 65536 signal kinds");
  kind_names_.emplace_back(kind);
  kind_seeds_.push_back(KindSeed(kind));
  return static_cast<std::uint16_t>(kind_names_.size() - 1);
}

std::uint32_t BatchBuilder::Value(std::string_view kind, std::string_view value) {
  const std::uint16_t id = Kind(kind);
  return Value(id, value, ValueHash(kind_seeds_[id], value));
}

std::uint32_t BatchBuilder::Value(std::uint16_t kind, std::string_view value,
                                  std::uint64_t hash) {
  if (kind >= kind_names_.size()) throw std::out_of_range("unknown kind id");
  bool inserted = false;
  const std::uint32_t index = values_.FindOrInsert(hash, kind, value, inserted);
  if (inserted) {
    example_counts_.push_back(0);
    has_template_.push_back(0);
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

bool BatchBuilder::Observe(std::uint32_t account, std::uint32_t value, Timestamp ts) {
  bool inserted = false;
  PairCounter::Counts& counts = observations_.FindOrInsert(account, value, inserted);
  ++counts.count;
  Widen(ts, counts.first_ts, counts.last_ts);
  return inserted;
}

void BatchBuilder::ObservePrompt(std::uint32_t account, std::uint32_t value, Timestamp ts,
                                 std::string_view text) {
  // A pair seen before either has its example or came when the value was
  // already full, and values only fill up: only a first sighting can add one.
  if (!Observe(account, value, ts) || example_counts_[value] >= kMaxPromptExamplesPerBatchValue)
    return;
  ++example_counts_[value];
  // Truncate on a UTF-8 boundary so the stored example stays valid text.
  std::size_t size = std::min(text.size(), kMaxPromptExampleBytes);
  while (size < text.size() && size > 0 && (static_cast<unsigned char>(text[size]) & 0xC0) == 0x80)
    --size;
  batch_.prompt_examples.push_back(
      PromptExample{.value = value, .account = account, .text = std::string(text.substr(0, size))});
}

void BatchBuilder::KeepPromptTemplate(std::uint32_t value, std::string_view text) {
  if (value >= has_template_.size()) throw std::out_of_range("unknown value index");
  if (has_template_[value] != 0) return;
  has_template_[value] = 1;
  batch_.prompt_templates.Add(value, text);
}

void BatchBuilder::CountRequest(std::uint32_t account, Timestamp ts) {
  AccountAggregate& aggregate = batch_.accounts[account];
  ++aggregate.requests;
  Widen(ts, aggregate.first_ts, aggregate.last_ts);
}

void BatchBuilder::Reject(std::int64_t line, std::string field, std::string reason,
                          std::string_view raw) {
  batch_.rejects.push_back(RejectRecord{.line = line,
                                        .field = std::move(field),
                                        .reason = std::move(reason),
                                        .raw = std::string(raw.substr(0, kMaxRejectRawBytes))});
}

void BatchBuilder::SkipField(std::string_view key, std::int64_t times) {
  auto it = batch_.skipped_fields.find(key);
  if (it == batch_.skipped_fields.end()) {
    batch_.skipped_fields.emplace(std::string(key), times);
  } else {
    it->second += times;
  }
}

SourceBatch BatchBuilder::Take() {
  batch_.values.clear();
  batch_.values.reserve(values_.size());
  for (std::uint32_t id = 0; id < values_.size(); ++id) {
    batch_.values.push_back(Signal{kind_names_[values_.kind(id)], std::string(values_.bytes(id))});
  }
  batch_.observations.clear();
  batch_.observations.reserve(observations_.size());
  observations_.ForEachInOrder(
      [&](std::uint32_t account, std::uint32_t value, const PairCounter::Counts& counts) {
        batch_.observations.push_back(ObservationAggregate{.account = account,
                                                          .value = value,
                                                          .count = counts.count,
                                                          .first_ts = counts.first_ts,
                                                          .last_ts = counts.last_ts});
      });
  SourceBatch out = std::move(batch_);
  *this = BatchBuilder();
  return out;
}

}  // namespace ringscope
