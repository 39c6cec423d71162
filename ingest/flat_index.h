// An open-addressing hash index: maps a 64-bit hash to a dense uint32 id,
// with the caller deciding equality (ids refer to the caller's own vector).
// One cache miss per lookup where std::unordered_map takes several: the
// ingest hot loop does a few of these per field of every log line.
#pragma once

#include <cstdint>
#include <vector>

namespace ringscope {

class FlatIndex {
 public:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

  explicit FlatIndex(std::size_t initial_capacity = 1024) { Resize(RoundUp(initial_capacity)); }

  // The id stored for `hash` whose caller-side key matches (`equal(id)`), or,
  // when none matches, stores `new_id` and returns it. Amortised O(1).
  template <typename Equal>
  std::uint32_t FindOrInsert(std::uint64_t hash, std::uint32_t new_id, Equal&& equal) {
    if ((size_ + 1) * 4 > slots_.size() * 3) Grow();
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.id == kNone) {
        slot = Slot{hash, new_id};
        ++size_;
        return new_id;
      }
      if (slot.hash == hash && equal(slot.id)) return slot.id;
    }
  }

  // Fetches the slot `hash` starts probing at into the cache (a hint only).
  void Prefetch(std::uint64_t hash) const {
    __builtin_prefetch(&slots_[hash & (slots_.size() - 1)]);
  }

  std::size_t size() const { return size_; }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t id = kNone;
  };
  static std::size_t RoundUp(std::size_t n) {
    std::size_t capacity = 16;
    while (capacity < n) capacity *= 2;
    return capacity;
  }
  void Resize(std::size_t capacity) { slots_.assign(capacity, Slot{}); }
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    Resize(old.size() * 2);
    std::size_t mask = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (slot.id == kNone) continue;
      std::size_t i = slot.hash & mask;
      while (slots_[i].id != kNone) i = (i + 1) & mask;
      slots_[i] = slot;
    }
  }
  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};

}  // namespace ringscope
