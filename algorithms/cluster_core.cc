#include "algorithms/cluster_core.h"

#include <cmath>
#include <unordered_map>

namespace ringscope {

ClusterCore FindClusterCore(const Incidence& incidence, std::span<const AccountId> members,
                            const std::function<bool(ValueId)>& usable_value,
                            const std::function<bool(KindId)>& counts_kind,
                            const ClusterCoreOptions& options) {
  ClusterCore result;
  const auto size = static_cast<std::uint32_t>(members.size());
  result.threshold = size < options.small_cluster_size
                         ? options.small_cluster_min
                         : std::max(options.min_members,
                                    static_cast<std::uint32_t>(std::ceil(options.min_share * size)));
  // How many members have each value.
  std::unordered_map<ValueId, std::uint32_t> members_with;
  for (AccountId a : members)
    for (ValueId v : incidence.values(a)) ++members_with[v];
  for (AccountId a : members) {
    bool core = false;
    for (ValueId v : incidence.values(a)) {
      const std::uint32_t inside = members_with[v];
      const bool own = inside >= options.min_purity * incidence.degree(v);
      if (inside >= result.threshold && own && counts_kind(incidence.kind(v)) && usable_value(v)) {
        core = true;
        break;
      }
    }
    (core ? result.core : result.periphery).push_back(a);
  }
  return result;
}

}  // namespace ringscope
