// `ringscope explain` on a tiny generated world, both ways it reads links:
// the newest run's stored lists (the default) and links rebuilt from the
// observations (--from-observations, as for an older run). Either way two
// members of one campaign are linked by a path that chains from A to B, and
// every hop names what its two accounts share.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <string>
#include <vector>

#include "tiny_world.h"

namespace ringscope {
namespace {

using testing::RunResult;

class ExplainCli : public testing::TinyWorldSuite {
 protected:
  // Members of each campaign, by name.
  static std::map<std::string, std::vector<std::string>> Campaigns() {
    std::map<std::string, std::vector<std::string>> members;
    for (const auto& [account, campaign] : world_->campaign_of) members[campaign].push_back(account);
    return members;
  }

};

TEST_F(ExplainCli, StoredAndRebuiltLinksBothExplainEachCampaignPair) {
  std::size_t pairs = 0;
  for (const auto& [campaign, accounts] : Campaigns()) {
    if (accounts.size() < 3) continue;
    const std::string& a = accounts.front();
    const std::string& b = accounts.back();
    for (const char* mode : {"", "--from-observations"}) {
      std::vector<std::string> args = {"explain", a, b, "--format", "json", "-q"};
      if (*mode != '\0') args.push_back(mode);
      RunResult r = world_->Run(args);
      ASSERT_EQ(r.exit_code, 0) << r.err;
      simdjson::dom::parser parser;
      simdjson::dom::element doc;
      ASSERT_FALSE(parser.parse(r.out).get(doc)) << r.out;
      ASSERT_TRUE(doc["linked"].get_bool().value()) << campaign << " " << mode << ": " << r.out;
      std::string at = a;
      for (simdjson::dom::element hop : doc["path"].get_array()) {
        EXPECT_EQ(std::string(hop["from"].get_string().value()), at);
        at = std::string(hop["to"].get_string().value());
        EXPECT_FALSE(hop["evidence_missing"].get_bool().value()) << campaign << " " << mode;
        EXPECT_GT(hop["evidence"].get_array().size(), 0u) << campaign << " " << mode;
        EXPECT_GT(hop["strength"].get_double().value(), 0.0);
      }
      EXPECT_EQ(at, b) << campaign << " " << mode << ": the path ends at B";
      ++pairs;
    }
  }
  EXPECT_GE(pairs, 8u);  // four campaigns, both modes
}

TEST_F(ExplainCli, SameAnswerTwice) {
  const auto campaigns = Campaigns();
  const std::vector<std::string>& accounts = campaigns.begin()->second;
  const std::vector<std::string> args = {"explain", accounts.front(), accounts.back(), "-q"};
  RunResult first = world_->Run(args);
  RunResult second = world_->Run(args);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, second.out);
}

}  // namespace
}  // namespace ringscope
