// Stable cluster ids across runs: a cluster of this run inherits the id of
// the previous run's cluster it overlaps most, so "c_0042" keeps naming the
// same campaign while it grows, shrinks or drifts, and the ban list's
// "what changed since the last export" compares like with like.
//
// Matching is greedy by overlap (largest first; ties by the smaller current
// cluster index, then previous index): a pair is matched when both are still
// free and the overlap is at least `min_overlap_share` of the smaller of the
// two. Unmatched clusters get fresh ids "c_%04d" from `next_number` on, in
// the order of the current cluster indexes.
// Complexity: O(n + P log P) for n accounts and P overlapping pairs.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ringscope {

inline constexpr std::uint32_t kNoCluster = 0xFFFFFFFFu;

struct ClusterIdOptions {
  double min_overlap_share = 0.5;
};

struct ClusterIdResult {
  std::vector<std::string> ids;  // per current cluster index
  std::size_t inherited = 0;     // clusters that kept a previous id
  std::size_t fresh = 0;         // clusters that got a new id
  std::uint32_t next_number = 0;  // the counter after the fresh ids
};

// `current[a]` and `previous[a]` are the cluster indexes of account a in this
// and the previous run (kNoCluster: in none); both spans have one entry per
// account. `previous_ids[p]` is the id of previous cluster p. `current` must
// use indexes 0..num_current-1. Throws std::invalid_argument on size
// mismatches or indexes out of range.
ClusterIdResult AssignStableClusterIds(std::span<const std::uint32_t> current,
                                       std::size_t num_current,
                                       std::span<const std::uint32_t> previous,
                                       std::span<const std::string> previous_ids,
                                       std::uint32_t next_number,
                                       const ClusterIdOptions& options = {});

// "c_0042" for 42; wider numbers keep all their digits.
std::string FormatClusterId(std::uint32_t number);

// The number of "c_0042" (42), or -1 when the id is not of that form.
std::int64_t ParseClusterNumber(std::string_view id);

}  // namespace ringscope
