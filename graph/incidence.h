// Incidence: the account x value bipartite graph every link is derived from.
//
// An observation (account a, value v, count c) says that a was seen c times
// with v ("Everything is an observation", design.md). Values have a kind
// (ip, payment, prompt, ...); kinds and values are dense ids chosen by the
// caller (the CLI maps the database's rowids onto 0..n-1).
//
// Layout: two CSR arrays over the same observations, merged per
// (account, value) pair:
// - by value: the accounts of v are value_accounts[value_offsets[v] ..
//   value_offsets[v+1]), sorted ascending, with their counts alongside;
//   the row length is v's degree (how many accounts share it);
// - by account (the transpose): the values of a, sorted ascending, with the
//   same counts, for per-account look-ups (co-evidence, traffic shares).
// Memory: 16 bytes per merged observation plus 8 per value and per account.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "graph/link_graph.h"

namespace ringscope {

using AccountId = VertexId;  // accounts are the vertices of the link graph
using ValueId = std::uint32_t;
using KindId = std::uint32_t;

// Value ids must stay below this bound: evidence entries use the top bit to
// mark precomputed links (see projection.h).
inline constexpr std::size_t kMaxValues = std::size_t{1} << 31;

// One row of the observations table.
struct Observation {
  AccountId account = 0;
  ValueId value = 0;
  std::uint32_t count = 1;  // times seen together, >= 1
};

class Incidence {
 public:
  Incidence() = default;

  std::size_t num_accounts() const { return account_offsets_.size() - 1; }
  std::size_t num_values() const { return value_kinds_.size(); }
  std::size_t num_kinds() const { return kind_names_.size(); }
  // Merged (account, value) pairs.
  std::size_t num_observations() const { return value_accounts_.size(); }

  // All O(1); ids must be in range (not checked: hot paths).
  KindId kind(ValueId v) const { return value_kinds_[v]; }
  const std::string& kind_name(KindId k) const { return kind_names_[k]; }
  std::span<const std::string> kind_names() const { return kind_names_; }
  std::span<const KindId> value_kinds() const { return value_kinds_; }
  std::uint32_t degree(ValueId v) const {
    return static_cast<std::uint32_t>(value_offsets_[v + 1] - value_offsets_[v]);
  }
  // The accounts of v, ascending, and their observation counts.
  std::span<const AccountId> accounts(ValueId v) const;
  std::span<const std::uint32_t> account_counts(ValueId v) const;
  // The values of a, ascending, and their observation counts.
  std::span<const ValueId> values(AccountId a) const;
  std::span<const std::uint32_t> value_counts(AccountId a) const;

 private:
  friend Incidence BuildIncidence(std::size_t, std::vector<std::string>, std::vector<KindId>,
                                  std::span<const Observation>);

  std::vector<std::string> kind_names_;
  std::vector<KindId> value_kinds_;
  std::vector<std::uint64_t> value_offsets_ = {0};  // num_values + 1
  std::vector<AccountId> value_accounts_;
  std::vector<std::uint32_t> value_counts_;
  std::vector<std::uint64_t> account_offsets_ = {0};  // num_accounts + 1
  std::vector<ValueId> account_values_;
  std::vector<std::uint32_t> account_value_counts_;
};

// Builds the incidence of accounts 0..num_accounts-1 and values
// 0..value_kinds.size()-1 (value v has kind value_kinds[v], an index into
// kind_names) from observation triples in any order. Triples naming the same
// (account, value) are merged by summing their counts (saturating at 2^32-1).
// Throws std::invalid_argument, naming the offending item with expected and
// actual values, when: an account or value id is out of range, a count is 0,
// a kind id is out of range, a kind name is empty or repeated, or there are
// more than 2^32-1 accounts or observations or 2^31 values.
// O(A + V + E log D) time for E triples and D the largest account degree
// (a counting sort by account, then a sort of each account's row);
// O(A + V + E) memory.
Incidence BuildIncidence(std::size_t num_accounts, std::vector<std::string> kind_names,
                         std::vector<KindId> value_kinds,
                         std::span<const Observation> observations);

}  // namespace ringscope
