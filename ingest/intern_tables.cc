#include "ingest/intern_tables.h"

#include <algorithm>
#include <stdexcept>

namespace ringscope {

namespace {

constexpr std::size_t kInitialSlots = 256;  // small files stay cheap; growth is geometric
constexpr std::size_t kArenaChunkBytes = 1 << 20;

bool TooFull(std::size_t entries, std::size_t slots) { return (entries + 1) * 4 > slots * 3; }

}  // namespace

// ---- ValueTable ----------------------------------------------------------------

ValueTable::ValueTable() : slots_(kInitialSlots), mask_(kInitialSlots - 1) {}

const ValueTable::Entry* ValueTable::NewEntry(std::uint32_t id, std::uint16_t kind,
                                              std::string_view bytes) {
  if (bytes.size() > 0xFFFFFFFFu) throw std::length_error("value over 4 GiB");
  constexpr std::size_t kAlign = alignof(Entry);
  const std::size_t need = (sizeof(Entry) + bytes.size() + kAlign - 1) / kAlign * kAlign;
  if (need > free_bytes_) {
    const std::size_t chunk = std::max(need, kArenaChunkBytes);
    chunks_.push_back(std::unique_ptr<char[]>(new char[chunk]));
    free_ = chunks_.back().get();
    free_bytes_ = chunk;
  }
  auto* entry = reinterpret_cast<Entry*>(free_);
  entry->id = id;
  entry->size = static_cast<std::uint32_t>(bytes.size());
  entry->kind = kind;
  if (!bytes.empty()) std::memcpy(entry + 1, bytes.data(), bytes.size());
  free_ += need;
  free_bytes_ -= need;
  return entry;
}

std::uint32_t ValueTable::FindOrInsert(std::uint64_t hash, std::uint16_t kind,
                                       std::string_view bytes, bool& inserted) {
  if (TooFull(entries_.size(), slots_.size())) Grow();
  for (std::size_t i = hash & mask_;; i = (i + 1) & mask_) {
    Slot& slot = slots_[i];
    if (slot.entry == nullptr) {
      if (entries_.size() >= 0xFFFFFFFFu) throw std::length_error("more than 2^32-1 values");
      slot.hash = hash;
      slot.entry = NewEntry(static_cast<std::uint32_t>(entries_.size()), kind, bytes);
      entries_.push_back(slot.entry);
      inserted = true;
      return static_cast<std::uint32_t>(entries_.size() - 1);
    }
    const Entry* entry = slot.entry;
    if (slot.hash == hash && entry->kind == kind && entry->size == bytes.size() &&
        std::memcmp(entry + 1, bytes.data(), bytes.size()) == 0) {
      inserted = false;
      return entry->id;
    }
  }
}

void ValueTable::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.size() * 2, Slot{});
  mask_ = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.entry == nullptr) continue;
    std::size_t i = slot.hash & mask_;
    while (slots_[i].entry != nullptr) i = (i + 1) & mask_;
    slots_[i] = slot;
  }
}

// ---- PairCounter --------------------------------------------------------------

PairCounter::PairCounter()
    : slots_(kInitialSlots, Counts{kEmpty, 0, kNoTimestamp, kNoTimestamp}),
      mask_(kInitialSlots - 1) {}

PairCounter::Counts& PairCounter::FindOrInsert(std::uint32_t account, std::uint32_t value,
                                               bool& inserted) {
  if (TooFull(order_.size(), slots_.size())) Grow();
  const std::uint64_t key = Key(account, value);
  if (key == kEmpty) throw std::length_error("account and value indexes must be below 2^32-1");
  for (std::size_t i = Home(key);; i = (i + 1) & mask_) {
    Counts& slot = slots_[i];
    if (slot.key == key) {
      inserted = false;
      return slot;
    }
    if (slot.key == kEmpty) {
      slot.key = key;
      order_.push_back(key);
      inserted = true;
      return slot;
    }
  }
}

const PairCounter::Counts& PairCounter::Find(std::uint64_t key) const {
  for (std::size_t i = Home(key);; i = (i + 1) & mask_) {
    if (slots_[i].key == key) return slots_[i];
  }
}

void PairCounter::Grow() {
  std::vector<Counts> old = std::move(slots_);
  slots_.assign(old.size() * 2, Counts{kEmpty, 0, kNoTimestamp, kNoTimestamp});
  mask_ = slots_.size() - 1;
  for (const Counts& slot : old) {
    if (slot.key == kEmpty) continue;
    std::size_t i = Home(slot.key);
    while (slots_[i].key != kEmpty) i = (i + 1) & mask_;
    slots_[i] = slot;
  }
}

}  // namespace ringscope
