// BuildIncidence: validation, a counting sort by account, a per-row sort and
// merge, then the transpose by value. See incidence.h for the layout.
#include "graph/incidence.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <set>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace ringscope {
namespace {

constexpr std::uint64_t kMaxCount = std::numeric_limits<std::uint32_t>::max();

[[noreturn]] void Fail(const std::string& what) {
  throw std::invalid_argument("BuildIncidence: " + what);
}

void ValidateKinds(std::size_t num_accounts, const std::vector<std::string>& kind_names,
                   const std::vector<KindId>& value_kinds) {
  if (num_accounts >= std::numeric_limits<AccountId>::max()) {
    Fail("num_accounts " + std::to_string(num_accounts) + ", expected < " +
         std::to_string(std::numeric_limits<AccountId>::max()));
  }
  if (value_kinds.size() > kMaxValues) {
    Fail(std::to_string(value_kinds.size()) + " values, expected <= " + std::to_string(kMaxValues));
  }
  std::set<std::string_view> seen;
  for (std::size_t k = 0; k < kind_names.size(); ++k) {
    if (kind_names[k].empty()) Fail("kind " + std::to_string(k) + " has an empty name");
    if (!seen.insert(kind_names[k]).second) {
      Fail("kind " + std::to_string(k) + " repeats the name '" + kind_names[k] + "'");
    }
  }
  for (std::size_t v = 0; v < value_kinds.size(); ++v) {
    if (value_kinds[v] >= kind_names.size()) {
      Fail("value " + std::to_string(v) + " has kind " + std::to_string(value_kinds[v]) +
           ", expected < " + std::to_string(kind_names.size()) + " (number of kinds)");
    }
  }
}

void ValidateObservations(std::size_t num_accounts, std::size_t num_values,
                          std::span<const Observation> observations) {
  if (observations.size() > std::numeric_limits<std::uint32_t>::max()) {
    Fail(std::to_string(observations.size()) +
         " observations, expected <= " + std::to_string(std::numeric_limits<std::uint32_t>::max()));
  }
  for (std::size_t i = 0; i < observations.size(); ++i) {
    const Observation& o = observations[i];
    const std::string where = "observation " + std::to_string(i);
    if (o.account >= num_accounts) {
      Fail(where + " has account " + std::to_string(o.account) + ", expected < " +
           std::to_string(num_accounts) + " (number of accounts)");
    }
    if (o.value >= num_values) {
      Fail(where + " has value " + std::to_string(o.value) + ", expected < " +
           std::to_string(num_values) + " (number of values)");
    }
    if (o.count == 0) Fail(where + " has count 0, expected >= 1");
  }
}

// Rows by account: counting sort of the triples, then each row sorted by
// value with equal values merged. Fills the account-side arrays.
void BuildAccountRows(std::size_t num_accounts, std::span<const Observation> observations,
                      std::vector<std::uint64_t>& offsets, std::vector<ValueId>& values,
                      std::vector<std::uint32_t>& counts) {
  std::vector<std::uint64_t> next(num_accounts + 1, 0);
  for (const Observation& o : observations) ++next[o.account + 1];
  for (std::size_t a = 0; a < num_accounts; ++a) next[a + 1] += next[a];
  std::vector<std::pair<ValueId, std::uint32_t>> rows(observations.size());
  std::vector<std::uint64_t> start(next.begin(), next.end());
  for (const Observation& o : observations) rows[next[o.account]++] = {o.value, o.count};

  offsets.assign(num_accounts + 1, 0);
  values.reserve(rows.size());
  counts.reserve(rows.size());
  for (std::size_t a = 0; a < num_accounts; ++a) {
    const auto begin = rows.begin() + static_cast<std::ptrdiff_t>(start[a]);
    const auto end = rows.begin() + static_cast<std::ptrdiff_t>(start[a + 1]);
    std::sort(begin, end);
    for (auto it = begin; it != end; ++it) {
      if (values.size() > offsets[a] && values.back() == it->first) {
        counts.back() = static_cast<std::uint32_t>(
            std::min<std::uint64_t>(kMaxCount, std::uint64_t{counts.back()} + it->second));
      } else {
        values.push_back(it->first);
        counts.push_back(it->second);
      }
    }
    offsets[a + 1] = values.size();
  }
}

}  // namespace

std::span<const AccountId> Incidence::accounts(ValueId v) const {
  return {value_accounts_.data() + value_offsets_[v], degree(v)};
}
std::span<const std::uint32_t> Incidence::account_counts(ValueId v) const {
  return {value_counts_.data() + value_offsets_[v], degree(v)};
}
std::span<const ValueId> Incidence::values(AccountId a) const {
  const std::uint64_t begin = account_offsets_[a];
  return {account_values_.data() + begin, account_offsets_[a + 1] - begin};
}
std::span<const std::uint32_t> Incidence::value_counts(AccountId a) const {
  const std::uint64_t begin = account_offsets_[a];
  return {account_value_counts_.data() + begin, account_offsets_[a + 1] - begin};
}

Incidence BuildIncidence(std::size_t num_accounts, std::vector<std::string> kind_names,
                         std::vector<KindId> value_kinds,
                         std::span<const Observation> observations) {
  ValidateKinds(num_accounts, kind_names, value_kinds);
  ValidateObservations(num_accounts, value_kinds.size(), observations);
  Incidence inc;
  inc.kind_names_ = std::move(kind_names);
  inc.value_kinds_ = std::move(value_kinds);
  BuildAccountRows(num_accounts, observations, inc.account_offsets_, inc.account_values_,
                   inc.account_value_counts_);

  // Transpose: walking accounts in increasing order leaves every value row
  // sorted by account.
  const std::size_t num_values = inc.value_kinds_.size();
  std::vector<std::uint64_t> next(num_values + 1, 0);
  for (ValueId v : inc.account_values_) ++next[v + 1];
  for (std::size_t v = 0; v < num_values; ++v) next[v + 1] += next[v];
  inc.value_offsets_ = next;
  inc.value_accounts_.resize(inc.account_values_.size());
  inc.value_counts_.resize(inc.account_values_.size());
  for (AccountId a = 0; a < num_accounts; ++a) {
    for (std::uint64_t i = inc.account_offsets_[a]; i < inc.account_offsets_[a + 1]; ++i) {
      const std::uint64_t slot = next[inc.account_values_[i]]++;
      inc.value_accounts_[slot] = a;
      inc.value_counts_[slot] = inc.account_value_counts_[i];
    }
  }
  return inc;
}

}  // namespace ringscope
