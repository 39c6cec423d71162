// The two hash tables behind BatchBuilder's hot loop, laid out so that one
// lookup touches as few cache lines as possible and each can be prefetched:
//   ValueTable   (kind, bytes) -> dense id, bytes kept in an arena;
//   PairCounter  (account, value) -> count and first/last timestamps.
// Both use linear probing in power-of-two tables at most 3/4 full, and give
// ids (or keep keys) in order of first insertion.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "ingest/types.h"

namespace ringscope {

class ValueTable {
 public:
  ValueTable();
  ValueTable(ValueTable&&) = default;
  ValueTable& operator=(ValueTable&&) = default;

  // The id of (kind, bytes), filed under `hash` (the caller's hash of both);
  // when absent, the next id, with `inserted` set. Amortised O(|bytes|).
  std::uint32_t FindOrInsert(std::uint64_t hash, std::uint16_t kind, std::string_view bytes,
                             bool& inserted);

  // Cache hints, no effect on results: the slot `hash` starts probing at, and
  // the entry that slot points to (read the slot first: prefetch it earlier).
  void PrefetchSlot(std::uint64_t hash) const { __builtin_prefetch(&slots_[hash & mask_]); }
  void PrefetchEntry(std::uint64_t hash) const {
    const Slot& slot = slots_[hash & mask_];
    if (slot.entry != nullptr) __builtin_prefetch(slot.entry);
  }

  std::size_t size() const { return entries_.size(); }
  std::uint16_t kind(std::uint32_t id) const { return entries_[id]->kind; }
  std::string_view bytes(std::uint32_t id) const {
    return std::string_view(reinterpret_cast<const char*>(entries_[id] + 1), entries_[id]->size);
  }

 private:
  struct Entry {  // followed by `size` bytes
    std::uint32_t id;
    std::uint32_t size;
    std::uint16_t kind;
  };
  struct Slot {
    std::uint64_t hash = 0;
    const Entry* entry = nullptr;  // nullptr: empty
  };
  const Entry* NewEntry(std::uint32_t id, std::uint16_t kind, std::string_view bytes);
  void Grow();

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::vector<const Entry*> entries_;  // by id
  std::vector<std::unique_ptr<char[]>> chunks_;  // the arena; entries never move
  char* free_ = nullptr;
  std::size_t free_bytes_ = 0;
};

class PairCounter {
 public:
  struct Counts {
    std::uint64_t key;  // (account << 32) | value; kEmpty when unused
    std::int64_t count;
    Timestamp first_ts;
    Timestamp last_ts;
  };
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};

  PairCounter();

  // The counts of (account, value), created zeroed (no timestamps) when new,
  // with `inserted` set. The reference is valid until the next insertion.
  // Amortised O(1). Both indexes must be below 0xFFFFFFFF.
  Counts& FindOrInsert(std::uint32_t account, std::uint32_t value, bool& inserted);
  // Cache hint: the slot of (account, value).
  void Prefetch(std::uint32_t account, std::uint32_t value) const {
    __builtin_prefetch(&slots_[Home(Key(account, value))]);
  }

  std::size_t size() const { return order_.size(); }
  // Every pair in order of first insertion: (account, value) and its counts.
  // O(size) lookups.
  template <typename Visit>
  void ForEachInOrder(Visit&& visit) const;

 private:
  static std::uint64_t Key(std::uint32_t account, std::uint32_t value) {
    return (static_cast<std::uint64_t>(account) << 32) | value;
  }
  std::size_t Home(std::uint64_t key) const {
    // murmur3's finaliser: neighbouring keys land far apart.
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdULL;
    key ^= key >> 33;
    key *= 0xc4ceb9fe1a85ec53ULL;
    key ^= key >> 33;
    return key & mask_;
  }
  const Counts& Find(std::uint64_t key) const;
  void Grow();

  std::vector<Counts> slots_;
  std::size_t mask_ = 0;
  std::vector<std::uint64_t> order_;  // keys in order of first insertion
};

template <typename Visit>
void PairCounter::ForEachInOrder(Visit&& visit) const {
  constexpr std::size_t kAhead = 16;
  for (std::size_t i = 0; i < order_.size(); ++i) {
    if (i + kAhead < order_.size()) __builtin_prefetch(&slots_[Home(order_[i + kAhead])]);
    const Counts& counts = Find(order_[i]);
    visit(static_cast<std::uint32_t>(order_[i] >> 32), static_cast<std::uint32_t>(order_[i]),
          counts);
  }
}

}  // namespace ringscope
