// The core of a cluster: the members tied to a substantial part of it by
// their own evidence. Community detection attaches accounts to a campaign
// through one coincidence (a household IP shared with one member, a common
// question asked by two); a ban must rest on each account's own ties, so a
// member stays only when one of its values is shared by a good part of the
// cluster.
//
// Rule: member a is core when some value v of a, of a kind that counts
// (`counts_kind`), not demoted as a benign hub (`usable_value`), is shared
// by at least t members of the cluster, where t = small_cluster_min for
// clusters of fewer than small_cluster_size members and max(min_members,
// ceil(min_share * size)) otherwise, and is the cluster's own: at least
// min_purity of all the accounts that have v are members. A campaign's card
// pool, device farm or template family is its own (purity near 1); a popular
// question or a common client that some members also send is mostly held by
// accounts outside (purity 0.03-0.67 on generator worlds), and binds nobody.
// Complexity: O(sum over members of their values) with a hash map of the
// cluster's values.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "graph/incidence.h"

namespace ringscope {

struct ClusterCoreOptions {
  double min_share = 0.1;            // of the cluster's members
  std::uint32_t min_members = 3;     // absolute floor for ordinary clusters
  std::uint32_t small_cluster_size = 5;
  std::uint32_t small_cluster_min = 2;  // pairs and triples: any shared value
  double min_purity = 0.75;  // members among the value's accounts
};

struct ClusterCore {
  std::vector<AccountId> core;       // ascending
  std::vector<AccountId> periphery;  // ascending
  std::uint32_t threshold = 0;       // t
};

// `members` ascending, no duplicates. `usable_value(v)` is false for values
// that must not tie (demoted hubs); `counts_kind(k)` false for kinds too weak
// to tie on their own (subnet, user agent).
ClusterCore FindClusterCore(const Incidence& incidence, std::span<const AccountId> members,
                            const std::function<bool(ValueId)>& usable_value,
                            const std::function<bool(KindId)>& counts_kind,
                            const ClusterCoreOptions& options = {});

}  // namespace ringscope
