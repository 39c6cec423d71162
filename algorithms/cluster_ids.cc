#include "algorithms/cluster_ids.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <tuple>

namespace ringscope {

namespace {

struct Overlap {
  std::uint32_t current;
  std::uint32_t previous;
  std::uint32_t shared;
};

// Sizes of each cluster and the (current, previous) overlap counts.
std::vector<Overlap> CountOverlaps(std::span<const std::uint32_t> current,
                                   std::span<const std::uint32_t> previous) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  for (std::size_t a = 0; a < current.size(); ++a) {
    if (current[a] != kNoCluster && previous[a] != kNoCluster)
      pairs.emplace_back(current[a], previous[a]);
  }
  std::sort(pairs.begin(), pairs.end());
  std::vector<Overlap> overlaps;
  for (std::size_t i = 0; i < pairs.size();) {
    std::size_t j = i;
    while (j < pairs.size() && pairs[j] == pairs[i]) ++j;
    overlaps.push_back({pairs[i].first, pairs[i].second, static_cast<std::uint32_t>(j - i)});
    i = j;
  }
  return overlaps;
}

std::vector<std::uint32_t> Sizes(std::span<const std::uint32_t> labels, std::size_t count) {
  std::vector<std::uint32_t> sizes(count, 0);
  for (std::uint32_t label : labels)
    if (label != kNoCluster) ++sizes[label];
  return sizes;
}

}  // namespace

std::string FormatClusterId(std::uint32_t number) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "c_%04u", number);
  return buf;
}

std::int64_t ParseClusterNumber(std::string_view id) {
  if (id.size() < 3 || id.substr(0, 2) != "c_") return -1;
  std::int64_t number = 0;
  for (char c : id.substr(2)) {
    if (c < '0' || c > '9' || number > (1LL << 40)) return -1;
    number = number * 10 + (c - '0');
  }
  return number;
}

ClusterIdResult AssignStableClusterIds(std::span<const std::uint32_t> current,
                                       std::size_t num_current,
                                       std::span<const std::uint32_t> previous,
                                       std::span<const std::string> previous_ids,
                                       std::uint32_t next_number,
                                       const ClusterIdOptions& options) {
  if (current.size() != previous.size())
    throw std::invalid_argument("AssignStableClusterIds: " + std::to_string(current.size()) +
                                " current labels but " + std::to_string(previous.size()) +
                                " previous labels; expected one of each per account");
  for (std::uint32_t label : current)
    if (label != kNoCluster && label >= num_current)
      throw std::invalid_argument("AssignStableClusterIds: current cluster " +
                                  std::to_string(label) + " >= num_current " +
                                  std::to_string(num_current));
  for (std::uint32_t label : previous)
    if (label != kNoCluster && label >= previous_ids.size())
      throw std::invalid_argument("AssignStableClusterIds: previous cluster " +
                                  std::to_string(label) + " has no id (" +
                                  std::to_string(previous_ids.size()) + " ids given)");

  std::vector<std::uint32_t> current_size = Sizes(current, num_current);
  std::vector<std::uint32_t> previous_size = Sizes(previous, previous_ids.size());
  std::vector<Overlap> overlaps = CountOverlaps(current, previous);
  std::sort(overlaps.begin(), overlaps.end(), [](const Overlap& x, const Overlap& y) {
    return std::tuple(y.shared, x.current, x.previous) < std::tuple(x.shared, y.current, y.previous);
  });

  ClusterIdResult result;
  result.ids.assign(num_current, std::string());
  std::vector<bool> previous_taken(previous_ids.size(), false);
  for (const Overlap& o : overlaps) {
    if (!result.ids[o.current].empty() || previous_taken[o.previous]) continue;
    double smaller = std::min(current_size[o.current], previous_size[o.previous]);
    if (o.shared < options.min_overlap_share * smaller) continue;
    result.ids[o.current] = previous_ids[o.previous];
    previous_taken[o.previous] = true;
    ++result.inherited;
  }
  for (std::string& id : result.ids) {
    if (!id.empty()) continue;
    id = FormatClusterId(next_number++);
    ++result.fresh;
  }
  result.next_number = next_number;
  return result;
}

}  // namespace ringscope
