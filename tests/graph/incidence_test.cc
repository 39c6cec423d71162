#include "graph/incidence.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace ringscope {
namespace {

std::vector<std::string> Kinds() { return {"ip", "payment"}; }

// Expects `f` to throw std::invalid_argument whose message contains `part`.
template <class F>
void ExpectInvalid(F&& f, const std::string& part) {
  try {
    f();
    ADD_FAILURE() << "expected std::invalid_argument containing '" << part << "'";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

TEST(Incidence, EmptyIncidenceHasNoAccountNoValue) {
  const Incidence empty;
  EXPECT_EQ(empty.num_accounts(), 0u);
  EXPECT_EQ(empty.num_values(), 0u);
  const Incidence built = BuildIncidence(0, {}, {}, {});
  EXPECT_EQ(built.num_accounts(), 0u);
  EXPECT_EQ(built.num_observations(), 0u);
}

TEST(Incidence, BuildsBothDirectionsSortedAndMergesRepeatedPairs) {
  // values: 0 = ip, 1 = payment, 2 = ip; account 3 has no value.
  const std::vector<Observation> obs = {{2, 0, 5}, {0, 0, 1}, {1, 1, 2}, {0, 1, 1},
                                        {2, 0, 3}, {1, 0, 4}, {0, 2, 7}};
  const Incidence inc = BuildIncidence(4, Kinds(), {0, 1, 0}, obs);
  ASSERT_EQ(inc.num_accounts(), 4u);
  ASSERT_EQ(inc.num_values(), 3u);
  EXPECT_EQ(inc.num_observations(), 6u);  // (2, 0) merged
  EXPECT_EQ(inc.kind(1), 1u);
  EXPECT_EQ(inc.kind_name(inc.kind(1)), "payment");

  EXPECT_EQ(inc.degree(0), 3u);
  EXPECT_EQ(std::vector<AccountId>(inc.accounts(0).begin(), inc.accounts(0).end()),
            (std::vector<AccountId>{0, 1, 2}));
  EXPECT_EQ(std::vector<std::uint32_t>(inc.account_counts(0).begin(), inc.account_counts(0).end()),
            (std::vector<std::uint32_t>{1, 4, 8}));
  EXPECT_EQ(inc.degree(1), 2u);
  EXPECT_EQ(inc.degree(2), 1u);

  EXPECT_EQ(std::vector<ValueId>(inc.values(0).begin(), inc.values(0).end()),
            (std::vector<ValueId>{0, 1, 2}));
  EXPECT_EQ(std::vector<std::uint32_t>(inc.value_counts(0).begin(), inc.value_counts(0).end()),
            (std::vector<std::uint32_t>{1, 1, 7}));
  EXPECT_EQ(inc.values(2).size(), 1u);
  EXPECT_EQ(inc.value_counts(2)[0], 8u);
  EXPECT_TRUE(inc.values(3).empty());  // an account with no value
}

TEST(Incidence, TransposeAgreesWithValueRowsOnRandomInput) {
  std::mt19937 rng(7);
  const std::size_t accounts = 300, values = 200;
  std::vector<KindId> kinds(values);
  for (auto& k : kinds) k = rng() % 2;
  std::vector<Observation> obs;
  for (int i = 0; i < 3000; ++i) {
    obs.push_back({AccountId(rng() % accounts), ValueId(rng() % values),
                   static_cast<std::uint32_t>(1 + rng() % 5)});
  }
  const Incidence inc = BuildIncidence(accounts, Kinds(), kinds, obs);
  std::uint64_t total_in = 0, total_by_value = 0, total_by_account = 0;
  for (const Observation& o : obs) total_in += o.count;
  for (ValueId v = 0; v < values; ++v) {
    const auto acc = inc.accounts(v);
    EXPECT_TRUE(std::is_sorted(acc.begin(), acc.end()));
    EXPECT_EQ(std::adjacent_find(acc.begin(), acc.end()), acc.end()) << "value " << v;
    for (std::size_t i = 0; i < acc.size(); ++i) {
      total_by_value += inc.account_counts(v)[i];
      const auto vals = inc.values(acc[i]);
      const auto it = std::lower_bound(vals.begin(), vals.end(), v);
      ASSERT_TRUE(it != vals.end() && *it == v);
      EXPECT_EQ(inc.value_counts(acc[i])[it - vals.begin()], inc.account_counts(v)[i]);
    }
  }
  for (AccountId a = 0; a < accounts; ++a) {
    const auto vals = inc.values(a);
    EXPECT_TRUE(std::is_sorted(vals.begin(), vals.end()));
    for (std::uint32_t c : inc.value_counts(a)) total_by_account += c;
  }
  EXPECT_EQ(total_by_value, total_in);
  EXPECT_EQ(total_by_account, total_in);
}

TEST(Incidence, RejectsBadIdsCountsAndKindsWithExpectedValues) {
  ExpectInvalid(
      [] {
        BuildIncidence(2, Kinds(), {0}, std::vector<Observation>{{2, 0, 1}});
      },
      "observation 0 has account 2, expected < 2");
  ExpectInvalid(
      [] {
        BuildIncidence(2, Kinds(), {0}, std::vector<Observation>{{0, 1, 1}});
      },
      "observation 0 has value 1, expected < 1");
  ExpectInvalid(
      [] {
        BuildIncidence(2, Kinds(), {0}, std::vector<Observation>{{0, 0, 1}, {1, 0, 0}});
      },
      "observation 1 has count 0, expected >= 1");
  ExpectInvalid([] { BuildIncidence(2, Kinds(), {0, 2}, {}); }, "value 1 has kind 2, expected < 2");
  ExpectInvalid([] { BuildIncidence(2, {"ip", ""}, {}, {}); }, "kind 1 has an empty name");
  ExpectInvalid([] { BuildIncidence(2, {"ip", "ip"}, {}, {}); }, "repeats the name 'ip'");
}

TEST(Incidence, CountsSaturateInsteadOfWrapping) {
  const std::uint32_t big = 0xF0000000u;
  const Incidence inc =
      BuildIncidence(1, Kinds(), {0}, std::vector<Observation>{{0, 0, big}, {0, 0, big}});
  EXPECT_EQ(inc.account_counts(0)[0], 0xFFFFFFFFu);
}

}  // namespace
}  // namespace ringscope
