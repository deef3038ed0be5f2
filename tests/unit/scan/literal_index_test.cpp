// LiteralIndex: for every record, the candidates it names include every filter that matches
// (never a missed match), and equal the per-filter prefilter answers, with the Hyperscan database
// (several filters) and without it (one filter).
#include "scan/literal_index.h"

#include <gtest/gtest.h>

#include "scan/filters.h"

namespace sgwatch::scan {
namespace {

const std::vector<std::string>& records() {
  static const std::vector<std::string> kRecords = {
      R"({"eventName":"AuthorizeSecurityGroupIngress","eventSource":"ec2.amazonaws.com"})",
      R"({"eventName":"ConsoleLogin","errorMessage":"Failed authentication","additionalEventData":{"MFAUsed":"No"}})",
      R"({"eventName":"Authorize\u0053ecurityGroupIngress"})",
      R"({"eventName":"DescribeInstances","errorCode":"Client.UnauthorizedOperation"})",
      R"({"userIdentity":{"type":"Root"},"eventName":"ListBuckets"})",
      R"({"eventName":"PutBucketPolicy","eventSource":"s3.amazonaws.com"})",
      R"({"eventName":"CreateVpc"})",
      R"(not json at all CreateVpc)",
      R"({})",
      "",
  };
  return kRecords;
}

void check(const FilterSet& set, bool expect_multi) {
  const LiteralIndex index(set.filters());
  EXPECT_EQ(index.multi_literal(), expect_multi);
  LiteralIndex::Scratch scratch(index);
  std::vector<char> candidates;
  for (const auto& record : records()) {
    SCOPED_TRACE(record);
    const bool any = index.candidates(record, scratch, candidates);
    ASSERT_EQ(candidates.size(), set.filters().size());
    bool expected_any = false;
    for (std::size_t k = 0; k < set.filters().size(); ++k) {
      const auto& filter = set.filters()[k];
      const bool may = filter.matcher.prefilter().may_match(record);
      EXPECT_EQ(candidates[k] != 0, may) << filter.name;
      if (filter.matcher.matches(record)) {
        EXPECT_TRUE(candidates[k]) << filter.name << " matches";
      }
      expected_any = expected_any || may;
    }
    EXPECT_EQ(any, expected_any);
  }
}

TEST(LiteralIndex, PacksThroughHyperscan) {
  FilterSet set;
  ASSERT_TRUE(set.add_pack("cis-v3"));
  ASSERT_TRUE(set.add_pack("sg-all"));
  ASSERT_TRUE(set.add_patterns({"[a, b]", "%Create.*%"}));  // no literal prefilter: always candidates
  check(set, true);
}

TEST(LiteralIndex, OneFilterUsesItsOwnPrefilter) {
  FilterSet set;
  ASSERT_TRUE(set.add_patterns({"{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = CreateVpc) }"}));
  check(set, false);
}

}  // namespace
}  // namespace sgwatch::scan
